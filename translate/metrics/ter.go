package metrics

import (
	"fmt"
	"math"
	"strings"
)

// TER holds the options of Translation Edit Rate (Snover et al. 2006). The
// zero value is sacreBLEU's default, which reproduces tercom: case-
// insensitive, no normalisation, punctuation kept. A TER is safe for
// concurrent use.
//
// sacreBLEU's --ter-asian-support tokenisation is not implemented.
type TER struct {
	CaseSensitive bool
	// Normalized applies tercom's general and Western tokenisation
	// (sacreBLEU's --ter-normalized).
	Normalized bool
	// NoPunct removes the punctuation . , ? : ; ! " ( ) (sacreBLEU's
	// --ter-no-punct).
	NoPunct bool
}

// TERScore is a TER score: edits per reference word, in percent (lower is
// better; it can exceed 100).
type TERScore struct {
	Score     float64 `json:"score"`
	Edits     int     `json:"edits"`      // shifts, insertions, deletions, substitutions
	RefLength float64 `json:"ref_length"` // summed average reference length
	Signature string  `json:"signature"`
}

// String formats s as sacreBLEU does: "TER = 36.84".
func (s *TERScore) String() string { return fmt.Sprintf("TER = %.2f", s.Score) }

// CorpusTER is sacreBLEU's default corpus TER: total edits over the total
// of each segment's average reference length, where each segment's edits
// are those against its closest reference.
func CorpusTER(hyps []string, refs ...[]string) (*TERScore, error) {
	return TER{}.Corpus(hyps, refs...)
}

// SentenceTER is TER of one hypothesis against its references.
func SentenceTER(hyp string, refs ...string) (*TERScore, error) {
	return TER{}.Sentence(hyp, refs...)
}

// Sentence scores one hypothesis against its references with t's options.
func (t TER) Sentence(hyp string, refs ...string) (*TERScore, error) {
	sets := make([][]string, len(refs))
	for i, r := range refs {
		sets[i] = []string{r}
	}
	return t.Corpus([]string{hyp}, sets...)
}

// words is tercom's tokenisation as sacreBLEU configures it.
func (t TER) words(s string) []string {
	s = rstrip(s)
	if s == "" {
		return nil
	}
	if !t.CaseSensitive {
		s = lower(s)
	}
	if t.Normalized {
		s = normalizeTercom(s)
	}
	if t.NoPunct {
		s = strings.Map(func(r rune) rune {
			if strings.ContainsRune(`.,?:;!"()`, r) {
				return -1
			}
			return r
		}, s)
	}
	return fields(s)
}

// normalizeTercom is tercom's normalisation: join hyphenated line breaks,
// unescape XML, split off punctuation and possessive 's, and periods,
// commas and dashes as the 13a tokenizer does.
func normalizeTercom(s string) string {
	s = strings.ReplaceAll(s, "\n-", "")
	s = strings.ReplaceAll(s, "\n", " ")
	s = strings.ReplaceAll(s, "&quot;", `"`)
	s = strings.ReplaceAll(s, "&amp;", "&")
	s = strings.ReplaceAll(s, "&lt;", "<")
	s = strings.ReplaceAll(s, "&gt;", ">")
	var b strings.Builder
	b.WriteByte(' ')
	for _, r := range s {
		if is13aPunct(r) {
			b.WriteByte(' ')
			b.WriteRune(r)
			b.WriteByte(' ')
		} else {
			b.WriteRune(r)
		}
	}
	b.WriteByte(' ')
	s = strings.ReplaceAll(b.String(), "'s ", " 's ")
	if strings.HasSuffix(s, "'s") {
		s = s[:len(s)-2] + " 's"
	}
	rs := []rune(s)
	rs = subPairs(rs, func(a, b rune) bool { return !isASCIIDigit(a) && (b == '.' || b == ',') },
		func(out []rune, a, b rune) []rune { return append(out, a, ' ', b, ' ') })
	rs = subPairs(rs, func(a, b rune) bool { return (a == '.' || a == ',') && !isASCIIDigit(b) },
		func(out []rune, a, b rune) []rune { return append(out, ' ', a, ' ', b) })
	rs = subPairs(rs, func(a, b rune) bool { return isASCIIDigit(a) && b == '-' },
		func(out []rune, a, b rune) []rune { return append(out, a, ' ', b, ' ') })
	return strings.Join(fields(string(rs)), " ")
}

