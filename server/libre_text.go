package server

import (
	"html"
	"strconv"
	"strings"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/plaintext"
	"github.com/kgmem/kgmem/translate"
)

// textBatch turns the texts of one request of a compatible API
// (LibreTranslate's q, APy's q) into the segments the pipeline translates,
// and puts their translations back in place. A text is split into
// sentences, as kgmem's memory holds sentences; HTML is first split at its
// block elements, and the inline tags inside a sentence travel through the
// pipeline as inline codes, so that they come back where the translation
// puts them. Markup between sentences, white space, comments, scripts and
// styles are copied as they are.
type textBatch struct {
	lang language.Tag // of the source: its sentence rules
	html bool
	segs []translate.Segment
	// texts holds, per text added, its parts in order.
	texts [][]textPart
}

// textPart is a piece of a text: copied as it is (keep), or the
// translation of segment seg.
type textPart struct {
	keep string
	seg  int // index into segs; -1 for keep
}

func newTextBatch(lang language.Tag, html bool) *textBatch {
	return &textBatch{lang: lang, html: html}
}

// add splits a text into parts and segments, and returns its index.
func (b *textBatch) add(text string) int {
	first := len(b.segs)
	var parts []textPart
	if b.html {
		parts = b.splitHTML(text)
	} else {
		parts = b.splitRun(parts, []inlineItem{{text: text}}, false)
	}
	// Each segment's neighbours in its text, for in-context matches.
	for i := first; i < len(b.segs); i++ {
		if i > first {
			b.segs[i].Prev = b.segs[i-1].Source.Plain()
		}
		if i+1 < len(b.segs) {
			b.segs[i].Next = b.segs[i+1].Source.Plain()
		}
	}
	b.texts = append(b.texts, parts)
	return len(b.texts) - 1
}

// segments returns the segments of every text added, in order.
func (b *textBatch) segments() []translate.Segment { return b.segs }

// segmentsOf returns the indexes of text i's segments.
func (b *textBatch) segmentsOf(i int) []int {
	var out []int
	for _, p := range b.texts[i] {
		if p.seg >= 0 {
			out = append(out, p.seg)
		}
	}
	return out
}

// render returns text i with each segment replaced by its translation
// (results are those of segments(), in order).
func (b *textBatch) render(i int, results []translate.Result) string {
	var sb strings.Builder
	for _, p := range b.texts[i] {
		if p.seg < 0 {
			sb.WriteString(p.keep)
			continue
		}
		r := results[p.seg]
		if r.Target.IsEmpty() {
			sb.WriteString(b.escape(r.Translation))
			continue
		}
		for _, sp := range r.Target.Spans {
			if sp.Code != nil {
				sb.WriteString(sp.Code.Native)
			} else {
				sb.WriteString(b.escape(sp.Text))
			}
		}
	}
	return sb.String()
}

// escape writes text as the format needs it: HTML gets the characters
// that would start markup escaped.
func (b *textBatch) escape(s string) string {
	if !b.html {
		return s
	}
	return escapeHTMLText(s)
}

// escapeHTMLText escapes & always, and < where it would start a tag or a
// comment; everything else (quotes, >, non-ASCII) is written as it is.
func escapeHTMLText(s string) string {
	if !strings.ContainsAny(s, "&<") {
		return s
	}
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '&':
			sb.WriteString("&amp;")
		case c == '<' && i+1 < len(s) && startsMarkup(s[i+1]):
			sb.WriteString("&lt;")
		default:
			sb.WriteByte(c)
		}
	}
	return sb.String()
}

