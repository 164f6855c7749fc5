package metrics

import (
	"fmt"
	"testing"
)

func benchCorpus(b *testing.B, score func(hyps, refs []string) error, sizes ...int) {
	hyps, refs := tatoebaPairs(b, 5000)
	for _, n := range sizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := score(hyps[:n], refs[:n]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkCorpusBLEU(b *testing.B) {
	benchCorpus(b, func(h, r []string) error { _, err := CorpusBLEU(h, r); return err }, 500, 5000)
}

func BenchmarkChrF(b *testing.B) {
	b.Run("chrF", func(b *testing.B) {
		benchCorpus(b, func(h, r []string) error { _, err := CorpusChrF(h, r); return err }, 500, 5000)
	})
	b.Run("chrF++", func(b *testing.B) {
		benchCorpus(b, func(h, r []string) error { _, err := CorpusChrFPP(h, r); return err }, 500, 5000)
	})
}

func BenchmarkTER(b *testing.B) {
	benchCorpus(b, func(h, r []string) error { _, err := CorpusTER(h, r); return err }, 500, 5000)
}
