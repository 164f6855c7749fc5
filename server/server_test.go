package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora/demo"
	"github.com/kgmem/kgmem/corpora/formats"
	"github.com/kgmem/kgmem/internal/testenv"
	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/plugins/builtin"
	"github.com/kgmem/kgmem/retrieval"
	"github.com/kgmem/kgmem/server"
	"github.com/kgmem/kgmem/translate"
)

// TestMain lets the test binary serve a built-in model as kgmem does, so
// that models run as real subprocesses.
func TestMain(m *testing.M) {
	if len(os.Args) == 4 && os.Args[1] == "plugin" && os.Args[2] == "serve" {
		if err := builtin.Serve(os.Args[3]); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// fixture is a server of the demo memory.
type fixture struct {
	mem  *memory.Memory
	keys *server.Keys
	srv  *server.Server
	http *httptest.Server
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data")
	mem, err := memory.Open(ctx, memory.Options{DataDir: dir, Create: true, NoCatchUp: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mem.Close() })
	root := filepath.Join(testenv.RepoRoot(t), "corpora", "demo")
	if _, err := mem.Build(ctx, memory.BuildRequest{Paths: []string{filepath.Join(root, demo.TMX)},
		Terms: []string{filepath.Join(root, demo.Glossary)}, SourceLang: language.English, TargetLang: language.Spanish}); err != nil {
		t.Fatal(err)
	}
	keys, err := server.OpenKeys(dir)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(server.Options{Memory: mem, Keys: keys, Model: "memory", JobDir: t.TempDir(), MaxSegments: 50})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return &fixture{mem: mem, keys: keys, srv: srv, http: hs}
}

// call sends a request and returns the status and body.
func (f *fixture) call(t *testing.T, method, path, key string, body any) (int, []byte) {
	t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	case []byte:
		r = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, f.http.URL+path, r)
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, data
}

// errorCode returns the code of an error answer.
func errorCode(t *testing.T, body []byte) server.Code {
	t.Helper()
	var e struct{ Error server.Error }
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("error answer is not JSON: %v: %s", err, body)
	}
	if e.Error.Message == "" {
		t.Errorf("error answer without a message: %s", body)
	}
	return e.Error.Code
}

func TestTranslateLearnSearch(t *testing.T) {
	f := newFixture(t)
	const src = "Export every notebook of this account"
	req := server.TranslateRequest{SourceLang: "en", TargetLang: "es", Explain: true, Segments: []server.Segment{{Text: src}, {Text: "Delete this notebook?"}}}
	status, body := f.call(t, "POST", "/api/v1/translate", "", req)
	if status != http.StatusOK {
		t.Fatalf("translate: %d %s", status, body)
	}
	var tr server.TranslateResponse
	if err := json.Unmarshal(body, &tr); err != nil {
		t.Fatal(err)
	}
	if len(tr.Results) != 2 || tr.Results[1].Status != translate.StatusExact || tr.Results[1].Translation != "¿Desea eliminar este cuaderno?" {
		t.Fatalf("translate = %+v", tr.Results)
	}
	if tr.Results[0].Memory == nil || len(tr.Results[0].Memory.Explanation) == 0 {
		t.Errorf("explain=true gave no explanation: %+v", tr.Results[0])
	}
	const approved = "Exporte todos los cuadernos de esta cuenta"
	status, body = f.call(t, "POST", "/api/v1/learn", "", server.LearnRequest{SourceLang: "en", TargetLang: "es", Pairs: []server.Pair{{Source: src, Target: approved}}})
	if status != http.StatusOK {
		t.Fatalf("learn: %d %s", status, body)
	}
	status, body = f.call(t, "POST", "/api/v1/tm/search", "", server.TMSearchRequest{Text: src, TargetLang: "es"})
	var sr server.TMSearchResponse
	if status != http.StatusOK || json.Unmarshal(body, &sr) != nil || len(sr.Matches) == 0 || sr.Matches[0].Target != approved {
		t.Fatalf("tm search after learning: %d %s", status, body)
	}
	if !strings.HasPrefix(sr.Matches[0].Origin, "learn:") {
		t.Errorf("learned match origin %q", sr.Matches[0].Origin)
	}
	status, body = f.call(t, "POST", "/api/v1/translate", "", server.TranslateRequest{SourceLang: "en", TargetLang: "es", Segments: []server.Segment{{Text: src}}})
	if status != http.StatusOK || json.Unmarshal(body, &tr) != nil || tr.Results[0].Translation != approved || tr.Results[0].Status != translate.StatusExact {
		t.Errorf("translate after learning: %d %s", status, body)
	}
}

