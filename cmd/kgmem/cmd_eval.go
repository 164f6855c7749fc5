package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/translate/metrics"
)

func newEvalCommand(g *globals) *cli.Command {
	return &cli.Command{
		Name:  "eval",
		Usage: "measure translation quality the way the field does (BLEU, chrF, chrF++, TER, terminology, placeholders)",
		Subcommands: []*cli.Command{
			newEvalRunCommand(g),
			{
				Name:  "score",
				Usage: "score existing translations against references, as sacreBLEU would",
				Description: "Files are plain text, one segment a line, aligned line by line. BLEU, chrF,\n" +
					"chrF++ and TER are sacreBLEU 2.x's defaults. With --src, placeholder accuracy;\n" +
					"with --src and --terms (TBX with --from and --to, TSV source<TAB>target, or\n" +
					"CSV), terminology exact-match accuracy (WMT21) and consistency.",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "hyp", Usage: "the translations to score", TakesFile: true},
					&cli.GenericFlag{Name: "ref", Usage: "reference translations; repeat for several references", Value: &fileList{}, TakesFile: true},
					&cli.StringFlag{Name: "src", Usage: "the source segments (for placeholder and term accuracy)", TakesFile: true},
					&cli.StringFlag{Name: "terms", Usage: "term list: TBX, TSV source<TAB>target or CSV with source/target columns (needs --src)", TakesFile: true},
					&cli.StringFlag{Name: "from", Usage: "with a TBX --terms: the source language"},
					&cli.StringFlag{Name: "to", Usage: "with a TBX --terms: the target language"},
					&cli.StringFlag{Name: "tokenize", Value: string(metrics.Tok13a), Usage: "BLEU tokenizer: 13a, intl, char (for Chinese, Japanese, Thai) or none"},
					jsonFlag,
				},
				// The app's OnUsageError does not reach subcommands.
				OnUsageError: func(c *cli.Context, err error, _ bool) error {
					return usageErrorf("%v; run `kgmem eval score --help`", err)
				},
				Action: func(c *cli.Context) error {
					o := evalScoreOptions{
						hyp:      c.String("hyp"),
						refs:     c.Generic("ref").(*fileList).paths,
						src:      c.String("src"),
						terms:    c.String("terms"),
						from:     c.String("from"),
						to:       c.String("to"),
						tokenize: metrics.Tokenizer(c.String("tokenize")),
					}
					switch {
					case c.NArg() > 0:
						return usageErrorf("eval score takes no arguments, got %q; name the files with --hyp and --ref", c.Args().First())
					case o.hyp == "" || len(o.refs) == 0:
						return usageErrorf("eval score needs --hyp FILE and --ref FILE; run `kgmem eval score --help`")
					case o.terms != "" && o.src == "":
						return usageErrorf("--terms needs --src: terms are looked up in the source segments")
					}
					switch o.tokenize {
					case metrics.Tok13a, metrics.TokIntl, metrics.TokChar, metrics.TokNone:
					default:
						return usageErrorf("--tokenize %q: use 13a, intl, char or none", string(o.tokenize))
					}
					return runEvalScore(c.Context, g, o, wantJSON(c, g))
				},
			},
		},
	}
}

// fileList collects a flag given several times, without splitting on
// commas as cli.StringSliceFlag would (file names may hold commas).
type fileList struct{ paths []string }

func (f *fileList) Set(v string) error { f.paths = append(f.paths, v); return nil }
func (f *fileList) String() string     { return strings.Join(f.paths, " ") }

// evalScoreOptions are the parsed flags of `eval score`.
type evalScoreOptions struct {
	hyp, src, terms string
	from, to        string // languages of a TBX term list
	refs            []string
	tokenize        metrics.Tokenizer
}

// evalScoreReport is the JSON of `eval score`.
type evalScoreReport struct {
	Segments   int     `json:"segments"`
	References int     `json:"references"`
	BLEU       float64 `json:"bleu"`
	ChrF       float64 `json:"chrf"`
	ChrFPP     float64 `json:"chrfpp"`
	TER        float64 `json:"ter"`
	// Present when --terms (term_*) or --src (placeholder_*) is given; null
	// when nothing in the files could be measured.
	TermAccuracy        *nullable        `json:"term_accuracy,omitempty"`
	TermConsistency     *nullable        `json:"term_consistency,omitempty"`
	PlaceholderAccuracy *nullable        `json:"placeholder_accuracy,omitempty"`
	Details             evalScoreDetails `json:"details"`
}

type evalScoreDetails struct {
	BLEU            *metrics.BLEUScore            `json:"bleu"`
	ChrF            *metrics.ChrFScore            `json:"chrf"`
	ChrFPP          *metrics.ChrFScore            `json:"chrfpp"`
	TER             *metrics.TERScore             `json:"ter"`
	Terms           *metrics.TermAccuracyScore    `json:"terms,omitempty"`
	TermConsistency *metrics.TermConsistencyScore `json:"term_consistency,omitempty"`
	Placeholders    *metrics.PlaceholderScore     `json:"placeholders,omitempty"`
}

// nullable is a score that may not exist: JSON null when it does not.
type nullable struct {
	v  float64
	ok bool
}

