package project

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora/formats"
)

// Layout names the rule by which a plan chose a file's output.
type Layout string

// The layouts of a plan; see the package documentation.
const (
	LayoutGettext Layout = "gettext" // po/D.pot → po/LL.po, or po/LL/D.po beside other templates
	LayoutLocale  Layout = "locale"  // locale/D.pot → locale/LL/LC_MESSAGES/D.po
	LayoutName    Layout = "name"    // messages.xlf → messages.LL.xlf
	LayoutDir     Layout = "dir"     // en/ui.xlf → LL/ui.xlf
	LayoutSame    Layout = "same"    // a file with its own translations → the same path
	LayoutOmegaT  Layout = "omegat"  // source/X → target/X
)

// Action is what Run does with a file.
type Action string

const (
	// Translate translates the source into the output.
	Translate Action = "translate"
	// Update translates what the translation there is lacks (Prev) into
	// the output, keeping what it has.
	Update Action = "update"
	// Skip leaves the output as it is: it is translated already.
	Skip Action = "skip"
	// Copy copies the translation there is (a plain text translation in
	// the input tree) to the output.
	Copy Action = "copy"
	// Fail is a file the plan could not read; Job.Err says why.
	Fail Action = "fail"
)

// Options say which tree to plan and how.
type Options struct {
	// In is the tree, or an OmegaT project folder.
	In string
	// Out is where the outputs go, with the tree's layout; "" or In
	// translates in place (an OmegaT project: into its target folder).
	Out string
	// SourceLang and TargetLang are the languages; an OmegaT project
	// gives its own, which these may only repeat.
	SourceLang, TargetLang language.Tag
	// Include and Exclude are Glob patterns of the files to translate,
	// relative to In (an OmegaT project: to its source folder).
	Include, Exclude []string
	// Retranslate translates every file from its source again, every
	// unit, even those that are translated.
	Retranslate bool
}

// Plan is what Run will do with a tree: one Job per output.
type Plan struct {
	In, Out                string
	SourceLang, TargetLang language.Tag
	Retranslate            bool
	Jobs                   []Job
	// Ignored are the files left alone, with why.
	Ignored []Ignored
	// OmegaT is the project when In is an OmegaT project folder.
	OmegaT *OmegaT
}

// Job is one output of a plan.
type Job struct {
	// Source is the file translated from: a template, a file in the
	// source language, or the file itself when it holds its translations.
	Source string
	// Out is the output file; Prev the translation there is already
	// (Out, or the file at Out's place in the input tree), or "".
	Out, Prev string
	Layout    Layout
	Format    formats.Format
	Action    Action
	// Reason says why a file is skipped or failed.
	Reason string
	// Units is how many units the source holds, Missing how many of them
	// have no translation yet (the work of Run), Words the source words
	// of the units.
	Units, Missing, Words int
	// Notes are what the plan found wrong with the file that does not
	// stop it: a translation that lacks units of its template.
	Notes []string
	// Err is why a file failed.
	Err error `json:"-"`
}

// Ignored is a file a plan leaves alone.
type Ignored struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// ErrNoLanguages is returned by NewPlan when the languages are neither
// given nor said by an OmegaT project.
var ErrNoLanguages = errors.New("no source and target language")

// NewPlan walks the tree opts.In and decides, file by file, what Run does.
// It reads every file it will translate, to count its units and to see how
// much of it is translated already; a file it cannot read is a job that
// fails, not an error of the plan.
func NewPlan(ctx context.Context, opts Options) (*Plan, error) {
	st, err := os.Stat(opts.In)
	if err != nil {
		return nil, fmt.Errorf("read the tree %s: %w", opts.In, err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("%s is not a directory", opts.In)
	}
	f, err := newFilter(opts.Include, opts.Exclude)
	if err != nil {
		return nil, err
	}
	p := &Plan{In: opts.In, Out: opts.Out, SourceLang: opts.SourceLang, TargetLang: opts.TargetLang, Retranslate: opts.Retranslate}
	if p.Out == "" {
		p.Out = p.In
	}
	var cands []candidate
	if om, err := ReadOmegaT(opts.In); err != nil {
		return nil, err
	} else if om != nil {
		if err := p.useOmegaT(om, opts); err != nil {
			return nil, err
		}
		cands, err = p.omegatCandidates(f)
		if err != nil {
			return nil, err
		}
	} else {
		if p.SourceLang == language.Und || p.TargetLang == language.Und {
			return nil, fmt.Errorf("%w: give the languages of the tree %s", ErrNoLanguages, opts.In)
		}
		// The layout is the whole tree's: the filters choose what of it
		// to translate.
		files, err := p.walk(filter{})
		if err != nil {
			return nil, err
		}
		cands = p.classify(files)
	}
	p.resolve(cands, f)
	for i := range p.Jobs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p.decide(&p.Jobs[i])
	}
	return p, nil
}

