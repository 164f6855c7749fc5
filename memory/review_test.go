package memory_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/translate"
)

// TestTranslateFileReviewed checks that documents translated through the
// memory, and through the models alone, are reviewed by the QA checks
// without being asked: a sentence the memory model cannot translate comes
// back unchanged and is marked for review (fuzzy, with a translator
// comment), while the memory's exact match is not.
func TestTranslateFileReviewed(t *testing.T) {
	ctx := context.Background()
	m := demoMemory(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "ui.po")
	const catalog = "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\n" +
		"msgid \"Delete Note\"\nmsgstr \"\"\n\nmsgid \"Hello there, how are you doing today?\"\nmsgstr \"\"\n"
	if err := os.WriteFile(in, []byte(catalog), 0o644); err != nil {
		t.Fatal(err)
	}
	o := memory.TranslateOptions{Model: "memory", SourceLang: "en", TargetLang: "es"}
	fo := translate.FileOptions{In: in, SourceLang: language.English, TargetLang: language.Spanish}
	for name, tr := range map[string]interface {
		TranslateFile(context.Context, memory.TranslateOptions, translate.FileOptions, func(*corpora.Unit, translate.Result) error) (translate.FileSummary, error)
	}{"memory": m, "models": m.Models()} {
		t.Run(name, func(t *testing.T) {
			fo := fo
			fo.Out = filepath.Join(dir, name+".po")
			sum, err := tr.TranslateFile(ctx, o, fo, nil)
			if err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(fo.Out)
			if err != nil {
				t.Fatal(err)
			}
			out := string(b)
			// Without the memory, Delete Note comes back unchanged too.
			want := map[string]int{"memory": 1, "models": 2}[name]
			marked := "# " + translate.NotePrefix + "unchanged: the target is the source (translate it)\n#, fuzzy\nmsgid \"Hello there"
			if !strings.Contains(out, marked) || sum.Problems != want {
				t.Errorf("%s: %d with problems, want %d, and the unchanged sentence marked:\n%s", fo.Out, sum.Problems, want, out)
			}
			if name == "memory" && !strings.Contains(out, "\nmsgid \"Delete Note\"\nmsgstr \"Eliminar nota\"") {
				t.Errorf("%s: the exact match is marked or missing:\n%s", fo.Out, out)
			}
		})
	}
}
