// Package storetest is the conformance suite every graph.Store passes. A
// store's test calls Run with a function that opens a new, empty store.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/kgmem/kgmem/graph"
)

// Opener returns a new, empty store. The suite closes it. When reopen is
// non-nil the store is persistent: reopen opens the same store again after
// Close, and the suite checks that nothing was lost.
type Opener func(t *testing.T) (s graph.Store, reopen func() graph.Store)

// Run runs the whole suite.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s graph.Store)
	}{
		{"UpsertAndRead", testUpsertAndRead},
		{"Idempotent", testIdempotent},
		{"LabelLookup", testLabelLookup},
		{"HostileLabels", testHostileLabels},
		{"FactsQuery", testFactsQuery},
		{"Neighbours", testNeighbours},
		{"Supersede", testSupersede},
		{"DeleteSource", testDeleteSource},
		{"Segments", testSegments},
		{"SourceStates", testSourceStates},
		{"Stats", testStats},
		{"Concurrent", testConcurrent},
		{"LargeBatch", testLargeBatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := open(t)
			defer s.Close()
			tt.fn(t, s)
		})
	}
	t.Run("Persistence", func(t *testing.T) {
		s, reopen := open(t)
		if reopen == nil {
			s.Close()
			t.Skip("store is not persistent")
		}
		ctx := context.Background()
		mustUpsert(t, s, fileBatch("a.tmx"))
		want := snapshot(t, s)
		if err := s.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
		s = reopen()
		defer s.Close()
		if got := snapshot(t, s); !reflect.DeepEqual(got, want) {
			t.Errorf("after reopen:\n got %+v\nwant %+v", got, want)
		}
		if _, err := s.Entity(ctx, fileID); err != nil {
			t.Errorf("Entity after reopen: %v", err)
		}
	})
}

var (
	fileID    = graph.EntityID(graph.TypeTerm, "en:file")
	folderID  = graph.EntityID(graph.TypeTerm, "en:folder")
	fileNmID  = graph.EntityID(graph.TypeTerm, "en:file name")
	productID = graph.EntityID(graph.TypeProduct, "en:evolution")
)

// fileBatch is a small graph as build-graph writes it for one file.
func fileBatch(file string) *graph.Batch {
	return &graph.Batch{
		Source: file,
		Entities: []graph.Entity{
			{ID: fileID, Type: graph.TypeTerm, Key: "en:file"},
			{ID: folderID, Type: graph.TypeTerm, Key: "en:folder"},
			{ID: fileNmID, Type: graph.TypeTerm, Key: "en:file name"},
			{ID: productID, Type: graph.TypeProduct, Key: "en:evolution"},
		},
		Facts: []graph.Fact{
			graph.NewLabel(fileID, "file", "en", graph.StatusNone, 1, file, 12, "u1"),
			graph.NewLabel(fileID, "archivo", "es", graph.StatusNone, 0.8, file, 10, "u1"),
			graph.NewLabel(fileID, "fichero", "es-ES", graph.StatusNone, 0.2, file, 2, "u7"),
			graph.NewLabel(folderID, "folder", "en", graph.StatusNone, 1, file, 5, "u2"),
			graph.NewLabel(folderID, "carpeta", "es", graph.StatusNone, 0.9, file, 5, "u2"),
			graph.NewLabel(fileNmID, "file name", "en", graph.StatusNone, 1, file, 3, "u3"),
			graph.NewLabel(fileNmID, "nombre de archivo", "es", graph.StatusNone, 0.7, file, 3, "u3"),
			graph.NewLabel(productID, "Evolution", "en", graph.StatusNone, 1, file, 4, "u4"),
			graph.NewLabel(productID, "Evolution", "es", graph.StatusNone, 1, file, 4, "u4"),
			graph.NewFact(fileID, graph.PredCooccurs, folderID, "", "", 2.5, file, 4, "u5"),
			graph.NewFact(fileID, graph.PredSubterm, fileNmID, "", "", 1, file, 3, ""),
			graph.NewFact(productID, graph.PredCooccurs, fileID, "", "", 0.5, file, 1, "u6"),
		},
		Segments: []graph.Segment{
			seg("Open the file", "Abra el archivo", file, "u1"),
			seg("Delete the folder", "Elimine la carpeta", file, "u2"),
		},
	}
}

