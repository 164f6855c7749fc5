package glossary_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/glossary"
	"github.com/kgmem/kgmem/internal/testenv"
)

func FuzzGlossaryReader(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(testenv.SharedData(f, "formats", "omegat", "glossaries"), "*"))
	files = append(files, testenv.SharedData(f, "tico19", "g_en_es-419.csv"), testenv.SharedData(f, "tico19", "f_en-es_XX.csv"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		if len(data) > 4096 {
			data = data[:4096] // the head of a term list; minimising larger inputs stalls the fuzzer
		}
		f.Add(data, uint8(0))
		f.Add(data, uint8(1))
	}
	f.Add([]byte("en\tes\n\"a\"\tb\n"), uint8(2))

	f.Fuzz(func(t *testing.T, data []byte, mode uint8) {
		opts := glossary.Options{
			ReadOptions: corpora.ReadOptions{Name: "fuzz.csv", Limits: corpora.Limits{MaxUnitBytes: 1 << 12}},
			Delimiter:   []rune{0, ',', '\t', ';'}[mode%4],
			Header:      glossary.HeaderMode(mode / 4 % 3),
		}
		strict := fuzzRead(t, data, opts)
		opts.Lenient = true
		opts.OnSkip = func(s corpora.Skip) {
			if s.File != "fuzz.csv" || s.Reason == "" || s.Line <= 0 {
				t.Errorf("bad skip %+v", s)
			}
		}
		lenient := fuzzRead(t, data, opts)
		if lenient < strict {
			t.Errorf("lenient read %d entries, strict %d", lenient, strict)
		}
		r, err := glossary.NewReaderOptions(bytes.NewReader(data), opts)
		if err != nil {
			return
		}
		for {
			u, err := r.Next()
			if err != nil {
				checkErr(t, err)
				return
			}
			if u == nil || u.Source.IsEmpty() || u.Target.IsEmpty() {
				t.Fatalf("bad unit %+v", u)
			}
		}
	})
}

func fuzzRead(t *testing.T, data []byte, opts glossary.Options) int {
	r, err := glossary.NewReaderOptions(bytes.NewReader(data), opts)
	if err != nil {
		checkErr(t, err)
		return 0
	}
	n := 0
	for {
		e, err := r.NextTerm()
		if err != nil {
			checkErr(t, err)
			return n
		}
		if e == nil || len(e.Terms) < 2 || e.Origin.Index != n || e.Origin.Line <= 0 {
			t.Fatalf("bad entry %+v", e)
		}
		for _, term := range e.Terms {
			if term.Text == "" || len(term.Text) > 1<<12 {
				t.Fatalf("bad term in %+v", e)
			}
		}
		n++
	}
}

func checkErr(t *testing.T, err error) {
	if err == io.EOF {
		return
	}
	var pe *corpora.ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v is %T, not *corpora.ParseError", err, err)
	}
	if pe.File != "fuzz.csv" || pe.Err == nil {
		t.Fatalf("bad ParseError %#v", pe)
	}
}
