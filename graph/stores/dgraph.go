package stores

import (
	"context"

	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/graph/dgraph"
)

func openDgraph(ctx context.Context, addr string) (graph.Store, error) {
	return dgraph.Open(ctx, addr, dgraph.Options{})
}
