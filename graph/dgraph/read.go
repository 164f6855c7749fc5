package dgraph

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/kgmem/kgmem/graph"
)

// Entity returns the entity with the given ID and its current labels, or
// graph.ErrNotFound.
func (s *Store) Entity(ctx context.Context, id string) (graph.Entity, error) {
	q := newQuery()
	q.block("e(func: eq(" + predEID + ", " + q.str(s.sp.key(id)) + ")) { " + entitySel + " }")
	var resp struct {
		E []entityNode `json:"e"`
	}
	if err := s.read(ctx, q, &resp); err != nil {
		return graph.Entity{}, fmt.Errorf("dgraph: entity %s: %w", id, err)
	}
	if len(resp.E) == 0 {
		return graph.Entity{}, fmt.Errorf("dgraph: entity %s: %w", id, graph.ErrNotFound)
	}
	return resp.E[0].entity(s.sp), nil
}

// EntitiesByLabel returns the entities with a current label text in a
// language lang covers, ordered by ID. With fold it compares graph.Fold
// forms. It reads one exact index key (the text, or its folded form, and
// lang's base language; with lang "" a key range over every language) and
// keeps the labels whose tag lang covers.
func (s *Store) EntitiesByLabel(ctx context.Context, text, lang string, fold bool) ([]graph.Entity, error) {
	if text == "" {
		return nil, nil
	}
	key, want := s.sp.labelKey(text, lang), text
	if fold {
		key, want = s.sp.foldKey(text, lang), graph.Fold(text)
	}
	q := newQuery()
	match := func(pred string) string {
		if lang == "" {
			lo, hi := s.sp.anyLangRange(want)
			return "between(" + pred + ", " + q.str(lo) + ", " + q.str(hi) + ")"
		}
		return "eq(" + pred + ", " + q.str(key) + ")"
	}
	sel := " { " + predLiteral + "@* " + predFact + " " + predSubject + " { " + entitySel + " } }"
	if fold {
		// A label that folds to itself has its folded key in kg.label_key.
		q.block("a as var(func: " + match(predLabelKey) + ")")
		q.block("b as var(func: " + match(predLabelFold) + ")")
		q.block("f(func: uid(a, b))" + and(current) + sel)
	} else {
		q.block("f(func: " + match(predLabelKey) + ")" + and(current) + sel)
	}
	var resp struct {
		F []factNode `json:"f"`
	}
	if err := s.read(ctx, q, &resp); err != nil {
		return nil, fmt.Errorf("dgraph: entities by label %q@%s: %w", text, lang, err)
	}
	var out []graph.Entity
	seen := map[string]bool{}
	for _, f := range resp.F {
		got := f.Literal
		if fold {
			got = graph.Fold(got)
		}
		if got != want || !graph.LangCovers(lang, f.Lang) || f.Subject == nil || seen[f.Subject.EID] {
			continue
		}
		seen[f.Subject.EID] = true
		out = append(out, f.Subject.entity(s.sp))
	}
	slices.SortFunc(out, func(a, b graph.Entity) int {
		if a.ID < b.ID {
			return -1
		}
		if a.ID > b.ID {
			return 1
		}
		return 0
	})
	return out, nil
}

// Facts returns the facts whose subject is the entity, as FactQuery
// selects them, in graph.SortFacts order. A missing entity has none.
func (s *Store) Facts(ctx context.Context, entity string, fq graph.FactQuery) ([]graph.Fact, error) {
	q := newQuery()
	var filter []string
	if fq.Predicate != "" {
		filter = append(filter, "eq("+predPred+", "+q.str(fq.Predicate)+")")
	}
	if !fq.History {
		filter = append(filter, current)
	}
	q.block("e(func: eq(" + predEID + ", " + q.str(s.sp.key(entity)) + ")) { f: ~" + predSubject + and(filter...) +
		" { " + factScalarSel + " " + predObject + " { " + predEID + " } } }")
	var resp struct {
		E []struct {
			F []factNode `json:"f"`
		} `json:"e"`
	}
	if err := s.read(ctx, q, &resp); err != nil {
		return nil, fmt.Errorf("dgraph: facts of %s: %w", entity, err)
	}
	var out []graph.Fact
	for _, e := range resp.E {
		for i := range e.F {
			if !graph.LangCovers(fq.Lang, e.F[i].Lang) {
				continue
			}
			f, err := e.F[i].fact(s.sp, entity)
			if err != nil {
				return nil, fmt.Errorf("dgraph: facts of %s: %w", entity, err)
			}
			out = append(out, f)
		}
	}
	graph.SortFacts(out)
	if fq.Limit > 0 && len(out) > fq.Limit {
		out = out[:fq.Limit]
	}
	return out, nil
}

