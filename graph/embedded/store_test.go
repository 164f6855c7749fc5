package embedded

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

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

// TestUpsertLarge writes batches of several prepared chunks, whose facts
// and segments the store partly holds already (from another file, or from
// the same batch), and checks the counts and that writing again changes
// nothing.
func TestUpsertLarge(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "graph.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	batch := func(file string, from, to int) *graph.Batch {
		b := &graph.Batch{Source: file}
		for i := from; i < to; i++ {
			id := graph.EntityID(graph.TypeTerm, fmt.Sprintf("en:t%d", i))
			b.Entities = append(b.Entities, graph.Entity{ID: id, Type: graph.TypeTerm, Key: fmt.Sprintf("en:t%d", i)})
			b.Facts = append(b.Facts,
				graph.NewLabel(id, fmt.Sprintf("T%d", i), "en", graph.StatusNone, 1, file, 1, "#1"),
				graph.NewFact(id, graph.PredCooccurs, graph.EntityID(graph.TypeTerm, fmt.Sprintf("en:t%d", i+1)), "", "", 0.5, "", 2, ""))
			if i%100 == 0 { // the same fact twice in one batch
				b.Facts = append(b.Facts, graph.NewLabel(id, fmt.Sprintf("T%d", i), "en", graph.StatusNone, 1, file, 1, "#2"))
			}
			b.Segments = append(b.Segments, graph.Segment{ID: graph.SegmentID("en", "es", fmt.Sprint(i), "x"), SourceLang: "en", TargetLang: "es",
				Source: fmt.Sprint(i), Target: "x", Mentions: []graph.Mention{{Entity: id, Side: graph.SideSource, Start: 0, End: 1}}})
		}
		return b
	}
	// b overlaps a by half; c is b again.
	a, b, c := batch("a.tsv", 0, 3000), batch("b.tsv", 1500, 4500), batch("b.tsv", 1500, 4500)
	for _, bt := range []*graph.Batch{a, b} {
		if err := s.Upsert(ctx, bt); err != nil {
			t.Fatal(err)
		}
	}
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Entities != 4500 || st.Facts != 9000 || st.Labels != 4500 || st.Segments != 4500 {
		t.Errorf("Stats = %+v, want 4500 entities, 9000 facts, 4500 labels, 4500 segments", st)
	}
	before := dumpBuckets(t, s)
	if err := s.Upsert(ctx, c); err != nil {
		t.Fatal(err)
	}
	if after := dumpBuckets(t, s); after != before {
		t.Errorf("writing a batch again changed the store")
	}
	fs, err := s.Facts(ctx, graph.EntityID(graph.TypeTerm, "en:t2000"), graph.FactQuery{Predicate: graph.PredLabel})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].Count != 2 || len(fs[0].Sources) != 2 || fs[0].Sources[0].Units[0] != "#2" {
		t.Errorf("label of t2000 = %+v, want one with count 2 from two files, the later fact of a batch replacing the earlier", fs)
	}
}

// dumpBuckets returns every key and value of the store, but the time a
// fact was first written.
func dumpBuckets(t *testing.T, s *Store) string {
	t.Helper()
	var b strings.Builder
	err := s.db.View(func(tx *bolt.Tx) error {
		for _, name := range allBuckets {
			err := tx.Bucket(name).ForEach(func(k, v []byte) error {
				if string(name) == string(bFacts) {
					var f graph.Fact
					if err := json.Unmarshal(v, &f); err != nil {
						return err
					}
					f.ValidFrom = time.Time{}
					v, _ = json.Marshal(f)
				}
				fmt.Fprintf(&b, "%s %q %s\n", name, k, v)
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}
