package retrieval

import (
	"context"
	"fmt"
	"math"
	"sort"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/kgmem/kgmem/langtag"
)

// Query is a fuzzy lookup in the translation memory.
type Query struct {
	// Text is the source sentence to find past translations of.
	Text string
	// SourceLang is its language; TargetLang the language of the
	// translations wanted ("" for any).
	SourceLang, TargetLang string
	// Context holds the source texts of the segments around Text in its
	// document, for in-context (101 %) matches; nil when unknown.
	Context *Context
	// Min is the lowest score returned; 0 means DefaultMin.
	Min int
	// Limit is the most matches returned; 0 means DefaultLimit.
	Limit int
}

// Context is where a sentence stands in its document: the source texts of
// the segments before and after it ("" at the start or end).
type Context struct {
	Prev string `json:"prev"`
	Next string `json:"next"`
	// Key tells apart units with the same source text (gettext msgctxt,
	// XLIFF resname); "" when there is none. An identical source with
	// another key scores ContextPenalty less than 100 (the same text may
	// mean something else: the verb "Tag", the noun "Tag"); with the same
	// key, 101.
	Key string `json:"key,omitempty"`
}

// ContextPenalty is what an identical source in another context (Key)
// loses: the match is then fuzzy, to be checked.
const ContextPenalty = 5

// Defaults of Query.
const (
	DefaultMin   = 50
	DefaultLimit = 5
)

// Match is a past translation found for a query.
type Match struct {
	// Score is the fuzzy-match score (Similarity): 100 for identical
	// source text, 101 when the neighbouring segments match too.
	Score      int       `json:"score"`
	Band       Band      `json:"band"`
	Source     string    `json:"source"`
	Target     string    `json:"target"`
	Origin     string    `json:"origin"` // file#unit it came from
	ID         string    `json:"id"`     // the segment ID in the graph
	SourceLang string    `json:"source_lang"`
	TargetLang string    `json:"target_lang"`
	Status     string    `json:"status,omitempty"`
	Domain     string    `json:"domain,omitempty"`
	Changed    time.Time `json:"changed,omitzero"`
	// Context is the context key of the memory's unit (msgctxt,
	// resname); OtherContext is set when it differs from the query's, and
	// the score was lowered for it.
	Context      string `json:"context,omitempty"`
	OtherContext bool   `json:"other_context,omitempty"`
}

// statusRank orders segment statuses for breaking ties: approved first,
// untranslated last.
func statusRank(s string) int {
	switch s {
	case "approved":
		return 0
	case "translated":
		return 1
	case "", "unspecified":
		return 2
	case "machine":
		return 3
	case "draft":
		return 4
	}
	return 5
}

// better reports whether match a ranks before b: higher score, then
// better status, then more recent, then segment ID (so the order is
// total and repeatable).
func better(a, b *Match) bool {
	if a.Score != b.Score {
		return a.Score > b.Score
	}
	if ra, rb := statusRank(a.Status), statusRank(b.Status); ra != rb {
		return ra < rb
	}
	if !a.Changed.Equal(b.Changed) {
		return a.Changed.After(b.Changed)
	}
	return a.ID < b.ID
}

