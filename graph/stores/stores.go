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
// With create, an embedded store whose file is missing is made; without,
// a missing file is an error (fs.ErrNotExist). A file that exists is
// never replaced: an empty or damaged one is embedded.ErrDamaged.
func Open(ctx context.Context, uri, dataDir string, create bool) (graph.Store, error) {
	opts := embedded.Options{Create: create}
	switch {
	case uri == "" || uri == "embedded":
		return embedded.OpenWith(ctx, filepath.Join(dataDir, EmbeddedFile), opts)
	case strings.HasPrefix(uri, "embedded:"):
		return embedded.OpenWith(ctx, strings.TrimPrefix(uri, "embedded:"), opts)
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
