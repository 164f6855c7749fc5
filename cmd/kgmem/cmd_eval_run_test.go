package main

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kgmem/kgmem/corpora/demo"
)

func TestEvalRunUsageErrors(t *testing.T) {
	dir := t.TempDir()
	data := t.TempDir()
	if code, _, stderr := kgmemIn(t, data, "", "init"); code != 0 {
		t.Fatalf("init: exit %d: %s", code, stderr)
	}
	tsv := filepath.Join(dir, "test.tsv")
	noLang := filepath.Join(dir, "nolang.tsv")
	os.WriteFile(tsv, []byte("source\ttarget\nOpen\tAbrir\n"), 0o644)
	os.WriteFile(noLang, []byte("Open\tAbrir\n"), 0o644)
	tests := []struct {
		args    []string
		wantErr string
	}{
		{[]string{"eval", "run"}, "needs --test"},
		{[]string{"eval", "run", "--test", tsv, "extra"}, "takes no arguments"},
		{[]string{"eval", "run", "--test", tsv, "--ablate", "none,all"}, "--ablate"},
		{[]string{"eval", "run", "--test", tsv, "--block", "0"}, "--block"},
		{[]string{"eval", "run", "--test", tsv, "--learn-every", "0"}, "--learn-every"},
		{[]string{"eval", "run", "--test", tsv, "--from", "C"}, "--from"},
		{[]string{"eval", "run", "--test", tsv, "--no-such-flag"}, "flag provided but not defined"},
		{[]string{"eval", "run", "--test", tsv, "--online", "--graph", "dgraph://127.0.0.1:1"}, "--allow-write-memory"},
		{[]string{"eval", "run", "--test", noLang}, "give --from and --to"},
	}
	for _, tt := range tests {
		code, _, stderr := kgmemIn(t, data, "", tt.args...)
		if code != exitUsage || !strings.Contains(stderr, tt.wantErr) {
			t.Errorf("kgmem %v: exit %d, stderr %q; want exit %d mentioning %q", tt.args, code, stderr, exitUsage, tt.wantErr)
		}
	}
}

// demoData builds the demo corpus's memory with the kgmem binary and
// returns the data directory and the corpus directory.
func demoData(t *testing.T, bin string) (data, corpus string) {
	t.Helper()
	dir := t.TempDir()
	data, corpus = filepath.Join(dir, "data"), filepath.Join(dir, "corpus")
	if err := os.CopyFS(corpus, demo.Files); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runBin(t, bin, "", "--quiet", "--data-dir", data, "build-graph", "--from", "en", "--to", "es",
		"--terms", filepath.Join(corpus, demo.Glossary), filepath.Join(corpus, demo.TMX))
	if code != 0 {
		t.Fatalf("build-graph: exit %d: %s", code, stderr)
	}
	return data, corpus
}

