package po

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
)

// readAll reads every unit of a PO file.
func readAll(t testing.TB, data []byte, opts ReaderOptions) ([]*corpora.Unit, *Reader) {
	t.Helper()
	r, err := NewReaderOptions(bytes.NewReader(data), opts)
	if err != nil {
		t.Fatalf("NewReader(%s): %v", opts.Name, err)
	}
	var us []*corpora.Unit
	for {
		u, err := r.Next()
		if err == io.EOF {
			return us, r
		}
		if err != nil {
			t.Fatalf("Next(%s) after %d units: %v", opts.Name, len(us), err)
		}
		us = append(us, u)
	}
}

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// plurals makes plural forms.
func plurals(ss ...string) []corpora.Segment {
	var out []corpora.Segment
	for _, s := range ss {
		out = append(out, corpora.Text(s))
	}
	return out
}

// unitSummary is what tests compare of a unit.
type unitSummary struct {
	ID, Context, Source, Target string
	Status                      corpora.Status
	Line                        int
}

func summarize(us []*corpora.Unit) []unitSummary {
	var out []unitSummary
	for _, u := range us {
		out = append(out, unitSummary{u.ID, u.Context, u.Source.Plain(), u.Target.Plain(), u.Status, u.Origin.Line})
	}
	return out
}

func TestReadSample(t *testing.T) {
	data := readFile(t, "testdata/sample.po")
	us, r := readAll(t, data, ReaderOptions{ReadOptions: corpora.ReadOptions{Name: "sample.po"}})

	want := []unitSummary{
		{"_Open", "", "_Open", "_Abrir", corpora.StatusTranslated, 19},
		{"verb\x04Close", "verb", "Close", "Cerrar", corpora.StatusTranslated, 24},
		{"%d file was deleted", "", "%d file was deleted", "Se borró %d archivo", corpora.StatusTranslated, 31},
		{"Cannot open “%s”: %s", "", "Cannot open “%s”: %s", "No se puede abrir %s", corpora.StatusDraft, 38},
		{"Untranslated string", "", "Untranslated string", "", corpora.StatusUntranslated, 43},
		{
			"A long message that goes on for more than one line, so that msgcat breaks it.\nSecond line\twith a tab, \"quotes\" and a backslash \\.\n", "",
			"A long message that goes on for more than one line, so that msgcat breaks it.\nSecond line\twith a tab, \"quotes\" and a backslash \\.\n",
			"Un mensaje largo que sigue durante más de una línea, para que msgcat lo parta.\nSegunda línea\tcon un tabulador, «comillas» y una barra inversa \\.\n",
			corpora.StatusTranslated, 46,
		},
		{"A no-wrap message that is longer than seventy-nine columns and stays on one line", "",
			"A no-wrap message that is longer than seventy-nine columns and stays on one line",
			"Un mensaje sin partir que tiene más de setenta y nueve columnas y sigue en una línea",
			corpora.StatusTranslated, 56},
		{"menu\x04Quit", "menu", "Quit", "Salir", corpora.StatusTranslated, 60},
	}
	if got := summarize(us); !reflect.DeepEqual(got, want) {
		t.Fatalf("units:\n%+v\nwant\n%+v", got, want)
	}
	for i, u := range us {
		if u.Origin.Index != i || u.Origin.File != "sample.po" {
			t.Errorf("unit %d: Origin = %+v", i, u.Origin)
		}
		if u.SourceLang != language.English || u.TargetLang != language.MustParse("es-ES") {
			t.Errorf("unit %d: languages %s → %s, want en → es-ES", i, u.SourceLang, u.TargetLang)
		}
		if u.Domain != "kgmem-test" {
			t.Errorf("unit %d: Domain = %q, want kgmem-test", i, u.Domain)
		}
		if u.ChangedBy != "Ana Pérez <ana@example.org>" {
			t.Errorf("unit %d: ChangedBy = %q", i, u.ChangedBy)
		}
		if want := time.Date(2024, 3, 4, 4, 6, 0, 0, time.UTC); !u.Changed.Equal(want) {
			t.Errorf("unit %d: Changed = %v, want %v", i, u.Changed, want)
		}
	}

	g := us[0].Gettext
	if !reflect.DeepEqual(g.Extracted, []string{`TRANSLATORS: the verb, as in "open the file".`}) ||
		!reflect.DeepEqual(g.References, []string{"src/menu.c:12", "src/toolbar.c:40"}) {
		t.Errorf("unit 0: Extracted %q, References %q", g.Extracted, g.References)
	}
	if n := us[1].Notes; !reflect.DeepEqual(n, []string{"Not the adjective.\nSecond line of the note."}) {
		t.Errorf("unit 1: Notes = %q", n)
	}
	g = us[2].Gettext
	if g.SourcePlural.Plain() != "%d files were deleted" || !reflect.DeepEqual(g.TargetPlurals, plurals("Se borraron %d archivos")) ||
		!reflect.DeepEqual(g.Flags, []string{"c-format"}) {
		t.Errorf("unit 2: plural %q, forms %v, flags %q", g.SourcePlural, g.TargetPlurals, g.Flags)
	}
	g = us[3].Gettext
	if g.PrevSource != "Cannot open %s" || !reflect.DeepEqual(g.Flags, []string{"c-format"}) {
		t.Errorf("unit 3: PrevSource %q, Flags %q", g.PrevSource, g.Flags)
	}
	if g := us[6].Gettext; !reflect.DeepEqual(g.Flags, []string{"no-wrap"}) {
		t.Errorf("unit 6: Flags %q", g.Flags)
	}

	h := r.Header()
	if h == nil || h.Get("Project-Id-Version") != "kgmem-test 1.0" || h.NPlurals() != 2 || h.Charset() != "UTF-8" {
		t.Fatalf("Header() = %+v", h)
	}
	if len(h.Comments) != 4 || h.Comments[3] != "" || h.Fuzzy {
		t.Errorf("header comments %q, fuzzy %v", h.Comments, h.Fuzzy)
	}
}

