// Package embedded is kgmem's default graph store: one bbolt file in the
// data directory, no server. bbolt is a copy-on-write B+tree with ACID
// transactions (the store under etcd): a batch is one transaction, so a
// process killed mid-write leaves the file as it was before the batch.
//
// Open it with Open; it implements graph.Store.
package embedded

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/kgmem/kgmem/graph"
)

// Bucket names. Index keys join their parts with a zero byte; every index
// hit is checked against the record it points to, so text that itself
// contains a zero byte cannot produce a false match.
var (
	bEntities  = []byte("entities")   // id → entity JSON
	bFacts     = []byte("facts")      // id → fact JSON
	bSegments  = []byte("segments")   // id → segment JSON
	bSubject   = []byte("by_subject") // subject \0 fact id
	bObject    = []byte("by_object")  // object \0 fact id
	bLabels    = []byte("labels")     // base lang \0 text \0 fact id
	bFolded    = []byte("labels_fold")
	bBySource  = []byte("by_source") // file \0 kind \0 id (kind: e, f, s)
	bSources   = []byte("sources")   // file → SourceState JSON
	bCounters  = []byte("counters")  // name → int64
	allBuckets = [][]byte{bEntities, bFacts, bSegments, bSubject, bObject, bLabels, bFolded, bBySource, bSources, bCounters}
)

const sep = 0

// appendFill is the fill percent of the buckets a large Upsert fills
// mostly in key order: records (a build's batch holds one range of IDs)
// and by_source (one file's keys, each batch after the last). bbolt splits
// a node that outgrows its page at FillPercent, 50 % by default, which
// suits random inserts but leaves pages filled in key order half empty for
// good: more pages to write in every later transaction that touches them,
// and a larger file. A small batch (learning one pair) inserts at random
// and keeps the default, lest full pages shed a small page at every
// insert. The setting is per transaction; the file format does not change.
const appendFill = 1.0

// denseBatch is the fewest items of a batch written with appendFill.
const denseBatch = 1000

// appendBuckets are the buckets Upsert fills with appendFill. The other
// indexes take keys in random order and keep bbolt's default.
var appendBuckets = [][]byte{bEntities, bFacts, bSegments, bBySource}

// initialMmapSize is the address space mapped for the file from the start.
// bbolt remaps as the file grows, and a remap during a write transaction
// copies every key and value of the transaction's nodes out of the old
// mapping; reserving 1 GiB up front (address space, not memory) spares
// graphs up to that size any remap. 32-bit platforms keep bbolt's default.
const initialMmapSize = (1 << 30) * (strconv.IntSize / 64)

// Store is a graph.Store in one bbolt file. It is safe for concurrent use:
// reads run in parallel, writes one at a time.
type Store struct {
	db  *bolt.DB
	now func() time.Time
}

var _ graph.Store = (*Store)(nil)

// ErrLocked is returned by Open when another process has the file open.
var ErrLocked = errors.New("the graph file is in use by another kgmem process")

// Options configure OpenWith.
type Options struct {
	// Create makes a new, empty graph when there is no file at the path.
	// Without it a missing file is an error that matches fs.ErrNotExist.
	// An existing file is never replaced, whatever it holds: an empty
	// (0-byte) or damaged file is an error that matches ErrDamaged.
	Create bool
}

// Open opens the store in the file at path, creating a new graph there
// when there is no file (OpenWith with Create).
func Open(ctx context.Context, path string) (*Store, error) {
	return OpenWith(ctx, path, Options{Create: true})
}

// OpenWith opens the store in the file at path. Before bbolt reads the
// file, OpenWith holds its lock and checks every page bbolt would reach:
// a file that is empty, truncated, not a graph file, or has a damaged page
// gives a *DamagedError (errors.Is(err, ErrDamaged)) that names the file
// and the way out, never a panic or a fault. The check reads the whole
// tree once; see docs/integrity.md for what it costs.
func OpenWith(ctx context.Context, path string, opts Options) (*Store, error) {
	_, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && opts.Create:
		if err := create(path); err != nil {
			return nil, fmt.Errorf("create graph %s: %w", path, err)
		}
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("open graph %s: %w (build a graph with kgmem build-graph, or restore one with kgmem restore)", path, err)
	case err != nil:
		return nil, fmt.Errorf("open graph %s: %w", path, err)
	}
	db, err := openChecked(ctx, path)
	if err != nil {
		if errors.Is(err, bolterrors.ErrTimeout) {
			err = ErrLocked
		}
		return nil, fmt.Errorf("open graph %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open graph %s: %w", path, err)
	}
	return &Store{db: db, now: time.Now}, nil
}

