package translate

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kgmem/kgmem/analysis"
	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/graph/extract"
	"github.com/kgmem/kgmem/langtag"
	"github.com/kgmem/kgmem/plugins"
	"github.com/kgmem/kgmem/retrieval"
)

// Pair is an approved translation.
type Pair struct {
	Source, Target string
	// Origin says where the approval came from (a file, "cli").
	Origin string
}

// Spotter finds known entities in a sentence; *retrieval.Spotter is one.
type Spotter interface {
	Spot(text string) []retrieval.Span
}

// IndexSyncer brings a search index up to date with the store it is
// derived from; *retrieval.Index is one.
type IndexSyncer interface {
	CatchUp(ctx context.Context, store graph.Store) (retrieval.SyncSummary, error)
}

// SegmentSyncer is an IndexSyncer that can catch up with a write whose
// segments it is told, without reading the whole store; *retrieval.Index
// is one.
type SegmentSyncer interface {
	CatchUpSegments(ctx context.Context, store graph.Store, ids []string) (retrieval.SyncSummary, error)
}

// SpanAligner finds the part of a translation that translates a span of
// its source; *extract.Model (the word-alignment model build-graph keeps)
// is one.
type SpanAligner interface {
	AlignSpan(source, target string, start, end int) (extract.SpanTranslation, bool)
}

// minLearnedAlignment is the least extract.SpanTranslation.Score of a
// translation that learning takes from one pair.
const minLearnedAlignment = 0.2

// Learner makes approved translations part of the memory at once, without
// rebuilding anything: each call writes the pairs as segments of a source of
// their own, adds a count to the labels of the known terms the pairs
// translate as the graph already does, adds the translation a pair gives a
// known term in words the graph does not know yet (found by the alignment
// model, when there is one), makes a pair whose source is a known
// term the term's preferred translation (superseding the old one, which
// stays in history), brings the index up to date incrementally, and passes
// the pairs to the model when it learns.
type Learner struct {
	Store graph.Store
	// Index is caught up after writing; nil for none.
	Index IndexSyncer
	// Spotter returns the spotter of a language; nil spots nothing.
	Spotter func(lang string) Spotter
	// Aligner returns the word-alignment model of a language pair, nil
	// when there is none; a nil Aligner has none for any pair.
	Aligner func(sourceLang, targetLang string) SpanAligner
	// Model receives the pairs when it implements plugins.Learner; nil
	// for none.
	Model plugins.Learner
	// Now is the clock (time.Now if nil).
	Now func() time.Time
	// Forget is told after each Learn, so that memories that cache what
	// they read from the graph (an *IndexMemory) see what was learned.
	Forget []Forgetter
}

// Forgetter drops what it cached about the graph; *IndexMemory is one.
type Forgetter interface{ Forget() }

// LearnSummary counts what Learn did.
type LearnSummary struct {
	Source     string `json:"source"` // the graph source the pairs were written as
	SourceLang string `json:"source_lang"`
	TargetLang string `json:"target_lang"`
	Pairs      int    `json:"pairs"`
	Segments   int    `json:"segments"`
	Labels     int    `json:"labels_counted"`
	// Aligned counts the labels among them that are translations the
	// graph did not know, found by the alignment model.
	Aligned    int `json:"labels_aligned"`
	Superseded int `json:"superseded"`
	// Contested counts the pairs whose whole source is a known term and
	// whose target differs from a translation the memory has settled on
	// (minSettled uses or more): counted as one more translation of the
	// term, not made its preferred one. A term decision is
	// memory.SetTerm's (the server's POST /api/v1/terms).
	Contested int                    `json:"contested"`
	Index     *retrieval.SyncSummary `json:"index,omitempty"`
	// ModelAccepted is how many pairs the model took in; -1 when it does
	// not learn.
	ModelAccepted int `json:"model_accepted"`
	// Skipped counts the units of the files read that were not learned,
	// by status (untranslated, draft, machine…).
	Skipped map[string]int `json:"skipped,omitempty"`
}

// Learn teaches the memory pairs translated from sourceLang to targetLang.
func (l *Learner) Learn(ctx context.Context, sourceLang, targetLang string, pairs []Pair) (LearnSummary, error) {
	now := time.Now
	if l.Now != nil {
		now = l.Now
	}
	t := now().UTC()
	name, digest := learnSource(pairs, t)
	sum := LearnSummary{Source: name, SourceLang: sourceLang, TargetLang: targetLang, Pairs: len(pairs), ModelAccepted: -1}
	if len(pairs) == 0 {
		return sum, nil
	}
	lb := l.newLearnBatch(name, sourceLang, targetLang, t, &sum)
	for i := range pairs {
		if err := ctx.Err(); err != nil {
			return sum, fmt.Errorf("learn: %w", err)
		}
		if err := lb.addPair(ctx, pairs, i); err != nil {
			return sum, err
		}
	}
	if err := l.write(ctx, lb, digest); err != nil {
		return sum, err
	}
	sum.Segments, sum.Labels = len(lb.b.Segments), len(lb.b.Facts)
	if err := l.catchUpIndex(ctx, lb.b.Segments, &sum); err != nil {
		return sum, err
	}
	for _, f := range l.Forget {
		f.Forget()
	}
	if err := l.teachModel(ctx, sourceLang, targetLang, pairs, &sum); err != nil {
		return sum, err
	}
	return sum, nil
}

