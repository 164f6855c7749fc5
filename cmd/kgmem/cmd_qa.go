package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/formats"
	"github.com/kgmem/kgmem/internal/cmdline"
	"github.com/kgmem/kgmem/internal/textout"
	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/qa"
)

// newQACommand is `kgmem qa`: the QA checks of package qa over bilingual
// files, for people (one line a finding) and pipelines (--json, exit
// codes by severity).
func newQACommand(g *globals) *cli.Command {
	return &cli.Command{
		Name:      "qa",
		Usage:     "check translations: placeholders, tags, accelerators, numbers, punctuation, terms, consistency",
		ArgsUsage: "FILES|DIRS…",
		Description: "Reads every bilingual file given (any format kgmem reads; directories are walked) and prints one\n" +
			"finding a line, FILE:LINE: SEVERITY: CHECK: MESSAGE (HINT); with --json, one JSON object a line.\n" +
			"Terms are checked against --terms and, when the data directory holds a memory, against its term\n" +
			"base; consistency against the files and the memory's exact matches (--no-memory: files only).\n" +
			"Exit status: 0 when no finding at or above --fail-on remains, 1 when one does, 2 for wrong usage,\n" +
			"3 for an input that cannot be read.",
		Flags: append(readFlags(), jsonFlag(), graphFlag(),
			&cli.StringFlag{Name: "checks", Usage: "comma-separated checks to run (default: all; see --list)"},
			&cli.StringFlag{Name: "skip", Usage: "comma-separated checks not to run"},
			&cli.StringFlag{Name: "min-severity", Value: "info", Usage: "report findings of this severity and above: info, warning or error"},
			&cli.StringFlag{Name: "fail-on", Value: "error", Usage: "exit 1 when a finding of this severity or above remains: error, warning, info, or none"},
			&cli.StringFlag{Name: "terms", Usage: "term list for the terms and forbidden-terms checks: TBX, or a tab- or comma-separated glossary"},
			&cli.BoolFlag{Name: "no-memory", Usage: "do not check against the data directory's memory"},
			&cli.BoolFlag{Name: "list", Usage: "list the checks with their default severities, and exit"},
		),
		Action: func(c *cli.Context) error {
			if c.Bool("list") {
				return show(c, g, qa.Checks(), g.out, textout.Checks)
			}
			ro, err := parseReadOptions(c, g)
			if err != nil {
				return err
			}
			o, failOn, err := parseQAOptions(c)
			if err != nil {
				return err
			}
			if c.NArg() == 0 {
				return usageErrorf("qa needs at least one file or directory; run `kgmem qa --help`")
			}
			terms, svc, err := qaSources(c, g, ro)
			if err != nil {
				return err
			}
			if svc != nil {
				defer svc.Close()
			}
			rep, err := memory.CheckFiles(c.Context, memory.QARequest{Paths: c.Args().Slice(), Read: ro, Check: o, Terms: terms}, svc)
			if errors.Is(err, qa.ErrNotBilingual) {
				return usageErrorf("%v", err)
			}
			if err != nil {
				return err
			}
			if wantJSON(c, g) {
				enc := lineEncoder(g.out)
				for _, f := range rep.Findings {
					if err = enc.Encode(f); err != nil {
						break
					}
				}
			} else {
				err = textout.Findings(g.out, rep.Findings)
			}
			if err != nil {
				return err
			}
			counts := qa.Count(rep.Findings, failOn)
			if !g.quiet {
				textout.QASummary(g.err, counts, rep.Units, rep.Files)
			}
			if counts.Failing > 0 {
				return fmt.Errorf("%d findings at or above %s (--fail-on)", counts.Failing, failOn)
			}
			return nil
		},
	}
}

func parseQAOptions(c *cli.Context) (o qa.Options, failOn qa.Severity, err error) {
	o.Checks, o.Skip = cmdline.SplitList(c.String("checks")), cmdline.SplitList(c.String("skip"))
	for _, n := range append(append([]string(nil), o.Checks...), o.Skip...) {
		if !slices.Contains(qa.CheckNames(), n) {
			return o, 0, usageErrorf("no check named %q; the checks are %s (see `kgmem qa --list`)", n, strings.Join(qa.CheckNames(), ", "))
		}
	}
	if o.MinSeverity, err = qa.ParseSeverity(c.String("min-severity")); err != nil {
		return o, 0, usageErrorf("--min-severity: %v", err)
	}
	if s := c.String("fail-on"); s != "none" {
		if failOn, err = qa.ParseSeverity(s); err != nil {
			return o, 0, usageErrorf("--fail-on: %v, or none", err)
		}
	}
	return o, failOn, nil
}

// qaSources returns what the terms and consistency checks consult
// besides the files: the term list of --terms, and the data directory's
// memory (through its server when one holds it; nil with --no-memory or
// when the directory holds none).
func qaSources(c *cli.Context, g *globals, ro formats.Options) ([]qa.Terms, memory.Service, error) {
	var terms []qa.Terms
	if path := c.String("terms"); path != "" {
		tl, err := qa.ReadTermList(c.Context, path, corpora.ReadOptions{SourceLang: ro.SourceLang, TargetLang: ro.TargetLang})
		if err != nil {
			if !errors.As(err, new(memory.Hinter)) && !errors.Is(err, qa.ErrNoTerms) {
				err = memory.WithHint(err, "--terms takes a term list: TBX, or a tab- or comma-separated glossary of source and target terms")
			}
			return nil, nil, err
		}
		terms = append(terms, tl)
	}
	if c.Bool("no-memory") {
		return terms, nil, nil
	}
	svc, err := openService(c, g, memory.Options{}, nil)
	if errors.Is(err, memory.ErrNoMemory) {
		g.log.Debug("no memory in the data directory: terms and consistency against the files only")
		return terms, nil, nil
	}
	return terms, svc, err
}
