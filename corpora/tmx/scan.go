package tmx

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kgmem/kgmem/corpora"
)

// scanner is a streaming XML tokenizer for UTF-8 input, several times
// faster than encoding/xml on TMX because it allocates nothing per token:
// names are interned, and text and attribute values are slices of its
// buffers. It checks what encoding/xml checks in strict mode (matching end
// tags, entity and character references, UTF-8 and the XML character
// range, quoting) and reports errors the way xmlread does. It does not
// expand entities a DTD declares: like encoding/xml, it rejects them, which
// also makes entity bombs harmless.
//
// It keeps only a window of the input in memory; a single tag may be at
// most maxTok bytes.
type scanner struct {
	r        io.Reader
	name     string
	buf      []byte
	pos, end int   // unread input is buf[pos:end]
	rerr     error // sticky read error, io.EOF at the end of the input
	lineNo   int   // line of buf[pos]
	maxTok   int
	maxDepth int
	chunk    int // the most text handed out in one token
	stack    []string
	tok      token
	abuf     []byte // decoded attribute values
	aoff     []int  // where each attribute value ends in abuf
	tbuf     []byte // decoded text
	closeDue bool   // the last start tag was <x/>: its end token is due
	inCDATA  bool   // in the middle of a long CDATA section
	markup   bool
}

const (
	scanBufSize = 64 << 10
	// textChunk is the most text handed out in one token: longer runs come
	// in chunks so that the window stays small.
	textChunk = 32 << 10
)

func newScanner(r io.Reader, name string, limits corpora.Limits) *scanner {
	maxTok := limits.MaxUnitBytes
	if maxTok < scanBufSize {
		maxTok = scanBufSize
	}
	return &scanner{
		r:        r,
		name:     name,
		buf:      make([]byte, scanBufSize),
		lineNo:   1,
		maxTok:   maxTok,
		maxDepth: limits.MaxDepth,
		chunk:    textChunk,
	}
}

func (s *scanner) line() int       { return s.lineNo }
func (s *scanner) sawMarkup() bool { return s.markup }

// errorf returns a *corpora.ParseError at the given line.
func (s *scanner) errorf(line int, format string, args ...any) error {
	return &corpora.ParseError{File: s.name, Line: line, Offset: -1, Err: fmt.Errorf(format, args...)}
}

const errTruncated = "unexpected end of file; the file is truncated"

