package server

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/retrieval"
)

// The routes of this file serve the web workbench (package web) and any
// other client that browses the memory: pages of segments with filters,
// a segment's provenance and history, entity search by name, an entity's
// label history, the segments that mention it, its neighbourhood as a
// graph, and learning counts per day. They are part of kgmem's own API.

// Caps of the browsing routes: a page never holds more than maxPage items,
// a search never ranks more than maxHits segments, a neighbourhood never
// more than maxNodes nodes. The answers say when a cap was reached.
const (
	maxPage        = 200
	maxHits        = 10_000
	maxFuzzyHits   = 1000
	maxNodes       = 1000
	defaultNodes   = 60
	maxMentionScan = 2000 // candidate segments checked for an entity's mentions
	maxVersions    = 50
	maxLearnDays   = 3660
)

// SegmentPage is one page of the segments a search or a filter found.
type SegmentPage struct {
	// Total is how many segments matched (at most Cap when Capped).
	Total int `json:"total"`
	// Capped is true when more segments may match than were ranked: the
	// search stopped at Cap candidates, best (or newest) first.
	Capped bool `json:"capped"`
	Cap    int  `json:"cap"`
	Offset int  `json:"offset"`
	Limit  int  `json:"limit"`
	// Segments are the page's segments, as the translation memory holds
	// them.
	Segments []retrieval.Match `json:"segments"`
}

// SourceView is one file's (or one learning batch's) contribution to a
// segment or a fact, with when that source was last written.
type SourceView struct {
	File    string    `json:"file"`
	Count   int       `json:"count"`
	Units   []string  `json:"units,omitempty"`
	Updated time.Time `json:"updated,omitzero"`
}

// SegmentDetail is a segment with where it came from and the other
// translations of its source text.
type SegmentDetail struct {
	Segment graph.Segment `json:"segment"`
	// Origin is the file and unit it first came from, as matches show it.
	Origin  string       `json:"origin"`
	Sources []SourceView `json:"sources"`
	// Entities are the entities its mentions name.
	Entities []retrieval.EntityRef `json:"entities"`
	// Versions are the other segments with the same source text and
	// language pair (earlier or competing translations), newest first.
	Versions []retrieval.Match `json:"versions"`
}

// EntitySearchResponse holds the entities whose names are like a query,
// best first.
type EntitySearchResponse struct {
	Entities []retrieval.NameMatch `json:"entities"`
}

// EntityHistory is every label an entity has had: its names and its
// translations, current and superseded.
type EntityHistory struct {
	Entity string           `json:"entity"`
	Type   graph.EntityType `json:"type"`
	Key    string           `json:"key"`
	Label  string           `json:"label"`
	Labels []LabelHistory   `json:"labels"`
}

// LabelHistory is one label of an entity through time.
type LabelHistory struct {
	Text   string       `json:"text"`
	Lang   string       `json:"lang"`
	Status graph.Status `json:"status,omitempty"`
	Count  int          `json:"count"`
	Weight float64      `json:"weight"`
	// Current is false once a newer label superseded it.
	Current bool `json:"current"`
	// FirstSeen is when the label was first written; LastSeen when a
	// source that says it was last written; Superseded when a newer label
	// replaced it.
	FirstSeen  time.Time    `json:"first_seen"`
	LastSeen   time.Time    `json:"last_seen,omitzero"`
	Superseded time.Time    `json:"superseded,omitzero"`
	Sources    []SourceView `json:"sources"`
}

// Neighbourhood is the part of the graph around an entity, for drawing.
type Neighbourhood struct {
	Center string      `json:"center"`
	Nodes  []GraphNode `json:"nodes"`
	Edges  []GraphEdge `json:"edges"`
	// Capped is true when more entities are linked than Cap: the
	// strongest links were kept.
	Capped bool `json:"capped"`
	Cap    int  `json:"cap"`
}

// GraphNode is an entity of a neighbourhood.
type GraphNode struct {
	ID    string           `json:"id"`
	Label string           `json:"label"`
	Type  graph.EntityType `json:"type"`
	// Hops is the distance from the centre.
	Hops int `json:"hops"`
}

