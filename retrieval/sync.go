package retrieval

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/kgmem/kgmem/graph"
)

// SyncSummary says what a catch-up or rebuild did.
type SyncSummary struct {
	// Rebuilt is true when the index was made anew.
	Rebuilt bool `json:"rebuilt"`
	// Changed and Removed count the source files whose segments were
	// indexed again, and those gone from the store.
	Changed int `json:"changed"`
	Removed int `json:"removed"`
	// Indexed and Deleted count segment documents written and deleted.
	Indexed int `json:"indexed"`
	Deleted int `json:"deleted"`
	// Entities counts entity documents written or deleted.
	Entities int     `json:"entities"`
	Seconds  float64 `json:"seconds"`
}

// UpToDate reports whether the catch-up found nothing to do.
func (s SyncSummary) UpToDate() bool {
	return !s.Rebuilt && s.Changed == 0 && s.Removed == 0
}

// Sync brings the index in dataDir up to date with the store: the call to
// make after writing to the store (kgmem build-graph makes it after
// ingest.Run). It is Open, CatchUp and Close.
func Sync(ctx context.Context, store graph.Store, dataDir string, opts Options) (SyncSummary, error) {
	x, err := Open(ctx, Dir(dataDir), opts)
	if err != nil {
		return SyncSummary{}, err
	}
	sum, err := x.CatchUp(ctx, store)
	if e := x.Close(); err == nil && e != nil {
		err = fmt.Errorf("close index: %w", e)
	}
	return sum, err
}

// origin names where a segment came from: its first file and unit.
func origin(sg *graph.Segment) string {
	if len(sg.Sources) == 0 {
		return ""
	}
	s := sg.Sources[0]
	if len(s.Units) == 0 {
		return s.File
	}
	u := s.Units[0]
	if len(u) > 0 && u[0] == '#' {
		return s.File + u
	}
	return s.File + "#" + u
}

// exactKey is the key of the exact-match fast path: the source text and
// its base language, hashed.
func exactKey(lang, text string) string {
	h := sha256.Sum256([]byte(graph.BaseLang(lang) + "\x00" + text))
	return hex.EncodeToString(h[:12])
}