// boltOptions are the options the store's file is opened with.
func boltOptions() *bolt.Options {
	return &bolt.Options{Timeout: lockTimeout, NoFreelistSync: true, InitialMmapSize: initialMmapSize}
}

// lockTimeout is how long Open waits for another process to let go of the
// file.
const lockTimeout = 2 * time.Second

// create makes a new graph at path in one step: a complete file is made
// under a temporary name and linked into place, so that a crash never
// leaves a partial file at path (which would then be refused as damaged).
// A file that appears at path meanwhile is kept.
func create(path string) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.new")
	if err != nil {
		return err
	}
	name := tmp.Name()
	tmp.Close()
	defer os.Remove(name)
	db, err := bolt.Open(name, 0o644, boltOptions())
	if err != nil {
		return err
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range allBuckets {
			if _, err := tx.CreateBucket(b); err != nil {
				return err
			}
		}
		return nil
	})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Chmod(name, 0o644); err != nil {
		return err
	}
	if err := os.Link(name, path); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	return syncDir(dir)
}

// syncDir makes a new directory entry durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return err
	}
	return nil
}

// openChecked opens an existing file with bbolt once checkFile has passed
// it, holding the file's lock from before the check until Close. A panic
// of bbolt's while it opens the file (which the check should make
// impossible) becomes a DamagedError too.
func openChecked(ctx context.Context, path string) (db *bolt.DB, err error) {
	var file *os.File
	opts := boltOptions()
	opts.OpenFile = func(name string, flag int, perm os.FileMode) (*os.File, error) {
		f, err := os.OpenFile(name, flag&^os.O_CREATE, perm)
		if err != nil {
			return nil, err
		}
		if err := lockFile(f, lockTimeout); err != nil {
			f.Close()
			return nil, err
		}
		if err := checkFile(ctx, f, name); err != nil {
			f.Close()
			return nil, err
		}
		file = f
		return f, nil
	}
	defer func() {
		if r := recover(); r != nil {
			if file != nil {
				file.Close()
			}
			db, err = nil, damaged(path, "bbolt could not read it: %v", r)
		}
	}()
	return bolt.Open(path, 0o644, opts)
}

// checkFile checks a graph file before bbolt maps it: its meta pages, that
// the file holds every page they count, and every page of the tree.
func checkFile(ctx context.Context, f *os.File, path string) error {
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", path)
	}
	m, err := pickMeta(f, st.Size())
	if err != nil {
		return damaged(path, "%v", err)
	}
	probs := &problems{path: path}
	if err := walkFile(ctx, f, m, probs); err != nil {
		return err
	}
	return probs.err()
}

// Close closes the file.
func (s *Store) Close() error { return s.db.Close() }

func key(parts ...string) []byte {
	n := len(parts)
	for _, p := range parts {
		n += len(p)
	}
	k := make([]byte, 0, n)
	for i, p := range parts {
		if i > 0 {
			k = append(k, sep)
		}
		k = append(k, p...)
	}
	return k
}

// prefix returns key(parts...) followed by the separator, for scans.
func prefix(parts ...string) []byte { return append(key(parts...), sep) }

// scan calls fn with the last part (after the prefix) of every key in b
// that starts with p.
func scan(b *bolt.Bucket, p []byte, fn func(rest []byte) error) error {
	c := b.Cursor()
	for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = c.Next() {
		if err := fn(k[len(p):]); err != nil {
			return err
		}
	}
	return nil
}

// counters accumulates changes to the stored counts within a transaction.
type counters map[string]int64

func (c counters) add(name string, d int64) { c[name] += d }

func (c counters) apply(tx *bolt.Tx) error {
	b := tx.Bucket(bCounters)
	for name, d := range c {
		if d == 0 {
			continue
		}
		var v int64
		if old := b.Get([]byte(name)); len(old) == 8 {
			v = int64(binary.BigEndian.Uint64(old))
		}
		var buf [8]byte
		binary.BigEndian.PutUint64(buf[:], uint64(v+d))
		if err := b.Put([]byte(name), buf[:]); err != nil {
			return err
		}
	}
	return nil
}

func getCounter(tx *bolt.Tx, name string) int {
	if v := tx.Bucket(bCounters).Get([]byte(name)); len(v) == 8 {
		return int(binary.BigEndian.Uint64(v))
	}
	return 0
}

