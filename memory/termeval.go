package memory

import (
	"context"
	"slices"
	"strings"

	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/morph"
	"github.com/kgmem/kgmem/translate/metrics"
)

// TermPrecisionRequest asks how often the memory's learned translations
// of a term list's terms are right.
type TermPrecisionRequest struct {
	// Terms are term lists (as eval score reads them): the right
	// translations of each term.
	Terms                  []string
	SourceLang, TargetLang string
	// MinCount is the fewest times the memory must have seen a term's
	// learned translations for the term to be scored (default 3).
	MinCount int
}

// TermPrecision is the precision at 1 of the memory's learned term
// translations: of the list's terms the memory learned translations for
// (seen at least MinCount times), the share whose most seen learned
// translation is one of the list's, inflections accepted (a word in the
// plural or of the other gender: "fiebres altas" for "fiebre alta").
type TermPrecision struct {
	Terms    int         `json:"terms"`   // the lists' terms (a term in several lists counts once)
	Learned  int         `json:"learned"` // entries with learned translations seen MinCount times or more
	Right    int         `json:"right"`
	P1       float64     `json:"p_at_1"`
	MinCount int         `json:"min_count"`
	Misses   []TermCheck `json:"misses"` // the learned terms whose best translation is not the list's, most seen first
}

// TermCheck is one term the memory learned a wrong best translation for.
type TermCheck struct {
	Source  string   `json:"source"`
	Want    []string `json:"want"`
	Learned string   `json:"learned"` // the most seen learned translation
	Count   int      `json:"count"`   // how often the term's learned translations were seen
}

// TermPrecision scores the memory's learned translations of the terms of
// req's lists (term-base translations are not scored: they are given, not
// learned).
func (m *Memory) TermPrecision(ctx context.Context, req TermPrecisionRequest) (TermPrecision, error) {
	if len(req.Terms) == 0 || req.SourceLang == "" || req.TargetLang == "" {
		return TermPrecision{}, invalidf("scoring learned term translations needs a term list (--terms), a source and a target language (--from, --to)")
	}
	if req.MinCount <= 0 {
		req.MinCount = 3
	}
	terms, err := readTermLists(ctx, req.Terms, req.SourceLang, req.TargetLang)
	if err != nil {
		return TermPrecision{}, err
	}
	// A term in several lists is one term, with each list's translations.
	var uniq []metrics.Term
	at := map[string]int{}
	for _, t := range terms {
		k := strings.ToLower(t.Source)
		if i, ok := at[k]; ok {
			for _, w := range t.Targets {
				if !slices.Contains(uniq[i].Targets, w) {
					uniq[i].Targets = append(uniq[i].Targets, w)
				}
			}
			continue
		}
		at[k] = len(uniq)
		uniq = append(uniq, metrics.Term{Source: t.Source, Targets: slices.Clone(t.Targets)})
	}
	terms = uniq
	out := TermPrecision{Terms: len(terms), MinCount: req.MinCount, Misses: []TermCheck{}}
	for _, t := range terms {
		es, err := m.store.EntitiesByLabel(ctx, t.Source, req.SourceLang, true)
		if err != nil {
			return TermPrecision{}, err
		}
		rankEntities(es, t.Source, req.SourceLang)
		best, count := learnedBest(es, t.Source, req.SourceLang, req.TargetLang)
		if count < req.MinCount {
			continue
		}
		out.Learned++
		if slices.ContainsFunc(t.Targets, func(w string) bool { return sameTerm(req.TargetLang, best, w) }) {
			out.Right++
			continue
		}
		out.Misses = append(out.Misses, TermCheck{Source: t.Source, Want: t.Targets, Learned: best, Count: count})
	}
	if out.Learned > 0 {
		out.P1 = float64(out.Right) / float64(out.Learned)
	}
	slices.SortStableFunc(out.Misses, func(a, b TermCheck) int { return b.Count - a.Count })
	return out, nil
}

// learnedBest returns the most seen learned translation into to of the
// first of es (ranked: the entity with the label as written, or the most
// used) that has any, and how often its learned translations were seen in
// all. An acronym's (source in capitals) must have its label in capitals,
// as translation spots it: "AIDS" is not "aids".
func learnedBest(es []graph.Entity, source, from, to string) (string, int) {
	acronym := len([]rune(source)) > 1 && strings.ToUpper(source) == source && strings.ToLower(source) != source
	for _, e := range es {
		if acronym && !slices.ContainsFunc(e.Labels, func(l graph.Label) bool { return l.Text == source }) {
			continue
		}
		best, total, most := "", 0, 0
		for _, tr := range translations(e.Labels, to, from) {
			if tr.Status.Authoritative() || tr.Status == graph.StatusDeprecated {
				continue
			}
			total += tr.Count
			if tr.Count > most {
				best, most = tr.Text, tr.Count
			}
		}
		if total > 0 {
			return best, total
		}
	}
	return "", 0
}

// sameTerm reports whether a and b are one term in lang, inflections
// accepted: word by word the same, case aside, or one the other's plural,
// or (a Romance adjective or noun) the other gender ("alto", "alta").
func sameTerm(lang, a, b string) bool {
	wa, wb := strings.Fields(strings.ToLower(a)), strings.Fields(strings.ToLower(b))
	if len(wa) != len(wb) || len(wa) == 0 {
		return false
	}
	for i := range wa {
		if !sameWord(lang, wa[i], wb[i]) {
			return false
		}
	}
	return true
}

func sameWord(lang, a, b string) bool {
	if a == b {
		return true
	}
	pa, _ := morph.Pluralize(lang, a)
	pb, _ := morph.Pluralize(lang, b)
	if pa == b || pb == a || pa == pb {
		return true
	}
	gender := func(s string) string {
		s = strings.TrimSuffix(s, "s")
		if strings.HasSuffix(s, "o") || strings.HasSuffix(s, "a") {
			return s[:len(s)-1]
		}
		return s
	}
	return len(a) > 3 && gender(a) == gender(b)
}