func TestEntitiesAndStats(t *testing.T) {
	f := newFixture(t)
	status, body := f.call(t, "GET", "/api/v1/entities?label=notebook&target_lang=es&limit=2", "", nil)
	var er server.EntitiesResponse
	if status != http.StatusOK || json.Unmarshal(body, &er) != nil || len(er.Entities) == 0 {
		t.Fatalf("entities: %d %s", status, body)
	}
	id := er.Entities[0].Entity
	status, body = f.call(t, "GET", "/api/v1/entities/"+id+"?target_lang=es", "", nil)
	var v memory.EntityView
	if status != http.StatusOK || json.Unmarshal(body, &v) != nil || v.Entity != id || v.Label != "notebook" || v.Translations[0].Text != "cuaderno" {
		t.Errorf("entity %s: %d %s", id, status, body)
	}
	status, body = f.call(t, "GET", "/api/v1/entities/enosuch", "", nil)
	if status != http.StatusNotFound || errorCode(t, body) != server.CodeNotFound {
		t.Errorf("unknown entity: %d %s", status, body)
	}
	status, body = f.call(t, "POST", "/api/v1/entities/spot", "", server.SpotRequest{Text: "Move the note to the trash", TargetLang: "es"})
	var sp server.SpotResponse
	if status != http.StatusOK || json.Unmarshal(body, &sp) != nil || len(sp.Spans) == 0 {
		t.Errorf("spot: %d %s", status, body)
	}
	status, body = f.call(t, "GET", "/api/v1/stats", "", nil)
	var st server.StatsResponse
	if status != http.StatusOK || json.Unmarshal(body, &st) != nil || st.Graph.Segments == 0 || int(st.Index.Segments) != st.Graph.Segments || st.Memory.ID == "" {
		t.Errorf("stats: %d %s", status, body)
	}
	status, body = f.call(t, "GET", "/api/v1/tm/concordance?q=notebook&limit=3", "", nil)
	var cr server.TMSearchResponse
	if status != http.StatusOK || json.Unmarshal(body, &cr) != nil || len(cr.Matches) == 0 || len(cr.Matches) > 3 {
		t.Errorf("concordance: %d %s", status, body)
	}
}

// TestBadRequests checks that each kind of bad request gets its status
// and stable code.
func TestBadRequests(t *testing.T) {
	f := newFixture(t)
	many := server.TranslateRequest{SourceLang: "en", TargetLang: "es"}
	for range 51 {
		many.Segments = append(many.Segments, server.Segment{Text: "x"})
	}
	tests := []struct {
		name         string
		method, path string
		body         any
		status       int
		code         server.Code
	}{
		{"malformed JSON", "POST", "/api/v1/translate", `{"source_lang": "en",`, 400, server.CodeBadRequest},
		{"unknown field", "POST", "/api/v1/translate", `{"source_lang": "en", "target_lang": "es", "segmnets": []}`, 400, server.CodeBadRequest},
		{"no target language", "POST", "/api/v1/translate", server.TranslateRequest{SourceLang: "en"}, 400, server.CodeBadRequest},
		{"bad language", "POST", "/api/v1/translate", server.TranslateRequest{SourceLang: "en", TargetLang: "C"}, 400, server.CodeBadRequest},
		{"invalid UTF-8", "POST", "/api/v1/translate", []byte("{\"source_lang\":\"en\",\"target_lang\":\"es\",\"segments\":[{\"text\":\"\xff\xfe\"}]}"), 400, server.CodeBadRequest},
		{"too many segments", "POST", "/api/v1/translate", many, 413, server.CodeTooLarge},
		{"10 MB body", "POST", "/api/v1/translate", bytes.Repeat([]byte(" "), 10<<20), 413, server.CodeTooLarge},
		{"unknown model", "POST", "/api/v1/translate", server.TranslateRequest{Model: "nosuch", SourceLang: "en", TargetLang: "es", Segments: []server.Segment{{Text: "x"}}}, 404, server.CodeNotFound},
		{"unknown route", "GET", "/api/v1/nosuch", nil, 404, server.CodeNotFound},
		{"unknown job", "GET", "/api/v1/jobs/nosuch", nil, 404, server.CodeNotFound},
		{"empty learn pair", "POST", "/api/v1/learn", server.LearnRequest{SourceLang: "en", TargetLang: "es", Pairs: []server.Pair{{Source: "x"}}}, 400, server.CodeBadRequest},
		{"search without text", "POST", "/api/v1/tm/search", server.TMSearchRequest{}, 400, server.CodeBadRequest},
	}
	for _, tt := range tests {
		status, body := f.call(t, tt.method, tt.path, "", tt.body)
		if status != tt.status {
			t.Errorf("%s: status %d, want %d (%s)", tt.name, status, tt.status, body)
			continue
		}
		if got := errorCode(t, body); got != tt.code {
			t.Errorf("%s: code %q, want %q", tt.name, got, tt.code)
		}
	}
}

