package extract

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/kgmem/kgmem/analysis"
	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/langtag"
)

// Batches calls emit with the graph writes that file contributes, in
// batches of maxItems items (0: all in one batch): its segments with their
// mentions, then its entities, then its facts, each kind in ID order, each
// fact carrying this file's count. A batch never holds facts before the
// entities they refer to are in it or in an earlier batch. Call after
// Train; it may be called again for the same file.
//
// The file's segments are sorted by ID on the way (in memory, or in runs
// on disk beyond the memory limit), so that a store keyed by ID writes each
// part of its tree once; a unit whose text repeats an earlier unit's adds
// to that segment's count and nothing else. Memory holds one batch, the
// file's facts and entities, and the sort's share of the limit.
func (x *Extractor) Batches(ctx context.Context, file string, maxItems int, emit func(*graph.Batch) error) error {
	if !x.trained {
		return fmt.Errorf("extract: Batches before Train")
	}
	fi, ok := x.fileIdx[file]
	if !ok {
		return nil
	}
	fb := newFileBatcher(x, fi, maxItems, emit)
	defer fb.sorter.close()
	if err := fb.sortUnits(ctx); err != nil {
		return err
	}
	if err := fb.sorter.each(fb.segmentRecord); err != nil {
		return err
	}
	if err := fb.endSegment(); err != nil {
		return err
	}
	fb.relationFacts()
	fb.subtermFacts()
	for _, tc := range x.concepts {
		if tc.file == fi {
			fb.conceptFacts(tc)
		}
	}
	return fb.emitRest()
}

// fileBatcher makes the batches of one file.
type fileBatcher struct {
	x       *Extractor
	fi      int32
	file    string
	sorter  *extSorter
	cut     batchCutter
	acc     factAcc
	ents    map[string]declared
	pos     int64 // the position of the next contribution after the units
	occFile map[*cand]int
	cooc    map[uint64]int
	// The segment being assembled, and the working memory of decoding.
	sg    *graph.Segment
	sgID  string
	ms    []mention
	seen  map[string]bool // entities of the unit with their domain fact
	set   []int32
	eseen []bool
}

// declared is an entity and the position of the contribution that
// declared it first.
type declared struct {
	e   graph.Entity
	pos int64
}

func newFileBatcher(x *Extractor, fi int32, maxItems int, emit func(*graph.Batch) error) *fileBatcher {
	file := x.files[fi]
	sorter := newExtSorter(x.area, "segments", x.opts.share(2))
	sorter.spilled = &x.stats.Spilled
	return &fileBatcher{
		x: x, fi: fi, file: file,
		sorter:  sorter,
		cut:     batchCutter{source: file, max: maxItems, emit: emit},
		acc:     factAcc{file: file, facts: map[factKey]*accFact{}},
		ents:    map[string]declared{},
		pos:     int64(x.byFile[fi].units),
		occFile: map[*cand]int{},
		cooc:    map[uint64]int{},
		seen:    map[string]bool{},
		eseen:   make([]bool, len(x.ents)),
	}
}

// entity declares an entity at position pos: the contribution that comes
// first in the file names its type and key.
func (fb *fileBatcher) entity(id string, t graph.EntityType, key string, pos int64) {
	if d, ok := fb.ents[id]; !ok || pos < d.pos {
		fb.ents[id] = declared{graph.Entity{ID: id, Type: t, Key: key}, pos}
	}
}

// sortUnits reads the file's units and their mentions in order and adds
// one record per unit, keyed by its segment ID, to the sorter.
func (fb *fileBatcher) sortUnits(ctx context.Context) error {
	x := fb.x
	f := x.byFile[fb.fi]
	if f.first < 0 {
		return nil
	}
	units := x.units.reader(f.unitPos)
	ments := x.mentions.reader(f.mentionPos)
	var cur, next unitRec
	var curMs, nextMs []byte
	have, pos := false, int64(0)
	var rec []byte
	prev := ""
	for n := f.first; n <= f.last; n++ {
		if (n-f.first)%ctxCheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		u, err := units.next()
		if err != nil {
			return err
		}
		m, err := ments.next()
		if err != nil {
			return err
		}
		if err := decodeUnit(u, &next); err != nil {
			return err
		}
		if next.file != fb.fi {
			continue // another file's unit between two of this one's
		}
		nextMs = append(nextMs[:0], m...)
		if have {
			rec = fb.addUnit(rec, &cur, curMs, pos, prev, next.src)
			prev = cur.src
			pos++
		}
		cur, next = next, cur
		curMs, nextMs = nextMs, curMs
		have = true
	}
	if have {
		fb.addUnit(rec, &cur, curMs, pos, prev, "")
	}
	return nil
}

