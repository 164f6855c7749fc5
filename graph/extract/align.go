package extract

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"sync"
)

// aligner learns word translation probabilities with IBM Model 1 in both
// directions (source→target and target→source), by expectation
// maximisation, and aligns sentence pairs with the symmetrised Viterbi
// alignments (grow-diag-final).
//
// Every (source word, target word) pair that co-occurs in a sentence pair is
// a cell with an index; each sentence is kept, in a log, as the cell
// indices of its word matrix, so EM iterations are array arithmetic
// instead of map look-ups, and the sentences need not be in memory: each
// iteration reads the log from the start. Position 0 on either side is the
// empty word (NULL).
type aligner struct {
	cellOf map[uint64]int32
	cellS  []int32   // source word of each cell (0 = NULL)
	cellT  []int32   // target word of each cell (0 = NULL)
	fwd    []float32 // t(target | source) per cell
	bwd    []float32 // t(source | target) per cell
	sents  *recordLog
	n      int // sentences
	nS, nT int // vocabulary sizes, NULL included
	enc    []byte
	ids    [2][]int32 // addTokens' word IDs
}

// alignSent is one sentence pair as the log holds it.
type alignSent struct {
	file   int32   // the file of its unit
	ls, lt int     // lengths without NULL
	cells  []int32 // (ls+1)×(lt+1), row-major by source position
}

// newAligner returns an aligner keeping its sentences in log (nil: in
// memory).
func newAligner(log *recordLog) *aligner {
	if log == nil {
		log = newRecordLog(nil, "sentences", 0)
	}
	return &aligner{cellOf: make(map[uint64]int32), cellS: []int32{}, cellT: []int32{}, sents: log}
}

// addTokens registers the sentence pair of two token lists by their
// lowercased forms and returns its number of cells.
func (a *aligner) addTokens(src, tgt []tok, file int32) int64 {
	s, t := a.ids[0][:0], a.ids[1][:0]
	for _, tk := range src {
		s = append(s, tk.norm)
	}
	for _, tk := range tgt {
		t = append(t, tk.norm)
	}
	a.ids = [2][]int32{s, t}
	return a.add(s, t, file)
}

// add registers a sentence pair of word IDs (IDs start at 1; 0 is NULL)
// from file and returns its number of cells.
func (a *aligner) add(src, tgt []int32, file int32) int64 {
	ls, lt := len(src), len(tgt)
	e := recEncoder{b: a.enc[:0]}
	e.uvarint(uint64(file))
	e.uvarint(uint64(ls))
	e.uvarint(uint64(lt))
	for i := 0; i <= ls; i++ {
		var s int32
		if i > 0 {
			s = src[i-1]
		}
		if int(s) >= a.nS {
			a.nS = int(s) + 1
		}
		for j := 0; j <= lt; j++ {
			var t int32
			if j > 0 {
				t = tgt[j-1]
			}
			if int(t) >= a.nT {
				a.nT = int(t) + 1
			}
			k := uint64(uint32(s))<<32 | uint64(uint32(t))
			c, ok := a.cellOf[k]
			if !ok {
				c = int32(len(a.cellS))
				a.cellOf[k] = c
				a.cellS = append(a.cellS, s)
				a.cellT = append(a.cellT, t)
			}
			e.b = binary.LittleEndian.AppendUint32(e.b, uint32(c))
		}
	}
	a.enc = e.b
	a.sents.append(e.b)
	a.n++
	return int64((ls + 1) * (lt + 1))
}

// decodeSent sets s from a sentence record, reusing s.cells.
func decodeSent(rec []byte, s *alignSent) error {
	d := recDecoder{b: rec}
	s.file = int32(d.uvarint())
	s.ls, s.lt = int(d.uvarint()), int(d.uvarint())
	n := (s.ls + 1) * (s.lt + 1)
	if d.err != nil || len(d.b) != 4*n {
		return fmt.Errorf("extract: read alignment sentences: %w", errBadRecord)
	}
	if cap(s.cells) < n {
		s.cells = make([]int32, n)
	}
	s.cells = s.cells[:n]
	for i := range s.cells {
		s.cells[i] = int32(binary.LittleEndian.Uint32(d.b[4*i:]))
	}
	return nil
}

