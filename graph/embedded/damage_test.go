package embedded

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/kgmem/kgmem/graph"
)

// healthyGraph writes a graph big enough for a tree of several levels in
// every bucket and returns its file.
func healthyGraph(t testing.TB) string { return graphOf(t, 3000) }

// graphOf writes a graph of n terms, with two labels and a segment each.
func graphOf(t testing.TB, n int) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "graph.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	b := &graph.Batch{Source: "memory.tmx"}
	for i := range n {
		key := fmt.Sprintf("en:term number %d", i)
		id := graph.EntityID(graph.TypeTerm, key)
		b.Entities = append(b.Entities, graph.Entity{ID: id, Type: graph.TypeTerm, Key: key})
		b.Facts = append(b.Facts, graph.NewLabel(id, fmt.Sprintf("term number %d", i), "en", graph.StatusPreferred, 1, b.Source, 1, ""))
		b.Facts = append(b.Facts, graph.NewLabel(id, fmt.Sprintf("término número %d", i), "es", graph.StatusPreferred, 1, b.Source, 1, ""))
		src, tgt := fmt.Sprintf("Open term number %d now.", i), fmt.Sprintf("Abra el término número %d ahora.", i)
		b.Segments = append(b.Segments, graph.Segment{ID: graph.SegmentID("en", "es", src, tgt), SourceLang: "en", TargetLang: "es", Source: src, Target: tgt})
	}
	if err := s.Upsert(ctx, b); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// treePages returns the page size and the pages the tree of a healthy
// file reaches (root first), as walkFile finds them.
func treePages(t *testing.T, path string) (pageSize int64, root uint64, reached []uint64, used int64) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	m, err := pickMeta(f, st.Size())
	if err != nil {
		t.Fatalf("healthy file: %v", err)
	}
	probs := &problems{path: path}
	w := &walker{ctx: context.Background(), src: pageSource{r: f}, pageSize: uint64(m.pageSize), hwm: m.pgid, seen: make([]uint64, (m.pgid+63)/64), probs: probs}
	if _, err := w.page(m.root, 0, where{}, nil, nil); err != nil || probs.err() != nil {
		t.Fatalf("healthy file: %v %v", err, probs.err())
	}
	for p := uint64(2); p < m.pgid; p++ {
		if w.seen[p/64]&(1<<(p%64)) != 0 {
			reached = append(reached, p)
		}
	}
	if len(reached) < 20 {
		t.Fatalf("the healthy graph has only %d pages in its tree; the test needs a deeper one", len(reached))
	}
	return int64(m.pageSize), m.root, reached, int64(m.pgid) * int64(m.pageSize)
}

// damage copies the healthy file and applies fn to its bytes.
func damage(t *testing.T, healthy string, fn func([]byte) []byte) string {
	t.Helper()
	data, err := os.ReadFile(healthy)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "graph.db")
	if err := os.WriteFile(path, fn(bytes.Clone(data)), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestOpenDamaged opens damaged copies of a graph file: every one must
// give a *DamagedError naming the file and the way out, never a panic, a
// fault or a new empty graph.
func TestOpenDamaged(t *testing.T) {
	healthy := healthyGraph(t)
	pageSize, root, reached, used := treePages(t, healthy)
	mid := reached[len(reached)/2]
	rng := rand.New(rand.NewPCG(1, 2))
	fill := func(page uint64, fn func([]byte)) func([]byte) []byte {
		return func(b []byte) []byte {
			fn(b[int64(page)*pageSize : int64(page+1)*pageSize])
			return b
		}
	}
	tests := []struct {
		name string
		fn   func([]byte) []byte
		want string
	}{
		{"zeroed root page", fill(root, func(p []byte) { clear(p) }), "zeroed"},
		{"zeroed page in the tree", fill(mid, func(p []byte) { clear(p) }), "zeroed"},
		{"random page in the tree", fill(mid, func(p []byte) {
			for i := range p {
				p[i] = byte(rng.UintN(256))
			}
		}), "page"},
		{"random last page of the tree", fill(reached[len(reached)-1], func(p []byte) {
			for i := range p {
				p[i] = byte(rng.UintN(256))
			}
		}), "page"},
		{"leaf element pointing outside its page", fill(mid, func(p []byte) {
			// Keep the header, send the first element's key far away.
			p[pageHeaderSize+4], p[pageHeaderSize+5], p[pageHeaderSize+6] = 0xff, 0xff, 0x7f
		}), "outside the page"},
		// bbolt grows a file ahead of its pages; cut into the pages in use.
		{"truncated to half", func(b []byte) []byte { return b[:used/2] }, "truncated"},
		{"last page cut off", func(b []byte) []byte { return b[:used-pageSize] }, "truncated"},
		{"empty", func([]byte) []byte { return nil }, "empty"},
		{"wrong magic", func(b []byte) []byte {
			copy(b[pageHeaderSize:], "SQLite format 3\x00")
			copy(b[pageSize+pageHeaderSize:], "SQLite format 3\x00")
			return b
		}, "magic"},
		{"both meta pages zeroed", func(b []byte) []byte { clear(b[:2*pageSize]); return b }, "meta"},
		{"text file", func([]byte) []byte { return []byte(strings.Repeat("not a graph\n", 2000)) }, "magic"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := damage(t, healthy, tt.fn)
			before, _ := os.ReadFile(path)
			s, err := Open(context.Background(), path)
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded on a damaged file")
			}
			var de *DamagedError
			if !errors.Is(err, ErrDamaged) || !errors.As(err, &de) {
				t.Fatalf("Open = %v, want a DamagedError", err)
			}
			msg := err.Error()
			for _, want := range []string{path, tt.want, "kgmem restore", "build-graph"} {
				if !strings.Contains(msg, want) {
					t.Errorf("error %q does not say %q", msg, want)
				}
			}
			if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
				t.Error("Open changed the damaged file")
			}
		})
	}
}

