package memory

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/retrieval"
)

// Shared reports whether other processes may write the memory's graph too
// (a Dgraph graph, which several kgmem servers can share): the search
// index then learns of what they write only through a Follower.
func (m *Memory) Shared() bool { return strings.HasPrefix(m.manifest.Graph, "dgraph://") }

// sourceSegmenter is a graph store that lists the segments a source file
// wrote; the Dgraph store is one.
type sourceSegmenter interface {
	SourceSegments(ctx context.Context, file string) ([]string, error)
}

// Follower keeps a memory's search index in step with a graph that other
// processes write too, such as kgmem servers that share a Dgraph cluster.
// Each Refresh compares the store's source states with those the index
// was brought up to date with, and indexes what changed: a new source (a
// pair another server learned, a file it imported) by its segments alone
// when the store can list them, anything else — a source written again or
// removed — by a catch-up over the whole store. A new source that is still
// being written waits until it is complete, or until it has stayed
// incomplete for staleAfter (its writer died halfway): then it is indexed
// as it is, as a catch-up at Open would.
//
// A Follower is safe for concurrent use; a Refresh waits for the memory's
// writes (Learn, Build) and they wait for it.
type Follower struct {
	m *Memory

	mu         sync.Mutex
	incomplete map[string]time.Time // sources seen incomplete, since when
}

const (
	// staleAfter is how long a source may stay incomplete before a
	// Refresh indexes it as it is.
	staleAfter = 10 * time.Second
	// maxFollowSegments is the most segments of new sources a Refresh
	// indexes one by one; more are read with the whole store, in pages.
	maxFollowSegments = 2000
)

// NewFollower returns a Follower of the memory.
func NewFollower(m *Memory) *Follower {
	return &Follower{m: m, incomplete: map[string]time.Time{}}
}

// Refresh brings the search index up to date with what other processes
// wrote to the graph since the last Refresh (or since Open). It returns
// what it indexed; UpToDate when there was nothing new.
func (f *Follower) Refresh(ctx context.Context) (retrieval.SyncSummary, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m := f.m
	m.writeMu.Lock()
	defer m.writeMu.Unlock()
	start := time.Now()
	states, err := m.store.SourceStates(ctx)
	if err != nil {
		return retrieval.SyncSummary{}, fmt.Errorf("read the graph's sources: %w", err)
	}
	p := f.plan(states, m.index.Sources(), start)
	if p.upToDate() {
		return retrieval.SyncSummary{Seconds: time.Since(start).Seconds()}, nil
	}
	view := storeView{Store: m.store, states: p.states}
	var sum retrieval.SyncSummary
	seg, ok := m.store.(sourceSegmenter)
	if p.full || !ok || p.units > maxFollowSegments {
		sum, err = m.index.CatchUp(ctx, view)
	} else {
		var ids []string
		for _, file := range p.fresh {
			more, err := seg.SourceSegments(ctx, file)
			if err != nil {
				return retrieval.SyncSummary{}, fmt.Errorf("read the segments of %s: %w", file, err)
			}
			ids = append(ids, more...)
		}
		// Its own catch-up when the segments are not exactly those of
		// the new sources.
		sum, err = m.index.CatchUpSegments(ctx, view, ids)
	}
	if err != nil {
		return sum, fmt.Errorf("bring the search index up to date with the graph: %w", err)
	}
	m.forget()
	m.log.Debug("search index brought up to date with the shared graph", "sources", len(p.fresh), "full", p.full,
		"segments", sum.Indexed, "deleted", sum.Deleted, "entities", sum.Entities, "seconds", fmt.Sprintf("%.3f", time.Since(start).Seconds()))
	return sum, nil
}

// followPlan is what a Refresh indexes.
type followPlan struct {
	// states are the source states the index is to be brought up to date
	// with: the store's, except a source still being written, which keeps
	// the state the index has (none, for a new one).
	states []graph.SourceState
	// fresh are the new sources, complete; units their segments.
	fresh []string
	units int
	// full: a source the index has was written again or removed.
	full bool
}

func (p *followPlan) upToDate() bool { return len(p.fresh) == 0 && !p.full }

// plan compares the store's source states with the index's (have).
func (f *Follower) plan(states []graph.SourceState, have map[string]graph.SourceState, now time.Time) followPlan {
	var p followPlan
	inStore := make(map[string]bool, len(states))
	seenIncomplete := map[string]bool{}
	for _, s := range states {
		inStore[s.File] = true
		old, known := have[s.File]
		if known && sameSource(old, s) {
			p.states = append(p.states, s)
			continue
		}
		if !s.Complete {
			seenIncomplete[s.File] = true
			if _, ok := f.incomplete[s.File]; !ok {
				f.incomplete[s.File] = now
			}
			if now.Sub(f.incomplete[s.File]) < staleAfter {
				if known {
					p.states = append(p.states, old)
				}
				continue
			}
		}
		p.states = append(p.states, s)
		if known {
			p.full = true
		} else {
			p.fresh = append(p.fresh, s.File)
			p.units += s.Units
		}
	}
	for file := range f.incomplete {
		if !seenIncomplete[file] {
			delete(f.incomplete, file)
		}
	}
	for file := range have {
		if !inStore[file] {
			p.full = true
		}
	}
	return p
}

// sameSource reports whether two states of a source are the same write,
// as the index compares them.
func sameSource(a, b graph.SourceState) bool {
	return a.Hash == b.Hash && a.Complete == b.Complete && a.Units == b.Units && a.Updated.Equal(b.Updated)
}

// storeView is the store with the source states a Refresh planned with:
// the index records those, so that a source written meanwhile is new to
// the next Refresh rather than half seen by this one.
type storeView struct {
	graph.Store
	states []graph.SourceState
}

func (v storeView) SourceStates(context.Context) ([]graph.SourceState, error) { return v.states, nil }