// Lookup finds the past translations most like q.Text, best first.
//
// The candidates are the identical and near-identical source texts (by
// hash) and the documents that share one of the query's rarest keys in
// the length buckets that can hold a match (see rarestKeys); for each,
// the index tells how many keys it has and which of the query's it
// shares, which bounds its score from above without reading it. The
// candidates are then scored with Similarity best bound first, until no
// candidate left can enter the results (its bound is below the Limit-th
// score found) or Options.Candidates of them have been scored. The shards
// are searched in parallel.
func (x *Index) Lookup(ctx context.Context, q Query) ([]Match, error) {
	if q.Min <= 0 {
		q.Min = DefaultMin
	}
	if q.Limit <= 0 {
		q.Limit = DefaultLimit
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.tm == nil || q.Text == "" {
		return nil, nil
	}
	p := Prepare(q.Text)
	readers, err := x.openReaders()
	if err != nil {
		return nil, fmt.Errorf("search the translation memory: %w", err)
	}
	defer closeReaders(readers)
	pl, err := x.plan(ctx, readers, q, p)
	if err != nil {
		return nil, err
	}
	cands, err := gatherCandidates(ctx, readers, pl)
	if err != nil {
		return nil, fmt.Errorf("search the translation memory: %w", err)
	}
	sortCandidates(cands, len(p.keys))
	return x.scoreCandidates(readers, cands, p, q)
}

// sortCandidates orders candidates best bound first; among equal bounds
// the one sharing the rarer keys (the bag-of-words bound ignores word
// order, and a text that shares only common words with the query is
// seldom a match), then the closest length to the query's n keys, then
// in index order, so that the order is repeatable.
func sortCandidates(cands []candidate, n int) {
	sort.Slice(cands, func(i, j int) bool {
		a, b := &cands[i], &cands[j]
		if a.bound != b.bound {
			return a.bound > b.bound
		}
		if a.weight != b.weight {
			return a.weight > b.weight
		}
		if da, db := absDiff(a.length, n), absDiff(b.length, n); da != db {
			return da < db
		}
		if a.shard != b.shard {
			return a.shard < b.shard
		}
		return a.doc < b.doc
	})
}

// scoreCandidates scores the candidates in order and returns the best
// q.Limit matches, stopping at the first candidate whose bound is below
// the floor a match must reach (Min, then the Limit-th best score: an
// equal score may still rank higher by status or date) or when
// Options.Candidates have been scored.
func (x *Index) scoreCandidates(readers []*shardReader, cands []candidate, p *Prepared, q Query) ([]Match, error) {
	out := make([]Match, 0, q.Limit+1)
	floor := q.Min
	scored := 0
	type docKey struct {
		shard int
		doc   uint64
	}
	seen := make(map[docKey]bool, 16)
	for i := range cands {
		c := &cands[i]
		if c.bound < floor || scored >= x.opts.Candidates {
			break
		}
		if seen[docKey{c.shard, c.doc}] {
			continue
		}
		seen[docKey{c.shard, c.doc}] = true
		scored++
		m, ok, err := readMatch(readers[c.shard], c.doc, p, q, floor)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		out = insertMatch(out, m, q.Limit)
		if len(out) == q.Limit {
			floor = max(floor, out[q.Limit-1].Score)
		}
	}
	return out, nil
}

// readMatch reads document doc and scores it against the query; false
// when it scores below floor.
func readMatch(r *shardReader, doc uint64, p *Prepared, q Query, floor int) (Match, bool, error) {
	data, id, err := r.load(doc)
	if err != nil {
		return Match{}, false, fmt.Errorf("search the translation memory: %w", err)
	}
	src, err := recordSource(data)
	if err != nil {
		return Match{}, false, fmt.Errorf("search the translation memory: document %s: %w", id, err)
	}
	s := scorePrepared(p, Prepare(src), floor)
	if s < floor {
		return Match{}, false, nil
	}
	rec, err := decodeRecord(data)
	if err != nil {
		return Match{}, false, fmt.Errorf("search the translation memory: document %s: %w", id, err)
	}
	other := false
	if s == 100 && q.Context != nil {
		s, other = contextScore(q.Context, &rec)
	}
	return Match{Score: s, Band: BandOf(s), Source: rec.Source, Target: rec.Target, Origin: rec.Origin,
		ID: id, SourceLang: rec.SourceLang, TargetLang: rec.TargetLang, Status: rec.Status, Domain: rec.Domain, Changed: rec.Changed,
		Context: rec.Context, OtherContext: other}, true, nil
}

// contextScore is the score of an identical source in context c. Context
// keys are compared when both sides have one: different keys give 100 -
// ContextPenalty (other is then true), the same key 101. Otherwise the
// neighbouring segments decide: 101 when they are the same, else 100. A
// side without a key says nothing about meaning (most memories have none),
// so it costs nothing.
func contextScore(c *Context, rec *record) (score int, other bool) {
	switch {
	case c.Key != "" && rec.Context != "" && c.Key != rec.Context:
		return 100 - ContextPenalty, true
	case c.Key != "" && c.Key == rec.Context:
		return 101, false
	case rec.Prev == c.Prev && rec.Next == c.Next:
		return 101, false
	}
	return 100, false
}

// insertMatch inserts m into out, kept in order (better first), and
// keeps the best limit.
func insertMatch(out []Match, m Match, limit int) []Match {
	k := sort.Search(len(out), func(i int) bool { return better(&m, &out[i]) })
	out = append(out, Match{})
	copy(out[k+1:], out[k:])
	out[k] = m
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

func absDiff(a, b int) int {
	if a > b {
		return a - b
	}
	return b - a
}

// gatherCandidates finds the candidates of every shard, the shards in
// parallel.
func gatherCandidates(ctx context.Context, readers []*shardReader, pl *lookupPlan) ([]candidate, error) {
	if len(readers) == 1 {
		return shardCandidates(ctx, readers[0], 0, pl)
	}
	res := make([][]candidate, len(readers))
	errs := make([]error, len(readers))
	var wg sync.WaitGroup
	for i, r := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res[i], errs[i] = shardCandidates(ctx, r, i, pl)
		}()
	}
	wg.Wait()
	var out []candidate
	for i := range res {
		if errs[i] != nil {
			return nil, errs[i]
		}
		out = append(out, res[i]...)
	}
	return out, nil
}

