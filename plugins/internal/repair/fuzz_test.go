package repair

import (
	"testing"

	"github.com/kgmem/kgmem/plugins"
)

// FuzzRepair checks that diffing, repairing and substituting never panic
// or produce offsets outside the texts, whatever the input.
func FuzzRepair(f *testing.F) {
	f.Add("Open the folder", "Open the file", "Abra el archivo", 9, 15)
	f.Add("Delete 12 files", "Delete 3 files", "Borre 3 archivos", 7, 9)
	f.Add("Öffne die Datei", "Öffne die Akte", "Abra el archivo", 11, 16)
	f.Add("", "", "", 0, 0)
	f.Fuzz(func(t *testing.T, src, msrc, mtgt string, start, end int) {
		for _, e := range Diff(src, msrc) {
			if e.Src[0] > e.Src[1] || e.Src[1] > len(src) || e.Match[0] > e.Match[1] || e.Match[1] > len(msrc) {
				t.Fatalf("Diff(%q, %q): edit %+v out of range", src, msrc, e)
			}
		}
		terms := []plugins.TermConstraint{{SourceSpan: plugins.Span{Start: start, End: end}, Source: "x", Target: "y"}}
		Repair("es", src, plugins.FuzzyMatch{Source: msrc, Target: mtgt, Score: 80}, TermTranslator(terms))
		Substitute(src, terms, func(int) string { return "T" })
		Honoured(mtgt, terms)
	})
}
