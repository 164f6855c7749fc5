package translate

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/fusion"
	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/langtag"
	"github.com/kgmem/kgmem/morph"
	"github.com/kgmem/kgmem/retrieval"
)

// The memory's corrections of an engine. Every pair of the memory is a
// correction of what a model would have said: translated by the model
// alone, a pair's source comes out with the engine's words, and the
// pair's approved target shows which of them translators replaced. For
// each learned translation of a term (graph.PredLabel), the memory counts
// the pairs whose approved target uses it, and whether the engine wrote it
// too (graph.PredEngineAgreed) or not (graph.PredEngineMissed). A learned
// translation the engine keeps missing is offered to it even when the
// memory is unsure which translation is the term's (fusion.Options.
// MinEngineMissed): Apertium writes "encuadres" for "settings" where the
// memory's translators wrote "configuración" 34 times and never
// "encuadres".

// EngineTally counts, for one learned translation of a term, the memory
// pairs whose approved target uses it, by whether the engine wrote it.
type EngineTally struct {
	Entity string `json:"entity"` // the term's entity
	Source string `json:"source"` // the term as the pairs' sources have it
	Target string `json:"target"`
	Missed int    `json:"missed"`
	Agreed int    `json:"agreed"`
}

// TallyEngine translates the sources of pairs with engine (a Translator
// of the model alone: no memory) and tallies, for every term translation
// mem offers for a pair's source that the pair's target uses, whether
// the engine's translation uses it too. batch is how many sources go
// through the engine at once; done is told how many pairs are tallied.
// Each pair's engine translation and target are added to edits, when it
// is not nil (the post-edits of the engine).
func TallyEngine(ctx context.Context, mem Memory, engine *Translator, pairs []Pair, batch int, done func(n int), edits *PostEditTally) ([]EngineTally, error) {
	if batch < 1 {
		batch = 256
	}
	o := engine.opts
	tallies := map[[2]string]*EngineTally{}
	var order [][2]string
	for start := 0; start < len(pairs); start += batch {
		chunk := pairs[start:min(start+batch, len(pairs))]
		segs := make([]Segment, len(chunk))
		for i, p := range chunk {
			segs[i] = Segment{ID: fmt.Sprint(start + i), Source: corpora.Text(p.Source)}
		}
		res, err := engine.Translate(ctx, segs)
		if err != nil {
			return nil, fmt.Errorf("translate the memory's sources with %s: %w", o.Engine, err)
		}
		for i, p := range chunk {
			q := Query{Text: p.Source, Protected: Protect(segs[i].Source).Text, SourceLang: o.SourceLang, TargetLang: o.TargetLang}
			if edits != nil {
				edits.Add(Protect(res[i].Target).Text, Protect(corpora.Text(p.Target)).Text)
			}
			cands, _, err := mem.Terms(ctx, q)
			if err != nil {
				return nil, err
			}
			for _, c := range usedTerms(cands, p.Target) {
				k := [2]string{c.EntityID, c.Target}
				t := tallies[k]
				if t == nil {
					t = &EngineTally{Entity: c.EntityID, Source: c.Source, Target: c.Target}
					tallies[k] = t
					order = append(order, k)
				}
				if containsWord(res[i].Translation, c.Target) {
					t.Agreed++
				} else {
					t.Missed++
				}
			}
		}
		if done != nil {
			done(len(chunk))
		}
	}
	out := make([]EngineTally, len(order))
	for i, k := range order {
		out[i] = *tallies[k]
	}
	return out, nil
}

// usedTerms returns, of the learned term translations cands, the one per
// span that target uses (the longest, when several do).
func usedTerms(cands []fusion.TermCandidate, target string) []fusion.TermCandidate {
	best := map[fusion.Span]fusion.TermCandidate{}
	var spans []fusion.Span
	for _, c := range cands {
		if c.Status.Authoritative() || c.EntityID == "" || strings.TrimSpace(c.Target) == "" || !containsWord(target, c.Target) {
			continue
		}
		b, seen := best[c.Span]
		if !seen {
			spans = append(spans, c.Span)
		}
		if !seen || len(c.Target) > len(b.Target) {
			best[c.Span] = c
		}
	}
	out := make([]fusion.TermCandidate, len(spans))
	for i, s := range spans {
		out[i] = best[s]
	}
	return out
}

// EngineFacts returns the facts that record tallies and post-edits of the
// engine model translating from sourceLang into targetLang, and the
// engine's entity.
func EngineFacts(model, sourceLang, targetLang string, tallies []EngineTally, edits []PostEdit, source string) (graph.Entity, []graph.Fact) {
	engine := graph.Entity{Type: graph.TypeEngine, Key: graph.EngineKey(model, sourceLang, targetLang)}
	engine.ID = graph.EntityID(engine.Type, engine.Key)
	lang := langtag.Base(targetLang)
	var facts []graph.Fact
	add := func(t EngineTally, pred string, n int) {
		if n == 0 {
			return
		}
		facts = append(facts, graph.Fact{
			ID: graph.FactID(t.Entity, pred, engine.ID, t.Target, lang), Subject: t.Entity, Predicate: pred,
			Object: engine.ID, Literal: t.Target, Lang: lang, Weight: 1,
			Sources: []graph.Source{{File: source, Count: n}},
		})
	}
	for _, t := range tallies {
		add(t, graph.PredEngineMissed, t.Missed)
		add(t, graph.PredEngineAgreed, t.Agreed)
	}
	phrase := func(pred, literal string, n int) {
		if n == 0 {
			return
		}
		facts = append(facts, graph.Fact{
			ID: graph.FactID(engine.ID, pred, "", literal, lang), Subject: engine.ID, Predicate: pred,
			Literal: literal, Lang: lang, Weight: 1, Sources: []graph.Source{{File: source, Count: n}},
		})
	}
	for _, e := range edits {
		phrase(graph.PredEnginePostEdit, e.Key+"\t"+e.To, e.Fixed)
		phrase(graph.PredEngineSeen, e.Key, e.Seen)
		phrase(graph.PredEngineKept, e.Key, e.Kept)
	}
	return engine, facts
}

