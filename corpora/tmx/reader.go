package tmx

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/internal/xmlread"
)

// Header is what a TMX file's <header> says about the whole file.
type Header struct {
	// Version is the <tmx version> attribute ("1.4", "1.1", …).
	Version string
	// SourceLang is the srclang attribute as written: a language tag or
	// "*all*" (any language may be the source).
	SourceLang          string
	AdminLang           string
	DataType            string
	SegType             string
	OTMF                string // o-tmf: the format the memory was exported from
	CreationTool        string
	CreationToolVersion string
	Created             time.Time
	Changed             time.Time
	CreatedBy           string
	ChangedBy           string
	Notes               []string
	Props               []corpora.Prop
}

var (
	_ corpora.Reader = (*Reader)(nil)
	_ corpora.Writer = (*Writer)(nil)
)

// Reader reads translation units from a TMX file, one <tu> at a time. It
// is not safe for concurrent use.
//
// A unit's ID is the tuid; Created, Changed, CreatedBy and ChangedBy come
// from creationdate, changedate, creationid and changeid of the <tu>,
// overridden by the source <tuv>'s and then the target <tuv>'s; Notes and
// Props are those of the <tu>, then the source <tuv>, then the target
// <tuv> (a <tuv>'s prop without xml:lang gets the <tuv>'s language as its
// Lang). Domain is the first prop of type "x-domain" or "domain", Context
// the first "x-context", Status the first "x-status" that names one; they
// stay in Props too. Origin.Line is the line of the <tu>.
type Reader struct {
	opts    corpora.ReadOptions
	limits  corpora.Limits
	tz      tokenizer
	depth   int // open elements
	header  Header
	hdrLang srcLang

	queue    []*corpora.Unit // units of the last <tu>, handed out from head
	head     int
	index    int  // units handed out
	tus      int  // <tu> elements read
	errSkips int  // <tu> elements left out for an error
	stray    bool // in a run of text directly inside <body>, reported
	inTU     bool // reading a <tu>: a byte that is not UTF-8 is its error
	skipping bool // skipping the rest of a bad <tu>
	done     bool
	err      error // sticky

	langs   map[string]langResult
	matches map[[2]language.Tag]int
	seen    []string // languages of <tuv>s, for the message when no unit matches
	budget  int      // bytes the current <tu> may still hold

	// scratch for the current <tu>, reused
	tu     tuData
	tuvs   []tuvData
	text   []byte
	native []byte
	stack  []string
	opened []string // i of <bpt> not yet closed in the current <seg>
	his    []*corpora.Code
}

// srcLang is a srclang attribute: a language, "*all*", or none.
type srcLang struct {
	set bool
	all bool
	tag language.Tag
	raw string
}

type langResult struct {
	s    string
	tag  language.Tag
	err  error
	seen bool // in Reader.seen
}

// tuData is what a <tu> says, apart from its <tuv>s.
type tuData struct {
	line  int
	id    string
	src   srcLang
	meta  meta
	notes []string
	props []corpora.Prop
}

// tuvData is one <tuv>.
type tuvData struct {
	line  int
	style string // "xml:lang" or "lang"
	lang  string
	tag   language.Tag
	meta  meta
	notes []string
	props []corpora.Prop
	seg   corpora.Segment
}

// meta is the provenance attributes <tu> and <tuv> share.
type meta struct {
	created, changed     time.Time
	createdBy, changedBy string
}

func (m *meta) override(o meta) {
	if !o.created.IsZero() {
		m.created = o.created
	}
	if !o.changed.IsZero() {
		m.changed = o.changed
	}
	if o.createdBy != "" {
		m.createdBy = o.createdBy
	}
	if o.changedBy != "" {
		m.changedBy = o.changedBy
	}
}

// unitError is bad input confined to one <tu>: a lenient reader skips the
// unit and goes on.
type unitError struct{ *corpora.ParseError }

