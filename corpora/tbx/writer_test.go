package tbx_test

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/tbx"
	"github.com/kgmem/kgmem/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// goldenEntries exercise every field the writer writes.
func goldenEntries() []*corpora.TermEntry {
	en, es := language.English, language.MustParse("es-419")
	return []*corpora.TermEntry{
		{ID: "c1", Domain: "Medicine", Definition: "A disease caused by a coronavirus.", Note: "From TICO-19.\nSecond note.",
			Terms: []corpora.Term{
				{Lang: es, Text: "COVID-19", Status: corpora.TermPreferred, PartOfSpeech: "proper noun"},
				{Lang: en, Text: "COVID-19", Status: corpora.TermPreferred, PartOfSpeech: "noun", Source: "WHO"},
				{Lang: en, Text: "coronavirus disease", Status: corpora.TermAdmitted, PartOfSpeech: "noun", Note: "The long form."},
				{Lang: es, Text: "enfermedad por coronavirus", Status: corpora.TermDeprecated, PartOfSpeech: "n"},
			}},
		{ID: "1", Terms: []corpora.Term{
			{Lang: en, Text: "R&D <lab>", Definition: "Research & development."},
			{Lang: es, Text: "I+D"},
		}},
		{Terms: []corpora.Term{{Lang: en, Text: "mask"}, {Lang: es, Text: "mascarilla"}}},
		{ID: "c1", Terms: []corpora.Term{{Lang: en, Text: "duplicate id"}, {Lang: es, Text: "id repetido"}}},
	}
}

func TestWriterGolden(t *testing.T) {
	for _, tt := range []struct {
		file    string
		version tbx.Version
	}{{"basic2019.tbx.golden", tbx.V2019}, {"basic2008.tbx.golden", tbx.V2008}} {
		t.Run(tt.file, func(t *testing.T) {
			var buf bytes.Buffer
			w, err := tbx.NewWriter(&buf, tbx.WriterOptions{Version: tt.version, Lang: language.English, Description: "kgmem test <golden>"})
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range goldenEntries() {
				if err := w.WriteTerm(e); err != nil {
					t.Fatalf("WriteTerm(%q): %v", e.ID, err)
				}
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
				t.Errorf("output differs from %s (run go test -update after checking it):\n%s", path, buf.Bytes())
			}

			// What was written reads back, strictly, as TBX-Basic.
			r, err := tbx.NewReader(bytes.NewReader(buf.Bytes()), corpora.ReadOptions{Name: tt.file})
			if err != nil {
				t.Fatal(err)
			}
			got := readAll(t, r)
			if len(got) != 4 {
				t.Fatalf("read back %d entries, want 4", len(got))
			}
			ids := []string{got[0].ID, got[1].ID, got[2].ID, got[3].ID}
			if strings.Join(ids, " ") != "c1 id-1 c3 c1-2" {
				t.Errorf("ids = %v", ids)
			}
			c1 := got[0]
			if c1.Terms[0].Lang != language.English || c1.Terms[0].Source != "WHO" || c1.Terms[2].Lang.String() != "es-419" ||
				c1.Terms[2].PartOfSpeech != "noun" || c1.Terms[3].Status != corpora.TermDeprecated || c1.Note != "From TICO-19.\nSecond note." {
				t.Errorf("c1 = %+v", c1)
			}
			if got[1].Terms[0].Text != "R&D <lab>" || got[1].Terms[0].Definition != "Research & development." {
				t.Errorf("entry 2 = %+v", got[1])
			}
		})
	}
}

