package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/kgmem/kgmem/corpora"
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
				return listChecks(g, wantJSON(c, g))
			}
			ro, err := parseReadOptions(c)
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
			done, err := qaSources(c, g, &o)
			if err != nil {
				return err
			}
			defer done()
			units, files, err := qa.ReadFiles(c.Context, c.Args().Slice(), ro.format, corpora.ReadOptions{SourceLang: ro.from, TargetLang: ro.to,
				Lenient: ro.lenient, OnSkip: func(s corpora.Skip) { g.log.Warn(s.String()) }})
			if errors.Is(err, qa.ErrNotBilingual) {
				return usageErrorf("%v", err)
			}
			if err != nil {
				return err
			}
			findings, err := qa.Check(c.Context, units, o)
			if err != nil {
				return err
			}
			if err := printFindings(g, findings, wantJSON(c, g)); err != nil {
				return err
			}
			return qaVerdict(g, findings, len(units), len(files), failOn)
		},
	}
}

func parseQAOptions(c *cli.Context) (o qa.Options, failOn qa.Severity, err error) {
	o.Checks, o.Skip = splitList(c.String("checks")), splitList(c.String("skip"))
	for _, n := range append(append([]string(nil), o.Checks...), o.Skip...) {
		if !contains(qa.CheckNames(), n) {
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

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// splitList splits a comma-separated flag value.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// qaSources sets the term base and the memory the terms and consistency
// checks consult: the term list of --terms and the data directory's
// memory (through its server when one holds it), and returns what
// releases them.
func qaSources(c *cli.Context, g *globals, o *qa.Options) (func(), error) {
	var terms []qa.Terms
	done := func() {}
	if path := c.String("terms"); path != "" {
		ro, err := parseReadOptions(c)
		if err != nil {
			return done, err
		}
		tl, err := qa.ReadTermList(c.Context, path, corpora.ReadOptions{SourceLang: ro.from, TargetLang: ro.to})
		if err != nil {
			if !errors.As(err, new(memory.Hinter)) && !errors.Is(err, qa.ErrNoTerms) {
				err = withHint(err, "--terms takes a term list: TBX, or a tab- or comma-separated glossary of source and target terms")
			}
			return done, err
		}
		terms = append(terms, tl)
	}
	if !c.Bool("no-memory") {
		svc, err := openService(c, g, openOptions{}, nil)
		switch {
		case errors.Is(err, memory.ErrNoMemory):
			g.log.Debug("no memory in the data directory: terms and consistency against the files only")
		case err != nil:
			return done, err
		default:
			t, m := memory.QA(svc)
			terms, o.Memory, done = append(terms, t), m, func() { svc.Close() }
		}
	}
	o.Terms = qa.AllTerms(terms...)
	return done, nil
}

// printFindings writes the findings: one line each, or one JSON object
// each (JSON Lines) with the fields of qa.Finding.
func printFindings(g *globals, findings []qa.Finding, asJSON bool) error {
	enc := json.NewEncoder(g.out)
	enc.SetEscapeHTML(false)
	for _, f := range findings {
		var err error
		if asJSON {
			err = enc.Encode(f)
		} else {
			_, err = fmt.Fprintln(g.out, strings.ReplaceAll(f.String(), "\n", `\n`))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// qaVerdict logs the counts and returns the error that makes the exit
// status 1 when findings at or above failOn remain.
func qaVerdict(g *globals, findings []qa.Finding, units, files int, failOn qa.Severity) error {
	by := map[qa.Severity]int{}
	failing := 0
	for _, f := range findings {
		by[f.Severity]++
		if failOn != 0 && f.Severity >= failOn {
			failing++
		}
	}
	if !g.quiet {
		fmt.Fprintf(g.err, "%d findings (%d errors, %d warnings, %d info) in %d units of %d files\n",
			len(findings), by[qa.Error], by[qa.Warning], by[qa.Info], units, files)
	}
	if failing > 0 {
		return fmt.Errorf("%d findings at or above %s (--fail-on)", failing, failOn)
	}
	return nil
}

// listChecks prints every check with its default severity.
func listChecks(g *globals, asJSON bool) error {
	if asJSON {
		return g.printJSON(qa.Checks())
	}
	tw := tabwriter.NewWriter(g.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "check\tseverity\twhat it finds")
	for _, ck := range qa.Checks() {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", ck.Name, ck.Severity, ck.Doc)
	}
	return tw.Flush()
}
