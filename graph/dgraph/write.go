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
// however large the batch (see Options.WriteBatch). Each fact's and
// segment's Sources replace the earlier contribution of the same files
// (graph.MergeSources); a fact without Sources is attributed to b.Source
// with its Count. A fact keeps the ValidFrom it was first written with
// (ValidFrom, or now when zero) and a ValidTo set by Supersede. Entity
// labels in the batch are ignored: labels are PredLabel facts. A fact whose
// subject or object is neither in the batch nor in the store is
// graph.ErrInvalid.
func (s *Store) Upsert(ctx context.Context, b *graph.Batch) error {
	return s.upsert(ctx, b, nil)
}

// UpsertMerged is Upsert that, once the batch is committed, calls merged
// with every segment of the batch the store already held, as it holds it
// now (its sources those of every file): a build hands them to the search
// index instead of reading the store back (ingest.MergeReporter).
func (s *Store) UpsertMerged(ctx context.Context, b *graph.Batch, merged func(graph.Segment)) error {
	return s.upsert(ctx, b, merged)
}

func (s *Store) upsert(ctx context.Context, b *graph.Batch, merged func(graph.Segment)) error {
	if b == nil || b.Len() == 0 {
		return nil
	}
	if err := validate(b); err != nil {
		return fmt.Errorf("dgraph: upsert %q: %w", b.Source, err)
	}
	now := time.Now().UTC()
	var held []graph.Segment
	err := s.retry(ctx, "upsert", func(ctx context.Context) error {
		txn := s.dg.NewTxn()
		defer txn.Discard(ctx)
		u, err := s.upsertTxn(ctx, txn, b, "", now)
		if err != nil {
			return err
		}
		held = u.held
		if len(u.ws) == 0 {
			return nil
		}
		return s.send(ctx, txn, u.ws, true)
	})
	if err != nil {
		return fmt.Errorf("dgraph: upsert %q: %w", b.Source, err)
	}
	if merged != nil {
		for _, sg := range held {
			merged(sg)
		}
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

// upsertPlan is what upsertTxn works out: the writes that apply a batch,
// and the segments of the batch the store held, as they will be.
type upsertPlan struct {
	ws   []write
	held []graph.Segment
	// The stored state of what the batch touches.
	ents  map[string]*entityNode
	facts map[string]*factNode
	segs  map[string]*segmentNode
	// Entities the batch creates, by ID: their blank node names.
	blank map[string]string
}

// batchIDs are the IDs a batch names, each once: the entities it declares
// (whose stored state the merge needs), the others its facts refer to (of
// which only the uid is needed), its facts and its segments.
type batchIDs struct {
	eids, rids, fids, sids []string
	declared               map[string]bool
}

func idsOf(b *graph.Batch) batchIDs {
	var ids batchIDs
	ids.declared = map[string]bool{}
	seen := map[string]bool{}
	add := func(list *[]string, kind, id string) {
		if id != "" && !seen[kind+id] {
			seen[kind+id] = true
			*list = append(*list, id)
		}
	}
	for i := range b.Entities {
		add(&ids.eids, "e", b.Entities[i].ID)
		ids.declared[b.Entities[i].ID] = true
	}
	for i := range b.Facts {
		add(&ids.rids, "e", b.Facts[i].Subject)
		add(&ids.rids, "e", b.Facts[i].Object)
		add(&ids.fids, "f", b.Facts[i].ID)
	}
	for i := range b.Segments {
		add(&ids.sids, "s", b.Segments[i].ID)
	}
	return ids
}

// upsertTxn reads in txn what b touches and works out the writes that
// apply b, none when b changes nothing. The fact revive (Supersede's new
// fact) is made current again if it was superseded before. now is the
// ValidFrom of new facts that have none.
func (s *Store) upsertTxn(ctx context.Context, txn *dgo.Txn, b *graph.Batch, revive string, now time.Time) (*upsertPlan, error) {
	ids := idsOf(b)
	ents, facts, segs, err := s.lookup(ctx, txn, ids.eids, ids.rids, ids.fids, ids.sids)
	if err != nil {
		return nil, err
	}
	if err := checkRefs(b, ents, ids.declared); err != nil {
		return nil, err
	}
	p := &upsertPlan{ents: ents, facts: facts, segs: segs, blank: map[string]string{}}
	s.planEntities(p, b)
	if err := s.planFacts(p, b, ids.fids, revive, now); err != nil {
		return nil, err
	}
	if err := s.planSegments(p, b, ids.sids); err != nil {
		return nil, err
	}
	return p, nil
}

// checkRefs fails when a fact refers to an entity neither in the batch nor
// in the store.
func checkRefs(b *graph.Batch, ents map[string]*entityNode, declared map[string]bool) error {
	for i := range b.Facts {
		f := &b.Facts[i]
		for _, id := range []string{f.Subject, f.Object} {
			if id != "" && ents[id] == nil && !declared[id] {
				return fmt.Errorf("fact %s refers to entity %s, which is neither in the batch nor in the store: %w", f.ID, id, graph.ErrInvalid)
			}
		}
	}
	return nil
}

// planEntities writes the entities the batch declares: new ones as blank
// nodes (facts need their uids), changed ones as diffs.
func (s *Store) planEntities(p *upsertPlan, b *graph.Batch) {
	type entPlan struct {
		old   *entityNode
		want  entityNode
		files []string
	}
	plans := map[string]*entPlan{}
	var order []string
	for i := range b.Entities {
		e := &b.Entities[i]
		ep := plans[e.ID]
		if ep == nil {
			ep = &entPlan{old: p.ents[e.ID]}
			if ep.old != nil {
				ep.files = slices.Sorted(slices.Values(ep.old.Files))
			}
			plans[e.ID] = ep
			order = append(order, e.ID)
		}
		ep.want = entityNode{Type: string(e.Type), Key: e.Key}
		if b.Source != "" {
			ep.files = addFile(ep.files, s.sp.fileKey(b.Source, e.ID))
		}
	}
	for i, id := range order {
		ep := plans[id]
		if ep.old == nil {
			blank := "e" + strconv.Itoa(i)
			p.blank[id] = blank
			p.ws = append(p.ws, newNode(blank, predEID, s.sp.key(id), ep.want.vals(), ep.files))
		} else if w := diff(ep.old.UID, ep.old.vals(), ep.want.vals(), ep.old.Files, ep.files); !w.empty() {
			p.ws = append(p.ws, w)
		}
	}
}

// entUID is the uid a fact's edge to entity id takes: the blank node of an
// entity the batch creates, else the stored one's uid.
func (p *upsertPlan) entUID(id string) string {
	if blank := p.blank[id]; blank != "" {
		return "_:" + blank
	}
	return p.ents[id].UID
}

// factPlan is one fact as it will be: its stored state merged with the
// batch.
type factPlan struct {
	old  *factNode
	want factNode
	srcs []graph.Source
}

// planFacts writes the batch's facts merged into their stored state, fids
// giving their order.
func (s *Store) planFacts(p *upsertPlan, b *graph.Batch, fids []string, revive string, now time.Time) error {
	plans := map[string]*factPlan{}
	for i := range b.Facts {
		f := &b.Facts[i]
		fp := plans[f.ID]
		if fp == nil {
			var err error
			if fp, err = newFactPlan(p.facts[f.ID], f, now); err != nil {
				return err
			}
			plans[f.ID] = fp
		}
		if err := s.mergeFact(p, fp, f, b.Source, revive); err != nil {
			return err
		}
	}
	for i, id := range fids {
		fp := plans[id]
		want, err := fp.want.vals()
		if err != nil {
			return fmt.Errorf("fact %s: %w", id, err)
		}
		if fp.old == nil {
			p.ws = append(p.ws, newNode("f"+strconv.Itoa(i), predFID, s.sp.key(id), want, fp.want.Files))
			continue
		}
		old, err := fp.old.vals()
		if err != nil {
			return fmt.Errorf("fact %s: %w", id, err)
		}
		if w := diff(fp.old.UID, old, want, fp.old.Files, fp.want.Files); !w.empty() {
			p.ws = append(p.ws, w)
		}
	}
	return nil
}

// newFactPlan starts the plan of fact f from its stored state old (nil:
// none).
func newFactPlan(old *factNode, f *graph.Fact, now time.Time) (*factPlan, error) {
	fp := &factPlan{old: old}
	if old != nil {
		fp.want = *old
		srcs, err := decodeSources(old.Sources)
		if err != nil {
			return nil, fmt.Errorf("fact %s: %w", f.ID, err)
		}
		fp.srcs = srcs
		return fp, nil
	}
	fp.want.ValidFrom = now
	if !f.ValidFrom.IsZero() {
		fp.want.ValidFrom = f.ValidFrom.UTC()
	}
	return fp, nil
}

// mergeFact merges one of the batch's facts into its plan: its file's
// sources replace that file's, and its fields are the batch's.
func (s *Store) mergeFact(p *upsertPlan, fp *factPlan, f *graph.Fact, source, revive string) error {
	contrib := f.Sources
	if len(contrib) == 0 && source != "" {
		contrib = []graph.Source{{File: source, Count: f.Count}}
	}
	merged, total := graph.MergeSources(fp.srcs, contrib)
	if len(merged) == 0 {
		total = f.Count
	}
	fp.srcs = merged
	w := &fp.want
	w.Subject = &entityNode{UID: p.entUID(f.Subject)}
	w.Object = nil
	if f.Object != "" {
		w.Object = &entityNode{UID: p.entUID(f.Object)}
	}
	w.Pred = f.Predicate
	w.Literal, w.LiteralPred = f.Literal, literalPred(f.Lang)
	w.Lang = f.Lang
	w.Status = string(f.Status)
	w.Weight = f.Weight
	w.Count = total
	var err error
	if w.Sources, err = encodeSources(merged); err != nil {
		return err
	}
	w.Files = sourceFiles(s.sp, f.ID, merged)
	w.LabelKey, w.LabelFold = "", ""
	if f.Predicate == graph.PredLabel {
		// Most labels fold to themselves; their exact key is their
		// folded key too, and lookups read both indexes.
		w.LabelKey = s.sp.labelKey(f.Literal, f.Lang)
		if fk := s.sp.foldKey(f.Literal, f.Lang); fk != w.LabelKey {
			w.LabelFold = fk
		}
	}
	if f.ID == revive {
		w.ValidTo = time.Time{}
	} else if w.ValidTo.IsZero() && !f.ValidTo.IsZero() {
		w.ValidTo = f.ValidTo.UTC()
	}
	return nil
}

// planSegments writes the batch's segments merged into their stored
// state, sids giving their order, and notes those the store held.
func (s *Store) planSegments(p *upsertPlan, b *graph.Batch, sids []string) error {
	type segPlan struct {
		old  *segmentNode
		want segmentNode
		seg  graph.Segment
		srcs []graph.Source
	}
	plans := map[string]*segPlan{}
	for i := range b.Segments {
		sg := &b.Segments[i]
		sp := plans[sg.ID]
		if sp == nil {
			sp = &segPlan{old: p.segs[sg.ID]}
			if sp.old != nil {
				old, err := sp.old.decode()
				if err != nil {
					return fmt.Errorf("segment %s: %w", sg.ID, err)
				}
				sp.srcs = old.Sources
			}
			plans[sg.ID] = sp
		}
		contrib := sg.Sources
		if len(contrib) == 0 && b.Source != "" {
			contrib = []graph.Source{{File: b.Source, Count: 1}}
		}
		sp.srcs, _ = graph.MergeSources(sp.srcs, contrib)
		sp.seg = *sg
		sp.seg.Sources = sp.srcs
		sp.want = segmentNode{Files: sourceFiles(s.sp, sg.ID, sp.srcs)}
		var err error
		if sp.want.Data, err = encodeSegment(sp.seg); err != nil {
			return fmt.Errorf("segment %s: %w", sg.ID, err)
		}
	}
	for i, id := range sids {
		sp := plans[id]
		if sp.old == nil {
			p.ws = append(p.ws, newNode("s"+strconv.Itoa(i), predSID, s.sp.key(id), sp.want.vals(), sp.want.Files))
			continue
		}
		p.held = append(p.held, sp.seg)
		if w := diff(sp.old.UID, sp.old.vals(), sp.want.vals(), sp.old.Files, sp.want.Files); !w.empty() {
			p.ws = append(p.ws, w)
		}
	}
	return nil
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
		u, err := s.upsertTxn(ctx, txn, b, next.ID, at)
		if err != nil {
			return err
		}
		ws := append(u.ws, write{set: map[string]any{"uid": resp.F[0].UID, predValidTo: at.Format(time.RFC3339Nano)}})
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
	nodes, err := s.nodesOf(ctx, txn, file)
	if err != nil {
		return nil, err
	}
	d := sourceDeletion{file: file, lost: map[string]int{}, ents: map[string]*entInfo{}}
	for i := range nodes {
		if err := s.dropSource(&d, &nodes[i]); err != nil {
			return nil, err
		}
	}
	if err := s.countRefs(ctx, txn, &d); err != nil {
		return nil, err
	}
	for uid, e := range d.ents {
		if len(e.files) == 0 && e.refs <= d.lost[uid] {
			d.ws = append(d.ws, deleteNode(uid, entityPreds))
		}
	}
	st, err := s.stateDeletes(ctx, txn, file)
	if err != nil {
		return nil, err
	}
	return append(d.ws, st...), nil
}

// sourceDeletion is what deleting a file's contribution works out.
type sourceDeletion struct {
	file string
	ws   []write
	lost map[string]int      // entity uid → facts referring to it that go
	ents map[string]*entInfo // entity uid → what is left of it
}

// entInfo is what is left of an entity a file wrote.
type entInfo struct {
	files []string // files left
	refs  int      // facts referring to it
}

// nodesOf reads every node that lists file in kg.files, in pages.
func (s *Store) nodesOf(ctx context.Context, txn *dgo.Txn, file string) ([]delNode, error) {
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
			return nodes, nil
		}
		after = resp.N[len(resp.N)-1].UID
	}
}

