package translate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/formats"
	"github.com/kgmem/kgmem/corpora/po"
	"github.com/kgmem/kgmem/corpora/xliff"
	"github.com/kgmem/kgmem/internal/outfile"
)

// DocumentBatch is how many segments of a document go through the
// pipeline at once.
const DocumentBatch = 256

// FileOptions say which document to translate and where to write it.
type FileOptions struct {
	In, Out string
	// Format of In; Auto detects it. Out is written in the format its
	// extension names, except XLIFF, which is filled in place of its
	// targets.
	Format                 formats.Format
	SourceLang, TargetLang language.Tag
	// Approve marks every translation as approved (translated, not
	// fuzzy); otherwise exact matches are translated and model output is
	// machine translation (PO fuzzy, XLIFF state needs-review-translation
	// or equivalent).
	Approve bool
	// Retranslate translates units that already have a target too.
	Retranslate bool
	// Review checks each batch of translations as a QA tool does; what it
	// finds joins the results' problems. nil: the pipeline's own checks
	// only. A translation with problems is written as machine translation
	// (needing review, even under Approve) with a note per problem (see
	// NotePrefix and ReviewAuthor).
	Review Reviewer
}

// FileSummary counts what TranslateFile did.
type FileSummary struct {
	Units      int            `json:"units"`
	Translated int            `json:"translated"`
	Kept       int            `json:"kept"` // units that had a target already
	ByStatus   map[string]int `json:"by_status"`
	Problems   int            `json:"segments_with_problems"`
	Format     string         `json:"format"`
}

// TranslateFile translates the units of a document and writes it to
// opts.Out: XLIFF is filled (every byte outside the targets kept), other
// formats are written anew with the translations as targets (a plain text
// document keeps its paragraphs). Each result is passed to fn, in order, as
// soon as its batch is done.
func (t *Translator) TranslateFile(ctx context.Context, opts FileOptions, fn func(*corpora.Unit, Result) error) (FileSummary, error) {
	sum := FileSummary{ByStatus: map[string]int{}}
	f, err := formats.OpenContext(ctx, opts.In, formats.Options{Format: opts.Format, ReadOptions: corpora.ReadOptions{
		Name: opts.In, SourceLang: opts.SourceLang, TargetLang: opts.TargetLang, Untranslated: true}})
	if err != nil {
		return sum, err
	}
	var units []*corpora.Unit
	for {
		u, err := f.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			f.Close()
			return sum, err
		}
		units = append(units, u)
	}
	sum.Format = string(f.Format)
	f.Close()
	sum.Units = len(units)
	if len(units) == 0 {
		// Readers leave out what is in another language pair (an XLIFF
		// <file> with another target-language): say so rather than write
		// a copy with nothing translated.
		return sum, fmt.Errorf("translate %s: %w (%s to %s); check --from and --to against the languages the file declares",
			opts.In, corpora.ErrNotBilingual, opts.SourceLang, opts.TargetLang)
	}

	// Translate, in batches, the units without a target.
	var todo []int
	for i, u := range units {
		if !opts.Retranslate && !u.Target.IsEmpty() {
			sum.Kept++
			continue
		}
		todo = append(todo, i)
	}
	results := make(map[int]Result, len(todo))
	// The translations of the msgid_plural of gettext plural entries, which
	// fill msgstr[1] and up.
	plurals := map[int]Result{}
	forms := pluralFormsOf(opts, f.Format)
	for from := 0; from < len(todo); from += DocumentBatch {
		to := min(from+DocumentBatch, len(todo))
		segs := make([]Segment, 0, to-from)
		var pluralOf []int // unit of each plural segment, after the others
		for _, i := range todo[from:to] {
			s := Segment{ID: units[i].ID, Source: units[i].Source, Context: units[i].Context}
			if i > 0 {
				s.Prev = units[i-1].Source.Plain()
			}
			if i+1 < len(units) {
				s.Next = units[i+1].Source.Plain()
			}
			segs = append(segs, s)
		}
		for _, i := range todo[from:to] {
			if g := units[i].Gettext; g != nil && !g.SourcePlural.IsEmpty() {
				segs = append(segs, Segment{ID: units[i].ID, Source: g.SourcePlural, Prev: units[i].Source.Plain()})
				pluralOf = append(pluralOf, i)
			}
		}
		rs, err := t.Translate(ctx, segs)
		if err != nil {
			return sum, err
		}
		for k, i := range pluralOf {
			plurals[i] = rs[to-from+k]
		}
		for k, i := range todo[from:to] {
			results[i] = rs[k]
		}
		if err := review(ctx, opts.Review, opts, units, todo[from:to], results, plurals, forms); err != nil {
			return sum, err
		}
		for _, i := range todo[from:to] {
			r := results[i]
			sum.Translated++
			sum.ByStatus[r.Status]++
			if p, ok := plurals[i]; len(r.Checks.Problems) > 0 || ok && len(p.Checks.Problems) > 0 {
				sum.Problems++
			}
			if fn != nil {
				if err := fn(units[i], r); err != nil {
					return sum, err
				}
			}
		}
	}
	status := func(r Result) corpora.Status {
		if opts.Approve && len(r.Checks.Problems) == 0 {
			return corpora.StatusApproved
		}
		if r.Status == StatusExact && len(r.Checks.Problems) == 0 {
			return corpora.StatusTranslated
		}
		return corpora.StatusMachine
	}
	if f.Format == formats.XLIFF {
		return sum, fillXLIFF(opts, units, results, status)
	}
	out, err := createOutput(opts, f.Format)
	if err != nil {
		return sum, fmt.Errorf("write %s: %w", opts.Out, err)
	}
	for i, u := range units {
		if r, ok := results[i]; ok {
			u.Target = r.Target
			u.TargetLang = opts.TargetLang
			u.Status = status(r)
			p, hasPlural := plurals[i]
			if problems := problemsOf(r, p, hasPlural); len(problems) > 0 || len(u.Notes) > 0 {
				markNotes(u, problems)
				if len(problems) > 0 {
					u.Status = corpora.StatusMachine
				}
			}
			if hasPlural {
				// Every plural form gets a translation, for the
				// translator to adapt: the singular's for the form only
				// a count of one (or zero) uses, the plural's, which
				// carries the count, for the others.
				ts := forms.texts(r.Target, p.Target)
				u.Target, u.Gettext.TargetPlurals = ts[0], ts[1:]
				if s := status(p); s != u.Status && !opts.Approve {
					u.Status = corpora.StatusMachine
				}
			}
		}
		if err := out.Write(u); err != nil {
			out.Abort()
			return sum, fmt.Errorf("write %s: %w", opts.Out, err)
		}
	}
	if err := out.Close(); err != nil {
		return sum, fmt.Errorf("write %s: %w", opts.Out, err)
	}
	return sum, nil
}

