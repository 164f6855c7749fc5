package translate

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/kgmem/kgmem/fusion"
	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/langtag"
	"github.com/kgmem/kgmem/morph"
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
	// Aligner, when set, returns the word-alignment model of a language
	// pair (nil when there is none): Fragments aligns with it.
	Aligner func(sourceLang, targetLang string) PhraseAligner

	entities sync.Map // entity ID → graph.Entity, for the life of the memory
	pos      sync.Map // entity ID → its wordClasses
	engine   sync.Map // [entity ID, engine ID] → []engineTally

	// The post-edits of each [engine ID, target language]: their counts,
	// and the table of each options. Forget keeps them: RecordPostEdits
	// keeps them up to date.
	editsMu    sync.Mutex
	editCounts map[[2]string]*editCounts
	editTables map[postEditsKey]*PostEdits
}

// PostEditor is a Memory that records post-edits of engines' output
// (IndexMemory is one).
type PostEditor interface {
	// PostEdits returns the table of the recorded post-edits of model
	// translating sourceLang into targetLang that opts applies (empty
	// when there are none).
	PostEdits(ctx context.Context, model, sourceLang, targetLang string, opts PostEditOptions) (*PostEdits, error)
}

// PostEdits implements PostEditor. The counts are read from the graph
// once, and kept up to date by RecordPostEdits; the table of each options
// is built from them once per change.
func (m *IndexMemory) PostEdits(ctx context.Context, model, sourceLang, targetLang string, opts PostEditOptions) (*PostEdits, error) {
	engine := [2]string{graph.EngineID(model, sourceLang, targetLang), langtag.Base(targetLang)}
	m.editsMu.Lock()
	defer m.editsMu.Unlock()
	if p, ok := m.editTables[postEditsKey{engine, opts}]; ok {
		return p, nil
	}
	c, err := m.editCountsOf(ctx, engine)
	if err != nil {
		return nil, err
	}
	p := NewPostEdits(c.edits(), opts)
	if m.editTables == nil {
		m.editTables = map[postEditsKey]*PostEdits{}
	}
	m.editTables[postEditsKey{engine, opts}] = p
	return p, nil
}

// editCountsOf returns the post-edit counts of engine, read from the graph
// the first time. m.editsMu is held.
func (m *IndexMemory) editCountsOf(ctx context.Context, engine [2]string) (*editCounts, error) {
	if c, ok := m.editCounts[engine]; ok {
		return c, nil
	}
	c, err := readEditCounts(ctx, m.graph, engine[0], engine[1])
	if err != nil {
		return nil, err
	}
	if m.editCounts == nil {
		m.editCounts = map[[2]string]*editCounts{}
	}
	m.editCounts[engine] = c
	return c, nil
}

// RecordPostEdits runs write, which records edits of model in the graph
// as a learn batch's (adding to the counts there), and adds them to the
// counts the memory holds, if it read them: translations after it apply
// them without reading every post-edit again. With replace, write
// replaces the model's counts (a recount of the whole memory), and the
// memory reads them again when next asked.
func (m *IndexMemory) RecordPostEdits(model, sourceLang, targetLang string, edits []PostEdit, replace bool, write func() error) error {
	engine := [2]string{graph.EngineID(model, sourceLang, targetLang), langtag.Base(targetLang)}
	m.editsMu.Lock()
	defer m.editsMu.Unlock()
	err := write()
	for k := range m.editTables {
		if k.engine == engine {
			delete(m.editTables, k)
		}
	}
	c, ok := m.editCounts[engine]
	if err != nil || replace || !ok {
		delete(m.editCounts, engine)
		return err
	}
	for _, e := range edits {
		c.add(e)
	}
	return nil
}

