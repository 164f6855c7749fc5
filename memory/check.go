package memory

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/graph/extract"
)

// CheckReport is what Check found.
type CheckReport struct {
	// OK is true when nothing is wrong.
	OK bool `json:"ok"`
	// Problems lists what is wrong, each with what to do.
	Problems []string `json:"problems"`
	// What was checked.
	Store    string `json:"store"`    // the store's own check, or why none
	Entities int    `json:"entities"` // entities listed
	Facts    int    `json:"facts"`
	Segments int    `json:"segments"`
	Models   int    `json:"models"`
	Indexed  int    `json:"indexed"` // segments in the search index
}

// maxCheckProblems bounds the problems a check reports.
const maxCheckProblems = 50

// Check verifies the memory: the store's own storage (when it can check
// it), the graph's references (every fact's subject and object, every
// mention's entity, every source file's state), the alignment models, and
// the search index against the graph.
func (m *Memory) Check(ctx context.Context) (CheckReport, error) {
	r := CheckReport{Problems: []string{}}
	problem := func(format string, args ...any) {
		if len(r.Problems) < maxCheckProblems {
			r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
		}
	}
	if c, ok := m.store.(graph.Checker); ok {
		r.Store = "checked"
		if err := c.Check(ctx); err != nil {
			if ctx.Err() != nil {
				return r, ctx.Err()
			}
			problem("graph store: %v (restore the memory from a backup with `kgmem restore`)", err)
		}
	} else {
		r.Store = "the store checks its own storage; its references were checked"
	}
	if err := m.checkGraph(ctx, &r, problem); err != nil {
		return r, err
	}
	m.checkModels(&r, problem)
	m.checkIndex(ctx, &r, problem)
	r.OK = len(r.Problems) == 0
	return r, nil
}

// checkGraph checks that what the graph refers to exists.
func (m *Memory) checkGraph(ctx context.Context, r *CheckReport, problem func(string, ...any)) error {
	l, ok := m.store.(graph.Lister)
	if !ok {
		return nil
	}
	ents := map[string]bool{}
	if err := l.EachEntity(ctx, func(e *graph.Entity) error { ents[e.ID] = true; r.Entities++; return nil }); err != nil {
		return fmt.Errorf("check: list the entities: %w", err)
	}
	states, err := m.store.SourceStates(ctx)
	if err != nil {
		return fmt.Errorf("check: %w", err)
	}
	known := map[string]bool{}
	for _, s := range states {
		known[s.File] = true
		if !s.Complete {
			problem("source %s was not written completely (run build-graph again with it, or forget it)", s.File)
		}
	}
	sources := func(what string, srcs []graph.Source) {
		for _, s := range srcs {
			if !known[s.File] {
				problem("%s comes from %s, which the graph has no state of (rebuild the search index with `kgmem reindex`, then check again)", what, s.File)
			}
		}
	}
	err = l.EachFact(ctx, func(f *graph.Fact) error {
		r.Facts++
		if !ents[f.Subject] {
			problem("fact %s is about entity %s, which is missing (restore from a backup)", f.ID, f.Subject)
		}
		if f.Object != "" && !ents[f.Object] {
			problem("fact %s points to entity %s, which is missing (restore from a backup)", f.ID, f.Object)
		}
		sources("fact "+f.ID, f.Sources)
		return nil
	})
	if err != nil {
		return fmt.Errorf("check: list the facts: %w", err)
	}
	err = m.store.Segments(ctx, func(sg *graph.Segment) error {
		r.Segments++
		for _, mn := range sg.Mentions {
			if !ents[mn.Entity] {
				problem("segment %s mentions entity %s, which is missing (restore from a backup)", sg.ID, mn.Entity)
			}
		}
		sources("segment "+sg.ID, sg.Sources)
		return nil
	})
	if err != nil {
		return fmt.Errorf("check: read the segments: %w", err)
	}
	return nil
}

// checkModels reads every alignment model.
func (m *Memory) checkModels(r *CheckReport, problem func(string, ...any)) {
	paths, _ := filepath.Glob(filepath.Join(m.modelDir(), extract.ModelFilePattern))
	for _, p := range paths {
		r.Models++
		if _, err := extract.ReadModelFile(p); err != nil {
			problem("alignment model %s: %v", p, err)
		}
	}
}

// checkIndex compares the search index with the graph.
func (m *Memory) checkIndex(ctx context.Context, r *CheckReport, problem func(string, ...any)) {
	st := m.index.Stats()
	r.Indexed = int(st.Segments)
	sum, err := m.index.CatchUp(ctx, m.store)
	switch {
	case errors.Is(err, context.Canceled):
	case err != nil:
		problem("search index: %v (rebuild it with `kgmem reindex`)", err)
	case !sum.UpToDate():
		problem("the search index was behind the graph (%d files changed, %d removed); it has been brought up to date", sum.Changed, sum.Removed)
	}
	if after := m.index.Stats(); err == nil && int(after.Segments) != r.Segments {
		problem("the search index holds %d segments, the graph %d (rebuild it with `kgmem reindex`)", after.Segments, r.Segments)
	}
}
