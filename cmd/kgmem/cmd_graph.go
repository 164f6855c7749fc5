package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/kgmem/kgmem/internal/cmdline"
	"github.com/kgmem/kgmem/internal/textout"
	"github.com/kgmem/kgmem/memory"
)

func newInitCommand(g *globals) *cli.Command {
	return &cli.Command{
		Name:   "init",
		Usage:  "make an empty memory in the data directory (build-graph makes one too)",
		Flags:  []cli.Flag{graphFlag(), jsonFlag()},
		Before: cmdline.NoArgs("run `kgmem init --help`"),
		Action: func(c *cli.Context) error {
			return withMemory(c, g, memory.Options{Create: true}, func(mem *memory.Memory) error {
				return show(c, g, memory.Located{Dir: mem.Dir(), Manifest: mem.Manifest()}, g.out, textout.Initialised)
			})
		},
	}
}

func newBuildGraphCommand(g *globals) *cli.Command {
	return &cli.Command{
		Name:      "build-graph",
		Usage:     "build the knowledge graph from translation memories, catalogs and term bases",
		ArgsUsage: "PATHS…",
		Flags: append(readFlags(),
			graphFlag(),
			cmdline.ListFlag("terms", "a term base (TBX, tab or CSV glossary)"),
			&cli.IntFlag{Name: "shards", Usage: "split the search index into N indexes searched as one; default: as now (1 for a new index)"},
			&cli.StringFlag{Name: "memory-limit", Usage: "memory the build aims to stay within (such as 4GB or 512MB); beyond it extraction uses temporary files; default: a quarter of the machine's memory"},
			jsonFlag(),
		),
		Action: func(c *cli.Context) error {
			o, err := parseReadOptions(c, g)
			if err != nil {
				return err
			}
			limit, err := memory.ParseMemoryLimit(c.String("memory-limit"))
			if err != nil {
				return usageErrorf("--memory-limit %v", err)
			}
			memory.SetRuntimeLimit(limit)
			if c.NArg() == 0 && len(cmdline.Values(c, "terms")) == 0 {
				return usageErrorf("build-graph needs files or directories to read; run `kgmem build-graph --help`")
			}
			prog := newProgress(g, "reading")
			defer prog.Done()
			return withService(c, g, memory.Options{Create: true, NoCatchUp: true, Shards: c.Int("shards")}, prog, func(mem memory.Service) error {
				sum, err := mem.Build(c.Context, memory.BuildRequest{
					Paths: c.Args().Slice(), Terms: cmdline.Values(c, "terms"),
					SourceLang: o.SourceLang, TargetLang: o.TargetLang, Format: o.Format, Lenient: o.Lenient, OnSkip: o.OnSkip,
					Progress: prog, MemoryLimit: limit,
				})
				prog.Done()
				if err != nil {
					return err
				}
				return show(c, g, sum, g.out, textout.Built)
			})
		},
	}
}

func newGraphCommand(g *globals) *cli.Command {
	return &cli.Command{
		Name:  "graph",
		Usage: "look into the knowledge graph",
		Subcommands: []*cli.Command{
			{
				Name:      "show",
				Usage:     "show the entities with a label, their translations, facts and neighbours",
				ArgsUsage: "LABEL…",
				Flags: []cli.Flag{
					graphFlag(),
					&cli.StringFlag{Name: "from", Value: "en", Usage: "language of the labels"},
					&cli.StringFlag{Name: "to", Usage: "language of the translations to show; default: all"},
					&cli.IntFlag{Name: "limit", Value: 10, Usage: "facts and neighbours shown per entity"},
					jsonFlag(),
				},
				Action: func(c *cli.Context) error {
					if c.NArg() == 0 {
						return usageErrorf("graph show needs at least one label; run `kgmem graph show --help`")
					}
					return withService(c, g, memory.Options{NoCatchUp: true}, nil, func(mem memory.Service) error {
						shown := []memory.EntityView{}
						for _, label := range c.Args().Slice() {
							vs, err := mem.Entities(c.Context, memory.EntityQuery{Label: label, Lang: c.String("from"), TargetLang: c.String("to"), Limit: c.Int("limit")})
							if err != nil {
								return err
							}
							if len(vs) == 0 && !wantJSON(c, g) {
								fmt.Fprintf(g.out, "%s: not in the graph\n", label)
							}
							shown = append(shown, vs...)
						}
						return show(c, g, shown, g.out, textout.Entities)
					})
				},
			},
			{
				Name:  "stats",
				Usage: "count segments, entities, labels and facts by predicate",
				Flags: []cli.Flag{graphFlag(), jsonFlag()},
				Action: func(c *cli.Context) error {
					return withService(c, g, memory.Options{NoCatchUp: true}, nil, func(mem memory.Service) error {
						return shown(c, g, g.out, textout.GraphStats)(mem.Stats(c.Context))
					})
				},
			},
		},
	}
}
