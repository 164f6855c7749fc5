package translate

import (
	"context"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kgmem/kgmem/analysis"
	"github.com/kgmem/kgmem/fusion"
	"github.com/kgmem/kgmem/graph/extract"
	"github.com/kgmem/kgmem/morph"
	"github.com/kgmem/kgmem/retrieval"
)

// Sub-segment memory: a sentence the memory has no usable match for
// still shares phrases with the pairs it has ("Could not open the
// selected folder" with "Could not open the file %s" and "Could not open
// the database"). Each phrase the sentence shares word for word with
// several of its nearest pairs is aligned in each of those pairs with the
// kept word-alignment model; when the pairs agree on its translation ("no
// se pudo abrir el"), the phrase is offered to the model like a learned
// term, marked as a fragment. Numbers, placeholders and codes end a
// phrase: the memory's would not be the sentence's.

// PhraseAligner finds the part of a translation that translates a phrase
// of its source, function words included; *extract.Model is one.
type PhraseAligner interface {
	AlignPhrase(source, target string, start, end int) (extract.SpanTranslation, bool)
}

// FragmentFinder is a Memory that finds the phrases a sentence shares
// with the memory's pairs, and their translation there (IndexMemory is
// one, when it has an Aligner).
type FragmentFinder interface {
	Fragments(ctx context.Context, q Query) ([]fusion.TermCandidate, error)
}

// Limits of the sub-segment memory.
const (
	// minFragmentWords is the fewest words of a fragment.
	minFragmentWords = 2
	// fragmentMinMatch is the lowest fuzzy score of a pair read for
	// fragments, fragmentPairs how many are read.
	fragmentMinMatch = 30
	fragmentPairs    = 20
	// minFragmentSupport is the fewest pairs that must agree on a
	// fragment's translation; they must also be at least
	// fragmentAgreement of the pairs it aligns in.
	minFragmentSupport = 2
	fragmentAgreement  = 2.0 / 3
	// minFragmentAlignment is the least alignment score
	// (extract.SpanTranslation.Score) of a fragment in a pair.
	minFragmentAlignment = 0.5
	// minFragmentLength is the least length of a fragment's translation,
	// in words, as a share of the fragment's: the alignment model links
	// content words, and a translation that left out the fragment's
	// function words is not the fragment's.
	minFragmentLength = 0.75
)

// Fragments finds the phrases q.Protected shares with the memory's pairs
// nearest to it, with their agreed translation (see FragmentFinder). It
// finds none without an Aligner or an alignment model for the pair.
func (m *IndexMemory) Fragments(ctx context.Context, q Query) ([]fusion.TermCandidate, error) {
	if m.Aligner == nil {
		return nil, nil
	}
	al := m.Aligner(q.SourceLang, q.TargetLang)
	if al == nil {
		return nil, nil
	}
	ms, err := m.matcher.Lookup(ctx, retrieval.Query{Text: q.Text, SourceLang: q.SourceLang, TargetLang: q.TargetLang,
		Min: fragmentMinMatch, Limit: fragmentPairs})
	if err != nil {
		return nil, err
	}
	var pairs []fragmentPair
	for _, x := range ms {
		if x.Score < 100 {
			pairs = append(pairs, newFragmentPair(x))
		}
	}
	frags := findFragments(q.SourceLang, q.Protected, pairs, al)
	if first, ok := label(q.Protected); ok {
		// The memory's labels that start with the same word are the
		// nearest pairs of the word alone.
		ls, err := m.matcher.Lookup(ctx, retrieval.Query{Text: q.Protected[first.start:first.end], SourceLang: q.SourceLang,
			TargetLang: q.TargetLang, Min: fragmentMinMatch, Limit: fragmentPairs})
		if err != nil {
			return nil, err
		}
		var labels []fragmentPair
		for _, x := range ls {
			labels = append(labels, newFragmentPair(x))
		}
		if f, ok := labelVerb(q.TargetLang, q.Protected, labels); ok {
			frags = append(frags, f)
		}
	}
	return frags, nil
}

