package formats

import (
	"errors"
	"io"
	"testing"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
)

// readAll reads every unit of a file; untranslated asks for units without
// a target too.
func readAll(t *testing.T, path string, from, to language.Tag, untranslated bool) []*corpora.Unit {
	t.Helper()
	f, err := Open(path, Options{ReadOptions: corpora.ReadOptions{SourceLang: from, TargetLang: to, Untranslated: untranslated}})
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer f.Close()
	var units []*corpora.Unit
	for {
		u, err := f.Next()
		if errors.Is(err, io.EOF) {
			return units
		}
		if err != nil {
			t.Fatalf("read %s: %v", path, err)
		}
		units = append(units, u)
	}
}
