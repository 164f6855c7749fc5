package translate

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kgmem/kgmem/corpora"
)

// placeholderPattern matches what a translation must keep exactly as it is,
// most specific first: Python %(name)s, gettext's %<PRId64>, printf and
// strftime conversions (%s, %1$s, %-5.2f, %lu, %%, %B; no space flag, since
// "50 % de" is text), ${var}, {0} {name} {0:N2}, {{name}}, markup written as
// text (<b>, </b>, <br/>), and escaped control characters (\n, \t, \r).
var placeholderPattern = regexp.MustCompile(strings.Join([]string{
	`%\([A-Za-z_][A-Za-z0-9_]*\)[-+ 0#]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]`,
	`%<PRI[A-Za-z0-9]+>`,
	`%(?:\d+\$)?[-+0#'_^]*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|ll|[hlLqjzt])?[A-Za-z%]`,
	`\$\{[^{}\s]+\}`,
	`\{\{[A-Za-z0-9_.]+\}\}`,
	`\{[A-Za-z0-9_.]*(?:[!:][^{}]*)?\}`,
	`</?[A-Za-z][A-Za-z0-9:_.-]*(?:\s[^<>]*)?/?>`,
	`\\[ntr]`,
	"\n",
	"\t",
}, "|"))

// codeToken is how an inline code is written in the text a model sees:
// brackets no format uses, so that the token is never confused with text.
func codeToken(i int) string { return "⟦" + strconv.Itoa(i) + "⟧" }

var codeTokenPattern = regexp.MustCompile(`⟦(\d+)⟧`)

// addressPattern matches URLs and e-mail addresses: an '&' or '_' in them
// ("?a=1&group=x", "bug_report@…") is part of the address, never a
// keyboard accelerator, and a marker is never put back inside one.
var addressPattern = regexp.MustCompile(`\b(?:https?|ftp)://[^\s<>"']+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+`)

// unmarkable returns the spans of s an accelerator marker cannot be in:
// placeholders and addresses.
func unmarkable(s string) [][]int {
	return append(placeholderPattern.FindAllStringIndex(s, -1), addressPattern.FindAllStringIndex(s, -1)...)
}

// Placeholders returns the placeholders of s, in order (see Protect).
func Placeholders(s string) []string {
	return placeholderPattern.FindAllString(s, -1)
}

// accelerator is a keyboard accelerator marker removed from a text.
type accelerator struct {
	marker rune // '_', '&' or '~'
	letter rune // the letter it marked
}

// findAccelerator returns the byte offset of the one accelerator marker of
// s, or -1. A marker is '_' (GTK) or '&' (Qt, Windows) right before a
// letter or digit, or '~' (LibreOffice) right before a letter, where '&'
// does not start an entity (&amp;) and is not doubled (&&); a text with
// more than one candidate, or with '_' inside placeholders, has none: it is
// an identifier or markup, not a label.
func findAccelerator(s string, protected [][]int) int {
	at := -1
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '_' && c != '&' && c != '~' {
			continue
		}
		inside := false
		for _, p := range protected {
			if i >= p[0] && i < p[1] {
				inside = true
				break
			}
		}
		if inside {
			continue
		}
		r, _ := utf8.DecodeRuneInString(s[i+1:])
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) && c != '~') {
			continue
		}
		if c == '&' && entityAt(s[i:]) {
			continue
		}
		if i > 0 && s[i-1] == c {
			continue
		}
		if c == '_' && i > 0 {
			// snake_case identifiers: an underscore between two lowercase
			// runs that are longer than a mnemonic's split ("file_name")
			// is only a marker in GTK labels, which rarely have another
			// underscore; "Cha_nnel" keeps its marker.
			if strings.Count(s, "_") > 1 {
				return -1
			}
		}
		if at >= 0 {
			return -1
		}
		at = i
	}
	return at
}

var entityPattern = regexp.MustCompile(`^&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#x[0-9A-Fa-f]+);`)

