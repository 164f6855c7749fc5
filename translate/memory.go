package translate

import (
	"context"
	"errors"
	"strings"
	"sync"

	"github.com/kgmem/kgmem/fusion"
	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/retrieval"
)

// FuzzyMatcher finds past translations; *retrieval.Index is one.
type FuzzyMatcher interface {
	Lookup(ctx context.Context, q retrieval.Query) ([]retrieval.Match, error)
}

// EntityFinder spots known entities in a sentence and expands them from the
// graph; *retrieval.Index is one.
type EntityFinder interface {
	Entities(ctx context.Context, g retrieval.GraphReader, text string, opts retrieval.ExpandOptions) ([]retrieval.Found, error)
}

// IndexMemory is the Memory of kgmem's search index and graph store.
// It is safe for concurrent use when its parts are.
type IndexMemory struct {
	matcher FuzzyMatcher
	finder  EntityFinder
	graph   retrieval.GraphReader
	// Limit is how many matches a lookup returns (retrieval's default if 0).
	Limit int
	// Spotter, when set, makes Terms spot entities with it and read only
	// their labels from the graph: much faster than expanding their facts
	// and neighbours, for models that do not use facts.
	Spotter func(lang string) Spotter

	entities sync.Map // entity ID → graph.Entity, for the life of the memory
}

// NewMemory returns the memory of an index (usually a *retrieval.Index,
// for both matcher and finder) over graph.
func NewMemory(matcher FuzzyMatcher, finder EntityFinder, graph retrieval.GraphReader) *IndexMemory {
	return &IndexMemory{matcher: matcher, finder: finder, graph: graph}
}

var _ Memory = (*IndexMemory)(nil)

// Matches looks q.Text up in the translation memory.
func (m *IndexMemory) Matches(ctx context.Context, q Query) ([]fusion.Match, error) {
	rq := retrieval.Query{Text: q.Text, SourceLang: q.SourceLang, TargetLang: q.TargetLang, Min: q.MinMatch, Limit: m.Limit}
	if q.Prev != "" || q.Next != "" {
		rq.Context = &retrieval.Context{Prev: q.Prev, Next: q.Next}
	}
	ms, err := m.matcher.Lookup(ctx, rq)
	if err != nil {
		return nil, err
	}
	out := make([]fusion.Match, len(ms))
	for i, x := range ms {
		out[i] = fusion.Match{Source: x.Source, Target: x.Target, Score: x.Score, Origin: x.Origin, ID: x.ID,
			Status: x.Status, Changed: x.Changed}
	}
	return out, nil
}

// Terms spots the known entities of q.Protected and returns their
// translations into q.TargetLang and their facts: one hop for the entity's
// own facts and its neighbours, two for the neighbours' neighbours.
func (m *IndexMemory) Terms(ctx context.Context, q Query) ([]fusion.TermCandidate, []fusion.Fact, error) {
	if m.Spotter != nil {
		return m.labels(ctx, q)
	}
	found, err := m.finder.Entities(ctx, m.graph, q.Protected, retrieval.ExpandOptions{
		SourceLang: q.SourceLang, TargetLang: q.TargetLang, Hops: 1, Facts: 3, Neighbours: 3,
	})
	if err != nil {
		return nil, nil, err
	}
	var terms []fusion.TermCandidate
	var facts []fusion.Fact
	for _, f := range found {
		if f.Pattern && len(f.Info) == 0 {
			continue // a placeholder or number: protected, not translated
		}
		span := fusion.Span{Start: f.Start, End: f.End}
		if f.Type == graph.TypePlaceholder || f.Type == graph.TypeNumber {
			continue
		}
		for _, e := range f.Info {
			if !sameCase(e.Label, f.Text) || !strings.EqualFold(e.Label, f.Text) {
				continue // "in" is not the SQL keyword IN; "notes" not "note"
			}
			for _, tr := range e.Translations {
				terms = append(terms, fusion.TermCandidate{
					Span: span, Source: f.Text, Target: tr.Text, EntityID: e.ID,
					Status: string(tr.Status), Count: tr.Count, Probability: tr.Probability,
				})
			}
			for _, fi := range e.Facts {
				facts = append(facts, fusion.Fact{EntityID: e.ID, Subject: e.Label, Predicate: fi.Predicate,
					Object: fi.Value, Hops: 1, Weight: fi.Weight, Count: fi.Count})
			}
			for _, n := range e.Neighbours {
				facts = append(facts, fusion.Fact{EntityID: e.ID, Subject: e.Label, Predicate: n.Predicate,
					Object: n.Label, Hops: 1, Weight: n.Weight, Count: n.Count})
				for _, nn := range n.Neighbours {
					facts = append(facts, fusion.Fact{EntityID: n.ID, Subject: n.Label, Predicate: nn.Predicate,
						Object: nn.Label, Hops: 2, Weight: nn.Weight, Count: nn.Count})
				}
			}
		}
	}
	return terms, facts, nil
}

// sameCase reports whether a span of text may name an entity whose label
// is label: an acronym or code written in capitals (IN, NOT, PDF) is only
// spotted in capitals; other labels match in any case.
func sameCase(label, text string) bool {
	if strings.ToUpper(label) == label && strings.ToLower(label) != label && len([]rune(label)) > 1 {
		return strings.ToUpper(text) == text
	}
	return true
}

// labels spots the entities of q.Protected and returns their translations,
// without facts.
func (m *IndexMemory) labels(ctx context.Context, q Query) ([]fusion.TermCandidate, []fusion.Fact, error) {
	sp := m.Spotter(q.SourceLang)
	if sp == nil {
		return nil, nil, nil
	}
	var terms []fusion.TermCandidate
	for _, f := range sp.Spot(q.Protected) {
		if f.Type == graph.TypePlaceholder || f.Type == graph.TypeNumber || len(f.Entities) == 0 {
			continue
		}
		span := fusion.Span{Start: f.Start, End: f.End}
		for k, ref := range f.Entities {
			if k >= maxEntitiesPerSpan {
				break
			}
			if !sameCase(ref.Label, f.Text) || !strings.EqualFold(ref.Label, f.Text) {
				// An inflected form ("notes" for "note"): the label's
				// translation is the lemma's, not this form's.
				continue
			}
			e, err := m.entity(ctx, ref.ID)
			if err != nil {
				if errors.Is(err, graph.ErrNotFound) {
					continue
				}
				return nil, nil, err
			}
			for _, l := range e.Labels {
				if !graph.LangCovers(graph.BaseLang(q.TargetLang), l.Lang) || graph.LangCovers(graph.BaseLang(q.SourceLang), l.Lang) {
					continue
				}
				terms = append(terms, fusion.TermCandidate{Span: span, Source: f.Text, Target: l.Text, EntityID: e.ID,
					Status: string(l.Status), Count: l.Count, Probability: l.Weight})
			}
		}
	}
	return terms, nil, nil
}

// maxEntitiesPerSpan is how many of a span's entities (best first) are read.
const maxEntitiesPerSpan = 2

// entity reads an entity with its labels, once per memory: a translation
// run is short, and the same terms recur in most documents.
func (m *IndexMemory) entity(ctx context.Context, id string) (graph.Entity, error) {
	if e, ok := m.entities.Load(id); ok {
		return e.(graph.Entity), nil
	}
	e, err := m.graph.Entity(ctx, id)
	if err != nil {
		return e, err
	}
	m.entities.Store(id, e)
	return e, nil
}