type postEditsKey struct {
	engine [2]string // engine ID, target language
	opts   PostEditOptions
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
	if q.Prev != "" || q.Next != "" || q.Context != "" {
		rq.Context = &retrieval.Context{Prev: q.Prev, Next: q.Next, Key: q.Context}
	}
	ms, err := m.matcher.Lookup(ctx, rq)
	if err != nil {
		return nil, err
	}
	out := make([]fusion.Match, len(ms))
	for i, x := range ms {
		out[i] = fusion.Match{Source: x.Source, Target: x.Target, Score: x.Score, Origin: x.Origin, ID: x.ID,
			Status: x.Status, Changed: x.Changed, OtherContext: x.OtherContext}
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
		SourceLang: q.SourceLang, TargetLang: q.TargetLang, Hops: 1, Facts: 3, Neighbours: 3, Nested: true,
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
		ids := make([]string, len(f.Info))
		for i, e := range f.Info {
			ids[i] = e.ID
		}
		want := spanClass(q, f.Start, f.End)
		drop, err := m.byWordClass(ctx, want, ids)
		if err != nil {
			return nil, nil, err
		}
		for _, e := range f.Info {
			if drop[e.ID] {
				continue
			}
			number, ok := spanNumber(q, e.Label, f.Text)
			if !ok {
				continue // "in" is not the SQL keyword IN; "coughing" not "cough"
			}
			var cands []fusion.TermCandidate
			for _, tr := range e.Translations {
				cands = append(cands, fusion.TermCandidate{
					Span: span, Source: f.Text, Target: tr.Text, EntityID: e.ID,
					Status: tr.Status, Count: tr.Count, Probability: tr.Probability,
				})
			}
			if cands, err = m.fit(ctx, q, want, f.Start, number, e.ID, cands); err != nil {
				return nil, nil, err
			}
			terms = append(terms, cands...)
			if f.Inner {
				continue
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

// learnedVerb reports whether more than half of the count of the learned
// translations in cands is of an infinitive or of a form sharing its stem
// (the infinitive less its ending: "cambi" of "cambiar").
func learnedVerb(targetLang string, cands []fusion.TermCandidate) bool {
	var stems []string
	for _, c := range cands {
		if inf, _ := morph.Infinitive(targetLang, c.Target); inf && !c.Status.Authoritative() {
			w, _, _ := strings.Cut(strings.ToLower(c.Target), " ")
			stems = append(stems, w[:len(w)-2])
		}
	}
	if len(stems) == 0 {
		return false
	}
	verb, all := 0, 0
	for _, c := range cands {
		if c.Status.Authoritative() {
			continue
		}
		all += c.Count
		w, _, _ := strings.Cut(strings.ToLower(c.Target), " ")
		if slices.ContainsFunc(stems, func(st string) bool { return len(st) >= 3 && strings.HasPrefix(w, st) }) {
			verb += c.Count
		}
	}
	return 2*verb > all
}

// fit fits the translations of entity id spotted at q.Protected[start:]
// to the span, the same way for every spotting path: the word class the
// sentence gives it (fitWordClass), an infinitive's place (verbForms),
// what the memory says of the engine (engineTallies) and the span's
// number (agree).
func (m *IndexMemory) fit(ctx context.Context, q Query, want string, start, number int, id string, cands []fusion.TermCandidate) ([]fusion.TermCandidate, error) {
	cands, err := m.fitWordClass(ctx, q, want, id, cands)
	if err != nil {
		return nil, err
	}
	if langtag.Base(q.SourceLang) == "en" && morph.EnglishInfinitiveSlot(q.Protected, start) {
		cands = verbForms(q.TargetLang, morph.Verb, cands)
	}
	if err := m.engineTallies(ctx, q, id, cands); err != nil {
		return nil, err
	}
	return agree(q.TargetLang, number, want, cands), nil
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
	// Labels inside a longer label's span too, where the spotter finds
	// them: the longer may have no translation good enough to use.
	spot := sp.Spot
	if n, ok := sp.(interface{ SpotNested(string) []retrieval.Span }); ok {
		spot = n.SpotNested
	}
	for _, f := range spot(q.Protected) {
		if f.Type == graph.TypePlaceholder || f.Type == graph.TypeNumber || len(f.Entities) == 0 {
			continue
		}
		span := fusion.Span{Start: f.Start, End: f.End}
		refs := f.Entities[:min(len(f.Entities), maxEntitiesPerSpan)]
		ids := make([]string, len(refs))
		for i, ref := range refs {
			ids[i] = ref.ID
		}
		want := spanClass(q, f.Start, f.End)
		drop, err := m.byWordClass(ctx, want, ids)
		if err != nil {
			return nil, nil, err
		}
		for _, ref := range refs {
			if drop[ref.ID] {
				continue
			}
			number, ok := spanNumber(q, ref.Label, f.Text)
			if !ok {
				continue
			}
			e, err := m.entity(ctx, ref.ID)
			if err != nil {
				if errors.Is(err, graph.ErrNotFound) {
					continue
				}
				return nil, nil, err
			}
			var cands []fusion.TermCandidate
			for _, l := range e.Labels {
				if !langtag.Covers(langtag.Base(q.TargetLang), l.Lang) || langtag.Covers(langtag.Base(q.SourceLang), l.Lang) {
					continue
				}
				cands = append(cands, fusion.TermCandidate{Span: span, Source: f.Text, Target: l.Text, EntityID: e.ID,
					Status: l.Status, Count: l.Count, Probability: l.Weight})
			}
			if cands, err = m.fit(ctx, q, want, f.Start, number, e.ID, cands); err != nil {
				return nil, nil, err
			}
			terms = append(terms, cands...)
		}
	}
	return terms, nil, nil
}

// Number of a spotted span, as spanNumber tells it.
const (
	numberUnknown = iota
	numberSingular
	numberPlural
)

// spanNumber reports whether text, spotted in q as the entity label, may
// take the label's translations, and in which grammatical number. It may
// when text is the label as written (an acronym or code written in
// capitals is only spotted in capitals: "in" is not the SQL keyword IN), or
// the label's regular plural ("vaccines" for "vaccine"). Other inflections
// ("coughing" for "cough") do not: the label's translation is the lemma's,
// not that form's.
func spanNumber(q Query, label, text string) (number int, ok bool) {
	switch {
	case sameCase(label, text) && strings.EqualFold(label, text):
	case sameCase(label, text) && langtag.Base(q.SourceLang) == "en" && morph.EnglishPluralOf(label, text):
	default:
		return numberUnknown, false
	}
	if p, ok := morph.PluralPhrase(q.SourceLang, text); ok {
		if p {
			return numberPlural, true
		}
		return numberSingular, true
	}
	return numberUnknown, true
}

// agree fits the translations of one span to the span's number. For a
// plural span each is put in the plural ("vacuna" → "vacunas"; a term
// base's plural "síntomas" stays). For a singular span, of a translation
// and its plural (a term base may list "síntoma" and "síntomas" for one
// concept) the singular is kept. Candidates that become the same text
// merge, keeping the strongest.
//
// A span in the -s form that its sentence does not make a noun (class),
// whose learned translations are mostly a verb's (learnedVerb), is taken
// for a verb in the third person ("shows", "opens", "changes"): its learned
// translations are dropped, since which person and tense the sentence
// needs is the engine's to choose, and an infinitive is never put in the
// plural ("mostrares").
//
// The learned translations are mostly a verb's when more than half of
// their count is an infinitive ("mostrar") or a form that shares its stem
// ("cambia" beside "cambiar").
func agree(targetLang string, number int, class string, cands []fusion.TermCandidate) []fusion.TermCandidate {
	plural := func(s string) string {
		p, _ := morph.Pluralize(targetLang, s)
		return p
	}
	infinitive := func(c fusion.TermCandidate) bool {
		inf, _ := morph.Infinitive(targetLang, c.Target)
		return inf
	}
	switch number {
	case numberPlural:
		if class != morph.Noun && learnedVerb(targetLang, cands) {
			cands = slices.DeleteFunc(cands, func(c fusion.TermCandidate) bool { return !c.Status.Authoritative() })
		}
		for i := range cands {
			switch {
			case strings.EqualFold(cands[i].Target, cands[i].Source): // a name kept as it is
			case class != morph.Noun && infinitive(cands[i]):
			default:
				cands[i].Target = plural(cands[i].Target)
			}
		}
	case numberSingular:
		plurals := map[string]bool{}
		for _, c := range cands {
			if p := plural(c.Target); p != c.Target {
				plurals[p] = true
			}
		}
		cands = slices.DeleteFunc(cands, func(c fusion.TermCandidate) bool { return plurals[c.Target] })
	}
	out := cands[:0]
	at := map[string]int{}
	for _, c := range cands {
		i, seen := at[c.Target]
		if !seen {
			at[c.Target] = len(out)
			out = append(out, c)
			continue
		}
		o := &out[i]
		if fusion.StatusPrior(c.Status) > fusion.StatusPrior(o.Status) {
			o.Status = c.Status
		}
		o.Count += c.Count
		o.Probability = max(o.Probability, c.Probability)
	}
	return out
}

// Forget drops the entities the memory has read from the graph, so that
// the next lookups see what was learned since (Learner.Forget calls it).
// It keeps the post-edits, which RecordPostEdits keeps current.
func (m *IndexMemory) Forget() {
	m.entities.Clear()
	m.pos.Clear()
	m.engine.Clear()
}

// spanClass is the word class the span q.Protected[start:end] has in its
// sentence (morph.EnglishWordClass; English sources only), "" when the
// sentence does not tell.
func spanClass(q Query, start, end int) string {
	if langtag.Base(q.SourceLang) != "en" {
		return ""
	}
	return morph.EnglishWordClass(q.Protected, start, end)
}

// verbForms keeps, of the learned translations of a span in an
// infinitive's place (class morph.Verb; after "to", a modal, a negation:
// morph.EnglishInfinitiveSlot), the infinitives: a learned conjugated form
// ("usa", the memory's "uses") fits only the sentences it was learned
// from ("quiere usa"), and which form this one needs is the engine's to
// choose; an imperative opening a sentence ("Click the…" → "haga clic")
// is not such a place. Term-base translations are kept.
func verbForms(targetLang, class string, cands []fusion.TermCandidate) []fusion.TermCandidate {
	if class != morph.Verb {
		return cands
	}
	return slices.DeleteFunc(cands, func(c fusion.TermCandidate) bool {
		inf, ok := morph.Infinitive(targetLang, c.Target)
		return ok && !inf && !c.Status.Authoritative()
	})
}

// wordClasses are the word classes a term base gives an entity (its parts
// of speech): a term may be both ("sync": to sync, the sync).
type wordClasses uint8

const (
	classVerb wordClasses = 1 << iota
	classNoun
)

func (c wordClasses) has(class string) bool {
	return class == morph.Verb && c&classVerb != 0 || class == morph.Noun && c&classNoun != 0
}

// byWordClass returns the entities of a span (ids, best first) to leave
// out because their term base gives them other word classes than the
// span's, want: of two concepts "sync", the verb in "You can sync later",
// the noun in "The sync stopped". It leaves out nothing when the span
// names one entity, when want is "", or when no entity has want.
func (m *IndexMemory) byWordClass(ctx context.Context, want string, ids []string) (map[string]bool, error) {
	if len(ids) < 2 || want == "" {
		return nil, nil
	}
	classes := make([]wordClasses, len(ids))
	fits := false
	for i, id := range ids {
		c, err := m.wordClasses(ctx, id)
		if err != nil {
			return nil, err
		}
		classes[i] = c
		fits = fits || c.has(want)
	}
	if !fits {
		return nil, nil
	}
	drop := map[string]bool{}
	for i, c := range classes {
		if c != 0 && !c.has(want) {
			drop[ids[i]] = true
		}
	}
	return drop, nil
}

// fitWordClass keeps, of the translations of an entity that its term base
// makes both a verb and a noun, those of the span's word class: the
// infinitive "sincronizar" for a verb, "sincronización" for a noun
// (morph.Infinitive; Romance target languages). It keeps them all when
// want is "", the entity is not both, or none would remain.
func (m *IndexMemory) fitWordClass(ctx context.Context, q Query, want, id string, cands []fusion.TermCandidate) ([]fusion.TermCandidate, error) {
	if want == "" || len(cands) < 2 {
		return cands, nil
	}
	c, err := m.wordClasses(ctx, id)
	if err != nil || c != classVerb|classNoun {
		return cands, err
	}
	var kept []fusion.TermCandidate
	for _, cand := range cands {
		inf, ok := morph.Infinitive(q.TargetLang, cand.Target)
		if !ok {
			return cands, nil
		}
		if inf == (want == morph.Verb) {
			kept = append(kept, cand)
		}
	}
	if len(kept) == 0 {
		return cands, nil
	}
	return kept, nil
}

// wordClasses returns the word classes of an entity as its term base's
// parts of speech give them ("verb"; "noun", "properNoun"), none when it
// gives none; once per memory.
func (m *IndexMemory) wordClasses(ctx context.Context, id string) (wordClasses, error) {
	if c, ok := m.pos.Load(id); ok {
		return c.(wordClasses), nil
	}
	facts, err := m.graph.Facts(ctx, id, graph.FactQuery{Predicate: graph.PredPartOfSpeech})
	if err != nil && !errors.Is(err, graph.ErrNotFound) {
		return 0, fmt.Errorf("part of speech of %s: %w", id, err)
	}
	var c wordClasses
	for _, f := range facts {
		switch p := strings.ToLower(f.Literal); {
		case p == "verb":
			c |= classVerb
		case strings.Contains(p, "noun"):
			c |= classNoun
		}
	}
	m.pos.Store(id, c)
	return c, nil
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