// Corpus scores hyps against the reference sets with t's options.
func (t TER) Corpus(hyps []string, refs ...[]string) (*TERScore, error) {
	perSeg, nrefs, err := refSets(hyps, refs)
	if err != nil {
		return nil, err
	}
	edits, refLen := 0, 0.0
	for i, hyp := range hyps {
		hw := t.words(hyp)
		best, sumLen := math.MaxInt, 0
		for _, ref := range perSeg[i] {
			rw := t.words(ref)
			e := editRate(hw, rw)
			sumLen += len(rw)
			best = min(best, e)
		}
		edits += best
		refLen += float64(sumLen) / float64(len(perSeg[i]))
	}
	s := &TERScore{Edits: edits, RefLength: refLen, Signature: t.signature(nrefs)}
	switch {
	case refLen > 0:
		s.Score = 100 * float64(edits) / refLen
	case edits > 0:
		s.Score = 100 // empty references, non-empty hypotheses
	}
	return s, nil
}

func (t TER) signature(nrefs int) string {
	c, norm, punct := "lc", "no", "yes"
	if t.CaseSensitive {
		c = "mixed"
	}
	if t.Normalized {
		norm = "yes"
	}
	if t.NoPunct {
		punct = "no"
	}
	return fmt.Sprintf("nrefs:%s|case:%s|tok:tercom|norm:%s|punct:%s|asian:no|%s",
		nrefsString(nrefs), c, norm, punct, implTag)
}

// tercom's limits, as sacreBLEU keeps them.
const (
	maxShiftSize       = 10   // longest phrase shifted
	maxShiftDist       = 50   // farthest a phrase moves
	beamWidth          = 25   // edit-distance cells either side of the diagonal
	maxShiftCandidates = 1000 // shifts tried per sentence before giving up
	maxCacheRows       = 10000
	maxCacheCells      = 4 << 20 // bounds memory on very long sentences
)

// Edit operations in the trace, as seen rewriting the hypothesis into the
// reference.
const (
	opNop   byte = ' '
	opSub   byte = 's'
	opIns   byte = 'i' // a reference word the hypothesis lacks
	opDel   byte = 'd' // a hypothesis word the reference lacks
	opUndef byte = 'x'
)

const costInf = int32(1) << 30

// editRate is tercom's number of edits (shifts plus word edit distance)
// turning hyp into ref. Shifts are greedy: while the best shift lowers the
// edit distance, take it.
func editRate(hyp, ref []string) int {
	if len(ref) == 0 {
		return len(hyp)
	}
	ed := newBeamED(ref, len(hyp))
	shifts := 0
	checked := 0
	for {
		delta, shifted, n := ed.bestShift(hyp, checked)
		checked = n
		if checked >= maxShiftCandidates {
			// sacreBLEU stops here without applying the shift just found.
			break
		}
		if delta <= 0 {
			break
		}
		shifts++
		hyp = shifted
	}
	d, _ := ed.distance(hyp, false)
	return shifts + int(d)
}

