package qa

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/formats"
)

// ErrNotBilingual is returned by ReadFiles for a file named on its own
// that holds no translations (a term base, plain text).
var ErrNotBilingual = errors.New("holds no translations to check")

// ReadFiles reads the units of the files named and of the bilingual files
// under the directories named, untranslated ones too (with a target
// language). Term bases and plain text found in a directory are left out.
// A file that cannot be opened or read is a *corpora.ParseError, as one
// that does not parse. It returns the units and the files read.
func ReadFiles(ctx context.Context, args []string, format formats.Format, opts corpora.ReadOptions) ([]*corpora.Unit, []string, error) {
	named := map[string]bool{}
	for _, a := range args {
		named[a] = true
	}
	paths, err := formats.Expand(args)
	if err != nil {
		return nil, nil, unreadable(err)
	}
	var units []*corpora.Unit
	var read []string
	for _, p := range paths {
		if !named[p] && !bilingual(formats.FromName(p)) {
			continue
		}
		us, err := readUnitsOf(ctx, p, format, opts)
		if err != nil {
			return nil, nil, err
		}
		units = append(units, us...)
		read = append(read, p)
	}
	return units, read, nil
}

// bilingual reports whether files of a format hold translations.
func bilingual(f formats.Format) bool {
	return f != formats.TBX && f != formats.Glossary && f != formats.Text
}

func readUnitsOf(ctx context.Context, path string, format formats.Format, opts corpora.ReadOptions) ([]*corpora.Unit, error) {
	opts.Name = path
	opts.Untranslated = opts.TargetLang != language.Und
	f, err := formats.OpenContext(ctx, path, formats.Options{Format: format, ReadOptions: opts})
	if err != nil {
		return nil, unreadable(err)
	}
	defer f.Close()
	if !bilingual(f.Format) {
		hint := "check translations in a translation file (PO, XLIFF, TMX, TSV…)"
		if f.Format != formats.Text {
			hint = "give a term base with --terms"
		}
		return nil, fmt.Errorf("%s is a %s file, which %w; %s", path, f.Format, ErrNotBilingual, hint)
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

// unreadable makes an error of reading an input a *corpora.ParseError: a
// file that is missing or cannot be opened is bad input, as one that does
// not parse.
func unreadable(err error) error {
	var pe *corpora.ParseError
	if err == nil || errors.As(err, &pe) || errors.Is(err, corpora.ErrUnknownFormat) || errors.Is(err, corpora.ErrNotBilingual) ||
		errors.Is(err, context.Canceled) {
		return err
	}
	var path *fs.PathError
	if errors.As(err, &path) {
		return &corpora.ParseError{File: path.Path, Offset: -1, Err: fmt.Errorf("%w (check the path, and that the file can be read)", path.Err)}
	}
	return &corpora.ParseError{Offset: -1, Err: err}
}