// normKey is the key of the near-exact path: the lexical keys of the
// source (lowercased words without accelerators, numbers and placeholders
// by kind) and its base language, hashed. Texts that differ only in case,
// punctuation, numbers, placeholders or tags share it.
func normKey(lang string, p *Prepared) string {
	h := sha256.New()
	h.Write([]byte(graph.BaseLang(lang)))
	for _, k := range p.keys {
		h.Write([]byte{0})
		h.Write([]byte(k))
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// segmentDoc returns the TM document of a segment.
func segmentDoc(sg *graph.Segment) map[string]any {
	p := Prepare(sg.Source)
	files := make([]string, len(sg.Sources))
	for i, s := range sg.Sources {
		files[i] = s.File
	}
	rec := record{Source: sg.Source, Target: sg.Target, SourceLang: sg.SourceLang, TargetLang: sg.TargetLang,
		Prev: sg.Prev, Next: sg.Next, Status: sg.Status, Domain: sg.Domain, Changed: sg.Changed, Origin: origin(sg)}
	return map[string]any{
		fSource + fieldLang(sg.SourceLang): p.searchText(),
		wordsField(bucketOf(len(p.keys))):  p.keyText(),
		fAllWords:                          p.keyText(),
		fNorm:                              normKey(sg.SourceLang, p),
		fTarget + fieldLang(sg.TargetLang): sg.Target,
		fSourceLang:                        graph.BaseLang(sg.SourceLang),
		fTargetLang:                        graph.BaseLang(sg.TargetLang),
		fHash:                              exactKey(sg.SourceLang, sg.Source),
		fFile:                              files,
		fData:                              rec.encode(),
	}
}

// pairSet collects the language pairs of the segments indexed.
type pairSet map[string]map[string]bool

func (p pairSet) add(sg *graph.Segment) {
	s, t := graph.BaseLang(sg.SourceLang), graph.BaseLang(sg.TargetLang)
	if p[s] == nil {
		p[s] = map[string]bool{}
	}
	p[s][t] = true
}

func (p pairSet) merge(m map[string][]string) {
	for s, ts := range m {
		for _, t := range ts {
			if p[s] == nil {
				p[s] = map[string]bool{}
			}
			p[s][t] = true
		}
	}
}

func (p pairSet) list() map[string][]string {
	out := map[string][]string{}
	for s, ts := range p {
		out[s] = sortedKeys(ts)
	}
	return out
}

// sameState reports whether the index holds a source as the store has it
// now. Updated changes on every write of the file, so a file written
// again with the same content is indexed again too.
func sameState(a, b graph.SourceState) bool {
	return a.Hash == b.Hash && a.Complete == b.Complete && a.Units == b.Units && a.Updated.Equal(b.Updated)
}

// CatchUp brings the index up to date with the store. It compares the
// store's source states with those the index was last brought up to date
// with, and indexes again the segments of every source file that changed,
// deletes the documents nothing in the store holds any more, and refreshes
// the entity labels. A new index, one of another format or shard count,
// or a change to most of the store, is rebuilt instead (Rebuild).
func (x *Index) CatchUp(ctx context.Context, store graph.Store) (SyncSummary, error) {
	start := time.Now()
	x.wmu.Lock()
	defer x.wmu.Unlock()
	states, err := store.SourceStates(ctx)
	if err != nil {
		return SyncSummary{}, fmt.Errorf("read source states: %w", err)
	}
	want := x.opts.Shards
	if want <= 0 {
		want = max(x.man.Shards, 1)
	}
	if x.tm == nil || x.man.Shards != want {
		return x.rebuild(ctx, store, states, start)
	}
	now := map[string]graph.SourceState{}
	changed := map[string]bool{}
	total, changedUnits := 0, 0
	for _, s := range states {
		now[s.File] = s
		total += s.Units
		if old, ok := x.man.Sources[s.File]; !ok || !sameState(old, s) {
			changed[s.File] = true
			changedUnits += s.Units
		}
	}
	var removed []string
	for f := range x.man.Sources {
		if _, ok := now[f]; !ok {
			removed = append(removed, f)
		}
	}
	if len(changed) == 0 && len(removed) == 0 {
		return SyncSummary{Seconds: time.Since(start).Seconds()}, nil
	}
	if total > 0 && 2*changedUnits > total {
		return x.rebuild(ctx, store, states, start)
	}
	sum := SyncSummary{Changed: len(changed), Removed: len(removed)}
	x.opts.Log("bringing the search index up to date: %d source files changed, %d removed", len(changed), len(removed))

	// The documents of the files concerned, as the index has them.
	affected := make([]string, 0, len(changed)+len(removed))
	affected = append(affected, sortedKeys(changed)...)
	affected = append(affected, removed...)
	old, err := x.docsOfFiles(ctx, affected)
	if err != nil {
		return sum, err
	}

	// Write every segment of a changed file, and every segment that was
	// indexed under an affected file (its list of files changed).
	x.opts.Progress.Phase("indexing", 0)
	w := newShardWriter(x.shards)
	pairs := pairSet{}
	pairs.merge(x.man.Pairs)
	mentioned := map[string]bool{}
	seen := map[string]bool{}
	err = store.Segments(ctx, func(sg *graph.Segment) error {
		for _, m := range sg.Mentions {
			mentioned[m.Entity] = true
		}
		hit := old[sg.ID]
		for _, s := range sg.Sources {
			if changed[s.File] {
				hit = true
				break
			}
		}
		if !hit {
			return nil
		}
		seen[sg.ID] = true
		pairs.add(sg)
		sum.Indexed++
		x.opts.Progress.Add(1)
		return w.index(sg)
	})
	if err != nil {
		return sum, fmt.Errorf("read segments: %w", err)
	}
	for id := range old {
		if !seen[id] {
			sum.Deleted++
			w.delete(id)
		}
	}
	if err := w.flush(); err != nil {
		return sum, err
	}

	n, err := x.refreshEntities(ctx, store, mentioned)
	if err != nil {
		return sum, err
	}
	sum.Entities = n
	man := x.man
	man.Sources = now
	man.Pairs = pairs.list()
	man.Entities = x.table.len()
	if err := x.writeManifest(man); err != nil {
		return sum, err
	}
	x.publish(man)
	sum.Seconds = time.Since(start).Seconds()
	return sum, nil
}

// publish makes man the index's manifest. x.wmu is held.
func (x *Index) publish(man manifest) {
	x.mu.Lock()
	x.man = man
	x.mu.Unlock()
}

// docsOfFiles returns the IDs of the TM documents indexed under any of
// the files.
func (x *Index) docsOfFiles(ctx context.Context, files []string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(files) == 0 {
		return out, nil
	}
	qs := make([]query.Query, len(files))
	for i, f := range files {
		t := bleve.NewTermQuery(f)
		t.SetField(fFile)
		qs[i] = t
	}
	q := bleve.NewDisjunctionQuery(qs...)
	const page = 10000
	for _, s := range x.shards {
		var after []string
		for {
			req := bleve.NewSearchRequestOptions(q, page, 0, false)
			req.SortBy([]string{"_id"})
			if after != nil {
				req.SearchAfter = after
			}
			res, err := s.SearchInContext(ctx, req)
			if err != nil {
				return nil, fmt.Errorf("search the index: %w", err)
			}
			for _, h := range res.Hits {
				out[h.ID] = true
			}
			if len(res.Hits) < page {
				break
			}
			after = []string{res.Hits[len(res.Hits)-1].ID}
		}
	}
	return out, nil
}

// shardWriter writes documents to the shards in batches. Batches are
// durable when Batch returns (Bleve's default, safe batches).
type shardWriter struct {
	shards  []bleve.Index
	batches []*bleve.Batch
}

const batchDocs = 2000

func newShardWriter(shards []bleve.Index) *shardWriter {
	w := &shardWriter{shards: shards}
	for _, s := range shards {
		w.batches = append(w.batches, s.NewBatch())
	}
	return w
}

func (w *shardWriter) index(sg *graph.Segment) error {
	i := shardOf(sg.ID, len(w.shards))
	if err := w.batches[i].Index(sg.ID, segmentDoc(sg)); err != nil {
		return fmt.Errorf("index segment %s: %w", sg.ID, err)
	}
	return w.maybeFlush(i)
}

func (w *shardWriter) delete(id string) {
	i := shardOf(id, len(w.shards))
	w.batches[i].Delete(id)
	w.maybeFlush(i)
}

func (w *shardWriter) maybeFlush(i int) error {
	if w.batches[i].Size() < batchDocs {
		return nil
	}
	return w.flushShard(i)
}

func (w *shardWriter) flushShard(i int) error {
	b := w.batches[i]
	if b.Size() == 0 {
		return nil
	}
	if err := w.shards[i].Batch(b); err != nil {
		return fmt.Errorf("write index shard %d: %w", i, err)
	}
	// A new batch, not b.Reset(): Bleve's analysis goroutine may still be
	// ranging over b's map when Batch returns.
	w.batches[i] = w.shards[i].NewBatch()
	return nil
}

func (w *shardWriter) flush() error {
	for i := range w.batches {
		if err := w.flushShard(i); err != nil {
			return err
		}
	}
	return nil
}

// Rebuild makes the index anew from the store: every segment and entity,
// in a new generation directory that replaces the current one when it is
// complete. Searches go on against the current generation meanwhile.
func (x *Index) Rebuild(ctx context.Context, store graph.Store) (SyncSummary, error) {
	start := time.Now()
	x.wmu.Lock()
	defer x.wmu.Unlock()
	states, err := store.SourceStates(ctx)
	if err != nil {
		return SyncSummary{}, fmt.Errorf("read source states: %w", err)
	}
	return x.rebuild(ctx, store, states, start)
}

// rebuild builds a new generation. states must have been read before the
// segments are: a write to the store during the rebuild then shows as a
// changed state at the next catch-up. x.wmu is held; x.mu is taken to
// put the new generation in place of the old one.
func (x *Index) rebuild(ctx context.Context, store graph.Store, states []graph.SourceState, start time.Time) (SyncSummary, error) {
	shards := x.opts.Shards
	if shards <= 0 {
		shards = x.man.Shards
	}
	if shards <= 0 {
		st, err := store.Stats(ctx)
		if err != nil {
			return SyncSummary{}, fmt.Errorf("rebuild index: %w", err)
		}
		shards = autoShards(st.Segments)
	}
	gen := x.man.Generation + 1
	gd := x.genDir(gen)
	if err := os.RemoveAll(gd); err != nil {
		return SyncSummary{}, fmt.Errorf("rebuild index: %w", err)
	}
	if err := os.MkdirAll(gd, 0o755); err != nil {
		return SyncSummary{}, fmt.Errorf("rebuild index: %w", err)
	}
	fail := func(err error) (SyncSummary, error) {
		os.RemoveAll(gd)
		return SyncSummary{}, err
	}
	x.opts.Log("building the search index (%d shards)", shards)
	builders := make([]*builder, shards)
	for i := range builders {
		builders[i] = newBuilder(filepath.Join(gd, shardName(i)), tmMapping(), gd)
	}
	sum := SyncSummary{Rebuilt: true, Changed: len(states)}
	pairs := pairSet{}
	mentioned := map[string]bool{}
	x.opts.Progress.Phase("indexing", 0)
	err := store.Segments(ctx, func(sg *graph.Segment) error {
		for _, m := range sg.Mentions {
			mentioned[m.Entity] = true
		}
		pairs.add(sg)
		sum.Indexed++
		if sum.Indexed%1024 == 0 {
			x.opts.Progress.Add(1024)
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		return builders[shardOf(sg.ID, shards)].Index(sg.ID, segmentDoc(sg))
	})
	x.opts.Progress.Phase("merging", 0)
	for _, b := range builders {
		if e := b.Close(); err == nil && e != nil {
			err = e
		}
	}
	if err != nil {
		return fail(fmt.Errorf("rebuild index: %w", err))
	}
	recs, err := collectEntities(ctx, store, mentioned)
	if err != nil {
		return fail(err)
	}
	if err := buildEntityIndex(filepath.Join(gd, "entities"), recs, gd); err != nil {
		return fail(err)
	}
	if err := writeEntityTableFile(gd, 0, recs); err != nil {
		return fail(err)
	}
	sum.Entities = len(recs)

	// Commit: the manifest names the new generation.
	man := manifest{Generation: gen, Shards: shards, Sources: map[string]graph.SourceState{}, Pairs: pairs.list(), Entities: len(recs)}
	for _, s := range states {
		man.Sources[s.File] = s
	}
	oldGen := x.man.Generation
	hadOld := x.tm != nil
	if err := x.writeManifest(man); err != nil {
		return fail(err)
	}
	x.mu.Lock()
	x.closeIndexes()
	err = x.openGeneration(man)
	x.mu.Unlock()
	if err != nil {
		return sum, err
	}
	if hadOld {
		os.RemoveAll(x.genDir(oldGen))
	}
	sum.Seconds = time.Since(start).Seconds()
	return sum, nil
}

// builder builds a new Bleve index offline (bleve.Builder, much faster
// than batches for a whole index). Bleve's builder cannot close without
// documents, so an empty index is created the ordinary way instead.
type builder struct {
	path, tmp string
	m         mapping.IndexMapping
	b         bleve.Builder
}

func newBuilder(path string, m mapping.IndexMapping, tmp string) *builder {
	return &builder{path: path, m: m, tmp: tmp}
}

func (b *builder) Index(id string, doc any) error {
	if b.b == nil {
		bb, err := bleve.NewBuilder(b.path, b.m, map[string]any{"buildPathPrefix": b.tmp, "batchSize": 5000})
		if err != nil {
			return err
		}
		b.b = bb
	}
	return b.b.Index(id, doc)
}

func (b *builder) Close() error {
	if b.b != nil {
		return b.b.Close()
	}
	idx, err := bleve.New(b.path, b.m)
	if err != nil {
		return err
	}
	return idx.Close()
}

// autoShards is the number of shards of a new index when none is asked
// for: one up to 300,000 segments, beyond that one per core (at least 2,
// at most 4), so that a lookup in a large memory uses every core.
func autoShards(segments int) int {
	if segments < 300_000 {
		return 1
	}
	return min(max(runtime.NumCPU(), 2), 4)
}

// CatchUpSegments brings the index up to date after a small write whose
// segments are known, such as a learned pair (kgmem learn): ids are the
// segments written. When the only change to the store since the index was
// last brought up to date is new source files that hold exactly those
// segments, it indexes them and reads again only the entities they
// mention, instead of reading the whole store; otherwise it is CatchUp.
// A crash between the store write and this call leaves the sources
// unrecorded, so the next catch-up of any kind indexes them.
func (x *Index) CatchUpSegments(ctx context.Context, store graph.Store, ids []string) (SyncSummary, error) {
	start := time.Now()
	sum, ok, err := x.catchUpSegments(ctx, store, ids, start)
	if err != nil || ok {
		return sum, err
	}
	return x.CatchUp(ctx, store)
}

// catchUpSegments is CatchUpSegments' fast path; ok is false when it does
// not apply and nothing was written.
func (x *Index) catchUpSegments(ctx context.Context, store graph.Store, ids []string, start time.Time) (SyncSummary, bool, error) {
	x.wmu.Lock()
	defer x.wmu.Unlock()
	if x.tm == nil || x.opts.Shards > 0 && x.man.Shards != x.opts.Shards || len(ids) == 0 {
		return SyncSummary{}, false, nil
	}
	states, err := store.SourceStates(ctx)
	if err != nil {
		return SyncSummary{}, false, fmt.Errorf("read source states: %w", err)
	}
	changed := map[string]graph.SourceState{}
	units := 0
	for _, s := range states {
		old, known := x.man.Sources[s.File]
		switch {
		case known && sameState(old, s):
		case known: // a file written again: its old documents may go
			return SyncSummary{}, false, nil
		default:
			changed[s.File] = s
			units += s.Units
		}
	}
	if len(states) < len(x.man.Sources) || units != len(ids) || len(changed) == 0 {
		return SyncSummary{}, false, nil // removed files, or segments not named
	}
	segs := make([]graph.Segment, 0, len(ids))
	for _, id := range ids {
		sg, err := store.Segment(ctx, id)
		if errors.Is(err, graph.ErrNotFound) {
			return SyncSummary{}, false, nil
		}
		if err != nil {
			return SyncSummary{}, false, fmt.Errorf("read segment %s: %w", id, err)
		}
		in := false
		for _, s := range sg.Sources {
			_, c := changed[s.File]
			in = in || c
		}
		if !in {
			return SyncSummary{}, false, nil
		}
		segs = append(segs, sg)
	}

	sum := SyncSummary{Changed: len(changed)}
	w := newShardWriter(x.shards)
	pairs := pairSet{}
	pairs.merge(x.man.Pairs)
	mentioned := map[string]bool{}
	for i := range segs {
		for _, m := range segs[i].Mentions {
			mentioned[m.Entity] = true
		}
		pairs.add(&segs[i])
		if err := w.index(&segs[i]); err != nil {
			return sum, true, err
		}
		sum.Indexed++
	}
	if err := w.flush(); err != nil {
		return sum, true, err
	}
	n, err := x.updateEntities(ctx, store, mentioned)
	if err != nil {
		return sum, true, err
	}
	sum.Entities = n
	man := x.man
	man.Sources = make(map[string]graph.SourceState, len(x.man.Sources)+len(changed))
	maps.Copy(man.Sources, x.man.Sources)
	maps.Copy(man.Sources, changed)
	man.Pairs = pairs.list()
	man.Entities = x.table.len()
	if err := x.writeManifest(man); err != nil {
		return sum, true, err
	}
	x.publish(man)
	sum.Seconds = time.Since(start).Seconds()
	return sum, true, nil
}
