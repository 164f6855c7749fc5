package main

import (
	"github.com/urfave/cli/v2"

	"github.com/kgmem/kgmem/internal/cmdline"
	"github.com/kgmem/kgmem/internal/textout"
	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/translate/evaluate"
	"github.com/kgmem/kgmem/translate/metrics"
)

func newEvalCommand(g *globals) *cli.Command {
	return &cli.Command{
		Name:  "eval",
		Usage: "measure translation quality the way the field does (BLEU, chrF, chrF++, TER, terminology, placeholders)",
		Subcommands: []*cli.Command{
			newEvalRunCommand(g),
			newEvalScoreCommand(g),
			newEvalTermsCommand(g),
		},
	}
}

func newEvalTermsCommand(g *globals) *cli.Command {
	return &cli.Command{
		Name:  "terms",
		Usage: "score the memory's learned term translations against a term list (precision at 1, inflections accepted; build the memory without the list)",
		Flags: []cli.Flag{
			cmdline.ListFlag("terms", "term list: TBX, TSV source<TAB>target or CSV with source/target columns"),
			&cli.StringFlag{Name: "from", Usage: "source language"},
			&cli.StringFlag{Name: "to", Usage: "target language"},
			&cli.IntFlag{Name: "min-count", Value: 3, Usage: "score only terms whose learned translations were seen this often"},
			jsonFlag(),
		},
		Before: cmdline.NoArgs("name the term lists with --terms"),
		Action: func(c *cli.Context) error {
			req := memory.TermPrecisionRequest{Terms: cmdline.Values(c, "terms"), MinCount: c.Int("min-count")}
			var err error
			if req.SourceLang, req.TargetLang, err = cmdline.LangStrings(c); err != nil {
				return err
			}
			return withMemory(c, g, memory.Options{}, func(mem *memory.Memory) error {
				return shown(c, g, g.out, textout.TermPrecision)(mem.TermPrecision(c.Context, req))
			})
		},
	}
}

func newEvalScoreCommand(g *globals) *cli.Command {
	return &cli.Command{
		Name:  "score",
		Usage: "score existing translations against references, as sacreBLEU would",
		Description: "Files are plain text, one segment a line, aligned line by line. BLEU, chrF,\n" +
			"chrF++ and TER are sacreBLEU 2.x's defaults. With --src, placeholder accuracy;\n" +
			"with --src and --terms (TBX with --from and --to, TSV source<TAB>target, or\n" +
			"CSV), terminology exact-match accuracy (WMT21) and consistency.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "hyp", Usage: "the translations to score", TakesFile: true},
			cmdline.ListFlag("ref", "reference translations"),
			&cli.StringFlag{Name: "src", Usage: "the source segments (for placeholder and term accuracy)", TakesFile: true},
			cmdline.ListFlag("terms", "term list: TBX, TSV source<TAB>target or CSV with source/target columns (needs --src)"),
			&cli.StringFlag{Name: "from", Usage: "with a TBX --terms: the source language"},
			&cli.StringFlag{Name: "to", Usage: "with a TBX --terms: the target language"},
			&cli.StringFlag{Name: "tokenize", Value: string(metrics.Tok13a), Usage: "BLEU tokenizer: 13a, intl, char (for Chinese, Japanese, Thai) or none"},
			jsonFlag(),
		},
		Before: cmdline.NoArgs("name the files with --hyp and --ref"),
		Action: func(c *cli.Context) error {
			req := evaluate.ScoreRequest{
				Hyp:        c.String("hyp"),
				Refs:       cmdline.Values(c, "ref"),
				Src:        c.String("src"),
				Terms:      cmdline.Values(c, "terms"),
				SourceLang: c.String("from"),
				TargetLang: c.String("to"),
				Tokenize:   metrics.Tokenizer(c.String("tokenize")),
			}
			return shown(c, g, g.out, textout.Score)(memory.Score(c.Context, req))
		},
	}
}