// GraphEdge is a fact that links two entities of a neighbourhood.
type GraphEdge struct {
	ID        string  `json:"id"`
	Source    string  `json:"source"`
	Target    string  `json:"target"`
	Predicate string  `json:"predicate"`
	Weight    float64 `json:"weight"`
	Count     int     `json:"count"`
}

// LearningStats counts what the memory learned per day.
type LearningStats struct {
	Days []LearningDay `json:"days"`
}

// LearningDay is what the memory learned on one day (UTC).
type LearningDay struct {
	Day string `json:"day"` // 2006-01-02
	// Pairs are the approved pairs learned, in Batches learn calls.
	Pairs   int `json:"pairs"`
	Batches int `json:"batches"`
	// Terms are the term translations set (added, deprecated).
	Terms int `json:"terms"`
	// Imports are the files imported or rebuilt.
	Imports int `json:"imports"`
}

func (s *Server) webRoutes() {
	v := APIVersion
	s.handle("GET "+v+"/tm/segments", RoleRead, s.apiSegments)
	s.handle("GET "+v+"/tm/segments/{id}", RoleRead, s.apiSegment)
	s.handle("GET "+v+"/entities/search", RoleRead, s.apiEntitySearch)
	s.handle("GET "+v+"/entities/{id}/history", RoleRead, s.apiEntityHistory)
	s.handle("GET "+v+"/entities/{id}/segments", RoleRead, s.apiEntitySegments)
	s.handle("GET "+v+"/entities/{id}/neighbourhood", RoleRead, s.apiNeighbourhood)
	s.handle("GET "+v+"/stats/learning", RoleRead, s.apiLearningStats)
}

// pageParams reads offset and limit.
func pageParams(r *http.Request) (offset, limit int, err error) {
	qs := r.URL.Query()
	if offset, err = intParam(qs.Get("offset"), 0, 0, maxHits); err != nil {
		return 0, 0, badRequest("offset: %v", err)
	}
	if limit, err = intParam(qs.Get("limit"), 50, 1, maxPage); err != nil {
		return 0, 0, badRequest("limit: %v", err)
	}
	return offset, limit, nil
}

// segmentFilter keeps the segments a browse asks for.
type segmentFilter struct {
	sourceLang, targetLang string
	origin, status         string
	since, until           time.Time // until is exclusive
}

func (f segmentFilter) keep(m *retrieval.Match) bool {
	switch {
	case f.sourceLang != "" && !graph.LangCovers(f.sourceLang, m.SourceLang):
		return false
	case f.targetLang != "" && !graph.LangCovers(f.targetLang, m.TargetLang):
		return false
	case f.origin != "" && !strings.Contains(strings.ToLower(m.Origin), f.origin):
		return false
	case f.status != "" && m.Status != f.status:
		return false
	case !f.since.IsZero() && m.Changed.Before(f.since):
		return false
	case !f.until.IsZero() && !m.Changed.Before(f.until):
		return false
	}
	return true
}

// day reads a day (2006-01-02) or an RFC 3339 time.
func day(field, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return t, badRequest("%s: %q is not a day (2006-01-02) or a time (RFC 3339)", field, v)
	}
	return t, nil
}

func (s *Server) segmentFilter(r *http.Request) (segmentFilter, error) {
	qs := r.URL.Query()
	var f segmentFilter
	var err error
	if f.sourceLang, err = lang("source_lang", qs.Get("source_lang"), false); err != nil {
		return f, err
	}
	if f.targetLang, err = lang("target_lang", qs.Get("target_lang"), false); err != nil {
		return f, err
	}
	f.origin, f.status = strings.ToLower(qs.Get("origin")), qs.Get("status")
	if err := checkText("origin/status", f.origin+f.status); err != nil {
		return f, err
	}
	if f.since, err = day("since", qs.Get("since")); err != nil {
		return f, err
	}
	if f.until, err = day("until", qs.Get("until")); err != nil {
		return f, err
	}
	if u := qs.Get("until"); u != "" && len(u) == len(time.DateOnly) {
		f.until = f.until.AddDate(0, 0, 1) // the whole day
	}
	return f, nil
}

