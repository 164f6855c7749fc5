package glossary_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/glossary"
	"github.com/kgmem/kgmem/internal/testenv"
)

func sample(t testing.TB, elem ...string) []byte {
	t.Helper()
	data, err := os.ReadFile(testenv.SharedData(t, elem...))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func readAll(t testing.TB, r *glossary.Reader) []*corpora.TermEntry {
	t.Helper()
	var out []*corpora.TermEntry
	for {
		e, err := r.NextTerm()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("NextTerm: %v", err)
		}
		out = append(out, e)
	}
}

// pairs renders entries as "source=target" strings.
func pairs(es []*corpora.TermEntry) []string {
	var out []string
	for _, e := range es {
		s := e.Terms[0].Text
		for _, t := range e.Terms[1:] {
			s += "=" + t.Text
		}
		out = append(out, s)
	}
	return out
}

func TestReadSamples(t *testing.T) {
	und := language.Und
	tests := []struct {
		file    []string
		delim   rune
		header  []string
		entries int
		first   []string // first pairs
		check   func(t *testing.T, es []*corpora.TermEntry)
	}{
		{file: []string{"formats", "omegat", "glossaries", "test.tab"}, delim: '\t', entries: 4,
			first: []string{"kde=koo moo", "question=qqqqq", "地球システム=System Terre", "손가락=Korean Term"},
			check: func(t *testing.T, es []*corpora.TermEntry) {
				if es[2].Note != "https://fr.wikipedia.org/wiki/Science_du_syst%C3%A8me_Terre" || es[0].Note != "" {
					t.Errorf("comments = %q, %q", es[2].Note, es[0].Note)
				}
				if es[3].Origin.Line != 4 || es[0].Terms[0].Lang != und {
					t.Errorf("entry 4 = %+v", es[3])
				}
			}},
		{file: []string{"formats", "omegat", "glossaries", "test.csv"}, delim: ',', entries: 7,
			first: []string{"kde=csv kde", "question=csv q", "kde; question=comma", "kde, qu=comma dot", `"kde","q"=cdk`, `""k=k`, `zz"zz=zz`}},
		{file: []string{"formats", "omegat", "glossaries", "testUTF16LE.txt"}, delim: '\t', entries: 2,
			first: []string{"UTF=Unicode Transformation Format", "LE=Little Endian"},
			check: func(t *testing.T, es []*corpora.TermEntry) {
				if es[0].Note != "Comment #1" || es[1].Note != "Comment #2" || es[1].Origin.Line != 2 {
					t.Errorf("entries = %+v", es)
				}
			}},
		{file: []string{"formats", "omegat", "glossaries", "test-magiccomment.tab"}, delim: '\t', entries: 0},
		{file: []string{"formats", "omegat", "glossaries", "test-magiccomment-bom.tab"}, delim: '\t', entries: 0},
		{file: []string{"tico19", "f_en-es_XX.csv"}, delim: ',', entries: 306,
			header: []string{"id", "sourceLang", "targetLang", "sourceString", "targetString"},
			first:  []string{"1918 flu=La gripe de 1918", "acute bronchitis=Bronquitis aguda"},
			check: func(t *testing.T, es []*corpora.TermEntry) {
				e := es[3]
				if e.ID != "4" || e.Terms[0].Text != "AIDS" || e.Terms[1].Text != "SIDA" || e.Origin.Line != 5 ||
					e.Terms[0].Lang != language.English || e.Terms[1].Lang.String() != "es-XX" {
					t.Errorf("entry 4 = %+v", e)
				}
				if last := es[305]; last.Origin.Line != 307 {
					t.Errorf("last entry = %+v", last)
				}
			}},
		{file: []string{"tico19", "g_en_es-419.csv"}, delim: ',', entries: 337,
			header: []string{"stringID", "sourceLang", "targetLang", "pos", "description", "sourceString", "targetString"},
			first:  []string{"contagious=contagioso", "active cases=casos activos"},
			check: func(t *testing.T, es []*corpora.TermEntry) {
				cdc := es[3]
				if cdc.ID != "4" || cdc.Terms[0].Text != "CDC" || cdc.Terms[0].PartOfSpeech != "proper noun" ||
					cdc.Terms[1].Lang.String() != "es-419" ||
					!strings.HasPrefix(cdc.Definition, `Short for "Centers for Disease Control and Prevention": a US federal agency`) {
					t.Errorf("CDC = %+v", cdc)
				}
				if es[0].Terms[0].PartOfSpeech != "adjective" || es[0].Terms[1].PartOfSpeech != "adjective" {
					t.Errorf("contagious = %+v", es[0])
				}
				last := es[336]
				if last.ID != "601" || last.Terms[0].Text != "zoonotic virus" || last.Terms[1].Text != "virus zoonótico" ||
					last.Terms[0].PartOfSpeech != "" || last.Definition != "" {
					t.Errorf("last = %+v", last)
				}
			}},
	}
	for _, tt := range tests {
		name := tt.file[len(tt.file)-1]
		t.Run(name, func(t *testing.T) {
			data := sample(t, tt.file...)
			for _, opts := range []glossary.Options{
				{ReadOptions: corpora.ReadOptions{Name: name}},
				{ReadOptions: corpora.ReadOptions{Name: "no-extension"}}, // the delimiter is sniffed
			} {
				r, err := glossary.NewReaderOptions(bytes.NewReader(data), opts)
				if err != nil {
					t.Fatal(err)
				}
				if r.Delimiter() != tt.delim || strings.Join(r.Header(), ",") != strings.Join(tt.header, ",") {
					t.Errorf("%s: delimiter %q, header %q; want %q, %q", opts.Name, r.Delimiter(), r.Header(), tt.delim, tt.header)
				}
				es := readAll(t, r)
				if len(es) != tt.entries {
					t.Fatalf("%s: %d entries, want %d", opts.Name, len(es), tt.entries)
				}
				got := pairs(es)
				for i, want := range tt.first {
					if got[i] != want {
						t.Errorf("%s: entry %d = %q, want %q", opts.Name, i, got[i], want)
					}
				}
				for i, e := range es {
					if e.Origin.Index != i || e.Origin.File != opts.Name {
						t.Fatalf("entry %d origin %+v", i, e.Origin)
					}
				}
				if tt.check != nil {
					tt.check(t, es)
				}
			}
		})
	}
}

