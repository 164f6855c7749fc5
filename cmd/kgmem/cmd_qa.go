package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"
	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/formats"
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
			"Exit status: 0 when no finding at or above --fail-on remains, 1 when one does, 2 for wrong usage,\n" +
			"3 for an input that cannot be read.",
		Flags: append(readFlags(), jsonFlag,
			&cli.StringFlag{Name: "checks", Usage: "comma-separated checks to run (default: all; see --list)"},
			&cli.StringFlag{Name: "skip", Usage: "comma-separated checks not to run"},
			&cli.StringFlag{Name: "min-severity", Value: "info", Usage: "report findings of this severity and above: info, warning or error"},
			&cli.StringFlag{Name: "fail-on", Value: "error", Usage: "exit 1 when a finding of this severity or above remains: error, warning, info, or none"},
			&cli.StringFlag{Name: "terms", Usage: "term list for the terms and forbidden-terms checks: TBX, or a tab- or comma-separated glossary"},
			&cli.BoolFlag{Name: "list", Usage: "list the checks with their default severities, and exit"},
		),
		Action: func(c *cli.Context) error {
			for _, a := range c.Args().Slice() {
				if len(a) > 1 && a[0] == '-' {
					return usageErrorf("flags go before the files: move %q before the first file (see `kgmem qa --help`)", a)
				}
			}
			if c.Bool("list") {
				return listChecks(g, wantJSON(c, g))
			}
			o, err := parseQAOptions(c)
			if err != nil {
				return err
			}
			if c.NArg() == 0 {
				return usageErrorf("qa needs at least one file or directory; run `kgmem qa --help`")
			}
			terms, memory, done, err := qaSources(c, g)
			if err != nil {
				return err
			}
			defer done()
			o.check.Terms, o.check.Memory = terms, memory
			return runQA(c.Context, g, o, c.Args().Slice(), wantJSON(c, g))
		},
	}
}

// qaOptions are the parsed flags of `kgmem qa`.
type qaOptions struct {
	from, to language.Tag
	format   formats.Format
	lenient  bool
	check    qa.Options
	failOn   qa.Severity // 0: never fail
}

func parseQAOptions(c *cli.Context) (qaOptions, error) {
	var o qaOptions
	var err error
	if o.from, err = optionalLang(c, "from"); err != nil {
		return o, err
	}
	if o.to, err = optionalLang(c, "to"); err != nil {
		return o, err
	}
	if o.format, err = formats.Parse(c.String("format")); err != nil {
		return o, usageErrorf("--format: %v", err)
	}
	o.lenient = c.Bool("lenient")
	o.check.Checks = splitList(c.String("checks"))
	o.check.Skip = splitList(c.String("skip"))
	known := map[string]bool{}
	for _, n := range qa.CheckNames() {
		known[n] = true
	}
	for _, n := range append(append([]string(nil), o.check.Checks...), o.check.Skip...) {
		if !known[n] {
			return o, usageErrorf("no check named %q; the checks are %s (see `kgmem qa --list`)", n, strings.Join(qa.CheckNames(), ", "))
		}
	}
	if o.check.MinSeverity, err = qa.ParseSeverity(c.String("min-severity")); err != nil {
		return o, usageErrorf("--min-severity: %v", err)
	}
	if s := c.String("fail-on"); s != "none" {
		if o.failOn, err = qa.ParseSeverity(s); err != nil {
			return o, usageErrorf("--fail-on: %v, or none", err)
		}
	}
	return o, nil
}

