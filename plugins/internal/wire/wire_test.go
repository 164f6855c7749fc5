package wire

import (
	"reflect"
	"testing"

	"github.com/kgmem/kgmem/plugins"
)

func TestConvertRoundTrip(t *testing.T) {
	score := 0.5
	req := &plugins.TranslateRequest{SourceLang: "en", TargetLang: "es", Register: plugins.RegisterFormal, Items: []plugins.Item{{
		ID: "1", Source: "Open {1}", Placeholders: []string{"{1}"},
		FuzzyMatches: []plugins.FuzzyMatch{{Source: "a", Target: "b", Score: 90, Weight: 0.5, Origin: "o"}},
		Terms: []plugins.TermConstraint{{SourceSpan: plugins.Span{Start: 0, End: 4}, Source: "Open", Target: "Abra", Status: "preferred", Required: true, Weight: 1, EntityID: "e1", Alternatives: []string{"Abrir"}, CorrectsEngine: true},
			{SourceSpan: plugins.Span{Start: 5, End: 12}, Source: "Could not", Target: "No se pudo", Weight: 1, Fragment: true}},
		Facts:         []plugins.Fact{{Subject: "s", Predicate: "p", Object: "o", Sentence: "s p o.", Weight: 0.1}},
		ContextBefore: []string{"before"}, ContextAfter: []string{"after"},
	}}}
	if got := TranslateRequestFromPB(TranslateRequestToPB(req)); !reflect.DeepEqual(got, req) {
		t.Errorf("request round trip = %+v, want %+v", got, req)
	}
	resp := &plugins.TranslateResponse{Results: []plugins.Result{{ID: "1", Translation: "Abra {1}", Score: &score, HonouredTerms: []int{0}, UsedMatch: plugins.Used(2)},
		{ID: "2"}, {ID: "3", UsedMatch: plugins.Used(plugins.NoMatch)}}}
	if got := TranslateResponseFromPB(TranslateResponseToPB(resp)); !reflect.DeepEqual(got, resp) {
		t.Errorf("response round trip = %+v, want %+v", got, resp)
	}
	d := &plugins.DescribeResponse{Name: "m", Version: "1", Description: "d", Pairs: []plugins.LanguagePair{{Source: "en", Target: "es"}},
		Capabilities: plugins.Capabilities{FuzzyMatches: true, Terms: true, Facts: true, Context: true, Learn: true, PreferredBatchSize: 8, RegisterLanguages: []string{"es"}}}
	if got := DescribeFromPB(DescribeToPB(d)); !reflect.DeepEqual(got, d) {
		t.Errorf("describe round trip = %+v, want %+v", got, d)
	}
}
