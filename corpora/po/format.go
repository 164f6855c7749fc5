package po

import "strings"

// msgcat does not break a line inside a format directive of an entry
// flagged with a format ("c-format", "python-format", …): it parses each
// string with that language's format parser and keeps every valid
// directive whole. The parsers stop at the first malformed directive,
// which, like everything after it, may then be broken anywhere. This file
// finds the directives of the printf-like languages, where a line could
// otherwise break inside one ("%%", "% d"); inside the other languages'
// directives Unicode's rules allow no break anyway.

// formatKind is the directive syntax of an entry's strings.
type formatKind uint8

const (
	formatNone formatKind = iota
	formatC
	formatObjC
	formatPython
	formatPerl
	formatPHP
)

// formatLanguages are gettext's format languages in the order it tries
// them, with the syntax this package knows for some.
var formatLanguages = []struct {
	name string
	kind formatKind
}{
	{"c", formatC}, {"objc", formatObjC}, {"sh", formatNone}, {"python", formatPython},
	{"python-brace", formatNone}, {"lisp", formatNone}, {"elisp", formatNone}, {"librep", formatNone},
	{"scheme", formatNone}, {"smalltalk", formatNone}, {"java", formatNone}, {"csharp", formatNone},
	{"javascript", formatNone}, {"awk", formatNone}, {"object-pascal", formatNone}, {"ycp", formatNone},
	{"tcl", formatNone}, {"perl", formatPerl}, {"perl-brace", formatNone}, {"php", formatPHP},
}

// formatOf returns the directive syntax the flags give, as gettext picks
// it: the first language in its order that the entry is (or may be) a
// format string of.
func formatOf(flags []string) formatKind {
	if len(flags) == 0 {
		return formatNone
	}
	for _, l := range formatLanguages {
		for _, f := range flags {
			if f == l.name+"-format" || f == "possible-"+l.name+"-format" {
				return l.kind
			}
		}
	}
	return formatNone
}

// directiveParser walks the directives of one string.
type directiveParser struct {
	s      string
	inside []bool
	// Arguments counted so far: gettext's parsers reject a string that
	// mixes numbered (or named) and unnumbered arguments.
	numbered, unnumbered int
}

// at returns s[j], or 0 past the end, as a C string would.
func (p *directiveParser) at(j int) byte {
	if j < len(p.s) {
		return p.s[j]
	}
	return 0
}

