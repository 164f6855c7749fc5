package textout

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/kgmem/kgmem/qa"
)

// Findings writes QA findings, one line each (FILE:LINE: SEVERITY: CHECK:
// MESSAGE (HINT)); a newline inside a finding is written as \n so that
// every finding stays one line.
func Findings(w io.Writer, findings []qa.Finding) error {
	for _, f := range findings {
		if _, err := fmt.Fprintln(w, strings.ReplaceAll(f.String(), "\n", `\n`)); err != nil {
			return err
		}
	}
	return nil
}

// QASummary writes the line that counts a QA run's findings.
func QASummary(w io.Writer, c qa.Counts, units, files int) error {
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "%d findings (%d errors, %d warnings, %d info) in %d units of %d files\n",
		c.Total, c.Errors, c.Warnings, c.Info, units, files)
	return ew.err
}

// Checks writes the QA checks as a table: name, default severity and what
// each finds.
func Checks(w io.Writer, checks []qa.CheckInfo) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "check\tseverity\twhat it finds")
	for _, ck := range checks {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", ck.Name, ck.Severity, ck.Doc)
	}
	return tw.Flush()
}
