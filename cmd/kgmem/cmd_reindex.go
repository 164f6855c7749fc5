package main

import (
	"fmt"

	"github.com/urfave/cli/v2"
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
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usageErrorf("reindex takes no arguments; run `kgmem reindex --help`")
			}
			shards := c.Int("shards")
			if shards < 0 || shards > 256 {
				return usageErrorf("--shards %d: give a number from 1 to 256", shards)
			}
			mem, err := openMemory(c, g, openOptions{noCatchUp: true, shards: shards})
			if err != nil {
				return err
			}
			defer mem.Close()
			prog := newProgress(g, "indexing")
			defer prog.Done()
			r, err := mem.Reindex(c.Context, prog)
			prog.Done()
			if err != nil {
				return err
			}
			if wantJSON(c, g) {
				return g.printJSON(r)
			}
			fmt.Fprintf(g.out, "indexed %d segments and %d entities in %d shard(s) in %.1fs (%.1f MB in %s)\n",
				r.Summary.Indexed, r.Index.Entities, r.Index.Shards, r.Summary.Seconds, float64(r.Index.Bytes)/1e6, r.Index.Dir)
			return nil
		},
	}
}