// TestKeysAndRoles checks authentication and roles: without keys only
// loopback is served; with keys every call needs one, of a role that
// allows it.
func TestKeysAndRoles(t *testing.T) {
	f := newFixture(t)
	search := server.TMSearchRequest{Text: "Delete this notebook?"}
	learn := server.LearnRequest{SourceLang: "en", TargetLang: "es", Pairs: []server.Pair{{Source: "Pin it", Target: "Fíjela"}}}
	// No keys: the loopback test client is served.
	if status, body := f.call(t, "POST", "/api/v1/tm/search", "", search); status != http.StatusOK {
		t.Fatalf("keyless loopback search: %d %s", status, body)
	}
	reader, err := f.keys.Add("reader", server.RoleRead, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	learner, err := f.keys.Add("learner", server.RoleLearn, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		path   string
		key    string
		body   any
		status int
	}{
		{"no key", "/api/v1/tm/search", "", search, 401},
		{"bad key", "/api/v1/tm/search", "kgm_wrong", search, 401},
		{"read key searches", "/api/v1/tm/search", reader, search, 200},
		{"read key cannot learn", "/api/v1/learn", reader, learn, 403},
		{"read key cannot translate", "/api/v1/translate", reader, server.TranslateRequest{SourceLang: "en", TargetLang: "es"}, 403},
		{"learn key learns", "/api/v1/learn", learner, learn, 200},
		{"learn key cannot import", "/api/v1/imports?name=x.tsv", learner, "a\tb\n", 403},
	}
	for _, tt := range tests {
		status, body := f.call(t, "POST", tt.path, tt.key, tt.body)
		if status != tt.status {
			t.Errorf("%s: status %d, want %d (%s)", tt.name, status, tt.status, body)
		}
		if status >= 400 {
			want := map[int]server.Code{401: server.CodeUnauthorized, 403: server.CodeForbidden}[status]
			if got := errorCode(t, body); got != want {
				t.Errorf("%s: code %q, want %q", tt.name, got, want)
			}
		}
	}
	// Health needs no key.
	if status, _ := f.call(t, "GET", "/healthz", "", nil); status != 200 {
		t.Errorf("healthz without a key: %d", status)
	}
	// A key removed is refused at once (the store is reread when it
	// changes, at most once a second).
	if err := f.keys.Remove("reader"); err != nil {
		t.Fatal(err)
	}
	if status, _ := f.call(t, "POST", "/api/v1/tm/search", reader, search); status != 401 {
		t.Errorf("removed key: status %d, want 401", status)
	}
}

// TestDocumentJob translates a document as a job and fetches the result.
func TestDocumentJob(t *testing.T) {
	f := newFixture(t)
	po := filepath.Join(testenv.RepoRoot(t), "corpora", "demo", demo.Catalog)
	data, err := os.ReadFile(po)
	if err != nil {
		t.Fatal(err)
	}
	status, body := f.call(t, "POST", "/api/v1/documents?name=sample.po&source_lang=en&target_lang=es&explain=true", "", data)
	var job server.Job
	if status != http.StatusAccepted || json.Unmarshal(body, &job) != nil || job.ID == "" {
		t.Fatalf("document: %d %s", status, body)
	}
	deadline := time.Now().Add(60 * time.Second)
	for job.Status != server.JobDone && job.Status != server.JobFailed && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		_, body = f.call(t, "GET", "/api/v1/jobs/"+job.ID, "", nil)
		job = server.Job{}
		if err := json.Unmarshal(body, &job); err != nil {
			t.Fatal(err)
		}
	}
	if job.Status != server.JobDone || job.Result == "" || job.Done == 0 {
		t.Fatalf("document job ended as %+v", job)
	}
	status, out := f.call(t, "GET", job.Result, "", nil)
	if status != http.StatusOK || !bytes.Contains(out, []byte("msgstr")) || bytes.Equal(out, data) {
		t.Fatalf("document result: %d, %d bytes", status, len(out))
	}
	status, body = f.call(t, "GET", "/api/v1/jobs", "", nil)
	if status != http.StatusOK || !bytes.Contains(body, []byte(job.ID)) {
		t.Errorf("jobs list: %d %s", status, body)
	}
}