func entityAt(s string) bool { return entityPattern.MatchString(s) }

// Protected is a segment prepared for a model: its inline codes replaced by
// tokens, its accelerator removed, its outer white space set aside, and the
// placeholders it holds listed so that the model copies them and Restore
// can check that they came back.
type Protected struct {
	// Text is what the model translates.
	Text string
	// Placeholders are the distinct strings of Text the model must copy
	// unchanged: placeholders and code tokens.
	Placeholders []string

	want          []string // every placeholder and code token, sorted
	codes         map[string]*corpora.Code
	accel         *accelerator
	before, after string // white space around the text
}

// Protect prepares a segment for translation.
func Protect(seg corpora.Segment) *Protected {
	p := &Protected{codes: map[string]*corpora.Code{}}
	var b strings.Builder
	for _, sp := range seg.Spans {
		if sp.Code != nil {
			tok := codeToken(len(p.codes) + 1)
			p.codes[tok] = sp.Code
			b.WriteString(tok)
			continue
		}
		b.WriteString(sp.Text)
	}
	text := b.String()
	if i := findAccelerator(text, unmarkable(text)); i >= 0 {
		r, _ := utf8.DecodeRuneInString(text[i+1:])
		p.accel = &accelerator{marker: rune(text[i]), letter: r}
		text = text[:i] + text[i+1:]
	}
	trimmed := strings.TrimSpace(text)
	if trimmed != "" {
		start := strings.Index(text, trimmed)
		p.before, p.after = text[:start], text[start+len(trimmed):]
		text = trimmed
	}
	p.Text = text
	seen := map[string]bool{}
	add := func(s string) {
		p.want = append(p.want, s)
		if !seen[s] {
			seen[s] = true
			p.Placeholders = append(p.Placeholders, s)
		}
	}
	for _, ph := range placeholderPattern.FindAllString(text, -1) {
		add(ph)
	}
	for _, tok := range codeTokenPattern.FindAllString(text, -1) {
		add(tok)
	}
	slices.Sort(p.want)
	return p
}

// HasAccelerator reports whether an accelerator was removed.
func (p *Protected) HasAccelerator() bool { return p.accel != nil }

// Problem is something a translation lost or gained that it must not.
type Problem struct {
	Kind   string `json:"kind"` // "placeholder", "code", "accelerator", "term", "deprecated", "empty"
	Detail string `json:"detail"`
}

func (p Problem) String() string { return p.Kind + ": " + p.Detail }

// Restore turns a model's translation of Text back into a segment: code
// tokens become the codes again (a lost one is appended at the end, and
// reported), the accelerator goes back on the same letter where the
// translation has it, the outer white space returns, and every placeholder
// that was lost, duplicated or invented is reported.
func (p *Protected) Restore(out string) (corpora.Segment, []Problem) {
	var problems []Problem
	out = strings.TrimSpace(out)
	// Placeholders and codes: same set, same count.
	got := append(placeholderPattern.FindAllString(out, -1), codeTokenPattern.FindAllString(out, -1)...)
	slices.Sort(got)
	if !slices.Equal(got, p.want) {
		lost, extra := diff(p.want, got)
		for _, s := range lost {
			kind := "placeholder"
			if p.codes[s] != nil {
				kind = "code"
				out += s // keep every code, so that the document stays well formed
			}
			problems = append(problems, Problem{kind, fmt.Sprintf("lost %q", s)})
		}
		for _, s := range extra {
			kind := "placeholder"
			if codeTokenPattern.MatchString(s) {
				kind = "code"
			}
			problems = append(problems, Problem{kind, fmt.Sprintf("invented or duplicated %q", s)})
		}
	}
	out = p.respace(out)
	if p.accel != nil {
		var ok bool
		out, ok = insertAccelerator(out, *p.accel)
		if !ok {
			problems = append(problems, Problem{"accelerator", fmt.Sprintf("no place for %c in the translation", p.accel.marker)})
		}
	}
	if out != "" {
		out = p.before + out + p.after
	}
	// Codes back.
	var seg corpora.Segment
	last := 0
	for _, m := range codeTokenPattern.FindAllStringIndex(out, -1) {
		c := p.codes[out[m[0]:m[1]]]
		if c == nil {
			continue // an invented token stays text; it was reported
		}
		seg.Append(out[last:m[0]])
		seg.AppendCode(c)
		last = m[1]
	}
	seg.Append(out[last:])
	return seg, problems
}

