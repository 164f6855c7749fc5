package retrieval

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// TokenKind is what a fuzzy-match token is.
type TokenKind uint8

const (
	KindWord        TokenKind = iota // letters, digits and marks; see Tokenize
	KindNumber                       // digits with inner separators: 12, 3.5, 1,000
	KindPlaceholder                  // %s, %1$d, %(name)s, {0}, {name}, ${name}, {{name}}
	KindTag                          // <b>, </b>, <br/>: markup written as text
	KindPunct                        // any other character that is not a space
)

// FuzzyToken is one token of a text as fuzzy matching sees it.
type FuzzyToken struct {
	Kind    TokenKind
	Start   int    // byte offset in the text
	Surface string // as written
	// Key is what the edit distance compares: the lowercased word without
	// its accelerator marker, or the kind of a number, placeholder or tag.
	Key string
	// Accel is true when the word carried an accelerator marker (_File,
	// &Open).
	Accel bool
}

// Keys of tokens whose value the edit distance ignores: two different
// numbers are the same token to it, and differ only by a penalty.
const (
	keyNumber      = "\x00num"
	keyPlaceholder = "\x00ph"
	keyTag         = "\x00tag"
)

// Tokenize splits text into the tokens fuzzy matching compares:
//
//   - a word is a run of letters, digits, marks and underscores, with
//     inner apostrophes and hyphens ("don't", "e-mail", "file_name"); a run
//     of digits with inner '.', ',' or ':' is a number instead;
//   - an ideograph or kana is a word on its own (CJK text has no spaces);
//   - printf, Python, .NET and shell placeholders and markup tags are one
//     token each;
//   - an accelerator marker ('_' or '&' right before a word's first
//     letter, as in "_File" and "&Open") belongs to the word;
//   - every other character that is not a space is a punctuation token;
//     a run of the same mark ("...") is one token.
func Tokenize(text string) []FuzzyToken {
	out := make([]FuzzyToken, 0, len(text)/5+1)
	i := 0
	for i < len(text) {
		r, n := utf8.DecodeRuneInString(text[i:])
		switch {
		case unicode.IsSpace(r):
			i += n
			continue
		case isIdeograph(r):
			out = append(out, FuzzyToken{Kind: KindWord, Start: i, Surface: text[i : i+n], Key: text[i : i+n]})
			i += n
			continue
		case r == '%' || r == '{' || r == '$':
			if m := placeholderLen(text[i:]); m > 0 {
				out = append(out, FuzzyToken{Kind: KindPlaceholder, Start: i, Surface: text[i : i+m], Key: keyPlaceholder})
				i += m
				continue
			}
		case r == '<':
			if m := tagLen(text[i:]); m > 0 {
				out = append(out, FuzzyToken{Kind: KindTag, Start: i, Surface: text[i : i+m], Key: keyTag})
				i += m
				continue
			}
		case (r == '_' || r == '&') && i+n < len(text) && (i == 0 || !isWordByte(text, i)):
			if r2, _ := utf8.DecodeRuneInString(text[i+n:]); unicode.IsLetter(r2) && !(r == '&' && isEntity(text[i:])) {
				m := wordLen(text[i+n:])
				w := text[i+n : i+n+m]
				out = append(out, FuzzyToken{Kind: KindWord, Start: i, Surface: text[i : i+n+m], Key: strings.ToLower(w), Accel: true})
				i += n + m
				continue
			}
		case isWordRune(r):
			m := wordLen(text[i:])
			w := text[i : i+m]
			if isNumber(w) {
				out = append(out, FuzzyToken{Kind: KindNumber, Start: i, Surface: w, Key: keyNumber})
			} else {
				out = append(out, FuzzyToken{Kind: KindWord, Start: i, Surface: w, Key: strings.ToLower(w)})
			}
			i += m
			continue
		}
		// Punctuation: a run of the same character is one token.
		j := i + n
		for j < len(text) {
			r2, n2 := utf8.DecodeRuneInString(text[j:])
			if r2 != r {
				break
			}
			j += n2
		}
		out = append(out, FuzzyToken{Kind: KindPunct, Start: i, Surface: text[i:j], Key: string(r)})
		i = j
	}
	return out
}

func isWordRune(r rune) bool {
	return (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || r == '_') && !isIdeograph(r)
}

