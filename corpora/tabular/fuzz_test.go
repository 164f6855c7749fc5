package tabular

import (
	"bytes"
	"errors"
	"io"
	"os"
	"testing"
	"unicode/utf8"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/internal/testenv"
)

// seedHead is how much of a large sample seeds a fuzzer.
const seedHead = 2 << 10

// addSamples seeds f with the start of every shared table sample.
func addSamples(f *testing.F, add func(data []byte)) {
	for _, p := range [][]string{
		{"gettext", "en-es.memory.tsv"}, {"gettext", "en-es.dev.tsv"}, {"gettext", "en-es.iso-codes.tsv"},
		{"tatoeba", "en-es.tsv"}, {"tico19", "en-es.dev.tsv"}, {"tico19", "f_en-es_XX.csv"}, {"tico19", "g_en_es-419.csv"},
		{"formats", "omegat", "glossaries", "test.tab"}, {"formats", "omegat", "glossaries", "test.csv"},
		{"formats", "omegat", "glossaries", "testUTF16LE.txt"}, {"formats", "omegat", "glossaries", "test-magiccomment-bom.tab"},
	} {
		b, err := os.ReadFile(testenv.SharedData(f, p...))
		if err != nil {
			f.Fatal(err)
		}
		if len(b) > seedHead {
			b = b[:seedHead]
		}
		add(b)
	}
}

func FuzzReader(f *testing.F) {
	addSamples(f, func(b []byte) { f.Add(b, uint8(0)) })
	for _, s := range []string{
		"", "\xEF\xBB\xBF", "source\ttarget\na\\tb\tc\\\\d\n", "a,\"b\nc\",d\n\"x\"\"y\",z\n", "a\"b,c\n",
		"en\tes\tde\nred\trojo\trot\n", "sourceLang;targetLang;source;target\nen;es;a;b\n", "\t\n\t\t\n",
	} {
		f.Add([]byte(s), uint8(0))
		f.Add([]byte(s), uint8(0xff))
	}
	f.Add(utf16Bytes("source\ttarget\na\tb\n", false, true), uint8(1))
	f.Fuzz(fuzzReader)
}

