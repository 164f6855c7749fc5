package po

import (
	"unicode"
	"unicode/utf8"
)

// This file breaks long strings into lines the way msgcat does (GNU
// gettext's write-po.c with libunistring's line breaking), so that a
// catalog written here and one written by msgcat are the same bytes. It
// implements the rules of Unicode's line breaking algorithm (UAX #14) that
// matter in catalogs, with the line-break classes of the characters that
// occur in them.

// lbClass is a line-break class of UAX #14.
type lbClass uint8

const (
	lbAL lbClass = iota // alphabetic (and the default)
	lbBK                // mandatory break
	lbSP                // space
	lbCM                // combining mark, control character
	lbWJ                // word joiner
	lbZW                // zero-width space
	lbGL                // non-breaking ("glue")
	lbBA                // break after
	lbBB                // break before
	lbB2                // break either side, not between two
	lbHY                // hyphen-minus
	lbCB                // contingent break
	lbCL                // close punctuation
	lbCP                // close parenthesis
	lbEX                // exclamation, interrogation
	lbIN                // inseparable (…)
	lbNS                // non-starter
	lbOP                // open punctuation
	lbQU                // quotation
	lbIS                // infix numeric separator
	lbNU                // numeric
	lbPO                // postfix numeric
	lbPR                // prefix numeric
	lbSY                // solidus
	lbID                // ideographic
	lbHL                // Hebrew letter
	lbH2                // Hangul LV syllable
	lbH3                // Hangul LVT syllable
	lbJL                // Hangul leading jamo
	lbJV                // Hangul vowel jamo
	lbJT                // Hangul trailing jamo
	lbRI                // regional indicator
)

// asciiClass holds the classes of the ASCII characters.
var asciiClass = func() [128]lbClass {
	var t [128]lbClass
	for c := 0; c < 0x20; c++ {
		t[c] = lbCM
	}
	t['\t'] = lbBA
	t['\n'], t['\v'], t['\f'], t['\r'] = lbBK, lbBK, lbBK, lbBK
	t[0x7F] = lbCM
	t[' '] = lbSP
	t['!'], t['?'] = lbEX, lbEX
	t['"'], t['\''] = lbQU, lbQU
	t['$'], t['+'], t['\\'] = lbPR, lbPR, lbPR
	t['%'] = lbPO
	t['('], t['['], t['{'] = lbOP, lbOP, lbOP
	t[')'], t[']'] = lbCP, lbCP
	t['}'] = lbCL
	t[','], t['.'], t[':'], t[';'] = lbIS, lbIS, lbIS, lbIS
	t['-'] = lbHY
	t['/'] = lbSY
	t['|'] = lbBA
	for c := '0'; c <= '9'; c++ {
		t[c] = lbNU
	}
	return t
}()