// ctxCheckEvery is how many sentences or units a long loop handles between
// two looks at its context.
const ctxCheckEvery = 1024

// each calls fn with every sentence in order. The sentence is valid
// during the call only.
func (a *aligner) each(ctx context.Context, fn func(k int, s *alignSent)) error {
	r := a.sents.reader(0)
	var s alignSent
	for k := 0; ; k++ {
		if k%ctxCheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		rec, err := r.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := decodeSent(rec, &s); err != nil {
			return err
		}
		fn(k, &s)
	}
}

// sentence returns sentence k, reading the log from the start.
func (a *aligner) sentence(k int) (alignSent, error) {
	var out alignSent
	err := a.each(context.Background(), func(i int, s *alignSent) {
		if i == k {
			out = *s
			out.cells = append([]int32(nil), s.cells...)
		}
	})
	return out, err
}

// release drops the tables; the aligner is not usable afterwards.
func (a *aligner) release() {
	a.sents.close()
	a.cellOf, a.cellS, a.cellT, a.fwd, a.bwd = nil, nil, nil, nil, nil
}

// train runs EM for the given number of iterations in both directions.
// The two directions share nothing but the sentences, which they only
// read, so they run at the same time, each with its own counts.
func (a *aligner) train(ctx context.Context, iterations int) error {
	n := len(a.cellS)
	a.cellOf = nil // no longer needed: sentences hold their cells
	a.fwd = make([]float32, n)
	a.bwd = make([]float32, n)
	for i := range a.fwd {
		a.fwd[i], a.bwd[i] = 1, 1
	}
	var wg sync.WaitGroup
	var errF error
	wg.Go(func() { errF = a.trainForward(ctx, iterations) })
	errB := a.trainBackward(ctx, iterations)
	wg.Wait()
	if errF != nil {
		return errF
	}
	return errB
}

// trainForward estimates t(f|e), source → target: each target word is
// generated by one source word or NULL.
func (a *aligner) trainForward(ctx context.Context, iterations int) error {
	count := make([]float64, len(a.fwd))
	totalS := make([]float64, a.nS)
	for it := 0; it < iterations; it++ {
		clear(count)
		clear(totalS)
		if err := a.estep(ctx, true, nil, count, totalS); err != nil {
			return err
		}
		for c := range a.fwd {
			if t := totalS[a.cellS[c]]; t > 0 {
				a.fwd[c] = float32(count[c] / t)
			}
		}
	}
	return nil
}

// trainBackward estimates t(e|f), target → source.
func (a *aligner) trainBackward(ctx context.Context, iterations int) error {
	count := make([]float64, len(a.bwd))
	totalT := make([]float64, a.nT)
	for it := 0; it < iterations; it++ {
		clear(count)
		clear(totalT)
		if err := a.estep(ctx, false, nil, count, totalT); err != nil {
			return err
		}
		for c := range a.bwd {
			if t := totalT[a.cellT[c]]; t > 0 {
				a.bwd[c] = float32(count[c] / t)
			}
		}
	}
	return nil
}

// estep adds the expected counts of the sentences whose file skip does not
// name (all when skip is nil) under the current t table of one direction,
// per cell to count and per conditioning word (the source word for fwd,
// else the target word) to total.
func (a *aligner) estep(ctx context.Context, fwd bool, skip []bool, count, total []float64) error {
	return a.each(ctx, func(_ int, s *alignSent) {
		if skip != nil && int(s.file) < len(skip) && skip[s.file] {
			return
		}
		w := s.lt + 1
		if fwd {
			for j := 1; j <= s.lt; j++ {
				var denom float64
				for i := 0; i <= s.ls; i++ {
					denom += float64(a.fwd[s.cells[i*w+j]])
				}
				if denom == 0 {
					continue
				}
				for i := 0; i <= s.ls; i++ {
					c := s.cells[i*w+j]
					p := float64(a.fwd[c]) / denom
					count[c] += p
					total[a.cellS[c]] += p
				}
			}
			return
		}
		for i := 1; i <= s.ls; i++ {
			var denom float64
			for j := 0; j <= s.lt; j++ {
				denom += float64(a.bwd[s.cells[i*w+j]])
			}
			if denom == 0 {
				continue
			}
			for j := 0; j <= s.lt; j++ {
				c := s.cells[i*w+j]
				p := float64(a.bwd[c]) / denom
				count[c] += p
				total[a.cellT[c]] += p
			}
		}
	})
}

