package memory

import (
	"context"
	"errors"
	"sort"

	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/retrieval"
)

// SearchTM returns the past translations most like q.Text, best first,
// scored as CAT tools score fuzzy matches. Without a source language, the
// memory's (SourceLang) is assumed.
func (m *Memory) SearchTM(ctx context.Context, q retrieval.Query) ([]retrieval.Match, error) {
	if q.SourceLang == "" {
		q.SourceLang = m.SourceLang()
	}
	ms, err := m.index.Lookup(ctx, q)
	if ms == nil && err == nil {
		ms = []retrieval.Match{}
	}
	return ms, err
}

// Concordance returns the segments whose source (or, with target, whose
// translation) holds the words of text, in the language lang.
func (m *Memory) Concordance(ctx context.Context, text, lang string, target bool, limit int) ([]retrieval.Match, error) {
	if lang == "" {
		lang = m.SourceLang()
	}
	ms, err := m.index.Concordance(ctx, text, lang, target, limit)
	if ms == nil && err == nil {
		ms = []retrieval.Match{}
	}
	return ms, err
}

// SearchEntities returns the known entities and terms of text, with their
// translations, facts and neighbours. Without a source language, the
// memory's (SourceLang) is assumed.
func (m *Memory) SearchEntities(ctx context.Context, text string, o retrieval.ExpandOptions) ([]retrieval.Found, error) {
	if o.SourceLang == "" {
		o.SourceLang = m.SourceLang()
	}
	found, err := m.index.Entities(ctx, m.store, text, o)
	if found == nil && err == nil {
		found = []retrieval.Found{}
	}
	return found, err
}

// SourceLang is the source language of the memory when it has only one,
// else "en": the language a search assumes when none is given.
func (m *Memory) SourceLang() string {
	st := m.index.Stats()
	if len(st.Pairs) == 1 {
		for l := range st.Pairs {
			return l
		}
	}
	return "en"
}

// EntityQuery selects the entities Entities shows.
type EntityQuery struct {
	// Label is looked up case-insensitively in Lang.
	Label, Lang string
	// TargetLang keeps translations in that language; "" keeps every
	// language but Lang.
	TargetLang string
	// Limit caps the facts and the neighbours shown per entity.
	Limit int
}

// EntityView is an entity as a person reads it: its labels, its
// translations best first, its literal facts and its neighbours.
type EntityView struct {
	Label        string           `json:"label"`
	Entity       string           `json:"entity"`
	Type         graph.EntityType `json:"type"`
	Key          string           `json:"key"`
	Labels       []graph.Label    `json:"labels"`
	Translations []Translation    `json:"translations"`
	Facts        []FactView       `json:"facts"`
	Neighbours   []FactView       `json:"neighbours"`
	// Engines is what the memory's pairs say of models translating the
	// entity: its translations each model missed and wrote
	// (Memory.LearnEngine).
	Engines []EngineView `json:"engines,omitempty"`
}

// EngineView is how often an engine missed and wrote one translation of
// an entity in the memory's pairs.
type EngineView struct {
	Engine string `json:"engine"` // the engine's key, "apertium:en>es"
	Target string `json:"target"`
	Lang   string `json:"lang"`
	Missed int    `json:"missed"`
	Agreed int    `json:"agreed"`
}

// Translation is one translation of an entity, its labels of one text
// merged.
type Translation struct {
	Text   string       `json:"text"`
	Lang   string       `json:"lang"`
	Score  float64      `json:"score"`
	Count  int          `json:"count"`
	Status graph.Status `json:"status"`
}

// FactView is a fact of an entity, or a link to a neighbour.
type FactView struct {
	// Predicate of the fact; "←" before it when the entity is its object.
	Predicate string  `json:"predicate"`
	Object    string  `json:"object,omitempty"`
	Label     string  `json:"label,omitempty"` // the object entity's label, or the literal
	Lang      string  `json:"lang,omitempty"`
	Weight    float64 `json:"weight"`
	Count     int     `json:"count"`
}

