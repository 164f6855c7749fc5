package translate_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kgmem/kgmem/fusion"
	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/plugins"
	"github.com/kgmem/kgmem/translate"
)

// lexiconModel translates word by word with a fixed dictionary, as an
// engine with systematic lexical choices does.
type lexiconModel map[string]string

func (m lexiconModel) Translate(_ context.Context, req *plugins.TranslateRequest) (*plugins.TranslateResponse, error) {
	resp := &plugins.TranslateResponse{}
	for _, it := range req.Items {
		var out []string
		for _, w := range strings.Fields(strings.ToLower(it.Source)) {
			if t, ok := m[w]; ok {
				w = t
			}
			out = append(out, w)
		}
		resp.Results = append(resp.Results, plugins.Result{ID: it.ID, Translation: strings.Join(out, " ")})
	}
	return resp, nil
}

// spanMemory offers, for every source, the learned translations of the
// words it has.
type spanMemory map[string][]string

func (m spanMemory) Matches(context.Context, translate.Query) ([]fusion.Match, error) {
	return nil, nil
}

func (m spanMemory) Terms(_ context.Context, q translate.Query) ([]fusion.TermCandidate, []fusion.Fact, error) {
	var out []fusion.TermCandidate
	for word, targets := range m {
		i := strings.Index(q.Protected, word)
		if i < 0 {
			continue
		}
		for _, t := range targets {
			out = append(out, fusion.TermCandidate{Span: fusion.Span{Start: i, End: i + len(word)}, Source: word, Target: t,
				EntityID: "e-" + word, Count: 10, Probability: 0.3})
		}
	}
	return out, nil, nil
}

// TestTallyEngine: the engine's word for "settings" is never the one the
// pairs approve, so each pair that uses a learned translation of it is a
// miss; "printer", which the engine translates the memory's way, is
// agreed.
func TestTallyEngine(t *testing.T) {
	engine := translate.New(lexiconModel{"settings": "encuadres", "printer": "impresora", "the": "los"}, nil,
		translate.Options{SourceLang: "en", TargetLang: "es", Engine: "lexicon"})
	mem := spanMemory{"settings": {"configuración", "parámetros"}, "printer": {"impresora"}}
	pairs := []translate.Pair{
		{Source: "the settings", Target: "la configuración"},
		{Source: "printer settings", Target: "configuración de la impresora"},
		{Source: "the settings", Target: "los parámetros"},
		{Source: "the printer", Target: "la impresora"},
		{Source: "the settings", Target: "los ajustes"}, // none of the memory's: not tallied
	}
	done := 0
	tallies, err := translate.TallyEngine(context.Background(), mem, engine, pairs, 2, func(n int) { done += n }, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][2]int{}
	for _, tl := range tallies {
		got[tl.Source+" → "+tl.Target] = [2]int{tl.Missed, tl.Agreed}
	}
	want := map[string][2]int{"settings → configuración": {2, 0}, "settings → parámetros": {1, 0}, "printer → impresora": {0, 2}}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: missed, agreed = %v, want %v (all: %v)", k, got[k], w, got)
		}
	}
	if len(got) != len(want) || done != len(pairs) {
		t.Errorf("tallies %v, %d pairs done; want %d tallies, %d pairs", got, done, len(want), len(pairs))
	}
	// As graph facts: one per count that is not zero, about the engine.
	engineEntity, facts := translate.EngineFacts("lexicon", "en", "es", tallies, nil, "engine:test")
	if engineEntity.ID != graph.EngineID("lexicon", "en", "es") || engineEntity.Type != graph.TypeEngine {
		t.Errorf("engine entity %+v", engineEntity)
	}
	if len(facts) != 3 {
		t.Errorf("%d facts, want 3: %+v", len(facts), facts)
	}
	for _, f := range facts {
		if f.Object != engineEntity.ID || f.Lang != "es" || len(f.Sources) != 1 || f.Sources[0].File != "engine:test" {
			t.Errorf("fact %+v", f)
		}
	}
}