// startsMarkup reports whether c after < makes it the start of a tag, an
// end tag, a comment or a processing instruction.
func startsMarkup(c byte) bool {
	return c == '/' || c == '!' || c == '?' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// inlineItem is a piece of a run of inline content: text (already decoded
// from HTML) or an inline code.
type inlineItem struct {
	text string
	code *corpora.Code
}

// splitRun appends to parts the sentences of a run of inline content and
// what lies between them. A code strictly inside a sentence goes into its
// segment; one at a sentence's edge or between sentences is copied.
func (b *textBatch) splitRun(parts []textPart, run []inlineItem, escape bool) []textPart {
	// The run's plain text, and where each item starts in it.
	var plain strings.Builder
	offsets := make([]int, len(run))
	for i, it := range run {
		offsets[i] = plain.Len()
		plain.WriteString(it.text)
	}
	p := plain.String()
	keep := func(from, to int, codesTo int) string {
		// Text in [from, to) and the codes at offsets in [from, codesTo].
		var sb strings.Builder
		for i, it := range run {
			o := offsets[i]
			if it.code != nil {
				if o >= from && o <= codesTo {
					sb.WriteString(it.code.Native)
				}
				continue
			}
			lo, hi := max(o, from), min(o+len(it.text), to)
			if lo < hi {
				t := p[lo:hi]
				if escape {
					t = escapeHTMLText(t)
				}
				sb.WriteString(t)
			}
		}
		return sb.String()
	}
	pos := 0
	for _, s := range plaintext.Split(p, b.lang) {
		if k := keep(pos, s.Start, s.Start); k != "" {
			parts = append(parts, textPart{keep: k, seg: -1})
		}
		var seg corpora.Segment
		for i, it := range run {
			o := offsets[i]
			if it.code != nil {
				if o > s.Start && o < s.End {
					seg.AppendCode(it.code)
				}
				continue
			}
			lo, hi := max(o, s.Start), min(o+len(it.text), s.End)
			if lo < hi {
				seg.Append(p[lo:hi])
			}
		}
		parts = append(parts, textPart{seg: len(b.segs)})
		b.segs = append(b.segs, translate.Segment{ID: strconv.Itoa(len(b.segs) + 1), Source: seg})
		pos = s.End
	}
	if k := keep(pos, len(p), len(p)); k != "" {
		parts = append(parts, textPart{keep: k, seg: -1})
	}
	return parts
}

// splitHTML splits an HTML text into runs of inline content between block
// elements, and each run into sentences.
func (b *textBatch) splitHTML(s string) []textPart {
	var parts []textPart
	var run []inlineItem
	var runRaw strings.Builder // the run as written, for a run with no text
	flush := func() {
		if len(run) == 0 {
			return
		}
		text := false
		for _, it := range run {
			if it.code == nil && strings.TrimSpace(it.text) != "" {
				text = true
				break
			}
		}
		if text {
			parts = b.splitRun(parts, run, true)
		} else {
			parts = append(parts, textPart{keep: runRaw.String(), seg: -1})
		}
		run = run[:0]
		runRaw.Reset()
	}
	for _, t := range scanHTML(s) {
		switch {
		case t.kind == tokText:
			run = append(run, inlineItem{text: html.UnescapeString(t.raw)})
			runRaw.WriteString(t.raw)
		case t.kind == tokComment || t.kind == tokTag && !blockElements[t.name]:
			run = append(run, inlineItem{code: t.code()})
			runRaw.WriteString(t.raw)
		default: // block tags, declarations, script and style content
			flush()
			parts = append(parts, textPart{keep: t.raw, seg: -1})
		}
	}
	flush()
	return parts
}

// tokKind is the kind of an HTML token.
type tokKind uint8

const (
	tokText    tokKind = iota
	tokTag             // a start or end tag
	tokComment         // <!-- … -->
	tokOther           // <!DOCTYPE …>, <?…>, the content of script and style
)

// htmlToken is a piece of HTML as written.
type htmlToken struct {
	kind  tokKind
	raw   string
	name  string // lowercase tag name
	end   bool   // an end tag
	empty bool   // a void element or a self-closing tag
}

// code returns the inline code of a tag or a comment.
func (t htmlToken) code() *corpora.Code {
	c := &corpora.Code{Kind: corpora.CodeStandalone, Element: t.name, Native: t.raw}
	switch {
	case t.kind == tokComment:
		c.Element = "comment"
	case t.end:
		c.Kind = corpora.CodeClose
	case !t.empty:
		c.Kind = corpora.CodeOpen
	}
	return c
}

// blockElements are the elements that start or end a run of inline
// content: a sentence never runs across them.
var blockElements = setOf("address", "article", "aside", "blockquote", "body", "br", "caption", "center",
	"col", "colgroup", "dd", "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure",
	"footer", "form", "frame", "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hgroup", "hr",
	"html", "iframe", "legend", "li", "link", "main", "menu", "meta", "nav", "noscript", "ol", "optgroup",
	"option", "p", "pre", "section", "select", "summary", "table", "tbody", "td", "template", "textarea",
	"tfoot", "th", "thead", "title", "tr", "ul")

// voidElements have no end tag.
var voidElements = setOf("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
	"param", "source", "track", "wbr")

// rawElements hold text that is not HTML and is not translated.
var rawElements = setOf("script", "style")

func setOf(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// scanHTML splits s into text, tags, comments and declarations, as
// written: the tokens' raw texts put together are s. A < that starts no
// tag is text; so is an unterminated tag.
func scanHTML(s string) []htmlToken {
	var out []htmlToken
	text := 0 // start of the pending text
	emitText := func(to int) {
		if to > text {
			out = append(out, htmlToken{kind: tokText, raw: s[text:to]})
		}
	}
	for i := 0; i < len(s); {
		if s[i] != '<' || i+1 >= len(s) {
			i++
			continue
		}
		end, tok, ok := scanMarkup(s, i)
		if !ok {
			i++
			continue
		}
		emitText(i)
		out = append(out, tok)
		i, text = end, end
		if tok.kind == tokTag && !tok.end && rawElements[tok.name] {
			// Everything up to the end tag is the element's content.
			close := indexFold(s[i:], "</"+tok.name)
			if close < 0 {
				close = len(s) - i
			}
			if close > 0 {
				out = append(out, htmlToken{kind: tokOther, raw: s[i : i+close]})
			}
			i += close
			text = i
		}
	}
	emitText(len(s))
	return out
}

// scanMarkup reads the markup starting at s[i] == '<' and returns where it
// ends; ok is false when it is not markup.
func scanMarkup(s string, i int) (end int, tok htmlToken, ok bool) {
	rest := s[i:]
	switch {
	case strings.HasPrefix(rest, "<!--"):
		j := strings.Index(rest[4:], "-->")
		if j < 0 {
			return 0, tok, false
		}
		end = i + 4 + j + 3
		return end, htmlToken{kind: tokComment, raw: s[i:end]}, true
	case rest[1] == '!' || rest[1] == '?':
		j := strings.IndexByte(rest, '>')
		if j < 0 {
			return 0, tok, false
		}
		return i + j + 1, htmlToken{kind: tokOther, raw: rest[:j+1]}, true
	}
	j := 1
	isEnd := rest[1] == '/'
	if isEnd {
		j = 2
	}
	n := j
	for n < len(rest) && isNameByte(rest[n]) {
		n++
	}
	if n == j || !isLetter(rest[j]) {
		return 0, tok, false
	}
	name := strings.ToLower(rest[j:n])
	// Attributes, with quoted values that may hold '>'.
	var quote byte
	for k := n; k < len(rest); k++ {
		c := rest[k]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '<':
			return 0, tok, false
		case c == '>':
			raw := rest[:k+1]
			empty := !isEnd && (voidElements[name] || strings.HasSuffix(raw, "/>"))
			return i + k + 1, htmlToken{kind: tokTag, raw: raw, name: name, end: isEnd, empty: empty}, true
		}
	}
	return 0, tok, false
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isNameByte(c byte) bool {
	return isLetter(c) || c >= '0' && c <= '9' || c == '-' || c == ':' || c == '_' || c == '.'
}

// indexFold is strings.Index, ignoring ASCII case.
func indexFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}
