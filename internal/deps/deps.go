//go:build tools

// Package deps pins the modules the graph, retrieval and plugins packages
// are built on, so that every package of the module builds against the same
// versions. It is never compiled into kgmem.
package deps

import (
	_ "github.com/blevesearch/bleve/v2"
	_ "github.com/dgraph-io/dgo/v230"
	_ "github.com/hashicorp/go-plugin"
	_ "github.com/urfave/cli/v2"
	_ "go.etcd.io/bbolt"
)
