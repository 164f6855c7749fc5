package server

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora/demo"
	"github.com/kgmem/kgmem/internal/testenv"
	"github.com/kgmem/kgmem/memory"
)

// TestCompatUsage checks that the characters translated through
// LibreTranslate and APy count in the usage of the key the request
// carries in the API's own place (api_key in the body, key).
func TestCompatUsage(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data")
	mem, err := memory.Open(ctx, memory.Options{DataDir: dir, Create: true, NoCatchUp: true})
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	root := filepath.Join(testenv.RepoRoot(t), "corpora", "demo")
	if _, err := mem.Build(ctx, memory.BuildRequest{Paths: []string{filepath.Join(root, demo.TMX)},
		SourceLang: language.English, TargetLang: language.Spanish}); err != nil {
		t.Fatal(err)
	}
	keys, err := OpenKeys(dir)
	if err != nil {
		t.Fatal(err)
	}
	key, err := keys.Add("tool", RoleTranslate, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Options{Memory: mem, Keys: keys, Model: "memory", JobDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	defer hs.Close()
	post := func(path, ct string, body []byte) {
		t.Helper()
		resp, err := http.Post(hs.URL+path, ct, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("POST %s: %d", path, resp.StatusCode)
		}
	}
	post("/translate", "application/json", []byte(`{"q": ["New Note", "¿Qué?"], "source": "en", "target": "es", "api_key": "`+key+`"}`))
	post("/translate", "application/x-www-form-urlencoded", []byte("langpair=eng|spa&markUnknown=no&q="+url.QueryEscape("Delete this notebook?")+"&key="+url.QueryEscape(key)))
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	w.WriteField("source", "en")
	w.WriteField("target", "es")
	w.WriteField("api_key", key)
	fw, _ := w.CreateFormFile("file", "notes.txt")
	fw.Write([]byte("New Folder\n"))
	w.Close()
	post("/translate_file", w.FormDataContentType(), b.Bytes())
	want := int64(len([]rune("New Note¿Qué?")) + len("Delete this notebook?") + len("New Folder"))
	if got := s.usage.of("tool"); got != want {
		t.Errorf("usage of the key = %d characters, want %d", got, want)
	}
	if got := s.usage.of(""); got != 0 {
		t.Errorf("usage without a key = %d characters, want 0", got)
	}
	if !strings.HasPrefix(key, "kgm_") {
		t.Errorf("key %q", key)
	}
}