// dropSource works out what removing the file does to one of its nodes:
// a fact or segment loses the file's sources (and goes when it has none
// left), an entity loses the file.
func (s *Store) dropSource(d *sourceDeletion, n *delNode) error {
	if n.EID != "" && n.FID == "" && n.SID == "" {
		fk := s.sp.fileKey(d.file, s.sp.unkey(n.EID))
		d.ents[n.UID] = &entInfo{files: slices.DeleteFunc(slices.Clone(n.Files), func(f string) bool { return f == fk }), refs: n.NSubject + n.NObject}
		d.ws = append(d.ws, write{del: map[string]any{"uid": n.UID, predFiles: []string{fk}}})
		return nil
	}
	if n.FID == "" && n.SID == "" {
		return nil
	}
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
		return fmt.Errorf("node %s: %w", n.UID, err)
	}
	left, total := graph.RemoveSource(srcs, d.file)
	if len(left) == 0 {
		d.dropNode(n)
		return nil
	}
	id := n.FID
	if id == "" {
		id = n.SID
	}
	fk := s.sp.fileKey(d.file, s.sp.unkey(id))
	w := write{set: map[string]any{"uid": n.UID}, del: map[string]any{"uid": n.UID, predFiles: []string{fk}}}
	if n.FID != "" {
		if fact.Sources, err = encodeSources(left); err != nil {
			return err
		}
		fact.Count = total
		data, err := fact.data()
		if err != nil {
			return fmt.Errorf("node %s: %w", n.UID, err)
		}
		if data == "" {
			w.del[predFact] = nil
		} else {
			w.set[predFact] = data
		}
	} else {
		sg.Sources = left
		if w.set[predSegment], err = encodeSegment(sg); err != nil {
			return err
		}
	}
	d.ws = append(d.ws, w)
	return nil
}

