package po

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"math"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
)

// ErrDuplicate is returned by Writer.Write for a unit whose msgctxt and
// msgid are those of a unit already written: msgfmt rejects a catalog
// that has two. The caller may skip the unit or give it a Context.
var ErrDuplicate = errors.New("duplicate msgctxt and msgid")

// WriterOptions configure a PO writer.
type WriterOptions struct {
	// TargetLang is the catalog's Language. language.Und takes the first
	// unit's target language.
	TargetLang language.Tag
	// SourceLang is the language of the msgids. It is written as an
	// X-Source-Language field unless it is English (or undefined), which
	// is what gettext assumes.
	SourceLang language.Tag
	// Header is the header entry to write, such as a Reader's Header(), so
	// that a catalog keeps its header through a round trip: it is written
	// as it is, except that its Content-Type is made UTF-8 (the writer
	// writes nothing else) and its Language the catalog's. Nil writes a
	// new header with every field msgfmt --check requires, Plural-Forms
	// for the languages kgmem knows, and X-Generator: kgmem.
	Header *Header
	// PluralForms is the Plural-Forms field, such as
	// "nplurals=2; plural=(n != 1);". Empty keeps the Header's, or for a
	// new header, or a Header whose field is a template's placeholder
	// ("nplurals=INTEGER; plural=EXPRESSION;"), takes the rule of the
	// target language when kgmem knows it (see PluralFormsOf). An
	// untranslated plural unit gets as many empty msgstr[n] as nplurals
	// says; a translated one whose forms are not exactly nplurals, none
	// of them empty, gets the missing ones empty and is marked fuzzy.
	PluralForms string
	// Project and Translator are the Project-Id-Version and
	// Last-Translator of a new header.
	Project, Translator string
	// Revision is the PO-Revision-Date of a new header; zero is the time
	// of writing.
	Revision time.Time
	// Width is the column at which long strings are broken into lines, as
	// msgcat does: 0 means msgcat's default of 79; a negative width does
	// not break lines (but still after each \n, as msgcat --no-wrap).
	Width int
}

// Writer writes units as a PO file in UTF-8, formatted as msgcat formats
// it. It is not safe for concurrent use.
type Writer struct {
	w        *bufio.Writer
	opts     WriterOptions
	width    int
	lang     language.Tag
	src      language.Tag
	nplurals int
	started  bool
	closed   bool
	err      error // sticky write error
	buf      bytes.Buffer
	breaks   []bool
	seed     maphash.Seed
	seen     map[uint64]struct{}
}

// NewWriter returns a writer of a PO file to w. The header is written
// with the first unit (or by Close when there is none).
func NewWriter(w io.Writer, opts WriterOptions) (*Writer, error) {
	if w == nil {
		return nil, errors.New("po: nil writer")
	}
	width := opts.Width
	if width == 0 {
		width = 79
	}
	if width > 0 && width < 20 {
		return nil, fmt.Errorf("po: wrap width %d is too narrow; use at least 20, or a negative width for no wrapping", width)
	}
	return &Writer{
		w:     bufio.NewWriter(w),
		opts:  opts,
		width: width,
		lang:  opts.TargetLang,
		src:   opts.SourceLang,
		seed:  maphash.MakeSeed(),
		seen:  map[uint64]struct{}{},
	}, nil
}

// Write writes one unit as a PO entry: its Notes as translator comments,
// Gettext's extracted comments, references, flags and previous msgid, a
// fuzzy flag for a Draft or Machine status, msgctxt from Context, and
// plural forms. Inline codes are written as their native text (PO has no
// markup of its own). A unit with an empty source and no context, a NUL
// character, another target language than the catalog's, or the key of
// one already written (ErrDuplicate) is refused with an error, and the
// writer stays usable.
func (w *Writer) Write(u *corpora.Unit) error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return errors.New("po: write after close")
	}
	if u == nil {
		return errors.New("po: nil unit")
	}
	if !w.started {
		if w.lang == language.Und {
			w.lang = u.TargetLang
		}
		if w.src == language.Und {
			w.src = u.SourceLang
		}
		if err := w.writeHeader(); err != nil {
			return err
		}
	}
	if w.lang != language.Und && u.TargetLang != language.Und && !corpora.LangMatches(w.lang, u.TargetLang) {
		return fmt.Errorf("po: unit %q is in %s but the catalog is in %s", clip(u.Source.Plain()), u.TargetLang, w.lang)
	}
	e, err := w.entry(u)
	if err != nil {
		return err
	}
	var h maphash.Hash
	h.SetSeed(w.seed)
	if e.obsolete {
		h.WriteByte(1)
	}
	if e.hasCtxt {
		h.WriteString(e.ctxt)
		h.WriteByte(4)
	}
	h.WriteString(e.id)
	key := h.Sum64()
	if _, dup := w.seen[key]; dup {
		return fmt.Errorf("po: unit %q: %w", clip(e.id), ErrDuplicate)
	}
	w.seen[key] = struct{}{}
	w.buf.Reset()
	w.buf.WriteByte('\n')
	w.format(&w.buf, e)
	return w.put(w.buf.Bytes())
}

