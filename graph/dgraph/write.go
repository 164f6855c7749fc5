package dgraph

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dgraph-io/dgo/v230"
	"github.com/dgraph-io/dgo/v230/protos/api"

	"github.com/kgmem/kgmem/graph"
)

// validate checks a batch against the model's rules.
func validate(b *graph.Batch) error {
	for i := range b.Entities {
		if b.Entities[i].ID == "" {
			return fmt.Errorf("entity %d has no ID: %w", i, graph.ErrInvalid)
		}
	}
	for i := range b.Facts {
		f := &b.Facts[i]
		switch {
		case f.ID == "":
			return fmt.Errorf("fact %d has no ID: %w", i, graph.ErrInvalid)
		case f.Subject == "":
			return fmt.Errorf("fact %s has no subject: %w", f.ID, graph.ErrInvalid)
		case f.Predicate == "":
			return fmt.Errorf("fact %s has no predicate: %w", f.ID, graph.ErrInvalid)
		case math.IsNaN(f.Weight) || math.IsInf(f.Weight, 0):
			return fmt.Errorf("fact %s has weight %v: %w", f.ID, f.Weight, graph.ErrInvalid)
		}
	}
	for i := range b.Segments {
		if b.Segments[i].ID == "" {
			return fmt.Errorf("segment %d has no ID: %w", i, graph.ErrInvalid)
		}
	}
	return nil
}

// Upsert applies a batch atomically and idempotently: in one transaction,
// however large the batch (see Options.WriteBatch). Each fact's and segment's Sources replace the earlier
// contribution of the same files (graph.MergeSources); a fact without
// Sources is attributed to b.Source with its Count. A fact keeps the
// ValidFrom it was first written with (ValidFrom, or now when zero) and a
// ValidTo set by Supersede. Entity labels in the batch are ignored: labels
// are PredLabel facts. A fact whose subject or object is neither in the
// batch nor in the store is graph.ErrInvalid.
func (s *Store) Upsert(ctx context.Context, b *graph.Batch) error {
	if b == nil || b.Len() == 0 {
		return nil
	}
	if err := validate(b); err != nil {
		return fmt.Errorf("dgraph: upsert %q: %w", b.Source, err)
	}
	now := time.Now().UTC()
	err := s.retry(ctx, "upsert", func(ctx context.Context) error {
		txn := s.dg.NewTxn()
		defer txn.Discard(ctx)
		ws, err := s.upsertTxn(ctx, txn, b, "", now)
		if err != nil || len(ws) == 0 {
			return err
		}
		return s.send(ctx, txn, ws, true)
	})
	if err != nil {
		return fmt.Errorf("dgraph: upsert %q: %w", b.Source, err)
	}
	return nil
}

// newNode is the write that creates a node: its external ID, its values
// and its files.
func newNode(blank, idPred, id string, v vals, files []string) write {
	set := map[string]any{"uid": "_:" + blank, idPred: id}
	for k, x := range v {
		set[k] = x
	}
	if len(files) > 0 {
		set[predFiles] = files
	}
	return write{set: set}
}

func (w write) empty() bool { return w.set == nil && w.del == nil }

// addFile returns files with f added, sorted.
func addFile(files []string, f string) []string {
	if slices.Contains(files, f) {
		return files
	}
	out := append(slices.Clone(files), f)
	slices.Sort(out)
	return out
}

