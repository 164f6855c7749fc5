package textout

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/formats"
	"github.com/kgmem/kgmem/fusion"
	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/plugins"
	"github.com/kgmem/kgmem/plugins/host"
	"github.com/kgmem/kgmem/project"
	"github.com/kgmem/kgmem/qa"
	"github.com/kgmem/kgmem/retrieval"
	"github.com/kgmem/kgmem/server"
	"github.com/kgmem/kgmem/translate"
	"github.com/kgmem/kgmem/translate/evaluate"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/NAME.golden, or rewrites the file
// with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s: got\n%s\nwant\n%s", name, got, want)
	}
}

var when = time.Date(2026, 12, 7, 6, 20, 10, 0, time.UTC)

// TestGolden renders one result of every kind and compares the text
// with the golden files, which are what the commands print.
func TestGolden(t *testing.T) {
	tests := []struct {
		name   string
		render func(w io.Writer) error
	}{
		{"explain", func(w io.Writer) error {
			Explain(w, translate.Result{Source: "Save the file", Translation: "Guarde el archivo", Status: translate.StatusFuzzy, Score: 87,
				Memory: &fusion.MemoryContext{Explanation: []fusion.Decision{
					{Kind: "tm", Item: "Save the files → Guarde los archivos", Kept: true, Weight: 0.87, Reason: "fuzzy 87 %"},
					{Kind: "term", Item: "file → archivo", Weight: 0.2, Reason: "over budget"},
				}},
				Checks: translate.Checks{Problems: []translate.Problem{{Kind: "placeholder", Detail: "lost %s"}}}})
			Explain(w, translate.Result{Source: "Hello", Translation: "Hola", Status: translate.StatusExact})
			return nil
		}},
		{"file-summary", func(w io.Writer) error {
			FileSummary(w, "app.po", "es.po", translate.FileSummary{Units: 5, Translated: 4, Kept: 1, Problems: 1,
				ByStatus: map[string]int{translate.StatusExact: 3, translate.StatusMachine: 1}})
			FileSummary(w, "empty.po", "-", translate.FileSummary{})
			return nil
		}},
		{"tree", func(w io.Writer) error {
			plan := &project.Plan{In: "/src", Out: "/out"}
			Tree(w, plan, &project.Summary{
				Files: []project.FileSummary{
					{Source: "/src/po/app.pot", Out: "/out/po/es.po", Action: project.DidTranslate,
						Units: project.Counts{Exact: 2, Fuzzy: 1, Machine: 3, Problems: 1}, Words: project.Counts{Exact: 4, Fuzzy: 3, Machine: 9},
						Notes: []string{"two lines\nof note"}},
					{Source: "/elsewhere/x.xlf", Out: "/out/x.xlf", Action: project.DidFail, Error: "read x.xlf: bad XML"},
				},
				Total: project.Total{Files: 2, Translated: 1, Failed: 1, Ignored: 3, Seconds: 1.25,
					Units: project.Counts{Exact: 2, Fuzzy: 1, Machine: 3, Problems: 1}, Words: project.Counts{Exact: 4, Fuzzy: 3, Machine: 9},
					Imported: &project.Imported{Files: 1, Units: 10, Terms: 2, Notes: []string{"tm/old.tmx: 1 unit skipped"}}},
			})
			return nil
		}},
		{"matches", func(w io.Writer) error {
			if err := Matches(w, "Save the file", []retrieval.Match{
				{Score: 100, Band: "exact", Source: "Save the file", Target: "Guardar el archivo", Origin: "app.po"},
				{Score: 72, Band: "fuzzy", Source: "Save all files", Target: "Guardar todos los archivos"},
			}); err != nil {
				return err
			}
			return Matches(w, "Nothing like it", nil)
		}},
		{"found", func(w io.Writer) error {
			if err := Found(w, "Open Lumen Notes 4.2", []retrieval.Found{
				{Span: retrieval.Span{Text: "Lumen Notes", Type: "product"}, Info: []retrieval.EntityInfo{
					{ID: "e1", Type: "product", Label: "Lumen Notes",
						Translations: []retrieval.Translation{{Text: "Lumen Notes", Lang: "es", Count: 3, Probability: 0.9, Status: "preferred"}, {Text: "Notas Lumen", Lang: "es", Count: 1, Probability: 0.1}},
						Facts:        []retrieval.FactInfo{{Predicate: "version", Value: "4.2"}},
						Neighbours: []retrieval.NeighbourInfo{{Label: "notes", Predicate: "related", Weight: 0.5, Count: 2,
							Neighbours: []retrieval.NeighbourInfo{{Label: "note", Predicate: "form", Incoming: true, Weight: 1, Count: 1}}}}},
					{ID: "e2", Type: "term", Label: "Lumen"},
				}},
				{Span: retrieval.Span{Text: "4.2", Type: "version", Pattern: true}},
			}); err != nil {
				return err
			}
			return Found(w, "nothing", nil)
		}},
		{"entities", func(w io.Writer) error {
			Entities(w, []memory.EntityView{{Label: "file", Type: "term", Entity: "e7",
				Translations: []memory.Translation{{Text: "archivo", Lang: "es", Count: 12, Score: 0.75, Status: "preferred"}, {Text: "fichero", Lang: "es", Count: 4, Score: 0.25}},
				Facts:        []memory.FactView{{Predicate: "pos", Label: "noun"}},
				Neighbours:   []memory.FactView{{Predicate: "related", Label: "folder", Weight: 0.4, Count: 3}}}})
			return nil
		}},
		{"graph-stats", func(w io.Writer) error {
			return GraphStats(w, graph.Stats{Segments: 1200, Entities: 340, Labels: 800, Facts: 95, Sources: 4,
				ByPredicate: map[string]int{"translation": 60, "related": 35}})
		}},
		{"findings", func(w io.Writer) error {
			if err := Findings(w, []qa.Finding{{File: "es.po", Line: 12, Check: "placeholders", Severity: qa.Error, Message: "lost %s", Hint: "keep it"},
				{File: "es.po", Line: 20, Check: "punctuation", Severity: qa.Warning, Message: "ends with\na newline"}}); err != nil {
				return err
			}
			QASummary(w, qa.Counts{Total: 2, Errors: 1, Warnings: 1, Failing: 1}, 30, 1)
			return nil
		}},
		{"checks", func(w io.Writer) error { return Checks(w, qa.Checks()[:3]) }},
		{"models", func(w io.Writer) error {
			return Models(w, []host.Info{{Name: "apertium", Status: "built-in", Builtin: true}, {Name: "echo", Path: "/p/kgmem-model-echo", Status: "trusted"}})
		}},
		{"description", func(w io.Writer) error {
			if err := Description(w, &plugins.DescribeResponse{Name: "echo", Version: "1.0", Description: "repeats",
				Pairs:        []plugins.LanguagePair{{Source: "en", Target: "es"}, {Source: "en", Target: "fr"}},
				Capabilities: plugins.Capabilities{FuzzyMatches: true, Terms: true, PreferredBatchSize: 16}}); err != nil {
				return err
			}
			return Description(w, &plugins.DescribeResponse{Name: "any", AnyPair: true})
		}},
		{"verification", func(w io.Writer) error {
			Trusted(w, []memory.Trusted{{Trusted: host.Trusted{Path: "/p/kgmem-model-echo", SHA256: "ab12"}}})
			return Verification(w, []memory.Verification{{Info: host.Info{Name: "apertium"}, OK: true}, {Info: host.Info{Name: "echo"}, Problem: "modified since trusted"}})
		}},
		{"memory", func(w io.Writer) error {
			var sum memory.BuildSummary
			sum.Units, sum.Terms, sum.Files, sum.Written, sum.Skipped, sum.Seconds = 100, 5, 2, 90, 1, 2.5
			sum.Segments, sum.Entities, sum.Facts = 98, 40, 12
			sum.Index = retrieval.SyncSummary{Indexed: 98, Seconds: 0.5}
			Built(w, sum)
			Checked(w, memory.CheckReport{Problems: []string{"3 segments not indexed (run kgmem reindex)"}, Store: "ok", Entities: 40, Facts: 12, Segments: 98, Models: 1, Indexed: 95})
			Learned(w, translate.LearnSummary{Segments: 2, SourceLang: "en", TargetLang: "es", Source: "learn:x", Labels: 1, Superseded: 1})
			var bm memory.BackupManifest
			bm.Memory.ID, bm.Graph.Segments, bm.Graph.Entities, bm.Graph.Facts, bm.Models = "m1", 98, 40, 12, []string{"align-en-es"}
			BackedUp(w, bm, "backup.tar.gz")
			Restored(w, bm, "/data", "embedded")
			Exported(w, memory.ExportSummary{Path: "memory.tmx", Format: "tmx", Written: 98})
			var ri memory.ReindexSummary
			ri.Summary.Indexed, ri.Summary.Seconds = 98, 1.5
			ri.Index.Entities, ri.Index.Shards, ri.Index.Bytes, ri.Index.Dir = 40, 2, 2500000, "/data/index"
			Reindexed(w, ri)
			Keys(w, []server.Key{{Name: "ci", Role: server.RoleTranslate, Hint: "kgm_ab", Created: when}})
			Forgot(w, memory.ForgetSummary{ID: "forget:1", Sources: []string{"learn:x"}, Segments: 2, Reopened: 1})
			Unforgot(w, memory.ForgetSummary{ID: "forget:1", Sources: []string{"learn:x", "a.po"}, Segments: 2})
			return nil
		}},
		{"forgets", func(w io.Writer) error {
			return Forgets(w, []memory.ForgetSummary{
				{ID: "forget:2", Time: when, Request: memory.ForgetRequest{Source: "Tag", Target: "Etiqueta"}, Segments: 1, Restored: when.Add(time.Hour)},
				{ID: "forget:1", Time: when, Request: memory.ForgetRequest{Batch: "learn:x"}, Segments: 4},
				{ID: "forget:0", Time: when, Request: memory.ForgetRequest{Origin: "*.po"}},
				{ID: "forget:00", Time: when, Request: memory.ForgetRequest{Source: "Tag"}},
			})
		}},
		{"corpus", func(w io.Writer) error {
			st := &corpora.Stats{Units: 10, SourceWords: 50, TargetWords: 55, Pairs: []corpora.PairCount{{Source: "en", Target: "es", Units: 10}}}
			if err := CorpusStats(w, formats.StatsReport{Stats: st, Files: []formats.FileStats{
				{File: "a.tmx", Format: "tmx", Stats: &corpora.Stats{Units: 6, SourceWords: 30, TargetWords: 33}},
				{File: "b.po", Format: "po", Stats: &corpora.Stats{Units: 4, SourceWords: 20, TargetWords: 22}}}}); err != nil {
				return err
			}
			Converted(w, formats.ConvertSummary{Out: "out.po", Units: 9, Merged: 1, Skipped: 2, Format: "po"})
			Converted(w, formats.ConvertSummary{Out: "out.tmx", Units: 10, Format: "tmx"})
			return nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.render(&b); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name, b.Bytes())
		})
	}
}