// evalTest writes a test set: two pairs of the demo memory as they are in
// it (leaked), and four that are not in it, repeated when repeat is set.
func evalTest(t *testing.T, repeat bool) string {
	t.Helper()
	lines := []string{"source\ttarget",
		"Delete this notebook?\t¿Desea eliminar este cuaderno?",
		"This action cannot be undone.\tEsta acción no se puede deshacer.",
	}
	novel := []string{
		"The weather is nice today.\tHoy hace buen tiempo.",
		"My brother lives in a small village.\tMi hermano vive en un pueblo pequeño.",
		"We will meet at the station at noon.\tNos veremos en la estación a mediodía.",
		"The children are playing in the garden.\tLos niños están jugando en el jardín.",
	}
	lines = append(lines, novel...)
	if repeat {
		lines = append(lines, novel...)
	}
	path := filepath.Join(t.TempDir(), "test.tsv")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// evalReport is the part of `eval run --json` the tests read.
type evalReport struct {
	TestPairs     int  `json:"test_pairs"`
	ExactInMemory int  `json:"exact_in_memory"`
	ExcludedExact int  `json:"excluded_exact"`
	Scored        int  `json:"scored_pairs"`
	Partial       bool `json:"partial"`
	Configs       []struct {
		Name     string         `json:"name"`
		Segments int            `json:"segments"`
		ChrF     float64        `json:"chrf"`
		Statuses map[string]int `json:"statuses"`
	} `json:"configs"`
	Online *struct {
		Segments int `json:"segments"`
		Blocks   []struct {
			Exact        int     `json:"exact"`
			ExactWithout int     `json:"exact_without_learning"`
			ChrF         float64 `json:"chrf"`
		} `json:"blocks"`
	} `json:"online"`
}

func TestEvalRunJSONAndReports(t *testing.T) {
	bin, _ := pluginBins(t)
	data, _ := demoData(t, bin)
	// Check that the two pairs are in the memory exactly as written.
	code, out, stderr := runBin(t, bin, "", "--data-dir", data, "search", "tm", "--json", "--from", "en", "--to", "es", "--min", "100", "This action cannot be undone.")
	if code != 0 || !strings.Contains(out, "Esta acción no se puede deshacer.") {
		t.Fatalf("the demo memory does not hold the leaked pair (exit %d): %s %s", code, out, stderr)
	}
	outDir := filepath.Join(t.TempDir(), "out")
	terms := filepath.Join(t.TempDir(), "terms.tsv")
	if err := os.WriteFile(terms, []byte("notebook\tcuaderno\naction\tacción\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr = runBin(t, bin, "", "--data-dir", data, "eval", "run", "--json", "--model", "memory", "--from", "en", "--to", "es",
		"--test", evalTest(t, false), "--terms", terms, "--out", outDir)
	if code != 0 {
		t.Fatalf("eval run: exit %d: %s", code, stderr)
	}
	// The keys issue 7 names.
	var raw map[string]any
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatalf("eval run --json: %v\n%s", err, out)
	}
	for _, k := range []string{"configs", "excluded_exact", "test_pairs", "partial"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("eval run --json has no %q", k)
		}
	}
	c0 := raw["configs"].([]any)[0].(map[string]any)
	for _, k := range []string{"name", "bleu", "chrf", "chrfpp", "ter", "term_accuracy", "placeholder_accuracy", "leverage", "latency_ms", "segments_per_second", "segments"} {
		if _, ok := c0[k]; !ok {
			t.Errorf("eval run --json: configs[0] has no %q", k)
		}
	}
	var r evalReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.TestPairs != 6 || r.ExcludedExact != 2 || r.Scored != 4 || r.Partial || len(r.Configs) != 4 {
		t.Errorf("eval run: %d pairs, %d excluded, %d scored, partial %v, %d configs; want 6, 2, 4, false, 4",
			r.TestPairs, r.ExcludedExact, r.Scored, r.Partial, len(r.Configs))
	}
	for _, name := range []string{"report.json", "report.md", "chart.svg", "hyp-none.txt", "hyp-tm.txt", "hyp-kg.txt", "hyp-tm+kg.txt", "src.txt", "ref.txt", "excluded.tsv"} {
		if _, err := os.Stat(filepath.Join(outDir, name)); err != nil {
			t.Errorf("eval run --out wrote no %s: %v", name, err)
		}
	}
	svg, err := os.ReadFile(filepath.Join(outDir, "chart.svg"))
	if err != nil {
		t.Fatal(err)
	}
	for d := xml.NewDecoder(strings.NewReader(string(svg))); ; {
		if _, err := d.Token(); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("chart.svg is not XML: %v", err)
		}
	}
	// The hypotheses score as eval score scores them.
	code, out, stderr = runBin(t, bin, "", "--data-dir", data, "eval", "score", "--json",
		"--hyp", filepath.Join(outDir, "hyp-none.txt"), "--ref", filepath.Join(outDir, "ref.txt"))
	var s struct {
		ChrF float64 `json:"chrf"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &s) != nil || s.ChrF != r.Configs[0].ChrF {
		t.Errorf("eval score on the written files: exit %d, chrF %v, want %v (%s)", code, s.ChrF, r.Configs[0].ChrF, stderr)
	}
}

func TestEvalRunNothingToScore(t *testing.T) {
	bin, _ := pluginBins(t)
	data, _ := demoData(t, bin)
	test := filepath.Join(t.TempDir(), "leaked.tsv")
	if err := os.WriteFile(test, []byte("source\ttarget\nThis action cannot be undone.\tEsta acción no se puede deshacer.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runBin(t, bin, "", "--data-dir", data, "eval", "run", "--model", "memory", "--from", "en", "--to", "es", "--test", test)
	if code != exitFailure || !strings.Contains(stderr, "nothing to score") || !strings.Contains(stderr, "--allow-exact") {
		t.Errorf("eval run on leaked pairs only: exit %d, stderr %q; want %d, nothing to score, --allow-exact", code, stderr, exitFailure)
	}
	code, out, stderr := runBin(t, bin, "", "--data-dir", data, "eval", "run", "--json", "--allow-exact", "--model", "memory", "--from", "en", "--to", "es", "--test", test)
	var r evalReport
	if code != 0 || json.Unmarshal([]byte(out), &r) != nil || r.Scored != 1 || r.ExactInMemory != 1 || r.ExcludedExact != 0 {
		t.Errorf("eval run --allow-exact on leaked pairs: exit %d, report %+v (%s); want 1 scored, 1 in memory, 0 excluded", code, r, stderr)
	}
}

// segmentCount returns the segments of the memory in data.
func segmentCount(t *testing.T, bin, data string) int {
	t.Helper()
	code, out, stderr := runBin(t, bin, "", "--data-dir", data, "graph", "stats", "--json")
	var s struct {
		Segments int `json:"segments"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &s) != nil {
		t.Fatalf("graph stats: exit %d: %s %s", code, out, stderr)
	}
	return s.Segments
}

