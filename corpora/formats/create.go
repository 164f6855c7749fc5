package formats

import (
	"errors"
	"fmt"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/glossary"
	"github.com/kgmem/kgmem/corpora/plaintext"
	"github.com/kgmem/kgmem/corpora/po"
	"github.com/kgmem/kgmem/corpora/tabular"
	"github.com/kgmem/kgmem/corpora/tbx"
	"github.com/kgmem/kgmem/corpora/tmx"
	"github.com/kgmem/kgmem/corpora/xliff"
	"github.com/kgmem/kgmem/internal/outfile"
)

// WriteOptions configure Create.
type WriteOptions struct {
	// Format overrides the choice by extension.
	Format Format
	// SourceLang and TargetLang are the languages written in headers.
	SourceLang, TargetLang language.Tag
	// Original names the file the units came from, where the format
	// records it (XLIFF's original attribute).
	Original string
}

// OutputFile is a file being written, through internal/outfile: a regular
// file is written to a temporary file beside it and renamed into place by
// Close (keeping the old file's permissions and owner), so that a failed or
// interrupted conversion never leaves a half-written file behind; "-",
// /dev/stdout, FIFOs and devices are written through; a symbolic link's
// target gets the output.
type OutputFile struct {
	// Format is the format being written.
	Format Format
	// Merged counts units left out because the format keys units by their
	// source and already had one with that key: a gettext catalog holds
	// one entry per msgctxt and msgid, so a memory with two translations of
	// one sentence keeps the first.
	Merged int
	keys   map[[2]string]bool // PO: msgctxt, msgid written
	w      corpora.Writer
	out    *outfile.File
	closed bool
}

// Create starts writing a file in the format its extension (or
// opts.Format) names.
func Create(path string, opts WriteOptions) (*OutputFile, error) {
	format := opts.Format
	if format == Auto {
		format = FromName(path)
	}
	tmp, err := outfile.Create(path)
	if err != nil {
		return nil, err
	}
	var w corpora.Writer
	switch format {
	case TMX:
		w, err = tmx.NewWriter(tmp, tmx.WriterOptions{SourceLang: opts.SourceLang, TargetLang: opts.TargetLang})
	case PO:
		w, err = po.NewWriter(tmp, po.WriterOptions{SourceLang: opts.SourceLang, TargetLang: opts.TargetLang})
	case XLIFF:
		w, err = xliff.NewWriter(tmp, xliff.WriterOptions{Version: "1.2", SourceLang: opts.SourceLang, TargetLang: opts.TargetLang, Original: opts.Original})
	case TSV:
		w, err = tabular.NewWriter(tmp, tabular.WriterOptions{Delimiter: '\t', SourceLang: opts.SourceLang, TargetLang: opts.TargetLang})
	case CSV:
		w, err = tabular.NewWriter(tmp, tabular.WriterOptions{Delimiter: ',', SourceLang: opts.SourceLang, TargetLang: opts.TargetLang})
	case Glossary:
		w, err = glossary.NewWriter(tmp, glossary.WriterOptions{SourceLang: opts.SourceLang, TargetLang: opts.TargetLang})
	case TBX:
		w, err = tbx.NewWriter(tmp, tbx.WriterOptions{Lang: opts.SourceLang})
	case Text:
		w, err = plaintext.NewWriter(tmp, plaintext.WriterOptions{Lang: opts.TargetLang})
	default:
		err = fmt.Errorf("cannot write %q: name it .tmx, .tsv, .csv, .po, .xlf, .tbx or .txt, or pass --to-format", path)
	}
	if err != nil {
		tmp.Abort()
		return nil, err
	}
	o := &OutputFile{Format: format, w: w, out: tmp}
	if format == PO {
		o.keys = map[[2]string]bool{}
	}
	return o, nil
}

// Write writes one unit.
func (o *OutputFile) Write(u *corpora.Unit) error {
	if o.keys != nil {
		k := [2]string{u.Context, u.Source.Plain()}
		if o.keys[k] {
			o.Merged++
			return nil
		}
		o.keys[k] = true
	}
	return o.w.Write(u)
}

// Close finishes the file and moves it into place.
func (o *OutputFile) Close() error {
	if o.closed {
		return errors.New("output already closed")
	}
	o.closed = true
	if err := o.w.Close(); err != nil {
		o.out.Abort()
		return err
	}
	return o.out.Commit()
}

// Abort discards the output.
func (o *OutputFile) Abort() {
	o.closed = true
	o.out.Abort()
}
