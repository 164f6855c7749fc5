package retrieval

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/langtag"
)

// EntityLister is implemented by stores that can list every entity with
// its labels. The index uses it when the store has it; otherwise it finds
// the entities through the segments that mention them and their
// neighbours, which misses term-base concepts no segment mentions.
type EntityLister interface {
	// Entities calls fn for every entity, with its current labels, until
	// fn returns an error.
	Entities(ctx context.Context, fn func(*graph.Entity) error) error
}

// entityRec is an entity as the index keeps it: what spotting and name
// lookup need, and a digest to tell when it changed.
type entityRec struct {
	ID     string
	Type   graph.EntityType
	Key    string
	Labels []graph.Label
	Digest string
}

func newEntityRec(e *graph.Entity) entityRec {
	ls := append([]graph.Label(nil), e.Labels...)
	graph.SortLabels(ls)
	r := entityRec{ID: e.ID, Type: e.Type, Key: e.Key, Labels: ls}
	b, _ := json.Marshal(struct {
		T graph.EntityType
		K string
		L []graph.Label
	}{r.Type, r.Key, r.Labels})
	h := sha256.Sum256(b)
	r.Digest = hex.EncodeToString(h[:12])
	return r
}

// entityTable holds the entities of the index in memory, sorted by ID. It
// is not changed after it is built: a catch-up replaces it. Entities are
// found by binary search, so that replacing a few after a learned pair
// costs a copy of the slice, not a new map of every entity.
type entityTable struct {
	recs []entityRec
}

func newEntityTable(recs []entityRec) *entityTable {
	if !slices.IsSortedFunc(recs, func(a, b entityRec) int { return strings.Compare(a.ID, b.ID) }) {
		sortRecs(recs)
	}
	return &entityTable{recs: recs}
}

func (t *entityTable) len() int { return len(t.recs) }

// find returns the position of id in the table, or where it would go,
// and whether it is there.
func (t *entityTable) find(id string) (int, bool) {
	return slices.BinarySearchFunc(t.recs, id, func(r entityRec, id string) int { return strings.Compare(r.ID, id) })
}

func (t *entityTable) get(id string) (*entityRec, bool) {
	i, ok := t.find(id)
	if !ok {
		return nil, false
	}
	return &t.recs[i], true
}

const entityTableFile = "entities.gob"

func writeEntityTable(path string, recs []entityRec) error {
	f, err := os.CreateTemp(filepath.Dir(path), "entities.tmp*")
	if err != nil {
		return fmt.Errorf("write entity table: %w", err)
	}
	bw := bufio.NewWriter(f)
	err = gob.NewEncoder(bw).Encode(recs)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if e := f.Close(); err == nil {
		err = e
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("write entity table: %w", err)
	}
	return nil
}

func readEntityTable(path string) ([]entityRec, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read entity table: %w", err)
	}
	defer f.Close()
	var recs []entityRec
	if err := gob.NewDecoder(bufio.NewReader(f)).Decode(&recs); err != nil {
		return nil, fmt.Errorf("read entity table %s: %w", path, err)
	}
	return recs, nil
}

