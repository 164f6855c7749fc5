package server_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kgmem/kgmem/internal/testenv"
	"github.com/kgmem/kgmem/server"
)

// npmHarness installs the libretranslate npm client, at the version
// server/testdata/libretranslate/package-lock.json pins, in a copy of the
// harness, and returns a function that runs cases through it.
func npmHarness(t *testing.T) func(server string, cases []map[string]any) []harnessResult {
	t.Helper()
	node := testenv.Tool(t, "node", "apt-get install nodejs npm (Node 18 or newer)")
	npm := testenv.Tool(t, "npm", "apt-get install npm")
	src := filepath.Join(testenv.RepoRoot(t), "server", "testdata", "libretranslate")
	dir := t.TempDir()
	for _, name := range []string{"package.json", "package-lock.json", "harness.mjs"} {
		data, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, npm, "ci", "--no-audit", "--no-fund", "--loglevel=error")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("npm ci in a copy of %s: %v\n%s", src, err, out)
	}
	return func(srv string, cases []map[string]any) []harnessResult {
		t.Helper()
		spec, err := json.Marshal(map[string]any{"server": srv, "cases": cases})
		if err != nil {
			t.Fatal(err)
		}
		specFile := filepath.Join(dir, "cases.json")
		if err := os.WriteFile(specFile, spec, 0o644); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, node, "harness.mjs", specFile)
		cmd.Dir = dir
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("node harness.mjs: %v\n%s", err, stderr.String())
		}
		var rs []harnessResult
		if err := json.Unmarshal(out, &rs); err != nil {
			t.Fatalf("harness output: %v\n%s", err, out)
		}
		if len(rs) != len(cases) {
			t.Fatalf("harness ran %d cases of %d", len(rs), len(cases))
		}
		return rs
	}
}

// harnessResult is what harness.mjs reports of a case.
type harnessResult struct {
	Name      string     `json:"name"`
	Result    any        `json:"result"`
	Error     string     `json:"error"`
	Exchanges []exchange `json:"exchanges"`
}

// exchange is one HTTP request the client made, and the answer.
type exchange struct {
	Method      string `json:"method"`
	URL         string `json:"url"`
	Request     string `json:"request"`
	Status      int    `json:"status"`
	ContentType string `json:"contentType"`
	Body        string `json:"body"`
}

// last returns the last exchange with path.
func (r harnessResult) last(t *testing.T, path string) exchange {
	t.Helper()
	for i := len(r.Exchanges) - 1; i >= 0; i-- {
		if strings.Contains(r.Exchanges[i].URL, path) {
			return r.Exchanges[i]
		}
	}
	t.Fatalf("%s: the client sent no request to %s: %+v", r.Name, path, r.Exchanges)
	return exchange{}
}

