package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/plugins"
)

func newPluginsCommand(g *globals) *cli.Command {
	flags := func() []cli.Flag { return []cli.Flag{pluginDirFlag(), jsonFlag()} }
	// with runs fn with the model host of the command's plugin directory.
	with := func(c *cli.Context, fn func(*memory.Models) error) error {
		ms, err := openModels(c, g)
		if err != nil {
			return err
		}
		defer ms.Close()
		return fn(ms)
	}
	return &cli.Command{
		Name:  "plugins",
		Usage: "list, describe, trust and verify translation models",
		Subcommands: []*cli.Command{
			{
				Name:  "list",
				Usage: "list the built-in models and those in the plugin directory",
				Flags: flags(),
				Action: func(c *cli.Context) error {
					return with(c, func(ms *memory.Models) error { return runPluginsList(g, ms, wantJSON(c, g)) })
				},
			},
			{
				Name:      "describe",
				Usage:     "start a model and show what it says of itself",
				ArgsUsage: "NAME",
				Flags:     flags(),
				Action: func(c *cli.Context) error {
					if c.NArg() != 1 {
						return usageErrorf("plugins describe needs one model NAME; run `kgmem plugins list`")
					}
					return with(c, func(ms *memory.Models) error {
						return runPluginsDescribe(c.Context, g, ms, c.Args().First(), wantJSON(c, g))
					})
				},
			},
			{
				Name:      "trust",
				Usage:     "record a third-party model binary's SHA-256 so that kgmem runs it",
				ArgsUsage: "PATH…",
				Flags:     flags(),
				Action: func(c *cli.Context) error {
					if c.NArg() == 0 {
						return usageErrorf("plugins trust needs the PATH of a model binary")
					}
					return with(c, func(ms *memory.Models) error {
						done, err := ms.Trust(c.Args().Slice(), time.Now())
						if err != nil {
							return err
						}
						for _, t := range done {
							if t.Warning != "" {
								g.log.Warn(t.Warning, "path", t.Path)
							}
						}
						if wantJSON(c, g) {
							return g.printJSON(done)
						}
						for _, t := range done {
							fmt.Fprintf(g.out, "trusted %s (sha256 %s)\n", t.Path, t.SHA256)
						}
						return nil
					})
				},
			},
			{
				Name:  "verify",
				Usage: "check every model: trusted, unchanged, and answers the handshake",
				Flags: flags(),
				Action: func(c *cli.Context) error {
					return with(c, func(ms *memory.Models) error { return runPluginsVerify(c.Context, g, ms, wantJSON(c, g)) })
				},
			},
		},
	}
}

func runPluginsList(g *globals, ms *memory.Models, asJSON bool) error {
	infos, err := ms.List()
	if err != nil {
		return err
	}
	if asJSON {
		return g.printJSON(infos)
	}
	w := tabwriter.NewWriter(g.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tSTATUS\tPATH")
	for _, i := range infos {
		fmt.Fprintf(w, "%s\t%s\t%s\n", i.Name, i.Status, i.Path)
	}
	return w.Flush()
}

func runPluginsDescribe(ctx context.Context, g *globals, ms *memory.Models, name string, asJSON bool) error {
	d, err := ms.Describe(ctx, name)
	if err != nil {
		return err
	}
	if asJSON {
		return g.printJSON(d)
	}
	w := tabwriter.NewWriter(g.out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "name\t%s\n", d.Name)
	fmt.Fprintf(w, "version\t%s\n", d.Version)
	fmt.Fprintf(w, "description\t%s\n", d.Description)
	pairs := "any"
	if !d.AnyPair {
		var ps []string
		for _, p := range d.Pairs {
			ps = append(ps, p.Source+"→"+p.Target)
		}
		pairs = strings.Join(ps, ", ")
	}
	fmt.Fprintf(w, "pairs\t%s\n", pairs)
	fmt.Fprintf(w, "uses\t%s\n", capabilities(d.Capabilities))
	fmt.Fprintf(w, "batch size\t%d\n", d.Capabilities.PreferredBatchSize)
	return w.Flush()
}

func capabilities(c plugins.Capabilities) string {
	var out []string
	for _, x := range []struct {
		on   bool
		name string
	}{{c.FuzzyMatches, "fuzzy matches"}, {c.Terms, "terms"}, {c.Facts, "facts"}, {c.Context, "context"}, {c.Learn, "learn"}} {
		if x.on {
			out = append(out, x.name)
		}
	}
	if len(out) == 0 {
		return "nothing"
	}
	return strings.Join(out, ", ")
}

func runPluginsVerify(ctx context.Context, g *globals, ms *memory.Models, asJSON bool) error {
	results, err := ms.Verify(ctx)
	if err != nil && !errors.Is(err, memory.ErrVerification) {
		return err
	}
	if asJSON {
		if err := g.printJSON(results); err != nil {
			return err
		}
	} else {
		w := tabwriter.NewWriter(g.out, 0, 4, 2, ' ', 0)
		for _, r := range results {
			status := "ok"
			if !r.OK {
				status = r.Problem
			}
			fmt.Fprintf(w, "%s\t%s\n", r.Name, status)
		}
		w.Flush()
	}
	return err
}
