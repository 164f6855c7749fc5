package server

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/plaintext"
)

// How a DeepL text is read and cut into the sentences kgmem translates:
// markup (tag_handling xml or html) becomes inline codes, which the
// pipeline protects and puts back where the translation has them; text
// between sentences, and markup at their edges, is kept as it is.

// tagMode is how a text's markup is read (tag_handling).
type tagMode int

const (
	tagsNone tagMode = iota // plain text: "<b>" is text (the pipeline still keeps it as a placeholder)
	tagsXML
	tagsHTML
)

// splitMode is how a text is cut into sentences (split_sentences).
type splitMode int

const (
	splitAll        splitMode = iota // "1": at sentence ends and at every newline
	splitNone                        // "0": the whole text is one sentence
	splitNoNewlines                  // "nonewlines": at sentence ends only
)

// layoutOptions say how to read and cut a text.
type layoutOptions struct {
	tags  tagMode
	split splitMode
	// splitting are the elements that always end a sentence; ignore
	// those whose content is kept untranslated (ignore_tags).
	splitting, ignore map[string]bool
	lang              language.Tag // of the text, for its sentence rules
}

// htmlBlocks are the HTML elements that end a sentence unless
// non_splitting_tags names them.
var htmlBlocks = []string{"address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt",
	"figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
	"nav", "ol", "option", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "ul"}

// htmlVoid are the HTML elements that have no end tag.
var htmlVoid = map[string]bool{"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true,
	"img": true, "input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true}

// newLayoutOptions makes the options of a request's tag lists: for HTML,
// block elements split and scripts and styles are never translated.
func newLayoutOptions(tags tagMode, split splitMode, lang language.Tag, splitting, nonSplitting, ignore map[string]bool) layoutOptions {
	o := layoutOptions{tags: tags, split: split, lang: lang, splitting: map[string]bool{}, ignore: map[string]bool{}}
	if tags == tagsHTML {
		for _, b := range htmlBlocks {
			o.splitting[b] = true
		}
		o.ignore["script"], o.ignore["style"] = true, true
	}
	for t := range splitting {
		o.splitting[t] = true
	}
	for t := range nonSplitting {
		delete(o.splitting, t)
	}
	for t := range ignore {
		o.ignore[t] = true
	}
	return o
}

// markupSpan is a piece of a text: a run of text (entities decoded when
// the text is markup) or a piece of markup kept as a code.
type markupSpan struct {
	text  string
	code  *corpora.Code
	split bool // a code that ends a sentence
}

// parseMarkup reads a text into spans. Tags, comments, CDATA sections,
// processing instructions and declarations become codes whose Native is
// their text as written; an element named in ignore becomes one code,
// content and all. A '<' that starts no markup is text.
func parseMarkup(s string, o layoutOptions) []markupSpan {
	if o.tags == tagsNone {
		return []markupSpan{{text: s}}
	}
	var out []markupSpan
	var text strings.Builder
	flush := func() {
		if text.Len() > 0 {
			out = append(out, markupSpan{text: html.UnescapeString(text.String())})
			text.Reset()
		}
	}
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], '<')
		if j < 0 {
			text.WriteString(s[i:])
			break
		}
		text.WriteString(s[i : i+j])
		i += j
		end, name, kind := markupAt(s, i)
		if end < 0 {
			text.WriteByte('<')
			i++
			continue
		}
		if kind == corpora.CodeOpen && o.tags == tagsHTML && htmlVoid[name] {
			kind = corpora.CodeStandalone
		}
		if kind == corpora.CodeOpen && o.ignore[name] {
			if close := closingEnd(s, end, name); close > 0 {
				end, kind = close, corpora.CodeStandalone
			}
		}
		flush()
		out = append(out, markupSpan{code: &corpora.Code{Kind: kind, Element: name, Native: s[i:end]}, split: name != "" && o.splitting[name]})
		i = end
	}
	flush()
	return out
}

// markupAt reads the markup that starts at s[i] ('<'): it returns where it
// ends, the element's name in lower case ("" for a comment and the like)
// and its kind, or -1 when s[i] starts no markup.
func markupAt(s string, i int) (end int, name string, kind corpora.CodeKind) {
	rest := s[i:]
	for _, d := range [][2]string{{"<!--", "-->"}, {"<![CDATA[", "]]>"}, {"<?", "?>"}} {
		if strings.HasPrefix(rest, d[0]) {
			k := strings.Index(rest[len(d[0]):], d[1])
			if k < 0 {
				return -1, "", 0
			}
			return i + len(d[0]) + k + len(d[1]), "", corpora.CodeStandalone
		}
	}
	if strings.HasPrefix(rest, "<!") {
		k := strings.IndexByte(rest, '>')
		if k < 0 {
			return -1, "", 0
		}
		return i + k + 1, "", corpora.CodeStandalone
	}
	k := 1
	kind = corpora.CodeOpen
	if strings.HasPrefix(rest, "</") {
		k, kind = 2, corpora.CodeClose
	}
	start := k
	for k < len(rest) && markupNameByte(rest[k], k == start) {
		k++
	}
	if k == start {
		return -1, "", 0
	}
	name = strings.ToLower(rest[start:k])
	// Attributes, with '>' allowed inside quoted values.
	var quote byte
	for ; k < len(rest); k++ {
		c := rest[k]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '<':
			return -1, "", 0
		case c == '>':
			if kind == corpora.CodeOpen && rest[k-1] == '/' {
				kind = corpora.CodeStandalone
			}
			return i + k + 1, name, kind
		}
	}
	return -1, "", 0
}

