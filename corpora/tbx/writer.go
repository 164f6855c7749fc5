package tbx

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/internal/xmlread"
)

// WriterOptions configure a Writer.
type WriterOptions struct {
	// Version is the edition to write. V2019 (the default) writes TBX-Basic
	// in DCA style; V2008 writes <martif type="TBX-Basic">, which older
	// tools such as translate-toolkit (tbx2po) read.
	Version Version
	// Lang is the file's main language (the root's xml:lang), written
	// first in every entry; "en" when undefined.
	Lang language.Tag
	// Description goes in the header's <sourceDesc>; "Written by kgmem"
	// when empty.
	Description string
}

// Writer writes a TBX-Basic term base, one entry per WriteTerm or Write.
// It is not safe for concurrent use.
type Writer struct {
	w      *bufio.Writer
	opts   WriterOptions
	names  names
	ids    map[string]bool
	n      int
	err    error
	header bool
	closed bool
}

var _ corpora.Writer = (*Writer)(nil)

// NewWriter returns a writer of a TBX file to w. Nothing is written until
// the first entry or Close.
func NewWriter(w io.Writer, opts WriterOptions) (*Writer, error) {
	if opts.Version != V2019 && opts.Version != V2008 {
		return nil, fmt.Errorf("tbx writer: unknown version %d", opts.Version)
	}
	if opts.Lang == language.Und {
		opts.Lang = language.English
	}
	if opts.Description == "" {
		opts.Description = "Written by kgmem"
	}
	return &Writer{w: bufio.NewWriter(w), opts: opts, names: opts.Version.names(), ids: map[string]bool{}}, nil
}

func (w *Writer) printf(format string, args ...any) {
	if w.err == nil {
		_, w.err = fmt.Fprintf(w.w, format, args...)
	}
}

// esc escapes text for the file, with the characters XML cannot hold
// written as their escapes (see xmlread.EscapeInvalid), which the reader
// undoes.
func esc(s string) string { return xmlread.EscapeText(xmlread.EscapeInvalid(s)) }

// spaceAttr returns ` xml:space="preserve"` for text whose white space the
// reader would otherwise collapse (leading or trailing space, line
// breaks, runs of spaces, tabs, no-break spaces), else "".
func spaceAttr(text string) string {
	if strings.Join(strings.Fields(text), " ") == text {
		return ""
	}
	return ` xml:space="preserve"`
}

func (w *Writer) writeHeader() {
	if w.header {
		return
	}
	w.header = true
	w.printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
	if w.opts.Version == V2008 {
		w.printf("<martif type=\"TBX-Basic\" xml:lang=\"%s\">\n", esc(w.opts.Lang.String()))
		w.printf("\t<martifHeader>\n\t\t<fileDesc>\n\t\t\t<sourceDesc>\n\t\t\t\t<p>%s</p>\n\t\t\t</sourceDesc>\n\t\t</fileDesc>\n", esc(w.opts.Description))
		w.printf("\t\t<encodingDesc>\n\t\t\t<p type=\"XCSURI\">TBXBasicXCSV02.xcs</p>\n\t\t</encodingDesc>\n\t</martifHeader>\n")
	} else {
		w.printf("<tbx type=\"TBX-Basic\" style=\"dca\" xml:lang=\"%s\" xmlns=\"urn:iso:std:iso:30042:ed-2\">\n", esc(w.opts.Lang.String()))
		w.printf("\t<tbxHeader>\n\t\t<fileDesc>\n\t\t\t<sourceDesc>\n\t\t\t\t<p>%s</p>\n\t\t\t</sourceDesc>\n\t\t</fileDesc>\n\t</tbxHeader>\n", esc(w.opts.Description))
	}
	w.printf("\t<text>\n\t\t<body>\n")
}

