package po

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/kgmem/kgmem/corpora"
)

// ReaderOptions configure a PO reader beyond what every reader takes.
type ReaderOptions struct {
	corpora.ReadOptions
	// IncludeObsolete makes the reader return obsolete ("#~") entries as
	// units with Gettext.Obsolete set. By default it leaves them out: they
	// are translations the catalog no longer uses, kept by msgmerge in case
	// the string comes back.
	IncludeObsolete bool
}

// Reader reads the units of a PO file. It is not safe for concurrent use.
type Reader struct {
	opts   ReaderOptions
	limits corpora.Limits
	br     *bufio.Reader
	// transcoded is set when the bytes were UTF-16 or had a UTF-8 byte
	// order mark: they are UTF-8 now, whatever the header says.
	transcoded bool
	cs         charset
	lx         lexer

	cur    []byte // the current line
	line   line   // the current line lexed
	lineNo int    // its number
	pushed bool   // read the current line again

	recovering bool // skip lines up to the next entry (lenient mode)
	// recoverGap is set when recovery has passed a blank line: whatever
	// comes after it is the next entry, even a bad one.
	recoverGap bool
	deferred   error // an error on the line after a complete entry, for the next call
	sawText    bool  // a non-blank line
	sawEntry   bool  // a keyword line

	header     *Header
	headerLine int
	cat        catalog
	catReady   bool
	domain     string // from a domain directive

	index   int
	pending *corpora.Unit
	err     error // sticky: io.EOF or the error that stopped reading
}

// NewReader returns a reader of the PO file r, as [NewReaderOptions] with
// obsolete entries left out.
func NewReader(r io.Reader, opts corpora.ReadOptions) (*Reader, error) {
	return NewReaderOptions(r, ReaderOptions{ReadOptions: opts})
}

// NewReaderOptions returns a reader of the PO file r. It reads up to the
// first unit, so that the header is known: errors in the file as a whole
// (empty, an unsupported charset, another language than
// opts.TargetLang) come from here.
//
// Languages: the target language is the header's Language field, else one
// the file name says ("es.po", "pt_BR.po"), else opts.TargetLang. When
// opts.TargetLang is set and the catalog declares another, NewReaderOptions
// fails with an error wrapping [corpora.ErrNotBilingual]. The source
// language is opts.SourceLang, else an X-Source-Language field, else
// English, which is what gettext msgids are by convention.
//
// The bytes are in the charset the header's Content-Type declares (UTF-8
// when it declares none); a file with a byte order mark or in UTF-16 is
// read as such.
func NewReaderOptions(r io.Reader, opts ReaderOptions) (*Reader, error) {
	u, enc, err := corpora.UTF8Reader(r)
	if err != nil {
		return nil, &corpora.ParseError{File: opts.Name, Offset: -1, Err: fmt.Errorf("read: %w", err)}
	}
	rd := &Reader{
		opts:       opts,
		limits:     opts.Limits.Or(),
		br:         bufio.NewReaderSize(u, 64<<10),
		transcoded: enc != corpora.UTF8,
		cs:         utf8Charset,
	}
	rd.lx.cs = &rd.cs
	first, err := rd.next()
	switch {
	case err == io.EOF:
		switch {
		case !rd.sawText:
			return nil, rd.perr(0, 0, errors.New("file is empty"))
		case !rd.sawEntry:
			return nil, rd.perr(0, 0, errors.New("file has no entries, only comments"))
		}
	case err != nil:
		return nil, err
	}
	rd.pending = first
	return rd, nil
}

// Header returns the catalog's header entry, or nil when it has none. It
// is known once NewReader returns, unless the header is not the first
// entry (it always is in files gettext writes).
func (r *Reader) Header() *Header { return r.header }

