package translate

import (
	"context"
	"strings"
	"testing"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/fusion"
	"github.com/kgmem/kgmem/graph/extract"
	"github.com/kgmem/kgmem/plugins"
	"github.com/kgmem/kgmem/retrieval"
)

// phraseAligner aligns a span by a phrase table: the span's text, lowered,
// is found in the target as one of its translations.
type phraseAligner map[string][]string

func (a phraseAligner) AlignPhrase(source, target string, start, end int) (extract.SpanTranslation, bool) {
	for _, tr := range a[strings.ToLower(source[start:end])] {
		if i := strings.Index(strings.ToLower(target), strings.ToLower(tr)); i >= 0 {
			return extract.SpanTranslation{Start: i, End: i + len(tr), Text: target[i : i+len(tr)], Score: 0.8}, true
		}
	}
	return extract.SpanTranslation{}, false
}

var openTable = phraseAligner{
	"could not open the": {"no se pudo abrir el", "no se pudo abrir la"},
	"could not open":     {"no se pudo abrir"},
	"selected folder":    {"carpeta seleccionada"},
}

func TestFindFragments(t *testing.T) {
	pairs := []Pair{
		{Source: "Could not open the file %s", Target: "No se pudo abrir el archivo %s"},
		{Source: "Could not open the database.", Target: "No se pudo abrir la base de datos."},
		{Source: "Could not open the address book", Target: "No se pudo abrir la libreta de direcciones"},
		{Source: "Delete the selected folder?", Target: "¿Eliminar la carpeta seleccionada?"},
	}
	frags := findFragments("en", "Could not open the selected folder", votesOf(pairs), openTable)
	got := map[string]fusion.TermCandidate{}
	for _, f := range frags {
		got[f.Source] = f
		if !f.Fragment || f.Span.End <= f.Span.Start {
			t.Errorf("fragment %+v: not marked, or no span", f)
		}
	}
	// "could not open the" ends in an article, which agrees with the
	// pair's noun: the fragment is "could not open", in all three.
	if f, ok := got["Could not open"]; !ok || f.Target != "No se pudo abrir" || f.Count != 3 {
		t.Errorf("Could not open: %+v (all: %+v)", f, frags)
	}
	if f, ok := got["Could not open the"]; ok {
		t.Errorf("a fragment ends in an article: %+v", f)
	}
	// "the selected folder" is in one pair only: one pair is not a
	// phrase the memory repeats.
	for src := range got {
		if strings.Contains(src, "selected") {
			t.Errorf("%q offered from one pair: %+v", src, got[src])
		}
	}
}

func TestFindFragmentsStopsAtPlaceholdersAndNumbers(t *testing.T) {
	table := phraseAligner{"open": {"abrir"}, "files in": {"archivos en"}, "open files": {"abrir archivos"}}
	pairs := []Pair{
		{Source: "Open 3 files in %s", Target: "Abrir 3 archivos en %s"},
		{Source: "Open 4 files in %s", Target: "Abrir 4 archivos en %s"},
	}
	for _, f := range findFragments("en", "Open 5 files in %d", votesOf(pairs), table) {
		if strings.ContainsAny(f.Source, "0123456789%") || strings.ContainsAny(f.Target, "0123456789%") {
			t.Errorf("fragment %+v holds a number or placeholder", f)
		}
	}
}

func TestFindFragmentsNeedsAgreement(t *testing.T) {
	table := phraseAligner{"could not open": {"no se pudo abrir", "no pude abrir", "imposible abrir"}}
	pairs := []Pair{
		{Source: "Could not open it", Target: "No se pudo abrir"},
		{Source: "Could not open them", Target: "No pude abrir"},
		{Source: "Could not open this", Target: "Imposible abrir"},
	}
	if frags := findFragments("en", "Could not open that one", votesOf(pairs), table); len(frags) != 0 {
		t.Errorf("three pairs, three translations: offered %+v", frags)
	}
}

// fragmentMemory is a Memory with no match and no term, whose fragments
// are given.
type fragmentMemory struct {
	frags []fusion.TermCandidate
	terms []fusion.TermCandidate
	calls int
}

func (m *fragmentMemory) Matches(context.Context, Query) ([]fusion.Match, error) { return nil, nil }
func (m *fragmentMemory) Terms(context.Context, Query) ([]fusion.TermCandidate, []fusion.Fact, error) {
	return m.terms, nil, nil
}
func (m *fragmentMemory) Fragments(context.Context, Query) ([]fusion.TermCandidate, error) {
	m.calls++
	return m.frags, nil
}

func TestTranslatorOffersFragments(t *testing.T) {
	src := "Could not open the selected folder"
	frag := fusion.TermCandidate{Span: fusion.Span{Start: 0, End: 14}, Source: "Could not open", Target: "No se pudo abrir",
		Count: 3, Probability: 0.7, Fragment: true}
	// A term-base term over "open the selected folder" bars the fragment
	// that overlaps it.
	term := fusion.TermCandidate{Span: fusion.Span{Start: 27, End: 33}, Source: "folder", Target: "carpeta", Status: "preferred", Probability: 1}
	mem := &fragmentMemory{frags: []fusion.TermCandidate{frag,
		{Span: fusion.Span{Start: 19, End: 33}, Source: "selected folder", Target: "directorio elegido", Count: 2, Probability: 0.6, Fragment: true}},
		terms: []fusion.TermCandidate{term,
			// A learned translation of the fragment's words: the fragment
			// wins the span, and does not accept it as an alternative.
			{Span: fusion.Span{Start: 0, End: 14}, Source: "Could not open", Target: "No podría abrir", Count: 40, Probability: 0.9}}}
	model := &requestModel{}
	tr := New(model, mem, Options{SourceLang: "en", TargetLang: "es"})
	if _, err := tr.Translate(context.Background(), []Segment{{Source: corpora.Text(src)}}); err != nil {
		t.Fatal(err)
	}
	var targets []string
	for _, c := range model.got.Items[0].Terms {
		targets = append(targets, c.Target)
	}
	if strings.Join(targets, "|") != "No se pudo abrir|carpeta" {
		t.Errorf("terms offered: %q, want the fragment and the term-base term", targets)
	}
	if c := model.got.Items[0].Terms[0]; !c.Fragment || len(c.Alternatives) > 0 {
		t.Errorf("fragment constraint %+v: want marked, without alternatives", c)
	}
	// The ablation asks for none.
	mem.calls = 0
	tr = New(model, mem, Options{SourceLang: "en", TargetLang: "es", NoFragments: true})
	if _, err := tr.Translate(context.Background(), []Segment{{Source: corpora.Text(src)}}); err != nil {
		t.Fatal(err)
	}
	if mem.calls != 0 || len(model.got.Items[0].Terms) != 2 || model.got.Items[0].Terms[0].Target != "No podría abrir" {
		t.Errorf("NoFragments: %d lookups, terms %+v", mem.calls, model.got.Items[0].Terms)
	}
}

func TestIndexMemoryFragmentsWithoutAligner(t *testing.T) {
	m := NewMemory(nil, nil, nil)
	frags, err := m.Fragments(context.Background(), Query{Text: "x", Protected: "x"})
	if err != nil || frags != nil {
		t.Fatalf("no aligner: %v, %v", frags, err)
	}
	m.Aligner = func(string, string) PhraseAligner { return nil }
	if frags, err = m.Fragments(context.Background(), Query{Text: "x", Protected: "x", SourceLang: "en", TargetLang: "es"}); err != nil || frags != nil {
		t.Fatalf("no model for the pair: %v, %v", frags, err)
	}
}

// requestModel keeps the last request and answers each item with its
// source.
type requestModel struct{ got *plugins.TranslateRequest }

func (m *requestModel) Translate(_ context.Context, req *plugins.TranslateRequest) (*plugins.TranslateResponse, error) {
	m.got = req
	resp := &plugins.TranslateResponse{}
	for _, it := range req.Items {
		resp.Results = append(resp.Results, plugins.Result{ID: it.ID, Translation: it.Source})
	}
	return resp, nil
}

// FuzzFindFragments: any query and pairs give fragments whose span is a
// part of the query, with its text, and a translation of the pair's.
func FuzzFindFragments(f *testing.F) {
	f.Add("Could not open the selected folder", "Could not open the file %s", "No se pudo abrir el archivo %s", "Could not open the database.", "No se pudo abrir la base de datos.")
	f.Add("Save as %s…", "Save as HTML", "Guardar como HTML", "Save as _PDF", "Guardar como _PDF")
	f.Add("⟦1⟧ not a ⟦2", "⟦1⟧ not a", "no es", "x", "")
	f.Fuzz(func(t *testing.T, query, s1, t1, s2, t2 string) {
		// An aligner that finds any span's lowered text in the target, or
		// the target's first half.
		al := alignFunc(func(source, target string, start, end int) (extract.SpanTranslation, bool) {
			if start < 0 || end > len(source) || start >= end {
				t.Fatalf("span %d–%d of %q", start, end, source)
			}
			if i := strings.Index(strings.ToLower(target), strings.ToLower(source[start:end])); i >= 0 {
				return extract.SpanTranslation{Start: i, End: i + end - start, Text: target[i : i+end-start], Score: 0.9}, true
			}
			return extract.SpanTranslation{Text: target[:len(target)/2], End: len(target) / 2, Score: 0.6}, true
		})
		pairs := []Pair{{Source: s1, Target: t1}, {Source: s2, Target: t2}, {Source: s1, Target: t1}}
		for _, fr := range findFragments("en", query, votesOf(pairs), al) {
			if fr.Span.Start < 0 || fr.Span.End > len(query) || fr.Span.Start >= fr.Span.End || query[fr.Span.Start:fr.Span.End] != fr.Source {
				t.Fatalf("fragment %+v of %q", fr, query)
			}
			if !strings.Contains(t1, fr.Target) && !strings.Contains(t2, fr.Target) {
				t.Fatalf("fragment %+v: target from neither pair", fr)
			}
		}
	})
}

type alignFunc func(source, target string, start, end int) (extract.SpanTranslation, bool)

func (f alignFunc) AlignPhrase(source, target string, start, end int) (extract.SpanTranslation, bool) {
	return f(source, target, start, end)
}

func TestLabelVerb(t *testing.T) {
	pairs := []Pair{
		{Source: "Change _Name", Target: "Cambiar _nombre"},
		{Source: "Change Color", Target: "Cambiar color"},
		{Source: "Change the icon of the selected item.", Target: "Cambia el icono del elemento seleccionado."},
		{Source: "Icon Theme", Target: "Tema de iconos"},
	}
	f, ok := labelVerb("es", "Change Icon", votesOf(pairs))
	if !ok || f.Target != "Cambiar" || f.Span != (fusion.Span{Start: 0, End: 6}) || !f.Fragment || f.Count != 2 {
		t.Fatalf("Change Icon: %+v, %v", f, ok)
	}
	// A sentence is not a label; nor is a label whose word the memory's
	// labels translate otherwise ("Change Log" → "Registro de cambios").
	for _, text := range []string{"Change the icon.", "change icon"} {
		if f, ok := labelVerb("es", text, votesOf(pairs)); ok {
			t.Errorf("%q: %+v", text, f)
		}
	}
	mixed := append(pairs, Pair{Source: "Change Log", Target: "Registro de cambios"}, Pair{Source: "Change History", Target: "Historial de cambios"})
	if f, ok := labelVerb("es", "Change Icon", votesOf(mixed)); ok {
		t.Errorf("two labels of four with the infinitive: %+v", f)
	}
	// Catalogues that write different verbs agree on the infinitive: the
	// one most labels write is offered, if it has the support.
	uses := []Pair{
		{Source: "Use Grid", Target: "Usar cuadrícula"},
		{Source: "Use _Anti-aliasing", Target: "Utilizar _suavizado"},
		{Source: "Use Colors", Target: "Usar colores"},
	}
	if f, ok := labelVerb("es", "Use Guides", votesOf(uses)); !ok || f.Target != "Usar" || f.Count != 2 {
		t.Errorf("Use Guides: %+v, %v; want Usar, 2 votes", f, ok)
	}
	if f, ok := labelVerb("es", "Use Guides", votesOf(uses[:2])); ok {
		t.Errorf("one vote each: %+v", f)
	}
}

