// Package tbx reads and writes TBX (TermBase eXchange, ISO 30042) term
// bases: the 2008 edition (<martif> with <termEntry>, <langSet>, <tig> and
// <ntig>) and the 2019 edition (<tbx> with <conceptEntry>, <langSec> and
// <termSec>) in both its DCA style (<descrip type="definition">) and its DCT
// style (<basic:definition>), including the TBX-Core, TBX-Min and TBX-Basic
// dialects.
//
// Start with [NewReader]: [Reader.NextTerm] returns one
// [corpora.TermEntry] per concept; [Reader.Next] turns each concept into
// translation units, one per pair of a source and a target term.
// [NewWriter] writes TBX-Basic.
//
// The reader checks what it reads: the structure the core schema requires
// (a <term> first and alone in its <termSec>, every <langSec> with an
// xml:lang, text in the header inside <p>, meta elements with a type) and,
// for the TBX-Min and TBX-Basic dialects of TBX 2019, which data categories
// may appear where and with which picklist values. TBX 2008 files and other
// dialects get the structural checks only. A lenient reader skips an entry
// that fails a check, and reports a problem outside the entries (in the
// header, or a stray element) as a skip and reads on; malformed XML fails
// either way. Inline markup inside terms and notes is reduced to its text,
// and runs of white space are collapsed to one space.
package tbx

import (
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/internal/xmlread"
)

// Reader reads the entries of one TBX file. It holds one entry at a time.
// A Reader is not safe for concurrent use.
type Reader struct {
	d       *xmlread.Decoder
	opts    corpora.ReadOptions
	limits  corpora.Limits
	version Version
	names   names
	dialect dialect
	style   string
	lang    language.Tag // the file's xml:lang; Und when absent
	rootTag string

	state   readState
	err     error // sticky
	entries int
	units   int

	// the entry Next makes units of, and the next pair of terms to try
	cur      *entry
	si, ti   int
	isSource func(language.Tag) bool
	// untranslated is set when the entry has no term in the target
	// language and opts.Untranslated asks for its source terms alone.
	untranslated bool
	// last is the entry that entry read last.
	last *entry
}

var (
	_ corpora.Reader     = (*Reader)(nil)
	_ corpora.TermReader = (*Reader)(nil)
)

type readState uint8

const (
	inBody readState = iota
	afterBody
	afterText
	afterRoot
	atEOF
)

// invalid is a problem confined to one entry: a lenient reader skips the
// entry and goes on. Decoder errors (malformed XML) are never invalid.
type invalid struct{ *corpora.ParseError }

// NewReader returns a reader of the TBX file r. It reads the XML
// declaration, the root element and the header, so a file that is not TBX
// fails here. r may be UTF-8 or UTF-16, with or without a byte order mark.
func NewReader(r io.Reader, opts corpora.ReadOptions) (*Reader, error) {
	br := bufio.NewReader(r)
	if _, err := br.Peek(1); err != nil {
		if err == io.EOF {
			return nil, &corpora.ParseError{File: opts.Name, Offset: -1, Err: errors.New("file is empty")}
		}
		return nil, &corpora.ParseError{File: opts.Name, Offset: -1, Err: err}
	}
	d, err := xmlread.New(br, opts.Name, opts.Limits)
	if err != nil {
		return nil, err
	}
	rd := &Reader{d: d, opts: opts, limits: opts.Limits.Or()}
	if err := rd.readHeader(); err != nil {
		return nil, unwrapInvalid(err)
	}
	return rd, nil
}

// Version returns the edition of TBX the file follows.
func (r *Reader) Version() Version { return r.version }

// Dialect returns the file's dialect as its root's type attribute names it
// ("TBX-Basic", "TBX-Min", "TBX-Core", "TBX" for TBX 2008's default).
func (r *Reader) Dialect() string { return r.dialect.name }

// Style returns "dca" or "dct" for TBX 2019 files and "" for TBX 2008.
func (r *Reader) Style() string { return r.style }

// Lang returns the file's main language (the root's xml:lang), or
// language.Und when it has none.
func (r *Reader) Lang() language.Tag { return r.lang }

// errorf returns a ParseError at line.
func (r *Reader) errorf(line int, format string, args ...any) *corpora.ParseError {
	return &corpora.ParseError{File: r.opts.Name, Line: line, Offset: -1, Err: fmt.Errorf(format, args...)}
}

// problem handles a problem outside any entry (in the header, or an element
// where none belongs): a strict reader fails, a lenient one reports it as a
// skip and goes on.
func (r *Reader) problem(err *corpora.ParseError) error {
	if !r.opts.Lenient {
		err.Skippable = true
		return err
	}
	r.opts.Skipped(corpora.Skip{File: r.opts.Name, Line: err.Line, Reason: err.Err.Error()})
	return nil
}

