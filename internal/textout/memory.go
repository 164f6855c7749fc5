package textout

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/server"
	"github.com/kgmem/kgmem/translate"
)

// Built writes what a build read and what the graph and the index hold
// after it.
func Built(w io.Writer, sum memory.BuildSummary) error {
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "read %d units and %d term entries from %d files (%d written, %d unchanged, %d units skipped) in %.1fs\n",
		sum.Units, sum.Terms, sum.Files, sum.Written, sum.Unchanged, sum.Skipped, sum.Seconds)
	fmt.Fprintf(ew, "graph: %d segments, %d entities, %d facts\n", sum.Segments, sum.Entities, sum.Facts)
	fmt.Fprintf(ew, "index: %d segments indexed, %d deleted in %.1fs\n", sum.Index.Indexed, sum.Index.Deleted, sum.Index.Seconds)
	return ew.err
}

// Exported writes what an export wrote.
func Exported(w io.Writer, sum memory.ExportSummary) error {
	_, err := fmt.Fprintf(w, "wrote %d entries to %s (%s)\n", sum.Written, sum.Path, sum.Format)
	return err
}

// Reindexed writes what a reindex indexed, and the index it made.
func Reindexed(w io.Writer, r memory.ReindexSummary) error {
	_, err := fmt.Fprintf(w, "indexed %d segments and %d entities in %d shard(s) in %.1fs (%.1f MB in %s)\n",
		r.Summary.Indexed, r.Index.Entities, r.Index.Shards, r.Summary.Seconds, float64(r.Index.Bytes)/1e6, r.Index.Dir)
	return err
}

// Keys writes the API keys of a server, a line each: name, role, the
// start of the secret and the day it was made.
func Keys(w io.Writer, keys []server.Key) error {
	ew := &errWriter{w: w}
	for _, k := range keys {
		fmt.Fprintf(ew, "%s\t%s\t%s…\t%s\n", k.Name, k.Role, k.Hint, k.Created.Format(time.DateOnly))
	}
	return ew.err
}

// BackedUp writes what a backup written to path holds.
func BackedUp(w io.Writer, bm memory.BackupManifest, path string) error {
	_, err := fmt.Fprintf(w, "backed up memory %s: %d segments, %d entities, %d facts, %d models → %s\n",
		bm.Memory.ID, bm.Graph.Segments, bm.Graph.Entities, bm.Graph.Facts, len(bm.Models), path)
	return err
}

// Restored writes what a backup restored into the data directory dir,
// in the graph store graph.
func Restored(w io.Writer, bm memory.BackupManifest, dir, graph string) error {
	_, err := fmt.Fprintf(w, "restored memory %s into %s (graph %s): %d segments, %d entities, %d facts\n",
		bm.Memory.ID, dir, graph, bm.Graph.Segments, bm.Graph.Entities, bm.Graph.Facts)
	return err
}

// Checked writes what a check of the memory looked at, then each problem.
func Checked(w io.Writer, r memory.CheckReport) error {
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "checked %d entities, %d facts, %d segments, %d models, %d indexed segments (store: %s)\n",
		r.Entities, r.Facts, r.Segments, r.Models, r.Indexed, r.Store)
	for _, p := range r.Problems {
		fmt.Fprintf(ew, "  problem: %s\n", p)
	}
	return ew.err
}

// Learned writes the line that says what one learn did.
func Learned(w io.Writer, s translate.LearnSummary) error {
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "learned %d pairs %s→%s as %s: %d term translations counted, %d preferred translations superseded\n",
		s.Segments, s.SourceLang, s.TargetLang, s.Source, s.Labels, s.Superseded)
	return ew.err
}

// Initialised writes where a memory is, and its graph store.
func Initialised(w io.Writer, l memory.Located) error {
	_, err := fmt.Fprintf(w, "memory %s in %s (graph: %s)\n", l.ID, l.Dir, l.Graph)
	return err
}

// EngineLearned writes what the memory found its translators correct of
// an engine: the learned translations the engine keeps missing, the 20
// most missed.
func EngineLearned(w io.Writer, s memory.EngineSummary) error {
	const limit = 20
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "%s translated %d pairs of the memory in %.0f s: %d term translations tallied, %d it keeps missing\n",
		s.Engine, s.Pairs, s.Seconds, s.Tallies, len(s.Corrections))
	for i, c := range s.Corrections {
		if i == limit {
			fmt.Fprintf(ew, "  … and %d more (--json lists them all)\n", len(s.Corrections)-limit)
			break
		}
		fmt.Fprintf(ew, "  %s → %s: missed in %d pairs, written in %d\n", c.Source, c.Target, c.Missed, c.Agreed)
	}
	fmt.Fprintf(ew, "%d post-edits of its output applied\n", len(s.PostEdits))
	for i, e := range s.PostEdits {
		if i == limit {
			fmt.Fprintf(ew, "  … and %d more (--json lists them all)\n", len(s.PostEdits)-limit)
			break
		}
		from, to := e.Describe()
		fmt.Fprintf(ew, "  %s → %s: made in %d pairs of %d, kept in %d\n", from, to, e.Fixed, e.Seen, e.Kept)
	}
	return ew.err
}

// Forgot writes what a forget took out of the memory and how to undo it.
func Forgot(w io.Writer, sum memory.ForgetSummary) error {
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "forgot %d segments of %s (%d translations current again) as %s; undo with kgmem forget --undo %s\n",
		sum.Segments, strings.Join(sum.Sources, ", "), sum.Reopened, sum.ID, sum.ID)
	return ew.err
}

// Unforgot writes what the undoing of a forget put back.
func Unforgot(w io.Writer, sum memory.ForgetSummary) error {
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "undid %s: %d segments of %s are back\n", sum.ID, sum.Segments, strings.Join(sum.Sources, ", "))
	return ew.err
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
