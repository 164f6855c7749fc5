package extract

import (
	"encoding/binary"
	"fmt"
	"maps"
	"slices"

	"github.com/kgmem/kgmem/graph"
)

// candCounter counts term candidates while units are added. Counts live in
// a map; when the map outgrows its limit it is written out as a run sorted
// by key and emptied, and finish merges the runs. Most n-grams occur once
// and can never be terms (MinCount), so the table finish returns, of the
// candidates seen at least MinCount times, is far smaller than what was
// counted.
type candCounter struct {
	area    *spillArea
	limit   int
	m       map[string]*cand
	mem     int // bytes the map holds, estimated
	runs    []*recordLog
	spilled int64
	err     error
	// Working memory of countCandidates.
	key     []byte
	covered []bool
}

// candBytes is about what a new candidate costs in the map, besides its
// key and surfaces.
const candBytes = 300

func newCandCounter(area *spillArea, limit int) *candCounter {
	return &candCounter{area: area, limit: limit, m: map[string]*cand{}}
}

// ngram counts an occurrence of the n-gram with binary key key, of n words,
// written surface; later says it is not at the start of the unit, capital
// that it is and starts with a capital letter.
func (cc *candCounter) ngram(key []byte, n int, surface string, later, capital bool) {
	c := cc.m[string(key)]
	if c == nil {
		c = &cand{bkey: string(key), words: n}
		cc.m[c.bkey] = c
		cc.mem += candBytes + len(key)
	}
	c.freq++
	if later {
		c.later++
		if capital {
			c.capital++
		}
	}
	cc.mem += c.surfaces.add(surface)
}

// pattern counts an occurrence of a pattern entity.
func (cc *candCounter) pattern(t graph.EntityType, text string) {
	k := patternKey(t, text)
	c := cc.m[k]
	if c == nil {
		c = &cand{bkey: k, key: string(t) + ":" + text, words: 1, typ: t}
		cc.m[k] = c
		cc.mem += candBytes + 2*len(k)
	}
	c.freq++
	cc.mem += c.surfaces.add(text)
}

// unitDone ends a unit: the map goes to a run if it is over its limit.
func (cc *candCounter) unitDone() {
	if cc.mem > cc.limit && cc.err == nil {
		cc.err = cc.flush()
	}
}

// flush writes the map as a sorted run and empties it.
func (cc *candCounter) flush() error {
	keys := slices.Sorted(maps.Keys(cc.m))
	run := newRecordLog(cc.area, "counts", 0)
	var rec []byte
	for _, k := range keys {
		rec = encodeCount(rec[:0], k, cc.m[k])
		run.append(rec)
	}
	if err := run.finish(); err != nil {
		run.close()
		return err
	}
	cc.spilled += run.size
	cc.runs = append(cc.runs, run)
	cc.m = map[string]*cand{}
	cc.mem = 0
	return nil
}

// encodeCount appends the run record of a candidate: key, then its counts.
func encodeCount(b []byte, k string, c *cand) []byte {
	e := recEncoder{b: b}
	e.str(k)
	e.uvarint(uint64(c.words))
	e.uvarint(uint64(c.freq))
	e.uvarint(uint64(c.later))
	e.uvarint(uint64(c.capital))
	e.str(string(c.typ))
	e.str(c.key)
	counts := c.surfaces.counts()
	e.uvarint(uint64(len(counts)))
	for _, s := range slices.Sorted(maps.Keys(counts)) {
		e.str(s)
		e.uvarint(uint64(counts[s]))
	}
	return e.b
}

// decodeCount adds the counts of a run record to c (a new candidate when
// c is nil) and returns it with the record's key.
func decodeCount(rec []byte, c *cand) (string, *cand, error) {
	d := recDecoder{b: rec}
	k := d.str()
	words := int(d.uvarint())
	freq, later, capital := int(d.uvarint()), int(d.uvarint()), int(d.uvarint())
	typ := graph.EntityType(d.str())
	key := d.str()
	if c == nil {
		c = &cand{bkey: k, words: words, typ: typ, key: key}
	}
	c.freq += freq
	c.later += later
	c.capital += capital
	n := d.uvarint()
	for i := uint64(0); i < n && d.err == nil; i++ {
		s := d.str()
		c.surfaces.addN(s, int(d.uvarint()))
	}
	if d.err != nil {
		return "", nil, fmt.Errorf("extract: read candidate counts: %w", d.err)
	}
	return k, c, nil
}

// finish returns the candidates keep accepts, with their counts summed
// over every run. The counter is empty afterwards.
func (cc *candCounter) finish(keep func(*cand) bool) (map[string]*cand, error) {
	if cc.err != nil {
		return nil, cc.err
	}
	if len(cc.runs) == 0 {
		out := cc.m
		maps.DeleteFunc(out, func(_ string, c *cand) bool { return !keep(c) })
		cc.m = map[string]*cand{}
		return out, nil
	}
	if err := cc.flush(); err != nil {
		return nil, err
	}
	out := map[string]*cand{}
	var cur *cand
	emit := func() {
		if cur != nil && keep(cur) {
			out[cur.bkey] = cur
		}
		cur = nil
	}
	srcs := make([]mergeSource, len(cc.runs))
	for i, run := range cc.runs {
		srcs[i] = &countSource{r: run.reader(0)}
	}
	err := mergeSorted(srcs, func(key, val []byte) error {
		if cur != nil && cur.bkey != string(key) {
			emit()
		}
		_, c, err := decodeCount(val, cur)
		cur = c
		return err
	})
	if err != nil {
		return nil, err
	}
	emit()
	cc.close()
	return out, nil
}

// countSource reads a run of counts for mergeSorted: the key is the
// record's first field, the value the whole record.
type countSource struct{ r *logReader }

func (cs *countSource) next() ([]byte, []byte, error) {
	rec, err := cs.r.next()
	if err != nil {
		return nil, nil, err
	}
	n, k := binary.Uvarint(rec)
	if k <= 0 || uint64(len(rec)-k) < n {
		return nil, nil, errBadRecord
	}
	return rec[k : k+int(n)], rec, nil
}

// close drops the counter's runs and map.
func (cc *candCounter) close() {
	for _, r := range cc.runs {
		r.close()
	}
	cc.runs = nil
	cc.m = map[string]*cand{}
}
