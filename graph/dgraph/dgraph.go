// Package dgraph is a graph.Store on a Dgraph cluster (v24, through dgo
// v230 over gRPC). Start with Open; the store is safe for concurrent use.
//
// # Data layout
//
// Entities, facts, segments and source states are nodes keyed by external
// IDs (kg.eid, kg.fid, kg.sid, kg.state_file: exact index, @upsert). Facts
// are reified: a fact node has a kg.subject and, for relations, a kg.object
// edge to entity nodes (both @reverse, so an entity's facts and neighbours
// are one hop away in either direction), and carries its predicate, weight,
// count, validity (kg.valid_from, kg.valid_to; a fact is current while it
// has no kg.valid_to) and provenance (kg.sources, the []graph.Source as
// JSON). A literal is stored as kg.literal@lang (@lang, so the graph reads
// naturally in DQL: `~kg.subject { kg.literal@es }`); kg.lang keeps the tag
// as given. Label facts also carry two exact-indexed lookup keys, the text
// and its graph.Fold form, each joined by NUL to the base language, so a
// label lookup is one index read whichever region the tag names. Every
// node a file wrote lists it in kg.files (exact index), which is how
// DeleteSource finds them. The schema is in schema.go and applied by Open
// when the server lacks it.
//
// # Namespaces
//
// Options.Namespace lets stores share one server without seeing each
// other's data: every key the store writes (external IDs, file names,
// label keys) starts with the namespace and "/", so exact lookups stay
// inside it, and listing a kind (Segments, SourceStates, Stats) is a range
// read of that kind's index over the namespace's prefix. Dgraph's own
// multi-tenancy needs its enterprise ACL feature, which a plain local
// server does not have.
//
// # Writing
//
// Upsert runs one transaction per batch: it reads the stored state of
// every entity, fact and segment the batch names (by external ID, several
// hundred per request), merges the batch into it in Go (graph.MergeSources
// for provenance, ValidFrom and ValidTo kept), and writes only what
// differs, in requests of Options.BatchSize nodes, creating missing nodes
// as blank nodes keyed by their external ID. This is the upsert block's
// "query uid(xid), then set", split in two requests because the merge needs
// the stored values; @upsert on the ID predicates makes two transactions
// that create the same node conflict. The whole batch commits at once,
// however many requests it took, so Upsert is atomic and, writing nothing
// when nothing changed, idempotent. A transaction Dgraph aborts for a
// conflicting concurrent write is retried from the start with bounded,
// jittered exponential backoff; when the retries run out, the error is
// graph.ErrConflict.
package dgraph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/dgraph-io/dgo/v230"
	"github.com/dgraph-io/dgo/v230/protos/api"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"github.com/kgmem/kgmem/graph"
)

// Options configure a Store. The zero value is usable.
type Options struct {
	// Namespace separates stores that share a server: a store sees only
	// what was written with the same namespace. It may not contain '/'.
	// "" is a namespace like any other.
	Namespace string
	// BatchSize is how many nodes one request reads or writes (default
	// 500). A batch larger than this still commits as one transaction.
	BatchSize int
	// MaxRetries is how many times an aborted transaction is retried
	// before the operation fails with graph.ErrConflict (default 20).
	MaxRetries int
	// RetryBackoff is the wait before the first retry (default 10ms); it
	// doubles on every retry up to MaxBackoff (default 1s), and each wait
	// is drawn at random between half and all of it.
	RetryBackoff time.Duration
	MaxBackoff   time.Duration
}

func (o Options) withDefaults() Options {
	if o.BatchSize <= 0 {
		o.BatchSize = 500
	}
	if o.MaxRetries <= 0 {
		o.MaxRetries = 20
	}
	if o.RetryBackoff <= 0 {
		o.RetryBackoff = 10 * time.Millisecond
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = time.Second
	}
	if o.MaxBackoff < o.RetryBackoff {
		o.MaxBackoff = o.RetryBackoff
	}
	return o
}

// Store is a graph.Store on Dgraph. It is safe for concurrent use.
type Store struct {
	conn *grpc.ClientConn
	dg   *dgo.Dgraph
	sp   space
	opts Options
}

var _ graph.Store = (*Store)(nil)

// maxMessage bounds the size of one gRPC message either way; a request
// carries at most Options.BatchSize nodes, but an answer (all facts of a
// much-linked entity) can be large.
const maxMessage = 1 << 30

