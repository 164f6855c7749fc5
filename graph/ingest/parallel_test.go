package ingest

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/kgmem/kgmem/graph"
)

// recordingStore is a graph.Store whose Upsert records what was in flight.
// It embeds a nil Store: only Upsert may be called.
type recordingStore struct {
	graph.Store
	parallel int
	failOn   int // Upsert of the batch with this many segments fails; 0: none

	mu       sync.Mutex
	inFlight int
	maxIn    int
	entities int // batches with entities still to be written
	order    []string
	early    []string // batches with facts started while an entity batch was unwritten
}

func (s *recordingStore) WriteParallelism() int { return s.parallel }

func (s *recordingStore) Upsert(ctx context.Context, b *graph.Batch) error {
	s.mu.Lock()
	s.inFlight++
	s.maxIn = max(s.maxIn, s.inFlight)
	if len(b.Facts) > 0 && s.entities > 0 {
		s.early = append(s.early, b.Source)
	}
	s.mu.Unlock()
	time.Sleep(2 * time.Millisecond) // long enough for others to start
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inFlight--
	if len(b.Entities) > 0 {
		s.entities--
	}
	s.order = append(s.order, b.Source)
	if s.failOn != 0 && len(b.Segments) == s.failOn {
		return fmt.Errorf("batch %s: %w", b.Source, errFail)
	}
	return nil
}

var errFail = errors.New("refused")

// testBatches returns the batches of a file as extract makes them: n with
// segments only (batch i holding i+1 segments), then two with entities,
// then three with facts about them.
func testBatches(n int) []*graph.Batch {
	var out []*graph.Batch
	for i := range n {
		b := &graph.Batch{Source: fmt.Sprintf("s%d", i)}
		for j := range i + 1 {
			b.Segments = append(b.Segments, graph.Segment{ID: fmt.Sprintf("%d.%d", i, j)})
		}
		out = append(out, b)
	}
	out = append(out,
		&graph.Batch{Source: "e0", Entities: []graph.Entity{{ID: "a"}}},
		&graph.Batch{Source: "e1", Entities: []graph.Entity{{ID: "b"}}})
	for i := range 3 {
		out = append(out, &graph.Batch{Source: fmt.Sprintf("f%d", i), Facts: []graph.Fact{{ID: fmt.Sprint(i), Subject: "a", Object: "b"}}})
	}
	return out
}

func TestWriteBatches(t *testing.T) {
	for _, tc := range []struct {
		name     string
		parallel int
		wantMax  int
	}{
		{"serial", 1, 1},
		{"parallel", 3, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &recordingStore{parallel: tc.parallel, entities: 2}
			batches := testBatches(12)
			if err := writeBatches(context.Background(), s, batches, parallelism(s)); err != nil {
				t.Fatal(err)
			}
			if len(s.order) != 17 {
				t.Fatalf("wrote %d batches, want 17: %v", len(s.order), s.order)
			}
			if len(s.early) > 0 {
				t.Errorf("batches with facts %v started before the entity batches were written", s.early)
			}
			if s.maxIn != tc.wantMax {
				t.Errorf("at most %d batches in flight, want %d", s.maxIn, tc.wantMax)
			}
			for i, b := range batches {
				if b != nil {
					t.Errorf("batch %d still held after writing", i)
				}
			}
		})
	}
}

func TestWriteBatchesError(t *testing.T) {
	s := &recordingStore{parallel: 2, entities: 2, failOn: 3}
	err := writeBatches(context.Background(), s, testBatches(40), 2)
	if !errors.Is(err, errFail) {
		t.Fatalf("err = %v, want the failed batch's error", err)
	}
	// The writers stop taking batches after the failure (the third): at
	// most the batches already taken by the other writer follow it.
	if len(s.order) > 3+2 {
		t.Errorf("wrote %d batches after a failure: %v", len(s.order), s.order)
	}
}

// parallelStore writes through an embedded store with batches in flight
// at once, as a build writes to Dgraph.
type parallelStore struct{ graph.Store }

func (parallelStore) WriteParallelism() int { return 3 }

// TestParallelBuild builds the demo corpus in small batches, several in
// flight, and compares the graph with a build that writes one at a time.
func TestParallelBuild(t *testing.T) {
	corpus, terms := demoPaths(t)
	ctx := context.Background()
	build := func(s graph.Store) string {
		opts := Options{Paths: []string{corpus}, Terms: []string{terms}, BatchSize: 25}
		if _, err := Run(ctx, s, opts); err != nil {
			t.Fatal(err)
		}
		return dump(t, s)
	}
	dir := t.TempDir()
	serial := openStore(t, filepath.Join(dir, "serial.db"))
	defer serial.Close()
	par := openStore(t, filepath.Join(dir, "parallel.db"))
	defer par.Close()
	want := build(serial)
	if got := build(parallelStore{par}); got != want {
		t.Errorf("parallel build differs:\n%s", lineDiff(got, want))
	}
}
