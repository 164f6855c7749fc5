package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/urfave/cli/v2"
	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/formats"
	"github.com/kgmem/kgmem/internal/cmdline"
	"github.com/kgmem/kgmem/internal/lineio"
	"github.com/kgmem/kgmem/internal/termui"
	"github.com/kgmem/kgmem/internal/textout"
	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/plugins"
	"github.com/kgmem/kgmem/project"
	"github.com/kgmem/kgmem/server"
	"github.com/kgmem/kgmem/translate"
)

// translateBatch is how many input lines go through the pipeline at once.
const translateBatch = 256

// translateOptions are the parsed flags of `kgmem translate`.
type translateOptions struct {
	memory.TranslateOptions
	texts            []string // from the arguments; nil reads stdin
	in, out          string
	format           formats.Format
	tree             bool // --in is a directory
	include, exclude []string
	json, explain    bool
	learn, approve   bool
	retranslate      bool
}

func newTranslateCommand(g *globals) *cli.Command {
	return &cli.Command{
		Name:  "translate",
		Usage: "translate TEXT, each line of stdin, a document or a whole tree (--in/--out), with the memory and a model",
		Description: "Each segment is looked up in the translation memory and the knowledge graph; the\n" +
			"memory found is weighted and budgeted (see --explain) and passed to the model.\n" +
			"Placeholders, inline codes, escaped newlines and accelerators are protected and\n" +
			"checked. Each output has a status: exact, fuzzy NN % or machine (shown with\n" +
			"--explain or --json). Documents: XLIFF 1.2/2.x (filled in place), PO (machine\n" +
			"output marked fuzzy unless --approve), TMX, TSV, plain text; \"-\" is stdin or\n" +
			"stdout. A translation the QA checks find problems in is marked for review.\n" +
			"A directory (--in DIR --out DIR, or --in-place) is translated whole, by its\n" +
			"layout (po/LL.po from a POT, locale/LL/LC_MESSAGES, messages.LL.xlf, an OmegaT\n" +
			"project folder), skipping what is translated already; see docs/projects.md.",
		ArgsUsage: "[TEXT…]",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "model", Aliases: []string{"m"}, Usage: "model to translate with (see kgmem plugins list)"},
			&cli.StringFlag{Name: "from", Usage: "source language (BCP-47 or a locale)"},
			&cli.StringFlag{Name: "to", Usage: "target language"},
			graphFlag(),
			&cli.IntFlag{Name: "min-match", Value: memory.DefaultMinMatch(), Usage: "lowest fuzzy-match score used, in percent"},
			&cli.StringFlag{Name: "register", Usage: "how the translation addresses the reader: formal (usted, vous, Sie) or informal (tú, tu, du); default: the model's (Apertium's Spanish: formal)"},
			&cli.BoolFlag{Name: "no-tm", Usage: "do not use the translation memory (ablation)"},
			&cli.BoolFlag{Name: "no-kg", Usage: "do not use the knowledge graph's terms and facts (ablation)"},
			&cli.StringFlag{Name: "in", Usage: "a document to translate (- for stdin), or a directory", TakesFile: true},
			&cli.StringFlag{Name: "out", Usage: "where to write the translated document (- for stdout), or the directory of a tree's translations", TakesFile: true},
			&cli.BoolFlag{Name: "in-place", Usage: "with --in: write the translations into the input (a tree: beside their sources)"},
			&cli.StringFlag{Name: "format", Usage: "format of --in (po, xliff, tmx, tsv, csv, text); default: by extension and content"},
			cmdline.ListFlag("include", "with --in DIR: translate only files matching this glob (** for any directories)"),
			cmdline.ListFlag("exclude", "with --in DIR: leave out files matching this glob"),
			&cli.BoolFlag{Name: "explain", Usage: "show, per segment, its status and the memory kept and dropped, and why (on stderr)"},
			&cli.BoolFlag{Name: "retranslate", Usage: "with --in: translate units that already have a target too; a tree: every file again"},
			&cli.BoolFlag{Name: "approve", Usage: "mark the translations approved (PO: not fuzzy; XLIFF: final)"},
			&cli.BoolFlag{Name: "learn", Usage: "learn the translations that are approved (all with --approve, else only exact matches)"},
			pluginDirFlag(),
			callTimeoutFlag(),
			jsonFlag(),
		},
		Action: func(c *cli.Context) error {
			o, err := parseTranslateOptions(c, g)
			if err != nil {
				return err
			}
			var plan *project.Plan
			if o.tree {
				if plan, err = planTree(c, o); err != nil {
					return err
				}
				o.SourceLang, o.TargetLang = plan.SourceLang.String(), plan.TargetLang.String()
			}
			prog := newProgress(g, "translating")
			defer prog.Done()
			// The model starts now: a wrong model or pair is told before
			// any input is read.
			tr, err := openTranslator(c, g, o, prog)
			if err != nil {
				return err
			}
			defer tr.Close()
			if plan != nil {
				return runTranslateTree(c.Context, g, o, tr, plan, prog)
			}
			if o.in != "" {
				return runTranslateFile(c.Context, g, o, tr, prog)
			}
			return runTranslate(c.Context, g, o, tr)
		},
	}
}

