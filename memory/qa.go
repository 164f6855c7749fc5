package memory

import (
	"context"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/formats"
	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/qa"
	"github.com/kgmem/kgmem/retrieval"
	"github.com/kgmem/kgmem/translate"
)

// QASource is what the QA checks read of a memory: the known terms of a
// sentence with their translations, and its exact matches. A *Memory is
// one, and so is a client of the server that holds one.
type QASource interface {
	SearchEntities(ctx context.Context, text string, o retrieval.ExpandOptions) ([]retrieval.Found, error)
	SearchTM(ctx context.Context, q retrieval.Query) ([]retrieval.Match, error)
}

// QA returns the term base and the translation memory of src as package
// qa reads them: a term-base term spotted in a source must be translated
// by one of its preferred or admitted translations and never by a
// deprecated one; an exact match's target is what the memory says the
// source is.
func QA(src QASource) (qa.Terms, qa.Memory) {
	return qaTerms{src}, qaMemory{src}
}

// QARequest is a QA run over bilingual files (kgmem qa).
type QARequest struct {
	// Paths are files and directories; Read says how to read them.
	Paths []string
	Read  formats.Options
	// Check selects the checks; its Terms and Memory are set from Terms
	// and the memory CheckFiles is given.
	Check qa.Options
	// Terms are term lists read already (qa.ReadTermList).
	Terms []qa.Terms
}

// QAReport is what a QA run found, and in how many units of how many
// files it looked.
type QAReport struct {
	Findings     []qa.Finding
	Units, Files int
}

// CheckFiles reads the files of req (qa.ReadFiles) and runs the checks
// over them, with the terms of req.Terms and, when src is not nil, the
// term base and the exact matches of that memory (see QA).
func CheckFiles(ctx context.Context, req QARequest, src QASource) (QAReport, error) {
	o, terms := req.Check, req.Terms
	if src != nil {
		t, m := QA(src)
		terms, o.Memory = append(terms, t), m
	}
	o.Terms = qa.AllTerms(terms...)
	units, files, err := qa.ReadFiles(ctx, req.Paths, req.Read.Format, req.Read.ReadOptions)
	if err != nil {
		return QAReport{}, err
	}
	findings, err := qa.Check(ctx, units, o)
	if err != nil {
		return QAReport{}, err
	}
	return QAReport{Findings: findings, Units: len(units), Files: len(files)}, nil
}

type qaTerms struct{ src QASource }

func (t qaTerms) TermsOf(ctx context.Context, sourceLang, targetLang language.Tag, source string) ([]qa.Term, error) {
	found, err := t.src.SearchEntities(ctx, source, retrieval.ExpandOptions{SourceLang: sourceLang.String(), TargetLang: targetLang.String(), Facts: 1, Neighbours: 1})
	if err != nil {
		return nil, err
	}
	var out []qa.Term
	for _, f := range found {
		if len(f.Info) == 0 {
			continue
		}
		var term qa.Term
		term.Source = f.Info[0].Label
		for _, tr := range f.Info[0].Translations {
			switch tr.Status {
			case graph.StatusPreferred, graph.StatusAdmitted:
				term.Required = append(term.Required, tr.Text)
			case graph.StatusDeprecated:
				term.Forbidden = append(term.Forbidden, tr.Text)
			}
		}
		// Only what a term base says binds: translations learned from
		// text are suggestions, not rules.
		if len(term.Required) > 0 || len(term.Forbidden) > 0 {
			out = append(out, term)
		}
	}
	return out, nil
}

type qaMemory struct{ src QASource }

func (m qaMemory) Exact(ctx context.Context, sourceLang, targetLang language.Tag, source string) ([]string, error) {
	ms, err := m.src.SearchTM(ctx, retrieval.Query{Text: source, SourceLang: sourceLang.String(), TargetLang: targetLang.String(), Min: 100, Limit: 10})
	if err != nil {
		return nil, err
	}
	var out []string
	for _, x := range ms {
		if x.Source == source {
			out = append(out, x.Target)
		}
	}
	return out, nil
}

// Reviewer returns the checks of package qa as the reviewer of translated
// documents (translate.FileOptions.Review), with the term base and the
// exact matches of src when it is not nil. It reports warnings and errors
// only, and leaves out the fuzzy check (machine translation is marked so
// by design). Memory.TranslateFile and Models.TranslateFile use it unless
// told otherwise.
func Reviewer(src QASource) translate.Reviewer {
	o := qa.Options{MinSeverity: qa.Warning, Skip: []string{"fuzzy"}}
	if src != nil {
		o.Terms, o.Memory = QA(src)
	}
	return reviewer{o}
}

type reviewer struct{ opts qa.Options }

func (r reviewer) Review(ctx context.Context, units []*corpora.Unit) ([][]translate.Problem, error) {
	// Each unit is numbered by its place in units, so that the findings
	// go back to it.
	us := make([]*corpora.Unit, len(units))
	for i, u := range units {
		c := *u
		c.Origin = corpora.Origin{Index: i}
		us[i] = &c
	}
	findings, err := qa.Check(ctx, us, r.opts)
	if err != nil {
		return nil, err
	}
	out := make([][]translate.Problem, len(units))
	for _, f := range findings {
		if f.Index < 0 || f.Index >= len(out) {
			continue
		}
		detail := f.Message
		if f.Hint != "" {
			detail += " (" + f.Hint + ")"
		}
		out[f.Index] = append(out[f.Index], translate.Problem{Kind: f.Check, Detail: detail})
	}
	return out, nil
}
