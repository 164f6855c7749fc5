package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kgmem/kgmem/internal/testenv"
)

func demoFile(t *testing.T, name string) string {
	return filepath.Join(testenv.RepoRoot(t), "corpora", "demo", name)
}

// kgmemIn runs the CLI in-process with a given data directory.
func kgmemIn(t *testing.T, dataDir, stdin string, args ...string) (int, string, string) {
	t.Helper()
	return kgmem(t, stdin, append([]string{"--data-dir", dataDir}, args...)...)
}

func TestBuildGraphAndShow(t *testing.T) {
	dir := t.TempDir()
	code, out, stderr := kgmemIn(t, dir, "", "build-graph", "--json", "--terms", demoFile(t, "glossary.tbx"), demoFile(t, "lumen.tmx"))
	if code != 0 {
		t.Fatalf("build-graph exit %d: %s", code, stderr)
	}
	var sum struct {
		Units, Skipped, Segments, Entities, Facts int
		Seconds                                   float64
	}
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("build-graph --json: %v\n%s", err, out)
	}
	if sum.Units != 348 || sum.Segments < 340 || sum.Entities < 100 || sum.Facts < sum.Entities {
		t.Errorf("build-graph summary = %+v", sum)
	}

	code, out, stderr = kgmemIn(t, dir, "", "graph", "show", "--json", "--to", "es", "notebook", "no such term")
	if code != 0 {
		t.Fatalf("graph show exit %d: %s", code, stderr)
	}
	var shown []struct {
		Label        string
		Entity       string
		Type         string
		Translations []struct {
			Text   string
			Lang   string
			Score  float64
			Count  int
			Status string
		}
	}
	if err := json.Unmarshal([]byte(out), &shown); err != nil {
		t.Fatalf("graph show --json: %v\n%s", err, out)
	}
	if len(shown) != 1 || shown[0].Label != "notebook" || shown[0].Type != "term" || len(shown[0].Translations) == 0 {
		t.Fatalf("graph show notebook = %+v", shown)
	}
	best := shown[0].Translations[0]
	if best.Text != "cuaderno" || best.Status != "preferred" || best.Count < 10 {
		t.Errorf("best translation of notebook = %+v, want cuaderno, preferred, counted", best)
	}
	last := shown[0].Translations[len(shown[0].Translations)-1]
	if last.Status != "deprecated" {
		t.Errorf("last translation of notebook = %+v, want a deprecated one last", last)
	}

	code, out, _ = kgmemIn(t, dir, "", "graph", "stats", "--json")
	var st struct {
		Segments, Entities, Facts int
		ByPredicate               map[string]int `json:"by_predicate"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &st) != nil || st.Segments != sum.Segments || st.ByPredicate["label"] == 0 {
		t.Errorf("graph stats = %d %s", code, out)
	}

	// Unchanged input: nothing is written again.
	code, out, _ = kgmemIn(t, dir, "", "build-graph", "--terms", demoFile(t, "glossary.tbx"), demoFile(t, "lumen.tmx"))
	if code != 0 || !strings.Contains(out, "0 written, 2 unchanged") {
		t.Errorf("second build-graph: exit %d, %q", code, out)
	}
}

func TestBuildGraphErrors(t *testing.T) {
	dir := t.TempDir()
	bad := testenv.SharedData(t, "formats", "omegat", "tmx", "invalid.tmx")
	code, _, stderr := kgmemIn(t, dir, "", "build-graph", bad)
	if code != exitBadInput || !strings.Contains(stderr, "invalid.tmx:") || !strings.Contains(stderr, "--lenient") {
		t.Errorf("build-graph invalid.tmx: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = kgmemIn(t, t.TempDir(), "", "build-graph", "--graph", "nosuch://x", demoFile(t, "lumen.tmx"))
	if code != exitUsage || !strings.Contains(stderr, "unknown graph store") {
		t.Errorf("build-graph --graph nosuch: exit %d, stderr %q", code, stderr)
	}
	// The data directory now holds an embedded memory: another graph is
	// refused, not synced to.
	code, _, stderr = kgmemIn(t, dir, "", "build-graph", "--graph", "dgraph://127.0.0.1:1", demoFile(t, "lumen.tmx"))
	if code != exitUsage || !strings.Contains(stderr, "is the memory of embedded, not dgraph://127.0.0.1:1") {
		t.Errorf("build-graph on another graph: exit %d, stderr %q", code, stderr)
	}
	tsv := filepath.Join(dir, "nolang.tsv")
	if err := os.WriteFile(tsv, []byte("Open the file\tAbra el archivo\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = kgmemIn(t, dir, "", "build-graph", tsv)
	if code != exitUsage || !strings.Contains(stderr, "nolang.tsv does not say which languages") || !strings.Contains(stderr, "--from and --to") {
		t.Errorf("build-graph without languages: exit %d, stderr %q", code, stderr)
	}
	// A flag after the files is a flag, not a file.
	code, out, stderr := kgmemIn(t, dir, "", "build-graph", demoFile(t, "lumen.tmx"), "--terms", demoFile(t, "glossary.tbx"), "--json")
	if code != 0 || !strings.Contains(out, `"terms": `) || strings.Contains(out, `"terms": 0`) {
		t.Errorf("build-graph with flags after files: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
}
