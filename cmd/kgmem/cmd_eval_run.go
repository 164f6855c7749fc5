package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"
	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/fusion"
	"github.com/kgmem/kgmem/graph/ingest"
	"github.com/kgmem/kgmem/plugins"
	"github.com/kgmem/kgmem/translate"
	"github.com/kgmem/kgmem/translate/evaluate"
	"github.com/kgmem/kgmem/translate/metrics"
)

// evalRunOptions are the parsed flags of `eval run`.
type evalRunOptions struct {
	test             string
	model            string
	from, to         language.Tag
	terms            []string
	configs          []evaluate.Config
	online           bool
	block, batch     int
	learnEvery       int
	limit, minMatch  int
	allowExact       bool
	allowWriteMemory bool
	out              string
	json             bool
}

func newEvalRunCommand(g *globals) *cli.Command {
	return &cli.Command{
		Name:  "run",
		Usage: "translate a test set with the memory switched on and off, and score, time and report each run",
		Description: "FILE is any readable bilingual format (TSV, TMX, XLIFF, PO…). Each configuration of\n" +
			"--ablate (none: the full memory; tm: no translation memory; kg: no knowledge\n" +
			"graph; tm+kg: the model alone) translates every test pair; each run is scored\n" +
			"(BLEU, chrF, chrF++, TER as sacreBLEU computes them; term accuracy and\n" +
			"consistency with --terms; placeholder accuracy; TM leverage) and timed.\n" +
			"Test pairs whose source and target are both in the memory already are left\n" +
			"out of the scores (and counted) unless --allow-exact.\n" +
			"--online translates the test set in order, learning each reference as an\n" +
			"approved translation after its segment (or after every --learn-every N\n" +
			"segments), and compares chrF per --block segments with the same stream\n" +
			"without learning. It learns into a copy of the memory (in --out\n" +
			"DIR/online-data, or a temporary directory), never into yours.\n" +
			"With --out DIR: hypotheses (hyp-CONFIG.txt), src.txt, ref.txt, excluded.tsv,\n" +
			"report.json, report.md and chart.svg. Ctrl-C stops and still writes what was done.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "test", Usage: "the test set: pairs of source and reference translation", TakesFile: true},
			&cli.StringFlag{Name: "model", Aliases: []string{"m"}, Value: "memory", Usage: "model to translate with (see `kgmem plugins list`)"},
			&cli.StringFlag{Name: "from", Usage: "source language (default: what the test file says)"},
			&cli.StringFlag{Name: "to", Usage: "target language (default: what the test file says)"},
			graphFlag(),
			&cli.GenericFlag{Name: "terms", Usage: "term list to measure term accuracy with (TBX, TSV source<TAB>target, or CSV); repeat for several", Value: &fileList{}, TakesFile: true},
			&cli.StringFlag{Name: "ablate", Value: "none,tm,kg,tm+kg", Usage: "configurations to run, comma-separated: none, tm, kg, tm+kg"},
			&cli.BoolFlag{Name: "online", Usage: "also run the online experiment (translate, then learn the reference, segment by segment)"},
			&cli.IntFlag{Name: "block", Value: evaluate.DefaultBlock, Usage: "segments per block of the online report"},
			&cli.IntFlag{Name: "learn-every", Value: 1, Usage: "with --online: learn after every N segments (1: after each; larger steps are cheaper on a large memory)"},
			&cli.IntFlag{Name: "batch", Value: evaluate.DefaultBatch, Usage: "segments sent through the pipeline at once"},
			&cli.BoolFlag{Name: "allow-exact", Usage: "score test pairs that are already in the memory too"},
			&cli.BoolFlag{Name: "allow-write-memory", Usage: "with --online on a Dgraph graph: learn into it (it cannot be copied)"},
			&cli.IntFlag{Name: "limit", Usage: "use only the first N pairs of the test set"},
			&cli.IntFlag{Name: "min-match", Value: fusion.DefaultOptions().MinMatch, Usage: "lowest fuzzy-match score used, in percent"},
			&cli.StringFlag{Name: "out", Usage: "directory to write the hypotheses and reports to", TakesFile: true},
			pluginDirFlag,
			jsonFlag,
		},
		OnUsageError: func(c *cli.Context, err error, _ bool) error {
			return usageErrorf("%v; run `kgmem eval run --help`", err)
		},
		Action: func(c *cli.Context) error {
			o := evalRunOptions{test: c.String("test"), model: c.String("model"), terms: c.Generic("terms").(*fileList).paths,
				online: c.Bool("online"), block: c.Int("block"), batch: c.Int("batch"), learnEvery: c.Int("learn-every"), limit: c.Int("limit"),
				minMatch: c.Int("min-match"), allowExact: c.Bool("allow-exact"), allowWriteMemory: c.Bool("allow-write-memory"),
				out: c.String("out"), json: wantJSON(c, g)}
			switch {
			case c.NArg() > 0:
				return usageErrorf("eval run takes no arguments, got %q; name the test set with --test", c.Args().First())
			case o.test == "":
				return usageErrorf("eval run needs --test FILE; run `kgmem eval run --help`")
			case o.block < 1 || o.batch < 1 || o.learnEvery < 1 || o.limit < 0:
				return usageErrorf("--block, --batch and --learn-every must be at least 1, --limit at least 0")
			case o.minMatch < 1 || o.minMatch > 100:
				return usageErrorf("--min-match %d: use a percentage from 1 to 100", o.minMatch)
			}
			for _, f := range []struct {
				name string
				dst  *language.Tag
			}{{"from", &o.from}, {"to", &o.to}} {
				if v := c.String(f.name); v != "" {
					tag, err := corpora.ParseLang(v)
					if err != nil {
						return usageErrorf("--%s: %v", f.name, err)
					}
					*f.dst = tag
				}
			}
			var err error
			if o.configs, err = evaluate.ParseAblations(c.String("ablate")); err != nil {
				return usageErrorf("--ablate: %v", err)
			}
			uri := c.String("graph")
			if o.online && strings.HasPrefix(uri, "dgraph://") && !o.allowWriteMemory {
				// A Dgraph database cannot be copied from here, and learning
				// writes the test references into it for good.
				return usageErrorf("--online learns every test reference into the memory, and a Dgraph graph cannot be copied first; " +
					"rerun with --allow-write-memory to learn into it anyway, or use an embedded graph")
			}
			return runEvalRun(c.Context, c, g, o, uri)
		},
	}
}

