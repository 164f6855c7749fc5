package metrics

import (
	"fmt"
	"testing"
)

// Expected values from sacreBLEU's test/test_chrf.py and README, and from
// the chrF metric card of Hugging Face datasets/evaluate (computed with
// sacreBLEU's CHRF), taken as facts.

func TestChrFSacreBLEU(t *testing.T) {
	const (
		risk    = "risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists ."
		riskRef = "risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists ."
		obama   = "Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich."
		obRef   = "Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich."
		mauer   = "Niemand hat die Absicht, eine Mauer zu errichten"
	)
	eps := ChrF{Beta: 3, EpsSmoothing: true}
	eff := ChrF{Beta: 3}
	tests := []struct {
		name string
		opts ChrF
		hyps []string
		refs []string
		want string
	}{
		// sacreBLEU >= 2.0 with epsilon smoothing (chrF++.py, NLTK).
		{"eps: no overlap", eps, []string{"abcdefg"}, []string{"hijklmnop"}, "0.0"},
		{"eps: a/b", eps, []string{"a"}, []string{"b"}, "0.0"},
		{"eps: empty hyp b", eps, []string{""}, []string{"b"}, "0.0"},
		{"eps: empty hyp ref", eps, []string{""}, []string{"ref"}, "0.0"},
		{"eps: empty hyp reference", eps, []string{""}, []string{"reference"}, "0.0"},
		{"eps: aa/ab", eps, []string{"aa"}, []string{"ab"}, "8.3333"},
		{"eps: two segments", eps, []string{"a", "b"}, []string{"a", "c"}, "8.3333"},
		{"eps: a/a", eps, []string{"a"}, []string{"a"}, "16.6667"},
		{"eps: spaces", eps, []string{"a b c"}, []string{"a b c"}, "50.0"},
		{"eps: spaces removed", eps, []string{"a b c"}, []string{"abc"}, "50.0"},
		{"eps: risk", eps, []string{" " + risk}, []string{riskRef}, "63.361730"},
		{"eps: extra spaces", eps, []string{" Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. "}, []string{obRef}, "64.1302698"},
		{"eps: identical", eps, []string{mauer}, []string{mauer}, "100.0"},
		// sacreBLEU < 2.0 mode: effective order.
		{"eff: a/a", eff, []string{"a"}, []string{"a"}, "100.0"},
		{"eff: empty hyp", eff, []string{""}, []string{"reference"}, "0.0"},
		{"eff: spaces", eff, []string{"a b c"}, []string{"a b c"}, "100.0"},
		{"eff: spaces removed", eff, []string{"a b c"}, []string{"abc"}, "100.0"},
		{"eff: empty hyp c", eff, []string{""}, []string{"c"}, "0.0"},
		{"eff: two segments", eff, []string{"a", "b"}, []string{"a", "c"}, "50.0"},
		{"eff: aa/ab", eff, []string{"aa"}, []string{"ab"}, "25.0"},
		// Whitespace kept in the character n-grams.
		{"whitespace: obama", ChrF{Beta: 3, Whitespace: true}, []string{obama}, []string{obRef}, "67.3481606"},
		{"whitespace: risk", ChrF{Beta: 3, Whitespace: true}, []string{risk}, []string{riskRef}, "65.2414427"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := tt.opts.Corpus(tt.hyps, tt.refs)
			mustNoErr(t, err)
			// test_chrf.py's EPSILON is 1e-4.
			if !near(s.Score, tt.want, 1e-4) {
				t.Errorf("ChrF%+v.Corpus(%q, %q) = %.8f, want %s", tt.opts, tt.hyps, tt.refs, s.Score, tt.want)
			}
		})
	}
}

func TestSentenceChrFSacreBLEU(t *testing.T) {
	tests := []struct{ hyp, ref, want string }{
		{"Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.",
			"Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře.", "39.14078509"},
		{"Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři.",
			"A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři.", "31.22557079"},
		{"Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.",
			"Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli.", "57.15704367"},
	}
	for _, tt := range tests {
		s, err := ChrF{EpsSmoothing: true}.Sentence(tt.hyp, tt.ref)
		mustNoErr(t, err)
		if !within(s.Score, tt.want) {
			t.Errorf("sentence chrF(%q) = %.8f, want %s", tt.hyp, s.Score, tt.want)
		}
	}
}