// Next returns the next unit, or io.EOF after the last one. Errors are
// *corpora.ParseError. Obsolete entries are left out unless
// ReaderOptions.IncludeObsolete; the header entry is not a unit.
func (r *Reader) Next() (*corpora.Unit, error) {
	if u := r.pending; u != nil {
		r.pending = nil
		return u, nil
	}
	if r.err != nil {
		return nil, r.err
	}
	return r.next()
}

// fatalError marks an error that lenient mode does not skip: the file as
// a whole is wrong.
type fatalError struct{ pe *corpora.ParseError }

func (e *fatalError) Error() string { return e.pe.Error() }

func (e *fatalError) Unwrap() error { return e.pe }

func (r *Reader) next() (*corpora.Unit, error) {
	for {
		e, err := r.readEntry()
		fromEntry := err != nil
		var u *corpora.Unit
		if err == nil {
			u, err = r.build(e)
			if err == nil && u == nil {
				continue
			}
			if err == nil {
				if cerr := r.limits.CheckUnit(u); cerr != nil {
					err = r.perr(e.line, 0, cerr)
				}
			}
		}
		if err == nil {
			u.Origin = corpora.Origin{File: r.opts.Name, Line: e.line, Index: r.index}
			r.index++
			return u, nil
		}
		if err == io.EOF {
			r.err = io.EOF
			return nil, io.EOF
		}
		var fe *fatalError
		if errors.As(err, &fe) {
			r.err = fe.pe
			return nil, fe.pe
		}
		pe, ok := err.(*corpora.ParseError)
		if !ok || !r.opts.Lenient {
			if !ok {
				pe = r.perr(r.lineNo, 0, err)
			}
			pe.Skippable = ok
			r.err = pe
			return nil, pe
		}
		r.opts.Skipped(corpora.Skip{File: r.opts.Name, Line: pe.Line, Reason: pe.Err.Error()})
		if fromEntry {
			r.recovering = true
		}
	}
}

// perr returns a ParseError at a line (and column) of the file.
func (r *Reader) perr(line, col int, err error) *corpora.ParseError {
	return &corpora.ParseError{File: r.opts.Name, Line: line, Col: col, Offset: -1, Err: err}
}

// errf is a ParseError at a line. With pushback, the current line starts
// the next entry and is read again after the error.
func (r *Reader) errf(line int, pushback bool, format string, args ...any) error {
	r.pushed = pushback
	return r.perr(line, 0, fmt.Errorf(format, args...))
}

// nextLine returns the next line without its newline. A line longer than
// the unit limit comes back empty with tooLong set.
func (r *Reader) nextLine() (b []byte, tooLong bool, err error) {
	if r.pushed {
		r.pushed = false
		return r.cur, false, nil
	}
	r.cur = r.cur[:0]
	maxLine := r.limits.MaxUnitBytes + 1024
	for {
		frag, err := r.br.ReadSlice('\n')
		if !tooLong {
			if len(r.cur)+len(frag) > maxLine {
				// Keep the start, to tell whether the line starts an entry.
				tooLong = true
				r.cur = append(r.cur, frag[:min(len(frag), 64)]...)
				r.cur = r.cur[:min(len(r.cur), 64)]
			} else {
				r.cur = append(r.cur, frag...)
			}
		}
		switch err {
		case bufio.ErrBufferFull:
			continue
		case io.EOF:
			if len(r.cur) == 0 && !tooLong {
				return nil, false, io.EOF
			}
			r.lineNo++
			return r.cur, tooLong, nil
		case nil:
			r.lineNo++
			if !tooLong {
				r.cur = r.cur[:len(r.cur)-1]
			}
			return r.cur, tooLong, nil
		default:
			return nil, false, &fatalError{r.perr(r.lineNo+1, 0, fmt.Errorf("read: %w", err))}
		}
	}
}

// state is where an entry is in its grammar.
type state uint8

const (
	stStart  state = iota // comments only
	stPrev                // after a #| line
	stCtxt                // after msgctxt
	stID                  // after msgid
	stPlural              // after msgid_plural
	stStr                 // after msgstr or msgstr[n]
)