func parseTranslateOptions(c *cli.Context, g *globals) (translateOptions, error) {
	o := translateOptions{json: wantJSON(c, g), explain: c.Bool("explain"),
		in: c.String("in"), out: c.String("out"), learn: c.Bool("learn"), approve: c.Bool("approve"),
		retranslate: c.Bool("retranslate"), include: cmdline.Values(c, "include"), exclude: cmdline.Values(c, "exclude")}
	o.Model, o.MinMatch, o.NoTM, o.NoKG, o.Register = c.String("model"), c.Int("min-match"), c.Bool("no-tm"), c.Bool("no-kg"), c.String("register")
	if err := plugins.CheckRegister(o.Register); err != nil {
		return o, usageErrorf("--%v", err)
	}
	if st, err := os.Stat(o.in); err == nil && st.IsDir() && o.in != project.Stdio {
		o.tree = true
	}
	// A tree's run prints a summary a file, not each segment's memory.
	o.Explain = o.explain || o.json && !o.tree
	if err := checkTranslateIO(c, &o); err != nil {
		return o, err
	}
	var err error
	if o.format, err = formats.Parse(c.String("format")); err != nil {
		return o, usageErrorf("--format: %v", err)
	}
	if o.Model == "" {
		return o, usageErrorf("translate needs --model; run `kgmem plugins list` for the models")
	}
	if !o.tree && (c.String("from") == "" || c.String("to") == "") {
		return o, usageErrorf("translate needs --from and --to (an OmegaT project folder gives its own)")
	}
	if o.SourceLang, o.TargetLang, err = cmdline.LangStrings(c); err != nil {
		return o, err
	}
	switch {
	case o.in != "" && c.NArg() > 0:
		return o, usageErrorf("give either TEXT or --in FILE, not both")
	case o.MinMatch < 1 || o.MinMatch > 100:
		return o, usageErrorf("--min-match %d: use a percentage from 1 to 100", o.MinMatch)
	}
	if c.NArg() > 0 {
		o.texts = c.Args().Slice()
		if err := lineio.CheckArgs(o.texts); err != nil {
			return o, err
		}
		for _, a := range o.texts {
			if fi, err := os.Stat(a); err == nil && !fi.IsDir() && !strings.ContainsAny(a, " \t\n") {
				return o, usageErrorf("%q is a file: translate it with --in %s --out OUT (--out - for stdout); "+
					"to translate the words themselves, pipe them: echo %q | kgmem translate …", a, a, a)
			}
		}
	}
	return o, nil
}

// checkTranslateIO checks how --in, --out, --in-place, --include,
// --exclude and --json go together.
func checkTranslateIO(c *cli.Context, o *translateOptions) error {
	inPlace := c.Bool("in-place")
	switch {
	case inPlace && o.in == "":
		return usageErrorf("--in-place needs --in: translate --in FILE|DIR --in-place")
	case inPlace && o.in == project.Stdio:
		return usageErrorf("stdin cannot be translated in place: give --out FILE, or --out - for stdout")
	case inPlace && o.out != "" && o.out != o.in:
		return usageErrorf("--in-place writes into --in: leave out --out %s", o.out)
	case inPlace:
		o.out = o.in
	case o.tree && o.out == "":
		return usageErrorf("a directory is translated into another (--out DIR) or into itself (--in-place)")
	case o.tree && o.out == project.Stdio:
		return usageErrorf("--out - writes one document to stdout; a directory's translations go to --out DIR")
	case (o.in == "") != (o.out == ""):
		return usageErrorf("--in and --out go together: translate --in FILE --out FILE (- for stdin or stdout)")
	case o.json && o.out == project.Stdio:
		return usageErrorf("--json and --out - would both write to stdout: write the document to a file, or leave out --json")
	case !o.tree && len(o.include)+len(o.exclude) > 0:
		return usageErrorf("--include and --exclude choose the files of a directory: give --in DIR")
	}
	if st, err := os.Stat(o.out); o.tree && err == nil && !st.IsDir() {
		return usageErrorf("--out %s is a file; a directory's translations go to a directory", o.out)
	}
	return nil
}

