package tabular

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/internal/testenv"
)

func readMoses(t *testing.T, src, tgt []byte, opts corpora.ReadOptions) ([]*corpora.Unit, error) {
	t.Helper()
	r, err := NewMosesReader(bytes.NewReader(src), bytes.NewReader(tgt), opts, "corpus.en", "corpus.es")
	if err != nil {
		return nil, err
	}
	return readAll(r)
}

func TestMosesReader(t *testing.T) {
	src := "Hello.\n\nGood \"morning\".\tTabbed\nNo translation\nLast line without newline"
	tgt := utf16Bytes("\ufeffHola.\n\nBuenos «días».\tTabulado\n\nÚltima línea sin salto\n", false, false)
	us, err := readMoses(t, []byte(src), tgt, corpora.ReadOptions{SourceLang: language.English, TargetLang: language.Spanish})
	if err != nil {
		t.Fatal(err)
	}
	want := []wantUnit{
		{line: 1, source: "Hello.", target: "Hola.", srcLang: "en", tgtLang: "es"},
		{line: 3, source: "Good \"morning\".\tTabbed", target: "Buenos «días».\tTabulado", srcLang: "en", tgtLang: "es"},
		{line: 4, source: "No translation", target: "", srcLang: "en", tgtLang: "es"},
		{line: 5, source: "Last line without newline", target: "Última línea sin salto", srcLang: "en", tgtLang: "es"},
	}
	if len(us) != len(want) {
		t.Fatalf("read %d units, want %d", len(us), len(want))
	}
	for i, w := range want {
		checkUnit(t, us[i], w)
		if us[i].Origin.File != "corpus.en" || us[i].Origin.Index != i {
			t.Errorf("unit %d: origin %+v", i, us[i].Origin)
		}
	}
}

func TestMosesErrors(t *testing.T) {
	tests := []struct {
		name     string
		src, tgt string
		opts     corpora.ReadOptions
		file     string
		line     int
		msg      string
		fatal    bool // stops a lenient reader too
	}{
		{name: "source empty", src: "", tgt: "a\n", file: "corpus.en", msg: "file is empty", fatal: true},
		{name: "target empty", src: "a\n", tgt: "", file: "corpus.es", msg: "file is empty", fatal: true},
		{name: "source ends early", src: "a\nb\n", tgt: "x\ny\nz\n", file: "corpus.en", line: 3, msg: "corpus.en ends after 2 lines but corpus.es goes on: the files are not line-aligned", fatal: true},
		{name: "target ends early", src: "a\nb\nc\nd", tgt: "x\n", file: "corpus.es", line: 2, msg: "corpus.es ends after 1 line but corpus.en goes on", fatal: true},
		{name: "invalid utf-8 in target", src: "a\nb\nc\n", tgt: "x\n\xc3\x28\nz\n", file: "corpus.es", line: 2, msg: "not valid UTF-8"},
		{name: "nul in source", src: "a\nb\x00\nc\n", tgt: "x\ny\nz\n", file: "corpus.en", line: 2, msg: "NUL byte"},
		{name: "blank source", src: "a\n \nc\n", tgt: "x\ny\nz\n", file: "corpus.en", line: 2, msg: "source line is blank but the target line is not"},
		{name: "long line", src: "a\n" + strings.Repeat("b", 200) + "\nc\n", tgt: "x\ny\nz\n", file: "corpus.en", line: 2,
			opts: corpora.ReadOptions{Limits: corpora.Limits{MaxUnitBytes: 100}}, msg: "longer than the 100-byte limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, lenient := range []bool{false, true} {
				opts := tt.opts
				opts.Lenient = lenient
				var skips []corpora.Skip
				opts.OnSkip = func(s corpora.Skip) { skips = append(skips, s) }
				us, err := readMoses(t, []byte(tt.src), []byte(tt.tgt), opts)
				if lenient && !tt.fatal {
					if err != nil || len(us) != 2 || len(skips) != 1 || skips[0].File != tt.file || skips[0].Line != tt.line {
						t.Errorf("lenient: %d units, %v, skips %v; want 2 units and a skip at %s:%d", len(us), err, skips, tt.file, tt.line)
					}
					continue
				}
				wantParseError(t, err, tt.file, tt.line, tt.msg)
			}
		})
	}
}

func TestMosesWriter(t *testing.T) {
	units := []*corpora.Unit{
		{Source: corpora.Text("Hello."), Target: corpora.Text("Hola.")},
		{Source: corpora.Text("Tab\there \\n"), Target: corpora.Text("Tab\taquí \\n")},
		{Source: corpora.Text("Untranslated")},
	}
	var src, tgt bytes.Buffer
	w := NewMosesWriter(&src, &tgt)
	for _, u := range units {
		if err := w.Write(u); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	for _, g := range []struct {
		name string
		got  []byte
	}{{"moses.en", src.Bytes()}, {"moses.es", tgt.Bytes()}} {
		golden := filepath.Join("testdata", "golden", g.name)
		if *update {
			if err := os.WriteFile(golden, g.got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if !bytes.Equal(g.got, want) {
			t.Errorf("%s differs from %s:\n%s", g.name, golden, g.got)
		}
	}
	got, err := readMoses(t, src.Bytes(), tgt.Bytes(), corpora.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(units) {
		t.Fatalf("read back %d units, want %d", len(got), len(units))
	}
	for i := range units {
		if !unitsEqual(got[i], units[i]) {
			t.Errorf("unit %d: got %+v, want %+v", i, got[i], units[i])
		}
	}

	for _, u := range []*corpora.Unit{
		{Source: corpora.Text("two\nlines"), Target: corpora.Text("x")},
		{Source: corpora.Text("x"), Target: corpora.Text("cr\rhere")},
		{Source: corpora.Text("x"), Target: corpora.Text("line\u2028separator")},
		{Source: corpora.Text(" "), Target: corpora.Text("x")},
	} {
		if err := NewMosesWriter(&bytes.Buffer{}, &bytes.Buffer{}).Write(u); err == nil {
			t.Errorf("Write(%q, %q) = nil error", u.Source.Plain(), u.Target.Plain())
		}
	}
}

// TestMosesRoundTripTatoeba splits Tatoeba into a Moses pair and reads it
// back.
func TestMosesRoundTripTatoeba(t *testing.T) {
	f, err := os.Open(testenv.SharedData(t, "tatoeba", "en-es.tsv"))
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
	var src, tgt bytes.Buffer
	w := NewMosesWriter(&src, &tgt)
	for _, u := range units {
		if err := w.Write(u); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := readMoses(t, src.Bytes(), tgt.Bytes(), corpora.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 118964 || len(got) != len(units) {
		t.Fatalf("read back %d units, want %d", len(got), len(units))
	}
	for i := range units {
		if !unitsEqual(got[i], units[i]) || got[i].Origin.Line != i+1 {
			t.Fatalf("unit %d: got %+v, want %+v", i, got[i], units[i])
		}
	}
}
