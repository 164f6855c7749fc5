package retrieval

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/blevesearch/bleve/v2"

	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/langtag"
)

// GraphReader is what expanding an entity reads from the graph; every
// graph.Store has it.
type GraphReader interface {
	Entity(ctx context.Context, id string) (graph.Entity, error)
	Facts(ctx context.Context, entity string, q graph.FactQuery) ([]graph.Fact, error)
	Neighbours(ctx context.Context, entity string, limit int) ([]graph.Neighbour, error)
}

// ExpandOptions say how much of the graph around an entity to fetch.
type ExpandOptions struct {
	// SourceLang is the language of the text the entity was found in.
	SourceLang string
	// TargetLang selects the translations; "" keeps every language but the
	// source language.
	TargetLang string
	// Hops is how far neighbours are followed: 1 (the default) or 2.
	Hops int
	// Facts and Neighbours cap how many of each are returned per entity
	// (per hop for neighbours); 0 means 5.
	Facts, Neighbours int
	// Nested finds, for Entities, the entities inside a longer one's span
	// too (Spotter.SpotNested).
	Nested bool
}

func (o ExpandOptions) withDefaults() ExpandOptions {
	if o.Hops <= 0 {
		o.Hops = 1
	}
	if o.Hops > 2 {
		o.Hops = 2
	}
	if o.Facts <= 0 {
		o.Facts = 5
	}
	if o.Neighbours <= 0 {
		o.Neighbours = 5
	}
	return o
}

// EntityInfo is what the graph knows of an entity, for a translator or a
// model: its translations, facts and neighbours.
type EntityInfo struct {
	ID           string           `json:"id"`
	Type         graph.EntityType `json:"type"`
	Key          string           `json:"key"`
	Label        string           `json:"label"` // its name in the source language
	Translations []Translation    `json:"translations"`
	Facts        []FactInfo       `json:"facts"`
	Neighbours   []NeighbourInfo  `json:"neighbours"`
}

// Translation is a label of an entity in the target language.
type Translation struct {
	Text   string       `json:"text"`
	Lang   string       `json:"lang"`
	Status graph.Status `json:"status,omitempty"`
	Count  int          `json:"count"`
	// Probability is the alignment probability (the label's weight).
	Probability float64 `json:"probability"`
}

// FactInfo is a literal fact: a definition, a part of speech…
type FactInfo struct {
	Predicate string  `json:"predicate"`
	Value     string  `json:"value"`
	Lang      string  `json:"lang,omitempty"`
	Weight    float64 `json:"weight"`
	Count     int     `json:"count"`
}

// NeighbourInfo is an entity linked to another by a fact.
type NeighbourInfo struct {
	ID        string           `json:"id"`
	Type      graph.EntityType `json:"type"`
	Label     string           `json:"label"`
	Predicate string           `json:"predicate"`
	// Incoming is true when the neighbour is the fact's subject (it points
	// at the entity) rather than its object.
	Incoming bool    `json:"incoming,omitempty"`
	Weight   float64 `json:"weight"`
	Count    int     `json:"count"`
	// Neighbours are the neighbour's own neighbours, with Hops 2.
	Neighbours []NeighbourInfo `json:"neighbours,omitempty"`
}