// TestOpenHealthyAfterCheck opens the healthy file, and a copy without
// the room bbolt keeps at its end, and reads them back: the check must
// not refuse what the store wrote.
func TestOpenHealthyAfterCheck(t *testing.T) {
	for _, trim := range []bool{false, true} {
		path := healthyGraph(t)
		if trim {
			_, _, _, used := treePages(t, path)
			path = damage(t, path, func(b []byte) []byte { return b[:used] })
		}
		openHealthy(t, path)
	}
}

func openHealthy(t *testing.T, path string) {
	s, err := OpenWith(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	st, err := s.Stats(context.Background())
	if err != nil || st.Entities != 3000 || st.Segments != 3000 {
		t.Errorf("Stats = %+v, %v; want 3000 entities and segments", st, err)
	}
}

// TestOpenCreate: only a missing file becomes a new graph, and only when
// asked.
func TestOpenCreate(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	missing := filepath.Join(dir, "sub", "graph.db")
	if _, err := OpenWith(ctx, missing, Options{}); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("OpenWith(missing) = %v, want fs.ErrNotExist", err)
	}
	if _, err := os.Stat(missing); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("OpenWith without Create made %s", missing)
	}
	s, err := OpenWith(ctx, missing, Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	entries, _ := os.ReadDir(filepath.Dir(missing))
	if len(entries) != 1 {
		t.Errorf("the directory holds %d entries after creating, want only graph.db", len(entries))
	}
	s, err = OpenWith(ctx, missing, Options{})
	if err != nil {
		t.Fatalf("reopen the new graph: %v", err)
	}
	s.Close()

	empty := filepath.Join(dir, "empty.db")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenWith(ctx, empty, Options{Create: true}); !errors.Is(err, ErrDamaged) {
		t.Fatalf("OpenWith(0-byte file, Create) = %v, want ErrDamaged", err)
	}
	if st, _ := os.Stat(empty); st.Size() != 0 {
		t.Error("a 0-byte file was turned into a new graph")
	}
}

// TestOpenUnreadable: a file that cannot be read is an error, not a new
// graph.
func TestOpenUnreadable(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads every file")
	}
	path := healthyGraph(t)
	if err := os.Chmod(path, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(context.Background(), path); !errors.Is(err, fs.ErrPermission) {
		t.Fatalf("Open(unreadable) = %v, want fs.ErrPermission", err)
	}
}

// TestCheck runs Check on a healthy store, after deleting a source and
// superseding a fact, and then on stores whose records were broken behind
// the store's back.
func TestCheck(t *testing.T) {
	ctx := context.Background()
	path := healthyGraph(t)
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Check(ctx); err != nil {
		t.Fatalf("Check(healthy) = %v", err)
	}
	b := &graph.Batch{Source: "second.tmx"}
	id := graph.EntityID(graph.TypeTerm, "en:notebook")
	b.Entities = append(b.Entities, graph.Entity{ID: id, Type: graph.TypeTerm, Key: "en:notebook"})
	label := graph.NewLabel(id, "cuaderno", "es", graph.StatusPreferred, 1, b.Source, 1, "")
	b.Facts = append(b.Facts, label)
	if err := s.Upsert(ctx, b); err != nil {
		t.Fatal(err)
	}
	next := graph.NewLabel(id, "bloc", "es", graph.StatusPreferred, 1, "learn", 1, "")
	if err := s.Supersede(ctx, graph.FactID(id, graph.PredLabel, "", "cuaderno", "es"), next, "learn"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteSource(ctx, "memory.tmx"); err != nil {
		t.Fatal(err)
	}
	if err := s.Check(ctx); err != nil {
		t.Fatalf("Check after Supersede and DeleteSource = %v", err)
	}
	s.Close()

	breaks := []struct {
		name string
		fn   func(tx *bolt.Tx) error
		want string
	}{
		{"entity gone", func(tx *bolt.Tx) error { return tx.Bucket(bEntities).Delete([]byte(id)) }, "is not in the store"},
		{"count off", func(tx *bolt.Tx) error { return counters{"facts": 5}.apply(tx) }, "facts count"},
		{"index entry gone", func(tx *bolt.Tx) error {
			return tx.Bucket(bSubject).Delete(key(id, next.ID))
		}, "has no by_subject entry"},
		{"stale index entry", func(tx *bolt.Tx) error {
			return tx.Bucket(bLabels).Put(key("es", "cuaderno viejo", "fgone"), nil)
		}, "points to fact fgone"},
		{"record garbled", func(tx *bolt.Tx) error { return tx.Bucket(bFacts).Put([]byte(next.ID), []byte("{garbage")) }, "does not decode"},
	}
	for _, br := range breaks {
		t.Run(br.name, func(t *testing.T) {
			copyPath := damage(t, path, func(b []byte) []byte { return b })
			db, err := bolt.Open(copyPath, 0o644, boltOptions())
			if err != nil {
				t.Fatal(err)
			}
			if err := db.Update(br.fn); err != nil {
				t.Fatal(err)
			}
			db.Close()
			s, err := Open(ctx, copyPath)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			err = s.Check(ctx)
			if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), br.want) {
				t.Errorf("Check = %v, want ErrDamaged saying %q", err, br.want)
			}
		})
	}

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Check(cancelled); !errors.Is(err, context.Canceled) {
		t.Errorf("Check(cancelled) = %v, want context.Canceled", err)
	}
}