// bestShift tries moving every matching phrase of hyp to every position
// aligned with where the phrase occurs in the reference, and returns the
// largest reduction of the edit distance with the shifted words, ranked
// as tercom ranks shifts.
func (e *beamED) bestShift(hyp []string, checked int) (int, []string, int) {
	pre, trace := e.distance(hyp, true)
	align, refErr, hypErr := alignment(trace, len(e.ref), len(hyp))
	ref := e.ref
	s := &shiftSearch{e: e, hyp: hyp, pre: pre, align: align, checked: checked, scratch: make([]string, len(hyp))}
	for startH := 0; startH < len(hyp) && !s.stop; startH++ {
		for startR := 0; startR < len(ref) && !s.stop; startR++ {
			if d := startR - startH; d > maxShiftDist || d < -maxShiftDist {
				continue
			}
			for length := 1; length <= maxShiftSize; length++ {
				if startH+length > len(hyp) || startR+length > len(ref) ||
					hyp[startH+length-1] != ref[startR+length-1] {
					break
				}
				// Shift only words that are wrong, to a place that is wrong.
				if !anySet(hypErr[startH:startH+length]) || !anySet(refErr[startR:startR+length]) {
					continue
				}
				// Not within the phrase itself.
				if a := align[startR]; startH <= a && a < startH+length {
					continue
				}
				s.tryTargets(startH, startR, length)
				if s.checked >= maxShiftCandidates {
					s.stop = true
					break
				}
			}
		}
	}
	if s.best == nil {
		return 0, hyp, s.checked
	}
	return s.best.delta, s.best.words, s.checked
}

// shiftSearch is the state of one bestShift: the hypothesis, its edit
// distance before any shift and its alignment to the reference, the
// shifts tried so far and the best of them.
type shiftSearch struct {
	e       *beamED
	hyp     []string
	pre     int32 // the edit distance of hyp
	align   []int
	checked int
	stop    bool
	best    *shiftCand
	scratch []string
}

// shiftCand is one shift: what it saves, the phrase moved and where to.
type shiftCand struct {
	delta, length, startH, idx int
	words                      []string
}

// better reports whether c ranks before the best shift so far: it saves
// more, then moves a longer phrase, then an earlier one, then to an
// earlier place.
func (s *shiftSearch) better(c *shiftCand) bool {
	best := s.best
	switch {
	case best == nil:
		return true
	case c.delta != best.delta:
		return c.delta > best.delta
	case c.length != best.length:
		return c.length > best.length
	case c.startH != best.startH:
		return c.startH < best.startH
	case c.idx != best.idx:
		return c.idx < best.idx
	}
	return false
}

// tryTargets tries moving hyp[startH:startH+length], which matches the
// reference at startR, to before each hypothesis word aligned with the
// phrase's place in the reference (and the one before it).
func (s *shiftSearch) tryTargets(startH, startR, length int) {
	ref := s.e.ref
	prevIdx := -1
	for offset := -1; offset < length; offset++ {
		var idx int
		switch {
		case startR+offset == -1:
			idx = 0
		case startR+offset < len(ref):
			idx = s.align[startR+offset] + 1
		default:
			return // past the reference
		}
		if idx == prevIdx {
			continue
		}
		prevIdx = idx
		shifted := performShift(s.hyp, startH, length, idx, s.scratch)
		d, _ := s.e.distance(shifted, false)
		c := shiftCand{delta: int(s.pre - d), length: length, startH: startH, idx: idx}
		s.checked++
		if s.better(&c) {
			c.words = append([]string(nil), shifted...)
			s.best = &c
		}
	}
}

func anySet(b []bool) bool {
	for _, v := range b {
		if v {
			return true
		}
	}
	return false
}

// performShift moves words[start:start+length] to before position target
// (counted in the original words), writing into out. Slices clamp to the
// bounds as Python's do: sacreBLEU relies on that when target falls
// inside the moved phrase, where the "shift" leaves the words as they are.
func performShift(words []string, start, length, target int, out []string) []string {
	sl := func(a, b int) []string {
		a, b = max(0, min(a, len(words))), max(0, min(b, len(words)))
		if a >= b {
			return nil
		}
		return words[a:b]
	}
	out = out[:0]
	switch {
	case target < start:
		out = append(out, sl(0, target)...)
		out = append(out, sl(start, start+length)...)
		out = append(out, sl(target, start)...)
		out = append(out, sl(start+length, len(words))...)
	case target > start+length:
		out = append(out, sl(0, start)...)
		out = append(out, sl(start+length, target)...)
		out = append(out, sl(start, start+length)...)
		out = append(out, sl(target, len(words))...)
	default:
		out = append(out, sl(0, start)...)
		out = append(out, sl(start+length, length+target)...)
		out = append(out, sl(start, start+length)...)
		out = append(out, sl(length+target, len(words))...)
	}
	return out
}

