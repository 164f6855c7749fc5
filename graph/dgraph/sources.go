package dgraph

import (
	"context"
	"fmt"
	"sort"
	"strconv"
)

// SourceSegments returns the IDs of the segments whose sources name file,
// sorted: what a process that keeps a search index of the graph reads to
// index a source another process wrote (such as a learned pair), without
// reading every segment. One index lookup per page of ReadBatch nodes.
func (s *Store) SourceSegments(ctx context.Context, file string) ([]string, error) {
	txn := s.dg.NewReadOnlyTxn()
	defer txn.Discard(ctx)
	fks := s.sp.fileKeys(file)
	var out []string
	for after := ""; ; {
		q := newQuery()
		args := "func: eq(" + predFiles + ", " + q.list(fks) + "), first: " + q.param("int", strconv.Itoa(s.opts.ReadBatch))
		if after != "" {
			args += ", after: " + q.str(after)
		}
		// Entities and facts of the file are listed too, without a
		// segment ID: filtering at the root would page after the filter.
		q.block("n(" + args + ") { uid " + predSID + " }")
		var resp struct {
			N []segmentNode `json:"n"`
		}
		if err := run(ctx, txn, q, &resp); err != nil {
			return nil, fmt.Errorf("dgraph: segments of %q: %w", file, err)
		}
		for _, n := range resp.N {
			if n.SID != "" {
				out = append(out, s.sp.unkey(n.SID))
			}
		}
		if len(resp.N) < s.opts.ReadBatch {
			break
		}
		after = resp.N[len(resp.N)-1].UID
	}
	sort.Strings(out)
	return out, nil
}
