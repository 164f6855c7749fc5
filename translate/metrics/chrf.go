package metrics

import (
	"fmt"
	"strings"
)

// ChrF holds the options of chrF (Popović 2015) and chrF++ (Popović 2017).
// The zero value is sacreBLEU 2.x's default chrF: character n-grams up to
// 6, no word n-grams, β = 2, whitespace removed, mixed case, precision and
// recall averaged over the orders that occur (effective order). A ChrF is
// safe for concurrent use.
type ChrF struct {
	CharOrder int // highest character n-gram order; 0 is 6
	WordOrder int // highest word n-gram order; 2 makes chrF++
	Beta      int // weight of recall over precision; 0 is 2
	Lowercase bool
	// Whitespace keeps spaces inside character n-grams (sacreBLEU's
	// --chrf-whitespace); by default all whitespace is removed first.
	Whitespace bool
	// EpsSmoothing averages per-order F-scores with ε for empty orders,
	// as chrF++.py, Moses and NLTK do, instead of sacreBLEU 2's default
	// effective-order averaging of precision and recall.
	EpsSmoothing bool
}

// ChrFScore is a chrF or chrF++ score (a percentage).
type ChrFScore struct {
	Name      string  `json:"name"` // "chrF2", "chrF2++"
	Score     float64 `json:"score"`
	CharOrder int     `json:"char_order"`
	WordOrder int     `json:"word_order"`
	Beta      int     `json:"beta"`
	Signature string  `json:"signature"`
}

// String formats s as sacreBLEU does: "chrF2 = 59.73".
func (s *ChrFScore) String() string { return fmt.Sprintf("%s = %.2f", s.Name, s.Score) }

// CorpusChrF is sacreBLEU's default corpus chrF (chrF2).
func CorpusChrF(hyps []string, refs ...[]string) (*ChrFScore, error) {
	return ChrF{}.Corpus(hyps, refs...)
}

// CorpusChrFPP is chrF++ (chrF2 with word uni- and bigrams), as
// sacreBLEU's --chrf-word-order 2 computes it.
func CorpusChrFPP(hyps []string, refs ...[]string) (*ChrFScore, error) {
	return ChrF{WordOrder: 2}.Corpus(hyps, refs...)
}

// SentenceChrF is chrF of one hypothesis against its references.
func SentenceChrF(hyp string, refs ...string) (*ChrFScore, error) {
	return ChrF{}.Sentence(hyp, refs...)
}

// Sentence scores one hypothesis against its references with c's options.
func (c ChrF) Sentence(hyp string, refs ...string) (*ChrFScore, error) {
	sets := make([][]string, len(refs))
	for i, r := range refs {
		sets[i] = []string{r}
	}
	return c.Corpus([]string{hyp}, sets...)
}

func (c ChrF) resolved() (ChrF, error) {
	if c.CharOrder == 0 {
		c.CharOrder = 6
	}
	if c.Beta == 0 {
		c.Beta = 2
	}
	if c.CharOrder < 0 || c.WordOrder < 0 || c.Beta < 0 || c.CharOrder+c.WordOrder > 100 {
		return c, fmt.Errorf("chrF orders %d/%d, beta %d: %w", c.CharOrder, c.WordOrder, c.Beta, ErrBadOption)
	}
	return c, nil
}

// chrfGrams are one segment's n-gram counts: CharOrder character orders
// followed by WordOrder word orders.
type chrfGrams []map[string]int

func (c ChrF) grams(s string) chrfGrams {
	if c.Lowercase {
		s = lower(s)
	}
	g := make(chrfGrams, 0, c.CharOrder+c.WordOrder)
	line := s
	if !c.Whitespace {
		line = strings.Join(fields(s), "")
	}
	rs := []rune(line)
	for n := 1; n <= c.CharOrder; n++ {
		m := make(map[string]int, max(len(rs)-n+1, 0))
		for i := 0; i+n <= len(rs); i++ {
			m[string(rs[i:i+n])]++
		}
		g = append(g, m)
	}
	if c.WordOrder > 0 {
		words := splitPunct(s)
		for n := 1; n <= c.WordOrder; n++ {
			m := make(map[string]int, max(len(words)-n+1, 0))
			for i := 0; i+n <= len(words); i++ {
				m[strings.Join(words[i:i+n], " ")]++
			}
			g = append(g, m)
		}
	}
	return g
}

// isASCIIPunct is Python's string.punctuation.
func isASCIIPunct(r rune) bool {
	return r < 0x80 && r > ' ' && r != 0x7f &&
		!(r >= '0' && r <= '9') && !(r >= 'a' && r <= 'z') && !(r >= 'A' && r <= 'Z')
}