func TestEmptyFile(t *testing.T) {
	data := sample(t, "formats", "omegat", "glossaries", "empty.txt")
	_, err := glossary.NewReader(bytes.NewReader(data), corpora.ReadOptions{Name: "empty.txt"})
	var pe *corpora.ParseError
	if !errors.As(err, &pe) || !errors.Is(err, glossary.ErrEmptyFile) || pe.File != "empty.txt" || err.Error() != "empty.txt: file is empty" {
		t.Errorf("err = %v, want a ParseError wrapping ErrEmptyFile", err)
	}
}

func TestNextUnits(t *testing.T) {
	data := sample(t, "tico19", "g_en_es-419.csv")
	read := func(opts corpora.ReadOptions) ([]*corpora.Unit, error) {
		r, err := glossary.NewReader(bytes.NewReader(data), opts)
		if err != nil {
			return nil, err
		}
		var out []*corpora.Unit
		for {
			u, err := r.Next()
			if err == io.EOF {
				return out, nil
			}
			if err != nil {
				return out, err
			}
			out = append(out, u)
		}
	}
	es419 := language.MustParse("es-419")
	units, err := read(corpora.ReadOptions{Name: "g.csv", SourceLang: language.English, TargetLang: language.Spanish})
	if err != nil || len(units) != 337 {
		t.Fatalf("%d units, %v", len(units), err)
	}
	u := units[3]
	if u.Source.Plain() != "CDC" || u.SourceLang != language.English || u.TargetLang != es419 || u.ID != "4" || u.Origin.Line != 5 || u.Origin.Index != 3 {
		t.Errorf("unit = %+v", u)
	}
	if pos, _ := u.Prop("part-of-speech"); pos != "proper noun" {
		t.Errorf("part-of-speech = %q", pos)
	}
	if def, _ := u.Prop("definition"); !strings.HasPrefix(def, "Short for") {
		t.Errorf("definition = %q", def)
	}
	// Asked the other way round, lines are reversed.
	back, err := read(corpora.ReadOptions{SourceLang: es419, TargetLang: language.English})
	if err != nil || len(back) != 337 || back[0].Source.Plain() != "contagioso" || back[0].SourceLang != es419 {
		t.Errorf("es-419→en: %d units, %v, first %+v", len(back), err, back[0])
	}
	// es-ES is not es-419.
	if _, err := read(corpora.ReadOptions{SourceLang: language.English, TargetLang: language.MustParse("es-ES")}); !errors.Is(err, corpora.ErrNotBilingual) {
		t.Errorf("en→es-ES: err = %v, want ErrNotBilingual", err)
	}

	// Without languages in the file, opts supply them.
	r, err := glossary.NewReader(strings.NewReader("kde\tkoo moo\n"), corpora.ReadOptions{Name: "a.tab", SourceLang: language.English, TargetLang: language.German})
	if err != nil {
		t.Fatal(err)
	}
	u, err = r.Next()
	if err != nil || u.SourceLang != language.English || u.TargetLang != language.German || u.Target.Plain() != "koo moo" {
		t.Errorf("unit = %+v, %v", u, err)
	}
}

