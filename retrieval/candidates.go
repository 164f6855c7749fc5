package retrieval

import (
	"context"
	"fmt"
	"math"
	"sort"

	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"
)

// A lookup finds its candidates in the index itself, not through Bleve's
// query engine: it walks the posting lists of the query's rarest keys in
// the length buckets that can hold a match, learns from each posting how
// many keys the document has (the BM25 field length) and how many of
// them it shares with the query, checks the common keys with cheap
// bitmap probes, and so knows for every document an upper bound of its
// score (bound) before loading anything. The candidates are then read and
// scored best bound first, and the lookup stops as soon as no candidate
// left can enter the results. See docs/retrieval.md, "Candidates".

// candidate is a document that may match a lookup.
type candidate struct {
	shard  int
	doc    uint64  // the document number in the shard's snapshot
	length int     // how many lexical keys its source has
	bound  int     // an upper bound of its score
	weight float64 // the idf of the keys it shares: BM25's idea of what matters
}

// Bounds of the candidates found by their hashes: an identical source may
// score 101 (in context), a near-identical one at most 99.
const (
	boundExact = 101
	boundNear  = 99
)

// termFilter is a keyword a candidate must have (a language, when the
// index holds several).
type termFilter struct{ field, term string }

// shardReader is one shard's snapshot for the time of a lookup.
type shardReader struct {
	snap    *scorch.IndexSnapshot
	offsets []uint64 // first document number of each segment
}

// openReaders opens a snapshot of every shard; the caller closes them.
func (x *Index) openReaders() ([]*shardReader, error) {
	out := make([]*shardReader, 0, len(x.shards))
	for _, s := range x.shards {
		ai, err := s.Advanced()
		if err != nil {
			closeReaders(out)
			return nil, err
		}
		r, err := ai.Reader()
		if err != nil {
			closeReaders(out)
			return nil, err
		}
		snap, ok := r.(*scorch.IndexSnapshot)
		if !ok {
			r.Close()
			closeReaders(out)
			return nil, fmt.Errorf("index shard is a %T, not a scorch index", r)
		}
		sr := &shardReader{snap: snap}
		var running uint64
		for _, seg := range snap.Segments() {
			sr.offsets = append(sr.offsets, running)
			running += seg.Segment().Count()
		}
		out = append(out, sr)
	}
	return out, nil
}

func closeReaders(rs []*shardReader) {
	for _, r := range rs {
		r.snap.Close()
	}
}

// load returns the stored record and ID of a document.
func (r *shardReader) load(doc uint64) (data, id string, err error) {
	i := sort.Search(len(r.offsets), func(i int) bool { return r.offsets[i] > doc }) - 1
	segs := r.snap.Segments()
	if i < 0 || i >= len(segs) {
		return "", "", fmt.Errorf("document number %d out of range", doc)
	}
	err = segs[i].VisitDocument(doc-r.offsets[i], func(field string, _ byte, val []byte, _ []uint64) bool {
		switch field {
		case "_id":
			id = string(val)
		case fData:
			data = string(val)
		}
		return data == "" || id == ""
	})
	return data, id, err
}

// probe answers whether documents, asked in increasing order, have a
// term. Bleve's readers restart from the first posting when asked to go
// back, which a probe past a missing document would do on the next call:
// probe remembers where its reader stands instead.
type probe struct {
	tfr     index.TermFieldReader
	started bool   // the reader stands on a posting: at
	at      uint64 // the document the reader stands on
	done    bool   // no posting at or after at
	tfd     index.TermFieldDoc
	id      index.IndexInternalID
}

func newProbe(ctx context.Context, r *scorch.IndexSnapshot, field, term string) (*probe, error) {
	tfr, err := r.TermFieldReader(ctx, []byte(term), field, false, false, false)
	if err != nil {
		return nil, err
	}
	return &probe{tfr: tfr, id: make(index.IndexInternalID, 8)}, nil
}

// has reports whether doc has the term. Calls must not go back.
func (p *probe) has(doc uint64) (bool, error) {
	if p.done {
		return false, nil
	}
	if p.started && p.at >= doc {
		return p.at == doc, nil
	}
	p.id = index.NewIndexInternalID(p.id, doc)
	next, err := p.tfr.Advance(p.id, &p.tfd)
	if err != nil {
		return false, err
	}
	if next == nil {
		p.done = true
		return false, nil
	}
	p.at, p.started = next.ID.Value(), true
	return p.at == doc, nil
}