// chunk is the text one line added to a string, for error locations.
type chunk struct {
	off, line int
}

// pstr is a string of an entry: its raw (undecoded) bytes.
type pstr struct {
	b      []byte
	line   int  // the keyword's line
	set    bool // the keyword was seen
	strs   int  // quoted strings so far
	chunks []chunk
	kw     string // the keyword as written, for messages
}

func (p *pstr) add(text []byte, strs, line int) {
	p.chunks = append(p.chunks, chunk{off: len(p.b), line: line})
	p.b = append(p.b, text...)
	p.strs += strs
}

// rawText is a comment line's raw text.
type rawText struct {
	b    []byte
	line int
}

// entry is a PO entry as read, before decoding.
type entry struct {
	line     int // first line, comments included
	obsolete bool
	kwSeen   bool
	state    state

	comments, extracted, refs, flags []rawText

	prevCtxt, prevID, prevPlural pstr
	ctxt, id, plural             pstr
	strs                         []pstr
	plainStr                     bool

	cur     *pstr // where a continuation string goes
	curPrev bool
	size    int
	gap     bool // a blank line since the last line
}

// rawStartsEntry reports whether a line that does not lex (or is too
// long to) begins like the first line of an entry.
func rawStartsEntry(raw []byte) bool {
	s := trimSpace(raw)
	if len(s) == 0 {
		return false
	}
	if s[0] == '#' {
		rest := s[1:]
		if len(rest) > 0 && (rest[0] == '~' || rest[0] == '|') {
			rest = trimSpace(bytes.TrimLeft(rest, "~|"))
		} else {
			return true // a comment
		}
		s = rest
	}
	for _, kw := range []string{"msgctxt", "msgid", "domain"} {
		if rest, ok := bytes.CutPrefix(s, []byte(kw)); ok && (len(rest) == 0 || isSpace(rest[0]) || rest[0] == '"') {
			return true
		}
	}
	return false
}

// startsEntry reports whether l can be the first line of an entry: a
// comment, msgctxt, msgid (also after #| or #~) or a domain directive.
func startsEntry(l *line) bool {
	return l.kind == lineComment ||
		l.kind == lineKeyword && (l.kw == kwMsgctxt || l.kw == kwMsgid || l.kw == kwDomain)
}

// readEntry reads the next entry. In recovery it first skips lines up to
// one that starts an entry.
func (r *Reader) readEntry() (*entry, error) {
	if err := r.deferred; err != nil {
		r.deferred = nil
		return nil, err
	}
	var e *entry
	for {
		raw, tooLong, err := r.nextLine()
		if err == io.EOF {
			return r.endEntry(e)
		}
		if err != nil {
			return nil, err
		}
		bad := tooLong || r.lx.lex(raw, &r.line) != nil
		if bad || r.line.kind != lineBlank {
			r.sawText = true
		}
		if r.recovering {
			// Skip the rest of the bad entry: up to a line that starts an
			// entry, or any line after a blank one, which starts the next
			// entry however bad it is (so that each bad entry is
			// reported).
			switch {
			case !bad && r.line.kind == lineBlank:
				r.recoverGap = true
				continue
			case !r.recoverGap && (bad || !startsEntry(&r.line)):
				continue
			}
			r.recovering, r.recoverGap = false, false
		}
		if bad {
			return r.badLine(e, raw, tooLong)
		}
		l := r.line
		if l.kind == lineBlank {
			if e != nil {
				e.gap = true
			}
			continue
		}
		if l.kind == lineKeyword {
			r.sawEntry = true
		}
		if l.kind == lineKeyword && l.kw == kwDomain && (e == nil || e.state == stStart) {
			if err := r.setDomain(&l); err != nil {
				return nil, err
			}
			e = nil // comments before a domain directive belong to no entry
			continue
		}
		if e == nil {
			e = &entry{line: r.lineNo}
		}
		done, err := r.add(e, &l, len(raw))
		if err != nil {
			return nil, err
		}
		if done {
			r.pushed = true
			return e, nil
		}
	}
}