// fragmentPair is a pair of the memory fragments are taken from, with
// the votes it casts: approvedVotes for an approved translation (one a
// translator approved, or `kgmem learn` learned), one for the others.
type fragmentPair struct {
	Source, Target string
	votes          int
}

// approvedVotes is what an approved pair's word weighs: as much as
// minFragmentSupport other pairs, so that a phrase a translator has just
// approved is reused in the next sentence that has it.
const approvedVotes = minFragmentSupport

func newFragmentPair(m retrieval.Match) fragmentPair {
	p := fragmentPair{Source: stripAccelerator(m.Source), Target: stripAccelerator(m.Target), votes: 1}
	if m.Status == "approved" {
		p.votes = approvedVotes
	}
	return p
}

// maxLabelWords is the most words of a UI label.
const maxLabelWords = 6

// label reports whether text reads as a UI label: a few words, the first
// a capitalised word, no full stop or other end of sentence; it returns
// its first word's tokens.
func label(text string) (first token, ok bool) {
	ts := editTokens(text)
	if len(ts) == 0 || wordCount(ts) > maxLabelWords || !isWordToken(ts[0]) || strings.ContainsAny(ts[len(ts)-1].key, ".!?:;…") {
		return token{}, false
	}
	r, _ := utf8.DecodeRuneInString(text[ts[0].start:])
	return ts[0], unicode.IsUpper(r)
}

// labelVerb finds, for a label (as label reads it), whether the memory's
// labels that start with its first word start their translation with a
// verb in the infinitive, as UIs write the verb of a button or a menu
// item in Spanish, French and the other Romance languages ("Change Icon"
// → "Cambiar icono", where an engine reads a noun, "Icono de cambia"):
// fragmentAgreement of the pairs (labels too) that start with the word
// must start with an infinitive, and the infinitive offered, the one most
// of them write, needs minFragmentSupport votes. Catalogues differ in the
// verb ("Use" → "Usar" in one, "Utilizar" in another) but agree on the
// form. It is offered as a fragment over the first word.
func labelVerb(targetLang, text string, pairs []fragmentPair) (fusion.TermCandidate, bool) {
	first, ok := label(text)
	if !ok {
		return fusion.TermCandidate{}, false
	}
	votes := map[string]int{}
	var order []string
	same := 0
	for _, p := range pairs {
		pf, ok := label(p.Source)
		if !ok || pf.key != first.key {
			continue
		}
		same += p.votes
		tt := editTokens(p.Target)
		if len(tt) == 0 || !isWordToken(tt[0]) {
			continue
		}
		w := p.Target[tt[0].start:tt[0].end]
		if inf, _ := morph.Infinitive(targetLang, w); !inf {
			continue
		}
		if votes[tt[0].key] == 0 {
			order = append(order, w)
		}
		votes[tt[0].key] += p.votes
	}
	best, all := "", 0
	for _, w := range order {
		n := votes[strings.ToLower(w)]
		all += n
		if best == "" || n > votes[strings.ToLower(best)] {
			best = w
		}
	}
	n := votes[strings.ToLower(best)]
	if n < minFragmentSupport || float64(all) < fragmentAgreement*float64(same) {
		return fusion.TermCandidate{}, false
	}
	return fusion.TermCandidate{Span: fusion.Span{Start: first.start, End: first.end}, Source: text[first.start:first.end],
		Target: best, Count: n, Probability: float64(n) / float64(same), Fragment: true}, true
}

// fragmentRun is a run of words a query shares with one pair's source:
// tokens [qa, qb) of the query are tokens [pa, pa+qb-qa) of the pair's.
type fragmentRun struct {
	pair, qa, qb, pa int
}

