package textout

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/kgmem/kgmem/corpora/formats"
)

// CorpusStats writes the counts of corpus files as a right-aligned table,
// a row a file and a total when there are several, then the units of
// each language pair.
func CorpusStats(w io.Writer, report formats.StatsReport) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "units\tskipped\tduplicates\tsource words\ttarget words\tformat\tfile\t")
	for _, f := range report.Files {
		fmt.Fprintf(tw, "%d\t%d\t%d\t%d\t%d\t%s\t%s\t\n", f.Units, f.Skipped, f.Duplicates, f.SourceWords, f.TargetWords, f.Format, f.File)
	}
	if total := report.Stats; len(report.Files) > 1 {
		fmt.Fprintf(tw, "%d\t%d\t%d\t%d\t%d\t\t%s\t\n", total.Units, total.Skipped, total.Duplicates, total.SourceWords, total.TargetWords, "total")
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	ew := &errWriter{w: w}
	fmt.Fprintln(ew)
	for _, p := range report.Pairs {
		fmt.Fprintf(ew, "%s → %s\t%d units\n", p.Source, p.Target, p.Units)
	}
	return ew.err
}

// Converted writes what a conversion wrote and skipped.
func Converted(w io.Writer, sum formats.ConvertSummary) error {
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "wrote %d units to %s (%s)", sum.Units+sum.Merged, sum.Out, sum.Format)
	if sum.Skipped > 0 {
		fmt.Fprintf(ew, ", skipped %d", sum.Skipped)
	}
	fmt.Fprintln(ew)
	return ew.err
}