// BenchmarkOpenLarge opens a full-size graph file named by
// $KGMEM_BENCH_GRAPH (build one with kgmem build-graph), measuring the
// check Open makes before bbolt reads the file, bbolt's own open (which
// walks every page, as NoFreelistSync asks), and both together.
func BenchmarkOpenLarge(b *testing.B) {
	path := os.Getenv("KGMEM_BENCH_GRAPH")
	if path == "" {
		b.Skip("set KGMEM_BENCH_GRAPH to a graph.db to measure")
	}
	ctx := context.Background()
	b.Run("check", func(b *testing.B) {
		for b.Loop() {
			f, err := os.Open(path)
			if err != nil {
				b.Fatal(err)
			}
			if err := checkFile(ctx, f, path); err != nil {
				b.Fatal(err)
			}
			f.Close()
		}
	})
	b.Run("bbolt", func(b *testing.B) {
		for b.Loop() {
			db, err := bolt.Open(path, 0o644, boltOptions())
			if err != nil {
				b.Fatal(err)
			}
			db.Close()
		}
	})
	b.Run("Open", func(b *testing.B) {
		for b.Loop() {
			s, err := OpenWith(ctx, path, Options{})
			if err != nil {
				b.Fatal(err)
			}
			s.Close()
		}
	})
}

// BenchmarkCheckLarge runs Check on the graph file $KGMEM_BENCH_GRAPH names.
func BenchmarkCheckLarge(b *testing.B) {
	path := os.Getenv("KGMEM_BENCH_GRAPH")
	if path == "" {
		b.Skip("set KGMEM_BENCH_GRAPH to a graph.db to measure")
	}
	ctx := context.Background()
	s, err := OpenWith(ctx, path, Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for b.Loop() {
		if err := s.Check(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// TestOpenEveryDamagedByte damages the graph file one byte at a time in
// the headers and first elements of every page of its tree: each copy
// must be refused by the check, or open and read in full without a panic.
func TestOpenEveryDamagedByte(t *testing.T) {
	if testing.Short() {
		t.Skip("opens thousands of damaged copies")
	}
	healthy := graphOf(t, 400)
	pageSize, _, reached, used := treePages(t, healthy)
	// One copy without the room bbolt keeps at the end, damaged and
	// mended one byte at a time.
	path := damage(t, healthy, func(b []byte) []byte { return b[:used] })
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	refused, opened := 0, 0
	for k, page := range reached {
		if k%4 != 0 {
			continue // a quarter of the pages keeps the test quick
		}
		for off := int64(0); off < pageHeaderSize+3*elementSize; off++ {
			at := int64(page)*pageSize + off
			orig := make([]byte, 1)
			if _, err := f.ReadAt(orig, at); err != nil {
				t.Fatal(err)
			}
			for _, v := range []byte{0x00, 0xff} {
				if orig[0] == v {
					continue
				}
				if _, err := f.WriteAt([]byte{v}, at); err != nil {
					t.Fatal(err)
				}
				s, err := OpenWith(context.Background(), path, Options{})
				if err != nil {
					if !errors.Is(err, ErrDamaged) {
						t.Fatalf("page %d byte %d = %#x: Open = %v, want ErrDamaged", page, off, v, err)
					}
					refused++
				} else {
					opened++
					readEverything(t, s)
					s.Close()
				}
			}
			if _, err := f.WriteAt(orig, at); err != nil {
				t.Fatal(err)
			}
		}
	}
	t.Logf("%d damaged copies refused, %d opened and read", refused, opened)
}

// readEverything reads every record of a store, failing on a panic.
func readEverything(t *testing.T, s *Store) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("reading a store the check passed panicked: %v", r)
		}
	}()
	_ = s.db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(_ []byte, b *bolt.Bucket) error {
			return b.ForEach(func(k, v []byte) error { return nil })
		})
	})
}
