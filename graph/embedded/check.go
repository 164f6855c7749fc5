package embedded

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/kgmem/kgmem/graph"
)

// Check reads the whole store and reports damage. It checks, in one read
// transaction (writes go on meanwhile):
//
//   - every page of the file, as Open does, and the order of the keys in
//     each page;
//   - bbolt's own consistency check (every page reached once or free);
//   - the store's own invariants: every record decodes and is filed under
//     its own ID; every fact's subject, and its object when it has one, is
//     an entity the store holds; every fact has its index entries
//     (by_subject, by_object, labels and labels_fold for a label) and
//     every index entry points to a fact that has it; every by_source
//     entry of a fact or segment points to a record; and the counts Stats
//     reports are the numbers of records.
//
// It returns nil when all hold, a *DamagedError (errors.Is(err,
// ErrDamaged)) listing the first problems found, or ctx's error when ctx
// is cancelled (between phases during bbolt's check, which cannot be
// stopped midway, else within a few thousand records).
func (s *Store) Check(ctx context.Context) error {
	probs := &problems{path: s.db.Path()}
	err := s.db.View(func(tx *bolt.Tx) error {
		idx := indexCounts{}
		phases := []func(context.Context, *bolt.Tx, *problems) error{
			s.checkPages, checkBolt, checkEntities, idx.checkFacts, idx.checkIndexes, checkSegments, checkSources,
		}
		for _, phase := range phases {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := phase(ctx, tx, probs); err != nil {
				return err
			}
			if len(probs.list) >= maxProblems {
				break
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return probs.err()
}

// checkPages walks the file's pages as the transaction sees them: the
// pages reachable from its meta page cannot change while it is open.
func (s *Store) checkPages(ctx context.Context, tx *bolt.Tx, probs *problems) error {
	f, err := os.Open(s.db.Path())
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	pageSize, err := findPageSize(f, st.Size())
	if err != nil {
		probs.addf("%v", err)
		return nil
	}
	buf := make([]byte, pageHeaderSize+metaSize)
	for i := int64(0); i < 2; i++ {
		if _, err := f.ReadAt(buf, i*int64(pageSize)); err != nil {
			return err
		}
		m := parseMeta(buf)
		if m.valid != nil || m.txid != uint64(tx.ID()) {
			continue
		}
		if m.pgid*uint64(pageSize) > uint64(st.Size()) {
			probs.addf("the file is truncated: it is %d bytes, but its %d pages of %d bytes need %d", st.Size(), m.pgid, pageSize, m.pgid*uint64(pageSize))
			return nil
		}
		return walkFile(ctx, f, m, probs)
	}
	// A commit overwrote the transaction's meta page before it was read;
	// bbolt's check below still covers the pages.
	return nil
}

// checkBolt runs bbolt's consistency check.
func checkBolt(ctx context.Context, tx *bolt.Tx, probs *problems) error {
	for err := range tx.Check() {
		probs.addf("bbolt: %v", err)
	}
	return nil
}

// records calls fn for every key and value of a bucket, looking at ctx
// every few thousand.
func records(ctx context.Context, tx *bolt.Tx, bucket []byte, probs *problems, fn func(k, v []byte) error) error {
	b := tx.Bucket(bucket)
	if b == nil {
		probs.addf("bucket %s is missing", bucket)
		return nil
	}
	c := b.Cursor()
	i := 0
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if i++; i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if err := fn(k, v); err != nil {
			return err
		}
	}
	return nil
}

// checkCounter compares a stored count with the number of records.
func checkCounter(tx *bolt.Tx, probs *problems, name string, n int) {
	if got := getCounter(tx, name); got != n {
		probs.addf("the %s count is %d, but the store holds %d", name, got, n)
	}
}

func checkEntities(ctx context.Context, tx *bolt.Tx, probs *problems) error {
	n := 0
	err := records(ctx, tx, bEntities, probs, func(k, v []byte) error {
		n++
		var e graph.Entity
		switch err := json.Unmarshal(v, &e); {
		case err != nil:
			probs.addf("entity %q does not decode: %v", k, err)
		case e.ID != string(k):
			probs.addf("entity %q is filed under %q", e.ID, k)
		case e.Type == "":
			probs.addf("entity %q has no type", k)
		}
		return nil
	})
	checkCounter(tx, probs, "entities", n)
	return err
}

// indexCounts counts the index entries the facts should have, per index
// bucket.
type indexCounts map[string]int

// checkFacts checks every fact, its entities and its index entries, and
// the fact counts.
func (want indexCounts) checkFacts(ctx context.Context, tx *bolt.Tx, probs *problems) error {
	entities := tx.Bucket(bEntities)
	n, labels := 0, 0
	preds := map[string]int{}
	err := records(ctx, tx, bFacts, probs, func(k, v []byte) error {
		n++
		var f graph.Fact
		if err := json.Unmarshal(v, (*factKeys)(&f)); err != nil {
			probs.addf("fact %q does not decode: %v", k, err)
			return nil
		}
		if f.ID != string(k) {
			probs.addf("fact %q is filed under %q", f.ID, k)
		}
		preds[f.Predicate]++
		if isLabel(&f) && f.ValidTo.IsZero() {
			labels++
		}
		if entities.Get([]byte(f.Subject)) == nil {
			probs.addf("fact %s: its subject %s is not in the store", f.ID, f.Subject)
		}
		if f.Object != "" && entities.Get([]byte(f.Object)) == nil {
			probs.addf("fact %s: its object %s is not in the store", f.ID, f.Object)
		}
		for _, ix := range factIndexKeys(&f) {
			want[string(ix.bucket)]++
			if b := tx.Bucket(ix.bucket); b == nil || b.Get(ix.key) == nil {
				probs.addf("fact %s has no %s entry", f.ID, ix.bucket)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	checkCounter(tx, probs, "facts", n)
	checkCounter(tx, probs, "labels", labels)
	for p, c := range preds {
		checkCounter(tx, probs, "pred:"+p, c)
	}
	return nil
}

// factKeys decodes what Check needs of a fact, skipping its sources: the
// fields that place it in the indexes and counts.
type factKeys graph.Fact

func (f *factKeys) UnmarshalJSON(b []byte) error {
	var v struct {
		ID        string    `json:"id"`
		Subject   string    `json:"subject"`
		Predicate string    `json:"predicate"`
		Object    string    `json:"object"`
		Literal   string    `json:"literal"`
		Lang      string    `json:"lang"`
		ValidTo   time.Time `json:"valid_to"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*f = factKeys{ID: v.ID, Subject: v.Subject, Predicate: v.Predicate, Object: v.Object, Literal: v.Literal, Lang: v.Lang, ValidTo: v.ValidTo}
	return nil
}

// indexKey is one index entry of a fact.
type indexKey struct {
	bucket, key []byte
}

// factIndexKeys returns the index entries a fact has (as index writes
// them).
func factIndexKeys(f *graph.Fact) []indexKey {
	out := []indexKey{{bSubject, key(f.Subject, f.ID)}}
	if f.Object != "" {
		out = append(out, indexKey{bObject, key(f.Object, f.ID)})
	}
	if isLabel(f) {
		base := graph.BaseLang(f.Lang)
		out = append(out, indexKey{bLabels, key(base, f.Literal, f.ID)}, indexKey{bFolded, key(base, graph.Fold(f.Literal), f.ID)})
	}
	return out
}

// checkIndexes checks that every index entry points to a fact that has
// it, and every by_source entry of a fact or segment to a record. Since
// checkFacts found each fact's own entries, an index that holds as many
// entries as the facts have holds no others; only an index with more is
// read entry by entry, to name them.
func (want indexCounts) checkIndexes(ctx context.Context, tx *bolt.Tx, probs *problems) error {
	facts := tx.Bucket(bFacts)
	for _, ix := range [][]byte{bSubject, bObject, bLabels, bFolded} {
		n := 0
		if err := records(ctx, tx, ix, probs, func(_, _ []byte) error { n++; return nil }); err != nil {
			return err
		}
		if n <= want[string(ix)] {
			continue
		}
		err := records(ctx, tx, ix, probs, func(k, _ []byte) error {
			i := bytes.LastIndexByte(k, sep)
			if i < 0 {
				probs.addf("%s entry %q has no fact id", ix, k)
				return nil
			}
			v := facts.Get(k[i+1:])
			if v == nil {
				probs.addf("%s entry %q points to fact %s, which is not in the store", ix, k, k[i+1:])
				return nil
			}
			var f graph.Fact
			if err := json.Unmarshal(v, (*factKeys)(&f)); err != nil {
				return nil // reported by checkFacts
			}
			for _, want := range factIndexKeys(&f) {
				if bytes.Equal(want.bucket, ix) && bytes.Equal(want.key, k) {
					return nil
				}
			}
			probs.addf("%s entry %q does not match fact %s", ix, k, f.ID)
			return nil
		})
		if err != nil {
			return err
		}
	}
	return records(ctx, tx, bBySource, probs, func(k, _ []byte) error {
		parts := bytes.Split(k, []byte{sep})
		if len(parts) < 3 {
			probs.addf("by_source entry %q is not file, kind and id", k)
			return nil
		}
		kind, id := string(parts[len(parts)-2]), parts[len(parts)-1]
		var b []byte
		switch kind {
		case "f":
			b = bFacts
		case "s":
			b = bSegments
		default:
			return nil // entities are kept while any fact refers to them
		}
		if tx.Bucket(b).Get(id) == nil {
			probs.addf("by_source entry %q points to a record that is not in the store", k)
		}
		return nil
	})
}

func checkSegments(ctx context.Context, tx *bolt.Tx, probs *problems) error {
	n := 0
	err := records(ctx, tx, bSegments, probs, func(k, v []byte) error {
		n++
		var sg struct {
			ID string `json:"id"`
		}
		switch err := json.Unmarshal(v, &sg); {
		case err != nil:
			probs.addf("segment %q does not decode: %v", k, err)
		case sg.ID != string(k):
			probs.addf("segment %q is filed under %q", sg.ID, k)
		}
		return nil
	})
	checkCounter(tx, probs, "segments", n)
	return err
}

func checkSources(ctx context.Context, tx *bolt.Tx, probs *problems) error {
	err := records(ctx, tx, bSources, probs, func(k, v []byte) error {
		var st graph.SourceState
		if err := json.Unmarshal(v, &st); err != nil {
			probs.addf("source %q does not decode: %v", k, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return records(ctx, tx, bCounters, probs, func(k, v []byte) error {
		if len(v) != 8 {
			probs.addf("counter %q holds %d bytes, not 8", k, len(v))
		}
		return nil
	})
}
