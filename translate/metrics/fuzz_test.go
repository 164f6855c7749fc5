package metrics

import (
	"errors"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/internal/testenv"
)

// FuzzReadTerms: any bytes give terms or a *corpora.ParseError, never a
// panic; every term read has a source and at least one target.
func FuzzReadTerms(f *testing.F) {
	for _, file := range []string{"tico19/f_en-es_XX.csv", "tico19/g_en_es-419.csv", "gettext/en-es.iso-codes.tsv"} {
		b, err := os.ReadFile(testenv.SharedData(f, file))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b[:min(len(b), 1024)])
	}
	f.Add([]byte("source\ttarget\nvaccine\tvacuna\n"))
	f.Add([]byte("\xff\xfea\x00\t\x00b\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		terms, err := ReadTerms(strings.NewReader(string(data)), "fuzz.tsv")
		if err != nil {
			var pe *corpora.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a *corpora.ParseError", err)
			}
			return
		}
		if len(terms) == 0 {
			t.Fatal("no terms and no error")
		}
		for _, term := range terms {
			if term.Source == "" || len(term.Targets) == 0 {
				t.Fatalf("incomplete term %+v", term)
			}
		}
		m := NewTermMatcher(terms)
		if _, err := m.Accuracy([]string{string(data)}, []string{string(data)}, []string{string(data)}); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzMetrics: every metric takes any text without panicking, scores stay
// in range, and a hypothesis equal to its reference scores perfectly
// where the metric promises it.
func FuzzMetrics(f *testing.F) {
	f.Add("The dog bit the man.", "The dog had bit the man.")
	f.Add("¿Qué tal? 50% de %s", "Qué tal 50 % de {0}")
	f.Add("我们需要更多疫苗 👍🏽", "需要疫苗")
	f.Add("a\u001cb &amp;lt; <b>x</b>", "a b\n-c")
	f.Add("", "x")
	f.Add("d e f g h a b c", "a b c d e f g h")
	f.Fuzz(func(t *testing.T, hyp, ref string) {
		if ref == "" || len(hyp)+len(ref) > 4096 {
			return
		}
		b, err := CorpusBLEU([]string{hyp}, []string{ref})
		if err != nil || b.Score < 0 || b.Score > 100+1e-9 || math.IsNaN(b.Score) {
			t.Fatalf("BLEU(%q, %q) = %v, %v", hyp, ref, b, err)
		}
		for _, opts := range []ChrF{{}, {WordOrder: 2}, {EpsSmoothing: true}} {
			c, err := opts.Corpus([]string{hyp}, []string{ref})
			if err != nil || c.Score < 0 || c.Score > 100+1e-9 || math.IsNaN(c.Score) {
				t.Fatalf("chrF%+v(%q, %q) = %v, %v", opts, hyp, ref, c, err)
			}
		}
		ter, err := CorpusTER([]string{hyp}, []string{ref})
		if err != nil || ter.Score < 0 || math.IsNaN(ter.Score) {
			t.Fatalf("TER(%q, %q) = %v, %v", hyp, ref, ter, err)
		}
		// Against itself.
		self, err := CorpusTER([]string{ref}, []string{ref})
		if err != nil || self.Score != 0 {
			t.Fatalf("TER(%q, itself) = %v, %v", ref, self, err)
		}
		if strings.TrimFunc(ref, isSpace) != "" {
			c, err := CorpusChrF([]string{ref}, []string{ref})
			if err != nil || math.Abs(c.Score-100) > 1e-9 {
				t.Fatalf("chrF(%q, itself) = %v, %v", ref, c, err)
			}
		}
		if len(fields(Tokenize13a(rstrip(ref)))) >= 4 {
			s, err := CorpusBLEU([]string{ref}, []string{ref})
			if err != nil || math.Abs(s.Score-100) > 1e-9 {
				t.Fatalf("BLEU(%q, itself) = %v, %v", ref, s, err)
			}
		}
		_ = Placeholders(hyp)
		if _, err := PlaceholderAccuracy([]string{ref}, []string{hyp}); err != nil {
			t.Fatal(err)
		}
	})
}
