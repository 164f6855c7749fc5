package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/server"
)

// get calls a GET route and decodes its JSON answer into v.
func (f *fixture) get(t *testing.T, path string, v any) {
	t.Helper()
	status, body := f.call(t, "GET", path, "", nil)
	if status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, status, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v: %s", path, err, body)
	}
}

func (f *fixture) notebook(t *testing.T) string {
	t.Helper()
	var er server.EntitiesResponse
	f.get(t, "/api/v1/entities?label=notebook&target_lang=es&limit=1", &er)
	if len(er.Entities) == 0 {
		t.Fatal("the demo memory has no entity notebook")
	}
	return er.Entities[0].Entity
}

// TestSegmentsSearchFiltersAndPages checks GET /tm/segments: a
// concordance, a fuzzy search and a filter-only listing, each filtered and
// paged, with the total.
func TestSegmentsSearchFiltersAndPages(t *testing.T) {
	f := newFixture(t)
	const src, tgt = "Export every notebook of this account", "Exporte todos los cuadernos de esta cuenta"
	if status, body := f.call(t, "POST", "/api/v1/learn", "", server.LearnRequest{SourceLang: "en", TargetLang: "es",
		Pairs: []server.Pair{{Source: src, Target: tgt}}}); status != http.StatusOK {
		t.Fatalf("learn: %d %s", status, body)
	}
	today := time.Now().UTC().Format(time.DateOnly)
	tests := []struct {
		name      string
		query     string
		wantTotal func(int) bool
		check     func(server.SegmentPage) error
	}{
		{"concordance", "q=notebook&limit=5", func(n int) bool { return n > 5 }, func(p server.SegmentPage) error {
			if len(p.Segments) != 5 {
				return fmt.Errorf("page of %d, want 5", len(p.Segments))
			}
			return nil
		}},
		{"second page", "q=notebook&limit=5&offset=5", func(n int) bool { return n > 5 }, func(p server.SegmentPage) error {
			if p.Offset != 5 || len(p.Segments) == 0 {
				return fmt.Errorf("offset %d, %d segments", p.Offset, len(p.Segments))
			}
			return nil
		}},
		{"past the end", "q=notebook&offset=9000", func(n int) bool { return n > 0 }, func(p server.SegmentPage) error {
			if len(p.Segments) != 0 {
				return fmt.Errorf("%d segments past the end", len(p.Segments))
			}
			return nil
		}},
		{"origin filter", "q=notebook&origin=learn:", func(n int) bool { return n == 1 }, func(p server.SegmentPage) error {
			if p.Segments[0].Target != tgt {
				return fmt.Errorf("learned segment %+v", p.Segments[0])
			}
			return nil
		}},
		{"in translations", "q=cuadernos&target=true&lang=es&origin=learn", func(n int) bool { return n == 1 }, nil},
		{"fuzzy", "q=" + url.QueryEscape("Export every notebook of that account") + "&mode=fuzzy&min=70", func(n int) bool { return n >= 1 },
			func(p server.SegmentPage) error {
				if p.Segments[0].Target != tgt || p.Segments[0].Score < 70 || p.Cap != 1000 {
					return fmt.Errorf("best fuzzy match %+v (cap %d)", p.Segments[0], p.Cap)
				}
				return nil
			}},
		{"status filter", "status=approved", func(n int) bool { return n == 1 }, nil},
		{"no query: every segment, newest first", "limit=3", func(n int) bool { return n == 346 }, func(p server.SegmentPage) error {
			if p.Segments[0].Target != tgt || !strings.HasPrefix(p.Segments[0].Origin, "learn:") {
				return fmt.Errorf("newest segment %+v", p.Segments[0])
			}
			return nil
		}},
		{"changed today", "since=" + today + "&until=" + today, func(n int) bool { return n == 1 }, nil},
		{"changed before today", "until=2000-01-01", func(n int) bool { return n == 0 }, nil},
		{"language pair", "q=notebook&source_lang=de", func(n int) bool { return n == 0 }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p server.SegmentPage
			f.get(t, "/api/v1/tm/segments?"+tt.query, &p)
			if !tt.wantTotal(p.Total) {
				t.Fatalf("total = %d (%d on the page)", p.Total, len(p.Segments))
			}
			if p.Segments == nil {
				t.Error("segments is null, want a list")
			}
			if tt.check != nil {
				if err := tt.check(p); err != nil {
					t.Error(err)
				}
			}
		})
	}
	for _, bad := range []string{"limit=201", "limit=0", "offset=-1", "mode=regex&q=x", "since=yesterday", "q=x&mode=fuzzy&min=300"} {
		if status, body := f.call(t, "GET", "/api/v1/tm/segments?"+bad, "", nil); status != http.StatusBadRequest {
			t.Errorf("GET /tm/segments?%s: %d %s, want 400", bad, status, body)
		}
	}
}

