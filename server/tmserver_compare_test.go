package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/formats"
	"github.com/kgmem/kgmem/internal/testenv"
	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/server"
)

// sideBySide sizes: the memory and the queries of the side-by-side test
// (scripts/compat-side-by-side.sh measures with more).
const (
	sideMemoryPairs  = 2000
	sideFuzzyQueries = 40
	sideExactQueries = 10
)

// readTSV reads the pairs of a shared gettext TSV (domain, source,
// target) of the domains given (all when none), leaving out those with an
// escaped character, which a URL path of tmserver cannot hold as they are.
func readTSV(t *testing.T, path string, domains ...string) [][2]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	keep := setOfStrings(domains)
	var out [][2]string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for first := true; sc.Scan(); first = false {
		cells := strings.Split(sc.Text(), "\t")
		if first || len(cells) < 3 || cells[1] == "" || cells[2] == "" || strings.Contains(sc.Text(), `\`) {
			continue
		}
		if len(keep) == 0 || keep[cells[0]] {
			out = append(out, [2]string{cells[1], cells[2]})
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func setOfStrings(ss []string) map[string]bool {
	m := map[string]bool{}
	for _, s := range ss {
		m[s] = true
	}
	return m
}

// writePO writes pairs as a gettext catalog: what build_tmdb reads and
// what kgmem builds its memory from, so that both have the same units.
func writePO(t *testing.T, path string, pairs [][2]string) {
	t.Helper()
	out, err := formats.Create(path, formats.WriteOptions{SourceLang: language.English, TargetLang: language.Spanish})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pairs {
		u := &corpora.Unit{SourceLang: language.English, TargetLang: language.Spanish, Source: corpora.Text(p[0]), Target: corpora.Text(p[1]), Status: corpora.StatusTranslated}
		if err := out.Write(u); err != nil {
			t.Fatal(err)
		}
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// startTMServer runs translate-toolkit's tmserver on loopback over a tmdb
// built from po, and returns its base URL.
func startTMServer(t *testing.T, po string) string {
	t.Helper()
	hint := "apt-get install translate-toolkit python3-cheroot (scripts/install-deps.sh)"
	tms := testenv.Tool(t, "tmserver", hint)
	build := testenv.Tool(t, "build_tmdb", hint)
	db := filepath.Join(t.TempDir(), "tm.db")
	if out, err := exec.Command(build, "-d", db, "-s", "en", "-t", "es", po).CombinedOutput(); err != nil {
		t.Fatalf("build_tmdb: %v\n%s", err, out)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	var log strings.Builder
	cmd := exec.Command(tms, "-d", db, "-b", "127.0.0.1", "-p", fmt.Sprint(port))
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	for deadline := time.Now().Add(30 * time.Second); ; {
		resp, err := http.Get(base + "/tmserver/en/es/unit/warm%20up")
		if err == nil {
			resp.Body.Close()
			return base
		}
		if time.Now().After(deadline) {
			t.Fatalf("tmserver did not answer on %s: %v\n%s", base, err, log.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// memoryServer serves a new memory built from files with the memory
// model, on loopback.
func memoryServer(t *testing.T, paths ...string) string {
	t.Helper()
	ctx := context.Background()
	mem, err := memory.Open(ctx, memory.Options{DataDir: filepath.Join(t.TempDir(), "data"), Create: true, NoCatchUp: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mem.Close() })
	if _, err := mem.Build(ctx, memory.BuildRequest{Paths: paths, SourceLang: language.English, TargetLang: language.Spanish}); err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(server.Options{Memory: mem, Model: "memory", JobDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return hs.URL
}

// pathEscape escapes every byte but the unreserved ones, as Python's
// quote(text, safe="") does: both servers read the same path.
func pathEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// lookUp asks a tmserver API for the matches of text.
func lookUp(t *testing.T, base, text string) ([]map[string]any, []byte) {
	t.Helper()
	resp, err := http.Get(base + "/tmserver/en/es/unit/" + pathEscape(text))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var ms []map[string]any
	if resp.StatusCode != 200 || json.Unmarshal(data, &ms) != nil || ms == nil {
		t.Fatalf("%s for %q: %d %s", base, text, resp.StatusCode, data)
	}
	return ms, data
}

// TestTMServerSideBySide sends the same lookups to translate-toolkit's
// own tmserver and to kgmem's tmserver API over the same memory (2,000
// pairs of GTK 2 strings of the shared gettext memory), and checks that
// their answers have the same shape: a JSON list (empty when nothing is
// found) of objects with the same keys and JSON types. Exact queries must
// find the same translations at quality 100 on both; for fuzzy queries
// (GTK 3 strings of the dev set) the test reports how often the best
// matches agree.
func TestTMServerSideBySide(t *testing.T) {
	memTSV := testenv.SharedData(t, "gettext", "en-es.memory.tsv")
	devTSV := testenv.SharedData(t, "gettext", "en-es.dev.tsv")
	pairs := readTSV(t, memTSV, "gtk20-properties", "gtk20")
	if len(pairs) < sideMemoryPairs {
		t.Fatalf("the GTK 2 part of the gettext memory has %d pairs", len(pairs))
	}
	pairs = pairs[:sideMemoryPairs]
	po := filepath.Join(t.TempDir(), "gtk20.po")
	writePO(t, po, pairs)
	start := time.Now()
	tt := startTMServer(t, po)
	t.Logf("translate-toolkit's tmdb built and tmserver started in %s", time.Since(start).Round(time.Millisecond))
	start = time.Now()
	kg := memoryServer(t, po)
	t.Logf("kgmem's memory built and served in %s", time.Since(start).Round(time.Millisecond))

	// Queries: dev sources not in the memory (fuzzy), then memory sources
	// (exact), spread over the lists.
	inMemory := map[string]bool{}
	for _, p := range pairs {
		inMemory[p[0]] = true
	}
	var fuzzy []string
	seen := map[string]bool{}
	for _, p := range readTSV(t, devTSV, "gtk30", "gtk30-properties") {
		if !inMemory[p[0]] && !seen[p[0]] {
			seen[p[0]] = true
			fuzzy = append(fuzzy, p[0])
		}
	}
	fuzzy = spread(fuzzy, sideFuzzyQueries/2)
	// And memory sources of five words or more with a word left out: near
	// matches on any measure.
	var variants []string
	for _, p := range pairs {
		if ws := strings.Fields(p[0]); len(ws) >= 5 {
			v := strings.Join(append(ws[:len(ws)/2:len(ws)/2], ws[len(ws)/2+1:]...), " ")
			if !inMemory[v] && !seen[v] {
				seen[v] = true
				variants = append(variants, v)
			}
		}
	}
	fuzzy = append(fuzzy, spread(variants, sideFuzzyQueries-len(fuzzy))...)
	var exact []string
	for _, p := range spread(pairs, sideExactQueries) {
		exact = append(exact, p[0])
	}

	want := map[string]any{"source": "", "target": "", "context": "", "quality": 0.0}
	var ttTime, kgTime time.Duration
	var both, same, onlyTT, onlyKG, neither int
	for i, q := range append(fuzzy, exact...) {
		start := time.Now()
		tms, tmsRaw := lookUp(t, tt, q)
		ttTime += time.Since(start)
		start = time.Now()
		kgs, kgRaw := lookUp(t, kg, q)
		kgTime += time.Since(start)
		for _, m := range tms {
			if d := sameShape(m, want); d != "" {
				t.Errorf("translate-toolkit's answer to %q differs from its known shape (%s): %s", q, d, tmsRaw)
			}
		}
		for _, m := range kgs {
			if d := sameShape(m, want); d != "" {
				t.Errorf("kgmem's answer to %q differs from translate-toolkit's shape (%s): %s", q, d, kgRaw)
			}
		}
		if i >= len(fuzzy) {
			// Exact: the same translations at 100 on both.
			if a, b := targetsAt100(tms), targetsAt100(kgs); len(a) == 0 || !reflect.DeepEqual(a, b) {
				t.Errorf("exact query %q: translate-toolkit %s, kgmem %s", q, tmsRaw, kgRaw)
			}
			continue
		}
		switch {
		case len(tms) > 0 && len(kgs) > 0:
			both++
			if tms[0]["target"] == kgs[0]["target"] {
				same++
			}
		case len(tms) > 0:
			onlyTT++
		case len(kgs) > 0:
			onlyKG++
		default:
			neither++
		}
	}
	t.Logf("side by side, %d fuzzy queries at 75 %%: both found a match for %d (the same best target for %d), only translate-toolkit for %d, only kgmem for %d, neither for %d; %d exact queries agree",
		len(fuzzy), both, same, onlyTT, onlyKG, neither, len(exact))
	t.Logf("lookups took %s on translate-toolkit's tmserver, %s on kgmem (one client, one at a time; the throughput comparison is scripts/compat-side-by-side.sh)",
		ttTime.Round(time.Millisecond), kgTime.Round(time.Millisecond))
	if both == 0 {
		t.Errorf("no fuzzy query found a match on both servers: the comparison compared nothing")
	}
}

// spread returns n items of xs spread evenly over it.
func spread[T any](xs []T, n int) []T {
	if len(xs) <= n {
		return xs
	}
	out := make([]T, 0, n)
	for i := range n {
		out = append(out, xs[i*len(xs)/n])
	}
	return out
}

// targetsAt100 returns the targets of the matches of quality 100, sorted.
func targetsAt100(ms []map[string]any) []string {
	var out []string
	for _, m := range ms {
		if m["quality"] == 100.0 {
			out = append(out, m["target"].(string))
		}
	}
	sort.Strings(out)
	return out
}