// NewReader returns a reader of the TMX document r, having read its header.
// The document may be UTF-8 or UTF-16 (with or without a byte order mark)
// or in any charset its XML declaration names.
//
// Which <tuv> of a <tu> is the source: the one in opts.SourceLang if set
// (see corpora.LangMatches; an exact match first); else the one in the
// <tu>'s srclang, else the <header>'s (an exact match first, then a more
// specific tag, then a more general one, then one of the same base
// language, so that srclang="en-US" finds <tuv xml:lang="en">); with
// srclang="*all*", the first <tuv>. Every other <tuv> whose language
// opts.TargetLang covers gives one unit, so a multilingual <tu> gives
// several.
//
// A <tu> that lacks the <tuv> its own srclang names is an error. One that is
// valid but gives no unit — it has no <tuv> in opts.SourceLang, or no
// target (only the source <tuv>, or none in opts.TargetLang) — is reported
// to opts.OnSkip with a reason starting "no source" or "no target", in
// strict mode too, since the file is not wrong. A file that gives no unit
// at all is an error: "<body> is empty", or corpora.ErrNotBilingual naming
// the languages the file has.
//
// Errors are *corpora.ParseError. Bad input inside a <tu> (an unknown
// element, a bad language tag or date, an <ept> without its <bpt>, more
// than opts.Limits.MaxUnitBytes) fails that unit: with opts.Lenient it is
// skipped and reported and reading goes on. Broken XML, a broken header
// and anything outside <tu>s but stray text or elements in <body> fail
// the file in either mode.
func NewReader(r io.Reader, opts corpora.ReadOptions) (*Reader, error) {
	return newReader(r, opts, config{})
}

// config is what tests change in how a Reader reads.
type config struct {
	// viaXML reads UTF-8 through xmlread too, so that tests can hold the
	// two tokenizers against each other.
	viaXML bool
	// chunk, when set, is the scanner's text chunk size, made small to
	// put chunk boundaries everywhere.
	chunk int
}

// newReader is NewReader with a test configuration.
func newReader(r io.Reader, opts corpora.ReadOptions, cfg config) (*Reader, error) {
	rd := &Reader{
		opts:    opts,
		limits:  opts.Limits.Or(),
		langs:   map[string]langResult{},
		matches: map[[2]language.Tag]int{},
	}
	tz, err := rd.open(r, cfg)
	if err != nil {
		return nil, err
	}
	rd.tz = tz
	if err := rd.readHeader(); err != nil {
		return nil, unwrapUnitError(err)
	}
	return rd, nil
}

// open picks the tokenizer: the fast scanner for UTF-8 (which is what TMX
// files almost always are), xmlread for UTF-16 and declared charsets.
func (r *Reader) open(in io.Reader, cfg config) (tokenizer, error) {
	head, err := readHead(in, 1024)
	if err != nil {
		return nil, &corpora.ParseError{File: r.opts.Name, Offset: 0, Err: fmt.Errorf("read: %w", err)}
	}
	n := len(head)
	if n == 0 {
		return nil, r.fileError(0, "file is empty")
	}
	whole := io.MultiReader(bytes.NewReader(head), in)
	if cfg.viaXML {
		return newXMLTokenizer(whole, r.opts.Name, r.limits)
	}
	switch corpora.DetectEncoding(head) {
	case corpora.UTF16LE, corpora.UTF16BE:
		return newXMLTokenizer(whole, r.opts.Name, r.limits)
	case corpora.UTF8BOM:
		head = head[3:]
		whole = io.MultiReader(bytes.NewReader(head), in)
	}
	if enc, ok := declaredEncoding(head); ok {
		switch strings.ToLower(enc) {
		case "utf-8", "utf8", "us-ascii", "ascii":
		default:
			return newXMLTokenizer(whole, r.opts.Name, r.limits)
		}
	}
	s := newScanner(whole, r.opts.Name, r.limits)
	if cfg.chunk > 0 {
		s.chunk = cfg.chunk
	}
	return s, nil
}

// readHead reads up to n bytes, less at the end of the input. Unlike
// io.ReadFull it gives up on a reader that keeps returning nothing.
func readHead(r io.Reader, n int) ([]byte, error) {
	head := make([]byte, n)
	got, empty := 0, 0
	for got < n {
		k, err := r.Read(head[got:])
		got += k
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if k == 0 {
			if empty++; empty >= 100 {
				return nil, io.ErrNoProgress
			}
		}
	}
	return head[:got], nil
}

// declaredEncoding returns the encoding an XML declaration at the start of
// head names, if any.
func declaredEncoding(head []byte) (string, bool) {
	head = bytes.TrimLeft(head, " \t\r\n")
	if !bytes.HasPrefix(head, []byte("<?xml")) {
		return "", false
	}
	end := bytes.Index(head, []byte("?>"))
	if end < 0 {
		return "", false
	}
	return pseudoAttr(string(head[5:end]), "encoding")
}

