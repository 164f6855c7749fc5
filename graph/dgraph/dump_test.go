package dgraph_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/graph/embedded"
	"github.com/kgmem/kgmem/graph/storetest"
)

// TestStoreDump lists the store and reads its dump into another
// namespace; TestStoreDumpFromEmbedded moves an embedded store's dump into
// Dgraph.
func TestStoreDump(t *testing.T) {
	addr := serverAddr(t)
	opener := func(t *testing.T) (graph.Store, func() graph.Store) { return open(t, addr, namespace(t)), nil }
	storetest.RunDump(t, opener, nil)
}

func TestStoreDumpFromEmbedded(t *testing.T) {
	addr := serverAddr(t)
	storetest.RunDump(t, func(t *testing.T) (graph.Store, func() graph.Store) {
		s, err := embedded.Open(context.Background(), filepath.Join(t.TempDir(), "graph.db"))
		if err != nil {
			t.Fatal(err)
		}
		return s, nil
	}, func(t *testing.T) (graph.Store, func() graph.Store) { return open(t, addr, namespace(t)), nil })
}
