package extract

import (
	"context"
	"io"
	"math"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/kgmem/kgmem/analysis"
	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/langtag"
)

// Train selects the terms, learns the word alignment and the terms'
// translations, and the co-occurrence of entities. Call it once, after the
// last Add; it returns ctx's error if ctx is cancelled meanwhile, and the
// extractor is then not usable.
func (x *Extractor) Train(ctx context.Context) error {
	if x.trained {
		return errTrained
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := x.units.finish(); err != nil {
		return err
	}
	if err := x.al.sents.finish(); err != nil {
		return err
	}
	if err := x.trainAlignment(ctx); err != nil {
		return err
	}
	if err := x.selectTerms(); err != nil {
		return err
	}
	if err := x.spotAll(ctx); err != nil {
		return err
	}
	if err := x.mentions.finish(); err != nil {
		return err
	}
	x.keepTranslations()
	x.scoreRelations()
	x.stats.Spilled += x.al.sents.spilled()
	x.al.release() // the alignment tables are large and no longer needed
	x.al = nil
	x.trained = true
	return nil
}

// selectTerms computes C-values and picks the candidates that are terms.
func (x *Extractor) selectTerms() error {
	cands, err := x.counter.finish(func(c *cand) bool { return c.freq >= x.opts.MinCount || x.tb[c.bkey] != nil })
	if err != nil {
		return err
	}
	for k, t := range x.tb {
		if c := cands[k]; c != nil {
			c.termbase = t.termbase
		} else {
			cands[k] = t
		}
	}
	x.tb = nil
	x.cands = cands
	x.nestCandidates()
	x.scoreCandidates()
	x.keepSelected()
	return nil
}

// nestCandidates counts, for every candidate, the longer candidates that
// contain it (C-value's nesting).
func (x *Extractor) nestCandidates() {
	for k, c := range x.cands {
		if c.typ != "" || c.words < 2 || c.freq < x.opts.MinCount {
			continue
		}
		for n := 1; n < c.words; n++ {
			for i := 0; i+n <= c.words; i++ {
				sub := x.cands[k[4*i:4*(i+n)]]
				if sub != nil {
					sub.nestSum += c.freq
					sub.nestCnt++
				}
			}
		}
	}
}

// scoreCandidates computes every candidate's C-value, selects the terms
// and gives them their type and entity.
func (x *Extractor) scoreCandidates() {
	src := langtag.Base(x.srcLang)
	for k, c := range x.cands {
		if c.typ != "" { // patterns
			c.selected = c.freq >= x.opts.MinCount || c.termbase != nil
			c.entity = graph.EntityID(c.typ, c.key)
			continue
		}
		f := float64(c.freq)
		if c.nestCnt > 0 {
			f -= float64(c.nestSum) / float64(c.nestCnt)
		}
		c.cvalue = math.Log2(float64(c.words)+1) * f
		c.selected = c.termbase != nil || (c.freq >= x.opts.MinCount && c.cvalue >= x.opts.MinCValue)
		if !c.selected {
			continue
		}
		if c.key == "" {
			c.key = src + ":" + x.keyText(k)
		}
		switch {
		case c.termbase != nil:
			c.typ = graph.TypeTerm
			c.entity = c.termbase.id
		case c.later > 0 && c.capital*5 >= c.later*4:
			c.typ = graph.TypeName
			c.entity = graph.EntityID(c.typ, c.key)
		default:
			c.typ = graph.TypeTerm
			c.entity = graph.EntityID(c.typ, c.key)
		}
	}
}

// keepSelected keeps only the selected candidates, numbers them and their
// entities, and picks each entity's most frequent candidate.
func (x *Extractor) keepSelected() {
	x.byEntity = map[string]*cand{}
	selected := map[string]*cand{}
	for k, c := range x.cands {
		if c.selected {
			selected[k] = c
			c.canonical = x.canonicalSurface(c)
			if old := x.byEntity[c.entity]; old == nil || c.freq > old.freq {
				x.byEntity[c.entity] = c
			}
		}
	}
	// From here on only selected candidates are looked up. The others,
	// most n-grams, are let go.
	x.cands = selected
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range selected {
			if !yield(k) {
				return
			}
		}
	})
	x.sel = make([]*cand, len(keys))
	for i, k := range keys {
		x.sel[i] = selected[k]
		x.sel[i].num = int32(i)
	}
	// Entities are numbered in ID order, so that comparing numbers
	// compares IDs.
	x.ents = x.ents[:0]
	for id := range x.byEntity {
		x.ents = append(x.ents, id)
	}
	slices.Sort(x.ents)
	for _, c := range x.sel {
		i, _ := slices.BinarySearch(x.ents, c.entity)
		c.ent = int32(i)
	}
}

