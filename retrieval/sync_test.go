package retrieval

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/graph/embedded"
)

// seg returns an English–Spanish segment of a file.
func seg(file, src, tgt string) graph.Segment {
	return graph.Segment{ID: graph.SegmentID("en", "es", src, tgt), SourceLang: "en", TargetLang: "es",
		Source: src, Target: tgt, Status: "translated", Sources: []graph.Source{{File: file, Count: 1, Units: []string{"#1"}}}}
}

// writeFile replaces a file's contribution to the store as the build
// pipeline does, with its entities.
func writeFile(ctx context.Context, t *testing.T, st graph.Store, file string, segs []graph.Segment, ents []graph.Entity, facts []graph.Fact) {
	t.Helper()
	mark := graph.SourceState{File: file, Hash: fmt.Sprint(len(segs), segs), Updated: time.Now().UTC()}
	if err := st.DeleteSource(ctx, file); err != nil {
		t.Fatal(err)
	}
	if err := st.SetSourceState(ctx, mark); err != nil {
		t.Fatal(err)
	}
	if err := st.Upsert(ctx, &graph.Batch{Source: file, Segments: segs, Entities: ents, Facts: facts}); err != nil {
		t.Fatal(err)
	}
	mark.Complete, mark.Units = true, len(segs)
	if err := st.SetSourceState(ctx, mark); err != nil {
		t.Fatal(err)
	}
}

// mention adds a mention of an entity to a segment's source.
func mention(sg graph.Segment, entity string, start, end int) graph.Segment {
	sg.Mentions = append(sg.Mentions, graph.Mention{Entity: entity, Side: graph.SideSource, Start: start, End: end})
	return sg
}

// termEntity returns an entity named label in English, translated, and
// its label facts, from file.
func termEntity(file, label, translation string) (graph.Entity, []graph.Fact) {
	e := graph.Entity{ID: graph.EntityID(graph.TypeTerm, "en:"+label), Type: graph.TypeTerm, Key: "en:" + label}
	return e, []graph.Fact{
		graph.NewLabel(e.ID, label, "en", graph.StatusPreferred, 1, file, 1, ""),
		graph.NewLabel(e.ID, translation, "es", graph.StatusPreferred, 1, file, 1, ""),
	}
}

// snapshot is everything an index holds, for comparing two indexes.
type snapshot struct {
	Docs     map[string]record
	Entities []entityRec
	Sources  map[string]graph.SourceState
}

func takeSnapshot(t *testing.T, x *Index) snapshot {
	t.Helper()
	s := snapshot{Docs: map[string]record{}, Entities: x.table.recs, Sources: x.man.Sources}
	for _, sh := range x.shards {
		req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), 1<<20, 0, false)
		req.Fields = []string{fData}
		res, err := sh.Search(req)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			data, _ := h.Fields[fData].(string)
			r, err := decodeRecord(data)
			if err != nil {
				t.Fatal(err)
			}
			s.Docs[h.ID] = r
		}
	}
	return s
}

// ids returns the sorted document IDs of a snapshot.
func (s snapshot) ids() []string {
	return sortedKeys(s.Docs)
}