func TestHeaders(t *testing.T) {
	tests := []struct {
		name, in string
		header   string // "" when the first row is data
		first    string
		langs    string
	}{
		{"names", "source\ttarget\tcomment\nkde\tkoo\tc\n", "source,target,comment", "kde=koo", "und-und"},
		{"term translation", "Term,Translation,Notes\ncat,gato,n\n", "Term,Translation,Notes", "cat=gato", "und-und"},
		{"language codes", "en\tes-419\ncat\tgato\n", "en,es-419", "cat=gato", "en-es-419"},
		{"posix codes", "en_US,pt_BR\ncat,gato\n", "en_US,pt_BR", "cat=gato", "en-US-pt-BR"},
		{"three languages", "en\tes\tfr\ncat\tgato\tchat\n", "en,es,fr", "cat=gato=chat", "en-es"},
		{"source and language", "source,de\ncat,Katze\n", "source,de", "cat=Katze", "und-de"},
		{"unknown extra column", "source\ttarget\tcolour\ncat\tgato\tred\n", "source,target,colour", "cat=gato", "und-und"},
		{"words, not a header", "cat\tgato\ndog\tperro\n", "", "cat=gato", "und-und"},
		{"one known word", "term\tgato\n", "", "term=gato", "und-und"},
		{"codes and words", "en\tinglés\n", "", "en=inglés", "und-und"},
		{"three-letter words", "kde\tkoo\n", "", "kde=koo", "und-und"},
		{"same language twice", "es\tes\n", "", "es=es", "und-und"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := glossary.NewReader(strings.NewReader(tt.in), corpora.ReadOptions{Name: "x"})
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(r.Header(), ","); got != tt.header {
				t.Errorf("header = %q, want %q", got, tt.header)
			}
			es := readAll(t, r)
			if len(es) == 0 || pairs(es)[0] != tt.first {
				t.Fatalf("entries = %q, want first %q", pairs(es), tt.first)
			}
			if got := es[0].Terms[0].Lang.String() + "-" + es[0].Terms[1].Lang.String(); got != tt.langs {
				t.Errorf("languages = %s, want %s", got, tt.langs)
			}
		})
	}
	// A header must name a term column.
	_, err := glossary.NewReaderOptions(strings.NewReader("comment,note\n"), glossary.Options{Header: glossary.HeaderYes})
	if err == nil || !strings.Contains(err.Error(), ":1: the header names no term column") {
		t.Errorf("header without terms: err = %v", err)
	}
	// Forced modes.
	r, err := glossary.NewReaderOptions(strings.NewReader("source\ttarget\n"), glossary.Options{Header: glossary.HeaderNo})
	if err != nil {
		t.Fatal(err)
	}
	if es := readAll(t, r); len(es) != 1 || pairs(es)[0] != "source=target" {
		t.Errorf("HeaderNo: %q", pairs(es))
	}
}

func TestDelimiters(t *testing.T) {
	tests := []struct {
		name, in string
		delim    rune
	}{
		{"x.csv", "a\tb,c\n", ','},
		{"x.tab", "a,b\tc\n", '\t'},
		{"x.tsv", "a,b\tc\n", '\t'},
		{"x.txt", "a,b\tc\n", '\t'},
		{"x.utf8", "a,b\tc\n", '\t'},
		{"sniffed tab", "a\tb\nc\td\n", '\t'},
		{"sniffed comma", "# comment, with; stuff\na,b\n\"c, d\",e\nf;g,h\n", ','},
		{"sniffed semicolon", "a;b\nc;d\ne,f;g\n", ';'},
		{"sniffed nothing", "lonely\n", '\t'},
	}
	for _, tt := range tests {
		r, err := glossary.NewReader(strings.NewReader(tt.in), corpora.ReadOptions{Name: tt.name, Lenient: true})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if r.Delimiter() != tt.delim {
			t.Errorf("%s: delimiter %q, want %q", tt.name, r.Delimiter(), tt.delim)
		}
	}
}

func TestEncodings(t *testing.T) {
	text := "# Glossary in tab-separated format -*- coding: utf-8 -*-\r\ncafé\tcoffee\tdrink\r\n\r\nthé\ttea\r\n"
	le, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(text)
	be, _ := unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewEncoder().String(text)
	for name, in := range map[string]string{"utf-8": text, "bom": "\xEF\xBB\xBF" + text, "utf-16le bom": le, "utf-16be no bom": be} {
		r, err := glossary.NewReader(strings.NewReader(in), corpora.ReadOptions{Name: "g.txt"})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		es := readAll(t, r)
		if got := strings.Join(pairs(es), "|"); got != "café=coffee|thé=tea" || es[0].Note != "drink" || es[1].Origin.Line != 4 {
			t.Errorf("%s: %q %+v", name, got, es)
		}
	}
}