// addUnit adds the sort record of unit r, the pos-th of the file, whose
// neighbours' sources are prev and next.
func (fb *fileBatcher) addUnit(buf []byte, r *unitRec, mentions []byte, pos int64, prev, next string) []byte {
	x := fb.x
	sl, tl := x.srcLang, x.tgtLang
	if r.srcLang != "und" {
		sl = r.srcLang
	}
	if r.tgtLang != "und" {
		tl = r.tgtLang
	}
	changed := r.changed
	if changed.IsZero() {
		changed = r.created
	}
	e := recEncoder{b: buf[:0]}
	e.uvarint(uint64(pos))
	e.str(unitRecID(r))
	e.str(sl)
	e.str(tl)
	e.str(r.src)
	e.str(r.tgt)
	e.str(r.domain)
	e.str(r.context)
	e.str(r.status)
	e.time(changed)
	e.str(prev)
	e.str(next)
	e.str(string(mentions))
	fb.sorter.add([]byte(graph.SegmentID(sl, tl, r.src, r.tgt)), e.b)
	return e.b
}

// segRec is a unit as the sorter returns it.
type segRec struct {
	pos                                int64
	uid, sl, tl, src, tgt, dom, cx, st string
	changed                            time.Time
	prev, next                         string
	mentions                           []byte
}

func decodeSegRec(val []byte, r *segRec) error {
	d := recDecoder{b: val}
	r.pos = int64(d.uvarint())
	r.uid, r.sl, r.tl = d.str(), d.str(), d.str()
	r.src, r.tgt = d.str(), d.str()
	r.dom, r.cx, r.st = d.str(), d.str(), d.str()
	r.changed = d.time()
	r.prev, r.next = d.str(), d.str()
	r.mentions = d.bytes()
	return d.err
}

// segmentRecord takes the next unit in segment ID order: the first unit of
// a segment makes it, with its mentions and facts; a later one with the
// same text adds to its count and units.
func (fb *fileBatcher) segmentRecord(key, val []byte) error {
	var r segRec
	if err := decodeSegRec(val, &r); err != nil {
		return err
	}
	if fb.sg != nil && fb.sgID == string(key) {
		src := &fb.sg.Sources[0]
		src.Count++
		if len(src.Units) < graph.MaxSourceUnits {
			src.Units = append(src.Units, r.uid)
		}
		return nil
	}
	if err := fb.endSegment(); err != nil {
		return err
	}
	fb.sgID = string(key)
	fb.sg = &graph.Segment{ID: fb.sgID, SourceLang: r.sl, TargetLang: r.tl, Source: r.src, Target: r.tgt,
		Domain: r.dom, Context: r.cx, Status: r.st, Changed: r.changed, Prev: r.prev, Next: r.next,
		Sources: []graph.Source{{File: fb.file, Count: 1, Units: []string{r.uid}}}}
	ms, err := decodeMentions(r.mentions, fb.x.sel, fb.ms)
	if err != nil {
		return err
	}
	fb.ms = ms
	fb.unitFacts(&r, ms)
	return nil
}

// endSegment hands the segment assembled to the batches.
func (fb *fileBatcher) endSegment() error {
	if fb.sg == nil {
		return nil
	}
	sg := fb.sg
	fb.sg = nil
	return fb.cut.segment(sg)
}

