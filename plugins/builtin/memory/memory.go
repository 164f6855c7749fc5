// Package memory is the built-in model with no engine at all: it answers
// from the memory kgmem sends with each sentence. A 100 % match gives its
// target; a close fuzzy match is repaired with the term base's
// translations; what is left is translated term by term (glossary
// substitution), the rest kept in the source language. It is the ablation
// baseline of kgmem's evaluation and a fallback when no engine is
// installed.
package memory

import (
	"context"
	"strings"

	"github.com/kgmem/kgmem/plugins"
	"github.com/kgmem/kgmem/plugins/internal/repair"
)

// MinRepairScore is the lowest fuzzy-match score worth repairing.
const MinRepairScore = 60

// Model is the memory model. It is stateless and safe for concurrent use.
type Model struct{}

var _ plugins.Model = Model{}

// Describe describes the model.
func (Model) Describe(context.Context, *plugins.DescribeRequest) (*plugins.DescribeResponse, error) {
	return &plugins.DescribeResponse{
		Name:         "memory",
		Version:      "1",
		Description:  "no engine: exact matches, fuzzy-match repair with the term base, glossary substitution",
		AnyPair:      true,
		Capabilities: plugins.Capabilities{FuzzyMatches: true, Terms: true, PreferredBatchSize: 256},
	}, nil
}

// Translate translates each item from its memory alone.
func (Model) Translate(ctx context.Context, req *plugins.TranslateRequest) (*plugins.TranslateResponse, error) {
	resp := &plugins.TranslateResponse{Results: make([]plugins.Result, len(req.Items))}
	for i := range req.Items {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		resp.Results[i] = Translate(req.TargetLang, &req.Items[i])
	}
	return resp, nil
}

// Translate translates one item into targetLang from its memory.
func Translate(targetLang string, it *plugins.Item) plugins.Result {
	res := plugins.Result{ID: it.ID}
	score := func(s float64) *float64 { return &s }
	if k := repair.Exact(it.Source, it.FuzzyMatches); k >= 0 {
		res.Translation, res.Score, res.UsedMatch = it.FuzzyMatches[k].Target, score(1), plugins.Used(k)
	} else if t, k, ok := repairBest(targetLang, it); ok {
		res.Translation, res.Score, res.UsedMatch = t, score(0.9*it.FuzzyMatches[k].Score/100), plugins.Used(k)
	} else {
		res.UsedMatch = plugins.Used(plugins.NoMatch)
		t, used := repair.Substitute(it.Source, it.Terms, func(i int) string { return it.Terms[i].Target })
		res.Translation = strings.TrimSpace(t)
		// The share of the sentence the term base covered, halved: the
		// rest is still in the source language.
		covered := 0
		for _, i := range used {
			covered += it.Terms[i].SourceSpan.End - it.Terms[i].SourceSpan.Start
		}
		if n := len(strings.TrimSpace(it.Source)); n > 0 {
			res.Score = score(0.5 * float64(covered) / float64(n))
		}
	}
	res.HonouredTerms = repair.Honoured(res.Translation, it.Terms)
	return res
}

// repairBest repairs the best-scoring match that can be repaired, and
// returns the repair and the match's index.
func repairBest(targetLang string, it *plugins.Item) (string, int, bool) {
	tr := repair.TermTranslator(it.Terms)
	// Matches that failed are taken out of a copy; idx maps the copy back.
	ms := append([]plugins.FuzzyMatch(nil), it.FuzzyMatches...)
	idx := make([]int, len(ms))
	for k := range idx {
		idx[k] = k
	}
	for len(ms) > 0 {
		b := repair.Best(ms)
		if ms[b].Score < MinRepairScore {
			break
		}
		if t, ok, _ := repair.Repair(targetLang, it.Source, ms[b], tr); ok {
			return t, idx[b], true
		}
		ms, idx = append(ms[:b], ms[b+1:]...), append(idx[:b], idx[b+1:]...)
	}
	return "", -1, false
}
