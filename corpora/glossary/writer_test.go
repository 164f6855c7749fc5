package glossary_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/glossary"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func goldenEntries() []*corpora.TermEntry {
	en, es := language.English, language.MustParse("es-419")
	return []*corpora.TermEntry{
		{Terms: []corpora.Term{{Lang: en, Text: "contagious", PartOfSpeech: "adjective"}, {Lang: es, Text: "contagioso"}},
			Definition: "Transmissible by contact, as in \"COVID-19\".", Domain: "Medicine"},
		{Terms: []corpora.Term{{Lang: en, Text: "mask"}, {Lang: es, Text: "mascarilla"}, {Lang: es, Text: "barbijo"}}, Note: "Two translations"},
		{Terms: []corpora.Term{{Lang: en, Text: "R&D, research"}, {Lang: es, Text: "I+D\tinvestigación"}}, Note: "multi\nline"},
		{Terms: []corpora.Term{{Lang: en, Text: "#hashtag"}, {Lang: es, Text: "#etiqueta"}}},
	}
}

func TestWriterGolden(t *testing.T) {
	for _, tt := range []struct {
		file string
		opts glossary.WriterOptions
		skip int // entries the format cannot hold
	}{
		{"glossary.tsv.golden", glossary.WriterOptions{SourceLang: language.English, TargetLang: language.MustParse("es-419")}, 1},
		{"glossary.csv.golden", glossary.WriterOptions{SourceLang: language.English, TargetLang: language.MustParse("es-419"), Delimiter: ','}, 0},
		{"omegat.txt.golden", glossary.WriterOptions{OmegaT: true}, 1},
	} {
		t.Run(tt.file, func(t *testing.T) {
			var buf bytes.Buffer
			w, err := glossary.NewWriter(&buf, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			failed := 0
			for _, e := range goldenEntries() {
				if err := w.WriteTerm(e); err != nil {
					failed++
					if !strings.Contains(err.Error(), "starts with #") {
						t.Errorf("WriteTerm: %v", err)
					}
				}
			}
			if failed != tt.skip {
				t.Errorf("%d entries failed, want %d", failed, tt.skip)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", tt.file)
			if *update {
				if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("output differs from %s:\n%s", path, buf.Bytes())
			}
		})
	}
}

// TestRoundTrip writes entries and units and reads them back.
func TestRoundTrip(t *testing.T) {
	for _, delim := range []rune{'\t', ','} {
		data := sample(t, "tico19", "g_en_es-419.csv")
		r, err := glossary.NewReader(bytes.NewReader(data), corpora.ReadOptions{Name: "g.csv"})
		if err != nil {
			t.Fatal(err)
		}
		want := readAll(t, r)
		var buf bytes.Buffer
		w, err := glossary.NewWriter(&buf, glossary.WriterOptions{SourceLang: language.English, TargetLang: language.MustParse("es-419"), Delimiter: delim})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range want {
			if err := w.WriteTerm(e); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		r2, err := glossary.NewReader(&buf, corpora.ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if r2.Delimiter() != delim {
			t.Errorf("delimiter read back = %q, want %q", r2.Delimiter(), delim)
		}
		got := readAll(t, r2)
		if len(got) != len(want) {
			t.Fatalf("%q: read back %d entries, want %d", delim, len(got), len(want))
		}
		for i := range want {
			a, b := *got[i], *want[i]
			a.Origin, b.Origin = corpora.Origin{}, corpora.Origin{}
			b.ID = "" // ids are not written
			if !entryEqual(&a, &b) {
				t.Errorf("%q: entry %d:\n got %+v\nwant %+v", delim, i, a, b)
			}
		}
	}

	// Units: what Next returns, Write writes back.
	in := "source\ttarget\tcomment\tpos\ncat\tgato\tanimal\tnoun\ndog\tperro\n"
	opts := corpora.ReadOptions{SourceLang: language.English, TargetLang: language.Spanish}
	units := readUnits(t, in, opts)
	var buf bytes.Buffer
	w, _ := glossary.NewWriter(&buf, glossary.WriterOptions{SourceLang: language.English, TargetLang: language.Spanish})
	for _, u := range units {
		if err := w.Write(u); err != nil {
			t.Fatal(err)
		}
	}
	_ = w.Close()
	back := readUnits(t, buf.String(), opts)
	if len(back) != 2 {
		t.Fatalf("read back %d units", len(back))
	}
	for i := range units {
		a, b := back[i], units[i]
		ap, _ := a.Prop("part-of-speech")
		bp, _ := b.Prop("part-of-speech")
		if !a.Source.Equal(b.Source) || !a.Target.Equal(b.Target) || a.SourceLang != b.SourceLang || a.TargetLang != b.TargetLang ||
			strings.Join(a.Notes, "|") != strings.Join(b.Notes, "|") || ap != bp {
			t.Errorf("unit %d = %+v, want %+v", i, a, b)
		}
	}
}

func entryEqual(a, b *corpora.TermEntry) bool {
	if a.ID != b.ID || a.Domain != b.Domain || a.Definition != b.Definition || a.Note != b.Note || len(a.Terms) != len(b.Terms) {
		return false
	}
	for i := range a.Terms {
		if a.Terms[i] != b.Terms[i] {
			return false
		}
	}
	return true
}

func readUnits(t testing.TB, in string, opts corpora.ReadOptions) []*corpora.Unit {
	t.Helper()
	r, err := glossary.NewReader(strings.NewReader(in), opts)
	if err != nil {
		t.Fatal(err)
	}
	var out []*corpora.Unit
	for {
		u, err := r.Next()
		if err != nil {
			return out
		}
		out = append(out, u)
	}
}

func TestWriterErrors(t *testing.T) {
	if _, err := glossary.NewWriter(&bytes.Buffer{}, glossary.WriterOptions{Delimiter: ';'}); err == nil {
		t.Error("semicolon writer: no error")
	}
	if _, err := glossary.NewWriter(&bytes.Buffer{}, glossary.WriterOptions{Delimiter: ',', OmegaT: true}); err == nil {
		t.Error("OmegaT CSV writer: no error")
	}
	w, _ := glossary.NewWriter(&bytes.Buffer{}, glossary.WriterOptions{SourceLang: language.French})
	if err := w.WriteTerm(goldenEntries()[0]); err == nil {
		t.Error("entry without a French term: no error")
	}
	if err := w.Write(&corpora.Unit{Source: corpora.Text("a")}); err == nil {
		t.Error("unit without a target: no error")
	}
}
