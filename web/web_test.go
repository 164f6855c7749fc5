package web_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kgmem/kgmem/internal/testenv"
	"github.com/kgmem/kgmem/web"
)

func serve(t *testing.T, method, path string, header http.Header) *httptest.ResponseRecorder {
	t.Helper()
	h := web.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "not here", http.StatusTeapot)
	}))
	r := httptest.NewRequest(method, path, nil)
	for k, v := range header {
		r.Header[k] = v
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestHandler(t *testing.T) {
	tests := []struct {
		method, path string
		status       int
		contentType  string
	}{
		{"GET", "/", 200, "text/html; charset=utf-8"},
		{"HEAD", "/", 200, "text/html; charset=utf-8"},
		{"GET", "/index.html", 200, "text/html; charset=utf-8"},
		{"GET", "/js/app.js", 200, "text/javascript; charset=utf-8"},
		{"GET", "/app.css", 200, "text/css; charset=utf-8"},
		{"GET", "/vendor/cytoscape/cytoscape.esm.min.mjs", 200, "text/javascript; charset=utf-8"},
		{"GET", "/vendor/cytoscape/LICENSE", 200, "text/plain; charset=utf-8"},
		{"GET", "/js/../app.css", 200, "text/css; charset=utf-8"},
		// Everything else is the caller's: the API's JSON 404s.
		{"GET", "/api/v1/nosuch", http.StatusTeapot, ""},
		{"GET", "/api/app.css", http.StatusTeapot, ""},
		{"POST", "/", http.StatusTeapot, ""},
		{"GET", "/nosuch.js", http.StatusTeapot, ""},
		{"GET", "/js/", http.StatusTeapot, ""},
	}
	for _, tt := range tests {
		w := serve(t, tt.method, tt.path, nil)
		if w.Code != tt.status {
			t.Errorf("%s %s: %d, want %d", tt.method, tt.path, w.Code, tt.status)
			continue
		}
		if tt.status != 200 {
			continue
		}
		if got := w.Header().Get("Content-Type"); got != tt.contentType {
			t.Errorf("%s %s: Content-Type %q, want %q", tt.method, tt.path, got, tt.contentType)
		}
		if got := w.Header().Get("Content-Security-Policy"); got != web.ContentSecurityPolicy {
			t.Errorf("%s %s: Content-Security-Policy %q", tt.method, tt.path, got)
		}
		if tt.method == "HEAD" && w.Body.Len() != 0 {
			t.Errorf("HEAD %s: a body of %d bytes", tt.path, w.Body.Len())
		}
	}
}

func TestHandlerGzipAndETag(t *testing.T) {
	plain := serve(t, "GET", "/js/translate.js", nil)
	gz := serve(t, "GET", "/js/translate.js", http.Header{"Accept-Encoding": {"br, gzip;q=0.8"}})
	if gz.Header().Get("Content-Encoding") != "gzip" || gz.Body.Len() >= plain.Body.Len() {
		t.Fatalf("gzip: encoding %q, %d bytes (plain %d)", gz.Header().Get("Content-Encoding"), gz.Body.Len(), plain.Body.Len())
	}
	zr, err := gzip.NewReader(gz.Body)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(body, plain.Body.Bytes()) {
		t.Errorf("gunzipped body differs from the plain one (%v)", err)
	}
	if refused := serve(t, "GET", "/js/translate.js", http.Header{"Accept-Encoding": {"gzip;q=0"}}); refused.Header().Get("Content-Encoding") != "" {
		t.Error("gzip sent to a client that refuses it")
	}
	etag := plain.Header().Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	if w := serve(t, "GET", "/js/translate.js", http.Header{"If-None-Match": {etag}}); w.Code != http.StatusNotModified || w.Body.Len() != 0 {
		t.Errorf("If-None-Match with the ETag: %d, %d bytes", w.Code, w.Body.Len())
	}
}

// pageFiles are the files a page loads before its own page module: the
// HTML, the stylesheet and the scripts, the graph library aside (only the
// entity page loads it; the browser test measures both loads).
func pageFiles(t *testing.T) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := fs.WalkDir(web.Static(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(p, "vendor/") {
			return err
		}
		out[p], err = fs.ReadFile(web.Static(), p)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestSize checks that the whole workbench but the graph library is well
// under the first-load budget (300 KB compressed) even if a page loaded
// every file at once.
func TestSize(t *testing.T) {
	total := 0
	for name, data := range pageFiles(t) {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(data)
		zw.Close()
		total += buf.Len()
		t.Logf("%-24s %7d bytes, %6d gzipped", name, len(data), buf.Len())
	}
	t.Logf("all pages' files: %d bytes gzipped", total)
	if total > 150<<10 {
		t.Errorf("the workbench's own files are %d bytes gzipped: more than half the 300 KB first-load budget", total)
	}
}

// TestOffline checks that no page loads anything from elsewhere: no
// script, style, image, import or call whose address is another host's.
func TestOffline(t *testing.T) {
	remote := regexp.MustCompile(`(?i)(src|href|action)\s*[=:]\s*["'` + "`" + `]?(https?:)?//|import\s*\(?\s*["'](https?:)?//|fetch\(\s*["'` + "`" + `](https?:)?//|\burl\(\s*["']?(https?:)?//|@import`)
	for name, data := range pageFiles(t) {
		if m := remote.Find(data); m != nil {
			t.Errorf("%s refers to %q: every asset must be served by kgmem", name, m)
		}
	}
}

// TestVendoredLibrary checks that the vendored graph library is the one
// package-lock.json pins, byte for byte, with its licence: `npm ci` in
// web/ then `npm run vendor` gives the same files.
func TestVendoredLibrary(t *testing.T) {
	root := filepath.Join(testenv.RepoRoot(t), "web")
	for _, f := range []struct{ vendored, npm string }{
		{"static/vendor/cytoscape/cytoscape.esm.min.mjs", "node_modules/cytoscape/dist/cytoscape.esm.min.mjs"},
		{"static/vendor/cytoscape/LICENSE", "node_modules/cytoscape/LICENSE"},
	} {
		want, err := os.ReadFile(filepath.Join(root, f.npm))
		if err != nil {
			msg := "npm packages of web/ are not installed (run npm ci in web/, or scripts/install-deps.sh): " + err.Error()
			if os.Getenv(testenv.RequireEnv) == "1" {
				t.Fatal(msg)
			}
			t.Skip(msg)
		}
		got, err := os.ReadFile(filepath.Join(root, f.vendored))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s: run npm run vendor in web/", f.vendored, f.npm)
		}
	}
	lic, err := os.ReadFile(filepath.Join(root, "static/vendor/cytoscape/LICENSE"))
	if err != nil || !bytes.Contains(lic, []byte("MIT")) {
		t.Errorf("the graph library's licence is missing or not MIT: %v", err)
	}
	lock, err := os.ReadFile(filepath.Join(root, "package-lock.json"))
	if err != nil || !bytes.Contains(lock, []byte(`"node_modules/cytoscape": {`)) {
		t.Errorf("package-lock.json does not pin cytoscape: %v", err)
	}
}
