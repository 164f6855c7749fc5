package metrics

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/internal/testenv"
)

var covidTerms = []Term{
	{Source: "vaccine", Targets: []string{"vacuna"}},
	{Source: "COVID-19", Targets: []string{"COVID-19"}},
	{Source: "face mask", Targets: []string{"mascarilla", "tapabocas"}},
	{Source: "virus", Targets: []string{"virus"}},
	{Source: "vaccine", Targets: []string{"inyección"}}, // merged with the first
}

func TestTermAccuracy(t *testing.T) {
	srcs := []string{
		"The vaccine works.",            // vacuna in ref and hyp: hit
		"Get the vaccine",               // vacuna not in the reference: not counted
		"Wear a face mask",              // ref has tapabocas, hyp mascarilla: miss
		"The VACCINE against COVID-19.", // case-insensitive; vacunas is not vacuna: miss; COVID-19 hit
		"vaccines",                      // not the whole word "vaccine": not counted
		"The virus",                     // hit
	}
	refs := []string{"La vacuna funciona.", "Vacúnese", "Use un tapabocas", "¿La vacuna contra la COVID-19?", "vacunas", "El virus"}
	hyps := []string{"La vacuna funciona.", "Póngase la vacuna", "Use una mascarilla", "Las vacunas contra la covid-19.", "vacunas", "El virus."}
	s, err := TermAccuracy(srcs, refs, hyps, covidTerms)
	mustNoErr(t, err)
	if s.Total != 5 || s.Matched != 3 || !within(s.Score, "60") {
		t.Errorf("TermAccuracy = %d/%d (%.2f), want 3/5", s.Matched, s.Total, s.Score)
	}
	wantMisses := []TermMiss{
		{Segment: 3, Source: "face mask", Expected: []string{"tapabocas"}},
		{Segment: 4, Source: "vaccine", Expected: []string{"vacuna"}},
	}
	if !reflect.DeepEqual(s.Misses, wantMisses) {
		t.Errorf("misses = %+v, want %+v", s.Misses, wantMisses)
	}

	t.Run("scripts without spaces", func(t *testing.T) {
		s, err := TermAccuracy([]string{"We need the vaccine"}, []string{"我们需要疫苗"}, []string{"需要疫苗。"},
			[]Term{{Source: "vaccine", Targets: []string{"疫苗"}}})
		mustNoErr(t, err)
		if s.Total != 1 || s.Matched != 1 {
			t.Errorf("CJK = %+v", s)
		}
	})
	t.Run("accents and normalisation", func(t *testing.T) {
		// "vacunación" precomposed in the term, decomposed in the text.
		s, err := TermAccuracy([]string{"vaccination"}, []string{"La vacunacio\u0301n"}, []string{"VACUNACIÓN"},
			[]Term{{Source: "vaccination", Targets: []string{"vacunación"}}})
		mustNoErr(t, err)
		if s.Total != 1 || s.Matched != 1 {
			t.Errorf("NFC = %+v", s)
		}
	})
	t.Run("mismatched counts", func(t *testing.T) {
		_, err := TermAccuracy([]string{"a"}, []string{"a", "b"}, []string{"a"}, covidTerms)
		if !errors.Is(err, ErrLengthMismatch) || !strings.Contains(err.Error(), "2 references") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("no terms", func(t *testing.T) {
		s, err := TermAccuracy([]string{"a"}, []string{"a"}, []string{"a"}, nil)
		mustNoErr(t, err)
		if s.Total != 0 || s.Score != 0 {
			t.Errorf("empty term list = %+v", s)
		}
	})
}

func TestTermMatcher(t *testing.T) {
	m := NewTermMatcher(covidTerms)
	if len(m.Terms()) != 4 || !reflect.DeepEqual(m.Terms()[0].Targets, []string{"vacuna", "inyección"}) {
		t.Errorf("merged terms = %+v", m.Terms())
	}
	var got []string
	for _, term := range m.Find("A face mask, a (vaccine) and the virus!") {
		got = append(got, term.Source)
	}
	if want := []string{"vaccine", "face mask", "virus"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Find = %q, want %q", got, want)
	}
}

func TestTermConsistency(t *testing.T) {
	srcs := []string{"vaccine one", "the virus", "vaccine two", "a face mask", "the virus", "vaccine three"}
	hyps := []string{"vacuna uno", "el virus", "vacuna dos", "mascarilla", "el virus", "inyección tres"}
	s, err := TermConsistency(srcs, hyps, covidTerms)
	mustNoErr(t, err)
	if s.Total != 2 || s.Consistent != 1 || !within(s.Score, "50") {
		t.Errorf("TermConsistency = %+v, want 1 of 2", s)
	}
	want := []TermRenderings{{Source: "vaccine", Renderings: map[string]int{"vacuna": 2, "inyección": 1}}}
	if !reflect.DeepEqual(s.Inconsistent, want) {
		t.Errorf("inconsistent = %+v, want %+v", s.Inconsistent, want)
	}
	if _, err := TermConsistency(srcs, hyps[:1], covidTerms); !errors.Is(err, ErrLengthMismatch) {
		t.Errorf("mismatched counts: %v", err)
	}
}

func TestReadTerms(t *testing.T) {
	utf16le := func(s string) string {
		b := []byte{0xff, 0xfe}
		for _, u := range utf16.Encode([]rune(s)) {
			b = append(b, byte(u), byte(u>>8))
		}
		return string(b)
	}
	tests := []struct {
		name, in string
		want     []Term
	}{
		{"tsv", "vaccine\tvacuna\nface mask\tmascarilla\n", []Term{{"vaccine", []string{"vacuna"}}, {"face mask", []string{"mascarilla"}}}},
		{"tsv header, comments, blank lines, CRLF", "# covid\r\nsource\ttarget\r\n\r\nvaccine\tvacuna\r\n", []Term{{"vaccine", []string{"vacuna"}}}},
		{"tsv named columns", "domain\tsource\ttarget\ngtk\t_Open\t_Abrir\n", []Term{{"_Open", []string{"_Abrir"}}}},
		{"duplicates merge", "CDC\tCDC\nCDC\tCentros\nCDC\tCDC\n", []Term{{"CDC", []string{"CDC", "Centros"}}}},
		{"empty cells skipped", "a\t\n\tb\nc\td\n", []Term{{"c", []string{"d"}}}},
		{"csv TICO-19", "id,sourceLang,targetLang,sourceString,targetString\n1,en,es,\"contagious, very\",contagioso\n",
			[]Term{{"contagious, very", []string{"contagioso"}}}},
		{"csv without header", "vaccine,vacuna\n", []Term{{"vaccine", []string{"vacuna"}}}},
		{"utf-16 with BOM", utf16le("vaccine\tvacuna\n"), []Term{{"vaccine", []string{"vacuna"}}}},
		{"utf-8 BOM", "\ufeffsource,target\nvirus,virus\n", []Term{{"virus", []string{"virus"}}}},
	}
	for _, tt := range tests {
		got, err := ReadTerms(strings.NewReader(tt.in), "terms")
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: ReadTerms = %+v, %v; want %+v", tt.name, got, err, tt.want)
		}
	}
	bad := []struct {
		name, in, msg string
		line          int
	}{
		{"empty", "", "file is empty", 0},
		{"blank", " \n\n", "file is empty", 0},
		{"one column", "vaccine\tvacuna\nmask\n", "found 1 column", 2},
		{"csv one column", "source,target\nvirus,virus\nmask\n", "found 1 column", 3},
		{"header only", "source\ttarget\n", "no source/target term pairs", 0},
		{"unterminated quote", "a,b\n\"x,y\n", "found 1 column", 2},
	}
	for _, tt := range bad {
		_, err := ReadTerms(strings.NewReader(tt.in), "g.tsv")
		var pe *corpora.ParseError
		if !errors.As(err, &pe) || !strings.Contains(err.Error(), tt.msg) || pe.File != "g.tsv" || (tt.line > 0 && pe.Line != tt.line) {
			t.Errorf("%s: ReadTerms error = %v (%+v), want a ParseError at line %d saying %q", tt.name, err, pe, tt.line, tt.msg)
		}
	}
}

func TestReadTermsSharedData(t *testing.T) {
	tests := []struct {
		file        string
		terms       int
		first, last Term
		multi       Term
	}{
		{"tico19/f_en-es_XX.csv", 306,
			Term{"1918 flu", []string{"La gripe de 1918"}}, Term{"Wuhan", []string{"Wuhan"}}, Term{}},
		{"tico19/g_en_es-419.csv", 327,
			Term{"contagious", []string{"contagioso"}}, Term{"zoonotic virus", []string{"virus zoonótico"}},
			Term{"CDC", []string{"CDC", "Centros para el Control y la Prevención de Enfermedades"}}},
		{"gettext/en-es.iso-codes.tsv", 1060,
			Term{"Anatolian Hieroglyphs (Luwian Hieroglyphs, Hittite Hieroglyphs)", []string{"jeroglíficos de Anatolia (jeroglíficos luvitas, jeroglíficos hititas)"}},
			Term{}, Term{"Arabic", []string{"árabe", "Árábe"}}},
	}
	for _, tt := range tests {
		f, err := os.Open(testenv.SharedData(t, tt.file))
		mustNoErr(t, err)
		terms, err := ReadTerms(f, tt.file)
		f.Close()
		mustNoErr(t, err)
		if len(terms) != tt.terms || !reflect.DeepEqual(terms[0], tt.first) {
			t.Errorf("%s: %d terms, first %+v; want %d, %+v", tt.file, len(terms), terms[0], tt.terms, tt.first)
		}
		if tt.last.Source != "" && !reflect.DeepEqual(terms[len(terms)-1], tt.last) {
			t.Errorf("%s: last %+v, want %+v", tt.file, terms[len(terms)-1], tt.last)
		}
		if tt.multi.Source != "" {
			found := false
			for _, term := range terms {
				if term.Source == tt.multi.Source {
					found = reflect.DeepEqual(term, tt.multi)
				}
			}
			if !found {
				t.Errorf("%s: no %+v", tt.file, tt.multi)
			}
		}
	}
}
