// Package fusion turns what retrieval found for one sentence into one
// MemoryContext: the translation-memory matches, term constraints and graph
// facts worth passing to a model, each with a weight and the reason it was
// kept or dropped.
//
// Start with Fuse. Weights are attention over memory, as in α_i =
// softmax(q·k_i / τ): every item is scored against the query (the fuzzy-match
// percentage for TM matches, with a small TF-IDF cosine between the query and
// the match's source; the alignment probability, count and normative status
// for terms; the graph distance, weight and cosine with the query for facts),
// and the scores of each kind are normalised with a softmax at the kind's
// temperature. Priors rank term translations by graph.Status.Rank, kgmem's
// one order of statuses: term-base preferred > admitted > frequent >
// recent; deprecated translations are never offered as targets. Budgets cap
// each kind and the total size in tokens.
//
// Fusion is pure computation: it does no I/O and every function is safe for
// concurrent use.
package fusion

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/kgmem/kgmem/graph"
)

// Match is a past translation retrieval found for the query.
type Match struct {
	Source string `json:"source"`
	Target string `json:"target"`
	// Score is the fuzzy-match percentage (100 identical, 101 in context).
	Score   int       `json:"score"`
	Origin  string    `json:"origin,omitempty"`
	ID      string    `json:"id,omitempty"`
	Status  string    `json:"status,omitempty"` // corpora.Status name: "approved"…
	Changed time.Time `json:"changed,omitzero"`
	// OtherContext is set when the source is identical but its context
	// (msgctxt, resname) is not: the score was lowered for it.
	OtherContext bool `json:"other_context,omitempty"`
}

// Span is a half-open range of byte offsets into the query.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// TermCandidate is one known translation of a stretch of the query.
type TermCandidate struct {
	Span     Span   `json:"span"`
	Source   string `json:"source"` // the query's text at Span
	Target   string `json:"target"`
	EntityID string `json:"entity_id,omitempty"`
	// Status is the label's normative status; graph.StatusNone for a
	// translation learned from parallel text.
	Status graph.Status `json:"status,omitempty"`
	// Count is how many times the memory saw this translation; Probability
	// the alignment probability (1 for a term-base entry).
	Count       int       `json:"count"`
	Probability float64   `json:"probability"`
	Changed     time.Time `json:"changed,omitzero"`
	// EngineMissed counts the pairs of the memory whose approved
	// translation has Target where the model translating now did not
	// write it (graph.PredEngineMissed); EngineAgreed the pairs in which
	// the model wrote one of the term's translations the approved
	// translation has (any of them). A learned translation the engine
	// keeps missing, for a term it seldom gets right, is offered even when
	// the memory is unsure of it (see Options.MinEngineMissed).
	EngineMissed int `json:"engine_missed,omitempty"`
	EngineAgreed int `json:"engine_agreed,omitempty"`
	// Fragment marks a phrase of the query the memory's pairs translate
	// alike (sub-segment memory), not a term of the graph: Count is the
	// pairs that agree on Target, Probability their mean alignment score.
	// It is offered on the pairs' word, not on the learned terms'
	// thresholds.
	Fragment bool `json:"fragment,omitempty"`
	// Unfit marks a translation whose form does not fit the query's: it
	// addresses the reader otherwise than the translation does ("lávate
	// las manos" in a text that says usted), or it is not the infinitive
	// the verb a label starts with takes ("ejecuta" in "Run macro"). Of
	// the candidates of one rank for a span, a fitting one is chosen.
	Unfit bool `json:"unfit,omitempty"`
}

// Fact is a statement from the graph about an entity of the query.
type Fact struct {
	EntityID  string `json:"entity_id,omitempty"`
	Subject   string `json:"subject"`
	Predicate string `json:"predicate"`
	Object    string `json:"object"`
	// Hops is the graph distance from an entity spotted in the query: 1 for
	// its own facts, 2 for its neighbours' facts.
	Hops   int     `json:"hops"`
	Weight float64 `json:"weight"`
	Count  int     `json:"count"`
}

// Input is what retrieval found for one query.
type Input struct {
	Query   string
	Matches []Match
	Terms   []TermCandidate
	Facts   []Fact
}

