package main

import (
	"errors"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/kgmem/kgmem/internal/textout"
	"github.com/kgmem/kgmem/memory"
)

func newPluginsCommand(g *globals) *cli.Command {
	flags := func() []cli.Flag { return []cli.Flag{pluginDirFlag(), jsonFlag()} }
	return &cli.Command{
		Name:  "plugins",
		Usage: "list, describe, trust and verify translation models",
		Subcommands: []*cli.Command{
			{
				Name:  "list",
				Usage: "list the built-in models and those in the plugin directory",
				Flags: flags(),
				Action: func(c *cli.Context) error {
					return withModels(c, g, func(ms *memory.Models) error {
						return shown(c, g, g.out, textout.Models)(ms.List())
					})
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
					return withModels(c, g, func(ms *memory.Models) error {
						return shown(c, g, g.out, textout.Description)(ms.Describe(c.Context, c.Args().First()))
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
					return withModels(c, g, func(ms *memory.Models) error {
						done, err := ms.Trust(c.Args().Slice(), time.Now())
						if err != nil {
							return err
						}
						for _, t := range done {
							if t.Warning != "" {
								g.log.Warn(t.Warning, "path", t.Path)
							}
						}
						return show(c, g, done, g.out, textout.Trusted)
					})
				},
			},
			{
				Name:  "verify",
				Usage: "check every model: trusted, unchanged, and answers the handshake",
				Flags: flags(),
				Action: func(c *cli.Context) error {
					return withModels(c, g, func(ms *memory.Models) error {
						results, err := ms.Verify(c.Context)
						if err != nil && !errors.Is(err, memory.ErrVerification) {
							return err
						}
						if perr := show(c, g, results, g.out, textout.Verification); perr != nil && wantJSON(c, g) {
							return perr
						}
						return err
					})
				},
			},
		},
	}
}
