package metrics

import (
	"fmt"
	"strings"
	"testing"
)

// Expected values from sacreBLEU's test/test_ter.py and from the TER metric
// card of Hugging Face datasets/evaluate (computed with sacreBLEU's TER;
// its wrapper is case-sensitive by default), taken as facts.

func TestTERSacreBLEU(t *testing.T) {
	tests := []struct {
		name string
		hyps []string
		refs []string
		want string
	}{
		{"perfect match", []string{"aaaa bbbb cccc dddd"}, []string{"aaaa bbbb cccc dddd"}, "0"},
		{"no overlap", []string{"dddd eeee ffff"}, []string{"aaaa bbbb cccc"}, "100"},
		{"empty hypothesis", []string{""}, []string{"a"}, "100"},
		{"a single shift", []string{"d e f g h a b c"}, []string{"a b c d e f g h"}, "12.5"},
		{"WMT dev data (2019)", []string{
			`wählen Sie " Bild neu berechnen , " um beim Ändern der Bildgröße Pixel hinzuzufügen oder zu entfernen , damit das Bild ungefähr dieselbe Größe aufweist wie die andere Größe .`,
			`wenn Sie alle Aufgaben im aktuellen Dokument aktualisieren möchten , wählen Sie im Menü des Aufgabenbedienfelds die Option " Alle Aufgaben aktualisieren . "`,
			`klicken Sie auf der Registerkarte " Optionen " auf die Schaltfläche " Benutzerdefiniert " und geben Sie Werte für " Fehlerkorrektur-Level " und " Y / X-Verhältnis " ein .`,
			`Sie können beispielsweise ein Dokument erstellen , das ein Auto über die Bühne enthält .`,
			`wählen Sie im Dialogfeld " Neu aus Vorlage " eine Vorlage aus und klicken Sie auf " Neu . "`,
		}, []string{
			`wählen Sie " Bild neu berechnen , " um beim Ändern der Bildgröße Pixel hinzuzufügen oder zu entfernen , damit die Darstellung des Bildes in einer anderen Größe beibehalten wird .`,
			`wenn Sie alle Aufgaben im aktuellen Dokument aktualisieren möchten , wählen Sie im Menü des Aufgabenbedienfelds die Option " Alle Aufgaben aktualisieren . "`,
			`klicken Sie auf der Registerkarte " Optionen " auf die Schaltfläche " Benutzerdefiniert " und geben Sie für " Fehlerkorrektur-Level " und " Y / X-Verhältnis " niedrigere Werte ein .`,
			`Sie können beispielsweise ein Dokument erstellen , das ein Auto enthalt , das sich über die Bühne bewegt .`,
			`wählen Sie im Dialogfeld " Neu aus Vorlage " eine Vorlage aus und klicken Sie auf " Neu . "`,
		}, "13.6"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := CorpusTER(tt.hyps, tt.refs)
			mustNoErr(t, err)
			if !within(s.Score, tt.want) {
				t.Errorf("CorpusTER = %.6f (%d edits / %g), want %s", s.Score, s.Edits, s.RefLength, tt.want)
			}
		})
	}
}