// Temperatures of the softmax per kind: lower is sharper.
type Temperatures struct {
	Match, Term, Fact float64
}

// Options are the budgets and temperatures of Fuse. Zero fields take
// the values of DefaultOptions.
type Options struct {
	MaxMatches, MaxTerms, MaxFacts int
	// TokenBudget caps the estimated size of the context in tokens.
	TokenBudget int
	// MinMatch is the lowest fuzzy score passed on.
	MinMatch int
	// MinTermProbability and MinTermCount are the least a translation
	// learned from parallel text (no term-base status) needs to be offered;
	// term-base translations are always offered.
	MinTermProbability float64
	MinTermCount       int
	// MinEngineMissed is the least number of memory pairs in which the
	// engine missed a learned translation (TermCandidate.EngineMissed),
	// three times as many as those in which it wrote one of the term's
	// translations, for the translation to be offered whatever its
	// probability.
	MinEngineMissed int
	Temperature     Temperatures
}

// DefaultOptions returns the defaults of Fuse.
func DefaultOptions() Options {
	return Options{
		MaxMatches: 3, MaxTerms: 12, MaxFacts: 5, TokenBudget: 800, MinMatch: 70,
		MinTermProbability: 0.5, MinTermCount: 3, MinEngineMissed: 10,
		Temperature: Temperatures{Match: 0.05, Term: 0.5, Fact: 0.5},
	}
}

func (o Options) withDefaults() Options {
	d := DefaultOptions()
	if o.MaxMatches == 0 {
		o.MaxMatches = d.MaxMatches
	}
	if o.MaxTerms == 0 {
		o.MaxTerms = d.MaxTerms
	}
	if o.MaxFacts == 0 {
		o.MaxFacts = d.MaxFacts
	}
	if o.TokenBudget == 0 {
		o.TokenBudget = d.TokenBudget
	}
	if o.MinMatch == 0 {
		o.MinMatch = d.MinMatch
	}
	if o.MinTermProbability == 0 {
		o.MinTermProbability = d.MinTermProbability
	}
	if o.MinTermCount == 0 {
		o.MinTermCount = d.MinTermCount
	}
	if o.MinEngineMissed == 0 {
		o.MinEngineMissed = d.MinEngineMissed
	}
	if o.Temperature.Match <= 0 {
		o.Temperature.Match = d.Temperature.Match
	}
	if o.Temperature.Term <= 0 {
		o.Temperature.Term = d.Temperature.Term
	}
	if o.Temperature.Fact <= 0 {
		o.Temperature.Fact = d.Temperature.Fact
	}
	return o
}

// WeightedMatch is a match kept in the context.
type WeightedMatch struct {
	Match
	Weight float64 `json:"weight"`
}

// Term is the translation chosen for one span of the query.
type Term struct {
	TermCandidate
	Weight float64 `json:"weight"`
	// Required is true when the translation must use Target: the term base
	// gives it (preferred or admitted).
	Required bool `json:"required,omitempty"`
	// Suggestions are the other acceptable translations of the span, best
	// first, then those seen too rarely to offer (they still tell how the
	// memory has rendered the span).
	Suggestions []TermCandidate `json:"suggestions,omitempty"`
}

// WeightedFact is a fact kept in the context.
type WeightedFact struct {
	Fact
	Weight float64 `json:"weight"`
}

// Kinds of memory items, as Decision names them.
const (
	KindMatch = "match"
	KindTerm  = "term"
	KindFact  = "fact"
)

// Decision explains what happened to one memory item.
type Decision struct {
	Kind   string  `json:"kind"`
	Item   string  `json:"item"`
	Kept   bool    `json:"kept"`
	Score  float64 `json:"score"`
	Weight float64 `json:"weight"`
	Reason string  `json:"reason"`
}

// MemoryContext is the memory passed to a model for one sentence.
type MemoryContext struct {
	Matches []WeightedMatch `json:"matches,omitempty"`
	Terms   []Term          `json:"terms,omitempty"`
	Facts   []WeightedFact  `json:"facts,omitempty"`
	// Tokens is the estimated size of the context.
	Tokens int `json:"tokens"`
	// Explanation lists a decision per retrieved item, kept ones first.
	Explanation []Decision `json:"explanation,omitempty"`
}

