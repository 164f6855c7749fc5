package metrics

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// The expected values below are sacreBLEU's own, from its test suite
// (test/test_bleu.py, test/test_sentence_bleu.py) and README, taken as
// facts: BLEU must agree with sacreBLEU to their published precision.

func TestCorpusBLEUSacreBLEU(t *testing.T) {
	tests := []struct {
		name string
		opts BLEU
		hyps []string
		refs [][]string
		want string
	}{
		{"default", BLEU{}, dogHyps, dogRefs, "48.530827"},
		{"empty hypotheses are not removed", BLEU{}, []string{"", "", ""}, dogRefs, "0.0"},
		{"tokenize none", BLEU{Tokenize: TokNone}, dogHyps, dogRefs, "49.1919566"},
		{"tokenize 13a", BLEU{Tokenize: Tok13a}, dogHyps, dogRefs, "48.530827"},
		{"tokenize intl", BLEU{Tokenize: TokIntl}, dogHyps, dogRefs, "43.91623493"},
		{"smooth none", BLEU{Smooth: SmoothNone}, dogHyps, dogRefs, "48.530827"},
		// raw_corpus_bleu: no tokenisation, floor smoothing, effective order.
		{"raw: no match", rawBLEU(0.01), []string{"this is a test", "another test"}, wrap("ref1", "ref2"), "0.0"},
		{"raw: identical", rawBLEU(0.01), []string{"this is a test"}, wrap("this is a test"), "100"},
		{"raw: one word off", rawBLEU(0.01), []string{"this is a fest"}, wrap("this is a test"), "22.3606797749979"},
		{"effective order: short", rawBLEU(0.01), []string{"test"}, wrap("a test"), "36.78794411714425"},
		{"effective order: identical", rawBLEU(0.01), []string{"a test"}, wrap("a test"), "100"},
		{"effective order: longer", rawBLEU(0.01), []string{"a little test"}, wrap("a test"), "3.218297948685433"},
		{"offset: default floor", rawBLEU(0), []string{"am I am a character sequence"}, wrap("I am a symbol string sequence a a"), "15.55722182"},
		{"offset: floor 0 (= none)", BLEU{Tokenize: TokNone, Smooth: SmoothNone, EffectiveOrder: true},
			[]string{"am I am a character sequence"}, wrap("I am a symbol string sequence a a"), "0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := tt.opts.Corpus(tt.hyps, tt.refs...)
			mustNoErr(t, err)
			if !within(s.Score, tt.want) {
				t.Errorf("BLEU%+v.Corpus = %.10f, want %s", tt.opts, s.Score, tt.want)
			}
		})
	}
}

func rawBLEU(floor float64) BLEU {
	return BLEU{Tokenize: TokNone, Smooth: SmoothFloor, SmoothValue: floor, EffectiveOrder: true}
}

func TestBLEUMaxOrder(t *testing.T) {
	for order, want := range map[int]string{1: "77.65", 2: "60.50", 3: "53.93", 4: "48.53", 5: "46.14", 6: "43.28"} {
		s, err := BLEU{MaxOrder: order}.Corpus(dogHyps, dogRefs...)
		mustNoErr(t, err)
		if got := fmt.Sprintf("%.2f", s.Score); got != want {
			t.Errorf("BLEU{MaxOrder: %d} = %s, want %s", order, got, want)
		}
	}
}

func TestBLEUStatistics(t *testing.T) {
	s, err := rawBLEU(0.01).Corpus([]string{"am I am a character sequence"}, wrap("I am a symbol string sequence a a")...)
	mustNoErr(t, err)
	if fmt.Sprint(s.Counts) != "[4 2 1 0]" || fmt.Sprint(s.Totals) != "[6 5 4 3]" {
		t.Errorf("counts %v totals %v, want [4 2 1 0] [6 5 4 3]", s.Counts, s.Totals)
	}
}