// editCounts are the post-edit counts of one engine and target
// language, as the graph sums them over its sources.
type editCounts struct {
	fixed      map[string]map[string]int // key → to → pairs
	seen, kept map[string]int
}

func newEditCounts() *editCounts {
	return &editCounts{fixed: map[string]map[string]int{}, seen: map[string]int{}, kept: map[string]int{}}
}

// add adds one recorded edit's counts.
func (c *editCounts) add(e PostEdit) {
	if e.Fixed > 0 {
		if c.fixed[e.Key] == nil {
			c.fixed[e.Key] = map[string]int{}
		}
		c.fixed[e.Key][e.To] += e.Fixed
	}
	c.seen[e.Key] += e.Seen
	c.kept[e.Key] += e.Kept
}

// edits returns, for each key, the edit made most often, with the key's
// counts.
func (c *editCounts) edits() []PostEdit {
	out := make([]PostEdit, 0, len(c.fixed))
	for key, tos := range c.fixed {
		best := PostEdit{Key: key}
		for to, n := range tos {
			if n > best.Fixed || n == best.Fixed && to < best.To {
				best.To, best.Fixed = to, n
			}
		}
		best.Seen, best.Kept = c.seen[key], c.kept[key]
		out = append(out, best)
	}
	return out
}

// readEditCounts reads the post-edit counts of engine (an EngineID) into
// targetLang from g.
func readEditCounts(ctx context.Context, g retrieval.GraphReader, engine, targetLang string) (*editCounts, error) {
	c := newEditCounts()
	for _, pred := range []string{graph.PredEnginePostEdit, graph.PredEngineSeen, graph.PredEngineKept} {
		facts, err := g.Facts(ctx, engine, graph.FactQuery{Predicate: pred, Lang: langtag.Base(targetLang)})
		if errors.Is(err, graph.ErrNotFound) {
			return c, nil
		}
		if err != nil {
			return nil, fmt.Errorf("post-edits of %s: %w", engine, err)
		}
		for _, f := range facts {
			key, to, _ := strings.Cut(f.Literal, "\t")
			switch pred {
			case graph.PredEnginePostEdit:
				c.add(PostEdit{Key: key, To: to, Fixed: f.Count})
			case graph.PredEngineSeen:
				c.seen[key] += f.Count
			default:
				c.kept[key] += f.Count
			}
		}
	}
	return c, nil
}

// engineTally is what the graph says of one learned translation and an
// engine.
type engineTally struct {
	target         string
	missed, agreed int
}

// engineTallies fills in, for the candidates of entity id, how often the
// engine q.Engine missed and wrote them in the memory's pairs (a plural
// candidate takes its singular's tally too).
func (m *IndexMemory) engineTallies(ctx context.Context, q Query, id string, cands []fusion.TermCandidate) error {
	if q.Engine == "" || len(cands) == 0 {
		return nil
	}
	engine := graph.EngineID(q.Engine, q.SourceLang, q.TargetLang)
	key := [2]string{id, engine}
	var ts []engineTally
	if v, ok := m.engine.Load(key); ok {
		ts = v.([]engineTally)
	} else {
		for _, pred := range []string{graph.PredEngineMissed, graph.PredEngineAgreed} {
			// (A FactQuery's Lang keeps literal facts without an object only.)
			facts, err := m.graph.Facts(ctx, id, graph.FactQuery{Predicate: pred})
			if err != nil && !errors.Is(err, graph.ErrNotFound) {
				return fmt.Errorf("corrections of %s for %s: %w", q.Engine, id, err)
			}
			for _, f := range facts {
				if f.Object != engine || !graph.LangCovers(langtag.Base(q.TargetLang), f.Lang) {
					continue
				}
				t := engineTally{target: f.Literal}
				if pred == graph.PredEngineMissed {
					t.missed = f.Count
				} else {
					t.agreed = f.Count
				}
				ts = append(ts, t)
			}
		}
		m.engine.Store(key, ts)
	}
	// A translation's misses count against the pairs in which the engine
	// wrote any of the term's translations: "but" is "sino" in some pairs
	// the engine writes "pero" in, and "pero" in many more, where the
	// engine agrees.
	agreed := 0
	for _, t := range ts {
		agreed += t.agreed
	}
	for i := range cands {
		c := &cands[i]
		for _, t := range ts {
			plural, _ := morph.Pluralize(q.TargetLang, t.target)
			if strings.EqualFold(c.Target, t.target) || strings.EqualFold(c.Target, plural) {
				c.EngineMissed += t.missed
			}
		}
		if c.EngineMissed > 0 {
			c.EngineAgreed = agreed
		}
	}
	return nil
}