// TestSegmentsCap learns more segments with one word than a search ranks:
// the answer says it is capped, and every page of the cap is served.
func TestSegmentsCap(t *testing.T) {
	f := newFixture(t)
	manySegments(t, f.mem, "learn:zebrafish", 10_050)
	var p server.SegmentPage
	f.get(t, "/api/v1/tm/segments?q=zebrafish&limit=200&offset=9800", &p)
	if !p.Capped || p.Total != 10_000 || p.Cap != 10_000 || len(p.Segments) != 200 {
		t.Errorf("capped page: capped %v, total %d, cap %d, %d segments", p.Capped, p.Total, p.Cap, len(p.Segments))
	}
	f.get(t, "/api/v1/tm/segments?origin=learn:&limit=1", &p)
	if !p.Capped || p.Total != 10_050 {
		t.Errorf("filter-only listing: capped %v, total %d, want capped and 10050", p.Capped, p.Total)
	}
}

// manySegments writes n segments that share the word "zebrafish" straight
// into the store, from the source file, and indexes them: what learning
// them would store, without its spotting and alignment.
func manySegments(t *testing.T, mem *memory.Memory, file string, n int) {
	t.Helper()
	ctx := context.Background()
	b := &graph.Batch{Source: file}
	ids := make([]string, n)
	now := time.Now().UTC()
	for i := range n {
		src, tgt := fmt.Sprintf("Zebrafish sample %d is ready", i), fmt.Sprintf("La muestra de pez cebra %d está lista", i)
		ids[i] = graph.SegmentID("en", "es", src, tgt)
		b.Segments = append(b.Segments, graph.Segment{ID: ids[i], SourceLang: "en", TargetLang: "es", Source: src, Target: tgt,
			Status: "approved", Changed: now, Sources: []graph.Source{{File: file, Count: 1, Units: []string{fmt.Sprint("#", i+1)}}}})
	}
	if err := mem.Store().Upsert(ctx, b); err != nil {
		t.Fatal(err)
	}
	if err := mem.Store().SetSourceState(ctx, graph.SourceState{File: file, Hash: file, Units: n, Complete: true, Updated: now}); err != nil {
		t.Fatal(err)
	}
	if _, err := mem.Index().CatchUpSegments(ctx, mem.Store(), ids); err != nil {
		t.Fatal(err)
	}
}

func TestSegmentDetail(t *testing.T) {
	f := newFixture(t)
	const src = "Delete this notebook?"
	const newer = "¿Quiere eliminar este cuaderno?"
	if status, body := f.call(t, "POST", "/api/v1/learn", "", server.LearnRequest{SourceLang: "en", TargetLang: "es",
		Pairs: []server.Pair{{Source: src, Target: newer}}}); status != http.StatusOK {
		t.Fatalf("learn: %d %s", status, body)
	}
	var p server.SegmentPage
	f.get(t, "/api/v1/tm/segments?origin=lumen.tmx&q="+url.QueryEscape(src)+"&mode=fuzzy&min=100", &p)
	if len(p.Segments) != 1 {
		t.Fatalf("the demo segment: %+v", p)
	}
	var d server.SegmentDetail
	f.get(t, "/api/v1/tm/segments/"+p.Segments[0].ID, &d)
	if d.Segment.Source != src || !strings.Contains(d.Origin, "lumen.tmx#ui-075") {
		t.Errorf("segment %+v from %q", d.Segment, d.Origin)
	}
	if len(d.Sources) == 0 || d.Sources[0].Updated.IsZero() {
		t.Errorf("sources without when they were written: %+v", d.Sources)
	}
	found := false
	for _, e := range d.Entities {
		found = found || e.Label == "notebook"
	}
	if !found {
		t.Errorf("entities %+v lack notebook", d.Entities)
	}
	if len(d.Versions) != 1 || d.Versions[0].Target != newer || !strings.HasPrefix(d.Versions[0].Origin, "learn:") {
		t.Errorf("versions = %+v, want the learned translation", d.Versions)
	}
	if status, body := f.call(t, "GET", "/api/v1/tm/segments/snosuch", "", nil); status != http.StatusNotFound || errorCode(t, body) != server.CodeNotFound {
		t.Errorf("unknown segment: %d %s", status, body)
	}
}

func TestEntitySearch(t *testing.T) {
	f := newFixture(t)
	for _, q := range []string{"notebook", "Notebook", "notebooks", "notebok"} {
		var r server.EntitySearchResponse
		f.get(t, "/api/v1/entities/search?q="+q, &r)
		if len(r.Entities) == 0 || r.Entities[0].Label != "notebook" {
			t.Errorf("search %q = %+v, want notebook first", q, r.Entities)
		}
	}
	if status, _ := f.call(t, "GET", "/api/v1/entities/search?q=", "", nil); status != http.StatusBadRequest {
		t.Errorf("search without q: %d, want 400", status)
	}
}

