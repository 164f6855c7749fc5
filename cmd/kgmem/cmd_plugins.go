package main

import (
	"context"
	"errors"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/kgmem/kgmem/internal/textout"
	"github.com/kgmem/kgmem/memory"
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
						textout.Trusted(g.out, done)
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
	return textout.Models(g.out, infos)
}

func runPluginsDescribe(ctx context.Context, g *globals, ms *memory.Models, name string, asJSON bool) error {
	d, err := ms.Describe(ctx, name)
	if err != nil {
		return err
	}
	if asJSON {
		return g.printJSON(d)
	}
	return textout.Description(g.out, d)
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
		textout.Verification(g.out, results)
	}
	return err
}
