package embedded

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/graph/storetest"
)

// TestDump lists the store and reads its dump into another embedded
// store.
func TestDump(t *testing.T) {
	storetest.RunDump(t, func(t *testing.T) (graph.Store, func() graph.Store) {
		s, err := Open(context.Background(), filepath.Join(t.TempDir(), "graph.db"))
		if err != nil {
			t.Fatal(err)
		}
		return s, nil
	}, nil)
}