func getJSON[T any](b *bolt.Bucket, id []byte) (*T, error) {
	v := b.Get(id)
	if v == nil {
		return nil, nil
	}
	var x T
	if err := json.Unmarshal(v, &x); err != nil {
		return nil, fmt.Errorf("graph file is damaged: record %q: %w", id, err)
	}
	return &x, nil
}

func putJSON(b *bolt.Bucket, id []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(id, data)
}

// Upsert applies a batch in one transaction.
//
// bbolt inserts into a page's in-memory node by shifting the entries after
// the insertion point, and splits nodes only at commit; a large
// transaction of keys in random order (the IDs are hashes) makes that
// quadratic. So each kind of record is written in ID order, and the index
// entries are collected and written per bucket in key order after the
// records. The order changes nothing in the result: records with the same
// ID keep their order in the batch, and index entries carry no value.
// Records are encoded and index keys built on a second goroutine while the
// transaction runs (prepare.go).
func (s *Store) Upsert(ctx context.Context, b *graph.Batch) error {
	return s.upsert(ctx, b, nil)
}

// UpsertMerged is Upsert that, once the batch is committed, calls merged
// with every segment of the batch the store already held, as it holds it
// now (its sources those of every file). A build hands them to the search
// index instead of reading the store back (ingest.MergeReporter).
func (s *Store) UpsertMerged(ctx context.Context, b *graph.Batch, merged func(graph.Segment)) error {
	var segs []graph.Segment
	if err := s.upsert(ctx, b, &segs); err != nil {
		return err
	}
	for _, sg := range segs {
		merged(sg)
	}
	return nil
}

// upsert is Upsert; it appends to merged (when not nil) the segments it
// merged with stored ones.
func (s *Store) upsert(ctx context.Context, b *graph.Batch, merged *[]graph.Segment) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if b.Source == "" {
		return fmt.Errorf("upsert: batch without a source file: %w", graph.ErrInvalid)
	}
	now := s.now().UTC()
	facts := make([]graph.Fact, len(b.Facts)) // a copy: the caller's batch is not modified
	copy(facts, b.Facts)
	setFactIDs(facts)
	slices.SortStableFunc(facts, func(a, b graph.Fact) int { return strings.Compare(a.ID, b.ID) })
	segs := make([]*graph.Segment, len(b.Segments))
	for i := range segs {
		segs[i] = &b.Segments[i]
	}
	slices.SortStableFunc(segs, func(a, b *graph.Segment) int { return strings.Compare(a.ID, b.ID) })
	entOrder := idOrder(len(b.Entities), func(i int) string { return b.Entities[i].ID })
	p := newPrepared(b.Source, now, facts, segs)
	go p.run()
	defer p.end()
	return s.db.Update(func(tx *bolt.Tx) error {
		if b.Len() >= denseBatch {
			for _, name := range appendBuckets {
				tx.Bucket(name).FillPercent = appendFill
			}
		}
		w := newWriter(tx, now)
		if merged != nil {
			*merged = (*merged)[:0] // bbolt may run the function again
			w.merged = merged
		}
		for _, i := range entOrder {
			if err := w.entity(&b.Entities[i], b.Source); err != nil {
				return err
			}
		}
		return w.writePrepared(p)
	})
}

// setFactIDs sets every fact's ID from its content, half of a large batch
// on another goroutine.
func setFactIDs(facts []graph.Fact) {
	set := func(fs []graph.Fact) {
		for i := range fs {
			f := &fs[i]
			f.ID = graph.FactID(f.Subject, f.Predicate, f.Object, f.Literal, f.Lang)
		}
	}
	if len(facts) < 4096 {
		set(facts)
		return
	}
	half := len(facts) / 2
	var wg sync.WaitGroup
	wg.Go(func() { set(facts[half:]) })
	set(facts[:half])
	wg.Wait()
}

// idOrder returns the indexes 0..n-1 ordered by id(i), stably.
func idOrder(n int, id func(i int) string) []int {
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return id(order[a]) < id(order[b]) })
	return order
}

// writer applies writes within one transaction. Index entries (keys with
// no value) are collected and written by finish, per bucket in key order.
type writer struct {
	tx      *bolt.Tx
	c       counters
	now     time.Time
	pending map[string][][]byte // bucket name → index keys to put
	values  arena
	keys    arena // the pending index keys (bbolt copies a key it is given)
	// merged collects the segments merged with stored ones, when not nil.
	merged *[]graph.Segment
}

func newWriter(tx *bolt.Tx, now time.Time) *writer {
	return &writer{tx: tx, c: counters{}, now: now, pending: map[string][][]byte{}}
}

