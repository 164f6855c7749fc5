package glossary

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
)

// OmegaTMagic is the first line OmegaT writes in a tab-separated glossary.
const OmegaTMagic = "# Glossary in tab-separated format -*- coding: utf-8 -*-"

// WriterOptions configure a Writer.
type WriterOptions struct {
	// SourceLang and TargetLang name the header's term columns ("en",
	// "es"); undefined languages write "source" and "target". They also
	// pick the terms WriteTerm writes.
	SourceLang, TargetLang language.Tag
	// Delimiter is '\t' (the default) or ','. Comma files quote cells as
	// RFC 4180 says; tab files cannot hold tabs or newlines in a cell, so
	// those become spaces.
	Delimiter rune
	// OmegaT writes what OmegaT reads: its magic comment line instead of a
	// header, and only source, target and comment.
	OmegaT bool
}

// Writer writes a glossary: a header row, then one line per pair of terms.
// Columns: source, target, comment, pos, definition, domain. It is not safe
// for concurrent use.
type Writer struct {
	w      *bufio.Writer
	opts   WriterOptions
	err    error
	header bool
	closed bool
}

var _ corpora.Writer = (*Writer)(nil)

// NewWriter returns a writer of a glossary to w.
func NewWriter(w io.Writer, opts WriterOptions) (*Writer, error) {
	if opts.Delimiter == 0 {
		opts.Delimiter = '\t'
	}
	if opts.Delimiter != '\t' && opts.Delimiter != ',' {
		return nil, fmt.Errorf("glossary writer: delimiter %q is not a tab or a comma", opts.Delimiter)
	}
	if opts.OmegaT && opts.Delimiter != '\t' {
		return nil, errors.New("glossary writer: OmegaT glossaries are tab-separated")
	}
	return &Writer{w: bufio.NewWriter(w), opts: opts}, nil
}

func (w *Writer) writeHeader() {
	if w.header {
		return
	}
	w.header = true
	if w.opts.OmegaT {
		_, w.err = w.w.WriteString(OmegaTMagic + "\n")
		return
	}
	name := func(t language.Tag, def string) string {
		if t == language.Und {
			return def
		}
		return t.String()
	}
	src, tgt := name(w.opts.SourceLang, "source"), name(w.opts.TargetLang, "target")
	if src == tgt {
		src, tgt = "source", "target"
	}
	w.row([]string{src, tgt, "comment", "pos", "definition", "domain"})
}

// row writes one line of cells.
func (w *Writer) row(cells []string) {
	if w.err != nil {
		return
	}
	if w.opts.OmegaT {
		cells = cells[:3]
	}
	for len(cells) > 2 && cells[len(cells)-1] == "" {
		cells = cells[:len(cells)-1]
	}
	var b strings.Builder
	for i, c := range cells {
		if i > 0 {
			b.WriteRune(w.opts.Delimiter)
		}
		if w.opts.Delimiter == '\t' {
			b.WriteString(strings.Join(strings.FieldsFunc(c, func(r rune) bool { return r == '\t' || r == '\n' || r == '\r' }), " "))
			continue
		}
		if c != strings.TrimSpace(c) || strings.ContainsAny(c, ",\"\r\n") || strings.HasPrefix(c, "#") {
			b.WriteByte('"')
			b.WriteString(strings.ReplaceAll(c, `"`, `""`))
			b.WriteByte('"')
		} else {
			b.WriteString(c)
		}
	}
	b.WriteByte('\n')
	_, w.err = w.w.WriteString(b.String())
}

func (w *Writer) check() error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return errors.New("glossary writer: write after Close")
	}
	return nil
}

func (w *Writer) pair(source, target, comment, pos, definition, domain string) error {
	if strings.TrimSpace(source) == "" || strings.TrimSpace(target) == "" {
		return fmt.Errorf("glossary writer: %q → %q: a glossary line needs both terms", source, target)
	}
	if w.opts.Delimiter == '\t' && strings.HasPrefix(strings.TrimSpace(source), "#") {
		return fmt.Errorf("glossary writer: source term %q starts with #, which a tab-separated glossary reads as a comment; write CSV", source)
	}
	w.writeHeader()
	w.row([]string{source, target, comment, pos, definition, domain})
	return w.err
}