// Close writes the header if no unit was written and flushes. It does not
// close the underlying writer.
func (w *Writer) Close() error {
	if w.closed {
		return w.err
	}
	if !w.started && w.err == nil {
		if err := w.writeHeader(); err != nil {
			return err
		}
	}
	w.closed = true
	if w.err != nil {
		return w.err
	}
	if err := w.w.Flush(); err != nil {
		w.err = fmt.Errorf("po: write: %w", err)
	}
	return w.err
}

func (w *Writer) put(b []byte) error {
	if _, err := w.w.Write(b); err != nil {
		w.err = fmt.Errorf("po: write: %w", err)
	}
	return w.err
}

// poEntry is an entry about to be written.
type poEntry struct {
	comments, extracted, refs, flags []string
	fuzzy                            bool
	prevCtxt, prevID, prevPlural     string
	ctxt                             string
	hasCtxt                          bool
	id, plural                       string
	hasPlural                        bool
	strs                             []string
	obsolete                         bool
	noWrap                           bool
	format                           formatKind
}

// entry turns a unit into an entry, refusing what PO cannot hold.
func (w *Writer) entry(u *corpora.Unit) (*poEntry, error) {
	g := u.Gettext
	if g == nil {
		g = &corpora.Gettext{}
	}
	e := &poEntry{
		id:         u.Source.Flat(),
		extracted:  g.Extracted,
		refs:       g.References,
		prevCtxt:   g.PrevContext,
		prevID:     g.PrevSource,
		prevPlural: g.PrevPlural,
		obsolete:   g.Obsolete,
	}
	e.ctxt, e.hasCtxt = msgctxtOf(u, e.id)
	if e.id == "" && !e.hasCtxt {
		return nil, errors.New("po: unit has an empty source; msgid \"\" is the header's")
	}
	for _, n := range u.Notes {
		e.comments = append(e.comments, strings.Split(n, "\n")...)
	}
	e.strs = []string{u.Target.Flat()}
	e.plural = g.SourcePlural.Flat()
	incomplete := false
	if e.plural != "" || len(g.TargetPlurals) > 0 {
		e.hasPlural = true
		for _, t := range g.TargetPlurals {
			e.strs = append(e.strs, t.Flat())
		}
		e.strs, incomplete = w.pluralStrs(e.strs)
	}
	e.fuzzy = (u.Status == corpora.StatusDraft || u.Status == corpora.StatusMachine || incomplete) && e.strs[0] != ""
	for _, f := range g.Flags {
		f = strings.TrimSpace(f)
		switch f {
		case "", "fuzzy":
			continue
		case "no-wrap":
			e.noWrap = true
		}
		e.flags = append(e.flags, f)
	}
	e.format = formatOf(e.flags)
	for _, s := range [...]string{e.ctxt, e.id, e.plural, e.prevCtxt, e.prevID, e.prevPlural} {
		if strings.IndexByte(s, 0) >= 0 {
			return nil, fmt.Errorf("po: unit %q has a NUL character, which gettext cannot hold", clip(e.id))
		}
	}
	for _, s := range e.strs {
		if strings.IndexByte(s, 0) >= 0 {
			return nil, fmt.Errorf("po: unit %q has a NUL character, which gettext cannot hold", clip(e.id))
		}
	}
	return e, nil
}

// pluralStrs fits the msgstr[n] of a plural entry to the catalog's
// nplurals (when the header has one). An untranslated entry gets exactly
// nplurals empty forms, as msgmerge writes it (at least two when nplurals
// is unknown). A translated entry with fewer forms, more forms, or an
// empty one is incomplete: it gets its missing forms empty and keeps
// every form it has, and the caller marks it fuzzy, which is what a
// translator must see and what makes msgfmt --check accept it.
func (w *Writer) pluralStrs(strs []string) ([]string, bool) {
	empty := true
	for _, s := range strs {
		if s != "" {
			empty = false
			break
		}
	}
	if empty {
		n := w.nplurals
		if n == 0 {
			n = max(len(strs), 2)
		}
		return make([]string, n), false
	}
	incomplete := w.nplurals > 0 && len(strs) != w.nplurals
	for len(strs) < w.nplurals {
		strs = append(strs, "")
	}
	for _, s := range strs {
		if s == "" {
			incomplete = true
		}
	}
	return strs, incomplete
}

