package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kgmem/kgmem/internal/testenv"
)

// kgmemAt runs the CLI in-process on a given data directory.
func kgmemAt(t *testing.T, dataDir, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	s := &streams{in: strings.NewReader(stdin), out: &out, err: &errb}
	code := run(context.Background(), append([]string{"kgmem", "--data-dir", dataDir}, args...), s)
	return code, out.String(), errb.String()
}

// demoGraph builds the demo corpus into a new data directory.
func demoGraph(t *testing.T) string {
	t.Helper()
	t.Setenv("KGMEM_GRAPH", "embedded")
	demo := filepath.Join(testenv.RepoRoot(t), "corpora", "demo")
	dir := t.TempDir()
	code, _, stderr := kgmemAt(t, dir, "", "-q", "build-graph", "--terms", filepath.Join(demo, "glossary.tbx"), filepath.Join(demo, "lumen.tmx"))
	if code != exitOK {
		t.Fatalf("build-graph: exit %d: %s", code, stderr)
	}
	return dir
}

func TestSearchTM(t *testing.T) {
	dir := demoGraph(t)

	// One query per line on stdin, one JSON object per query, in order.
	stdin := "Delete Note\nDelete the notebook\nnothing like this at all\n"
	code, out, stderr := kgmemAt(t, dir, stdin, "search", "tm", "--to", "es", "--json", "--limit", "2")
	if code != exitOK {
		t.Fatalf("search tm: exit %d: %s", code, stderr)
	}
	var answers []tmAnswer
	dec := json.NewDecoder(strings.NewReader(out))
	for dec.More() {
		var a tmAnswer
		if err := dec.Decode(&a); err != nil {
			t.Fatalf("search tm --json: %v in %q", err, out)
		}
		answers = append(answers, a)
	}
	if len(answers) != 3 || strings.Count(out, "\n") != 3 {
		t.Fatalf("search tm --json gave %d answers in %d lines, want 3 in 3: %s", len(answers), strings.Count(out, "\n"), out)
	}
	for i, q := range []string{"Delete Note", "Delete the notebook", "nothing like this at all"} {
		if answers[i].Query != q {
			t.Errorf("answer %d is for %q, want %q", i, answers[i].Query, q)
		}
	}
	if ms := answers[0].Matches; len(ms) == 0 || ms[0].Score != 100 || ms[0].Target != "Eliminar nota" || ms[0].Band != "100" || ms[0].ID == "" || ms[0].Origin == "" {
		t.Errorf("Delete Note: %+v, want 100 %% Eliminar nota with its origin", ms)
	}
	if ms := answers[1].Matches; len(ms) != 2 || ms[0].Score != 65 || ms[0].Band != "50-74" {
		t.Errorf("Delete the notebook: %+v, want two matches, the best at 65 %%", ms)
	}
	if ms := answers[2].Matches; len(ms) != 0 {
		t.Errorf("unrelated sentence: %+v, want no match", ms)
	}

	// TEXT, text output.
	code, out, _ = kgmemAt(t, dir, "", "search", "tm", "--min", "90", "Delete Note")
	if code != exitOK || !strings.Contains(out, "100%") || !strings.Contains(out, "Eliminar nota") {
		t.Errorf("search tm TEXT: exit %d, %q", code, out)
	}

	// In context: the lines around each line.
	code, out, _ = kgmemAt(t, dir, "Delete Note\nDelete Notebook\n", "search", "tm", "--json", "--context", "--limit", "1")
	if code != exitOK || !strings.Contains(out, `"score":100`) {
		t.Errorf("search tm --context: exit %d, %q", code, out)
	}

	// Rebuilt with shards, the answers are the same.
	code, _, stderr = kgmemAt(t, dir, "", "reindex", "--shards", "3")
	if code != exitOK {
		t.Fatalf("reindex --shards 3: exit %d: %s", code, stderr)
	}
	code, out2, _ := kgmemAt(t, dir, stdin, "search", "tm", "--to", "es", "--json", "--limit", "2")
	if code != exitOK || out2 != out0(t, dir, stdin) || out2 == "" {
		t.Errorf("after reindex --shards 3 the answers changed")
	}
}

// out0 is the answer of a plain JSON search, for comparing.
func out0(t *testing.T, dir, stdin string) string {
	_, out, _ := kgmemAt(t, dir, stdin, "search", "tm", "--to", "es", "--json", "--limit", "2")
	return out
}

func TestSearchEntity(t *testing.T) {
	dir := demoGraph(t)
	code, out, stderr := kgmemAt(t, dir, "Lumen Notes syncs your notebooks via %s.\n", "search", "entity", "--to", "es", "--json")
	if code != exitOK {
		t.Fatalf("search entity: exit %d: %s", code, stderr)
	}
	var a entityAnswer
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatalf("search entity --json: %v in %q", err, out)
	}
	found := map[string]string{}
	for _, s := range a.Spans {
		tr := ""
		if len(s.Info) > 0 && len(s.Info[0].Translations) > 0 {
			tr = s.Info[0].Translations[0].Text
		}
		found[s.Text] = string(s.Type) + " " + tr
	}
	for text, want := range map[string]string{"Lumen Notes": "term Lumen Notes", "notebooks": "term cuaderno", "%s": "placeholder %s"} {
		if found[text] != want {
			t.Errorf("search entity: %q = %q, want %q (all: %v)", text, found[text], want, found)
		}
	}
	code, out, _ = kgmemAt(t, dir, "", "search", "entity", "--hops", "2", "Open the notebook")
	if code != exitOK || !strings.Contains(out, "cuaderno") {
		t.Errorf("search entity TEXT: exit %d, %q", code, out)
	}
}

func TestSearchUsage(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"search", "tm", "--min", "200", "x"},
		{"search", "tm", "--limit", "0", "x"},
		{"search", "tm", "two", "args"},
		{"search", "entity", "--hops", "3", "x"},
		{"search", "tm", "--from", "C", "x"},
		{"reindex", "--shards", "-1"},
	} {
		code, _, stderr := kgmemAt(t, dir, "", args...)
		if code != exitUsage {
			t.Errorf("kgmem %v: exit %d, want %d (%s)", args, code, exitUsage, stderr)
		}
	}
}