func TestBadInput(t *testing.T) {
	tests := []struct {
		name, file, in string
		line           int
		msg            string
	}{
		{"empty", "x.tab", "", 0, "file is empty"},
		{"no target", "x.tab", "kde\tkoo\nquestion\n", 2, "the line has no target term; a glossary line is source<TAB>target"},
		{"no target csv", "x.csv", "kde,koo\n\nquestion\n", 3, "the line has no target term; a glossary line is source,target"},
		{"empty target", "x.tab", "kde\t \n", 1, `the target term of "kde" is empty`},
		{"no source", "x.tab", "# c\n\tkoo\n", 2, "the line has a translation but no source term"},
		{"unclosed quote", "x.csv", "a,b\n\"c,d\ne,f\n", 2, "a quoted cell is never closed"},
		{"bad utf-8", "x.tab", "a\tb\nc\xff\td\n", 2, "not valid UTF-8"},
		{"bad language", "x.csv", "sourceLang,targetLang,source,target\nen,es,a,b\nen,!!,c,d\n", 3, `targetLang "!!" is not a language`},
		{"too long", "x.tab", "a\tb\n" + strings.Repeat("x", 9<<20) + "\tc\n", 2, "longer than"},
		{"too long quoted", "x.csv", "a,b\n\"" + strings.Repeat("x\n", 5<<20) + "\",c\n", 2, "longer than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := readErr(tt.in, corpora.ReadOptions{Name: tt.file})
			var pe *corpora.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v (%T), want a *corpora.ParseError", err, err)
			}
			if pe.File != tt.file || pe.Line != tt.line || !strings.Contains(pe.Err.Error(), tt.msg) {
				t.Errorf("err = %v; want line %d and %q", err, tt.line, tt.msg)
			}
		})
	}
}

func readErr(in string, opts corpora.ReadOptions) error {
	r, err := glossary.NewReader(strings.NewReader(in), opts)
	if err != nil {
		return err
	}
	for {
		if _, err := r.NextTerm(); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
	}
}

func TestLenient(t *testing.T) {
	in := "kde\tkoo\nquestion\nbad\xff\tx\n" + strings.Repeat("y", 70) + "\tlong\nlast\tend\n"
	var skips []corpora.Skip
	opts := corpora.ReadOptions{Name: "l.tab", Lenient: true, OnSkip: func(s corpora.Skip) { skips = append(skips, s) },
		Limits: corpora.Limits{MaxUnitBytes: 64}}
	r, err := glossary.NewReader(strings.NewReader(in), opts)
	if err != nil {
		t.Fatal(err)
	}
	es := readAll(t, r)
	if got := strings.Join(pairs(es), "|"); got != "kde=koo|last=end" {
		t.Errorf("entries = %q", got)
	}
	var lines []int
	for _, s := range skips {
		lines = append(lines, s.Line)
	}
	if len(lines) != 3 || lines[0] != 2 || lines[1] != 3 || lines[2] != 4 || skips[0].File != "l.tab" || !strings.Contains(skips[0].Reason, "no target term") {
		t.Errorf("skips = %+v", skips)
	}
	// An unclosed quote leaves nothing to resynchronise on: lenient fails too.
	if err := readErr("a,b\n\"c,d\n", corpora.ReadOptions{Name: "q.csv", Lenient: true}); err == nil || !strings.Contains(err.Error(), "never closed") {
		t.Errorf("unclosed quote, lenient: err = %v", err)
	}
}

func TestSniff(t *testing.T) {
	tests := []struct {
		head string
		want bool
	}{
		{"kde\tkoo moo\nquestion\tq\n", true},
		{"# Glossary in tab-separated format -*- coding: utf-8 -*-\n", true},
		{"id,sourceLang,targetLang,sourceString,targetString\n1,en,es,a,b\n", true},
		{"<?xml version=\"1.0\"?><tmx>", false},
		{"msgid \"a\"\nmsgstr \"b\"\n", false},
		{"just a sentence of text.\nAnd another one.\n", false},
		{"", false},
		{"\x00\x01\x02", false},
	}
	for _, tt := range tests {
		if got := glossary.Sniff([]byte(tt.head)); got != tt.want {
			t.Errorf("Sniff(%q) = %v, want %v", tt.head, got, tt.want)
		}
	}
	for _, f := range []string{"test.tab", "test.csv", "testUTF16LE.txt"} {
		if !glossary.Sniff(sample(t, "formats", "omegat", "glossaries", f)) {
			t.Errorf("Sniff(%s) = false", f)
		}
	}
}