// mention is a selected candidate spotted in a unit.
type mention struct {
	c          *cand
	tokFrom    int // token range in src; -1 for a pattern (or once read back)
	tokTo      int
	start, end int // byte span in the source
	tStart     int // byte span of its translation in the target; -1 if none
	tEnd       int
	tkey       int32  // the translation's key (a term's: its lemmas), by number in Extractor.tkeys
	tkeyText   string // the key while spotting, before it is numbered
}

// spot finds the selected candidates of a unit, longest first, left to
// right, without overlaps; patterns first.
func (x *Extractor) spot(r *unitRec, sc *spotScratch) []mention {
	text := r.src
	ms := sc.ms[:0]
	for _, p := range r.pats {
		k := patternKey(p.Type, text[p.Start:p.End])
		if c := x.cands[k]; c != nil && c.selected {
			ms = append(ms, mention{c: c, tokFrom: -1, start: p.Start, end: p.End, tStart: -1})
		}
	}
	covered := coveredTokens(r.srcToks, r.pats, sc.covered)
	sc.covered = covered
	key := sc.key
	for i := 0; i < len(r.srcToks); {
		var best *cand
		bestN := 0
		if !covered[i] {
			key = key[:0]
			for n := 1; n <= x.opts.MaxWords && i+n <= len(r.srcToks); n++ {
				if n > 1 && (!joinable(text, r.srcToks[i+n-2], r.srcToks[i+n-1]) || covered[i+n-1]) {
					break
				}
				wk, ok := x.lookupWordKey(r.srcToks[i+n-1])
				if !ok {
					break // a word no candidate has
				}
				key = appendWordKey(key, wk)
				if c := x.cands[string(key)]; c != nil && c.selected {
					best, bestN = c, n
				}
			}
		}
		if best == nil {
			i++
			continue
		}
		ms = append(ms, mention{c: best, tokFrom: i, tokTo: i + bestN,
			start: int(r.srcToks[i].start), end: int(r.srcToks[i+bestN-1].end), tStart: -1})
		i += bestN
	}
	sc.key = key
	sort.Slice(ms, func(a, b int) bool { return ms[a].start < ms[b].start })
	sc.ms = ms
	return ms
}

func appendWordKey(key []byte, wk int32) []byte {
	return append(key, byte(uint32(wk)>>24), byte(uint32(wk)>>16), byte(uint32(wk)>>8), byte(wk))
}

// spotScratch is one goroutine's working memory for spotting.
type spotScratch struct {
	ms      []mention
	covered []bool
	key     []byte
	phrase  phraseScratch
	found   map[string]int // translate's strings.Index results in one unit
}

// manyMentions is how many mentions a unit has before translate remembers
// where each name was found in the target: a long unit names the same
// things again and again, and each search reads the target.
const manyMentions = 16