func seg(src, tgt, file, unit string) graph.Segment {
	return graph.Segment{
		ID:         graph.SegmentID("en", "es", src, tgt),
		SourceLang: "en", TargetLang: "es",
		Source: src, Target: tgt,
		Status:  "approved",
		Changed: time.Date(2026, 3, 15, 10, 15, 0, 0, time.UTC),
		Sources: []graph.Source{{File: file, Count: 1, Units: []string{unit}}},
	}
}

func mustUpsert(t *testing.T, s graph.Store, b *graph.Batch) {
	t.Helper()
	if err := s.Upsert(context.Background(), b); err != nil {
		t.Fatalf("Upsert(%s): %v", b.Source, err)
	}
}

// state is everything observable about a store, for comparisons.
type state struct {
	Stats    graph.Stats
	Entities map[string]graph.Entity
	Facts    map[string][]graph.Fact
	Segments []graph.Segment
}

func snapshot(t *testing.T, s graph.Store) state {
	t.Helper()
	ctx := context.Background()
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatalf("Stats: %v", err)
	}
	out := state{Stats: st, Entities: map[string]graph.Entity{}, Facts: map[string][]graph.Fact{}}
	for _, id := range []string{fileID, folderID, fileNmID, productID} {
		e, err := s.Entity(ctx, id)
		if errors.Is(err, graph.ErrNotFound) {
			continue
		}
		if err != nil {
			t.Fatalf("Entity(%s): %v", id, err)
		}
		out.Entities[id] = e
		fs, err := s.Facts(ctx, id, graph.FactQuery{History: true})
		if err != nil {
			t.Fatalf("Facts(%s): %v", id, err)
		}
		for i := range fs {
			fs[i].ValidFrom = fs[i].ValidFrom.UTC().Truncate(time.Millisecond)
			fs[i].ValidTo = fs[i].ValidTo.UTC().Truncate(time.Millisecond)
		}
		out.Facts[id] = fs
	}
	err = s.Segments(ctx, func(sg *graph.Segment) error {
		c := *sg
		c.Changed = c.Changed.UTC()
		out.Segments = append(out.Segments, c)
		return nil
	})
	if err != nil {
		t.Fatalf("Segments: %v", err)
	}
	return out
}

func testUpsertAndRead(t *testing.T, s graph.Store) {
	ctx := context.Background()
	mustUpsert(t, s, fileBatch("a.tmx"))

	e, err := s.Entity(ctx, fileID)
	if err != nil {
		t.Fatalf("Entity(file): %v", err)
	}
	if e.ID != fileID || e.Type != graph.TypeTerm || e.Key != "en:file" {
		t.Errorf("Entity(file) = %+v", e)
	}
	want := []graph.Label{
		{Text: "file", Lang: "en", Count: 12, Weight: 1},
		{Text: "archivo", Lang: "es", Count: 10, Weight: 0.8},
		{Text: "fichero", Lang: "es-ES", Count: 2, Weight: 0.2},
	}
	if !reflect.DeepEqual(e.Labels, want) {
		t.Errorf("Entity(file).Labels = %+v, want %+v", e.Labels, want)
	}
	if _, err := s.Entity(ctx, "eNOSUCH"); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("Entity(missing) error = %v, want ErrNotFound", err)
	}
	fs, err := s.Facts(ctx, fileID, graph.FactQuery{Predicate: graph.PredLabel, Lang: "es"})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 2 || fs[0].Literal != "archivo" || fs[1].Literal != "fichero" {
		t.Fatalf("Facts(file, label, es) = %+v, want archivo then fichero", fs)
	}
	f := fs[0]
	if f.ID != graph.FactID(fileID, graph.PredLabel, "", "archivo", "es") || f.Subject != fileID || f.Count != 10 ||
		f.Weight != 0.8 || f.Lang != "es" || f.ValidFrom.IsZero() || !f.ValidTo.IsZero() {
		t.Errorf("fact archivo = %+v", f)
	}
	if len(f.Sources) != 1 || f.Sources[0].File != "a.tmx" || f.Sources[0].Count != 10 ||
		!reflect.DeepEqual(f.Sources[0].Units, []string{"u1"}) {
		t.Errorf("fact archivo sources = %+v", f.Sources)
	}
	sg, err := s.Segment(ctx, graph.SegmentID("en", "es", "Open the file", "Abra el archivo"))
	if err != nil {
		t.Fatalf("Segment: %v", err)
	}
	if sg.Source != "Open the file" || sg.Target != "Abra el archivo" || sg.Status != "approved" ||
		!sg.Changed.Equal(time.Date(2026, 3, 15, 10, 15, 0, 0, time.UTC)) {
		t.Errorf("Segment = %+v", sg)
	}
	if _, err := s.Segment(ctx, "sNOSUCH"); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("Segment(missing) error = %v, want ErrNotFound", err)
	}
}

