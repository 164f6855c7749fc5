package textout

import (
	"fmt"
	"io"
	"strings"

	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/translate/evaluate"
)

// Score writes the scores of existing translations the way sacreBLEU
// prints them (metric|signature = score), then term and placeholder
// accuracy when they were measured.
func Score(w io.Writer, rep *evaluate.ScoreReport) error {
	ew := &errWriter{w: w}
	d := &rep.Details
	fmt.Fprintf(ew, "BLEU|%s = %s\n", d.BLEU.Signature, strings.TrimPrefix(d.BLEU.String(), "BLEU = "))
	fmt.Fprintf(ew, "%s|%s = %.2f\n", d.ChrF.Name, d.ChrF.Signature, d.ChrF.Score)
	fmt.Fprintf(ew, "%s|%s = %.2f\n", d.ChrFPP.Name, d.ChrFPP.Signature, d.ChrFPP.Score)
	fmt.Fprintf(ew, "TER|%s = %.2f\n", d.TER.Signature, d.TER.Score)
	if d.Terms != nil {
		fmt.Fprintf(ew, "term accuracy = %s (%d of %d source terms rendered as in the reference)\n",
			rep.TermAccuracy, d.Terms.Matched, d.Terms.Total)
		fmt.Fprintf(ew, "term consistency = %s (%d of %d repeated source terms always rendered the same way)\n",
			rep.TermConsistency, d.TermConsistency.Consistent, d.TermConsistency.Total)
	}
	if d.Placeholders != nil {
		fmt.Fprintf(ew, "placeholder accuracy = %s (%d of %d segments with placeholders kept them all)\n",
			rep.PlaceholderAccuracy, d.Placeholders.Correct, d.Placeholders.Segments)
	}
	return ew.err
}

// TermPrecision writes how often the memory's learned term translations
// are a term list's, and the misses seen most.
func TermPrecision(w io.Writer, p memory.TermPrecision) error {
	const limit = 20
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "p@1 %.2f: %d of the %d list terms learned (seen %d times or more) have the list's translation first\n",
		p.P1, p.Right, p.Learned, p.MinCount)
	for i, m := range p.Misses {
		if i == limit {
			fmt.Fprintf(ew, "  … and %d more (--json lists them all)\n", len(p.Misses)-limit)
			break
		}
		fmt.Fprintf(ew, "  %s → %s (seen %d times), the list has %s\n", m.Source, m.Learned, m.Count, strings.Join(m.Want, " | "))
	}
	return ew.err
}