// translate finds the target phrase of a mention: by identity for names,
// codes and patterns that appear unchanged in the target, else the target
// phrase that best splits the sentence pair (aligner.bestPhrase).
func (x *Extractor) translate(r *unitRec, s *alignSent, m *mention, nMentions int, sc *spotScratch) {
	src, tgt := r.src, r.tgt
	surface := src[m.start:m.end]
	if m.c.typ != graph.TypeTerm {
		i := -1
		if nMentions > manyMentions {
			if sc.found == nil {
				sc.found = map[string]int{}
			}
			var ok bool
			if i, ok = sc.found[surface]; !ok {
				i = strings.Index(tgt, surface)
				sc.found[surface] = i
			}
		} else {
			i = strings.Index(tgt, surface)
		}
		if i >= 0 {
			m.tStart, m.tEnd = i, i+len(surface)
			return
		}
		if m.tokFrom < 0 {
			return // a pattern that does not survive translation as it is
		}
	}
	if !r.aligned || m.tokFrom < 0 {
		return
	}
	// A term neither starts nor ends with a stop word; neither does its
	// translation ("el archivo" → "archivo").
	okSpan := func(lo, hi int) bool { return r.tgtToks[lo].stem != 0 && r.tgtToks[hi].stem != 0 }
	n := m.tokTo - m.tokFrom
	lo, hi, ok := x.al.bestPhrase(s, m.tokFrom, m.tokTo, 2*n+1, okSpan, &sc.phrase)
	if !ok {
		return
	}
	m.tStart, m.tEnd = int(r.tgtToks[lo].start), int(r.tgtToks[hi].end)
}

// phrase returns the mention's translation in the unit's target text tgt,
// with a term's initial capital removed at the start of the sentence.
func (m *mention) phrase(tgt string) string {
	phrase := tgt[m.tStart:m.tEnd]
	if m.c.typ == graph.TypeTerm && m.tStart == 0 {
		phrase = analysis.LowerFirst(phrase)
	}
	return phrase
}

// spotItem is a unit on its way through spotAll.
type spotItem struct {
	r  unitRec
	s  alignSent // its sentence pair, when r.aligned
	ms []mention
}

// spotChunk is a run of consecutive units.
type spotChunk struct {
	items []spotItem
	n     int
	first int // the number of its first unit
}

// spotChunkUnits is how many units travel together through spotAll.
const spotChunkUnits = 1024

// spotAll spots the selected candidates of every unit, finds their
// translations, writes each unit's mentions to the mention log, and counts
// translations and co-occurrences. Units are read from the logs in order,
// spotted in parallel (the trained model is only read), and counted in
// order: memory holds a few chunks of units, whatever their number.
func (x *Extractor) spotAll(ctx context.Context) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	free := make(chan *spotChunk, 4)
	for range cap(free) {
		free <- &spotChunk{items: make([]spotItem, spotChunkUnits)}
	}
	read := make(chan *spotChunk, 1)
	spotted := make(chan *spotChunk, 1)
	var wg sync.WaitGroup
	wg.Go(func() {
		defer close(read)
		if err := x.readChunks(ctx, free, read); err != nil {
			cancel(err)
		}
	})
	wg.Go(func() {
		defer close(spotted)
		for ch := range read {
			x.spotChunk(ch)
			spotted <- ch
		}
	})
	tc := newTransCounter(x)
	rc := newRelCounter(len(x.ents))
	for ch := range spotted {
		if ctx.Err() == nil {
			x.countChunk(ch, tc, rc)
		}
		free <- ch
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return err
	}
	x.relCounts = rc
	return nil
}

// readChunks reads the units and their sentence pairs from the logs into
// chunks taken from free, and sends them on out.
func (x *Extractor) readChunks(ctx context.Context, free <-chan *spotChunk, out chan<- *spotChunk) error {
	units := x.units.reader(0)
	sents := x.al.sents.reader(0)
	for first := 0; ; first += spotChunkUnits {
		if err := ctx.Err(); err != nil {
			return err
		}
		var ch *spotChunk
		select {
		case ch = <-free:
		case <-ctx.Done():
			return ctx.Err()
		}
		ch.n, ch.first = 0, first
		for ch.n < len(ch.items) {
			rec, err := units.next()
			if err == io.EOF {
				break
			}
			if err != nil {
				return err
			}
			it := &ch.items[ch.n]
			if err := decodeUnit(rec, &it.r); err != nil {
				return err
			}
			if it.r.aligned {
				srec, err := sents.next()
				if err != nil {
					return err
				}
				if err := decodeSent(srec, &it.s); err != nil {
					return err
				}
			}
			ch.n++
		}
		if ch.n == 0 {
			return nil
		}
		select {
		case out <- ch:
		case <-ctx.Done():
			return ctx.Err()
		}
		if ch.n < len(ch.items) {
			return nil
		}
	}
}

