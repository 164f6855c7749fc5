package tabular

import "strings"

// unescape decodes the backslash escapes \t, \n, \r and \\. A backslash
// before any other character, or at the end, stays as it is, so text that
// was never escaped loses nothing but its doubled backslashes.
func unescape(s string) string {
	i := strings.IndexByte(s, '\\')
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for ; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		switch s[i+1] {
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case '\\':
			b.WriteByte('\\')
		default:
			b.WriteByte('\\')
			continue
		}
		i++
	}
	return b.String()
}

// escape is the inverse of unescape.
func escape(s string) string {
	if strings.IndexAny(s, "\\\t\n\r") < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			b.WriteString(`\\`)
		case '\t':
			b.WriteString(`\t`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// scanEscapes counts the backslash escapes in b that unescape decodes
// (valid) and the backslashes that start none (literal). A backslash at the
// very end of b is not counted: b may be a window cut mid-escape.
func scanEscapes(b []byte) (valid, literal int) {
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' {
			continue
		}
		if i+1 == len(b) {
			break
		}
		switch b[i+1] {
		case 't', 'n', 'r', '\\':
			valid++
			i++
		default:
			literal++
		}
	}
	return valid, literal
}