func testIdempotent(t *testing.T, s graph.Store) {
	mustUpsert(t, s, fileBatch("a.tmx"))
	first := snapshot(t, s)
	mustUpsert(t, s, fileBatch("a.tmx"))
	if second := snapshot(t, s); !reflect.DeepEqual(first, second) {
		t.Errorf("second upsert of the same batch changed the store:\nfirst  %+v\nsecond %+v", first, second)
	}
	// A second file saying the same adds its own contribution.
	mustUpsert(t, s, fileBatch("b.tmx"))
	fs, err := s.Facts(context.Background(), fileID, graph.FactQuery{Predicate: graph.PredLabel, Lang: "es"})
	if err != nil {
		t.Fatal(err)
	}
	if fs[0].Literal != "archivo" || fs[0].Count != 20 || len(fs[0].Sources) != 2 {
		t.Errorf("archivo after two files = %+v, want count 20 from 2 sources", fs[0])
	}
	sg, err := s.Segment(context.Background(), graph.SegmentID("en", "es", "Open the file", "Abra el archivo"))
	if err != nil {
		t.Fatal(err)
	}
	if len(sg.Sources) != 2 {
		t.Errorf("segment sources after two files = %+v, want 2", sg.Sources)
	}
}

func ids(es []graph.Entity) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.ID)
	}
	sort.Strings(out)
	return out
}

func testLabelLookup(t *testing.T, s graph.Store) {
	ctx := context.Background()
	mustUpsert(t, s, fileBatch("a.tmx"))
	tests := []struct {
		text, lang string
		fold       bool
		want       []string
	}{
		{"file", "en", false, []string{fileID}},
		{"File", "en", false, nil},
		{"File", "en", true, []string{fileID}},
		{"FILE NAME", "en", true, []string{fileNmID}},
		{"archivo", "es", false, []string{fileID}},
		{"fichero", "es", false, []string{fileID}},      // es covers es-ES
		{"fichero", "es-ES", false, []string{fileID}},   // exact tag
		{"archivo", "es-ES", false, nil},                // es-ES does not cover es
		{"Evolution", "es", false, []string{productID}}, // same label in two languages
		{"evolution", "en", true, []string{productID}},
		{"file", "es", false, nil},
		{"fil", "en", true, nil},
		{"", "en", true, nil},
	}
	for _, tt := range tests {
		got, err := s.EntitiesByLabel(ctx, tt.text, tt.lang, tt.fold)
		if err != nil {
			t.Errorf("EntitiesByLabel(%q, %q, %v): %v", tt.text, tt.lang, tt.fold, err)
			continue
		}
		if g := ids(got); !reflect.DeepEqual(g, tt.want) {
			t.Errorf("EntitiesByLabel(%q, %q, %v) = %v, want %v", tt.text, tt.lang, tt.fold, g, tt.want)
		}
		for _, e := range got {
			if len(e.Labels) == 0 {
				t.Errorf("EntitiesByLabel(%q) returned entity %s without labels", tt.text, e.ID)
			}
		}
	}
	// Unicode folding: ß folds like ss, Σ like σ.
	id := graph.EntityID(graph.TypeTerm, "de:straße")
	mustUpsert(t, s, &graph.Batch{Source: "de.tbx",
		Entities: []graph.Entity{{ID: id, Type: graph.TypeTerm, Key: "de:straße"}},
		Facts:    []graph.Fact{graph.NewLabel(id, "Straße", "de", graph.StatusPreferred, 1, "de.tbx", 1, "")},
	})
	for _, q := range []string{"STRASSE", "straße", "Straße"} {
		got, err := s.EntitiesByLabel(ctx, q, "de", true)
		if err != nil || len(got) != 1 || got[0].ID != id {
			t.Errorf("EntitiesByLabel(%q, de, fold) = %v, %v; want [%s]", q, ids(got), err, id)
		}
	}
}