func TestBLEUFromStatistics(t *testing.T) {
	none := &bleuRun{BLEU: BLEU{Smooth: SmoothNone}, order: 4}
	if s := none.compute([]int{9, 7, 5, 3}, []int{10, 8, 6, 4}, 11, 11); !within(s.Score, "83.75922397") {
		t.Errorf("compute(9/10 7/8 5/6 3/4) = %.10f, want 83.75922397", s.Score)
	}
	// sacreBLEU's degenerate statistics: all give 0 with floor smoothing.
	degenerate := []struct {
		correct, total []int
		hyp, ref       int
		floor          float64
	}{
		{[]int{0, 0, 0, 0}, []int{4, 4, 2, 1}, 0, 1, 0},
		{[]int{0, 0, 0, 0}, []int{10, 11, 12, 0}, 14, 10, 0},
		{[]int{0, 0, 0, 0}, []int{0, 0, 0, 0}, 0, 0, 0},
		{[]int{6, 5, 4, 0}, []int{6, 5, 4, 3}, 6, 6, 0},
		{[]int{0, 0, 0, 0}, []int{0, 0, 0, 0}, 0, 0, 0.1},
		{[]int{0, 0, 0, 0}, []int{0, 0, 0, 0}, 1, 5, 0.01},
	}
	for _, d := range degenerate {
		r := &bleuRun{BLEU: BLEU{Smooth: SmoothFloor, SmoothValue: d.floor}, order: 4}
		if s := r.compute(d.correct, d.total, d.hyp, d.ref); s.Score != 0 {
			t.Errorf("compute(%v/%v, %d, %d, floor %g) = %g, want 0", d.correct, d.total, d.hyp, d.ref, d.floor, s.Score)
		}
	}
}

func TestBLEUReadme(t *testing.T) {
	s, err := CorpusBLEU(dogHyps, dogRefs...)
	mustNoErr(t, err)
	const want = "BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)"
	if s.String() != want {
		t.Errorf("CorpusBLEU(dog) = %q, want %q", s, want)
	}
	if !strings.HasPrefix(s.Signature, "nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|") {
		t.Errorf("signature %q", s.Signature)
	}
	// A variable number of references: the first reference of the first
	// segment removed.
	refs := [][]string{append([]string{""}, dogRefs[0][1:]...), dogRefs[1]}
	s, err = CorpusBLEU(dogHyps, refs...)
	mustNoErr(t, err)
	const wantVar = "BLEU = 29.44 82.4/42.9/27.3/12.5 (BP = 0.889 ratio = 0.895 hyp_len = 17 ref_len = 19)"
	if s.String() != wantVar {
		t.Errorf("CorpusBLEU(dog, variable refs) = %q, want %q", s, wantVar)
	}
	if !strings.HasPrefix(s.Signature, "nrefs:var|") {
		t.Errorf("signature %q, want nrefs:var", s.Signature)
	}
}

// sacreBLEU issue #98's example, scored with sentence_bleu's effective
// order under each smoothing and tokenizer.
func TestSentenceBLEUSacreBLEU(t *testing.T) {
	const (
		ref = "producţia de zahăr brut se exprimă în zahăr alb;"
		sys = "Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;"
	)
	tests := []struct {
		opts BLEU
		want string
	}{
		{BLEU{}, "8.493"},
		{BLEU{Smooth: SmoothNone}, "0.0"},
		{BLEU{Smooth: SmoothFloor}, "4.51688"},
		{BLEU{Smooth: SmoothFloor, SmoothValue: 0.1}, "4.51688"},
		{BLEU{Smooth: SmoothFloor, SmoothValue: 0.5}, "10.10"},
		{BLEU{Smooth: SmoothAddK}, "14.882"},
		{BLEU{Smooth: SmoothAddK, SmoothValue: 1}, "14.882"},
		{BLEU{Smooth: SmoothAddK, SmoothValue: 2}, "21.389"},
		{BLEU{Tokenize: TokNone}, "7.347"},
		{BLEU{Tokenize: TokIntl}, "8.493"},
		{BLEU{Tokenize: TokChar}, "40.8759"},
		{BLEU{Tokenize: TokChar, Lowercase: true}, "42.0267"},
	}
	for _, tt := range tests {
		tt.opts.EffectiveOrder = true
		s, err := tt.opts.Sentence(sys, ref)
		mustNoErr(t, err)
		if !within(s.Score, tt.want) {
			t.Errorf("BLEU%+v.Sentence = %.6f, want %s", tt.opts, s.Score, tt.want)
		}
	}
	// sacreBLEU issue #141: no match at all is 0 whatever the smoothing.
	for _, opts := range []BLEU{{}, {Smooth: SmoothNone}, {Smooth: SmoothFloor}, {Smooth: SmoothAddK}} {
		opts.EffectiveOrder = true
		s, err := opts.Sentence("this is a cat", "okay thanks")
		mustNoErr(t, err)
		if s.Score != 0 {
			t.Errorf("BLEU%+v.Sentence(no match) = %g, want 0", opts, s.Score)
		}
	}
	// SentenceBLEU is sacreBLEU's sentence_bleu: exp with effective order.
	s, err := SentenceBLEU(sys, ref)
	mustNoErr(t, err)
	if !within(s.Score, "8.493") || !strings.Contains(s.Signature, "eff:yes") {
		t.Errorf("SentenceBLEU = %.4f %s, want 8.493 with eff:yes", s.Score, s.Signature)
	}
}

