package main

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

// termListHint is what a term list that cannot be read should be.
const termListHint = "a term list is TBX, TSV source<TAB>target, or CSV with source and target columns"

// readTermList reads the term list of `eval score` and `eval run`: a TSV
// or CSV list (metrics.ReadTerms), or a term base in TBX, from which every
// concept with a term in from and one in to gives a term: its source
// terms, each with the concept's target terms. Deprecated terms are left
// out on both sides. from and to are needed for TBX only.
func readTermList(ctx context.Context, path, from, to string) ([]metrics.Term, error) {
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
			return nil, withHint(err, termListHint)
		}
		return terms, nil
	}
	if from == "" || to == "" {
		return nil, usageErrorf("%s is a TBX term base: give --from and --to to say which of its languages to score", path)
	}
	src, err := corpora.ParseLang(from)
	if err != nil {
		return nil, usageErrorf("--from %q: %v", from, err)
	}
	tgt, err := corpora.ParseLang(to)
	if err != nil {
		return nil, usageErrorf("--to %q: %v", to, err)
	}
	tb, err := formats.Open(path, formats.Options{Format: formats.TBX})
	if err != nil {
		return nil, err
	}
	defer tb.Close()
	var terms []metrics.Term
	index := map[string]int{}
	err = corpora.EachTerm(ctx, tb, func(e *corpora.TermEntry) error {
		targets := texts(e, tgt)
		if len(targets) == 0 {
			return nil
		}
		for _, s := range texts(e, src) {
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
		return nil, &corpora.ParseError{File: path, Offset: -1, Err: fmt.Errorf("no concept with terms in both %s and %s", from, to)}
	}
	return terms, nil
}

// texts returns the entry's terms in lang that are not deprecated.
func texts(e *corpora.TermEntry, lang language.Tag) []string {
	var out []string
	for _, t := range e.TermsIn(lang) {
		if t.Status != corpora.TermDeprecated && t.Text != "" {
			out = append(out, t.Text)
		}
	}
	return out
}
