package po

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// lineKind is what a PO line holds.
type lineKind uint8

const (
	lineBlank   lineKind = iota
	lineComment          // "# …", "#. …", "#: …", "#, …"
	lineKeyword          // msgctxt, msgid, msgid_plural, msgstr, msgstr[n], domain
	lineString           // a continuation string: "…"
)

// keyword is a PO keyword.
type keyword uint8

const (
	kwNone keyword = iota
	kwMsgctxt
	kwMsgid
	kwMsgidPlural
	kwMsgstr
	kwMsgstrN // msgstr[n]
	kwDomain
)

func (k keyword) String() string {
	return [...]string{"", "msgctxt", "msgid", "msgid_plural", "msgstr", "msgstr[]", "domain"}[k]
}

// line is one lexed PO line.
type line struct {
	kind lineKind
	// obsolete is set for lines after "#~", previous for "#|" (or "#~|").
	obsolete, previous bool
	// mark is the character after "#" of a comment: ' ' for a translator
	// comment, '.', ':' or ','.
	mark byte
	// text is a comment's text, or the unescaped strings of a keyword or
	// string line, concatenated.
	text []byte
	kw   keyword
	n    int // the n of msgstr[n]
	strs int // how many quoted strings the line has
}

// lexError is a syntax error at a column (1-based, in characters) of the
// line being lexed.
type lexError struct {
	col int
	msg string
}

func (e *lexError) Error() string { return e.msg }

// lexer splits PO lines into tokens. Its buffer is reused from line to line.
type lexer struct {
	cs  *charset
	buf []byte
	err *lexError // the last error
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' }

func trimSpace(b []byte) []byte {
	i := 0
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return b[i:]
}

// lex splits raw (one line without its newline) into *l. The text of
// the result aliases the lexer's buffer or raw: copy it before the next
// call. On error, lx.err says what is wrong.
func (lx *lexer) lex(raw []byte, l *line) error {
	var err error
	*l, err = lx.lexLine(raw)
	if err != nil {
		lx.err = err.(*lexError)
	}
	return err
}

func (lx *lexer) lexLine(raw []byte) (line, error) {
	if i := bytes.IndexByte(raw, 0); i >= 0 {
		return line{}, lx.errAt(raw, i, "NUL byte: this is not a text file")
	}
	// A CR of a CRLF file is whitespace at the end of the line.
	if n := len(raw); n > 0 && raw[n-1] == '\r' {
		raw = raw[:n-1]
	}
	s := trimSpace(raw)
	if len(s) == 0 {
		return line{kind: lineBlank}, nil
	}
	if s[0] != '#' {
		return lx.lexTokens(raw, s, line{})
	}
	var l line
	rest := s[1:]
	if len(rest) > 0 && rest[0] == '~' {
		l.obsolete = true
		rest = rest[1:]
		if len(rest) > 0 && rest[0] == '|' {
			l.previous = true
			rest = rest[1:]
		}
		rest = trimSpace(rest)
		if len(rest) == 0 {
			return line{kind: lineBlank}, nil
		}
		if rest[0] == '#' {
			return line{}, lx.errAt(raw, len(raw)-len(rest), "a comment after #~; write comments of obsolete entries as ordinary comments before them")
		}
		return lx.lexTokens(raw, rest, l)
	}
	if len(rest) > 0 && rest[0] == '|' {
		l.previous = true
		rest = trimSpace(rest[1:])
		if len(rest) == 0 {
			return line{}, lx.errAt(raw, len(raw), "#| needs msgctxt, msgid or msgid_plural and a string")
		}
		return lx.lexTokens(raw, rest, l)
	}
	l.kind = lineComment
	l.mark = ' '
	if len(rest) > 0 {
		switch rest[0] {
		case '.', ':', ',':
			l.mark = rest[0]
			rest = rest[1:]
		case '!': // the flags mark of old gettext versions
			l.mark = ','
			rest = rest[1:]
		}
	}
	if (l.mark == ' ' || l.mark == '.') && len(rest) > 0 && rest[0] == ' ' {
		// gettext drops the space people put after the mark.
		rest = rest[1:]
	}
	l.text = rest
	return l, nil
}

// lexTokens lexes s, the part of raw after any "#~" or "#|": a keyword
// with its strings, or strings alone.
func (lx *lexer) lexTokens(raw, s []byte, l line) (line, error) {
	lx.buf = lx.buf[:0]
	if s[0] == '"' {
		l.kind = lineString
	} else {
		i := 0
		for i < len(s) && (s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z' || s[i] == '_') {
			i++
		}
		word := string(s[:i])
		if i == 0 {
			r, _ := utf8.DecodeRune(s)
			return line{}, lx.errAt(raw, len(raw)-len(s), fmt.Sprintf("unexpected %q; a line holds a keyword, a string or a comment", r))
		}
		switch word {
		case "msgctxt":
			l.kw = kwMsgctxt
		case "msgid":
			l.kw = kwMsgid
		case "msgid_plural":
			l.kw = kwMsgidPlural
		case "msgstr":
			l.kw = kwMsgstr
		case "domain":
			l.kw = kwDomain
		default:
			return line{}, lx.errAt(raw, len(raw)-len(s), fmt.Sprintf("unknown keyword %q", clip(word)))
		}
		s = s[i:]
		if l.kw == kwMsgstr && len(s) > 0 && s[0] == '[' {
			j := 1
			n := 0
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				if n > 1<<20 {
					return line{}, lx.errAt(raw, len(raw)-len(s), "msgstr index is too large")
				}
				n = n*10 + int(s[j]-'0')
				j++
			}
			if j == 1 || j >= len(s) || s[j] != ']' {
				return line{}, lx.errAt(raw, len(raw)-len(s), "malformed msgstr[n]; write msgstr[0], msgstr[1], …")
			}
			l.kw, l.n = kwMsgstrN, n
			s = s[j+1:]
		}
		if len(s) > 0 && !isSpace(s[0]) && s[0] != '"' {
			return line{}, lx.errAt(raw, len(raw)-len(s), fmt.Sprintf("unknown keyword %q", clip(word+string(s[:min(len(s), 10)]))))
		}
		l.kind = lineKeyword
	}
	for {
		s = trimSpace(s)
		if len(s) == 0 {
			break
		}
		if s[0] != '"' {
			msg := "unexpected text after the string; only whitespace may follow it"
			if l.strs == 0 {
				msg = fmt.Sprintf("%s must be followed by a quoted string", l.kw)
			}
			return line{}, lx.errAt(raw, len(raw)-len(s), msg)
		}
		var err error
		s, err = lx.lexString(raw, s[1:])
		if err != nil {
			return line{}, err
		}
		l.strs++
	}
	l.text = lx.buf
	return l, nil
}

