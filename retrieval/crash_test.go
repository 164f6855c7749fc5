package retrieval

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/graph/embedded"
	"github.com/kgmem/kgmem/graph/ingest"
	"github.com/kgmem/kgmem/internal/testenv"
)

// helperEnv makes the test binary run crashHelper instead of the tests:
// a build as kgmem build-graph does it (ingest.Run with the index
// following, then Finish), in a process the crash test can kill.
const helperEnv = "KGMEM_RETRIEVAL_CRASH_HELPER"

// crashHelper builds the graph and the index of the data directory in
// $KGMEM_RETRIEVAL_CRASH_HELPER from the files in $KGMEM_CRASH_FILES
// (term bases prefixed with "terms:").
func crashHelper() int {
	ctx := context.Background()
	dataDir := os.Getenv(helperEnv)
	var paths, terms []string
	for _, f := range strings.Split(os.Getenv("KGMEM_CRASH_FILES"), "\n") {
		if t, ok := strings.CutPrefix(f, "terms:"); ok {
			terms = append(terms, t)
		} else {
			paths = append(paths, f)
		}
	}
	st, err := embedded.Open(ctx, filepath.Join(dataDir, "graph.db"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer st.Close()
	// As kgmem build-graph: the index follows the build.
	x, err := Open(ctx, Dir(dataDir), Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer x.Close()
	f := x.Follow(st)
	defer f.Close()
	_, err = ingest.Run(ctx, st, ingest.Options{Paths: paths, Terms: terms,
		SourceLang: language.English, TargetLang: language.Spanish, BatchSize: 500, Index: f})
	if err == nil {
		_, err = f.Finish(ctx)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// runHelper runs a build in a subprocess; with kill > 0 it is killed
// with SIGKILL after that long (if still running). It returns how long
// the process ran and whether it was killed.
func runHelper(t *testing.T, dataDir string, files []string, kill time.Duration) (time.Duration, bool) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperEnv+"="+dataDir, "KGMEM_CRASH_FILES="+strings.Join(files, "\n"))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if kill > 0 {
		timer := time.AfterFunc(kill, func() { cmd.Process.Signal(syscall.SIGKILL) })
		defer timer.Stop()
	}
	err := cmd.Wait()
	took := time.Since(start)
	if kill == 0 && err != nil {
		t.Fatalf("build failed: %v\n%s", err, stderr.String())
	}
	if kill > 0 && err != nil && !strings.Contains(err.Error(), "killed") {
		t.Fatalf("build failed before it was killed: %v\n%s", err, stderr.String())
	}
	return took, err != nil
}

// TestCrashConsistency kills builds (graph and index) at various points
// and checks that the next run leaves an index that answers exactly as
// the index of an uninterrupted build does: builds from nothing (the
// index is built whole) and builds that add a file to a finished build
// (the index is caught up incrementally).
func TestCrashConsistency(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a dozen builds in subprocesses")
	}
	demo := filepath.Join(testenv.RepoRoot(t), "corpora", "demo")
	files := []string{
		"terms:" + testenv.SharedData(t, "tico19", "f_en-es_XX.csv"),
		"terms:" + filepath.Join(demo, "glossary.tbx"),
		filepath.Join(demo, "lumen.tmx"),
		testenv.SharedData(t, "tico19", "en-es.dev.tsv"),
		testenv.SharedData(t, "gettext", "en-es.dev.tsv"),
		testenv.SharedData(t, "gettext", "en-es.iso-codes.tsv"),
	}
	ref := t.TempDir()
	full, _ := runHelper(t, ref, files, 0)
	want, wantSpans := answers(t, ref)
	if len(want) < 80 {
		t.Fatalf("only %d matches from the reference index", len(want))
	}
	// A finished build of all files but the last, to add it to.
	base := t.TempDir()
	runHelper(t, base, files[:len(files)-1], 0)
	// Files already in a graph are not extracted again when another is
	// added, so the graph (and its entities) after adding a file is not
	// the graph of a build of all files at once: the reference for
	// interrupted additions is an uninterrupted addition.
	probe := t.TempDir()
	copyDir(t, base, probe)
	more, _ := runHelper(t, probe, files, 0)
	wantMore, wantMoreSpans := answers(t, probe)
	t.Logf("an uninterrupted build takes %v; adding the last file to a build %v", full, more)

	check := func(name, dir string, want, wantSpans []string) {
		got, gotSpans := answers(t, dir)
		if !reflect.DeepEqual(got, want) {
			n := 0
			for i := range want {
				if i >= len(got) || got[i] != want[i] {
					if n++; n <= 3 {
						g := ""
						if i < len(got) {
							g = got[i]
						}
						t.Errorf("%s: %s\n           want %s", name, g, want[i])
					}
				}
			}
			t.Errorf("%s: %d of %d answers differ (got %d)", name, n, len(want), len(got))
		}
		for i := range wantSpans {
			if i < len(gotSpans) && gotSpans[i] != wantSpans[i] {
				t.Errorf("%s: spotted entities differ:\n got %.300s\nwant %.300s", name, gotSpans[i], wantSpans[i])
				break
			}
		}
	}
	// killAt kills a build at frac of its expected duration, in a data
	// directory prepare makes. A build that finished first (the machine
	// got faster than when the duration was measured) is tried again in a
	// fresh directory, with the duration it just took.
	killed := 0
	killAt := func(frac float64, expected time.Duration, prepare func() string) string {
		for try := 0; ; try++ {
			dir := prepare()
			took, k := runHelper(t, dir, files, time.Duration(frac*float64(expected)))
			if k || try == 2 {
				if k {
					killed++
				}
				return dir
			}
			expected = took
		}
	}
	for _, frac := range []float64{0.15, 0.45, 0.75, 0.92} {
		dir := killAt(frac, full, func() string { return t.TempDir() })
		runHelper(t, dir, files, 0)
		check(fmt.Sprintf("new build killed at %.0f %%", 100*frac), dir, want, wantSpans)

		dir = killAt(frac, more, func() string {
			dir := t.TempDir()
			copyDir(t, base, dir)
			return dir
		})
		runHelper(t, dir, files, 0)
		check(fmt.Sprintf("added file, build killed at %.0f %%", 100*frac), dir, wantMore, wantMoreSpans)
	}
	t.Logf("%d of 8 builds were killed before they finished", killed)
	if killed < 6 {
		t.Errorf("only %d of 8 builds were killed: the kill points do not cover the build", killed)
	}
}

// copyDir copies a data directory (graph and index) to an empty one.
func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.Walk(from, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if fi.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, fi.Mode())
	})
	if err != nil {
		t.Fatal(err)
	}
}

