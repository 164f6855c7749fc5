package project

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/formats"
	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/translate"
)

// Stdio is "-", the name of standard input or output.
const Stdio = "-"

// DocumentOptions are where Document reads and writes the streams, and
// whom it tells.
type DocumentOptions struct {
	// Stdin and Stdout are read for an input and written for an output
	// named Stdio.
	Stdin  io.Reader
	Stdout io.Writer
	// Progress is told how many units there are to translate and each one
	// done; nil for none.
	Progress Progress
	// OnResult is called with each translated unit; nil for none.
	OnResult func(*corpora.Unit, translate.Result) error
}

// Document translates one document as tr.TranslateFile does, where fo.In
// may be Stdio (the document is read from stdin) and fo.Out may be Stdio
// (it is written to stdout, in the input's format). A document from stdin
// needs fo.Format unless its content says it (XML of XLIFF or TMX, a
// gettext catalog): it has no name to tell it by. Both are staged as
// temporary files, since a document is read twice (a catalog's header,
// XLIFF filled in place) and written whole before it is put in place.
func Document(ctx context.Context, tr Translator, o memory.TranslateOptions, fo translate.FileOptions, do DocumentOptions) (translate.FileSummary, error) {
	if fo.In == Stdio || fo.Out == Stdio {
		dir, err := os.MkdirTemp("", "kgmem-document-")
		if err != nil {
			return translate.FileSummary{}, err
		}
		defer os.RemoveAll(dir)
		if fo.In == Stdio {
			if fo.In, fo.Format, err = stageInput(do.Stdin, fo.Format, dir); err != nil {
				return translate.FileSummary{}, err
			}
		}
		if fo.Out == Stdio {
			return toStdout(ctx, tr, o, fo, do, dir)
		}
	}
	return translateDocument(ctx, tr, o, fo, do)
}

// translateDocument translates a document named by files, telling the
// progress.
func translateDocument(ctx context.Context, tr Translator, o memory.TranslateOptions, fo translate.FileOptions, do DocumentOptions) (translate.FileSummary, error) {
	p := do.Progress
	if p == nil {
		p = noProgress{}
	}
	todo := int64(0)
	if c, err := readUnits(fo.In, fo.Format, fo.SourceLang, fo.TargetLang); err == nil {
		todo = int64(c.missing)
		if fo.Retranslate {
			todo = int64(c.units)
		}
	}
	p.Phase("translating", todo)
	return tr.TranslateFile(ctx, o, fo, func(u *corpora.Unit, r translate.Result) error {
		p.Add(1)
		if do.OnResult != nil {
			return do.OnResult(u, r)
		}
		return nil
	})
}

// toStdout translates a document into a temporary file in dir, in the
// input's format, and copies it to stdout.
func toStdout(ctx context.Context, tr Translator, o memory.TranslateOptions, fo translate.FileOptions, do DocumentOptions, dir string) (translate.FileSummary, error) {
	format := fo.Format
	if format == formats.Auto {
		format = formats.FromName(fo.In)
	}
	ext, ok := extensions[format]
	if !ok {
		return translate.FileSummary{}, fmt.Errorf("%s: kgmem cannot write a translated %s document; translate PO, XLIFF, TMX, TSV, CSV or text", fo.In, format)
	}
	fo.Out = filepath.Join(dir, "stdout"+ext)
	sum, err := translateDocument(ctx, tr, o, fo, do)
	if err != nil {
		return sum, err
	}
	f, err := os.Open(fo.Out)
	if err != nil {
		return sum, err
	}
	defer f.Close()
	if _, err := io.Copy(do.Stdout, f); err != nil {
		return sum, fmt.Errorf("write the translation to standard output: %w", err)
	}
	return sum, nil
}

// extensions are the file extensions of the formats a translated
// document is written in.
var extensions = map[formats.Format]string{
	formats.PO: ".po", formats.XLIFF: ".xlf", formats.TMX: ".tmx", formats.TSV: ".tsv", formats.CSV: ".csv", formats.Text: ".txt",
}

// stageInput copies stdin to a file named for its format in dir, and
// returns the file and the format.
func stageInput(stdin io.Reader, format formats.Format, dir string) (string, formats.Format, error) {
	br := bufio.NewReaderSize(stdin, 64<<10)
	if format == formats.Auto {
		head, _ := br.Peek(4096)
		if len(head) == 0 {
			return "", format, &corpora.ParseError{File: "standard input", Offset: 0, Err: errors.New("no document: the input is empty")}
		}
		if f, err := formats.Detect("", head); err == nil {
			format = f
		}
	}
	ext, ok := extensions[format]
	if !ok {
		if format == formats.Auto {
			// A document on stdin has no name to tell its format by.
			return "", format, memory.WithHint(fmt.Errorf("standard input: %w: its content does not say it", corpora.ErrUnknownFormat),
				"name it with --format po, xliff, tmx, tsv, csv or text")
		}
		return "", format, fmt.Errorf("standard input: kgmem cannot translate a %s document; translate PO, XLIFF, TMX, TSV, CSV or text", format)
	}
	path := filepath.Join(dir, "stdin"+ext)
	f, err := os.Create(path)
	if err != nil {
		return "", format, err
	}
	if _, err := io.Copy(f, br); err != nil {
		f.Close()
		return "", format, fmt.Errorf("read the document from standard input: %w", err)
	}
	return path, format, f.Close()
}