func unwrapInvalid(err error) error {
	if inv, ok := err.(*invalid); ok {
		return inv.ParseError
	}
	return err
}

func isSpace(b []byte) bool {
	for _, c := range string(b) {
		if !unicode.IsSpace(c) {
			return false
		}
	}
	return true
}

// token returns the next token; the end of input is an error wherever a
// caller expects more.
func (r *Reader) token() (xml.Token, error) {
	t, err := r.d.Token()
	if err == io.EOF {
		return nil, r.errorf(r.d.Line(), "unexpected end of file; the file is truncated")
	}
	return t, err
}

// skip skips the rest of the element just started.
func (r *Reader) skip() error { return r.d.Skip() }

// readHeader reads up to the start of <body>.
func (r *Reader) readHeader() error {
	root, err := r.findRoot()
	if err != nil {
		return err
	}
	if err := r.readRoot(root); err != nil {
		return err
	}
	return r.readUpToText()
}

// findRoot reads the prolog up to the root element.
func (r *Reader) findRoot() (xml.StartElement, error) {
	content := false
	for {
		tok, err := r.d.Token()
		if err == io.EOF {
			if !content {
				return xml.StartElement{}, r.errorf(0, "file is empty")
			}
			return xml.StartElement{}, r.errorf(r.d.Line(), "the file has no root element; this is not a TBX file")
		}
		if err != nil {
			return xml.StartElement{}, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return t, nil
		case xml.CharData:
			if !isSpace(t) {
				return xml.StartElement{}, r.errorf(r.d.Line(), "text before the root element; this is not a TBX file")
			}
		default:
			content = true
		}
	}
}

// readRoot takes the edition, dialect, main language and style from the
// root element.
func (r *Reader) readRoot(root xml.StartElement) error {
	line := r.d.Line()
	switch root.Name.Local {
	case "martif":
		r.version = V2008
	case "tbx":
		r.version = V2019
	default:
		return r.errorf(line, "the root element is <%s>, not <tbx> or <martif>; this is not a TBX file", elemName(root.Name))
	}
	r.names = r.version.names()
	r.rootTag = root.Name.Local
	typ := attr(root, "type")
	r.dialect = dialectOf(r.version, typ)
	if typ == "" {
		if err := r.problem(r.errorf(line, "<%s> has no type attribute; name the dialect, such as type=\"TBX-Basic\"", r.rootTag)); err != nil {
			return err
		}
		r.dialect.name = "TBX"
	}
	if l := xmlread.Lang(root); l == "" {
		if err := r.problem(r.errorf(line, "<%s> has no xml:lang; add the file's main language", r.rootTag)); err != nil {
			return err
		}
	} else if tag, err := corpora.ParseLang(l); err != nil {
		if err := r.problem(r.errorf(line, "<%s xml:lang=%q>: %v", r.rootTag, l, err)); err != nil {
			return err
		}
	} else {
		r.lang = tag
	}
	if r.version == V2019 {
		r.style = attr(root, "style")
		switch r.style {
		case "dca", "dct":
		case "":
			if err := r.problem(r.errorf(line, "<tbx> has no style attribute; add style=\"dca\" or style=\"dct\"")); err != nil {
				return err
			}
			r.style = "dca"
		default:
			if err := r.problem(r.errorf(line, "<tbx style=%q> names no style; use \"dca\" or \"dct\"", r.style)); err != nil {
				return err
			}
			r.style = "dca"
		}
	}

	return nil
}

// readUpToText reads the header, up to and including the <text> start
// tag.
func (r *Reader) readUpToText() error {
	header := "tbxHeader"
	if r.version == V2008 {
		header = "martifHeader"
	}
	sawHeader := false
	for {
		tok, err := r.token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			line := r.d.Line()
			switch {
			case isTBXSpace(t.Name.Space) && t.Name.Local == header:
				if err := r.checkHeader(t); err != nil {
					return err
				}
				sawHeader = true
			case isTBXSpace(t.Name.Space) && t.Name.Local == "text":
				if !sawHeader {
					if err := r.problem(r.errorf(line, "<%s> has no <%s>; it must come before <text>", r.rootTag, header)); err != nil {
						return err
					}
				}
				return r.enterText()
			default:
				if err := r.problem(r.errorf(line, "<%s> is not allowed in <%s>%s", elemName(t.Name), r.rootTag, r.editionHint(t.Name.Local))); err != nil {
					return err
				}
				if err := r.skip(); err != nil {
					return err
				}
			}
		case xml.EndElement:
			return r.errorf(r.d.Line(), "<%s> has no <text> element; there are no entries", r.rootTag)
		case xml.CharData:
			if !isSpace(t) {
				if err := r.problem(r.errorf(r.d.Line(), "text directly inside <%s>", r.rootTag)); err != nil {
					return err
				}
			}
		}
	}
}

