package metrics

import (
	"fmt"
	"strings"
	"unicode"
)

// Tokenizer names a BLEU tokenizer, as sacreBLEU's --tokenize does.
type Tokenizer string

// The tokenizers sacreBLEU offers that need no external tools.
const (
	// Tok13a is mteval-v13a.pl's tokenizer, sacreBLEU's default: splits
	// ASCII punctuation and symbols, and periods and commas except between
	// digits.
	Tok13a Tokenizer = "13a"
	// TokIntl is mteval-v14.pl's international tokenizer: splits every
	// Unicode punctuation mark not between digits, and every symbol.
	TokIntl Tokenizer = "intl"
	// TokChar makes every non-space character a token (for languages
	// written without spaces).
	TokChar Tokenizer = "char"
	// TokNone splits on whitespace only.
	TokNone Tokenizer = "none"
)

// tokenizer returns the function for t, "" meaning 13a.
func (t Tokenizer) tokenizer() (func(string) string, error) {
	switch t {
	case "", Tok13a:
		return Tokenize13a, nil
	case TokIntl:
		return TokenizeIntl, nil
	case TokChar:
		return tokenizeChar, nil
	case TokNone:
		return func(s string) string { return s }, nil
	}
	return nil, fmt.Errorf("tokenizer %q (use 13a, intl, char or none): %w", string(t), ErrBadOption)
}

// Check returns an error (ErrBadOption) when t names no tokenizer; ""
// is 13a.
func (t Tokenizer) Check() error {
	_, err := t.tokenizer()
	return err
}

func (t Tokenizer) orDefault() Tokenizer {
	if t == "" {
		return Tok13a
	}
	return t
}

// Tokenize13a tokenizes a detokenized segment the way mteval-v13a.pl (and
// sacreBLEU's default "13a") does, returning the tokens separated by single
// spaces.
func Tokenize13a(line string) string {
	// Language-independent part: unescape what mteval expects escaped.
	line = strings.ReplaceAll(line, "<skipped>", "")
	line = strings.ReplaceAll(line, "-\n", "")
	line = strings.ReplaceAll(line, "\n", " ")
	if strings.Contains(line, "&") {
		line = strings.ReplaceAll(line, "&quot;", `"`)
		line = strings.ReplaceAll(line, "&amp;", "&")
		line = strings.ReplaceAll(line, "&lt;", "<")
		line = strings.ReplaceAll(line, "&gt;", ">")
	}
	rs := make([]rune, 0, len(line)+16)
	rs = append(rs, ' ')
	// Western part, step 1: pad ASCII punctuation and symbols other than
	// period, comma, hyphen and apostrophe.
	for _, r := range line {
		if is13aPunct(r) {
			rs = append(rs, ' ', r, ' ')
		} else {
			rs = append(rs, r)
		}
	}
	rs = append(rs, ' ')
	// Step 2: period and comma unless preceded by a digit.
	rs = subPairs(rs, func(a, b rune) bool { return !isASCIIDigit(a) && (b == '.' || b == ',') },
		func(out []rune, a, b rune) []rune { return append(out, a, ' ', b, ' ') })
	// Step 3: period and comma unless followed by a digit.
	rs = subPairs(rs, func(a, b rune) bool { return (a == '.' || a == ',') && !isASCIIDigit(b) },
		func(out []rune, a, b rune) []rune { return append(out, ' ', a, ' ', b) })
	// Step 4: a dash after a digit.
	rs = subPairs(rs, func(a, b rune) bool { return isASCIIDigit(a) && b == '-' },
		func(out []rune, a, b rune) []rune { return append(out, a, ' ', b, ' ') })
	return strings.Join(fields(string(rs)), " ")
}

// is13aPunct is the character class [{-~[-` -&(-+:-@/] of mteval-v13a.
func is13aPunct(r rune) bool {
	switch {
	case r >= '{' && r <= '~', r >= '[' && r <= '`', r >= ' ' && r <= '&',
		r >= '(' && r <= '+', r >= ':' && r <= '@', r == '/':
		return true
	}
	return false
}

func isASCIIDigit(r rune) bool { return r >= '0' && r <= '9' }

// subPairs replaces every leftmost, non-overlapping pair of runes that
// match with what repl appends — what a regular-expression substitution of
// a two-character pattern does, without the regexp.
func subPairs(rs []rune, match func(a, b rune) bool, repl func(out []rune, a, b rune) []rune) []rune {
	out := make([]rune, 0, len(rs)+len(rs)/4)
	for i := 0; i < len(rs); {
		if i+1 < len(rs) && match(rs[i], rs[i+1]) {
			out = repl(out, rs[i], rs[i+1])
			i += 2
			continue
		}
		out = append(out, rs[i])
		i++
	}
	return out
}

// TokenizeIntl tokenizes the way mteval-v14.pl's international tokenizer
// (sacreBLEU's "intl") does: Unicode punctuation is split off unless it
// sits between digits, and every symbol is split off.
func TokenizeIntl(line string) string {
	rs := []rune(line)
	rs = subPairs(rs, func(a, b rune) bool { return !unicode.IsNumber(a) && unicode.IsPunct(b) },
		func(out []rune, a, b rune) []rune { return append(out, a, ' ', b, ' ') })
	rs = subPairs(rs, func(a, b rune) bool { return unicode.IsPunct(a) && !unicode.IsNumber(b) },
		func(out []rune, a, b rune) []rune { return append(out, ' ', a, ' ', b) })
	out := make([]rune, 0, len(rs)+8)
	for _, r := range rs {
		if unicode.IsSymbol(r) {
			out = append(out, ' ', r, ' ')
		} else {
			out = append(out, r)
		}
	}
	return strings.Join(fields(string(out)), " ")
}

// tokenizeChar is sacreBLEU's "char" tokenizer: every character a token.
func tokenizeChar(line string) string {
	var b strings.Builder
	b.Grow(2 * len(line))
	for _, r := range line {
		if isSpace(r) {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}