// badLine handles a line that does not lex (or is too long to) in entry e
// (nil before the entry's first line). A bad line that starts an entry,
// or comes after a blank line, is the next entry's problem: e, when
// complete, is returned first and the error after it.
func (r *Reader) badLine(e *entry, raw []byte, tooLong bool) (*entry, error) {
	var perr error
	if tooLong {
		perr = r.errf(r.lineNo, false, "line is longer than %d bytes: %w", r.limits.MaxUnitBytes, corpora.ErrTooLarge)
	} else {
		le := r.lx.err
		perr = r.perr(r.lineNo, le.col, errors.New(le.msg))
	}
	if e != nil && e.state == stStr && (e.gap || rawStartsEntry(raw)) {
		if err := r.checkStrings(e); err != nil {
			return nil, err
		}
		r.deferred = perr
		return e, nil
	}
	return nil, perr
}

// setDomain handles a domain directive: the units after it are in that
// gettext domain.
func (r *Reader) setDomain(l *line) error {
	if l.strs == 0 {
		return r.errf(r.lineNo, false, "domain must be followed by a quoted string")
	}
	if l.obsolete || l.previous {
		return r.errf(r.lineNo, false, "a domain directive cannot be obsolete or previous")
	}
	d, err := r.cs.decode(l.text)
	if err != nil {
		return r.perr(r.lineNo, 0, err)
	}
	r.domain = d
	return nil
}

// endEntry finishes the entry in progress at the end of the file.
func (r *Reader) endEntry(e *entry) (*entry, error) {
	if e == nil || e.state == stStart {
		return nil, io.EOF // trailing comments belong to no entry
	}
	if err := r.checkStrings(e); err != nil {
		return nil, err
	}
	if e.state != stStr {
		return nil, r.errf(e.line, false, "the file ends in an entry without msgstr")
	}
	return e, nil
}

// checkStrings fails if the last keyword of e was given no string.
func (r *Reader) checkStrings(e *entry) error {
	if e.cur != nil && e.cur.strs == 0 {
		return r.errf(e.cur.line, false, "%s has no string; write %s \"\" for an empty one", e.cur.kw, e.cur.kw)
	}
	return nil
}

func copyText(b []byte) []byte { return append([]byte(nil), b...) }

// add adds line l (n bytes long) to entry e. It reports done when l starts
// the next entry instead.
func (r *Reader) add(e *entry, l *line, n int) (done bool, err error) {
	// After its msgstr, an entry ends at a line that starts an entry, or
	// at any line after a blank one: that line belongs to the next entry,
	// bad or not.
	if e.state == stStr && (startsEntry(l) || e.gap) {
		if err := r.checkStrings(e); err != nil {
			return false, err
		}
		return true, nil
	}
	e.size += n
	if e.size > r.limits.MaxUnitBytes {
		return false, r.errf(r.lineNo, false, "entry starting on line %d is larger than %d bytes: %w", e.line, r.limits.MaxUnitBytes, corpora.ErrTooLarge)
	}
	switch l.kind {
	case lineComment:
		return false, r.addComment(e, l)
	case lineString:
		return false, r.addString(e, l)
	}
	return false, r.addKeyword(e, l)
}

// addComment adds a comment line to an entry that has no msgid yet.
func (r *Reader) addComment(e *entry, l *line) error {
	if e.state != stStart && e.state != stPrev {
		return r.errf(r.lineNo, true, "comment inside the entry that starts on line %d, which has no msgstr yet; comments go before msgctxt and msgid", e.line)
	}
	t := rawText{b: copyText(l.text), line: r.lineNo}
	switch l.mark {
	case '.':
		e.extracted = append(e.extracted, t)
	case ':':
		e.refs = append(e.refs, t)
	case ',':
		e.flags = append(e.flags, t)
	default:
		e.comments = append(e.comments, t)
	}
	return nil
}