// headerText are the header elements that hold text; elsewhere in the
// header text must be wrapped in one of them.
var headerText = map[string]bool{"p": true, "title": true, "note": true, "date": true}

// checkHeader reads the header, checking that its text is in <p> elements.
func (r *Reader) checkHeader(start xml.StartElement) error {
	var stack []string // element names below the header
	inText := 0
	for {
		tok, err := r.token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			stack = append(stack, t.Name.Local)
			if headerText[t.Name.Local] {
				inText++
			}
		case xml.EndElement:
			if len(stack) == 0 {
				return nil
			}
			if headerText[stack[len(stack)-1]] {
				inText--
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if inText == 0 && !isSpace(t) {
				parent := start.Name.Local
				if len(stack) > 0 {
					parent = stack[len(stack)-1]
				}
				if err := r.problem(r.errorf(r.d.Line(), "text in <%s> must be inside a <p>", parent)); err != nil {
					return err
				}
			}
		}
	}
}

// enterText reads <text> up to the start of its <body>.
func (r *Reader) enterText() error {
	for {
		tok, err := r.token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			line := r.d.Line()
			switch {
			case isTBXSpace(t.Name.Space) && t.Name.Local == "body":
				r.state = inBody
				return nil
			case isTBXSpace(t.Name.Space) && t.Name.Local == "front" && r.version == V2008:
				if err := r.skip(); err != nil {
					return err
				}
			default:
				if err := r.problem(r.errorf(line, "<%s> is not allowed in <text>; only <body> and <back> are%s", elemName(t.Name), r.editionHint(t.Name.Local))); err != nil {
					return err
				}
				if err := r.skip(); err != nil {
					return err
				}
			}
		case xml.EndElement:
			return r.errorf(r.d.Line(), "<text> has no <body>; there are no entries")
		case xml.CharData:
			if !isSpace(t) {
				if err := r.problem(r.errorf(r.d.Line(), "text directly inside <text>")); err != nil {
					return err
				}
			}
		}
	}
}

// editionHint returns advice when name is an element of the other edition
// of TBX.
func (r *Reader) editionHint(name string) string {
	v2008 := map[string]string{"martifHeader": "tbxHeader", "termEntry": "conceptEntry", "langSet": "langSec", "tig": "termSec", "ntig": "termSec"}
	if r.version == V2019 {
		if n, ok := v2008[name]; ok {
			return fmt.Sprintf("; <%s> is TBX 2008, TBX 2019 calls it <%s>", name, n)
		}
		return ""
	}
	for old, n := range v2008 {
		if n == name {
			return fmt.Sprintf("; <%s> is TBX 2019, TBX 2008 calls it <%s>", name, old)
		}
	}
	return ""
}

// NextTerm returns the next entry of the term base, or io.EOF after the
// last. A strict reader fails on the first invalid entry; a lenient one
// skips it and reports it to opts.OnSkip.
func (r *Reader) NextTerm() (*corpora.TermEntry, error) {
	e, err := r.nextEntry()
	if err != nil {
		return nil, err
	}
	return &e.TermEntry, nil
}

func (r *Reader) fail(err error) (*entry, error) {
	r.err = unwrapInvalid(err)
	return nil, r.err
}

