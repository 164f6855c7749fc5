// Package stores opens the graph store a URI names: "embedded" (the
// default: one file in the data directory) or "dgraph://HOST:PORT".
package stores

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/graph/embedded"
)

// EnvVar names the environment variable that gives the default store URI.
const EnvVar = "KGMEM_GRAPH"

// Default is the store used when none is named.
const Default = "embedded"

// EmbeddedFile is the embedded store's file in the data directory.
const EmbeddedFile = "graph.db"

// Open opens the store named by uri, keeping embedded data in dataDir.
func Open(ctx context.Context, uri, dataDir string) (graph.Store, error) {
	switch {
	case uri == "" || uri == "embedded":
		return embedded.Open(ctx, filepath.Join(dataDir, EmbeddedFile))
	case strings.HasPrefix(uri, "embedded:"):
		return embedded.Open(ctx, strings.TrimPrefix(uri, "embedded:"))
	case strings.HasPrefix(uri, "dgraph://"):
		return openDgraph(ctx, strings.TrimPrefix(uri, "dgraph://"))
	}
	return nil, fmt.Errorf("unknown graph store %q: use embedded or dgraph://HOST:PORT", uri)
}

// Check reports whether uri names a kind of store Open knows, without
// opening it.
func Check(uri string) error {
	switch {
	case uri == "" || uri == "embedded", strings.HasPrefix(uri, "embedded:") && len(uri) > len("embedded:"),
		strings.HasPrefix(uri, "dgraph://") && len(uri) > len("dgraph://"):
		return nil
	}
	return fmt.Errorf("unknown graph store %q: use embedded or dgraph://HOST:PORT", uri)
}
