package qa

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kgmem/kgmem/translate"
)

// masked stands, in text.masked, for a URL, placeholder or tag: a
// character that is neither a letter, a digit, punctuation nor space, so
// that the checks of words, numbers and punctuation look past them.
const masked = '\uFFFC'

// text is one side of a pair, taken apart once for every check.
type text struct {
	raw string
	// masked is raw with its URLs, e-mail addresses, placeholders and
	// tags each replaced by the masked rune.
	masked string
	// placeholders are the placeholders of raw in order (printf, Python,
	// brace, ${…}, Qt %1, escapes other than \n), as translate protects
	// them.
	placeholders []string
	// tags are the markup tags written as text, as keys: "<b>", "</b>",
	// "<br/>" (attributes left out: they may be translated).
	tags []string
	// addresses are the URLs and e-mail addresses.
	addresses []string
	// metavars counts the words in angle brackets that are not markup:
	// the metavariables of a command's usage ("<file>").
	metavars int
	// dateFormat: every placeholder is a strftime conversion, one at
	// least of a kind printf has not ("%e %B %Y"): a date or time format,
	// which translators adapt to their locale's.
	dateFormat bool
}

// addressPattern matches URLs (with a scheme, or starting www.) and
// e-mail addresses.
var addressPattern = regexp.MustCompile(`(?i)\b(?:(?:https?|ftps?|sftp|file|ssh|git|mailto|irc)://|www\.)[^\s<>"'` + "`" + `{}|\\^«»“”‘’„]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`)

// tagPattern matches markup: a start, end or empty tag whose attributes,
// if any, are name=value pairs. What else translate protects between
// angle brackets is text ("<Sequence [%1]>").
var tagPattern = regexp.MustCompile(`^</?[A-Za-z][A-Za-z0-9:_.-]*(?:\s+[A-Za-z_:][A-Za-z0-9:_.-]*\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>/=]+))*\s*/?>$`)

// percentWords matches capitals between percent signs, with spaces
// among them: LibreOffice's "%SAVE IN SELECTION%".
var percentWords = regexp.MustCompile(`%[A-Z][A-Z0-9_]*(?: [A-Z0-9_]+)+%`)

// spacedMetavar matches words in angle brackets with a space among them.
var spacedMetavar = regexp.MustCompile(`<[\pL\pN][\pL\pN_.-]*(?: [\pL\pN_.-]+)+>`)

// qtPattern matches Qt's %1 … %99 and %L1; a '$' after the digits makes a
// printf positional argument, which translate's pattern takes instead.
var qtPattern = regexp.MustCompile(`%L?[1-9][0-9]?`)

func newText(s string) *text {
	t := &text{raw: s}
	if s == "" {
		return t
	}
	// Addresses first: a URL's %20 or & is part of it, not a placeholder
	// or an accelerator.
	var b strings.Builder
	last := 0
	for _, m := range addressPattern.FindAllStringIndex(s, -1) {
		end := trimAddress(s[m[0]:m[1]]) + m[0]
		t.addresses = append(t.addresses, s[m[0]:end])
		b.WriteString(s[last:m[0]])
		b.WriteRune(masked)
		last = end
	}
	b.WriteString(s[last:])
	rest := b.String()
	// LibreOffice's placeholders of several words ("%SAVE IN SELECTION%"),
	// which translate's pattern would split.
	if strings.IndexByte(rest, '%') >= 0 {
		b.Reset()
		last = 0
		for _, m := range percentWords.FindAllStringIndex(rest, -1) {
			t.placeholders = append(t.placeholders, rest[m[0]:m[1]])
			b.WriteString(rest[last:m[0]])
			b.WriteRune(masked)
			last = m[1]
		}
		b.WriteString(rest[last:])
		rest = b.String()
	}
	// Placeholders and tags, as translate finds them.
	b.Reset()
	last = 0
	for _, ph := range translate.Placeholders(rest) {
		i := strings.Index(rest[last:], ph)
		if i < 0 {
			continue
		}
		i += last
		end := i + len(ph)
		switch {
		case ph == "\n" || ph == `\n`:
			continue // the newlines check counts them
		case strings.HasPrefix(ph, "<"):
			if !tagPattern.MatchString(ph) {
				continue // text in angle brackets: "<Press Add to start>"
			}
			key := tagKey(ph)
			if !markup(key, rest) {
				// A command's metavariable ("<file>", "<commit>"), which
				// translators may translate: counted, not compared.
				t.metavars++
				break
			}
			t.tags = append(t.tags, key)
		default:
			// LibreOffice's %PRODUCTNAME: the conversion letter starts a
			// word of capitals, and the word is the placeholder.
			if len(ph) == 2 && ph[1] >= 'A' && ph[1] <= 'Z' {
				for end < len(rest) && (rest[end] >= 'A' && rest[end] <= 'Z' || rest[end] == '_') {
					end++
				}
				ph = rest[i:end]
			}
			t.placeholders = append(t.placeholders, ph)
		}
		b.WriteString(rest[last:i])
		b.WriteRune(masked)
		last = end
	}
	b.WriteString(rest[last:])
	rest = b.String()
	// Qt's numbered placeholders, which translate does not know.
	if strings.IndexByte(rest, '%') >= 0 {
		b.Reset()
		last = 0
		for _, m := range qtPattern.FindAllStringIndex(rest, -1) {
			if m[1] < len(rest) && (rest[m[1]] == '$' || rest[m[1]] >= '0' && rest[m[1]] <= '9') {
				continue
			}
			t.placeholders = append(t.placeholders, rest[m[0]:m[1]])
			b.WriteString(rest[last:m[0]])
			b.WriteRune(masked)
			last = m[1]
		}
		b.WriteString(rest[last:])
		rest = b.String()
	}
	t.masked = rest
	// Metavariables of more than one word ("<byte count>", which
	// translate does not take for a placeholder) are counted too.
	t.metavars += len(spacedMetavar.FindAllStringIndex(rest, -1))
	t.dateFormat = isDateFormat(t.placeholders)
	return t
}