// fuzzReader is FuzzReader's target.
func fuzzReader(t *testing.T, data []byte, mode uint8) {
	{
		opts := corpora.ReadOptions{Name: "fuzz", Lenient: mode&1 != 0, Limits: corpora.Limits{MaxUnitBytes: 4 << 10}}
		topts := TableOptions{
			Delimiter: []rune{0, '\t', ',', ';'}[mode>>1&3],
			Header:    HeaderMode(mode >> 3 % 3),
			Escapes:   EscapeMode(mode >> 5 % 3),
		}
		if mode&0x80 != 0 {
			topts.Comment = '#'
		}
		units := fuzzRead(t, data, opts, topts)
		if len(units) == 0 {
			return
		}
		// What was read writes and reads back the same.
		var buf bytes.Buffer
		w, err := NewWriter(&buf, WriterOptions{Columns: []string{ColSource, ColTarget, ColDomain}})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range units {
			if err := w.Write(u); err != nil {
				t.Fatalf("Write(%+v): %v", u, err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		back := fuzzRead(t, buf.Bytes(), corpora.ReadOptions{}, TableOptions{})
		if len(back) != len(units) {
			t.Fatalf("wrote %d units, read back %d:\n%q", len(units), len(back), buf.Bytes())
		}
		for i, u := range units {
			b := back[i]
			if b.Source.Plain() != u.Source.Plain() || b.Target.Plain() != u.Target.Plain() || b.Domain != u.Domain {
				t.Fatalf("unit %d: wrote %q|%q|%q, read back %q|%q|%q", i, u.Source.Plain(), u.Target.Plain(), u.Domain,
					b.Source.Plain(), b.Target.Plain(), b.Domain)
			}
		}
	}
}

// fuzzRead reads data and checks the reader's invariants.
func fuzzRead(t *testing.T, data []byte, opts corpora.ReadOptions, topts TableOptions) []*corpora.Unit {
	t.Helper()
	r, err := NewReaderWith(bytes.NewReader(data), opts, topts)
	if err != nil {
		checkFuzzError(t, err)
		return nil
	}
	var units []*corpora.Unit
	last := 0
	for {
		u, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			checkFuzzError(t, err)
			if _, again := r.Next(); again != err {
				t.Fatalf("error not sticky: %v then %v", err, again)
			}
			break
		}
		checkFuzzUnit(t, u, len(units), &last)
		units = append(units, u)
	}
	return units
}

func checkFuzzError(t *testing.T, err error) {
	t.Helper()
	var pe *corpora.ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v is %T, not a *corpora.ParseError", err, err)
	}
	if pe.Err == nil || pe.Err.Error() == "" {
		t.Fatalf("parse error without a message: %#v", pe)
	}
}

func checkFuzzUnit(t *testing.T, u *corpora.Unit, index int, last *int) {
	t.Helper()
	if u == nil {
		t.Fatal("nil unit without an error")
	}
	if u.Origin.Index != index || u.Origin.Line <= *last {
		t.Fatalf("unit %d: origin %+v after line %d", index, u.Origin, *last)
	}
	*last = u.Origin.Line
	src := u.Source.Plain()
	if src == "" || !utf8.ValidString(src) || !utf8.ValidString(u.Target.Plain()) {
		t.Fatalf("unit %d: bad text %q / %q", index, src, u.Target.Plain())
	}
	if len(src)+len(u.Target.Plain()) > 4<<10 {
		t.Fatalf("unit %d holds %d bytes, over the limit", index, len(src)+len(u.Target.Plain()))
	}
}

func FuzzMoses(f *testing.F) {
	f.Add([]byte("Hello.\nBye.\n"), []byte("Hola.\nAdiós.\n"), false)
	f.Add([]byte("a\n\nb"), []byte("x\n\n"), true)
	f.Add([]byte("a\r\nb\r\n"), utf16Bytes("x\r\ny\r\n", true, true), false)
	addSamples(f, func(b []byte) {
		// Split a sample's rows into a Moses pair.
		var src, tgt []byte
		for _, line := range bytes.Split(b, []byte("\n")) {
			s, t, _ := bytes.Cut(line, []byte("\t"))
			src = append(append(src, s...), '\n')
			tgt = append(append(tgt, t...), '\n')
		}
		f.Add(src, tgt, false)
	})
	f.Fuzz(func(t *testing.T, src, tgt []byte, lenient bool) {
		opts := corpora.ReadOptions{Lenient: lenient, Limits: corpora.Limits{MaxUnitBytes: 4 << 10}}
		r, err := NewMosesReader(bytes.NewReader(src), bytes.NewReader(tgt), opts, "s", "t")
		if err != nil {
			checkFuzzError(t, err)
			return
		}
		var units []*corpora.Unit
		last := 0
		for {
			u, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				checkFuzzError(t, err)
				break
			}
			checkFuzzUnit(t, u, len(units), &last)
			units = append(units, u)
		}
		var s, g bytes.Buffer
		w := NewMosesWriter(&s, &g)
		for _, u := range units {
			if err := w.Write(u); err != nil {
				return // a line separator the reader keeps but the writer refuses
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		r2, err := NewMosesReader(&s, &g, corpora.ReadOptions{}, "s", "t")
		if err != nil {
			if len(units) == 0 {
				return
			}
			t.Fatal(err)
		}
		for i := 0; ; i++ {
			u, err := r2.Next()
			if err == io.EOF {
				if i != len(units) {
					t.Fatalf("read back %d units, want %d", i, len(units))
				}
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if i >= len(units) || u.Source.Plain() != units[i].Source.Plain() || u.Target.Plain() != units[i].Target.Plain() {
				t.Fatalf("unit %d read back as %q|%q", i, u.Source.Plain(), u.Target.Plain())
			}
		}
	})
}

func FuzzSniff(f *testing.F) {
	addSamples(f, func(b []byte) { f.Add(b) })
	f.Fuzz(func(t *testing.T, head []byte) {
		d := SniffDelimiter(head)
		if d != 0 && d != '\t' && d != ',' && d != ';' {
			t.Fatalf("SniffDelimiter = %q", d)
		}
	})
}