// splitPunct is chrF++'s word tokenisation: whitespace words, with one
// ASCII punctuation mark split off the end of a word or, failing that, off
// its start (so "(hi)" gives "(hi" and ")", as in chrF++.py).
func splitPunct(s string) []string {
	var out []string
	for _, w := range fields(s) {
		rs := []rune(w)
		switch {
		case len(rs) == 1:
			out = append(out, w)
		case isASCIIPunct(rs[len(rs)-1]):
			out = append(out, string(rs[:len(rs)-1]), string(rs[len(rs)-1:]))
		case isASCIIPunct(rs[0]):
			out = append(out, string(rs[:1]), string(rs[1:]))
		default:
			out = append(out, w)
		}
	}
	return out
}

// matchStats appends [hyp count, ref count, matches] for every order. An
// order the reference has no n-grams of counts no hypothesis n-grams
// either, as in sacreBLEU.
func matchStats(hyp, ref chrfGrams, into []int) []int {
	for i := range hyp {
		hc, rc, mc := 0, 0, 0
		for k, c := range hyp[i] {
			hc += c
			if r, ok := ref[i][k]; ok {
				mc += min(c, r)
			}
		}
		for _, c := range ref[i] {
			rc += c
		}
		if len(ref[i]) == 0 {
			hc = 0
		}
		into = append(into, hc, rc, mc)
	}
	return into
}

// fScore is chrF from summed statistics, in percent.
func (c ChrF) fScore(stats []int) float64 {
	const eps = 1e-16
	factor := float64(c.Beta * c.Beta)
	order := len(stats) / 3
	score, avgPrec, avgRec := 0.0, 0.0, 0.0
	effOrder := 0
	for i := 0; i < order; i++ {
		nHyp, nRef, nMatch := stats[3*i], stats[3*i+1], stats[3*i+2]
		prec, rec := eps, eps
		if nHyp > 0 {
			prec = float64(nMatch) / float64(nHyp)
		}
		if nRef > 0 {
			rec = float64(nMatch) / float64(nRef)
		}
		if denom := factor*prec + rec; denom > 0 {
			score += (1 + factor) * prec * rec / denom
		} else {
			score += eps
		}
		if nHyp > 0 && nRef > 0 {
			avgPrec += prec
			avgRec += rec
			effOrder++
		}
	}
	if c.EpsSmoothing {
		return 100 * score / float64(order)
	}
	if effOrder == 0 {
		return 0
	}
	avgPrec /= float64(effOrder)
	avgRec /= float64(effOrder)
	if avgPrec+avgRec == 0 {
		return 0
	}
	return 100 * (1 + factor) * avgPrec * avgRec / (factor*avgPrec + avgRec)
}

// Corpus scores hyps against the reference sets with c's options:
// statistics of each segment's best-scoring reference are summed over the
// corpus, then turned into one F-score.
func (c ChrF) Corpus(hyps []string, refs ...[]string) (*ChrFScore, error) {
	c, err := c.resolved()
	if err != nil {
		return nil, err
	}
	perSeg, nrefs, err := refSets(hyps, refs)
	if err != nil {
		return nil, err
	}
	order := c.CharOrder + c.WordOrder
	total := make([]int, 3*order)
	var best, stats []int
	for i, hyp := range hyps {
		hg := c.grams(hyp)
		bestF := -1.0
		best = best[:0]
		for _, ref := range perSeg[i] {
			stats = matchStats(hg, c.grams(ref), stats[:0])
			if f := c.fScore(stats); f > bestF {
				bestF = f
				best, stats = stats, best
			}
		}
		for k, v := range best {
			total[k] += v
		}
	}
	return &ChrFScore{
		Name:      fmt.Sprintf("chrF%d%s", c.Beta, strings.Repeat("+", c.WordOrder)),
		Score:     c.fScore(total),
		CharOrder: c.CharOrder,
		WordOrder: c.WordOrder,
		Beta:      c.Beta,
		Signature: c.signature(nrefs),
	}, nil
}

func (c ChrF) signature(nrefs int) string {
	cs, eff, space := "mixed", "yes", "no"
	if c.Lowercase {
		cs = "lc"
	}
	if c.EpsSmoothing {
		eff = "no"
	}
	if c.Whitespace {
		space = "yes"
	}
	return fmt.Sprintf("nrefs:%s|case:%s|eff:%s|nc:%d|nw:%d|space:%s|%s",
		nrefsString(nrefs), cs, eff, c.CharOrder, c.WordOrder, space, implTag)
}
