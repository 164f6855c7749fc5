package embedded

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"testing"

	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/graph/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) (graph.Store, func() graph.Store) {
		path := filepath.Join(t.TempDir(), "graph.db")
		s, err := Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		return s, func() graph.Store {
			s, err := Open(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
	})
}

func TestEntities(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "graph.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	b := &graph.Batch{Source: "terms.tbx"}
	for i := 0; i < 1300; i++ { // more than two pages
		id := graph.EntityID(graph.TypeTerm, fmt.Sprintf("en:t%d", i))
		b.Entities = append(b.Entities, graph.Entity{ID: id, Type: graph.TypeTerm, Key: fmt.Sprintf("en:t%d", i)})
		b.Facts = append(b.Facts, graph.NewLabel(id, fmt.Sprintf("t%d", i), "en", graph.StatusPreferred, 1, b.Source, 1, ""))
	}
	if err := s.Upsert(ctx, b); err != nil {
		t.Fatal(err)
	}
	var ids []string
	err = s.Entities(ctx, func(e *graph.Entity) error {
		if len(e.Labels) != 1 || e.Labels[0].Status != graph.StatusPreferred {
			return fmt.Errorf("entity %s labels = %+v", e.ID, e.Labels)
		}
		ids = append(ids, e.ID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 1300 || !sort.StringsAreSorted(ids) {
		t.Errorf("Entities gave %d entities (sorted: %v), want 1300 in ID order", len(ids), sort.StringsAreSorted(ids))
	}
}