func TestReadObsolete(t *testing.T) {
	data := readFile(t, "testdata/sample.po")
	us, _ := readAll(t, data, ReaderOptions{IncludeObsolete: true})
	u := us[len(us)-1]
	if len(us) != 9 || !u.Gettext.Obsolete || u.Source.Plain() != "Old string" || u.Target.Plain() != "Cadena antigua" || u.Origin.Line != 64 {
		t.Fatalf("last unit = %+v (of %d)", u, len(us))
	}
}

func TestReadCases(t *testing.T) {
	sjisTable, _ := japanese.ShiftJIS.NewEncoder().String("表示")
	latin1, _ := charmap.ISO8859_1.NewEncoder().String("Última versión")
	utf16 := func(s string) string {
		b, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(s)
		return b
	}
	tests := []struct {
		name string
		file string // file name, for language guessing
		opts corpora.ReadOptions
		in   string
		want []unitSummary
		lang string // target language; "" for und
		src  string // source language; "" for en
	}{
		{
			name: "no header, language from the file name",
			file: "po/pt_BR.po",
			in:   "msgid \"a\"\nmsgstr \"b\"\n",
			want: []unitSummary{{"a", "", "a", "b", corpora.StatusTranslated, 1}},
			lang: "pt-BR",
		},
		{
			name: "program name is not a language",
			file: "git.po",
			in:   "msgid \"a\"\nmsgstr \"b\"\n",
			want: []unitSummary{{"a", "", "a", "b", corpora.StatusTranslated, 1}},
		},
		{
			name: "POSIX locale with modifier",
			in:   "msgid \"\"\nmsgstr \"Language: sr@latin\\n\"\n\nmsgid \"a\"\nmsgstr \"b\"\n",
			want: []unitSummary{{"a", "", "a", "b", corpora.StatusTranslated, 4}},
			lang: "sr-Latn",
		},
		{
			name: "source language from the options",
			opts: corpora.ReadOptions{SourceLang: language.German, TargetLang: language.French},
			in:   "msgid \"Datei\"\nmsgstr \"Fichier\"\n",
			want: []unitSummary{{"Datei", "", "Datei", "Fichier", corpora.StatusTranslated, 1}},
			lang: "fr", src: "de",
		},
		{
			name: "keyword and string on separate lines, several strings on a line",
			in:   "msgid\n\"a\" \"b\"\n  \"c\"\nmsgstr \"x\"\"y\"\n",
			want: []unitSummary{{"abc", "", "abc", "xy", corpora.StatusTranslated, 1}},
		},
		{
			name: "every escape",
			in:   `msgid "\a\b\f\n\r\t\v\"\\\101\x42\x4a\303\251"` + "\nmsgstr \"\"\n",
			want: []unitSummary{{"\a\b\f\n\r\t\v\"\\ABJé", "", "\a\b\f\n\r\t\v\"\\ABJé", "", corpora.StatusUntranslated, 1}},
		},
		{
			name: "CRLF line ends, no blank lines between entries",
			in:   "msgid \"a\"\r\nmsgstr \"b\"\r\nmsgid \"c\"\r\nmsgstr \"d\"\r\n",
			want: []unitSummary{{"a", "", "a", "b", corpora.StatusTranslated, 1}, {"c", "", "c", "d", corpora.StatusTranslated, 3}},
		},
		{
			name: "empty msgctxt is a context",
			in:   "msgctxt \"\"\nmsgid \"a\"\nmsgstr \"b\"\n",
			want: []unitSummary{{"\x04a", "", "a", "b", corpora.StatusTranslated, 1}},
		},
		{
			name: "fuzzy without a translation is untranslated",
			in:   "#, fuzzy\nmsgid \"a\"\nmsgstr \"\"\n",
			want: []unitSummary{{"a", "", "a", "", corpora.StatusUntranslated, 1}},
		},
		{
			name: "trailing comments belong to no entry",
			in:   "msgid \"a\"\nmsgstr \"b\"\n\n# the end\n",
			want: []unitSummary{{"a", "", "a", "b", corpora.StatusTranslated, 1}},
		},
		{
			name: "ISO-8859-1 catalog",
			in:   "msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=ISO-8859-1\\n\"\n\nmsgid \"Latest version\"\nmsgstr \"" + latin1 + "\"\n",
			want: []unitSummary{{"Latest version", "", "Latest version", "Última versión", corpora.StatusTranslated, 4}},
		},
		{
			// 表 is 0x95 0x5C in Shift_JIS: its second byte is a backslash.
			name: "Shift_JIS catalog with a backslash as a second byte",
			in:   "msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=Shift_JIS\\n\"\n\nmsgid \"Show\"\nmsgstr \"" + sjisTable + "\"\n",
			want: []unitSummary{{"Show", "", "Show", "表示", corpora.StatusTranslated, 4}},
		},
		{
			name: "UTF-16 with a byte order mark",
			in:   utf16("msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=ISO-8859-1\\n\"\n\nmsgid \"a\"\nmsgstr \"ñ\"\n"),
			want: []unitSummary{{"a", "", "a", "ñ", corpora.StatusTranslated, 4}},
		},
		{
			name: "UTF-8 byte order mark",
			in:   "\xEF\xBB\xBFmsgid \"a\"\nmsgstr \"ñ\"\n",
			want: []unitSummary{{"a", "", "a", "ñ", corpora.StatusTranslated, 1}},
		},
		{
			name: "template placeholder charset reads as UTF-8",
			in:   "#, fuzzy\nmsgid \"\"\nmsgstr \"Content-Type: text/plain; charset=CHARSET\\n\"\n\nmsgid \"ü\"\nmsgstr \"\"\n",
			want: []unitSummary{{"ü", "", "ü", "", corpora.StatusUntranslated, 5}},
		},
		{
			name: "obsolete header and entries are left out",
			in:   "msgid \"a\"\nmsgstr \"b\"\n\n#~ msgid \"\"\n#~ msgstr \"Language: de\\n\"\n\n#~ msgid \"x\"\n#~ msgstr \"y\"\n",
			want: []unitSummary{{"a", "", "a", "b", corpora.StatusTranslated, 1}},
		},
		{
			name: "comments of an obsolete entry and #~| previous",
			in:   "msgid \"a\"\nmsgstr \"b\"\n\n# note\n#~| msgid \"old\"\n#~ msgid \"x\"\n#~ msgstr \"y\"\n",
			want: []unitSummary{{"a", "", "a", "b", corpora.StatusTranslated, 1}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := tt.opts
			opts.Name = tt.file
			us, _ := readAll(t, []byte(tt.in), ReaderOptions{ReadOptions: opts})
			if got := summarize(us); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("units:\n%+v\nwant\n%+v", got, tt.want)
			}
			for _, u := range us {
				lang, src := language.Und, language.English
				if tt.lang != "" {
					lang = language.MustParse(tt.lang)
				}
				if tt.src != "" {
					src = language.MustParse(tt.src)
				}
				if u.TargetLang != lang || u.SourceLang != src {
					t.Errorf("%q: languages %s → %s, want %s → %s", u.ID, u.SourceLang, u.TargetLang, src, lang)
				}
			}
		})
	}
}

