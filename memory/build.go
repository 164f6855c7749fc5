package memory

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/formats"
	"github.com/kgmem/kgmem/graph/extract"
	"github.com/kgmem/kgmem/graph/ingest"
	"github.com/kgmem/kgmem/retrieval"
)

// BuildRequest is what to build the graph from.
type BuildRequest struct {
	// Paths are files and directories of translation units, in any format
	// kgmem reads; Terms are term bases (TBX, glossaries).
	Paths, Terms []string
	// SourceLang and TargetLang override what the files say.
	SourceLang, TargetLang language.Tag
	// Format overrides format detection.
	Format formats.Format
	// Lenient skips bad units (each reported to OnSkip) instead of
	// stopping.
	Lenient bool
	OnSkip  func(corpora.Skip)
	// Progress is told how the build advances; nil for none.
	Progress Progress
	// MemoryLimit is the memory the build aims to stay within; extraction's
	// tables get a quarter of it and spill to temporary files beyond (the
	// rest is the garbage collector's room, the alignment model, the
	// batches and the search index). 0: a quarter of the machine's memory
	// (DefaultMemoryLimit).
	MemoryLimit int64 `json:"-"`
}

// BuildSummary is what a build did: the graph, then the index.
type BuildSummary struct {
	ingest.Summary
	Index retrieval.SyncSummary `json:"index"`
}

// Build reads the files into the graph (files already complete and
// unchanged are skipped; a build killed halfway is finished), keeps the
// word-alignment model beside the graph, and brings the search index up to
// date.
func (m *Memory) Build(ctx context.Context, req BuildRequest) (BuildSummary, error) {
	if len(req.Paths) == 0 && len(req.Terms) == 0 {
		return BuildSummary{}, invalidf("nothing to build from: give files, directories or term bases")
	}
	m.writeMu.Lock()
	defer m.writeMu.Unlock()
	restore := m.progress.set(req.Progress)
	defer restore()
	limit := req.MemoryLimit
	if limit <= 0 {
		limit = DefaultMemoryLimit()
	}
	// The search index follows the build: it is written from the batches
	// as the graph is, and finished after.
	follow := m.index.Follow(m.store)
	defer follow.Close()
	sum, err := ingest.Run(ctx, m.store, ingest.Options{
		Paths:      req.Paths,
		Terms:      req.Terms,
		SourceLang: req.SourceLang,
		TargetLang: req.TargetLang,
		Format:     req.Format,
		Lenient:    req.Lenient,
		OnSkip:     req.OnSkip,
		Progress:   m.progress,
		Extract:    extract.Options{MemoryLimit: limit / 4},
		ModelDir:   m.modelDir(),
		Log:        m.log,
		Index:      follow,
	})
	if errors.Is(err, ingest.ErrNoLanguages) {
		return BuildSummary{Summary: sum}, withHint(err, "pass --from and --to")
	}
	if err != nil {
		return BuildSummary{Summary: sum}, err
	}
	// A build may have taught the alignment models more.
	m.alignMu.Lock()
	m.aligners = nil
	m.alignMu.Unlock()
	idx, err := follow.Finish(ctx)
	m.forget()
	return BuildSummary{Summary: sum, Index: idx}, err
}

// DefaultMemoryLimit is a quarter of the machine's memory (4 GiB when it
// cannot be told).
func DefaultMemoryLimit() int64 {
	var si syscall.Sysinfo_t
	if err := syscall.Sysinfo(&si); err != nil || si.Totalram == 0 {
		return 4 << 30
	}
	return int64(si.Totalram) * int64(si.Unit) / 4
}

// ParseMemoryLimit parses a memory limit: a number of bytes with an
// optional unit (B; K, KB, KiB; M…; G…; T…, all powers of 1024), or ""
// for DefaultMemoryLimit. A limit under 64 MiB is too little to build in.
func ParseMemoryLimit(s string) (int64, error) {
	if s == "" {
		return DefaultMemoryLimit(), nil
	}
	num := strings.TrimRight(s, "KMGTiBb ")
	unit := strings.ToUpper(strings.TrimSpace(s[len(num):]))
	n, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	shift, ok := map[string]int{"": 0, "B": 0, "K": 10, "KB": 10, "KIB": 10, "M": 20, "MB": 20, "MIB": 20, "G": 30, "GB": 30, "GIB": 30, "T": 40, "TB": 40, "TIB": 40}[unit]
	if err != nil || !ok || n <= 0 {
		return 0, invalidf("%q: give a size such as 4GB or 512MB", s)
	}
	limit := int64(n * float64(int64(1)<<shift))
	if limit < 64<<20 {
		return 0, invalidf("%q is less than 64MB, too little to build in", s)
	}
	return limit, nil
}

// SetRuntimeLimit makes the Go runtime of a process that builds keep
// its heap within limit (as ParseMemoryLimit gives it). Until the heap
// nears the limit, garbage is collected less often than by default,
// which costs a build a quarter less CPU; GOGC, when set, still wins.
func SetRuntimeLimit(limit int64) {
	debug.SetMemoryLimit(limit)
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
}

// ReindexSummary is what Reindex did and what the index holds after it.
type ReindexSummary struct {
	Summary retrieval.SyncSummary `json:"summary"`
	Index   retrieval.Stats       `json:"index"`
}

// Reindex makes the search indexes anew from the graph (with the number of
// shards the memory was opened with).
func (m *Memory) Reindex(ctx context.Context, p Progress) (ReindexSummary, error) {
	m.writeMu.Lock()
	defer m.writeMu.Unlock()
	restore := m.progress.set(p)
	defer restore()
	sum, err := m.index.Rebuild(ctx, m.store)
	if err != nil {
		return ReindexSummary{}, fmt.Errorf("rebuild the search index: %w", err)
	}
	return ReindexSummary{Summary: sum, Index: m.index.Stats()}, nil
}

// RemoveSource removes everything a source file (or an import, a
// glossary) contributed to the graph, and brings the search index up to
// date.
func (m *Memory) RemoveSource(ctx context.Context, file string) error {
	m.writeMu.Lock()
	defer m.writeMu.Unlock()
	if err := m.store.DeleteSource(ctx, file); err != nil {
		return fmt.Errorf("remove %s from the graph: %w", file, err)
	}
	if _, err := m.catchUp(ctx); err != nil {
		return err
	}
	m.forget()
	return nil
}