// upsertTxn reads in txn what b touches and returns the writes that apply
// b, none when b changes nothing. The fact revive (Supersede's new fact) is made current
// again if it was superseded before. now is the ValidFrom of new facts
// that have none.
func (s *Store) upsertTxn(ctx context.Context, txn *dgo.Txn, b *graph.Batch, revive string, now time.Time) ([]write, error) {
	sp := s.sp
	// eids are the entities the batch declares, whose stored state the
	// merge needs; rids the others its facts refer to, of which only the
	// uid is needed.
	var eids, rids, fids, sids []string
	seen := map[string]bool{}
	add := func(list *[]string, kind, id string) {
		if id != "" && !seen[kind+id] {
			seen[kind+id] = true
			*list = append(*list, id)
		}
	}
	declared := map[string]bool{}
	for i := range b.Entities {
		add(&eids, "e", b.Entities[i].ID)
		declared[b.Entities[i].ID] = true
	}
	for i := range b.Facts {
		add(&rids, "e", b.Facts[i].Subject)
		add(&rids, "e", b.Facts[i].Object)
		add(&fids, "f", b.Facts[i].ID)
	}
	for i := range b.Segments {
		add(&sids, "s", b.Segments[i].ID)
	}
	ents, facts, segs, err := s.lookup(ctx, txn, eids, rids, fids, sids)
	if err != nil {
		return nil, err
	}
	for i := range b.Facts {
		f := &b.Facts[i]
		for _, id := range []string{f.Subject, f.Object} {
			if id != "" && ents[id] == nil && !declared[id] {
				return nil, fmt.Errorf("fact %s refers to entity %s, which is neither in the batch nor in the store: %w", f.ID, id, graph.ErrInvalid)
			}
		}
	}

	// Entities first: facts need their uids.
	type entPlan struct {
		old   *entityNode
		want  entityNode
		files []string
		blank string
	}
	eplans := map[string]*entPlan{}
	var eorder []string
	for i := range b.Entities {
		e := &b.Entities[i]
		p := eplans[e.ID]
		if p == nil {
			p = &entPlan{old: ents[e.ID]}
			if p.old != nil {
				p.files = slices.Sorted(slices.Values(p.old.Files))
			}
			eplans[e.ID] = p
			eorder = append(eorder, e.ID)
		}
		p.want = entityNode{Type: string(e.Type), Key: e.Key}
		if b.Source != "" {
			p.files = addFile(p.files, sp.fileKey(b.Source, e.ID))
		}
	}
	var ws []write
	for i, id := range eorder {
		p := eplans[id]
		if p.old == nil {
			p.blank = "e" + strconv.Itoa(i)
			ws = append(ws, newNode(p.blank, predEID, sp.key(id), p.want.vals(), p.files))
		} else if w := diff(p.old.UID, p.old.vals(), p.want.vals(), p.old.Files, p.files); !w.empty() {
			ws = append(ws, w)
		}
	}
	entUID := func(id string) string {
		if p := eplans[id]; p != nil && p.blank != "" {
			return "_:" + p.blank
		}
		return ents[id].UID
	}

	type factPlan struct {
		old  *factNode
		want factNode
		srcs []graph.Source
	}
	fplans := map[string]*factPlan{}
	for i := range b.Facts {
		f := &b.Facts[i]
		p := fplans[f.ID]
		if p == nil {
			p = &factPlan{old: facts[f.ID]}
			if p.old != nil {
				p.want = *p.old
				if p.srcs, err = decodeSources(p.old.Sources); err != nil {
					return nil, fmt.Errorf("fact %s: %w", f.ID, err)
				}
			} else {
				p.want.ValidFrom = now
				if !f.ValidFrom.IsZero() {
					p.want.ValidFrom = f.ValidFrom.UTC()
				}
			}
			fplans[f.ID] = p
		}
		contrib := f.Sources
		if len(contrib) == 0 && b.Source != "" {
			contrib = []graph.Source{{File: b.Source, Count: f.Count}}
		}
		merged, total := graph.MergeSources(p.srcs, contrib)
		if len(merged) == 0 {
			total = f.Count
		}
		p.srcs = merged
		w := &p.want
		w.Subject = &entityNode{UID: entUID(f.Subject)}
		w.Object = nil
		if f.Object != "" {
			w.Object = &entityNode{UID: entUID(f.Object)}
		}
		w.Pred = f.Predicate
		w.Literal, w.LiteralPred = f.Literal, literalPred(f.Lang)
		w.Lang = f.Lang
		w.Status = string(f.Status)
		w.Weight = f.Weight
		w.Count = total
		if w.Sources, err = encodeSources(merged); err != nil {
			return nil, err
		}
		w.Files = sourceFiles(sp, f.ID, merged)
		w.LabelKey, w.LabelFold = "", ""
		if f.Predicate == graph.PredLabel {
			// Most labels fold to themselves; their exact key is their
			// folded key too, and lookups read both indexes.
			w.LabelKey = sp.labelKey(f.Literal, f.Lang)
			if fk := sp.foldKey(f.Literal, f.Lang); fk != w.LabelKey {
				w.LabelFold = fk
			}
		}
		if f.ID == revive {
			w.ValidTo = time.Time{}
		} else if w.ValidTo.IsZero() && !f.ValidTo.IsZero() {
			w.ValidTo = f.ValidTo.UTC()
		}
	}
	for i, id := range fids {
		p := fplans[id]
		want, err := p.want.vals()
		if err != nil {
			return nil, fmt.Errorf("fact %s: %w", id, err)
		}
		if p.old == nil {
			ws = append(ws, newNode("f"+strconv.Itoa(i), predFID, sp.key(id), want, p.want.Files))
			continue
		}
		old, err := p.old.vals()
		if err != nil {
			return nil, fmt.Errorf("fact %s: %w", id, err)
		}
		if w := diff(p.old.UID, old, want, p.old.Files, p.want.Files); !w.empty() {
			ws = append(ws, w)
		}
	}

	type segPlan struct {
		old  *segmentNode
		want segmentNode
		srcs []graph.Source
	}
	splans := map[string]*segPlan{}
	for i := range b.Segments {
		sg := &b.Segments[i]
		p := splans[sg.ID]
		if p == nil {
			p = &segPlan{old: segs[sg.ID]}
			if p.old != nil {
				old, err := p.old.decode()
				if err != nil {
					return nil, fmt.Errorf("segment %s: %w", sg.ID, err)
				}
				p.srcs = old.Sources
			}
			splans[sg.ID] = p
		}
		contrib := sg.Sources
		if len(contrib) == 0 && b.Source != "" {
			contrib = []graph.Source{{File: b.Source, Count: 1}}
		}
		p.srcs, _ = graph.MergeSources(p.srcs, contrib)
		want := *sg
		want.Sources = p.srcs
		p.want = segmentNode{Files: sourceFiles(sp, sg.ID, p.srcs)}
		if p.want.Data, err = encodeSegment(want); err != nil {
			return nil, fmt.Errorf("segment %s: %w", sg.ID, err)
		}
	}
	for i, id := range sids {
		p := splans[id]
		if p.old == nil {
			ws = append(ws, newNode("s"+strconv.Itoa(i), predSID, sp.key(id), p.want.vals(), p.want.Files))
		} else if w := diff(p.old.UID, p.old.vals(), p.want.vals(), p.old.Files, p.want.Files); !w.empty() {
			ws = append(ws, w)
		}
	}
	return ws, nil
}