// putFact writes a fact record under its ID.
func (w *writer) putFact(b *bolt.Bucket, f *graph.Fact) error {
	v, err := w.values.encode(func(buf []byte) ([]byte, error) { return appendFact(buf, f) })
	if err != nil {
		return err
	}
	return b.Put([]byte(f.ID), v)
}

// putSegment writes a segment record under its ID.
func (w *writer) putSegment(b *bolt.Bucket, sg *graph.Segment) error {
	v, err := w.values.encode(func(buf []byte) ([]byte, error) { return appendSegment(buf, sg) })
	if err != nil {
		return err
	}
	return b.Put([]byte(sg.ID), v)
}

// arena hands out the encoded values of one transaction from large
// chunks: bbolt keeps every value it is given until the commit, so each
// needs memory of its own, but not an allocation of its own.
type arena struct{ buf []byte }

const arenaChunk = 1 << 20

// encode appends a value with enc and returns it.
func (a *arena) encode(enc func([]byte) ([]byte, error)) ([]byte, error) {
	if cap(a.buf)-len(a.buf) < arenaChunk/16 {
		a.buf = make([]byte, 0, arenaChunk)
	}
	start := len(a.buf)
	out, err := enc(a.buf)
	if err != nil {
		return nil, err
	}
	// A value longer than the chunk's room moved to a new array; the
	// values handed out before still point into the old one.
	a.buf = out
	return out[start:len(out):len(out)], nil
}

// key returns key(parts...) in the arena.
func (a *arena) key(parts []string) []byte {
	n := len(parts)
	for _, p := range parts {
		n += len(p)
	}
	if cap(a.buf)-len(a.buf) < n {
		a.buf = make([]byte, 0, max(arenaChunk, n))
	}
	start := len(a.buf)
	for i, p := range parts {
		if i > 0 {
			a.buf = append(a.buf, sep)
		}
		a.buf = append(a.buf, p...)
	}
	return a.buf[start:len(a.buf):len(a.buf)]
}

// putIndex schedules the index entry key(parts...).
func (w *writer) putIndex(bucket []byte, parts ...string) {
	k := w.keys.key(parts)
	w.pending[string(bucket)] = append(w.pending[string(bucket)], k)
}

// finish writes the scheduled index entries and the counters.
func (w *writer) finish() error {
	for name, keys := range w.pending {
		slices.SortFunc(keys, bytes.Compare)
		b := w.tx.Bucket([]byte(name))
		for i, k := range keys {
			if i > 0 && bytes.Equal(k, keys[i-1]) {
				continue
			}
			if err := b.Put(k, nil); err != nil {
				return err
			}
		}
	}
	w.pending = map[string][][]byte{}
	return w.c.apply(w.tx)
}

func (w *writer) entity(e *graph.Entity, source string) error {
	if e.ID == "" || e.Type == "" {
		return fmt.Errorf("upsert: entity %+v without ID or type: %w", e, graph.ErrInvalid)
	}
	b := w.tx.Bucket(bEntities)
	if b.Get([]byte(e.ID)) == nil {
		stored := graph.Entity{ID: e.ID, Type: e.Type, Key: e.Key}
		if err := putJSON(b, []byte(e.ID), stored); err != nil {
			return err
		}
		w.c.add("entities", 1)
	}
	w.putIndex(bBySource, source, "e", e.ID)
	return nil
}

func isLabel(f *graph.Fact) bool { return f.Predicate == graph.PredLabel }

// fact writes a fact whose ID its caller has set (graph.FactID).
func (w *writer) fact(f *graph.Fact, source string) error {
	if f.Subject == "" || f.Predicate == "" {
		return fmt.Errorf("upsert: fact without subject or predicate: %w", graph.ErrInvalid)
	}
	if len(f.Sources) == 0 {
		n := f.Count
		if n <= 0 {
			n = 1
		}
		f.Sources = []graph.Source{{File: source, Count: n}}
	}
	fb := w.tx.Bucket(bFacts)
	old, err := getJSON[graph.Fact](fb, []byte(f.ID))
	if err != nil {
		return err
	}
	if old != nil {
		old.Sources, old.Count = graph.MergeSources(old.Sources, f.Sources)
		old.Weight = f.Weight
		old.Status = f.Status
		if err := w.putFact(fb, old); err != nil {
			return err
		}
	} else {
		f.Sources, f.Count = mergeNew(f.Sources)
		if f.ValidFrom.IsZero() {
			f.ValidFrom = w.now
		}
		if err := w.putFact(fb, f); err != nil {
			return err
		}
		if err := w.index(f); err != nil {
			return err
		}
		w.c.add("facts", 1)
		w.c.add("pred:"+f.Predicate, 1)
		if isLabel(f) && f.ValidTo.IsZero() {
			w.c.add("labels", 1)
		}
	}
	for _, src := range f.Sources {
		w.putIndex(bBySource, src.File, "f", f.ID)
	}
	return nil
}

