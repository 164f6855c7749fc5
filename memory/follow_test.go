package memory_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora/demo"
	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/internal/testenv"
	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/retrieval"
	"github.com/kgmem/kgmem/translate"
)

// sharedMemories builds the demo corpus (from a copy of its own, so that
// runs on one Dgraph do not share sources) into a Dgraph graph through
// one data directory and opens a second data directory on the same graph,
// as two servers on one cluster have.
func sharedMemories(t *testing.T) (a, b *memory.Memory) {
	t.Helper()
	addr := testenv.Env(t, "KGMEM_DGRAPH_ADDR", "start one with scripts/dgraph-local.sh start")
	ctx := context.Background()
	uri := "dgraph://" + addr
	root := filepath.Join(testenv.RepoRoot(t), "corpora", "demo")
	src := t.TempDir()
	for _, name := range []string{demo.TMX, demo.Glossary} {
		data, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(src, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	open := func(name string) *memory.Memory {
		m, err := memory.Open(ctx, memory.Options{DataDir: filepath.Join(t.TempDir(), name), Graph: uri, Create: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { m.Close() })
		return m
	}
	a = open("a")
	if _, err := a.Build(ctx, memory.BuildRequest{Paths: []string{filepath.Join(src, demo.TMX)}, Terms: []string{filepath.Join(src, demo.Glossary)},
		SourceLang: language.English, TargetLang: language.Spanish}); err != nil {
		t.Fatal(err)
	}
	return a, open("b")
}

func marker(t *testing.T) string {
	b := make([]byte, 4)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// found reports whether m's TM search finds the pair at 100 %, exactly
// once.
func found(t *testing.T, m *memory.Memory, src, tgt string) bool {
	t.Helper()
	ms, err := m.SearchTM(context.Background(), retrieval.Query{Text: src, SourceLang: "en", TargetLang: "es", Min: 100, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, x := range ms {
		if x.Source == src && x.Target == tgt {
			n++
		}
	}
	if n > 1 {
		t.Errorf("%q found %d times", src, n)
	}
	return n == 1
}

// TestFollowerSeesOtherWriters: what one memory learns, another on the
// same Dgraph graph finds after a Refresh, by the learned segments alone;
// what it removes goes from the other's index too.
func TestFollowerSeesOtherWriters(t *testing.T) {
	a, b := sharedMemories(t)
	ctx := context.Background()
	f := memory.NewFollower(b)
	if !b.Shared() {
		t.Fatal("a memory of a Dgraph graph is not Shared")
	}
	if _, err := f.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	mark := marker(t)
	src, tgt := "Sync the shared notebook "+mark, "Sincronice el cuaderno compartido "+mark
	if found(t, b, src, tgt) {
		t.Fatalf("%q found before it was learned", src)
	}
	sum, err := a.Learn(ctx, memory.LearnRequest{SourceLang: "en", TargetLang: "es", Pairs: []translate.Pair{{Source: src, Target: tgt, Origin: "test"}}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.Refresh(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got.Rebuilt || got.Indexed != 1 || got.Changed != 1 {
		t.Errorf("Refresh after one learn = %+v, want one source, one segment indexed", got)
	}
	if !found(t, b, src, tgt) {
		t.Fatalf("%q learned through a is not found through b after a Refresh", src)
	}
	if got, err := f.Refresh(ctx); err != nil || !got.UpToDate() {
		t.Errorf("second Refresh = %+v, %v; want nothing to do", got, err)
	}
	// b's own learns and a's, interleaved with b's refreshes.
	var wg sync.WaitGroup
	pairs := map[string]string{}
	var mu sync.Mutex
	for i := range 6 {
		m := a
		if i%2 == 1 {
			m = b
		}
		s, tg := fmt.Sprintf("Share note %d %s", i, mark), fmt.Sprintf("Comparta la nota %d %s", i, mark)
		pairs[s] = tg
		wg.Go(func() {
			if _, err := m.Learn(ctx, memory.LearnRequest{SourceLang: "en", TargetLang: "es", Pairs: []translate.Pair{{Source: s, Target: tg}}}); err != nil {
				mu.Lock()
				t.Error(err)
				mu.Unlock()
			}
		})
	}
	wg.Go(func() {
		for range 5 {
			if _, err := f.Refresh(ctx); err != nil {
				t.Error(err)
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
	wg.Wait()
	if _, err := f.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	for s, tg := range pairs {
		if !found(t, b, s, tg) {
			t.Errorf("%q not found through b", s)
		}
	}
	// A source removed through a goes from b's index.
	if err := a.RemoveSource(ctx, sum.Source); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if found(t, b, src, tgt) {
		t.Errorf("%q still found through b after a removed it", src)
	}
}

// TestFollowerWaitsForIncompleteSources: a source another process is
// still writing is not indexed half-written.
func TestFollowerWaitsForIncompleteSources(t *testing.T) {
	a, b := sharedMemories(t)
	ctx := context.Background()
	f := memory.NewFollower(b)
	if _, err := f.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	mark := marker(t)
	file := "import-" + mark + ".tsv"
	src := "A half-written import " + mark
	st := graph.SourceState{File: file, Hash: mark, Units: 1, Updated: time.Now().UTC()}
	if err := a.Store().SetSourceState(ctx, st); err != nil {
		t.Fatal(err)
	}
	seg := graph.Segment{ID: graph.SegmentID("en", "es", src, src+" es"), SourceLang: "en", TargetLang: "es", Source: src, Target: src + " es",
		Sources: []graph.Source{{File: file, Count: 1}}}
	if err := a.Store().Upsert(ctx, &graph.Batch{Source: file, Segments: []graph.Segment{seg}}); err != nil {
		t.Fatal(err)
	}
	// Other tests may write to the same Dgraph meanwhile (the server's
	// run in parallel): what counts is this source's segment.
	if got, err := f.Refresh(ctx); err != nil || found(t, b, src, src+" es") {
		t.Errorf("Refresh with a source still being written = %+v, %v; want it left for later, its segment not searchable", got, err)
	}
	st.Complete = true
	if err := a.Store().SetSourceState(ctx, st); err != nil {
		t.Fatal(err)
	}
	if got, err := f.Refresh(ctx); err != nil || got.Indexed < 1 {
		t.Errorf("Refresh once the source is complete = %+v, %v; want its segment indexed", got, err)
	}
	if !found(t, b, src, src+" es") {
		t.Errorf("%q not found once complete", src)
	}
}
