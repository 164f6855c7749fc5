package embedded

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/kgmem/kgmem/graph"
)

// smallGraph returns the bytes of a small graph file.
func smallGraph(f *testing.F) []byte {
	ctx := context.Background()
	path := filepath.Join(f.TempDir(), "graph.db")
	s, err := Open(ctx, path)
	if err != nil {
		f.Fatal(err)
	}
	b := &graph.Batch{Source: "s.tmx"}
	for i := range 40 {
		key := fmt.Sprintf("en:t%d", i)
		id := graph.EntityID(graph.TypeTerm, key)
		b.Entities = append(b.Entities, graph.Entity{ID: id, Type: graph.TypeTerm, Key: key})
		b.Facts = append(b.Facts, graph.NewLabel(id, fmt.Sprintf("t%d", i), "en", graph.StatusPreferred, 1, b.Source, 1, ""))
	}
	if err := s.Upsert(ctx, b); err != nil {
		f.Fatal(err)
	}
	s.Close()
	data, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	return data
}

// FuzzOpenCheck opens arbitrary bytes as a graph file: the check must
// never panic, and a file it passes must be one bbolt opens and reads
// to the end without panicking (bbolt's own open walks every page, in a
// goroutine where a panic would end the process).
func FuzzOpenCheck(f *testing.F) {
	data := smallGraph(f)
	f.Add(data)
	f.Add(data[:len(data)/2])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		path := filepath.Join(t.TempDir(), "graph.db")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		fh, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		err = checkFile(context.Background(), fh, path)
		fh.Close()
		if err != nil {
			return
		}
		db, err := bolt.Open(path, 0o644, boltOptions())
		if err != nil {
			return
		}
		defer db.Close()
		_ = db.View(func(tx *bolt.Tx) error {
			return tx.ForEach(func(_ []byte, b *bolt.Bucket) error {
				return b.ForEach(func(k, v []byte) error { return nil })
			})
		})
	})
}
