package main

import (
	"github.com/urfave/cli/v2"

	"github.com/kgmem/kgmem/plugins/builtin"
)

// newPluginServeCommand is the hidden command the model host runs to
// start a built-in model: `kgmem plugin serve NAME`.
func newPluginServeCommand(*globals) *cli.Command {
	return &cli.Command{
		Name:   "plugin",
		Hidden: true,
		Subcommands: []*cli.Command{{
			Name:      "serve",
			Usage:     "serve a built-in model to the kgmem process that started this one",
			ArgsUsage: "NAME",
			Action: func(c *cli.Context) error {
				if c.NArg() != 1 {
					return usageErrorf("plugin serve needs one model NAME")
				}
				return builtin.Serve(c.Args().First())
			},
		}},
	}
}