// apiSegments answers a page of the segments a concordance or fuzzy
// search finds, or, without q, of every segment the filters keep.
func (s *Server) apiSegments(w http.ResponseWriter, r *http.Request) error {
	qs := r.URL.Query()
	offset, limit, err := pageParams(r)
	if err != nil {
		return err
	}
	f, err := s.segmentFilter(r)
	if err != nil {
		return err
	}
	text := qs.Get("q")
	if err := checkText("q", text); err != nil {
		return err
	}
	var hits []retrieval.Match
	page := SegmentPage{Offset: offset, Limit: limit, Cap: maxHits}
	switch mode := qs.Get("mode"); {
	case strings.TrimSpace(text) == "":
		hits, page.Total, err = s.filterSegments(r.Context(), f)
		page.Capped = page.Total > len(hits)
	case mode == "" || mode == "words":
		l, err := lang("lang", qs.Get("lang"), false)
		if err != nil {
			return err
		}
		raw, err := s.mem.Concordance(r.Context(), text, l, qs.Get("target") == "true", maxHits)
		if err != nil {
			return err
		}
		page.Capped = len(raw) >= maxHits
		hits = keep(raw, f)
		page.Total = len(hits)
	case mode == "fuzzy":
		minScore, err := intParam(qs.Get("min"), 0, 1, 101)
		if err != nil {
			return badRequest("min: %v", err)
		}
		tq, err := s.tmQuery(TMSearchRequest{Text: text, SourceLang: qs.Get("lang"), TargetLang: f.targetLang, Min: minScore})
		if err != nil {
			return err
		}
		tq.Limit = maxFuzzyHits
		raw, err := s.mem.SearchTM(r.Context(), tq)
		if err != nil {
			return err
		}
		page.Cap = maxFuzzyHits
		page.Capped = len(raw) >= maxFuzzyHits
		hits = keep(raw, f)
		page.Total = len(hits)
	default:
		return badRequest("mode %q: use words or fuzzy", mode)
	}
	page.Segments = pageOf(hits, offset, limit)
	writeJSON(w, http.StatusOK, page)
	return nil
}

// keep returns the matches the filter keeps.
func keep(ms []retrieval.Match, f segmentFilter) []retrieval.Match {
	out := ms[:0:0]
	for i := range ms {
		if f.keep(&ms[i]) {
			out = append(out, ms[i])
		}
	}
	return out
}

// pageOf returns ms[offset:offset+limit], never nil.
func pageOf(ms []retrieval.Match, offset, limit int) []retrieval.Match {
	if offset >= len(ms) {
		return []retrieval.Match{}
	}
	return ms[offset:min(len(ms), offset+limit)]
}

// newest is a min-heap of matches by Changed: the newest maxHits stay.
type newest []retrieval.Match

func (h newest) Len() int           { return len(h) }
func (h newest) Less(i, j int) bool { return h[i].Changed.Before(h[j].Changed) }
func (h newest) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *newest) Push(x any)        { *h = append(*h, x.(retrieval.Match)) }
func (h *newest) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// filterSegments reads every segment of the graph and returns the newest
// maxHits the filter keeps, newest first, and how many it keeps in all.
// It reads the whole store: slower than a search on a large memory.
func (s *Server) filterSegments(ctx context.Context, f segmentFilter) ([]retrieval.Match, int, error) {
	h := &newest{}
	total := 0
	err := s.mem.Store().Segments(ctx, func(sg *graph.Segment) error {
		m := segmentMatch(sg)
		if !f.keep(&m) {
			return nil
		}
		total++
		if h.Len() < maxHits {
			heap.Push(h, m)
		} else if (*h)[0].Changed.Before(m.Changed) {
			(*h)[0] = m
			heap.Fix(h, 0)
		}
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("read the segments: %w", err)
	}
	out := []retrieval.Match(*h)
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Changed.Equal(out[j].Changed) {
			return out[i].Changed.After(out[j].Changed)
		}
		return out[i].ID < out[j].ID
	})
	return out, total, nil
}