// TestLibreTranslateNPMClient runs the libretranslate npm client against
// the server: strings, arrays and HTML are translated from the memory,
// the languages it lists are those of the memory, "auto" and an unknown
// key get LibreTranslate's errors, and a file goes through
// /translate_file and its download URL.
func TestLibreTranslateNPMClient(t *testing.T) {
	run := npmHarness(t)
	f := newFixture(t)
	doc := filepath.Join(t.TempDir(), "help.txt")
	if err := os.WriteFile(doc, []byte("Delete this notebook?\n\nNew Note\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tr := func(opts map[string]any) map[string]any { return map[string]any{"translate": opts} }
	cases := []map[string]any{
		tr(map[string]any{"query": "Delete this notebook?", "source": "en", "target": "es"}),
		tr(map[string]any{"query": []string{"Delete this notebook?", "New Note"}, "source": "en", "target": "es"}),
		tr(map[string]any{"query": `<p class="q">Delete this notebook?</p><ul><li><b>New Note</b></li></ul>`, "source": "en", "target": "es", "format": "html"}),
		tr(map[string]any{"query": "New Note", "target": "es"}),
		tr(map[string]any{"query": "New Note", "source": "fr", "target": "es"}),
		tr(map[string]any{"query": "New Note", "source": "en", "target": "es", "apiKey": "kgm_not-a-key"}),
		{"translateFile": map[string]any{"file": doc, "name": "help.txt", "source": "en", "target": "es"}},
		{"translateFile": map[string]any{"file": doc, "name": "help.odt", "source": "en", "target": "es"}},
	}
	for i := range cases {
		cases[i]["name"] = []string{"string", "array", "html", "auto", "unknown language", "bad key", "file", "file format"}[i]
	}
	rs := run(f.http.URL, cases)
	byName := map[string]harnessResult{}
	for _, r := range rs {
		byName[r.Name] = r
	}

	// The languages the client checked against: the memory's pair.
	langs := byName["string"].last(t, "/languages")
	var got []map[string]any
	if err := json.Unmarshal([]byte(langs.Body), &got); err != nil || langs.Status != 200 {
		t.Fatalf("GET /languages: %d %s", langs.Status, langs.Body)
	}
	want := []map[string]any{{"code": "en", "name": "English", "targets": []any{"es"}}, {"code": "es", "name": "Spanish", "targets": []any{}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("GET /languages = %v, want %v", got, want)
	}

	results := []struct {
		name string
		want any
	}{
		{"string", "¿Desea eliminar este cuaderno?"},
		{"array", []any{"¿Desea eliminar este cuaderno?", "Nueva nota"}},
		{"html", `<p class="q">¿Desea eliminar este cuaderno?</p><ul><li><b>Nueva nota</b></li></ul>`},
	}
	for _, tt := range results {
		r := byName[tt.name]
		if r.Error != "" || !reflect.DeepEqual(r.Result, tt.want) {
			t.Errorf("%s: client returned %#v (error %q), want %#v; exchanges %+v", tt.name, r.Result, r.Error, tt.want, r.Exchanges)
		}
	}

	// Errors: the client returns undefined; the answers are LibreTranslate's.
	errorCases := []struct {
		name   string
		status int
		says   string
	}{
		{"auto", 400, "auto is not supported"},
		{"bad key", 401, "API key"},
	}
	for _, tt := range errorCases {
		r := byName[tt.name]
		ex := r.last(t, "/translate")
		var e struct{ Error string }
		if r.Result != nil || ex.Status != tt.status || json.Unmarshal([]byte(ex.Body), &e) != nil || !strings.Contains(e.Error, tt.says) {
			t.Errorf("%s: client returned %#v; answer %d %s, want %d with an error saying %q", tt.name, r.Result, ex.Status, ex.Body, tt.status, tt.says)
		}
	}
	// A language the server does not list: the client refuses it itself.
	if r := byName["unknown language"]; r.Error == "" || len(r.Exchanges) != 1 {
		t.Errorf("unknown language: client returned %#v, error %q after %d requests", r.Result, r.Error, len(r.Exchanges))
	}

	// A file: translated, and downloaded from the URL of the answer.
	file, _ := byName["file"].Result.(map[string]any)
	if s, _ := file["file"].(string); !strings.Contains(s, "¿Desea eliminar este cuaderno?") || !strings.Contains(s, "Nueva nota") {
		t.Errorf("translate_file: %#v (exchanges %+v)", byName["file"].Result, byName["file"].Exchanges)
	}
	bad := byName["file format"].last(t, "/translate_file")
	if bad.Status != 400 || !strings.Contains(bad.Body, "file format not supported") {
		t.Errorf("translate_file of an .odt: %d %s", bad.Status, bad.Body)
	}

	// With keys: the client's key (it sends apiKey) is taken; no key is
	// refused.
	key, err := f.keys.Add("npm", server.RoleTranslate, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	rs = run(f.http.URL, []map[string]any{
		{"name": "good key", "translate": map[string]any{"query": "New Note", "source": "en", "target": "es", "apiKey": key}},
		{"name": "no key", "translate": map[string]any{"query": "New Note", "source": "en", "target": "es"}},
	})
	if rs[0].Result != "Nueva nota" {
		t.Errorf("with a translate key: client returned %#v (exchanges %+v)", rs[0].Result, rs[0].Exchanges)
	}
	if ex := rs[1].last(t, "/translate"); rs[1].Result != nil || ex.Status != 401 {
		t.Errorf("without a key on a server with keys: client returned %#v; answer %d %s", rs[1].Result, ex.Status, ex.Body)
	}
}
