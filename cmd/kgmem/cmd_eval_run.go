package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/kgmem/kgmem/internal/cmdline"
	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/translate/evaluate"
)

func newEvalRunCommand(g *globals) *cli.Command {
	return &cli.Command{
		Name:  "run",
		Usage: "translate a test set with the memory switched on and off, and score, time and report each run",
		Description: "FILE is any readable bilingual format (TSV, TMX, XLIFF, PO…). Each configuration of\n" +
			"--ablate (none: the full memory; tm: no translation memory; kg: no knowledge\n" +
			"graph; tm+kg: the model alone; engine: no corrections of the model's terms; postedit: no post-edits\n" +
			"of its output; fragments: no sub-segment memory) translates every test pair; each run is scored\n" +
			"(BLEU, chrF, chrF++, TER as sacreBLEU computes them; term accuracy and consistency with --terms;\n" +
			"placeholder accuracy; TM leverage) and timed. Test pairs whose source and target are both in\n" +
			"the memory already are left out of the scores (and counted) unless --allow-exact.\n" +
			"--online translates the test set in order, learning each reference as an\n" +
			"approved translation after its segment (or after every --learn-every N\n" +
			"segments), and compares chrF per --block segments with the same stream\n" +
			"without learning. It learns into a copy of the memory (in --out\n" +
			"DIR/online-data, or a temporary directory), never into yours.\n" +
			"With --out DIR: hypotheses (hyp-CONFIG.txt), src.txt, ref.txt, excluded.tsv,\n" +
			"report.json, report.md and chart.svg. Ctrl-C stops and still writes what was done.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "test", Usage: "the test set: pairs of source and reference translation", TakesFile: true},
			&cli.StringFlag{Name: "model", Aliases: []string{"m"}, Value: "memory", Usage: "model to translate with (see kgmem plugins list)"},
			&cli.StringFlag{Name: "from", Usage: "source language (default: what the test file says)"},
			&cli.StringFlag{Name: "to", Usage: "target language (default: what the test file says)"},
			graphFlag(),
			cmdline.ListFlag("terms", "term list to measure term accuracy with (TBX, TSV source<TAB>target, or CSV)"),
			&cli.StringFlag{Name: "ablate", Value: "none,tm,kg,tm+kg", Usage: "configurations to run, comma-separated: none, engine, postedit, fragments, tm, kg, tm+kg"},
			&cli.BoolFlag{Name: "online", Usage: "also run the online experiment (translate, then learn the reference, segment by segment)"},
			&cli.IntFlag{Name: "block", Value: evaluate.DefaultBlock, Usage: "segments per block of the online report"},
			&cli.IntFlag{Name: "learn-every", Value: 1, Usage: "with --online: learn after every N segments (1: after each; larger steps are cheaper on a large memory)"},
			&cli.IntFlag{Name: "batch", Value: evaluate.DefaultBatch, Usage: "segments sent through the pipeline at once"},
			&cli.BoolFlag{Name: "allow-exact", Usage: "score test pairs that are already in the memory too"},
			&cli.BoolFlag{Name: "allow-write-memory", Usage: "with --online on a Dgraph graph: learn into it (it cannot be copied)"},
			&cli.IntFlag{Name: "limit", Usage: "use only the first N pairs of the test set"},
			&cli.IntFlag{Name: "min-match", Value: memory.DefaultMinMatch(), Usage: "lowest fuzzy-match score used, in percent"},
			&cli.StringFlag{Name: "out", Usage: "directory to write the hypotheses and reports to", TakesFile: true},
			pluginDirFlag(),
			callTimeoutFlag(),
			jsonFlag(),
		},
		Before: cmdline.NoArgs("name the test set with --test"),
		Action: func(c *cli.Context) error {
			req, err := parseEvalRun(c)
			if err != nil {
				return err
			}
			return withService(c, g, memory.Options{CallTimeout: c.Duration("call-timeout")}, nil, func(mem memory.Service) error {
				p := newProgress(g, "eval")
				defer p.Done()
				req.Progress = p
				rep, runErr := memory.EvaluateDir(c.Context, mem, req)
				p.Done()
				if rep == nil {
					return runErr
				}
				// What was done is printed even when interrupted.
				printErr := show(c, g, rep, g.out, evaluate.WriteTable)
				if runErr != nil {
					if c.Context.Err() != nil && !g.quiet && req.Dir != "" {
						fmt.Fprintf(g.err, "interrupted: the report in %s holds what was done (partial)\n", req.Dir)
					}
					return runErr
				}
				return printErr
			})
		},
	}
}

func parseEvalRun(c *cli.Context) (memory.EvalRequest, error) {
	req := memory.EvalRequest{Test: c.String("test"), Model: c.String("model"), Terms: cmdline.Values(c, "terms"),
		Online: c.Bool("online"), Block: c.Int("block"), Batch: c.Int("batch"), LearnEvery: c.Int("learn-every"), Limit: c.Int("limit"),
		MinMatch: c.Int("min-match"), AllowExact: c.Bool("allow-exact"), AllowWriteMemory: c.Bool("allow-write-memory"),
		Dir: c.String("out")}
	switch {
	case req.Online && strings.HasPrefix(c.String("graph"), "dgraph://") && !req.AllowWriteMemory:
		// A Dgraph database cannot be copied from here, and learning
		// writes the test references into it for good.
		return req, usageErrorf("--online learns every test reference into the memory, and a Dgraph graph cannot be copied first; " +
			"rerun with --allow-write-memory to learn into it anyway, or use an embedded graph")
	}
	var err error
	if req.SourceLang, req.TargetLang, err = cmdline.Langs(c); err != nil {
		return req, err
	}
	if req.Configs, err = evaluate.ParseAblations(c.String("ablate")); err != nil {
		return req, usageErrorf("--ablate: %v", err)
	}
	if req.Terms == nil && c.IsSet("terms") {
		req.Terms = []string{}
	}
	return req, nil
}