// testHostileLabels stores text that would break a query built by string
// concatenation, and reads it back unchanged.
func testHostileLabels(t *testing.T, s graph.Store) {
	ctx := context.Background()
	hostile := []string{
		`"}) { uid } #`,
		`$x`,
		`" OR 1=1 --`,
		"line\nbreak\ttab",
		`\" \\ \u0000`,
		"<script>alert(1)</script>",
		`@filter(eq(xid, "x"))`,
		"日本語 ✓ emoji 🎉",
		`{"json": true}`,
		"'single' `back`",
	}
	b := &graph.Batch{Source: `we"ird}.tmx`}
	for i, h := range hostile {
		id := graph.EntityID(graph.TypeTerm, fmt.Sprintf("en:%d:%s", i, h))
		b.Entities = append(b.Entities, graph.Entity{ID: id, Type: graph.TypeTerm, Key: "en:" + h})
		b.Facts = append(b.Facts, graph.NewLabel(id, h, "en", graph.StatusNone, 1, b.Source, 1, h))
		b.Segments = append(b.Segments, seg(h, h+" (es)", b.Source, h))
	}
	mustUpsert(t, s, b)
	for i, h := range hostile {
		id := graph.EntityID(graph.TypeTerm, fmt.Sprintf("en:%d:%s", i, h))
		got, err := s.EntitiesByLabel(ctx, h, "en", false)
		if err != nil {
			t.Errorf("EntitiesByLabel(%q): %v", h, err)
			continue
		}
		if len(got) != 1 || got[0].ID != id || got[0].Key != "en:"+h || got[0].Labels[0].Text != h {
			t.Errorf("EntitiesByLabel(%q) = %+v, want entity %s with that label", h, got, id)
		}
		sg, err := s.Segment(ctx, graph.SegmentID("en", "es", h, h+" (es)"))
		if err != nil || sg.Source != h || sg.Target != h+" (es)" || sg.Sources[0].Units[0] != h {
			t.Errorf("Segment(%q) = %+v, %v", h, sg, err)
		}
	}
	if err := s.DeleteSource(ctx, b.Source); err != nil {
		t.Fatalf("DeleteSource(%q): %v", b.Source, err)
	}
	if got, _ := s.EntitiesByLabel(ctx, hostile[0], "en", false); len(got) != 0 {
		t.Errorf("after DeleteSource, EntitiesByLabel(%q) = %v", hostile[0], got)
	}
}