// fill reads more input into the window, moving the unread part to the
// front and growing the buffer (up to maxTok plus a window) when it is full.
// It returns false when no more input came: at the end, or on a read error
// (kept in s.rerr).
func (s *scanner) fill() bool {
	if s.rerr != nil {
		return false
	}
	if s.pos > 0 {
		n := copy(s.buf, s.buf[s.pos:s.end])
		s.pos, s.end = 0, n
	}
	if s.end == len(s.buf) {
		if len(s.buf) >= s.maxTok+scanBufSize {
			return false
		}
		nb := make([]byte, min(2*len(s.buf), s.maxTok+scanBufSize))
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	for tries := 0; tries < 100; tries++ {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err != nil {
			s.rerr = err
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
	s.rerr = io.ErrNoProgress
	return false
}

// fail turns the reason more input did not come into an error at line.
func (s *scanner) fail(line int, what string) error {
	switch {
	case s.rerr == nil: // the window is as large as it may grow
		return s.errorf(line, "%s is longer than %d bytes: %w", what, s.maxTok, corpora.ErrTooLarge)
	case s.rerr == io.EOF:
		return s.errorf(line, "%s", errTruncated)
	}
	return s.errorf(line, "read: %w", s.rerr)
}

func (s *scanner) next() (*token, error) {
	s.tok.bad = 0
	if s.closeDue {
		s.closeDue = false
		s.tok.kind = tokEnd
		s.tok.name = localOf(s.stack[len(s.stack)-1])
		s.stack = s.stack[:len(s.stack)-1]
		return &s.tok, nil
	}
	if s.inCDATA {
		return s.cdata()
	}
	for {
		if s.pos >= s.end && !s.fill() {
			if s.rerr != io.EOF {
				return nil, s.fail(s.lineNo, "input")
			}
			if len(s.stack) > 0 {
				return nil, s.errorf(s.lineNo, "%s", errTruncated)
			}
			s.tok = token{kind: tokEOF, line: s.lineNo, attrs: s.tok.attrs[:0]}
			return &s.tok, nil
		}
		if s.buf[s.pos] != '<' {
			return s.text()
		}
		if s.end-s.pos < 2 && !s.fill() {
			return nil, s.fail(s.lineNo, "a tag")
		}
		start := !s.markup
		s.markup = true
		switch s.buf[s.pos+1] {
		case '/':
			return s.endTag()
		case '?':
			if !s.ensure(3) {
				return nil, s.fail(s.lineNo, "a processing instruction")
			}
			if c := s.buf[s.pos+2]; c < utf8.RuneSelf && (!isNameByte(c) || c >= '0' && c <= '9' || c == '.' || c == '-') {
				return nil, s.errorf(s.lineNo, "expected target name after <?")
			}
			if err := s.pi(start); err != nil {
				return nil, err
			}
		case '!':
			tok, err := s.bang()
			if tok != nil || err != nil {
				return tok, err
			}
		default:
			return s.startTag()
		}
	}
}

// text hands out the character data at s.pos, up to the next '<' or a
// chunk's worth.
func (s *scanner) text() (*token, error) {
	for {
		win := s.buf[s.pos:s.end]
		if i := bytes.IndexByte(win, '<'); i >= 0 {
			return s.emitText(win[:i], false)
		}
		if len(win) >= s.chunk {
			if n := safeCut(win, false); n > 0 {
				return s.emitText(win[:n], false)
			}
			// One long reference fills the window: read on.
		}
		if !s.fill() {
			if s.rerr != io.EOF {
				return nil, s.fail(s.lineNo, "text")
			}
			return s.emitText(s.buf[s.pos:s.end], false)
		}
	}
}

// safeCut returns where to end a text chunk of b so that no entity
// reference (outside CDATA), UTF-8 sequence, "\r\n" or "]]>" is split
// across chunks; 0 when b is too short to cut.
func safeCut(b []byte, cdata bool) int {
	n := len(b)
	if i := bytes.LastIndexByte(b, '&'); !cdata && i >= 0 && bytes.IndexByte(b[i:], ';') < 0 {
		n = i
	}
	for k := n - 1; k >= 0 && k >= n-utf8.UTFMax; k-- {
		if utf8.RuneStart(b[k]) {
			if !utf8.FullRune(b[k:n]) {
				n = k
			}
			break
		}
	}
	for k := 0; k < 2 && n > 0 && (b[n-1] == '\r' || b[n-1] == ']'); k++ {
		n--
	}
	return n
}

// emitText decodes raw (a slice of the window starting at s.pos) into a
// text token and consumes it. cdata text has no references to decode.
func (s *scanner) emitText(raw []byte, cdata bool) (*token, error) {
	line := s.lineNo
	if !cdata && !s.markup && !isSpace(raw) {
		s.markup = true
	}
	newlines, special, err := s.scanRaw(raw, line, cdata)
	if err != nil {
		return nil, err
	}
	out := raw
	switch {
	case !special:
	case cdata:
		s.tbuf = appendNewlines(s.tbuf[:0], raw)
		out = s.tbuf
	default:
		if s.tbuf, err = s.decode(s.tbuf[:0], raw, line); err != nil {
			return nil, err
		}
		out = s.tbuf
	}
	s.lineNo += newlines
	s.pos += len(raw)
	s.tok.kind = tokText
	s.tok.text = out
	s.tok.line = line
	return &s.tok, nil
}

// Masks for looking at eight bytes at once.
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// hasZero reports (as non-zero) whether a byte of v is zero.
func hasZero(v uint64) uint64 { return (v - ones) &^ v & highs }

// scanRaw checks raw text in one pass: it counts newlines, reports whether
// there are references or carriage returns to decode (special), and
// rejects invalid UTF-8, characters XML does not allow and, outside CDATA,
// "]]>".
func (s *scanner) scanRaw(b []byte, line int, cdata bool) (newlines int, special bool, err error) {
	for i := 0; i < len(b); {
		// Skip eight bytes at a time while they are printable ASCII other
		// than '&' and ']': a byte below 0x20 borrows into its high bit
		// when 0x20 is taken away, a byte from 0x80 has it already.
		if i+8 <= len(b) {
			x := binary.LittleEndian.Uint64(b[i:])
			if ((x-0x20*ones)|x)&highs == 0 && hasZero(x^('&'*ones)) == 0 && hasZero(x^(']'*ones)) == 0 {
				i += 8
				continue
			}
		}
		c := b[i]
		switch {
		case c == '\n':
			newlines++
		case c == '\r':
			special = true
		case c == '&':
			special = special || !cdata
		case c == ']':
			if !cdata && i+2 < len(b) && b[i+1] == ']' && b[i+2] == '>' {
				return 0, false, s.errorf(line+newlines, "unescaped ]]> not in CDATA section")
			}
		case c < 0x20 && c != '\t':
			return 0, false, s.errorf(line+newlines, "illegal character code %U", rune(c))
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && n == 1 && s.tok.bad == 0 {
				s.tok.bad = line + newlines
			}
			if r == 0xFFFE || r == 0xFFFF {
				return 0, false, s.errorf(line+newlines, "illegal character code %U", r)
			}
			i += n
			continue
		}
		i++
	}
	return newlines, special, nil
}

var nl = []byte{'\n'}

// appendNewlines appends b with "\r\n" and lone "\r" turned into "\n", as
// XML requires.
func appendNewlines(dst, b []byte) []byte {
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\r')
		if i < 0 {
			return append(dst, b...)
		}
		dst = append(dst, b[:i]...)
		dst = append(dst, '\n')
		b = b[i+1:]
		if len(b) > 0 && b[0] == '\n' {
			b = b[1:]
		}
	}
	return dst
}

// decode appends raw with entity and character references replaced and
// line ends normalised.
func (s *scanner) decode(dst, raw []byte, line int) ([]byte, error) {
	for len(raw) > 0 {
		i := bytes.IndexByte(raw, '&')
		if i < 0 {
			return appendNewlines(dst, raw), nil
		}
		dst = appendNewlines(dst, raw[:i])
		line += bytes.Count(raw[:i], nl)
		raw = raw[i:]
		// The reference: a name, or # and digits, then ';'.
		j := 1
		if j < len(raw) && raw[j] == '#' {
			j++
			if j < len(raw) && raw[j] == 'x' {
				j++
			}
			for j < len(raw) && isHexDigit(raw[j]) {
				j++
			}
		} else {
			for j < len(raw) && (isNameByte(raw[j]) || raw[j] >= utf8.RuneSelf) {
				j++
			}
		}
		ref := raw[1:j]
		if j >= len(raw) || raw[j] != ';' {
			return nil, s.errorf(line, "invalid character entity &%s (no semicolon)", ref)
		}
		semi := j
		switch string(ref) {
		case "lt":
			dst = append(dst, '<')
		case "gt":
			dst = append(dst, '>')
		case "amp":
			dst = append(dst, '&')
		case "apos":
			dst = append(dst, '\'')
		case "quot":
			dst = append(dst, '"')
		default:
			r, ok := charRef(ref)
			if !ok {
				return nil, s.errorf(line, "invalid character entity &%s;", ref)
			}
			if !isXMLChar(r) {
				return nil, s.errorf(line, "illegal character code %U", r)
			}
			dst = utf8.AppendRune(dst, r)
		}
		raw = raw[semi+1:]
	}
	return dst, nil
}

// charRef decodes the body of a character reference: "#233" or "#xE9".
func charRef(ref []byte) (rune, bool) {
	if len(ref) < 2 || ref[0] != '#' {
		return 0, false
	}
	base := 10
	digits := ref[1:]
	if digits[0] == 'x' {
		base, digits = 16, digits[1:]
	}
	if len(digits) == 0 {
		return 0, false
	}
	n, err := strconv.ParseUint(string(digits), base, 64)
	if err != nil || n > unicode.MaxRune {
		return 0, false
	}
	return rune(n), true
}

// checkChars reports characters XML does not allow, and records the line
// of a byte that is not UTF-8 in the token (see token.bad).
func (s *scanner) checkChars(b []byte, line int) error {
	for i := 0; i < len(b); {
		// Skip eight printable ASCII bytes at a time: a byte below 0x20
		// borrows into its high bit when 0x20 is taken away, a byte from
		// 0x80 has it already.
		if i+8 <= len(b) {
			x := binary.LittleEndian.Uint64(b[i:])
			if ((x-0x2020202020202020)|x)&0x8080808080808080 == 0 {
				i += 8
				continue
			}
		}
		c := b[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return s.errorf(line+bytes.Count(b[:i], nl), "illegal character code %U", rune(c))
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			if s.tok.bad == 0 {
				s.tok.bad = line + bytes.Count(b[:i], nl)
			}
			i++
			continue
		}
		if r == 0xFFFE || r == 0xFFFF {
			return s.errorf(line+bytes.Count(b[:i], nl), "illegal character code %U", r)
		}
		i += n
	}
	return nil
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// isXMLChar reports whether XML 1.0 allows r.
func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

func isNameByte(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '_' || c == ':' || c == '.' || c == '-'
}

// isName reports whether b is an XML name (approximately: non-ASCII
// letters and digits are allowed anywhere a letter is).
func isName(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if !isNameByte(c) || i == 0 && ('0' <= c && c <= '9' || c == '.' || c == '-') {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 || !(unicode.IsLetter(r) || i > 0 && (unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r)) || r == 0xB7 && i > 0) {
			return false
		}
		i += n
	}
	return true
}

// ensure makes sure at least n bytes of input are in the window.
func (s *scanner) ensure(n int) bool {
	for s.end-s.pos < n {
		if !s.fill() {
			return false
		}
	}
	return true
}

// skipUntil consumes input up to and including term (a PI's "?>", a
// comment's "-->") without keeping it.
func (s *scanner) skipUntil(term, what string) error {
	line := s.lineNo
	from := 2
	for {
		win := s.buf[s.pos:s.end]
		if from < len(win) {
			if i := bytes.Index(win[from:], []byte(term)); i >= 0 {
				n := from + i + len(term)
				s.lineNo += bytes.Count(win[:n], nl)
				s.pos += n
				return nil
			}
		}
		// Keep the last bytes, which may start the terminator.
		if keep := len(term) - 1; len(win) > keep+2 {
			n := len(win) - keep
			s.lineNo += bytes.Count(win[:n], nl)
			s.pos += n
			from = 0
		}
		if !s.fill() {
			if s.rerr == io.EOF || s.rerr == nil {
				return s.errorf(line, "%s", errTruncated)
			}
			return s.errorf(s.lineNo, "read: %w", s.rerr)
		}
	}
}

// pi skips a processing instruction. The XML declaration may only open
// the file (after white space at most, as encoding/xml allows), and
// declares version 1.0.
func (s *scanner) pi(start bool) error {
	line := s.lineNo
	s.ensure(6)
	if len(s.buf[s.pos:s.end]) >= 6 && bytes.EqualFold(s.buf[s.pos+2:s.pos+5], []byte("xml")) && isSpaceOrEnd(s.buf[s.pos+5]) {
		if !start {
			return s.errorf(line, "an XML declaration <?xml …?> after the start of the file")
		}
		s.ensure(256) // a declaration is short; at the end of input, less will do
		win := s.buf[s.pos:s.end]
		if end := bytes.Index(win, []byte("?>")); end >= 0 {
			if v, ok := pseudoAttr(string(win[5:end]), "version"); ok && v != "1.0" {
				return s.errorf(line, "unsupported version %q; only version 1.0 is supported", v)
			}
		}
	}
	return s.skipUntil("?>", "a processing instruction")
}

func isSpaceOrEnd(c byte) bool { return isSpaceByte(c) || c == '?' }

// bang handles markup that starts with "<!": a comment, a CDATA section
// (returned as a text token) or a directive such as <!DOCTYPE>.
func (s *scanner) bang() (*token, error) {
	line := s.lineNo
	if !s.ensure(3) {
		return nil, s.fail(line, "a tag")
	}
	switch s.buf[s.pos+2] {
	case '-':
		if !s.ensure(4) {
			return nil, s.fail(line, "a comment")
		}
		if s.buf[s.pos+3] != '-' {
			return nil, s.errorf(line, "invalid sequence <!- not part of <!--")
		}
		s.pos += 4
		err := s.skipComment(line)
		return nil, err
	case '[':
		if !s.ensure(9) {
			return nil, s.fail(line, "a CDATA section")
		}
		if string(s.buf[s.pos:s.pos+9]) != "<![CDATA[" {
			return nil, s.errorf(line, "invalid <![ sequence")
		}
		s.pos += 9
		s.inCDATA = true
		return s.cdata()
	}
	if c := s.buf[s.pos+2]; !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z') {
		return nil, s.errorf(line, "invalid sequence <!%c; expected <!--, <![CDATA[ or a declaration such as <!DOCTYPE", c)
	}
	return nil, s.directive()
}

// skipComment consumes a comment body after "<!--"; "--" may only appear
// in its terminator.
func (s *scanner) skipComment(line int) error {
	for {
		win := s.buf[s.pos:s.end]
		i := bytes.Index(win, []byte("--"))
		if i >= 0 && i+2 < len(win) {
			s.lineNo += bytes.Count(win[:i+2], nl)
			s.pos += i + 2
			if win[i+2] != '>' {
				return s.errorf(s.lineNo, `invalid sequence "--" not allowed in comments`)
			}
			s.pos++
			return nil
		}
		if i < 0 && len(win) > 1 {
			n := len(win) - 1
			s.lineNo += bytes.Count(win[:n], nl)
			s.pos += n
		}
		if !s.fill() {
			if s.rerr == io.EOF || s.rerr == nil {
				return s.errorf(line, "%s", errTruncated)
			}
			return s.errorf(s.lineNo, "read: %w", s.rerr)
		}
	}
}

// cdata hands out the body of a CDATA section as text, in chunks if it is
// long; s.inCDATA says that the rest of a section is still to come.
func (s *scanner) cdata() (*token, error) {
	line := s.lineNo
	for {
		win := s.buf[s.pos:s.end]
		if i := bytes.Index(win, []byte("]]>")); i >= 0 {
			tok, err := s.emitText(win[:i], true)
			if err == nil {
				s.pos += 3
				s.inCDATA = false
			}
			return tok, err
		}
		if len(win) >= s.chunk {
			if n := safeCut(win, true); n > 0 {
				return s.emitText(win[:n], true)
			}
		}
		if !s.fill() {
			return nil, s.fail(line, "a CDATA section")
		}
	}
}

// directive skips <!DOCTYPE …> and other declarations, with their quoted
// strings, nested declarations and comments.
func (s *scanner) directive() error {
	line := s.lineNo
	s.pos += 2
	var quote byte
	depth := 0
	for {
		if s.pos >= s.end && !s.fill() {
			return s.fail(line, "a declaration")
		}
		c := s.buf[s.pos]
		s.pos++
		if c == '\n' {
			s.lineNo++
		}
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '>':
			if depth == 0 {
				return nil
			}
			depth--
		case c == '<':
			if !s.ensure(3) {
				return s.fail(line, "a declaration")
			}
			if string(s.buf[s.pos:s.pos+3]) == "!--" {
				s.pos += 3
				if err := s.skipUntil("-->", "a comment"); err != nil {
					return err
				}
				continue
			}
			depth++
		}
	}
}

