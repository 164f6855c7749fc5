package textout

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/translate"
)

// Built writes what a build read and what the graph and the index hold
// after it.
func Built(w io.Writer, sum memory.BuildSummary) {
	fmt.Fprintf(w, "read %d units and %d term entries from %d files (%d written, %d unchanged, %d units skipped) in %.1fs\n",
		sum.Units, sum.Terms, sum.Files, sum.Written, sum.Unchanged, sum.Skipped, sum.Seconds)
	fmt.Fprintf(w, "graph: %d segments, %d entities, %d facts\n", sum.Segments, sum.Entities, sum.Facts)
	fmt.Fprintf(w, "index: %d segments indexed, %d deleted in %.1fs\n", sum.Index.Indexed, sum.Index.Deleted, sum.Index.Seconds)
}

// Checked writes what a check of the memory looked at, then each problem.
func Checked(w io.Writer, r memory.CheckReport) {
	fmt.Fprintf(w, "checked %d entities, %d facts, %d segments, %d models, %d indexed segments (store: %s)\n",
		r.Entities, r.Facts, r.Segments, r.Models, r.Indexed, r.Store)
	for _, p := range r.Problems {
		fmt.Fprintf(w, "  problem: %s\n", p)
	}
}

// Learned writes the line that says what one learn did.
func Learned(w io.Writer, s translate.LearnSummary) {
	fmt.Fprintf(w, "learned %d pairs %s→%s as %s: %d term translations counted, %d preferred translations superseded\n",
		s.Segments, s.SourceLang, s.TargetLang, s.Source, s.Labels, s.Superseded)
}

// Forgot writes what a forget took out of the memory and how to undo it.
func Forgot(w io.Writer, sum memory.ForgetSummary) {
	fmt.Fprintf(w, "forgot %d segments of %s (%d translations current again) as %s; undo with kgmem forget --undo %s\n",
		sum.Segments, strings.Join(sum.Sources, ", "), sum.Reopened, sum.ID, sum.ID)
}

// Unforgot writes what the undoing of a forget put back.
func Unforgot(w io.Writer, sum memory.ForgetSummary) {
	fmt.Fprintf(w, "undid %s: %d segments of %s are back\n", sum.ID, sum.Segments, strings.Join(sum.Sources, ", "))
}

// Forgets writes the forgets as a table: id, time, what each named, the
// segments it took out and when it was undone.
func Forgets(w io.Writer, list []memory.ForgetSummary) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tWHEN\tWHAT\tSEGMENTS\tUNDONE")
	for _, f := range list {
		undone := ""
		if !f.Restored.IsZero() {
			undone = f.Restored.Format(time.DateTime)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", f.ID, f.Time.Format(time.DateTime), ForgetWhat(f.Request), f.Segments, undone)
	}
	return tw.Flush()
}

// ForgetWhat says what a forget request named: "batch learn:…",
// "origin *.po", `pair "a" → "b"` or `pair "a"`.
func ForgetWhat(r memory.ForgetRequest) string {
	switch {
	case r.Batch != "":
		return "batch " + r.Batch
	case r.Origin != "":
		return "origin " + r.Origin
	case r.Target != "":
		return fmt.Sprintf("pair %q → %q", r.Source, r.Target)
	}
	return fmt.Sprintf("pair %q", r.Source)
}
