package memory_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora/demo"
	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/internal/testenv"
	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/plugins/builtin"
	"github.com/kgmem/kgmem/retrieval"
	"github.com/kgmem/kgmem/translate"
)

// TestMain lets the test binary serve a built-in model as kgmem does
// (`kgmem plugin serve NAME`), so that models run as real subprocesses.
func TestMain(m *testing.M) {
	if len(os.Args) == 4 && os.Args[1] == "plugin" && os.Args[2] == "serve" {
		if err := builtin.Serve(os.Args[3]); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// demoMemory builds the demo corpus (the Lumen Notes memory and glossary)
// into a new data directory and returns the open memory.
func demoMemory(t *testing.T) *memory.Memory {
	t.Helper()
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data")
	m, err := memory.Open(ctx, memory.Options{DataDir: dir, Create: true, NoCatchUp: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	root := filepath.Join(testenv.RepoRoot(t), "corpora", "demo")
	sum, err := m.Build(ctx, memory.BuildRequest{
		Paths: []string{filepath.Join(root, demo.TMX)}, Terms: []string{filepath.Join(root, demo.Glossary)},
		SourceLang: language.English, TargetLang: language.Spanish,
	})
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	if sum.Segments == 0 || sum.Index.Indexed != sum.Segments {
		t.Fatalf("Build: %d segments written, %d indexed", sum.Segments, sum.Index.Indexed)
	}
	return m
}

func TestOpenRefuses(t *testing.T) {
	ctx := context.Background()
	base := t.TempDir()
	built := filepath.Join(base, "built")
	m, err := memory.Open(ctx, memory.Options{DataDir: built, Create: true})
	if err != nil {
		t.Fatal(err)
	}
	id := m.Manifest().ID
	m.Close()
	if err := os.MkdirAll(filepath.Join(base, "empty"), 0o755); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name  string
		opts  memory.Options
		setup func(dir string)
		want  error
	}{
		{"missing directory", memory.Options{DataDir: filepath.Join(base, "typo")}, nil, memory.ErrNoMemory},
		{"directory without a memory", memory.Options{DataDir: filepath.Join(base, "empty")}, nil, memory.ErrNoMemory},
		{"another graph", memory.Options{DataDir: built, Graph: "dgraph://127.0.0.1:1"}, nil, memory.ErrGraphMismatch},
		{"unknown store", memory.Options{DataDir: filepath.Join(base, "new"), Graph: "nosuch://x", Create: true}, nil, memory.ErrInvalid},
		{"empty graph file", memory.Options{DataDir: filepath.Join(base, "zero")}, func(dir string) {
			os.MkdirAll(dir, 0o755)
			os.WriteFile(filepath.Join(dir, "graph.db"), nil, 0o644)
		}, memory.ErrEmptyStore},
		{"empty graph file, even to create", memory.Options{DataDir: filepath.Join(base, "zero2"), Create: true}, func(dir string) {
			os.MkdirAll(dir, 0o755)
			os.WriteFile(filepath.Join(dir, "graph.db"), nil, 0o644)
		}, memory.ErrEmptyStore},
		{"graph file deleted", memory.Options{DataDir: filepath.Join(base, "deleted")}, func(dir string) {
			os.CopyFS(dir, os.DirFS(built))
			os.Remove(filepath.Join(dir, "graph.db"))
		}, memory.ErrNoMemory},
		{"newer format", memory.Options{DataDir: filepath.Join(base, "newer")}, func(dir string) {
			os.MkdirAll(dir, 0o755)
			os.WriteFile(filepath.Join(dir, memory.ManifestFile), []byte(`{"format": 99, "id": "x", "graph": "embedded"}`), 0o644)
		}, memory.ErrNewerFormat},
	}
	for _, tt := range tests {
		if tt.setup != nil {
			tt.setup(tt.opts.DataDir)
		}
		m, err := memory.Open(ctx, tt.opts)
		if err == nil {
			m.Close()
		}
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: Open = %v, want %v", tt.name, err, tt.want)
		}
	}
	// Nothing was made where nothing was asked for.
	if _, err := os.Stat(filepath.Join(base, "typo")); err == nil {
		t.Errorf("Open of a missing directory created it")
	}
	if _, err := os.Stat(filepath.Join(base, "new", memory.ManifestFile)); err == nil {
		t.Errorf("Open with an unknown store recorded it")
	}
	// The directory that was built opens, and keeps its id.
	m, err = memory.Open(ctx, memory.Options{DataDir: built})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if m.Manifest().ID != id || m.Graph() != "embedded" {
		t.Errorf("reopened manifest = %+v, want id %s, graph embedded", m.Manifest(), id)
	}
}

// TestOpenAdoptsOlderDirectory opens a data directory made before data
// directories recorded their graph: it is adopted, not refused or emptied.
func TestOpenAdoptsOlderDirectory(t *testing.T) {
	ctx := context.Background()
	m := demoMemory(t)
	dir := m.Dir()
	want, err := m.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	m.Close()
	if err := os.Remove(filepath.Join(dir, memory.ManifestFile)); err != nil {
		t.Fatal(err)
	}
	if _, err := memory.Open(ctx, memory.Options{DataDir: dir, Graph: "dgraph://127.0.0.1:1"}); !errors.Is(err, memory.ErrGraphMismatch) {
		t.Errorf("Open of an older embedded directory with another graph = %v, want ErrGraphMismatch", err)
	}
	m2, err := memory.Open(ctx, memory.Options{DataDir: dir})
	if err != nil {
		t.Fatalf("Open of an older directory: %v", err)
	}
	defer m2.Close()
	got, err := m2.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got.Segments != want.Segments || got.Entities != want.Entities {
		t.Errorf("adopted memory has %d segments, %d entities; want %d, %d", got.Segments, got.Entities, want.Segments, want.Entities)
	}
	if _, err := os.Stat(filepath.Join(dir, memory.ManifestFile)); err != nil {
		t.Errorf("adopted directory has no manifest: %v", err)
	}
}

// TestTranslateLearnSearch goes through what a translator does with a
// memory: translate with a model subprocess, learn an approved
// translation, find it in the memory, and get it back as an exact match.
func TestTranslateLearnSearch(t *testing.T) {
	ctx := context.Background()
	m := demoMemory(t)
	tr, err := m.Translator(ctx, memory.TranslateOptions{Model: "memory", SourceLang: "en", TargetLang: "es", Explain: true})
	if err != nil {
		t.Fatal(err)
	}
	const src = "Archive every notebook of this account"
	rs, err := tr.Translate(ctx, memory.LineSegments([]string{src}))
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 1 || rs[0].Status == translate.StatusExact {
		t.Fatalf("Translate(%q) = %+v, want one translation that is not an exact match", src, rs)
	}
	const approved = "Archivar todas las libretas de esta cuenta"
	sum, err := tr.Learn(ctx, []translate.Pair{{Source: src, Target: approved, Origin: "test"}})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Segments != 1 || sum.SourceLang != "en" || sum.TargetLang != "es" {
		t.Errorf("Learn = %+v, want 1 segment en→es", sum)
	}
	ms, err := m.SearchTM(ctx, retrieval.Query{Text: src, SourceLang: "en", TargetLang: "es"})
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) == 0 || ms[0].Score < 100 || ms[0].Target != approved {
		t.Errorf("SearchTM(%q) = %+v, want the learned pair at 100 %%", src, ms)
	}
	rs, err = tr.Translate(ctx, memory.LineSegments([]string{src}))
	if err != nil {
		t.Fatal(err)
	}
	if rs[0].Status != translate.StatusExact || rs[0].Translation != approved {
		t.Errorf("after learning, Translate(%q) = %q (%s), want %q (exact)", src, rs[0].Translation, rs[0].Status, approved)
	}
}

// TestLearnFiles learns a bilingual file, grouped by language pair, and
// refuses one that does not say its languages.
func TestLearnFiles(t *testing.T) {
	ctx := context.Background()
	m := demoMemory(t)
	dir := t.TempDir()
	tsv := filepath.Join(dir, "approved.tsv")
	if err := os.WriteFile(tsv, []byte("Close the sidebar\tCierre la barra lateral\nPin the note\tFije la nota\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := m.LearnFiles(ctx, memory.LearnFilesRequest{Paths: []string{tsv}}); !errors.Is(err, memory.ErrInvalid) {
		t.Errorf("LearnFiles of a file without languages = %v, want ErrInvalid", err)
	}
	sums, err := m.LearnFiles(ctx, memory.LearnFilesRequest{Paths: []string{tsv}, SourceLang: language.English, TargetLang: language.Spanish})
	if err != nil {
		t.Fatal(err)
	}
	if len(sums) != 1 || sums[0].Segments != 2 {
		t.Fatalf("LearnFiles = %+v, want one write of 2 segments", sums)
	}
	ms, err := m.SearchTM(ctx, retrieval.Query{Text: "Pin the note", SourceLang: "en", TargetLang: "es"})
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) == 0 || ms[0].Target != "Fije la nota" {
		t.Errorf("SearchTM after LearnFiles = %+v", ms)
	}
}

// TestEntities shows a term of the glossary with its translations, best
// first.
func TestEntities(t *testing.T) {
	ctx := context.Background()
	m := demoMemory(t)
	vs, err := m.Entities(ctx, memory.EntityQuery{Label: "notebook", Lang: "en", TargetLang: "es", Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) == 0 {
		t.Fatal("Entities(notebook) found nothing")
	}
	v := vs[0]
	// The glossary prefers "cuaderno" and deprecates "libreta".
	if v.Key != "en:notebook" || len(v.Translations) < 2 || v.Translations[0].Text != "cuaderno" {
		t.Errorf("Entities(notebook)[0] = key %q, translations %+v; want en:notebook translated cuaderno first", v.Key, v.Translations)
	}
	if last := v.Translations[len(v.Translations)-1]; last.Status != "deprecated" {
		t.Errorf("Entities(notebook): last translation %+v, want a deprecated one", last)
	}
	if len(v.Facts) > 3 || len(v.Neighbours) > 3 {
		t.Errorf("Entities with Limit 3 gave %d facts, %d neighbours", len(v.Facts), len(v.Neighbours))
	}
	for _, tr := range v.Translations {
		if !strings.HasPrefix(tr.Lang, "es") {
			t.Errorf("translation %+v is not in es", tr)
		}
	}
}

// TestTranslatorRefuses checks what a translator needs.
func TestTranslatorRefuses(t *testing.T) {
	ctx := context.Background()
	m := demoMemory(t)
	if _, err := m.Translator(ctx, memory.TranslateOptions{Model: "memory", SourceLang: "en"}); !errors.Is(err, memory.ErrInvalid) {
		t.Errorf("Translator without a target language = %v, want ErrInvalid", err)
	}
	if _, err := m.Translator(ctx, memory.TranslateOptions{Model: "nosuch", SourceLang: "en", TargetLang: "es"}); err == nil ||
		!strings.Contains(err.Error(), "kgmem plugins list") {
		t.Errorf("Translator with an unknown model = %v, want advice to list the models", err)
	}
	tr, err := m.Models().Translator(ctx, memory.TranslateOptions{Model: "memory", SourceLang: "en", TargetLang: "es"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Learn(ctx, []translate.Pair{{Source: "a", Target: "b"}}); !errors.Is(err, memory.ErrInvalid) {
		t.Errorf("Learn on a translator without memory = %v, want ErrInvalid", err)
	}
}

// TestSetTerm adds a term, makes another translation preferred and
// deprecates one: each shows at once in translation and in the entity.
func TestSetTerm(t *testing.T) {
	ctx := context.Background()
	m := demoMemory(t)
	o := memory.TranslateOptions{Model: "memory", SourceLang: "en", TargetLang: "es", Explain: true}
	required := func(text, term string) string {
		t.Helper()
		rs, err := m.Translate(ctx, o, memory.LineSegments([]string{text}))
		if err != nil {
			t.Fatal(err)
		}
		for _, tm := range rs[0].Memory.Terms {
			if tm.Source == term && tm.Required {
				return tm.Target
			}
		}
		return ""
	}
	// A new term.
	sum, err := m.SetTerm(ctx, memory.TermRequest{SourceLang: "en", TargetLang: "es", Source: "whiteboard", Target: "pizarra blanca"})
	if err != nil || !sum.Created {
		t.Fatalf("SetTerm(whiteboard) = %+v, %v; want a new term", sum, err)
	}
	if got := required("Share the whiteboard with your team", "whiteboard"); got != "pizarra blanca" {
		t.Errorf("after adding whiteboard, its required translation = %q", got)
	}
	// A known term gets another preferred translation; the old one is
	// superseded, not lost.
	if got := required("Close the notebook now", "notebook"); got != "cuaderno" {
		t.Fatalf("notebook is translated %q before; want cuaderno", got)
	}
	sum, err = m.SetTerm(ctx, memory.TermRequest{SourceLang: "en", TargetLang: "es", Source: "notebook", Target: "bloc"})
	if err != nil || sum.Created || sum.Superseded != 1 {
		t.Fatalf("SetTerm(notebook → bloc) = %+v, %v; want one superseded", sum, err)
	}
	if got := required("Close the notebook now", "notebook"); got != "bloc" {
		t.Errorf("after preferring bloc, notebook is translated %q", got)
	}
	hist, err := m.Store().Facts(ctx, sum.Entity, graph.FactQuery{Predicate: graph.PredLabel, Lang: "es", History: true})
	if err != nil {
		t.Fatal(err)
	}
	kept := false
	for _, f := range hist {
		kept = kept || (f.Literal == "cuaderno" && !f.ValidTo.IsZero())
	}
	if !kept {
		t.Errorf("the superseded translation cuaderno is not in the history: %+v", hist)
	}
	// Deprecating the preferred one: it is never required again.
	if _, err := m.SetTerm(ctx, memory.TermRequest{SourceLang: "en", TargetLang: "es", Source: "notebook", Target: "bloc", Status: graph.StatusDeprecated}); err != nil {
		t.Fatal(err)
	}
	if got := required("Close the notebook now", "notebook"); got == "bloc" {
		t.Errorf("a deprecated translation is still required")
	}
	if _, err := m.SetTerm(ctx, memory.TermRequest{SourceLang: "en", TargetLang: "es", Source: "notebook", Target: "x", Status: "best"}); !errors.Is(err, memory.ErrInvalid) {
		t.Errorf("SetTerm with status best = %v, want ErrInvalid", err)
	}
}