// Best returns the kept match with the highest score, if any.
func (m *MemoryContext) Best() (WeightedMatch, bool) {
	var best WeightedMatch
	ok := false
	for _, x := range m.Matches {
		if !ok || x.Score > best.Score {
			best, ok = x, true
		}
	}
	return best, ok
}

// Fuse builds the memory context of one query from what retrieval found.
func Fuse(in Input, opts Options) MemoryContext {
	o := opts.withDefaults()
	var mc MemoryContext
	var dropped []Decision
	drop := func(d Decision) { d.Kept = false; dropped = append(dropped, d) }

	mc.Matches = fuseMatches(in, o, drop)
	mc.Terms = fuseTerms(in, o, drop)
	mc.Facts = fuseFacts(in, o, drop)
	budget(&mc, o.TokenBudget, drop)

	for _, m := range mc.Matches {
		mc.Explanation = append(mc.Explanation, Decision{Kind: KindMatch, Item: matchItem(m.Match), Kept: true,
			Score: float64(m.Score), Weight: m.Weight,
			Reason: fmt.Sprintf("fuzzy %d%%%s", m.Score, originNote(m.Origin))})
	}
	for _, t := range mc.Terms {
		r := "best translation of the span: " + priorName(t.TermCandidate)
		if t.Required {
			r += "; required"
		}
		if len(t.Suggestions) > 0 {
			r += fmt.Sprintf("; %d alternative(s) kept as suggestions", len(t.Suggestions))
		}
		mc.Explanation = append(mc.Explanation, Decision{Kind: KindTerm, Item: termItem(t.TermCandidate), Kept: true,
			Score: termScore(t.TermCandidate), Weight: t.Weight, Reason: r})
	}
	for _, f := range mc.Facts {
		mc.Explanation = append(mc.Explanation, Decision{Kind: KindFact, Item: factItem(f.Fact), Kept: true,
			Score: factScore(in.Query, f.Fact, nil), Weight: f.Weight, Reason: fmt.Sprintf("%d hop(s) from the sentence", f.Hops)})
	}
	mc.Explanation = append(mc.Explanation, dropped...)
	return mc
}

func originNote(o string) string {
	if o == "" {
		return ""
	}
	return " from " + o
}

func matchItem(m Match) string { return m.Source + " → " + m.Target }
func termItem(t TermCandidate) string {
	return fmt.Sprintf("%s → %s [%d:%d]", t.Source, t.Target, t.Span.Start, t.Span.End)
}
func factItem(f Fact) string { return f.Subject + " " + f.Predicate + " " + f.Object }

// softmax returns exp(s_i/τ) normalised, computed stably.
func softmax(scores []float64, tau float64) []float64 {
	if len(scores) == 0 {
		return nil
	}
	hi := math.Inf(-1)
	for _, s := range scores {
		hi = math.Max(hi, s)
	}
	w := make([]float64, len(scores))
	var sum float64
	for i, s := range scores {
		w[i] = math.Exp((s - hi) / tau)
		sum += w[i]
	}
	for i := range w {
		w[i] /= sum
	}
	return w
}

// matchScore is a match's key against the query: its fuzzy score as a
// fraction, a little q·k similarity, and priors for approved and recent
// entries that only break near ties.
func matchScore(query string, m Match, idf map[string]float64, newest time.Time) float64 {
	s := float64(m.Score) / 100
	s += 0.02 * cosine(query, m.Source, idf)
	if strings.EqualFold(m.Status, "approved") {
		s += 0.01
	}
	if !m.Changed.IsZero() && !newest.IsZero() {
		age := newest.Sub(m.Changed).Hours() / 24 / 365
		s += 0.005 / (1 + math.Max(age, 0))
	}
	return s
}

