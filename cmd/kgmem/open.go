package main

import (
	"time"

	"github.com/urfave/cli/v2"

	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/server"
)

// openOptions say how a command opens the memory.
type openOptions struct {
	// create makes a new memory when the data directory holds none.
	create bool
	// noCatchUp leaves the search index as it is (a build catches it up).
	noCatchUp bool
	shards    int
	// callTimeout bounds each model call (the host's default if 0); a
	// server uses its own.
	callTimeout time.Duration
}

// openService returns the server that holds the data directory, when one
// runs, else the memory opened by the command itself.
func openService(c *cli.Context, g *globals, o openOptions, p memory.Progress) (memory.Service, error) {
	if cl, ok := server.DialDataDir(c.Context, g.dataDir); ok {
		g.log.Debug("going through the server that holds the data directory", "dir", g.dataDir)
		cl.Progress = p
		return cl, nil
	}
	m, err := openMemory(c, g, o)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// openMemory opens the memory of the data directory with the command's
// --graph and --plugin-dir, showing the index catch-up as progress.
func openMemory(c *cli.Context, g *globals, o openOptions) (*memory.Memory, error) {
	if _, ok := server.DialDataDir(c.Context, g.dataDir); ok {
		return nil, usageErrorf("kgmem serve holds %s; stop it to run this command", g.dataDir)
	}
	prog := newProgress(g, "indexing")
	defer prog.Done()
	return memory.Open(c.Context, memory.Options{
		DataDir:     g.dataDir,
		Graph:       c.String("graph"),
		Create:      o.create,
		PluginDir:   c.String("plugin-dir"),
		Shards:      o.shards,
		NoCatchUp:   o.noCatchUp,
		CallTimeout: o.callTimeout,
		Logger:      g.log,
		Progress:    prog,
	})
}

// openModels opens the model host alone, for commands that use no memory.
func openModels(c *cli.Context, g *globals) (*memory.Models, error) {
	return memory.OpenModels(memory.ModelOptions{PluginDir: memory.PluginDir(g.dataDir, c.String("plugin-dir")), Logger: g.log})
}

// withService runs fn with the memory service (see openService), and
// closes it after.
func withService(c *cli.Context, g *globals, o openOptions, p memory.Progress, fn func(memory.Service) error) error {
	mem, err := openService(c, g, o, p)
	if err != nil {
		return err
	}
	defer mem.Close()
	return fn(mem)
}

// withMemory runs fn with the memory the command opens itself (see
// openMemory), and closes it after.
func withMemory(c *cli.Context, g *globals, o openOptions, fn func(*memory.Memory) error) error {
	mem, err := openMemory(c, g, o)
	if err != nil {
		return err
	}
	defer mem.Close()
	return fn(mem)
}

// withModels runs fn with the model host alone (see openModels), and
// closes it after.
func withModels(c *cli.Context, g *globals, fn func(*memory.Models) error) error {
	ms, err := openModels(c, g)
	if err != nil {
		return err
	}
	defer ms.Close()
	return fn(ms)
}
