package memory

import (
	"reflect"
	"testing"
	"time"

	"github.com/kgmem/kgmem/graph"
)

// TestFollowPlan checks what a Refresh indexes, given the store's source
// states and the index's.
func TestFollowPlan(t *testing.T) {
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	st := func(file string, units int, complete bool) graph.SourceState {
		return graph.SourceState{File: file, Hash: "h-" + file, Units: units, Complete: complete, Updated: t0}
	}
	a, b := st("a.tmx", 10, true), st("learn:1", 1, true)
	aAgain := a
	aAgain.Updated = t0.Add(time.Second)
	aWriting := aAgain
	aWriting.Complete = false
	tests := []struct {
		name   string
		store  []graph.SourceState
		index  map[string]graph.SourceState
		stale  bool // the incomplete sources were first seen long ago
		states []graph.SourceState
		fresh  []string
		units  int
		full   bool
	}{
		{name: "nothing new", store: []graph.SourceState{a}, index: map[string]graph.SourceState{"a.tmx": a},
			states: []graph.SourceState{a}},
		{name: "a learned pair", store: []graph.SourceState{a, b}, index: map[string]graph.SourceState{"a.tmx": a},
			states: []graph.SourceState{a, b}, fresh: []string{"learn:1"}, units: 1},
		{name: "a learn still writing waits", store: []graph.SourceState{a, st("learn:2", 1, false)}, index: map[string]graph.SourceState{"a.tmx": a},
			states: []graph.SourceState{a}},
		{name: "a learn whose writer died is indexed as it is", store: []graph.SourceState{a, st("learn:2", 1, false)},
			index: map[string]graph.SourceState{"a.tmx": a}, stale: true,
			states: []graph.SourceState{a, st("learn:2", 1, false)}, fresh: []string{"learn:2"}, units: 1},
		{name: "a file written again", store: []graph.SourceState{aAgain}, index: map[string]graph.SourceState{"a.tmx": a},
			states: []graph.SourceState{aAgain}, full: true},
		{name: "a file being written again keeps its old state", store: []graph.SourceState{aWriting, b},
			index: map[string]graph.SourceState{"a.tmx": a}, states: []graph.SourceState{a, b}, fresh: []string{"learn:1"}, units: 1},
		{name: "a file removed", store: []graph.SourceState{b}, index: map[string]graph.SourceState{"a.tmx": a, "learn:1": b},
			states: []graph.SourceState{b}, full: true},
	}
	for _, tt := range tests {
		f := NewFollower(nil)
		now := t0
		if tt.stale {
			f.plan(tt.store, tt.index, now)
			now = now.Add(staleAfter)
		}
		p := f.plan(tt.store, tt.index, now)
		if !reflect.DeepEqual(p.states, tt.states) || !reflect.DeepEqual(p.fresh, tt.fresh) || p.units != tt.units || p.full != tt.full {
			t.Errorf("%s: plan = states %v fresh %v units %d full %v, want %v %v %d %v",
				tt.name, p.states, p.fresh, p.units, p.full, tt.states, tt.fresh, tt.units, tt.full)
		}
	}
}