// TestOpenAPIMatchesRoutes checks that the OpenAPI document describes
// exactly the routes the server answers: every documented operation is
// routed (not answered "no route"), and no routed path is undocumented.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	f := newFixture(t)
	status, body := f.call(t, "GET", "/openapi.json", "", nil)
	if status != http.StatusOK {
		t.Fatalf("openapi.json: %d", status)
	}
	var doc struct {
		OpenAPI string                               `json:"openapi"`
		Paths   map[string]map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi = %q", doc.OpenAPI)
	}
	var documented []string
	for path, ops := range doc.Paths {
		for method := range ops {
			documented = append(documented, strings.ToUpper(method)+" "+path)
		}
	}
	sort.Strings(documented)
	routed := f.srv.Routes()
	sort.Strings(routed)
	if !reflect.DeepEqual(documented, routed) {
		t.Errorf("documented operations and routes differ:\ndocumented %v\nrouted     %v", documented, routed)
	}
	// Every documented operation is answered by its handler, not the
	// catch-all.
	for _, op := range documented {
		method, path, _ := strings.Cut(op, " ")
		path = strings.ReplaceAll(path, "{id}", "x")
		_, body := f.call(t, method, path, "", nil)
		if bytes.Contains(body, []byte("no route")) {
			t.Errorf("%s is documented but not routed", op)
		}
	}
}

