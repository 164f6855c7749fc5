package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/formats"
)

// open opens one input file with the options, logging each skipped unit.
func (o readOptions) open(g *globals, path string, skipped *int) (*formats.File, error) {
	return formats.Open(path, formats.Options{
		Format: o.format,
		ReadOptions: corpora.ReadOptions{
			SourceLang: o.from,
			TargetLang: o.to,
			Lenient:    o.lenient,
			OnSkip: func(s corpora.Skip) {
				*skipped++
				g.log.Warn(s.String())
			},
		},
	})
}

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
					o, err := parseReadOptions(c)
					if err != nil {
						return err
					}
					if c.NArg() == 0 {
						return usageErrorf("corpus stats needs at least one file; run `kgmem corpus stats --help`")
					}
					return runCorpusStats(c.Context, g, o, c.Args().Slice(), wantJSON(c, g))
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
					o, err := parseReadOptions(c)
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
					return runCorpusConvert(c.Context, g, o, c.Args().Get(0), c.Args().Get(1), outFormat, wantJSON(c, g))
				},
			},
		},
	}
}

// fileStats is one row of `corpus stats`.
type fileStats struct {
	File   string         `json:"file"`
	Format formats.Format `json:"format"`
	*corpora.Stats
}

// statsReport is the JSON of `corpus stats`.
type statsReport struct {
	*corpora.Stats
	Files []fileStats `json:"files"`
}

func runCorpusStats(ctx context.Context, g *globals, o readOptions, args []string, asJSON bool) error {
	paths, err := formats.Expand(args)
	if err != nil {
		return err
	}
	total := &corpora.Stats{}
	report := statsReport{Stats: total}
	prog := newProgress(g, "reading")
	defer prog.Done()
	for _, path := range paths {
		var fs corpora.Stats
		skipped := 0
		f, err := o.open(g, path, &skipped)
		if err != nil {
			return err
		}
		prog.SetLabel(path)
		err = corpora.Each(ctx, f, func(u *corpora.Unit) error {
			fs.Add(u)
			total.Add(u)
			prog.Add(1)
			return nil
		})
		f.Close()
		if err != nil {
			return err
		}
		fs.Skipped = skipped
		total.Skipped += skipped
		report.Files = append(report.Files, fileStats{File: path, Format: f.Format, Stats: fs.Finish()})
	}
	total.Finish()
	prog.Done()
	if asJSON {
		return g.printJSON(report)
	}
	tw := tabwriter.NewWriter(g.out, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "units\tskipped\tduplicates\tsource words\ttarget words\tformat\tfile\t")
	for _, f := range report.Files {
		fmt.Fprintf(tw, "%d\t%d\t%d\t%d\t%d\t%s\t%s\t\n", f.Units, f.Skipped, f.Duplicates, f.SourceWords, f.TargetWords, f.Format, f.File)
	}
	if len(report.Files) > 1 {
		fmt.Fprintf(tw, "%d\t%d\t%d\t%d\t%d\t\t%s\t\n", total.Units, total.Skipped, total.Duplicates, total.SourceWords, total.TargetWords, "total")
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(g.out)
	for _, p := range total.Pairs {
		fmt.Fprintf(g.out, "%s → %s\t%d units\n", p.Source, p.Target, p.Units)
	}
	return nil
}

// convertReport is the JSON of `corpus convert`.
type convertReport struct {
	In      string         `json:"in"`
	Out     string         `json:"out"`
	Format  formats.Format `json:"format"`
	Units   int            `json:"units"`
	Skipped int            `json:"skipped"`
	Merged  int            `json:"merged"`
}

func runCorpusConvert(ctx context.Context, g *globals, o readOptions, in, out string, outFormat formats.Format, asJSON bool) error {
	skipped := 0
	f, err := o.open(g, in, &skipped)
	if err != nil {
		return err
	}
	defer f.Close()
	first, err := f.Next()
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("%s: no units to convert: %w", in, corpora.ErrNotBilingual)
	}
	if err != nil {
		return err
	}
	w, err := formats.Create(out, formats.WriteOptions{
		Format:     outFormat,
		SourceLang: first.SourceLang,
		TargetLang: first.TargetLang,
		Original:   in,
	})
	if err != nil {
		return err
	}
	n := 0
	write := func(u *corpora.Unit) error {
		n++
		return w.Write(u)
	}
	prog := newProgress(g, "converting "+in)
	err = write(first)
	if err == nil {
		err = corpora.Each(ctx, f, func(u *corpora.Unit) error {
			prog.Add(1)
			return write(u)
		})
	}
	prog.Done()
	if err != nil {
		w.Abort()
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	if w.Merged > 0 {
		g.log.Warn(fmt.Sprintf("%s: %d units share a source with an earlier unit; %s keeps one entry per source, the first", out, w.Merged, w.Format))
	}
	rep := convertReport{In: in, Out: out, Format: w.Format, Units: n - w.Merged, Skipped: skipped, Merged: w.Merged}
	if asJSON {
		return g.printJSON(rep)
	}
	fmt.Fprintf(g.out, "wrote %d units to %s (%s)", n, out, w.Format)
	if skipped > 0 {
		fmt.Fprintf(g.out, ", skipped %d", skipped)
	}
	fmt.Fprintln(g.out)
	return nil
}