// tagEnd returns the length of the tag at s.pos up to and including its
// '>', and the newlines in it, reading more input as needed; '>' inside
// quotes does not count.
func (s *scanner) tagEnd() (n, newlines int, err error) {
	line := s.lineNo
	var quote byte
	i := 1
	for {
		win := s.buf[s.pos:s.end]
		for ; i < len(win); i++ {
			c := win[i]
			if c == '\n' {
				newlines++
			}
			if quote != 0 {
				if c == quote {
					quote = 0
				} else if c == '<' {
					return 0, 0, s.errorf(line+newlines, "unescaped < inside quoted string")
				}
				continue
			}
			switch c {
			case '"', '\'':
				quote = c
			case '>':
				return i + 1, newlines, nil
			}
		}
		if !s.fill() {
			return 0, 0, s.fail(line, "a tag")
		}
	}
}

func (s *scanner) endTag() (*token, error) {
	line := s.lineNo
	n, lines, err := s.tagEnd()
	if err != nil {
		return nil, err
	}
	tag := s.buf[s.pos : s.pos+n]
	j := 2
	for j < n-1 && (isNameByte(tag[j]) || tag[j] >= utf8.RuneSelf) {
		j++
	}
	qname := tag[2:j]
	if !isName(qname) {
		return nil, s.errorf(line, "expected element name after </")
	}
	local := localName(qname)
	if !isSpace(tag[j : n-1]) {
		return nil, s.errorf(line, "invalid characters between </%s and >", local)
	}
	if len(s.stack) == 0 {
		return nil, s.errorf(line+lines, "unexpected end element </%s>", local)
	}
	top := s.stack[len(s.stack)-1]
	if top != string(qname) {
		return nil, s.errorf(line+lines, "element <%s> closed by </%s>", top, qname)
	}
	s.stack = s.stack[:len(s.stack)-1]
	s.lineNo += lines
	s.pos += n
	s.tok.kind = tokEnd
	s.tok.name = localOf(top)
	s.tok.line = line
	return &s.tok, nil
}

