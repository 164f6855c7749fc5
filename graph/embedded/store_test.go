package embedded

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/graph/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) (graph.Store, func() graph.Store) {
		path := filepath.Join(t.TempDir(), "graph.db")
		s, err := Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		return s, func() graph.Store {
			s, err := Open(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
	})
}