func TestWriterErrors(t *testing.T) {
	w, err := tbx.NewWriter(&bytes.Buffer{}, tbx.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []*corpora.TermEntry{
		{ID: "none"},
		{ID: "nolang", Terms: []corpora.Term{{Text: "x"}}},
		{ID: "empty", Terms: []corpora.Term{{Lang: language.English, Text: " "}}},
	} {
		if err := w.WriteTerm(e); err == nil {
			t.Errorf("WriteTerm(%q) succeeded, want an error", e.ID)
		}
	}
	if _, err := tbx.NewWriter(&bytes.Buffer{}, tbx.WriterOptions{Version: 9}); err == nil {
		t.Error("NewWriter with version 9 succeeded")
	}
}

// TestRoundTrip reads the samples, writes them and reads them back.
func TestRoundTrip(t *testing.T) {
	samples := [][]string{
		{"formats", "omegat", "glossaries", "sampleTBXfile.tbx"},
		{"formats", "ltac-tbx", "test_files", "core_structure_good.tbx"},
		{"formats", "ltac-tbx", "test_files", "min_good.tbx"},
		{"formats", "ltac-tbx", "test_files", "basic_good.tbx"},
		{"formats", "ltac-tbx", "basic_dialect", "Example_Astronomy_DCT_VALID.tbx"},
	}
	for _, s := range samples {
		for _, v := range []tbx.Version{tbx.V2019, tbx.V2008} {
			t.Run(s[len(s)-1]+"/"+v.String(), func(t *testing.T) {
				data := openSample(t, s...)
				r, err := tbx.NewReader(bytes.NewReader(data), corpora.ReadOptions{})
				if err != nil {
					t.Fatal(err)
				}
				want := readAll(t, r)
				var buf bytes.Buffer
				w, err := tbx.NewWriter(&buf, tbx.WriterOptions{Version: v, Lang: r.Lang()})
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
				r2, err := tbx.NewReader(&buf, corpora.ReadOptions{})
				if err != nil {
					t.Fatal(err)
				}
				got := readAll(t, r2)
				if len(got) != len(want) {
					t.Fatalf("read back %d entries, want %d", len(got), len(want))
				}
				for i := range want {
					a, b := *got[i], *want[i]
					a.Origin, b.Origin = corpora.Origin{}, corpora.Origin{}
					if !entriesEqual(&a, &b) {
						t.Errorf("entry %d:\n got %+v\nwant %+v", i, a, b)
					}
				}
			})
		}
	}
}

func TestWriteUnits(t *testing.T) {
	data := openSample(t, "formats", "ltac-tbx", "test_files", "min_good.tbx")
	opts := corpora.ReadOptions{SourceLang: language.English, TargetLang: language.Spanish}
	units := readUnits(t, data, opts)
	var buf bytes.Buffer
	w, err := tbx.NewWriter(&buf, tbx.WriterOptions{})
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
	got := readUnits(t, buf.Bytes(), opts)
	if len(got) != len(units) {
		t.Fatalf("read back %d units, want %d", len(got), len(units))
	}
	for i := range units {
		a, b := got[i], units[i]
		as, _ := a.Prop("term-status")
		bs, _ := b.Prop("term-status")
		if !a.Source.Equal(b.Source) || !a.Target.Equal(b.Target) || a.Domain != b.Domain || as != bs || !strings.HasPrefix(a.ID, b.ID) {
			t.Errorf("unit %d = %+v, want %+v", i, a, b)
		}
	}
}

// TestTranslateToolkit checks that translate-toolkit's tbx2po reads what the
// writer writes in TBX 2008. (translate-toolkit 3.8 does not read TBX 2019
// at all: it looks for <martif> and <termEntry>.)
func TestTranslateToolkit(t *testing.T) {
	tbx2po := testenv.Tool(t, "tbx2po", "apt-get install translate-toolkit")
	dir := t.TempDir()
	in, out := filepath.Join(dir, "terms.tbx"), filepath.Join(dir, "terms.po")
	var buf bytes.Buffer
	w, err := tbx.NewWriter(&buf, tbx.WriterOptions{Version: tbx.V2008, Lang: language.English})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range goldenEntries()[1:3] {
		if err := w.WriteTerm(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(in, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(tbx2po, in, out)
	msg, err := cmd.CombinedOutput()
	if err != nil || strings.Contains(string(msg), "Error") {
		t.Fatalf("tbx2po: %v\n%s", err, msg)
	}
	po, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"msgid \"R&D <lab>\"\nmsgstr \"I+D\"", "msgid \"mask\"\nmsgstr \"mascarilla\""} {
		if !strings.Contains(string(po), want) {
			t.Errorf("tbx2po output lacks %q:\n%s", want, po)
		}
	}
}