// alignment reads a hypothesis→reference trace as the reverse rewrite
// (reference→hypothesis, insertions and deletions swapped) and returns,
// for each reference word, the hypothesis position it aligns to (-1 before
// the first), and which reference and hypothesis words are in error.
func alignment(trace []byte, refLen, hypLen int) (align []int, refErr, hypErr []bool) {
	align = make([]int, 0, refLen)
	posHyp := -1
	for _, op := range trace {
		switch op {
		case opNop, opSub:
			posHyp++
			align = append(align, posHyp)
			hypErr = append(hypErr, op == opSub)
			refErr = append(refErr, op == opSub)
		case opDel: // flipped: an insertion into the reference
			posHyp++
			hypErr = append(hypErr, true)
		case opIns: // flipped: a deletion from the reference
			align = append(align, posHyp)
			refErr = append(refErr, true)
		}
	}
	// A trace cut short by an unreachable cell (it cannot happen with the
	// beam as set, but never index out of range on it).
	for len(align) < refLen {
		align = append(align, posHyp)
		refErr = append(refErr, true)
	}
	for len(hypErr) < hypLen {
		hypErr = append(hypErr, true)
	}
	return align, refErr, hypErr
}

// beamED is the word-level Levenshtein distance to one reference, computed
// only in a beam around the (length-ratio scaled) diagonal, with the rows
// of hypothesis prefixes already seen cached in a trie. Beam and tie-
// breaking follow sacreBLEU, so traces — and therefore shifts — agree.
type beamED struct {
	ref         []string
	ratio       float64
	beam        int
	initial     row
	cache       *cacheNode
	cachedRows  int
	cachedCells int
	scratch     []row // reused for rows that are not cached
}

// row is one row of the edit-distance matrix, stored only over the beam:
// cost[k] and op[k] are column lo+k; every other column is unreachable.
type row struct {
	lo   int
	cost []int32
	op   []byte
}

// at is the cost and operation of column j.
func (r *row) at(j int) (int32, byte) {
	if k := j - r.lo; k >= 0 && k < len(r.cost) {
		return r.cost[k], r.op[k]
	}
	return costInf, opUndef
}

type cacheNode struct {
	next map[string]*cacheNode
	row  row
}

func newBeamED(ref []string, hypLen int) *beamED {
	e := &beamED{ref: ref, cache: &cacheNode{}}
	e.ratio = 1
	if hypLen > 0 {
		e.ratio = float64(len(ref)) / float64(hypLen)
	}
	e.beam = beamWidth
	if float64(beamWidth) < e.ratio/2 {
		e.beam = int(math.Ceil(e.ratio/2 + beamWidth))
	}
	e.initial = row{cost: make([]int32, len(ref)+1), op: make([]byte, len(ref)+1)}
	for j := range e.initial.cost {
		e.initial.cost[j] = int32(j)
		e.initial.op[j] = opIns
	}
	return e
}

// distance is the edit distance of hyp to the reference and, if asked, the
// trace of operations. All hypotheses given to one beamED have the same
// length (shifts keep it), which the beam relies on.
func (e *beamED) distance(hyp []string, wantTrace bool) (int32, []byte) {
	n := len(e.ref)
	rows, node := e.prefixRows(hyp)
	caching := true
	for i := len(rows); i <= len(hyp); i++ {
		diag := int(math.Floor(float64(i) * e.ratio))
		lo, hi := max(0, diag-e.beam), min(n+1, diag+e.beam)
		if i == len(hyp) {
			hi = n + 1
		}
		width := max(hi-lo, 0)
		// Rows of a prefix do not depend on what follows it, so the cache
		// changes speed, never results. Once a row is not cached, the rows
		// after it must not be either: they would hang off the wrong prefix.
		caching = caching && e.cachedRows < maxCacheRows && e.cachedCells+width <= maxCacheCells
		cur := e.newRow(i, lo, width, caching)
		e.fillRow(&cur, &rows[i-1], hyp[i-1], hi)
		rows = append(rows, cur)
		if caching {
			node = e.cacheRow(node, hyp[i-1], cur)
		}
	}
	dist, _ := rows[len(hyp)].at(n)
	if !wantTrace {
		return dist, nil
	}
	return dist, traceBack(rows, len(hyp), n)
}

