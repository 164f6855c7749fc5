package translate

import (
	"fmt"
	"slices"
	"testing"

	"github.com/kgmem/kgmem/fusion"
	"github.com/kgmem/kgmem/graph"
)

func TestTermNumber(t *testing.T) {
	cand := func(target, status string, count int) fusion.TermCandidate {
		return fusion.TermCandidate{Target: target, Status: graph.Status(status), Count: count, Probability: 0.5}
	}
	tests := []struct {
		name, label, text string
		class             string // the span's word class in its sentence, "" when it does not tell
		cands             []fusion.TermCandidate
		want              string // targets with status and count, in order; "skip" when the span may not use the label
	}{
		{"as written", "vaccine", "vaccine", "", []fusion.TermCandidate{cand("vacuna", "admitted", 1)}, "[vacuna/admitted/1]"},
		{"regular plural is inflected", "vaccine", "vaccines", "", []fusion.TermCandidate{cand("vacuna", "admitted", 1)}, "[vacunas/admitted/1]"},
		{"inflected forms merge", "symptom", "symptoms", "",
			[]fusion.TermCandidate{cand("síntoma", "", 5), cand("síntomas", "admitted", 1)}, "[síntomas/admitted/6]"},
		{"plural span as written merges too", "symptoms", "symptoms", "",
			[]fusion.TermCandidate{cand("síntoma", "", 5), cand("síntomas", "admitted", 1)}, "[síntomas/admitted/6]"},
		{"a corpus plural label takes the plural", "files", "files", "",
			[]fusion.TermCandidate{cand("archivo", "preferred", 1)}, "[archivos/preferred/1]"},
		{"singular span keeps the singular", "symptom", "symptom", "",
			[]fusion.TermCandidate{cand("síntoma", "", 5), cand("síntomas", "admitted", 1)}, "[síntoma//5]"},
		{"a plural phrase as written is not re-inflected", "wash your hands", "wash your hands", "",
			[]fusion.TermCandidate{cand("lávese las manos", "admitted", 1)}, "[lávese las manos/admitted/1]"},
		{"names are not inflected", "Teams", "Teams", "", []fusion.TermCandidate{{Source: "Teams", Target: "Teams", Status: "preferred", Count: 1}}, "[Teams/preferred/1]"},
		{"other inflections are not the label", "cough", "coughing", "", []fusion.TermCandidate{cand("tos", "admitted", 1)}, "skip"},
		{"a verb in the third person is the engine's", "show", "shows", "",
			[]fusion.TermCandidate{cand("mostrar", "", 145), cand("muestra", "", 53)}, "[]"},
		{"and so is one whose learned forms are mostly a verb's", "change", "changes", "",
			[]fusion.TermCandidate{cand("cambia", "", 122), cand("cambiar", "", 66)}, "[]"},
		{"a noun with a stray infinitive among its translations is a noun", "source", "sources", "",
			[]fusion.TermCandidate{cand("fuente", "", 40), cand("obtener", "", 2)}, "[fuentes//40 obtener//2]"},
		{"a term base's infinitive is kept, never put in the plural", "open", "opens", "",
			[]fusion.TermCandidate{cand("abrir", "preferred", 1), cand("abrir", "", 120)}, "[abrir/preferred/1]"},
		{"a noun by its neighbours keeps its learned plural", "place", "places", "noun",
			[]fusion.TermCandidate{cand("lugar", "", 9)}, "[lugares//9]"},
		{"learned nouns are pluralised as before", "folder", "folders", "",
			[]fusion.TermCandidate{cand("carpeta", "", 9)}, "[carpetas//9]"},
		{"nor their plurals", "COPY", "copies", "", []fusion.TermCandidate{cand("COPY", "", 1)}, "skip"},
		{"acronyms only in capitals", "IN", "in", "", []fusion.TermCandidate{cand("EN", "", 1)}, "skip"},
	}
	q := Query{SourceLang: "en", TargetLang: "es"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			number, ok := spanNumber(q, tt.label, tt.text)
			got := "skip"
			if ok {
				var s []string
				for _, c := range agree(q.TargetLang, number, tt.class, tt.cands) {
					s = append(s, fmt.Sprintf("%s/%s/%d", c.Target, c.Status, c.Count))
				}
				got = fmt.Sprint(s)
			}
			if got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestVerbForms(t *testing.T) {
	cands := []fusion.TermCandidate{
		{Target: "usa", Count: 177}, {Target: "usar", Count: 60}, {Target: "utilice", Status: graph.StatusPreferred},
	}
	var got []string
	for _, c := range verbForms("es", "verb", slices.Clone(cands)) {
		got = append(got, c.Target)
	}
	// In a verb's place, a learned conjugated form goes; the infinitive
	// and the term base's translation stay.
	if fmt.Sprint(got) != "[usar utilice]" {
		t.Errorf("verbForms(verb) = %v, want [usar utilice]", got)
	}
	if n := len(verbForms("es", "", slices.Clone(cands))); n != 3 {
		t.Errorf("verbForms with no word class kept %d of 3", n)
	}
}