func fuseMatches(in Input, o Options, drop func(Decision)) []WeightedMatch {
	type cand struct {
		m     Match
		score float64
	}
	var newest time.Time
	for _, m := range in.Matches {
		if m.Changed.After(newest) {
			newest = m.Changed
		}
	}
	docs := []string{in.Query}
	for _, m := range in.Matches {
		docs = append(docs, m.Source)
	}
	idf := inverseDocFreq(docs)
	seen := map[string]int{}
	var cs []cand
	for _, m := range in.Matches {
		item := matchItem(m)
		switch {
		case m.Score < o.MinMatch:
			drop(Decision{Kind: KindMatch, Item: item, Score: float64(m.Score),
				Reason: fmt.Sprintf("fuzzy %d%% is below the minimum %d%%", m.Score, o.MinMatch)})
			continue
		case strings.TrimSpace(m.Target) == "":
			drop(Decision{Kind: KindMatch, Item: item, Score: float64(m.Score), Reason: "no translation"})
			continue
		}
		key := m.Source + "\x00" + m.Target
		if i, ok := seen[key]; ok {
			if m.Score > cs[i].m.Score {
				cs[i].m, cs[i].score = m, matchScore(in.Query, m, idf, newest)
			}
			drop(Decision{Kind: KindMatch, Item: item, Score: float64(m.Score), Reason: "duplicate of a kept match"})
			continue
		}
		seen[key] = len(cs)
		cs = append(cs, cand{m, matchScore(in.Query, m, idf, newest)})
	}
	sort.SliceStable(cs, func(a, b int) bool { return cs[a].score > cs[b].score })
	scores := make([]float64, len(cs))
	for i, c := range cs {
		scores[i] = c.score
	}
	w := softmax(scores, o.Temperature.Match)
	var out []WeightedMatch
	for i, c := range cs {
		if i >= o.MaxMatches {
			drop(Decision{Kind: KindMatch, Item: matchItem(c.m), Score: float64(c.m.Score), Weight: w[i],
				Reason: fmt.Sprintf("beyond the best %d matches", o.MaxMatches)})
			continue
		}
		out = append(out, WeightedMatch{Match: c.m, Weight: w[i]})
	}
	return out
}

// StatusPrior is the prior of a status in a term translation's score: 3
// for a term base's preferred translation, 2 for an admitted one, 0 for
// the rest; above the alignment probability (at most 1) and the count
// term, so that status decides first. It maps graph.Status.Rank, and so
// orders statuses as it does; a status with a prior above 0 makes a term
// required. (Deprecated translations are never offered at all:
// graph.Status.Barred.)
func StatusPrior(s graph.Status) float64 {
	switch s.Rank() {
	case graph.RankPreferred:
		return 3
	case graph.RankAdmitted:
		return 2
	}
	return 0
}

func priorName(t TermCandidate) string {
	switch t.Status.Rank() {
	case graph.RankPreferred:
		return "term-base preferred"
	case graph.RankAdmitted:
		return "approved"
	}
	if t.Fragment {
		return fmt.Sprintf("memory fragment, %d pairs agree, alignment %.2f", t.Count, t.Probability)
	}
	if t.EngineMissed > 0 {
		return fmt.Sprintf("learned, seen %d times, p=%.2f; the engine missed it in %d pairs, wrote it in %d", t.Count, t.Probability, t.EngineMissed, t.EngineAgreed)
	}
	return fmt.Sprintf("learned, seen %d times, p=%.2f", t.Count, t.Probability)
}

// termScore is a term translation's key: its status prior first, then the
// alignment probability and how often it was seen, then recency.
func termScore(t TermCandidate) float64 {
	s := StatusPrior(t.Status) + t.Probability + 0.25*math.Log1p(float64(max(t.Count, 0)))
	if !t.Changed.IsZero() {
		// Recency only orders otherwise equal candidates: at most 0.01.
		s += 0.01 * float64(t.Changed.Unix()) / float64(time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC).Unix())
	}
	return s
}

func fuseTerms(in Input, o Options, drop func(Decision)) []Term {
	groups, uncertain := groupTerms(in, o, drop)
	terms := pickTargets(groups, uncertain, o, drop)
	kept := dropOverlaps(terms, drop)
	return capTerms(kept, o, drop)
}

// termGroup is the candidates offered for one span of the query.
type termGroup struct {
	span  Span
	cands []TermCandidate
}