// isWordByte reports whether the rune before byte i is a word rune.
func isWordByte(text string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return isWordRune(r)
}

func isIdeograph(r rune) bool {
	return r >= 0x2E80 && (unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r))
}

// wordLen returns the length of the word at the start of s: word runes,
// with single apostrophes, hyphens, dots and commas between word runes
// ("don't", "e-mail", "3.5").
func wordLen(s string) int {
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if isWordRune(r) {
			i += n
			continue
		}
		if i > 0 && (r == '\'' || r == '’' || r == '-' || r == '.' || r == ',' || r == ':') && i+n < len(s) {
			r2, n2 := utf8.DecodeRuneInString(s[i+n:])
			if isWordRune(r2) && r2 != '_' {
				// Dots, commas and colons join digits only (3.5, 1,000,
				// 10:30); between letters they end a sentence or a clause.
				if r == '.' || r == ',' || r == ':' {
					p, _ := utf8.DecodeLastRuneInString(s[:i])
					if !unicode.IsDigit(p) || !unicode.IsDigit(r2) {
						break
					}
				}
				i += n + n2
				continue
			}
		}
		break
	}
	return i
}

func isNumber(w string) bool {
	digit := false
	for _, r := range w {
		switch {
		case unicode.IsDigit(r):
			digit = true
		case r == '.' || r == ',' || r == ':':
		default:
			return false
		}
	}
	return digit
}

// isEntity reports whether s starts with an XML character entity (&amp;).
func isEntity(s string) bool {
	for i := 1; i < len(s) && i < 12; i++ {
		c := s[i]
		if c == ';' {
			return i > 1
		}
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '#') {
			return false
		}
	}
	return false
}

// placeholderLen returns the length of the placeholder at the start of s,
// or 0.
func placeholderLen(s string) int {
	switch s[0] {
	case '%':
		return printfLen(s)
	case '$':
		if len(s) > 2 && s[1] == '{' {
			if j := identLen(s[2:]); j > 0 && 2+j < len(s) && s[2+j] == '}' {
				return 3 + j
			}
		}
	case '{':
		if len(s) > 1 && s[1] == '{' {
			k := 2
			for k < len(s) && s[k] == ' ' {
				k++
			}
			if j := identLen(s[k:]); j > 0 {
				k += j
				for k < len(s) && s[k] == ' ' {
					k++
				}
				if strings.HasPrefix(s[k:], "}}") {
					return k + 2
				}
			}
			return 0
		}
		k := 1
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		if k == 1 {
			k += identLen(s[1:])
		}
		if k > 1 && k < len(s) && s[k] == '}' {
			return k + 1
		}
	}
	return 0
}

func identLen(s string) int {
	i := 0
	for i < len(s) {
		c := s[i]
		if c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && (c >= '0' && c <= '9' || c == '.') {
			i++
			continue
		}
		break
	}
	return i
}

// printfLen matches %[n$][flags][width][.prec][length]conv and %(name)s.
func printfLen(s string) int {
	i := 1
	if i < len(s) && s[i] == '(' {
		j := strings.IndexByte(s[i:], ')')
		if j < 2 || identLen(s[i+1:i+j]) != j-1 {
			return 0
		}
		i += j + 1
	} else {
		k := i
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		if k > i && k < len(s) && s[k] == '$' {
			i = k + 1
		}
	}
	for i < len(s) && strings.IndexByte("-+#0'", s[i]) >= 0 {
		i++
	}
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '*') {
		i++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '*') {
			i++
		}
	}
	for _, l := range []string{"hh", "ll", "h", "l", "L", "q", "j", "z", "t"} {
		if strings.HasPrefix(s[i:], l) {
			i += len(l)
			break
		}
	}
	if i < len(s) && strings.IndexByte("diouxXeEfFgGaAcspn", s[i]) >= 0 {
		return i + 1
	}
	return 0
}

// tagLen matches <name …>, </name> and <name/>.
func tagLen(s string) int {
	i := 1
	if i < len(s) && s[i] == '/' {
		i++
	}
	if i >= len(s) || !(s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z') {
		return 0
	}
	j := strings.IndexAny(s[i:], "<>")
	if j < 0 || s[i+j] != '>' {
		return 0
	}
	return i + j + 1
}

