package retrieval

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/kgmem/kgmem/graph"
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
}

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

// Lookup finds the past translations most like q.Text, best first. The
// candidates are the identical and near-identical source texts (by hash)
// and the documents that share words with the query, ranked by BM25 (see
// candidateQuery); the best Options.Candidates of them are scored with
// Similarity.
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
	cq, err := x.candidateQuery(ctx, q, p)
	if err != nil {
		return nil, err
	}
	req := bleve.NewSearchRequestOptions(cq, x.opts.Candidates, 0, false)
	req.Fields = []string{fData}
	res, err := x.tm.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search the translation memory: %w", err)
	}
	out := make([]Match, 0, q.Limit)
	for _, h := range res.Hits {
		data, _ := h.Fields[fData].(string)
		src, err := recordSource(data)
		if err != nil {
			return nil, fmt.Errorf("search the translation memory: document %s: %w", h.ID, err)
		}
		s := scorePrepared(p, Prepare(src), q.Min)
		if s < q.Min {
			continue
		}
		rec, err := decodeRecord(data)
		if err != nil {
			return nil, fmt.Errorf("search the translation memory: document %s: %w", h.ID, err)
		}
		if s == 100 && q.Context != nil && rec.Prev == q.Context.Prev && rec.Next == q.Context.Next {
			s = 101
		}
		out = append(out, Match{Score: s, Band: BandOf(s), Source: rec.Source, Target: rec.Target, Origin: rec.Origin,
			ID: h.ID, SourceLang: rec.SourceLang, TargetLang: rec.TargetLang, Status: rec.Status, Domain: rec.Domain, Changed: rec.Changed})
	}
	sort.Slice(out, func(i, j int) bool { return better(&out[i], &out[j]) })
	if len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out, nil
}

// candidateQuery is the Bleve query of a lookup, within the language
// pair: the exact and near-exact keys, or BM25 over the lexical keys of
// the source (the tokens Similarity compares, stop words kept) in the
// length buckets that can hold a match.
//
// Only the rarest keys choose the candidates, as many as a match must
// share at least one of (prefix filtering): a text that scores s against
// a query of n keys shares at least ⌈n·s/100⌉ of them, so leaving out the
// most frequent keys up to one fewer than that loses no text scoring Min
// or more. The keys left out (mostly stop words and placeholders, whose
// long posting lists would otherwise dominate the cost) still rank the
// candidates: they are a should clause over all lengths, which Bleve only
// probes for the documents the rare keys found.
//
// Two budgets bound the cost in large memories (see postingBudget and
// rankBudget): lossless prefix filtering gives way when the keys it needs
// would walk too many postings, and the ranking clause when the pool is
// too large to probe.
func (x *Index) candidateQuery(ctx context.Context, q Query, p *Prepared) (query.Query, error) {
	fl := fieldLang(q.SourceLang)
	exact := bleve.NewTermQuery(exactKey(q.SourceLang, q.Text))
	exact.SetField(fHash)
	exact.SetBoost(1000)
	norm := bleve.NewTermQuery(normKey(q.SourceLang, p))
	norm.SetField(fNorm)
	norm.SetBoost(100)
	alts := []query.Query{exact, norm}
	lo, hi := bucketsFor(len(p.keys), q.Min)
	hi = min(hi, len(lengthBuckets)-1)
	keys, rest, pool, err := x.rarestKeys(ctx, p, lo, hi, q.Min)
	if err != nil {
		return nil, err
	}
	for b := lo; b <= hi && len(keys) > 0; b++ {
		m := bleve.NewMatchQuery(strings.Join(keys, " "))
		m.SetField(wordsField(b))
		alts = append(alts, m)
	}
	var cand query.Query = bleve.NewDisjunctionQuery(alts...)
	if len(rest) > 0 && pool <= rankBudget {
		m := bleve.NewMatchQuery(strings.Join(rest, " "))
		m.SetField(fAllWords)
		bq := bleve.NewBooleanQuery()
		bq.AddMust(cand)
		bq.AddShould(m)
		cand = bq
	}
	var filters []query.Query
	sl := graph.BaseLang(q.SourceLang)
	if fl == "und" {
		t := bleve.NewTermQuery(sl)
		t.SetField(fSourceLang)
		filters = append(filters, t)
	}
	if q.TargetLang != "" {
		tl := graph.BaseLang(q.TargetLang)
		if ts := x.man.Pairs[sl]; !(len(ts) == 1 && ts[0] == tl) {
			t := bleve.NewTermQuery(tl)
			t.SetField(fTargetLang)
			filters = append(filters, t)
		}
	}
	if len(filters) > 0 {
		cand = bleve.NewConjunctionQuery(append([]query.Query{cand}, filters...)...)
	}
	return cand, nil
}

// rarestKeys returns the distinct keys of p to search: all but the most
// frequent ones (by document frequency in buckets lo to hi) whose
// occurrences in the query add up to fewer than the keys a match of
// minScore must share, within postingBudget. It also returns the keys
// left out and the estimated number of postings the search walks.
func (x *Index) rarestKeys(ctx context.Context, p *Prepared, lo, hi, minScore int) ([]string, []string, uint64, error) {
	n := len(p.keys)
	if n == 0 {
		return nil, nil, 0, nil
	}
	mult := map[string]int{}
	for _, k := range p.keys {
		mult[k]++
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
	df := make(map[string]uint64, len(distinct))
	for _, s := range x.shards {
		ai, err := s.Advanced()
		if err != nil {
			return nil, nil, 0, fmt.Errorf("search the translation memory: %w", err)
		}
		r, err := ai.Reader()
		if err != nil {
			return nil, nil, 0, fmt.Errorf("search the translation memory: %w", err)
		}
		for _, k := range distinct {
			tfr, err := r.TermFieldReader(ctx, []byte(k), field, false, false, false)
			if err != nil {
				r.Close()
				return nil, nil, 0, fmt.Errorf("search the translation memory: %w", err)
			}
			df[k] += tfr.Count()
			tfr.Close()
		}
		r.Close()
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
	// The budget: past it, the most frequent of the keys left stop
	// choosing candidates (they still rank them). Only queries made of
	// very common words reach it, and only texts that share nothing but
	// common words with them can be missed.
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
	return distinct[:end], distinct[end:], cost, nil
}

// postingBudget is about how many postings a lookup may walk to choose
// its candidates: the cost of a lookup is about 100 ns per posting.
const postingBudget = 20_000

// rankBudget is the largest estimated pool of candidates that the keys
// left out still rank (a should clause, which Bleve probes for every
// document of the pool). Past it the pool is ranked by the rare keys
// alone: probing would cost more than the search itself.
const rankBudget = 10_000

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
		t := bleve.NewTermQuery(graph.BaseLang(lang))
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
