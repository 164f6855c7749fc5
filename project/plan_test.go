package project

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/language"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// copyTree copies a tree of testdata into a new directory.
func copyTree(t *testing.T, from string) string {
	t.Helper()
	to := filepath.Join(t.TempDir(), filepath.Base(from))
	if out, err := exec.Command("cp", "-a", from, to).CombinedOutput(); err != nil {
		t.Fatalf("cp -a %s %s: %v\n%s", from, to, err, out)
	}
	return to
}

// describe writes a plan as text, with paths relative to its trees.
func describe(p *Plan, in, out string) string {
	rel := func(path string) string {
		if path == "" {
			return "-"
		}
		for _, root := range []string{out, in} {
			if r, err := filepath.Rel(root, path); err == nil && !strings.HasPrefix(r, "..") {
				if root == out && out != in {
					return "OUT/" + filepath.ToSlash(r)
				}
				return filepath.ToSlash(r)
			}
		}
		return path
	}
	var b strings.Builder
	for _, j := range p.Jobs {
		fmt.Fprintf(&b, "%-9s %-7s %s → %s (prev %s) units %d missing %d words %d", j.Action, j.Layout, rel(j.Source), rel(j.Out), rel(j.Prev), j.Units, j.Missing, j.Words)
		if j.Reason != "" {
			fmt.Fprintf(&b, " [%s]", j.Reason)
		}
		b.WriteString("\n")
		for _, n := range j.Notes {
			fmt.Fprintf(&b, "  note: %s\n", strings.ReplaceAll(n, in+string(filepath.Separator), ""))
		}
	}
	for _, ig := range p.Ignored {
		fmt.Fprintf(&b, "ignored   %s: %s\n", rel(ig.Path), ig.Reason)
	}
	return b.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (go test -update rewrites it; review the diff):\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

// TestPlan plans the test tree, which has every layout, in place and into
// another tree, with filters, and with --retranslate.
func TestPlan(t *testing.T) {
	in := copyTree(t, filepath.Join("testdata", "tree"))
	out := filepath.Join(t.TempDir(), "out")
	es := language.Spanish
	tests := []struct {
		name string
		opts Options
	}{
		{"plan-in-place.txt", Options{In: in}},
		{"plan-out.txt", Options{In: in, Out: out}},
		{"plan-filtered.txt", Options{In: in, Out: out, Include: []string{"*.pot", "**/xl/**"}, Exclude: []string{"multi/**"}}},
		{"plan-retranslate.txt", Options{In: in, Retranslate: true, Include: []string{"gnu/**", "mem/**"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.SourceLang, tt.opts.TargetLang = language.English, es
			p, err := NewPlan(context.Background(), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name, describe(p, in, out))
		})
	}
	if _, err := NewPlan(context.Background(), Options{In: in}); err == nil {
		t.Error("NewPlan without languages: no error")
	}
	if _, err := NewPlan(context.Background(), Options{In: filepath.Join(in, "gnu", "po", "es.po"), SourceLang: language.English, TargetLang: es}); err == nil {
		t.Error("NewPlan of a file: no error")
	}
}