// spotChunk spots and translates the mentions of a chunk's units, on
// every CPU.
func (x *Extractor) spotChunk(ch *spotChunk) {
	workers := min(runtime.GOMAXPROCS(0), max(1, ch.n/64))
	const part = 32
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			var sc spotScratch
			for {
				lo := int(next.Add(part)) - part
				if lo >= ch.n {
					return
				}
				for i := lo; i < min(lo+part, ch.n); i++ {
					x.spotUnit(&ch.items[i], &sc)
				}
			}
		})
	}
	wg.Wait()
}

// spotUnit spots one unit's mentions and finds their translations and
// translation keys.
func (x *Extractor) spotUnit(it *spotItem, sc *spotScratch) {
	r := &it.r
	ms := x.spot(r, sc)
	it.ms = append(it.ms[:0], ms...)
	clear(sc.found)
	for mi := range it.ms {
		m := &it.ms[mi]
		x.translate(r, &it.s, m, len(it.ms), sc)
		if m.tStart < 0 {
			continue
		}
		m.tkeyText = m.phrase(r.tgt)
		if m.c.typ == graph.TypeTerm {
			m.tkeyText = x.tgtAn.Key(m.tkeyText)
		}
	}
}

// countChunk numbers the translation keys of a chunk's mentions, writes
// each unit's mentions to the mention log, and counts translations and
// co-occurrences.
func (x *Extractor) countChunk(ch *spotChunk, tc *transCounter, rc *relCounter) {
	for i := 0; i < ch.n; i++ {
		it := &ch.items[i]
		for mi := range it.ms {
			if m := &it.ms[mi]; m.tStart >= 0 {
				m.tkey = x.tkeys.id(m.tkeyText)
			}
		}
		x.enc = encodeMentions(x.enc[:0], it.ms)
		pos := x.mentions.append(x.enc)
		if f := &x.byFile[it.r.file]; f.first == ch.first+i {
			f.mentionPos = pos
		}
		x.stats.Mentions += int64(len(it.ms))
		tc.count(&it.r, it.ms)
		x.stats.Pairs += rc.count(it.ms)
	}
}

// transCounter counts the translations of every selected candidate.
type transCounter struct{ x *Extractor }

func newTransCounter(x *Extractor) *transCounter { return &transCounter{x: x} }

// count counts the translations of a unit's mentions.
func (tc *transCounter) count(r *unitRec, ms []mention) {
	for mi := range ms {
		m := &ms[mi]
		if m.tStart < 0 {
			continue
		}
		phrase := m.phrase(r.tgt)
		if m.c.trans == nil {
			m.c.trans = map[int32]*transStat{}
		}
		ts := m.c.trans[m.tkey]
		if ts == nil {
			ts = &transStat{key: tc.x.tkeys.words[m.tkey], id: m.tkey, surfaces: map[string]int{}, canon: map[string]int{}}
			m.c.trans[m.tkey] = ts
		}
		ts.count++
		countForm(ts.surfaces, phrase)
		if strings.EqualFold(r.src[m.start:m.end], m.c.canonical) {
			countForm(ts.canon, phrase)
		}
	}
}

// countForm counts one occurrence of s in m, storing a copy of s when it
// is new (s is part of a unit's text, which is not kept).
func countForm(m map[string]int, s string) {
	if n, ok := m[s]; ok {
		m[s] = n + 1
		return
	}
	m[strings.Clone(s)] = 1
}

// keepTranslations keeps each term's most frequent translations, with
// their probabilities and best surface forms.
func (x *Extractor) keepTranslations() {
	for _, c := range x.sel {
		if len(c.trans) == 0 {
			continue
		}
		total := 0
		for _, t := range c.trans {
			total += t.count
		}
		for _, t := range c.trans {
			t.prob = float64(t.count) / float64(total)
			if len(t.canon) > 0 {
				t.best = bestSurface(t.canon, c.typ != graph.TypeTerm)
			} else {
				t.best = bestSurface(t.surfaces, c.typ != graph.TypeTerm)
			}
			if t.prob >= x.opts.MinProb {
				c.kept = append(c.kept, t)
			}
		}
		sort.Slice(c.kept, func(i, j int) bool {
			if c.kept[i].count != c.kept[j].count {
				return c.kept[i].count > c.kept[j].count
			}
			return c.kept[i].key < c.kept[j].key
		})
		if len(c.kept) > x.opts.MaxTranslations {
			c.kept = c.kept[:x.opts.MaxTranslations]
		}
		// Only the kept translations' keys, best surfaces and
		// probabilities are read from here on.
		c.trans = nil
		for _, t := range c.kept {
			t.surfaces, t.canon = nil, nil
		}
	}
}

