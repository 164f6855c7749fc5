package extract

import (
	"sort"
	"strconv"

	"github.com/kgmem/kgmem/analysis"
	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/langtag"
)

// factAcc accumulates one file's contribution to facts.
type factAcc struct {
	file  string
	facts map[factKey]*graph.Fact
	order []factKey
}

// factKey identifies a fact without hashing (FactID is computed once per
// distinct fact, when it is first added).
type factKey struct{ subject, predicate, object, literal, lang string }

// addNew adds a fact given by its parts.
func (a *factAcc) addNew(subject, predicate, object, literal, lang string, status graph.Status, weight float64, count int, unit string) {
	k := factKey{subject, predicate, object, literal, lang}
	if old, ok := a.facts[k]; ok {
		a.merge(old, status, count, unit)
		return
	}
	f := graph.NewFact(subject, predicate, object, literal, lang, weight, a.file, count, unit)
	f.Status = status
	a.facts[k] = &f
	a.order = append(a.order, k)
}

func (a *factAcc) merge(old *graph.Fact, status graph.Status, count int, unit string) {
	old.Count += count
	old.Sources[0].Count += count
	if unit != "" && len(old.Sources[0].Units) < graph.MaxSourceUnits && !contains(old.Sources[0].Units, unit) {
		old.Sources[0].Units = append(old.Sources[0].Units, unit)
	}
	if status.Rank() < old.Status.Rank() {
		old.Status = status
	}
}

