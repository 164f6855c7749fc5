package retrieval

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/kgmem/kgmem/graph"
)

// Progress is told how long work advances. The CLI's progress line
// implements it; nil Options.Progress means none.
type Progress interface {
	// Phase starts a phase of work with total items (0 if unknown).
	Phase(name string, total int64)
	// Add counts n items of the current phase as done.
	Add(n int64)
}

type noProgress struct{}

func (noProgress) Phase(string, int64) {}
func (noProgress) Add(int64)           {}

// Options configure an Index.
type Options struct {
	// Shards is the number of Bleve indexes the translation memory is
	// split into, searched as one. 0 keeps the index's current number (for
	// a new index: 1, or one per core from 300,000 segments up, see
	// autoShards); another number than the current one rebuilds the index
	// on the next CatchUp.
	Shards int
	// Candidates is the most candidates a fuzzy lookup reads and scores
	// with Similarity (DefaultCandidates if 0). A lookup usually stops
	// well before: see Lookup.
	Candidates int
	// Progress is told about long work; nil for none.
	Progress Progress
	// Log receives notes (what a catch-up did); nil discards them.
	Log *slog.Logger
}

// DefaultCandidates is the most candidates a lookup scores by default:
// enough that the best match by edit distance is among them for more than
// 99 % of queries (see TestBestMatchRecall). The bound a lookup orders
// its candidates by ignores word order, so a query of common words can
// have hundreds of candidates with the same bound; most lookups stop after
// a few.
const DefaultCandidates = 100

// ErrLocked is returned by Open when another process has the index open.
var ErrLocked = errors.New("the search index is in use by another kgmem process")

// formatVersion changes when the layout or the mapping of the indexes
// changes; an index of another version is rebuilt.
const formatVersion = 1

// manifest records what the index holds: the store's source states it
// was last brought up to date with. It is written last, atomically, after
// every index write it describes is on disk; a crash before that leaves
// the old manifest, and the next catch-up redoes the work.
type manifest struct {
	Version    int                          `json:"version"`
	Generation int                          `json:"generation"`
	Shards     int                          `json:"shards"`
	Sources    map[string]graph.SourceState `json:"sources"`
	// Pairs are the language pairs indexed: base source language → base
	// target languages.
	Pairs    map[string][]string `json:"pairs"`
	Entities int                 `json:"entities"`
	// EntityTable is the number of the entity table's files
	// (entitylog.go).
	EntityTable int       `json:"entity_table,omitempty"`
	Updated     time.Time `json:"updated"`
}

// Index is kgmem's search index: the translation memory (Bleve, one or
// several shards), the entity labels (Bleve), and the spotting automata
// built from the labels. It lives in one directory (DataDir/index) and is
// derived from a graph.Store, the system of record: CatchUp brings it up
// to date, Rebuild makes it anew.
//
// An Index is safe for concurrent use. Lookups run in parallel with each
// other and with a catch-up: writes (CatchUp, CatchUpSegments, Rebuild)
// are serialised by a lock of their own and do their reading and writing
// under it, taking the lock lookups share only for the moment it takes to
// publish what they made.
type Index struct {
	dir  string
	opts Options
	lock *bolt.DB // held while open: one process at a time

	// wmu serialises writers: every path that changes the index holds it
	// from start to end. Writers read the fields below without mu (no one
	// else changes them) and change them only with mu held.
	wmu sync.Mutex
	mu  sync.RWMutex

	man    manifest
	shards []bleve.Index
	tm     bleve.Index // the shards as one (an alias when there are several)
	ents   bleve.Index
	table  *entityTable
	spot   map[string]*Spotter // by base language, built on first use

	// bytesMu guards the size of the current generation on disk, as
	// Stats last measured it.
	bytesMu sync.Mutex
	bytes   struct {
		gen int
		at  time.Time
		n   int64
	}
}

// Dir returns the index directory of a data directory.
func Dir(dataDir string) string { return filepath.Join(dataDir, "index") }