func testFactsQuery(t *testing.T, s graph.Store) {
	ctx := context.Background()
	mustUpsert(t, s, fileBatch("a.tmx"))
	all, err := s.Facts(ctx, fileID, graph.FactQuery{})
	if err != nil {
		t.Fatal(err)
	}
	// label file(12), archivo(10), cooccurs(4), subterm(3), fichero(2): by count.
	var got []string
	for _, f := range all {
		got = append(got, f.Predicate+":"+f.Literal+f.Object)
	}
	want := []string{"label:file", "label:archivo", "cooccurs:" + folderID, "subterm_of:" + fileNmID, "label:fichero"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Facts(file) = %v, want %v", got, want)
	}
	lim, err := s.Facts(ctx, fileID, graph.FactQuery{Limit: 2})
	if err != nil || len(lim) != 2 || lim[1].Literal != "archivo" {
		t.Errorf("Facts(file, limit 2) = %+v, %v", lim, err)
	}
	co, err := s.Facts(ctx, fileID, graph.FactQuery{Predicate: graph.PredCooccurs})
	if err != nil || len(co) != 1 || co[0].Object != folderID || co[0].Weight != 2.5 {
		t.Errorf("Facts(file, cooccurs) = %+v, %v", co, err)
	}
	none, err := s.Facts(ctx, "eNOSUCH", graph.FactQuery{})
	if err != nil || len(none) != 0 {
		t.Errorf("Facts(missing) = %v, %v; want none, nil", none, err)
	}
}

func testNeighbours(t *testing.T, s graph.Store) {
	ctx := context.Background()
	mustUpsert(t, s, fileBatch("a.tmx"))
	ns, err := s.Neighbours(ctx, fileID, 0)
	if err != nil {
		t.Fatal(err)
	}
	// folder (2.5, out), file name (1, out), Evolution (0.5, in).
	var got []string
	for _, n := range ns {
		got = append(got, n.Entity.ID)
		if len(n.Entity.Labels) == 0 {
			t.Errorf("neighbour %s has no labels", n.Entity.ID)
		}
	}
	if want := []string{folderID, fileNmID, productID}; !reflect.DeepEqual(got, want) {
		t.Errorf("Neighbours(file) = %v, want %v", got, want)
	}
	if ns[2].Fact.Subject != productID || ns[2].Fact.Object != fileID {
		t.Errorf("incoming neighbour fact = %+v", ns[2].Fact)
	}
	ns, err = s.Neighbours(ctx, fileID, 1)
	if err != nil || len(ns) != 1 || ns[0].Entity.ID != folderID {
		t.Errorf("Neighbours(file, 1) = %+v, %v", ns, err)
	}
}

func testSupersede(t *testing.T, s graph.Store) {
	ctx := context.Background()
	mustUpsert(t, s, fileBatch("a.tmx"))
	old := graph.FactID(fileID, graph.PredLabel, "", "archivo", "es")
	// Now, not later: a fact superseded in the future is still current.
	at := time.Now().UTC().Truncate(time.Millisecond)
	next := graph.NewLabel(fileID, "fichero", "es", graph.StatusPreferred, 1, "", 1, "")
	next.ValidFrom = at
	next.Sources = []graph.Source{{File: "learned", Count: 1, Units: []string{"approval-1"}}}
	if err := s.Supersede(ctx, old, next, "learned"); err != nil {
		t.Fatalf("Supersede: %v", err)
	}
	if err := s.Supersede(ctx, "fNOSUCH", next, "learned"); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("Supersede(missing) error = %v, want ErrNotFound", err)
	}
	cur, err := s.Facts(ctx, fileID, graph.FactQuery{Predicate: graph.PredLabel, Lang: "es"})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range cur {
		if f.ID == old {
			t.Errorf("superseded fact still current: %+v", f)
		}
	}
	hist, err := s.Facts(ctx, fileID, graph.FactQuery{Predicate: graph.PredLabel, Lang: "es", History: true})
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, f := range hist {
		if f.ID == old {
			found = true
			if !f.ValidTo.Equal(at) {
				t.Errorf("superseded fact ValidTo = %v, want %v", f.ValidTo, at)
			}
			if f.Count != 10 || f.Literal != "archivo" {
				t.Errorf("superseded fact changed: %+v", f)
			}
		}
	}
	if !found {
		t.Errorf("superseded fact missing from history: %+v", hist)
	}
	e, err := s.Entity(ctx, fileID)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range e.Labels {
		if l.Text == "archivo" {
			t.Errorf("Entity labels still include superseded archivo: %+v", e.Labels)
		}
	}
	if got, _ := s.EntitiesByLabel(ctx, "archivo", "es", false); len(got) != 0 {
		t.Errorf("EntitiesByLabel(archivo) after supersede = %v, want none", ids(got))
	}
	// The learned preferred label: status preferred, and its source kept.
	var pref *graph.Fact
	for i := range cur {
		if cur[i].Literal == "fichero" && cur[i].Lang == "es" {
			pref = &cur[i]
		}
	}
	if pref == nil || pref.Status != graph.StatusPreferred || len(pref.Sources) != 1 || pref.Sources[0].File != "learned" {
		t.Errorf("learned label = %+v", pref)
	}
	// Rewriting the original file does not bring the old fact back.
	mustUpsert(t, s, fileBatch("a.tmx"))
	if got, _ := s.EntitiesByLabel(ctx, "archivo", "es", false); len(got) != 0 {
		t.Errorf("rewriting the source revived a superseded fact")
	}
}