// mergeNew is graph.MergeSources(nil, srcs), without its copy and map for
// the usual new record: one source with few enough units, which it would
// return as it is. srcs is only read.
func mergeNew(srcs []graph.Source) ([]graph.Source, int) {
	if len(srcs) == 1 && len(srcs[0].Units) <= graph.MaxSourceUnits {
		return srcs, srcs[0].Count
	}
	return graph.MergeSources(nil, srcs)
}

// index schedules a new fact's index entries.
func (w *writer) index(f *graph.Fact) error {
	w.putIndex(bSubject, f.Subject, f.ID)
	if f.Object != "" {
		w.putIndex(bObject, f.Object, f.ID)
	}
	if isLabel(f) {
		base := graph.BaseLang(f.Lang)
		w.putIndex(bLabels, base, f.Literal, f.ID)
		w.putIndex(bFolded, base, graph.Fold(f.Literal), f.ID)
	}
	return nil
}

// unindex removes a fact and its index entries.
func (w *writer) unindex(f *graph.Fact) error {
	dels := []struct {
		b []byte
		k []byte
	}{
		{bFacts, []byte(f.ID)},
		{bSubject, key(f.Subject, f.ID)},
	}
	if f.Object != "" {
		dels = append(dels, struct{ b, k []byte }{bObject, key(f.Object, f.ID)})
	}
	if isLabel(f) {
		base := graph.BaseLang(f.Lang)
		dels = append(dels,
			struct{ b, k []byte }{bLabels, key(base, f.Literal, f.ID)},
			struct{ b, k []byte }{bFolded, key(base, graph.Fold(f.Literal), f.ID)})
	}
	for _, d := range dels {
		if err := w.tx.Bucket(d.b).Delete(d.k); err != nil {
			return err
		}
	}
	w.c.add("facts", -1)
	w.c.add("pred:"+f.Predicate, -1)
	if isLabel(f) && f.ValidTo.IsZero() {
		w.c.add("labels", -1)
	}
	return nil
}

func (w *writer) segment(sg *graph.Segment, source string) error {
	if sg.ID == "" {
		return fmt.Errorf("upsert: segment without ID: %w", graph.ErrInvalid)
	}
	if len(sg.Sources) == 0 {
		sg.Sources = []graph.Source{{File: source, Count: 1}}
	}
	b := w.tx.Bucket(bSegments)
	old, err := getJSON[graph.Segment](b, []byte(sg.ID))
	if err != nil {
		return err
	}
	if old != nil {
		sg.Sources, _ = graph.MergeSources(old.Sources, sg.Sources)
	} else {
		sg.Sources, _ = mergeNew(sg.Sources)
		w.c.add("segments", 1)
	}
	if err := w.putSegment(b, sg); err != nil {
		return err
	}
	for _, src := range sg.Sources {
		w.putIndex(bBySource, src.File, "s", sg.ID)
	}
	return nil
}

// entityWithLabels reads an entity and its current labels.
func entityWithLabels(tx *bolt.Tx, id string, at time.Time) (graph.Entity, error) {
	e, err := getJSON[graph.Entity](tx.Bucket(bEntities), []byte(id))
	if err != nil {
		return graph.Entity{}, err
	}
	if e == nil {
		return graph.Entity{}, fmt.Errorf("entity %s: %w", id, graph.ErrNotFound)
	}
	e.Labels = nil
	fb := tx.Bucket(bFacts)
	err = scan(tx.Bucket(bSubject), prefix(id), func(fid []byte) error {
		raw := fb.Get(fid)
		if raw == nil {
			return nil
		}
		if pred, ok := rawPredicate(raw); ok && string(pred) != graph.PredLabel {
			return nil // not a label: not decoded
		}
		var f labelRecord
		if err := json.Unmarshal(raw, &f); err != nil {
			return fmt.Errorf("graph file is damaged: record %q: %w", fid, err)
		}
		if f.Predicate != graph.PredLabel || !(&graph.Fact{ValidFrom: f.ValidFrom, ValidTo: f.ValidTo}).Valid(at) {
			return nil
		}
		e.Labels = append(e.Labels, graph.Label{Text: f.Literal, Lang: f.Lang, Status: f.Status, Count: f.Count, Weight: f.Weight})
		return nil
	})
	graph.SortLabels(e.Labels)
	return *e, err
}