func TestReadDomainDirective(t *testing.T) {
	in := "msgid \"\"\nmsgstr \"Project-Id-Version: foo 1.2\\n\"\n\nmsgid \"a\"\nmsgstr \"b\"\n\n# dropped\ndomain \"other\"\n\nmsgid \"c\"\nmsgstr \"d\"\n"
	us, _ := readAll(t, []byte(in), ReaderOptions{})
	if len(us) != 2 || us[0].Domain != "foo" || us[1].Domain != "other" || len(us[1].Notes) != 0 {
		t.Fatalf("domains %q %q, notes %q", us[0].Domain, us[1].Domain, us[1].Notes)
	}
}

func TestReadLanguageMismatch(t *testing.T) {
	in := "msgid \"\"\nmsgstr \"Language: de\\n\"\n\nmsgid \"a\"\nmsgstr \"b\"\n"
	for _, lenient := range []bool{false, true} {
		_, err := NewReader(strings.NewReader(in), corpora.ReadOptions{Name: "de.po", TargetLang: language.French, Lenient: lenient})
		var pe *corpora.ParseError
		if !errors.As(err, &pe) || !errors.Is(err, corpora.ErrNotBilingual) || pe.Line != 1 {
			t.Errorf("lenient=%v: err = %v, want a ParseError on line 1 wrapping ErrNotBilingual", lenient, err)
		}
	}
	// A catalog in a variant of the language asked for passes.
	in = strings.Replace(in, "de", "fr_CA", 1)
	us, _ := readAll(t, []byte(in), ReaderOptions{ReadOptions: corpora.ReadOptions{TargetLang: language.French}})
	if len(us) != 1 || us[0].TargetLang != language.MustParse("fr-CA") {
		t.Errorf("units %+v", us)
	}
}

