package main

import (
	"github.com/urfave/cli/v2"
	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/internal/cmdline"
	"github.com/kgmem/kgmem/internal/termui"
	"github.com/kgmem/kgmem/internal/textout"
	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/translate"
)

func newLearnCommand(g *globals) *cli.Command {
	return &cli.Command{
		Name:  "learn",
		Usage: "make approved translations part of the memory at once (no rebuild)",
		Description: "FILES are any readable bilingual format (TMX, XLIFF, PO, TSV…). Only what the\n" +
			"format marks as final is learned: PO translated and not fuzzy, XLIFF approved (or state\n" +
			"final, signed-off), TMX units without a draft or machine status prop, every TSV/CSV\n" +
			"row; --status widens it. What was skipped is reported. Or give one pair with\n" +
			"--source and --target.\n" +
			"The pairs enter the graph and the search index immediately; translations of\n" +
			"known terms are counted, and a pair whose source is a known term makes its\n" +
			"target the preferred translation (the old one stays in the graph's history).\n" +
			"With --model, a model that learns receives the pairs too.\n" +
			"--engine MODEL translates every pair of the memory with MODEL alone and records which\n" +
			"learned term translations it keeps missing; translations with MODEL then get them\n" +
			"offered (see `kgmem graph show TERM`); later learns add to the tally.",
		ArgsUsage: "[FILES…]",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "from", Usage: "source language (needed with --source, or for files that do not say)"},
			&cli.StringFlag{Name: "to", Usage: "target language"},
			&cli.StringFlag{Name: "source", Usage: "the source text of one approved pair"},
			&cli.StringFlag{Name: "target", Usage: "its approved translation"},
			&cli.StringFlag{Name: "model", Usage: "also teach this model, if it learns"},
			&cli.StringFlag{Name: "engine", Usage: "learn what this model gets wrong, from the whole memory (needs --from and --to)"},
			&cli.StringFlag{Name: "status", Usage: "learn units of these statuses (approved, translated, unspecified, draft, machine, or all), comma-separated; default: what the format marks as final"},
			graphFlag(),
			pluginDirFlag(),
			jsonFlag(),
		},
		Action: func(c *cli.Context) error {
			from, to, err := cmdline.Langs(c)
			if err != nil {
				return err
			}
			if err := cmdline.CheckText(c, "source", "target"); err != nil {
				return err
			}
			accept, err := memory.ParseAccept(c.String("status"))
			if err != nil {
				return usageErrorf("--status: %v", err)
			}
			source, target, files := c.String("source"), c.String("target"), c.Args().Slice()
			if engine := c.String("engine"); engine != "" {
				if source != "" || len(files) > 0 || from == language.Und || to == language.Und {
					return usageErrorf("learn --engine MODEL takes --from and --to, and no FILES or --source")
				}
				return withMemory(c, g, memory.Options{}, func(mem *memory.Memory) error {
					return shown(c, g, g.out, textout.EngineLearned)(withProgress(g, "engine", func(p *termui.Progress) (memory.EngineSummary, error) {
						return mem.LearnEngine(c.Context, memory.EngineRequest{Model: engine, SourceLang: from.String(), TargetLang: to.String(), Progress: p})
					}))
				})
			}
			switch {
			case (source == "") != (target == ""):
				return usageErrorf("--source and --target go together")
			case source == "" && len(files) == 0:
				return usageErrorf("learn needs FILES or --source S --target T; run `kgmem learn --help`")
			case source != "" && len(files) > 0:
				return usageErrorf("give either FILES or --source/--target, not both")
			case source != "" && (c.String("from") == "" || c.String("to") == ""):
				return usageErrorf("learn --source needs --from and --to")
			}
			return withService(c, g, memory.Options{}, nil, func(mem memory.Service) error {
				var sums []translate.LearnSummary
				if source != "" {
					s, err := mem.Learn(c.Context, memory.LearnRequest{SourceLang: from.String(), TargetLang: to.String(), Model: c.String("model"),
						Pairs: []translate.Pair{{Source: source, Target: target, Origin: "cli"}}})
					if err != nil {
						return err
					}
					sums = append(sums, s)
				} else if sums, err = mem.LearnFiles(c.Context, memory.LearnFilesRequest{Paths: files, SourceLang: from, TargetLang: to, Model: c.String("model"), Accept: accept}); err != nil {
					return err
				}
				return printLearned(c, g, sums)
			})
		},
	}
}

// printLearned reports what learn did, and what it skipped.
func printLearned(c *cli.Context, g *globals, sums []translate.LearnSummary) error {
	for _, s := range sums {
		if !g.quiet && !wantJSON(c, g) {
			textout.Learned(g.out, s)
		}
		if len(s.Skipped) > 0 {
			g.log.Warn("units not learned: they are not final work (learn them with --status)", "pair", s.SourceLang+"→"+s.TargetLang, "skipped", memory.SkipReport(s.Skipped))
		}
	}
	if wantJSON(c, g) {
		return g.printJSON(sums)
	}
	return nil
}