func (r *Reader) nextEntry() (*entry, error) {
	for {
		if r.err != nil {
			return nil, r.err
		}
		if r.state != inBody {
			if err := r.finish(); err != nil {
				return r.fail(err)
			}
			return nil, io.EOF
		}
		before := r.d.Offset()
		tok, err := r.token()
		if err != nil {
			return r.fail(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			line := r.d.Line()
			if !isTBXSpace(t.Name.Space) || t.Name.Local != r.names.entry {
				if err := r.problem(r.errorf(line, "<%s> is not allowed in <body>; only <%s> is%s", elemName(t.Name), r.names.entry, r.editionHint(t.Name.Local))); err != nil {
					return r.fail(err)
				}
				if err := r.skip(); err != nil {
					return r.fail(err)
				}
				continue
			}
			if err := r.entry(t, line, before); err != nil {
				if errors.Is(err, errSkipped) {
					continue
				}
				return r.fail(err)
			}
			r.entries++
			return r.last, nil
		case xml.EndElement:
			r.state = afterBody
		case xml.CharData:
			if !isSpace(t) {
				if err := r.problem(r.errorf(r.d.Line(), "text directly inside <body>; it must be in a <%s>", r.names.entry)); err != nil {
					return r.fail(err)
				}
			}
		}
	}
}

// errSkipped says that a lenient reader left an entry out.
var errSkipped = errors.New("entry skipped")

// entry reads an entry whose start tag t (at offset before, on line) was
// just read, into r.last. An entry that breaks a rule of the dialect,
// holds a byte that is not UTF-8 or breaks a limit is an *invalid (with
// Skippable set) for a strict reader; a lenient one reports it, consumes
// the rest of the entry and returns errSkipped.
func (r *Reader) entry(t xml.StartElement, line int, before int64) error {
	depth := r.d.Depth()
	p := &entryParser{r: r, e: &entry{}}
	p.e.Origin = corpora.Origin{File: r.opts.Name, Line: line, Index: r.entries}
	r.d.BeginUnit(before)
	err := p.parseEntry(t)
	inv, isInv := err.(*invalid)
	if isInv && r.opts.Lenient {
		for r.d.Depth() >= depth {
			if _, terr := r.token(); terr != nil {
				r.d.EndUnit()
				return terr
			}
		}
	}
	if bad, found := r.d.EndUnit(); found && (err == nil || isInv) {
		inv, isInv = &invalid{r.errorf(bad, "%v", r.d.InvalidUTF8Error(bad))}, true
		inv.Unit, err = p.e.ID, inv
	}
	if err == nil {
		if cerr := r.opts.Limits.CheckEntry(&p.e.TermEntry); cerr != nil {
			inv, isInv = p.invalidf(line, "%w", cerr).(*invalid), true
			err = inv
		}
	}
	switch {
	case err == nil:
		r.last = p.e
		return nil
	case !isInv:
		return err
	case !r.opts.Lenient:
		inv.Skippable = true
		return err
	}
	reason := inv.Err.Error()
	if inv.Unit != "" {
		reason = fmt.Sprintf("%s %q: %s", r.names.entry, inv.Unit, reason)
	}
	r.opts.Skipped(corpora.Skip{File: r.opts.Name, Line: inv.Line, Reason: reason})
	return errSkipped
}

// finish reads what follows </body>: <back>, the ends of <text> and of the
// root, and nothing else.
func (r *Reader) finish() error {
	for r.state != atEOF {
		var tok xml.Token
		var err error
		if r.state == afterRoot {
			tok, err = r.d.Token()
			if err == io.EOF {
				r.state = atEOF
				return nil
			}
		} else {
			tok, err = r.token()
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			line := r.d.Line()
			if r.state == afterRoot {
				return r.errorf(line, "<%s> after the end of <%s>; a file has one root element", elemName(t.Name), r.rootTag)
			}
			if !(r.state == afterBody && isTBXSpace(t.Name.Space) && t.Name.Local == "back") {
				where := "text"
				if r.state == afterText {
					where = r.rootTag
				}
				if err := r.problem(r.errorf(line, "<%s> is not allowed here in <%s>", elemName(t.Name), where)); err != nil {
					return err
				}
			}
			if err := r.skip(); err != nil {
				return err
			}
		case xml.EndElement:
			r.state++
		case xml.CharData:
			if !isSpace(t) {
				if r.state == afterRoot {
					return r.errorf(r.d.Line(), "text after the end of <%s>", r.rootTag)
				}
				if err := r.problem(r.errorf(r.d.Line(), "text outside any entry")); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// entry is a term entry with what the reader keeps beside it for units.
type entry struct {
	corpora.TermEntry
	extra []termExtra // parallel to Terms
	hist  history     // transactions at concept level
}

// termExtra is what a term has that corpora.Term has no field for.
type termExtra struct {
	termType, gender, status string
	hist                     history
}

// history is the transactions of an entry, a language section or a term.
type history struct {
	created, changed     time.Time
	createdBy, changedBy string
}

func (h *history) merge(o history) {
	if h.created.IsZero() {
		h.created, h.createdBy = o.created, o.createdBy
	}
	if h.changed.IsZero() {
		h.changed, h.changedBy = o.changed, o.changedBy
	}
}

// entryParser reads one entry, checking it as it goes.
type entryParser struct {
	r    *Reader
	e    *entry
	used int // bytes of text and elements charged to the entry

	lastValue string // the value of the data category read last

	// language-level data, applied to the language's terms at its end
	langDef, langNote string
	langHist          history
}

func (p *entryParser) invalidf(line int, format string, args ...any) error {
	pe := p.r.errorf(line, format, args...)
	pe.Unit = p.e.ID
	return &invalid{pe}
}

// token returns the next token, charging elements to the entry's budget.
func (p *entryParser) token() (xml.Token, error) {
	t, err := p.r.token()
	if err != nil {
		return nil, err
	}
	switch t := t.(type) {
	case xml.StartElement:
		if err := p.charge(64 + len(t.Name.Local)); err != nil {
			return nil, err
		}
	case xml.CharData:
		if err := p.charge(len(t)); err != nil {
			return nil, err
		}
	}
	return t, nil
}

func (p *entryParser) charge(n int) error {
	p.used += n
	if p.used > p.r.limits.MaxUnitBytes {
		return p.invalidf(p.r.d.Line(), "the entry holds more than %d bytes: %w", p.r.limits.MaxUnitBytes, corpora.ErrTooLarge)
	}
	return nil
}

// codeElements hold native code, not text, when they appear in a term or
// note.
var codeElements = map[string]bool{"bpt": true, "ept": true, "ph": true, "it": true, "sc": true, "ec": true}

// readText returns the text of the element se just started, without the
// content of inline codes, with white space collapsed unless the element
// says xml:space="preserve", and the escapes of characters XML cannot hold
// (see xmlread.EscapeInvalid) undone.
func (p *entryParser) readText(se xml.StartElement) (string, error) {
	preserve := spacePreserve(se)
	var b strings.Builder
	depth, code := 0, 0
	for {
		tok, err := p.token()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if code > 0 || codeElements[t.Name.Local] {
				code++
			}
		case xml.EndElement:
			if depth == 0 {
				text := b.String()
				if !preserve {
					text = strings.Join(strings.Fields(text), " ")
				}
				return xmlread.UnescapeInvalid(text), nil
			}
			depth--
			if code > 0 {
				code--
			}
		case xml.CharData:
			if code == 0 {
				b.Write(t)
			}
		}
	}
}

func join(a, b, sep string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + sep + b
}

// parseEntry reads a <conceptEntry> or <termEntry>.
func (p *entryParser) parseEntry(start xml.StartElement) error {
	r, e := p.r, p.e
	startLine := r.d.Line()
	e.ID = attr(start, "id")
	if r.version == V2019 && e.ID == "" {
		return p.invalidf(startLine, "<conceptEntry> has no id; every concept needs one")
	}
	langs := 0
	for {
		tok, err := p.token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if isTBXSpace(t.Name.Space) && t.Name.Local == r.names.lang {
				if err := p.parseLang(t); err != nil {
					return err
				}
				langs++
				continue
			}
			if langs > 0 && r.version == V2019 {
				if _, _, ok := classify(t); ok || isTBXSpace(t.Name.Space) && (t.Name.Local == "note" || strings.HasSuffix(t.Name.Local, "Grp")) {
					return p.invalidf(r.d.Line(), "<%s> must come before the first <langSec>", elemName(t.Name))
				}
			}
			if err := p.parseChild(t, atConcept, -1, r.names.entry); err != nil {
				return err
			}
		case xml.EndElement:
			if langs == 0 {
				return p.invalidf(startLine, "<%s> has no <%s>; an entry needs terms", r.names.entry, r.names.lang)
			}
			return nil
		case xml.CharData:
			if !isSpace(t) {
				return p.invalidf(r.d.Line(), "text directly inside <%s>; put it in a <note>", r.names.entry)
			}
		}
	}
}

// parseLang reads a <langSec> or <langSet>.
func (p *entryParser) parseLang(start xml.StartElement) error {
	r, e := p.r, p.e
	startLine := r.d.Line()
	name := r.names.lang
	l := xmlread.Lang(start)
	if l == "" {
		return p.invalidf(startLine, "<%s> has no xml:lang; add one", name)
	}
	tag, err := corpora.ParseLang(l)
	if err != nil {
		return p.invalidf(startLine, "<%s xml:lang=%q>: %v", name, l, err)
	}
	first := len(e.Terms)
	p.langDef, p.langNote, p.langHist = "", "", history{}
	terms := 0
	for {
		tok, err := p.token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if isTBXSpace(t.Name.Space) {
				switch {
				case t.Name.Local == r.names.termSec:
					if err := p.parseTermSec(t, tag); err != nil {
						return err
					}
					terms++
					continue
				case r.version == V2008 && t.Name.Local == "ntig":
					if err := p.parseNtig(t, tag); err != nil {
						return err
					}
					terms++
					continue
				}
			}
			if terms > 0 && r.version == V2019 {
				if _, _, ok := classify(t); ok || isTBXSpace(t.Name.Space) && (t.Name.Local == "note" || strings.HasSuffix(t.Name.Local, "Grp")) {
					return p.invalidf(r.d.Line(), "<%s> must come before the first <termSec>", elemName(t.Name))
				}
			}
			if err := p.parseChild(t, atLang, -1, name); err != nil {
				return err
			}
		case xml.EndElement:
			if terms == 0 {
				return p.invalidf(startLine, "<%s xml:lang=%q> has no terms", name, l)
			}
			for i := first; i < len(e.Terms); i++ {
				if e.Terms[i].Definition == "" {
					e.Terms[i].Definition = p.langDef
				}
				e.Terms[i].Note = join(p.langNote, e.Terms[i].Note, "\n")
				e.extra[i].hist.merge(p.langHist)
			}
			return nil
		case xml.CharData:
			if !isSpace(t) {
				return p.invalidf(r.d.Line(), "text directly inside <%s>; put it in a <note>", name)
			}
		}
	}
}

// addTerm reads a <term> (se just started) and adds it to the entry.
func (p *entryParser) addTerm(tag language.Tag, se xml.StartElement) (int, error) {
	line := p.r.d.Line()
	text, err := p.readText(se)
	if err != nil {
		return 0, err
	}
	if text == "" {
		return 0, p.invalidf(line, "<term> is empty")
	}
	p.e.Terms = append(p.e.Terms, corpora.Term{Lang: tag, Text: text})
	p.e.extra = append(p.e.extra, termExtra{})
	return len(p.e.Terms) - 1, nil
}

// parseTermSec reads a <termSec> or <tig>: its <term> first, then notes
// and data categories about the term.
func (p *entryParser) parseTermSec(start xml.StartElement, tag language.Tag) error {
	r := p.r
	startLine := r.d.Line()
	name := start.Name.Local
	idx := -1
	for {
		tok, err := p.token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			isTerm := isTBXSpace(t.Name.Space) && t.Name.Local == "term"
			switch {
			case isTerm && idx >= 0:
				return p.invalidf(r.d.Line(), "only one <term> per <%s>; put each term in its own <%s>", name, name)
			case isTerm:
				if idx, err = p.addTerm(tag, t); err != nil {
					return err
				}
			case idx < 0:
				return p.invalidf(r.d.Line(), "<term> must come first in <%s>, before <%s>", name, elemName(t.Name))
			default:
				if err := p.parseChild(t, atTerm, idx, name); err != nil {
					return err
				}
			}
		case xml.EndElement:
			if idx < 0 {
				return p.invalidf(startLine, "<%s> has no <term>", name)
			}
			return nil
		case xml.CharData:
			if !isSpace(t) {
				return p.invalidf(r.d.Line(), "text directly inside <%s>; a term goes in <term>", name)
			}
		}
	}
}

// parseNtig reads a TBX 2008 <ntig>: a <termGrp> holding the term and its
// term notes, then data categories about the term.
func (p *entryParser) parseNtig(start xml.StartElement, tag language.Tag) error {
	r := p.r
	startLine := r.d.Line()
	idx := -1
	for {
		tok, err := p.token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			isGrp := isTBXSpace(t.Name.Space) && t.Name.Local == "termGrp"
			switch {
			case isGrp && idx >= 0:
				return p.invalidf(r.d.Line(), "only one <termGrp> per <ntig>")
			case isGrp:
				// termGrp: term, then term notes and component lists.
				if err := p.parseTermSec(t, tag); err != nil {
					return err
				}
				idx = len(p.e.Terms) - 1
			case idx < 0:
				return p.invalidf(r.d.Line(), "<termGrp> must come first in <ntig>, before <%s>", elemName(t.Name))
			default:
				if err := p.parseChild(t, atTerm, idx, "ntig"); err != nil {
					return err
				}
			}
		case xml.EndElement:
			if idx < 0 {
				return p.invalidf(startLine, "<ntig> has no <termGrp>")
			}
			return nil
		case xml.CharData:
			if !isSpace(t) {
				return p.invalidf(r.d.Line(), "text directly inside <ntig>")
			}
		}
	}
}

