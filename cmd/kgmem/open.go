package main

import (
	"github.com/urfave/cli/v2"

	"github.com/kgmem/kgmem/memory"
)

// openOptions say how a command opens the memory.
type openOptions struct {
	// create makes a new memory when the data directory holds none.
	create bool
	// noCatchUp leaves the search index as it is (a build catches it up).
	noCatchUp bool
	shards    int
}

// openMemory opens the memory of the data directory with the command's
// --graph and --plugin-dir, showing the index catch-up as progress.
func openMemory(c *cli.Context, g *globals, o openOptions) (*memory.Memory, error) {
	prog := newProgress(g, "indexing")
	defer prog.Done()
	return memory.Open(c.Context, memory.Options{
		DataDir:   g.dataDir,
		Graph:     c.String("graph"),
		Create:    o.create,
		PluginDir: c.String("plugin-dir"),
		Shards:    o.shards,
		NoCatchUp: o.noCatchUp,
		Logger:    g.log,
		Progress:  progressPhases{prog},
	})
}

// openModels opens the model host alone, for commands that use no memory.
func openModels(c *cli.Context, g *globals) (*memory.Models, error) {
	return memory.OpenModels(memory.ModelOptions{PluginDir: memory.PluginDir(g.dataDir, c.String("plugin-dir")), Logger: g.log})
}
