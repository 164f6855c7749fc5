package tabular

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/transform"
)

// encoding/csv turns a carriage return before a line feed into nothing,
// also inside a quoted cell, where RFC 4180 makes it part of the cell: a
// cell holding "\r\n" (a gettext string of a program that prints CRLF)
// would read back as "\n". crKeeper stands between the file and
// encoding/csv and hides such carriage returns from it: it follows the
// quoting as encoding/csv does, and writes a carriage return inside a
// quoted cell as U+E000 'r', and every U+E000 of the file as U+E000 U+E000,
// so that keepCR can give each cell back exactly. A file whose every line
// ends in "\r\n" (as Windows tools write them) is read as encoding/csv
// reads it: its line breaks are "\r\n" inside cells too, and mean "\n".

// crMark is the private-use character the escapes start with.
const crMark = '\uE000'

// The places in a record crKeeper tells apart.
const (
	atFieldStart = iota
	inUnquoted
	inQuoted
	afterQuote // a '"' in a quoted cell: its end, or the first of a doubled '"'
	inComment
)

type crKeeper struct {
	delim, comment rune
	state          int
	lineStart      bool
}

func newCRKeeper(delim, comment rune) *crKeeper {
	return &crKeeper{delim: delim, comment: comment, lineStart: true}
}

// Reset implements transform.Transformer.
func (k *crKeeper) Reset() { k.state, k.lineStart = atFieldStart, true }

// Transform implements transform.Transformer.
func (k *crKeeper) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	for nSrc < len(src) {
		r, size := rune(src[nSrc]), 1
		if r >= utf8.RuneSelf {
			if !atEOF && !utf8.FullRune(src[nSrc:]) {
				return nDst, nSrc, transform.ErrShortSrc
			}
			r, size = utf8.DecodeRune(src[nSrc:])
		}
		out := src[nSrc : nSrc+size]
		switch {
		case r == crMark:
			out = []byte("\uE000\uE000")
		case r == '\r' && k.state == inQuoted:
			out = []byte("\uE000r")
		}
		if nDst+len(out) > len(dst) {
			return nDst, nSrc, transform.ErrShortDst
		}
		k.step(r)
		nDst += copy(dst[nDst:], out)
		nSrc += size
	}
	return nDst, nSrc, nil
}

// step follows the quoting of a record over one character.
func (k *crKeeper) step(r rune) {
	lineStart := k.lineStart
	k.lineStart = false
	switch k.state {
	case inComment:
		if r == '\n' {
			k.state, k.lineStart = atFieldStart, true
		}
	case atFieldStart:
		switch {
		case lineStart && k.comment != 0 && r == k.comment:
			k.state = inComment
		case r == '"':
			k.state = inQuoted
		case r == k.delim:
		case r == '\n':
			k.lineStart = true
		default:
			k.state = inUnquoted
		}
	case inUnquoted:
		switch r {
		case k.delim:
			k.state = atFieldStart
		case '\n':
			k.state, k.lineStart = atFieldStart, true
		}
	case inQuoted:
		if r == '"' {
			k.state = afterQuote
		}
	case afterQuote:
		switch r {
		case '"':
			k.state = inQuoted
		case k.delim:
			k.state = atFieldStart
		case '\n':
			k.state, k.lineStart = atFieldStart, true
		case '\r':
		default:
			k.state = inUnquoted // encoding/csv reports the stray quote
		}
	}
}

// keepCR undoes crKeeper's escapes in a cell.
func keepCR(s string) string {
	if !strings.ContainsRune(s, crMark) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r != crMark || i >= len(s) {
			b.WriteRune(r)
			continue
		}
		next, n := utf8.DecodeRuneInString(s[i:])
		switch next {
		case 'r':
			b.WriteByte('\r')
			i += n
		case crMark:
			b.WriteRune(crMark)
			i += n
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