// Penalties, in percentage points, for differences the edit distance does
// not see. Each is charged per differing item, up to its cap.
const (
	PenaltyCase        = 1 // a word differs only in case; at most 3
	PenaltyAccelerator = 1 // accelerator markers differ (once)
	PenaltyPunct       = 1 // a punctuation mark is missing or extra; at most 3
	PenaltyNumber      = 1 // a number differs; at most 5
	PenaltyPlaceholder = 2 // a placeholder differs (%s vs %d); at most 10
	PenaltyTag         = 1 // a markup tag differs; at most 5
	PenaltySpace       = 1 // the texts differ only in white space
)

// Similarity returns the fuzzy-match score of two texts, as CAT tools
// compute it: 100 for identical texts; otherwise, over the tokens of
// Tokenize without punctuation,
//
//	100 · (max(|a|,|b|) − LD(a,b)) / max(|a|,|b|)
//
// where LD is the Levenshtein distance counting whole tokens (a word
// compared lowercased and without accelerator marker; every number, every
// placeholder and every tag equal to any other of its kind), rounded down,
// minus the penalties above for differences LD does not count, and capped
// at 99: only identical texts score 100.
func Similarity(a, b string) int {
	if a == b {
		return 100
	}
	return scorePrepared(Prepare(a), Prepare(b), 0)
}

// Prepared is a text tokenised once, for scoring against many others
// (Score). It is not changed after Prepare and is safe for concurrent use.
type Prepared struct {
	text string
	toks []FuzzyToken
	keys []string // lexical keys, in order
	bag  []string // lexical keys, sorted: for the bag-of-words bound
}

// Prepare tokenises a text for Score.
func Prepare(text string) *Prepared {
	p := &Prepared{text: text, toks: Tokenize(text)}
	p.keys = make([]string, 0, len(p.toks))
	for i := range p.toks {
		if p.toks[i].Kind != KindPunct {
			p.keys = append(p.keys, p.toks[i].Key)
		}
	}
	p.bag = append([]string(nil), p.keys...)
	sort.Strings(p.bag)
	return p
}