// Expand reads what the graph knows of an entity.
func Expand(ctx context.Context, g GraphReader, id string, opts ExpandOptions) (EntityInfo, error) {
	opts = opts.withDefaults()
	e, err := g.Entity(ctx, id)
	if err != nil {
		return EntityInfo{}, fmt.Errorf("read entity %s: %w", id, err)
	}
	info := EntityInfo{ID: e.ID, Type: e.Type, Key: e.Key, Label: labelIn(e, opts.SourceLang),
		Translations: translationsOf(e.Labels, opts.SourceLang, opts.TargetLang), Facts: []FactInfo{}}
	facts, err := g.Facts(ctx, id, graph.FactQuery{})
	if err != nil {
		return info, fmt.Errorf("read facts of %s: %w", id, err)
	}
	for _, f := range facts {
		if f.Predicate == graph.PredLabel || f.Object != "" || len(info.Facts) >= opts.Facts {
			continue
		}
		if f.Lang != "" && !langtag.Covers(langtag.Base(opts.SourceLang), f.Lang) &&
			(opts.TargetLang == "" || !langtag.Covers(langtag.Base(opts.TargetLang), f.Lang)) {
			continue
		}
		info.Facts = append(info.Facts, FactInfo{Predicate: f.Predicate, Value: f.Literal, Lang: f.Lang, Weight: f.Weight, Count: f.Count})
	}
	info.Neighbours, err = neighbours(ctx, g, id, "", opts, opts.Hops)
	return info, err
}

func neighbours(ctx context.Context, g GraphReader, id, from string, opts ExpandOptions, hops int) ([]NeighbourInfo, error) {
	ns, err := g.Neighbours(ctx, id, opts.Neighbours+1)
	if err != nil {
		return nil, fmt.Errorf("read neighbours of %s: %w", id, err)
	}
	out := []NeighbourInfo{}
	for _, n := range ns {
		if n.Entity.ID == from || len(out) >= opts.Neighbours {
			continue
		}
		ni := NeighbourInfo{ID: n.Entity.ID, Type: n.Entity.Type, Label: labelIn(n.Entity, opts.SourceLang),
			Predicate: n.Fact.Predicate, Incoming: n.Fact.Object == id, Weight: n.Fact.Weight, Count: n.Fact.Count}
		if hops > 1 {
			if ni.Neighbours, err = neighbours(ctx, g, n.Entity.ID, id, opts, hops-1); err != nil {
				return nil, err
			}
		}
		out = append(out, ni)
	}
	return out, nil
}

// labelIn returns the entity's best label in lang, or its key.
func labelIn(e graph.Entity, lang string) string {
	base := langtag.Base(lang)
	best := -1
	for i, l := range e.Labels {
		if langtag.Base(l.Lang) != base {
			continue
		}
		if best < 0 || l.Status.Rank() < e.Labels[best].Status.Rank() ||
			l.Status.Rank() == e.Labels[best].Status.Rank() && l.Count > e.Labels[best].Count {
			best = i
		}
	}
	if best < 0 {
		return e.Key
	}
	return e.Labels[best].Text
}

// translationsOf merges an entity's labels in the target language by
// text (best status, summed counts, highest probability), best first:
// status, then count, then probability.
func translationsOf(labels []graph.Label, source, target string) []Translation {
	srcBase := langtag.Base(source)
	byText := map[string]int{}
	out := []Translation{}
	for _, l := range labels {
		if target != "" && !langtag.Covers(langtag.Base(target), l.Lang) {
			continue
		}
		if target == "" && langtag.Base(l.Lang) == srcBase {
			continue
		}
		k := langtag.Base(l.Lang) + "\x00" + l.Text
		i, ok := byText[k]
		if !ok {
			i = len(out)
			byText[k] = i
			out = append(out, Translation{Text: l.Text, Lang: l.Lang, Status: l.Status})
		}
		t := &out[i]
		t.Count += l.Count
		t.Probability = max(t.Probability, l.Weight)
		if l.Status.Rank() < t.Status.Rank() {
			t.Status = l.Status
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := &out[i], &out[j]
		if a.Status.Rank() != b.Status.Rank() {
			return a.Status.Rank() < b.Status.Rank()
		}
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return a.Probability > b.Probability
	})
	return out
}

// Spotter returns the spotting automaton of a language, building it on
// first use from the index's entities. The building holds no lock: lookups
// and writes go on meanwhile; a spotter built from a table a write has
// replaced since is used once and not kept.
func (x *Index) Spotter(lang string) *Spotter {
	base := langtag.Base(lang)
	x.mu.RLock()
	sp, table := x.spot[base], x.table
	x.mu.RUnlock()
	if sp != nil {
		return sp
	}
	sp = newSpotter(base, table)
	x.mu.Lock()
	defer x.mu.Unlock()
	if kept := x.spot[base]; kept != nil && x.table == table {
		return kept
	}
	if x.table == table {
		x.spot[base] = sp
	}
	return sp
}