func TestReadErrors(t *testing.T) {
	hdr := "msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n\n"
	tests := []struct {
		name string
		in   string
		line int
		col  int // 0: not checked
		msg  string
	}{
		{"empty file", "", 0, 0, "file is empty"},
		{"blank lines only", "\n  \n\t\n", 0, 0, "file is empty"},
		{"comments only", "# just a comment\n#, fuzzy\n", 0, 0, "no entries"},
		{"unterminated string", "msgid \"abc\nmsgstr \"\"\n", 1, 11, "unterminated string"},
		{"line ends in a backslash", "msgid \"abc\\\nmsgstr \"\"\n", 1, 11, "ends in a backslash"},
		{"bad escape", "msgid \"a\\qb\"\nmsgstr \"\"\n", 1, 9, `invalid escape sequence \q`},
		{"NUL escape", "msgid \"a\\0\"\nmsgstr \"\"\n", 1, 9, "NUL"},
		{"hex escape without digits", "msgid \"a\\xg\"\nmsgstr \"\"\n", 1, 9, `\x needs hex digits`},
		{"hex escape too large", "msgid \"a\\x141\"\nmsgstr \"\"\n", 1, 9, "larger than a byte"},
		{"octal escape too large", "msgid \"a\\777\"\nmsgstr \"\"\n", 1, 9, "larger than a byte"},
		{"raw NUL byte", "msgid \"a\x00\"\nmsgstr \"\"\n", 1, 9, "NUL byte"},
		{"msgstr without msgid", hdr + "msgstr \"b\"\n", 4, 0, "msgstr without msgid"},
		{"duplicate msgid", hdr + "msgid \"a\"\nmsgid \"b\"\nmsgstr \"c\"\n", 5, 0, "duplicate msgid"},
		{"duplicate msgstr", hdr + "msgid \"a\"\nmsgstr \"b\"\nmsgstr \"c\"\n", 6, 0, "duplicate msgstr"},
		{"duplicate msgctxt", hdr + "msgctxt \"a\"\nmsgctxt \"b\"\nmsgid \"c\"\nmsgstr \"\"\n", 5, 0, "duplicate msgctxt"},
		{"msgstr[n] out of order", hdr + "msgid \"a\"\nmsgid_plural \"as\"\nmsgstr[0] \"x\"\nmsgstr[2] \"y\"\n", 7, 0, "msgstr[2] out of order; expected msgstr[1]"},
		{"msgstr[n] without msgid_plural", hdr + "msgid \"a\"\nmsgstr[0] \"x\"\n", 5, 0, "without msgid_plural"},
		{"plain msgstr in a plural entry", hdr + "msgid \"a\"\nmsgid_plural \"as\"\nmsgstr \"x\"\n", 6, 0, "needs msgstr[0]"},
		{"text after a string", hdr + "msgid \"a\" b\nmsgstr \"\"\n", 4, 11, "unexpected text after the string"},
		{"unknown keyword", hdr + "msgfoo \"a\"\n", 4, 1, `unknown keyword "msgfoo"`},
		{"keyword glued to text", hdr + "msgidx \"a\"\n", 4, 1, `unknown keyword "msgidx"`},
		{"keyword without a string", hdr + "msgid \"a\"\nmsgstr\n\nmsgid \"b\"\nmsgstr \"\"\n", 5, 0, "msgstr has no string"},
		{"string without a keyword", hdr + "\"a\"\n", 4, 0, "string without a keyword"},
		{"file ends before msgstr", hdr + "msgid \"a\"\n", 4, 0, "without msgstr"},
		{"comment inside an entry", hdr + "msgid \"a\"\n# comment\nmsgstr \"\"\n", 5, 0, "comment inside the entry"},
		{"obsolete and active lines mixed", hdr + "#~ msgid \"a\"\nmsgstr \"b\"\n", 5, 0, "mixed"},
		{"invalid UTF-8", hdr + "msgid \"a\"\nmsgstr \"\xff\"\n", 5, 0, "invalid UTF-8 byte 0xff"},
		{"invalid UTF-8 on a continuation line", hdr + "msgid \"a\"\nmsgstr \"\"\n\"ok\"\n\"\xc3\"\n", 7, 0, "invalid UTF-8"},
		{"invalid UTF-8 in a comment", hdr + "# caf\xe9\nmsgid \"a\"\nmsgstr \"\"\n", 4, 0, "invalid UTF-8 byte 0xe9"},
		{"invalid bytes for Shift_JIS", "msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=Shift_JIS\\n\"\n\nmsgid \"a\"\nmsgstr \"\x81\x20\"\n", 5, 0, "not valid in the declared charset Shift_JIS"},
		{"unsupported charset", "msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=KLINGON\\n\"\n\nmsgid \"a\"\nmsgstr \"\"\n", 2, 0, "charset KLINGON is not supported"},
		{"second header", hdr + "msgid \"\"\nmsgstr \"Language: es\\n\"\n", 4, 0, "second header entry"},
		{"previous after msgid", hdr + "msgid \"a\"\n#| msgid \"b\"\nmsgstr \"\"\n", 5, 0, "previous values go before"},
		{"previous msgstr", hdr + "#| msgstr \"b\"\nmsgid \"a\"\nmsgstr \"\"\n", 4, 0, "only msgctxt, msgid and msgid_plural"},
		{"binary junk", "\x89PNG\r\n\x1a\n\x00\x00", 1, 0, "unexpected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			r, err := NewReader(strings.NewReader(tt.in), corpora.ReadOptions{Name: "bad.po"})
			for err == nil {
				_, err = r.Next()
			}
			var pe *corpora.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error = %v (%T), want a *corpora.ParseError", err, err)
			}
			if pe.Line != tt.line || tt.col != 0 && pe.Col != tt.col || pe.File != "bad.po" || pe.Offset != -1 {
				t.Errorf("error at %s:%d:%d (offset %d), want line %d col %d: %v", pe.File, pe.Line, pe.Col, pe.Offset, tt.line, tt.col, err)
			}
			if !strings.Contains(pe.Err.Error(), tt.msg) {
				t.Errorf("error = %q, want it to say %q", pe.Err, tt.msg)
			}
			if r != nil {
				if _, again := r.Next(); again != err && !(errors.Is(again, io.EOF) && err == io.EOF) {
					t.Errorf("Next after the error = %v, want the same error", again)
				}
			}
		})
	}
}

