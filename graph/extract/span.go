package extract

// This file aligns one span of one translation with a kept Model, without
// an Extractor: what learning a single approved translation needs to find
// how it translates a known term.

import (
	"math"

	"github.com/kgmem/kgmem/analysis"
)

// SpanTranslation is the part of a translation that translates a span of
// its source, as Model.AlignSpan finds it.
type SpanTranslation struct {
	Start, End int    // byte offsets in the target
	Text       string // target[Start:End]
	// Score is the mean, over the phrase's content words, of how much
	// better the span explains each word than the rest of the source does
	// (0 to 1).
	Score float64
}

// minSpanLink is the least link probability that ties a word to another:
// below it, a word is taken as not translated by the other.
const minSpanLink = 0.05

// AlignSpan finds the words of target that translate source[start:end]:
// the contiguous run of target words that the span's words explain better
// than the rest of the source (and the empty word) does, holding the best
// link of every span word that has one, and at most twice as long as the
// span plus two words. Stop words inside the run are taken along, not at
// its ends. The
// languages are the model's. It returns false when no run qualifies: the
// model does not know the span's words, or they have no counterpart in
// target.
func (m *Model) AlignSpan(source, target string, start, end int) (SpanTranslation, bool) {
	if m == nil || start < 0 || end > len(source) || start >= end {
		return SpanTranslation{}, false
	}
	src := analysis.For(m.SourceLang).Tokens(source)
	tgt := analysis.For(m.TargetLang).Tokens(target)
	if len(src) == 0 || len(tgt) == 0 {
		return SpanTranslation{}, false
	}
	var in []int // span tokens
	isIn := make([]bool, len(src))
	for i, t := range src {
		if t.Start >= start && t.End <= end {
			in = append(in, i)
			isIn[i] = true
		}
	}
	if len(in) == 0 {
		return SpanTranslation{}, false
	}
	// link[i][j]: the symmetrised probability that source word i and
	// target word j translate each other.
	link := make([][]float64, len(src))
	for i, s := range src {
		link[i] = make([]float64, len(tgt))
		for j, t := range tgt {
			fwd, bwd := m.Prob(s.Norm, t.Norm)
			link[i][j] = math.Sqrt(fwd * bwd)
		}
	}
	inScore := make([]float64, len(tgt))
	outScore := make([]float64, len(tgt))
	for j, t := range tgt {
		outScore[j], _ = m.Prob("", t.Norm) // t(word | the empty word)
		for i := range src {
			if isIn[i] {
				inScore[j] = max(inScore[j], link[i][j])
			} else {
				outScore[j] = max(outScore[j], link[i][j])
			}
		}
	}
	content := false
	for _, i := range in {
		content = content || !src[i].Stop()
	}
	// Each span word with a link must keep its best link in the run
	// (among content words, when the span has one).
	var anchors []int
	for _, i := range in {
		best, bj := 0.0, -1
		for j := range tgt {
			if link[i][j] > best && (!content || !tgt[j].Stop()) {
				best, bj = link[i][j], j
			}
		}
		if best >= minSpanLink {
			anchors = append(anchors, bj)
		}
	}
	if len(anchors) == 0 {
		return SpanTranslation{}, false
	}
	// A run starts and ends on a word the span explains best, and on a
	// content word when the span has one ("carpeta", not "la carpeta");
	// in between, only stop words may be explained better by the rest.
	good := func(j int) bool {
		return inScore[j] >= minSpanLink && inScore[j] > outScore[j] && (!content || !tgt[j].Stop())
	}
	maxLen := 2*len(in) + 2
	bestScore, lo, hi := 0.0, -1, -1
	for a := range tgt {
		if !good(a) {
			continue
		}
		sum, words := 0.0, 0
		for b := a; b < len(tgt) && b-a < maxLen; b++ {
			if !good(b) {
				if tgt[b].Stop() {
					continue
				}
				break // a content word of another part of the source
			}
			sum += inScore[b] - outScore[b]
			words++
			if !holds(anchors, a, b) {
				continue
			}
			if s := sum / float64(words); s > bestScore || (s == bestScore && b-a < hi-lo) {
				bestScore, lo, hi = s, a, b
			}
		}
	}
	if lo < 0 {
		return SpanTranslation{}, false
	}
	st := SpanTranslation{Start: tgt[lo].Start, End: tgt[hi].End, Score: bestScore}
	st.Text = target[st.Start:st.End]
	return st, true
}

// holds reports whether every anchor lies in [a, b].
func holds(anchors []int, a, b int) bool {
	for _, j := range anchors {
		if j < a || j > b {
			return false
		}
	}
	return true
}