// labelRecord is what a label needs of a stored fact: decoding it leaves
// the fact's sources (with their unit lists, long for a frequent term)
// undecoded.
type labelRecord struct {
	Predicate string       `json:"predicate"`
	Literal   string       `json:"literal"`
	Lang      string       `json:"lang"`
	Status    graph.Status `json:"status"`
	Weight    float64      `json:"weight"`
	Count     int          `json:"count"`
	ValidFrom time.Time    `json:"valid_from"`
	ValidTo   time.Time    `json:"valid_to"`
}

// predicateField starts the predicate of a fact as encoding/json writes
// graph.Fact: after its ID and subject, which are IDs and hold no quote.
var predicateField = []byte(`"predicate":"`)

// rawPredicate returns the predicate of an encoded fact without decoding
// it, false when the record is not laid out as graph.Fact is written.
func rawPredicate(raw []byte) ([]byte, bool) {
	i := bytes.Index(raw, predicateField)
	if i < 0 {
		return nil, false
	}
	rest := raw[i+len(predicateField):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 || bytes.IndexByte(raw[:i], '\\') >= 0 {
		return nil, false
	}
	return rest[:j], true
}

// Entity returns an entity with its current labels.
func (s *Store) Entity(ctx context.Context, id string) (graph.Entity, error) {
	var e graph.Entity
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		e, err = entityWithLabels(tx, id, s.now())
		return err
	})
	return e, err
}