// Found is a span of a sentence and what the graph knows of each entity
// it names.
type Found struct {
	Span
	Info []EntityInfo `json:"info"`
}

// Entities spots the known entities and patterns of text (in
// opts.SourceLang) and expands each entity the spans name from the graph.
func (x *Index) Entities(ctx context.Context, g GraphReader, text string, opts ExpandOptions) ([]Found, error) {
	sp := x.Spotter(opts.SourceLang)
	spans := sp.Spot
	if opts.Nested {
		spans = sp.SpotNested
	}
	return x.expandSpans(ctx, g, spans(text), opts)
}

// expandSpans expands the entities of each span.
func (x *Index) expandSpans(ctx context.Context, g GraphReader, spans []Span, opts ExpandOptions) ([]Found, error) {
	out := make([]Found, 0, len(spans))
	for _, s := range spans {
		f := Found{Span: s, Info: []EntityInfo{}}
		for _, e := range s.Entities {
			info, err := Expand(ctx, g, e.ID, opts)
			if err != nil {
				return nil, err
			}
			f.Info = append(f.Info, info)
		}
		out = append(out, f)
	}
	return out, nil
}

// NameMatch is an entity found by name.
type NameMatch struct {
	EntityRef
	Score float64 `json:"score"` // Bleve's relevance; higher is closer
}

// Names finds entities whose label in lang is like text: the same text
// ignoring case, the same stems, or words within one or two edits
// (misspellings), best first.
func (x *Index) Names(ctx context.Context, text, lang string, limit int) ([]NameMatch, error) {
	if limit <= 0 {
		limit = 10
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.ents == nil || text == "" {
		return nil, nil
	}
	fl := fieldLang(lang)
	exact := bleve.NewTermQuery(graph.Fold(text))
	exact.SetField(fExact + fl)
	exact.SetBoost(10)
	stems := bleve.NewMatchQuery(text)
	stems.SetField(fLabel + fl)
	stems.SetOperator(1) // and
	stems.SetBoost(3)
	fuzzy := bleve.NewMatchQuery(text)
	fuzzy.SetField(fName + fl)
	fuzzy.SetFuzziness(fuzzinessFor(text))
	fuzzy.SetOperator(1)
	req := bleve.NewSearchRequestOptions(bleve.NewDisjunctionQuery(exact, stems, fuzzy), limit, 0, false)
	req.Fields = []string{fData}
	res, err := x.ents.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search the entity index: %w", err)
	}
	out := make([]NameMatch, 0, len(res.Hits))
	for _, h := range res.Hits {
		data, _ := h.Fields[fData].(string)
		var d struct {
			Type   graph.EntityType `json:"type"`
			Key    string           `json:"key"`
			Labels []graph.Label    `json:"labels"`
		}
		if err := json.Unmarshal([]byte(data), &d); err != nil {
			return nil, fmt.Errorf("search the entity index: document %s is damaged: %w", h.ID, err)
		}
		e := graph.Entity{ID: h.ID, Type: d.Type, Key: d.Key, Labels: d.Labels}
		out = append(out, NameMatch{EntityRef: EntityRef{ID: h.ID, Type: d.Type, Label: labelIn(e, lang)}, Score: h.Score})
	}
	return out, nil
}

// fuzzinessFor allows one edit per word up to six letters, two beyond.
func fuzzinessFor(text string) int {
	longest, n := 0, 0
	for _, r := range text {
		if r == ' ' {
			n = 0
			continue
		}
		n++
		longest = max(longest, n)
	}
	if longest > 6 {
		return 2
	}
	return 1
}
