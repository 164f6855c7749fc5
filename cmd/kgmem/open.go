package main

import (
	"github.com/urfave/cli/v2"

	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/server"
)

// memoryOptions completes o with what every command opens a memory
// with: the data directory, --graph, --plugin-dir, the logger, and the
// index catch-up shown as progress.
func memoryOptions(c *cli.Context, g *globals, o memory.Options, prog memory.Progress) memory.Options {
	o.DataDir = g.dataDir
	o.Graph = c.String("graph")
	o.PluginDir = c.String("plugin-dir")
	o.Logger = g.log
	o.Progress = prog
	return o
}

// openService returns the server that holds the data directory, when one
// runs, else the memory opened by the command itself with o; p is told
// how the server's jobs advance.
func openService(c *cli.Context, g *globals, o memory.Options, p memory.Progress) (memory.Service, error) {
	prog := newProgress(g, "indexing")
	defer prog.Done()
	return server.OpenService(c.Context, memoryOptions(c, g, o, prog), p)
}

// withService runs fn with the memory service (see openService), and
// closes it after.
func withService(c *cli.Context, g *globals, o memory.Options, p memory.Progress, fn func(memory.Service) error) error {
	mem, err := openService(c, g, o, p)
	if err != nil {
		return err
	}
	defer mem.Close()
	return fn(mem)
}

// withMemory runs fn with the memory of the data directory, opened in
// this process with o (a directory a server holds is refused), and closes
// it after.
func withMemory(c *cli.Context, g *globals, o memory.Options, fn func(*memory.Memory) error) error {
	prog := newProgress(g, "indexing")
	mem, err := server.OpenMemory(c.Context, memoryOptions(c, g, o, prog))
	prog.Done()
	if err != nil {
		return err
	}
	defer mem.Close()
	return fn(mem)
}

// withModels runs fn with the model host alone, for commands that use no
// memory, and closes it after.
func withModels(c *cli.Context, g *globals, fn func(*memory.Models) error) error {
	ms, err := memory.OpenModels(memory.ModelOptions{PluginDir: memory.PluginDir(g.dataDir, c.String("plugin-dir")), Logger: g.log})
	if err != nil {
		return err
	}
	defer ms.Close()
	return fn(ms)
}
