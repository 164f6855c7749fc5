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
	"sort"
	"sync"
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

// segmentDoc returns the TM document of a segment. The lexical keys go in
// their length bucket's field only: the field of all lengths (fAllWords)
// is no longer read, and indexing the keys twice cost about a tenth of a
// rebuild (108k segments: 36–38 CPU seconds with it, 31–34 without).
func segmentDoc(sg *graph.Segment) map[string]any {
	p := Prepare(sg.Source)
	files := make([]string, len(sg.Sources))
	for i, s := range sg.Sources {
		files[i] = s.File
	}
	rec := record{Source: sg.Source, Target: sg.Target, SourceLang: sg.SourceLang, TargetLang: sg.TargetLang,
		Prev: sg.Prev, Next: sg.Next, Status: sg.Status, Domain: sg.Domain, Changed: sg.Changed, Origin: origin(sg), Context: sg.Context}
	return map[string]any{
		fSource + fieldLang(sg.SourceLang): p.searchText(),
		wordsField(bucketOf(len(p.keys))):  p.keyText(),
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
	return x.catchUp(ctx, store, start)
}

// catchUp is CatchUp with x.wmu held.
func (x *Index) catchUp(ctx context.Context, store graph.Store, start time.Time) (SyncSummary, error) {
	states, err := store.SourceStates(ctx)
	if err != nil {
		return SyncSummary{}, fmt.Errorf("read source states: %w", err)
	}
	if x.tm == nil || x.man.Shards != x.wantShards() {
		return x.rebuild(ctx, store, states, start)
	}
	d := x.compareSources(states)
	if d.inStep() {
		return SyncSummary{Seconds: time.Since(start).Seconds()}, nil
	}
	if d.total > 0 && 2*d.changedUnits > d.total {
		return x.rebuild(ctx, store, states, start)
	}
	sum := SyncSummary{Changed: len(d.changed), Removed: len(d.removed)}
	x.opts.Log.Info("bringing the search index up to date", "changed files", len(d.changed), "removed files", len(d.removed))
	up := x.newUpdate()
	if err := x.indexChangedFiles(ctx, store, d, up, &sum); err != nil {
		return sum, err
	}
	if err := x.commitUpdate(ctx, store, up, d.now, nil, &sum); err != nil {
		return sum, err
	}
	sum.Seconds = time.Since(start).Seconds()
	return sum, nil
}

// wantShards is the shard count the index should have: the option, else
// what it has (1 for a new index).
func (x *Index) wantShards() int {
	if x.opts.Shards > 0 {
		return x.opts.Shards
	}
	return max(x.man.Shards, 1)
}

// sourceDiff is how the store's source states differ from the manifest's.
type sourceDiff struct {
	now                 map[string]graph.SourceState
	changed             map[string]bool
	removed             []string
	total, changedUnits int
}

// inStep reports whether the index holds the store as it is.
func (d sourceDiff) inStep() bool { return len(d.changed) == 0 && len(d.removed) == 0 }

// compareSources compares the store's source states with the manifest's.
func (x *Index) compareSources(states []graph.SourceState) sourceDiff {
	d := sourceDiff{now: map[string]graph.SourceState{}, changed: map[string]bool{}}
	for _, s := range states {
		d.now[s.File] = s
		d.total += s.Units
		if old, ok := x.man.Sources[s.File]; !ok || !sameState(old, s) {
			d.changed[s.File] = true
			d.changedUnits += s.Units
		}
	}
	for f := range x.man.Sources {
		if _, ok := d.now[f]; !ok {
			d.removed = append(d.removed, f)
		}
	}
	sort.Strings(d.removed)
	return d
}

// update is an incremental change to the current generation: documents
// written, language pairs and mentioned entities seen.
type update struct {
	w         *shardWriter
	pairs     pairSet
	mentioned map[string]bool
	maxDoc    int // the largest text indexed, in bytes
}

func (x *Index) newUpdate() *update {
	up := &update{w: newShardWriter(x.shards), pairs: pairSet{}, mentioned: map[string]bool{}}
	up.pairs.merge(x.man.Pairs)
	return up
}

// index writes one segment's document.
func (up *update) index(sg *graph.Segment) error {
	for _, m := range sg.Mentions {
		up.mentioned[m.Entity] = true
	}
	up.pairs.add(sg)
	up.maxDoc = max(up.maxDoc, len(sg.Source)+len(sg.Target))
	return up.w.index(sg)
}

// indexChangedFiles indexes again every segment of a changed file, and
// every segment that was indexed under a changed or removed file (its
// list of files changed), and deletes the documents of those the store no
// longer has. It reads every segment of the store.
func (x *Index) indexChangedFiles(ctx context.Context, store graph.Store, d sourceDiff, up *update, sum *SyncSummary) error {
	affected := append(sortedKeys(d.changed), d.removed...)
	old, err := x.docsOfFiles(ctx, affected)
	if err != nil {
		return err
	}
	x.opts.Progress.Phase("indexing", 0)
	seen := map[string]bool{}
	err = store.Segments(ctx, func(sg *graph.Segment) error {
		for _, m := range sg.Mentions {
			up.mentioned[m.Entity] = true
		}
		hit := old[sg.ID]
		for _, s := range sg.Sources {
			if d.changed[s.File] {
				hit = true
				break
			}
		}
		if !hit {
			return nil
		}
		seen[sg.ID] = true
		sum.Indexed++
		x.opts.Progress.Add(1)
		return up.index(sg)
	})
	if err != nil {
		return fmt.Errorf("read segments: %w", err)
	}
	for _, id := range sortedKeys(old) {
		if !seen[id] {
			sum.Deleted++
			if err := up.w.delete(id); err != nil {
				return err
			}
		}
	}
	return nil
}

// commitUpdate ends an incremental change: it flushes the documents,
// refreshes the entities (those of touched only, when not nil: the change
// deleted none), and writes the manifest with the source states now.
func (x *Index) commitUpdate(ctx context.Context, store graph.Store, up *update, now map[string]graph.SourceState, touched map[string]bool, sum *SyncSummary) error {
	if err := up.w.flush(); err != nil {
		return err
	}
	dropBuilderEstimates(up.maxDoc)
	var n int
	var err error
	if touched == nil {
		n, err = x.refreshEntities(ctx, store, up.mentioned)
	} else {
		n, err = x.updateEntities(ctx, store, touched)
	}
	if err != nil {
		return err
	}
	sum.Entities = n
	man := x.man
	man.Sources = now
	man.Pairs = up.pairs.list()
	man.Entities = x.table.len()
	if err := x.writeManifest(man); err != nil {
		return err
	}
	x.publish(man)
	return nil
}

// publish makes man the index's manifest. x.wmu is held.
func (x *Index) publish(man manifest) {
	x.mu.Lock()
	x.man = man
	x.mu.Unlock()
}

// dropBuilderEstimates works around Bleve's segment encoder (zapx), which
// sizes the buffer of each new segment from the bytes per document of the
// last segment encoded by any index in the process: after a segment of a
// few very long documents (a whole manual in one unit), the next segment
// of thousands of short ones reserves gigabytes. The encoders live in a
// sync.Pool, which two garbage collections empty; a new encoder has no
// estimate. Only needed after a document of more than 64 KiB (bigDocs).
func dropBuilderEstimates(maxDoc int) {
	if bigDocs(maxDoc) {
		runtime.GC()
		runtime.GC()
	}
}

// bigDocs reports whether documents of maxDoc bytes call for
// dropBuilderEstimates.
func bigDocs(maxDoc int) bool { return maxDoc > 64<<10 }

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

func (w *shardWriter) delete(id string) error {
	i := shardOf(id, len(w.shards))
	w.batches[i].Delete(id)
	return w.maybeFlush(i)
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
// changed state at the next catch-up. x.mu is held.
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
	g, err := x.newGeneration(shards)
	if err != nil {
		return SyncSummary{}, err
	}
	sum := SyncSummary{Rebuilt: true, Changed: len(states)}
	x.opts.Progress.Phase("indexing", 0)
	err = store.Segments(ctx, func(sg *graph.Segment) error {
		sum.Indexed++
		if sum.Indexed%1024 == 0 {
			x.opts.Progress.Add(1024)
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		return g.index(sg)
	})
	if err != nil {
		g.abandon()
		return SyncSummary{}, fmt.Errorf("rebuild index: %w", err)
	}
	now := map[string]graph.SourceState{}
	for _, s := range states {
		now[s.File] = s
	}
	if sum.Entities, err = x.commitGeneration(ctx, store, g, now); err != nil {
		return SyncSummary{}, err
	}
	sum.Seconds = time.Since(start).Seconds()
	return sum, nil
}

// generation is a new generation being built, with Bleve's offline
// builder, beside the current one.
//
// With more than one shard, each shard's builder indexes on a goroutine of
// its own (Bleve's builder analyses and writes on the caller's), fed by
// index: a build's search index then uses as many cores as it has shards.
type generation struct {
	gen, shards int
	dir         string
	builders    []*builder
	pairs       pairSet
	mentioned   map[string]bool
	maxDoc      int
	replaced    map[string]graph.Segment // segments indexed whose sources changed since

	feeds   []chan graph.Segment // one per shard, when shards > 1
	feeding sync.WaitGroup
	mu      sync.Mutex
	err     error // the first error of a shard's goroutine
}

// shardFeed is how many segments may wait for a shard's goroutine.
const shardFeed = 512

// newGeneration makes the directory of the next generation.
func (x *Index) newGeneration(shards int) (*generation, error) {
	g := &generation{gen: x.man.Generation + 1, shards: shards, pairs: pairSet{}, mentioned: map[string]bool{}}
	g.dir = x.genDir(g.gen)
	if err := os.RemoveAll(g.dir); err != nil {
		return nil, fmt.Errorf("rebuild index: %w", err)
	}
	if err := os.MkdirAll(g.dir, 0o755); err != nil {
		return nil, fmt.Errorf("rebuild index: %w", err)
	}
	x.opts.Log.Info("building the search index", "shards", shards)
	g.builders = make([]*builder, shards)
	for i := range g.builders {
		g.builders[i] = newBuilder(filepath.Join(g.dir, shardName(i)), tmMapping(), g.dir)
	}
	if shards > 1 {
		g.feeds = make([]chan graph.Segment, shards)
		for i := range g.feeds {
			ch := make(chan graph.Segment, shardFeed)
			g.feeds[i] = ch
			b := g.builders[i]
			g.feeding.Go(func() {
				for sg := range ch {
					if g.failed() != nil {
						continue // drain: index returns the error
					}
					if err := b.Index(sg.ID, segmentDoc(&sg)); err != nil {
						g.fail(err)
					}
				}
			})
		}
	}
	return g, nil
}

func (g *generation) fail(err error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.err == nil {
		g.err = err
	}
}

func (g *generation) failed() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.err
}

// index adds a segment's document to the generation.
func (g *generation) index(sg *graph.Segment) error {
	for _, m := range sg.Mentions {
		g.mentioned[m.Entity] = true
	}
	g.pairs.add(sg)
	g.maxDoc = max(g.maxDoc, len(sg.Source)+len(sg.Target))
	i := shardOf(sg.ID, g.shards)
	if g.feeds == nil {
		return g.builders[i].Index(sg.ID, segmentDoc(sg))
	}
	if err := g.failed(); err != nil {
		return err
	}
	g.feeds[i] <- *sg
	return nil
}

// replace notes the last form of a segment already indexed: the builder
// cannot replace a document, so close does, once the builder is done.
func (g *generation) replace(sg *graph.Segment) {
	if g.replaced == nil {
		g.replaced = map[string]graph.Segment{}
	}
	for _, m := range sg.Mentions {
		g.mentioned[m.Entity] = true
	}
	g.pairs.add(sg)
	g.replaced[sg.ID] = *sg
}

// close finishes the builders (the shards' at once: each merges its
// segments), then writes the segments replaced.
func (g *generation) close() error {
	for _, ch := range g.feeds {
		close(ch)
	}
	g.feeds = nil
	g.feeding.Wait()
	var wg sync.WaitGroup
	for _, b := range g.builders {
		wg.Go(func() {
			if err := b.Close(); err != nil {
				g.fail(err)
			}
		})
	}
	wg.Wait()
	g.builders = nil
	err := g.failed()
	if err != nil || len(g.replaced) == 0 {
		return err
	}
	shards := make([]bleve.Index, g.shards)
	defer func() {
		for _, s := range shards {
			if s != nil {
				s.Close()
			}
		}
	}()
	for i := range shards {
		if shards[i], err = bleve.Open(filepath.Join(g.dir, shardName(i))); err != nil {
			return fmt.Errorf("open index shard %d: %w", i, err)
		}
	}
	w := newShardWriter(shards)
	for _, id := range sortedKeys(g.replaced) {
		sg := g.replaced[id]
		if err := w.index(&sg); err != nil {
			return err
		}
	}
	return w.flush()
}

// abandon drops a generation that will not be committed.
func (g *generation) abandon() {
	g.close()
	os.RemoveAll(g.dir)
}

// commitGeneration finishes a new generation: the translation memory, the
// entities the store has now, the table; then the manifest that names it,
// with the source states now; then the old generation goes. It returns
// how many entities it indexed.
func (x *Index) commitGeneration(ctx context.Context, store graph.Store, g *generation, now map[string]graph.SourceState) (int, error) {
	x.opts.Progress.Phase("merging", 0)
	// The segment shards merge while the entity index is built: neither
	// reads the other, and each is mostly one core's work. After very long
	// documents the encoders' estimates go first (dropBuilderEstimates).
	closed := make(chan error, 1)
	if bigDocs(g.maxDoc) {
		closed <- g.close()
		dropBuilderEstimates(g.maxDoc)
	} else {
		go func() { closed <- g.close() }()
	}
	recs, err := collectEntities(ctx, store, g.mentioned)
	if err == nil {
		err = buildEntityIndex(filepath.Join(g.dir, "entities"), recs, g.dir)
	}
	if err == nil {
		err = writeEntityTableFile(g.dir, 0, recs)
	}
	if closeErr := <-closed; closeErr != nil {
		g.abandon()
		return 0, fmt.Errorf("rebuild index: %w", closeErr)
	}
	if err != nil {
		g.abandon()
		return 0, err
	}
	man := manifest{Generation: g.gen, Shards: g.shards, Sources: now, Pairs: g.pairs.list(), Entities: len(recs)}
	oldGen := x.man.Generation
	hadOld := x.tm != nil
	if err := x.writeManifest(man); err != nil {
		g.abandon()
		return 0, err
	}
	x.mu.Lock()
	x.closeIndexes()
	err = x.openGeneration(man)
	x.mu.Unlock()
	if err != nil {
		return len(recs), err
	}
	if hadOld {
		os.RemoveAll(x.genDir(oldGen))
	}
	return len(recs), nil
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
	changed, ok, err := x.newSourcesOnly(ctx, store, len(ids))
	if err != nil || !ok {
		return SyncSummary{}, false, err
	}
	segs, ok, err := readNewSegments(ctx, store, ids, changed)
	if err != nil || !ok {
		return SyncSummary{}, false, err
	}
	sum := SyncSummary{Changed: len(changed)}
	up := x.newUpdate()
	for i := range segs {
		if err := up.index(&segs[i]); err != nil {
			return sum, true, err
		}
		sum.Indexed++
	}
	now := make(map[string]graph.SourceState, len(x.man.Sources)+len(changed))
	maps.Copy(now, x.man.Sources)
	maps.Copy(now, changed)
	if err := x.commitUpdate(ctx, store, up, now, up.mentioned, &sum); err != nil {
		return sum, true, err
	}
	sum.Seconds = time.Since(start).Seconds()
	return sum, true, nil
}

// newSourcesOnly returns the sources the store has that the index has
// not seen, when they are the only change and hold units units; ok is
// false otherwise.
func (x *Index) newSourcesOnly(ctx context.Context, store graph.Store, units int) (map[string]graph.SourceState, bool, error) {
	states, err := store.SourceStates(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("read source states: %w", err)
	}
	changed := map[string]graph.SourceState{}
	n := 0
	for _, s := range states {
		old, known := x.man.Sources[s.File]
		switch {
		case known && sameState(old, s):
		case known: // a file written again: its old documents may go
			return nil, false, nil
		default:
			changed[s.File] = s
			n += s.Units
		}
	}
	if len(states) < len(x.man.Sources) || n != units || len(changed) == 0 {
		return nil, false, nil // removed files, or segments not named
	}
	return changed, true, nil
}

// readNewSegments reads the segments ids, which must all come from the
// changed sources; ok is false otherwise.
func readNewSegments(ctx context.Context, store graph.Store, ids []string, changed map[string]graph.SourceState) ([]graph.Segment, bool, error) {
	segs := make([]graph.Segment, 0, len(ids))
	for _, id := range ids {
		sg, err := store.Segment(ctx, id)
		if errors.Is(err, graph.ErrNotFound) {
			return nil, false, nil
		}
		if err != nil {
			return nil, false, fmt.Errorf("read segment %s: %w", id, err)
		}
		in := false
		for _, s := range sg.Sources {
			_, c := changed[s.File]
			in = in || c
		}
		if !in {
			return nil, false, nil
		}
		segs = append(segs, sg)
	}
	return segs, true, nil
}

// Follower brings an index up to date with a build while the build writes
// the store (ingest.Options.Index): the segments are indexed from the
// batches as they are written, on a goroutine of its own, so that indexing
// runs beside the build instead of reading the store back when the build
// is over. It is made by Follow before the build and finished by Finish
// after it; its methods are safe for concurrent use.
//
// A build that starts from a store the index holds nothing of is indexed
// into a new generation (as Rebuild would); one that writes files to a
// store the index is in step with, into the current generation (as
// CatchUp would). Otherwise the follower does nothing until Finish, which
// is then CatchUp. Nothing the follower writes is used before Finish
// writes the manifest, so a build that fails or is killed leaves the index
// as it was, to be caught up.
type Follower struct {
	x     *Index
	store graph.Store
	start time.Time

	mu       sync.Mutex
	mode     followMode
	before   map[string]graph.SourceState // the store's states at Begin
	done     map[string]graph.SourceState // the files written whole
	writing  []string
	queue    chan written  // batches written, to index
	indexed  chan struct{} // closed when the queue is indexed
	err      error         // the first error indexing
	finished bool

	// Owned by the indexing goroutine until indexed is closed.
	gen     *generation     // followFresh
	up      *update         // followIncremental
	old     map[string]bool // followIncremental: documents of files written before
	touched map[string]bool // entities whose labels the build wrote; nil: refresh all
	sum     SyncSummary
}

type followMode int

const (
	followOff followMode = iota
	followFresh
	followIncremental
)

// followQueue is how many written batches may wait to be indexed.
const followQueue = 2

// Follow returns a follower of a build into store.
func (x *Index) Follow(store graph.Store) *Follower {
	return &Follower{x: x, store: store, start: time.Now(), done: map[string]graph.SourceState{}, touched: map[string]bool{}}
}

// Begin is told the files the build will write and how many units it
// read, and decides how to follow it.
func (f *Follower) Begin(ctx context.Context, files []string, units int) error {
	x := f.x
	x.wmu.Lock()
	defer x.wmu.Unlock()
	f.mu.Lock()
	defer f.mu.Unlock()
	states, err := f.store.SourceStates(ctx)
	if err != nil {
		return fmt.Errorf("read source states: %w", err)
	}
	f.before = map[string]graph.SourceState{}
	for _, s := range states {
		f.before[s.File] = s
	}
	f.writing = files
	switch {
	case x.tm == nil && f.onlyWriting():
		err = f.beginFresh(units)
	case x.tm != nil && x.man.Shards == x.wantShards() && x.compareSources(states).inStep():
		err = f.beginIncremental(ctx)
	default:
		return nil // Finish catches up
	}
	if err != nil {
		return err
	}
	f.queue = make(chan written, followQueue)
	f.indexed = make(chan struct{})
	go f.indexQueue(f.queue)
	return nil
}

// beginFresh starts a new generation for a build into a store the index
// holds nothing of.
func (f *Follower) beginFresh(units int) error {
	shards := f.x.opts.Shards
	if shards <= 0 {
		shards = autoShards(units)
	}
	g, err := f.x.newGeneration(shards)
	if err != nil {
		return err
	}
	f.gen, f.mode = g, followFresh
	f.sum.Rebuilt = true
	return nil
}

// beginIncremental starts an update of the current generation: it notes
// the documents of the files written again.
func (f *Follower) beginIncremental(ctx context.Context) error {
	var rewritten []string
	for _, file := range f.writing {
		if _, ok := f.before[file]; ok {
			rewritten = append(rewritten, file)
		}
	}
	old, err := f.x.docsOfFiles(ctx, rewritten)
	if err != nil {
		return err
	}
	if len(rewritten) > 0 {
		f.touched = nil // files written again may delete entities: refresh them all
	}
	f.old, f.up, f.mode = old, f.x.newUpdate(), followIncremental
	return nil
}

// onlyWriting reports whether the store holds nothing but what the build
// is about to write (or wrote part of before).
func (f *Follower) onlyWriting() bool {
	w := map[string]bool{}
	for _, file := range f.writing {
		w[file] = true
	}
	for file := range f.before {
		if !w[file] {
			return false
		}
	}
	return true
}

// written is what the follower needs of a batch the store holds: its
// segments, the segments of it the store merged with other files' (as
// stored), and the subjects of its label facts. Not the batch, whose facts
// would wait in the queue with it.
type written struct {
	segments []graph.Segment
	merged   []graph.Segment
	labelled []string
}

// Written queues a batch the store now holds for indexing. It returns the
// error of an earlier batch's indexing, if any.
func (f *Follower) Written(ctx context.Context, b *graph.Batch, merged []graph.Segment) error {
	f.mu.Lock()
	q, err := f.queue, f.err
	f.mu.Unlock()
	if q == nil || err != nil {
		return err
	}
	w := written{segments: b.Segments, merged: merged}
	for i := range b.Facts {
		if b.Facts[i].Predicate == graph.PredLabel {
			w.labelled = append(w.labelled, b.Facts[i].Subject)
		}
	}
	select {
	case q <- w:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// indexQueue indexes the batches queued on q, until q is closed. It takes
// q rather than reading f.queue, which drain sets to nil.
func (f *Follower) indexQueue(q <-chan written) {
	defer close(f.indexed)
	for w := range q {
		if err := f.indexBatch(w); err != nil {
			f.mu.Lock()
			if f.err == nil {
				f.err = err
			}
			f.mu.Unlock()
			for range q { // let writers go on to their own error
			}
			return
		}
	}
}

// indexBatch indexes the segments of a batch and notes the entities whose
// labels it wrote. A segment the store merged with other files' is indexed
// as the store holds it; in a new generation, whose builder cannot replace
// a document, it was indexed when the other file was written, and is
// indexed again, as it ends, when the builder is done (Finish).
func (f *Follower) indexBatch(w written) error {
	byID := make(map[string]*graph.Segment, len(w.merged))
	for i := range w.merged {
		byID[w.merged[i].ID] = &w.merged[i]
	}
	for i := range w.segments {
		sg := &w.segments[i]
		var err error
		switch m := byID[sg.ID]; {
		case f.mode == followIncremental && m != nil:
			err = f.up.index(m)
		case f.mode == followIncremental:
			err = f.up.index(sg)
		case m != nil:
			f.gen.replace(m)
			continue
		default:
			err = f.gen.index(sg)
		}
		if err != nil {
			return fmt.Errorf("index segment %s: %w", sg.ID, err)
		}
		f.sum.Indexed++
	}
	if f.touched != nil {
		// An entity's document changes with its labels, which are label
		// facts: the subjects of those the build wrote.
		for _, id := range w.labelled {
			f.touched[id] = true
		}
	}
	return nil
}

// Done is told the state of a file the build has written whole.
func (f *Follower) Done(ctx context.Context, st graph.SourceState) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.done[st.File] = st
	return nil
}

// drain closes the queue and waits until everything queued is indexed;
// it returns the first indexing error.
func (f *Follower) drain() error {
	f.mu.Lock()
	q := f.queue
	f.queue = nil
	f.mu.Unlock()
	if q != nil {
		close(q)
		<-f.indexed
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.err
}

// Finish ends a build that succeeded: it completes what the follower
// indexed, refreshes the entities, writes the manifest, and catches up
// with anything else written to the store meanwhile.
func (f *Follower) Finish(ctx context.Context) (SyncSummary, error) {
	err := f.drain()
	x := f.x
	x.wmu.Lock()
	defer x.wmu.Unlock()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.finished = true
	if err != nil {
		f.abandon()
		return f.sum, err
	}
	now, err := f.statesAfter(ctx)
	if err != nil || f.mode == followOff || now == nil {
		f.abandon()
		if err != nil {
			return f.sum, err
		}
		return x.catchUp(ctx, f.store, f.start)
	}
	if f.mode == followFresh {
		n, err := x.commitGeneration(ctx, f.store, f.gen, now)
		f.gen = nil
		if err != nil {
			return f.sum, err
		}
		f.sum.Entities = n
	} else if err := f.commitIncremental(ctx, now); err != nil {
		return f.sum, err
	}
	f.sum.Changed = len(f.done)
	// A write to the store by another process during the build shows as a
	// difference from the states the manifest now holds.
	more, err := x.catchUp(ctx, f.store, f.start)
	if err != nil {
		return f.sum, err
	}
	f.sum.Indexed += more.Indexed
	f.sum.Deleted += more.Deleted
	f.sum.Removed += more.Removed
	f.sum.Seconds = time.Since(f.start).Seconds()
	return f.sum, nil
}

// statesAfter returns the source states the index holds once the
// follower's work is committed: the store's states now of the files the
// build wrote, as the build reported them; the states before of the
// others (a change by another process shows at the next catch-up). It is
// nil when a file the build meant to write is not as the build left it.
func (f *Follower) statesAfter(ctx context.Context) (map[string]graph.SourceState, error) {
	states, err := f.store.SourceStates(ctx)
	if err != nil {
		return nil, fmt.Errorf("read source states: %w", err)
	}
	now := map[string]graph.SourceState{}
	for file, st := range f.before {
		now[file] = st
	}
	for _, s := range states {
		if d, ok := f.done[s.File]; ok && s.Complete && s.Hash == d.Hash && s.Units == d.Units {
			now[s.File] = s // as the store keeps it
		}
	}
	for _, file := range f.writing {
		if st, ok := now[file]; !ok || !st.Complete || st.Hash != f.done[file].Hash {
			return nil, nil
		}
	}
	return now, nil
}

// commitIncremental deals with the documents of the files written again
// (those still in the store, through other files, are indexed with their
// sources now; the others deleted) and commits the update.
func (f *Follower) commitIncremental(ctx context.Context, now map[string]graph.SourceState) error {
	for _, id := range sortedKeys(f.old) {
		sg, err := f.store.Segment(ctx, id)
		switch {
		case errors.Is(err, graph.ErrNotFound):
			f.sum.Deleted++
			if err := f.up.w.delete(id); err != nil {
				return err
			}
		case err != nil:
			return fmt.Errorf("read segment %s: %w", id, err)
		default:
			if err := f.up.index(&sg); err != nil {
				return err
			}
		}
	}
	return f.x.commitUpdate(ctx, f.store, f.up, now, f.touched, &f.sum)
}

// Close releases what a follower holds; after a build that failed (no
// Finish), a new generation being built is removed.
func (f *Follower) Close() error {
	f.drain()
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.finished {
		f.abandon()
	}
	return nil
}

// abandon drops what the follower built. f.mu is held.
func (f *Follower) abandon() {
	if f.gen != nil {
		f.gen.abandon()
		f.gen = nil
	}
	f.mode = followOff
}