// TestConcurrentLearnAndSearch runs learns and searches at once: every
// learn is acknowledged and found afterwards, and no request fails.
func TestConcurrentLearnAndSearch(t *testing.T) {
	f := newFixture(t)
	var wg sync.WaitGroup
	errs := make(chan string, 100)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 5 {
				src := fmt.Sprintf("Sync worker %d note %d now", i, j)
				status, body := f.call(t, "POST", "/api/v1/learn", "", server.LearnRequest{SourceLang: "en", TargetLang: "es",
					Pairs: []server.Pair{{Source: src, Target: fmt.Sprintf("Sincronizar trabajador %d nota %d ahora", i, j)}}})
				if status != 200 {
					errs <- fmt.Sprintf("learn %q: %d %s", src, status, body)
				}
				if status, body := f.call(t, "POST", "/api/v1/tm/search", "", server.TMSearchRequest{Text: "Delete this notebook?"}); status != 200 {
					errs <- fmt.Sprintf("search: %d %s", status, body)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	for i := range 8 {
		for j := range 5 {
			src := fmt.Sprintf("Sync worker %d note %d now", i, j)
			ms, err := f.mem.SearchTM(context.Background(), retrieval.Query{Text: src, SourceLang: "en", TargetLang: "es"})
			if err != nil || len(ms) == 0 || ms[0].Score < 100 {
				t.Errorf("learned %q not found at 100 %%: %v %+v", src, err, ms)
			}
		}
	}
}

// TestSocketClient goes through the unix socket as the CLI does.
func TestSocketClient(t *testing.T) {
	f := newFixture(t)
	sock := filepath.Join(f.mem.Dir(), server.SocketFile)
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.srv.Serve(ctx, ln) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	}()
	c, ok := server.DialDataDir(ctx, f.mem.Dir())
	if !ok {
		t.Fatal("DialDataDir found no server")
	}
	defer c.Close()
	o := memory.TranslateOptions{Model: "memory", SourceLang: "en", TargetLang: "es"}
	rs, err := c.Translate(ctx, o, memory.LineSegments([]string{"Delete this notebook?"}))
	if err != nil || len(rs) != 1 || rs[0].Translation != "¿Desea eliminar este cuaderno?" {
		t.Fatalf("Translate through the socket = %+v, %v", rs, err)
	}
	vs, err := c.Entities(ctx, memory.EntityQuery{Label: "trash", Lang: "en", TargetLang: "es", Limit: 1})
	if err != nil || len(vs) == 0 {
		t.Fatalf("Entities through the socket = %+v, %v", vs, err)
	}
	in := filepath.Join(t.TempDir(), "in.txt")
	os.WriteFile(in, []byte("Delete this notebook?\n\nEmpty the trash.\n"), 0o644)
	out := filepath.Join(t.TempDir(), "out.txt")
	sum, err := c.TranslateFile(ctx, o, translate.FileOptions{In: in, Out: out, SourceLang: language.English, TargetLang: language.Spanish}, nil)
	if err != nil || sum.Translated != 2 {
		t.Fatalf("TranslateFile through the socket = %+v, %v", sum, err)
	}
	if data, _ := os.ReadFile(out); !strings.Contains(string(data), "¿Desea eliminar este cuaderno?") {
		t.Errorf("translated document: %q", data)
	}
	if _, err := c.Translate(ctx, memory.TranslateOptions{Model: "memory", SourceLang: "en"}, nil); err == nil {
		t.Error("Translate without a target language through the socket: no error")
	}
	tmx := filepath.Join(t.TempDir(), "memory.tmx")
	es, err := c.Export(ctx, tmx, formats.Auto, false, memory.ExportFilter{TargetLang: "es"})
	st, _ := f.mem.Stats(ctx)
	if err != nil || es.Written != st.Segments {
		t.Errorf("Export through the socket = %+v, %v; the memory has %d segments", es, err, st.Segments)
	}
	if data, _ := os.ReadFile(tmx); strings.Count(string(data), "<tu ") != st.Segments {
		t.Errorf("the exported TMX holds %d units, want %d", strings.Count(string(data), "<tu "), st.Segments)
	}
}

// TestRemoteWithoutKeys checks who a keyless server serves: loopback, and
// a remote client only when told to (kgmem serve --insecure-no-keys).
func TestRemoteWithoutKeys(t *testing.T) {
	f := newFixture(t)
	remote := func(srv *server.Server) int {
		req := httptest.NewRequest("GET", "/api/v1/stats", nil)
		req.RemoteAddr = "192.0.2.7:40000"
		w := httptest.NewRecorder()
		srv.Handler().ServeHTTP(w, req)
		return w.Code
	}
	if code := remote(f.srv); code != http.StatusForbidden {
		t.Errorf("remote client of a keyless server: %d, want 403", code)
	}
	open, err := server.New(server.Options{Memory: f.mem, Keys: f.keys, Model: "memory", JobDir: t.TempDir(), InsecureNoKeys: true})
	if err != nil {
		t.Fatal(err)
	}
	if code := remote(open); code != http.StatusOK {
		t.Errorf("remote client of a keyless server with InsecureNoKeys: %d, want 200", code)
	}
}

// TestRoleJSON decodes every role a server writes, none included.
func TestRoleJSON(t *testing.T) {
	for _, r := range []server.Role{server.RoleNone, server.RoleRead, server.RoleTranslate, server.RoleLearn, server.RoleAdmin} {
		data, err := json.Marshal(server.SessionResponse{Role: r})
		if err != nil {
			t.Fatal(err)
		}
		var back server.SessionResponse
		if err := json.Unmarshal(data, &back); err != nil || back.Role != r {
			t.Errorf("role %v: JSON %s decodes to %v, %v", r, data, back.Role, err)
		}
	}
}