// TestScore scores two files and checks the sacreBLEU-style lines.
func TestScore(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	hyp := write("hyp.txt", "the cat sat on the mat\nsave %s now\n")
	ref := write("ref.txt", "the cat sat on the mat\nsave %s now\n")
	rep, err := evaluate.ScoreFiles(context.Background(), evaluate.ScoreRequest{Hyp: hyp, Refs: []string{ref}, Src: ref})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	Score(&b, rep)
	golden(t, "score", b.Bytes())
}

func TestCapabilities(t *testing.T) {
	tests := []struct {
		c    plugins.Capabilities
		want string
	}{
		{plugins.Capabilities{}, "nothing"},
		{plugins.Capabilities{Learn: true}, "learn"},
		{plugins.Capabilities{FuzzyMatches: true, Terms: true, Facts: true, Context: true, Learn: true}, "fuzzy matches, terms, facts, context, learn"},
	}
	for _, tt := range tests {
		if got := Capabilities(tt.c); got != tt.want {
			t.Errorf("Capabilities(%+v) = %q, want %q", tt.c, got, tt.want)
		}
	}
}

func TestStatusCounts(t *testing.T) {
	tests := []struct {
		m    map[string]int
		want string
	}{
		{nil, ""},
		{map[string]int{translate.StatusMachine: 2, translate.StatusExact: 1}, "1 exact, 2 machine"},
		{map[string]int{translate.StatusFuzzy: 3, "other": 9}, "3 fuzzy"},
	}
	for _, tt := range tests {
		if got := StatusCounts(tt.m); got != tt.want {
			t.Errorf("StatusCounts(%v) = %q, want %q", tt.m, got, tt.want)
		}
	}
}

// failAfter fails every write once n bytes have been written.
type failAfter struct{ n int }

var errFull = errors.New("disk full")

func (f *failAfter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		n := f.n
		f.n = 0
		return n, errFull
	}
	f.n -= len(p)
	return len(p), nil
}

// TestWriteError checks that a renderer returns the error of a write
// that fails, wherever it fails.
func TestWriteError(t *testing.T) {
	tests := []struct {
		name   string
		render func(w io.Writer) error
	}{
		{"Built", func(w io.Writer) error { return Built(w, memory.BuildSummary{}) }},
		{"Matches", func(w io.Writer) error {
			return Matches(w, "q", []retrieval.Match{{Score: 90, Source: "a", Target: "b", Origin: "o"}})
		}},
		{"Tree", func(w io.Writer) error {
			return Tree(w, &project.Plan{}, &project.Summary{Total: project.Total{Imported: &project.Imported{}}})
		}},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		if err := tt.render(&b); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		for n := 0; n < b.Len(); n += 7 {
			if err := tt.render(&failAfter{n: n}); !errors.Is(err, errFull) {
				t.Errorf("%s to a writer failing after %d bytes = %v, want %v", tt.name, n, err, errFull)
			}
		}
	}
}