func (p *probe) close() { p.tfr.Close() }

// postings walks the postings of one key in one bucket field, with the
// term frequency and the field length.
type postings struct {
	tfr  index.TermFieldReader
	mult int // occurrences of the key in the query
	idf  float64
	cur  *index.TermFieldDoc
	doc  uint64
}

func (p *postings) next() error {
	next, err := p.tfr.Next(p.cur)
	if err != nil {
		return err
	}
	if next == nil {
		p.cur = nil
		return nil
	}
	p.cur = next
	p.doc = next.ID.Value()
	return nil
}

// fieldLength returns the number of tokens of the field a posting is in,
// from its BM25 norm (1/√length).
func fieldLength(norm float64) int {
	if norm <= 0 {
		return 0
	}
	return int(math.Round(1 / (norm * norm)))
}

// lookupPlan is what every shard needs to find a lookup's candidates.
type lookupPlan struct {
	p           *Prepared
	minScore    int
	lo, hi      int                // the length buckets searched
	keys, rest  []string           // keys walked and keys probed
	mult        map[string]int     // occurrences of each key in the query
	idf         map[string]float64 // inverse document frequency of each key
	restOcc     int                // occurrences of the probed keys
	exact, near string             // hash keys
	filters     []termFilter
}

// shardCandidates returns the candidates of one shard whose bound is at
// least minScore.
func shardCandidates(ctx context.Context, r *shardReader, shard int, pl *lookupPlan) ([]candidate, error) {
	sc := &shardScan{ctx: ctx, r: r, shard: shard, pl: pl, n: len(pl.p.keys)}
	// Identical and near-identical sources, by their hashes.
	if err := sc.hashCandidates(fHash, pl.exact, boundExact); err != nil {
		return nil, err
	}
	if err := sc.hashCandidates(fNorm, pl.near, boundNear); err != nil {
		return nil, err
	}
	// The rest: the documents of the rarest keys, bucket by bucket.
	for b := pl.lo; b <= pl.hi && len(pl.keys) > 0; b++ {
		if err := sc.bucketCandidates(wordsField(b)); err != nil {
			return nil, err
		}
	}
	return sc.out, nil
}

// shardScan is the search of one shard for a lookup's candidates.
type shardScan struct {
	ctx   context.Context
	r     *shardReader
	shard int
	pl    *lookupPlan
	n     int // how many lexical keys the query has
	out   []candidate
}

// newFilters returns a fresh set of filter probes, for one pass over
// increasing document numbers.
func (sc *shardScan) newFilters() ([]*probe, error) {
	fs := make([]*probe, 0, len(sc.pl.filters))
	for _, f := range sc.pl.filters {
		pr, err := newProbe(sc.ctx, sc.r.snap, f.field, f.term)
		if err != nil {
			closeProbes(fs)
			return nil, err
		}
		fs = append(fs, pr)
	}
	return fs, nil
}

