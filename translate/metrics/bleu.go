package metrics

import (
	"fmt"
	"math"
	"strings"
)

// SmoothMethod is how BLEU treats an n-gram order without matches.
type SmoothMethod string

// The smoothing methods of sacreBLEU (Chen & Cherry 2014 numbering).
const (
	// SmoothExp (method 3, mteval-v13a's): the k-th order without matches
	// gets precision 1/(2^k · total). sacreBLEU's default.
	SmoothExp SmoothMethod = "exp"
	// SmoothNone: an order without matches makes the score 0.
	SmoothNone SmoothMethod = "none"
	// SmoothFloor (method 1): an order without matches gets
	// SmoothValue/total (default 0.1).
	SmoothFloor SmoothMethod = "floor"
	// SmoothAddK (method 2): adds SmoothValue (default 1) to matches and
	// totals of orders 2 and up.
	SmoothAddK SmoothMethod = "add-k"
)

// BLEU holds BLEU's options. The zero value is sacreBLEU's default corpus
// BLEU: 13a tokenisation, mixed case, exponential smoothing, n-grams up to
// 4, no effective order. A BLEU is safe for concurrent use.
type BLEU struct {
	Tokenize  Tokenizer    // "" is Tok13a
	Lowercase bool         // case-insensitive BLEU
	Smooth    SmoothMethod // "" is SmoothExp
	// SmoothValue is the floor or k; 0 takes sacreBLEU's default (0.1 for
	// floor, 1 for add-k). A floor of 0 is SmoothNone.
	SmoothValue float64
	MaxOrder    int // highest n-gram order; 0 is 4
	// EffectiveOrder leaves out of the geometric mean the orders longer
	// than the hypothesis, as sentence-level BLEU should.
	EffectiveOrder bool
}

// BLEUScore is a BLEU score with the statistics behind it, in sacreBLEU's
// terms. Scores and precisions are percentages.
type BLEUScore struct {
	Score      float64   `json:"score"`
	Precisions []float64 `json:"precisions"` // per order, after smoothing
	Counts     []int     `json:"counts"`     // matched n-grams per order
	Totals     []int     `json:"totals"`     // hypothesis n-grams per order
	BP         float64   `json:"bp"`         // brevity penalty
	Ratio      float64   `json:"ratio"`      // HypLen / RefLen
	HypLen     int       `json:"hyp_len"`    // hypothesis tokens
	RefLen     int       `json:"ref_len"`    // effective (closest) reference tokens
	Signature  string    `json:"signature"`
}

// String formats s as sacreBLEU prints a BLEU score:
// "BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)".
func (s *BLEUScore) String() string {
	precs := make([]string, len(s.Precisions))
	for i, p := range s.Precisions {
		precs[i] = fmt.Sprintf("%.1f", p)
	}
	return fmt.Sprintf("BLEU = %.2f %s (BP = %.3f ratio = %.3f hyp_len = %d ref_len = %d)",
		s.Score, strings.Join(precs, "/"), s.BP, s.Ratio, s.HypLen, s.RefLen)
}

// CorpusBLEU is sacreBLEU's default corpus BLEU of hyps against one or more
// reference sets (each with one segment per hypothesis; an empty segment in
// one of several sets means that set has no reference for it).
func CorpusBLEU(hyps []string, refs ...[]string) (*BLEUScore, error) {
	return BLEU{}.Corpus(hyps, refs...)
}

// SentenceBLEU is sacreBLEU's sentence_bleu: BLEU of one hypothesis against
// its references with exponential smoothing and effective order.
func SentenceBLEU(hyp string, refs ...string) (*BLEUScore, error) {
	return BLEU{EffectiveOrder: true}.Sentence(hyp, refs...)
}

// Sentence scores one hypothesis against its references with b's options.
func (b BLEU) Sentence(hyp string, refs ...string) (*BLEUScore, error) {
	sets := make([][]string, len(refs))
	for i, r := range refs {
		sets[i] = []string{r}
	}
	return b.Corpus([]string{hyp}, sets...)
}

// bleuRun is b resolved for one computation.
type bleuRun struct {
	BLEU
	tok   func(string) string
	order int
}

func (b BLEU) resolve() (*bleuRun, error) {
	tok, err := b.Tokenize.tokenizer()
	if err != nil {
		return nil, err
	}
	switch b.Smooth {
	case "", SmoothExp, SmoothNone, SmoothFloor, SmoothAddK:
	default:
		return nil, fmt.Errorf("smoothing %q (use exp, none, floor or add-k): %w", string(b.Smooth), ErrBadOption)
	}
	r := &bleuRun{BLEU: b, tok: tok, order: b.MaxOrder}
	if r.order == 0 {
		r.order = 4
	}
	if r.order < 0 || r.order > 100 {
		return nil, fmt.Errorf("max n-gram order %d: %w", b.MaxOrder, ErrBadOption)
	}
	if r.Smooth == "" {
		r.Smooth = SmoothExp
	}
	if r.SmoothValue == 0 {
		switch r.Smooth {
		case SmoothFloor:
			r.SmoothValue = 0.1
		case SmoothAddK:
			r.SmoothValue = 1
		}
	}
	return r, nil
}

// tokens preprocesses a segment as sacreBLEU does: lowercase if asked,
// strip trailing whitespace, tokenize, split.
func (r *bleuRun) tokens(s string) []string {
	if r.Lowercase {
		s = lower(s)
	}
	return fields(r.tok(rstrip(s)))
}