// Neighbours returns the entities linked to the entity by a current fact
// with an entity object, both ways (the facts' subject edges outward, the
// reverse of their object edges inward), in graph.SortNeighbours order, at
// most limit (0: all).
func (s *Store) Neighbours(ctx context.Context, entity string, limit int) ([]graph.Neighbour, error) {
	q := newQuery()
	q.block("e(func: eq(" + predEID + ", " + q.str(s.sp.key(entity)) + ")) {" +
		" out: ~" + predSubject + and("has("+predObject+")", current) + " { " + factScalarSel + " " + predObject + " { " + entitySel + " } }" +
		" in: ~" + predObject + and(current) + " { " + factScalarSel + " " + predSubject + " { " + entitySel + " } } }")
	var resp struct {
		E []struct {
			Out []factNode `json:"out"`
			In  []factNode `json:"in"`
		} `json:"e"`
	}
	if err := s.read(ctx, q, &resp); err != nil {
		return nil, fmt.Errorf("dgraph: neighbours of %s: %w", entity, err)
	}
	var out []graph.Neighbour
	seen := map[string]bool{}
	for _, e := range resp.E {
		for i := range e.Out {
			n := &e.Out[i]
			if n.Object == nil || seen[n.FID] {
				continue
			}
			seen[n.FID] = true
			f, err := n.fact(s.sp, entity)
			if err != nil {
				return nil, fmt.Errorf("dgraph: neighbours of %s: %w", entity, err)
			}
			out = append(out, graph.Neighbour{Entity: n.Object.entity(s.sp), Fact: f})
		}
		for i := range e.In {
			n := &e.In[i]
			if n.Subject == nil || seen[n.FID] {
				continue
			}
			seen[n.FID] = true
			f, err := n.fact(s.sp, "")
			if err != nil {
				return nil, fmt.Errorf("dgraph: neighbours of %s: %w", entity, err)
			}
			f.Object = entity
			out = append(out, graph.Neighbour{Entity: n.Subject.entity(s.sp), Fact: f})
		}
	}
	graph.SortNeighbours(out)
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// Segments calls fn for every segment in ID order until fn returns an
// error, which it returns. It reads pages of ReadBatch segments from one
// snapshot (see walk).
func (s *Store) Segments(ctx context.Context, fn func(*graph.Segment) error) error {
	return walk(ctx, s, predSID, segmentSel, func(n *segmentNode) string { return n.SID }, func(n *segmentNode) error {
		sg, err := n.segment(s.sp)
		if err != nil {
			return fmt.Errorf("dgraph: segments: %w", err)
		}
		return fn(&sg)
	})
}

// walk calls fn for every node of the namespace that has the ID predicate
// pred, in ID order, until fn returns an error, which it returns. It reads
// pages of ReadBatch nodes (selection sel) from one snapshot (a read-only
// transaction), each a range read of the ID index starting after the last
// ID seen (id returns a node's).
func walk[N any](ctx context.Context, s *Store, pred, sel string, id func(*N) string, fn func(*N) error) error {
	txn := s.dg.NewReadOnlyTxn()
	defer txn.Discard(ctx)
	from := s.sp.prefix
	for {
		q := newQuery()
		q.block("n(func: between(" + pred + ", " + q.str(from) + ", " + q.str(s.sp.hi) + "), orderasc: " + pred +
			", first: " + q.param("int", strconv.Itoa(s.opts.ReadBatch)) + ") { " + sel + " }")
		var resp struct {
			N []N `json:"n"`
		}
		if err := run(ctx, txn, q, &resp); err != nil {
			return fmt.Errorf("dgraph: read %s: %w", pred, err)
		}
		for i := range resp.N {
			if err := fn(&resp.N[i]); err != nil {
				return err
			}
		}
		if len(resp.N) < s.opts.ReadBatch {
			return nil
		}
		// The smallest key after the last one.
		from = id(&resp.N[len(resp.N)-1]) + "\x00"
	}
}

// Segment returns one segment or graph.ErrNotFound.
func (s *Store) Segment(ctx context.Context, id string) (graph.Segment, error) {
	q := newQuery()
	q.block("s(func: eq(" + predSID + ", " + q.str(s.sp.key(id)) + ")) { " + segmentSel + " }")
	var resp struct {
		S []segmentNode `json:"s"`
	}
	if err := s.read(ctx, q, &resp); err != nil {
		return graph.Segment{}, fmt.Errorf("dgraph: segment %s: %w", id, err)
	}
	if len(resp.S) == 0 {
		return graph.Segment{}, fmt.Errorf("dgraph: segment %s: %w", id, graph.ErrNotFound)
	}
	sg, err := resp.S[0].segment(s.sp)
	if err != nil {
		return graph.Segment{}, fmt.Errorf("dgraph: %w", err)
	}
	return sg, nil
}

// SourceStates returns the states of all source files, by file name.
func (s *Store) SourceStates(ctx context.Context) ([]graph.SourceState, error) {
	q := newQuery()
	q.block("st(func: between(" + predStateFile + ", " + q.str(s.sp.prefix) + ", " + q.str(s.sp.hi) + "), orderasc: " + predStateFile + ") { " + stateSel + " }")
	var resp struct {
		St []stateNode `json:"st"`
	}
	if err := s.read(ctx, q, &resp); err != nil {
		return nil, fmt.Errorf("dgraph: source states: %w", err)
	}
	out := make([]graph.SourceState, 0, len(resp.St))
	for _, n := range resp.St {
		out = append(out, graph.SourceState{File: s.sp.unkey(n.File), Hash: n.Hash, Units: n.Units, Complete: n.Complete, Updated: utc(n.Updated)})
	}
	return out, nil
}

// Stats counts what the store holds: segments, entities, facts (superseded
// ones included: they are held, as history) by predicate, label facts among
// them, and source files with a recorded state.
func (s *Store) Stats(ctx context.Context) (graph.Stats, error) {
	q := newQuery()
	lo, hi := q.str(s.sp.prefix), q.str(s.sp.hi)
	in := func(pred string) string { return "func: between(" + pred + ", " + lo + ", " + hi + ")" }
	q.block("s(" + in(predSID) + ") { n: count(uid) }")
	q.block("e(" + in(predEID) + ") { n: count(uid) }")
	q.block("st(" + in(predStateFile) + ") { n: count(uid) }")
	q.block("f(" + in(predFID) + ") @groupby(" + predPred + ") { count(uid) }")
	// Labels are counted while current, as a superseded label no longer
	// names or translates its entity.
	q.block("l(" + in(predFID) + ") @filter(eq(" + predPred + ", " + q.str(graph.PredLabel) + ") AND NOT has(" + predValidTo + ")) { n: count(uid) }")
	type count struct {
		N int `json:"n"`
	}
	var resp struct {
		S  []count `json:"s"`
		E  []count `json:"e"`
		St []count `json:"st"`
		L  []count `json:"l"`
		F  []struct {
			Groups []struct {
				Pred  string `json:"kg.pred"`
				Count int    `json:"count"`
			} `json:"@groupby"`
		} `json:"f"`
	}
	if err := s.read(ctx, q, &resp); err != nil {
		return graph.Stats{}, fmt.Errorf("dgraph: stats: %w", err)
	}
	first := func(cs []count) int {
		if len(cs) == 0 {
			return 0
		}
		return cs[0].N
	}
	st := graph.Stats{Segments: first(resp.S), Entities: first(resp.E), Sources: first(resp.St), ByPredicate: map[string]int{}}
	for _, f := range resp.F {
		for _, g := range f.Groups {
			st.ByPredicate[g.Pred] += g.Count
			st.Facts += g.Count
		}
	}
	st.Labels = first(resp.L)
	return st, nil
}

// Entities calls fn for every entity of the namespace, with its current
// labels, in ID order, until fn returns an error, which it returns. It
// makes the store a retrieval.EntityLister, so that the search index
// spots term-base concepts no segment mentions. Like Segments, it reads
// pages of ReadBatch entities from one snapshot (see walk).
func (s *Store) Entities(ctx context.Context, fn func(*graph.Entity) error) error {
	return walk(ctx, s, predEID, entitySel, func(n *entityNode) string { return n.EID }, func(n *entityNode) error {
		e := n.entity(s.sp)
		return fn(&e)
	})
}