// passes reports whether doc has every filter's term.
func passes(fs []*probe, doc uint64) (bool, error) {
	for _, f := range fs {
		ok, err := f.has(doc)
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

// hashCandidates adds the documents whose hash field has term (the
// query's hash; none when it is ""), with the given bound.
func (sc *shardScan) hashCandidates(field, term string, bound int) error {
	if term == "" {
		return nil
	}
	fs, err := sc.newFilters()
	if err != nil {
		return err
	}
	defer closeProbes(fs)
	tfr, err := sc.r.snap.TermFieldReader(sc.ctx, []byte(term), field, false, false, false)
	if err != nil {
		return err
	}
	defer tfr.Close()
	var tfd index.TermFieldDoc
	for {
		next, err := tfr.Next(&tfd)
		if err != nil || next == nil {
			return err
		}
		doc := next.ID.Value()
		if ok, err := passes(fs, doc); err != nil {
			return err
		} else if ok {
			sc.out = append(sc.out, candidate{shard: sc.shard, doc: doc, length: sc.n, bound: bound, weight: math.MaxFloat64})
		}
	}
}

// bucket is the walk of one length bucket: the postings of the rarest
// keys, and probes for the other keys and for the filters.
// bucketCandidates opens and closes it.
type bucket struct {
	its       []*postings
	probes    []*probe // the probed keys' (probes[:len(pl.rest)]), then the filters'
	filters   []*probe
	probeMult []int     // occurrences of each probed key in the query
	probeIDF  []float64 // and its idf
}

// docKeys is one document of a bucket walk and the walked keys it has.
type docKeys struct {
	doc    uint64
	shared int     // occurrences of the query's keys it has, so far
	weight float64 // the idf of those keys
	length int     // its field length; 0 when unknown
}

// next returns the next document in order that has one of the walked
// keys, with those keys, and moves their postings past it; false when
// the walk is over.
func (bk *bucket) next() (docKeys, bool, error) {
	d, found := docKeys{}, false
	for _, it := range bk.its {
		if it.cur != nil && (!found || it.doc < d.doc) {
			d.doc, found = it.doc, true
		}
	}
	if !found {
		return d, false, nil
	}
	for _, it := range bk.its {
		if it.cur == nil || it.doc != d.doc {
			continue
		}
		d.shared += min(int(it.cur.Freq), it.mult)
		d.weight += it.idf
		d.length = fieldLength(it.cur.Norm)
		if err := it.next(); err != nil {
			return d, false, err
		}
	}
	return d, true, nil
}

// bucketCandidates adds the documents of the bucket field whose bound is
// at least minScore. (The walk is opened here, in local slices, not in
// a function of its own, so that small walks allocate no slices.)
func (sc *shardScan) bucketCandidates(field string) error {
	var its []*postings
	var probes []*probe // the probed keys', then the filters'
	var probeMult []int
	var probeIDF []float64
	defer func() {
		for _, it := range its {
			it.tfr.Close()
		}
		closeProbes(probes)
	}()
	for _, k := range sc.pl.keys {
		tfr, err := sc.r.snap.TermFieldReader(sc.ctx, []byte(k), field, true, true, false)
		if err != nil {
			return err
		}
		it := &postings{tfr: tfr, mult: sc.pl.mult[k], idf: sc.pl.idf[k], cur: &index.TermFieldDoc{}}
		its = append(its, it)
		if err := it.next(); err != nil {
			return err
		}
	}
	for _, k := range sc.pl.rest {
		pr, err := newProbe(sc.ctx, sc.r.snap, field, k)
		if err != nil {
			return err
		}
		probes = append(probes, pr)
		probeMult = append(probeMult, sc.pl.mult[k])
		probeIDF = append(probeIDF, sc.pl.idf[k])
	}
	fs, err := sc.newFilters()
	if err != nil {
		return err
	}
	probes = append(probes, fs...) // closed with the others
	bk := bucket{its: its, probes: probes, filters: fs, probeMult: probeMult, probeIDF: probeIDF}
	for seen := 1; ; seen++ {
		d, found, err := bk.next()
		if err != nil || !found {
			return err
		}
		if seen%4096 == 0 {
			if err := sc.ctx.Err(); err != nil {
				return err
			}
		}
		if d.length == 0 {
			d.length = sc.n
		}
		c, ok, err := sc.bound(&bk, d)
		if err != nil {
			return err
		}
		if ok {
			sc.out = append(sc.out, c)
		}
	}
}

// bound returns the candidate of d when its bound reaches minScore: the
// keys it shares, counting the probed keys it has, over the longer of it
// and the query. It probes only while the keys left could lift it to
// minScore.
func (sc *shardScan) bound(bk *bucket, d docKeys) (candidate, bool, error) {
	pl, n, m := sc.pl, sc.n, d.length
	// Lengths too far apart, or too few keys in common even if it had
	// every probed one: the score cannot reach minScore.
	mx := max(n, m)
	if 100*min(n, m)/mx < pl.minScore || 100*min(d.shared+pl.restOcc, m)/mx < pl.minScore {
		return candidate{}, false, nil
	}
	shared, weight := d.shared, d.weight
	left := pl.restOcc
	for i, pr := range bk.probes[:len(pl.rest)] {
		if 100*min(shared+left, m)/mx < pl.minScore {
			break // the other keys cannot lift it to minScore
		}
		ok, err := pr.has(d.doc)
		if err != nil {
			return candidate{}, false, err
		}
		left -= bk.probeMult[i]
		if ok {
			shared += bk.probeMult[i]
			weight += bk.probeIDF[i]
		}
	}
	bound := 100 * min(shared, m) / mx
	if bound < pl.minScore {
		return candidate{}, false, nil
	}
	if ok, err := passes(bk.filters, d.doc); err != nil || !ok {
		return candidate{}, false, err
	}
	return candidate{shard: sc.shard, doc: d.doc, length: m, bound: bound, weight: weight}, true, nil
}

func closeProbes(ps []*probe) {
	for _, p := range ps {
		p.close()
	}
}