// lookup reads the stored entities, facts and segments with the given IDs
// (of the entities rids, only the uid), ReadBatch keys a request, and
// returns them by ID.
func (s *Store) lookup(ctx context.Context, txn *dgo.Txn, eids, rids, fids, sids []string) (map[string]*entityNode, map[string]*factNode, map[string]*segmentNode, error) {
	ents := map[string]*entityNode{}
	facts := map[string]*factNode{}
	segs := map[string]*segmentNode{}
	for len(eids)+len(rids)+len(fids)+len(sids) > 0 {
		room := s.opts.ReadBatch
		take := func(l *[]string) []string {
			k := min(room, len(*l))
			room -= k
			out := make([]string, k)
			for i, id := range (*l)[:k] {
				out[i] = s.sp.key(id)
			}
			*l = (*l)[k:]
			return out
		}
		ce, cr, cf, cs := take(&eids), take(&rids), take(&fids), take(&sids)
		var resp struct {
			E []*entityNode  `json:"e"`
			R []*entityNode  `json:"r"`
			F []*factNode    `json:"f"`
			S []*segmentNode `json:"s"`
		}
		if err := run(ctx, txn, lookupQuery(ce, cr, cf, cs), &resp); err != nil {
			return nil, nil, nil, fmt.Errorf("look up stored nodes: %w", err)
		}
		for _, n := range append(resp.E, resp.R...) {
			ents[s.sp.unkey(n.EID)] = n
		}
		for _, n := range resp.F {
			facts[s.sp.unkey(n.FID)] = n
		}
		for _, n := range resp.S {
			segs[s.sp.unkey(n.SID)] = n
		}
	}
	return ents, facts, segs, nil
}

