package translate

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
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
	Source   string `json:"source"` // the graph source the pairs were written as
	Pairs    int    `json:"pairs"`
	Segments int    `json:"segments"`
	Labels   int    `json:"labels_counted"`
	// Aligned counts the labels among them that are translations the
	// graph did not know, found by the alignment model.
	Aligned    int                    `json:"labels_aligned"`
	Superseded int                    `json:"superseded"`
	Index      *retrieval.SyncSummary `json:"index,omitempty"`
	// ModelAccepted is how many pairs the model took in; -1 when it does
	// not learn.
	ModelAccepted int `json:"model_accepted"`
}

// Learn teaches the memory pairs translated from sourceLang to targetLang.
func (l *Learner) Learn(ctx context.Context, sourceLang, targetLang string, pairs []Pair) (LearnSummary, error) {
	now := time.Now
	if l.Now != nil {
		now = l.Now
	}
	t := now().UTC()
	h := sha256.New()
	for _, p := range pairs {
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00", p.Source, p.Target, p.Origin)
	}
	digest := hex.EncodeToString(h.Sum(nil))[:16]
	name := "learn:" + t.Format("20060102T150405.000000000Z") + ":" + digest
	sum := LearnSummary{Source: name, Pairs: len(pairs), ModelAccepted: -1}
	if len(pairs) == 0 {
		return sum, nil
	}
	b := &graph.Batch{Source: name}
	var spot Spotter
	if l.Spotter != nil {
		spot = l.Spotter(sourceLang)
	}
	var align SpanAligner
	if l.Aligner != nil {
		align = l.Aligner(sourceLang, targetLang)
	}
	type supersede struct {
		old  string
		next graph.Fact
	}
	var supersedes []supersede
	labels := map[string]int{} // fact index in b.Facts by ID
	// count adds a label fact to the batch, or a count to the one already
	// there; it reports whether the fact is new to the batch.
	count := func(f graph.Fact) bool {
		if k, ok := labels[f.ID]; ok {
			b.Facts[k].Sources[0].Count++
			return false
		}
		labels[f.ID] = len(b.Facts)
		b.Facts = append(b.Facts, f)
		return true
	}
	for i, p := range pairs {
		if err := ctx.Err(); err != nil {
			return sum, fmt.Errorf("learn: %w", err)
		}
		p.Source, p.Target = strings.TrimSpace(p.Source), strings.TrimSpace(p.Target)
		if p.Source == "" || p.Target == "" {
			continue
		}
		// Unit IDs as graph/extract names units without one: the
		// origin of the segment is then name#1, name#2, …
		unit := "#" + strconv.Itoa(i+1)
		seg := graph.Segment{
			ID: graph.SegmentID(sourceLang, targetLang, p.Source, p.Target), SourceLang: sourceLang, TargetLang: targetLang,
			Source: p.Source, Target: p.Target, Status: "approved", Changed: t,
			Sources: []graph.Source{{File: name, Count: 1, Units: []string{unit}}},
		}
		if i > 0 {
			seg.Prev = pairs[i-1].Source
		}
		if i+1 < len(pairs) {
			seg.Next = pairs[i+1].Source
		}
		// The whole source a known term: its new preferred translation.
		if ents, err := l.Store.EntitiesByLabel(ctx, p.Source, sourceLang, true); err == nil && len(ents) > 0 {
			for _, e := range ents {
				s, err := l.prefer(ctx, e, p.Target, targetLang, name, unit, t)
				if err != nil {
					return sum, err
				}
				if s != nil {
					supersedes = append(supersedes, supersede{s.old, s.next})
				}
			}
		} else if err != nil && !errors.Is(err, graph.ErrNotFound) {
			return sum, fmt.Errorf("look up %q: %w", p.Source, err)
		}
		// The known terms of the sentence: count the translations the
		// pair confirms.
		if spot != nil {
			for _, sp := range spot.Spot(p.Source) {
				for _, ref := range sp.Entities {
					e, err := l.Store.Entity(ctx, ref.ID)
					if errors.Is(err, graph.ErrNotFound) {
						continue // deleted since the spotter was built
					}
					if err != nil {
						return sum, fmt.Errorf("learn: read entity %s: %w", ref.ID, err)
					}
					seg.Mentions = append(seg.Mentions, graph.Mention{Entity: e.ID, Side: graph.SideSource, Start: sp.Start, End: sp.End})
					known := false
					for _, lab := range e.Labels {
						if !langtag.Covers(targetLang, lab.Lang) && !langtag.Covers(langtag.Base(targetLang), lab.Lang) {
							continue
						}
						if !containsWord(p.Target, lab.Text) {
							continue
						}
						known = true // a deprecated one too: not learned anew
						if lab.Status == graph.StatusDeprecated {
							continue
						}
						count(graph.NewLabel(e.ID, lab.Text, lab.Lang, lab.Status, lab.Weight, name, 1, unit))
					}
					if !known && align != nil {
						if st, ok := align.AlignSpan(p.Source, p.Target, sp.Start, sp.End); ok && st.Score >= minLearnedAlignment {
							text := st.Text
							if st.Start == 0 && e.Type == graph.TypeTerm {
								text = analysis.LowerFirst(text) // as a sentence starts, not as the term is written
							}
							if count(graph.NewLabel(e.ID, text, targetLang, graph.StatusNone, st.Score, name, 1, unit)) {
								sum.Aligned++
							}
							seg.Mentions = append(seg.Mentions, graph.Mention{Entity: e.ID, Side: graph.SideTarget, Start: st.Start, End: st.End})
						}
					}
					break // the best entity of the span
				}
			}
		}
		b.Segments = append(b.Segments, seg)
	}
	if err := l.Store.SetSourceState(ctx, graph.SourceState{File: name, Hash: digest, Units: len(b.Segments), Updated: t}); err != nil {
		return sum, fmt.Errorf("learn: %w", err)
	}
	if err := l.Store.Upsert(ctx, b); err != nil {
		return sum, fmt.Errorf("learn: write %d pairs: %w", len(b.Segments), err)
	}
	for _, s := range supersedes {
		var err error
		if s.old == "" {
			err = l.Store.Upsert(ctx, &graph.Batch{Source: name, Facts: []graph.Fact{s.next}})
		} else {
			err = l.Store.Supersede(ctx, s.old, s.next, name)
		}
		if err != nil {
			return sum, fmt.Errorf("learn: supersede a translation: %w", err)
		}
		if s.old != "" {
			sum.Superseded++
		}
	}
	if err := l.Store.SetSourceState(ctx, graph.SourceState{File: name, Hash: digest, Units: len(b.Segments), Complete: true, Updated: t}); err != nil {
		return sum, fmt.Errorf("learn: %w", err)
	}
	sum.Segments, sum.Labels = len(b.Segments), len(b.Facts)
	if l.Index != nil {
		catchUp := l.Index.CatchUp
		if x, ok := l.Index.(SegmentSyncer); ok {
			// Index only what was written, not the whole store again.
			ids := make([]string, len(b.Segments))
			for i := range b.Segments {
				ids[i] = b.Segments[i].ID
			}
			catchUp = func(ctx context.Context, store graph.Store) (retrieval.SyncSummary, error) {
				return x.CatchUpSegments(ctx, store, ids)
			}
		}
		s, err := catchUp(ctx, l.Store)
		if err != nil {
			return sum, fmt.Errorf("learn: update the search index: %w", err)
		}
		sum.Index = &s
	}
	for _, f := range l.Forget {
		f.Forget()
	}
	if l.Model != nil {
		req := &plugins.LearnRequest{SourceLang: sourceLang, TargetLang: targetLang}
		for _, p := range pairs {
			req.Pairs = append(req.Pairs, plugins.TranslationPair{Source: p.Source, Target: p.Target, Origin: p.Origin})
		}
		resp, err := l.Model.Learn(ctx, req)
		switch {
		case errors.Is(err, plugins.ErrUnimplemented):
		case err != nil:
			return sum, fmt.Errorf("learn: model: %w", err)
		default:
			sum.ModelAccepted = resp.Accepted
		}
	}
	return sum, nil
}

// prefer returns the write that makes target the preferred translation of
// e: superseding the current best label in the target language when it
// differs, or a new label when there is none. It returns nil when target
// is already the preferred translation.
func (l *Learner) prefer(ctx context.Context, e graph.Entity, target, targetLang, source, unit string, t time.Time) (*struct {
	old  string
	next graph.Fact
}, error) {
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
	next := graph.NewLabel(e.ID, target, targetLang, graph.StatusPreferred, 1, source, 1, unit)
	next.ValidFrom = t
	out := &struct {
		old  string
		next graph.Fact
	}{next: next}
	if best != nil && best.ID != next.ID {
		out.old = best.ID
	}
	return out, nil
}
