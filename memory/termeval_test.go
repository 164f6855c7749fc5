package memory_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora/demo"
	"github.com/kgmem/kgmem/internal/testenv"
	"github.com/kgmem/kgmem/memory"
)

// TestTermPrecision: the learned translations of a memory built without
// a term base, scored against a list: inflections accepted, a term the
// memory has not learned left out, the misses listed most seen first.
func TestTermPrecision(t *testing.T) {
	ctx := context.Background()
	m, err := memory.Open(ctx, memory.Options{DataDir: filepath.Join(t.TempDir(), "data"), Create: true, NoCatchUp: true})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	tmx := filepath.Join(testenv.RepoRoot(t), "corpora", "demo", demo.TMX)
	if _, err := m.Build(ctx, memory.BuildRequest{Paths: []string{tmx}, SourceLang: language.English, TargetLang: language.Spanish}); err != nil {
		t.Fatal(err)
	}
	list := filepath.Join(t.TempDir(), "terms.tsv")
	// The demo's translators wrote cuaderno, carpeta, papelera and nota.
	body := "notebook\tCuadernos\n" + // the plural of the learned one: right
		"folder\tcarpeta\n" +
		"Trash\tbasura\n" + // wrong
		"note\tapunte\n" + // wrong
		"zebra\tcebra\n" + // not learned: not scored
		"folder\tdirectorio\n" // the same term again: one term, either translation right
	if err := os.WriteFile(list, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := m.TermPrecision(ctx, memory.TermPrecisionRequest{Terms: []string{list}, SourceLang: "en", TargetLang: "es"})
	if err != nil {
		t.Fatal(err)
	}
	if p.Terms != 5 || p.Learned != 4 || p.Right != 2 || p.P1 != 0.5 {
		t.Errorf("TermPrecision = %+v; want 5 terms, 4 learned, 2 right, p@1 0.5", p)
	}
	if len(p.Misses) != 2 || p.Misses[0].Source != "note" || p.Misses[0].Learned != "nota" || p.Misses[1].Learned != "papelera" {
		t.Errorf("misses = %+v; want note → nota, then Trash → papelera", p.Misses)
	}
	if _, err := m.TermPrecision(ctx, memory.TermPrecisionRequest{SourceLang: "en", TargetLang: "es"}); err == nil {
		t.Error("TermPrecision without a list: no error")
	}
}