// groupTerms groups the candidates that may be offered by span, in the
// order the spans first appear, and drops the rest: spans outside the
// query, barred statuses, empty targets, duplicates, and learned
// translations too uncertain to offer. Those still say how the memory
// has rendered their span: they are returned by span in uncertain.
func groupTerms(in Input, o Options, drop func(Decision)) (groups []*termGroup, uncertain map[Span][]TermCandidate) {
	bySpan := map[Span]*termGroup{}
	seen := map[string]bool{}
	uncertain = map[Span][]TermCandidate{}
	for _, t := range in.Terms {
		item := termItem(t)
		switch {
		case t.Span.Start < 0 || t.Span.End <= t.Span.Start || t.Span.End > len(in.Query):
			drop(Decision{Kind: KindTerm, Item: item, Reason: "span outside the sentence"})
			continue
		case t.Status.Barred():
			drop(Decision{Kind: KindTerm, Item: item, Score: termScore(t), Reason: string(t.Status) + ": never offered as a target"})
			continue
		case strings.TrimSpace(t.Target) == "":
			drop(Decision{Kind: KindTerm, Item: item, Reason: "no translation"})
			continue
		case !t.Fragment && !o.Certain(t) && !o.Corrects(t):
			drop(Decision{Kind: KindTerm, Item: item, Score: termScore(t),
				Reason: fmt.Sprintf("learned translation too uncertain (p=%.2f < %.2f or seen %d < %d times)",
					t.Probability, o.MinTermProbability, t.Count, o.MinTermCount)})
			uncertain[t.Span] = append(uncertain[t.Span], t)
			continue
		}
		key := fmt.Sprint(t.Span, "\x00", t.Target)
		if seen[key] {
			drop(Decision{Kind: KindTerm, Item: item, Score: termScore(t), Reason: "duplicate"})
			continue
		}
		seen[key] = true
		g := bySpan[t.Span]
		if g == nil {
			g = &termGroup{span: t.Span}
			bySpan[t.Span] = g
			groups = append(groups, g)
		}
		g.cands = append(g.cands, t)
	}
	return groups, uncertain
}

// Certain reports whether t is certain enough to be offered on its own
// word: a term base's translation, or a learned one of at least
// MinTermProbability seen at least MinTermCount times.
func (o Options) Certain(t TermCandidate) bool {
	o = o.withDefaults()
	return t.Status.Authoritative() || t.Probability >= o.MinTermProbability && t.Count >= o.MinTermCount
}

// Corrects reports whether t is a learned translation the engine keeps
// getting wrong: it missed it in at least MinEngineMissed pairs of the
// memory, three times as many as those in which it got the term right.
func (o Options) Corrects(t TermCandidate) bool {
	o = o.withDefaults()
	return t.EngineMissed >= o.MinEngineMissed && t.EngineMissed >= 3*t.EngineAgreed
}

// pickRank orders the candidates of one span before their scores do: a
// term base's first, then a fragment of the memory's pairs (the span's
// translation in sentences like the query), then learned translations;
// within each, one that fits the query before one that does not (Unfit).
func pickRank(t TermCandidate) int {
	r := 4
	switch {
	case t.Status.Authoritative():
		r = 0
	case t.Fragment:
		r = 2
	}
	if t.Unfit {
		r++
	}
	return r
}

// pickTargets chooses one target per span: the softmax over its
// candidates picks it, the others become suggestions, followed by the
// span's uncertain translations.
func pickTargets(groups []*termGroup, uncertain map[Span][]TermCandidate, o Options, drop func(Decision)) []Term {
	var terms []Term
	for _, g := range groups {
		sort.SliceStable(g.cands, func(a, b int) bool {
			if ra, rb := pickRank(g.cands[a]), pickRank(g.cands[b]); ra != rb {
				return ra < rb
			}
			return termScore(g.cands[a]) > termScore(g.cands[b])
		})
		scores := make([]float64, len(g.cands))
		for i, c := range g.cands {
			scores[i] = termScore(c)
		}
		w := softmax(scores, o.Temperature.Term)
		best := g.cands[0]
		t := Term{TermCandidate: best, Weight: w[0], Required: best.Status.Authoritative()}
		for i, c := range g.cands[1:] {
			t.Suggestions = append(t.Suggestions, c)
			drop(Decision{Kind: KindTerm, Item: termItem(c), Score: scores[i+1], Weight: w[i+1],
				Reason: fmt.Sprintf("conflict: %q (%s) wins the span; kept as a suggestion", best.Target, priorName(best))})
		}
		for _, c := range uncertain[g.span] {
			if c.Target != best.Target && !slices.ContainsFunc(t.Suggestions, func(s TermCandidate) bool { return s.Target == c.Target }) {
				t.Suggestions = append(t.Suggestions, c)
			}
		}
		terms = append(terms, t)
	}
	return terms
}