// dropNode deletes a fact or segment left without sources; a fact's
// entities lose a reference.
func (d *sourceDeletion) dropNode(n *delNode) {
	if n.FID == "" {
		d.ws = append(d.ws, deleteNode(n.UID, segmentPreds))
		return
	}
	d.ws = append(d.ws, deleteNode(n.UID, factPreds))
	if n.Subject != nil {
		d.lost[n.Subject.UID]++
	}
	if n.Object != nil {
		d.lost[n.Object.UID]++
	}
}

// countRefs reads the files and references of the entities that lose a
// fact but that the file did not declare.
func (s *Store) countRefs(ctx context.Context, txn *dgo.Txn, d *sourceDeletion) error {
	var unknown []string
	for uid := range d.lost {
		if d.ents[uid] == nil {
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
			return fmt.Errorf("count references: %w", err)
		}
		for _, n := range resp.N {
			d.ents[n.UID] = &entInfo{files: n.Files, refs: n.NSubject + n.NObject}
		}
	}
	return nil
}

// stateDeletes returns the writes that delete the file's source state.
func (s *Store) stateDeletes(ctx context.Context, txn *dgo.Txn, file string) ([]write, error) {
	q := newQuery()
	q.block("st(func: eq(" + predStateFile + ", " + q.str(s.sp.key(file)) + ")) { uid }")
	var resp struct {
		St []stateNode `json:"st"`
	}
	if err := run(ctx, txn, q, &resp); err != nil {
		return nil, fmt.Errorf("read source state: %w", err)
	}
	var ws []write
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