// EntitiesByLabel finds entities by a current label, in ID order.
func (s *Store) EntitiesByLabel(ctx context.Context, text, lang string, fold bool) ([]graph.Entity, error) {
	if text == "" {
		return nil, nil
	}
	at := s.now()
	var out []graph.Entity
	err := s.db.View(func(tx *bolt.Tx) error {
		idx, want := bLabels, text
		if fold {
			idx, want = bFolded, graph.Fold(text)
		}
		seen := map[string]bool{}
		var ids []string
		fb := tx.Bucket(bFacts)
		err := scan(tx.Bucket(idx), prefix(graph.BaseLang(lang), want), func(fid []byte) error {
			f, err := getJSON[graph.Fact](fb, fid)
			if err != nil || f == nil || !f.Valid(at) || !graph.LangCovers(lang, f.Lang) {
				return err
			}
			if (fold && graph.Fold(f.Literal) != want) || (!fold && f.Literal != text) {
				return nil
			}
			if !seen[f.Subject] {
				seen[f.Subject] = true
				ids = append(ids, f.Subject)
			}
			return nil
		})
		if err != nil {
			return err
		}
		sort.Strings(ids)
		for _, id := range ids {
			e, err := entityWithLabels(tx, id, at)
			if errors.Is(err, graph.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			out = append(out, e)
		}
		return nil
	})
	return out, err
}

// Facts returns the facts whose subject is the entity.
func (s *Store) Facts(ctx context.Context, entity string, q graph.FactQuery) ([]graph.Fact, error) {
	at := s.now()
	var out []graph.Fact
	err := s.db.View(func(tx *bolt.Tx) error {
		fb := tx.Bucket(bFacts)
		return scan(tx.Bucket(bSubject), prefix(entity), func(fid []byte) error {
			f, err := getJSON[graph.Fact](fb, fid)
			if err != nil || f == nil {
				return err
			}
			if q.Predicate != "" && f.Predicate != q.Predicate {
				return nil
			}
			if q.Lang != "" && (f.Object != "" || !graph.LangCovers(q.Lang, f.Lang)) {
				return nil
			}
			if !q.History && !f.Valid(at) {
				return nil
			}
			out = append(out, *f)
			return nil
		})
	})
	graph.SortFacts(out)
	if q.Limit > 0 && len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out, err
}

// Neighbours returns linked entities in both directions.
func (s *Store) Neighbours(ctx context.Context, entity string, limit int) ([]graph.Neighbour, error) {
	at := s.now()
	var out []graph.Neighbour
	err := s.db.View(func(tx *bolt.Tx) error {
		fb := tx.Bucket(bFacts)
		visit := func(idx []byte, other func(*graph.Fact) string) error {
			return scan(tx.Bucket(idx), prefix(entity), func(fid []byte) error {
				f, err := getJSON[graph.Fact](fb, fid)
				if err != nil || f == nil || f.Object == "" || !f.Valid(at) {
					return err
				}
				e, err := entityWithLabels(tx, other(f), at)
				if errors.Is(err, graph.ErrNotFound) {
					return nil
				}
				if err != nil {
					return err
				}
				out = append(out, graph.Neighbour{Entity: e, Fact: *f})
				return nil
			})
		}
		if err := visit(bSubject, func(f *graph.Fact) string { return f.Object }); err != nil {
			return err
		}
		return visit(bObject, func(f *graph.Fact) string { return f.Subject })
	})
	graph.SortNeighbours(out)
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, err
}

// Supersede closes the old fact's validity and writes the next one.
func (s *Store) Supersede(ctx context.Context, old string, next graph.Fact, source string) error {
	if source == "" {
		return fmt.Errorf("supersede: no source: %w", graph.ErrInvalid)
	}
	at := next.ValidFrom
	if at.IsZero() {
		at = s.now()
	}
	at = at.UTC()
	return s.db.Update(func(tx *bolt.Tx) error {
		w := newWriter(tx, at)
		fb := tx.Bucket(bFacts)
		of, err := getJSON[graph.Fact](fb, []byte(old))
		if err != nil {
			return err
		}
		if of == nil {
			return fmt.Errorf("supersede fact %s: %w", old, graph.ErrNotFound)
		}
		next.ID = graph.FactID(next.Subject, next.Predicate, next.Object, next.Literal, next.Lang)
		if next.ID == old {
			return fmt.Errorf("supersede fact %s by itself: %w", old, graph.ErrInvalid)
		}
		if of.ValidTo.IsZero() {
			of.ValidTo = at
			if isLabel(of) {
				w.c.add("labels", -1)
			}
			if err := putJSON(fb, []byte(old), of); err != nil {
				return err
			}
		}
		next.ValidFrom = at
		if len(next.Sources) == 0 {
			next.Sources = []graph.Source{{File: source, Count: max(next.Count, 1)}}
		}
		// A fact that was itself superseded earlier becomes current again.
		if nf, err := getJSON[graph.Fact](fb, []byte(next.ID)); err != nil {
			return err
		} else if nf != nil && !nf.ValidTo.IsZero() {
			nf.ValidTo = time.Time{}
			if isLabel(nf) {
				w.c.add("labels", 1)
			}
			if err := putJSON(fb, []byte(next.ID), nf); err != nil {
				return err
			}
		}
		if err := w.fact(&next, source); err != nil {
			return err
		}
		return w.finish()
	})
}

// DeleteSource removes what one file contributed.
func (s *Store) DeleteSource(ctx context.Context, file string) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		w := newWriter(tx, s.now())
		bs := tx.Bucket(bBySource)
		p := prefix(file)
		var keys [][]byte
		touched := map[string]bool{}
		err := scan(bs, p, func(rest []byte) error {
			keys = append(keys, append(append([]byte(nil), p...), rest...))
			kind, id, ok := bytes.Cut(rest, []byte{sep})
			if !ok {
				return nil
			}
			switch string(kind) {
			case "e":
				touched[string(id)] = true
			case "f":
				return w.dropFactSource(id, file, touched)
			case "s":
				return w.dropSegmentSource(id, file)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range keys {
			if err := bs.Delete(k); err != nil {
				return err
			}
		}
		for id := range touched {
			if err := w.collectEntity(id); err != nil {
				return err
			}
		}
		if err := tx.Bucket(bSources).Delete([]byte(file)); err != nil {
			return err
		}
		return w.finish()
	})
}

func (w *writer) dropFactSource(id []byte, file string, touched map[string]bool) error {
	fb := w.tx.Bucket(bFacts)
	f, err := getJSON[graph.Fact](fb, id)
	if err != nil || f == nil {
		return err
	}
	f.Sources, f.Count = graph.RemoveSource(f.Sources, file)
	if len(f.Sources) > 0 {
		return putJSON(fb, id, f)
	}
	touched[f.Subject] = true
	if f.Object != "" {
		touched[f.Object] = true
	}
	return w.unindex(f)
}

func (w *writer) dropSegmentSource(id []byte, file string) error {
	b := w.tx.Bucket(bSegments)
	sg, err := getJSON[graph.Segment](b, id)
	if err != nil || sg == nil {
		return err
	}
	sg.Sources, _ = graph.RemoveSource(sg.Sources, file)
	if len(sg.Sources) > 0 {
		return putJSON(b, id, sg)
	}
	w.c.add("segments", -1)
	return b.Delete(id)
}

// collectEntity deletes an entity no fact refers to any more.
func (w *writer) collectEntity(id string) error {
	eb := w.tx.Bucket(bEntities)
	if eb.Get([]byte(id)) == nil {
		return nil
	}
	p := prefix(id)
	for _, idx := range [][]byte{bSubject, bObject} {
		if k, _ := w.tx.Bucket(idx).Cursor().Seek(p); k != nil && bytes.HasPrefix(k, p) {
			return nil
		}
	}
	w.c.add("entities", -1)
	return eb.Delete([]byte(id))
}

// segmentPage is how many segments Segments reads per transaction, so that
// a slow consumer does not hold one read transaction open for the whole
// iteration.
const segmentPage = 512

// Segments calls fn for every segment in ID order.
func (s *Store) Segments(ctx context.Context, fn func(*graph.Segment) error) error {
	var after []byte
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		var page []graph.Segment
		err := s.db.View(func(tx *bolt.Tx) error {
			c := tx.Bucket(bSegments).Cursor()
			var k, v []byte
			if after == nil {
				k, v = c.First()
			} else {
				k, v = c.Seek(after)
				if k != nil && bytes.Equal(k, after) {
					k, v = c.Next()
				}
			}
			for ; k != nil && len(page) < segmentPage; k, v = c.Next() {
				var sg graph.Segment
				if err := json.Unmarshal(v, &sg); err != nil {
					return fmt.Errorf("graph file is damaged: segment %q: %w", k, err)
				}
				page = append(page, sg)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for i := range page {
			if err := fn(&page[i]); err != nil {
				return err
			}
		}
		if len(page) < segmentPage {
			return nil
		}
		after = []byte(page[len(page)-1].ID)
	}
}

// Segment returns one segment.
func (s *Store) Segment(ctx context.Context, id string) (graph.Segment, error) {
	var sg *graph.Segment
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		sg, err = getJSON[graph.Segment](tx.Bucket(bSegments), []byte(id))
		return err
	})
	if err != nil {
		return graph.Segment{}, err
	}
	if sg == nil {
		return graph.Segment{}, fmt.Errorf("segment %s: %w", id, graph.ErrNotFound)
	}
	return *sg, nil
}

// SetSourceState records a source file's state.
func (s *Store) SetSourceState(ctx context.Context, st graph.SourceState) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		return putJSON(tx.Bucket(bSources), []byte(st.File), st)
	})
}

