// Package dgraph is a graph.Store on a Dgraph cluster (v24, through dgo
// v230 over gRPC). Start with Open; the store is safe for concurrent use.
//
// # Data layout
//
// Entities, facts, segments and source states are nodes keyed by external
// IDs (kg.eid, kg.fid, kg.sid, kg.state_file: exact index, @upsert). Facts
// are reified: a fact node has a kg.subject and, for relations, a kg.object
// edge to entity nodes (both @reverse, so an entity's facts and neighbours
// are one hop away in either direction), its predicate (kg.pred), and its
// end of validity (kg.valid_to; a fact is current while it has none). What
// no query filters on — the language tag as given, status, weight, count,
// start of validity and provenance (the []graph.Source) — is one JSON
// value, kg.fact: Dgraph keeps a posting list per node and predicate, so
// every predicate costs a list written, committed and compacted per fact.
// A literal is stored as kg.literal@lang (@lang, so the graph reads
// naturally in DQL: `~kg.subject { kg.literal@es }`); a tag Dgraph could
// not echo safely stores the literal untagged. A label fact also carries an
// exact-indexed lookup key, its text and base language joined by NUL
// (kg.label_key), and, when folding changes the text, the same for
// graph.Fold of it (kg.label_fold), so a label lookup is an index read or
// two whichever region the tag names; the tags the query covers are kept
// afterwards. A segment is a record read whole, so it is one JSON value
// (kg.segment) rather than a predicate per field. Every node a file wrote
// lists it in kg.files (exact index), which is how DeleteSource finds
// them; the value is the file name and one of 64 shards picked by the
// node's ID, because Dgraph adds postings to one index key in time linear
// in what the transaction already added to it, and a batch of n nodes
// from one file then cost n². The schema is in schema.go; Open applies
// what the server lacks.
//
// # Namespaces
//
// Options.Namespace lets stores share one server without seeing each
// other's data: every key the store writes (external IDs, file names,
// label keys) starts with the namespace and "/", so exact lookups stay
// inside it, and listing a kind (Segments, SourceStates, Stats) is a range
// read of that kind's index over the namespace's prefix. (Dgraph's own
// multi-tenancy needs its enterprise ACL feature.) Open("a:9080,b:9080")
// spreads requests over several alphas of a cluster.
//
// # Writing
//
// Upsert runs one transaction per batch: it reads the stored state of
// every entity, fact and segment the batch names (by external ID,
// Options.ReadBatch per query), merges the batch into it in Go
// (graph.MergeSources for provenance; ValidFrom and ValidTo kept), and
// writes only what differs, creating missing nodes as blank nodes that
// carry their external ID, all in one request with CommitNow (several for
// batches over Options.WriteBatch nodes; Dgraph's per-request bookkeeping
// makes many small requests in one transaction quadratic). This is the
// upsert block's "query uid(xid), then set", split in two requests because
// the merge needs the stored values; @upsert on the ID predicates makes
// two transactions that create the same node conflict, as do two that
// change the same node. The batch commits at once, so Upsert is atomic, and
// writing nothing when nothing changed makes it idempotent. A transaction
// Dgraph aborts for a conflicting concurrent write is retried from the
// start with bounded, jittered exponential backoff; when the retries run
// out, the error is graph.ErrConflict. Mutations are structured N-Quads
// (api.NQuad with typed values): nothing is formatted into text, and Dgraph
// does not guess types as its JSON reader does.
package dgraph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
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
	// ReadBatch is how many nodes one query looks up or one page of
	// Segments holds, and how many nodes one mutation of a write request
	// carries (default 1000).
	ReadBatch int
	// WriteBatch is how many nodes one write request carries (default
	// 20000; Dgraph refuses requests of more than a million quads, about
	// 70000 facts). A transaction that writes more sends several requests;
	// it still commits as one.
	WriteBatch int
	// Parallel is how many independent batches a build keeps in flight
	// (graph.ParallelWriter; default 2 per alpha given to Open): each
	// alpha applies one while the client reads for and sends the next,
	// and on a cluster the batches go to every group's alphas at once.
	Parallel int
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
	if o.ReadBatch <= 0 {
		o.ReadBatch = 1000
	}
	if o.WriteBatch <= 0 {
		o.WriteBatch = 20000
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
	conns []*grpc.ClientConn
	dg    *dgo.Dgraph   // every alpha; dgo picks one per request
	alpha []*dgo.Dgraph // one client per alpha, for ensureSchema
	sp    space
	opts  Options
}

var (
	_ graph.Store          = (*Store)(nil)
	_ graph.ParallelWriter = (*Store)(nil)
)

// maxMessage bounds the size of one gRPC message either way; a request
// carries at most Options.WriteBatch nodes, but an answer (all facts of a
// much-linked entity) can be large.
const maxMessage = 1 << 30

// Open connects to the Dgraph alpha at addr ("host:port", the gRPC port,
// 9080 by default; a "dgraph://" prefix is allowed), makes sure the schema
// is in place, and returns the store for opts.Namespace. addr may list
// several alphas of a cluster, comma-separated; requests are spread over
// them.
func Open(ctx context.Context, addr string, opts Options) (*Store, error) {
	sp, err := newSpace(opts.Namespace)
	if err != nil {
		return nil, err
	}
	s := &Store{sp: sp, opts: opts.withDefaults()}
	var clients []api.DgraphClient
	for _, a := range strings.Split(strings.TrimPrefix(addr, "dgraph://"), ",") {
		a = strings.TrimSpace(a)
		if a == "" {
			continue
		}
		conn, err := grpc.DialContext(ctx, a,
			grpc.WithTransportCredentials(insecure.NewCredentials()),
			grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(maxMessage), grpc.MaxCallSendMsgSize(maxMessage)))
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("dgraph: connect to %s: %w", a, err)
		}
		s.conns = append(s.conns, conn)
		c := api.NewDgraphClient(conn)
		clients = append(clients, c)
		s.alpha = append(s.alpha, dgo.NewDgraphClient(c))
	}
	if len(clients) == 0 {
		return nil, fmt.Errorf("dgraph: open: no address in %q", addr)
	}
	s.dg = dgo.NewDgraphClient(clients...)
	if s.opts.Parallel <= 0 {
		s.opts.Parallel = 2 * len(clients)
	}
	if err := s.ensureSchema(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("dgraph: open %s: %w", addr, err)
	}
	return s, nil
}

