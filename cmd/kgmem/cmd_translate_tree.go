package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/internal/termui"
	"github.com/kgmem/kgmem/project"
	"github.com/kgmem/kgmem/translate"
)

// runTranslateTree translates a planned tree and prints what it did: a
// table on stdout, or with --json one JSON object a file as each is done
// and a last one with the total.
func runTranslateTree(ctx context.Context, g *globals, o translateOptions, tr translator, plan *project.Plan, prog *termui.Progress) error {
	ap := &approvals{o: o}
	enc := json.NewEncoder(g.out)
	enc.SetEscapeHTML(false)
	ro := project.RunOptions{Translate: o.TranslateOptions, Approve: o.approve, Progress: prog,
		OnResult: func(_ *corpora.Unit, r translate.Result) error {
			ap.add(r)
			if o.explain {
				explain(g.err, r)
			}
			return nil
		}}
	if o.json {
		ro.OnFile = func(f project.FileSummary) error { return enc.Encode(f) }
	}
	sum, err := project.Run(ctx, tr, plan, ro)
	prog.Done()
	if o.json {
		if e := enc.Encode(struct {
			Total project.Total `json:"total"`
		}{sum.Total}); e != nil && err == nil {
			err = e
		}
	} else {
		printTree(g.out, plan, sum)
	}
	if err != nil {
		return err
	}
	return ap.learn(ctx, g, tr)
}

// printTree prints a run's summary as a table: a row a file (output ←
// source, relative to the trees), the total, then the files' notes.
func printTree(w io.Writer, plan *project.Plan, sum *project.Summary) {
	rel := func(root, path string) string {
		if r, err := filepath.Rel(root, path); err == nil && !strings.HasPrefix(r, "..") {
			return r
		}
		return path
	}
	var notes []string
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "file\taction\tunits\texact\tfuzzy\tmachine\tkept\twords\tproblems")
	for _, f := range sum.Files {
		name := rel(plan.Out, f.Out)
		if src := rel(plan.In, f.Source); src != name {
			name += " ← " + src
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n", name, f.Action, f.Units.Total(),
			f.Units.Exact, f.Units.Fuzzy, f.Units.Machine, f.Units.Kept, f.Words.Total(), f.Units.Problems)
		for _, n := range append(f.Notes, f.Error) {
			if n != "" {
				notes = append(notes, rel(plan.Out, f.Out)+": "+strings.ReplaceAll(n, "\n", " "))
			}
		}
	}
	t := sum.Total
	fmt.Fprintf(tw, "total\t%d files\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n", t.Files, t.Units.Total(),
		t.Units.Exact, t.Units.Fuzzy, t.Units.Machine, t.Units.Kept, t.Words.Total(), t.Units.Problems)
	tw.Flush()
	fmt.Fprintf(w, "%d translated, %d updated, %d skipped (translated already), %d copied, %d failed; left alone: %d (other languages, term bases, compiled catalogs); %.1fs\n",
		t.Translated, t.Updated, t.Skipped, t.Copied, t.Failed, t.Ignored, t.Seconds)
	if im := t.Imported; im != nil {
		fmt.Fprintf(w, "from the OmegaT project's memories: %d files, %d units, %d term entries\n", im.Files, im.Units, im.Terms)
		notes = append(notes, im.Notes...)
	}
	for _, n := range notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
}