// pseudoAttr returns the value of a pseudo-attribute of the XML
// declaration (version, encoding, standalone).
func pseudoAttr(decl, name string) (string, bool) {
	i := strings.Index(decl, name)
	if i < 0 {
		return "", false
	}
	rest := strings.TrimLeft(decl[i+len(name):], " \t\r\n")
	if !strings.HasPrefix(rest, "=") {
		return "", false
	}
	rest = strings.TrimLeft(rest[1:], " \t\r\n")
	if rest == "" || rest[0] != '"' && rest[0] != '\'' {
		return "", false
	}
	j := strings.IndexByte(rest[1:], rest[0])
	if j < 0 {
		return "", false
	}
	return rest[1 : 1+j], true
}

// Header returns what the file's <header> says.
func (r *Reader) Header() Header { return r.header }

// read returns the next token, keeping track of the depth. A token with a
// byte that is not UTF-8 is an error of the unit being read, or of the
// file outside any unit.
func (r *Reader) read() (*token, error) {
	t, err := r.tz.next()
	if err != nil {
		return nil, err
	}
	if t.bad != 0 && !r.skipping {
		msg := "invalid UTF-8 on line %d; convert the file to UTF-8 or fix the byte"
		if !r.inTU {
			return nil, r.fileError(t.bad, msg, t.bad)
		}
		// Keep the depth right for skipping the rest of the unit.
		switch t.kind {
		case tokStart:
			r.depth++
		case tokEnd:
			r.depth--
		}
		return nil, r.unitErrorf(t.bad, msg, t.bad)
	}
	switch t.kind {
	case tokStart:
		r.depth++
	case tokEnd:
		r.depth--
	case tokEOF:
		if r.depth > 0 { // the tokenizers say so first; never loop on EOF
			return nil, r.fileError(t.line, "%s", errTruncated)
		}
	}
	return t, nil
}

func (r *Reader) fileError(line int, format string, args ...any) error {
	return &corpora.ParseError{File: r.opts.Name, Line: line, Offset: -1, Err: fmt.Errorf(format, args...)}
}

func (r *Reader) unitErrorf(line int, format string, args ...any) error {
	return &unitError{&corpora.ParseError{File: r.opts.Name, Line: line, Offset: -1, Unit: r.tu.id, Err: fmt.Errorf(format, args...)}}
}

func unwrapUnitError(err error) error {
	var ue *unitError
	if errors.As(err, &ue) {
		return ue.ParseError
	}
	return err
}

// readHeader reads up to and including the <body> start tag.
func (r *Reader) readHeader() error {
	var t *token
	var err error
	for {
		if t, err = r.read(); err != nil {
			return err
		}
		if t.kind == tokStart {
			break
		}
		if t.kind == tokEOF {
			if !r.tz.sawMarkup() {
				return r.fileError(0, "file is empty")
			}
			return r.fileError(t.line, "the file ends before its root element; this is not a TMX file")
		}
		if t.kind == tokText && !isSpace(t.text) {
			return r.fileError(textLine(t), "text before the root element; this is not an XML file")
		}
	}
	if t.name != "tmx" {
		return r.fileError(t.line, "the root element is <%s>, not <tmx>; this is not a TMX file", t.name)
	}
	r.header.Version = string(t.attr("version"))
	sawHeader := false
	for {
		if t, err = r.read(); err != nil {
			return err
		}
		switch t.kind {
		case tokText:
			if !isSpace(t.text) {
				return r.fileError(textLine(t), "text directly inside <tmx>; only <header> and <body> belong there")
			}
		case tokEnd:
			return r.fileError(t.line, "<tmx> has no <body>")
		case tokStart:
			switch t.name {
			case "header":
				if sawHeader {
					return r.fileError(t.line, "<tmx> has two <header>s")
				}
				sawHeader = true
				if err := r.readHeaderElement(t); err != nil {
					return err
				}
			case "body":
				if !sawHeader {
					return r.fileError(t.line, "<tmx> has no <header> before <body>; add <header srclang=\"…\" …/>")
				}
				return nil
			default:
				return r.fileError(t.line, "<tmx> contains <%s>; only <header> and <body> belong there", t.name)
			}
		}
	}
}

func (r *Reader) readHeaderElement(t *token) error {
	if err := r.headerAttrs(t); err != nil {
		return err
	}
	if h := &r.header; h.SourceLang != "" {
		src, err := r.parseSrcLang(h.SourceLang)
		if err != nil {
			return r.fileError(t.line, "<header> srclang: %v", err)
		}
		r.hdrLang = src
	}
	return r.headerContent()
}