// localOf strips a namespace prefix.
func localOf(qname string) string {
	if i := strings.IndexByte(qname, ':'); i > 0 && i < len(qname)-1 {
		return qname[i+1:]
	}
	return qname
}

// localName strips a namespace prefix.
func localName(qname []byte) []byte {
	if i := bytes.IndexByte(qname, ':'); i > 0 && i < len(qname)-1 {
		return qname[i+1:]
	}
	return qname
}

func (s *scanner) startTag() (*token, error) {
	line := s.lineNo
	n, lines, err := s.tagEnd()
	if err != nil {
		return nil, err
	}
	tag := s.buf[s.pos : s.pos+n]
	at := func(i int) int { return line + bytes.Count(tag[:i], nl) }
	j := 1
	for j < n-1 && (isNameByte(tag[j]) || tag[j] >= utf8.RuneSelf) {
		j++
	}
	qname := tag[1:j]
	if !isName(qname) || bytes.Count(qname, []byte{':'}) > 1 {
		return nil, s.errorf(line, "expected element name after <")
	}
	name := internBytes(localName(qname))
	qn := name // what the end tag must match, prefix and all
	if len(qname) != len(name) {
		qn = string(qname)
	}
	s.abuf = s.abuf[:0]
	s.aoff = s.aoff[:0]
	attrs := s.tok.attrs[:0]
	empty := false
	for {
		for j < n && isSpaceByte(tag[j]) {
			j++
		}
		c := tag[j]
		if c == '>' {
			break
		}
		if c == '/' {
			if tag[j+1] != '>' {
				return nil, s.errorf(at(j), "expected /> in element")
			}
			empty = true
			break
		}
		aname, next, err := s.attribute(tag, j, at)
		if err != nil {
			return nil, err
		}
		attrs = append(attrs, attr{name: internBytes(aname)})
		// Like encoding/xml, accept attributes run together (a="1"b="2").
		j = next
	}
	if err := s.checkChars(s.abuf, line); err != nil {
		return nil, err
	}
	prev := 0
	for i := range attrs {
		attrs[i].value = s.abuf[prev:s.aoff[i]:s.aoff[i]]
		prev = s.aoff[i]
	}
	if len(s.stack) >= s.maxDepth {
		return nil, s.errorf(line, "elements nested more than %d deep: %w", s.maxDepth, corpora.ErrTooLarge)
	}
	s.stack = append(s.stack, qn)
	s.closeDue = empty
	s.lineNo += lines
	s.pos += n
	s.tok.kind = tokStart
	s.tok.name = name
	s.tok.attrs = attrs
	s.tok.line = line
	return &s.tok, nil
}