// strftimePattern matches a strftime conversion, with glibc's flags and
// the E and O modifiers.
var strftimePattern = regexp.MustCompile(`^%[-_0^#]?[EO]?[aAbBcCdDeFgGhHIjklmMnprRsStTuUVwWxXyYzZ+%]$`)

func isDateFormat(phs []string) bool {
	only := false
	for _, ph := range phs {
		if !strftimePattern.MatchString(ph) {
			return false
		}
		if strings.ContainsAny(ph[len(ph)-1:], "bBCDGghHIjklmMPrRStTuUVwWyYzZ") {
			only = true
		}
	}
	return only
}

// trimAddress returns the length of an address without the punctuation
// that ends the sentence around it, and without a closing bracket it
// does not open.
func trimAddress(a string) int {
	for len(a) > 0 {
		c := a[len(a)-1]
		switch {
		case strings.IndexByte(".,;:!?", c) >= 0:
		case c == ')' && strings.Count(a, "(") < strings.Count(a, ")"):
		case c == ']' && strings.Count(a, "[") < strings.Count(a, "]"):
		default:
			return len(a)
		}
		a = a[:len(a)-1]
	}
	return 0
}

// markupNames are the elements of HTML, Pango markup and DocBook that
// user-interface strings carry without attributes.
var markupNames = map[string]bool{
	"a": true, "b": true, "i": true, "u": true, "s": true, "p": true, "q": true, "br": true, "hr": true, "em": true,
	"strong": true, "span": true, "tt": true, "big": true, "small": true, "sub": true, "sup": true, "code": true,
	"pre": true, "kbd": true, "var": true, "samp": true, "cite": true, "abbr": true, "del": true, "ins": true,
	"mark": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "ul": true, "ol": true,
	"li": true, "dl": true, "dt": true, "dd": true, "div": true, "table": true, "tr": true, "td": true, "th": true,
	"img": true, "font": true, "center": true, "blockquote": true, "nobr": true, "wbr": true, "html": true,
	"body": true, "head": true, "title": true, "emphasis": true, "literal": true, "filename": true,
	"command": true, "link": true, "ulink": true, "guimenu": true, "guibutton": true, "guilabel": true,
	"keycap": true, "application": true, "quote": true, "para": true, "xref": true, "description": true,
}

// markup reports whether a tag (as tagKey gives it) is markup: an
// element markup languages have, one with attributes, a closing or empty
// tag, or a start tag the text closes.
func markup(key, text string) bool {
	name := strings.Trim(key, "</>")
	switch {
	case markupNames[name], strings.HasPrefix(key, "</"), strings.HasSuffix(key, "/>"):
		return true
	}
	return strings.Contains(strings.ToLower(text), "</"+name+">")
}

// tagKey returns a tag without its attributes: "<a href='x'>" is "<a>".
func tagKey(tag string) string {
	closing := strings.HasPrefix(tag, "</")
	self := strings.HasSuffix(tag, "/>")
	name := strings.TrimPrefix(strings.TrimPrefix(tag, "<"), "/")
	if i := strings.IndexFunc(name, func(r rune) bool { return unicode.IsSpace(r) || r == '/' || r == '>' }); i >= 0 {
		name = name[:i]
	}
	name = strings.ToLower(name)
	switch {
	case closing:
		return "</" + name + ">"
	case self:
		return "<" + name + "/>"
	}
	return "<" + name + ">"
}

// counts returns how many times each string occurs.
func counts(ss []string) map[string]int {
	m := make(map[string]int, len(ss))
	for _, s := range ss {
		m[s]++
	}
	return m
}