func TestChrFDefaults(t *testing.T) {
	s, err := CorpusChrF(dogHyps, dogRefs...)
	mustNoErr(t, err)
	if s.String() != "chrF2 = 59.73" {
		t.Errorf("CorpusChrF(dog) = %q, want chrF2 = 59.73 (sacreBLEU README)", s)
	}
	if want := "nrefs:2|case:mixed|eff:yes|nc:6|nw:0|space:no|" + implTag; s.Signature != want {
		t.Errorf("signature %q, want %q", s.Signature, want)
	}
	hyps := []string{"The relationship between cats and dogs is not exactly friendly.",
		"a good bookshop is just a genteel black hole that knows how to read."}
	refs := []string{"The relationship between dogs and cats is not exactly friendly.",
		"A good bookshop is just a genteel Black Hole that knows how to read."}
	tests := []struct {
		opts ChrF
		want string
	}{
		{ChrF{}, "84.64214891738334"},
		{ChrF{WordOrder: 2}, "82.87263732906315"},
		{ChrF{WordOrder: 2, Lowercase: true}, "92.12853119829202"},
	}
	for _, tt := range tests {
		s, err := tt.opts.Corpus(hyps, refs)
		mustNoErr(t, err)
		if !within(s.Score, tt.want) {
			t.Errorf("ChrF%+v = %.12f, want %s", tt.opts, s.Score, tt.want)
		}
	}
	s, err = CorpusChrFPP(hyps, refs)
	mustNoErr(t, err)
	if s.Name != "chrF2++" || !within(s.Score, "82.87263732906315") {
		t.Errorf("CorpusChrFPP = %v", s)
	}
	s, err = SentenceChrF("The relationship between Obama and Netanyahu is not exactly friendly.",
		"The ties between Obama and Netanyahu are not particularly friendly.")
	mustNoErr(t, err)
	if !within(s.Score, "61.576379378113785") {
		t.Errorf("SentenceChrF = %.12f, want 61.576379378113785", s.Score)
	}
}

func TestChrFEdgeCases(t *testing.T) {
	t.Run("best reference per segment", func(t *testing.T) {
		one, err := CorpusChrF([]string{"the cat sat"}, []string{"a dog ran"})
		mustNoErr(t, err)
		two, err := CorpusChrF([]string{"the cat sat"}, []string{"a dog ran"}, []string{"the cat sat"})
		mustNoErr(t, err)
		if one.Score >= 50 || two.Score != 100 {
			t.Errorf("one ref %v, best of two %v", one, two)
		}
	})
	t.Run("unicode", func(t *testing.T) {
		for _, s := range []string{"我们需要更多疫苗", "Übersetzungsspeicher für Äpfel", "👍🏽 hecho ✅"} {
			sc, err := CorpusChrFPP([]string{s}, []string{s})
			mustNoErr(t, err)
			if !within(sc.Score, "100") {
				t.Errorf("chrF++(%q, itself) = %v", s, sc)
			}
		}
		// Character n-grams count code points, not bytes: one of five
		// Han characters wrong leaves 4 of 5 unigrams, 3 of 4 bigrams, …
		sc, err := CorpusChrF([]string{"新冠疫苗好"}, []string{"新冠疫苗坏"})
		mustNoErr(t, err)
		prec := (4.0/5 + 3.0/4 + 2.0/3 + 1.0/2 + 0) / 5
		if want := fmt.Sprintf("%.6f", 100*prec); !within(sc.Score, want) {
			t.Errorf("chrF(CJK) = %.6f, want %s", sc.Score, want)
		}
	})
	t.Run("chrF++ punctuation split", func(t *testing.T) {
		got := fmt.Sprintf("%q", splitPunct("(hi) well, ok . x"))
		if want := `["(hi" ")" "well" "," "ok" "." "x"]`; got != want {
			t.Errorf("splitPunct = %s, want %s", got, want)
		}
	})
}
