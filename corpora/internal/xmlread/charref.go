package xmlread

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// IsChar reports whether XML 1.0 allows r in a document, as a character or
// a character reference: not U+0000–U+001F other than tab, line feed and
// carriage return, not U+FFFE or U+FFFF.
func IsChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r <= 0xD7FF) ||
		(r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
}

// HasInvalid reports whether s holds a character XML 1.0 cannot hold.
func HasInvalid(s string) bool {
	for _, r := range s {
		if !IsChar(r) {
			return true
		}
	}
	return false
}

// The text kgmem writes for a character XML cannot hold, where a format has
// no element for it (attributes, notes, properties, TBX terms): the text
// "&#x7;" — what translate-toolkit writes for control characters in XLIFF
// — that is, an ampersand, "#x", the code in lowercase hexadecimal without
// leading zeros, and a semicolon, which the XML file holds as
// "&amp;#x7;". So that text which already reads like that comes back as it
// was, its ampersand is written "&#x26;" one more time: the sequence
//
//	"&" ("#x26;")* "#x" hex ";"   (hex naming a character XML cannot hold)
//
// with k repetitions of "#x26;" stands, when k is 0, for the character,
// and otherwise for the same sequence with k-1. No other text changes.

// EscapeInvalid returns s with every character XML 1.0 cannot hold written
// as its escape, and every escape already in s escaped once more, so that
// UnescapeInvalid returns s. Text without either comes back unchanged.
func EscapeInvalid(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] == '&' {
			if _, n := escapeAt(s[i:]); n > 0 {
				b.WriteString("&#x26;")
				b.WriteString(s[i+1 : i+n])
				i += n
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !IsChar(r) && !(r == utf8.RuneError && size == 1) {
			b.WriteString("&#x")
			b.WriteString(strconv.FormatInt(int64(r), 16))
			b.WriteByte(';')
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// UnescapeInvalid undoes EscapeInvalid.
func UnescapeInvalid(s string) string {
	if !strings.Contains(s, "&#x") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] != '&' {
			j := strings.IndexByte(s[i:], '&')
			if j < 0 {
				j = len(s) - i
			}
			b.WriteString(s[i : i+j])
			i += j
			continue
		}
		k, n := escapeAt(s[i:])
		switch {
		case n == 0:
			b.WriteByte('&')
			i++
			continue
		case k == 0:
			r, _ := strconv.ParseInt(s[i+3:i+n-1], 16, 32)
			b.WriteRune(rune(r))
		default:
			b.WriteByte('&')
			b.WriteString(s[i+1+len("#x26;") : i+n])
		}
		i += n
	}
	return b.String()
}

// needsEscape reports whether EscapeInvalid would change s.
func needsEscape(s string) bool {
	if HasInvalid(s) {
		return true
	}
	for i := strings.Index(s, "&#x"); i >= 0; {
		if _, n := escapeAt(s[i:]); n > 0 {
			return true
		}
		j := strings.Index(s[i+1:], "&#x")
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

// escapeAt reports whether s starts with an escape: k is its number of
// "#x26;" repetitions and n its length (0 when s does not start with one).
func escapeAt(s string) (k, n int) {
	if len(s) == 0 || s[0] != '&' {
		return 0, 0
	}
	i := 1
	for strings.HasPrefix(s[i:], "#x26;") {
		i += len("#x26;")
		k++
	}
	if !strings.HasPrefix(s[i:], "#x") {
		return 0, 0
	}
	j := i + 2
	for j < len(s) && j-i-2 < 8 && (s[j] >= '0' && s[j] <= '9' || s[j] >= 'a' && s[j] <= 'f') {
		j++
	}
	hex := s[i+2 : j]
	if j >= len(s) || s[j] != ';' || hex == "" || hex[0] == '0' && len(hex) > 1 {
		return 0, 0
	}
	r, err := strconv.ParseInt(hex, 16, 32)
	if err != nil || IsChar(rune(r)) || r > utf8.MaxRune {
		// A character XML can hold (with k > 0, "&#x26;#x26;" is the
		// escape of a literal "&#x26;" only if it continues to a
		// character XML cannot hold; it does not here).
		return 0, 0
	}
	return k, j + 1
}
