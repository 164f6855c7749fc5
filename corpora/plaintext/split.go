package plaintext

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
)

// Sentence is one sentence of a text: Text is text[Start:End], with no
// white space at either end.
type Sentence struct {
	Text       string
	Start, End int // byte offsets into the text given to Split
}

// Split divides text into sentences by the rules of lang. Only white space
// lies between consecutive sentences, before the first and after the last,
// so the text can be put back together exactly from the sentences and the
// gaps between them. Blank lines always end a sentence; so does a line
// break before a list item ("2. …", "- …").
//
// A sentence ends after . ! ? … (or a run of them, "?!", "...") and any
// closing quotes and brackets right after, when white space and then a
// word that does not start in lower case follow; after the CJK 。！？ it
// ends at once, unless inside CJK brackets or quotes. These do not end a
// sentence: decimals and versions (3.14, v1.2.3), addresses and file names
// (example.com, notes.txt), initials (J. R. R. Tolkien), list numbers at the
// start of a line, ordinals in German ("am 3. Oktober"), an ellipsis before
// lower case ("Wait... what?"), and the abbreviations of lang (en, es, de
// and fr have their own; others get common Latin ones). Abbreviations that
// often end a sentence ("etc.", "usw.", "a.m.") end it when a capital
// follows.
func Split(text string, lang language.Tag) []Sentence {
	r := rulesFor(lang)
	var out []Sentence
	forParagraphs(text, func(start, end int) {
		out = splitParagraph(text, start, end, r, out)
	})
	return out
}

// forParagraphs calls f with the bounds of each run of lines that are not
// blank.
func forParagraphs(text string, f func(start, end int)) {
	start := -1 // start of the current paragraph, -1 outside one
	for i := 0; i < len(text); {
		j := strings.IndexByte(text[i:], '\n')
		end := len(text)
		if j >= 0 {
			end = i + j + 1
		}
		blank := isBlank(text[i:end])
		switch {
		case blank && start >= 0:
			f(start, i)
			start = -1
		case !blank && start < 0:
			start = i
		}
		i = end
	}
	if start >= 0 {
		f(start, len(text))
	}
}