// align returns the symmetrised alignment of sentence s as, for each source
// position (0-based, NULL excluded), the target positions it links to: the
// Viterbi links of both directions, grown from their intersection along the
// diagonals of their union, then completed by union links of words still
// unaligned (grow-diag-final).
func (a *aligner) align(s *alignSent) [][]int {
	fwdLink, bwdLink := a.viterbi(s)
	g := newLinkGrid(s.ls, s.lt)
	g.start(fwdLink, bwdLink)
	g.growDiag()
	g.final()
	return g.links()
}

// viterbi returns the best link of every word in each direction: fwd[j]
// is the source word of target word j, bwd[i] the target word of source
// word i (0-based; -1 for NULL).
func (a *aligner) viterbi(s *alignSent) (fwd, bwd []int) {
	w := s.lt + 1
	fwd = make([]int, s.lt)
	for j := 1; j <= s.lt; j++ {
		best, bi := float32(-1), -1
		for i := 0; i <= s.ls; i++ {
			if p := a.fwd[s.cells[i*w+j]]; p > best {
				best, bi = p, i-1
			}
		}
		fwd[j-1] = bi
	}
	bwd = make([]int, s.ls)
	for i := 1; i <= s.ls; i++ {
		best, bj := float32(-1), -1
		for j := 0; j <= s.lt; j++ {
			if p := a.bwd[s.cells[i*w+j]]; p > best {
				best, bj = p, j-1
			}
		}
		bwd[i-1] = bj
	}
	return fwd, bwd
}

// linkGrid is a symmetrised alignment being made: the union of the two
// directions' links, the links taken, and which words they cover.
type linkGrid struct {
	ls, lt           int
	union, aligned   []bool // ls×lt, row-major by source word
	srcDone, tgtDone []bool
}

func newLinkGrid(ls, lt int) *linkGrid {
	return &linkGrid{ls: ls, lt: lt, union: make([]bool, ls*lt), aligned: make([]bool, ls*lt),
		srcDone: make([]bool, ls), tgtDone: make([]bool, lt)}
}

func (g *linkGrid) in(m []bool, i, j int) bool { return m[i*g.lt+j] }

func (g *linkGrid) link(i, j int) {
	g.aligned[i*g.lt+j] = true
	g.srcDone[i] = true
	g.tgtDone[j] = true
}

// start takes the union of both directions' links, and links their
// intersection.
func (g *linkGrid) start(fwdLink, bwdLink []int) {
	for j, i := range fwdLink {
		if i >= 0 {
			g.union[i*g.lt+j] = true
		}
	}
	for i, j := range bwdLink {
		if j >= 0 {
			if g.union[i*g.lt+j] && fwdLink[j] == i {
				g.link(i, j)
			}
			g.union[i*g.lt+j] = true
		}
	}
}

// growDiag adds union links next to links taken (diagonals included) that
// cover an unaligned word, until none is added.
func (g *linkGrid) growDiag() {
	for changed := true; changed; {
		changed = false
		for i := 0; i < g.ls; i++ {
			for j := 0; j < g.lt; j++ {
				if g.in(g.aligned, i, j) && g.growAround(i, j) {
					changed = true
				}
			}
		}
	}
}

// growAround adds the union links around (i, j) that cover an unaligned
// word, and reports whether it added any.
func (g *linkGrid) growAround(i, j int) bool {
	added := false
	for di := -1; di <= 1; di++ {
		for dj := -1; dj <= 1; dj++ {
			ni, nj := i+di, j+dj
			if (di == 0 && dj == 0) || ni < 0 || nj < 0 || ni >= g.ls || nj >= g.lt {
				continue
			}
			if g.in(g.union, ni, nj) && !g.in(g.aligned, ni, nj) && (!g.srcDone[ni] || !g.tgtDone[nj]) {
				g.link(ni, nj)
				added = true
			}
		}
	}
	return added
}

// final adds the union links whose source or target word is still
// unaligned.
func (g *linkGrid) final() {
	for i := 0; i < g.ls; i++ {
		for j := 0; j < g.lt; j++ {
			if g.in(g.union, i, j) && !g.in(g.aligned, i, j) && (!g.srcDone[i] || !g.tgtDone[j]) {
				g.link(i, j)
			}
		}
	}
}

