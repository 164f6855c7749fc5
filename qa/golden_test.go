package qa

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/formats"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// readFile reads every unit of a test file as English→Spanish.
func readFile(t testing.TB, path string) []*corpora.Unit {
	t.Helper()
	f, err := formats.Open(path, formats.Options{ReadOptions: corpora.ReadOptions{Name: path, SourceLang: language.English, TargetLang: language.Spanish}})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var us []*corpora.Unit
	if err := corpora.Each(context.Background(), f, func(u *corpora.Unit) error { us = append(us, u); return nil }); err != nil {
		t.Fatal(err)
	}
	return us
}

// TestGolden checks a small catalog with every kind of mistake, with the
// term base and a memory, against the findings kept in golden.jsonl.
func TestGolden(t *testing.T) {
	us := readFile(t, filepath.Join("testdata", "golden.po"))
	terms := readTerms(t, "terms.tbx")
	mem := NewUnitMemory(readFile(t, filepath.Join("testdata", "memory.tsv")))
	fs, err := Check(context.Background(), us, Options{Terms: terms, Memory: mem})
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	enc := json.NewEncoder(&got)
	enc.SetEscapeHTML(false)
	for _, f := range fs {
		f.File = filepath.ToSlash(f.File)
		if err := enc.Encode(f); err != nil {
			t.Fatal(err)
		}
	}
	golden := filepath.Join("testdata", "golden.jsonl")
	if *update {
		if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Errorf("findings differ from %s (run go test -update if the change is right):\n%s", golden, got.String())
	}
}
