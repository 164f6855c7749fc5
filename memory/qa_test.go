package memory_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/formats"
	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/qa"
)

// TestCheckFiles checks a catalog with the demo memory and without: the
// memory's term base and exact matches find what the files alone cannot.
func TestCheckFiles(t *testing.T) {
	ctx := context.Background()
	m := demoMemory(t)
	dir := t.TempDir()
	po := filepath.Join(dir, "es.po")
	if err := os.WriteFile(po, []byte(`msgid ""
msgstr ""
"Language: es\n"
"Content-Type: text/plain; charset=UTF-8\n"

msgid "Open the notebook settings"
msgstr "Abra la configuración de la libreta"

msgid "Delete this notebook?"
msgstr "¿Desea borrar esta libreta?"

#, c-format
msgid "Delete %s?"
msgstr "¿Eliminar?"
`), 0o644); err != nil {
		t.Fatal(err)
	}
	req := memory.QARequest{Paths: []string{dir},
		Read: formats.Options{ReadOptions: corpora.ReadOptions{SourceLang: language.English, TargetLang: language.Spanish}}}
	checks := func(src memory.QASource) map[string]bool {
		t.Helper()
		rep, err := memory.CheckFiles(ctx, req, src)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Units != 3 || rep.Files != 1 {
			t.Errorf("CheckFiles: %d units of %d files, want 3 of 1", rep.Units, rep.Files)
		}
		found := map[string]bool{}
		for _, f := range rep.Findings {
			found[f.Check] = true
		}
		return found
	}
	with := checks(m)
	for _, want := range []string{"placeholders", "forbidden-terms", "terms", "memory"} {
		if !with[want] {
			t.Errorf("CheckFiles with the memory found %v, not %q", with, want)
		}
	}
	without := checks(nil)
	if !without["placeholders"] || without["forbidden-terms"] || without["memory"] {
		t.Errorf("CheckFiles without a memory found %v, want placeholders and nothing of the memory", without)
	}
	// A term base alone holds nothing to check.
	tbx := filepath.Join(t.TempDir(), "terms.tsv")
	os.WriteFile(tbx, []byte("notebook\tlibreta\n"), 0o644)
	req.Paths, req.Read.Format = []string{tbx}, formats.Glossary
	if _, err := memory.CheckFiles(ctx, req, nil); !errors.Is(err, qa.ErrNotBilingual) {
		t.Errorf("CheckFiles of a glossary = %v, want %v", err, qa.ErrNotBilingual)
	}
}