// parseChild reads an element inside an entry, a language section or a
// term section (parent names it for messages): a note, a data category, a
// group of them, or a transaction.
func (p *entryParser) parseChild(se xml.StartElement, lv level, ti int, parent string) error {
	r := p.r
	line := r.d.Line()
	local := se.Name.Local
	if isTBXSpace(se.Name.Space) {
		switch local {
		case "note":
			text, err := p.readText(se)
			if err != nil {
				return err
			}
			p.addNote(lv, ti, text)
			return nil
		case "descripGrp", "adminGrp", "termNoteGrp":
			return p.parseGroup(se, lv, ti)
		case "transacGrp":
			return p.parseTransacGrp(lv, ti)
		case "termCompList":
			if lv == atTerm {
				return r.skip()
			}
		case "term":
			inner := "<termSec> in a <langSec>"
			if r.version == V2008 {
				inner = "<tig> or <ntig> in a <langSet>"
			}
			return p.invalidf(line, "<term> is outside a %s", inner)
		case "termSec", "tig", "ntig":
			return p.invalidf(line, "<%s> must be inside a <%s>%s", local, r.names.lang, r.editionHint(local))
		case "langSec", "langSet", "conceptEntry", "termEntry":
			return p.invalidf(line, "<%s> is not allowed inside <%s>%s", local, parent, r.editionHint(local))
		}
	}
	c, dct, ok := classify(se)
	if !ok {
		if !dct {
			return p.invalidf(line, "<%s> is not allowed in <%s>%s", local, parent, r.editionHint(local))
		}
		if r.dialect.known {
			return p.invalidf(line, "<%s> is not an element of %s", elemName(se.Name), r.dialect.name)
		}
		return r.skip() // an extension this reader does not know
	}
	return p.parseMeta(se, c, dct, placeOf(lv), lv, ti)
}