// learnSource returns the name of the graph source one Learn call writes
// its pairs as (unique to the time and the pairs) and the pairs' digest.
func learnSource(pairs []Pair, t time.Time) (name, digest string) {
	h := sha256.New()
	for _, p := range pairs {
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00", p.Source, p.Target, p.Origin)
	}
	digest = hex.EncodeToString(h.Sum(nil))[:16]
	return "learn:" + t.Format("20060102T150405.000000000Z") + ":" + digest, digest
}

// supersession is a write that makes next a term's preferred translation:
// superseding the fact old, or a new label when old is "".
type supersession struct {
	old  string
	next graph.Fact
}

// learnBatch is what one Learn call writes: the pairs' segments and the
// label counts in one batch, and the supersessions written after it.
type learnBatch struct {
	l                      *Learner
	name                   string // the graph source
	sourceLang, targetLang string
	t                      time.Time
	spot                   Spotter     // nil spots nothing
	align                  SpanAligner // nil aligns nothing
	b                      *graph.Batch
	labels                 map[string]int // fact index in b.Facts by ID
	supersedes             []supersession
	sum                    *LearnSummary
}

func (l *Learner) newLearnBatch(name, sourceLang, targetLang string, t time.Time, sum *LearnSummary) *learnBatch {
	lb := &learnBatch{l: l, name: name, sourceLang: sourceLang, targetLang: targetLang, t: t,
		b: &graph.Batch{Source: name}, labels: map[string]int{}, sum: sum}
	if l.Spotter != nil {
		lb.spot = l.Spotter(sourceLang)
	}
	if l.Aligner != nil {
		lb.align = l.Aligner(sourceLang, targetLang)
	}
	return lb
}

// count adds a label fact to the batch, or a count to the one already
// there; it reports whether the fact is new to the batch.
func (lb *learnBatch) count(f graph.Fact) bool {
	if k, ok := lb.labels[f.ID]; ok {
		lb.b.Facts[k].Sources[0].Count++
		return false
	}
	lb.labels[f.ID] = len(lb.b.Facts)
	lb.b.Facts = append(lb.b.Facts, f)
	return true
}

// addPair adds pairs[i] to the batch: its segment, the preferred
// translation it makes of a known term, and the term translations it
// confirms or teaches.
func (lb *learnBatch) addPair(ctx context.Context, pairs []Pair, i int) error {
	p := pairs[i]
	p.Source, p.Target = strings.TrimSpace(p.Source), strings.TrimSpace(p.Target)
	if p.Source == "" || p.Target == "" {
		return nil
	}
	// Unit IDs as graph/extract names units without one: the
	// origin of the segment is then name#1, name#2, …
	unit := "#" + strconv.Itoa(i+1)
	seg := graph.Segment{
		ID: graph.SegmentID(lb.sourceLang, lb.targetLang, p.Source, p.Target), SourceLang: lb.sourceLang, TargetLang: lb.targetLang,
		Source: p.Source, Target: p.Target, Status: "approved", Changed: lb.t,
		Sources: []graph.Source{{File: lb.name, Count: 1, Units: []string{unit}, Origin: p.Origin}},
	}
	if i > 0 {
		seg.Prev = pairs[i-1].Source
	}
	if i+1 < len(pairs) {
		seg.Next = pairs[i+1].Source
	}
	if err := lb.preferWholeSource(ctx, p, unit); err != nil {
		return err
	}
	if err := lb.countTerms(ctx, p, unit, &seg); err != nil {
		return err
	}
	lb.b.Segments = append(lb.b.Segments, seg)
	return nil
}

// minSettled is how many uses make a translation the memory's settled
// translation of a term: one approved pair of a bare term does not
// overturn it ("Lines" → "Renglones" in one catalogue against "líneas" in
// hundreds), while a term base's decision, or a translation seen once or
// twice, gives way to the approval at once.
const minSettled = 3