// Write writes a unit as a line: its source and target, its notes as the
// comment, its Props "part-of-speech" and "definition", its Domain.
func (w *Writer) Write(u *corpora.Unit) error {
	if err := w.check(); err != nil {
		return err
	}
	pos, _ := u.Prop("part-of-speech")
	def, _ := u.Prop("definition")
	return w.pair(u.Source.Plain(), u.Target.Plain(), strings.Join(u.Notes, "; "), pos, def, u.Domain)
}

// WriteTerm writes an entry as one line per target term: the source term is
// the first term in the source language (or the entry's first term when it
// is undefined), the targets are the terms in the target language (or all
// the other terms).
func (w *Writer) WriteTerm(e *corpora.TermEntry) error {
	if err := w.check(); err != nil {
		return err
	}
	si := -1
	for i, t := range e.Terms {
		if w.opts.SourceLang == language.Und || corpora.LangMatches(w.opts.SourceLang, t.Lang) {
			si = i
			break
		}
	}
	if si < 0 {
		return fmt.Errorf("glossary writer: entry %q has no term in %s", e.ID, w.opts.SourceLang)
	}
	src := e.Terms[si]
	n := 0
	for i, t := range e.Terms {
		if i == si || (w.opts.SourceLang != language.Und && corpora.LangMatches(w.opts.SourceLang, t.Lang)) ||
			!corpora.LangMatches(w.opts.TargetLang, t.Lang) {
			continue
		}
		pos := src.PartOfSpeech
		if pos == "" {
			pos = t.PartOfSpeech
		}
		def := e.Definition
		if def == "" {
			def = src.Definition
		}
		if err := w.pair(src.Text, t.Text, e.Note, pos, def, e.Domain); err != nil {
			return err
		}
		n++
	}
	if n == 0 {
		return fmt.Errorf("glossary writer: entry %q has no target term", e.ID)
	}
	return nil
}

// Close writes the header if nothing was written and flushes; it does not
// close the underlying writer.
func (w *Writer) Close() error {
	if w.closed {
		return w.err
	}
	w.closed = true
	w.writeHeader()
	if w.err == nil {
		w.err = w.w.Flush()
	}
	return w.err
}

// Sniff reports whether head, the first bytes of a file, look like a
// delimited glossary: text (UTF-8 or UTF-16) that is neither XML nor a
// gettext catalog, whose first lines, past "#" comments, have a tab, or
// all split into the same number of cells at a comma or semicolon.
// OmegaT's magic first line alone is enough.
func Sniff(head []byte) bool {
	u, _, err := corpora.UTF8Reader(bytes.NewReader(head))
	if err != nil {
		return false
	}
	text, _ := io.ReadAll(u)
	if bytes.HasPrefix(text, []byte("# Glossary in tab-separated format")) {
		return true
	}
	if bytes.IndexByte(text, 0) >= 0 {
		return false
	}
	var lines []string
	for _, l := range strings.Split(string(text), "\n") {
		l = strings.TrimRight(l, "\r")
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			continue
		}
		lines = append(lines, l)
	}
	if len(lines) > 1 && len(text) == len(head) {
		lines = lines[:len(lines)-1] // may be cut short
	}
	if len(lines) == 0 {
		return false
	}
	first := strings.TrimSpace(lines[0])
	if strings.HasPrefix(first, "<") || strings.HasPrefix(first, "msgid ") || strings.HasPrefix(first, "msgctxt ") {
		return false
	}
	for _, l := range lines {
		if !utf8.ValidString(l) {
			return false
		}
	}
	d := sniffDelimiter([]byte(strings.Join(lines, "\n") + "\n"))
	n := countFields(lines[0], d)
	if n < 2 {
		return false
	}
	for _, l := range lines[1:] {
		if d == '\t' && strings.IndexByte(l, '\t') < 0 {
			return false
		}
		if d != '\t' && countFields(l, d) != n {
			return false
		}
	}
	return true
}
