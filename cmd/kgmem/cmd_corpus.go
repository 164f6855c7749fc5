package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/kgmem/kgmem/corpora/formats"
	"github.com/kgmem/kgmem/internal/termui"
	"github.com/kgmem/kgmem/internal/textout"
)

func newCorpusCommand(g *globals) *cli.Command {
	return &cli.Command{
		Name:  "corpus",
		Usage: "inspect and convert translation memories, term bases and catalogs",
		Subcommands: []*cli.Command{
			{
				Name:      "stats",
				Usage:     "count units, language pairs, words and duplicates",
				ArgsUsage: "FILES|DIRS…",
				Flags:     append(readFlags(), jsonFlag()),
				Action: func(c *cli.Context) error {
					o, err := parseReadOptions(c, g)
					if err != nil {
						return err
					}
					if c.NArg() == 0 {
						return usageErrorf("corpus stats needs at least one file; run `kgmem corpus stats --help`")
					}
					return runCorpusStats(c, g, o)
				},
			},
			{
				Name:      "convert",
				Usage:     "convert a corpus to TMX, TSV, CSV, PO, XLIFF or TBX (by OUT's extension)",
				ArgsUsage: "IN OUT",
				Flags: append(readFlags(),
					&cli.StringFlag{Name: "to-format", Usage: "output format; default: by OUT's extension"},
					jsonFlag(),
				),
				Action: func(c *cli.Context) error {
					o, err := parseReadOptions(c, g)
					if err != nil {
						return err
					}
					if c.NArg() != 2 {
						return usageErrorf("corpus convert needs IN and OUT; run `kgmem corpus convert --help`")
					}
					outFormat, err := formats.Parse(c.String("to-format"))
					if err != nil {
						return usageErrorf("--to-format: %v", err)
					}
					if c.Args().Get(1) == "-" && wantJSON(c, g) {
						return usageErrorf("--json and OUT - would both write to stdout; write the file elsewhere, or leave out --json")
					}
					return runCorpusConvert(c, g, o, c.Args().Get(0), c.Args().Get(1), outFormat)
				},
			},
		},
	}
}

func runCorpusStats(c *cli.Context, g *globals, o formats.Options) error {
	return shown(c, g, g.out, textout.CorpusStats)(withProgress(g, "reading", func(p *termui.Progress) (formats.StatsReport, error) {
		return formats.CountFiles(c.Context, c.Args().Slice(), o, p)
	}))
}

func runCorpusConvert(c *cli.Context, g *globals, o formats.Options, in, out string, outFormat formats.Format) error {
	sum, err := withProgress(g, "converting "+in, func(p *termui.Progress) (formats.ConvertSummary, error) {
		return formats.Convert(c.Context, in, out, outFormat, o, p)
	})
	if err != nil {
		return err
	}
	if sum.Merged > 0 {
		g.log.Warn(fmt.Sprintf("%s: %d units share a source with an earlier unit; %s keeps one entry per source, the first", out, sum.Merged, sum.Format))
	}
	// The summary goes to stderr: stdout may be the converted file.
	return show(c, g, sum, g.err, textout.Converted)
}