func markupNameByte(c byte, first bool) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_', c >= 0x80:
		return true
	case c >= '0' && c <= '9', c == '-', c == '.', c == ':':
		return !first
	}
	return false
}

// closingEnd returns where the element name opened before from ends: the
// end of its matching end tag, -1 when it has none.
func closingEnd(s string, from int, name string) int {
	depth := 1
	for i := from; i < len(s); {
		j := strings.IndexByte(s[i:], '<')
		if j < 0 {
			return -1
		}
		i += j
		end, n, kind := markupAt(s, i)
		if end < 0 {
			i++
			continue
		}
		if n == name {
			switch kind {
			case corpora.CodeOpen:
				depth++
			case corpora.CodeClose:
				if depth--; depth == 0 {
					return end
				}
			}
		}
		i = end
	}
	return -1
}

// layoutPart is a piece of a laid-out text: a sentence to translate, or what
// lies between sentences, kept.
type layoutPart struct {
	keep     []markupSpan
	sentence *corpora.Segment
}

// layoutText cuts a text into its sentences and what lies between them.
func layoutText(s string, o layoutOptions) []layoutPart {
	spans := parseMarkup(s, o)
	// The mask is the text with each code as one byte: a space, or NUL
	// for a code that ends a sentence. Sentence bounds found in it map
	// back to the spans.
	var mask strings.Builder
	starts := make([]int, len(spans))
	for i, sp := range spans {
		starts[i] = mask.Len()
		switch {
		case sp.code == nil:
			mask.WriteString(sp.text)
		case sp.split && o.split != splitNone:
			mask.WriteByte(0)
		default:
			mask.WriteByte(' ')
		}
	}
	bounds := sentenceBounds(mask.String(), o)
	var parts []layoutPart
	at := 0
	for _, b := range bounds {
		if b[0] > at {
			parts = append(parts, layoutPart{keep: cutSpans(spans, starts, at, b[0])})
		}
		seg := corpora.Segment{}
		for _, sp := range cutSpans(spans, starts, b[0], b[1]) {
			if sp.code != nil {
				seg.AppendCode(sp.code)
			} else {
				seg.Append(sp.text)
			}
		}
		parts = append(parts, layoutPart{sentence: &seg})
		at = b[1]
	}
	if at < mask.Len() {
		parts = append(parts, layoutPart{keep: cutSpans(spans, starts, at, mask.Len())})
	}
	return parts
}

// sentenceBounds returns the [start, end) byte offsets of the sentences of
// a mask, in order.
func sentenceBounds(mask string, o layoutOptions) [][2]int {
	if o.split == splitNone {
		a, b := 0, len(mask)
		// Trimmed of white space (and of codes at the edges).
		for a < b {
			r, n := utf8.DecodeRuneInString(mask[a:b])
			if !unicode.IsSpace(r) {
				break
			}
			a += n
		}
		for b > a {
			r, n := utf8.DecodeLastRuneInString(mask[a:b])
			if !unicode.IsSpace(r) {
				break
			}
			b -= n
		}
		if a == b {
			return nil
		}
		return [][2]int{{a, b}}
	}
	var out [][2]int
	hard := func(c rune) bool { return c == 0 || (o.split == splitAll && c == '\n') }
	start := 0
	for i := 0; i <= len(mask); i++ {
		if i < len(mask) && !hard(rune(mask[i])) {
			continue
		}
		block := mask[start:i]
		if o.split == splitNoNewlines {
			block = strings.ReplaceAll(block, "\n", " ")
		}
		for _, sn := range plaintext.Split(block, o.lang) {
			out = append(out, [2]int{start + sn.Start, start + sn.End})
		}
		start = i + 1
	}
	return out
}

// cutSpans returns the spans, or the parts of text spans, that lie in [from, to)
// of the mask whose span offsets are starts.
func cutSpans(spans []markupSpan, starts []int, from, to int) []markupSpan {
	var out []markupSpan
	for i, sp := range spans {
		st := starts[i]
		if sp.code != nil {
			if st >= from && st < to {
				out = append(out, sp)
			}
			continue
		}
		en := st + len(sp.text)
		a, b := max(st, from), min(en, to)
		if a < b {
			out = append(out, markupSpan{text: sp.text[a-st : b-st]})
		}
	}
	return out
}

// renderSpans writes spans back as text: codes as they were written, text
// escaped again when the text is markup.
func renderSpans(b *strings.Builder, spans []markupSpan, tags tagMode) {
	for _, sp := range spans {
		if sp.code != nil {
			b.WriteString(sp.code.Native)
		} else {
			b.WriteString(escapeText(sp.text, tags))
		}
	}
}

// renderSegment writes a translated segment back as text.
func renderSegment(b *strings.Builder, seg corpora.Segment, tags tagMode) {
	for _, sp := range seg.Spans {
		if sp.Code != nil {
			b.WriteString(sp.Code.Native)
		} else {
			b.WriteString(escapeText(sp.Text, tags))
		}
	}
}

var markupEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func escapeText(s string, tags tagMode) string {
	if tags == tagsNone {
		return s
	}
	return markupEscaper.Replace(s)
}
