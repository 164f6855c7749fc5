package extract

import (
	"strings"
	"testing"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/internal/testenv"
)

// spanCase is a span of a sentence pair and the translation AlignSpan
// should find for it; "" for none.
type spanCase struct{ source, target, span, want string }

// checkSpans aligns each case's span (its first occurrence in the source)
// with m.
func checkSpans(t *testing.T, m *Model, cases []spanCase) {
	t.Helper()
	checkAligned(t, m.AlignSpan, cases)
}

// checkAligned is checkSpans with an aligner: AlignSpan or AlignPhrase.
func checkAligned(t *testing.T, align func(source, target string, start, end int) (SpanTranslation, bool), cases []spanCase) {
	t.Helper()
	for _, tc := range cases {
		start := strings.Index(tc.source, tc.span)
		if start < 0 {
			t.Fatalf("%q is not in %q", tc.span, tc.source)
		}
		got, ok := align(tc.source, tc.target, start, start+len(tc.span))
		switch {
		case tc.want == "" && ok:
			t.Errorf("%q in %q → %q: aligned %q (score %.2f), want none", tc.span, tc.source, tc.target, got.Text, got.Score)
		case tc.want == "":
		case !ok || got.Text != tc.want:
			t.Errorf("%q in %q → %q: aligned %q (%v), want %q", tc.span, tc.source, tc.target, got.Text, ok, tc.want)
		case tc.target[got.Start:got.End] != got.Text || got.Score <= 0 || got.Score > 1:
			t.Errorf("%q: span %d–%d, score %v", tc.span, got.Start, got.End, got.Score)
		}
	}
}

func TestAlignSpanSmall(t *testing.T) {
	m := trainKept(t, nil, nil, map[string][]*corpora.Unit{"small.tsv": smallUnits()}).Model()
	checkSpans(t, m, []spanCase{
		// Sentences the model has not seen, made of words it has.
		{"Rename the folder", "Cambie el nombre de la carpeta", "folder", "carpeta"},
		{"The folder is too large", "La carpeta es demasiado grande", "folder", "carpeta"},
		{"Create the file", "Cree el archivo", "file", "archivo"},
		{"Open the file", "Abra el archivo", "Open", "Abra"},
		// A name translates as itself.
		{"Evolution could not open the folder", "Evolution no pudo abrir la carpeta", "Evolution", "Evolution"},
		// Words the model does not know.
		{"Print the spreadsheet", "Imprima la hoja de cálculo", "spreadsheet", ""},
		// A known word whose counterpart is missing from the target.
		{"Delete the folder", "Elimine todo", "folder", ""},
	})
}

func TestAlignSpanBadInput(t *testing.T) {
	m := trainKept(t, nil, nil, map[string][]*corpora.Unit{"small.tsv": smallUnits()}).Model()
	for _, tc := range []struct{ start, end int }{{-1, 3}, {3, 3}, {5, 2}, {0, 100}} {
		if _, ok := m.AlignSpan("Open the file", "Abra el archivo", tc.start, tc.end); ok {
			t.Errorf("span %d–%d aligned", tc.start, tc.end)
		}
	}
	var none *Model
	if _, ok := none.AlignSpan("Open the file", "Abra el archivo", 0, 4); ok {
		t.Error("a nil model aligned")
	}
}

// TestAlignSpanTatoeba aligns terms in sentences written for the test,
// with the model of 40k Tatoeba pairs.
func TestAlignSpanTatoeba(t *testing.T) {
	if testing.Short() {
		t.Skip("trains on 40k pairs")
	}
	all := readPairs(t, testenv.SharedData(t, "tatoeba", "en-es.tsv"), false)
	m := trainKept(t, nil, nil, map[string][]*corpora.Unit{"tatoeba.tsv": all[:40000]}).Model()
	checkSpans(t, m, []spanCase{
		{"My dog is sleeping under the table.", "Mi perro está durmiendo debajo de la mesa.", "dog", "perro"},
		{"My dog is sleeping under the table.", "Mi perro está durmiendo debajo de la mesa.", "table", "mesa"},
		{"She bought a new car yesterday.", "Ella compró un coche nuevo ayer.", "car", "coche"},
		{"The train station is far from here.", "La estación de tren está lejos de aquí.", "train station", "estación de tren"},
		{"I lost my umbrella at school.", "Perdí mi paraguas en la escuela.", "umbrella", "paraguas"},
	})
	// A phrase takes its function words along at its ends, where a term
	// does not; a word of the rest of the source stops it.
	phrases := []spanCase{
		{"I could not open the door.", "No pude abrir la puerta.", "could not open", "No pude abrir"},
		{"He does not like the cold weather.", "A él no le gusta el clima frío.", "does not like", "no le gusta"},
		{"My dog is sleeping under the table.", "Mi perro está durmiendo debajo de la mesa.", "under the table", "debajo de la mesa"},
	}
	checkAligned(t, m.AlignPhrase, phrases)
	for _, tc := range phrases[:1] {
		start := strings.Index(tc.source, tc.span)
		if got, ok := m.AlignSpan(tc.source, tc.target, start, start+len(tc.span)); ok && got.Text == tc.want {
			t.Errorf("AlignSpan(%q) = %q: a term's ends are content words", tc.span, got.Text)
		}
	}
}