func (n nullable) MarshalJSON() ([]byte, error) {
	if !n.ok {
		return []byte("null"), nil
	}
	return fmt.Appendf(nil, "%g", n.v), nil
}

func (n nullable) String() string {
	if !n.ok {
		return "n/a"
	}
	return fmt.Sprintf("%.2f", n.v)
}

func runEvalScore(ctx context.Context, g *globals, o evalScoreOptions, asJSON bool) error {
	read := func(path string) ([]string, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		segs, err := metrics.ReadSegments(f)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
		return segs, nil
	}
	hyps, err := read(o.hyp)
	if err != nil {
		return err
	}
	if len(hyps) == 0 {
		return withHint(&corpora.ParseError{File: o.hyp, Offset: -1, Err: errors.New("file is empty")}, "nothing to score")
	}
	aligned := func(path string, n int) error {
		if n == len(hyps) {
			return nil
		}
		return withHint(&corpora.ParseError{File: path, Offset: -1,
			Err: fmt.Errorf("has %d lines but %s has %d: %w", n, o.hyp, len(hyps), metrics.ErrLengthMismatch)},
			"the files must hold one segment per line, aligned line by line")
	}
	refs := make([][]string, len(o.refs))
	for k, path := range o.refs {
		if refs[k], err = read(path); err != nil {
			return err
		}
		if err := aligned(path, len(refs[k])); err != nil {
			return err
		}
	}
	// Like sacreBLEU, a segment needs at least one non-empty reference.
	for i := range hyps {
		empty := true
		for _, set := range refs {
			empty = empty && set[i] == ""
		}
		if empty {
			return withHint(&corpora.ParseError{File: strings.Join(o.refs, ", "), Line: i + 1, Err: metrics.ErrNoReference},
				"every segment needs a reference; remove the line from every file")
		}
	}
	var srcs []string
	if o.src != "" {
		if srcs, err = read(o.src); err != nil {
			return err
		}
		if err := aligned(o.src, len(srcs)); err != nil {
			return err
		}
	}

	rep := evalScoreReport{Segments: len(hyps), References: len(refs)}
	d := &rep.Details
	if d.BLEU, err = (metrics.BLEU{Tokenize: o.tokenize}).Corpus(hyps, refs...); err != nil {
		return err
	}
	if d.ChrF, err = metrics.CorpusChrF(hyps, refs...); err != nil {
		return err
	}
	if d.ChrFPP, err = metrics.CorpusChrFPP(hyps, refs...); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if d.TER, err = metrics.CorpusTER(hyps, refs...); err != nil {
		return err
	}
	rep.BLEU, rep.ChrF, rep.ChrFPP, rep.TER = d.BLEU.Score, d.ChrF.Score, d.ChrFPP.Score, d.TER.Score

	if srcs != nil {
		if d.Placeholders, err = metrics.PlaceholderAccuracy(srcs, hyps); err != nil {
			return err
		}
		rep.PlaceholderAccuracy = &nullable{d.Placeholders.Score, d.Placeholders.Segments > 0}
	}
	if o.terms != "" {
		terms, err := readTermList(ctx, o.terms, o.from, o.to)
		if err != nil {
			return err
		}
		m := metrics.NewTermMatcher(terms)
		g.log.Debug("term list read", "file", o.terms, "terms", len(m.Terms()))
		// Accuracy is measured against the first reference set.
		if d.Terms, err = m.Accuracy(srcs, refs[0], hyps); err != nil {
			return err
		}
		if d.TermConsistency, err = m.Consistency(srcs, hyps); err != nil {
			return err
		}
		rep.TermAccuracy = &nullable{d.Terms.Score, d.Terms.Total > 0}
		rep.TermConsistency = &nullable{d.TermConsistency.Score, d.TermConsistency.Total > 0}
	}

	if asJSON {
		return g.printJSON(rep)
	}
	fmt.Fprintf(g.out, "BLEU|%s = %s\n", d.BLEU.Signature, strings.TrimPrefix(d.BLEU.String(), "BLEU = "))
	fmt.Fprintf(g.out, "%s|%s = %.2f\n", d.ChrF.Name, d.ChrF.Signature, d.ChrF.Score)
	fmt.Fprintf(g.out, "%s|%s = %.2f\n", d.ChrFPP.Name, d.ChrFPP.Signature, d.ChrFPP.Score)
	fmt.Fprintf(g.out, "TER|%s = %.2f\n", d.TER.Signature, d.TER.Score)
	if d.Terms != nil {
		fmt.Fprintf(g.out, "term accuracy = %s (%d of %d source terms rendered as in the reference)\n",
			rep.TermAccuracy, d.Terms.Matched, d.Terms.Total)
		fmt.Fprintf(g.out, "term consistency = %s (%d of %d repeated source terms always rendered the same way)\n",
			rep.TermConsistency, d.TermConsistency.Consistent, d.TermConsistency.Total)
	}
	if d.Placeholders != nil {
		fmt.Fprintf(g.out, "placeholder accuracy = %s (%d of %d segments with placeholders kept them all)\n",
			rep.PlaceholderAccuracy, d.Placeholders.Correct, d.Placeholders.Segments)
	}
	return nil
}