// preferWholeSource makes p.Target the preferred translation of the known
// terms p.Source is the whole of, unless the memory has settled on another
// one. A source in capitals names something else than a term written in
// lower case (SEARCH, a spreadsheet function, is not the term "search").
func (lb *learnBatch) preferWholeSource(ctx context.Context, p Pair, unit string) error {
	ents, err := lb.l.Store.EntitiesByLabel(ctx, p.Source, lb.sourceLang, true)
	if err != nil {
		if errors.Is(err, graph.ErrNotFound) {
			return nil
		}
		return fmt.Errorf("look up %q: %w", p.Source, err)
	}
	for _, e := range ents {
		if analysis.AllCaps(p.Source) && !slices.ContainsFunc(e.Labels, func(l graph.Label) bool { return l.Text == p.Source }) {
			continue
		}
		s, err := lb.l.prefer(ctx, e, termCase(e, lb.sourceLang, p), lb.targetLang, lb.name, unit, lb.t)
		switch {
		case errors.Is(err, errSettled):
			lb.sum.Contested++
		case err != nil:
			return err
		case s != nil:
			lb.supersedes = append(lb.supersedes, *s)
		}
	}
	return nil
}

// termCase returns p.Target as the translation of the term e is: with its
// first letter in lower case when p.Source is capitalised only because a
// label starts with it ("Degrees" → "Grados" for the term "degrees"), so
// that the term's translation is not capitalised inside a sentence.
func termCase(e graph.Entity, sourceLang string, p Pair) string {
	lower := false
	for _, l := range e.Labels {
		if !langtag.Covers(langtag.Base(sourceLang), l.Lang) || !strings.EqualFold(l.Text, p.Source) {
			continue
		}
		if l.Text == p.Source {
			return p.Target // the term is written so: a name, an acronym
		}
		lower = lower || analysis.LowerFirst(p.Source) == l.Text
	}
	if lower {
		return analysis.LowerFirst(p.Target)
	}
	return p.Target
}

// countTerms counts the translations of the known terms of p.Source that
// p.Target confirms, and adds the ones it teaches, recording the mentions
// in seg.
func (lb *learnBatch) countTerms(ctx context.Context, p Pair, unit string, seg *graph.Segment) error {
	if lb.spot == nil {
		return nil
	}
	for _, sp := range lb.spot.Spot(p.Source) {
		for _, ref := range sp.Entities {
			e, err := lb.l.Store.Entity(ctx, ref.ID)
			if errors.Is(err, graph.ErrNotFound) {
				continue // deleted since the spotter was built
			}
			if err != nil {
				return fmt.Errorf("learn: read entity %s: %w", ref.ID, err)
			}
			seg.Mentions = append(seg.Mentions, graph.Mention{Entity: e.ID, Side: graph.SideSource, Start: sp.Start, End: sp.End})
			if !lb.countKnown(e, p, unit) {
				lb.alignNew(e, p, sp, unit, seg)
			}
			break // the best entity of the span
		}
	}
	return nil
}

// countKnown adds a count to each translation of e that p.Target uses,
// and reports whether it uses one (a deprecated one too: not learned
// anew, nor counted).
func (lb *learnBatch) countKnown(e graph.Entity, p Pair, unit string) bool {
	known := false
	for _, lab := range e.Labels {
		if !langtag.Covers(lb.targetLang, lab.Lang) && !langtag.Covers(langtag.Base(lb.targetLang), lab.Lang) {
			continue
		}
		if !containsWord(p.Target, lab.Text) {
			continue
		}
		known = true
		if lab.Status == graph.StatusDeprecated {
			continue
		}
		lb.count(graph.NewLabel(e.ID, lab.Text, lab.Lang, lab.Status, lab.Weight, lb.name, 1, unit))
	}
	return known
}

// alignNew adds the translation the alignment model finds for the span sp
// of p.Source as a new label of e, with its mention in seg.
func (lb *learnBatch) alignNew(e graph.Entity, p Pair, sp retrieval.Span, unit string, seg *graph.Segment) {
	if lb.align == nil {
		return
	}
	st, ok := lb.align.AlignSpan(p.Source, p.Target, sp.Start, sp.End)
	if !ok || st.Score < minLearnedAlignment {
		return
	}
	text := st.Text
	if st.Start == 0 && e.Type == graph.TypeTerm {
		text = analysis.LowerFirst(text) // as a sentence starts, not as the term is written
	}
	if lb.count(graph.NewLabel(e.ID, text, lb.targetLang, graph.StatusNone, st.Score, lb.name, 1, unit)) {
		lb.sum.Aligned++
	}
	seg.Mentions = append(seg.Mentions, graph.Mention{Entity: e.ID, Side: graph.SideTarget, Start: st.Start, End: st.End})
}