// coocWindow is the most distinct entities one co-occurrence context
// holds. A unit is one context; a longer one (a whole document in one
// segment) is cut, in the order of its mentions, into contexts of at most
// coocWindow entities, so that counting pairs stays linear in its length.
const coocWindow = 256

// relCounter counts entity co-occurrence: per context, every pair of its
// distinct entities, and every entity.
type relCounter struct {
	cooc     map[uint64]int32 // pairKey → contexts
	occ      []int32          // entity number → contexts
	contexts int
	set      []int32
	seen     []bool
}

func newRelCounter(entities int) *relCounter {
	return &relCounter{cooc: map[uint64]int32{}, occ: make([]int32, entities), seen: make([]bool, entities)}
}

// pairKey identifies a pair of entities by number, a < b.
func pairKey(a, b int32) uint64 { return uint64(uint32(a))<<32 | uint64(uint32(b)) }

func pairOf(k uint64) (int32, int32) { return int32(k >> 32), int32(uint32(k)) }

// eachContext calls fn with the sorted distinct entity numbers of each
// co-occurrence context of a unit's mentions; a unit without mentions is
// one empty context.
func eachContext(ms []mention, set []int32, seen []bool, fn func(ents []int32)) []int32 {
	set = set[:0]
	flush := func() {
		slices.Sort(set)
		for _, e := range set {
			seen[e] = false
		}
		fn(set)
		set = set[:0]
	}
	for i := range ms {
		e := ms[i].c.ent
		if seen[e] {
			continue
		}
		if len(set) == coocWindow {
			flush()
		}
		seen[e] = true
		set = append(set, e)
	}
	flush()
	return set
}

// count counts a unit's contexts and returns how many pairs it counted.
func (rc *relCounter) count(ms []mention) int64 {
	var pairs int64
	rc.set = eachContext(ms, rc.set, rc.seen, func(ents []int32) {
		rc.contexts++
		for i, a := range ents {
			rc.occ[a]++
			for _, b := range ents[i+1:] {
				rc.cooc[pairKey(a, b)]++
			}
		}
		pairs += int64(len(ents) * (len(ents) - 1) / 2)
	})
	return pairs
}

// scoreRelations keeps, for every entity, the MaxNeighbours pairs with the
// highest positive PMI among those seen in at least two contexts.
func (x *Extractor) scoreRelations() {
	rc := x.relCounts
	x.relCounts = nil
	x.totalUnits = rc.contexts
	type scored struct {
		pair uint64
		pmi  float64
	}
	per := map[int32][]scored{}
	for p, n := range rc.cooc {
		if n < 2 {
			continue
		}
		a, b := pairOf(p)
		pmi := math.Log2(float64(n) * float64(x.totalUnits) / (float64(rc.occ[a]) * float64(rc.occ[b])))
		if pmi <= 0 {
			continue
		}
		per[a] = append(per[a], scored{p, pmi})
		per[b] = append(per[b], scored{p, pmi})
	}
	x.pmi = map[uint64]float64{}
	for _, ss := range per {
		sort.Slice(ss, func(i, j int) bool {
			if ss[i].pmi != ss[j].pmi {
				return ss[i].pmi > ss[j].pmi
			}
			return lessJoined(x.pairIDs(ss[i].pair), x.pairIDs(ss[j].pair))
		})
		if len(ss) > x.opts.MaxNeighbours {
			ss = ss[:x.opts.MaxNeighbours]
		}
		for _, s := range ss {
			x.pmi[s.pair] = s.pmi
		}
	}
}

// pairIDs returns the entity IDs of a pair.
func (x *Extractor) pairIDs(p uint64) [2]string {
	a, b := pairOf(p)
	return [2]string{x.ents[a], x.ents[b]}
}