func runEvalRun(ctx context.Context, c *cli.Context, g *globals, o evalRunOptions, uri string) error {
	pairs, from, to, err := evaluate.ReadPairs(ctx, o.test, o.from, o.to, o.limit)
	if errors.Is(err, evaluate.ErrNoLanguages) {
		return usageErrorf("%s does not say its languages; give --from and --to", o.test)
	}
	if err != nil {
		return err
	}
	var terms []metrics.Term
	for _, path := range o.terms {
		ts, err := readTermList(ctx, path, from, to)
		if err != nil {
			return err
		}
		terms = append(terms, ts...)
	}
	if o.terms != nil && terms == nil {
		terms = []metrics.Term{}
	}

	// The online run learns into a copy, made before the memory is opened.
	var online *memory
	if o.online && !strings.HasPrefix(uri, "dgraph://") {
		var cleanup func()
		online, cleanup, err = onlineCopy(ctx, g, uri, o.out)
		if err != nil {
			return err
		}
		defer cleanup()
	}
	mem, err := openMemory(ctx, c, g)
	if err != nil {
		return err
	}
	defer mem.Close()
	if o.online && online == nil {
		// Dgraph, with --allow-write-memory: learn into the memory itself,
		// after every run without learning is done.
		online = mem
	}

	h, err := newHost(c, g)
	if err != nil {
		return err
	}
	defer h.Close()
	m, err := h.Start(ctx, o.model)
	if err != nil {
		return modelError(err)
	}
	d := m.Description()
	if !d.Supports(from, to) {
		return withHint(fmt.Errorf("model %q does not translate %s to %s", o.model, from, to),
			"run `kgmem plugins describe "+o.model+"` for its language pairs")
	}

	p := newProgress(g, "eval")
	defer p.Done()
	opts := evaluate.Options{SourceLang: from, TargetLang: to, Model: m, ModelName: o.model,
		Memory: translateMemory(mem, d), MinMatch: o.minMatch, Configs: o.configs, Terms: terms,
		Batch: o.batch, Exact: mem.index, AllowExact: o.allowExact, Progress: progressPhases{p}}
	if online != nil {
		var learner plugins.Learner
		if d.Capabilities.Learn {
			learner = m
		}
		opts.Online = &evaluate.Online{Block: o.block, LearnEvery: o.learnEvery, Learner: online.learner(learner),
			Memory: func() translate.Memory { return translateMemory(online, d) }}
	}
	rep, runErr := evaluate.Run(ctx, pairs, opts)
	p.Done()
	rep.Test = o.test
	if o.out != "" {
		if err := evaluate.WriteDir(o.out, rep); err != nil {
			return errors.Join(runErr, err)
		}
	}
	// What was done is printed even when interrupted.
	var err2 error
	if o.json {
		err2 = g.printJSON(rep)
	} else {
		err2 = evaluate.WriteTable(g.out, rep)
	}
	if runErr == nil && rep.Scored == 0 {
		runErr = withHint(fmt.Errorf("all %d test pairs are in the memory already: nothing to score", rep.TestPairs),
			"test on pairs the memory has not seen, or rerun with --allow-exact")
	}
	if runErr != nil {
		if ctx.Err() != nil && !g.quiet && o.out != "" {
			fmt.Fprintf(g.err, "interrupted: the report in %s holds what was done (partial)\n", o.out)
		}
		return runErr
	}
	return err2
}