// headerAttrs keeps the attributes of the <header> start tag t. A date
// that is not one is an error, or with Lenient reported and left out.
func (r *Reader) headerAttrs(t *token) error {
	h := &r.header
	line := t.line
	for _, a := range t.attrs {
		v := string(a.value)
		switch a.name {
		case "srclang":
			h.SourceLang = v
		case "adminlang":
			h.AdminLang = v
		case "datatype":
			h.DataType = v
		case "segtype":
			h.SegType = v
		case "o-tmf":
			h.OTMF = v
		case "creationtool":
			h.CreationTool = v
		case "creationtoolversion":
			h.CreationToolVersion = v
		case "creationid":
			h.CreatedBy = v
		case "changeid":
			h.ChangedBy = v
		case "creationdate", "changedate":
			d, err := parseDate(a.value)
			if err != nil {
				if !r.opts.Lenient {
					err := r.fileError(line, "<header> %s %q is not a TMX date (YYYYMMDDThhmmssZ)", a.name, v)
					err.(*corpora.ParseError).Skippable = true
					return err
				}
				r.opts.Skipped(corpora.Skip{File: r.opts.Name, Line: line, Reason: fmt.Sprintf("<header> %s %q is not a TMX date; ignored", a.name, v)})
				continue
			}
			if a.name == "creationdate" {
				h.Created = d
			} else {
				h.Changed = d
			}
		}
	}
	return nil
}

// headerContent reads the notes and props of the <header> up to its end.
func (r *Reader) headerContent() error {
	h := &r.header
	// The header's notes and props count against the unit limit too.
	r.budget = r.limits.MaxUnitBytes
	for {
		t, err := r.read()
		if err != nil {
			return err
		}
		switch t.kind {
		case tokEnd:
			return nil
		case tokText:
			if !isSpace(t.text) {
				return r.fileError(textLine(t), "text directly inside <header>")
			}
		case tokStart:
			switch t.name {
			case "note":
				s, err := r.readText(t)
				if err != nil {
					return err
				}
				h.Notes = append(h.Notes, s)
			case "prop":
				p, err := r.readProp(t, "")
				if err != nil {
					return err
				}
				h.Props = append(h.Props, p)
			case "ude":
				if err := r.skipElement(); err != nil {
					return err
				}
			default:
				return r.fileError(t.line, "<header> contains <%s>; only <note>, <prop> and <ude> belong there", t.name)
			}
		}
	}
}

// textLine returns the line where the text of a text token starts, after
// any white space.
func textLine(t *token) int {
	n := 0
	for n < len(t.text) && isSpaceByte(t.text[n]) {
		n++
	}
	return t.line + bytes.Count(t.text[:n], nl)
}

// skipElement consumes the rest of the element whose start tag was just
// read.
func (r *Reader) skipElement() error {
	return r.skipTo(r.depth)
}

// skipTo consumes tokens until the element open at depth is closed.
func (r *Reader) skipTo(depth int) error {
	r.skipping = true
	defer func() { r.skipping = false }()
	for r.depth >= depth {
		if _, err := r.read(); err != nil {
			return err
		}
	}
	return nil
}

// parseSrcLang parses a srclang attribute.
func (r *Reader) parseSrcLang(s string) (srcLang, error) {
	if strings.TrimSpace(s) == "*all*" {
		return srcLang{set: true, all: true, raw: s}, nil
	}
	tag, err := r.lang(s)
	if err != nil {
		return srcLang{}, err
	}
	return srcLang{set: true, tag: tag, raw: s}, nil
}

// lang parses a language tag, caching the result: a TMX file names the same
// few languages over and over.
func (r *Reader) lang(s string) (language.Tag, error) {
	if res, ok := r.langs[s]; ok {
		return res.tag, res.err
	}
	tag, err := corpora.ParseLang(s)
	if err != nil {
		err = fmt.Errorf("%q is not a language tag", s)
	}
	if len(r.langs) >= 256 {
		clear(r.langs)
	}
	r.langs[s] = langResult{s: s, tag: tag, err: err}
	return tag, err
}

// langBytes is lang for an attribute value, without allocating when the
// language has been seen before.
func (r *Reader) langBytes(b []byte) (string, language.Tag, error) {
	res, ok := r.langs[string(b)]
	if !ok {
		s := string(b)
		r.lang(s)
		res = r.langs[s]
	}
	if !res.seen {
		res.seen = true
		r.langs[res.s] = res
		if res.err == nil && len(r.seen) < 32 && !slices.Contains(r.seen, res.s) {
			r.seen = append(r.seen, res.s)
		}
	}
	return res.s, res.tag, res.err
}

// What an element costs against Limits.MaxUnitBytes besides its text: about
// the memory it takes, so that a <tu> of many empty <tuv>s or codes is
// bounded too. A <tuv> may become a unit of its own.
const (
	tuvCost  = 512
	codeCost = 160
	propCost = 64
)