func optionalLang(c *cli.Context, flag string) (language.Tag, error) {
	s := c.String(flag)
	if s == "" {
		return language.Und, nil
	}
	t, err := corpora.ParseLang(s)
	if err != nil {
		return language.Und, usageErrorf("--%s: %v", flag, err)
	}
	return t, nil
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

// qaSources returns the term base and the memory the terms, forbidden-
// terms and memory checks consult, and a function that releases them. It
// is the seam between the command and where kgmem keeps its knowledge:
// the term list of --terms, and no memory (the memory check is then
// skipped) until the data directory's graph and translation memory are
// opened here, as the qa.Terms and qa.Memory interfaces they implement.
func qaSources(c *cli.Context, g *globals) (qa.Terms, qa.Memory, func(), error) {
	done := func() {}
	path := c.String("terms")
	if path == "" {
		return nil, nil, done, nil
	}
	from, err := optionalLang(c, "from")
	if err != nil {
		return nil, nil, done, err
	}
	to, err := optionalLang(c, "to")
	if err != nil {
		return nil, nil, done, err
	}
	terms, err := qa.ReadTermList(c.Context, path, corpora.ReadOptions{SourceLang: from, TargetLang: to})
	if err != nil {
		err = unreadable(err)
		var he *hintError
		if !errors.As(err, &he) && !errors.Is(err, qa.ErrNoTerms) {
			err = withHint(err, "--terms takes a term list: TBX, or a tab- or comma-separated glossary of source and target terms")
		}
		return nil, nil, done, err
	}
	g.log.Debug("read the term list", "file", path, "entries", terms.Len())
	return terms, nil, done, nil
}

// runQA reads every unit of the files, checks them all at once (so that
// consistency is looked for across files), and prints the findings.
func runQA(ctx context.Context, g *globals, o qaOptions, args []string, asJSON bool) error {
	paths, err := qaPaths(g, args)
	if err != nil {
		return err
	}
	var units []*corpora.Unit
	for _, path := range paths {
		us, err := readQAFile(ctx, g, o, path)
		if err != nil {
			return err
		}
		units = append(units, us...)
	}
	findings, err := qa.Check(ctx, units, o.check)
	if err != nil {
		return err
	}
	if err := printFindings(g.out, findings, asJSON); err != nil {
		return err
	}
	return qaVerdict(g, findings, len(units), len(paths), o.failOn)
}

// qaPaths returns the files to check: those named, and the bilingual
// files under the directories named. Term bases and plain text found in
// a directory are left out: they hold no translations to check.
func qaPaths(g *globals, args []string) ([]string, error) {
	named := map[string]bool{}
	for _, a := range args {
		named[a] = true
	}
	paths, err := formats.Expand(args)
	if err != nil {
		return nil, unreadable(err)
	}
	var out []string
	for _, p := range paths {
		if !named[p] && !bilingual(formats.FromName(p)) {
			g.log.Debug("not a bilingual file; left out", "file", p)
			continue
		}
		out = append(out, p)
	}
	return out, nil
}

// bilingual reports whether files of a format hold translations.
func bilingual(f formats.Format) bool {
	return f != formats.TBX && f != formats.Glossary && f != formats.Text
}

// readQAFile reads the units of one file, those without a target too.
func readQAFile(ctx context.Context, g *globals, o qaOptions, path string) ([]*corpora.Unit, error) {
	f, err := formats.Open(path, formats.Options{Format: o.format, ReadOptions: corpora.ReadOptions{
		Name: path, SourceLang: o.from, TargetLang: o.to, Lenient: o.lenient, Untranslated: o.to != language.Und,
		OnSkip: func(s corpora.Skip) { g.log.Warn(s.String()) },
	}})
	if err != nil {
		return nil, unreadable(err)
	}
	defer f.Close()
	if !bilingual(f.Format) {
		hint := "check translations in a translation file (PO, XLIFF, TMX, TSV…)"
		if f.Format != formats.Text {
			hint = "give a term base with --terms"
		}
		return nil, usageErrorf("%s is a %s file, which holds no translations to check; %s", path, f.Format, hint)
	}
	var us []*corpora.Unit
	err = corpora.Each(ctx, f, func(u *corpora.Unit) error {
		if u.Origin.File == "" {
			u.Origin.File = path
		}
		us = append(us, u)
		return nil
	})
	if err != nil {
		return nil, unreadable(err)
	}
	return us, nil
}

// unreadable makes an error of reading an input one that exits 3: a file
// that is missing or cannot be opened is bad input, as one that does not
// parse.
func unreadable(err error) error {
	var pe *corpora.ParseError
	if err == nil || errors.As(err, &pe) || errors.Is(err, corpora.ErrUnknownFormat) || errors.Is(err, corpora.ErrNotBilingual) ||
		errors.Is(err, context.Canceled) {
		return err
	}
	var path *fs.PathError
	if errors.As(err, &path) {
		return withHint(&corpora.ParseError{File: path.Path, Offset: -1, Err: path.Err}, "check the path, and that the file can be read")
	}
	return &corpora.ParseError{Offset: -1, Err: err}
}

// printFindings writes the findings: one line each, or one JSON object
// each (JSON Lines) with the fields of qa.Finding.
func printFindings(w io.Writer, findings []qa.Finding, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		for _, f := range findings {
			if err := enc.Encode(f); err != nil {
				return err
			}
		}
		return nil
	}
	for _, f := range findings {
		if _, err := fmt.Fprintln(w, strings.ReplaceAll(f.String(), "\n", `\n`)); err != nil {
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