// lexString unescapes the string that starts after the opening quote in s
// into lx.buf and returns what follows its closing quote.
func (lx *lexer) lexString(raw, s []byte) ([]byte, error) {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '"':
			return s[i+1:], nil
		case c == '\\':
			if i+1 >= len(s) {
				return nil, lx.errAt(raw, len(raw)-len(s)+i, "unterminated string: the line ends in a backslash")
			}
			b, n, err := unescape(s[i+1:])
			if err != nil {
				return nil, lx.errAt(raw, len(raw)-len(s)+i, err.Error())
			}
			lx.buf = append(lx.buf, b)
			i += 1 + n
		case lx.cs.multi && c >= 0x81 && !(lx.cs.sjis && c >= 0xA1 && c <= 0xDF) && i+1 < len(s):
			// The second byte of a two-byte character may look like
			// a backslash or a quote.
			lx.buf = append(lx.buf, c, s[i+1])
			i += 2
		default:
			lx.buf = append(lx.buf, c)
			i++
		}
	}
	return nil, lx.errAt(raw, len(raw), "unterminated string: no closing quote on this line")
}

// unescape decodes the escape sequence at the start of s (after its
// backslash) and returns the byte, and how many bytes of s it took.
func unescape(s []byte) (byte, int, error) {
	switch c := s[0]; c {
	case 'n':
		return '\n', 1, nil
	case 't':
		return '\t', 1, nil
	case '"', '\\':
		return c, 1, nil
	case 'r':
		return '\r', 1, nil
	case 'a':
		return '\a', 1, nil
	case 'b':
		return '\b', 1, nil
	case 'f':
		return '\f', 1, nil
	case 'v':
		return '\v', 1, nil
	case '0', '1', '2', '3', '4', '5', '6', '7':
		v, n := 0, 0
		for n < 3 && n < len(s) && s[n] >= '0' && s[n] <= '7' {
			v = v*8 + int(s[n]-'0')
			n++
		}
		if v > 0xFF {
			return 0, 0, fmt.Errorf("octal escape \\%s is larger than a byte", s[:n])
		}
		if v == 0 {
			return 0, 0, fmt.Errorf("escape \\%s is a NUL byte, which a gettext string cannot hold", s[:n])
		}
		return byte(v), n, nil
	case 'x':
		v, n := 0, 1
		for n < len(s) && isHex(s[n]) {
			v = v*16 + hexVal(s[n])
			n++
			if v > 0xFF {
				return 0, 0, fmt.Errorf("hex escape \\%s is larger than a byte", clip(string(s[:min(n, 12)])))
			}
		}
		if n == 1 {
			return 0, 0, fmt.Errorf("\\x needs hex digits")
		}
		if v == 0 {
			return 0, 0, fmt.Errorf("escape \\%s is a NUL byte, which a gettext string cannot hold", s[:n])
		}
		return byte(v), n, nil
	default:
		r, _ := utf8.DecodeRune(s)
		if r == utf8.RuneError {
			return 0, 0, fmt.Errorf("invalid escape sequence: backslash followed by byte 0x%02x", c)
		}
		return 0, 0, fmt.Errorf("invalid escape sequence \\%c; write \\\\ for a backslash", r)
	}
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func hexVal(c byte) int {
	switch {
	case c >= 'a':
		return int(c-'a') + 10
	case c >= 'A':
		return int(c-'A') + 10
	}
	return int(c - '0')
}

// errAt is a lexError at byte offset i of raw.
func (lx *lexer) errAt(raw []byte, i int, msg string) error {
	i = max(0, min(i, len(raw)))
	col := i + 1
	if lx.cs.isUTF8() && utf8.Valid(raw[:i]) {
		col = utf8.RuneCount(raw[:i]) + 1
	}
	return &lexError{col: col, msg: msg}
}

// clip shortens s for an error message.
func clip(s string) string {
	const n = 40
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}