// pluralForms says how a translated catalog's plural entries are
// filled: how many forms they have, and which form (if any) only counts
// of zero and one use.
type pluralForms struct {
	n        int
	singular int // -1: every form serves counts above one
}

// pluralFormsOf returns the plural forms of the translated document: from
// the input catalog's Plural-Forms, or when it has none (a template's
// placeholder), the target language's rule; two forms, the first for the
// singular, when neither is known.
func pluralFormsOf(opts FileOptions, in formats.Format) pluralForms {
	var rule *po.PluralRule
	if in == formats.PO {
		if h, err := poHeader(opts.In); err == nil {
			rule, _ = po.ParsePluralForms(h.Get("Plural-Forms"))
		}
	}
	if rule == nil {
		if pf, ok := po.PluralFormsOf(opts.TargetLang); ok {
			rule, _ = po.ParsePluralForms(pf)
		}
	}
	if rule == nil {
		return pluralForms{n: 2, singular: 0}
	}
	pf := pluralForms{n: rule.N, singular: -1}
	one, err := rule.Form(1)
	if err != nil {
		return pf
	}
	// msgfmt --check wants the count's directive in every form that
	// serves more than one count; the singular may leave it out only
	// where its form serves one alone (or zero and one, as French's).
	for c := uint64(2); c <= 1000; c++ {
		if f, err := rule.Form(c); err == nil && f == one {
			return pf
		}
	}
	pf.singular = one
	return pf
}

// texts returns msgstr[0], msgstr[1], … of a plural entry.
func (pf pluralForms) texts(singular, plural corpora.Segment) []corpora.Segment {
	ts := make([]corpora.Segment, pf.n)
	for k := range ts {
		ts[k] = plural
		if k == pf.singular {
			ts[k] = singular
		}
	}
	return ts
}

// output is where TranslateFile writes a document that is written anew.
type output interface {
	Write(*corpora.Unit) error
	Close() error
	Abort()
}

// createOutput starts writing opts.Out in the format its name says. A
// gettext catalog translated into a catalog keeps its header (translator
// comments, project, team, plural forms), as msgmerge would.
func createOutput(opts FileOptions, in formats.Format) (output, error) {
	var header *po.Header
	if in == formats.PO && formats.FromName(opts.Out) == formats.PO {
		header, _ = poHeader(opts.In) // unreadable now: a new header
	}
	if header == nil {
		o, err := formats.Create(opts.Out, formats.WriteOptions{SourceLang: opts.SourceLang, TargetLang: opts.TargetLang,
			Original: filepath.Base(opts.In)})
		if err != nil {
			return nil, err
		}
		return o, nil
	}
	out, err := outfile.Create(opts.Out)
	if err != nil {
		return nil, err
	}
	w, err := po.NewWriter(out, po.WriterOptions{SourceLang: opts.SourceLang, TargetLang: opts.TargetLang, Header: header})
	if err != nil {
		out.Abort()
		return nil, err
	}
	return &poOutput{w: w, out: out}, nil
}

// poHeader reads the header entry of the catalog at path.
func poHeader(path string) (*po.Header, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := po.NewReaderOptions(f, po.ReaderOptions{ReadOptions: corpora.ReadOptions{Name: path}})
	if err != nil {
		return nil, err
	}
	return r.Header(), nil
}

// poOutput writes a catalog through internal/outfile, as formats.Create
// does.
type poOutput struct {
	w   *po.Writer
	out *outfile.File
}

func (o *poOutput) Write(u *corpora.Unit) error {
	if err := o.w.Write(u); err != nil && !errors.Is(err, po.ErrDuplicate) {
		return err
	}
	return nil
}

func (o *poOutput) Close() error {
	if err := o.w.Close(); err != nil {
		o.out.Abort()
		return err
	}
	return o.out.Commit()
}

func (o *poOutput) Abort() { o.out.Abort() }

// fillXLIFF writes the translations into a copy of the XLIFF document.
func fillXLIFF(opts FileOptions, units []*corpora.Unit, results map[int]Result, status func(Result) corpora.Status) error {
	tr := make(map[xliff.Key]xliff.Translation, len(results))
	for i, r := range results {
		tr[xliff.KeyOf(units[i])] = xliff.Translation{Target: r.Target, Status: status(r), Note: reviewNote(r.Checks.Problems)}
	}
	in, err := os.Open(opts.In)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := outfile.Create(opts.Out)
	if err != nil {
		return err
	}
	if _, err := xliff.Fill(in, out, tr, xliff.FillOptions{Name: opts.In, TargetLang: opts.TargetLang}); err != nil {
		out.Abort()
		return err
	}
	return out.Commit()
}