// plan works out what a lookup searches: the length buckets, the keys
// whose postings are walked and those only probed (see rarestKeys), the
// hash keys and the language filters.
func (x *Index) plan(ctx context.Context, readers []*shardReader, q Query, p *Prepared) (*lookupPlan, error) {
	pl := &lookupPlan{p: p, minScore: q.Min, exact: exactKey(q.SourceLang, q.Text), near: normKey(q.SourceLang, p),
		mult: map[string]int{}}
	for _, k := range p.keys {
		pl.mult[k]++
	}
	pl.lo, pl.hi = bucketsFor(len(p.keys), q.Min)
	pl.hi = min(pl.hi, len(lengthBuckets)-1)
	keys, rest, df, err := x.rarestKeys(ctx, readers, p, pl.mult, pl.lo, pl.hi, q.Min)
	if err != nil {
		return nil, err
	}
	var docs uint64
	for _, r := range readers {
		if n, err := r.snap.DocCount(); err == nil {
			docs += n
		}
	}
	pl.idf = make(map[string]float64, len(df))
	for k, f := range df {
		pl.idf[k] = math.Log(1 + float64(docs)/float64(f+1))
	}
	pl.keys, pl.rest = keys, rest
	for _, k := range rest {
		pl.restOcc += pl.mult[k]
	}
	sl := langtag.Base(q.SourceLang)
	if fieldLang(q.SourceLang) == "und" {
		pl.filters = append(pl.filters, termFilter{fSourceLang, sl})
	}
	if q.TargetLang != "" {
		tl := langtag.Base(q.TargetLang)
		if ts := x.man.Pairs[sl]; !(len(ts) == 1 && ts[0] == tl) {
			pl.filters = append(pl.filters, termFilter{fTargetLang, tl})
		}
	}
	return pl, nil
}

