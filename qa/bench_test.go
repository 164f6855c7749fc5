package qa

import (
	"context"
	"fmt"
	"testing"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/internal/testenv"
)

// BenchmarkCheck runs every check over the shared development sets
// (GNOME, GTK, LibreOffice, GIMP and KDE strings), with and without a
// term list. Units per second is what a pipeline waits on.
func BenchmarkCheck(b *testing.B) {
	var us []*corpora.Unit
	for _, name := range []string{"en-es.dev.tsv", "en-es.dev2.tsv"} {
		us = append(us, readFile(b, testenv.SharedData(b, "gettext", name))...)
	}
	terms := readTerms(b, "terms.tbx")
	for _, n := range []int{1000, len(us)} {
		for _, withTerms := range []bool{false, true} {
			opts := Options{}
			name := fmt.Sprintf("units=%d", n)
			if withTerms {
				opts.Terms = terms
				name += "/terms"
			}
			b.Run(name, func(b *testing.B) {
				for b.Loop() {
					if _, err := Check(context.Background(), us[:n], opts); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "units/s")
			})
		}
	}
}
