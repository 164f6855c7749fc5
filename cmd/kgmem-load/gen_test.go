package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
)

func TestParseMix(t *testing.T) {
	got, err := parseMix("search=90, translate=9,learn=1")
	if err != nil {
		t.Fatal(err)
	}
	want := []weighted{{opSearch, 90}, {opTranslate, 9}, {opLearn, 1}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parseMix = %v, want %v", got, want)
	}
	for _, bad := range []string{"", "search=0", "nosuch", "search=x", "search,search", "search=-1"} {
		if _, err := parseMix(bad); err == nil {
			t.Errorf("parseMix(%q): no error", bad)
		}
	}
}

func TestSchedule(t *testing.T) {
	s := schedule([]weighted{{opSearch, 90}, {opTranslate, 9}, {opLearn, 1}})
	if len(s) != 100 {
		t.Fatalf("schedule of 100 = %d entries", len(s))
	}
	count := map[int]int{}
	for _, i := range s {
		count[i]++
	}
	if count[0] != 90 || count[1] != 9 || count[2] != 1 {
		t.Errorf("schedule counts = %v, want 90/9/1", count)
	}
	// Spread: no window of 20 requests lacks a search, and translations
	// are not bunched together.
	for i := 0; i+2 <= len(s); i++ {
		if s[i] == 1 && s[i+1] == 1 {
			t.Errorf("two translations in a row at %d: %v", i, s)
			break
		}
	}
}

// fakeKgmem answers kgmem's API as a server would, failing every tenth
// search with a 503, and counts what it was sent.
type fakeKgmem struct {
	mu     sync.Mutex
	calls  map[string]int
	learns []string
}

func (f *fakeKgmem) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.calls[r.URL.Path]++
	n := f.calls[r.URL.Path]
	f.mu.Unlock()
	if r.Header.Get("Authorization") != "Bearer sekrit" {
		http.Error(w, `{"error":{"code":"unauthorized"}}`, http.StatusUnauthorized)
		return
	}
	switch {
	case r.URL.Path == "/api/v1/tm/search" && n%10 == 0:
		http.Error(w, `{"error":{"code":"model_unavailable","message":"busy"}}`, http.StatusServiceUnavailable)
	case r.URL.Path == "/api/v1/tm/search":
		io.WriteString(w, `{"matches":[]}`)
	case r.URL.Path == "/api/v1/translate":
		var req struct{ Segments []struct{ Text string } }
		json.Unmarshal(body, &req)
		var out bytes.Buffer
		out.WriteString(`{"results":[`)
		for i := range req.Segments {
			if i > 0 {
				out.WriteString(",")
			}
			out.WriteString(`{"translation":"x"}`)
		}
		out.WriteString("]}")
		w.Write(out.Bytes())
	case r.URL.Path == "/api/v1/learn":
		var req struct{ Pairs []struct{ Source string } }
		json.Unmarshal(body, &req)
		f.mu.Lock()
		f.learns = append(f.learns, req.Pairs[0].Source)
		f.mu.Unlock()
		io.WriteString(w, `{"pairs":1}`)
	case strings.HasPrefix(r.URL.Path, "/tmserver/en/es/unit/"):
		io.WriteString(w, `[]`)
	case r.URL.Path == "/translate":
		if r.URL.Query().Get("q") == "" {
			http.Error(w, "no q", 400)
			return
		}
		io.WriteString(w, `{"responseData":{"translatedText":"x"}}`)
	default:
		http.NotFound(w, r)
	}
}