// diff returns what is in want but not got, and in got but not want; both
// sorted.
func diff(want, got []string) (lost, extra []string) {
	i, j := 0, 0
	for i < len(want) || j < len(got) {
		switch {
		case j >= len(got) || (i < len(want) && want[i] < got[j]):
			lost = append(lost, want[i])
			i++
		case i >= len(want) || got[j] < want[i]:
			extra = append(extra, got[j])
			j++
		default:
			i++
			j++
		}
	}
	return lost, extra
}

// insertAccelerator puts the marker back, as localisers do: before the same
// letter at the start of a word, else before the same letter anywhere in
// a word, else before the first letter of the translation. Placeholders and
// code tokens are never split.
func insertAccelerator(s string, a accelerator) (string, bool) {
	if s == "" {
		return s, false
	}
	protected := unmarkable(s)
	protected = append(protected, codeTokenPattern.FindAllStringIndex(s, -1)...)
	free := func(i int) bool {
		for _, p := range protected {
			if i >= p[0] && i < p[1] {
				return false
			}
		}
		return true
	}
	same := func(r rune) bool { return unicode.ToLower(r) == unicode.ToLower(a.letter) }
	pos := -1
	prevLetter := false
	for i, r := range s {
		isLetter := unicode.IsLetter(r) || unicode.IsDigit(r)
		if isLetter && !prevLetter && same(r) && free(i) {
			pos = i
			break
		}
		prevLetter = isLetter
	}
	if pos < 0 {
		for i, r := range s {
			if same(r) && free(i) {
				pos = i
				break
			}
		}
	}
	if pos < 0 {
		for i, r := range s {
			if (unicode.IsLetter(r) || unicode.IsDigit(r)) && free(i) {
				pos = i
				break
			}
		}
	}
	if pos < 0 {
		return s, false
	}
	return s[:pos] + string(a.marker) + s[pos:], true
}

// stripAccelerator removes the accelerator marker of a text, if it has
// one: how TM matches are shown to a model that sees the source without
// its marker.
func stripAccelerator(s string) string {
	if i := findAccelerator(s, unmarkable(s)); i >= 0 {
		return s[:i] + s[i+1:]
	}
	return s
}

// respace gives a placeholder back the space the source had around it
// when the model glued it to a word ("%d hour" → "%dhora").
func (p *Protected) respace(out string) string {
	for _, ph := range p.Placeholders {
		if ph == "\n" || ph == "\t" || codeTokenPattern.MatchString(ph) {
			continue
		}
		spaceAfter := strings.Contains(p.Text, ph+" ")
		spaceBefore := strings.Contains(p.Text, " "+ph)
		var b strings.Builder
		rest := out
		for {
			i := strings.Index(rest, ph)
			if i < 0 {
				b.WriteString(rest)
				break
			}
			if spaceBefore && i > 0 {
				if r, _ := utf8.DecodeLastRuneInString(rest[:i]); unicode.IsLetter(r) {
					b.WriteString(rest[:i])
					b.WriteString(" ")
					rest = rest[i:]
					i = 0
				}
			}
			b.WriteString(rest[:i+len(ph)])
			rest = rest[i+len(ph):]
			if r, _ := utf8.DecodeRuneInString(rest); spaceAfter && unicode.IsLetter(r) {
				b.WriteString(" ")
			}
		}
		out = b.String()
	}
	return out
}
