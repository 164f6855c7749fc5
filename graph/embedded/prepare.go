package embedded

import (
	"bytes"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kgmem/kgmem/graph"
)

// An Upsert's transaction is one goroutine's work: bbolt writes one
// transaction at a time and a transaction is not safe for concurrent use.
// Much of that work does not read the store, though: encoding each record
// and building and sorting its index keys. So Upsert prepares every record
// as it is written when the store does not hold it yet (always, while a
// graph is first built), chunk by chunk, on a second goroutine and on the
// transaction's own when that would otherwise wait. The transaction takes
// a prepared record when the store does not hold it, and otherwise writes
// it as before, merged with the stored one; the prepared index keys of
// such a record are left out.

// prepChunk is how many records are prepared together.
const prepChunk = 512

// preparedIndexes are the indexes whose keys a prepared batch builds.
var preparedIndexes = [...][]byte{bSubject, bObject, bLabels, bFolded, bBySource}

const (
	pSubject = iota
	pObject
	pLabels
	pFolded
	pBySource
)

// indexKeys are index keys by preparedIndexes.
type indexKeys [len(preparedIndexes)][]ownedKey

// prepared is an Upsert's batch worked out off the transaction. Records are
// numbered facts first, then segments, each in ID order, and prepared in
// chunks of prepChunk: a chunk is claimed by the goroutine that prepares
// it (next), and read by the transaction when done. keys are filled and
// sorted when sorted is done.
type prepared struct {
	source    string
	now       time.Time
	facts     []graph.Fact     // with their IDs, in ID order; only read
	segs      []*graph.Segment // in ID order; only read
	recs      []preparedRecord // by record number
	chunkKeys []indexKeys      // by chunk
	next      atomic.Int32     // the next chunk to claim
	done      []chan struct{}  // closed when the second goroutine has prepared a chunk
	left      atomic.Int32     // chunks not prepared yet
	prepared  chan struct{}    // closed when every chunk is prepared
	keys      indexKeys        // every chunk's, sorted
	nextSort  atomic.Int32     // the next index of keys to sort
	sorted    sync.WaitGroup
	stop      atomic.Bool   // the transaction has ended
	ended     chan struct{} // closed when the second goroutine returns
}

// preparedRecord is a record's value, encoded as it is stored when new.
type preparedRecord struct {
	value []byte
	err   error
}

// ownedKey is an index key and the record it indexes.
type ownedKey struct {
	k     []byte
	owner int32
}

// preparer is one goroutine's memory for what it prepares.
type preparer struct {
	values, keys arena
}

func newPrepared(source string, now time.Time, facts []graph.Fact, segs []*graph.Segment) *prepared {
	n := len(facts) + len(segs)
	chunks := (n + prepChunk - 1) / prepChunk
	p := &prepared{
		source: source, now: now, facts: facts, segs: segs,
		recs:      make([]preparedRecord, n),
		chunkKeys: make([]indexKeys, chunks),
		done:      make([]chan struct{}, chunks),
		prepared:  make(chan struct{}),
		ended:     make(chan struct{}),
	}
	for c := range p.done {
		p.done[c] = make(chan struct{})
	}
	p.left.Store(int32(chunks))
	if chunks == 0 {
		close(p.prepared)
	}
	p.sorted.Add(len(p.keys))
	return p
}

// run is the second goroutine: it prepares the chunks the transaction has
// not claimed, then sorts keys with it.
func (p *prepared) run() {
	defer close(p.ended)
	var pr preparer
	for !p.stop.Load() {
		c := int(p.next.Add(1)) - 1
		if c >= len(p.done) {
			<-p.prepared // the transaction may still be preparing one
			p.sortKeys()
			return
		}
		p.prepareChunk(c, &pr)
		close(p.done[c])
	}
}

// await returns when chunk c is prepared, preparing it with pr if no one
// has claimed it yet.
func (p *prepared) await(c int, pr *preparer) {
	if p.next.CompareAndSwap(int32(c), int32(c+1)) {
		p.prepareChunk(c, pr)
		return
	}
	<-p.done[c]
}

func (p *prepared) prepareChunk(c int, pr *preparer) {
	for i := c * prepChunk; i < min((c+1)*prepChunk, len(p.recs)); i++ {
		if i < len(p.facts) {
			p.fact(i, pr, &p.chunkKeys[c])
		} else {
			p.segment(i, pr, &p.chunkKeys[c])
		}
	}
	if p.left.Add(-1) == 0 {
		close(p.prepared)
	}
}

// sortKeys gathers and sorts the keys of the indexes no one has taken yet.
// Call it when every chunk is prepared.
func (p *prepared) sortKeys() {
	for {
		ix := int(p.nextSort.Add(1)) - 1
		if ix >= len(p.keys) {
			return
		}
		n := 0
		for c := range p.chunkKeys {
			n += len(p.chunkKeys[c][ix])
		}
		keys := make([]ownedKey, 0, n)
		for c := range p.chunkKeys {
			keys = append(keys, p.chunkKeys[c][ix]...)
		}
		slices.SortFunc(keys, func(a, b ownedKey) int { return bytes.Compare(a.k, b.k) })
		p.keys[ix] = keys
		p.sorted.Done()
	}
}

// end stops preparing and waits for the second goroutine to return.
func (p *prepared) end() {
	p.stop.Store(true)
	<-p.ended
}

func (pr *preparer) key(keys *indexKeys, index int, owner int, parts ...string) {
	keys[index] = append(keys[index], ownedKey{pr.keys.key(parts), int32(owner)})
}