// searchText is the text the index analyses for a source: its words and
// numbers without accelerator markers, placeholders, tags or punctuation,
// which the language analysers would split into stray letters.
func (p *Prepared) searchText() string {
	var b strings.Builder
	b.Grow(len(p.text))
	for i := range p.toks {
		t := &p.toks[i]
		if t.Kind != KindWord && t.Kind != KindNumber {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		if t.Accel {
			b.WriteString(t.Surface[1:])
		} else {
			b.WriteString(t.Surface)
		}
	}
	return b.String()
}

// keyText is the lexical keys joined by spaces: what the words field
// indexes.
func (p *Prepared) keyText() string { return strings.Join(p.keys, " ") }

// Score returns Similarity(p's text, q's text), or -1 when it is below
// floor (0: no floor), which is often known without computing it.
func (p *Prepared) Score(q *Prepared, floor int) int {
	s := scorePrepared(p, q, floor)
	if s < floor {
		return -1
	}
	return s
}

// scorePrepared scores two prepared texts. It returns -1, without
// computing the score, when bounds show it is below floor: the length
// ratio, and the share of tokens in common, bound the score from above.
func scorePrepared(a, b *Prepared, floor int) int {
	if a.text == b.text {
		return 100
	}
	la, lb := len(a.keys), len(b.keys)
	m := max(la, lb)
	base := 100
	if m > 0 {
		if floor > 0 {
			if 100*min(la, lb)/m < floor || 100*common(a.bag, b.bag)/m < floor {
				return -1
			}
		}
		base = 100 * (m - levenshtein(a.keys, b.keys)) / m
		if base < floor {
			return -1
		}
	}
	s := base - penalties(a.toks, b.toks)
	return min(max(s, 0), 99)
}

// common returns the size of the multiset intersection of two sorted
// lists. max(|a|,|b|) − common is a lower bound of the edit distance.
func common(a, b []string) int {
	n, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			n++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return n
}

// levenshtein is the token edit distance with unit costs, in O(min) space.
func levenshtein(a, b []string) int {
	if len(a) < len(b) {
		a, b = b, a
	}
	var buf [64]int
	var row []int
	if len(b)+1 <= len(buf) {
		row = buf[:len(b)+1]
	} else {
		row = make([]int, len(b)+1)
	}
	for j := range row {
		row[j] = j
	}
	for i := 1; i <= len(a); i++ {
		prev := row[0]
		row[0] = i
		for j := 1; j <= len(b); j++ {
			cur := row[j]
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			row[j] = min(row[j]+1, row[j-1]+1, prev+cost)
			prev = cur
		}
	}
	return row[len(b)]
}

// penalties adds up the differences the edit distance does not count:
// multiset differences of the surfaces of numbers, placeholders, tags and
// punctuation, words equal but for case, accelerators, and white space.
func penalties(ta, tb []FuzzyToken) int {
	var kindsA, kindsB [5]map[string]int
	count := func(ts []FuzzyToken, ks *[5]map[string]int) (accel string) {
		for i := range ts {
			t := &ts[i]
			switch t.Kind {
			case KindWord:
				if t.Accel {
					accel += t.Key + "\x00"
				}
				k := t.Surface
				if t.Accel {
					k = k[1:]
				}
				if ks[KindWord] == nil {
					ks[KindWord] = map[string]int{}
				}
				ks[KindWord][k]++
			default:
				if ks[t.Kind] == nil {
					ks[t.Kind] = map[string]int{}
				}
				ks[t.Kind][t.Surface]++
			}
		}
		return accel
	}
	accA := count(ta, &kindsA)
	accB := count(tb, &kindsB)
	p := 0
	if accA != accB {
		p += PenaltyAccelerator
	}
	p += min(PenaltyNumber*substituted(kindsA[KindNumber], kindsB[KindNumber]), 5)
	p += min(PenaltyPlaceholder*substituted(kindsA[KindPlaceholder], kindsB[KindPlaceholder]), 10)
	p += min(PenaltyTag*substituted(kindsA[KindTag], kindsB[KindTag]), 5)
	p += min(PenaltyPunct*symDiff(kindsA[KindPunct], kindsB[KindPunct]), 3)
	p += min(PenaltyCase*max(caseDiff(kindsA[KindWord], kindsB[KindWord]), caseDiff(kindsB[KindWord], kindsA[KindWord])), 3)
	if p == 0 && sameSurfaces(ta, tb) {
		p = PenaltySpace
	}
	return p
}

// substituted counts the items of a and b that the other lacks, on the
// smaller side: values replaced by other values. An item only one side has
// is an insertion the edit distance already counts.
func substituted(a, b map[string]int) int {
	onlyA, onlyB := 0, 0
	for k, n := range a {
		if m := b[k]; n > m {
			onlyA += n - m
		}
	}
	for k, n := range b {
		if m := a[k]; n > m {
			onlyB += n - m
		}
	}
	return min(onlyA, onlyB)
}

// symDiff counts the items only one side has.
func symDiff(a, b map[string]int) int {
	d := 0
	for k, n := range a {
		if m := b[k]; n > m {
			d += n - m
		}
	}
	for k, n := range b {
		if m := a[k]; n > m {
			d += n - m
		}
	}
	return d
}

// caseDiff counts the words of a written differently in b only by case.
func caseDiff(a, b map[string]int) int {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	lowerB := make(map[string]int, len(b))
	for k, n := range b {
		lowerB[strings.ToLower(k)] += n
	}
	d := 0
	for k, n := range a {
		if m := b[k]; m >= n {
			continue
		}
		if lowerB[strings.ToLower(k)] > 0 {
			d += n - b[k]
		}
	}
	return d
}

func sameSurfaces(a, b []FuzzyToken) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Surface != b[i].Surface {
			return false
		}
	}
	return true
}

// Band is the range a score falls in, as CAT tools report it.
type Band string

// Bands, best first.
const (
	BandContext Band = "101"   // identical, and so are the neighbouring segments
	BandExact   Band = "100"   // identical text
	BandHigh    Band = "95-99" // differs in numbers, tags, case or punctuation, or a word
	BandGood    Band = "85-94"
	BandMedium  Band = "75-84"
	BandLow     Band = "50-74"
	BandNone    Band = "0-49" // not a usable match; returned only below Min 50
)

// BandOf returns the band of a score.
func BandOf(score int) Band {
	switch {
	case score >= 101:
		return BandContext
	case score == 100:
		return BandExact
	case score >= 95:
		return BandHigh
	case score >= 85:
		return BandGood
	case score >= 75:
		return BandMedium
	case score >= 50:
		return BandLow
	}
	return BandNone
}