// ngrams counts the n-grams of toks up to order. Tokens hold no
// whitespace, so a space-joined key is unambiguous across orders.
func ngrams(toks []string, order int, into map[string]int) map[string]int {
	if into == nil {
		into = make(map[string]int, len(toks)*order)
	}
	for n := 1; n <= order; n++ {
		for i := 0; i+n <= len(toks); i++ {
			into[strings.Join(toks[i:i+n], " ")]++
		}
	}
	return into
}

// Corpus scores hyps against the reference sets with b's options.
func (b BLEU) Corpus(hyps []string, refs ...[]string) (*BLEUScore, error) {
	r, err := b.resolve()
	if err != nil {
		return nil, err
	}
	perSeg, nrefs, err := refSets(hyps, refs)
	if err != nil {
		return nil, err
	}
	correct := make([]int, r.order)
	total := make([]int, r.order)
	hypLen, refLen := 0, 0
	refCounts := make(map[string]int)
	hypCounts := make(map[string]int)
	for i, hyp := range hyps {
		clear(refCounts)
		var refLens []int
		for _, ref := range perSeg[i] {
			toks := r.tokens(ref)
			refLens = append(refLens, len(toks))
			clear(hypCounts) // reused as scratch for this reference
			for k, c := range ngrams(toks, r.order, hypCounts) {
				if c > refCounts[k] {
					refCounts[k] = c
				}
			}
		}
		toks := r.tokens(hyp)
		hypLen += len(toks)
		refLen += closestRefLen(len(toks), refLens)
		clear(hypCounts)
		for k, c := range ngrams(toks, r.order, hypCounts) {
			n := strings.Count(k, " ")
			total[n] += c
			if rc, ok := refCounts[k]; ok {
				correct[n] += min(c, rc)
			}
		}
	}
	s := r.compute(correct, total, hypLen, refLen)
	s.Signature = r.signature(nrefs)
	return s, nil
}

// closestRefLen is the reference length closest to hypLen, the shorter
// one on a tie (sacreBLEU's and mteval's "closest" effective length).
func closestRefLen(hypLen int, refLens []int) int {
	bestDiff, best := -1, -1
	for _, l := range refLens {
		d := hypLen - l
		if d < 0 {
			d = -d
		}
		if bestDiff == -1 || d < bestDiff || (d == bestDiff && l < best) {
			bestDiff, best = d, l
		}
	}
	return best
}

// compute turns the sufficient statistics into a score, smoothing as
// configured.
func (r *bleuRun) compute(correctN, totalN []int, hypLen, refLen int) *BLEUScore {
	s := &BLEUScore{
		Counts:     correctN,
		Totals:     totalN,
		Precisions: make([]float64, r.order),
		HypLen:     hypLen,
		RefLen:     refLen,
		BP:         1,
	}
	if refLen > 0 {
		s.Ratio = float64(hypLen) / float64(refLen)
	}
	if hypLen < refLen {
		s.BP = 0
		if hypLen > 0 {
			s.BP = math.Exp(1 - float64(refLen)/float64(hypLen))
		}
	}
	anyMatch := false
	for _, c := range correctN {
		if c != 0 {
			anyMatch = true
		}
	}
	if !anyMatch {
		return s // sacreBLEU returns 0 outright when nothing matches
	}
	correct := make([]float64, r.order)
	total := make([]float64, r.order)
	for i := range correct {
		correct[i], total[i] = float64(correctN[i]), float64(totalN[i])
	}
	smoothMteval := 1.0
	effOrder := r.order
	for n := 1; n <= r.order; n++ {
		if r.Smooth == SmoothAddK && n > 1 {
			correct[n-1] += r.SmoothValue
			total[n-1] += r.SmoothValue
		}
		if total[n-1] == 0 {
			break
		}
		if r.EffectiveOrder {
			effOrder = n
		}
		if correct[n-1] == 0 {
			switch r.Smooth {
			case SmoothExp:
				smoothMteval *= 2
				s.Precisions[n-1] = 100 / (smoothMteval * total[n-1])
			case SmoothFloor:
				s.Precisions[n-1] = 100 * r.SmoothValue / total[n-1]
			}
		} else {
			s.Precisions[n-1] = 100 * correct[n-1] / total[n-1]
		}
	}
	sum := 0.0
	for _, p := range s.Precisions[:effOrder] {
		sum += logOrFloor(p)
	}
	s.Score = s.BP * math.Exp(sum/float64(effOrder))
	return s
}

// logOrFloor is sacreBLEU's my_log: log, with -9999999999 for zero.
func logOrFloor(x float64) float64 {
	if x == 0 {
		return -9999999999
	}
	return math.Log(x)
}

// signature describes the options as sacreBLEU's signature does.
func (r *bleuRun) signature(nrefs int) string {
	smooth := string(r.Smooth)
	if r.Smooth == SmoothFloor || r.Smooth == SmoothAddK {
		smooth += fmt.Sprintf("[%.2f]", r.SmoothValue)
	}
	c, eff := "mixed", "no"
	if r.Lowercase {
		c = "lc"
	}
	if r.EffectiveOrder {
		eff = "yes"
	}
	return fmt.Sprintf("nrefs:%s|case:%s|eff:%s|tok:%s|smooth:%s|%s",
		nrefsString(nrefs), c, eff, r.Tokenize.orDefault(), smooth, implTag)
}