// parseMeta reads a data category element (<descrip type="…">,
// <min:partOfSpeech>, …), checks it against the dialect and keeps its
// value. A category at pGroup (secondary in a group) is checked but not
// kept.
func (p *entryParser) parseMeta(se xml.StartElement, c dataCat, dct bool, where place, lv level, ti int) error {
	r := p.r
	line := r.d.Line()
	disp := fmt.Sprintf("<%s type=%q>", c.elem, c.typ)
	if dct {
		disp = "<" + elemName(se.Name) + ">"
		if r.style == "dca" && r.dialect.known {
			return p.invalidf(line, "%s is a DCT-style element, but the file declares style=\"dca\"; write <%s type=%q>", disp, c.elem, c.typ)
		}
	} else if c.typ == "" {
		if hasAttr(se, "type") {
			return p.invalidf(line, "<%s> has an empty type attribute; say which data category it is", c.elem)
		}
		return p.invalidf(line, "<%s> has no type attribute; say which data category it is", c.elem)
	}
	if c.elem == "termNote" && lv != atTerm {
		return p.invalidf(line, "%s is only allowed in a <%s>, not at %s level", disp, r.names.termSec, lv)
	}
	if (c.elem == "transac" || c.elem == "transacNote") && where != pTransac {
		return p.invalidf(line, "%s is only allowed in a <transacGrp>", disp)
	}
	value, err := p.readText(se)
	if err != nil {
		return err
	}
	if err := r.dialect.check(c, disp, where, value); err != nil {
		return p.invalidf(line, "%v", err)
	}
	p.lastValue = value
	if where == pGroup || where == pTransac {
		return nil
	}
	e := p.e
	var t *corpora.Term
	var x *termExtra
	if lv == atTerm && ti >= 0 {
		t, x = &e.Terms[ti], &e.extra[ti]
	}
	switch c {
	case dataCat{"descrip", "subjectField"}:
		e.Domain = join(e.Domain, value, "; ")
	case dataCat{"descrip", "definition"}:
		switch {
		case t != nil:
			t.Definition = join(t.Definition, value, "\n")
		case lv == atLang:
			p.langDef = join(p.langDef, value, "\n")
		default:
			e.Definition = join(e.Definition, value, "\n")
		}
	case dataCat{"descrip", "context"}:
		if t != nil {
			t.Context = join(t.Context, value, "\n")
		}
	case dataCat{"termNote", "partOfSpeech"}:
		if t != nil {
			t.PartOfSpeech = value
		}
	case dataCat{"termNote", "administrativeStatus"}, dataCat{"termNote", "normativeAuthorization"}, dataCat{"termNote", "usageStatus"}:
		if t != nil && t.Status == corpora.TermUnspecified {
			t.Status = corpora.ParseTermStatus(value)
			x.status = value
		}
	case dataCat{"termNote", "termType"}:
		if x != nil {
			x.termType = value
		}
	case dataCat{"termNote", "grammaticalGender"}:
		if x != nil {
			x.gender = value
		}
	case dataCat{"admin", "source"}:
		if t != nil {
			t.Source = join(t.Source, value, "; ")
		}
	}
	return nil
}