func (a *factAcc) add(f graph.Fact, unit string) {
	k := factKey{f.Subject, f.Predicate, f.Object, f.Literal, f.Lang}
	if old, ok := a.facts[k]; ok {
		a.merge(old, f.Status, f.Count, unit)
		return
	}
	f.Sources = []graph.Source{{File: a.file, Count: f.Count}}
	if unit != "" {
		f.Sources[0].Units = []string{unit}
	}
	a.facts[k] = &f
	a.order = append(a.order, k)
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// unitID is how provenance names a unit: its ID in the file, else its
// position.
func unitID(u *corpora.Unit) string {
	if u.ID != "" {
		return u.ID
	}
	return "#" + strconv.Itoa(u.Origin.Index+1)
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

// Batches returns the graph writes that file contributes, in batches of
// about maxItems items (0: one batch): its entities, its segments with their
// mentions, and its facts, each fact carrying this file's count. Call after
// Train.
func (x *Extractor) Batches(file string, maxItems int) []*graph.Batch {
	fi, ok := x.fileIdx[file]
	if !ok {
		return nil
	}
	acc := &factAcc{file: file, facts: map[factKey]*graph.Fact{}}
	entities := map[string]graph.Entity{}
	entity := func(id string, t graph.EntityType, key string) {
		if _, ok := entities[id]; !ok {
			entities[id] = graph.Entity{ID: id, Type: t, Key: key}
		}
	}
	srcLang, tgtLang := x.srcLang, x.tgtLang
	segments := map[string]*graph.Segment{}
	var segOrder []string
	// Units of the file, in order, for neighbours.
	var recs []*unitRec
	for i := range x.units {
		if x.units[i].file == fi {
			recs = append(recs, &x.units[i])
		}
	}
	coocFile := map[[2]string]int{}
	occFile := map[*cand]int{}
	seen := map[string]bool{} // entities of the unit with their domain fact
	for ri, r := range recs {
		u := r.u
		src, tgt := u.Source.Plain(), u.Target.Plain()
		uid := unitID(u)
		sl, tl := srcLang, tgtLang
		if u.SourceLang.String() != "und" {
			sl = u.SourceLang.String()
		}
		if u.TargetLang.String() != "und" {
			tl = u.TargetLang.String()
		}
		id := graph.SegmentID(sl, tl, src, tgt)
		sg := segments[id]
		if sg == nil {
			sg = &graph.Segment{ID: id, SourceLang: sl, TargetLang: tl, Source: src, Target: tgt,
				Domain: u.Domain, Status: u.Status.String(), Changed: u.Changed,
				Sources: []graph.Source{{File: file}}}
			if sg.Changed.IsZero() {
				sg.Changed = u.Created
			}
			if ri > 0 {
				sg.Prev = recs[ri-1].u.Source.Plain()
			}
			if ri+1 < len(recs) {
				sg.Next = recs[ri+1].u.Source.Plain()
			}
			segments[id] = sg
			segOrder = append(segOrder, id)
		}
		sg.Sources[0].Count++
		if len(sg.Sources[0].Units) < graph.MaxSourceUnits {
			sg.Sources[0].Units = append(sg.Sources[0].Units, uid)
		}
		if sg.Sources[0].Count > 1 {
			continue // mentions and counts are per distinct unit text
		}
		clear(seen)
		for _, m := range r.ms {
			c := m.c
			entity(c.entity, c.typ, c.key)
			occFile[c]++
			sg.Mentions = append(sg.Mentions, graph.Mention{Entity: c.entity, Side: graph.SideSource, Start: m.start, End: m.end})
			surface := src[m.start:m.end]
			if c.typ == graph.TypeTerm {
				surface = analysis.LowerFirst(surface)
			}
			acc.addNew(c.entity, graph.PredLabel, "", surface, sl, graph.StatusNone, 1, 1, uid)
			if m.tStart >= 0 {
				for _, t := range c.kept {
					if t.key == m.tkey {
						acc.addNew(c.entity, graph.PredLabel, "", t.best, tl, graph.StatusNone, t.prob, 1, uid)
						sg.Mentions = append(sg.Mentions, graph.Mention{Entity: c.entity, Side: graph.SideTarget, Start: m.tStart, End: m.tEnd})
						break
					}
				}
			}
			if u.Domain != "" && !seen[c.entity] {
				did := graph.EntityID(graph.TypeDomain, u.Domain)
				entity(did, graph.TypeDomain, u.Domain)
				acc.addNew(c.entity, graph.PredDomain, did, "", "", graph.StatusNone, 1, 1, uid)
			}
			seen[c.entity] = true
		}
		ents := x.unitEntities(r)
		for i, a := range ents {
			for _, b := range ents[i+1:] {
				if _, ok := x.pmi[[2]string{a, b}]; ok {
					coocFile[[2]string{a, b}]++
				}
			}
		}
	}
	// Co-occurrence, weighted by corpus-wide PMI.
	pairs := make([][2]string, 0, len(coocFile))
	for p := range coocFile {
		pairs = append(pairs, p)
	}
	sort.Slice(pairs, func(i, j int) bool { return lessJoined(pairs[i], pairs[j]) })
	for _, p := range pairs {
		acc.add(graph.NewFact(p[0], graph.PredCooccurs, p[1], "", "", x.pmi[p], "", coocFile[p], ""), "")
	}
	// Sub-terms: a selected term inside a longer selected term.
	for c, n := range occFile {
		if c.words < 2 || c.typ == graph.TypePlaceholder {
			continue
		}
		for _, sub := range x.subterms(c) {
			if sub.entity == c.entity {
				continue
			}
			entity(sub.entity, sub.typ, sub.key)
			acc.add(graph.NewFact(sub.entity, graph.PredSubterm, c.entity, "", "", 1, "", n, ""), "")
		}
	}
	// Term-base concepts of this file.
	for _, tc := range x.concepts {
		if tc.file != fi {
			continue
		}
		x.conceptFacts(tc, acc, entity)
	}
	// Assemble, deterministically: entities, segments and facts, each in
	// ID order, cut into batches of maxItems.
	ids := make([]string, 0, len(entities))
	for id := range entities {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	// Segments and facts go in ID order, so that each batch holds one
	// range of IDs: a store keyed by ID (graph/embedded) then writes each
	// part of its tree in one transaction instead of in every one.
	sort.Strings(segOrder)
	facts := make([]*graph.Fact, len(acc.order))
	for i, k := range acc.order {
		facts[i] = acc.facts[k]
	}
	sort.Slice(facts, func(i, j int) bool { return facts[i].ID < facts[j].ID })
	// The items, entities then segments then facts, are cut into batches
	// of maxItems; each batch's slices are made to measure, since a file's
	// batches are all held until they are written.
	nEnt, nSeg := len(ids), len(segOrder)
	total := nEnt + nSeg + len(facts)
	size := total
	if maxItems > 0 {
		size = maxItems
	}
	nBatches := 1
	if total > 0 {
		nBatches = (total + size - 1) / size
	}
	out := make([]*graph.Batch, nBatches)
	for bi := range out {
		lo, hi := bi*size, min((bi+1)*size, total)
		b := &graph.Batch{Source: file}
		// span returns the part of [lo, hi) that falls in [from, to),
		// relative to from.
		span := func(from, to int) (int, int) {
			return min(max(lo, from), to) - from, max(min(hi, to), from) - from
		}
		if i, j := span(0, nEnt); i < j {
			b.Entities = make([]graph.Entity, j-i)
			for k := range b.Entities {
				b.Entities[k] = entities[ids[i+k]]
			}
		}
		if i, j := span(nEnt, nEnt+nSeg); i < j {
			b.Segments = make([]graph.Segment, j-i)
			for k := range b.Segments {
				b.Segments[k] = *segments[segOrder[i+k]]
			}
		}
		if i, j := span(nEnt+nSeg, total); i < j {
			b.Facts = make([]graph.Fact, j-i)
			for k := range b.Facts {
				b.Facts[k] = *facts[i+k]
			}
		}
		out[bi] = b
	}
	return out
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

// subterms returns the selected candidates whose words are a contiguous
// part of c's (found by key), shorter than c.
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

// conceptFacts writes a term-base concept: its entity, every term as a
// label with its status, and definitions, parts of speech and domain.
func (x *Extractor) conceptFacts(tc *tbConcept, acc *factAcc, entity func(string, graph.EntityType, string)) {
	e := tc.entry
	entity(tc.id, graph.TypeTerm, tc.key)
	uid := e.ID
	srcBase := langtag.Base(x.srcLang)
	for _, t := range e.Terms {
		lang := t.Lang.String()
		acc.add(graph.NewLabel(tc.id, t.Text, lang, termStatus(t.Status), 1, "", 1, ""), uid)
		if t.PartOfSpeech != "" && langtag.Base(lang) == srcBase {
			acc.add(graph.NewFact(tc.id, graph.PredPartOfSpeech, "", t.PartOfSpeech, "", 1, "", 1, ""), uid)
		}
		if t.Definition != "" {
			acc.add(graph.NewFact(tc.id, graph.PredDefinition, "", t.Definition, lang, 1, "", 1, ""), uid)
		}
	}
	if e.Definition != "" {
		acc.add(graph.NewFact(tc.id, graph.PredDefinition, "", e.Definition, srcBase, 1, "", 1, ""), uid)
	}
	if e.Domain != "" {
		did := graph.EntityID(graph.TypeDomain, e.Domain)
		entity(did, graph.TypeDomain, e.Domain)
		acc.add(graph.NewFact(tc.id, graph.PredDomain, did, "", "", 1, "", 1, ""), uid)
	}
}