// findFragments returns the fragments of query (a protected text in
// language lang) that pairs agree on (see FragmentFinder), aligned by al.
func findFragments(lang, query string, pairs []fragmentPair, al PhraseAligner) []fusion.TermCandidate {
	qt := editTokens(query)
	if len(qt) < minFragmentWords || len(qt) > maxEditTokens {
		return nil
	}
	an := analysis.For(lang)
	qok := fragmentable(query, qt)
	content := contentTokens(an, query, qt)
	pts := make([][]token, len(pairs))
	var runs []fragmentRun
	for p, pr := range pairs {
		pt := editTokens(pr.Source)
		if len(pt) > maxEditTokens {
			continue
		}
		pts[p] = pt
		pok := fragmentable(pr.Source, pt)
		for _, r := range commonRuns(qt, pt, qok, pok) {
			r.pair = p
			if r = trimRun(r, qt, content); fragmentWorthy(qt, content, r.qa, r.qb) ||
				pr.votes == approvedVotes && compoundRun(qt, content, r.qa, r.qb) {
				runs = append(runs, r)
			}
		}
	}
	// Each distinct run is a candidate span; the pairs whose runs cover it
	// vote on its translation.
	spans := map[[2]int]bool{}
	var out []fusion.TermCandidate
	for _, r := range runs {
		span := [2]int{r.qa, r.qb}
		if spans[span] {
			continue
		}
		spans[span] = true
		if c, ok := voteFragment(query, qt, span, runs, pairs, pts, al); ok {
			out = append(out, c)
		}
	}
	return out
}

// fragmentable marks the tokens of text a fragment may hold: words and
// ordinary punctuation, not numbers, codes, quotation marks or any part
// of a placeholder.
func fragmentable(text string, ts []token) []bool {
	ok := make([]bool, len(ts))
	phs := placeholderPattern.FindAllStringIndex(text, -1)
	for i, t := range ts {
		ok[i] = t.editable() && !slices.ContainsFunc(phs, func(ph []int) bool { return t.start < ph[1] && ph[0] < t.end })
	}
	return ok
}

// contentTokens marks the tokens of text that are content words: words
// the analyser keeps (not stop words).
func contentTokens(an *analysis.Analyzer, text string, ts []token) []bool {
	keep := map[int]bool{}
	for _, t := range an.Tokens(text) {
		if !t.Stop() {
			keep[t.Start] = true
		}
	}
	out := make([]bool, len(ts))
	for i, t := range ts {
		out[i] = keep[t.start]
	}
	return out
}

// commonRuns returns the maximal runs of tokens a and b share (same keys,
// all fragmentable), by the usual longest-common-substring table.
func commonRuns(a, b []token, aok, bok []bool) []fragmentRun {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	var out []fragmentRun
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			if aok[i-1] && bok[j-1] && a[i-1].key == b[j-1].key {
				cur[j] = prev[j-1] + 1
			} else {
				cur[j] = 0
			}
		}
		// A run ends at (i, j) when it cannot go on at (i+1, j+1).
		for j := 1; j <= len(b); j++ {
			n := cur[j]
			if n == 0 {
				continue
			}
			if i < len(a) && j < len(b) && aok[i] && bok[j] && a[i].key == b[j].key {
				continue
			}
			out = append(out, fragmentRun{qa: i - n, qb: i, pa: j - n})
		}
		prev, cur = cur, prev
	}
	return out
}

// trimRun drops the punctuation at either end of r, and the stop words
// at its end: an article or a preposition there agrees with, or governs,
// a word the pair has and the query has not ("open the" is "abrir la"
// before "carpeta", "abrir el" before "archivo").
func trimRun(r fragmentRun, qt []token, content []bool) fragmentRun {
	for r.qa < r.qb && !isWordToken(qt[r.qa]) {
		r.qa, r.pa = r.qa+1, r.pa+1
	}
	for r.qb > r.qa && !content[r.qb-1] {
		r.qb--
	}
	return r
}

// wordCount counts the words of ts.
func wordCount(ts []token) int {
	n := 0
	for _, t := range ts {
		if isWordToken(t) {
			n++
		}
	}
	return n
}

// negated reports whether ts negate: a negator (negators), "never",
// "cannot" or an English "n't".
func negated(ts []token) bool {
	for i, t := range ts {
		if negators[t.key] || t.key == "never" || t.key == "cannot" ||
			t.key == "t" && i >= 2 && ts[i-1].key == "'" && strings.HasSuffix(ts[i-2].key, "n") {
			return true
		}
	}
	return false
}

