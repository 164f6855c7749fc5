package xliff

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/internal/xmlread"
)

// WriterOptions configure a Writer.
type WriterOptions struct {
	// Version is "1.2" (the default), "2.0" or "2.1".
	Version string
	// SourceLang and TargetLang are the document's languages;
	// language.Und takes them from the first unit written.
	SourceLang, TargetLang language.Tag
	// Original names the document the units come from: the 1.2 <file>
	// original attribute, the 2.x <file> id. Default "kgmem".
	Original string
	// Datatype is the 1.2 <file> datatype. Default "plaintext".
	Datatype string
}

// Writer writes units as a new XLIFF document with one <file>. Inline codes
// read from XLIFF of the version written are written back as they were;
// others are mapped by kind (see NewWriter). It is not safe for concurrent
// use.
type Writer struct {
	w       io.Writer
	opts    WriterOptions
	v       int
	started bool
	closed  bool
	n       int
	ids     map[string]bool
	err     error
}

var _ corpora.Writer = (*Writer)(nil)

// NewWriter returns a writer of a new XLIFF document to w. The document's
// header is written with the first unit, so that languages left unset in
// opts can be taken from it.
//
// Codes from other formats are mapped by kind. In 1.2, a wrapping (Paired)
// open/close pair becomes <g>; other open and close codes become
// <bpt>/<ept> when they carry Native content, else <bx/>/<ex/> (an open or
// close code whose counterpart is not in the segment becomes <it>); a
// standalone code becomes <ph> with its Native content, else <x/>. In 2.x a
// Paired pair becomes <pc>, other open and close codes <sc/> and <ec/>,
// standalone codes <ph/>, and Native content goes into the unit's
// <originalData>.
//
// Unit ids are the units' IDs (made into NMTOKENs for 2.x), or their
// position in the document when they have none; a repeated id gets a
// suffix, since XLIFF requires them unique. The writer remembers the ids it
// wrote, which is the only memory that grows with the document.
func NewWriter(w io.Writer, opts WriterOptions) (*Writer, error) {
	v := 1
	switch opts.Version {
	case "", "1.2":
		opts.Version = "1.2"
	case "2.0", "2.1":
		v = 2
	default:
		return nil, fmt.Errorf("write xliff: version %q is not one this writer writes; use 1.2, 2.0 or 2.1", opts.Version)
	}
	if opts.Original == "" {
		opts.Original = "kgmem"
	}
	if opts.Datatype == "" {
		opts.Datatype = "plaintext"
	}
	return &Writer{w: w, opts: opts, v: v, ids: map[string]bool{}}, nil
}

func (w *Writer) write(s string) {
	if w.err == nil {
		_, w.err = io.WriteString(w.w, s)
		if w.err != nil {
			w.err = fmt.Errorf("write xliff: %w", w.err)
		}
	}
}

// header writes everything up to the first unit.
func (w *Writer) header() error {
	w.started = true
	if w.opts.SourceLang == language.Und {
		return errors.New("write xliff: the source language is unknown; set WriterOptions.SourceLang")
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	if w.v == 1 {
		b.WriteString(`<xliff version="1.2" xmlns="` + Namespace12 + `">` + "\n")
		b.WriteString(`  <file original="` + escapeAttr(w.opts.Original) + `" source-language="` + w.opts.SourceLang.String() + `"`)
		if w.opts.TargetLang != language.Und {
			b.WriteString(` target-language="` + w.opts.TargetLang.String() + `"`)
		}
		b.WriteString(` datatype="` + escapeAttr(w.opts.Datatype) + `">` + "\n    <body>\n")
	} else {
		b.WriteString(`<xliff xmlns="` + Namespace20 + `" version="` + w.opts.Version + `" srcLang="` + w.opts.SourceLang.String() + `"`)
		if w.opts.TargetLang != language.Und {
			b.WriteString(` trgLang="` + w.opts.TargetLang.String() + `"`)
		}
		b.WriteString(">\n" + `  <file id="` + nmtoken(w.opts.Original) + `">` + "\n")
	}
	w.write(b.String())
	return w.err
}

// Write writes one unit.
func (w *Writer) Write(u *corpora.Unit) error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return errors.New("write xliff: Write after Close")
	}
	if !w.started {
		if w.opts.SourceLang == language.Und {
			w.opts.SourceLang = u.SourceLang
		}
		if w.opts.TargetLang == language.Und {
			w.opts.TargetLang = u.TargetLang
		}
		if err := w.header(); err != nil {
			w.err = err
			return err
		}
	}
	w.n++
	id := u.ID
	if w.v == 2 && id != "" {
		id = nmtoken(id)
	}
	if id == "" {
		id = strconv.Itoa(w.n)
	}
	if w.ids[id] {
		base := id
		for i := 2; w.ids[id]; i++ {
			id = base + "_" + strconv.Itoa(i)
		}
	}
	w.ids[id] = true
	if w.v == 1 {
		w.write(w.unit12(u, id))
	} else {
		w.write(w.unit2(u, id))
	}
	return w.err
}

