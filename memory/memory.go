// Package memory is kgmem's library core: a Memory is one data directory
// opened whole — the graph store (embedded or Dgraph), the search indexes
// derived from it, the word-alignment models build-graph keeps beside it,
// and the host that runs model plugins — with everything a front end does
// with it: build, translate, learn, search, show, evaluate, close. The CLI
// (cmd/kgmem) and the HTTP server are front ends over it: they parse a
// request, call a method and format the answer, nothing else.
//
// Start with Open (or OpenModels for a model without memory), then
// Memory.Translator, Memory.Learn, Memory.SearchTM, Memory.Build. A data
// directory knows itself (ManifestFile): Open never guesses which graph a
// directory belongs to and never treats a missing, empty or damaged store as
// a new one.
//
// A Memory is safe for concurrent use. Reads run in parallel; writes
// (Build, Learn) are serialised.
package memory

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/graph/embedded"
	"github.com/kgmem/kgmem/graph/ingest"
	"github.com/kgmem/kgmem/graph/stores"
	"github.com/kgmem/kgmem/retrieval"
	"github.com/kgmem/kgmem/translate"
)

// Options say which memory to open and how.
type Options struct {
	// DataDir is the data directory: the embedded graph, the search
	// indexes, the alignment models, the plugins.
	DataDir string
	// Graph names the graph store: "embedded" (a file in DataDir),
	// "embedded:PATH" or "dgraph://HOST:PORT[,HOST:PORT…]". "" takes the
	// one the data directory records; another one than it records is
	// refused (ErrGraphMismatch).
	Graph string
	// Create makes a new memory when DataDir holds none (build-graph,
	// init). Without it, Open refuses such a directory (ErrNoMemory).
	Create bool
	// PluginDir holds third-party models and their trust store; "" is
	// DataDir/plugins.
	PluginDir string
	// Shards is how many indexes the translation memory is split into; 0
	// keeps the index's current number.
	Shards int
	// CallTimeout bounds each call to a model (the host's default if 0).
	CallTimeout time.Duration
	// Logger receives notes; nil discards them.
	Logger *slog.Logger
	// Progress is told about the index catch-up Open does; nil for none.
	Progress Progress
	// NoCatchUp leaves the search index as it is: Build brings it up to
	// date after writing anyway.
	NoCatchUp bool
}

// Progress is told how long work advances: a phase with its expected
// total (0 if unknown), then counts of items done.
type Progress interface {
	Phase(name string, total int64)
	Add(n int64)
}

type noProgress struct{}

func (noProgress) Phase(string, int64) {}
func (noProgress) Add(int64)           {}

// progressSwitch forwards to the progress of the call under way: the
// index is opened once with it, and each call sets its own.
type progressSwitch struct{ p atomic.Pointer[Progress] }

func (s *progressSwitch) set(p Progress) func() {
	if p == nil {
		p = noProgress{}
	}
	old := s.p.Swap(&p)
	return func() { s.p.Store(old) }
}

func (s *progressSwitch) get() Progress {
	if p := s.p.Load(); p != nil {
		return *p
	}
	return noProgress{}
}

func (s *progressSwitch) Phase(name string, total int64) { s.get().Phase(name, total) }
func (s *progressSwitch) Add(n int64)                    { s.get().Add(n) }

// Memory is an open data directory. Close it when done.
type Memory struct {
	dir        string
	manifest   Manifest
	log        *slog.Logger
	store      graph.Store
	index      *retrieval.Index
	progress   *progressSwitch
	models     *Models
	ownsModels bool

	// writeMu serialises writes: builds, learning.
	writeMu sync.Mutex

	alignMu  sync.Mutex
	aligners map[string]translate.SpanAligner // by model file name, once read

	pipes pipelines

	trMu        sync.Mutex
	translators map[TranslateOptions]*Translator

	// modelDirOverride, when set, is where the alignment models are read
	// from (a copy of a memory reads the original's).
	modelDirOverride string
}

