package translate

import (
	"context"
	"fmt"
	"strings"

	"github.com/kgmem/kgmem/corpora"
)

// Reviewer checks translations as a localisation QA tool does. TranslateFile
// gives it each batch of a document's units it translated, with their new
// targets (and, for gettext plural entries, every plural form), and adds what
// it finds to the results' problems. Package qa's checks are one reviewer;
// package memory wires them, with the memory's term base, into every
// document it translates.
type Reviewer interface {
	// Review returns the problems of each unit, in the order of units
	// (nil for a unit without any). Kind names the check, Detail says what
	// is wrong.
	Review(ctx context.Context, units []*corpora.Unit) ([][]Problem, error)
}

// NotePrefix starts every note TranslateFile writes about the problems of
// a translation: a translator comment of a gettext catalog ("# kgmem qa:
// placeholder: …"), a TMX note. XLIFF gets a note from ReviewAuthor.
const NotePrefix = "kgmem qa: "

// ReviewAuthor is the XLIFF 1.2 from (2.x category) of the notes
// TranslateFile writes about the problems of a translation.
const ReviewAuthor = "kgmem-qa"

// pipelineKind maps a check of a reviewer to the kind of problem the
// pipeline reports itself for the same fault, so that a fault is noted
// once.
var pipelineKind = map[string]string{
	"placeholders": "placeholder",
	"tags":         "code",
	"accelerators": "accelerator",
	"terms":        "term",
	"untranslated": "empty",
}

// review has the reviewer check the units translated in a batch (units[i]
// for i in batch, translated as results[i], plural forms as plurals[i]) and
// adds what it finds to their results.
func review(ctx context.Context, rv Reviewer, opts FileOptions, units []*corpora.Unit, batch []int,
	results, plurals map[int]Result, forms pluralForms) error {
	if rv == nil || len(batch) == 0 {
		return nil
	}
	cands := make([]*corpora.Unit, len(batch))
	for k, i := range batch {
		u := *units[i]
		u.Target, u.TargetLang = results[i].Target, opts.TargetLang
		u.Status = corpora.StatusTranslated
		if p, ok := plurals[i]; ok && u.Gettext != nil {
			g := *u.Gettext
			ts := forms.texts(results[i].Target, p.Target)
			u.Target, g.TargetPlurals = ts[0], ts[1:]
			u.Gettext = &g
		}
		cands[k] = &u
	}
	found, err := rv.Review(ctx, cands)
	if err != nil {
		return fmt.Errorf("check the translations of %s: %w", opts.In, err)
	}
	for k, i := range batch {
		if k >= len(found) {
			break
		}
		r := results[i]
		have := map[string]bool{}
		for _, p := range r.Checks.Problems {
			have[p.Kind] = true
		}
		if p, ok := plurals[i]; ok {
			for _, q := range p.Checks.Problems {
				have[q.Kind] = true
			}
		}
		for _, p := range found[k] {
			if kind, ok := pipelineKind[p.Kind]; ok && have[kind] {
				continue
			}
			r.Checks.Problems = append(r.Checks.Problems, p)
		}
		results[i] = r
	}
	return nil
}

// problemsOf returns the problems of a unit's translation: its own and, for
// a gettext plural entry, those of its plural.
func problemsOf(r Result, plural Result, hasPlural bool) []Problem {
	if !hasPlural {
		return r.Checks.Problems
	}
	return append(append([]Problem(nil), r.Checks.Problems...), plural.Checks.Problems...)
}

// markNotes replaces the notes a unit had from an earlier review with one
// line per problem, each starting with NotePrefix.
func markNotes(u *corpora.Unit, problems []Problem) {
	var notes []string
	for _, n := range u.Notes {
		var keep []string
		for _, line := range strings.Split(n, "\n") {
			if !strings.HasPrefix(line, NotePrefix) {
				keep = append(keep, line)
			}
		}
		if len(keep) > 0 {
			notes = append(notes, strings.Join(keep, "\n"))
		}
	}
	for _, p := range problems {
		notes = append(notes, NotePrefix+strings.ReplaceAll(p.String(), "\n", " "))
	}
	u.Notes = notes
}

// reviewNote is the text of the XLIFF note about a translation's problems,
// one line a problem; "" when it has none.
func reviewNote(problems []Problem) string {
	lines := make([]string, len(problems))
	for i, p := range problems {
		lines[i] = strings.ReplaceAll(p.String(), "\n", " ")
	}
	return strings.Join(lines, "\n")
}