// onlineCopy copies the embedded memory into DIR/online-data (or a
// temporary directory, removed by cleanup, when out is "") and opens the
// copy.
func onlineCopy(ctx context.Context, g *globals, uri, out string) (mem *memory, cleanup func(), err error) {
	storeFile := filepath.Join(g.dataDir, evaluate.StoreFile)
	if p, ok := strings.CutPrefix(uri, "embedded:"); ok {
		storeFile = p
	}
	if _, err := os.Stat(storeFile); err != nil {
		return nil, nil, withHint(fmt.Errorf("--online: no memory to copy: %w", err), "build one with `kgmem build-graph`")
	}
	dir := filepath.Join(out, "online-data")
	remove := func() {}
	if out == "" {
		if dir, err = os.MkdirTemp("", "kgmem-online-"); err != nil {
			return nil, nil, err
		}
		remove = func() { os.RemoveAll(dir) }
	}
	if err := evaluate.Snapshot(ctx, storeFile, g.dataDir, dir); err != nil {
		remove()
		return nil, nil, err
	}
	// Learning reads the alignment model and does not change it: the
	// copy learns with the original's.
	if mem, err = openMemoryAt(ctx, g, "embedded", dir, ingest.ModelDir(g.dataDir, uri)); err != nil {
		remove()
		return nil, nil, err
	}
	return mem, func() { mem.Close(); remove() }, nil
}

// translateMemory returns the pipeline's view of mem for a model.
func translateMemory(mem *memory, d *plugins.DescribeResponse) translate.Memory {
	im := translate.NewMemory(mem.index, mem.index, mem.store)
	if !d.Capabilities.Facts {
		// The model uses no facts: spot terms and read their labels only.
		im.Spotter = func(lang string) translate.Spotter { return mem.index.Spotter(lang) }
	}
	return im
}