// charge counts n bytes against what one unit may hold.
func (r *Reader) charge(n int, line int) error {
	r.budget -= n
	if r.budget < 0 {
		return r.unitErrorf(line, "the unit holds more than %d bytes: %w", r.limits.MaxUnitBytes, corpora.ErrTooLarge)
	}
	return nil
}

// readText reads the text content of <note> or <prop>, whose start tag t
// was just read.
func (r *Reader) readText(t *token) (string, error) {
	name := t.name
	if err := r.charge(propCost, t.line); err != nil {
		return "", err
	}
	r.text = r.text[:0]
	for {
		t, err := r.read()
		if err != nil {
			return "", err
		}
		switch t.kind {
		case tokText:
			if err := r.charge(len(t.text), t.line); err != nil {
				return "", err
			}
			r.text = append(r.text, t.text...)
		case tokStart:
			return "", r.unitErrorf(t.line, "<%s> contains <%s>; it may only hold text", name, t.name)
		case tokEnd:
			return xmlread.UnescapeInvalid(string(r.text)), nil
		}
	}
}

// readProp reads a <prop>; lang is the language of the <tuv> it is in, for a
// prop without its own xml:lang.
func (r *Reader) readProp(t *token, lang string) (corpora.Prop, error) {
	p := corpora.Prop{Type: xmlread.UnescapeInvalid(string(t.attr("type"))), Lang: lang}
	if l := t.attr("xml:lang"); l != nil {
		p.Lang = string(l)
	} else if l := t.attr("lang"); l != nil {
		p.Lang = string(l)
	}
	line := t.line
	v, err := r.readText(t)
	if err != nil {
		return p, err
	}
	if p.Type == "" {
		return p, r.unitErrorf(line, "<prop> has no type; add type=\"x-…\"")
	}
	p.Value = v
	return p, r.charge(len(p.Type), line)
}

// Next returns the next unit, or io.EOF after the last. Errors are
// *corpora.ParseError.
func (r *Reader) Next() (*corpora.Unit, error) {
	for {
		if r.head < len(r.queue) {
			u := r.queue[r.head]
			r.queue[r.head] = nil
			r.head++
			return u, nil
		}
		if r.err != nil {
			return nil, r.err
		}
		if r.done {
			return nil, io.EOF
		}
		r.queue, r.head = r.queue[:0], 0
		if err := r.advance(); err != nil {
			var ue *unitError
			if errors.As(err, &ue) {
				ue.ParseError.Skippable = true
			}
			r.err = unwrapUnitError(err)
		}
	}
}

// advance reads the body up to the next <tu> that gives units, or to the
// end of the document.
func (r *Reader) advance() error {
	for {
		t, err := r.read()
		if err != nil {
			return err
		}
		if t.kind != tokText {
			r.stray = false
		}
		switch t.kind {
		case tokText:
			// A long run of text comes in several tokens: report it once.
			if !r.stray && !isSpace(t.text) {
				r.stray = true
				if err := r.skipOrFail(r.unitErrorf(textLine(t), "text directly inside <body>; only <tu> belongs there"), -1); err != nil {
					return err
				}
			}
		case tokEnd: // </body>
			return r.finish(t.line)
		case tokStart:
			if t.name != "tu" {
				depth := r.depth
				err := r.unitErrorf(t.line, "<body> contains <%s>; only <tu> belongs there", t.name)
				if err := r.skipOrFail(err, depth); err != nil {
					return err
				}
				continue
			}
			r.tus++
			depth := r.depth
			r.inTU = true
			err := r.readTU(t)
			r.inTU = false
			if err == nil {
				err = r.checkQueued()
			}
			if err != nil {
				var ue *unitError
				if !errors.As(err, &ue) {
					return err
				}
				r.errSkips++
				if err := r.skipOrFail(err, depth); err != nil {
					return err
				}
				continue
			}
			if len(r.queue) > 0 {
				return nil
			}
		}
	}
}

// checkQueued applies the limits every reader applies to the units the
// last <tu> gave; one that breaks them makes the <tu> a bad unit.
func (r *Reader) checkQueued() error {
	for _, u := range r.queue[r.head:] {
		if err := r.limits.CheckUnit(u); err != nil {
			r.queue = r.queue[:r.head]
			return &unitError{&corpora.ParseError{File: r.opts.Name, Line: u.Origin.Line, Offset: -1, Unit: u.ID, Err: err}}
		}
	}
	return nil
}