// segmentMatch shows a graph segment as the translation memory does.
func segmentMatch(sg *graph.Segment) retrieval.Match {
	return retrieval.Match{Source: sg.Source, Target: sg.Target, Origin: segmentOrigin(sg), ID: sg.ID,
		SourceLang: sg.SourceLang, TargetLang: sg.TargetLang, Status: sg.Status, Domain: sg.Domain, Changed: sg.Changed}
}

// segmentOrigin is the file and unit a segment first came from, written
// as the search index writes a match's origin (file#unit).
func segmentOrigin(sg *graph.Segment) string {
	if len(sg.Sources) == 0 {
		return ""
	}
	src := sg.Sources[0]
	if len(src.Units) == 0 {
		return src.File
	}
	if u := src.Units[0]; strings.HasPrefix(u, "#") {
		return src.File + u
	}
	return src.File + "#" + src.Units[0]
}

// sourceTimes returns when each source of the graph was last written.
func (s *Server) sourceTimes(ctx context.Context) (map[string]time.Time, error) {
	states, err := s.mem.Store().SourceStates(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the sources: %w", err)
	}
	out := make(map[string]time.Time, len(states))
	for _, st := range states {
		out[st.File] = st.Updated
	}
	return out, nil
}

func sourceViews(srcs []graph.Source, times map[string]time.Time) []SourceView {
	out := make([]SourceView, len(srcs))
	for i, src := range srcs {
		out[i] = SourceView{File: src.File, Count: src.Count, Units: src.Units, Updated: times[src.File]}
	}
	return out
}