func testDeleteSource(t *testing.T, s graph.Store) {
	ctx := context.Background()
	mustUpsert(t, s, fileBatch("a.tmx"))
	b := fileBatch("b.tmx")
	b.Facts = b.Facts[:2] // b.tmx only says file/archivo
	b.Segments = b.Segments[:1]
	b.Entities = b.Entities[:1]
	mustUpsert(t, s, b)
	if err := s.DeleteSource(ctx, "a.tmx"); err != nil {
		t.Fatalf("DeleteSource: %v", err)
	}
	if _, err := s.Entity(ctx, folderID); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("folder survived deleting its only source: %v", err)
	}
	e, err := s.Entity(ctx, fileID)
	if err != nil {
		t.Fatalf("file entity deleted though b.tmx still says it: %v", err)
	}
	if len(e.Labels) != 2 {
		t.Errorf("file labels after delete = %+v, want file and archivo", e.Labels)
	}
	for _, l := range e.Labels {
		if l.Count != map[string]int{"file": 12, "archivo": 10}[l.Text] {
			t.Errorf("label %q count = %d after deleting a.tmx", l.Text, l.Count)
		}
	}
	n := 0
	_ = s.Segments(ctx, func(*graph.Segment) error { n++; return nil })
	if n != 1 {
		t.Errorf("segments after delete = %d, want 1", n)
	}
	if ns, _ := s.Neighbours(ctx, fileID, 0); len(ns) != 0 {
		t.Errorf("neighbours after delete = %+v, want none", ns)
	}
	if err := s.DeleteSource(ctx, "never-written.tmx"); err != nil {
		t.Errorf("DeleteSource(unknown) = %v, want nil", err)
	}
}