func TestEvalRunOnline(t *testing.T) {
	bin, _ := pluginBins(t)
	data, _ := demoData(t, bin)
	before := segmentCount(t, bin, data)
	outDir := filepath.Join(t.TempDir(), "out")
	code, out, stderr := runBin(t, bin, "", "--data-dir", data, "eval", "run", "--json", "--model", "memory", "--from", "en", "--to", "es",
		"--test", evalTest(t, true), "--ablate", "none", "--online", "--block", "4", "--out", outDir)
	if code != 0 {
		t.Fatalf("eval run --online: exit %d: %s", code, stderr)
	}
	var r evalReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	// 8 scored: the novel pairs twice. The second time they were learned.
	if r.Online == nil || r.Online.Segments != 8 || len(r.Online.Blocks) != 2 {
		t.Fatalf("eval run --online: online part %+v, want 8 segments in 2 blocks", r.Online)
	}
	if b := r.Online.Blocks[1]; b.Exact != 4 || b.ExactWithout != 0 || b.ChrF != 100 {
		t.Errorf("second block %+v: want 4 exact matches learned, none without learning, chrF 100", b)
	}
	if after := segmentCount(t, bin, data); after != before {
		t.Errorf("the memory has %d segments after eval run --online, %d before: it learned into the user's memory", after, before)
	}
	if n := segmentCount(t, bin, filepath.Join(outDir, "online-data")); n != before+4 {
		t.Errorf("the online copy has %d segments, want %d + 4 learned", n, before)
	}
}

func TestEvalRunInterrupted(t *testing.T) {
	bin, _ := pluginBins(t)
	data, corpus := demoData(t, bin)
	outDir := filepath.Join(t.TempDir(), "out")
	// The demo memory as its own test set, learned segment by segment:
	// long enough to be interrupted.
	cmd := exec.Command(bin, "--data-dir", data, "eval", "run", "--json", "--model", "memory", "--allow-exact", "--ablate", "none",
		"--online", "--block", "50", "--test", filepath.Join(corpus, demo.TMX), "--out", outDir)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The online copy exists once the runs begin.
	deadline := time.Now().Add(time.Minute)
	for {
		if _, err := os.Stat(filepath.Join(outDir, "online-data", "index")); err == nil {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("eval run did not start its online copy in a minute: %s", stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(2 * time.Second)
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitInterrupted {
		t.Fatalf("eval run after SIGINT: %v, want exit %d (stderr %s)", err, exitInterrupted, stderr.String())
	}
	b, err := os.ReadFile(filepath.Join(outDir, "report.json"))
	if err != nil {
		t.Fatalf("no report after SIGINT: %v", err)
	}
	var r evalReport
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if !r.Partial || r.Scored != 348 {
		t.Errorf("report after SIGINT: partial %v, %d scored; want partial, 348", r.Partial, r.Scored)
	}
	if r.Online != nil && r.Online.Segments >= 348 {
		t.Errorf("report after SIGINT: the online run did all %d segments", r.Online.Segments)
	}
	if !strings.Contains(stdout.String(), `"partial": true`) || !strings.Contains(stderr.String(), "interrupted") {
		t.Errorf("after SIGINT: stdout %q, stderr %q; want the partial report and a note", stdout.String(), stderr.String())
	}
}
