package tabular

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// sampleUnits are units with everything a table can hold, and the
// characters that need escaping or quoting.
func sampleUnits() []*corpora.Unit {
	en, es := language.English, language.Spanish
	return []*corpora.Unit{
		{SourceLang: en, TargetLang: es, Source: corpora.Text("Open file"), Target: corpora.Text("Abrir archivo"),
			Domain: "gtk30", ID: "open", Status: corpora.StatusApproved, Notes: []string{"menu item"},
			Props: []corpora.Prop{{Type: "pos", Value: "verb phrase"}}},
		{SourceLang: en, TargetLang: es, Source: corpora.Text("Line one\nLine two\tTabbed"),
			Target: corpora.Text("Línea uno\nLínea dos\tTabulada"), Domain: "bash"},
		{SourceLang: en, TargetLang: es, Source: corpora.Text(`Path C:\new\table and \\server`),
			Target: corpora.Text(`Ruta C:\new\table y \\server`), Domain: "win", Context: "paths"},
		{SourceLang: en, TargetLang: es, Source: corpora.Text(`He said "Hi, there"; then left.`),
			Target: corpora.Text(`Dijo «Hola, ahí»; luego se fue.`), Domain: "prose", Status: corpora.StatusDraft},
		{SourceLang: en, TargetLang: es, Source: corpora.Text("Untranslated\r\n"), Domain: "crlf"},
	}
}

// withoutContext clears the units' contexts, for columns chosen from a
// first unit without one.
func withoutContext(us []*corpora.Unit) []*corpora.Unit {
	for _, u := range us {
		u.Context = ""
	}
	return us
}

// TestWriterContext: the columns chosen from a catalog's first entry have
// a context column even when that entry has no msgctxt, and a unit whose
// context has no column is refused rather than written without it (which
// would merge it with the unit of the same source and another context).
func TestWriterContext(t *testing.T) {
	en, es := language.English, language.Spanish
	var buf bytes.Buffer
	w, _ := NewWriter(&buf, WriterOptions{})
	units := []*corpora.Unit{
		{SourceLang: en, TargetLang: es, Source: corpora.Text("Tag"), Target: corpora.Text("Etiqueta"), Gettext: &corpora.Gettext{}},
		{SourceLang: en, TargetLang: es, Source: corpora.Text("Tag"), Target: corpora.Text("Etiquetar"), Context: "verb", Gettext: &corpora.Gettext{}},
	}
	for _, u := range units {
		if err := w.Write(u); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	if got := buf.String(); !strings.HasPrefix(got, "source\ttarget\tcontext\n") || !strings.Contains(got, "Tag\tEtiquetar\tverb\n") {
		t.Errorf("catalog written as:\n%s", got)
	}
	w, _ = NewWriter(&bytes.Buffer{}, WriterOptions{})
	if err := w.Write(&corpora.Unit{Source: corpora.Text("Tag"), Target: corpora.Text("Etiqueta")}); err != nil {
		t.Fatal(err)
	}
	if err := w.Write(&corpora.Unit{Source: corpora.Text("Tag"), Target: corpora.Text("Etiquetar"), Context: "verb"}); err == nil || !strings.Contains(err.Error(), "context") {
		t.Errorf("Write(unit with a context, no context column) = %v, want an error about the context", err)
	}
}

func TestWriterGolden(t *testing.T) {
	all := []string{ColSource, ColTarget, ColDomain, ColID, ColContext, ColNote, ColStatus, ColSourceLang, ColTargetLang, "pos"}
	tests := []struct {
		name  string
		opts  WriterOptions
		units []*corpora.Unit
	}{
		{name: "default.tsv", units: withoutContext(sampleUnits())},
		{name: "langs.tsv", opts: WriterOptions{SourceLang: language.English, TargetLang: language.Spanish, Columns: []string{ColSource, ColTarget}}, units: sampleUnits()},
		{name: "all-columns.tsv", opts: WriterOptions{Columns: all}, units: sampleUnits()},
		{name: "no-header.tsv", opts: WriterOptions{NoHeader: true, Columns: []string{ColSource, ColTarget}}, units: sampleUnits()},
		{name: "default.csv", opts: WriterOptions{Delimiter: ','}, units: withoutContext(sampleUnits())},
		{name: "all-columns-semicolon.csv", opts: WriterOptions{Delimiter: ';', Columns: all}, units: sampleUnits()},
		{name: "empty.tsv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			w, err := NewWriter(&buf, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range tt.units {
				if err := w.Write(u); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "golden", tt.name)
			if *update {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("output differs from %s (go test -update rewrites it):\n%s", golden, buf.Bytes())
			}
		})
	}
}