// answers looks up and spots a fixed set of sentences in a data
// directory's index, after catching it up.
func answers(t *testing.T, dataDir string) ([]string, []string) {
	t.Helper()
	ctx := context.Background()
	st := openStore(t, dataDir)
	x := openFixture(t, dataDir, Options{})
	if sum, err := x.CatchUp(ctx, st); err != nil {
		t.Fatal(err)
	} else if !sum.UpToDate() {
		t.Errorf("the index of a finished build was not up to date: %+v", sum)
	}
	queries := []string{"Open the notebook", "Delete Note", "Sync Settings", "Lumen Notes keeps your notes in sync",
		"The file could not be deleted", "Spain", "Symptoms of COVID-19 include fever and cough", "Cancel", "_Open", "Save As…"}
	for _, p := range readPairs(t, "tico19", "en-es.dev.tsv")[:60] {
		queries = append(queries, p.source)
	}
	var out, sp []string
	for _, q := range queries {
		ms, err := x.Lookup(ctx, Query{Text: q, SourceLang: "en", TargetLang: "es", Limit: 3})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			out = append(out, fmt.Sprintf("%q → %d %s %q %s", q, m.Score, m.ID, m.Target, m.Origin))
		}
		sp = append(sp, spans(x.Spotter("en").Spot(q)))
	}
	return out, sp
}