// Open connects to the Dgraph alpha at addr ("host:port", the gRPC port,
// 9080 by default; a "dgraph://" prefix is allowed), makes sure the schema
// is in place, and returns the store for opts.Namespace.
func Open(ctx context.Context, addr string, opts Options) (*Store, error) {
	addr = strings.TrimPrefix(addr, "dgraph://")
	sp, err := newSpace(opts.Namespace)
	if err != nil {
		return nil, err
	}
	conn, err := grpc.DialContext(ctx, addr,
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(maxMessage), grpc.MaxCallSendMsgSize(maxMessage)))
	if err != nil {
		return nil, fmt.Errorf("dgraph: connect to %s: %w", addr, err)
	}
	s := &Store{conn: conn, dg: dgo.NewDgraphClient(api.NewDgraphClient(conn)), sp: sp, opts: opts.withDefaults()}
	if err := s.ensureSchema(ctx); err != nil {
		conn.Close()
		return nil, fmt.Errorf("dgraph: open %s: %w", addr, err)
	}
	return s, nil
}

// Close closes the connection. The data stays on the server.
func (s *Store) Close() error {
	if err := s.conn.Close(); err != nil {
		return fmt.Errorf("dgraph: close: %w", err)
	}
	return nil
}

// aborted reports whether err is Dgraph aborting a transaction for a
// conflicting write, which a retry may get past.
func aborted(err error) bool {
	return errors.Is(err, dgo.ErrAborted) || status.Code(err) == codes.Aborted
}

// retry runs fn until it succeeds, fails with something other than an
// aborted transaction, or has been retried MaxRetries times; then the
// error is graph.ErrConflict. fn runs a whole transaction.
func (s *Store) retry(ctx context.Context, what string, fn func(context.Context) error) error {
	wait := s.opts.RetryBackoff
	for attempt := 0; ; attempt++ {
		err := fn(ctx)
		if err == nil || !aborted(err) {
			return err
		}
		if attempt >= s.opts.MaxRetries {
			return fmt.Errorf("%s: %w (still aborted after %d attempts: %v)", what, graph.ErrConflict, attempt+1, err)
		}
		d := wait/2 + rand.N(wait/2+1)
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("%s: %w", what, ctx.Err())
		case <-t.C:
		}
		wait = min(2*wait, s.opts.MaxBackoff)
	}
}

// mutate sends writes in requests of at most BatchSize nodes and returns
// the uids Dgraph assigned to blank nodes (by blank name, without "_:").
func (s *Store) mutate(ctx context.Context, txn *dgo.Txn, ws []write) (map[string]string, error) {
	uids := map[string]string{}
	for len(ws) > 0 {
		n := min(len(ws), s.opts.BatchSize)
		var sets, dels []map[string]any
		for _, w := range ws[:n] {
			if w.set != nil {
				sets = append(sets, w.set)
			}
			if w.del != nil {
				dels = append(dels, w.del)
			}
		}
		ws = ws[n:]
		mu := &api.Mutation{}
		var err error
		if len(sets) > 0 {
			if mu.SetJson, err = json.Marshal(sets); err != nil {
				return nil, fmt.Errorf("encode mutation: %w", err)
			}
		}
		if len(dels) > 0 {
			if mu.DeleteJson, err = json.Marshal(dels); err != nil {
				return nil, fmt.Errorf("encode mutation: %w", err)
			}
		}
		if len(sets) == 0 && len(dels) == 0 {
			continue
		}
		t0 := time.Now()
		resp, err := txn.Mutate(ctx, mu)
		if debugTiming && len(mu.SetJson) > 100000 {
			println(string(mu.SetJson[:1200]))
			debugTiming = false
		}
		if debugTiming {
			println("mutate", len(sets), len(dels), len(mu.SetJson), time.Since(t0).String(), resp.GetLatency().GetProcessingNs()/1e6)
		}
		if err != nil {
			return nil, fmt.Errorf("mutate: %w", err)
		}
		for k, v := range resp.Uids {
			uids[k] = v
		}
	}
	return uids, nil
}

// run sends one query in txn and decodes its answer into out.
func run(ctx context.Context, txn *dgo.Txn, q *query, out any) error {
	t0 := time.Now()
	resp, err := txn.QueryWithVars(ctx, q.String(), q.vars)
	if debugTiming {
		println("query", len(q.vars), len(resp.GetJson()), time.Since(t0).String())
	}
	if err != nil {
		return fmt.Errorf("query: %w", err)
	}
	if err := json.Unmarshal(resp.Json, out); err != nil {
		return fmt.Errorf("decode answer: %w", err)
	}
	return nil
}

// read runs one query in a read-only transaction.
func (s *Store) read(ctx context.Context, q *query, out any) error {
	txn := s.dg.NewReadOnlyTxn()
	defer txn.Discard(ctx)
	return run(ctx, txn, q, out)
}

var debugTiming = false // XXX