// write writes the batch, then the supersessions, between a source state
// that says the source is incomplete and one that says it is complete.
func (l *Learner) write(ctx context.Context, lb *learnBatch, digest string) error {
	state := graph.SourceState{File: lb.name, Hash: digest, Units: len(lb.b.Segments), Updated: lb.t}
	if err := l.Store.SetSourceState(ctx, state); err != nil {
		return fmt.Errorf("learn: %w", err)
	}
	if err := l.Store.Upsert(ctx, lb.b); err != nil {
		return fmt.Errorf("learn: write %d pairs: %w", len(lb.b.Segments), err)
	}
	for _, s := range lb.supersedes {
		var err error
		if s.old == "" {
			err = l.Store.Upsert(ctx, &graph.Batch{Source: lb.name, Facts: []graph.Fact{s.next}})
		} else {
			err = l.Store.Supersede(ctx, s.old, s.next, lb.name)
		}
		if err != nil {
			return fmt.Errorf("learn: supersede a translation: %w", err)
		}
		if s.old != "" {
			lb.sum.Superseded++
		}
	}
	state.Complete = true
	if err := l.Store.SetSourceState(ctx, state); err != nil {
		return fmt.Errorf("learn: %w", err)
	}
	return nil
}

// catchUpIndex brings the index up to date with the segments written.
func (l *Learner) catchUpIndex(ctx context.Context, segs []graph.Segment, sum *LearnSummary) error {
	if l.Index == nil {
		return nil
	}
	catchUp := l.Index.CatchUp
	if x, ok := l.Index.(SegmentSyncer); ok {
		// Index only what was written, not the whole store again.
		ids := make([]string, len(segs))
		for i := range segs {
			ids[i] = segs[i].ID
		}
		catchUp = func(ctx context.Context, store graph.Store) (retrieval.SyncSummary, error) {
			return x.CatchUpSegments(ctx, store, ids)
		}
	}
	s, err := catchUp(ctx, l.Store)
	if err != nil {
		return fmt.Errorf("learn: update the search index: %w", err)
	}
	sum.Index = &s
	return nil
}

// teachModel passes the pairs to the model, when it learns.
func (l *Learner) teachModel(ctx context.Context, sourceLang, targetLang string, pairs []Pair, sum *LearnSummary) error {
	if l.Model == nil {
		return nil
	}
	req := &plugins.LearnRequest{SourceLang: sourceLang, TargetLang: targetLang}
	for _, p := range pairs {
		req.Pairs = append(req.Pairs, plugins.TranslationPair{Source: p.Source, Target: p.Target, Origin: p.Origin})
	}
	resp, err := l.Model.Learn(ctx, req)
	switch {
	case errors.Is(err, plugins.ErrUnimplemented):
	case err != nil:
		return fmt.Errorf("learn: model: %w", err)
	default:
		sum.ModelAccepted = resp.Accepted
	}
	return nil
}

// errSettled says that a term's best translation is one the memory has
// settled on and not a term base's: an approval of another does not
// supersede it.
var errSettled = errors.New("the memory has settled on another translation")

// prefer returns the write that makes target the preferred translation of
// e: superseding the current best label in the target language when it
// differs, or a new label when there is none. It returns nil when target
// is already the preferred translation or the best label, without a
// status, is target (up to case), and errSettled when the best label
// differs from target, has no status and was seen minSettled times or
// more.
func (l *Learner) prefer(ctx context.Context, e graph.Entity, target, targetLang, source, unit string, t time.Time) (*supersession, error) {
	facts, err := l.Store.Facts(ctx, e.ID, graph.FactQuery{Predicate: graph.PredLabel, Lang: langtag.Base(targetLang)})
	if err != nil {
		return nil, fmt.Errorf("learn: read the translations of %s: %w", e.Key, err)
	}
	var best *graph.Fact
	for i := range facts {
		f := &facts[i]
		if f.Status == graph.StatusDeprecated {
			continue
		}
		if best == nil || f.Status.Rank() < best.Status.Rank() ||
			(f.Status.Rank() == best.Status.Rank() && f.Count > best.Count) {
			best = f
		}
	}
	if best != nil && best.Literal == target && best.Status == graph.StatusPreferred {
		return nil, nil
	}
	if best != nil && best.Status == graph.StatusNone {
		switch {
		case strings.EqualFold(best.Literal, target):
			// The memory's own translation, confirmed: one more use
			// (countTerms counts it), not a term base's decision, which
			// would make it required in every sentence ("Export" →
			// "Exportar" as a menu item, "exportación" in "Export
			// Preview").
			return nil, nil
		case best.Count >= minSettled:
			return nil, errSettled
		}
	}
	next := graph.NewLabel(e.ID, target, targetLang, graph.StatusPreferred, 1, source, 1, unit)
	next.ValidFrom = t
	out := &supersession{next: next}
	if best != nil && best.ID != next.ID {
		out.old = best.ID
	}
	return out, nil
}