// planTree plans the translation of the directory --in.
func planTree(c *cli.Context, o translateOptions) (*project.Plan, error) {
	from, to, _ := cmdline.Langs(c)
	plan, err := project.NewPlan(c.Context, project.Options{In: o.in, Out: o.out, SourceLang: from, TargetLang: to,
		Include: o.include, Exclude: o.exclude, Retranslate: o.retranslate})
	switch {
	case errors.Is(err, project.ErrNoLanguages):
		return nil, usageErrorf("%v: pass --from and --to", err)
	case errors.Is(err, project.ErrLanguageMismatch), errors.Is(err, project.ErrBadGlob):
		return nil, usageErrorf("%v", err)
	}
	return plan, err
}

// openTranslator opens what translate translates with (see
// server.OpenTranslator).
func openTranslator(c *cli.Context, g *globals, o translateOptions, prog memory.Progress) (server.Translator, error) {
	idx := newProgress(g, "indexing")
	defer idx.Done()
	opts := memoryOptions(c, g, memory.Options{CallTimeout: c.Duration("call-timeout")}, idx)
	return server.OpenTranslator(c.Context, opts, o.TranslateOptions, o.learn, prog)
}

// newApprovals collects the translations a run learns: none without
// --learn.
func newApprovals(o translateOptions) *memory.Approvals {
	if !o.learn {
		return nil
	}
	return memory.NewApprovals(o.TranslateOptions, o.approve)
}

// learnApproved learns what a run approved, when it translated with a
// memory.
func learnApproved(ctx context.Context, g *globals, ap *memory.Approvals, tr server.Translator) error {
	mem, ok := tr.(memory.Learner)
	if !ok {
		return nil
	}
	s, learned, err := ap.Learn(ctx, mem)
	if learned && !g.quiet {
		fmt.Fprintf(g.err, "learned %d approved translations (%d term translations counted, %d superseded, %d against a settled one)\n", s.Segments, s.Labels, s.Superseded, s.Contested)
	}
	return err
}

// record does with a translation what every run does: collects it for
// --learn, explains it with --explain, and with --json writes it to enc
// (written reports that).
func (o translateOptions) record(g *globals, ap *memory.Approvals, enc *json.Encoder, r translate.Result) (written bool, err error) {
	ap.Add(r)
	if o.explain {
		textout.Explain(g.err, r)
	}
	if o.json {
		return true, enc.Encode(r)
	}
	return false, nil
}

func runTranslateFile(ctx context.Context, g *globals, o translateOptions, tr server.Translator, prog *termui.Progress) error {
	ap := newApprovals(o)
	out := bufio.NewWriter(g.out)
	defer out.Flush()
	enc := lineEncoder(out)
	from, to := language.Make(o.SourceLang), language.Make(o.TargetLang)
	fo := translate.FileOptions{In: o.in, Out: o.out, Format: o.format, SourceLang: from, TargetLang: to, Approve: o.approve, Retranslate: o.retranslate}
	sum, err := project.Document(ctx, tr, o.TranslateOptions, fo, project.DocumentOptions{Stdin: g.in, Stdout: g.out, Progress: prog,
		OnResult: func(u *corpora.Unit, r translate.Result) error {
			r.ID = u.ID
			_, err := o.record(g, ap, enc, r)
			return err
		}})
	prog.Done()
	if err != nil {
		return err
	}
	if err := learnApproved(ctx, g, ap, tr); err != nil {
		return err
	}
	if o.json {
		// After the segments, one line that sums the document up.
		type fileSummary struct {
			translate.FileSummary
			In  string `json:"in"`
			Out string `json:"out"`
		}
		return enc.Encode(struct {
			Summary fileSummary `json:"summary"`
		}{fileSummary{sum, o.in, o.out}})
	}
	if !g.quiet {
		textout.FileSummary(g.err, o.in, o.out, sum)
	}
	return nil
}

func runTranslate(ctx context.Context, g *globals, o translateOptions, tr server.Translator) error {
	ap := newApprovals(o)
	out := bufio.NewWriter(g.out)
	defer out.Flush()
	enc := lineEncoder(out)
	err := memory.TranslateLines(ctx, tr, o.TranslateOptions, o.texts, g.in, translateBatch, func(rs []translate.Result) error {
		for _, r := range rs {
			// With --json one object a segment, as soon as its batch is
			// done; else one line in, one line out, whatever the model
			// returns.
			written, err := o.record(g, ap, enc, r)
			if err != nil {
				return err
			}
			if !written {
				fmt.Fprintln(out, strings.ReplaceAll(r.Translation, "\n", " "))
			}
		}
		return out.Flush()
	})
	if err != nil {
		return err
	}
	return learnApproved(ctx, g, ap, tr)
}