func (s *Server) apiSegment(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	sg, err := s.mem.Store().Segment(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	times, err := s.sourceTimes(ctx)
	if err != nil {
		return err
	}
	d := SegmentDetail{Segment: sg, Origin: segmentOrigin(&sg), Sources: sourceViews(sg.Sources, times),
		Entities: []retrieval.EntityRef{}, Versions: []retrieval.Match{}}
	seen := map[string]bool{}
	for _, mn := range sg.Mentions {
		if seen[mn.Entity] {
			continue
		}
		seen[mn.Entity] = true
		e, err := s.mem.Store().Entity(ctx, mn.Entity)
		if errors.Is(err, graph.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		d.Entities = append(d.Entities, retrieval.EntityRef{ID: e.ID, Type: e.Type, Label: entityLabel(e, sg.SourceLang)})
	}
	ms, err := s.mem.SearchTM(ctx, retrieval.Query{Text: sg.Source, SourceLang: sg.SourceLang, TargetLang: sg.TargetLang, Min: 100, Limit: maxVersions + 1})
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.ID != sg.ID && m.Source == sg.Source {
			d.Versions = append(d.Versions, m)
		}
	}
	sort.SliceStable(d.Versions, func(i, j int) bool { return d.Versions[i].Changed.After(d.Versions[j].Changed) })
	writeJSON(w, http.StatusOK, d)
	return nil
}

// entityLabel is an entity's label in lang (or a language lang covers),
// else its key.
func entityLabel(e graph.Entity, lang string) string {
	for _, l := range e.Labels {
		if graph.LangCovers(lang, l.Lang) || graph.LangCovers(graph.BaseLang(lang), l.Lang) {
			return l.Text
		}
	}
	return e.Key
}

func (s *Server) apiEntitySearch(w http.ResponseWriter, r *http.Request) error {
	qs := r.URL.Query()
	text := strings.TrimSpace(qs.Get("q"))
	if text == "" {
		return badRequest("q is required: the name to look for")
	}
	if err := checkText("q", text); err != nil {
		return err
	}
	l, err := lang("lang", qs.Get("lang"), false)
	if err != nil {
		return err
	}
	if l == "" {
		l = s.mem.SourceLang()
	}
	limit, err := intParam(qs.Get("limit"), 20, 1, 100)
	if err != nil {
		return badRequest("limit: %v", err)
	}
	found, err := s.mem.Index().Names(r.Context(), text, l, limit)
	if err != nil {
		return err
	}
	if found == nil {
		found = []retrieval.NameMatch{}
	}
	writeJSON(w, http.StatusOK, EntitySearchResponse{Entities: found})
	return nil
}

// labelLang is the lang parameter, or the memory's source language.
func (s *Server) labelLang(r *http.Request) (string, error) {
	l, err := lang("lang", r.URL.Query().Get("lang"), false)
	if err != nil {
		return "", err
	}
	if l == "" {
		l = s.mem.SourceLang()
	}
	return l, nil
}

func (s *Server) apiEntityHistory(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	l, err := s.labelLang(r)
	if err != nil {
		return err
	}
	e, err := s.mem.Store().Entity(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	facts, err := s.mem.Store().Facts(ctx, e.ID, graph.FactQuery{Predicate: graph.PredLabel, History: true})
	if err != nil {
		return err
	}
	times, err := s.sourceTimes(ctx)
	if err != nil {
		return err
	}
	h := EntityHistory{Entity: e.ID, Type: e.Type, Key: e.Key, Label: entityLabel(e, l), Labels: []LabelHistory{}}
	for _, f := range facts {
		lh := LabelHistory{Text: f.Literal, Lang: f.Lang, Status: f.Status, Count: f.Count, Weight: f.Weight,
			Current: f.ValidTo.IsZero(), FirstSeen: f.ValidFrom, Superseded: f.ValidTo, Sources: sourceViews(f.Sources, times)}
		for _, src := range lh.Sources {
			if src.Updated.After(lh.LastSeen) {
				lh.LastSeen = src.Updated
			}
		}
		h.Labels = append(h.Labels, lh)
	}
	sort.SliceStable(h.Labels, func(i, j int) bool {
		a, b := h.Labels[i], h.Labels[j]
		switch {
		case a.Lang != b.Lang:
			return a.Lang < b.Lang
		case a.Current != b.Current:
			return a.Current
		case a.Status.Rank() != b.Status.Rank():
			return a.Status.Rank() < b.Status.Rank()
		case a.Count != b.Count:
			return a.Count > b.Count
		}
		return a.Text < b.Text
	})
	writeJSON(w, http.StatusOK, h)
	return nil
}

// apiEntitySegments answers the segments whose mentions name the entity:
// the segments a concordance of its labels finds (at most maxMentionScan),
// kept when the graph records the mention.
func (s *Server) apiEntitySegments(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	offset, limit, err := pageParams(r)
	if err != nil {
		return err
	}
	e, err := s.mem.Store().Entity(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	page := SegmentPage{Offset: offset, Limit: limit, Cap: maxMentionScan}
	seen := map[string]bool{}
	var hits []retrieval.Match
	scanned := 0
	asked := map[string]bool{}
	for _, lab := range e.Labels {
		if scanned >= maxMentionScan {
			page.Capped = true
			break
		}
		if k := graph.BaseLang(lab.Lang) + "\x00" + strings.ToLower(lab.Text); asked[k] {
			continue
		} else {
			asked[k] = true
		}
		// A label may be said in a source or in a translation.
		for _, target := range []bool{false, true} {
			ms, err := s.mem.Concordance(ctx, lab.Text, lab.Lang, target, maxMentionScan)
			if err != nil {
				return err
			}
			if len(ms) >= maxMentionScan {
				page.Capped = true
			}
			for _, m := range ms {
				if seen[m.ID] || scanned >= maxMentionScan {
					continue
				}
				seen[m.ID] = true
				scanned++
				ok, err := s.mentions(ctx, m.ID, e.ID)
				if err != nil {
					return err
				}
				if ok {
					m.Score = 0 // the similarity to a label means nothing here
					hits = append(hits, m)
				}
			}
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].Changed.After(hits[j].Changed) })
	page.Total = len(hits)
	page.Segments = pageOf(hits, offset, limit)
	writeJSON(w, http.StatusOK, page)
	return nil
}

// mentions reports whether the graph records that the segment mentions the
// entity.
func (s *Server) mentions(ctx context.Context, segment, entity string) (bool, error) {
	sg, err := s.mem.Store().Segment(ctx, segment)
	if errors.Is(err, graph.ErrNotFound) {
		return false, nil // the index is behind the store: not a mention now
	}
	if err != nil {
		return false, err
	}
	for _, mn := range sg.Mentions {
		if mn.Entity == entity {
			return true, nil
		}
	}
	return false, nil
}

func (s *Server) apiNeighbourhood(w http.ResponseWriter, r *http.Request) error {
	qs := r.URL.Query()
	hops, err := intParam(qs.Get("hops"), 1, 1, 2)
	if err != nil {
		return badRequest("hops: %v", err)
	}
	nodes, err := intParam(qs.Get("nodes"), defaultNodes, 1, maxNodes)
	if err != nil {
		return badRequest("nodes: %v", err)
	}
	l, err := s.labelLang(r)
	if err != nil {
		return err
	}
	n, err := s.neighbourhood(r.Context(), r.PathValue("id"), l, hops, nodes)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, n)
	return nil
}

// neighbourhood walks the graph breadth first from the entity, keeping
// the strongest links, up to hops away and maxNodes entities.
func (s *Server) neighbourhood(ctx context.Context, id, lang string, hops, cap int) (Neighbourhood, error) {
	store := s.mem.Store()
	center, err := store.Entity(ctx, id)
	if err != nil {
		return Neighbourhood{}, err
	}
	n := Neighbourhood{Center: center.ID, Cap: cap, Edges: []GraphEdge{},
		Nodes: []GraphNode{{ID: center.ID, Label: entityLabel(center, lang), Type: center.Type}}}
	have := map[string]bool{center.ID: true}
	edges := map[string]bool{}
	frontier := []string{center.ID}
	for hop := 1; hop <= hops && len(frontier) > 0 && !n.Capped; hop++ {
		var next []string
		perNode := cap
		if hop > 1 {
			perNode = min(cap, 100) // the strongest links of each neighbour
		}
		for _, from := range frontier {
			ns, err := store.Neighbours(ctx, from, perNode+1)
			if err != nil {
				return n, err
			}
			for _, nb := range ns {
				to := nb.Entity.ID
				if !have[to] {
					if len(n.Nodes) >= cap {
						n.Capped = true
						continue
					}
					have[to] = true
					n.Nodes = append(n.Nodes, GraphNode{ID: to, Label: entityLabel(nb.Entity, lang), Type: nb.Entity.Type, Hops: hop})
					next = append(next, to)
				}
				if edges[nb.Fact.ID] {
					continue
				}
				edges[nb.Fact.ID] = true
				n.Edges = append(n.Edges, GraphEdge{ID: nb.Fact.ID, Source: nb.Fact.Subject, Target: nb.Fact.Object,
					Predicate: nb.Fact.Predicate, Weight: nb.Fact.Weight, Count: nb.Fact.Count})
			}
			if len(ns) > perNode {
				n.Capped = true
			}
		}
		frontier = next
	}
	return n, nil
}

func (s *Server) apiLearningStats(w http.ResponseWriter, r *http.Request) error {
	days, err := intParam(r.URL.Query().Get("days"), 30, 1, maxLearnDays)
	if err != nil {
		return badRequest("days: %v", err)
	}
	states, err := s.mem.Store().SourceStates(r.Context())
	if err != nil {
		return fmt.Errorf("read the sources: %w", err)
	}
	writeJSON(w, http.StatusOK, learningStats(states, time.Now().UTC(), days))
	return nil
}

// learningStats counts the sources written on each of the days days up
// to today: learning batches (learn:…) and their pairs, term changes
// (term:…), and the other sources (imported files).
func learningStats(states []graph.SourceState, now time.Time, days int) LearningStats {
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	first := today.AddDate(0, 0, -(days - 1))
	out := LearningStats{Days: make([]LearningDay, days)}
	for i := range out.Days {
		out.Days[i].Day = first.AddDate(0, 0, i).Format(time.DateOnly)
	}
	for _, st := range states {
		u := st.Updated.UTC()
		d := time.Date(u.Year(), u.Month(), u.Day(), 0, 0, 0, 0, time.UTC)
		i := int(d.Sub(first).Hours() / 24)
		if d.Before(first) || i >= days {
			continue
		}
		switch {
		case strings.HasPrefix(st.File, "learn:"):
			out.Days[i].Batches++
			out.Days[i].Pairs += st.Units
		case strings.HasPrefix(st.File, "term:"):
			out.Days[i].Terms++
		default:
			out.Days[i].Imports++
		}
	}
	return out
}
