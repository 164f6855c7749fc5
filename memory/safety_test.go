package memory_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/formats"
	"github.com/kgmem/kgmem/internal/testenv"
	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/retrieval"
	"github.com/kgmem/kgmem/translate"
)

// TestBackupRestore backs a memory up (after learning and a term edit),
// restores it into a new directory, and compares what both answer.
func TestBackupRestore(t *testing.T) {
	ctx := context.Background()
	m := demoMemory(t)
	if _, err := m.Learn(ctx, memory.LearnRequest{SourceLang: "en", TargetLang: "es",
		Pairs: []translate.Pair{{Source: "Archive the old notes", Target: "Archive las notas antiguas", Origin: "test"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.SetTerm(ctx, memory.TermRequest{SourceLang: "en", TargetLang: "es", Source: "notebook", Target: "bloc"}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	bm, err := m.Backup(ctx, &buf)
	if err != nil {
		t.Fatal(err)
	}
	st, err := m.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if bm.Graph.Segments != st.Segments || bm.Graph.Facts != st.Facts || len(bm.Models) != 1 {
		t.Errorf("backup holds %+v and %d models; the memory %+v", bm.Graph, len(bm.Models), st)
	}

	dir := filepath.Join(t.TempDir(), "restored")
	r, bm2, err := memory.Restore(ctx, bytes.NewReader(buf.Bytes()), memory.RestoreRequest{DataDir: dir})
	if err != nil {
		t.Fatalf("Restore: %v", err)
	}
	defer r.Close()
	if bm2.Memory.ID != m.Manifest().ID || r.Manifest().ID != m.Manifest().ID {
		t.Errorf("restored memory id %s, want %s", r.Manifest().ID, m.Manifest().ID)
	}
	st2, err := r.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(st, st2) {
		t.Errorf("restored stats %+v, want %+v", st2, st)
	}
	for _, q := range []string{"Archive the old notes", "Delete this notebook?", "Empty the trash"} {
		a, err := m.SearchTM(ctx, retrieval.Query{Text: q, SourceLang: "en", TargetLang: "es"})
		if err != nil {
			t.Fatal(err)
		}
		b, err := r.SearchTM(ctx, retrieval.Query{Text: q, SourceLang: "en", TargetLang: "es"})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("SearchTM(%q): restored %+v, want %+v", q, b, a)
		}
	}
	for _, label := range []string{"notebook", "trash"} {
		q := memory.EntityQuery{Label: label, Lang: "en", TargetLang: "es", Limit: 5}
		a, _ := m.Entities(ctx, q)
		b, _ := r.Entities(ctx, q)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("Entities(%s): restored %+v, want %+v", label, b, a)
		}
	}
	rep, err := r.Check(ctx)
	if err != nil || !rep.OK {
		t.Errorf("Check of the restored memory = %+v, %v", rep, err)
	}
	// A directory that holds a memory is not restored over.
	if _, _, err := memory.Restore(ctx, bytes.NewReader(buf.Bytes()), memory.RestoreRequest{DataDir: dir}); !errors.Is(err, memory.ErrNotEmpty) {
		t.Errorf("Restore over a memory = %v, want ErrNotEmpty", err)
	}
	if _, _, err := memory.Restore(ctx, strings.NewReader("not a backup"), memory.RestoreRequest{DataDir: filepath.Join(t.TempDir(), "x")}); err == nil {
		t.Error("Restore of a file that is not a backup: no error")
	}
}

// TestCheckFindsDamage damages an alignment model: check says so.
func TestCheckFindsDamage(t *testing.T) {
	ctx := context.Background()
	m := demoMemory(t)
	rep, err := m.Check(ctx)
	if err != nil || !rep.OK || rep.Segments == 0 || rep.Models != 1 || rep.Indexed != rep.Segments {
		t.Fatalf("Check of a sound memory = %+v, %v", rep, err)
	}
	models, _ := filepath.Glob(filepath.Join(m.Dir(), "align.*.kgm"))
	if err := os.WriteFile(models[0], []byte("damaged"), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err = m.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK || len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0], "alignment model") {
		t.Errorf("Check with a damaged model = %+v", rep)
	}
}

// TestExportTerms exports the term base as TBX: statuses, and the
// translation a learned one superseded, come back when kgmem reads it.
func TestExportTerms(t *testing.T) {
	ctx := context.Background()
	m := demoMemory(t)
	if _, err := m.SetTerm(ctx, memory.TermRequest{SourceLang: "en", TargetLang: "es", Source: "notebook", Target: "bloc"}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "terms.tbx")
	sum, err := m.ExportTerms(ctx, out, formats.Auto, memory.ExportFilter{SourceLang: "en", TargetLang: "es"})
	if err != nil || sum.Written == 0 {
		t.Fatalf("ExportTerms = %+v, %v", sum, err)
	}
	f, err := formats.Open(out, formats.Options{Format: formats.TBX})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	statuses := map[string]corpora.TermStatus{}
	err = corpora.EachTerm(ctx, f, func(e *corpora.TermEntry) error {
		// The glossary's translations are in es; those learned from the
		// memory, with no status, in es-ES.
		for _, tm := range e.TermsIn(language.Spanish) {
			if tm.Lang == language.Spanish {
				statuses[tm.Text] = tm.Status
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for text, want := range map[string]corpora.TermStatus{"bloc": corpora.TermPreferred, "cuaderno": corpora.TermDeprecated, "libreta": corpora.TermDeprecated, "papelera": corpora.TermPreferred} {
		if got, ok := statuses[text]; !ok || got != want {
			t.Errorf("exported term %q has status %v (found %v), want %v", text, got, ok, want)
		}
	}
	csv := filepath.Join(t.TempDir(), "glossary.csv")
	if _, err := m.ExportTerms(ctx, csv, formats.Auto, memory.ExportFilter{}); !errors.Is(err, memory.ErrInvalid) {
		t.Errorf("a glossary without languages = %v, want ErrInvalid", err)
	}
}

// TestExportRoundTrip builds the shared gettext memory and the TICO-19
// memory, exports each as TMX, XLIFF and PO, and has translate-toolkit
// read every file back: it finds as many units as kgmem wrote.
func TestExportRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the gettext memory")
	}
	python := testenv.ToolkitPython(t)
	ctx := context.Background()
	for _, set := range []struct{ name, path string }{
		{"gettext", testenv.SharedData(t, "gettext", "en-es.memory.tsv")},
		{"tico19", testenv.SharedData(t, "tico19", "en-es.dev.tsv")},
	} {
		t.Run(set.name, func(t *testing.T) {
			m, err := memory.Open(ctx, memory.Options{DataDir: filepath.Join(t.TempDir(), "data"), Create: true, NoCatchUp: true})
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			sum, err := m.Build(ctx, memory.BuildRequest{Paths: []string{set.path}, SourceLang: language.English, TargetLang: language.Spanish})
			if err != nil {
				t.Fatal(err)
			}
			for _, ext := range []string{"tmx", "xlf", "po"} {
				out := filepath.Join(t.TempDir(), "memory."+ext)
				es, err := m.ExportTM(ctx, out, formats.Auto, memory.ExportFilter{})
				if err != nil {
					t.Fatalf("export %s: %v", ext, err)
				}
				if es.Written+es.Merged != sum.Segments {
					t.Errorf("export %s: %d written + %d merged, the memory has %d segments", ext, es.Written, es.Merged, sum.Segments)
				}
				if got := toolkitUnits(t, python, out); got != es.Written {
					t.Errorf("translate-toolkit reads %d units in the %s kgmem wrote with %d", got, ext, es.Written)
				}
			}
		})
	}
}

// toolkitUnits is the number of translation units (with a source)
// translate-toolkit reads in a file.
func toolkitUnits(t *testing.T, python, path string) int {
	t.Helper()
	script := `import sys
from translate.storage import factory
store = factory.getobject(sys.argv[1])
print(sum(1 for u in store.units if not u.isheader() and u.source))`
	out, err := exec.Command(python, "-c", script, path).CombinedOutput()
	if err != nil {
		t.Fatalf("translate-toolkit cannot read %s: %v\n%s", path, err, out)
	}
	var n int
	if _, err := fmt.Sscan(string(out), &n); err != nil {
		t.Fatalf("translate-toolkit on %s: %q", path, out)
	}
	return n
}