// Supersede closes the validity of fact old at next.ValidFrom (now, when
// zero) and upserts next, attributed to source (when next has no
// Sources), in one transaction. next is current afterwards even if it had
// been superseded before. Superseding a fact with itself is
// graph.ErrInvalid; a missing old fact is graph.ErrNotFound.
func (s *Store) Supersede(ctx context.Context, old string, next graph.Fact, source string) error {
	if next.ID == "" {
		next.ID = graph.FactID(next.Subject, next.Predicate, next.Object, next.Literal, next.Lang)
	}
	if next.ID == old {
		return fmt.Errorf("dgraph: supersede %s with itself: %w", old, graph.ErrInvalid)
	}
	at := next.ValidFrom
	if at.IsZero() {
		at = time.Now()
	}
	at = at.UTC()
	next.ValidFrom = at
	if len(next.Sources) == 0 && source != "" {
		next.Sources = []graph.Source{{File: source, Count: next.Count}}
	}
	b := &graph.Batch{Source: source, Facts: []graph.Fact{next}}
	if err := validate(b); err != nil {
		return fmt.Errorf("dgraph: supersede %s: %w", old, err)
	}
	err := s.retry(ctx, "supersede", func(ctx context.Context) error {
		txn := s.dg.NewTxn()
		defer txn.Discard(ctx)
		q := newQuery()
		q.block("f(func: eq(" + predFID + ", " + q.str(s.sp.key(old)) + ")) { uid }")
		var resp struct {
			F []factNode `json:"f"`
		}
		if err := run(ctx, txn, q, &resp); err != nil {
			return err
		}
		if len(resp.F) == 0 {
			return fmt.Errorf("fact %s: %w", old, graph.ErrNotFound)
		}
		ws, err := s.upsertTxn(ctx, txn, b, next.ID, at)
		if err != nil {
			return err
		}
		ws = append(ws, write{set: map[string]any{"uid": resp.F[0].UID, predValidTo: at.Format(time.RFC3339Nano)}})
		return s.send(ctx, txn, ws, true)
	})
	if err != nil {
		return fmt.Errorf("dgraph: supersede %s: %w", old, err)
	}
	return nil
}

// delNode is a node as DeleteSource reads it.
type delNode struct {
	UID      string   `json:"uid"`
	EID      string   `json:"kg.eid"`
	FID      string   `json:"kg.fid"`
	SID      string   `json:"kg.sid"`
	Files    []string `json:"kg.files"`
	Fact     string   `json:"kg.fact"`
	Segment  string   `json:"kg.segment"`
	Subject  *ref     `json:"kg.subject"`
	Object   *ref     `json:"kg.object"`
	NSubject int      `json:"nsubject"`
	NObject  int      `json:"nobject"`
}

// DeleteSource removes everything file contributed, in one transaction:
// its entry in the Sources of facts and segments (and their counts), the
// facts and segments left with no source, the entities no remaining file
// declares and no remaining fact refers to, and the file's SourceState.
// Deleting a file that was never written does nothing.
func (s *Store) DeleteSource(ctx context.Context, file string) error {
	err := s.retry(ctx, "delete source", func(ctx context.Context) error {
		txn := s.dg.NewTxn()
		defer txn.Discard(ctx)
		ws, err := s.deleteSourceWrites(ctx, txn, file)
		if err != nil || len(ws) == 0 {
			return err
		}
		return s.send(ctx, txn, ws, true)
	})
	if err != nil {
		return fmt.Errorf("dgraph: delete source %q: %w", file, err)
	}
	return nil
}

