package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/graph/extract"
	"github.com/kgmem/kgmem/internal/testenv"
)

var updateGraph = flag.Bool("update-graph", false, "rewrite testdata/graph.golden")

// TestGraphGolden builds a graph from fixed input (the demo corpus and
// glossary, and the gettext dev set: 5,635 units) and compares what the
// store holds with testdata/graph.golden: the statistics, and a digest of
// every segment, fact and source state (dump). Work on the speed of
// extraction or of the stores must leave the graph exactly as it was; a
// change meant to alter the graph updates the file with -update-graph.
func TestGraphGolden(t *testing.T) {
	testGraphGolden(t, Options{}, *updateGraph)
}

// TestGraphGoldenSpilled builds the graph of TestGraphGolden with a memory
// limit so small that every table extraction keeps goes to temporary
// files (units, sentence pairs, candidate counts in many runs, segments
// sorted on disk): the graph must be the same.
func TestGraphGoldenSpilled(t *testing.T) {
	tmp := t.TempDir()
	sum := testGraphGolden(t, Options{Extract: extract.Options{MemoryLimit: 64 << 10, TempDir: tmp}}, false)
	if sum.Spilled == 0 {
		t.Error("nothing went to temporary files")
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("the build left %d temporary files or directories in %s", len(left), tmp)
	}
}

func testGraphGolden(t *testing.T, opts Options, update bool) Summary {
	if testing.Short() {
		t.Skip("builds a graph from 5,635 units")
	}
	t.Helper()
	corpus, terms := demoPaths(t)
	dev := testenv.SharedData(t, "gettext", "en-es.dev.tsv")
	s := openStore(t, filepath.Join(t.TempDir(), "graph.db"))
	defer s.Close()
	ctx := context.Background()
	opts.Paths, opts.Terms = []string{dev, corpus}, []string{terms}
	opts.SourceLang, opts.TargetLang = language.English, language.Spanish
	built, err := Run(ctx, s, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", built)
	d := dump(t, s)
	// Sources are named by absolute path: name them by the directory they
	// were found in instead, so that the digest does not depend on where
	// the repository is.
	d = strings.ReplaceAll(d, filepath.Dir(dev), "$GETTEXT")
	d = strings.ReplaceAll(d, filepath.Dir(corpus), "$DEMO")
	lines := strings.Split(d, "\n")
	sort.Strings(lines)
	var stats string
	for _, l := range lines {
		if strings.HasPrefix(l, "{Segments:") {
			stats = l
		}
	}
	sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	got := stats + "\n" + hex.EncodeToString(sum[:]) + "\n"
	golden := filepath.Join("testdata", "graph.golden")
	if update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (create it with -update-graph)", err)
	}
	if got != string(want) {
		t.Errorf("the built graph changed:\n got %s\nwant %s", got, want)
	}
	return built
}