// addString adds a string line to the keyword before it.
func (r *Reader) addString(e *entry, l *line) error {
	if e.cur == nil || e.gap {
		return r.errf(r.lineNo, false, "string without a keyword before it (a blank line ends an entry)")
	}
	if l.previous != e.curPrev || l.obsolete != e.obsolete {
		return r.errf(r.lineNo, false, "string continues %s on line %d but its line does not start with the same %s", e.cur.kw, e.cur.line, prefixName(e.obsolete, e.curPrev))
	}
	e.cur.add(l.text, l.strs, r.lineNo)
	e.gap = false
	return nil
}

// addKeyword adds a keyword line.
func (r *Reader) addKeyword(e *entry, l *line) error {
	if l.kw == kwDomain {
		return r.errf(r.lineNo, true, "domain directive inside the entry that starts on line %d", e.line)
	}
	if err := r.checkStrings(e); err != nil {
		return err
	}
	if e.kwSeen && l.obsolete != e.obsolete {
		return r.errf(r.lineNo, startsEntry(l), "obsolete (#~) and active lines mixed in the entry that starts on line %d", e.line)
	}
	e.kwSeen = true
	e.obsolete = l.obsolete
	if l.previous {
		return r.addPrevious(e, l)
	}
	p, err := r.keywordString(e, l)
	if err != nil {
		return err
	}
	p.set, p.line = true, r.lineNo
	p.kw = l.kw.String()
	if l.kw == kwMsgstrN {
		p.kw = fmt.Sprintf("msgstr[%d]", l.n)
	}
	p.add(l.text, l.strs, r.lineNo)
	e.cur, e.curPrev, e.gap = p, false, false
	return nil
}

// keywordString returns the string of e that keyword line l starts, after
// checking that the keyword may come where it does, and moves e's state.
func (r *Reader) keywordString(e *entry, l *line) (*pstr, error) {
	var p *pstr
	switch l.kw {
	case kwMsgctxt:
		switch e.state {
		case stStart, stPrev:
			p, e.state = &e.ctxt, stCtxt
		case stCtxt:
			return nil, r.errf(r.lineNo, false, "duplicate msgctxt; the first is on line %d", e.ctxt.line)
		default:
			return nil, r.errf(r.lineNo, true, "msgctxt after msgid: the entry that starts on line %d has no msgstr", e.line)
		}
	case kwMsgid:
		switch e.state {
		case stStart, stPrev, stCtxt:
			p, e.state = &e.id, stID
		default:
			return nil, r.errf(r.lineNo, true, "duplicate msgid: the entry that starts on line %d has no msgstr", e.line)
		}
	case kwMsgidPlural:
		switch e.state {
		case stID:
			p, e.state = &e.plural, stPlural
		case stPlural:
			return nil, r.errf(r.lineNo, false, "duplicate msgid_plural; the first is on line %d", e.plural.line)
		case stStr:
			return nil, r.errf(r.lineNo, false, "msgid_plural after msgstr; it goes right after msgid")
		default:
			return nil, r.errf(r.lineNo, false, "msgid_plural without msgid")
		}
	case kwMsgstr:
		switch e.state {
		case stID:
			e.plainStr = true
			e.strs = append(e.strs, pstr{})
			p, e.state = &e.strs[0], stStr
		case stPlural:
			return nil, r.errf(r.lineNo, false, "msgstr after msgid_plural; a plural entry needs msgstr[0], msgstr[1], …")
		case stStr:
			if e.gap {
				return nil, r.errf(r.lineNo, false, "msgstr without msgid (the entry before it starts on line %d)", e.line)
			}
			return nil, r.errf(r.lineNo, false, "duplicate msgstr; the entry that starts on line %d already has one", e.line)
		default:
			return nil, r.errf(r.lineNo, false, "msgstr without msgid")
		}
	case kwMsgstrN:
		switch {
		case e.state == stPlural || e.state == stStr && !e.plainStr:
			if l.n != len(e.strs) {
				return nil, r.errf(r.lineNo, false, "msgstr[%d] out of order; expected msgstr[%d]", l.n, len(e.strs))
			}
			e.strs = append(e.strs, pstr{})
			p, e.state = &e.strs[len(e.strs)-1], stStr
		case e.state == stStr:
			return nil, r.errf(r.lineNo, false, "msgstr[%d] after msgstr; a singular entry has one msgstr", l.n)
		case e.state == stID:
			return nil, r.errf(r.lineNo, false, "msgstr[%d] without msgid_plural; use msgstr, or add msgid_plural", l.n)
		default:
			return nil, r.errf(r.lineNo, false, "msgstr[%d] without msgid", l.n)
		}
	}
	return p, nil
}