// msgctxtOf returns the msgctxt of u: its Context, or an empty msgctxt
// when its ID says it has one ("\x04" + msgid).
func msgctxtOf(u *corpora.Unit, id string) (string, bool) {
	if u.Context != "" {
		return u.Context, true
	}
	return "", u.ID == "\x04"+id
}

// format writes e as msgcat does.
func (w *Writer) format(b *bytes.Buffer, e *poEntry) {
	writeComments(b, "#", e.comments)
	writeComments(b, "#.", e.extracted)
	if len(e.refs) > 0 {
		w.writeRefs(b, e.refs)
	}
	if e.fuzzy || len(e.flags) > 0 {
		b.WriteString("#,")
		sep := " "
		if e.fuzzy {
			b.WriteString(" fuzzy")
			sep = ", "
		}
		for _, f := range e.flags {
			b.WriteString(sep)
			b.WriteString(f)
			sep = ", "
		}
		b.WriteByte('\n')
	}
	prefix, prevPrefix := "", "#| "
	if e.obsolete {
		prefix, prevPrefix = "#~ ", "#~| "
	}
	str := func(prefix, name, value string) {
		w.writeString(b, prefix, name, value, e.noWrap, e.format)
	}
	if e.prevCtxt != "" {
		str(prevPrefix, "msgctxt", e.prevCtxt)
	}
	if e.prevID != "" {
		str(prevPrefix, "msgid", e.prevID)
	}
	if e.prevPlural != "" {
		str(prevPrefix, "msgid_plural", e.prevPlural)
	}
	if e.hasCtxt {
		str(prefix, "msgctxt", e.ctxt)
	}
	str(prefix, "msgid", e.id)
	if !e.hasPlural {
		str(prefix, "msgstr", e.strs[0])
		return
	}
	str(prefix, "msgid_plural", e.plural)
	for i, s := range e.strs {
		str(prefix, fmt.Sprintf("msgstr[%d]", i), s)
	}
}

// writeComments writes comment lines with a mark ("#", "#."), one per
// line of each comment, as gettext does.
func writeComments(b *bytes.Buffer, mark string, cs []string) {
	for _, c := range cs {
		for _, ln := range strings.Split(c, "\n") {
			b.WriteString(mark)
			if ln != "" {
				b.WriteByte(' ')
				b.WriteString(ln)
			}
			b.WriteByte('\n')
		}
	}
}

// writeRefs writes "#:" lines, as many references on each as fit.
func (w *Writer) writeRefs(b *bytes.Buffer, refs []string) {
	b.WriteString("#:")
	col := 2
	for _, r := range refs {
		n := len(r) + 1
		if w.width > 0 && col > 2 && col+n > w.width {
			b.WriteString("\n#:")
			col = 2
		}
		b.WriteByte(' ')
		b.WriteString(r)
		col += n
	}
	b.WriteByte('\n')
}

// escapes are the control characters gettext writes as escape sequences.
var escapes = [256]byte{'\a': 'a', '\b': 'b', '\f': 'f', '\n': 'n', '\r': 'r', '\t': 't', '\v': 'v', '"': '"', '\\': '\\'}

// escapePortion escapes one line's worth of a string (portion, at offset
// off of the string whose directive bytes inside marks), and returns it
// with, per byte, whether a line may not break before it.
func escapePortion(esc *strings.Builder, portion string, inside []bool, off int, noBreak []bool) (string, []bool) {
	esc.Reset()
	for i := 0; i < len(portion); i++ {
		c := portion[i]
		nb := inside != nil && inside[off+i]
		if e := escapes[c]; e != 0 {
			esc.WriteByte('\\')
			esc.WriteByte(e)
			noBreak = append(noBreak, nb, true)
			continue
		}
		esc.WriteByte(c)
		noBreak = append(noBreak, nb)
	}
	if strings.HasSuffix(portion, "\n") {
		noBreak[len(noBreak)-2] = true // not right before the final \n
	}
	return esc.String(), noBreak
}