// TestEntityHistory sets a new preferred translation of a term: the one it
// replaces is in the history, superseded, with when.
func TestEntityHistory(t *testing.T) {
	f := newFixture(t)
	id := f.notebook(t)
	if status, body := f.call(t, "POST", "/api/v1/terms", "", memory.TermRequest{SourceLang: "en", TargetLang: "es", Source: "notebook", Target: "libro de notas"}); status != http.StatusOK {
		t.Fatalf("terms: %d %s", status, body)
	}
	var h server.EntityHistory
	f.get(t, "/api/v1/entities/"+id+"/history", &h)
	if h.Entity != id || h.Label != "notebook" {
		t.Errorf("history of %s: %+v", id, h)
	}
	var old, cur *server.LabelHistory
	for i, l := range h.Labels {
		switch {
		case l.Text == "cuaderno" && l.Status == graph.StatusPreferred:
			old = &h.Labels[i]
		case l.Text == "libro de notas":
			cur = &h.Labels[i]
		}
	}
	if old == nil || old.Current || old.Superseded.IsZero() || old.FirstSeen.IsZero() || old.LastSeen.IsZero() || len(old.Sources) == 0 {
		t.Errorf("the superseded preferred translation: %+v", old)
	}
	if cur == nil || !cur.Current || cur.Status != graph.StatusPreferred || !cur.Superseded.IsZero() {
		t.Errorf("the new preferred translation: %+v", cur)
	}
	if status, _ := f.call(t, "GET", "/api/v1/entities/enosuch/history", "", nil); status != http.StatusNotFound {
		t.Errorf("unknown entity history: %d, want 404", status)
	}
}

func TestEntitySegments(t *testing.T) {
	f := newFixture(t)
	id := f.notebook(t)
	var p server.SegmentPage
	f.get(t, "/api/v1/entities/"+id+"/segments?limit=4", &p)
	if p.Total < 10 || len(p.Segments) != 4 {
		t.Fatalf("segments of notebook: total %d, %d on the page", p.Total, len(p.Segments))
	}
	for _, m := range p.Segments {
		sg, err := f.mem.Store().Segment(context.Background(), m.ID)
		if err != nil {
			t.Fatal(err)
		}
		mentions := false
		for _, mn := range sg.Mentions {
			mentions = mentions || mn.Entity == id
		}
		if !mentions {
			t.Errorf("segment %q does not mention notebook in the graph", m.Source)
		}
	}
	var rest server.SegmentPage
	f.get(t, fmt.Sprintf("/api/v1/entities/%s/segments?offset=%d", id, p.Total-1), &rest)
	if len(rest.Segments) != 1 {
		t.Errorf("last page: %d segments, want 1", len(rest.Segments))
	}
}

