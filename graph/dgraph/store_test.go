package dgraph_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/graph/dgraph"
	"github.com/kgmem/kgmem/graph/storetest"
	"github.com/kgmem/kgmem/internal/testenv"
)

// AddrEnv names the environment variable with the gRPC address of the
// Dgraph alpha the tests use.
const AddrEnv = "KGMEM_DGRAPH_ADDR"

// serverAddr returns the test server's address, or skips (fails under
// KGMEM_REQUIRE_ALL=1) when there is none.
func serverAddr(tb testing.TB) string {
	tb.Helper()
	addr := os.Getenv(AddrEnv)
	if addr == "" {
		msg := AddrEnv + " is not set; start a server with `scripts/dgraph-local.sh start` and export " + AddrEnv + "=<the address it prints>"
		if os.Getenv(testenv.RequireEnv) == "1" {
			tb.Fatalf("%s (and %s=1 forbids skipping)", msg, testenv.RequireEnv)
		}
		tb.Skip(msg)
	}
	return addr
}

// namespace returns a namespace no other test uses, so that tests share
// one server without seeing each other's data.
func namespace(tb testing.TB) string {
	tb.Helper()
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		tb.Fatal(err)
	}
	return "test-" + hex.EncodeToString(b)
}

func open(tb testing.TB, addr, ns string) *dgraph.Store {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := dgraph.Open(ctx, addr, dgraph.Options{Namespace: ns})
	if err != nil {
		tb.Fatalf("Open(%s, %q): %v", addr, ns, err)
	}
	return s
}

func TestStore(t *testing.T) {
	addr := serverAddr(t)
	storetest.Run(t, func(t *testing.T) (graph.Store, func() graph.Store) {
		ns := namespace(t)
		return open(t, addr, ns), func() graph.Store { return open(t, addr, ns) }
	})
}

// smallBatch writes entity e with an English label, from file.
func smallBatch(file, key string) (*graph.Batch, string) {
	id := graph.EntityID(graph.TypeTerm, key)
	return &graph.Batch{
		Source:   file,
		Entities: []graph.Entity{{ID: id, Type: graph.TypeTerm, Key: key}},
		Facts:    []graph.Fact{graph.NewLabel(id, key, "en", graph.StatusNone, 1, file, 1, "")},
		Segments: []graph.Segment{{ID: graph.SegmentID("en", "es", key, key), SourceLang: "en", TargetLang: "es", Source: key, Target: key}},
	}, id
}