// addPrevious adds a "#| msgctxt/msgid/msgid_plural" line.
func (r *Reader) addPrevious(e *entry, l *line) error {
	var p *pstr
	switch l.kw {
	case kwMsgctxt:
		p = &e.prevCtxt
	case kwMsgid:
		p = &e.prevID
	case kwMsgidPlural:
		p = &e.prevPlural
	default:
		return r.errf(r.lineNo, false, "#| %s: only msgctxt, msgid and msgid_plural have previous values", l.kw)
	}
	if e.state != stStart && e.state != stPrev {
		return r.errf(r.lineNo, false, "#| %s after the entry's msgid; previous values go before msgctxt and msgid", l.kw)
	}
	if p.set {
		return r.errf(r.lineNo, false, "duplicate #| %s; the first is on line %d", l.kw, p.line)
	}
	e.state = stPrev
	p.set, p.line, p.kw = true, r.lineNo, "#| "+l.kw.String()
	p.add(l.text, l.strs, r.lineNo)
	e.cur, e.curPrev, e.gap = p, true, false
	return nil
}

func prefixName(obsolete, previous bool) string {
	switch {
	case obsolete && previous:
		return "#~| prefix"
	case obsolete:
		return "#~ prefix"
	case previous:
		return "#| prefix"
	}
	return "lack of prefix"
}

// decode converts p from the catalog's charset, locating an invalid byte
// on its line.
func (r *Reader) decode(p *pstr) (string, error) {
	s, err := r.cs.decode(p.b)
	if err == nil {
		return s, nil
	}
	line := p.line
	for i, c := range p.chunks {
		end := len(p.b)
		if i+1 < len(p.chunks) {
			end = p.chunks[i+1].off
		}
		if _, cerr := r.cs.decode(p.b[c.off:end]); cerr != nil {
			line = c.line
			break
		}
	}
	return "", r.perr(line, 0, fmt.Errorf("%s: %w", p.kw, err))
}

// decodeText converts comment lines.
func (r *Reader) decodeText(ts []rawText) ([]string, error) {
	if len(ts) == 0 {
		return nil, nil
	}
	out := make([]string, len(ts))
	for i, t := range ts {
		s, err := r.cs.decode(t.b)
		if err != nil {
			return nil, r.perr(t.line, 0, fmt.Errorf("comment: %w", err))
		}
		out[i] = s
	}
	return out, nil
}