// collectEntities reads the entities with labels from the store, sorted
// by ID: every entity if the store is an EntityLister, else the entities
// segments mention (mentioned) and their neighbours.
func collectEntities(ctx context.Context, store graph.Store, mentioned map[string]bool) ([]entityRec, error) {
	var recs []entityRec
	add := func(e *graph.Entity) {
		if len(e.Labels) > 0 {
			recs = append(recs, newEntityRec(e))
		}
	}
	if l, ok := store.(EntityLister); ok {
		err := l.Entities(ctx, func(e *graph.Entity) error {
			add(e)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read entities: %w", err)
		}
	} else {
		seen := make(map[string]bool, len(mentioned))
		for _, id := range sortedKeys(mentioned) {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			if seen[id] {
				continue
			}
			seen[id] = true
			e, err := store.Entity(ctx, id)
			if errors.Is(err, graph.ErrNotFound) {
				continue
			}
			if err != nil {
				return nil, fmt.Errorf("read entity %s: %w", id, err)
			}
			add(&e)
			ns, err := store.Neighbours(ctx, id, 0)
			if err != nil {
				return nil, fmt.Errorf("read neighbours of %s: %w", id, err)
			}
			for i := range ns {
				n := &ns[i].Entity
				if !seen[n.ID] && !mentioned[n.ID] {
					seen[n.ID] = true
					if len(n.Labels) == 0 {
						if full, err := store.Entity(ctx, n.ID); err == nil {
							n = &full
						}
					}
					add(n)
				}
			}
		}
	}
	sort.Slice(recs, func(i, j int) bool { return recs[i].ID < recs[j].ID })
	return recs, nil
}

// entityDoc returns the entity-index document of an entity: its labels
// per language, analysed (lab_), as lowercased words for fuzzy lookup
// (nm_) and whole and folded for exact lookup (ex_).
func entityDoc(r *entityRec) map[string]any {
	doc := map[string]any{fType: string(r.Type)}
	byLang := map[string][]string{}
	for _, l := range r.Labels {
		fl := fieldLang(l.Lang)
		byLang[fl] = append(byLang[fl], l.Text)
	}
	for fl, texts := range byLang {
		doc[fLabel+fl] = texts
		doc[fName+fl] = texts
		folded := make([]string, len(texts))
		for i, t := range texts {
			folded[i] = graph.Fold(t)
		}
		doc[fExact+fl] = folded
	}
	data, _ := json.Marshal(struct {
		Type   graph.EntityType `json:"type"`
		Key    string           `json:"key"`
		Labels []graph.Label    `json:"labels"`
	}{r.Type, r.Key, r.Labels})
	doc[fData] = string(data)
	return doc
}

// buildEntityIndex builds a new entity index at path.
func buildEntityIndex(path string, recs []entityRec, tmp string) error {
	b := newBuilder(path, entityMapping(), tmp)
	for i := range recs {
		if err := b.Index(recs[i].ID, entityDoc(&recs[i])); err != nil {
			b.Close()
			return fmt.Errorf("build entity index: %w", err)
		}
	}
	if err := b.Close(); err != nil {
		return fmt.Errorf("build entity index: %w", err)
	}
	return nil
}

// refreshEntities reads the entities from the store again and writes the
// ones that changed to the entity index; then the table, as a new base. It
// returns the number of documents written or deleted. x.wmu is held.
func (x *Index) refreshEntities(ctx context.Context, store graph.Store, mentioned map[string]bool) (int, error) {
	recs, err := collectEntities(ctx, store, mentioned)
	if err != nil {
		return 0, err
	}
	b := x.ents.NewBatch()
	n := 0
	flush := func(force bool) error {
		if b.Size() == 0 || (!force && b.Size() < batchDocs) {
			return nil
		}
		if err := x.ents.Batch(b); err != nil {
			return fmt.Errorf("write entity index: %w", err)
		}
		b = x.ents.NewBatch() // not Reset: see shardWriter.flushShard
		return nil
	}
	keep := make(map[string]bool, len(recs))
	for i := range recs {
		r := &recs[i]
		keep[r.ID] = true
		if old, ok := x.table.get(r.ID); ok && old.Digest == r.Digest {
			continue
		}
		if err := b.Index(r.ID, entityDoc(r)); err != nil {
			return n, fmt.Errorf("index entity %s: %w", r.ID, err)
		}
		n++
		if err := flush(false); err != nil {
			return n, err
		}
	}
	for i := range x.table.recs {
		if id := x.table.recs[i].ID; !keep[id] {
			b.Delete(id)
			n++
			if err := flush(false); err != nil {
				return n, err
			}
		}
	}
	if err := flush(true); err != nil {
		return n, err
	}
	gd, seq := x.genDir(x.man.Generation), x.man.EntityTable+1
	removeOtherTables(gd, x.man.EntityTable)
	if err := writeEntityTableFile(gd, seq, recs); err != nil {
		return n, err
	}
	table := newEntityTable(recs)
	x.mu.Lock()
	x.man.EntityTable = seq
	x.table = table
	x.spot = map[string]*Spotter{}
	x.mu.Unlock()
	return n, nil
}

// updateEntities reads the entities ids again and writes those that
// changed, or are new, to the entity index and the table; the others stay
// as they are. It returns the number of documents written. x.wmu is held;
// x.mu is taken only to publish the new table.
func (x *Index) updateEntities(ctx context.Context, store graph.Store, ids map[string]bool) (int, error) {
	fresh, err := x.changedEntities(ctx, store, sortedKeys(ids))
	if err != nil {
		return 0, err
	}
	if len(fresh) == 0 {
		return 0, nil
	}
	b := x.ents.NewBatch()
	for i := range fresh {
		if err := b.Index(fresh[i].ID, entityDoc(&fresh[i])); err != nil {
			return 0, fmt.Errorf("index entity %s: %w", fresh[i].ID, err)
		}
	}
	if err := x.ents.Batch(b); err != nil {
		return 0, fmt.Errorf("write entity index: %w", err)
	}
	next := &entityTable{recs: mergeRecs(x.table.recs, fresh)}
	recs := next.recs
	// The changed records go to the table's log; a log grown large is
	// folded into a new base.
	gd, seq := x.genDir(x.man.Generation), x.man.EntityTable
	if logOutgrown(gd, seq) {
		removeOtherTables(gd, seq)
		seq++
		if err := writeEntityTableFile(gd, seq, recs); err != nil {
			return len(fresh), err
		}
	} else {
		_, logPath := entityFiles(gd, seq)
		if err := appendEntityLog(logPath, fresh); err != nil {
			return len(fresh), err
		}
	}
	x.mu.RLock()
	spot := map[string]*Spotter{}
	for lang, sp := range x.spot {
		if spotsSame(x.table, fresh, lang) {
			spot[lang] = sp
		}
	}
	x.mu.RUnlock()
	x.mu.Lock()
	x.man.EntityTable = seq
	x.table = next
	x.spot = spot
	x.mu.Unlock()
	return len(fresh), nil
}

// mergeRecs returns the records of old (sorted by ID) with those of fresh
// (sorted by ID) put in: replacing the record of the same ID, or added in
// its place.
func mergeRecs(old, fresh []entityRec) []entityRec {
	out := make([]entityRec, 0, len(old)+len(fresh))
	i := 0
	for _, r := range fresh {
		for i < len(old) && old[i].ID < r.ID {
			out = append(out, old[i])
			i++
		}
		if i < len(old) && old[i].ID == r.ID {
			i++
		}
		out = append(out, r)
	}
	return append(out, old[i:]...)
}

// changedEntities reads the entities ids (sorted) from store, several at
// once, and returns, in the order of ids, the records of those whose
// record differs from the table's (or that it lacks).
func (x *Index) changedEntities(ctx context.Context, store graph.Store, ids []string) ([]entityRec, error) {
	recs := make([]*entityRec, len(ids))
	const chunk = 256
	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		errMu    sync.Mutex
		firstErr error
	)
	for range min(runtime.GOMAXPROCS(0), (len(ids)+chunk-1)/chunk) {
		wg.Go(func() {
			for {
				lo := int(next.Add(chunk)) - chunk
				if lo >= len(ids) || ctx.Err() != nil {
					return
				}
				for i := lo; i < min(lo+chunk, len(ids)); i++ {
					e, err := store.Entity(ctx, ids[i])
					if errors.Is(err, graph.ErrNotFound) {
						continue
					}
					if err != nil {
						errMu.Lock()
						if firstErr == nil {
							firstErr = fmt.Errorf("read entity %s: %w", ids[i], err)
						}
						errMu.Unlock()
						return
					}
					r := newEntityRec(&e)
					if old, ok := x.table.get(ids[i]); ok && old.Digest == r.Digest {
						continue
					}
					recs[i] = &r
				}
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var fresh []entityRec
	for _, r := range recs {
		if r != nil {
			fresh = append(fresh, *r)
		}
	}
	return fresh, nil
}

// spotsSame reports whether a spotter of lang built from t still spots as
// one built after fresh replaced their entities in t: no entity is new,
// and none changed its type or its labels in lang. Learning a translation
// changes labels in the target language only, so the source language's
// spotter is kept and not built again after each pair.
func spotsSame(t *entityTable, fresh []entityRec, lang string) bool {
	in := func(ls []graph.Label) []graph.Label {
		return slices.DeleteFunc(slices.Clone(ls), func(l graph.Label) bool { return langtag.Base(l.Lang) != lang })
	}
	for i := range fresh {
		old, ok := t.get(fresh[i].ID)
		if !ok || old.Type != fresh[i].Type || !slices.Equal(in(old.Labels), in(fresh[i].Labels)) {
			return false
		}
	}
	return true
}