// unitsEqual compares what a table keeps of two units.
func unitsEqual(a, b *corpora.Unit) bool {
	if !a.Source.Equal(b.Source) || !a.Target.Equal(b.Target) || a.ID != b.ID || a.Domain != b.Domain ||
		a.Context != b.Context || a.Status != b.Status || a.SourceLang != b.SourceLang || a.TargetLang != b.TargetLang ||
		strings.Join(a.Notes, "\x00") != strings.Join(b.Notes, "\x00") || !propsEqual(a.Props, b.Props) {
		return false
	}
	return true
}

func TestWriterRoundTrip(t *testing.T) {
	all := []string{ColSource, ColTarget, ColDomain, ColID, ColContext, ColNote, ColStatus, ColSourceLang, ColTargetLang, "pos"}
	tests := []struct {
		name  string
		wopts WriterOptions
		ropts corpora.ReadOptions
		topts TableOptions
	}{
		{name: "tsv all columns", wopts: WriterOptions{Columns: all}},
		{name: "tsv languages in header", wopts: WriterOptions{Columns: []string{ColSource, ColTarget, ColDomain, ColID, ColContext, ColNote, ColStatus, "pos"},
			SourceLang: language.English, TargetLang: language.Spanish}},
		{name: "tsv no header, escapes said", wopts: WriterOptions{NoHeader: true, Columns: all}, topts: TableOptions{Header: HeaderNo, Escapes: EscapesOn}},
		{name: "csv all columns", wopts: WriterOptions{Delimiter: ',', Columns: all}},
		{name: "csv semicolon", wopts: WriterOptions{Delimiter: ';', Columns: all}},
		{name: "csv escaped", wopts: WriterOptions{Delimiter: ',', Columns: all, Escapes: EscapesOn}, topts: TableOptions{Escapes: EscapesOn}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			units := sampleUnits()
			if tt.wopts.Delimiter != 0 && tt.wopts.Escapes != EscapesOn {
				// encoding/csv reads "\r\n" inside a quoted cell as "\n".
				units = units[:len(units)-1]
			}
			var buf bytes.Buffer
			w, err := NewWriter(&buf, tt.wopts)
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range units {
				if err := w.Write(u); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			r, err := NewReaderWith(bytes.NewReader(buf.Bytes()), tt.ropts, tt.topts)
			if err != nil {
				t.Fatal(err)
			}
			got, err := readAll(r)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(units) {
				t.Fatalf("read back %d units, want %d:\n%s", len(got), len(units), buf.Bytes())
			}
			for i := range units {
				if tt.topts.Header == HeaderNo {
					// Without a header, columns past the second are notes.
					got[i].Notes = nil
					units[i] = &corpora.Unit{Source: units[i].Source, Target: units[i].Target}
					got[i] = &corpora.Unit{Source: got[i].Source, Target: got[i].Target}
				}
				if !unitsEqual(got[i], units[i]) {
					t.Errorf("unit %d:\n got %+v\nwant %+v", i, *got[i], *units[i])
				}
			}
		})
	}
}

// TestWriterRoundTripSamples writes whole real files and reads them back.
func TestWriterRoundTripSamples(t *testing.T) {
	tests := []struct {
		path  []string
		wopts WriterOptions
	}{
		{path: []string{"gettext", "en-es.memory.tsv"}},
		{path: []string{"tatoeba", "en-es.tsv"}},
		{path: []string{"tico19", "g_en_es-419.csv"}, wopts: WriterOptions{SourceLang: language.English, TargetLang: language.MustParse("es-419")}},
	}
	for _, tt := range tests {
		for _, delim := range []rune{'\t', ','} {
			t.Run(strings.Join(tt.path, "/")+"/"+string(delim), func(t *testing.T) {
				f, err := os.Open(testenv.SharedData(t, tt.path...))
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				r, err := NewReader(f, corpora.ReadOptions{})
				if err != nil {
					t.Fatal(err)
				}
				units, err := readAll(r)
				if err != nil {
					t.Fatal(err)
				}
				var buf bytes.Buffer
				wopts := tt.wopts
				wopts.Delimiter = delim
				w, err := NewWriter(&buf, wopts)
				if err != nil {
					t.Fatal(err)
				}
				for _, u := range units {
					if err := w.Write(u); err != nil {
						t.Fatal(err)
					}
				}
				if err := w.Close(); err != nil {
					t.Fatal(err)
				}
				r2, err := NewReader(&buf, corpora.ReadOptions{})
				if err != nil {
					t.Fatal(err)
				}
				got, err := readAll(r2)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(units) {
					t.Fatalf("read back %d units, want %d", len(got), len(units))
				}
				bad := 0
				for i := range units {
					want := units[i]
					if !unitsEqual(got[i], want) {
						if bad++; bad < 5 {
							t.Errorf("unit %d:\n got %+v\nwant %+v", i, *got[i], *want)
						}
					}
				}
				if bad > 0 {
					t.Errorf("%d of %d units differ", bad, len(units))
				}
			})
		}
	}
}