func TestReadLimits(t *testing.T) {
	long := "msgid \"" + strings.Repeat("x", 5000) + "\"\nmsgstr \"\"\n"
	many := "msgid \"a\"\nmsgstr \"\"\n" + strings.Repeat("\""+strings.Repeat("y", 100)+"\"\n", 60)
	for name, in := range map[string]string{"long line": long, "many lines": many} {
		t.Run(name, func(t *testing.T) {
			r, err := NewReader(strings.NewReader(in), corpora.ReadOptions{Limits: corpora.Limits{MaxUnitBytes: 4096}})
			if err == nil {
				_, err = r.Next()
			}
			if !errors.Is(err, corpora.ErrTooLarge) {
				t.Fatalf("err = %v, want ErrTooLarge", err)
			}
			var pe *corpora.ParseError
			if !errors.As(err, &pe) || pe.Line == 0 {
				t.Errorf("err = %#v, want a ParseError with a line", err)
			}
		})
	}
}

func TestReadLenient(t *testing.T) {
	in := `msgid ""
msgstr "Language: es\n"

msgid "one"
msgstr "uno"

msgid "bad \q escape"
msgstr "malo"
"more"

msgid "two"
msgid "three"
msgstr "tres"

msgid "four"
msgstr[0] "cuatro"

msgid "five"
msgstr "cinco"
garbage here
"and more"

# a comment
msgid "six"
msgstr "seis` + "\xff" + `"

msgid "` + strings.Repeat("z", 300) + `"
msgstr ""

msgid "seven"
msgstr "siete"
`
	var skips []corpora.Skip
	opts := corpora.ReadOptions{Name: "l.po", Lenient: true, OnSkip: func(s corpora.Skip) { skips = append(skips, s) }, Limits: corpora.Limits{MaxUnitBytes: 256}}
	us, _ := readAll(t, []byte(in), ReaderOptions{ReadOptions: opts})
	var got []string
	for _, u := range us {
		got = append(got, u.Source.Plain()+"="+u.Target.Plain())
	}
	want := []string{"one=uno", "three=tres", "seven=siete"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("units %q, want %q", got, want)
	}
	var lines []int
	for _, s := range skips {
		lines = append(lines, s.Line)
		if s.File != "l.po" || s.Reason == "" {
			t.Errorf("skip %+v", s)
		}
	}
	// bad escape, msgid without msgstr, msgstr[0] without plural, text
	// after a string (the entry "five"), invalid UTF-8 (from its line),
	// the line over the limit.
	if wantLines := []int{7, 12, 16, 20, 25, 27}; !reflect.DeepEqual(lines, wantLines) {
		t.Errorf("skips on lines %v, want %v: %v", lines, wantLines, skips)
	}
	if us[2].Origin.Index != 2 || us[2].Origin.Line != 30 {
		t.Errorf("last unit origin %+v", us[2].Origin)
	}
}