func (p *entryParser) addNote(lv level, ti int, text string) {
	switch {
	case lv == atTerm && ti >= 0:
		p.e.Terms[ti].Note = join(p.e.Terms[ti].Note, text, "\n")
	case lv == atLang:
		p.langNote = join(p.langNote, text, "\n")
	default:
		p.e.Note = join(p.e.Note, text, "\n")
	}
}

// parseGroup reads a <descripGrp>, <adminGrp> or <termNoteGrp>: one main
// data category, then notes and categories about it.
func (p *entryParser) parseGroup(start xml.StartElement, lv level, ti int) error {
	r := p.r
	startLine := r.d.Line()
	name := start.Name.Local
	main := groupMain[name]
	seenMain := false
	for {
		tok, err := p.token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			line := r.d.Line()
			c, dct, ok := classify(t)
			if !seenMain {
				if !ok || c.elem != main {
					return p.invalidf(line, "<%s> must start with a <%s>, not <%s>", name, main, elemName(t.Name))
				}
				seenMain = true
				if err := p.parseMeta(t, c, dct, placeOf(lv), lv, ti); err != nil {
					return err
				}
				continue
			}
			if ok && c.elem == main {
				return p.invalidf(line, "only one <%s> per <%s>", main, name)
			}
			if isTBXSpace(t.Name.Space) {
				switch t.Name.Local {
				case "note":
					if _, err := p.readText(t); err != nil {
						return err
					}
					continue
				case "transacGrp":
					if err := p.parseTransacGrp(lv, -2); err != nil {
						return err
					}
					continue
				}
			}
			if !ok {
				if !dct || r.dialect.known {
					return p.invalidf(line, "<%s> is not allowed in <%s>", elemName(t.Name), name)
				}
				if err := r.skip(); err != nil {
					return err
				}
				continue
			}
			if err := p.parseMeta(t, c, dct, pGroup, lv, ti); err != nil {
				return err
			}
		case xml.EndElement:
			if !seenMain {
				return p.invalidf(startLine, "<%s> is empty; it must hold a <%s>", name, main)
			}
			return nil
		case xml.CharData:
			if !isSpace(t) {
				return p.invalidf(r.d.Line(), "text directly inside <%s>", name)
			}
		}
	}
}