// special holds the classes of non-ASCII characters that the general
// categories do not give.
var special = map[rune]lbClass{
	0x0085: lbBK, 0x2028: lbBK, 0x2029: lbBK,
	0x00A0: lbGL, 0x2007: lbGL, 0x202F: lbGL, 0x2011: lbGL, 0x034F: lbGL, 0x0F0C: lbGL,
	0x200B: lbZW, 0x2060: lbWJ, 0xFEFF: lbWJ, 0x200D: lbCM,
	0x00A1: lbOP, 0x00BF: lbOP, 0x2E18: lbOP,
	0x00AB: lbQU, 0x00BB: lbQU, 0x2018: lbQU, 0x2019: lbQU, 0x201B: lbQU, 0x201C: lbQU,
	0x201D: lbQU, 0x201F: lbQU, 0x2039: lbQU, 0x203A: lbQU, 0x275B: lbQU, 0x275C: lbQU,
	0x275D: lbQU, 0x275E: lbQU, 0x2E00: lbQU, 0x2E01: lbQU,
	0x201A: lbOP, 0x201E: lbOP,
	0x00AD: lbBA, 0x2010: lbBA, 0x2012: lbBA, 0x2013: lbBA, 0x058A: lbBA, 0x1680: lbBA,
	0x2000: lbBA, 0x2001: lbBA, 0x2002: lbBA, 0x2003: lbBA, 0x2004: lbBA, 0x2005: lbBA,
	0x2006: lbBA, 0x2008: lbBA, 0x2009: lbBA, 0x200A: lbBA, 0x205F: lbBA, 0x3000: lbBA,
	0x0964: lbBA, 0x0965: lbBA, 0x0E5A: lbBA, 0x0E5B: lbBA, 0x2027: lbBA, 0x2056: lbBA,
	0x2058: lbBA, 0x2059: lbBA, 0x205A: lbBA, 0x205B: lbBA, 0x205D: lbBA, 0x205E: lbBA,
	0x2014: lbB2,
	0x00B4: lbBB, 0x02C8: lbBB, 0x02CC: lbBB, 0x02DF: lbBB,
	0x2024: lbIN, 0x2025: lbIN, 0x2026: lbIN, 0xFE19: lbIN,
	0x00B0: lbPO, 0x00A2: lbPO, 0x2030: lbPO, 0x2031: lbPO, 0x2032: lbPO, 0x2033: lbPO,
	0x2034: lbPO, 0x2035: lbPO, 0x2036: lbPO, 0x2037: lbPO, 0x2103: lbPO, 0x2109: lbPO,
	0x066A: lbPO, 0x060B: lbPO, 0xFE6A: lbPO, 0xFF05: lbPO, 0xFFE0: lbPO,
	0x00B1: lbPR, 0x2116: lbPR, 0x2212: lbPR, 0x2213: lbPR, 0xFE69: lbPR, 0xFF04: lbPR,
	0xFFE1: lbPR, 0xFFE5: lbPR, 0xFFE6: lbPR,
	0x060C: lbIS, 0x060D: lbIS, 0x037E: lbIS, 0x0589: lbIS, 0x07F8: lbIS, 0x2044: lbIS,
	0xFE10: lbIS, 0xFE13: lbIS, 0xFE14: lbIS,
	0x061B: lbEX, 0x061F: lbEX, 0x06D4: lbEX, 0x0F0D: lbEX, 0xFF01: lbEX, 0xFF1F: lbEX,
	0xFE15: lbEX, 0xFE16: lbEX, 0xFE56: lbEX, 0xFE57: lbEX, 0x203C: lbNS, 0x203D: lbNS,
	0x3001: lbCL, 0x3002: lbCL, 0xFF0C: lbCL, 0xFF0E: lbCL, 0xFE11: lbCL, 0xFE12: lbCL,
	0xFE50: lbCL, 0xFE52: lbCL, 0xFF61: lbCL, 0xFF64: lbCL,
	0xFF09: lbCP, 0xFF3D: lbCP,
	0x30FB: lbNS, 0xFF1A: lbNS, 0xFF1B: lbNS, 0xFF65: lbNS, 0x30FC: lbNS, 0x3005: lbNS,
	0x301C: lbNS, 0x303B: lbNS, 0x309B: lbNS, 0x309C: lbNS, 0x309D: lbNS, 0x309E: lbNS,
	0x30A0: lbNS, 0x30FD: lbNS, 0x30FE: lbNS, 0xFF70: lbNS, 0xFF9E: lbNS, 0xFF9F: lbNS,
	0x17D6: lbNS,
	0x0F0B: lbBA, 0x1361: lbBA, 0x1735: lbBA, 0x1736: lbBA, 0x17D4: lbBA, 0x17D5: lbBA,
	0x17D8: lbBA, 0x17DA: lbBA, 0x1804: lbBA, 0x1805: lbBA, 0x104A: lbBA, 0x104B: lbBA,
	0x2CFA: lbBA, 0x2CFB: lbBA, 0x2CFC: lbBA, 0x2CFF: lbBA, 0x2E0E: lbBA, 0x2E0F: lbBA,
	0x0E2F: lbAL, 0x0E46: lbAL,
}

