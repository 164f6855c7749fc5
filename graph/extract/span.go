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
	sa, lo, hi, score, ok := m.alignRun(source, target, start, end)
	if !ok {
		return SpanTranslation{}, false
	}
	return sa.translation(target, lo, hi, score), true
}

// alignRun finds AlignSpan's run: target words sa.tgt[lo:hi+1].
func (m *Model) alignRun(source, target string, start, end int) (sa *spanAlignment, lo, hi int, score float64, ok bool) {
	if m == nil || start < 0 || end > len(source) || start >= end {
		return nil, 0, 0, 0, false
	}
	if sa, ok = m.newSpanAlignment(source, target, start, end); !ok {
		return nil, 0, 0, 0, false
	}
	anchors := sa.anchors()
	if len(anchors) == 0 {
		return nil, 0, 0, 0, false
	}
	lo, hi, score = sa.bestRun(anchors)
	return sa, lo, hi, score, lo >= 0
}

// translation is the SpanTranslation of the run sa.tgt[lo:hi+1] of target.
func (sa *spanAlignment) translation(target string, lo, hi int, score float64) SpanTranslation {
	st := SpanTranslation{Start: sa.tgt[lo].Start, End: sa.tgt[hi].End, Score: score}
	st.Text = target[st.Start:st.End]
	return st
}

// AlignPhrase is AlignSpan for a phrase rather than a term: the run
// AlignSpan finds, widened at each end over the target words no word of
// the rest of the source explains better than the span does, up to the
// last one the span explains ("could not get" is "no se pudo obtener",
// where AlignSpan, which keeps a term's function words out of its ends,
// finds "pudo obtener"). The languages are the model's.
func (m *Model) AlignPhrase(source, target string, start, end int) (SpanTranslation, bool) {
	sa, lo, hi, score, ok := m.alignRun(source, target, start, end)
	if !ok {
		return SpanTranslation{}, false
	}
	maxLen := 2*len(sa.in) + 2
	lo = sa.widen(lo, -1, maxLen-(hi-lo+1))
	hi = sa.widen(hi, +1, maxLen-(hi-lo+1))
	return sa.translation(target, lo, hi, score), true
}

// widen moves the end j of a run one word at a time in direction dir (at
// most room words), over words no source word outside the span explains
// better than the span, and returns the farthest one the span explains.
func (sa *spanAlignment) widen(j, dir, room int) int {
	out := j
	for k := j + dir; k >= 0 && k < len(sa.tgt) && abs(k-j) <= room; k += dir {
		// outScore counts the empty word, which explains any function
		// word a little: here only the source's words count.
		inside, outside := sa.inScore[k], 0.0
		for i := range sa.src {
			if !sa.isIn[i] {
				outside = max(outside, sa.link[i][k])
			}
		}
		if outside >= minSpanLink && outside > inside {
			break
		}
		if inside >= minSpanLink {
			out = k
		}
	}
	return out
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// spanAlignment is what AlignSpan knows of one span: the words of both
// sides, which source words are the span's, and how each target word is
// explained by the span and by the rest of the source.
type spanAlignment struct {
	src, tgt []analysis.Token
	in       []int  // the span's source words
	isIn     []bool // by source word
	// link[i][j]: the symmetrised probability that source word i and
	// target word j translate each other.
	link [][]float64
	// inScore[j] and outScore[j]: the best link of target word j to a
	// word of the span, and to the rest of the source or the empty word.
	inScore, outScore []float64
	content           bool // the span has a content word
}

// newSpanAlignment analyses both sides and scores the target words; false
// when a side has no words or the span holds none.
func (m *Model) newSpanAlignment(source, target string, start, end int) (*spanAlignment, bool) {
	sa := &spanAlignment{
		src: analysis.For(m.SourceLang).Tokens(source),
		tgt: analysis.For(m.TargetLang).Tokens(target),
	}
	if len(sa.src) == 0 || len(sa.tgt) == 0 {
		return nil, false
	}
	sa.isIn = make([]bool, len(sa.src))
	for i, t := range sa.src {
		if t.Start >= start && t.End <= end {
			sa.in = append(sa.in, i)
			sa.isIn[i] = true
		}
	}
	if len(sa.in) == 0 {
		return nil, false
	}
	sa.links(m)
	for _, i := range sa.in {
		sa.content = sa.content || !sa.src[i].Stop()
	}
	return sa, true
}

// links fills link, inScore and outScore from the model's probabilities.
func (sa *spanAlignment) links(m *Model) {
	src, tgt := sa.src, sa.tgt
	sa.link = make([][]float64, len(src))
	for i, s := range src {
		sa.link[i] = make([]float64, len(tgt))
		for j, t := range tgt {
			fwd, bwd := m.Prob(s.Norm, t.Norm)
			sa.link[i][j] = math.Sqrt(fwd * bwd)
		}
	}
	sa.inScore = make([]float64, len(tgt))
	sa.outScore = make([]float64, len(tgt))
	for j, t := range tgt {
		sa.outScore[j], _ = m.Prob("", t.Norm) // t(word | the empty word)
		for i := range src {
			if sa.isIn[i] {
				sa.inScore[j] = max(sa.inScore[j], sa.link[i][j])
			} else {
				sa.outScore[j] = max(sa.outScore[j], sa.link[i][j])
			}
		}
	}
}

// anchors returns the target word of the best link of each span word
// with one (among content words, when the span has one): the run must
// hold them all.
func (sa *spanAlignment) anchors() []int {
	var anchors []int
	for _, i := range sa.in {
		best, bj := 0.0, -1
		for j := range sa.tgt {
			if sa.link[i][j] > best && (!sa.content || !sa.tgt[j].Stop()) {
				best, bj = sa.link[i][j], j
			}
		}
		if best >= minSpanLink {
			anchors = append(anchors, bj)
		}
	}
	return anchors
}

// good reports whether a run may start or end on target word j: the span
// explains it best, and it is a content word when the span has one
// ("carpeta", not "la carpeta").
func (sa *spanAlignment) good(j int) bool {
	return sa.inScore[j] >= minSpanLink && sa.inScore[j] > sa.outScore[j] && (!sa.content || !sa.tgt[j].Stop())
}

// bestRun returns the run of target words tgt[lo:hi+1] that holds every
// anchor with the best mean of inScore-outScore over its good words, the
// shortest of equals; in between its ends, only stop words may be
// explained better by the rest. lo is -1 when no run qualifies.
func (sa *spanAlignment) bestRun(anchors []int) (lo, hi int, score float64) {
	tgt := sa.tgt
	maxLen := 2*len(sa.in) + 2
	bestScore := 0.0
	lo, hi = -1, -1
	for a := range tgt {
		if !sa.good(a) {
			continue
		}
		sum, words := 0.0, 0
		for b := a; b < len(tgt) && b-a < maxLen; b++ {
			if !sa.good(b) {
				if tgt[b].Stop() {
					continue
				}
				break // a content word of another part of the source
			}
			sum += sa.inScore[b] - sa.outScore[b]
			words++
			if !holds(anchors, a, b) {
				continue
			}
			if s := sum / float64(words); s > bestScore || (s == bestScore && b-a < hi-lo) {
				bestScore, lo, hi = s, a, b
			}
		}
	}
	return lo, hi, bestScore
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