// WriteTerm writes one entry. Terms are grouped by language, the file's
// main language first; a term's definition is written at language level,
// where TBX-Basic allows it (so terms of one language that have different
// definitions get all of them). A part of speech outside TBX-Basic's
// picklist is written as "other", and an id that is not an XML name gets an
// "id-" prefix (ids must also be unique in a file: a repeated one gets a
// "-2", "-3"… suffix).
func (w *Writer) WriteTerm(e *corpora.TermEntry) error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return errors.New("tbx writer: write after Close")
	}
	if len(e.Terms) == 0 {
		return fmt.Errorf("tbx writer: entry %q has no terms", e.ID)
	}
	for _, t := range e.Terms {
		if t.Lang == language.Und {
			return fmt.Errorf("tbx writer: term %q of entry %q has no language", t.Text, e.ID)
		}
		if strings.TrimSpace(t.Text) == "" {
			return fmt.Errorf("tbx writer: entry %q has an empty term", e.ID)
		}
	}
	w.writeHeader()
	id := w.entryID(e.ID)
	w.printf("\t\t\t<%s id=\"%s\">\n", w.names.entry, esc(id))
	if e.Domain != "" {
		w.printf("\t\t\t\t<descrip type=\"subjectField\">%s</descrip>\n", esc(e.Domain))
	}
	for _, d := range lines(e.Definition) {
		w.printf("\t\t\t\t<descrip type=\"definition\">%s</descrip>\n", esc(d))
	}
	for _, n := range lines(e.Note) {
		w.printf("\t\t\t\t<note>%s</note>\n", esc(n))
	}
	for _, lang := range w.langOrder(e) {
		w.printf("\t\t\t\t<%s xml:lang=\"%s\">\n", w.names.lang, esc(lang.String()))
		var defs []string
		for _, t := range e.Terms {
			if t.Lang != lang {
				continue
			}
			for _, d := range lines(t.Definition) {
				if !contains(defs, d) {
					defs = append(defs, d)
				}
			}
		}
		for _, d := range defs {
			w.printf("\t\t\t\t\t<descrip type=\"definition\">%s</descrip>\n", esc(d))
		}
		for _, t := range e.Terms {
			if t.Lang != lang {
				continue
			}
			w.printf("\t\t\t\t\t<%s>\n\t\t\t\t\t\t<term%s>%s</term>\n", w.names.termSec, spaceAttr(t.Text), esc(t.Text))
			if t.Context != "" {
				w.printf("\t\t\t\t\t\t<descrip type=\"context\"%s>%s</descrip>\n", spaceAttr(t.Context), esc(t.Context))
			}
			if t.PartOfSpeech != "" {
				w.printf("\t\t\t\t\t\t<termNote type=\"partOfSpeech\">%s</termNote>\n", posValue(t.PartOfSpeech))
			}
			if s := statusValue(t.Status); s != "" {
				w.printf("\t\t\t\t\t\t<termNote type=\"administrativeStatus\">%s</termNote>\n", s)
			}
			if t.Source != "" {
				w.printf("\t\t\t\t\t\t<admin type=\"source\">%s</admin>\n", esc(t.Source))
			}
			for _, n := range lines(t.Note) {
				w.printf("\t\t\t\t\t\t<note>%s</note>\n", esc(n))
			}
			w.printf("\t\t\t\t\t</%s>\n", w.names.termSec)
		}
		w.printf("\t\t\t\t</%s>\n", w.names.lang)
	}
	w.printf("\t\t\t</%s>\n", w.names.entry)
	return w.err
}