// attribute reads the attribute at tag[j:] (a whole start tag, which
// tagEnd checked for closing quotes): it appends the decoded value to
// abuf and its end to aoff, and returns the name and where the attribute
// ends. at gives the line of a byte of tag.
func (s *scanner) attribute(tag []byte, j int, at func(int) int) (name []byte, next int, err error) {
	n := len(tag)
	k := j
	for k < n-1 && (isNameByte(tag[k]) || tag[k] >= utf8.RuneSelf) {
		k++
	}
	aname := tag[j:k]
	if !isName(aname) || bytes.Count(aname, []byte{':'}) > 1 {
		return nil, 0, s.errorf(at(j), "expected attribute name in element")
	}
	for k < n && isSpaceByte(tag[k]) {
		k++
	}
	if tag[k] != '=' {
		return nil, 0, s.errorf(at(k), "attribute name without = in element")
	}
	k++
	for k < n && isSpaceByte(tag[k]) {
		k++
	}
	q := tag[k]
	if q != '"' && q != '\'' {
		return nil, 0, s.errorf(at(k), "unquoted or missing attribute value in element")
	}
	end := k + 1 + bytes.IndexByte(tag[k+1:], q) // tagEnd saw the closing quote
	raw := tag[k+1 : end]
	if bytes.IndexByte(raw, '&') < 0 && bytes.IndexByte(raw, '\r') < 0 {
		s.abuf = append(s.abuf, raw...)
	} else if s.abuf, err = s.decode(s.abuf, raw, at(k)); err != nil {
		return nil, 0, err
	}
	s.aoff = append(s.aoff, len(s.abuf))
	return aname, end + 1, nil
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
