package textout

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/kgmem/kgmem/project"
	"github.com/kgmem/kgmem/translate"
)

// Explain writes what the memory did for one segment: its status, the
// memory kept and dropped and why, and the problems the checks found.
func Explain(w io.Writer, r translate.Result) error {
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "[%s] %s\n   → %s\n", r.Label(), r.Source, r.Translation)
	if r.Memory != nil {
		for _, d := range r.Memory.Explanation {
			mark := "kept"
			if !d.Kept {
				mark = "drop"
			}
			fmt.Fprintf(ew, "   %s %-5s w=%.2f  %s  (%s)\n", mark, d.Kind, d.Weight, d.Item, d.Reason)
		}
	}
	for _, p := range r.Checks.Problems {
		fmt.Fprintf(ew, "   ! %s\n", p)
	}
	return ew.err
}

// StatusCounts says how many translations had each status, in the order
// exact, fuzzy, machine, leaving out the statuses no translation had:
// "3 exact, 1 machine".
func StatusCounts(m map[string]int) string {
	var parts []string
	for _, s := range []string{translate.StatusExact, translate.StatusFuzzy, translate.StatusMachine} {
		if m[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", m[s], s))
		}
	}
	return strings.Join(parts, ", ")
}

// FileSummary writes the one line that sums up a translated document.
func FileSummary(w io.Writer, in, out string, sum translate.FileSummary) error {
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "%s: %d units, %d translated (%s), %d kept, %d with problems → %s\n",
		in, sum.Units, sum.Translated, StatusCounts(sum.ByStatus), sum.Kept, sum.Problems, out)
	return ew.err
}

// Tree writes a tree's run as a table: a row a file (output ← source,
// relative to the trees), the total, then the files' notes.
func Tree(w io.Writer, plan *project.Plan, sum *project.Summary) error {
	ew := &errWriter{w: w}
	rel := func(root, path string) string {
		if r, err := filepath.Rel(root, path); err == nil && !strings.HasPrefix(r, "..") {
			return r
		}
		return path
	}
	var notes []string
	tw := tabwriter.NewWriter(ew, 0, 4, 2, ' ', 0)
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
	fmt.Fprintf(ew, "%d translated, %d updated, %d skipped (translated already), %d copied, %d failed; left alone: %d (other languages, term bases, compiled catalogs); %.1fs\n",
		t.Translated, t.Updated, t.Skipped, t.Copied, t.Failed, t.Ignored, t.Seconds)
	if im := t.Imported; im != nil {
		fmt.Fprintf(ew, "from the OmegaT project's memories: %d files, %d units, %d term entries\n", im.Files, im.Units, im.Terms)
		notes = append(notes, im.Notes...)
	}
	for _, n := range notes {
		fmt.Fprintf(ew, "note: %s\n", n)
	}
	return ew.err
}