func TestRunAgainstFakeServer(t *testing.T) {
	fake := &fakeKgmem{calls: map[string]int{}}
	hs := httptest.NewServer(fake)
	defer hs.Close()
	qfile := filepath.Join(t.TempDir(), "q.tsv")
	os.WriteFile(qfile, []byte("domain\tsource\ttarget\nd\tOpen the file\tAbra el archivo\nd\tA & B?\tA y B\n"), 0o644)
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"--url", hs.URL, "--key", "sekrit", "--queries", qfile, "--json",
		"--clients", "1,4", "--duration", "0", "--requests", "200", "--warmup", "0",
		"--mix", "search=90,translate=5,learn=1,tmserver=2,apy=2", "--segments", "2",
		"--tmserver", hs.URL + "/tmserver/{from}/{to}/unit/{path}", "--apy", hs.URL + "/translate?langpair={from}|{to}&q={query}",
		"--pid", strconv.Itoa(os.Getpid())}, &out, &errOut)
	if code != 0 {
		t.Fatalf("run = %d: %s", code, errOut.String())
	}
	var rep report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("--json output: %v: %s", err, out.String())
	}
	if len(rep.Levels) != 2 || rep.Levels[0].Clients != 1 || rep.Levels[1].Clients != 4 {
		t.Fatalf("levels = %+v", rep.Levels)
	}
	for _, l := range rep.Levels {
		if l.Total.Requests != 200 {
			t.Errorf("%d clients: %d requests, want 200 (--requests)", l.Clients, l.Total.Requests)
		}
		byOp := map[string]opReport{}
		for _, o := range l.Ops {
			byOp[o.Op] = o
		}
		if s := byOp[opSearch]; s.Requests != 180 || s.Errors["503"] != 18 || s.OK != 162 {
			t.Errorf("%d clients: search = %+v, want 180 requests, 18 answered 503", l.Clients, s)
		}
		for _, op := range []string{opTranslate, opLearn, opTMServer, opAPy} {
			if o := byOp[op]; o.OK == 0 || len(o.Errors) != 0 {
				t.Errorf("%d clients: %s = %+v, want answers and no errors", l.Clients, op, o)
			}
		}
		if l.Total.P50 <= 0 || l.Total.P99 < l.Total.P50 || l.Total.Max < l.Total.P99 {
			t.Errorf("%d clients: percentiles %+v", l.Clients, l.Total)
		}
		if l.Server == nil || l.Server.RSSMax <= 0 {
			t.Errorf("%d clients: no RSS of --pid: %+v", l.Clients, l.Server)
		}
		if !strings.Contains(l.ErrorSamples["503"], "model_unavailable") {
			t.Errorf("%d clients: error samples %v", l.Clients, l.ErrorSamples)
		}
	}
	// Every learn is a new pair.
	seen := map[string]bool{}
	for _, s := range fake.learns {
		if seen[s] {
			t.Errorf("pair %q learned twice", s)
		}
		seen[s] = true
	}
	// --report writes the JSON beside the table.
	reportFile := filepath.Join(t.TempDir(), "r.json")
	out.Reset()
	if code := run(context.Background(), []string{"--url", hs.URL, "--key", "sekrit", "--queries", qfile, "--clients", "2",
		"--duration", "0", "--requests", "20", "--warmup", "0", "--report", reportFile}, &out, &errOut); code != 0 {
		t.Fatalf("run --report = %d: %s", code, errOut.String())
	}
	var fromFile report
	if data, err := os.ReadFile(reportFile); err != nil || json.Unmarshal(data, &fromFile) != nil || len(fromFile.Levels) != 1 {
		t.Errorf("--report file: %v %+v", err, fromFile)
	}
	if !strings.Contains(out.String(), "| 2 | search |") {
		t.Errorf("with --report, the table is still written:\n%s", out.String())
	}
	// The table names each level and operation.
	out.Reset()
	writeTable(&out, &rep)
	for _, want := range []string{"| 4 | search |", "| 1 | all |", "503: 18"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, out.String())
		}
	}
}

func TestUsage(t *testing.T) {
	q := filepath.Join(t.TempDir(), "q.tsv")
	os.WriteFile(q, []byte("a\n"), 0o644)
	tests := [][]string{
		{"--queries", q, "--duration", "0"},
		{"--queries", q, "--clients", "0"},
		{"--queries", q, "--mix", "tmserver"},
		{"--mix", "search"},
		{"--queries", q, "extra"},
		{"--queries", q, "--duration", "48h"},
	}
	for _, args := range tests {
		var out, errOut bytes.Buffer
		if code := run(context.Background(), args, &out, &errOut); code != 2 {
			t.Errorf("run(%q) = %d, want 2 (%s)", args, code, errOut.String())
		}
	}
}
