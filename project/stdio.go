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

// Document translates one document as tr.TranslateFile does, where fo.In
// may be Stdio (the document is read from stdin) and fo.Out may be Stdio
// (it is written to stdout, in the input's format). A document from stdin
// needs fo.Format unless its content says it (XML of XLIFF or TMX, a
// gettext catalog): it has no name to tell it by. Both are staged as
// temporary files, since a document is read twice (a catalog's header,
// XLIFF filled in place) and written whole before it is put in place.
func Document(ctx context.Context, tr Translator, o memory.TranslateOptions, fo translate.FileOptions,
	stdin io.Reader, stdout io.Writer, fn func(*corpora.Unit, translate.Result) error) (translate.FileSummary, error) {
	if fo.In != Stdio && fo.Out != Stdio {
		return tr.TranslateFile(ctx, o, fo, fn)
	}
	dir, err := os.MkdirTemp("", "kgmem-document-")
	if err != nil {
		return translate.FileSummary{}, err
	}
	defer os.RemoveAll(dir)
	if fo.In == Stdio {
		if fo.In, fo.Format, err = stageInput(stdin, fo.Format, dir); err != nil {
			return translate.FileSummary{}, err
		}
	}
	toStdout := fo.Out == Stdio
	if toStdout {
		format := fo.Format
		if format == formats.Auto {
			format = formats.FromName(fo.In)
		}
		ext, ok := extensions[format]
		if !ok {
			return translate.FileSummary{}, fmt.Errorf("%s: kgmem cannot write a translated %s document; translate PO, XLIFF, TMX, TSV, CSV or text", fo.In, format)
		}
		fo.Out = filepath.Join(dir, "stdout"+ext)
	}
	sum, err := tr.TranslateFile(ctx, o, fo, fn)
	if err != nil || !toStdout {
		return sum, err
	}
	f, err := os.Open(fo.Out)
	if err != nil {
		return sum, err
	}
	defer f.Close()
	if _, err := io.Copy(stdout, f); err != nil {
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