// lineBreakClass returns the class of r.
func lineBreakClass(r rune) lbClass {
	if r < 0x80 {
		return asciiClass[r]
	}
	if c, ok := special[r]; ok {
		return c
	}
	switch {
	case r >= 0x80 && r < 0xA0:
		return lbCM
	case r >= 0x1100 && r <= 0x115F || r >= 0xA960 && r <= 0xA97C:
		return lbJL
	case r >= 0x1160 && r <= 0x11A7 || r >= 0xD7B0 && r <= 0xD7C6:
		return lbJV
	case r >= 0x11A8 && r <= 0x11FF || r >= 0xD7CB && r <= 0xD7FB:
		return lbJT
	case r >= 0xAC00 && r <= 0xD7A3:
		if (r-0xAC00)%28 == 0 {
			return lbH2
		}
		return lbH3
	case r >= 0x1F1E6 && r <= 0x1F1FF:
		return lbRI
	case r >= 0x05D0 && r <= 0x05F2 || r >= 0xFB1D && r <= 0xFB4F && unicode.IsLetter(r):
		return lbHL
	case isSmallKana(r):
		return lbNS
	case isSouthEastAsian(r):
		// Class SA: libunistring breaks these scripts as alphabetic,
		// their vowel signs included.
		return lbAL
	case isIdeographic(r):
		return lbID
	}
	switch {
	case unicode.In(r, unicode.Mn, unicode.Mc, unicode.Me):
		return lbCM
	case unicode.Is(unicode.Nd, r):
		return lbNU
	case unicode.Is(unicode.Ps, r):
		return lbOP
	case unicode.Is(unicode.Pe, r):
		return lbCL
	case unicode.In(r, unicode.Pi, unicode.Pf):
		return lbQU
	case unicode.Is(unicode.Pd, r):
		return lbBA
	case unicode.Is(unicode.Sc, r):
		return lbPR
	case unicode.Is(unicode.Zs, r):
		return lbBA
	case unicode.Is(unicode.Cf, r):
		return lbCM
	}
	return lbAL
}

// isSouthEastAsian reports whether r is of a script written without
// spaces between words (Thai, Lao, Myanmar, Khmer, Tai).
func isSouthEastAsian(r rune) bool {
	return r >= 0x0E00 && r <= 0x0EFF || r >= 0x1000 && r <= 0x109F || r >= 0x1780 && r <= 0x17FF ||
		r >= 0x1950 && r <= 0x19DF || r >= 0x1A20 && r <= 0x1AAF || r >= 0xAA60 && r <= 0xAADF ||
		r >= 0xA9E0 && r <= 0xA9FF
}

// isIdeographic reports whether r breaks like a CJK ideograph: on either
// side.
func isIdeographic(r rune) bool {
	switch {
	case r >= 0x2E80 && r <= 0x2FFF, // radicals, ideographic description
		r >= 0x3003 && r <= 0x3004, r >= 0x3006 && r <= 0x3007,
		r >= 0x3012 && r <= 0x3013, r >= 0x3020 && r <= 0x3029, r >= 0x3030 && r <= 0x303A,
		r >= 0x303D && r <= 0x303F,
		r >= 0x3041 && r <= 0x3096, // hiragana
		r >= 0x309F && r <= 0x309F,
		r >= 0x30A1 && r <= 0x30FA, // katakana
		r == 0x30FF,
		r >= 0x3105 && r <= 0x31FF, r >= 0x3200 && r <= 0x33FF,
		r >= 0x3400 && r <= 0x4DBF, r >= 0x4E00 && r <= 0x9FFF,
		r >= 0xA000 && r <= 0xA48C, r >= 0xA490 && r <= 0xA4C6,
		r >= 0xF900 && r <= 0xFAFF,
		r >= 0xFE30 && r <= 0xFE4F && !isCJKCompatPunct(r),
		r >= 0xFF06 && r <= 0xFF07, r >= 0xFF0A && r <= 0xFF0B, r == 0xFF0D,
		r >= 0xFF0F && r <= 0xFF19, r >= 0xFF1C && r <= 0xFF1E, r >= 0xFF20 && r <= 0xFF3A,
		r == 0xFF3C, r >= 0xFF3E && r <= 0xFF5A, r == 0xFF5C, r == 0xFF5E,
		r >= 0xFFE2 && r <= 0xFFE4,
		r >= 0x1F000 && r <= 0x1FAFF, // emoji and pictographs
		r >= 0x20000 && r <= 0x3FFFD:
		return true
	}
	return false
}

