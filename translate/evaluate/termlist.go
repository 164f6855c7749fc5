package evaluate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/formats"
	"github.com/kgmem/kgmem/translate/metrics"
)

// TermListHint is what a term list that cannot be read should be.
const TermListHint = "a term list is TBX, TSV source<TAB>target, or CSV with source and target columns"

// hinted is an error with what to do about it (the Hint method front ends
// look for).
type hinted struct {
	err  error
	hint string
}

func (e *hinted) Error() string { return e.err.Error() + " (" + e.hint + ")" }
func (e *hinted) Unwrap() error { return e.err }
func (e *hinted) Hint() string  { return e.hint }

// ErrTermLanguages is returned by ReadTermList for a TBX term base when
// the languages to score are not given.
var ErrTermLanguages = errors.New("a TBX term base needs the source and target languages to score")

// ReadTermList reads a term list to measure term accuracy with: a TSV or
// CSV list (metrics.ReadTerms), or a term base in TBX, from which every
// concept with a term in from and one in to gives a term: its source
// terms, each with the concept's target terms. Deprecated terms are left
// out on both sides. from and to are needed for TBX only.
func ReadTermList(ctx context.Context, path, from, to string) ([]metrics.Term, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	head := make([]byte, 4096)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if format, err := formats.Detect(path, head[:n]); err != nil || format != formats.TBX {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
		terms, err := metrics.ReadTerms(f, path)
		if err != nil {
			return nil, &hinted{err, TermListHint}
		}
		return terms, nil
	}
	if from == "" || to == "" {
		return nil, fmt.Errorf("%s: %w", path, ErrTermLanguages)
	}
	src, err := corpora.ParseLang(from)
	if err != nil {
		return nil, fmt.Errorf("source language %q: %w", from, err)
	}
	tgt, err := corpora.ParseLang(to)
	if err != nil {
		return nil, fmt.Errorf("target language %q: %w", to, err)
	}
	return readTBXTerms(ctx, path, src, tgt)
}

// readTBXTerms reads the terms of a TBX term base from src to tgt.
func readTBXTerms(ctx context.Context, path string, src, tgt language.Tag) ([]metrics.Term, error) {
	tb, err := formats.OpenContext(ctx, path, formats.Options{Format: formats.TBX})
	if err != nil {
		return nil, err
	}
	defer tb.Close()
	var terms []metrics.Term
	index := map[string]int{}
	err = corpora.EachTerm(ctx, tb, func(e *corpora.TermEntry) error {
		targets := termTexts(e, tgt)
		if len(targets) == 0 {
			return nil
		}
		for _, s := range termTexts(e, src) {
			k, ok := index[s]
			if !ok {
				k = len(terms)
				index[s] = k
				terms = append(terms, metrics.Term{Source: s})
			}
			for _, t := range targets {
				if !slices.Contains(terms[k].Targets, t) {
					terms[k].Targets = append(terms[k].Targets, t)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(terms) == 0 {
		return nil, &corpora.ParseError{File: path, Offset: -1, Err: fmt.Errorf("no concept with terms in both %s and %s", src, tgt)}
	}
	return terms, nil
}

// termTexts returns the entry's terms in lang that are not deprecated.
func termTexts(e *corpora.TermEntry, lang language.Tag) []string {
	var out []string
	for _, t := range e.TermsIn(lang) {
		if t.Status != corpora.TermDeprecated && t.Text != "" {
			out = append(out, t.Text)
		}
	}
	return out
}
