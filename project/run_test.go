package project

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/plugins/builtin"
)

// TestMain lets the test binary serve a built-in model as kgmem does
// (`kgmem plugin serve NAME`), so that models run as real subprocesses.
func TestMain(m *testing.M) {
	if len(os.Args) == 4 && os.Args[1] == "plugin" && os.Args[2] == "serve" {
		if err := builtin.Serve(os.Args[3]); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// models returns the model host of a new plugin directory; the models it
// starts stop when the test ends.
func models(t *testing.T) *memory.Models {
	t.Helper()
	ms, err := memory.OpenModels(memory.ModelOptions{PluginDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ms.Close() })
	return ms
}

// TestRun translates the test tree in place with the memory model alone
// and checks that each file's summary says what its output holds; a second
// run skips every file, and --retranslate translates them all again.
func TestRun(t *testing.T) {
	ctx := context.Background()
	in := copyTree(t, filepath.Join("testdata", "tree"))
	tr := models(t)
	o := RunOptions{Translate: memory.TranslateOptions{Model: "memory"}}
	plan := func(retranslate bool) *Plan {
		p, err := NewPlan(ctx, Options{In: in, SourceLang: language.English, TargetLang: language.Spanish, Retranslate: retranslate})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	p := plan(false)
	var seen []string
	o.OnFile = func(f FileSummary) error { seen = append(seen, f.Out); return nil }
	prog := &recorder{}
	o.Progress = prog
	sum, err := Run(ctx, tr, p, o)
	if err != nil {
		t.Fatal(err)
	}
	missing := 0
	for _, j := range p.Jobs {
		missing += j.Missing
	}
	if prog.total != int64(missing) || prog.done != prog.total || len(prog.labels) != len(p.Jobs) || prog.labels[0] != "1/13 angular/messages.es.xlf" {
		t.Errorf("progress: %d of %d units, labels %q; want the %d units to translate, a label a file", prog.done, prog.total, prog.labels, missing)
	}
	if len(seen) != len(p.Jobs) || len(sum.Files) != len(p.Jobs) {
		t.Errorf("OnFile told of %d files, the summary has %d, the plan %d", len(seen), len(sum.Files), len(p.Jobs))
	}
	var total Counts
	for i, f := range sum.Files {
		j := p.Jobs[i]
		total.add(f.Units)
		if f.Action != DidTranslate && f.Action != DidUpdate {
			t.Errorf("%s: %s (%s), want it translated", f.Out, f.Action, f.Error)
			continue
		}
		if f.Units.Total() != j.Units || f.Units.Kept != j.Units-j.Missing {
			t.Errorf("%s: units %+v, the plan has %d of which %d to translate", f.Out, f.Units, j.Units, j.Missing)
		}
		if f.Words.Total() != j.Words {
			t.Errorf("%s: words %+v, want %d in all", f.Out, f.Words, j.Words)
		}
		if j.Format == "text" {
			continue
		}
		c, err := readUnits(f.Out, "", language.English, language.Spanish)
		if err != nil {
			t.Fatalf("read %s: %v", f.Out, err)
		}
		if c.units != f.Units.Total() || c.missing != 0 || c.words != f.Words.Total() {
			t.Errorf("%s holds %d units (%d untranslated, %d words); the summary says %+v, words %+v", f.Out, c.units, c.missing, c.words, f.Units, f.Words)
		}
	}
	if sum.Total.Units != total || sum.Total.Files != len(p.Jobs) || sum.Total.Ignored != len(p.Ignored) {
		t.Errorf("total %+v, want units %+v of %d files, %d ignored", sum.Total, total, len(p.Jobs), len(p.Ignored))
	}
	if _, err := os.Stat(filepath.Join(in, "gnu", "po", "es.po")); err != nil {
		t.Error(err)
	}

	// Again: everything is translated.
	p = plan(false)
	for _, j := range p.Jobs {
		if j.Action != Skip {
			t.Errorf("second run: %s → %s: %s, want it skipped", j.Source, j.Out, j.Action)
		}
	}
	sum, err = Run(ctx, tr, p, RunOptions{Translate: o.Translate})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Total.Skipped != len(p.Jobs) || sum.Total.Units.Kept != sum.Total.Units.Total() {
		t.Errorf("second run: %+v, want every file skipped, every unit kept", sum.Total)
	}

	// --retranslate: everything again.
	p = plan(true)
	sum, err = Run(ctx, tr, p, RunOptions{Translate: o.Translate})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Total.Translated != len(p.Jobs) || sum.Total.Units.Kept != 0 {
		t.Errorf("--retranslate: %+v, want every file translated, no unit kept", sum.Total)
	}
}

// TestRunFailsAlone checks that a file that cannot be read fails alone:
// the others are translated, and the error says how many failed.
func TestRunFailsAlone(t *testing.T) {
	ctx := context.Background()
	in := t.TempDir()
	os.WriteFile(filepath.Join(in, "good.tsv"), []byte("Open the file\t\n"), 0o644)
	os.WriteFile(filepath.Join(in, "bad.tmx"), []byte("<tmx><body><tu>"), 0o644)
	p, err := NewPlan(ctx, Options{In: in, SourceLang: language.English, TargetLang: language.Spanish})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := Run(ctx, models(t), p, RunOptions{Translate: memory.TranslateOptions{Model: "memory"}})
	var pe *corpora.ParseError
	if !errors.As(err, &pe) {
		t.Errorf("Run = %v, want the parse error of bad.tmx", err)
	}
	if sum == nil || sum.Total.Failed != 1 || sum.Total.Translated != 1 {
		t.Fatalf("Run: %+v, want one file failed and one translated", sum)
	}
	for _, f := range sum.Files {
		if filepath.Base(f.Source) == "bad.tmx" && (f.Action != DidFail || f.Error == "") {
			t.Errorf("bad.tmx: %+v, want it failed with why", f)
		}
	}
}

// recorder is a Progress that remembers what it was told.
type recorder struct {
	total, done int64
	labels      []string
}

func (r *recorder) Phase(_ string, total int64) { r.total = total }
func (r *recorder) Add(n int64)                 { r.done += n }
func (r *recorder) SetLabel(l string)           { r.labels = append(r.labels, l) }