func (p *directiveParser) digits(j int) int {
	for isDigit(p.at(j)) {
		j++
	}
	return j
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// argNumber reads "n$" at j: it returns the position after it and n, or
// j and 0 when there is none; ok is false for "0$".
func (p *directiveParser) argNumber(j int) (next, n int, ok bool) {
	k := p.digits(j)
	if k == j || p.at(k) != '$' {
		return j, 0, true
	}
	if strings.Trim(p.s[j:k], "0") == "" {
		return j, 0, false
	}
	return k + 1, 1, true
}

// arg counts an argument; it reports false when that mixes numbered and
// unnumbered ones.
func (p *directiveParser) arg(numbered bool) bool {
	if numbered {
		p.numbered++
		return p.unnumbered == 0
	}
	p.unnumbered++
	return p.numbered == 0
}

// mark records the valid directive s[start:end+1].
func (p *directiveParser) mark(start, end int) {
	for k := start + 1; k <= end; k++ {
		p.inside[k] = true
	}
}

// markDirectives sets inside[i] for the bytes of s that are inside a
// valid format directive after its first byte: a line may not break
// before them. msgstr says s is a translation (C takes the I flag there
// only).
func markDirectives(s string, kind formatKind, msgstr bool, inside []bool) {
	p := &directiveParser{s: s, inside: inside}
	switch kind {
	case formatC, formatObjC:
		p.c(kind == formatObjC, msgstr)
	case formatPython:
		p.python()
	case formatPerl:
		p.printf("-+ #0", "hlqLV", "csduoxXeEfgGbBpniDUOF%", false)
	case formatPHP:
		p.printf("-+ 0", "", "bcdeEfFgGosuxX", true)
	}
}

// c parses C (and Objective-C) format directives as gettext 0.21 does.
func (p *directiveParser) c(objc, msgstr bool) {
	for i := 0; i < len(p.s); i++ {
		if p.s[i] != '%' {
			continue
		}
		j, number, ok := p.argNumber(i + 1)
		if !ok {
			return
		}
		for {
			c := p.at(j)
			if c == 0 || strings.IndexByte(" +-#0'", c) < 0 && !(msgstr && c == 'I') {
				break
			}
			j++
		}
		if j, ok = p.cWidthPrecision(j); !ok {
			return
		}
		var takesArg bool
		if j, takesArg, ok = p.cConversion(j, objc); !ok {
			return
		}
		if takesArg && !p.arg(number > 0) {
			return
		}
		p.mark(i, j)
		i = j
	}
}

// cWidthPrecision parses the width and precision of a C directive at j,
// each maybe an argument ("*", "*2$"), and returns where they end.
func (p *directiveParser) cWidthPrecision(j int) (int, bool) {
	var ok bool
	for part := 0; part < 2; part++ {
		if part == 1 {
			if p.at(j) != '.' {
				break
			}
			j++
		}
		if p.at(j) == '*' {
			var n int
			if j, n, ok = p.argNumber(j + 1); !ok || !p.arg(n > 0) {
				return j, false
			}
		} else {
			j = p.digits(j)
		}
	}
	return j, true
}

// cConversion parses the size modifiers and conversion of a C directive
// at j (or an <inttypes.h> macro), and returns where it ends and whether
// it takes an argument.
func (p *directiveParser) cConversion(j int, objc bool) (next int, takesArg, ok bool) {
	takesArg = true
	if p.at(j) == '<' {
		end := inttypesMacro(p.s[j+1:])
		if end < 0 {
			return j, false, false
		}
		j += end + 1
	} else {
		var intSize, fpSize bool
		var long bool // exactly "l"
		switch c := p.at(j); {
		case c == 'h' && p.at(j+1) == 'h':
			j, intSize = j+2, true
		case c == 'l' && p.at(j+1) == 'l':
			j, intSize, fpSize = j+2, true, true
		case c == 'l':
			j, intSize, long = j+1, true, true
		case c == 'L' || c == 'q':
			j, intSize, fpSize = j+1, true, true
		case c == 'h' || c == 'j' || c == 'z' || c == 'Z' || c == 't':
			j, intSize = j+1, true
		}
		switch c := p.at(j); c {
		case '%', 'm':
			takesArg = false
		case 'c', 's':
			if intSize && !long {
				return j, false, false
			}
		case 'e', 'E', 'f', 'F', 'g', 'G', 'a', 'A':
			if intSize && !fpSize {
				return j, false, false
			}
		case 'C', 'S', 'i', 'd', 'u', 'o', 'x', 'X', 'p', 'n':
		case '@':
			if !objc {
				return j, false, false
			}
		default:
			return j, false, false
		}
	}
	return j, takesArg, true
}

// python parses Python %-directives as gettext does.
func (p *directiveParser) python() {
	for i := 0; i < len(p.s); i++ {
		if p.s[i] != '%' {
			continue
		}
		j := i + 1
		named := false
		if p.at(j) == '(' {
			// The name runs to the parenthesis that closes the first.
			depth := 0
			for j++; j < len(p.s); j++ {
				if p.s[j] == '(' {
					depth++
				} else if p.s[j] == ')' {
					if depth == 0 {
						break
					}
					depth--
				}
			}
			if j == len(p.s) {
				return
			}
			j++
			named = true
		}
		for p.at(j) != 0 && strings.IndexByte("-+ #0", p.at(j)) >= 0 {
			j++
		}
		for part := 0; part < 2; part++ {
			if part == 1 {
				if p.at(j) != '.' {
					break
				}
				j++
			}
			if p.at(j) == '*' {
				j++
				if p.numbered > 0 { // named arguments before
					return
				}
				p.unnumbered++
			} else {
				j = p.digits(j)
			}
		}
		if c := p.at(j); c == 'h' || c == 'l' || c == 'L' {
			j++
		}
		c := p.at(j)
		if c == 0 || strings.IndexByte("%csriduoxXeEfgG", c) < 0 {
			return
		}
		switch {
		case named:
			if p.unnumbered > 0 {
				return
			}
			p.numbered++
		case c != '%':
			if p.numbered > 0 {
				return
			}
			p.unnumbered++
		}
		p.mark(i, j)
		i = j
	}
}

// printf parses a printf-like syntax with the given flags, size letters
// and conversions (Perl's and PHP's, approximately). padding allows PHP's
// "'c" flag, which pads with c.
func (p *directiveParser) printf(flags, sizes, conversions string, padding bool) {
	for i := 0; i < len(p.s); i++ {
		if p.s[i] != '%' {
			continue
		}
		if p.at(i+1) == '%' {
			p.mark(i, i+1)
			i++
			continue
		}
		j, _, ok := p.argNumber(i + 1)
		if !ok {
			return
		}
		for {
			if c := p.at(j); c != 0 && strings.IndexByte(flags, c) >= 0 {
				j++
			} else if padding && c == '\'' && j+1 < len(p.s) {
				j += 2
			} else {
				break
			}
		}
		if p.at(j) == '*' && !padding {
			if j, _, ok = p.argNumber(j + 1); !ok {
				return
			}
		} else {
			j = p.digits(j)
		}
		if p.at(j) == '.' {
			j++
			if p.at(j) == '*' && !padding {
				if j, _, ok = p.argNumber(j + 1); !ok {
					return
				}
			} else {
				j = p.digits(j)
			}
		}
		for p.at(j) != 0 && strings.IndexByte(sizes, p.at(j)) >= 0 {
			j++
		}
		if c := p.at(j); c == 0 || strings.IndexByte(conversions, c) < 0 {
			return
		}
		p.mark(i, j)
		i = j
	}
}

// inttypesMacros are the <inttypes.h> macro suffixes a C format string may
// use, as in "%<PRIu64>".
var inttypesMacros = []string{
	"8", "16", "32", "64", "LEAST8", "LEAST16", "LEAST32", "LEAST64",
	"FAST8", "FAST16", "FAST32", "FAST64", "MAX", "PTR",
}

// inttypesMacro returns the index of the '>' that ends the <inttypes.h>
// macro s starts with ("PRIu64>…"), or -1 if s does not start with one.
func inttypesMacro(s string) int {
	rest, ok := strings.CutPrefix(s, "PRI")
	if !ok || rest == "" || strings.IndexByte("diouxX", rest[0]) < 0 {
		return -1
	}
	rest = rest[1:]
	for _, m := range inttypesMacros {
		if strings.HasPrefix(rest, m+">") {
			return len("PRI") + 1 + len(m)
		}
	}
	return -1
}
