package main

import (
	"github.com/urfave/cli/v2"

	"github.com/kgmem/kgmem/internal/cmdline"
	"github.com/kgmem/kgmem/internal/termui"
	"github.com/kgmem/kgmem/internal/textout"
	"github.com/kgmem/kgmem/memory"
)

func newReindexCommand(g *globals) *cli.Command {
	return &cli.Command{
		Name:  "reindex",
		Usage: "rebuild the search indexes (translation memory, entity labels) from the graph",
		Description: "The graph is the system of record; the indexes are derived from it. Searches and builds keep\n" +
			"them up to date by themselves; reindex makes them anew, for example with another number of shards.",
		Flags: []cli.Flag{
			graphFlag(),
			&cli.IntFlag{Name: "shards", Usage: "split the translation memory into N indexes searched as one; default: as now (1 for a new index)"},
			jsonFlag(),
		},
		Before: cmdline.NoArgs("run `kgmem reindex --help`"),
		Action: func(c *cli.Context) error {
			shards := c.Int("shards")
			if shards < 0 || shards > 256 {
				return usageErrorf("--shards %d: give a number from 1 to 256", shards)
			}
			return withMemory(c, g, memory.Options{NoCatchUp: true, Shards: shards}, func(mem *memory.Memory) error {
				return shown(c, g, g.out, textout.Reindexed)(withProgress(g, "indexing", func(p *termui.Progress) (memory.ReindexSummary, error) {
					return mem.Reindex(c.Context, p)
				}))
			})
		},
	}
}