// writeString writes a keyword and its string, broken into lines as
// msgcat breaks them: after each \n, and where a line would pass the
// width, never inside a format directive. The first line is "" when the
// string takes more than one.
func (w *Writer) writeString(b *bytes.Buffer, prefix, name, value string, noWrap bool, format formatKind) {
	noWrap = noWrap || w.width < 0
	var inside []bool
	if format != formatNone && !noWrap && strings.IndexByte(value, '%') >= 0 {
		inside = make([]bool, len(value))
		markDirectives(value, format, strings.HasPrefix(name, "msgstr"), inside)
	}
	first := true
	s := value
	var esc strings.Builder
	var noBreak []bool
	for {
		portion := s
		s = ""
		if i := strings.IndexByte(portion, '\n'); i >= 0 {
			portion, s = portion[:i+1], portion[i+1:]
		}
		off := len(value) - len(s) - len(portion) // of portion in value
		var text string
		text, noBreak = escapePortion(&esc, portion, inside, off, noBreak[:0])
		if cap(w.breaks) < len(text) {
			w.breaks = make([]bool, len(text))
		}
		breaks := w.breaks[:len(text)]
		after := len(prefix) + 1 // where text starts on a continuation line
		width := w.width - 1 - after
		if noWrap {
			width = math.MaxInt32
		}
		for {
			clear(breaks)
			start := len(prefix) + 1 - after
			if first {
				start += len(name) + 1
			}
			broken := !noWrap && wrapPoints(text, noBreak, width, start, breaks)
			if first && len(text) > 0 && (s != "" || start > width || broken) {
				b.WriteString(prefix)
				b.WriteString(name)
				b.WriteString(" \"\"\n")
				first = false
				continue
			}
			break
		}
		b.WriteString(prefix)
		if first {
			b.WriteString(name)
			b.WriteByte(' ')
		}
		b.WriteByte('"')
		for i := 0; i < len(text); i++ {
			if breaks[i] {
				b.WriteString("\"\n")
				b.WriteString(prefix)
				b.WriteByte('"')
			}
			b.WriteByte(text[i])
		}
		b.WriteString("\"\n")
		first = false
		if s == "" {
			return
		}
	}
}

// writeHeader writes the header entry.
func (w *Writer) writeHeader() error {
	w.started = true
	h := w.header()
	w.nplurals = h.NPlurals()
	var b bytes.Buffer
	var flags []string
	for _, f := range h.Flags {
		if f != "fuzzy" && f != "" {
			flags = append(flags, f)
		}
	}
	e := &poEntry{comments: h.Comments, strs: []string{h.text()}, fuzzy: h.Fuzzy, flags: flags}
	w.format(&b, e)
	return w.put(b.Bytes())
}

// header returns the header to write: a copy of the one given, with its
// charset made UTF-8 and its Language made the catalog's; or a new one
// with the fields msgfmt --check requires.
func (w *Writer) header() *Header {
	h := w.opts.Header.Clone()
	if h == nil {
		rev := w.opts.Revision
		if rev.IsZero() {
			rev = time.Now()
		}
		h = &Header{Fields: []HeaderField{
			{Name: "Project-Id-Version", Value: w.opts.Project},
			{Name: "PO-Revision-Date", Value: rev.Format("2006-01-02 15:04-0700")},
			{Name: "Last-Translator", Value: w.opts.Translator},
			{Name: "Language-Team", Value: ""},
			{Name: "Language", Value: corpora.PosixLocale(w.lang)},
			{Name: "MIME-Version", Value: "1.0"},
			{Name: "Content-Type", Value: "text/plain; charset=UTF-8"},
			{Name: "Content-Transfer-Encoding", Value: "8bit"},
		}}
		if pf := pluralForms(w.lang); pf != "" {
			h.Set("Plural-Forms", pf)
		}
		if w.src != language.Und && w.src != language.English {
			h.Set("X-Source-Language", corpora.PosixLocale(w.src))
		}
		h.Set("X-Generator", "kgmem")
	}
	if ct := h.Get("Content-Type"); !strings.EqualFold(charsetOf(ct), "UTF-8") {
		h.Set("Content-Type", utf8ContentType(ct))
	}
	// The catalog's language goes in the header when the caller asked for
	// it, or when the header names another; an empty or missing Language
	// is left as it is (the catalog's business).
	if w.lang != language.Und {
		cur, err := corpora.ParseLang(h.Get("Language"))
		if err == nil && cur != w.lang || err != nil && w.opts.TargetLang != language.Und {
			h.Set("Language", corpora.PosixLocale(w.lang))
		}
	}
	if pf := w.opts.PluralForms; pf != "" {
		h.Set("Plural-Forms", pf)
	} else if pf := pluralForms(w.lang); pf != "" && h.Has("Plural-Forms") && templatePluralForms(h.Get("Plural-Forms")) {
		// A template's "nplurals=INTEGER; plural=EXPRESSION;" (or a
		// rule gettext cannot parse) becomes the target language's rule,
		// as msginit does.
		h.Set("Plural-Forms", pf)
	}
	return h
}

// utf8ContentType returns a Content-Type value with its charset UTF-8.
func utf8ContentType(ct string) string {
	if strings.TrimSpace(ct) == "" {
		return "text/plain; charset=UTF-8"
	}
	i := indexCharset(ct)
	if i < 0 {
		return ct + "; charset=UTF-8"
	}
	rest := ct[i+len("charset="):]
	j := strings.IndexAny(rest, "; \t")
	if j < 0 {
		j = len(rest)
	}
	return ct[:i] + "charset=UTF-8" + rest[j:]
}