// hub writes an entity linked to n others, straight into the store.
func hub(t *testing.T, mem *memory.Memory, n int) string {
	t.Helper()
	b := &graph.Batch{Source: "test:hub"}
	h := graph.Entity{ID: graph.EntityID(graph.TypeTerm, "en:hub"), Type: graph.TypeTerm, Key: "en:hub"}
	b.Entities = append(b.Entities, h)
	b.Facts = append(b.Facts, graph.NewLabel(h.ID, "hub", "en", graph.StatusNone, 1, b.Source, 1, ""))
	for i := range n {
		key := fmt.Sprintf("en:spoke %d", i)
		e := graph.Entity{ID: graph.EntityID(graph.TypeTerm, key), Type: graph.TypeTerm, Key: key}
		b.Entities = append(b.Entities, e)
		b.Facts = append(b.Facts, graph.NewLabel(e.ID, fmt.Sprintf("spoke %d", i), "en", graph.StatusNone, 1, b.Source, 1, ""),
			graph.NewFact(h.ID, graph.PredCooccurs, e.ID, "", "", float64(i%100)/100, b.Source, 1, ""))
	}
	if err := mem.Store().Upsert(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	return h.ID
}

func TestNeighbourhood(t *testing.T) {
	f := newFixture(t)
	id := f.notebook(t)
	var n server.Neighbourhood
	f.get(t, "/api/v1/entities/"+id+"/neighbourhood?nodes=30", &n)
	if n.Center != id || len(n.Nodes) < 2 || len(n.Nodes) > 30 || n.Nodes[0].ID != id || n.Nodes[0].Label != "notebook" {
		t.Fatalf("neighbourhood of notebook: %d nodes, centre %q", len(n.Nodes), n.Center)
	}
	nodes := map[string]bool{}
	for _, x := range n.Nodes {
		if nodes[x.ID] {
			t.Errorf("node %s twice", x.ID)
		}
		nodes[x.ID] = true
	}
	for _, e := range n.Edges {
		if !nodes[e.Source] || !nodes[e.Target] {
			t.Errorf("edge %s→%s leaves the neighbourhood", e.Source, e.Target)
		}
	}
	var two server.Neighbourhood
	f.get(t, "/api/v1/entities/"+id+"/neighbourhood?nodes=200&hops=2", &two)
	if len(two.Nodes) <= len(n.Nodes) || two.Nodes[len(two.Nodes)-1].Hops != 2 {
		t.Errorf("two hops: %d nodes (one hop: %d)", len(two.Nodes), len(n.Nodes))
	}

	big := hub(t, f.mem, 1200)
	var capped server.Neighbourhood
	f.get(t, "/api/v1/entities/"+big+"/neighbourhood?nodes=1000", &capped)
	if !capped.Capped || len(capped.Nodes) != 1000 || len(capped.Edges) != 999 {
		t.Errorf("hub of 1200 capped at 1000: capped %v, %d nodes, %d edges", capped.Capped, len(capped.Nodes), len(capped.Edges))
	}
	for _, bad := range []string{"nodes=1001", "hops=3", "nodes=0"} {
		if status, _ := f.call(t, "GET", "/api/v1/entities/"+id+"/neighbourhood?"+bad, "", nil); status != http.StatusBadRequest {
			t.Errorf("neighbourhood?%s: %d, want 400", bad, status)
		}
	}
}

func TestLearningStats(t *testing.T) {
	f := newFixture(t)
	learn := server.LearnRequest{SourceLang: "en", TargetLang: "es", Pairs: []server.Pair{{Source: "Pin it", Target: "Fíjela"}, {Source: "Unpin it", Target: "Desfíjela"}}}
	for range 2 {
		if status, body := f.call(t, "POST", "/api/v1/learn", "", learn); status != http.StatusOK {
			t.Fatalf("learn: %d %s", status, body)
		}
	}
	if status, body := f.call(t, "POST", "/api/v1/terms", "", memory.TermRequest{SourceLang: "en", TargetLang: "es", Source: "pin", Target: "fijar"}); status != http.StatusOK {
		t.Fatalf("terms: %d %s", status, body)
	}
	var st server.LearningStats
	f.get(t, "/api/v1/stats/learning?days=7", &st)
	if len(st.Days) != 7 {
		t.Fatalf("%d days, want 7", len(st.Days))
	}
	today := st.Days[6]
	if today.Day != time.Now().UTC().Format(time.DateOnly) || today.Pairs != 4 || today.Batches != 2 || today.Terms != 1 || today.Imports != 2 {
		t.Errorf("today = %+v, want 4 pairs in 2 batches, 1 term, 2 files", today)
	}
	if status, _ := f.call(t, "GET", "/api/v1/stats/learning?days=0", "", nil); status != http.StatusBadRequest {
		t.Errorf("days=0: %d, want 400", status)
	}
}

// TestWebUIAndAPINotFound checks the catch-all: the workbench at "/", JSON
// 404s for unknown API paths and other methods.
func TestWebUIAndAPINotFound(t *testing.T) {
	f := newFixture(t)
	status, body := f.call(t, "GET", "/", "", nil)
	if status != http.StatusOK || !strings.Contains(string(body), `<script type="module" src="/js/app.js">`) {
		t.Errorf("GET /: %d %.200s", status, body)
	}
	for _, tt := range []struct{ method, path string }{{"GET", "/api/v1/nosuch"}, {"GET", "/api/nosuch.js"}, {"POST", "/"}, {"GET", "/nosuch.html"}} {
		status, body := f.call(t, tt.method, tt.path, "", nil)
		if status != http.StatusNotFound || errorCode(t, body) != server.CodeNotFound {
			t.Errorf("%s %s: %d %s, want a JSON 404", tt.method, tt.path, status, body)
		}
	}
}

// TestWebRoutesNeedRead checks that the browsing routes take a read key
// and refuse a caller without one.
func TestWebRoutesNeedRead(t *testing.T) {
	f := newFixture(t)
	reader, err := f.keys.Add("reader", server.RoleRead, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/api/v1/tm/segments?q=notebook", "/api/v1/entities/search?q=notebook", "/api/v1/stats/learning"} {
		if status, _ := f.call(t, "GET", path, "", nil); status != http.StatusUnauthorized {
			t.Errorf("GET %s without a key: %d, want 401", path, status)
		}
		if status, body := f.call(t, "GET", path, reader, nil); status != http.StatusOK {
			t.Errorf("GET %s with a read key: %d %s", path, status, body)
		}
	}
}
