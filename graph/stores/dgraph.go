package stores

import (
	"context"
	"errors"

	"github.com/kgmem/kgmem/graph"
)

func openDgraph(ctx context.Context, addr string) (graph.Store, error) {
	return nil, errors.New("the Dgraph store is not built into this kgmem")
}