// states12 are the values of the 1.2 state attribute.
var states12 = set("new", "needs-translation", "needs-adaptation", "needs-l10n", "needs-review-adaptation",
	"needs-review-l10n", "needs-review-translation", "translated", "signed-off", "final")

func (w *Writer) unit12(u *corpora.Unit, id string) string {
	var b strings.Builder
	b.WriteString(`      <trans-unit id="` + escapeAttr(xmlread.EscapeInvalid(id)) + `"`)
	if u.Context != "" {
		b.WriteString(` resname="` + escapeAttr(xmlread.EscapeInvalid(u.Context)) + `"`)
	}
	if u.Status == corpora.StatusApproved && !u.Target.IsEmpty() {
		b.WriteString(` approved="yes"`)
	}
	b.WriteString(` xml:space="preserve">` + "\n")
	iw := &inlineWriter{v: 1}
	b.WriteString("        <source>")
	iw.segment(&b, u.Source)
	b.WriteString("</source>\n")
	if !u.Target.IsEmpty() {
		b.WriteString("        <target")
		state, qual := state12(u.Status)
		if raw, ok := u.Prop(PropState); ok && states12[raw] {
			rawQual, _ := u.Prop(PropStateQualifier)
			if status12(raw, rawQual, "", true) == u.Status || u.Status == corpora.StatusApproved && (raw == "signed-off" || raw == "final") {
				state, qual = raw, rawQual
			}
		}
		if u.Status != corpora.StatusUnspecified {
			b.WriteString(` state="` + state + `"`)
			if qual != "" {
				b.WriteString(` state-qualifier="` + escapeAttr(qual) + `"`)
			}
		}
		b.WriteString(">")
		iw.segment(&b, u.Target)
		b.WriteString("</target>\n")
	}
	for _, n := range u.Notes {
		b.WriteString("        <note>")
		noteText(&b, n)
		b.WriteString("</note>\n")
	}
	b.WriteString("      </trans-unit>\n")
	return b.String()
}

func (w *Writer) unit2(u *corpora.Unit, id string) string {
	iw := &inlineWriter{v: 2, data: &dataTable{}}
	var seg strings.Builder
	seg.WriteString("      <segment")
	if s, ok := u.Prop(PropSegment); ok && isNMToken(s) {
		seg.WriteString(` id="` + s + `"`)
	}
	if u.Target.IsEmpty() {
		if u.Status != corpora.StatusUnspecified {
			seg.WriteString(` state="initial"`)
		}
	} else if u.Status != corpora.StatusUnspecified {
		state, sub := state2(u.Status)
		if raw, ok := u.Prop(PropState); ok && (raw == "reviewed" || raw == "final") && u.Status == corpora.StatusApproved {
			state = raw
		}
		seg.WriteString(` state="` + state + `"`)
		if sub != "" {
			seg.WriteString(` subState="` + sub + `"`)
		}
	}
	seg.WriteString(">\n        <source>")
	iw.segment(&seg, u.Source)
	seg.WriteString("</source>\n")
	if !u.Target.IsEmpty() {
		seg.WriteString("        <target>")
		iw.segment(&seg, u.Target)
		seg.WriteString("</target>\n")
	}
	seg.WriteString("      </segment>\n")

	var b strings.Builder
	b.WriteString(`    <unit id="` + id + `"`)
	if u.Context != "" {
		b.WriteString(` name="` + escapeAttr(xmlread.EscapeInvalid(u.Context)) + `"`)
	}
	b.WriteString(">\n")
	if len(u.Notes) > 0 {
		b.WriteString("      <notes>\n")
		for _, n := range u.Notes {
			b.WriteString("        <note>")
			noteText(&b, n)
			b.WriteString("</note>\n")
		}
		b.WriteString("      </notes>\n")
	}
	iw.data.write(&b, "      ")
	b.WriteString(seg.String())
	b.WriteString("    </unit>\n")
	return b.String()
}

// Close writes the end of the document. It does not close the underlying
// writer. XLIFF 2 requires at least one unit, so closing a 2.x writer that
// wrote none is an error.
func (w *Writer) Close() error {
	if w.closed {
		return w.err
	}
	w.closed = true
	if w.err != nil {
		return w.err
	}
	if !w.started {
		if w.v == 2 {
			w.err = errors.New("write xliff: no units to write, and an XLIFF 2 document needs at least one")
			return w.err
		}
		if err := w.header(); err != nil {
			w.err = err
			return err
		}
	}
	if w.v == 1 {
		w.write("    </body>\n  </file>\n</xliff>\n")
	} else {
		w.write("  </file>\n</xliff>\n")
	}
	return w.err
}

// noteText writes the text of a note, which can hold no element: the
// characters XML cannot hold are written as their escapes (see
// xmlread.EscapeInvalid), which the reader undoes.
func noteText(b *strings.Builder, s string) {
	b.WriteString(escapeText(xmlread.EscapeInvalid(s)))
}