func TestWriterCodesBecomePlainText(t *testing.T) {
	var src corpora.Segment
	src.Append("Press ")
	src.AppendCode(&corpora.Code{Kind: corpora.CodeOpen, Element: "bpt", ID: "1", Native: "&lt;b&gt;"})
	src.Append("OK")
	src.AppendCode(&corpora.Code{Kind: corpora.CodeClose, Element: "ept", ID: "1", Native: "&lt;/b&gt;"})
	var buf bytes.Buffer
	w, _ := NewWriter(&buf, WriterOptions{})
	if err := w.Write(&corpora.Unit{Source: src, Target: corpora.Text("Pulse OK")}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String(), "source\ttarget\nPress OK\tPulse OK\n"; got != want {
		t.Errorf("wrote %q, want %q", got, want)
	}
}

func TestWriterErrors(t *testing.T) {
	tests := []struct {
		name string
		opts WriterOptions
		unit *corpora.Unit
		msg  string
	}{
		{name: "empty source", unit: &corpora.Unit{Target: corpora.Text("x")}, msg: "empty source"},
		{name: "tab without escapes", opts: WriterOptions{Escapes: EscapesOff}, unit: &corpora.Unit{Source: corpora.Text("a\tb")}, msg: "holds a tab or a line break"},
		{name: "regional variant is covered", opts: WriterOptions{SourceLang: language.English, TargetLang: language.Spanish},
			unit: &corpora.Unit{Source: corpora.Text("a"), SourceLang: language.MustParse("en-US"), TargetLang: language.MustParse("es-419")}},
		{name: "other languages", opts: WriterOptions{SourceLang: language.English, TargetLang: language.Spanish},
			unit: &corpora.Unit{Source: corpora.Text("a"), SourceLang: language.French, TargetLang: language.Spanish}, msg: "is fr→es but the table's header says en→es"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := NewWriter(&bytes.Buffer{}, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			err = w.Write(tt.unit)
			if tt.msg == "" {
				if err != nil {
					t.Errorf("Write = %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("Write = %v, want an error with %q", err, tt.msg)
			}
		})
	}
	for _, opts := range []WriterOptions{
		{Delimiter: '"'},
		{Columns: []string{ColSource}},
		{Columns: []string{ColSource, ColTarget, ColSource}},
		{Columns: []string{ColSource, ColTarget, "a\tb"}},
		{Columns: []string{"en", "es"}},
	} {
		if _, err := NewWriter(&bytes.Buffer{}, opts); err == nil {
			t.Errorf("NewWriter(%+v) = nil error", opts)
		}
	}
}

// failWriter fails every write.
type failWriter struct{}

var errWrite = errors.New("no space left")

func (failWriter) Write([]byte) (int, error) { return 0, errWrite }

func TestWriterReportsWriteErrors(t *testing.T) {
	for _, d := range []rune{'\t', ','} {
		w, err := NewWriter(failWriter{}, WriterOptions{Delimiter: d})
		if err != nil {
			t.Fatal(err)
		}
		u := &corpora.Unit{Source: corpora.Text(strings.Repeat("x", 8000)), Target: corpora.Text("y")}
		err = w.Write(u)
		if err == nil {
			err = w.Close()
		}
		if !errors.Is(err, errWrite) {
			t.Errorf("delimiter %q: error = %v, want %v", d, err, errWrite)
		}
	}
}

func TestWriterInferredColumns(t *testing.T) {
	var buf bytes.Buffer
	w, _ := NewWriter(&buf, WriterOptions{})
	u := &corpora.Unit{Source: corpora.Text("a"), Target: corpora.Text("b"), Context: "menu",
		Props: []corpora.Prop{{Type: "comment", Value: "not a note"}, {Type: "x-origin", Value: "ui"}, {Type: "en", Value: "x"}}}
	if err := w.Write(u); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String(), "source\ttarget\tcontext\tx-origin\na\tb\tmenu\tui\n"; got != want {
		t.Errorf("wrote %q, want %q", got, want)
	}
}