func TestNamespaces(t *testing.T) {
	addr := serverAddr(t)
	ctx := context.Background()
	base := namespace(t)
	// "x" is a prefix of "xy": neither may see the other's data.
	a, ab := open(t, addr, base+"x"), open(t, addr, base+"xy")
	defer a.Close()
	defer ab.Close()
	b, id := smallBatch("a.tmx", "apple")
	if err := a.Upsert(ctx, b); err != nil {
		t.Fatal(err)
	}
	if err := a.SetSourceState(ctx, graph.SourceState{File: "a.tmx", Complete: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := ab.Entity(ctx, id); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("other namespace: Entity(%s) error = %v, want ErrNotFound", id, err)
	}
	if got, err := ab.EntitiesByLabel(ctx, "apple", "", false); err != nil || len(got) != 0 {
		t.Errorf("other namespace: EntitiesByLabel(apple) = %v, %v; want none", got, err)
	}
	st, err := ab.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Entities != 0 || st.Facts != 0 || st.Segments != 0 || st.Sources != 0 {
		t.Errorf("other namespace: Stats = %+v, want empty", st)
	}
	if err := ab.DeleteSource(ctx, "a.tmx"); err != nil {
		t.Fatal(err)
	}
	st, err = a.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := (graph.Stats{Segments: 1, Entities: 1, Labels: 1, Facts: 1, Sources: 1, ByPredicate: map[string]int{"label": 1}}); !reflect.DeepEqual(st, want) {
		t.Errorf("Stats after another namespace deleted the same file = %+v, want %+v", st, want)
	}
	// Lang "" covers every language.
	if got, err := a.EntitiesByLabel(ctx, "APPLE", "", true); err != nil || len(got) != 1 || got[0].ID != id {
		t.Errorf("EntitiesByLabel(APPLE, \"\", fold) = %+v, %v", got, err)
	}
	if _, err := dgraph.Open(ctx, addr, dgraph.Options{Namespace: "a/b"}); err == nil {
		t.Errorf("Open with namespace a/b succeeded")
	}
}

func TestInvalid(t *testing.T) {
	addr := serverAddr(t)
	ctx := context.Background()
	s := open(t, addr, namespace(t))
	defer s.Close()
	e := graph.EntityID(graph.TypeTerm, "en:x")
	tests := []struct {
		name string
		b    graph.Batch
	}{
		{"entity without ID", graph.Batch{Source: "f", Entities: []graph.Entity{{Type: graph.TypeTerm}}}},
		{"fact without subject", graph.Batch{Source: "f", Facts: []graph.Fact{{ID: "f1", Predicate: "p"}}}},
		{"fact without ID", graph.Batch{Source: "f", Facts: []graph.Fact{{Subject: e, Predicate: "p"}}}},
		{"fact about an unknown entity", graph.Batch{Source: "f", Facts: []graph.Fact{graph.NewLabel(e, "x", "en", "", 1, "f", 1, "")}}},
		{"fact with unknown object", graph.Batch{Source: "f",
			Entities: []graph.Entity{{ID: e, Type: graph.TypeTerm, Key: "en:x"}},
			Facts:    []graph.Fact{graph.NewFact(e, graph.PredCooccurs, "eNOSUCH", "", "", 1, "f", 1, "")}}},
		{"segment without ID", graph.Batch{Source: "f", Segments: []graph.Segment{{Source: "x"}}}},
	}
	for _, tt := range tests {
		if err := s.Upsert(ctx, &tt.b); !errors.Is(err, graph.ErrInvalid) {
			t.Errorf("Upsert(%s) = %v, want ErrInvalid", tt.name, err)
		}
	}
	if st, _ := s.Stats(ctx); st.Entities != 0 {
		t.Errorf("a rejected batch wrote %+v", st)
	}
}

// TestDeleteSourceKeepsReferencedEntity: an entity whose declaring file is
// deleted stays while another file's fact still refers to it, and goes
// with that fact.
func TestDeleteSourceKeepsReferencedEntity(t *testing.T) {
	addr := serverAddr(t)
	ctx := context.Background()
	s := open(t, addr, namespace(t))
	defer s.Close()
	a, apple := smallBatch("a.tmx", "apple")
	if err := s.Upsert(ctx, a); err != nil {
		t.Fatal(err)
	}
	b, pear := smallBatch("b.tmx", "pear")
	b.Facts = append(b.Facts, graph.NewFact(pear, graph.PredCooccurs, apple, "", "", 1, "b.tmx", 2, ""))
	if err := s.Upsert(ctx, b); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteSource(ctx, "a.tmx"); err != nil {
		t.Fatal(err)
	}
	e, err := s.Entity(ctx, apple)
	if err != nil {
		t.Fatalf("apple deleted though b.tmx refers to it: %v", err)
	}
	if len(e.Labels) != 0 {
		t.Errorf("apple labels after deleting a.tmx = %+v", e.Labels)
	}
	if ns, err := s.Neighbours(ctx, pear, 0); err != nil || len(ns) != 1 || ns[0].Entity.ID != apple {
		t.Errorf("Neighbours(pear) = %+v, %v", ns, err)
	}
	if err := s.DeleteSource(ctx, "b.tmx"); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{apple, pear} {
		if _, err := s.Entity(ctx, id); !errors.Is(err, graph.ErrNotFound) {
			t.Errorf("Entity(%s) after deleting both files: %v, want ErrNotFound", id, err)
		}
	}
	if st, err := s.Stats(ctx); err != nil || st.Entities+st.Facts+st.Segments != 0 {
		t.Errorf("Stats after deleting both files = %+v, %v", st, err)
	}
}

// TestSupersedeRevives: superseding a fact by one that was superseded
// before makes it current again.
func TestSupersedeRevives(t *testing.T) {
	addr := serverAddr(t)
	ctx := context.Background()
	s := open(t, addr, namespace(t))
	defer s.Close()
	b, id := smallBatch("a.tmx", "apple")
	manzana := graph.NewLabel(id, "manzana", "es", "", 1, "a.tmx", 3, "")
	poma := graph.NewLabel(id, "poma", "es", "", 1, "a.tmx", 1, "")
	b.Facts = append(b.Facts, manzana, poma)
	if err := s.Upsert(ctx, b); err != nil {
		t.Fatal(err)
	}
	// Without Sources, next is attributed to "learned" with its Count.
	next := func(f graph.Fact) graph.Fact { f.Sources = nil; return f }
	if err := s.Supersede(ctx, manzana.ID, next(poma), "learned"); err != nil {
		t.Fatal(err)
	}
	if err := s.Supersede(ctx, poma.ID, next(manzana), "learned"); err != nil {
		t.Fatal(err)
	}
	fs, err := s.Facts(ctx, id, graph.FactQuery{Lang: "es"})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].ID != manzana.ID || !fs[0].ValidTo.IsZero() || fs[0].Count != 3+3 {
		t.Errorf("current Spanish labels = %+v, want manzana only, counted by a.tmx and learned", fs)
	}
	if err := s.Supersede(ctx, manzana.ID, manzana, "learned"); !errors.Is(err, graph.ErrInvalid) {
		t.Errorf("Supersede(fact, itself) = %v, want ErrInvalid", err)
	}
}

