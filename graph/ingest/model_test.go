package ingest

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/graph/dgraph"
	"github.com/kgmem/kgmem/graph/extract"
	"github.com/kgmem/kgmem/internal/testenv"
)

// tatoebaFiles writes two TSV files of consecutive Tatoeba pairs: the
// first build's and the second's.
func tatoebaFiles(t *testing.T, dir string, from, nA, nB int) (a, b string) {
	t.Helper()
	f, err := os.Open(testenv.SharedData(t, "tatoeba", "en-es.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var bufA, bufB bytes.Buffer
	sc := bufio.NewScanner(f)
	for i := 0; sc.Scan() && i < from+nA+nB; i++ {
		switch {
		case i < from:
		case i < from+nA:
			bufA.WriteString(sc.Text() + "\n")
		default:
			bufB.WriteString(sc.Text() + "\n")
		}
	}
	a, b = filepath.Join(dir, "first.tsv"), filepath.Join(dir, "second.tsv")
	for _, w := range []struct {
		path string
		data []byte
	}{{a, bufA.Bytes()}, {b, bufB.Bytes()}} {
		if err := os.WriteFile(w.path, w.data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return a, b
}

// build runs one build into the embedded store at db, keeping models in
// modelDir, and closes the store.
func build(t *testing.T, db, modelDir string, paths ...string) Summary {
	t.Helper()
	s := openStore(t, db)
	defer s.Close()
	sum, err := Run(context.Background(), s, incrOptions(modelDir, paths...))
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

func incrOptions(modelDir string, paths ...string) Options {
	return Options{Paths: paths, SourceLang: language.English, TargetLang: language.Spanish, BatchSize: 50, ModelDir: modelDir}
}

// state is everything observable after a build: the graph (dump) and the
// alignment model file, by hash.
func state(t *testing.T, db, modelDir string) string {
	t.Helper()
	s := openStore(t, db)
	defer s.Close()
	model := "no model"
	if data, err := os.ReadFile(filepath.Join(modelDir, extract.ModelFileName("en", "es"))); err == nil {
		sum := sha256.Sum256(data)
		model = fmt.Sprintf("model %d bytes %s", len(data), hex.EncodeToString(sum[:8]))
	}
	entries, _ := os.ReadDir(modelDir)
	var names []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "align.") {
			names = append(names, e.Name())
		}
	}
	return dump(t, s) + "\n" + model + "\nfiles: " + strings.Join(names, " ")
}

// snapshot copies the store file and the model directory to a new place.
func snapshot(t *testing.T, db, modelDir string) (string, string) {
	t.Helper()
	dir := t.TempDir()
	newDB, newModels := filepath.Join(dir, "graph.db"), filepath.Join(dir, "models")
	copyFile(t, db, newDB)
	if err := os.MkdirAll(newModels, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(modelDir)
	for _, e := range entries {
		copyFile(t, filepath.Join(modelDir, e.Name()), filepath.Join(newModels, e.Name()))
	}
	return newDB, newModels
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestIncrementalBuild builds from one file, then adds a second file in a
// second build that reads only it, keeping the alignment model between the
// two; and checks that every way the second build can be interrupted or
// repeated ends in the state of the uninterrupted builds.
func TestIncrementalBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds graphs a dozen times")
	}
	dir := t.TempDir()
	a, b := tatoebaFiles(t, dir, 20000, 3000, 1500)
	absA, _ := filepath.Abs(a)
	absB, _ := filepath.Abs(b)

	// The uninterrupted builds: the first file, then the second.
	db, models := filepath.Join(dir, "ref", "graph.db"), filepath.Join(dir, "ref")
	first := build(t, db, models, a)
	afterFirstDB, afterFirstModels := snapshot(t, db, models)
	second := build(t, db, models, b)
	if first.Written != 1 || second.Written != 1 || second.Units != 1500 {
		t.Fatalf("builds wrote %d and %d files, read %d units in the second; want 1, 1, 1500", first.Written, second.Written, second.Units)
	}
	want := state(t, db, models)
	m, err := extract.ReadModelFile(filepath.Join(models, extract.ModelFileName("en", "es")))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Sources) != 2 || m.Sources[0].Name != absA || m.Sources[1].Name != absB {
		t.Errorf("model sources = %v, want %s and %s", m.Sources, absA, absB)
	}
	ws, wt := m.Words()
	t.Logf("model after both builds: %d+%d words, %d word pairs", ws, wt, m.Pairs())

	t.Run("repeated", func(t *testing.T) {
		db, models := snapshot(t, db, models)
		if sum := build(t, db, models, b); sum.Written != 0 {
			t.Errorf("repeating the second build wrote %d files", sum.Written)
		}
		if sum := build(t, db, models, a, b); sum.Written != 0 {
			t.Errorf("a build of both files wrote %d files", sum.Written)
		}
		if got := state(t, db, models); got != want {
			t.Error("repeating the builds changed the graph or the model")
		}
	})
	t.Run("rewritten", func(t *testing.T) {
		// A file the model has counted and that is marked incomplete is
		// rewritten from the counts the model already has: the second
		// file, aligned by the model it made, comes out the same. (The
		// first file would be aligned by the newer model.)
		db, models := snapshot(t, db, models)
		s := openStore(t, db)
		states, _ := s.SourceStates(context.Background())
		for _, st := range states {
			if st.File != absB {
				continue
			}
			st.Complete = false
			if err := s.SetSourceState(context.Background(), st); err != nil {
				t.Fatal(err)
			}
		}
		s.Close()
		if sum := build(t, db, models, b); sum.Written != 1 {
			t.Errorf("rewrote %d files, want 1", sum.Written)
		}
		if got := state(t, db, models); got != want {
			t.Error("rewriting the second file from the kept model changed the graph or the model")
		}
	})
	t.Run("killed before the model was saved", func(t *testing.T) {
		// The store has the second file complete, the model is the first
		// build's (and a temporary file a killed write left behind).
		db, _ := snapshot(t, db, models)
		_, models := snapshot(t, afterFirstDB, afterFirstModels)
		junk := filepath.Join(models, extract.ModelFileName("en", "es")+".tmp4242")
		if err := os.WriteFile(junk, []byte("KGMALIGN half a mod"), 0o644); err != nil {
			t.Fatal(err)
		}
		if sum := build(t, db, models, b); sum.Written != 0 {
			t.Errorf("re-run wrote %d files, want 0", sum.Written)
		}
		if got := state(t, db, models); got != want {
			t.Error("the re-run after a kill before the model was saved differs from the uninterrupted builds")
		}
	})
	t.Run("SIGKILL", func(t *testing.T) {
		interrupted := 0
		for _, kill := range []struct {
			phase string
			delay time.Duration
		}{{"writing", 0}, {"writing", 300 * time.Millisecond}, {"saving alignment models", 0}} {
			db, models := snapshot(t, afterFirstDB, afterFirstModels)
			if killChild(t, db, incrOptions(models, b), kill.phase, kill.delay) {
				interrupted++
			}
			if sum := build(t, db, models, b); sum.Units != 1500 {
				t.Fatalf("re-run read %d units", sum.Units)
			}
			if got := state(t, db, models); got != want {
				t.Errorf("killed in phase %q after %v: the re-run differs from the uninterrupted builds", kill.phase, kill.delay)
			}
		}
		t.Logf("%d of 3 kills landed before the second build ended", interrupted)
	})
	t.Run("damaged model", func(t *testing.T) {
		db, models := snapshot(t, db, models)
		path := filepath.Join(models, extract.ModelFileName("en", "es"))
		data, _ := os.ReadFile(path)
		if err := os.WriteFile(path, data[:len(data)/2], 0o644); err != nil {
			t.Fatal(err)
		}
		before := state(t, db, models)
		s := openStore(t, db)
		_, err := Run(context.Background(), s, incrOptions(models, b))
		s.Close()
		if !errors.Is(err, extract.ErrModelCorrupt) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "delete it and rerun build-graph") {
			t.Errorf("Run with a truncated model = %v; want an error naming %s and what to do", err, path)
		}
		if after := state(t, db, models); after != before {
			t.Error("a build that failed on a damaged model changed the graph")
		}
	})
	t.Run("model of another graph", func(t *testing.T) {
		// A new, empty store beside a kept model: the model is dropped and
		// the build equals a first build.
		_, models := snapshot(t, db, models)
		newDB := filepath.Join(t.TempDir(), "graph.db")
		build(t, newDB, models, a)
		freshDB, freshModels := filepath.Join(t.TempDir(), "graph.db"), t.TempDir()
		build(t, freshDB, freshModels, a)
		if got, want := state(t, newDB, models), state(t, freshDB, freshModels); got != want {
			t.Errorf("a build beside the model of another graph differs from a first build:\n%s", lineDiff(got, want))
		}
	})
}

// killChild runs a build in a child process and kills it with SIGKILL when
// it starts the phase (after delay). It reports whether the kill landed
// before the build ended.
func killChild(t *testing.T, db string, opts Options, phase string, delay time.Duration) bool {
	t.Helper()
	spec, err := json.Marshal(childSpec{Store: db, Opts: opts})
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
	landed := false
	for sc.Scan() {
		if sc.Text() == "phase "+phase {
			time.Sleep(delay)
			_ = cmd.Process.Signal(syscall.SIGKILL)
			landed = true
			break
		}
	}
	for sc.Scan() {
		if sc.Text() == "done" {
			landed = false
		}
	}
	_ = cmd.Wait()
	if st := cmd.ProcessState; st != nil && st.Success() {
		landed = false
	}
	return landed
}

// TestIncrementalBuildDgraph adds a file to a Dgraph graph
// ($KGMEM_DGRAPH_ADDR) in a second build, with the model kept in the
// directory ModelDir gives for the graph's URI.
func TestIncrementalBuildDgraph(t *testing.T) {
	addr := testenv.Env(t, "KGMEM_DGRAPH_ADDR", "start one with scripts/dgraph-local.sh start")
	dir := t.TempDir()
	a, b := tatoebaFiles(t, dir, 20000, 1000, 500)
	s, err := dgraph.Open(context.Background(), addr, dgraph.Options{Namespace: fmt.Sprintf("incr%d", time.Now().UnixNano())})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	models := ModelDir(dir, "dgraph://"+addr)
	if want := filepath.Join(dir, "alignment", "dgraph", strings.ReplaceAll(addr, ":", "_")); models != want {
		t.Errorf("ModelDir = %s, want %s", models, want)
	}
	ctx := context.Background()
	for _, paths := range [][]string{{a}, {b}} {
		if _, err := Run(ctx, s, incrOptions(models, paths...)); err != nil {
			t.Fatal(err)
		}
	}
	m, err := extract.ReadModelFile(filepath.Join(models, extract.ModelFileName("en", "es")))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Sources) != 2 {
		t.Errorf("model sources = %v, want both files", m.Sources)
	}
	var st graph.Stats
	if st, err = s.Stats(ctx); err != nil || st.Segments == 0 {
		t.Errorf("Stats = %+v, %v", st, err)
	}
	sum, err := Run(ctx, s, incrOptions(models, b))
	if err != nil || sum.Written != 0 {
		t.Errorf("repeating the second build: %+v, %v", sum, err)
	}
}

