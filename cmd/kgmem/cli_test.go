package main

import (
	"encoding/json"
	"github.com/kgmem/kgmem/memory"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCommandLine checks that every command reads its command line the
// same way: flags anywhere, global flags after the command, help for a
// command, and wrong usage exiting 2.
func TestCommandLine(t *testing.T) {
	t.Run("help CMD", func(t *testing.T) {
		code, out, stderr := kgmem(t, "", "help", "translate")
		if code != exitOK || !strings.Contains(out, "kgmem translate") {
			t.Errorf("kgmem help translate: exit %d, stdout %q, stderr %q", code, out, stderr)
		}
	})
	t.Run("unknown command", func(t *testing.T) {
		code, _, stderr := kgmem(t, "", "tranlsate", "x")
		if code != exitUsage || !strings.Contains(stderr, `"tranlsate" is not a kgmem command`) {
			t.Errorf("kgmem tranlsate: exit %d, stderr %q; want exit %d", code, stderr, exitUsage)
		}
		code, _, stderr = kgmem(t, "", "graph", "shwo", "x")
		if code != exitUsage || !strings.Contains(stderr, `"shwo" is not a subcommand of graph`) {
			t.Errorf("kgmem graph shwo: exit %d, stderr %q; want exit %d", code, stderr, exitUsage)
		}
	})
	t.Run("help text names values plainly", func(t *testing.T) {
		_, out, _ := kgmem(t, "", "translate", "--help")
		if strings.Contains(out, "--model kgmem plugins list") || !strings.Contains(out, "--model value") {
			t.Errorf("translate --help shows the model flag as:\n%s", out)
		}
	})
	t.Run("flags after arguments", func(t *testing.T) {
		dir := demoGraph(t)
		code, out, stderr := kgmemIn(t, dir, "", "graph", "show", "notebook", "--limit", "1", "--json")
		if code != exitOK {
			t.Fatalf("graph show notebook --limit 1: exit %d: %s", code, stderr)
		}
		var shown []struct {
			Label      string
			Neighbours []json.RawMessage
		}
		if err := json.Unmarshal([]byte(out), &shown); err != nil {
			t.Fatalf("graph show --json: %v\n%s", err, out)
		}
		if len(shown) == 0 {
			t.Fatalf("graph show notebook --limit 1 found nothing: %s", out)
		}
		for _, s := range shown {
			if s.Label != "notebook" || len(s.Neighbours) > 1 {
				t.Errorf("graph show notebook --limit 1: label %q with %d neighbours", s.Label, len(s.Neighbours))
			}
		}
		// Text that starts with a dash, after --, is text.
		code, out, _ = kgmemIn(t, dir, "", "graph", "show", "--", "--limit")
		if code != exitOK || !strings.Contains(out, "--limit: not in the graph") {
			t.Errorf("graph show -- --limit: exit %d, stdout %q", code, out)
		}
	})
	t.Run("global flags after the command", func(t *testing.T) {
		code, out, stderr := kgmem(t, "", "corpus", "stats", demoFile(t, "sample.po"), "-q", "--log-level", "error")
		if code != exitOK || !strings.Contains(out, "sample.po") || stderr != "" {
			t.Errorf("corpus stats FILE -q: exit %d, stdout %q, stderr %q", code, out, stderr)
		}
	})
}

// TestConfigEveryFlag sets, in kgmem.conf, flags several commands share
// and global ones: each is taken as the default.
func TestConfigEveryFlag(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := kgmemIn(t, dir, "", "init"); code != exitOK {
		t.Fatalf("init: exit %d: %s", code, stderr)
	}
	plugins := filepath.Join(t.TempDir(), "models")
	conf := "json = true\nplugin-dir = " + plugins + "\n"
	if err := os.WriteFile(filepath.Join(dir, memory.ConfigFile), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := kgmemIn(t, dir, "", "graph", "stats")
	if code != exitOK || !json.Valid([]byte(out)) {
		t.Errorf("graph stats with json = true: exit %d, stdout %q, stderr %q; want JSON", code, out, stderr)
	}
	// plugins trust writes the trust store into the plugin directory.
	model := filepath.Join(t.TempDir(), "kgmem-model-x")
	if err := os.WriteFile(model, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = kgmemIn(t, dir, "", "plugins", "trust", model)
	if code != exitOK {
		t.Fatalf("plugins trust with plugin-dir in kgmem.conf: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(plugins, "trust.json")); err != nil {
		t.Errorf("plugin-dir from kgmem.conf not used: %v", err)
	}
}

// TestEvalScoreSeveralTermLists gives --terms twice: both lists count.
func TestEvalScoreSeveralTermLists(t *testing.T) {
	files := map[string]string{
		"terms1.tsv": "source\ttarget\nHund\tdog\n",
		"terms2.tsv": "source\ttarget\nMann\tman\n",
	}
	for k, v := range dogFiles {
		files[k] = v
	}
	p := writeFiles(t, files)
	score := func(terms ...string) int {
		t.Helper()
		args := []string{"--json", "eval", "score", "--hyp", p["hyp.txt"], "--ref", p["ref1.txt"], "--src", p["src.txt"]}
		for _, tl := range terms {
			args = append(args, "--terms", p[tl])
		}
		code, out, stderr := kgmem(t, "", args...)
		if code != exitOK {
			t.Fatalf("eval score %v: exit %d: %s", terms, code, stderr)
		}
		var rep struct {
			Details struct{ Terms struct{ Total int } }
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		return rep.Details.Terms.Total
	}
	one, two, both := score("terms1.tsv"), score("terms2.tsv"), score("terms1.tsv", "terms2.tsv")
	if one == 0 || two == 0 || both != one+two {
		t.Errorf("terms counted: %d with the first list, %d with the second, %d with both; want the sum", one, two, both)
	}
}