// Write writes a translation unit as an entry with two terms, so that
// TMX, XLIFF, a catalog or a glossary can be converted to TBX. Its ID,
// Domain and Notes become the entry's, its Context the source term's
// context; its Props "term-status", "part-of-speech", "definition",
// "source" and "context" (as Reader.Next writes them) the terms'. A unit
// without a target (an untranslated catalog entry) becomes an entry with
// the source term alone, which Reader.Next with ReadOptions.Untranslated
// returns as such a unit.
func (w *Writer) Write(u *corpora.Unit) error {
	e := &corpora.TermEntry{ID: u.ID, Domain: u.Domain, Note: strings.Join(u.Notes, "\n")}
	for i, side := range []struct {
		lang language.Tag
		seg  corpora.Segment
	}{{u.SourceLang, u.Source}, {u.TargetLang, u.Target}} {
		if i == 1 && side.seg.IsEmpty() {
			break
		}
		t := corpora.Term{Lang: side.lang, Text: side.seg.Plain()}
		if i == 0 {
			t.Context = u.Context
		}
		for _, p := range u.Props {
			if p.Lang != "" && p.Lang != side.lang.String() {
				continue
			}
			switch p.Type {
			case "term-status":
				if p.Lang != "" {
					t.Status = corpora.ParseTermStatus(p.Value)
				}
			case "part-of-speech":
				t.PartOfSpeech = p.Value
			case "definition":
				if p.Lang == "" {
					e.Definition = p.Value
				} else {
					t.Definition = p.Value
				}
			case "source":
				t.Source = p.Value
			case "context":
				if p.Lang != "" && t.Context == "" {
					t.Context = p.Value
				}
			}
		}
		e.Terms = append(e.Terms, t)
	}
	return w.WriteTerm(e)
}

// Close writes the end of the file and flushes it; it does not close the
// underlying writer.
func (w *Writer) Close() error {
	if w.closed {
		return w.err
	}
	w.closed = true
	w.writeHeader()
	w.printf("\t\t</body>\n\t</text>\n</%s>\n", map[Version]string{V2019: "tbx", V2008: "martif"}[w.opts.Version])
	if w.err == nil {
		w.err = w.w.Flush()
	}
	return w.err
}

// langOrder returns the entry's languages, the file's main language first,
// then in order of appearance.
func (w *Writer) langOrder(e *corpora.TermEntry) []language.Tag {
	var out []language.Tag
	for _, t := range e.Terms {
		if t.Lang == w.opts.Lang {
			out = append(out, t.Lang)
			break
		}
	}
	for _, t := range e.Terms {
		found := false
		for _, l := range out {
			found = found || l == t.Lang
		}
		if !found {
			out = append(out, t.Lang)
		}
	}
	return out
}

// entryID returns a unique XML name for the entry.
func (w *Writer) entryID(id string) string {
	w.n++
	switch {
	case id == "":
		id = "c" + strconv.Itoa(w.n)
	case !isNCName(id):
		var b strings.Builder
		b.WriteString("id-")
		for _, c := range id {
			if isNameChar(c) {
				b.WriteRune(c)
			} else {
				b.WriteByte('_')
			}
		}
		id = b.String()
	}
	base := id
	for i := 2; w.ids[id]; i++ {
		id = base + "-" + strconv.Itoa(i)
	}
	w.ids[id] = true
	return id
}

func isNameChar(c rune) bool {
	return c == '_' || c == '-' || c == '.' || unicode.IsLetter(c) || unicode.IsDigit(c)
}

// isNCName reports whether s is an XML name without a colon, as an id must
// be.
func isNCName(s string) bool {
	for i, c := range s {
		if i == 0 && !(c == '_' || unicode.IsLetter(c)) {
			return false
		}
		if !isNameChar(c) {
			return false
		}
	}
	return s != ""
}

// lines splits text into its non-blank lines: the reader joins repeated
// notes and definitions with newlines, and the writer writes each line as
// an element of its own, so that they read back the same.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

// posValue maps a part of speech to TBX-Basic's picklist.
func posValue(s string) string {
	switch strings.ToLower(strings.Join(strings.Fields(s), "")) {
	case "noun", "n", "propernoun", "n.", "sustantivo", "nom":
		return "noun"
	case "verb", "v", "v.":
		return "verb"
	case "adjective", "adj", "adj.", "a":
		return "adjective"
	case "adverb", "adv", "adv.":
		return "adverb"
	}
	return "other"
}

func statusValue(s corpora.TermStatus) string {
	switch s {
	case corpora.TermPreferred:
		return "preferredTerm-admn-sts"
	case corpora.TermAdmitted:
		return "admittedTerm-admn-sts"
	case corpora.TermDeprecated:
		return "deprecatedTerm-admn-sts"
	}
	return ""
}