// Entities returns the entities with the label, best first: those with
// the label exactly as written, then the most used.
func (m *Memory) Entities(ctx context.Context, q EntityQuery) ([]EntityView, error) {
	es, err := m.store.EntitiesByLabel(ctx, q.Label, q.Lang, true)
	if err != nil {
		return nil, err
	}
	rankEntities(es, q.Label, q.Lang)
	out := []EntityView{}
	for _, e := range es {
		v, err := m.entityView(ctx, e, q)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// Entity returns the entity with the ID as a person reads it (q.Label is
// ignored; the view's Label is the entity's label in q.Lang).
func (m *Memory) Entity(ctx context.Context, id string, q EntityQuery) (EntityView, error) {
	e, err := m.store.Entity(ctx, id)
	if err != nil {
		return EntityView{}, err
	}
	q.Label = displayLabel(e, q.Lang)
	return m.entityView(ctx, e, q)
}

func (m *Memory) entityView(ctx context.Context, e graph.Entity, q EntityQuery) (EntityView, error) {
	v := EntityView{Label: q.Label, Entity: e.ID, Type: e.Type, Key: e.Key, Labels: e.Labels,
		Translations: translations(e.Labels, q.TargetLang, q.Lang), Facts: []FactView{}, Neighbours: []FactView{}}
	facts, err := m.store.Facts(ctx, e.ID, graph.FactQuery{})
	if err != nil {
		return v, err
	}
	engines := map[[3]string]int{} // index into v.Engines
	keys := map[string]string{}    // engine entity → its key
	for _, f := range facts {
		if f.Predicate == graph.PredEngineMissed || f.Predicate == graph.PredEngineAgreed {
			if err := m.addEngineView(ctx, &v, engines, keys, f, q.TargetLang); err != nil {
				return v, err
			}
			continue
		}
		if f.Predicate == graph.PredLabel || f.Object != "" || len(v.Facts) >= q.Limit {
			continue
		}
		v.Facts = append(v.Facts, FactView{Predicate: f.Predicate, Label: f.Literal, Lang: f.Lang, Weight: f.Weight, Count: f.Count})
	}
	ns, err := m.store.Neighbours(ctx, e.ID, q.Limit)
	if err != nil {
		return v, err
	}
	for _, n := range ns {
		dir := n.Fact.Predicate
		if n.Fact.Object == e.ID {
			dir = "←" + dir
		}
		v.Neighbours = append(v.Neighbours, FactView{Predicate: dir, Object: n.Entity.ID,
			Label: displayLabel(n.Entity, q.Lang), Weight: n.Fact.Weight, Count: n.Fact.Count})
	}
	return v, nil
}

// addEngineView counts an engine fact f into the view's Engines (by
// engine, target and language; in the target language only, when to is
// given); keys caches the engines' keys.
func (m *Memory) addEngineView(ctx context.Context, v *EntityView, engines map[[3]string]int, keys map[string]string, f graph.Fact, to string) error {
	if to != "" && !graph.LangCovers(to, f.Lang) {
		return nil
	}
	k := [3]string{f.Object, f.Literal, f.Lang}
	i, seen := engines[k]
	if !seen {
		key, known := keys[f.Object]
		if !known {
			e, err := m.store.Entity(ctx, f.Object)
			if err != nil && !errors.Is(err, graph.ErrNotFound) {
				return err
			}
			if key = e.Key; key == "" {
				key = f.Object
			}
			keys[f.Object] = key
		}
		i = len(v.Engines)
		engines[k] = i
		v.Engines = append(v.Engines, EngineView{Engine: key, Target: f.Literal, Lang: f.Lang})
	}
	if f.Predicate == graph.PredEngineMissed {
		v.Engines[i].Missed += f.Count
	} else {
		v.Engines[i].Agreed += f.Count
	}
	return nil
}

// translations merges an entity's labels in the target language by text:
// best status, summed counts, highest weight; best first.
func translations(labels []graph.Label, to, from string) []Translation {
	byText := map[string]*Translation{}
	var out []*Translation
	for _, l := range labels {
		if to != "" && !graph.LangCovers(to, l.Lang) {
			continue
		}
		if to == "" && graph.LangCovers(from, l.Lang) {
			continue
		}
		t := byText[l.Text]
		if t == nil {
			t = &Translation{Text: l.Text, Lang: l.Lang, Status: l.Status}
			byText[l.Text] = t
			out = append(out, t)
		}
		t.Count += l.Count
		t.Score = max(t.Score, l.Weight)
		if l.Status.Rank() < t.Status.Rank() {
			t.Status = l.Status
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Status.Rank() != b.Status.Rank() {
			return a.Status.Rank() < b.Status.Rank()
		}
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return a.Score > b.Score
	})
	res := make([]Translation, len(out))
	for i, t := range out {
		res[i] = *t
	}
	return res
}

// displayLabel is the label of an entity in lang, or its key.
func displayLabel(e graph.Entity, lang string) string {
	for _, l := range e.Labels {
		if graph.LangCovers(lang, l.Lang) {
			return l.Text
		}
	}
	return e.Key
}

// rankEntities orders the entities found for a label: those with the label
// exactly as written first ("file" before the code "FILE"), then the most
// used (the largest label count in the language).
func rankEntities(es []graph.Entity, label, lang string) {
	score := func(e graph.Entity) (exact bool, count int) {
		for _, l := range e.Labels {
			if !graph.LangCovers(lang, l.Lang) {
				continue
			}
			if l.Text == label {
				exact = true
			}
			count = max(count, l.Count)
		}
		return exact, count
	}
	sort.SliceStable(es, func(i, j int) bool {
		ei, ci := score(es[i])
		ej, cj := score(es[j])
		if ei != ej {
			return ei
		}
		return ci > cj
	})
}
