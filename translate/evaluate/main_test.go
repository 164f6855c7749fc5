package evaluate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/demo"
	"github.com/kgmem/kgmem/corpora/formats"
	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/graph/embedded"
	"github.com/kgmem/kgmem/graph/ingest"
	"github.com/kgmem/kgmem/plugins/builtin"
	"github.com/kgmem/kgmem/plugins/host"
	"github.com/kgmem/kgmem/retrieval"
	"github.com/kgmem/kgmem/translate"
)

// The test binary serves the built-in models as `kgmem plugin serve NAME`
// would, so that the tests run them through the real host, each in a
// process of its own.
func TestMain(m *testing.M) {
	if len(os.Args) == 4 && os.Args[1] == "plugin" && os.Args[2] == "serve" {
		if err := builtin.Serve(os.Args[3]); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	code := m.Run()
	if demoDir != "" {
		os.RemoveAll(demoDir)
	}
	os.Exit(code)
}

// startModel starts a built-in model through the host.
func startModel(t *testing.T, name string) *host.Model {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	h, err := host.New(host.Options{Builtins: builtin.Names(),
		BuiltinCommand: func(name string) *exec.Cmd { return exec.Command(exe, "plugin", "serve", name) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	m, err := h.Start(context.Background(), name)
	if err != nil {
		t.Fatalf("start model %s: %v", name, err)
	}
	return m
}

var (
	demoOnce sync.Once
	demoDir  string // the demo corpus and, in data/, its memory
	demoErr  error
)

// demoMemory returns a data directory holding the memory built from the
// demo corpus (its TMX and term base), built once per test binary. Tests
// must not write to it: Snapshot it first.
func demoMemory(t *testing.T) string {
	t.Helper()
	demoOnce.Do(func() {
		ctx := context.Background()
		if demoDir, demoErr = os.MkdirTemp("", "kgmem-evaluate-test-"); demoErr != nil {
			return
		}
		if demoErr = os.CopyFS(filepath.Join(demoDir, "corpus"), demo.Files); demoErr != nil {
			return
		}
		data := filepath.Join(demoDir, "data")
		st, err := embedded.Open(ctx, filepath.Join(data, StoreFile))
		if err != nil {
			demoErr = err
			return
		}
		defer st.Close()
		_, demoErr = ingest.Run(ctx, st, ingest.Options{Paths: []string{filepath.Join(demoDir, "corpus", demo.TMX)},
			Terms: []string{filepath.Join(demoDir, "corpus", demo.Glossary)}, SourceLang: language.English, TargetLang: language.Spanish})
		if demoErr == nil {
			_, demoErr = retrieval.Sync(ctx, st, data, retrieval.Options{})
		}
	})
	if demoErr != nil {
		t.Fatalf("build the demo memory: %v", demoErr)
	}
	return filepath.Join(demoDir, "data")
}

// openedMemory is a graph store and its index, opened for a test.
type openedMemory struct {
	store graph.Store
	index *retrieval.Index
}

// openMemory opens the memory of dataDir until the test ends.
func openMemory(t *testing.T, dataDir string) *openedMemory {
	t.Helper()
	ctx := context.Background()
	st, err := embedded.Open(ctx, filepath.Join(dataDir, StoreFile))
	if err != nil {
		t.Fatal(err)
	}
	idx, err := retrieval.Open(ctx, retrieval.Dir(dataDir), retrieval.Options{})
	if err != nil {
		st.Close()
		t.Fatal(err)
	}
	if _, err := idx.CatchUp(ctx, st); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close(); st.Close() })
	return &openedMemory{store: st, index: idx}
}

// pipelineMemory is the pipeline's view of m, as `kgmem translate` makes
// it for a model that uses no facts.
func (m *openedMemory) pipelineMemory() translate.Memory {
	im := translate.NewMemory(m.index, m.index, m.store)
	im.Spotter = func(lang string) translate.Spotter { return m.index.Spotter(lang) }
	return im
}

// demoUnits returns the demo TMX's units without inline codes, in order,
// one per source text.
func demoUnits(t *testing.T) []*corpora.Unit {
	t.Helper()
	path := filepath.Join(filepath.Dir(demoMemory(t)), "corpus", demo.TMX)
	f, err := formats.Open(path, formats.Options{ReadOptions: corpora.ReadOptions{Name: path, SourceLang: language.English, TargetLang: language.Spanish}})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []*corpora.Unit
	seen := map[string]bool{}
	for {
		u, err := f.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		src := u.Source.Plain()
		if u.Source.HasCodes() || u.Target.HasCodes() || seen[src] || strings.ContainsAny(src+u.Target.Plain(), "\t\n\\") {
			continue
		}
		seen[src] = true
		out = append(out, u)
	}
	return out
}

// writeTSV writes pairs as a TSV test file with a header.
func writeTSV(t *testing.T, pairs [][2]string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("source\ttarget\n")
	for _, p := range pairs {
		b.WriteString(p[0] + "\t" + p[1] + "\n")
	}
	path := filepath.Join(t.TempDir(), "test.tsv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
