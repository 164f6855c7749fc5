package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/urfave/cli/v2"
	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/formats"
	"github.com/kgmem/kgmem/plugins"
	"github.com/kgmem/kgmem/translate"
)

// learnOptions are the parsed flags of `kgmem learn`.
type learnOptions struct {
	from, to       string
	files          []string
	source, target string
	model          string
	json           bool
}

func newLearnCommand(g *globals) *cli.Command {
	return &cli.Command{
		Name:  "learn",
		Usage: "make approved translations part of the memory at once (no rebuild)",
		Description: "FILES are any readable bilingual format (TMX, XLIFF, PO, TSV…); every unit with\n" +
			"a target is taken as approved. Or give one pair with --source and --target.\n" +
			"The pairs enter the graph and the search index immediately; translations of\n" +
			"known terms are counted, and a pair whose source is a known term makes its\n" +
			"target the preferred translation (the old one stays in the graph's history).\n" +
			"With --model, a model that learns receives the pairs too.",
		ArgsUsage: "[FILES…]",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "from", Usage: "source language (needed with --source, or for files that do not say)"},
			&cli.StringFlag{Name: "to", Usage: "target language"},
			&cli.StringFlag{Name: "source", Usage: "the source text of one approved pair"},
			&cli.StringFlag{Name: "target", Usage: "its approved translation"},
			&cli.StringFlag{Name: "model", Usage: "also teach this model, if it learns"},
			graphFlag(),
			pluginDirFlag,
			jsonFlag,
		},
		Action: func(c *cli.Context) error {
			o := learnOptions{files: c.Args().Slice(), source: c.String("source"), target: c.String("target"),
				model: c.String("model"), json: wantJSON(c, g)}
			for _, f := range []struct {
				name string
				dst  *string
			}{{"from", &o.from}, {"to", &o.to}} {
				if v := c.String(f.name); v != "" {
					tag, err := corpora.ParseLang(v)
					if err != nil {
						return usageErrorf("--%s: %v", f.name, err)
					}
					*f.dst = tag.String()
				}
			}
			switch {
			case (o.source == "") != (o.target == ""):
				return usageErrorf("--source and --target go together")
			case o.source == "" && len(o.files) == 0:
				return usageErrorf("learn needs FILES or --source S --target T; run `kgmem learn --help`")
			case o.source != "" && len(o.files) > 0:
				return usageErrorf("give either FILES or --source/--target, not both")
			case o.from == "" || o.to == "":
				if o.source != "" {
					return usageErrorf("learn --source needs --from and --to")
				}
			}
			mem, err := openMemory(c.Context, c, g)
			if err != nil {
				return err
			}
			defer mem.Close()
			var model plugins.Learner
			if o.model != "" {
				h, err := newHost(c, g)
				if err != nil {
					return err
				}
				defer h.Close()
				m, err := h.Start(c.Context, o.model)
				if err != nil {
					return modelError(err)
				}
				if m.Description().Capabilities.Learn {
					model = m
				}
			}
			return runLearn(c.Context, g, o, mem, model)
		},
	}
}

// langPair is a source and target language.
type langPair struct{ from, to string }

func runLearn(ctx context.Context, g *globals, o learnOptions, mem *memory, model plugins.Learner) error {
	byPair := map[langPair][]translate.Pair{}
	var order []langPair
	add := func(lp langPair, p translate.Pair) {
		if _, ok := byPair[lp]; !ok {
			order = append(order, lp)
		}
		byPair[lp] = append(byPair[lp], p)
	}
	if o.source != "" {
		add(langPair{o.from, o.to}, translate.Pair{Source: o.source, Target: o.target, Origin: "cli"})
	}
	paths, err := formats.Expand(o.files)
	if err != nil {
		return err
	}
	for _, path := range paths {
		opts := formats.Options{ReadOptions: corpora.ReadOptions{Name: path}}
		if o.from != "" {
			opts.SourceLang = language.Make(o.from)
		}
		if o.to != "" {
			opts.TargetLang = language.Make(o.to)
		}
		f, err := formats.Open(path, opts)
		if err != nil {
			return err
		}
		for {
			u, err := f.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				f.Close()
				return err
			}
			if u.Target.IsEmpty() || u.Source.IsEmpty() {
				continue
			}
			lp := langPair{u.SourceLang.String(), u.TargetLang.String()}
			if o.from != "" {
				lp.from = o.from
			}
			if o.to != "" {
				lp.to = o.to
			}
			if lp.from == "und" || lp.to == "und" || lp.from == "" || lp.to == "" {
				f.Close()
				return usageErrorf("%s does not say its languages; give --from and --to", path)
			}
			add(lp, translate.Pair{Source: u.Source.Plain(), Target: u.Target.Plain(), Origin: path})
		}
		f.Close()
	}
	var sums []translate.LearnSummary
	for _, lp := range order {
		s, err := mem.learner(model).Learn(ctx, lp.from, lp.to, byPair[lp])
		if err != nil {
			return err
		}
		sums = append(sums, s)
		if !o.json && !g.quiet {
			fmt.Fprintf(g.out, "learned %d pairs %s→%s as %s: %d term translations counted, %d preferred translations superseded\n",
				s.Segments, lp.from, lp.to, s.Source, s.Labels, s.Superseded)
		}
	}
	if o.json {
		if sums == nil {
			sums = []translate.LearnSummary{}
		}
		return g.printJSON(sums)
	}
	return nil
}
