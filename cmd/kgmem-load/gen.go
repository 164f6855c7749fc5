package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The kinds of request the generator sends.
const (
	opSearch    = "search"    // POST /api/v1/tm/search
	opTranslate = "translate" // POST /api/v1/translate
	opLearn     = "learn"     // POST /api/v1/learn
	opTMServer  = "tmserver"  // GET of the --tmserver URL template
	opAPy       = "apy"       // GET of the --apy URL template
)

// config is what a run of the generator does.
type config struct {
	// base is the URL of a kgmem server (for search, translate, learn).
	base string
	// key is sent as a bearer token when not "".
	key      string
	from, to string
	// model is the model translate requests name ("" for the server's).
	model string
	// segments is the number of segments of one translate request.
	segments int
	// min and limit are the TM search's.
	min, limit int
	// tmserver and apy are GET URL templates: {path} is the query escaped
	// for a path segment, {query} escaped for a query string, {from} and
	// {to} the languages.
	tmserver, apy string
	mix           []weighted
	clients       []int
	// duration and requests bound each level: it ends at whichever comes
	// first (0: that bound is not used; one of them is always set).
	duration time.Duration
	requests int
	// warmup runs before each level, not counted.
	warmup  time.Duration
	timeout time.Duration
	// pid, when not 0, is the server process to sample (RSS, CPU).
	pid      int
	rssEvery time.Duration
	queries  []query
	// runID makes the pairs a run learns its own.
	runID string
}

// weighted is an operation and its share of the requests.
type weighted struct {
	op     string
	weight int
}

// parseMix reads "search=90,translate=9,learn=1" (a name alone is
// weight 1).
func parseMix(s string) ([]weighted, error) {
	var out []weighted
	total := 0
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, w, hasW := strings.Cut(part, "=")
		name = strings.TrimSpace(name)
		switch name {
		case opSearch, opTranslate, opLearn, opTMServer, opAPy:
		default:
			return nil, fmt.Errorf("--mix: unknown operation %q (search, translate, learn, tmserver, apy)", name)
		}
		n := 1
		if hasW {
			var err error
			if n, err = strconv.Atoi(strings.TrimSpace(w)); err != nil || n < 0 || n > 1_000_000 {
				return nil, fmt.Errorf("--mix: %q: the weight is a whole number from 0 to 1000000", part)
			}
		}
		for _, o := range out {
			if o.op == name {
				return nil, fmt.Errorf("--mix: %s given twice", name)
			}
		}
		out = append(out, weighted{name, n})
		total += n
	}
	if total == 0 {
		return nil, errors.New("--mix: no operation with a weight above 0")
	}
	return out, nil
}

// schedule spreads the operations over one round of sum(weights)
// requests as evenly as their weights allow (smooth weighted round robin),
// so that any window of requests has about the mix's ratios.
func schedule(mix []weighted) []int {
	total := 0
	for _, m := range mix {
		total += m.weight
	}
	cur := make([]int, len(mix))
	out := make([]int, 0, total)
	for range total {
		best := -1
		for i, m := range mix {
			cur[i] += m.weight
			if best < 0 || cur[i] > cur[best] {
				best = i
			}
		}
		cur[best] -= total
		out = append(out, best)
	}
	return out
}

// generator sends the requests of a run. It is safe for concurrent use.
type generator struct {
	cfg    config
	client *http.Client
	sched  []int
	seq    atomic.Uint64   // requests sent, for the schedule
	opSeq  []atomic.Uint64 // requests sent per operation, for the queries
}

func newGenerator(cfg config) *generator {
	maxClients := 1
	for _, c := range cfg.clients {
		maxClients = max(maxClients, c)
	}
	tr := &http.Transport{
		MaxIdleConns:        maxClients,
		MaxIdleConnsPerHost: maxClients,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	return &generator{cfg: cfg, client: &http.Client{Transport: tr, Timeout: cfg.timeout},
		sched: schedule(cfg.mix), opSeq: make([]atomic.Uint64, len(cfg.mix))}
}

// outcome is what one request came to.
type outcome struct {
	op      int
	latency time.Duration
	kind    string // "" for success, else the HTTP status, "conn" or "bad-body"
	detail  string
}

// one sends the next request of the schedule.
func (g *generator) one(ctx context.Context) (outcome, bool) {
	i := g.sched[(g.seq.Add(1)-1)%uint64(len(g.sched))]
	n := g.opSeq[i].Add(1) - 1
	q := g.cfg.queries[n%uint64(len(g.cfg.queries))]
	op := g.cfg.mix[i].op
	req, err := g.request(ctx, op, q, n)
	if err != nil {
		return outcome{op: i, kind: "request", detail: err.Error()}, true
	}
	start := time.Now()
	resp, err := g.client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return outcome{}, false // the run was stopped: not counted
		}
		return outcome{op: i, latency: time.Since(start), kind: "conn", detail: err.Error()}, true
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	o := outcome{op: i, latency: time.Since(start)}
	switch {
	case err != nil && ctx.Err() != nil:
		return outcome{}, false
	case err != nil:
		o.kind, o.detail = "conn", err.Error()
	case resp.StatusCode != http.StatusOK:
		o.kind, o.detail = strconv.Itoa(resp.StatusCode), firstLine(body)
	default:
		if err := check(op, body, g.cfg.segments); err != nil {
			o.kind, o.detail = "bad-body", err.Error()
		}
	}
	return o, true
}