func TestSniff(t *testing.T) {
	utf16 := func(s string) []byte {
		b, _ := unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewEncoder().Bytes([]byte(s))
		return b
	}
	tests := []struct {
		name string
		head []byte
		want bool
	}{
		{"sample", readFile(t, "testdata/sample.po"), true},
		{"template", []byte("# SOME DESCRIPTIVE TITLE.\n#, fuzzy\nmsgid \"\"\nmsgstr \"\"\n"), true},
		{"comments only, gettext ones", []byte("# Copyright\n#: src/a.c:1\n#, c-format\n"), true},
		{"msgctxt first", []byte("msgctxt \"a\"\nmsgid \"b\"\n"), true},
		{"UTF-16 without BOM", utf16("msgid \"a\"\nmsgstr \"b\"\n"), true},
		{"shell script", []byte("#!/bin/sh\n# msgid\necho hi\n"), false},
		{"properties", []byte("# comment\nkey=value\n"), false},
		{"TSV", []byte("msgid\tmsgstr\nfoo\tbar\n"), false},
		{"XML", []byte("<?xml version=\"1.0\"?>\n<tmx/>"), false},
		{"MO", []byte{0xde, 0x12, 0x04, 0x95, 0, 0, 0, 0}, false},
		{"empty", nil, false},
	}
	for _, tt := range tests {
		if got := Sniff(tt.head); got != tt.want {
			t.Errorf("Sniff(%s) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestHeader(t *testing.T) {
	raw := "Content-Type: text/plain; charset=iso-8859-15\nPlural-Forms:  nplurals=3; plural=(n%10==1);\nno colon\n\nLanguage:pt_BR\nodd line: with a colon"
	h := newHeader(raw)
	if h.Charset() != "iso-8859-15" || h.NPlurals() != 3 || h.Get("plural-forms") != "nplurals=3; plural=(n%10==1);" {
		t.Errorf("header %+v", h)
	}
	if l, err := h.Language(); err != nil || l != language.MustParse("pt-BR") {
		t.Errorf("Language() = %v, %v", l, err)
	}
	if got := h.text(); got != raw {
		t.Errorf("text() = %q, want it as read", got)
	}
	h.Set("Language", "es")
	h.Set("X-New", "1")
	if h.Get("Language") != "es" || h.Fields[len(h.Fields)-1].Name != "X-New" {
		t.Errorf("after Set: %+v", h.Fields)
	}
	want := "Content-Type: text/plain; charset=iso-8859-15\nPlural-Forms:  nplurals=3; plural=(n%10==1);\nno colon\n\nLanguage: es\nodd line: with a colon\nX-New: 1\n"
	if got := h.text(); got != want {
		t.Errorf("text() after Set = %q, want %q", got, want)
	}
	for _, tt := range []struct{ in, want string }{
		{"GNU coreutils 8.23-pre1", "GNU coreutils"}, {"git", "git"}, {"PACKAGE VERSION", ""}, {"gtk+ v2.24", "gtk+"},
	} {
		if got := projectDomain(tt.in); got != tt.want {
			t.Errorf("projectDomain(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestReadSharedMemory checks the MO reader against the shared gettext
// memory, which was extracted from the same Debian catalogs.
func TestReadSharedMemory(t *testing.T) {
	tsv := readFile(t, sharedData(t, "gettext", "en-es.memory.tsv"))
	dir := "/usr/share/locale/es/LC_MESSAGES"
	domains := []string{"coreutils", "grep", "tar", "sed", "wget"}
	want := map[string]map[string]string{} // domain → source → target
	for _, ln := range strings.Split(string(tsv), "\n")[1:] {
		f := strings.Split(ln, "\t")
		if len(f) != 3 {
			continue
		}
		if want[f[0]] == nil {
			want[f[0]] = map[string]string{}
		}
		unesc := strings.NewReplacer(`\t`, "\t", `\n`, "\n", `\\`, `\`)
		want[f[0]][unesc.Replace(f[1])] = unesc.Replace(f[2])
	}
	for _, d := range domains {
		t.Run(d, func(t *testing.T) {
			name := filepath.Join(dir, d+".mo")
			if _, err := os.Stat(name); err != nil {
				skipOrFail(t, "%s is not installed", name)
			}
			us := readMOFile(t, name, corpora.ReadOptions{Name: name})
			got := map[string]string{}
			for _, u := range us {
				if u.Domain != d || u.TargetLang != language.Spanish || u.Status != corpora.StatusTranslated {
					t.Fatalf("unit %q: domain %q, lang %s, status %s", u.ID, u.Domain, u.TargetLang, u.Status)
				}
				got[u.Source.Plain()] = u.Target.Plain()
				if g := u.Gettext; !g.SourcePlural.IsEmpty() && len(g.TargetPlurals) > 0 {
					// The memory has a plural entry's plural as a pair too.
					got[g.SourcePlural.Plain()] = g.TargetPlurals[0].Plain()
				}
			}
			w := want[d]
			if len(w) < 50 {
				t.Fatalf("shared memory has %d pairs of %s", len(w), d)
			}
			missing := 0
			for src, tgt := range w {
				if g, ok := got[src]; !ok || g != tgt {
					missing++
					if missing < 4 {
						t.Errorf("pair %q → %q: read %q (%v)", src, tgt, g, ok)
					}
				}
			}
			if missing > 0 {
				t.Errorf("%d of %d shared pairs not read from %s", missing, len(w), name)
			}
		})
	}
}

// TestLenientAdjacentBadEntries: two bad entries in a row are two skips,
// each at its own line, and the good entry before them is kept (a stray
// msgstr after a complete entry used to take that entry with it).
func TestLenientAdjacentBadEntries(t *testing.T) {
	good := "msgid \"One\"\nmsgstr \"Uno\"\n\n"
	last := "\nmsgid \"Four\"\nmsgstr \"Cuatro\"\n"
	tests := []struct {
		name  string
		bad   string
		lines []int
	}{
		{"unterminated strings", "msgid \"Two\nmsgstr \"Dos\"\n\nmsgid \"Three\nmsgstr \"Tres\"\n", []int{4, 7}},
		{"msgstr without msgid", "msgstr \"Dos\"\n\nmsgstr \"Tres\"\n", []int{4, 6}},
		{"strings without keyword", "\"Dos\"\n\n\"Tres\"\n", []int{4, 6}},
		{"unknown keywords", "msgid \"Two\"\ngarbage\nmsgstr \"Dos\"\n\nmsgid \"Three\"\ngarbage\nmsgstr \"Tres\"\n", []int{5, 9}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var skips []corpora.Skip
			r, err := NewReader(strings.NewReader(good+tt.bad+last), corpora.ReadOptions{Lenient: true, OnSkip: func(s corpora.Skip) { skips = append(skips, s) }})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for {
				u, err := r.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, u.Source.Plain())
			}
			if strings.Join(got, ",") != "One,Four" {
				t.Errorf("units = %q, want One and Four", got)
			}
			var lines []int
			for _, s := range skips {
				lines = append(lines, s.Line)
			}
			if fmt.Sprint(lines) != fmt.Sprint(tt.lines) {
				t.Errorf("skips at lines %v (%v), want %v", lines, skips, tt.lines)
			}
		})
	}
}
