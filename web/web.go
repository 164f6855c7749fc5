// Package web is kgmem's browser workbench: a translator's and a
// terminologist's view of the memory — translate and review, search the
// translation memory, browse and curate the knowledge graph, add and
// deprecate terms, follow jobs and the memory's health — served by
// `kgmem serve` at "/". It is a client of kgmem's own API (/api/v1) like
// any other: it holds no logic of the memory, only pages.
//
// The pages are plain ES modules, a stylesheet and one HTML file in
// static/, embedded in the binary: `go build ./cmd/kgmem` alone gives the
// whole workbench, with nothing loaded from elsewhere. The graph drawing
// library (Cytoscape.js) is vendored under static/vendor with its licence;
// package.json pins it, and `npm run vendor` copies it from node_modules
// again (a test checks the copy). docs/web.md says how the pages are built.
//
// Start with Handler.
package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed static
var files embed.FS

// Static returns the files of the workbench, rooted at the directory that
// holds index.html.
func Static() fs.FS {
	sub, err := fs.Sub(files, "static")
	if err != nil {
		panic("web: the embedded files have no static directory: " + err.Error())
	}
	return sub
}

// ContentSecurityPolicy is the policy every page is served with: nothing
// is loaded or sent anywhere but the server itself, and no inline script
// or style runs but the one stylesheet Cytoscape.js adds to its container
// (allowed by its hash; the browser tests fail on any other).
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'sha256-pgvDUBa4IjFA2yuSJ2cqcyxmNYJMborsd0ORcRv9vw8='; img-src 'self' data: blob:; " +
	"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// asset is a file ready to serve: its bytes, gzipped when that is
// smaller, and its entity tag.
type asset struct {
	body, gz    []byte
	contentType string
	etag        string
}

// Handler serves the workbench: GET and HEAD of its files, "/" being
// index.html. Any other request — another method, a path under /api/, a
// file it does not have — goes to notFound, so that the API keeps its own
// answers. Files are sent gzipped to clients that take it, with an entity
// tag (they are revalidated, never assumed fresh: a new binary may change
// them). The handler is safe for concurrent use.
func Handler(notFound http.Handler) http.Handler {
	assets, err := load(Static())
	if err != nil {
		panic("web: " + err.Error()) // the embedded files are part of the binary
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if (r.Method != http.MethodGet && r.Method != http.MethodHead) || strings.HasPrefix(r.URL.Path, "/api/") {
			notFound.ServeHTTP(w, r)
			return
		}
		name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		if name == "" {
			name = "index.html"
		}
		a, ok := assets[name]
		if !ok {
			notFound.ServeHTTP(w, r)
			return
		}
		a.serve(w, r)
	})
}

func (a *asset) serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", ContentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cache-Control", "no-cache")
	h.Set("Vary", "Accept-Encoding")
	h.Set("Content-Type", a.contentType)
	h.Set("ETag", a.etag)
	if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, a.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := a.body
	if a.gz != nil && acceptsGzip(r) {
		body = a.gz
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Length", fmt.Sprint(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	w.Write(body)
}

// acceptsGzip reports whether the request takes gzip (and does not refuse
// it with q=0).
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") {
			return strings.ReplaceAll(strings.TrimSpace(params), " ", "") != "q=0"
		}
	}
	return false
}

// load reads every file of fsys into an asset, by its slash path.
func load(fsys fs.FS) (map[string]*asset, error) {
	out := map[string]*asset{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		a := &asset{body: body, contentType: contentType(p), etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
		if gz := compress(body); len(gz) < len(body) {
			a.gz = gz
		}
		out[p] = a
		return nil
	})
	return out, err
}

// contentType is the media type of a file by its extension.
func contentType(name string) string {
	switch path.Ext(name) {
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".html":
		return "text/html; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case "", ".txt":
		return "text/plain; charset=utf-8" // LICENSE
	}
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// compress gzips b at the best compression: it is done once, when the
// handler is made.
func compress(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}