// Open opens the index in dir, creating the directory if needed. A new
// index is empty until CatchUp or Rebuild fills it.
func Open(ctx context.Context, dir string, opts Options) (*Index, error) {
	if opts.Candidates <= 0 {
		opts.Candidates = DefaultCandidates
	}
	if opts.Progress == nil {
		opts.Progress = noProgress{}
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	lock, err := bolt.Open(filepath.Join(dir, "lock"), 0o644, &bolt.Options{Timeout: 2 * time.Second})
	if err != nil {
		if errors.Is(err, bolterrors.ErrTimeout) {
			return nil, fmt.Errorf("open index %s: %w", dir, ErrLocked)
		}
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	x := &Index{dir: dir, opts: opts, lock: lock, table: newEntityTable(nil), spot: map[string]*Spotter{}}
	man, err := readManifest(dir)
	if err != nil {
		lock.Close()
		return nil, err
	}
	if man != nil && man.Version == formatVersion {
		if err := x.openGeneration(*man); err != nil {
			// A damaged generation is rebuilt by the next catch-up.
			opts.Log.Warn("the search index could not be opened and will be rebuilt", "error", err)
			x.closeIndexes()
			x.man = manifest{}
		}
	}
	x.removeStale()
	return x, nil
}

// Close closes the index.
func (x *Index) Close() error {
	x.wmu.Lock()
	defer x.wmu.Unlock()
	x.mu.Lock()
	defer x.mu.Unlock()
	err := x.closeIndexes()
	if x.lock != nil {
		if e := x.lock.Close(); err == nil {
			err = e
		}
		x.lock = nil
	}
	return err
}

func (x *Index) closeIndexes() error {
	var err error
	for _, s := range x.shards {
		if e := s.Close(); e != nil && err == nil {
			err = e
		}
	}
	if x.ents != nil {
		if e := x.ents.Close(); e != nil && err == nil {
			err = e
		}
	}
	x.shards, x.tm, x.ents = nil, nil, nil
	return err
}

func genName(gen int) string { return fmt.Sprintf("gen-%06d", gen) }

func (x *Index) genDir(gen int) string { return filepath.Join(x.dir, genName(gen)) }

func shardName(i int) string { return fmt.Sprintf("tm-%02d", i) }

// openGeneration opens the Bleve indexes and the entity table a manifest
// names.
func (x *Index) openGeneration(man manifest) error {
	gd := x.genDir(man.Generation)
	cfg := map[string]any{"bolt_timeout": "2s"}
	for i := 0; i < man.Shards; i++ {
		idx, err := bleve.OpenUsing(filepath.Join(gd, shardName(i)), cfg)
		if err != nil {
			return fmt.Errorf("open index shard %d: %w", i, err)
		}
		x.shards = append(x.shards, idx)
	}
	ents, err := bleve.OpenUsing(filepath.Join(gd, "entities"), cfg)
	if err != nil {
		return fmt.Errorf("open entity index: %w", err)
	}
	x.ents = ents
	recs, err := readEntityTables(gd, man.EntityTable)
	if err != nil {
		return err
	}
	removeOtherTables(gd, man.EntityTable)
	x.table = newEntityTable(recs)
	x.spot = map[string]*Spotter{}
	x.tm = searchable(x.shards)
	x.man = man
	return nil
}

// searchable returns the shards as one index: the shard itself when
// there is one, else an alias that searches them all and merges the hits.
func searchable(shards []bleve.Index) bleve.Index {
	if len(shards) == 1 {
		return shards[0]
	}
	return bleve.NewIndexAlias(shards...)
}

// removeStale deletes generation directories the manifest does not name:
// the remains of a rebuild that was interrupted, or of the generation a
// rebuild replaced.
func (x *Index) removeStale() {
	entries, err := os.ReadDir(x.dir)
	if err != nil {
		return
	}
	keep := ""
	if x.tm != nil {
		keep = genName(x.man.Generation)
	}
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), "gen-") && e.Name() != keep {
			os.RemoveAll(filepath.Join(x.dir, e.Name()))
		}
	}
}

const manifestFile = "manifest.json"

func readManifest(dir string) (*manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, manifestFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read index manifest: %w", err)
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		// A manifest that does not parse is treated as absent: the index
		// is rebuilt from the store.
		return nil, nil
	}
	return &m, nil
}

// writeFileAtomic writes a file so that it is either the old or the new
// content after a crash: a temporary file, synced, renamed over.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if e := tmp.Close(); err == nil {
		err = e
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

func (x *Index) writeManifest(m manifest) error {
	m.Version = formatVersion
	m.Updated = time.Now().UTC()
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := writeFileAtomic(filepath.Join(x.dir, manifestFile), b); err != nil {
		return fmt.Errorf("write index manifest: %w", err)
	}
	return nil
}

// shardOf returns the shard a segment's document lives in: documents are
// spread by a hash of their ID, so a segment's shard never changes.
func shardOf(id string, n int) int {
	if n <= 1 {
		return 0
	}
	h := fnv.New32a()
	h.Write([]byte(id))
	return int(h.Sum32() % uint32(n))
}

// Stats describes what the index holds.
type Stats struct {
	Dir        string              `json:"dir"`
	Generation int                 `json:"generation"`
	Shards     int                 `json:"shards"`
	Segments   uint64              `json:"segments"`
	Entities   int                 `json:"entities"`
	Sources    int                 `json:"sources"`
	Pairs      map[string][]string `json:"pairs"`
	Bytes      int64               `json:"bytes"` // on disk
}

// Stats returns what the index holds.
func (x *Index) Stats() Stats {
	x.mu.RLock()
	defer x.mu.RUnlock()
	st := Stats{Dir: x.dir, Generation: x.man.Generation, Shards: x.man.Shards, Entities: x.table.len(),
		Sources: len(x.man.Sources), Pairs: x.man.Pairs}
	for _, s := range x.shards {
		if n, err := s.DocCount(); err == nil {
			st.Segments += n
		}
	}
	if x.tm != nil {
		st.Bytes = x.genBytes(x.man.Generation)
	}
	return st
}

// bytesTTL is how long the size of a generation on disk is reused: a page
// of the workbench asks for stats, and walking the index's files on every
// request cost more than the request.
const bytesTTL = 10 * time.Second

// genBytes returns the size of a generation's files, walked at most every
// bytesTTL.
func (x *Index) genBytes(gen int) int64 {
	x.bytesMu.Lock()
	defer x.bytesMu.Unlock()
	if x.bytes.gen == gen && time.Since(x.bytes.at) < bytesTTL {
		return x.bytes.n
	}
	var n int64
	filepath.Walk(x.genDir(gen), func(_ string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			n += fi.Size()
		}
		return nil
	})
	x.bytes.gen, x.bytes.at, x.bytes.n = gen, time.Now(), n
	return n
}

// sortedKeys returns a set's members in order.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }
