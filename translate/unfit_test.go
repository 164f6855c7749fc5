package translate

import (
	"context"
	"strings"
	"testing"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/fusion"
	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/plugins"
)

// TestTermsInTheRegister: two term bases that translate "wash your
// hands" as tú and as usted give the model the one in the register of the
// translation: the one asked for, or the target language's default
// (usted for Spanish).
func TestTermsInTheRegister(t *testing.T) {
	const src = "Wash your hands often"
	span := fusion.Span{Start: 0, End: 15}
	mem := &fragmentMemory{terms: []fusion.TermCandidate{
		{Span: span, Source: "Wash your hands", Target: "lávate las manos", Status: graph.StatusPreferred, Count: 1, Probability: 1},
		{Span: span, Source: "Wash your hands", Target: "lávese las manos", Status: graph.StatusPreferred, Count: 1, Probability: 1},
	}}
	for _, tt := range []struct{ register, want string }{
		{"", "lávese las manos"},
		{plugins.RegisterFormal, "lávese las manos"},
		{plugins.RegisterInformal, "lávate las manos"},
	} {
		model := &requestModel{}
		tr := New(model, mem, Options{SourceLang: "en", TargetLang: "es", Register: tt.register})
		if _, err := tr.Translate(context.Background(), []Segment{{Source: corpora.Text(src)}}); err != nil {
			t.Fatal(err)
		}
		// A sentence starts with the term: capitalised.
		terms := model.got.Items[0].Terms
		if len(terms) != 1 || !strings.EqualFold(terms[0].Target, tt.want) || len(terms[0].Alternatives) != 0 {
			t.Errorf("register %q: terms %+v, want %q and no alternative in the other register", tt.register, terms, tt.want)
		}
	}
}

// TestLabelVerbCandidates: the verb a label starts with is given in the
// infinitive the memory has for it, when it has seen that one at least a
// third as often as its most frequent translation; a sentence keeps the
// most frequent.
func TestLabelVerbCandidates(t *testing.T) {
	span := fusion.Span{Start: 0, End: 3}
	cands := func(infinitive int) []fusion.TermCandidate {
		return []fusion.TermCandidate{
			{Span: span, Source: "Run", Target: "ejecuta", Count: 40, Probability: 0.6},
			{Span: span, Source: "Run", Target: "ejecutar", Count: infinitive, Probability: 0.6},
		}
	}
	for _, tt := range []struct {
		src        string
		infinitive int
		want       string
	}{
		{"Run macro", 25, "Ejecutar"},
		{"Run the macro now.", 25, "Ejecuta"},
		{"Run macro", 10, "Ejecuta"},
	} {
		model := &requestModel{}
		tr := New(model, &fragmentMemory{terms: cands(tt.infinitive)}, Options{SourceLang: "en", TargetLang: "es", NoFragments: true})
		if _, err := tr.Translate(context.Background(), []Segment{{Source: corpora.Text(tt.src)}}); err != nil {
			t.Fatal(err)
		}
		if terms := model.got.Items[0].Terms; len(terms) != 1 || terms[0].Target != tt.want {
			t.Errorf("%q (ejecutar seen %d times): terms %+v, want %q", tt.src, tt.infinitive, terms, tt.want)
		}
	}
}