// prefixRows returns the rows of the longest prefix of hyp in the cache,
// the initial row first, and the cache node of that prefix.
func (e *beamED) prefixRows(hyp []string) ([]row, *cacheNode) {
	rows := make([]row, 1, len(hyp)+1)
	rows[0] = e.initial
	node := e.cache
	for _, w := range hyp {
		nx := node.next[w]
		if nx == nil {
			break
		}
		rows = append(rows, nx.row)
		node = nx
	}
	return rows, node
}

// newRow returns row i over columns lo to lo+width: new when it is to be
// cached, else the scratch row i, reused.
func (e *beamED) newRow(i, lo, width int, caching bool) row {
	var cur row
	if caching {
		cur = row{cost: make([]int32, width), op: make([]byte, width)}
	} else {
		for len(e.scratch) <= i {
			e.scratch = append(e.scratch, row{})
		}
		cur = e.scratch[i]
		if cap(cur.cost) < width {
			cur.cost, cur.op = make([]int32, width), make([]byte, width)
		}
		cur.cost, cur.op = cur.cost[:width], cur.op[:width]
		e.scratch[i] = cur
	}
	cur.lo = lo
	return cur
}

// fillRow computes the cells of cur, the row after prev for the
// hypothesis word w, up to column hi (excluded).
func (e *beamED) fillRow(cur, prev *row, w string, hi int) {
	lo := cur.lo
	for j := lo; j < hi; j++ {
		k := j - lo
		if j == 0 {
			c, _ := prev.at(0)
			cur.cost[0], cur.op[0] = c+1, opDel
			continue
		}
		best, bestOp := costInf, opUndef
		sub, op := int32(1), opSub
		if w == e.ref[j-1] {
			sub, op = 0, opNop
		}
		// tercom prefers match/substitution, then insertion, then
		// deletion; the trace is read flipped, so deletion comes
		// before insertion here.
		if c, _ := prev.at(j - 1); c+sub < best {
			best, bestOp = c+sub, op
		}
		if c, _ := prev.at(j); c+1 < best {
			best, bestOp = c+1, opDel
		}
		left := costInf
		if k > 0 {
			left = cur.cost[k-1]
		}
		if left+1 < best {
			best, bestOp = left+1, opIns
		}
		cur.cost[k], cur.op[k] = best, bestOp
	}
}

// cacheRow hangs cur, the row for the word w, off node and returns its
// node.
func (e *beamED) cacheRow(node *cacheNode, w string, cur row) *cacheNode {
	if node.next == nil {
		node.next = make(map[string]*cacheNode)
	}
	nx := &cacheNode{row: cur}
	node.next[w] = nx
	e.cachedRows++
	e.cachedCells += len(cur.cost)
	return nx
}

// traceBack reads the operations from the last cell of rows back to the
// first, and returns them in order.
func traceBack(rows []row, hypLen, refLen int) []byte {
	trace := make([]byte, 0, hypLen+refLen)
	i, j := hypLen, refLen
	for i > 0 || j > 0 {
		_, op := rows[i].at(j)
		trace = append(trace, op)
		switch op {
		case opNop, opSub:
			i--
			j--
		case opIns:
			j--
		case opDel:
			i--
		default:
			i, j = 0, 0 // unreachable cell: stop rather than loop
		}
	}
	for l, r := 0, len(trace)-1; l < r; l, r = l+1, r-1 {
		trace[l], trace[r] = trace[r], trace[l]
	}
	return trace
}