// parseTransacGrp reads a <transacGrp>: a transaction type first, then its
// date and who made it. ti is -2 for a transaction about a group, which is
// checked and dropped.
func (p *entryParser) parseTransacGrp(lv level, ti int) error {
	r := p.r
	startLine := r.d.Line()
	var typ, who string
	var date time.Time
	seenMain := false
	for {
		tok, err := p.token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			line := r.d.Line()
			c, dct, ok := classify(t)
			if !seenMain {
				if !ok || c.elem != "transac" {
					return p.invalidf(line, "<transacGrp> must start with a <transac>, not <%s>", elemName(t.Name))
				}
				seenMain = true
				if err := p.parseMeta(t, c, dct, pTransac, lv, ti); err != nil {
					return err
				}
				typ = p.lastValue
				continue
			}
			if ok && c.elem == "transac" {
				return p.invalidf(line, "only one <transac> per <transacGrp>")
			}
			if isTBXSpace(t.Name.Space) {
				switch t.Name.Local {
				case "date":
					s, err := p.readText(t)
					if err != nil {
						return err
					}
					date = parseDate(s)
					continue
				case "note":
					if _, err := p.readText(t); err != nil {
						return err
					}
					continue
				}
			}
			if !ok {
				if !dct || r.dialect.known {
					return p.invalidf(line, "<%s> is not allowed in <transacGrp>", elemName(t.Name))
				}
				if err := r.skip(); err != nil {
					return err
				}
				continue
			}
			where := pTransac
			if c.elem != "transacNote" {
				where = pGroup
			}
			if err := p.parseMeta(t, c, dct, where, lv, ti); err != nil {
				return err
			}
			if c.elem == "transacNote" && c.typ == "responsibility" {
				who = p.lastValue
			}
		case xml.EndElement:
			if !seenMain {
				return p.invalidf(startLine, "<transacGrp> is empty; it must hold a <transac>")
			}
			p.addTransaction(lv, ti, typ, date, who)
			return nil
		case xml.CharData:
			if !isSpace(t) {
				return p.invalidf(r.d.Line(), "text directly inside <transacGrp>")
			}
		}
	}
}

// addTransaction records a transaction at its level.
func (p *entryParser) addTransaction(lv level, ti int, typ string, date time.Time, who string) {
	var h *history
	switch {
	case ti == -2:
		return
	case lv == atTerm && ti >= 0:
		h = &p.e.extra[ti].hist
	case lv == atLang:
		h = &p.langHist
	default:
		h = &p.e.hist
	}
	switch typ {
	case "origination", "creation", "input", "import":
		if h.created.IsZero() || date.Before(h.created) {
			h.created, h.createdBy = date, who
		}
	case "modification", "check", "approval", "update":
		if date.After(h.changed) {
			h.changed, h.changedBy = date, who
		}
	}
}

// parseDate reads the dates TBX files hold: ISO 8601 dates and date-times.
// A date it cannot read is the zero time.
func parseDate(s string) time.Time {
	for _, layout := range []string{"2006-01-02", time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "20060102T150405Z"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}
