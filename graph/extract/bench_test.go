package extract

import (
	"testing"

	"github.com/kgmem/kgmem/internal/testenv"
)

// BenchmarkExtract runs extraction (tokenising, counting, alignment,
// translation, relations and the batches) over Tatoeba's 119k pairs.
func BenchmarkExtract(b *testing.B) {
	units := readPairs(b, testenv.SharedData(b, "tatoeba", "en-es.tsv"), false)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		x := New("en", "es", Options{})
		for _, u := range units {
			x.Add("tatoeba.tsv", u)
		}
		train(b, x)
		n := 0
		for _, bt := range batchesOf(b, x, "tatoeba.tsv", 0) {
			n += bt.Len()
		}
		x.Close()
		if n == 0 {
			b.Fatal("no batch items")
		}
	}
	b.ReportMetric(float64(len(units)*b.N)/b.Elapsed().Seconds(), "pairs/s")
}