// fact prepares record i, a fact, as writer.fact writes a new one.
func (p *prepared) fact(i int, pr *preparer, keys *indexKeys) {
	f := p.facts[i] // a copy: the transaction may change the original
	if f.Subject == "" || f.Predicate == "" {
		return // the transaction reports it
	}
	if len(f.Sources) == 0 {
		f.Sources = []graph.Source{{File: p.source, Count: max(f.Count, 1)}}
	}
	f.Sources, f.Count = mergeNew(f.Sources)
	if f.ValidFrom.IsZero() {
		f.ValidFrom = p.now
	}
	p.recs[i].value, p.recs[i].err = pr.values.encode(func(buf []byte) ([]byte, error) { return appendFact(buf, &f) })
	pr.key(keys, pSubject, i, f.Subject, f.ID)
	if f.Object != "" {
		pr.key(keys, pObject, i, f.Object, f.ID)
	}
	if isLabel(&f) {
		base := graph.BaseLang(f.Lang)
		pr.key(keys, pLabels, i, base, f.Literal, f.ID)
		pr.key(keys, pFolded, i, base, graph.Fold(f.Literal), f.ID)
	}
	for _, src := range f.Sources {
		pr.key(keys, pBySource, i, src.File, "f", f.ID)
	}
}

// segment prepares record i, a segment, as writer.segment writes a new one.
func (p *prepared) segment(i int, pr *preparer, keys *indexKeys) {
	sg := *p.segs[i-len(p.facts)]
	if sg.ID == "" {
		return // the transaction reports it
	}
	if len(sg.Sources) == 0 {
		sg.Sources = []graph.Source{{File: p.source, Count: 1}}
	}
	sg.Sources, _ = mergeNew(sg.Sources)
	p.recs[i].value, p.recs[i].err = pr.values.encode(func(buf []byte) ([]byte, error) { return appendSegment(buf, &sg) })
	for _, src := range sg.Sources {
		pr.key(keys, pBySource, i, src.File, "s", sg.ID)
	}
}

// writePrepared writes a batch's records and index entries with p. A
// record the store already holds is written by fact or segment.
func (w *writer) writePrepared(p *prepared) error {
	old := make([]bool, len(p.recs)) // records the store held
	var pr preparer
	for c := range p.done {
		p.await(c, &pr)
		for i := c * prepChunk; i < min((c+1)*prepChunk, len(p.recs)); i++ {
			var err error
			if i < len(p.facts) {
				old[i], err = w.preparedFact(&p.facts[i], p.source, &p.recs[i])
			} else {
				sg := *p.segs[i-len(p.facts)]
				old[i], err = w.preparedSegment(&sg, p.source, &p.recs[i])
				if old[i] && err == nil && w.merged != nil {
					*w.merged = append(*w.merged, sg)
				}
			}
			if err != nil {
				return err
			}
		}
	}
	p.sortKeys()
	p.sorted.Wait()
	for ix, keys := range p.keys {
		name := preparedIndexes[ix]
		pending := w.pending[string(name)]
		delete(w.pending, string(name))
		slices.SortFunc(pending, bytes.Compare)
		b := w.tx.Bucket(name)
		var last []byte
		put := func(k []byte) error {
			if last != nil && bytes.Equal(k, last) {
				return nil
			}
			last = k
			return b.Put(k, nil)
		}
		// Merge the prepared keys of new records with the keys scheduled
		// by the transaction, in key order.
		for _, ok := range keys {
			if old[ok.owner] {
				continue
			}
			for len(pending) > 0 && bytes.Compare(pending[0], ok.k) < 0 {
				if err := put(pending[0]); err != nil {
					return err
				}
				pending = pending[1:]
			}
			if err := put(ok.k); err != nil {
				return err
			}
		}
		for _, k := range pending {
			if err := put(k); err != nil {
				return err
			}
		}
	}
	return w.finish()
}

// preparedFact writes fact f (its ID set) with its prepared record, or with
// fact if the store holds it (old).
func (w *writer) preparedFact(f *graph.Fact, source string, rec *preparedRecord) (old bool, err error) {
	if f.Subject == "" || f.Predicate == "" {
		return false, w.fact(f, source) // the error
	}
	fb := w.tx.Bucket(bFacts)
	if fb.Get([]byte(f.ID)) != nil {
		return true, w.fact(f, source)
	}
	if rec.err != nil {
		return false, rec.err
	}
	if err := fb.Put([]byte(f.ID), rec.value); err != nil {
		return false, err
	}
	w.c.add("facts", 1)
	w.c.add("pred:"+f.Predicate, 1)
	if isLabel(f) && f.ValidTo.IsZero() {
		w.c.add("labels", 1)
	}
	return false, nil
}

// preparedSegment writes segment sg with its prepared record, or with
// segment if the store holds it (old).
func (w *writer) preparedSegment(sg *graph.Segment, source string, rec *preparedRecord) (old bool, err error) {
	if sg.ID == "" {
		return false, w.segment(sg, source) // the error
	}
	b := w.tx.Bucket(bSegments)
	if b.Get([]byte(sg.ID)) != nil {
		return true, w.segment(sg, source)
	}
	if rec.err != nil {
		return false, rec.err
	}
	if err := b.Put([]byte(sg.ID), rec.value); err != nil {
		return false, err
	}
	w.c.add("segments", 1)
	return false, nil
}