// WriteParallelism implements graph.ParallelWriter: Options.Parallel, by
// default 2 per alpha.
func (s *Store) WriteParallelism() int { return s.opts.Parallel }

// Close closes the connections. The data stays on the server.
func (s *Store) Close() error {
	var errs []error
	for _, c := range s.conns {
		errs = append(errs, c.Close())
	}
	if err := errors.Join(errs...); err != nil {
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

// send writes ws in txn and, with commit, commits. The writes go in as
// few requests as WriteBatch allows: Dgraph's per-request bookkeeping
// walks everything the transaction wrote so far, so many small requests in
// one transaction cost time quadratic in its size. A ref to a blank node
// created by an earlier request is replaced by the uid Dgraph assigned it.
func (s *Store) send(ctx context.Context, txn *dgo.Txn, ws []write, commit bool) error {
	assigned := map[string]string{}
	for len(ws) > 0 {
		n := min(len(ws), s.opts.WriteBatch)
		req := &api.Request{CommitNow: commit && n == len(ws)}
		mu, err := encodeWrites(ws[:n], assigned)
		if err != nil {
			return err
		}
		if mu != nil {
			req.Mutations = []*api.Mutation{mu}
		}
		ws = ws[n:]
		if len(req.Mutations) == 0 {
			if req.CommitNow {
				return commitTxn(ctx, txn)
			}
			continue
		}
		resp, err := txn.Do(ctx, req)
		if err != nil {
			return fmt.Errorf("mutate: %w", err)
		}
		for k, v := range resp.Uids {
			assigned["_:"+k] = v
		}
	}
	return nil
}

// encodeWrites returns the mutation of ws, nil if there is nothing to
// write. Refs to blank nodes in assigned are replaced by their uids.
//
// The mutation is structured N-Quads (api.Mutation.Set and Del), not JSON
// or RDF text: every value travels as a typed api.Value, so nothing is
// parsed on either side and no value can change the mutation's meaning.
// (Dgraph v24's JSON parser also reads any string that looks like a list
// of numbers, such as the label "[1, 2]", as a float vector and stores
// "[1,2]".)
func encodeWrites(ws []write, assigned map[string]string) (*api.Mutation, error) {
	mu := &api.Mutation{}
	for _, w := range ws {
		var err error
		if w.set != nil {
			if mu.Set, err = appendQuads(mu.Set, w.set, false, assigned); err != nil {
				return nil, err
			}
		}
		if w.del != nil {
			if mu.Del, err = appendQuads(mu.Del, w.del, true, assigned); err != nil {
				return nil, err
			}
		}
	}
	if len(mu.Set) == 0 && len(mu.Del) == 0 {
		return nil, nil
	}
	return mu, nil
}

// starAll is the object of a deletion of every value of a predicate
// (RDF's "*").
var starAll = &api.Value{Val: &api.Value_DefaultVal{DefaultVal: "_STAR_ALL"}}

// appendQuads appends the quads of one node's write: m maps "uid" to the
// node (a uid, "_:blank" or "uid(var)") and predicates (with an optional
// "@lang") to values. In a deletion, a nil value deletes every value of
// the predicate. Predicates go in sorted order, so a write always encodes
// the same way.
func appendQuads(out []*api.NQuad, m map[string]any, del bool, assigned map[string]string) ([]*api.NQuad, error) {
	subject, _ := m["uid"].(string)
	if a := assigned[subject]; a != "" {
		subject = a
	}
	if subject == "" {
		return nil, fmt.Errorf("encode mutation: a node without uid")
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		if k != "uid" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		pred, lang, _ := strings.Cut(k, "@")
		quad := func(v *api.Value, obj string) {
			out = append(out, &api.NQuad{Subject: subject, Predicate: pred, Lang: lang, ObjectValue: v, ObjectId: obj})
		}
		switch v := m[k].(type) {
		case nil:
			if del {
				quad(starAll, "")
			}
		case string:
			quad(&api.Value{Val: &api.Value_StrVal{StrVal: v}}, "")
		case []string:
			for _, x := range v {
				quad(&api.Value{Val: &api.Value_StrVal{StrVal: x}}, "")
			}
		case int:
			quad(&api.Value{Val: &api.Value_IntVal{IntVal: int64(v)}}, "")
		case float64:
			quad(&api.Value{Val: &api.Value_DoubleVal{DoubleVal: v}}, "")
		case bool:
			quad(&api.Value{Val: &api.Value_BoolVal{BoolVal: v}}, "")
		case ref:
			obj := v.UID
			if a := assigned[obj]; a != "" {
				obj = a
			}
			quad(nil, obj)
		default:
			return nil, fmt.Errorf("encode mutation: %s has a value of type %T", k, v)
		}
	}
	return out, nil
}

func commitTxn(ctx context.Context, txn *dgo.Txn) error {
	if err := txn.Commit(ctx); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// run sends one query in txn and decodes its answer into out.
func run(ctx context.Context, txn *dgo.Txn, q *query, out any) error {
	resp, err := txn.QueryWithVars(ctx, q.String(), q.vars)
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