// SourceStates returns every source file's state, by file name.
func (s *Store) SourceStates(ctx context.Context) ([]graph.SourceState, error) {
	var out []graph.SourceState
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bSources).ForEach(func(k, v []byte) error {
			var st graph.SourceState
			if err := json.Unmarshal(v, &st); err != nil {
				return fmt.Errorf("graph file is damaged: source %q: %w", k, err)
			}
			out = append(out, st)
			return nil
		})
	})
	return out, err
}

// Stats returns the stored counts.
func (s *Store) Stats(ctx context.Context) (graph.Stats, error) {
	st := graph.Stats{ByPredicate: map[string]int{}}
	err := s.db.View(func(tx *bolt.Tx) error {
		st.Segments = getCounter(tx, "segments")
		st.Entities = getCounter(tx, "entities")
		st.Facts = getCounter(tx, "facts")
		st.Labels = getCounter(tx, "labels")
		st.Sources = tx.Bucket(bSources).Stats().KeyN
		c := tx.Bucket(bCounters).Cursor()
		p := []byte("pred:")
		for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
			if n := int(binary.BigEndian.Uint64(v)); n != 0 {
				st.ByPredicate[string(k[len(p):])] = n
			}
		}
		return nil
	})
	return st, err
}

// Entities calls fn for every entity, with its current labels, in ID
// order, until fn returns an error. (It makes the store a
// retrieval.EntityLister, so that the search index can spot term-base
// concepts no segment mentions.)
func (s *Store) Entities(ctx context.Context, fn func(*graph.Entity) error) error {
	var after []byte
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		var page []graph.Entity
		at := s.now()
		err := s.db.View(func(tx *bolt.Tx) error {
			c := tx.Bucket(bEntities).Cursor()
			var k []byte
			if after == nil {
				k, _ = c.First()
			} else {
				k, _ = c.Seek(after)
				if k != nil && bytes.Equal(k, after) {
					k, _ = c.Next()
				}
			}
			for ; k != nil && len(page) < segmentPage; k, _ = c.Next() {
				e, err := entityWithLabels(tx, string(k), at)
				if err != nil {
					return err
				}
				page = append(page, e)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for i := range page {
			if err := fn(&page[i]); err != nil {
				return err
			}
		}
		if len(page) < segmentPage {
			return nil
		}
		after = []byte(page[len(page)-1].ID)
	}
}