func isCJKCompatPunct(r rune) bool {
	switch r {
	case 0xFE35, 0xFE37, 0xFE39, 0xFE3B, 0xFE3D, 0xFE3F, 0xFE41, 0xFE43, 0xFE47,
		0xFE36, 0xFE38, 0xFE3A, 0xFE3C, 0xFE3E, 0xFE40, 0xFE42, 0xFE44, 0xFE48,
		0xFE30, 0xFE31, 0xFE32, 0xFE45, 0xFE46, 0xFE49, 0xFE4A, 0xFE4B, 0xFE4C, 0xFE4D, 0xFE4E, 0xFE4F:
		return true
	}
	return false
}

// isSmallKana reports whether r is a small kana, a conditional Japanese
// starter, which gettext's line breaking treats as a non-starter.
func isSmallKana(r rune) bool {
	switch r {
	case 0x3041, 0x3043, 0x3045, 0x3047, 0x3049, 0x3063, 0x3083, 0x3085, 0x3087, 0x308E,
		0x3095, 0x3096, 0x30A1, 0x30A3, 0x30A5, 0x30A7, 0x30A9, 0x30C3, 0x30E3, 0x30E5,
		0x30E7, 0x30EE, 0x30F5, 0x30F6:
		return true
	}
	return r >= 0x31F0 && r <= 0x31FF || r >= 0xFF67 && r <= 0xFF70
}

// isWide reports whether r is East Asian wide or full-width.
func isWide(r rune) bool {
	switch {
	case r < 0x1100:
		return false
	case r <= 0x115F,
		r == 0x2329, r == 0x232A,
		r >= 0x2E80 && r <= 0x303E, r >= 0x3041 && r <= 0x33FF,
		r >= 0x3400 && r <= 0x4DBF, r >= 0x4E00 && r <= 0x9FFF,
		r >= 0xA000 && r <= 0xA4CF, r >= 0xA960 && r <= 0xA97F,
		r >= 0xAC00 && r <= 0xD7A3,
		r >= 0xF900 && r <= 0xFAFF, r >= 0xFE10 && r <= 0xFE19,
		r >= 0xFE30 && r <= 0xFE6F, r >= 0xFF00 && r <= 0xFF60,
		r >= 0xFFE0 && r <= 0xFFE6,
		r >= 0x1F300 && r <= 0x1F64F, r >= 0x1F900 && r <= 0x1F9FF,
		r >= 0x20000 && r <= 0x3FFFD:
		return true
	}
	return false
}

// runeWidth is the number of columns r takes; control characters take
// none, as they count for nothing in libunistring's line breaking.
func runeWidth(r rune) int {
	switch {
	case r < 0x20 || r >= 0x7F && r < 0xA0 || r == 0xAD:
		return 0
	case r < 0x300:
		return 1
	case r == 0x200B || r >= 0x1160 && r <= 0x11FF:
		return 0
	case r == 0x0CBF || r == 0x0CC6 || r == 0x11A07 || r == 0x11A08 || r == 0x11C3F:
		// Non-spacing marks that libunistring counts as one column.
		return 1
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		return 0
	case isWide(r):
		return 2
	}
	return 1
}