func TestBLEUEdgeCases(t *testing.T) {
	t.Run("empty hypothesis", func(t *testing.T) {
		s, err := CorpusBLEU([]string{""}, wrap("a reference")...)
		mustNoErr(t, err)
		if s.Score != 0 || s.BP != 0 || s.HypLen != 0 || s.RefLen != 2 {
			t.Errorf("got %v", s)
		}
	})
	t.Run("identical", func(t *testing.T) {
		s, err := CorpusBLEU([]string{"the quick brown fox jumps"}, wrap("the quick brown fox jumps")...)
		mustNoErr(t, err)
		if !within(s.Score, "100") {
			t.Errorf("got %v", s)
		}
	})
	t.Run("unicode", func(t *testing.T) {
		// Accents, emoji and CJK: 13a leaves non-ASCII alone, so whole
		// words match or not; char tokenisation scores CJK by character.
		s, err := CorpusBLEU([]string{"¡Qué día más soleado 🌞 hoy!"}, wrap("¡Qué día más soleado 🌞 hoy!")...)
		mustNoErr(t, err)
		if !within(s.Score, "100") {
			t.Errorf("accents and emoji: %v", s)
		}
		c, err := BLEU{Tokenize: TokChar}.Corpus([]string{"我们需要更多的疫苗"}, wrap("我们需要更多疫苗")...)
		mustNoErr(t, err)
		w, err := BLEU{}.Corpus([]string{"我们需要更多的疫苗"}, wrap("我们需要更多疫苗")...)
		mustNoErr(t, err)
		if c.HypLen != 9 || c.RefLen != 8 || c.Score <= 0 || w.HypLen != 1 || w.Score != 0 {
			t.Errorf("CJK: char %v, 13a %v", c, w)
		}
	})
	t.Run("multiple references pick the closest length", func(t *testing.T) {
		s, err := CorpusBLEU([]string{"a b c d"}, [][]string{{"a b c d e f"}, {"a b c"}}...)
		mustNoErr(t, err)
		// |4-6| = 2 > |4-3| = 1: the 3-word reference; on a tie the shorter.
		if s.RefLen != 3 {
			t.Errorf("RefLen = %d, want 3", s.RefLen)
		}
		s, err = CorpusBLEU([]string{"a b c d"}, [][]string{{"a b c d e"}, {"a b c"}}...)
		mustNoErr(t, err)
		if s.RefLen != 3 {
			t.Errorf("tie: RefLen = %d, want 3", s.RefLen)
		}
	})
}

func TestMetricErrors(t *testing.T) {
	type scorer func(hyps []string, refs ...[]string) error
	metrics := map[string]scorer{
		"BLEU":   func(h []string, r ...[]string) error { _, err := CorpusBLEU(h, r...); return err },
		"chrF":   func(h []string, r ...[]string) error { _, err := CorpusChrF(h, r...); return err },
		"chrF++": func(h []string, r ...[]string) error { _, err := CorpusChrFPP(h, r...); return err },
		"TER":    func(h []string, r ...[]string) error { _, err := CorpusTER(h, r...); return err },
	}
	tests := []struct {
		name string
		hyps []string
		refs [][]string
		want error
	}{
		{"empty corpus", nil, [][]string{{}}, ErrNoSegments},
		{"no reference set", []string{"a"}, nil, ErrNoReference},
		{"fewer references", []string{"a", "b"}, wrap("a"), ErrLengthMismatch},
		{"second set shorter", []string{"a", "b"}, [][]string{{"a", "b"}, {"a"}}, ErrLengthMismatch},
		{"empty reference", []string{"a", "b"}, wrap("a", ""), ErrNoReference},
		{"all references empty", []string{"a"}, [][]string{{""}, {""}}, ErrNoReference},
	}
	for name, score := range metrics {
		for _, tt := range tests {
			if err := score(tt.hyps, tt.refs...); !errors.Is(err, tt.want) {
				t.Errorf("%s(%s) error = %v, want %v", name, tt.name, err, tt.want)
			}
		}
	}
	if _, err := (BLEU{Tokenize: "moses"}).Corpus([]string{"a"}, wrap("a")...); !errors.Is(err, ErrBadOption) {
		t.Errorf("unknown tokenizer: %v", err)
	}
	if _, err := (BLEU{Smooth: "laplace"}).Corpus([]string{"a"}, wrap("a")...); !errors.Is(err, ErrBadOption) {
		t.Errorf("unknown smoothing: %v", err)
	}
	if _, err := (ChrF{Beta: -1}).Corpus([]string{"a"}, wrap("a")...); !errors.Is(err, ErrBadOption) {
		t.Errorf("negative beta: %v", err)
	}
}