// unitFacts adds what the first unit of a segment says: its mentions,
// labels, domains, and entity pairs.
func (fb *fileBatcher) unitFacts(r *segRec, ms []mention) {
	sg := fb.sg
	clear(fb.seen)
	for _, m := range ms {
		c := m.c
		fb.entity(c.entity, c.typ, c.key, r.pos)
		fb.occFile[c]++
		sg.Mentions = append(sg.Mentions, graph.Mention{Entity: c.entity, Side: graph.SideSource, Start: m.start, End: m.end})
		surface := r.src[m.start:m.end]
		if c.typ == graph.TypeTerm {
			surface = analysis.LowerFirst(surface)
		}
		fb.acc.add(c.entity, graph.PredLabel, "", surface, r.sl, graph.StatusNone, 1, 1, r.uid, r.pos)
		if m.tStart >= 0 {
			for _, t := range c.kept {
				if t.id == m.tkey {
					fb.acc.add(c.entity, graph.PredLabel, "", t.best, r.tl, graph.StatusNone, t.prob, 1, r.uid, r.pos)
					sg.Mentions = append(sg.Mentions, graph.Mention{Entity: c.entity, Side: graph.SideTarget, Start: m.tStart, End: m.tEnd})
					break
				}
			}
		}
		if r.dom != "" && !fb.seen[c.entity] {
			did := graph.EntityID(graph.TypeDomain, r.dom)
			fb.entity(did, graph.TypeDomain, r.dom, r.pos)
			fb.acc.add(c.entity, graph.PredDomain, did, "", "", graph.StatusNone, 1, 1, r.uid, r.pos)
		}
		fb.seen[c.entity] = true
	}
	fb.set = eachContext(ms, fb.set, fb.eseen, func(ents []int32) {
		for i, a := range ents {
			for _, b := range ents[i+1:] {
				if _, ok := fb.x.pmi[pairKey(a, b)]; ok {
					fb.cooc[pairKey(a, b)]++
				}
			}
		}
	})
}

// relationFacts adds the file's co-occurrence facts, weighted by the
// corpus-wide PMI.
func (fb *fileBatcher) relationFacts() {
	x := fb.x
	pairs := make([]uint64, 0, len(fb.cooc))
	for p := range fb.cooc {
		pairs = append(pairs, p)
	}
	sort.Slice(pairs, func(i, j int) bool { return lessJoined(x.pairIDs(pairs[i]), x.pairIDs(pairs[j])) })
	for _, p := range pairs {
		ids := x.pairIDs(p)
		fb.acc.add(ids[0], graph.PredCooccurs, ids[1], "", "", graph.StatusNone, x.pmi[p], fb.cooc[p], "", fb.next())
	}
}

// next returns the position of the next contribution after the units.
func (fb *fileBatcher) next() int64 {
	fb.pos++
	return fb.pos
}

// subtermFacts adds the sub-term facts of the longer terms the file
// mentions: the transitive reduction of "is a contiguous part of" over the
// selected terms below each of them. A term links to its largest selected
// parts, and each part to its own, down to single words ("contact tracing
// app" → "contact tracing" → "contact"), so every part of a term is reached
// from it, and no link follows from two others. A link counts the units
// that mention a term it lies below.
func (fb *fileBatcher) subtermFacts() {
	cs := make([]*cand, 0, len(fb.occFile))
	for c := range fb.occFile {
		cs = append(cs, c)
	}
	slices.SortFunc(cs, func(a, b *cand) int { return int(a.num) - int(b.num) })
	for _, c := range cs {
		if c.words < 2 || c.typ == graph.TypePlaceholder {
			continue
		}
		n := fb.occFile[c]
		for _, e := range fb.x.subtermEdges(c) {
			sub, sup := e[0], e[1]
			if sub.entity == sup.entity {
				continue
			}
			pos := fb.next()
			fb.entity(sub.entity, sub.typ, sub.key, pos)
			fb.entity(sup.entity, sup.typ, sup.key, pos)
			fb.acc.add(sub.entity, graph.PredSubterm, sup.entity, "", "", graph.StatusNone, 1, n, "", pos)
		}
	}
}

// subtermEdges returns the links (part, whole) of the transitive reduction
// of containment among c and the selected terms inside it, from c down.
func (x *Extractor) subtermEdges(c *cand) [][2]*cand {
	var out [][2]*cand
	seen := map[*cand]bool{c: true}
	queue := []*cand{c}
	for len(queue) > 0 {
		t := queue[0]
		queue = queue[1:]
		for _, s := range x.largestSubterms(t) {
			out = append(out, [2]*cand{s, t})
			if !seen[s] {
				seen[s] = true
				queue = append(queue, s)
			}
		}
	}
	return out
}