// file is a file of the tree, by its path relative to the tree.
type file struct {
	rel    string // with / separators
	format formats.Format
}

// walk lists the files under p.In that kgmem reads and the filter keeps,
// leaving out hidden files and the output tree when it is inside.
func (p *Plan) walk(f filter) ([]file, error) {
	outAbs, _ := filepath.Abs(p.Out)
	inAbs, _ := filepath.Abs(p.In)
	var files []file
	err := filepath.WalkDir(p.In, func(pth string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if pth == p.In {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if abs, _ := filepath.Abs(pth); outAbs != inAbs && abs == outAbs {
				return filepath.SkipDir
			}
			return nil
		}
		rel, err := filepath.Rel(p.In, pth)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if !f.keep(rel) {
			return nil
		}
		if format := formats.FromName(d.Name()); format != formats.Auto {
			files = append(files, file{rel: rel, format: format})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the tree %s: %w", p.In, err)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].rel < files[j].rel })
	return files, nil
}

// candidate is what classify made of one file: a job (its source and
// output, relative to the tree), a translation for the target language
// that some job may produce, or a file to leave alone.
type candidate struct {
	f      file
	out    string // the output's relative path; "" for none
	layout Layout
	// existing is set for a translation into the target language: the
	// output of the job whose out is its path, if any, else its own.
	existing bool
	ignore   string
}

// resolve turns candidates into jobs: one per output; a translation into
// the target language is the previous translation of the job that makes
// its path, or a job of its own.
func (p *Plan) resolve(cands []candidate, f filter) {
	byOut := map[string]int{}
	for _, c := range cands {
		switch {
		case !f.keep(c.f.rel):
		case c.ignore != "":
			p.Ignored = append(p.Ignored, Ignored{Path: p.inPath(c.f.rel), Reason: c.ignore})
		case !c.existing:
			if i, ok := byOut[c.out]; ok {
				p.Ignored = append(p.Ignored, Ignored{Path: p.inPath(c.f.rel),
					Reason: fmt.Sprintf("%s is translated from %s already", p.outPath(c.out), p.Jobs[i].Source)})
				continue
			}
			byOut[c.out] = len(p.Jobs)
			p.Jobs = append(p.Jobs, Job{Source: p.inPath(c.f.rel), Out: p.outPath(c.out), Layout: c.layout, Format: c.f.format})
		}
	}
	for _, c := range cands {
		if c.ignore != "" || !c.existing || !f.keep(c.f.rel) {
			continue
		}
		if _, ok := byOut[c.f.rel]; ok {
			continue // decide finds it as the job's previous translation
		}
		if c.f.format == formats.Text {
			// A translated text holds no source to translate from.
			p.Ignored = append(p.Ignored, Ignored{Path: p.inPath(c.f.rel), Reason: "a translation whose source text is not in the tree"})
			continue
		}
		byOut[c.f.rel] = len(p.Jobs)
		p.Jobs = append(p.Jobs, Job{Source: p.inPath(c.f.rel), Out: p.outPath(c.f.rel), Layout: LayoutSame, Format: c.f.format})
	}
	sort.SliceStable(p.Jobs, func(i, j int) bool { return p.Jobs[i].Out < p.Jobs[j].Out })
}

// inPath and outPath turn a relative path into one in the input and the
// output tree.
func (p *Plan) inPath(rel string) string  { return filepath.Join(p.In, filepath.FromSlash(rel)) }
func (p *Plan) outPath(rel string) string { return filepath.Join(p.Out, filepath.FromSlash(rel)) }

// dirsOf returns the set of directories (relative, with /) of files.
func dirsOf(files []file) map[string]bool {
	dirs := map[string]bool{}
	for _, f := range files {
		for d := path.Dir(f.rel); d != "." && !dirs[d]; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	return dirs
}