// links returns, for each source word, the target words linked to it.
func (g *linkGrid) links() [][]int {
	out := make([][]int, g.ls)
	for i := 0; i < g.ls; i++ {
		for j := 0; j < g.lt; j++ {
			if g.in(g.aligned, i, j) {
				out[i] = append(out[i], j)
			}
		}
	}
	return out
}

// bestPhrase returns the target span [lo, hi] (0-based, inclusive) that
// best translates the source words from..to-1 of sentence s, by
// splitting the sentence pair into the phrase pair and the rest and
// scoring both parts with the lexical tables in both directions (Vogel's
// PESA: phrase extraction as sentence splitting). ok is false when the
// sentence was not trained. okSpan filters candidate spans (stop-word
// boundaries); maxLen caps their length.
func (a *aligner) bestPhrase(s *alignSent, from, to, maxLen int, okSpan func(lo, hi int) bool, sc *phraseScratch) (lo, hi int, ok bool) {
	w := s.lt + 1
	ls, lt := s.ls, s.lt
	nIn := to - from
	nOut := ls - nIn
	const floor = 1e-9
	// Per target word: mean probability from the term's words, and from
	// the other words plus NULL.
	inF := sc.floats(&sc.inF, lt)
	outF := sc.floats(&sc.outF, lt)
	for j := 1; j <= lt; j++ {
		var in, out float64
		out = float64(a.fwd[s.cells[0*w+j]])
		for i := 1; i <= ls; i++ {
			p := float64(a.fwd[s.cells[i*w+j]])
			if i-1 >= from && i-1 < to {
				in += p
			} else {
				out += p
			}
		}
		inF[j-1] = math.Log(max(in/float64(nIn), floor))
		outF[j-1] = math.Log(max(out/float64(nOut+1), floor))
	}
	prefIn := sc.floats(&sc.prefIn, lt+1)
	prefOut := sc.floats(&sc.prefOut, lt+1)
	prefIn[0], prefOut[0] = 0, 0
	for j := 0; j < lt; j++ {
		prefIn[j+1] = prefIn[j] + inF[j]
		prefOut[j+1] = prefOut[j] + outF[j]
	}
	// Per source word: prefix sums of t(e|f) over target positions, row i-1
	// of a ls×(lt+1) matrix.
	flat := sc.floats(&sc.pref, ls*(lt+1))
	pref := func(i int) []float64 { return flat[i*(lt+1) : (i+1)*(lt+1)] }
	for i := 1; i <= ls; i++ {
		p := pref(i - 1)
		p[0] = 0
		for j := 1; j <= lt; j++ {
			p[j] = p[j-1] + float64(a.bwd[s.cells[i*w+j]])
		}
	}
	best := math.Inf(-1)
	for l := 0; l < lt; l++ {
		for h := l; h < lt && h-l+1 <= maxLen; h++ {
			if !okSpan(l, h) {
				continue
			}
			n := float64(h - l + 1)
			score := prefIn[h+1] - prefIn[l] + prefOut[lt] - (prefOut[h+1] - prefOut[l])
			for i := 0; i < ls; i++ {
				p := pref(i)
				inside := p[h+1] - p[l]
				if i >= from && i < to {
					score += math.Log(max(inside/n, floor))
				} else {
					outside := p[lt] - inside + float64(a.bwd[s.cells[(i+1)*w+0]])
					score += math.Log(max(outside/(float64(lt)-n+1), floor))
				}
			}
			if score > best {
				best, lo, hi, ok = score, l, h, true
			}
		}
	}
	return lo, hi, ok
}

// phraseScratch holds bestPhrase's working arrays between calls, so that
// aligning a corpus does not allocate per mention. Each goroutine has its
// own.
type phraseScratch struct {
	inF, outF, prefIn, prefOut, pref []float64
}

// floats returns (*buf)[:n], growing *buf when needed. The contents are
// whatever the previous call left.
func (sc *phraseScratch) floats(buf *[]float64, n int) []float64 {
	if cap(*buf) < n {
		*buf = make([]float64, n)
	}
	return (*buf)[:n]
}