// votesOf makes pairs the memory's, one vote each.
func votesOf(pairs []Pair) []fragmentPair {
	out := make([]fragmentPair, len(pairs))
	for i, p := range pairs {
		out[i] = fragmentPair{Source: p.Source, Target: p.Target, votes: 1}
	}
	return out
}

// TestApprovedPairVotes: one approved pair is enough for a fragment; one
// pair of another status is not.
func TestApprovedPairVotes(t *testing.T) {
	pair := retrieval.Match{Source: "Could not open the file %s", Target: "No se pudo abrir el archivo %s"}
	if frags := findFragments("en", "Could not open the folder", []fragmentPair{newFragmentPair(pair)}, openTable); len(frags) != 0 {
		t.Errorf("one pair: %+v", frags)
	}
	pair.Status = "approved"
	frags := findFragments("en", "Could not open the folder", []fragmentPair{newFragmentPair(pair)}, openTable)
	if len(frags) != 1 || frags[0].Target != "No se pudo abrir" {
		t.Errorf("one approved pair: %+v", frags)
	}
}

// TestLearnedAlternatives: a learned term accepts, besides its target, the
// span's other translations that are certain or seen a third as often;
// not the rare ones ("carga" for "Load" → "cargar"), nor, for the verb a
// label starts with, any but an infinitive.
func TestLearnedAlternatives(t *testing.T) {
	span := fusion.Span{Start: 0, End: 4}
	mem := &fragmentMemory{terms: []fusion.TermCandidate{
		{Span: span, Source: "Load", Target: "cargar", Count: 32, Probability: 0.52},
		{Span: span, Source: "Load", Target: "carga", Count: 5, Probability: 0.3},
		{Span: span, Source: "Load", Target: "cargue", Count: 12, Probability: 0.2},
	}}
	model := &requestModel{}
	tr := New(model, mem, Options{SourceLang: "en", TargetLang: "es", NoFragments: true})
	for _, tt := range []struct{ src, alternatives string }{
		{"Load the image from the disk.", "Cargue"},
		// A label's verb is the infinitive: no other form is acceptable.
		{"Load Image", ""},
	} {
		if _, err := tr.Translate(context.Background(), []Segment{{Source: corpora.Text(tt.src)}}); err != nil {
			t.Fatal(err)
		}
		c := model.got.Items[0].Terms[0]
		if c.Target != "Cargar" || strings.Join(c.Alternatives, "|") != tt.alternatives {
			t.Errorf("%q: term %q, alternatives %q; want Cargar, [%s] (the sentence's first word)", tt.src, c.Target, c.Alternatives, tt.alternatives)
		}
	}
}

// TestFragmentCaseInside: a fragment inside the query is not capitalised
// because the pairs' translations start with it.
func TestFragmentCaseInside(t *testing.T) {
	pairs := []Pair{
		{Source: "Could not open the file %s", Target: "No se pudo abrir el archivo %s"},
		{Source: "Could not open the database.", Target: "No se pudo abrir la base de datos."},
	}
	frags := findFragments("en", "The editor could not open the folder", votesOf(pairs), openTable)
	if len(frags) != 1 || frags[0].Source != "could not open" || frags[0].Target != "no se pudo abrir" {
		t.Errorf("fragments: %+v, want could not open → no se pudo abrir", frags)
	}
}

// TestApprovedCompounds: two content words a translator has approved
// ("sticky keys" in "Sticky keys:" → "Teclas adhesivas:") are a fragment
// of the next sentence that has them; the same words in the memory's
// other pairs are not (a verb and its object would pass for a term).
func TestApprovedCompounds(t *testing.T) {
	table := phraseAligner{"sticky keys": {"teclas adhesivas"}}
	pair := fragmentPair{Source: "Sticky keys:", Target: "Teclas adhesivas:", votes: approvedVotes}
	frags := findFragments("en", "Use sticky keys", []fragmentPair{pair}, table)
	if len(frags) != 1 || frags[0].Source != "sticky keys" || frags[0].Target != "teclas adhesivas" {
		t.Errorf("approved pair: %+v, want sticky keys → teclas adhesivas", frags)
	}
	pair.votes = 1
	if frags := findFragments("en", "Use sticky keys", []fragmentPair{pair, pair}, table); len(frags) != 0 {
		t.Errorf("the memory's pairs: %+v, want none", frags)
	}
}
