package corpora

import "unicode"

// CountWords counts the words of s as CAT tools count them for statistics:
// runs of letters, digits and joining punctuation (don't, e-mail, 3.14) are
// one word each, and every ideograph or kana character counts as a word of
// its own, since Chinese and Japanese are written without spaces.
func CountWords(s string) int {
	n := 0
	in := false
	var prev rune
	for _, r := range s {
		switch {
		case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana):
			n++
			in = false
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			if !in {
				n++
				in = true
			}
		case in && (r == '\'' || r == '’' || r == '-' || r == '.' || r == ',') && prev != r:
			// Joiners stay inside a word only when a letter or digit follows;
			// a trailing one ends the word at the next non-word rune anyway.
		default:
			in = false
		}
		prev = r
	}
	return n
}
