package openai

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kgmem/kgmem/plugins"
)

// fake is an OpenAI-compatible server that records the requests and
// answers with reply, after failing the first failures requests with 503.
type fake struct {
	t        *testing.T
	mu       sync.Mutex
	requests []chatRequest
	failures int
	reply    string
}

func (f *fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" {
		f.t.Errorf("request %s %s, want POST /v1/chat/completions", r.Method, r.URL.Path)
	}
	if got := r.Header.Get("Authorization"); got != "Bearer sk-test" {
		f.t.Errorf("Authorization = %q", got)
	}
	var req chatRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		f.t.Errorf("request body: %v", err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = append(f.requests, req)
	if f.failures > 0 {
		f.failures--
		http.Error(w, `{"error":{"message":"overloaded"}}`, http.StatusServiceUnavailable)
		return
	}
	json.NewEncoder(w).Encode(map[string]any{"choices": []any{map[string]any{"message": map[string]string{"role": "assistant", "content": " " + f.reply + "\n"}}}})
}

func TestTranslate(t *testing.T) {
	f := &fake{t: t, failures: 1, reply: "Abra el archivo"}
	srv := httptest.NewServer(f)
	defer srv.Close()
	m := New(Config{BaseURL: srv.URL + "/v1/", Model: "tiny", APIKey: "sk-test", Backoff: time.Millisecond})
	req := &plugins.TranslateRequest{SourceLang: "en", TargetLang: "es", Items: []plugins.Item{
		{ID: "1", Source: "Open the file",
			FuzzyMatches:  []plugins.FuzzyMatch{{Source: "Open the folder", Target: "Abra la carpeta", Score: 80}},
			Terms:         []plugins.TermConstraint{{Source: "file", Target: "archivo", Required: true}, {Source: "open", Target: "abrir"}},
			Facts:         []plugins.Fact{{Subject: "file", Predicate: "is", Object: "document", Sentence: "A file is a document."}},
			ContextBefore: []string{"Start the program."}},
		{ID: "2", Source: "Save", FuzzyMatches: []plugins.FuzzyMatch{{Source: "Save", Target: "Guardar", Score: 100}}},
	}}
	resp, err := m.Translate(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if r := resp.Results[0]; r.Translation != "Abra el archivo" || len(r.HonouredTerms) != 1 || r.HonouredTerms[0] != 0 {
		t.Errorf("result 0 = %+v", r)
	}
	if r := resp.Results[1]; r.Translation != "Guardar" {
		t.Errorf("exact match = %+v, want Guardar without asking", r)
	}
	if len(f.requests) != 2 {
		t.Fatalf("server saw %d requests, want 2 (one 503, one retry)", len(f.requests))
	}
	got := f.requests[1]
	if got.Model != "tiny" || len(got.Messages) != 2 || got.Messages[0].Role != "system" {
		t.Fatalf("request = %+v", got)
	}
	if !strings.Contains(got.Messages[0].Content, "from en to es") {
		t.Errorf("system message %q does not name the languages", got.Messages[0].Content)
	}
	user := got.Messages[1].Content
	for _, want := range []string{
		"- Open the folder => Abra la carpeta",
		"must translate these terms so:\n- file => archivo",
		"Suggested terms:\n- open => abrir",
		"- A file is a document.",
		"before: Start the program.",
		"Text to translate:\nOpen the file",
	} {
		if !strings.Contains(user, want) {
			t.Errorf("user message lacks %q:\n%s", want, user)
		}
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		body    string
		wantErr string
	}{
		{"unauthorized", 401, `{"error":{"message":"bad key"}}`, "bad key (set KGMEM_OPENAI_API_KEY"},
		{"always 500", 500, `oops`, "500 Internal Server Error: oops"},
		{"no choices", 200, `{"choices":[]}`, "no choices"},
		{"not json", 200, `<html>`, "bad response"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tt.status)
				w.Write([]byte(tt.body))
			}))
			defer srv.Close()
			m := New(Config{BaseURL: srv.URL, Model: "x", Backoff: time.Millisecond, MaxRetries: 2})
			_, err := m.Translate(context.Background(), &plugins.TranslateRequest{Items: []plugins.Item{{Source: "a"}}})
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Translate = %v, want an error containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestTimeout(t *testing.T) {
	stop := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	}))
	defer srv.Close()
	defer close(stop)
	m := New(Config{BaseURL: srv.URL, Model: "x", Timeout: 50 * time.Millisecond, MaxRetries: 1, Backoff: time.Millisecond})
	began := time.Now()
	_, err := m.Translate(context.Background(), &plugins.TranslateRequest{Items: []plugins.Item{{Source: "a"}}})
	if err == nil {
		t.Fatal("Translate against a hanging server succeeded")
	}
	if d := time.Since(began); d > 2*time.Second {
		t.Errorf("took %v", d)
	}
}

func TestConfigFromEnv(t *testing.T) {
	t.Setenv("KGMEM_OPENAI_BASE_URL", "")
	t.Setenv("OPENAI_BASE_URL", "http://localhost:11434/v1")
	t.Setenv("KGMEM_OPENAI_MODEL", "llama3")
	t.Setenv("OPENAI_API_KEY", "k")
	c := ConfigFromEnv()
	if c.BaseURL != "http://localhost:11434/v1" || c.Model != "llama3" || c.APIKey != "k" {
		t.Errorf("ConfigFromEnv = %+v", c)
	}
}