func isWordToken(t token) bool {
	r, _ := utf8.DecodeRuneInString(t.key)
	return unicode.IsLetter(r)
}

// fragmentWorthy reports whether tokens [a, b) of qt make a fragment: a
// content word and a function word, and three words or more unless it
// starts the text ("Save as …"). A run of content words only ("line
// pattern") is a term, the graph's to translate; the phrases with
// function words ("could not get") are the ones it does not have. Two
// words inside a sentence ("at line") are too little of it to be worth
// cutting it for.
func fragmentWorthy(qt []token, content []bool, a, b int) bool {
	words, contents := wordCount(qt[a:b]), 0
	for _, c := range content[a:b] {
		if c {
			contents++
		}
	}
	return (words >= 3 || words >= minFragmentWords && a == 0) && contents >= 1 && contents < words
}

// compoundRun reports whether tokens [a, b) of qt are two content words or
// more and nothing else ("sticky keys"): a term, which the graph may not
// know yet when a translator has just approved it. findFragments takes
// such a run from an approved pair only: from the memory's other pairs,
// a verb and its object ("Change Icon") would pass for one.
func compoundRun(qt []token, content []bool, a, b int) bool {
	if b-a < minFragmentWords {
		return false
	}
	for i := a; i < b; i++ {
		if !content[i] || !isWordToken(qt[i]) {
			return false
		}
	}
	return true
}

// voteFragment aligns span of the query in every pair whose run covers it
// and returns the fragment when enough of them agree on its translation.
func voteFragment(query string, qt []token, span [2]int, runs []fragmentRun, pairs []fragmentPair, pts [][]token, al PhraseAligner) (fusion.TermCandidate, bool) {
	type vote struct {
		text  string
		n     int
		score float64
	}
	var votes []vote
	aligned := 0
	srcWords, srcNeg := wordCount(qt[span[0]:span[1]]), negated(qt[span[0]:span[1]])
	seen := map[int]bool{}
	for _, r := range runs {
		if seen[r.pair] || r.qa > span[0] || r.qb < span[1] {
			continue
		}
		seen[r.pair] = true
		pt, pr := pts[r.pair], pairs[r.pair]
		pa, pb := r.pa+span[0]-r.qa, r.pa+span[1]-r.qa
		st, ok := al.AlignPhrase(pr.Source, pr.Target, pt[pa].start, pt[pb-1].end)
		if !ok || st.Score < minFragmentAlignment {
			continue
		}
		aligned += pr.votes
		if tt := editTokens(st.Text); float64(wordCount(tt)) < minFragmentLength*float64(srcWords) || negated(tt) != srcNeg {
			continue // a part of the translation only: "do not show" is not "mostrar"
		}
		text := strings.TrimFunc(st.Text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if text == "" {
			continue
		}
		if span[0] > 0 && !strings.ContainsFunc(pr.Target[:st.Start], unicode.IsLetter) {
			// Capitalised as the pair's translation starts, not inside
			// the query's.
			text = analysis.LowerFirst(text)
		}
		key := strings.ToLower(text)
		if k := slices.IndexFunc(votes, func(v vote) bool { return strings.ToLower(v.text) == key }); k >= 0 {
			votes[k].n += pr.votes
			votes[k].score += float64(pr.votes) * st.Score
		} else {
			votes = append(votes, vote{text: text, n: pr.votes, score: float64(pr.votes) * st.Score})
		}
	}
	if len(votes) == 0 {
		return fusion.TermCandidate{}, false
	}
	best := slices.MaxFunc(votes, func(a, b vote) int { return a.n - b.n })
	if best.n < minFragmentSupport || float64(best.n) < fragmentAgreement*float64(aligned) {
		return fusion.TermCandidate{}, false
	}
	start, end := qt[span[0]].start, qt[span[1]-1].end
	return fusion.TermCandidate{
		Span: fusion.Span{Start: start, End: end}, Source: query[start:end], Target: best.text,
		Count: best.n, Probability: best.score / float64(best.n), Fragment: true,
	}, true
}
