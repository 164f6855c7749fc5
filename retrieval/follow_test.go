package retrieval

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/graph/dgraph"
	"github.com/kgmem/kgmem/graph/embedded"
	"github.com/kgmem/kgmem/graph/ingest"
	"github.com/kgmem/kgmem/internal/testenv"
)

// followFiles writes three TSV files of English–Spanish pairs: a and b
// share some pairs (so their segments have two files' sources), c is
// another file to add, and a2 is a with some pairs changed.
func followFiles(t *testing.T) (a, b, c, a2 string) {
	t.Helper()
	pairs := readPairs(t, "tico19", "en-es.dev.tsv")
	dir := t.TempDir()
	write := func(name string, ps []pair) string {
		var sb strings.Builder
		for _, p := range ps {
			sb.WriteString(p.source + "\t" + p.target + "\n")
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	a = write("a.tsv", pairs[:300])
	b = write("b.tsv", pairs[250:500])
	c = write("c.tsv", pairs[500:700])
	changed := append(append([]pair(nil), pairs[:200]...), pairs[700:760]...)
	a2 = write("a.tsv.new", changed)
	return a, b, c, a2
}

// followBuild builds files into the store of dataDir as kgmem build-graph
// does: the index follows the build and is finished after it.
func followBuild(t *testing.T, st graph.Store, dataDir string, files ...string) SyncSummary {
	return followBuildShards(t, st, dataDir, 0, files...)
}

// followBuildShards is followBuild into an index of the given number of
// shards (0: as the index has, or one for a new one).
func followBuildShards(t *testing.T, st graph.Store, dataDir string, shards int, files ...string) SyncSummary {
	t.Helper()
	ctx := context.Background()
	x, err := Open(ctx, Dir(dataDir), Options{Shards: shards})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	f := x.Follow(st)
	defer f.Close()
	_, err = ingest.Run(ctx, st, ingest.Options{Paths: files, SourceLang: language.English, TargetLang: language.Spanish,
		BatchSize: 100, ModelDir: dataDir, Index: f})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := f.Finish(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := x.Stats().Shards; shards > 0 && got != shards {
		t.Errorf("the index has %d shards, want %d", got, shards)
	}
	return sum
}

// freshSnapshot is the index a rebuild from the store makes.
func freshSnapshot(t *testing.T, st graph.Store) snapshot {
	t.Helper()
	x, err := Open(context.Background(), filepath.Join(t.TempDir(), "index"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if _, err := x.Rebuild(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	return takeSnapshot(t, x)
}

// followedSnapshot is the index in dataDir, which must be up to date.
func followedSnapshot(t *testing.T, st graph.Store, dataDir string) snapshot {
	t.Helper()
	x, err := Open(context.Background(), Dir(dataDir), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if sum, err := x.CatchUp(context.Background(), st); err != nil || !sum.UpToDate() {
		t.Errorf("after a followed build, CatchUp = %+v, %v; want nothing to do", sum, err)
	}
	snap := takeSnapshot(t, x)
	// Each segment is one document: none indexed twice.
	var docs uint64
	for _, sh := range x.shards {
		n, err := sh.DocCount()
		if err != nil {
			t.Fatal(err)
		}
		docs += n
	}
	if docs != uint64(len(snap.Docs)) {
		t.Errorf("the index has %d documents for %d segments", docs, len(snap.Docs))
	}
	return snap
}

// followStep is one build of TestFollow.
type followStep struct {
	name    string
	files   []string
	rebuilt bool
	before  func() // run before the build
	shards  int    // of the index the build follows into; 0: as it has
}

// TestFollow builds graphs in steps as build-graph does, the index
// following each build, and checks after each that the index equals one
// rebuilt from the store: first builds (a new generation) with and without
// segments two files share, a file added whose segments partly exist
// through another file (sources merged), a file added, and a file
// changed; and a first build into three shards, each built on its own
// goroutine.
func TestFollow(t *testing.T) {
	if testing.Short() {
		t.Skip("builds graphs six times")
	}
	a, b, c, a2 := followFiles(t)
	changeA := func() {
		data, err := os.ReadFile(a2)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(a, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("added", func(t *testing.T) {
		testFollow(t, []followStep{
			{"first build", []string{a}, true, nil, 0},
			{"shared segments", []string{a, b}, false, nil, 0},
		})
	})
	t.Run("together", func(t *testing.T) {
		testFollow(t, []followStep{
			{"first build with shared segments", []string{a, b}, true, nil, 0},
			{"added file", []string{a, b, c}, false, nil, 0},
			{"changed file", []string{a, b, c}, false, changeA, 0},
		})
	})
	t.Run("shards", func(t *testing.T) {
		testFollow(t, []followStep{
			{"first build into three shards", []string{a, b}, true, nil, 3},
			{"added file", []string{a, b, c}, false, nil, 0},
		})
	})
}

// TestFollowDgraph follows builds into Dgraph ($KGMEM_DGRAPH_ADDR), which
// reports merged segments too.
func TestFollowDgraph(t *testing.T) {
	addr := testenv.Env(t, "KGMEM_DGRAPH_ADDR", "start one with scripts/dgraph-local.sh start")
	a, b, c, _ := followFiles(t)
	st, err := dgraph.Open(context.Background(), addr, dgraph.Options{Namespace: fmt.Sprintf("follow%d", time.Now().UnixNano())})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	testFollowIn(t, st, t.TempDir(), []followStep{
		{"first build with shared segments", []string{a, b}, true, nil, 0},
		{"added file", []string{a, b, c}, false, nil, 0},
	})
}

func testFollow(t *testing.T, steps []followStep) {
	dataDir := t.TempDir()
	st, err := embedded.Open(context.Background(), filepath.Join(dataDir, "graph.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	testFollowIn(t, st, dataDir, steps)
}

// testFollowIn runs the builds of steps into st, the index in dataDir.
func testFollowIn(t *testing.T, st graph.Store, dataDir string, steps []followStep) {
	for _, step := range steps {
		if step.before != nil {
			step.before()
		}
		sum := followBuildShards(t, st, dataDir, step.shards, step.files...)
		if sum.Rebuilt != step.rebuilt || sum.Indexed == 0 {
			t.Errorf("%s: %+v; want rebuilt %v and segments indexed", step.name, sum, step.rebuilt)
		}
		got, want := followedSnapshot(t, st, dataDir), freshSnapshot(t, st)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the followed index differs from a rebuilt one (%d and %d documents, %d and %d entities)",
				step.name, len(got.Docs), len(want.Docs), len(got.Entities), len(want.Entities))
			for id, r := range want.Docs {
				if g, ok := got.Docs[id]; !ok || !reflect.DeepEqual(g, r) {
					t.Logf("document %s: got %+v, want %+v", id, g, r)
					break
				}
			}
		}
	}
}

// mergeless hides the store's MergeReporter: a build cannot tell the
// follower how segments were merged.
type mergeless struct{ graph.Store }

// TestFollowWithoutReports: with a store that does not report merged
// segments, the follower indexes nothing during the build and Finish
// catches up from the store.
func TestFollowWithoutReports(t *testing.T) {
	ctx := context.Background()
	dataDir := t.TempDir()
	st, err := embedded.Open(ctx, filepath.Join(dataDir, "graph.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	demo := filepath.Join(testenv.RepoRoot(t), "corpora", "demo", "lumen.tmx")
	sum := followBuild(t, mergeless{st}, dataDir, demo)
	if !sum.Rebuilt || sum.Indexed == 0 {
		t.Errorf("Finish = %+v; want a rebuild from the store", sum)
	}
	if got, want := followedSnapshot(t, st, dataDir), freshSnapshot(t, st); !reflect.DeepEqual(got, want) {
		t.Error("the index differs from a rebuilt one")
	}
}

// TestFollowAbandoned: a build that fails after the follower began leaves
// the index as it was (a new generation being built is removed), and the
// next catch-up brings it up to date.
func TestFollowAbandoned(t *testing.T) {
	ctx := context.Background()
	dataDir := t.TempDir()
	st, err := embedded.Open(ctx, filepath.Join(dataDir, "graph.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	x, err := Open(ctx, Dir(dataDir), Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := x.Follow(st)
	demo := filepath.Join(testenv.RepoRoot(t), "corpora", "demo", "lumen.tmx")
	if _, err := ingest.Run(ctx, st, ingest.Options{Paths: []string{demo}, Index: f}); err != nil {
		t.Fatal(err)
	}
	f.Close() // no Finish: as if the build had failed before
	entries, _ := os.ReadDir(Dir(dataDir))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "gen-") {
			t.Errorf("an abandoned follower left %s", e.Name())
		}
	}
	sum, err := x.CatchUp(ctx, st)
	x.Close()
	if err != nil || !sum.Rebuilt {
		t.Fatalf("CatchUp after an abandoned follower = %+v, %v; want a rebuild", sum, err)
	}
	if got, want := followedSnapshot(t, st, dataDir), freshSnapshot(t, st); !reflect.DeepEqual(got, want) {
		t.Error("the index differs from a rebuilt one")
	}
}