// isBlank reports whether s is only white space.
func isBlank(s string) bool {
	for _, r := range s {
		if !unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

// splitParagraph appends the sentences of text[start:end] to out.
func splitParagraph(text string, start, end int, r *rules, out []Sentence) []Sentence {
	s := text[start:end]
	emit := func(from, to int) {
		from, to = trimSpace(s, from, to)
		if from < to {
			out = append(out, Sentence{Text: text[start+from : start+to], Start: start + from, End: start + to})
		}
	}
	last := 0  // where the current sentence began
	depth := 0 // nesting of CJK brackets and quotes
	for i := 0; i < len(s); {
		c, w := utf8.DecodeRuneInString(s[i:])
		switch {
		case c == '\n':
			if listItemAt(s, i+1) {
				emit(last, i)
				last = i
			}
			i += w
		case cjkOpen(c):
			depth++
			i += w
		case cjkClose(c):
			if depth > 0 {
				depth--
			}
			i += w
		case isTerminal(c):
			j := i
			cjk := false
			for j < len(s) {
				t, tw := utf8.DecodeRuneInString(s[j:])
				if !isTerminal(t) {
					break
				}
				cjk = cjk || isCJKTerminal(t)
				j += tw
			}
			if cjk && depth > 0 {
				i = j // inside 「…」 or “…”: a quoted sentence
				continue
			}
			k := closers(s, j)
			for _, q := range s[j:k] {
				if cjkClose(q) && depth > 0 {
					depth--
				}
			}
			if cjk {
				emit(last, k)
				last = k
				i = k
				continue
			}
			if k < len(s) {
				// "3.14", "example.com", "Hi!Bye" and "EE.\u00a0UU." (a
				// non-breaking space binds) are not boundaries.
				if n, _ := utf8.DecodeRuneInString(s[k:]); !unicode.IsSpace(n) || nonBreaking(n) {
					i = j
					continue
				}
			}
			if boundary(s, i, j, k, r) {
				emit(last, k)
				last = k
			}
			i = k
		default:
			i += w
		}
	}
	emit(last, len(s))
	return out
}

// trimSpace narrows [from, to) of s to leave out white space at both ends.
func trimSpace(s string, from, to int) (int, int) {
	for from < to {
		c, w := utf8.DecodeRuneInString(s[from:to])
		if !unicode.IsSpace(c) {
			break
		}
		from += w
	}
	for to > from {
		c, w := utf8.DecodeLastRuneInString(s[from:to])
		if !unicode.IsSpace(c) {
			break
		}
		to -= w
	}
	return from, to
}

// isTerminal reports whether c can end a sentence.
func isTerminal(c rune) bool {
	switch c {
	case '.', '!', '?', '…', '‼', '⁇', '⁈', '⁉', '؟', '։', '।', '॥':
		return true
	}
	return isCJKTerminal(c)
}

// isCJKTerminal reports whether c ends a sentence without a space after it.
func isCJKTerminal(c rune) bool {
	switch c {
	case '。', '！', '？', '｡', '．':
		return true
	}
	return false
}

func cjkOpen(c rune) bool {
	switch c {
	case '「', '『', '（', '【', '《', '〈', '〔', '［', '｛', '“', '‘':
		return true
	}
	return false
}

func cjkClose(c rune) bool {
	switch c {
	case '」', '』', '）', '】', '》', '〉', '〕', '］', '｝', '”', '’':
		return true
	}
	return false
}

// isCloser reports whether c closes a quotation or bracket; right after a
// sentence's end it belongs to the sentence.
func isCloser(c rune) bool {
	switch c {
	case '"', '\'', ')', ']', '}', '»', '«', '›', '‹', '”', '“', '’', '‘', '„':
		return true
	}
	return cjkClose(c)
}

// isOpener reports whether c may come before the first word of a sentence.
func isOpener(c rune) bool {
	switch c {
	case '"', '\'', '(', '[', '{', '«', '»', '‹', '›', '“', '‘', '„', '‚', '¿', '¡', '—', '–', '-', '•', '*', '·':
		return true
	}
	return cjkOpen(c)
}

// closers returns the end of the closing quotes and brackets at s[i:]. A
// French closing guillemet may stand after a space: « Oui. »
func closers(s string, i int) int {
	for i < len(s) {
		c, w := utf8.DecodeRuneInString(s[i:])
		if isCloser(c) {
			i += w
			continue
		}
		if c == ' ' || c == '\u00a0' || c == '\u202f' {
			if j := i + w; j < len(s) {
				if n, nw := utf8.DecodeRuneInString(s[j:]); n == '»' || n == '›' {
					i = j + nw
					continue
				}
			}
		}
		break
	}
	return i
}

// boundary decides whether the terminal run s[t:e], followed by closers up
// to k and then white space, ends a sentence.
func boundary(s string, t, e, k int, r *rules) bool {
	next := nextWordRune(s, k)
	lower := unicode.IsLower(next)
	if e-t != 1 || s[t] != '.' {
		// "!", "?", "...", "…", "?!": a boundary unless lower case follows.
		return !lower
	}
	if kind, ok := abbreviation(s, t, r); ok {
		switch kind {
		case abbrMid:
			return false
		case abbrFinal:
			return isUpper(next)
		case abbrNumber:
			if unicode.IsDigit(next) {
				return false
			}
		}
	}
	if lower {
		return false
	}
	tok := tokenBefore(s, t)
	switch {
	case tok == "":
	case isInitial(tok) && !romanAfterWord(s, t-len(tok), tok):
		return false // J. R. R. Tolkien, J.R.R. Tolkien
	case atLineStart(s, t-len(tok)) && isListNumber(tok):
		return false // "1. Item", "iv. Item"
	case r.ordinals && len(tok) <= 3 && isDigits(tok) && !afterNumberAbbr(s, t-len(tok), r):
		return false // am 3. Oktober, but not S. 5.
	}
	return true
}

// romanAfterWord reports whether tok, which starts at i, is the roman
// numeral I, V or X after a word, as in "phase I." or "World War I.": not
// an initial, which I, V and X rarely are.
func romanAfterWord(s string, i int, tok string) bool {
	if tok != "I" && tok != "V" && tok != "X" {
		return false
	}
	for i > 0 && spaceBefore(s, i) > 0 {
		i -= spaceBefore(s, i)
	}
	prev := tokenBefore(s, i)
	return prev != "" && !isInitial(strings.TrimSuffix(prev, "."))
}

// afterNumberAbbr reports whether the word before i is an abbreviation
// that comes before numbers ("S." in "S. 5").
func afterNumberAbbr(s string, i int, r *rules) bool {
	for i > 0 && isSpaceByte(s[i-1]) {
		i--
	}
	if i == 0 || s[i-1] != '.' {
		return false
	}
	kind, ok := abbreviation(s, i-1, r)
	return ok && kind == abbrNumber
}

// isUpper reports whether c is an upper or title case letter.
func isUpper(c rune) bool { return unicode.IsUpper(c) || unicode.IsTitle(c) }

// nextWordRune returns the first rune of the next word after i, past white
// space and opening punctuation; 0 at the end.
func nextWordRune(s string, i int) rune {
	for i < len(s) {
		c, w := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsSpace(c) && !isOpener(c) {
			return c
		}
		i += w
	}
	return 0
}

// tokenBefore returns the word that ends at i: the text back to white space,
// without opening punctuation.
func tokenBefore(s string, i int) string {
	j := i
	for j > 0 {
		c, w := utf8.DecodeLastRuneInString(s[:j])
		if unicode.IsSpace(c) || isOpener(c) {
			break
		}
		j -= w
	}
	return s[j:i]
}

// isInitial reports whether tok is a capital letter, or capitals joined by
// periods ("J.R.R", "U.S").
func isInitial(tok string) bool {
	for _, part := range strings.Split(tok, ".") {
		c, w := utf8.DecodeRuneInString(part)
		if w != len(part) || !isUpper(c) {
			return false
		}
	}
	return true
}

// atLineStart reports whether only spaces lie between the line's start
// (or the paragraph's) and i.
func atLineStart(s string, i int) bool {
	for i > 0 {
		c, w := utf8.DecodeLastRuneInString(s[:i])
		if c == '\n' {
			return true
		}
		if c != ' ' && c != '\t' {
			return false
		}
		i -= w
	}
	return true
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isListNumber reports whether tok numbers a list item: "1", "12", "1.2",
// a single letter, or a roman numeral.
func isListNumber(tok string) bool {
	if len(tok) == 0 || len(tok) > 8 {
		return false
	}
	digits := true
	for _, part := range strings.Split(tok, ".") {
		if !isDigits(part) || len(part) > 3 {
			digits = false
		}
	}
	if digits {
		return true
	}
	if utf8.RuneCountInString(tok) == 1 {
		c, _ := utf8.DecodeRuneInString(tok)
		return unicode.IsLetter(c)
	}
	return isRoman(tok)
}

func isRoman(tok string) bool {
	if len(tok) > 6 {
		return false
	}
	up, low := strings.Trim(tok, "IVXLC") == "", strings.Trim(tok, "ivxlc") == ""
	return up || low
}

// listItemAt reports whether a line that starts at i is a list item: a
// bullet, or a list number and "." or ")", then a space.
func listItemAt(s string, i int) bool {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	if i >= len(s) {
		return false
	}
	c, w := utf8.DecodeRuneInString(s[i:])
	switch c {
	case '-', '*', '•', '‣', '◦', '·', '–', '—':
		return i+w < len(s) && (s[i+w] == ' ' || s[i+w] == '\t')
	}
	j := i
	for j < len(s) && j-i <= 8 {
		c, w := utf8.DecodeRuneInString(s[j:])
		if c == ')' || (c == '.' && j+1 < len(s) && (s[j+1] == ' ' || s[j+1] == '\t')) {
			return j > i && j+1 < len(s) && (s[j+1] == ' ' || s[j+1] == '\t') && isListNumber(s[i:j])
		}
		if unicode.IsSpace(c) {
			return false
		}
		j += w
	}
	return false
}

// abbreviation reports whether the period at s[p] belongs to one of r's
// abbreviations and of which kind; a period inside a longer abbreviation
// ("z." of "z. B.") counts as abbrMid. The longest match wins.
func abbreviation(s string, p int, r *rules) (abbrKind, bool) {
	if p == 0 {
		return abbrMid, false
	}
	best, bestLen := abbrMid, 0
	for _, ad := range r.byLetter[s[p-1]] {
		a := ad.a
		if len(a.text) <= bestLen {
			continue
		}
		if !matchBack(s, p+1, a.text[:ad.dot+1], a.fold) || !matchFwd(s, p+1, a.text[ad.dot+1:], a.fold) {
			continue
		}
		kind := a.kind
		if ad.dot != len(a.text)-1 {
			kind = abbrMid // not the abbreviation's last period
		}
		best, bestLen = kind, len(a.text)
	}
	return best, bestLen > 0
}

// nonBreaking reports whether c is a space that keeps the words on either
// side together.
func nonBreaking(c rune) bool {
	return c == '\u00a0' || c == '\u202f' || c == '\u2007' || c == '\u2060'
}

// isSpaceByte reports whether b is ASCII white space.
func isSpaceByte(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

// spaceBefore returns the length of the white space rune that ends at i,
// or 0.
func spaceBefore(s string, i int) int {
	if i == 0 {
		return 0
	}
	if isSpaceByte(s[i-1]) {
		return 1
	}
	c, w := utf8.DecodeLastRuneInString(s[:i])
	if c != utf8.RuneError && unicode.IsSpace(c) {
		return w
	}
	return 0
}

// spaceAt returns the length of the white space rune at i, or 0.
func spaceAt(s string, i int) int {
	if i >= len(s) {
		return 0
	}
	if isSpaceByte(s[i]) {
		return 1
	}
	c, w := utf8.DecodeRuneInString(s[i:])
	if c != utf8.RuneError && unicode.IsSpace(c) {
		return w
	}
	return 0
}

// matchBack reports whether the text that ends at end is want, starting at
// a word boundary. A space in want stands for white space in the text,
// which may be missing after a period.
func matchBack(s string, end int, want string, fold bool) bool {
	i, k := end, len(want)
	for k > 0 {
		if want[k-1] == ' ' {
			n := 0
			for w := spaceBefore(s, i); w > 0; w = spaceBefore(s, i) {
				i -= w
				n++
			}
			if n == 0 && (k < 2 || want[k-2] != '.') {
				return false
			}
			k--
			continue
		}
		if i == 0 || !eqByte(s[i-1], want[k-1], fold) {
			return false
		}
		i--
		k--
	}
	if i == 0 {
		return true
	}
	c, _ := utf8.DecodeLastRuneInString(s[:i])
	return !unicode.IsLetter(c) && !unicode.IsDigit(c) && c != '.'
}

// matchFwd reports whether the text from start begins with want, spaces
// in want as in matchBack.
func matchFwd(s string, start int, want string, fold bool) bool {
	i := start
	for k := 0; k < len(want); k++ {
		if want[k] == ' ' {
			n := 0
			for w := spaceAt(s, i); w > 0; w = spaceAt(s, i) {
				i += w
				n++
			}
			if n == 0 && (k == 0 && s[start-1] != '.' || k > 0 && want[k-1] != '.') {
				return false
			}
			continue
		}
		if i >= len(s) || !eqByte(s[i], want[k], fold) {
			return false
		}
		i++
	}
	return true
}

// eqByte compares bytes, ASCII case aside when fold is set.
func eqByte(b, want byte, fold bool) bool {
	if b == want {
		return true
	}
	return fold && b < utf8.RuneSelf && b|0x20 == want && want >= 'a' && want <= 'z'
}