func testSegments(t *testing.T, s graph.Store) {
	ctx := context.Background()
	b := &graph.Batch{Source: "big.tsv"}
	for i := 0; i < 250; i++ {
		sg := seg(fmt.Sprintf("Sentence number %d.", i), fmt.Sprintf("Frase número %d.", i), b.Source, fmt.Sprint(i))
		sg.Mentions = []graph.Mention{{Entity: fileID, Side: graph.SideSource, Start: 0, End: 8}}
		if i > 0 {
			sg.Prev = fmt.Sprintf("Sentence number %d.", i-1)
		}
		b.Segments = append(b.Segments, sg)
	}
	mustUpsert(t, s, b)
	var got []string
	err := s.Segments(ctx, func(sg *graph.Segment) error {
		got = append(got, sg.ID)
		if len(sg.Mentions) != 1 || sg.Mentions[0].End != 8 {
			return fmt.Errorf("segment %s mentions = %+v", sg.ID, sg.Mentions)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 250 || !sort.StringsAreSorted(got) {
		t.Errorf("Segments returned %d segments (sorted: %v), want 250 in ID order", len(got), sort.StringsAreSorted(got))
	}
	stop := errors.New("stop")
	n := 0
	err = s.Segments(ctx, func(*graph.Segment) error {
		n++
		if n == 10 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 10 {
		t.Errorf("Segments with fn error: err=%v after %d calls, want stop after 10", err, n)
	}
}

func testSourceStates(t *testing.T, s graph.Store) {
	ctx := context.Background()
	st := graph.SourceState{File: "a.tmx", Hash: "abc", Units: 10, Complete: false, Updated: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	if err := s.SetSourceState(ctx, st); err != nil {
		t.Fatal(err)
	}
	st.Complete = true
	if err := s.SetSourceState(ctx, st); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSourceState(ctx, graph.SourceState{File: "b.po", Hash: "def", Units: 3}); err != nil {
		t.Fatal(err)
	}
	got, err := s.SourceStates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].File != "a.tmx" || !got[0].Complete || got[0].Hash != "abc" || got[0].Units != 10 ||
		!got[0].Updated.Equal(st.Updated) || got[1].File != "b.po" {
		t.Errorf("SourceStates = %+v", got)
	}
}

func testStats(t *testing.T, s graph.Store) {
	ctx := context.Background()
	empty, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if empty.Segments != 0 || empty.Entities != 0 || empty.Facts != 0 {
		t.Errorf("Stats of an empty store = %+v", empty)
	}
	mustUpsert(t, s, fileBatch("a.tmx"))
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := graph.Stats{Segments: 2, Entities: 4, Labels: 9, Facts: 12,
		ByPredicate: map[string]int{graph.PredLabel: 9, graph.PredCooccurs: 2, graph.PredSubterm: 1}}
	if !reflect.DeepEqual(st, want) {
		t.Errorf("Stats = %+v, want %+v", st, want)
	}
}

func testConcurrent(t *testing.T, s graph.Store) {
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for w := 0; w < 4; w++ {
		wg.Add(2)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				if err := s.Upsert(ctx, fileBatch(fmt.Sprintf("f%d-%d.tmx", w, i%3))); err != nil {
					errs <- err
					return
				}
			}
		}(w)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				if _, err := s.EntitiesByLabel(ctx, "file", "en", true); err != nil {
					errs <- err
					return
				}
				if _, err := s.Neighbours(ctx, fileID, 0); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent use: %v", err)
	}
	fs, err := s.Facts(ctx, fileID, graph.FactQuery{Predicate: graph.PredLabel, Lang: "es"})
	if err != nil {
		t.Fatal(err)
	}
	// 4 writers × 3 distinct files, 10 each: archivo said by 12 files.
	if len(fs) == 0 || fs[0].Count != 120 || len(fs[0].Sources) != 12 {
		t.Errorf("archivo after concurrent writes = %+v, want count 120 from 12 sources", fs)
	}
}

func testLargeBatch(t *testing.T, s graph.Store) {
	ctx := context.Background()
	b := &graph.Batch{Source: "large.tmx"}
	for i := 0; i < 3000; i++ {
		id := graph.EntityID(graph.TypeTerm, fmt.Sprintf("en:term%d", i))
		b.Entities = append(b.Entities, graph.Entity{ID: id, Type: graph.TypeTerm, Key: fmt.Sprintf("en:term%d", i)})
		b.Facts = append(b.Facts,
			graph.NewLabel(id, fmt.Sprintf("term%d", i), "en", graph.StatusNone, 1, b.Source, 1, ""),
			graph.NewLabel(id, fmt.Sprintf("término%d", i), "es", graph.StatusNone, 1, b.Source, 1, ""))
		b.Segments = append(b.Segments, seg(fmt.Sprintf("Use term%d here.", i), fmt.Sprintf("Use término%d aquí.", i), b.Source, fmt.Sprint(i)))
	}
	mustUpsert(t, s, b)
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Entities != 3000 || st.Facts != 6000 || st.Segments != 3000 {
		t.Errorf("Stats after a large batch = %+v", st)
	}
	got, err := s.EntitiesByLabel(ctx, "TÉRMINO2999", "es", true)
	if err != nil || len(got) != 1 {
		t.Errorf("EntitiesByLabel(TÉRMINO2999) = %v, %v", ids(got), err)
	}
}