// build turns an entry into a unit. It returns nil for the header and
// for obsolete entries that are left out.
func (r *Reader) build(e *entry) (*corpora.Unit, error) {
	if !e.obsolete && !e.ctxt.set && len(e.id.b) == 0 {
		return nil, r.readHeader(e)
	}
	if e.obsolete && (!r.opts.IncludeObsolete || !e.ctxt.set && len(e.id.b) == 0) {
		return nil, nil
	}
	if !r.catReady {
		cat, err := newCatalog(nil, r.opts.ReadOptions, "")
		if err != nil {
			return nil, &fatalError{r.perr(e.line, 0, err)}
		}
		r.cat, r.catReady = cat, true
	}
	u := r.cat.unit()
	if r.domain != "" {
		u.Domain = r.domain
	}
	g := &corpora.Gettext{Obsolete: e.obsolete}
	u.Gettext = g

	var err error
	str := func(p *pstr) string {
		if err != nil || !p.set {
			return ""
		}
		var s string
		s, err = r.decode(p)
		return s
	}
	id := str(&e.id)
	ctxt := str(&e.ctxt)
	target := str(&e.strs[0])
	g.SourcePlural = corpora.Text(str(&e.plural))
	for i := 1; i < len(e.strs); i++ {
		g.TargetPlurals = append(g.TargetPlurals, corpora.Text(str(&e.strs[i])))
	}
	g.PrevContext = str(&e.prevCtxt)
	g.PrevSource = str(&e.prevID)
	g.PrevPlural = str(&e.prevPlural)
	if err != nil {
		return nil, err
	}
	u.Source, u.Target = corpora.Text(id), corpora.Text(target)
	u.ID, u.Context = unitID(ctxt, e.ctxt.set, id), ctxt

	comments, err := r.decodeText(e.comments)
	if err != nil {
		return nil, err
	}
	if len(comments) > 0 {
		u.Notes = []string{strings.Join(comments, "\n")}
	}
	if g.Extracted, err = r.decodeText(e.extracted); err != nil {
		return nil, err
	}
	refs, err := r.decodeText(e.refs)
	if err != nil {
		return nil, err
	}
	for _, s := range refs {
		g.References = append(g.References, strings.Fields(s)...)
	}
	flags, err := r.decodeText(e.flags)
	if err != nil {
		return nil, err
	}
	var fuzzy bool
	g.Flags = parseFlags(flags, &fuzzy)
	u.Status = status(fuzzy, target)
	return u, nil
}

// parseFlags splits "#," lines into flags, as gettext does: separated by
// commas and white space, "range: 1..10" being one flag. fuzzy is taken
// out.
func parseFlags(lines []string, fuzzy *bool) []string {
	var out []string
	for _, s := range lines {
		fs := strings.FieldsFunc(s, func(r rune) bool {
			return r == ',' || r == ' ' || r == '\t' || r == '\r' || r == '\f' || r == '\v'
		})
		for i := 0; i < len(fs); i++ {
			f := fs[i]
			switch {
			case f == "fuzzy":
				*fuzzy = true
				continue
			case f == "range:" && i+1 < len(fs):
				f = "range: " + fs[i+1]
				i++
			}
			out = append(out, f)
		}
	}
	return out
}

// readHeader takes the header entry: its charset applies to the rest of
// the file, its Language and other fields to every unit.
func (r *Reader) readHeader(e *entry) error {
	if r.header != nil {
		return r.errf(e.line, false, "second header entry (msgid \"\"); the first starts on line %d", r.headerLine)
	}
	if e.plural.set {
		return r.errf(e.plural.line, false, "the header entry (msgid \"\") cannot have msgid_plural")
	}
	msgstr := &e.strs[0]
	if !r.transcoded {
		raw := string(msgstr.b)
		label := charsetOf(raw)
		for _, f := range parseHeader(raw) {
			if strings.EqualFold(f.Name, "Content-Type") {
				label = charsetOf(f.Value)
				break
			}
		}
		cs, err := lookupCharset(label)
		if err != nil {
			return &fatalError{r.perr(msgstr.line, 0, err)}
		}
		r.cs = cs
	}
	text, err := r.decode(msgstr)
	if err != nil {
		return err
	}
	h := newHeader(text)
	if h.Comments, err = r.decodeText(e.comments); err != nil {
		return err
	}
	flags, err := r.decodeText(e.flags)
	if err != nil {
		return err
	}
	h.Flags = parseFlags(flags, &h.Fuzzy)
	cat, err := newCatalog(h, r.opts.ReadOptions, "")
	if err != nil {
		return &fatalError{r.perr(e.line, 0, err)}
	}
	r.header, r.headerLine = h, e.line
	r.cat, r.catReady = cat, true
	return nil
}