// largestSubterms returns the selected terms inside t that are inside no
// other selected term inside t.
func (x *Extractor) largestSubterms(t *cand) []*cand {
	subs := x.subterms(t)
	var out []*cand
	for _, s := range subs {
		inside := slices.ContainsFunc(subs, func(u *cand) bool {
			return u.words > s.words && containsWords(u.bkey, s.bkey)
		})
		if !inside && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// containsWords reports whether the binary key part is a contiguous run of
// the words of key whole.
func containsWords(whole, part string) bool {
	for i := 0; i+len(part) <= len(whole); i += 4 {
		if whole[i:i+len(part)] == part {
			return true
		}
	}
	return false
}

// subterms returns the selected candidates whose words are a contiguous
// part of c's (found by key), shorter than c, shortest first.
func (x *Extractor) subterms(c *cand) []*cand {
	k := c.bkey
	if k == "" || k[0] == 0xff || len(k)%4 != 0 {
		return nil
	}
	var out []*cand
	for n := 1; n < c.words; n++ {
		for i := 0; i+n <= c.words; i++ {
			if sub := x.cands[k[4*i:4*(i+n)]]; sub != nil && sub.selected && sub.typ != "" {
				out = append(out, sub)
			}
		}
	}
	return out
}

// conceptFacts adds a term-base concept: its entity, every term as a
// label with its status, and definitions, parts of speech and domain.
func (fb *fileBatcher) conceptFacts(tc *tbConcept) {
	e := tc.entry
	pos := fb.next()
	fb.entity(tc.id, graph.TypeTerm, tc.key, pos)
	uid := e.ID
	srcBase := langtag.Base(fb.x.srcLang)
	add := func(subject, predicate, object, literal, lang string, status graph.Status) {
		fb.acc.add(subject, predicate, object, literal, lang, status, 1, 1, uid, pos)
	}
	for _, t := range e.Terms {
		lang := t.Lang.String()
		add(tc.id, graph.PredLabel, "", t.Text, lang, termStatus(t.Status))
		if t.PartOfSpeech != "" && langtag.Base(lang) == srcBase {
			add(tc.id, graph.PredPartOfSpeech, "", t.PartOfSpeech, "", graph.StatusNone)
		}
		if t.Definition != "" {
			add(tc.id, graph.PredDefinition, "", t.Definition, lang, graph.StatusNone)
		}
	}
	if e.Definition != "" {
		add(tc.id, graph.PredDefinition, "", e.Definition, srcBase, graph.StatusNone)
	}
	if e.Domain != "" {
		did := graph.EntityID(graph.TypeDomain, e.Domain)
		fb.entity(did, graph.TypeDomain, e.Domain, pos)
		add(tc.id, graph.PredDomain, did, "", "", graph.StatusNone)
	}
}

// emitRest sends the entities, then the facts, each in ID order, and the
// last batch.
func (fb *fileBatcher) emitRest() error {
	ids := make([]string, 0, len(fb.ents))
	for id := range fb.ents {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if err := fb.cut.entity(fb.ents[id].e); err != nil {
			return err
		}
	}
	facts := make([]*accFact, 0, len(fb.acc.facts))
	for _, f := range fb.acc.facts {
		facts = append(facts, f)
	}
	slices.SortFunc(facts, func(a, b *accFact) int { return strings.Compare(a.f.ID, b.f.ID) })
	for _, f := range facts {
		if err := fb.cut.fact(f.f); err != nil {
			return err
		}
	}
	return fb.cut.flush()
}

// batchCutter cuts a stream of items into batches of max items.
type batchCutter struct {
	source string
	max    int
	cur    *graph.Batch
	emit   func(*graph.Batch) error
}

func (bc *batchCutter) batch() *graph.Batch {
	if bc.cur == nil {
		bc.cur = &graph.Batch{Source: bc.source}
	}
	return bc.cur
}

// full sends the current batch when it has max items.
func (bc *batchCutter) full() error {
	if bc.max > 0 && bc.cur.Len() >= bc.max {
		return bc.flush()
	}
	return nil
}

func (bc *batchCutter) segment(sg *graph.Segment) error {
	b := bc.batch()
	b.Segments = append(b.Segments, *sg)
	return bc.full()
}

func (bc *batchCutter) entity(e graph.Entity) error {
	b := bc.batch()
	b.Entities = append(b.Entities, e)
	return bc.full()
}

func (bc *batchCutter) fact(f graph.Fact) error {
	b := bc.batch()
	b.Facts = append(b.Facts, f)
	return bc.full()
}

// flush sends the current batch, if it has anything.
func (bc *batchCutter) flush() error {
	b := bc.cur
	bc.cur = nil
	if b == nil || b.Len() == 0 {
		return nil
	}
	return bc.emit(b)
}

// factAcc accumulates one file's contribution to facts. Contributions may
// come in any order: each carries the position in the file of what made it
// (a unit, or what follows the units), and what depends on order is
// decided by position: a fact's weight is its first contribution's, and
// its sample of units the first MaxSourceUnits in the file.
type factAcc struct {
	file  string
	facts map[factKey]*accFact
}

// accFact is a fact being accumulated.
type accFact struct {
	f       graph.Fact
	first   int64   // the position of its first contribution
	unitPos []int64 // the position of each of f.Sources[0].Units
}

// factKey identifies a fact without hashing (FactID is computed once per
// distinct fact, when it is first added).
type factKey struct{ subject, predicate, object, literal, lang string }

// add adds a contribution to the fact given by its parts: count more, from
// unit ("" for none) at position pos.
func (a *factAcc) add(subject, predicate, object, literal, lang string, status graph.Status, weight float64, count int, unit string, pos int64) {
	k := factKey{subject, predicate, object, literal, lang}
	af := a.facts[k]
	if af == nil {
		af = &accFact{f: graph.NewFact(subject, predicate, object, literal, lang, weight, a.file, count, ""), first: pos}
		af.f.Status = status
		a.facts[k] = af
		af.addUnit(unit, pos)
		return
	}
	af.f.Count += count
	af.f.Sources[0].Count += count
	if pos < af.first {
		af.first, af.f.Weight = pos, weight
	}
	if status.Rank() < af.f.Status.Rank() {
		af.f.Status = status
	}
	af.addUnit(unit, pos)
}

// addUnit keeps unit in the fact's sample if it is among the first
// MaxSourceUnits distinct units by position.
func (af *accFact) addUnit(unit string, pos int64) {
	if unit == "" {
		return
	}
	src := &af.f.Sources[0]
	if i := slices.Index(src.Units, unit); i >= 0 {
		if pos >= af.unitPos[i] {
			return
		}
		src.Units = slices.Delete(src.Units, i, i+1)
		af.unitPos = slices.Delete(af.unitPos, i, i+1)
	}
	if len(src.Units) == graph.MaxSourceUnits {
		if pos >= af.unitPos[len(af.unitPos)-1] {
			return
		}
		src.Units = src.Units[:len(src.Units)-1]
		af.unitPos = af.unitPos[:len(af.unitPos)-1]
	}
	i, _ := slices.BinarySearch(af.unitPos, pos)
	src.Units = slices.Insert(src.Units, i, unit)
	af.unitPos = slices.Insert(af.unitPos, i, pos)
}

// unitRecID is how provenance names a unit: its ID in the file, else its
// position.
func unitRecID(r *unitRec) string {
	if r.id != "" {
		return r.id
	}
	return "#" + strconv.Itoa(r.index+1)
}

// termStatus is the graph status of a term-base term.
func termStatus(s corpora.TermStatus) graph.Status {
	switch s {
	case corpora.TermPreferred:
		return graph.StatusPreferred
	case corpora.TermAdmitted:
		return graph.StatusAdmitted
	case corpora.TermDeprecated:
		return graph.StatusDeprecated
	}
	// A term base that gives no status still speaks with authority: its
	// translations are admitted, ranked below a preferred one and above
	// anything learned from parallel text.
	return graph.StatusAdmitted
}

// lessJoined reports whether a[0]+a[1] sorts before b[0]+b[1], without
// joining them.
func lessJoined(a, b [2]string) bool {
	if len(a[0]) == len(b[0]) {
		if a[0] != b[0] {
			return a[0] < b[0]
		}
		return a[1] < b[1]
	}
	at := func(p [2]string, i int) byte {
		if i < len(p[0]) {
			return p[0][i]
		}
		return p[1][i-len(p[0])]
	}
	n, m := len(a[0])+len(a[1]), len(b[0])+len(b[1])
	for i := 0; i < n && i < m; i++ {
		if ca, cb := at(a, i), at(b, i); ca != cb {
			return ca < cb
		}
	}
	return n < m
}