// skipOrFail returns err, or when reading leniently reports it as a skip
// and consumes the rest of the element open at depth (none if depth < 0).
func (r *Reader) skipOrFail(err error, depth int) error {
	if !r.opts.Lenient {
		return err
	}
	if depth >= 0 {
		if err := r.skipTo(depth); err != nil {
			return err
		}
	}
	pe, ok := unwrapUnitError(err).(*corpora.ParseError)
	if !ok {
		return err
	}
	r.opts.Skipped(corpora.Skip{File: r.opts.Name, Line: pe.Line, Reason: pe.Err.Error()})
	return nil
}

// finish reads what follows </body> and decides whether a file that gave
// no unit is an error.
func (r *Reader) finish(line int) error {
	closed := false // </tmx> was read
	for {
		t, err := r.read()
		if err != nil {
			return err
		}
		if t.kind == tokEOF {
			break
		}
		switch {
		case t.kind == tokEnd:
			closed = true
		case t.kind == tokText && !isSpace(t.text) && !closed:
			return r.fileError(textLine(t), "text after <body>; nothing but </tmx> may follow it")
		case t.kind == tokText && !isSpace(t.text):
			return r.fileError(textLine(t), "text after </tmx>")
		case t.kind == tokStart && !closed:
			return r.fileError(t.line, "<tmx> contains <%s> after <body>", t.name)
		case t.kind == tokStart:
			return r.fileError(t.line, "a second root element <%s> after </tmx>", t.name)
		}
	}
	r.done = true
	if r.index > 0 || r.errSkips > 0 {
		return nil
	}
	if r.tus == 0 {
		return r.fileError(line, "the file has no translation units: <body> is empty")
	}
	src, tgt := "the source language", "any other language"
	if r.opts.SourceLang != language.Und {
		src = r.opts.SourceLang.String()
	} else if r.hdrLang.set && !r.hdrLang.all {
		src = r.hdrLang.tag.String()
	}
	if r.opts.TargetLang != language.Und {
		tgt = r.opts.TargetLang.String()
	}
	return r.fileError(line, "%w: no <tu> has a <tuv> in %s and one in %s; the file's languages are %s",
		corpora.ErrNotBilingual, src, tgt, strings.Join(r.seen, ", "))
}

// readTU reads a <tu> whose start tag t was just read and queues its units.
func (r *Reader) readTU(t *token) error {
	r.budget = r.limits.MaxUnitBytes
	r.tu = tuData{line: t.line}
	r.tuvs = r.tuvs[:0]
	tu := &r.tu
	var firstErr error
	for _, a := range t.attrs {
		switch a.name {
		case "tuid":
			tu.id = xmlread.UnescapeInvalid(string(a.value))
		case "srclang":
			src, err := r.parseSrcLang(string(a.value))
			if err != nil {
				firstErr = r.unitErrorf(t.line, "<tu> srclang: %v", err)
			}
			tu.src = src
		default:
			if err := r.readMeta(&tu.meta, a, "tu", t.line); err != nil {
				firstErr = err
			}
		}
	}
	if firstErr != nil {
		return firstErr
	}
	for {
		t, err := r.read()
		if err != nil {
			return err
		}
		switch t.kind {
		case tokText:
			if !isSpace(t.text) {
				return r.unitErrorf(textLine(t), "text directly inside <tu>; put it in <tuv><seg>")
			}
		case tokEnd:
			return r.makeUnits(t.line)
		case tokStart:
			switch t.name {
			case "tuv":
				if err := r.readTUV(t); err != nil {
					return err
				}
			case "note":
				s, err := r.readText(t)
				if err != nil {
					return err
				}
				tu.notes = append(tu.notes, s)
			case "prop":
				p, err := r.readProp(t, "")
				if err != nil {
					return err
				}
				tu.props = append(tu.props, p)
			default:
				return r.unitErrorf(t.line, "<tu> contains <%s>; only <note>, <prop> and <tuv> belong there", t.name)
			}
		}
	}
}

// readMeta reads a provenance attribute shared by <tu> and <tuv>.
func (r *Reader) readMeta(m *meta, a attr, elem string, line int) error {
	switch a.name {
	case "creationid":
		m.createdBy = xmlread.UnescapeInvalid(string(a.value))
	case "changeid":
		m.changedBy = xmlread.UnescapeInvalid(string(a.value))
	case "creationdate", "changedate":
		d, err := parseDate(a.value)
		if err != nil {
			return r.unitErrorf(line, "<%s> %s %q is not a TMX date (YYYYMMDDThhmmssZ)", elem, a.name, a.value)
		}
		if a.name == "creationdate" {
			m.created = d
		} else {
			m.changed = d
		}
	}
	return nil
}

