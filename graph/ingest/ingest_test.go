package ingest

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/graph/dgraph"
	"github.com/kgmem/kgmem/graph/embedded"
	"github.com/kgmem/kgmem/internal/testenv"
)

// demoPaths are the repository's demo corpus and glossary.
func demoPaths(t *testing.T) (corpus, terms string) {
	root := testenv.RepoRoot(t)
	return filepath.Join(root, "corpora", "demo", "lumen.tmx"), filepath.Join(root, "corpora", "demo", "glossary.tbx")
}

func openStore(t *testing.T, path string) *embedded.Store {
	t.Helper()
	s, err := embedded.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// dump is everything observable in a store, without write times.
func dump(t *testing.T, s graph.Store) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "%+v\n", st)
	entities := map[string]bool{}
	err = s.Segments(ctx, func(sg *graph.Segment) error {
		data, _ := json.Marshal(sg)
		b.Write(data)
		b.WriteByte('\n')
		for _, m := range sg.Mentions {
			entities[m.Entity] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Every entity reachable from a mention, through facts.
	queue := make([]string, 0, len(entities))
	for id := range entities {
		queue = append(queue, id)
	}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		fs, err := s.Facts(ctx, id, graph.FactQuery{History: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			f.ValidFrom, f.ValidTo = time.Time{}, time.Time{}
			data, _ := json.Marshal(f)
			b.Write(data)
			b.WriteByte('\n')
			if f.Object != "" && !entities[f.Object] {
				entities[f.Object] = true
				queue = append(queue, f.Object)
			}
		}
	}
	states, err := s.SourceStates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range states {
		fmt.Fprintf(&b, "%s %s %v %d\n", st.File, st.Hash, st.Complete, st.Units)
	}
	lines := strings.Split(b.String(), "\n")
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func TestIdempotent(t *testing.T) {
	s := openStore(t, filepath.Join(t.TempDir(), "graph.db"))
	defer s.Close()
	testIdempotent(t, s, 0)
}

// TestIdempotentDgraph builds into a real Dgraph ($KGMEM_DGRAPH_ADDR), in
// batches small enough that several are in flight at once.
func TestIdempotentDgraph(t *testing.T) {
	addr := testenv.Env(t, "KGMEM_DGRAPH_ADDR", "start one with scripts/dgraph-local.sh start")
	s, err := dgraph.Open(context.Background(), addr, dgraph.Options{Namespace: fmt.Sprintf("ingest%d", time.Now().UnixNano())})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	testIdempotent(t, s, 40)
}

func testIdempotent(t *testing.T, s graph.Store, batch int) {
	corpus, terms := demoPaths(t)
	ctx := context.Background()
	opts := Options{Paths: []string{corpus}, Terms: []string{terms}, BatchSize: batch}
	first, err := Run(ctx, s, opts)
	if err != nil {
		t.Fatal(err)
	}
	if first.Units != 348 || first.Terms != 49 || first.Written != 2 || first.Segments == 0 || first.Entities == 0 {
		t.Errorf("first run = %+v", first)
	}
	before := dump(t, s)
	second, err := Run(ctx, s, opts)
	if err != nil {
		t.Fatal(err)
	}
	if second.Written != 0 || second.Unchanged != 2 {
		t.Errorf("second run wrote %d files, %d unchanged; want 0 and 2", second.Written, second.Unchanged)
	}
	if after := dump(t, s); after != before {
		t.Errorf("second run changed the graph")
	}
	// Forcing a rewrite (a file marked incomplete, as a killed run leaves
	// it) also ends in the same graph.
	states, _ := s.SourceStates(ctx)
	for _, st := range states {
		st.Complete = false
		if err := s.SetSourceState(ctx, st); err != nil {
			t.Fatal(err)
		}
	}
	third, err := Run(ctx, s, opts)
	if err != nil {
		t.Fatal(err)
	}
	if third.Written != 2 {
		t.Errorf("third run wrote %d files, want 2", third.Written)
	}
	if after := dump(t, s); after != before {
		t.Errorf("rewriting incomplete files changed the graph")
	}
}

// The crash test re-executes the test binary as a child that builds a
// graph; the parent kills it with SIGKILL while it writes.
const childEnv = "KGMEM_INGEST_CHILD"

func TestMain(m *testing.M) {
	if spec := os.Getenv(childEnv); spec != "" {
		os.Exit(runChild(spec))
	}
	os.Exit(m.Run())
}

type childSpec struct {
	Store string
	Opts  Options
}

// childProgress prints each phase on stdout for the parent to see.
type childProgress struct{}

func (childProgress) Phase(name string, total int64) { fmt.Println("phase", name) }
func (childProgress) Add(int64)                      {}

func runChild(spec string) int {
	var cs childSpec
	if err := json.Unmarshal([]byte(spec), &cs); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	s, err := embedded.Open(context.Background(), cs.Store)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	cs.Opts.Progress = childProgress{}
	if _, err := Run(context.Background(), s, cs.Opts); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	s.Close()
	fmt.Println("done")
	return 0
}

func TestKilledBuildResumes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a graph three times")
	}
	corpus, terms := demoPaths(t)
	dev := testenv.SharedData(t, "gettext", "en-es.dev.tsv")
	opts := Options{Paths: []string{dev, corpus}, Terms: []string{terms}, BatchSize: 100,
		SourceLang: language.English, TargetLang: language.Spanish}
	ctx := context.Background()

	// The uninterrupted build.
	refPath := filepath.Join(t.TempDir(), "ref.db")
	ref := openStore(t, refPath)
	if _, err := Run(ctx, ref, opts); err != nil {
		t.Fatal(err)
	}
	want := dump(t, ref)
	ref.Close()

	interrupted := 0
	for _, delay := range []time.Duration{0, 150 * time.Millisecond, 400 * time.Millisecond} {
		t.Run(fmt.Sprint(delay), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "graph.db")
			spec, err := json.Marshal(childSpec{Store: path, Opts: opts})
			if err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), childEnv+"="+string(spec))
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			cmd.Stderr = os.Stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			sc := bufio.NewScanner(out)
			killed := false
			for sc.Scan() {
				if sc.Text() == "phase writing" {
					time.Sleep(delay)
					_ = cmd.Process.Signal(syscall.SIGKILL)
					killed = true
					break
				}
			}
			_ = cmd.Wait()
			if !killed {
				t.Fatal("the child finished before it was killed")
			}
			s := openStore(t, path)
			defer s.Close()
			states, err := s.SourceStates(ctx)
			if err != nil {
				t.Fatal(err)
			}
			complete := 0
			for _, st := range states {
				if st.Complete {
					complete++
				}
			}
			if complete < 3 {
				interrupted++ // the kill landed before the last file was complete
			}
			t.Logf("killed after %v: %d of 3 files complete", delay, complete)
			if _, err := Run(ctx, s, opts); err != nil {
				t.Fatalf("re-run after SIGKILL: %v", err)
			}
			if got := dump(t, s); got != want {
				t.Errorf("graph after a killed build and a re-run differs from an uninterrupted build (%d vs %d bytes)", len(got), len(want))
			}
		})
	}
	if interrupted == 0 {
		t.Error("no kill landed while files were being written; the test proved nothing")
	}
}