// deleteSourceWrites reads what file wrote and returns the writes that
// remove it. It reads everything before anything is written.
func (s *Store) deleteSourceWrites(ctx context.Context, txn *dgo.Txn, file string) ([]write, error) {
	fks := s.sp.fileKeys(file)
	var nodes []delNode
	for after := ""; ; {
		q := newQuery()
		args := "func: eq(" + predFiles + ", " + q.list(fks) + "), first: " + q.param("int", strconv.Itoa(s.opts.ReadBatch))
		if after != "" {
			args += ", after: " + q.str(after)
		}
		q.block("n(" + args + ") { " + deleteSel + " }")
		var resp struct {
			N []delNode `json:"n"`
		}
		if err := run(ctx, txn, q, &resp); err != nil {
			return nil, fmt.Errorf("read what the file wrote: %w", err)
		}
		nodes = append(nodes, resp.N...)
		if len(resp.N) < s.opts.ReadBatch {
			break
		}
		after = resp.N[len(resp.N)-1].UID
	}

	type entInfo struct {
		files []string // files left
		refs  int      // facts referring to it
	}
	var ws []write
	lost := map[string]int{} // entity uid → facts referring to it that go
	ents := map[string]*entInfo{}
	for i := range nodes {
		n := &nodes[i]
		switch {
		case n.FID != "" || n.SID != "":
			var srcs []graph.Source
			var sg graph.Segment
			fact := factNode{Data: n.Fact}
			var err error
			if n.FID != "" {
				if err = fact.decodeData(); err == nil {
					srcs, err = decodeSources(fact.Sources)
				}
			} else {
				sg, err = (&segmentNode{Data: n.Segment}).decode()
				srcs = sg.Sources
			}
			if err != nil {
				return nil, fmt.Errorf("node %s: %w", n.UID, err)
			}
			left, total := graph.RemoveSource(srcs, file)
			if len(left) == 0 {
				if n.FID != "" {
					ws = append(ws, deleteNode(n.UID, factPreds))
					if n.Subject != nil {
						lost[n.Subject.UID]++
					}
					if n.Object != nil {
						lost[n.Object.UID]++
					}
				} else {
					ws = append(ws, deleteNode(n.UID, segmentPreds))
				}
				continue
			}
			id := n.FID
			if id == "" {
				id = n.SID
			}
			fk := s.sp.fileKey(file, s.sp.unkey(id))
			w := write{set: map[string]any{"uid": n.UID}, del: map[string]any{"uid": n.UID, predFiles: []string{fk}}}
			if n.FID != "" {
				if fact.Sources, err = encodeSources(left); err != nil {
					return nil, err
				}
				fact.Count = total
				data, err := fact.data()
				if err != nil {
					return nil, fmt.Errorf("node %s: %w", n.UID, err)
				}
				if data == "" {
					w.del[predFact] = nil
				} else {
					w.set[predFact] = data
				}
			} else {
				sg.Sources = left
				if w.set[predSegment], err = encodeSegment(sg); err != nil {
					return nil, err
				}
			}
			ws = append(ws, w)
		case n.EID != "":
			fk := s.sp.fileKey(file, s.sp.unkey(n.EID))
			ents[n.UID] = &entInfo{files: slices.DeleteFunc(slices.Clone(n.Files), func(f string) bool { return f == fk }), refs: n.NSubject + n.NObject}
			ws = append(ws, write{del: map[string]any{"uid": n.UID, predFiles: []string{fk}}})
		}
	}
	var unknown []string
	for uid := range lost {
		if ents[uid] == nil {
			unknown = append(unknown, uid)
		}
	}
	slices.Sort(unknown)
	for len(unknown) > 0 {
		k := min(len(unknown), s.opts.ReadBatch)
		q := newQuery()
		// The uids come from Dgraph, not from data.
		q.block("n(func: uid(" + q.str("["+strings.Join(unknown[:k], ", ")+"]") + ")) { " + refCountSel + " }")
		unknown = unknown[k:]
		var resp struct {
			N []delNode `json:"n"`
		}
		if err := run(ctx, txn, q, &resp); err != nil {
			return nil, fmt.Errorf("count references: %w", err)
		}
		for _, n := range resp.N {
			ents[n.UID] = &entInfo{files: n.Files, refs: n.NSubject + n.NObject}
		}
	}
	for uid, e := range ents {
		if len(e.files) == 0 && e.refs <= lost[uid] {
			ws = append(ws, deleteNode(uid, entityPreds))
		}
	}

	q := newQuery()
	q.block("st(func: eq(" + predStateFile + ", " + q.str(s.sp.key(file)) + ")) { uid }")
	var resp struct {
		St []stateNode `json:"st"`
	}
	if err := run(ctx, txn, q, &resp); err != nil {
		return nil, fmt.Errorf("read source state: %w", err)
	}
	for _, st := range resp.St {
		ws = append(ws, deleteNode(st.UID, statePreds))
	}
	return ws, nil
}

// SetSourceState records the state of a source file: one upsert block that
// finds the file's node by name and sets every field, creating the node
// when there is none.
func (s *Store) SetSourceState(ctx context.Context, st graph.SourceState) error {
	q := newQuery()
	q.block("v as var(func: eq(" + predStateFile + ", " + q.str(s.sp.key(st.File)) + "))")
	set, err := appendQuads(nil, map[string]any{
		"uid":         "uid(v)",
		predStateFile: s.sp.key(st.File),
		predHash:      st.Hash,
		predUnits:     st.Units,
		predComplete:  st.Complete,
		predUpdated:   st.Updated.UTC().Format(time.RFC3339Nano),
	}, false, nil)
	if err != nil {
		return fmt.Errorf("dgraph: set source state %q: %w", st.File, err)
	}
	err = s.retry(ctx, "set source state", func(ctx context.Context) error {
		txn := s.dg.NewTxn()
		defer txn.Discard(ctx)
		_, err := txn.Do(ctx, &api.Request{
			Query:     q.String(),
			Vars:      q.vars,
			Mutations: []*api.Mutation{{Set: set}},
			CommitNow: true,
		})
		return err
	})
	if err != nil {
		return fmt.Errorf("dgraph: set source state %q: %w", st.File, err)
	}
	return nil
}