func (r *Reader) readTUV(t *token) error {
	if err := r.charge(tuvCost, t.line); err != nil {
		return err
	}
	r.tuvs = append(r.tuvs, tuvData{line: t.line})
	tv := &r.tuvs[len(r.tuvs)-1]
	// TMX 1.1 names the attribute lang, later versions xml:lang; tools
	// write either whatever the version, but one <tu> mixing them is a
	// file put together by hand or a broken tool.
	lang, style := t.attr("xml:lang"), "xml:lang"
	if lang == nil {
		lang, style = t.attr("lang"), "lang"
	}
	if len(r.tuvs) > 1 && lang != nil && r.tuvs[0].style != style {
		return r.unitErrorf(t.line, "<tuv> has %s but the first <tuv> of its <tu> has %s; use one of them for every <tuv>", style, r.tuvs[0].style)
	}
	tv.style = style
	if lang == nil {
		return r.unitErrorf(t.line, "<tuv> has no xml:lang; add one")
	}
	var err error
	tv.lang, tv.tag, err = r.langBytes(lang)
	if err != nil {
		return r.unitErrorf(t.line, "<tuv> xml:lang: %v", err)
	}
	for _, a := range t.attrs {
		if err := r.readMeta(&tv.meta, a, "tuv", t.line); err != nil {
			return err
		}
	}
	sawSeg := false
	for {
		t, err := r.read()
		if err != nil {
			return err
		}
		switch t.kind {
		case tokText:
			if !isSpace(t.text) {
				return r.unitErrorf(textLine(t), "text directly inside <tuv>; put it in <seg>")
			}
		case tokEnd:
			if !sawSeg {
				return r.unitErrorf(t.line, "<tuv xml:lang=%q> has no <seg>", tv.lang)
			}
			return nil
		case tokStart:
			switch t.name {
			case "seg":
				if sawSeg {
					return r.unitErrorf(t.line, "<tuv xml:lang=%q> has two <seg>s", tv.lang)
				}
				sawSeg = true
				if tv.seg, err = r.readSeg(); err != nil {
					return err
				}
			case "note":
				s, err := r.readText(t)
				if err != nil {
					return err
				}
				tv.notes = append(tv.notes, s)
			case "prop":
				p, err := r.readProp(t, tv.lang)
				if err != nil {
					return err
				}
				tv.props = append(tv.props, p)
			default:
				return r.unitErrorf(t.line, "<tuv> contains <%s>; only <note>, <prop> and <seg> belong there", t.name)
			}
		}
	}
}

// Match levels for finding the source <tuv>, best first.
const (
	matchExact    = iota // same tag
	matchNarrower        // the tuv's tag is more specific: en → en-US
	matchWider           // the tuv's tag is more general: en-US → en
	matchBase            // same base language: en-US → en-GB
	matchNone
)

// matchLevel returns how well have matches want, cached: comparing tags
// as corpora.LangMatches does allocates, and a file has few languages.
func (r *Reader) matchLevel(want, have language.Tag) int {
	if want == have {
		return matchExact
	}
	k := [2]language.Tag{want, have}
	if l, ok := r.matches[k]; ok {
		return l
	}
	if len(r.matches) >= 256 {
		clear(r.matches)
	}
	l := matchLevel(want, have)
	r.matches[k] = l
	return l
}

func matchLevel(want, have language.Tag) int {
	switch {
	case want == have:
		return matchExact
	case corpora.LangMatches(want, have):
		return matchNarrower
	case corpora.LangMatches(have, want):
		return matchWider
	}
	wb, _ := want.Base()
	hb, _ := have.Base()
	if wb == hb {
		return matchBase
	}
	return matchNone
}

// findTUV returns the index of the <tuv> that best matches want, down to
// the level worst, or -1.
func (r *Reader) findTUV(want language.Tag, worst int) int {
	best, at := matchNone, -1
	for i := range r.tuvs {
		if l := r.matchLevel(want, r.tuvs[i].tag); l < best && l <= worst {
			best, at = l, i
		}
	}
	return at
}