// request builds the n-th request of an operation, about q.
func (g *generator) request(ctx context.Context, op string, q query, n uint64) (*http.Request, error) {
	c := &g.cfg
	var body any
	var path string
	switch op {
	case opSearch:
		path = "/api/v1/tm/search"
		body = map[string]any{"text": q.Source, "source_lang": c.from, "target_lang": c.to, "min": c.min, "limit": c.limit}
	case opTranslate:
		path = "/api/v1/translate"
		segs := make([]map[string]string, c.segments)
		for k := range segs {
			qq := q
			if k > 0 {
				qq = c.queries[(int(n)*c.segments+k)%len(c.queries)]
			}
			segs[k] = map[string]string{"text": qq.Source}
		}
		req := map[string]any{"source_lang": c.from, "target_lang": c.to, "segments": segs}
		if c.model != "" {
			req["model"] = c.model
		}
		body = req
	case opLearn:
		path = "/api/v1/learn"
		target := q.Target
		if target == "" {
			target = q.Source
		}
		mark := fmt.Sprintf(" (%s %d)", c.runID, n)
		body = map[string]any{"source_lang": c.from, "target_lang": c.to,
			"pairs": []map[string]string{{"source": q.Source + mark, "target": target + mark}}}
	case opTMServer, opAPy:
		tmpl := c.tmserver
		if op == opAPy {
			tmpl = c.apy
		}
		u := strings.NewReplacer("{path}", url.PathEscape(q.Source), "{query}", url.QueryEscape(q.Source),
			"{from}", url.PathEscape(c.from), "{to}", url.PathEscape(c.to)).Replace(tmpl)
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return nil, err
		}
		g.auth(req)
		return req, nil
	}
	data, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(c.base, "/")+path, bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	g.auth(req)
	return req, nil
}

func (g *generator) auth(req *http.Request) {
	if g.cfg.key != "" {
		req.Header.Set("Authorization", "Bearer "+g.cfg.key)
	}
}

// check verifies that a 200 answer is what the operation returns.
func check(op string, body []byte, segments int) error {
	switch op {
	case opSearch:
		var r struct {
			Matches *[]json.RawMessage `json:"matches"`
		}
		if err := json.Unmarshal(body, &r); err != nil || r.Matches == nil {
			return fmt.Errorf("not a TM search answer: %s", firstLine(body))
		}
	case opTranslate:
		var r struct {
			Results []struct {
				Translation *string `json:"translation"`
			} `json:"results"`
		}
		if err := json.Unmarshal(body, &r); err != nil || len(r.Results) != segments {
			return fmt.Errorf("not %d translations: %s", segments, firstLine(body))
		}
		for _, x := range r.Results {
			if x.Translation == nil {
				return fmt.Errorf("a result without a translation: %s", firstLine(body))
			}
		}
	default:
		if !json.Valid(body) {
			return fmt.Errorf("not JSON: %s", firstLine(body))
		}
	}
	return nil
}

// firstLine is the start of a body, for an error report.
func firstLine(b []byte) string {
	s, _, _ := strings.Cut(string(b), "\n")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// recorder collects the outcomes of one client.
type recorder struct {
	lat    [][]time.Duration // per operation, successes
	errs   []map[string]int  // per operation, by kind
	detail map[string]string // the first detail of each kind
}

func newRecorder(ops int) *recorder {
	r := &recorder{lat: make([][]time.Duration, ops), errs: make([]map[string]int, ops), detail: map[string]string{}}
	for i := range r.errs {
		r.errs[i] = map[string]int{}
	}
	return r
}

func (r *recorder) add(o outcome) {
	if o.kind == "" {
		r.lat[o.op] = append(r.lat[o.op], o.latency)
		return
	}
	r.errs[o.op][o.kind]++
	if _, ok := r.detail[o.kind]; !ok {
		r.detail[o.kind] = o.detail
	}
}

func (r *recorder) merge(o *recorder) {
	for i := range r.lat {
		r.lat[i] = append(r.lat[i], o.lat[i]...)
		for k, n := range o.errs[i] {
			r.errs[i][k] += n
		}
	}
	for k, d := range o.detail {
		if _, ok := r.detail[k]; !ok {
			r.detail[k] = d
		}
	}
}

// drive runs clients closed loops, each sending its next request when the
// last one is answered, until ctx ends, the deadline passes (zero: none)
// or count requests were sent (0: no count); it returns what they
// recorded.
func (g *generator) drive(ctx context.Context, clients int, deadline time.Time, count int) *recorder {
	var sent atomic.Int64
	recs := make([]*recorder, clients)
	var wg sync.WaitGroup
	for c := range clients {
		recs[c] = newRecorder(len(g.cfg.mix))
		wg.Go(func() {
			for ctx.Err() == nil {
				if !deadline.IsZero() && !time.Now().Before(deadline) {
					return
				}
				if count > 0 && sent.Add(1) > int64(count) {
					return
				}
				o, ok := g.one(ctx)
				if ok {
					recs[c].add(o)
				}
			}
		})
	}
	wg.Wait()
	all := newRecorder(len(g.cfg.mix))
	for _, r := range recs {
		all.merge(r)
	}
	return all
}