// breakBetween reports whether a line may break between a character of
// class a (q is that character) and one of class b (r), with spaces
// between them or not.
func breakBetween(a, b lbClass, q, r rune, spaces bool, beforeA lbClass) bool {
	// Rules that hold across spaces.
	switch b {
	case lbCL, lbCP, lbEX, lbIS, lbSY, lbWJ: // LB11, LB13
		return false
	}
	switch {
	case a == lbOP: // LB14
		return false
	case a == lbQU && b == lbOP: // LB15
		return false
	case (a == lbCL || a == lbCP) && b == lbNS: // LB16
		return false
	case a == lbB2 && b == lbB2: // LB17
		return false
	}
	if spaces { // LB18
		return true
	}
	switch {
	case a == lbWJ || a == lbGL: // LB11, LB12
		return false
	case b == lbGL && a != lbBA && a != lbHY: // LB12a
		return false
	case a == lbQU || b == lbQU: // LB19
		return false
	case a == lbCB || b == lbCB: // LB20
		return true
	case b == lbBA || b == lbHY || b == lbNS || a == lbBB: // LB21
		return false
	case (a == lbHY || a == lbBA) && beforeA == lbHL: // LB21a
		return false
	case a == lbSY && b == lbHL: // LB21b
		return false
	case b == lbIN: // LB22
		return false
	}
	alpha := func(c lbClass) bool { return c == lbAL || c == lbHL }
	hangul := func(c lbClass) bool { return c >= lbH2 && c <= lbJT }
	switch {
	case alpha(a) && b == lbNU || a == lbNU && alpha(b): // LB23
		return false
	case a == lbPR && b == lbID, a == lbID && b == lbPO: // LB23a
		return false
	case (a == lbPR || a == lbPO) && alpha(b), alpha(a) && (b == lbPR || b == lbPO): // LB24
		return false
	case (a == lbCL || a == lbCP || a == lbNU) && (b == lbPO || b == lbPR), // LB25
		(a == lbPO || a == lbPR) && b == lbOP,
		(a == lbPO || a == lbPR || a == lbHY || a == lbIS || a == lbNU || a == lbSY) && b == lbNU:
		return false
	case a == lbJL && (b == lbJL || b == lbJV || b == lbH2 || b == lbH3), // LB26
		(a == lbJV || a == lbH2) && (b == lbJV || b == lbJT),
		(a == lbJT || a == lbH3) && b == lbJT:
		return false
	case hangul(a) && b == lbPO, a == lbPR && hangul(b): // LB27
		return false
	case alpha(a) && alpha(b): // LB28
		return false
	case (alpha(a) || a == lbNU) && b == lbOP && !isWide(r): // LB30
		return false
	case a == lbCP && (alpha(b) || b == lbNU) && !isWide(q): // LB30
		return false
	case a == lbRI && b == lbRI: // LB30a, approximately
		return false
	}
	return true // LB31
}

// Break opportunities before a byte, as libunistring marks them.
const (
	brNone      int8 = iota // no break here
	brPossible              // a line may break before this byte
	brMandatory             // this byte is a line break character
)

// wrapPoints returns where msgcat breaks s (an escaped string) to keep it
// within width columns, the first line starting at column start: breaks[i]
// is true when a line starts at byte i. noBreak[i] forbids a break before
// byte i. It reports whether any break was made.
func wrapPoints(s string, noBreak []bool, width, start int, breaks []bool) bool {
	// Most strings fit: then there is nothing to break.
	w := start
	for _, r := range s {
		w += runeWidth(r)
	}
	if w <= width {
		return false
	}
	opp := breakOpportunities(s)
	for i, nb := range noBreak {
		if nb && opp[i] == brPossible {
			opp[i] = brNone
		}
	}
	return fillLines(s, opp, width, start, breaks)
}

// breakOpportunities returns, for each byte of s, whether a line may or
// must break before it, by UAX #14.
func breakOpportunities(s string) []int8 {
	opp := make([]int8, len(s))
	prev := lbBK // the start of the text is like the start of a line
	var prevRune rune
	beforePrev := lbBK
	spaces := false
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		c := lineBreakClass(r)
		switch {
		case c == lbBK:
			opp[i] = brMandatory
			prev, spaces = lbBK, false
		case c == lbSP:
			spaces = true
		case c == lbZW:
			prev, spaces = lbZW, false
		case c == lbCM && prev != lbBK && prev != lbZW && !spaces:
			// LB9: a combining mark takes the class of what it follows.
		default:
			if c == lbCM {
				c = lbAL // LB10
			}
			switch {
			case prev == lbBK:
			case prev == lbZW:
				opp[i] = brPossible
			case breakBetween(prev, c, prevRune, r, spaces, beforePrev):
				opp[i] = brPossible
			}
			beforePrev = prev
			if spaces {
				beforePrev = lbSP
			}
			prev, prevRune, spaces = c, r, false
		}
		i += n
	}
	return opp
}

// fillLines fills lines greedily, as libunistring's u8_width_linebreaks,
// setting breaks where lines start; it reports whether any break was
// made.
func fillLines(s string, opp []int8, width, start int, breaks []bool) bool {
	any := false
	last := -1
	col := start
	piece := 0
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		o := opp[i]
		if o != brNone && last >= 0 && col+piece > width {
			breaks[last] = true
			any = true
			col = 0
		}
		if o == brMandatory {
			last, col, piece = -1, 0, 0
		} else {
			if o == brPossible {
				last = i
				col += piece
				piece = 0
			}
			piece += runeWidth(r)
		}
		i += n
	}
	if last >= 0 && col+piece > width {
		breaks[last] = true
		any = true
	}
	return any
}