// makeUnits turns the <tu> just read into units; line is that of </tu>.
func (r *Reader) makeUnits(line int) error {
	tu := &r.tu
	if len(r.tuvs) == 0 {
		return r.unitErrorf(tu.line, "<tu> has no <tuv>")
	}
	declared := tu.src
	if !declared.set {
		declared = r.hdrLang
	}
	src := -1
	if r.opts.SourceLang != language.Und {
		src = r.findTUV(r.opts.SourceLang, matchNarrower)
	}
	if src < 0 {
		switch {
		case declared.set && !declared.all:
			d := r.findTUV(declared.tag, matchBase)
			if d < 0 {
				where := "<header>"
				if tu.src.set {
					where = "<tu>"
				}
				return r.unitErrorf(tu.line, "<tu> has no <tuv> in its source language %s (the srclang of its %s); it has %s",
					declared.raw, where, r.tuvLangs())
			}
			src = d
		case declared.all:
			src = 0
		case r.opts.SourceLang == language.Und:
			return r.unitErrorf(tu.line, "no source language: neither <tu> nor <header> has srclang; add srclang to the <header>")
		}
		if r.opts.SourceLang != language.Und {
			r.opts.Skipped(corpora.Skip{File: r.opts.Name, Line: tu.line,
				Reason: fmt.Sprintf("no source: <tu> has no <tuv> in %s, only %s", r.opts.SourceLang, r.tuvLangs())})
			return nil
		}
	}
	n := 0
	for i := range r.tuvs {
		if i == src || r.opts.TargetLang != language.Und && r.matchLevel(r.opts.TargetLang, r.tuvs[i].tag) > matchNarrower {
			continue
		}
		r.queue = append(r.queue, r.makeUnit(src, i, n > 0))
		n++
	}
	if n == 0 && r.opts.Untranslated && r.opts.TargetLang != language.Und {
		u := r.makeUnit(src, src, false)
		u.TargetLang, u.Target, u.Status = r.opts.TargetLang, corpora.Segment{}, corpora.StatusUntranslated
		r.queue = append(r.queue, u)
		return nil
	}
	if n == 0 {
		reason := fmt.Sprintf("no target: <tu> has only a <tuv> in %s", r.tuvs[src].lang)
		if len(r.tuvs) > 1 {
			reason = fmt.Sprintf("no target: <tu> has no <tuv> in %s, only %s", r.opts.TargetLang, r.tuvLangs())
		}
		r.opts.Skipped(corpora.Skip{File: r.opts.Name, Line: tu.line, Reason: reason})
	}
	return nil
}

func (r *Reader) tuvLangs() string {
	var b strings.Builder
	for i := range r.tuvs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(r.tuvs[i].lang)
	}
	return b.String()
}

// makeUnit builds the unit of source tuv s and target tuv t (t == s for a
// unit with no target yet, whose target the caller sets); copySource says
// the source segment is already in another unit.
func (r *Reader) makeUnit(s, t int, copySource bool) *corpora.Unit {
	tu, sv, tv := &r.tu, &r.tuvs[s], &r.tuvs[t]
	u := &corpora.Unit{
		SourceLang: sv.tag,
		TargetLang: tv.tag,
		Source:     sv.seg,
		Target:     tv.seg,
		ID:         tu.id,
		Origin:     corpora.Origin{File: r.opts.Name, Line: tu.line, Index: r.index},
	}
	r.index++
	if copySource {
		u.Source.Spans = slices.Clone(sv.seg.Spans)
	}
	m := tu.meta
	m.override(sv.meta)
	tvNotes, tvProps := tv.notes, tv.props
	if t == s {
		tvNotes, tvProps = nil, nil // a unit with no target yet
	} else {
		m.override(tv.meta)
	}
	u.Created, u.Changed, u.CreatedBy, u.ChangedBy = m.created, m.changed, m.createdBy, m.changedBy
	if n := len(tu.notes) + len(sv.notes) + len(tvNotes); n > 0 {
		u.Notes = make([]string, 0, n)
		u.Notes = append(append(append(u.Notes, tu.notes...), sv.notes...), tvNotes...)
	}
	if n := len(tu.props) + len(sv.props) + len(tvProps); n > 0 {
		u.Props = make([]corpora.Prop, 0, n)
		u.Props = append(append(append(u.Props, tu.props...), sv.props...), tvProps...)
	}
	for _, p := range u.Props {
		switch p.Type {
		case PropDomain, "domain":
			if u.Domain == "" {
				u.Domain = p.Value
			}
		case PropContext:
			if u.Context == "" {
				u.Context = p.Value
			}
		case PropStatus:
			if st, ok := corpora.ParseStatus(p.Value); ok && u.Status == corpora.StatusUnspecified {
				u.Status = st
			}
		}
	}
	return u
}

// The <prop> types that carry the unit fields TMX has no attribute for.
// The reader fills Unit.Domain, Context and Status from them (Domain also
// from a prop of type "domain") and keeps them in Unit.Props; the writer
// writes them when the unit's Props do not already hold them.
const (
	PropDomain  = "x-domain"
	PropContext = "x-context"
	PropStatus  = "x-status"
)