// dropOverlaps resolves overlapping spans: the longer wins, then the
// stronger.
func dropOverlaps(terms []Term, drop func(Decision)) []Term {
	sort.SliceStable(terms, func(a, b int) bool {
		la, lb := terms[a].Span.End-terms[a].Span.Start, terms[b].Span.End-terms[b].Span.Start
		if la != lb {
			return la > lb
		}
		return termScore(terms[a].TermCandidate) > termScore(terms[b].TermCandidate)
	})
	var kept []Term
	for _, t := range terms {
		overlap := false
		for _, k := range kept {
			if t.Span.Start < k.Span.End && k.Span.Start < t.Span.End {
				overlap = true
				drop(Decision{Kind: KindTerm, Item: termItem(t.TermCandidate), Score: termScore(t.TermCandidate), Weight: t.Weight,
					Reason: fmt.Sprintf("overlaps the longer term %q", k.Source)})
				break
			}
		}
		if !overlap {
			kept = append(kept, t)
		}
	}
	return kept
}

// capTerms keeps the best MaxTerms terms, required terms first, then by
// prior and weight, and returns them in the order of the query.
func capTerms(kept []Term, o Options, drop func(Decision)) []Term {
	sort.SliceStable(kept, func(a, b int) bool {
		if kept[a].Required != kept[b].Required {
			return kept[a].Required
		}
		return termScore(kept[a].TermCandidate) > termScore(kept[b].TermCandidate)
	})
	if len(kept) > o.MaxTerms {
		for _, t := range kept[o.MaxTerms:] {
			drop(Decision{Kind: KindTerm, Item: termItem(t.TermCandidate), Score: termScore(t.TermCandidate), Weight: t.Weight,
				Reason: fmt.Sprintf("beyond the best %d terms", o.MaxTerms)})
		}
		kept = kept[:o.MaxTerms]
	}
	sort.SliceStable(kept, func(a, b int) bool { return kept[a].Span.Start < kept[b].Span.Start })
	return kept
}

// factScore is a fact's key: closer and heavier facts first, and those
// whose words the query shares.
func factScore(query string, f Fact, idf map[string]float64) float64 {
	hops := math.Max(float64(f.Hops), 1)
	return f.Weight/hops + 0.25*math.Log1p(float64(max(f.Count, 0)))/hops + cosine(query, f.Object, idf)
}

func fuseFacts(in Input, o Options, drop func(Decision)) []WeightedFact {
	docs := []string{in.Query}
	for _, f := range in.Facts {
		docs = append(docs, f.Object)
	}
	idf := inverseDocFreq(docs)
	type cand struct {
		f     Fact
		score float64
	}
	var cs []cand
	seen := map[string]bool{}
	for _, f := range in.Facts {
		k := factItem(f)
		if seen[k] {
			drop(Decision{Kind: KindFact, Item: k, Reason: "duplicate"})
			continue
		}
		seen[k] = true
		cs = append(cs, cand{f, factScore(in.Query, f, idf)})
	}
	sort.SliceStable(cs, func(a, b int) bool { return cs[a].score > cs[b].score })
	scores := make([]float64, len(cs))
	for i, c := range cs {
		scores[i] = c.score
	}
	w := softmax(scores, o.Temperature.Fact)
	var out []WeightedFact
	for i, c := range cs {
		if i >= o.MaxFacts {
			drop(Decision{Kind: KindFact, Item: factItem(c.f), Score: c.score, Weight: w[i],
				Reason: fmt.Sprintf("beyond the best %d facts", o.MaxFacts)})
			continue
		}
		out = append(out, WeightedFact{Fact: c.f, Weight: w[i]})
	}
	return out
}