// Open opens the memory in opts.DataDir: its graph store and its search
// index, brought up to date with the store (unless NoCatchUp).
func Open(ctx context.Context, opts Options) (*Memory, error) {
	if opts.DataDir == "" {
		return nil, invalidf("no data directory given")
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	man, fresh, err := resolveDataDir(opts.DataDir, opts.Graph, opts.Create)
	if err != nil {
		return nil, err
	}
	store, err := stores.Open(ctx, man.Graph, opts.DataDir, opts.Create)
	switch {
	case errors.Is(err, embedded.ErrDamaged):
		return nil, err // it says what to do
	case err != nil && copyable(man.Graph):
		return nil, fmt.Errorf("open the graph: %w", err)
	case err != nil:
		return nil, withHint(fmt.Errorf("open the graph %s: %w", man.Graph, err),
			"check the graph's address, or start a local Dgraph with scripts/dgraph-local.sh start")
	}
	if fresh {
		if err := writeManifest(opts.DataDir, man); err != nil {
			store.Close()
			return nil, err
		}
	}
	m := &Memory{dir: opts.DataDir, manifest: *man, log: log, store: store, progress: &progressSwitch{}}
	m.progress.set(opts.Progress)
	m.index, err = retrieval.Open(ctx, retrieval.Dir(opts.DataDir), retrieval.Options{
		Shards:   opts.Shards,
		Progress: m.progress,
		Log:      log,
	})
	if err != nil {
		store.Close()
		if errors.Is(err, retrieval.ErrLocked) {
			return nil, withHint(err, "wait for the other kgmem command to finish")
		}
		return nil, fmt.Errorf("open the search index: %w", err)
	}
	if !opts.NoCatchUp {
		if _, err := m.catchUp(ctx); err != nil {
			m.index.Close()
			store.Close()
			return nil, err
		}
	}
	m.models, err = OpenModels(ModelOptions{PluginDir: pluginDir(opts), CallTimeout: opts.CallTimeout, Logger: log})
	if err != nil {
		m.index.Close()
		store.Close()
		return nil, err
	}
	m.ownsModels = true
	return m, nil
}

func pluginDir(opts Options) string {
	if opts.PluginDir != "" {
		return opts.PluginDir
	}
	return filepath.Join(opts.DataDir, "plugins")
}

// PluginDir returns where the models of the data directory dir are, given
// the directory named for them ("" for the default).
func PluginDir(dataDir, named string) string {
	return pluginDir(Options{DataDir: dataDir, PluginDir: named})
}

// catchUp brings the index up to date with the store.
func (m *Memory) catchUp(ctx context.Context) (retrieval.SyncSummary, error) {
	sum, err := m.index.CatchUp(ctx, m.store)
	if err != nil {
		return sum, fmt.Errorf("bring the search index up to date: %w", err)
	}
	if !sum.UpToDate() {
		m.log.Info("search index brought up to date", "rebuilt", sum.Rebuilt, "files", sum.Changed, "removed", sum.Removed,
			"segments", sum.Indexed, "deleted", sum.Deleted, "seconds", fmt.Sprintf("%.1f", sum.Seconds))
	}
	return sum, nil
}

// Close closes the models, the index and the store.
func (m *Memory) Close() error {
	var errs []error
	if m.ownsModels && m.models != nil {
		errs = append(errs, m.models.Close())
	}
	errs = append(errs, m.index.Close(), m.store.Close())
	return errors.Join(errs...)
}

// Dir returns the data directory.
func (m *Memory) Dir() string { return m.dir }

// Located is a memory's manifest and the data directory it is in.
type Located struct {
	Dir string `json:"dir"`
	Manifest
}

// Manifest returns what the data directory records about itself.
func (m *Memory) Manifest() Manifest { return m.manifest }

// Graph returns the URI of the graph store.
func (m *Memory) Graph() string { return m.manifest.Graph }

// Models returns the model host of the memory.
func (m *Memory) Models() *Models { return m.models }

// Store returns the graph store, for tests and tools that read the graph
// directly.
func (m *Memory) Store() graph.Store { return m.store }

// Index returns the search index.
func (m *Memory) Index() *retrieval.Index { return m.index }

// modelDir is where build-graph keeps the alignment models of the graph.
func (m *Memory) modelDir() string {
	if m.modelDirOverride != "" {
		return m.modelDirOverride
	}
	return ingest.ModelDir(m.dir, m.manifest.Graph)
}

// Stats counts what the graph holds.
func (m *Memory) Stats(ctx context.Context) (graph.Stats, error) { return m.store.Stats(ctx) }