// TestSourceStateOverwrite: every field of a state is replaced, zero values
// too.
func TestSourceStateOverwrite(t *testing.T) {
	addr := serverAddr(t)
	ctx := context.Background()
	s := open(t, addr, namespace(t))
	defer s.Close()
	file := `we"ird}.tmx`
	full := graph.SourceState{File: file, Hash: "abc", Units: 7, Complete: true, Updated: time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)}
	for _, st := range []graph.SourceState{full, {File: file}} {
		if err := s.SetSourceState(ctx, st); err != nil {
			t.Fatal(err)
		}
		got, err := s.SourceStates(ctx)
		if err != nil || len(got) != 1 || got[0] != st {
			t.Errorf("SourceStates after SetSourceState(%+v) = %+v, %v", st, got, err)
		}
	}
	if err := s.DeleteSource(ctx, file); err != nil {
		t.Fatal(err)
	}
	if got, err := s.SourceStates(ctx); err != nil || len(got) != 0 {
		t.Errorf("SourceStates after DeleteSource = %+v, %v; want none", got, err)
	}
}

// TestNumberListValues: values that look like lists of numbers come back
// as written. (Dgraph's JSON mutations store such strings as float
// vectors: "[1, 2]" came back as "[1,2]" and was not found by its label.)
func TestNumberListValues(t *testing.T) {
	addr := serverAddr(t)
	ctx := context.Background()
	s := open(t, addr, namespace(t))
	defer s.Close()
	tests := []string{"[1, 2]", "[0.50]", "[3]", " [1,2] "}
	for _, text := range tests {
		key := "en:" + text
		id := graph.EntityID(graph.TypeTerm, key)
		file := text + ".tmx"
		b := &graph.Batch{
			Source:   file,
			Entities: []graph.Entity{{ID: id, Type: graph.TypeTerm, Key: key}},
			Facts:    []graph.Fact{graph.NewLabel(id, text, "en", graph.StatusNone, 1, file, 1, "")},
		}
		if err := s.Upsert(ctx, b); err != nil {
			t.Fatal(err)
		}
		got, err := s.EntitiesByLabel(ctx, text, "en", false)
		if err != nil || len(got) != 1 || got[0].Key != key || len(got[0].Labels) != 1 || got[0].Labels[0].Text != text {
			t.Errorf("EntitiesByLabel(%q) = %+v, %v; want the entity with key %q and that label", text, got, err, key)
		}
		if err := s.SetSourceState(ctx, graph.SourceState{File: file, Hash: text}); err != nil {
			t.Fatal(err)
		}
	}
	sts, err := s.SourceStates(ctx)
	if err != nil || len(sts) != len(tests) {
		t.Fatalf("SourceStates = %+v, %v", sts, err)
	}
	for _, st := range sts {
		if st.File != st.Hash+".tmx" {
			t.Errorf("source state %q has hash %q, want %q", st.File, st.Hash, strings.TrimSuffix(st.File, ".tmx"))
		}
	}
}