func TestCatchUpIncremental(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := embedded.Open(ctx, filepath.Join(dir, "graph.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	shared := seg("a.tmx", "Shared sentence here", "Frase compartida")
	sharedB := shared
	sharedB.Sources = []graph.Source{{File: "b.tmx", Count: 1, Units: []string{"#1"}}}
	eFile, fFile := termEntity("a.tmx", "file", "archivo")
	eNote, fNote := termEntity("b.tmx", "note", "nota")
	open := mention(seg("a.tmx", "Open the file", "Abrir el archivo"), eFile.ID, 9, 13)
	writeFile(ctx, t, st, "a.tmx", []graph.Segment{open, seg("a.tmx", "Close the file", "Cerrar el archivo"), shared},
		[]graph.Entity{eFile}, fFile)
	writeFile(ctx, t, st, "b.tmx", []graph.Segment{mention(seg("b.tmx", "Delete the note", "Eliminar la nota"), eNote.ID, 11, 15), sharedB},
		[]graph.Entity{eNote}, fNote)

	x, err := Open(ctx, Dir(dir), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	sum, err := x.CatchUp(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	if !sum.Rebuilt || sum.Indexed != 4 {
		t.Errorf("first CatchUp = %+v, want a rebuild of 4 segments", sum)
	}
	if sum, _ := x.CatchUp(ctx, st); !sum.UpToDate() {
		t.Errorf("second CatchUp = %+v, want nothing to do", sum)
	}
	lookup := func(text string) string {
		ms, err := x.Lookup(ctx, Query{Text: text, SourceLang: "en", TargetLang: "es", Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) == 0 {
			return ""
		}
		return fmt.Sprintf("%d %s", ms[0].Score, ms[0].Target)
	}
	if got := lookup("Close the file"); got != "100 Cerrar el archivo" {
		t.Errorf("Lookup(Close the file) = %q", got)
	}
	if got := spans(x.Spotter("en").Spot("Open the files and notes")); got != "files=term:"+eFile.ID+" notes=term:"+eNote.ID {
		t.Errorf("Spot = %q", got)
	}

	// a.tmx changes: one segment goes, one comes, the shared one stays
	// (b.tmx still has it) and "file" is now "fichero".
	eFile2, fFile2 := termEntity("a.tmx", "file", "fichero")
	writeFile(ctx, t, st, "a.tmx", []graph.Segment{open, seg("a.tmx", "Print the file", "Imprimir el archivo")},
		[]graph.Entity{eFile2}, fFile2)
	sum, err = x.CatchUp(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rebuilt || sum.Changed != 1 || sum.Removed != 0 || sum.Deleted != 1 {
		t.Errorf("CatchUp after a.tmx changed = %+v, want 1 file changed, 1 document deleted, no rebuild", sum)
	}
	for text, want := range map[string]string{
		"Print the files":      "66 Imprimir el archivo",
		"Print the file":       "100 Imprimir el archivo",
		"Shared sentence here": "100 Frase compartida",
	} {
		if got := lookup(text); got != want {
			t.Errorf("after a.tmx changed: Lookup(%q) = %q, want %q", text, got, want)
		}
	}
	info, err := Expand(ctx, st, eFile.ID, ExpandOptions{SourceLang: "en", TargetLang: "es"})
	if err != nil || len(info.Translations) != 1 || info.Translations[0].Text != "fichero" {
		t.Errorf("Expand(file) = %+v, %v; want the translation fichero", info, err)
	}

	// b.tmx goes: its segments and the note entity go with it.
	if err := st.DeleteSource(ctx, "b.tmx"); err != nil {
		t.Fatal(err)
	}
	sum, err = x.CatchUp(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Removed != 1 || sum.Deleted != 2 {
		t.Errorf("CatchUp after b.tmx went = %+v, want 1 file removed, 2 documents deleted", sum)
	}
	if got := lookup("Shared sentence here"); got != "" {
		t.Errorf("Lookup of a deleted segment = %q", got)
	}
	if got := spans(x.Spotter("en").Spot("Open the notes")); got != "" {
		t.Errorf("Spot of a deleted entity = %q", got)
	}

	// The incremental index equals one built from scratch.
	inc := takeSnapshot(t, x)
	fresh, err := Open(ctx, filepath.Join(t.TempDir(), "index"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	if _, err := fresh.CatchUp(ctx, st); err != nil {
		t.Fatal(err)
	}
	want := takeSnapshot(t, fresh)
	if !reflect.DeepEqual(inc, want) {
		t.Errorf("incremental index differs from a fresh one:\n got %v\nwant %v", inc.ids(), want.ids())
	}
}

func TestShards(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := embedded.Open(ctx, filepath.Join(dir, "graph.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ps := readPairs(t, "tico19", "en-es.dev.tsv")
	writeSegments(ctx, t, st, "tico.tsv", segmentsOf("tico.tsv", ps))

	results := func(shards int) []string {
		x, err := Open(ctx, filepath.Join(dir, fmt.Sprint("index", shards)), Options{Shards: shards})
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		if _, err := x.CatchUp(ctx, st); err != nil {
			t.Fatal(err)
		}
		if got := x.Stats().Shards; got != shards {
			t.Errorf("Stats().Shards = %d, want %d", got, shards)
		}
		var out []string
		for i := 0; i < len(ps); i += 7 {
			q := ps[i].source[:len(ps[i].source)*3/4]
			ms, err := x.Lookup(ctx, Query{Text: q, SourceLang: "en", TargetLang: "es", Limit: 3})
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range ms {
				out = append(out, fmt.Sprintf("%s → %d %s", q, m.Score, m.ID))
			}
		}
		return out
	}
	one, three := results(1), results(3)
	if len(one) < len(ps)/7 {
		t.Fatalf("only %d matches for %d queries", len(one), len(ps)/7)
	}
	if !reflect.DeepEqual(one, three) {
		diff := 0
		for i := range one {
			if i < len(three) && one[i] != three[i] {
				diff++
				if diff < 5 {
					t.Errorf("1 shard: %s; 3 shards: %s", one[i], three[i])
				}
			}
		}
		t.Errorf("3 shards give other matches than 1 (%d of %d differ)", diff, len(one))
	}

	// Another shard count rebuilds the index.
	x, err := Open(ctx, filepath.Join(dir, "index1"), Options{Shards: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	sum, err := x.CatchUp(ctx, st)
	if err != nil || !sum.Rebuilt || x.Stats().Shards != 2 {
		t.Errorf("CatchUp with 2 shards = %+v, %v, shards %d; want a rebuild into 2", sum, err, x.Stats().Shards)
	}
}

func TestLookupOrderAndContext(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := embedded.Open(ctx, filepath.Join(dir, "graph.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	day := func(d int) time.Time { return time.Date(2024, 1, d, 0, 0, 0, 0, time.UTC) }
	a := seg("f.po", "Open the file", "Abrir el archivo")
	a.Status, a.Changed = "draft", day(9)
	b := seg("f.po", "Open the file", "Abra el archivo")
	b.Status, b.Changed = "approved", day(1)
	c := seg("f.po", "Open the file", "Abre el archivo")
	c.Status, c.Changed = "translated", day(5)
	d := seg("f.po", "Open the file", "Abrir fichero")
	d.Status, d.Changed = "translated", day(7)
	d.Prev, d.Next = "File", "Close"
	e := seg("f.po", "Open the files", "Abrir los archivos")
	writeFile(ctx, t, st, "f.po", []graph.Segment{a, b, c, d, e}, nil, nil)
	x, err := Open(ctx, Dir(dir), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if _, err := x.CatchUp(ctx, st); err != nil {
		t.Fatal(err)
	}
	got := func(q Query) []string {
		ms, err := x.Lookup(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, m := range ms {
			out = append(out, fmt.Sprintf("%d %s %s", m.Score, m.Band, m.Target))
		}
		return out
	}
	want := []string{"100 100 Abra el archivo", "100 100 Abrir fichero", "100 100 Abre el archivo", "100 100 Abrir el archivo", "66 50-74 Abrir los archivos"}
	if g := got(Query{Text: "Open the file", SourceLang: "en", TargetLang: "es"}); !reflect.DeepEqual(g, want) {
		t.Errorf("Lookup order = %q, want %q (approved first, then recent)", g, want)
	}
	want[0], want[1] = "101 101 Abrir fichero", "100 100 Abra el archivo"
	q := Query{Text: "Open the file", SourceLang: "en", TargetLang: "es", Context: &Context{Prev: "File", Next: "Close"}}
	if g := got(q); !reflect.DeepEqual(g, want) {
		t.Errorf("Lookup in context = %q, want %q", g, want)
	}
	if g := got(Query{Text: "Open the file", SourceLang: "en", TargetLang: "es", Min: 70, Limit: 2}); len(g) != 2 {
		t.Errorf("Lookup with Limit 2 = %q", g)
	}
	if g := got(Query{Text: "Open the file", SourceLang: "en", TargetLang: "de"}); len(g) != 0 {
		t.Errorf("Lookup into German = %q, want nothing", g)
	}
	if g := got(Query{Text: "Öffne die Datei", SourceLang: "de", TargetLang: "es"}); len(g) != 0 {
		t.Errorf("Lookup from German = %q, want nothing", g)
	}
	sort.Strings(want)
}

// TestLookupContextKey: an identical source with another msgctxt is a
// fuzzy match, labelled; with the same one, 101 %; one without a msgctxt
// is exact.
func TestLookupContextKey(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := embedded.Open(ctx, filepath.Join(dir, "graph.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	noun := seg("f.po", "Tag", "Etiqueta")
	noun.Context = "noun"
	verb := seg("f.po", "Tag", "Etiquetar")
	verb.Context = "verb"
	plain := seg("g.tmx", "Tag", "Marca")
	writeFile(ctx, t, st, "f.po", []graph.Segment{noun, verb}, nil, nil)
	writeFile(ctx, t, st, "g.tmx", []graph.Segment{plain}, nil, nil)
	x, err := Open(ctx, Dir(dir), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if _, err := x.CatchUp(ctx, st); err != nil {
		t.Fatal(err)
	}
	got := func(key string) []string {
		ms, err := x.Lookup(ctx, Query{Text: "Tag", SourceLang: "en", TargetLang: "es", Context: &Context{Key: key}})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, m := range ms {
			out = append(out, fmt.Sprintf("%d %s %v", m.Score, m.Target, m.OtherContext))
		}
		return out
	}
	// The unit without a msgctxt is judged by its neighbours (none, as
	// the query's).
	if g, want := got("verb"), []string{"101 Etiquetar false", "101 Marca false", "95 Etiqueta true"}; !reflect.DeepEqual(sorted(g), want) {
		t.Errorf("Lookup(Tag, msgctxt verb) = %q, want %q", g, want)
	}
	// No msgctxt: the neighbours decide (the query has none, nor have
	// the units).
	g := got("")
	if want := []string{"101 Etiqueta false", "101 Etiquetar false", "101 Marca false"}; !reflect.DeepEqual(sorted(g), want) {
		t.Errorf("Lookup(Tag, no msgctxt) = %q, want %q", g, want)
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	sort.Strings(s)
	return s
}

// plainStore hides every method but graph.Store's.
type plainStore struct{ graph.Store }

// listingStore is a store that can list its entities (EntityLister).
type listingStore struct {
	graph.Store
	ids []string
}

func (s listingStore) Entities(ctx context.Context, fn func(*graph.Entity) error) error {
	for _, id := range s.ids {
		e, err := s.Entity(ctx, id)
		if err != nil {
			return err
		}
		if err := fn(&e); err != nil {
			return err
		}
	}
	return nil
}

// TestEntityLister checks that a store that lists its entities has all of
// them spotted, also the term-base concepts no segment mentions.
func TestEntityLister(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := embedded.Open(ctx, filepath.Join(dir, "graph.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	e, facts := termEntity("terms.tbx", "point of sale", "punto de venta")
	writeFile(ctx, t, st, "terms.tbx", nil, []graph.Entity{e}, facts)
	for _, tt := range []struct {
		store graph.Store
		want  string
	}{
		{plainStore{st}, ""}, // only graph.Store: finds entities through segments
		{listingStore{st, []string{e.ID}}, "point of sale=term:" + e.ID},
		{st, "point of sale=term:" + e.ID}, // the embedded store lists its entities
	} {
		x, err := Open(ctx, filepath.Join(t.TempDir(), "index"), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := x.CatchUp(ctx, tt.store); err != nil {
			t.Fatal(err)
		}
		if got := spans(x.Spotter("en").Spot("at the point of sale")); got != tt.want {
			t.Errorf("%T: Spot = %q, want %q", tt.store, got, tt.want)
		}
		names, err := x.Names(ctx, "piont of sale", "en", 3)
		if err != nil {
			t.Fatal(err)
		}
		if tt.want != "" && (len(names) == 0 || names[0].ID != e.ID) {
			t.Errorf("Names(piont of sale) = %v, want %s first", names, e.ID)
		}
		x.Close()
	}
}

func TestConcordance(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := embedded.Open(ctx, filepath.Join(dir, "graph.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	writeFile(ctx, t, st, "f.po", []graph.Segment{seg("f.po", "Open the files", "Abrir los archivos"),
		seg("f.po", "Close", "Cerrar"), seg("f.po", "File name", "Nombre de archivo")}, nil, nil)
	x, err := Open(ctx, Dir(dir), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if _, err := x.CatchUp(ctx, st); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		text, lang string
		target     bool
		want       int
	}{
		{"file", "en", false, 2},
		{"open file", "en", false, 1},
		{"archivos", "es", true, 2},
		{"cerrar", "en", false, 0},
	} {
		ms, err := x.Concordance(ctx, tt.text, tt.lang, tt.target, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) != tt.want {
			t.Errorf("Concordance(%q, %s, target %v) = %d matches, want %d", tt.text, tt.lang, tt.target, len(ms), tt.want)
		}
	}
}

func TestAutoShards(t *testing.T) {
	for _, tt := range []struct{ segments, min, max int }{{0, 1, 1}, {299_999, 1, 1}, {300_000, 2, 4}, {5_000_000, 2, 4}} {
		if got := autoShards(tt.segments); got < tt.min || got > tt.max {
			t.Errorf("autoShards(%d) = %d, want %d to %d", tt.segments, got, tt.min, tt.max)
		}
	}
}

// TestCatchUpSegments writes a learned pair as kgmem learn does (a new
// source with one segment that mentions a known term, whose label count
// changes) and brings the index up to date by the segment's ID: the index
// then equals one built from scratch, and a later CatchUp has nothing to
// do. Told the wrong segments, it catches up in full.
// fileMemory is a store holding a.tmx, in which "file" ("archivo") is a
// term, and an index caught up with it.
func fileMemory(t *testing.T) (*embedded.Store, *Index, graph.Entity) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := embedded.Open(ctx, filepath.Join(dir, "graph.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	eFile, fFile := termEntity("a.tmx", "file", "archivo")
	writeFile(ctx, t, st, "a.tmx", []graph.Segment{
		mention(seg("a.tmx", "Open the file", "Abrir el archivo"), eFile.ID, 9, 13),
		seg("a.tmx", "Close the window", "Cerrar la ventana"),
	}, []graph.Entity{eFile}, fFile)
	x, err := Open(ctx, Dir(dir), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	if _, err := x.CatchUp(ctx, st); err != nil {
		t.Fatal(err)
	}
	return st, x, eFile
}

func TestCatchUpSegments(t *testing.T) {
	ctx := context.Background()
	st, x, eFile := fileMemory(t)

	learned := mention(seg("learn:1", "Save the file now", "Guardar el fichero ahora"), eFile.ID, 9, 13)
	_, fLearned := termEntity("learn:1", "file", "fichero")
	writeFile(ctx, t, st, "learn:1", []graph.Segment{learned}, nil, fLearned[1:])
	sum, err := x.CatchUpSegments(ctx, st, []string{learned.ID})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rebuilt || sum.Changed != 1 || sum.Indexed != 1 || sum.Entities != 1 {
		t.Errorf("CatchUpSegments = %+v, want 1 file, 1 segment and 1 entity indexed", sum)
	}
	if ms, err := x.Lookup(ctx, Query{Text: "Save the file now", SourceLang: "en", TargetLang: "es", Limit: 1}); err != nil || len(ms) != 1 || ms[0].Score != 100 {
		t.Errorf("Lookup of the learned segment = %+v, %v", ms, err)
	}
	if sum, _ := x.CatchUp(ctx, st); !sum.UpToDate() {
		t.Errorf("CatchUp after CatchUpSegments = %+v, want nothing to do", sum)
	}
	fresh, err := Open(ctx, filepath.Join(t.TempDir(), "index"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	if _, err := fresh.CatchUp(ctx, st); err != nil {
		t.Fatal(err)
	}
	if got, want := takeSnapshot(t, x), takeSnapshot(t, fresh); !reflect.DeepEqual(got, want) {
		t.Errorf("index after CatchUpSegments differs from a fresh one:\n got %v %+v\nwant %v %+v", got.ids(), got.Entities, want.ids(), want.Entities)
	}

	// Told of the wrong segment: the full catch-up indexes the file anyway.
	other := seg("learn:2", "Print the file", "Imprimir el archivo")
	writeFile(ctx, t, st, "learn:2", []graph.Segment{other}, nil, nil)
	sum, err = x.CatchUpSegments(ctx, st, []string{learned.ID})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Changed != 1 || sum.Indexed != 1 {
		t.Errorf("CatchUpSegments told the wrong segment = %+v, want the file indexed", sum)
	}
	if ms, err := x.Lookup(ctx, Query{Text: "Print the file", SourceLang: "en", TargetLang: "es", Limit: 1}); err != nil || len(ms) != 1 || ms[0].Score != 100 {
		t.Errorf("Lookup of the second learned segment = %+v, %v", ms, err)
	}
}

// TestCatchUpSegmentsKeepsSpotter: learning a translation (a label in the
// target language) keeps the source language's spotter; a new source
// label builds it again, and the new spotter finds the label.
func TestCatchUpSegmentsKeepsSpotter(t *testing.T) {
	ctx := context.Background()
	st, x, eFile := fileMemory(t)
	en, es := x.Spotter("en"), x.Spotter("es")

	// A new Spanish translation of "file".
	learned := mention(seg("learn:1", "Save the file now", "Guardar el fichero ahora"), eFile.ID, 9, 13)
	_, fLearned := termEntity("learn:1", "file", "fichero")
	writeFile(ctx, t, st, "learn:1", []graph.Segment{learned}, nil, fLearned[1:])
	if sum, err := x.CatchUpSegments(ctx, st, []string{learned.ID}); err != nil || sum.Entities != 1 {
		t.Fatalf("CatchUpSegments = %+v, %v; want the entity updated", sum, err)
	}
	if x.Spotter("en") != en {
		t.Error("a new Spanish label rebuilt the English spotter")
	}
	if x.Spotter("es") == es {
		t.Error("a new Spanish label kept the Spanish spotter")
	}
	if spans := x.Spotter("es").Spot("Guardar el fichero"); len(spans) != 1 || spans[0].Entities[0].ID != eFile.ID {
		t.Errorf("the rebuilt Spanish spotter finds %+v in \"Guardar el fichero\", want the file entity", spans)
	}

	// A new English label of "file".
	variant := mention(seg("learn:2", "Save the data file", "Guardar el archivo de datos"), eFile.ID, 9, 18)
	writeFile(ctx, t, st, "learn:2", []graph.Segment{variant}, nil,
		[]graph.Fact{graph.NewLabel(eFile.ID, "data file", "en", graph.StatusNone, 1, "learn:2", 1, "")})
	if _, err := x.CatchUpSegments(ctx, st, []string{variant.ID}); err != nil {
		t.Fatal(err)
	}
	if x.Spotter("en") == en {
		t.Fatal("a new English label kept the English spotter")
	}
	if spans := x.Spotter("en").Spot("Open the data file"); len(spans) != 1 || spans[0].Text != "data file" {
		t.Errorf("the rebuilt English spotter finds %+v in \"Open the data file\", want \"data file\"", spans)
	}
}
