package retrieval

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/formats"
	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/graph/embedded"
	"github.com/kgmem/kgmem/internal/testenv"
)

// TestMain runs the crash-test helper when asked to (see crash_test.go),
// and removes the shared fixtures at the end.
func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) != "" {
		os.Exit(crashHelper())
	}
	code := m.Run()
	fixtures.cleanup()
	os.Exit(code)
}

// pair is one bilingual text pair of the shared data.
type pair struct {
	domain, source, target string
}

// readPairs reads a shared-data TSV of English–Spanish pairs.
func readPairs(t testing.TB, elem ...string) []pair {
	t.Helper()
	path := testenv.SharedData(t, elem...)
	f, err := formats.Open(path, formats.Options{ReadOptions: corpora.ReadOptions{
		SourceLang: language.English, TargetLang: language.Spanish}})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []pair
	for {
		u, err := f.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, pair{domain: u.Domain, source: u.Source.Plain(), target: u.Target.Plain()})
	}
	return out
}

// segmentsOf turns pairs into graph segments of one file, with their
// neighbours, as the build pipeline writes them.
func segmentsOf(file string, ps []pair) []graph.Segment {
	seen := map[string]bool{}
	out := make([]graph.Segment, 0, len(ps))
	for i, p := range ps {
		id := graph.SegmentID("en", "es", p.source, p.target)
		if seen[id] {
			continue
		}
		seen[id] = true
		sg := graph.Segment{ID: id, SourceLang: "en", TargetLang: "es", Source: p.source, Target: p.target,
			Domain: p.domain, Status: "unspecified",
			Sources: []graph.Source{{File: file, Count: 1, Units: []string{fmt.Sprintf("#%d", i+1)}}}}
		if i > 0 {
			sg.Prev = ps[i-1].source
		}
		if i+1 < len(ps) {
			sg.Next = ps[i+1].source
		}
		out = append(out, sg)
	}
	return out
}

// writeSegments writes segments to a store as one source file, complete.
func writeSegments(ctx context.Context, t testing.TB, st graph.Store, file string, segs []graph.Segment) {
	t.Helper()
	if err := st.SetSourceState(ctx, graph.SourceState{File: file, Hash: "h", Units: len(segs)}); err != nil {
		t.Fatal(err)
	}
	for lo := 0; lo < len(segs); lo += 5000 {
		hi := min(lo+5000, len(segs))
		if err := st.Upsert(ctx, &graph.Batch{Source: file, Segments: segs[lo:hi]}); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.SetSourceState(ctx, graph.SourceState{File: file, Hash: "h", Units: len(segs), Complete: true}); err != nil {
		t.Fatal(err)
	}
}

// fixtureSet builds each shared fixture once per test binary.
type fixtureSet struct {
	mu   sync.Mutex
	dirs map[string]string
	tmp  string
}

var fixtures = &fixtureSet{dirs: map[string]string{}}

func (f *fixtureSet) cleanup() {
	if f.tmp != "" {
		os.RemoveAll(f.tmp)
	}
}

// dataDir returns the data directory of the named fixture, building it
// with build the first time.
func (f *fixtureSet) dataDir(t testing.TB, name string, build func(dataDir string)) string {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if d, ok := f.dirs[name]; ok {
		return d
	}
	if f.tmp == "" {
		tmp, err := os.MkdirTemp("", "kgmem-retrieval-test")
		if err != nil {
			t.Fatal(err)
		}
		f.tmp = tmp
	}
	d := filepath.Join(f.tmp, name)
	build(d)
	f.dirs[name] = d
	return d
}

// gettextTM returns the data directory of a store and index holding the
// shared gettext memory (48k pairs).
func gettextTM(t testing.TB) string {
	return fixtures.dataDir(t, "gettext", func(dir string) {
		ctx := context.Background()
		ps := readPairs(t, "gettext", "en-es.memory.tsv")
		st, err := embedded.Open(ctx, filepath.Join(dir, "graph.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		writeSegments(ctx, t, st, "gettext/en-es.memory.tsv", segmentsOf("gettext/en-es.memory.tsv", ps))
		if _, err := Sync(ctx, st, dir, Options{}); err != nil {
			t.Fatal(err)
		}
	})
}

// openFixture opens a fixture's index for the test.
func openFixture(t testing.TB, dataDir string, opts Options) *Index {
	t.Helper()
	x, err := Open(context.Background(), Dir(dataDir), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	return x
}

// openStore opens a fixture's graph store for the test.
func openStore(t testing.TB, dataDir string) *embedded.Store {
	t.Helper()
	st, err := embedded.Open(context.Background(), filepath.Join(dataDir, "graph.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}
