package dgraph_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/graph/dgraph"
	"github.com/kgmem/kgmem/retrieval"
)

var _ retrieval.EntityLister = (*dgraph.Store)(nil)

// TestEntities: Entities lists every entity of the namespace once, in ID
// order, with its current labels, over several pages; an error from fn
// stops it.
func TestEntities(t *testing.T) {
	addr := serverAddr(t)
	ctx := context.Background()
	ns := namespace(t)
	s := open(t, addr, ns)
	defer s.Close()
	b := &graph.Batch{Source: "terms.tbx"}
	for i := 0; i < 1300; i++ { // more than one page of the default ReadBatch
		id := graph.EntityID(graph.TypeTerm, fmt.Sprintf("en:t%d", i))
		b.Entities = append(b.Entities, graph.Entity{ID: id, Type: graph.TypeTerm, Key: fmt.Sprintf("en:t%d", i)})
		b.Facts = append(b.Facts, graph.NewLabel(id, fmt.Sprintf("t%d", i), "en", graph.StatusPreferred, 1, b.Source, 1, ""))
	}
	if err := s.Upsert(ctx, b); err != nil {
		t.Fatal(err)
	}
	// A superseded label is not current; the entity still is.
	first := b.Facts[0]
	next := graph.NewLabel(first.Subject, "t0 new", "en", graph.StatusPreferred, 1, "", 1, "")
	next.Sources = nil
	if err := s.Supersede(ctx, first.ID, next, "learned"); err != nil {
		t.Fatal(err)
	}
	// Another namespace's entities are not listed.
	other := open(t, addr, ns+"x")
	defer other.Close()
	ob, _ := smallBatch("o.tmx", "elsewhere")
	if err := other.Upsert(ctx, ob); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name      string
		readBatch int
	}{
		{"default pages", 0},
		{"pages of 128", 128},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := dgraph.Open(ctx, addr, dgraph.Options{Namespace: ns, ReadBatch: tt.readBatch})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			var ids []string
			err = s.Entities(ctx, func(e *graph.Entity) error {
				want := "t" + e.Key[len("en:t"):]
				if e.ID == first.Subject {
					want = "t0 new"
				}
				if len(e.Labels) != 1 || e.Labels[0].Text != want || e.Labels[0].Status != graph.StatusPreferred || e.Type != graph.TypeTerm {
					return fmt.Errorf("entity %s (%s) labels = %+v, want one preferred label %q", e.ID, e.Key, e.Labels, want)
				}
				ids = append(ids, e.ID)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(ids) != 1300 || !slices.IsSorted(ids) || len(slices.Compact(slices.Clone(ids))) != 1300 {
				t.Errorf("Entities gave %d entities (sorted: %v), want 1300 distinct in ID order", len(ids), slices.IsSorted(ids))
			}
		})
	}

	stop := errors.New("stop")
	calls := 0
	err := s.Entities(ctx, func(*graph.Entity) error {
		calls++
		return stop
	})
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("Entities with fn failing = %v after %d calls, want %v after 1", err, calls, stop)
	}
}