// Tokens estimates the number of model tokens of a text: about four for
// every three words, and one per punctuation mark.
func Tokens(s string) int {
	words, puncts := 0, 0
	in := false
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if !in {
				words++
			}
			in = true
		case unicode.IsSpace(r):
			in = false
		default:
			puncts++
			in = false
		}
	}
	return (words*4+2)/3 + puncts
}

// budget drops the least important items until the context fits: facts
// first, then matches beyond the best, then learned terms, then the rest;
// an exact best match stays even when it alone is over the limit.
func budget(mc *MemoryContext, limit int, drop func(Decision)) {
	size := func() int {
		n := 0
		for _, m := range mc.Matches {
			n += Tokens(m.Source) + Tokens(m.Target)
		}
		for _, t := range mc.Terms {
			n += Tokens(t.Source) + Tokens(t.Target) + 2
		}
		for _, f := range mc.Facts {
			n += Tokens(f.Subject) + Tokens(f.Predicate) + Tokens(f.Object)
		}
		return n
	}
	n := size()
	reason := fmt.Sprintf("over the token budget of %d", limit)
	for n > limit && len(mc.Facts) > 0 {
		f := mc.Facts[len(mc.Facts)-1]
		mc.Facts = mc.Facts[:len(mc.Facts)-1]
		drop(Decision{Kind: KindFact, Item: factItem(f.Fact), Weight: f.Weight, Reason: reason})
		n = size()
	}
	for n > limit && len(mc.Matches) > 1 {
		m := mc.Matches[len(mc.Matches)-1]
		mc.Matches = mc.Matches[:len(mc.Matches)-1]
		drop(Decision{Kind: KindMatch, Item: matchItem(m.Match), Score: float64(m.Score), Weight: m.Weight, Reason: reason})
		n = size()
	}
	for n > limit {
		// The weakest learned term, if any.
		i := -1
		for k, t := range mc.Terms {
			if !t.Required && (i < 0 || t.Weight < mc.Terms[i].Weight) {
				i = k
			}
		}
		if i < 0 {
			break
		}
		t := mc.Terms[i]
		mc.Terms = append(mc.Terms[:i], mc.Terms[i+1:]...)
		drop(Decision{Kind: KindTerm, Item: termItem(t.TermCandidate), Weight: t.Weight, Reason: reason})
		n = size()
	}
	for n > limit && len(mc.Terms) > 0 {
		t := mc.Terms[len(mc.Terms)-1]
		mc.Terms = mc.Terms[:len(mc.Terms)-1]
		drop(Decision{Kind: KindTerm, Item: termItem(t.TermCandidate), Weight: t.Weight, Reason: reason})
		n = size()
	}
	// The best match goes last, and never when it is exact: an exact
	// match is the translation, whatever its length.
	for n > limit && len(mc.Matches) > 0 && mc.Matches[0].Score < 100 {
		m := mc.Matches[0]
		mc.Matches = nil
		drop(Decision{Kind: KindMatch, Item: matchItem(m.Match), Score: float64(m.Score), Weight: m.Weight, Reason: reason})
		n = size()
	}
	mc.Tokens = n
}

// words returns the lowercased words of s.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// inverseDocFreq returns smoothed IDF weights of the words of docs.
func inverseDocFreq(docs []string) map[string]float64 {
	df := map[string]int{}
	for _, d := range docs {
		seen := map[string]bool{}
		for _, w := range words(d) {
			if !seen[w] {
				seen[w] = true
				df[w]++
			}
		}
	}
	idf := make(map[string]float64, len(df))
	n := float64(len(docs))
	for w, c := range df {
		idf[w] = math.Log(1 + n/float64(c))
	}
	return idf
}

// cosine is the TF-IDF cosine similarity of a and b: the q·k of attention.
func cosine(a, b string, idf map[string]float64) float64 {
	vec := func(s string) map[string]float64 {
		v := map[string]float64{}
		for _, w := range words(s) {
			x := 1.0
			if idf != nil {
				if f, ok := idf[w]; ok {
					x = f
				}
			}
			v[w] += x
		}
		return v
	}
	va, vb := vec(a), vec(b)
	var dot, na, nb float64
	for w, x := range va {
		dot += x * vb[w]
		na += x * x
	}
	for _, y := range vb {
		nb += y * y
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}
