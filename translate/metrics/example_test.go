package metrics_test

import (
	"fmt"

	"github.com/kgmem/kgmem/translate/metrics"
)

// The example of sacreBLEU's README: three hypotheses, two reference sets.
func Example() {
	hyps := []string{"The dog bit the man.", "It wasn't surprising.", "The man had just bitten him."}
	refs1 := []string{"The dog bit the man.", "It was not unexpected.", "The man bit him first."}
	refs2 := []string{"The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."}

	bleu, _ := metrics.CorpusBLEU(hyps, refs1, refs2)
	chrf, _ := metrics.CorpusChrF(hyps, refs1, refs2)
	chrfpp, _ := metrics.CorpusChrFPP(hyps, refs1, refs2)
	ter, _ := metrics.CorpusTER(hyps, refs1, refs2)
	fmt.Println(bleu)
	fmt.Println(bleu.Signature)
	fmt.Println(chrf)
	fmt.Println(chrfpp)
	fmt.Println(ter)
	// Output:
	// BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)
	// nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|impl:kgmem
	// chrF2 = 59.73
	// chrF2++ = 59.15
	// TER = 40.00
}

func ExampleSentenceBLEU() {
	s, _ := metrics.SentenceBLEU("The cat sat on the mat.", "The cat is on the mat.")
	fmt.Printf("%.2f\n", s.Score)
	// Output: 48.89
}

func ExampleTermMatcher_Accuracy() {
	m := metrics.NewTermMatcher([]metrics.Term{
		{Source: "vaccine", Targets: []string{"vacuna"}},
		{Source: "face mask", Targets: []string{"mascarilla", "tapabocas"}},
	})
	srcs := []string{"The vaccine is safe.", "Wear a face mask."}
	refs := []string{"La vacuna es segura.", "Use mascarilla."}
	hyps := []string{"La vacuna es segura.", "Use un tapabocas."}
	acc, _ := m.Accuracy(srcs, refs, hyps)
	fmt.Printf("%.1f%% (%d of %d)\n", acc.Score, acc.Matched, acc.Total)
	for _, miss := range acc.Misses {
		fmt.Printf("segment %d: %q should be %q\n", miss.Segment, miss.Source, miss.Expected)
	}
	// Output:
	// 50.0% (1 of 2)
	// segment 2: "face mask" should be ["mascarilla"]
}

func ExampleLeverage() {
	for _, b := range metrics.Leverage([]float64{100, 100, 97.5, 88, 62, 12}) {
		fmt.Printf("%-8s %d\n", b.Band, b.Segments)
	}
	// Output:
	// 100      2
	// 95-99    1
	// 85-94    1
	// 75-84    0
	// 50-74    1
	// no match 1
}