// multisetDiff returns what want has more of than got, and what got has
// more of than want, each in the order of first occurrence.
func multisetDiff(want, got []string) (lost, extra []string) {
	cw, cg := counts(want), counts(got)
	seen := map[string]bool{}
	for _, s := range want {
		if !seen[s] && cw[s] > cg[s] {
			for range cw[s] - cg[s] {
				lost = append(lost, s)
			}
		}
		seen[s] = true
	}
	seen = map[string]bool{}
	for _, s := range got {
		if !seen[s] && cg[s] > cw[s] {
			for range cg[s] - cw[s] {
				extra = append(extra, s)
			}
		}
		seen[s] = true
	}
	return lost, extra
}

// accelMarkers are the keyboard accelerator markers: GTK's _, Qt's and
// Windows' &, LibreOffice's ~.
var accelMarkers = [...]byte{'_', '&', '~'}

// accelerators returns the marker a text's accelerator uses (0 when it has
// none), and how many candidates of each marker it has. A candidate is
// the marker right before a letter or digit, not doubled (&& and __ are
// the character itself), and for & not an entity (&amp;). A text has an
// accelerator when one marker has exactly one candidate; for _, also no
// other underscore (file_name_here is an identifier).
func accelerators(masked string) (marker byte, n [3]int) {
	for i := 0; i < len(masked); i++ {
		c := masked[i]
		k := strings.IndexByte("_&~", c)
		if k < 0 {
			continue
		}
		if i+1 < len(masked) && masked[i+1] == c {
			i++ // doubled: a literal marker
			continue
		}
		if i > 0 && masked[i-1] == c {
			continue
		}
		r, _ := utf8.DecodeRuneInString(masked[i+1:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			continue
		}
		if c == '&' && entityPattern.MatchString(masked[i:]) {
			continue
		}
		n[k]++
	}
	for k, m := range accelMarkers {
		if n[k] == 1 && (m != '_' || strings.Count(masked, "_") == 1 && !identifier(masked)) {
			return m, n
		}
	}
	return 0, n
}

// identifier reports whether a text with an underscore is one word with
// the underscore between a letter or digit and a capital, as key names
// are ("Page_Up", "KP_Enter", "Num_Lock"). A label's marker inside a
// word stands before a lowercase letter ("Cha_nnel", "A_brir").
func identifier(s string) bool {
	s = strings.TrimSpace(s)
	i := strings.IndexByte(s, '_')
	if i <= 0 || strings.ContainsFunc(s, unicode.IsSpace) {
		return false
	}
	before, _ := utf8.DecodeLastRuneInString(s[:i])
	after, _ := utf8.DecodeRuneInString(s[i+1:])
	return (unicode.IsLetter(before) || unicode.IsDigit(before)) && unicode.IsUpper(after)
}

var entityPattern = regexp.MustCompile(`^&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);`)

// withoutAccelerator returns s without its accelerator marker.
func withoutAccelerator(s string) string {
	m, _ := accelerators(s)
	if m == 0 {
		return s
	}
	for i := 0; i < len(s); i++ {
		if s[i] != m {
			continue
		}
		if i+1 < len(s) && s[i+1] == m {
			i++
			continue
		}
		r, _ := utf8.DecodeRuneInString(s[i+1:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if m == '&' && entityPattern.MatchString(s[i:]) {
				continue
			}
			return s[:i] + s[i+1:]
		}
	}
	return s
}

// numberPattern matches a number: digits in any script, with group and
// decimal separators between digits.
var numberPattern = regexp.MustCompile(`\p{Nd}+(?:[.,'\x{00A0}\x{202F}\x{2009}]\p{Nd}+)*`)

// numbers returns the numbers of a masked text as their ASCII digits,
// separators left out, so that 1,000.5 and 1.000,5 are the same number.
func numbers(masked string) []string {
	ms := numberPattern.FindAllString(masked, -1)
	for i, m := range ms {
		var b strings.Builder
		for _, r := range m {
			if d, ok := digitValue(r); ok {
				b.WriteByte(byte('0' + d))
			}
		}
		ms[i] = b.String()
	}
	return ms
}

// digitZeros are the zeros of the decimal digit blocks kgmem reads:
// ASCII, Arabic-Indic, Extended Arabic-Indic, Devanagari, Bengali,
// Gurmukhi, Gujarati, Tamil, Telugu, Kannada, Malayalam, Thai, Lao,
// Tibetan, Myanmar, Khmer, full width.
var digitZeros = [...]rune{'0', 0x660, 0x6F0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xBE6, 0xC66, 0xCE6, 0xD66, 0xE50, 0xED0, 0xF20, 0x1040, 0x17E0, 0xFF10}

func digitValue(r rune) (int, bool) {
	for _, z := range digitZeros {
		if r >= z && r <= z+9 {
			return int(r - z), true
		}
	}
	return 0, false
}

// words returns the runs of letters of a masked text.
func words(masked string) []string {
	return strings.FieldsFunc(masked, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsMark(r) })
}
