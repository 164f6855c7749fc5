package main

import (
	"github.com/urfave/cli/v2"

	"github.com/kgmem/kgmem/internal/cmdline"
	"github.com/kgmem/kgmem/internal/textout"
	"github.com/kgmem/kgmem/memory"
)

func newForgetCommand(g *globals) *cli.Command {
	return &cli.Command{
		Name:  "forget",
		Usage: "take learned pairs back out of the memory: a batch, an origin or one pair (undo with --undo)",
		Description: "Searches and translations stop using the pairs at once. Nothing is erased: what a forget\n" +
			"removes is kept in DATA-DIR/forgotten/, a preferred translation a forgotten pair made is\n" +
			"replaced by the one it had superseded, and `kgmem forget --undo ID` puts everything back.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "batch", Usage: "a learn batch, as kgmem learn prints it (learn:…)"},
			&cli.StringFlag{Name: "origin", Usage: "what came from matching sources or approvers: a file, a glob ('*.po', learn:*), api:KEY"},
			&cli.StringFlag{Name: "source", Usage: "the source text of one pair to forget"},
			&cli.StringFlag{Name: "target", Usage: "its translation (default: every translation of --source)"},
			&cli.StringFlag{Name: "from", Usage: "with --source: only this source language"},
			&cli.StringFlag{Name: "to", Usage: "with --source: only this target language"},
			&cli.StringFlag{Name: "undo", Usage: "undo the forget with this ID"},
			&cli.BoolFlag{Name: "list", Usage: "list the forgets, newest first"},
			graphFlag(),
			jsonFlag(),
		},
		Before: cmdline.NoArgs("say what to forget with --batch, --origin or --source"),
		Action: func(c *cli.Context) error {
			if err := cmdline.CheckText(c, "source", "target", "origin", "batch"); err != nil {
				return err
			}
			req := memory.ForgetRequest{Batch: c.String("batch"), Origin: c.String("origin"), Source: c.String("source"),
				Target: c.String("target"), By: "cli"}
			var err error
			if req.SourceLang, req.TargetLang, err = cmdline.LangStrings(c); err != nil {
				return err
			}
			if cmdline.Given(c, "batch", "origin", "source", "undo", "list") != 1 {
				return usageErrorf("give one of --batch, --origin, --source, --undo or --list; run `kgmem forget --help`")
			}
			return withService(c, g, memory.Options{}, nil, func(mem memory.Service) error {
				switch {
				case c.Bool("list"):
					return shown(c, g, g.out, textout.Forgets)(mem.Forgotten(c.Context))
				case c.String("undo") != "":
					return shown(c, g, g.out, textout.Unforgot)(mem.Unforget(c.Context, c.String("undo")))
				}
				return shown(c, g, g.out, textout.Forgot)(mem.Forget(c.Context, req))
			})
		},
	}
}