func TestModelDir(t *testing.T) {
	tests := []struct{ uri, want string }{
		{"", "/data"},
		{"embedded", "/data"},
		{"embedded:/graphs/a.db", "/graphs/a.db.models"},
		{"dgraph://127.0.0.1:9080", "/data/alignment/dgraph/127.0.0.1_9080"},
		{"dgraph://a:9180,b:9181", "/data/alignment/dgraph/a_9180_b_9181"},
	}
	for _, tt := range tests {
		if got := ModelDir("/data", tt.uri); got != tt.want {
			t.Errorf("ModelDir(%q) = %q, want %q", tt.uri, got, tt.want)
		}
	}
}

// lineDiff lists the lines only in got and only in want (the first few).
func lineDiff(got, want string) string {
	in := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, l := range strings.Split(s, "\n") {
			m[l] = true
		}
		return m
	}
	g, w := in(got), in(want)
	var out []string
	for l := range g {
		if !w[l] && len(out) < 5 {
			out = append(out, "+ "+l)
		}
	}
	for l := range w {
		if !g[l] && len(out) < 10 {
			out = append(out, "- "+l)
		}
	}
	return strings.Join(out, "\n")
}

// TestUnchangedNotRead: a file complete in the graph with the same content,
// whose units the kept model has counted, is not read again, neither on a
// re-run nor when a new file is added with it; a file the model has not
// counted (a build killed before it saved the model) is.
func TestUnchangedNotRead(t *testing.T) {
	dir := t.TempDir()
	a, b := tatoebaFiles(t, dir, 40000, 800, 300)
	db, models := filepath.Join(dir, "graph.db"), filepath.Join(dir, "models")
	if sum := build(t, db, models, a); sum.Read != 1 || sum.Units != 800 {
		t.Fatalf("first build read %d files, %d units; want 1, 800", sum.Read, sum.Units)
	}
	before := state(t, db, models)
	if sum := build(t, db, models, a); sum.Read != 0 || sum.Units != 0 || sum.Unchanged != 1 {
		t.Errorf("re-run read %d files, %d units, %d unchanged; want 0, 0, 1", sum.Read, sum.Units, sum.Unchanged)
	}
	if state(t, db, models) != before {
		t.Error("the re-run changed the graph or the model")
	}
	if sum := build(t, db, models, a, b); sum.Read != 1 || sum.Units != 300 || sum.Written != 1 {
		t.Errorf("adding a file read %d files, %d units, wrote %d; want 1, 300, 1", sum.Read, sum.Units, sum.Written)
	}
	// Without the model, the graph alone does not say the units were
	// counted: the file is read (and counted) once more.
	os.Remove(filepath.Join(models, extract.ModelFileName("en", "es")))
	if sum := build(t, db, models, a, b); sum.Read != 2 || sum.Written != 0 {
		t.Errorf("with no model, a re-run read %d files and wrote %d; want 2, 0", sum.Read, sum.Written)
	}
	if sum := build(t, db, models, a, b); sum.Read != 0 {
		t.Errorf("once the model counts them, a re-run read %d files; want 0", sum.Read)
	}
}