func TestTERMetricCard(t *testing.T) {
	hyps := []string{"does this sentence match??", "what about this sentence?",
		"What did the TER metric user say to the developer?"}
	refs := [][]string{
		{"does this sentence match", "wHaT aBoUt ThIs SeNtEnCe?", "Your jokes are..."},
		{"does this sentence match!?!", "wHaT aBoUt ThIs SeNtEnCe?", "...TERrible"},
	}
	two := func(set []string) []string { return set[:2] }
	tests := []struct {
		name      string
		opts      TER
		n         int // segments used
		score     string
		edits     int
		refLength float64
	}{
		{"cased", TER{CaseSensitive: true}, 2, "62.5", 5, 8},
		{"cased, normalized", TER{CaseSensitive: true, Normalized: true}, 2, "57.14285714285714", 6, 10.5},
		{"no punctuation, no case", TER{NoPunct: true}, 2, "0.0", 0, 8},
		{"cased, three segments", TER{CaseSensitive: true}, 3, "150.0", 15, 10},
		{"no punctuation, no case, three segments", TER{NoPunct: true}, 3, "100.0", 10, 10},
	}
	for _, tt := range tests {
		h, r := hyps, refs
		if tt.n == 2 {
			h, r = hyps[:2], [][]string{two(refs[0]), two(refs[1])}
		}
		s, err := tt.opts.Corpus(h, r...)
		mustNoErr(t, err)
		if !within(s.Score, tt.score) || s.Edits != tt.edits || s.RefLength != tt.refLength {
			t.Errorf("%s: TER = %.6f, %d edits, length %g; want %s, %d, %g", tt.name, s.Score, s.Edits, s.RefLength, tt.score, tt.edits, tt.refLength)
		}
	}
}

func TestTERDefaults(t *testing.T) {
	s, err := CorpusTER([]string{"The Cat sat"}, []string{"the cat SAT"})
	mustNoErr(t, err)
	if s.Score != 0 {
		t.Errorf("TER is case-insensitive by default (as tercom and sacreBLEU): got %v", s)
	}
	if want := "nrefs:1|case:lc|tok:tercom|norm:no|punct:yes|asian:no|" + implTag; s.Signature != want {
		t.Errorf("signature %q, want %q", s.Signature, want)
	}
	s, err = TER{CaseSensitive: true}.Sentence("The Cat sat", "the cat SAT")
	mustNoErr(t, err)
	if !within(s.Score, "100") {
		t.Errorf("case-sensitive TER: %v", s)
	}
	s, err = SentenceTER("b c a", "a b c", "b c a")
	mustNoErr(t, err)
	if s.Score != 0 || s.RefLength != 3 {
		t.Errorf("best of two references: %v", s)
	}
}

func TestTEREdgeCases(t *testing.T) {
	tests := []struct {
		hyp, ref string
		edits    int
	}{
		{"a b", " ", 2},                   // blank reference: every word is an edit
		{"x y z a b c", "a b c x y z", 1}, // one shift of a 3-word phrase
		{"a b c", "a c b", 1},             // a shift beats two substitutions
		{"über straße", "ÜBER STRASSE", 1},
		{"😀 hola", "hola 😀", 1},
	}
	for _, tt := range tests {
		s, err := CorpusTER([]string{tt.hyp}, []string{tt.ref})
		mustNoErr(t, err)
		if s.Edits != tt.edits {
			t.Errorf("TER(%q, %q) = %d edits, want %d", tt.hyp, tt.ref, s.Edits, tt.edits)
		}
	}
	// Words against a blank reference are the worst score, nothing
	// against it a perfect one.
	s, _ := CorpusTER([]string{"", "a"}, []string{" ", " "})
	if s.Score != 100 {
		t.Errorf("TER(words, blank ref) = %v, want 100", s)
	}
	s, _ = CorpusTER([]string{""}, []string{" "})
	if s.Score != 0 {
		t.Errorf("TER(nothing, blank ref) = %v, want 0", s)
	}
	s, _ = CorpusTER([]string{"a"}, []string{" "})
	if s.Score != 100 {
		t.Errorf("TER(words, blank ref) = %v, want 100", s)
	}
}

// Long, repetitive sentences hit the limits on shift candidates; the
// search must stop there and still give an edit count no worse than plain
// edit distance.
func TestTERShiftLimits(t *testing.T) {
	var h, r []string
	for i := 0; i < 400; i++ {
		h = append(h, fmt.Sprint("w", i%7))
		r = append(r, fmt.Sprint("w", (i*3)%7))
	}
	s, err := CorpusTER([]string{strings.Join(h, " ")}, []string{strings.Join(r, " ")})
	mustNoErr(t, err)
	if s.Edits <= 0 || s.Edits > 400 {
		t.Errorf("edits = %d, want 1..400", s.Edits)
	}
}