// rarestKeys returns the distinct keys of p whose postings a lookup walks:
// all but the most frequent ones (by document frequency in buckets lo to
// hi) whose occurrences in the query add up to fewer than the keys a
// match of minScore must share, within postingBudget; and the keys left
// out, which are only probed for the documents the walk finds.
//
// This is prefix filtering: a text that scores s against a query of n
// keys shares at least ⌈n·s/100⌉ of them, so leaving out the most
// frequent keys up to one fewer than that loses no text scoring minScore
// or more. The keys left out are mostly stop words and placeholders,
// whose posting lists are the longest.
func (x *Index) rarestKeys(ctx context.Context, readers []*shardReader, p *Prepared, mult map[string]int, lo, hi, minScore int) (keys, rest []string, df map[string]uint64, err error) {
	n := len(p.keys)
	if n == 0 {
		return nil, nil, nil, nil
	}
	distinct := make([]string, 0, len(mult))
	for k := range mult {
		distinct = append(distinct, k)
	}
	must := (n*minScore + 99) / 100 // keys a match shares at least
	// Which keys are left out does not change what is found, only what
	// the search costs: the frequencies in the query's own length bucket
	// are a good enough estimate.
	field := wordsField(min(max(bucketOf(n), lo), hi))
	df = make(map[string]uint64, len(distinct))
	for _, r := range readers {
		for _, k := range distinct {
			tfr, err := r.snap.TermFieldReader(ctx, []byte(k), field, false, false, false)
			if err != nil {
				return nil, nil, nil, fmt.Errorf("search the translation memory: %w", err)
			}
			df[k] += tfr.Count()
			tfr.Close()
		}
	}
	sort.Slice(distinct, func(i, j int) bool {
		a, b := distinct[i], distinct[j]
		if df[a] != df[b] {
			return df[a] < df[b]
		}
		return a < b
	})
	// Drop from the frequent end while the dropped occurrences stay below
	// must: a match then still shares at least one key that is searched.
	dropped := 0
	end := len(distinct)
	for end > 1 && dropped+mult[distinct[end-1]] < must {
		end--
		dropped += mult[distinct[end]]
	}
	// The budget: past it, the most frequent of the keys left are only
	// probed. Only queries made of very common words reach it, and only
	// texts that share nothing but common words with them can be missed.
	buckets := uint64(hi - lo + 1)
	var cost uint64
	for i := 0; i < end; i++ {
		c := df[distinct[i]] * buckets
		if i > 0 && cost+c > postingBudget {
			end = i
			break
		}
		cost += c
	}
	return distinct[:end], distinct[end:], df, nil
}

// postingBudget is about how many postings a lookup may walk to choose
// its candidates: the cost of a lookup is about 100 ns per posting.
const postingBudget = 20_000

// Concordance finds the segments whose source text (or, with target, the
// target text) contains the words of text in lang, compared by their
// analysed forms (stems: "files" finds "file"), most relevant (BM25)
// first. It is how a translator checks how a word or phrase was
// translated before; the Score of each match is its Similarity to text.
func (x *Index) Concordance(ctx context.Context, text, lang string, target bool, limit int) ([]Match, error) {
	if limit <= 0 {
		limit = DefaultLimit
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.tm == nil || text == "" {
		return nil, nil
	}
	field := fSource + fieldLang(lang)
	if target {
		field = fTarget + fieldLang(lang)
	}
	m := bleve.NewMatchQuery(text)
	m.SetField(field)
	m.SetOperator(1) // every word
	var q query.Query = m
	if fieldLang(lang) == "und" {
		t := bleve.NewTermQuery(langtag.Base(lang))
		t.SetField(fSourceLang)
		if target {
			t.SetField(fTargetLang)
		}
		q = bleve.NewConjunctionQuery(m, t)
	}
	req := bleve.NewSearchRequestOptions(q, limit, 0, false)
	req.Fields = []string{fData}
	res, err := x.tm.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search the translation memory: %w", err)
	}
	out := make([]Match, 0, len(res.Hits))
	for _, h := range res.Hits {
		data, _ := h.Fields[fData].(string)
		rec, err := decodeRecord(data)
		if err != nil {
			return nil, fmt.Errorf("search the translation memory: document %s: %w", h.ID, err)
		}
		side := rec.Source
		if target {
			side = rec.Target
		}
		s := Similarity(text, side)
		out = append(out, Match{Score: s, Band: BandOf(s), Source: rec.Source, Target: rec.Target, Origin: rec.Origin,
			ID: h.ID, SourceLang: rec.SourceLang, TargetLang: rec.TargetLang, Status: rec.Status, Domain: rec.Domain, Changed: rec.Changed})
	}
	return out, nil
}
