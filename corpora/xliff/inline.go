package xliff

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/internal/xmlread"
)

// xmlNS is the namespace of xml:lang and xml:space.
const xmlNS = "http://www.w3.org/XML/1998/namespace"

// unitError is a problem confined to one unit: a lenient reader skips the
// unit and goes on, where a broken XML stream leaves nothing to resume on.
type unitError struct{ pe *corpora.ParseError }

func (e *unitError) Error() string { return e.pe.Error() }
func (e *unitError) Unwrap() error { return e.pe }

// budget counts the text held for one unit against Limits.MaxUnitBytes.
type budget struct {
	used, max int
}

// spend adds n bytes, failing once the total passes the limit.
func (b *budget) spend(d *xmlread.Decoder, n int) error {
	b.used += n
	if b.used > b.max {
		return &unitError{d.Errorf("unit holds more than %d bytes of text: %w", b.max, corpora.ErrTooLarge).(*corpora.ParseError)}
	}
	return nil
}

// badUnit returns a unitError at the decoder's line.
func badUnit(d *xmlread.Decoder, format string, args ...any) error {
	return &unitError{d.Errorf(format, args...).(*corpora.ParseError)}
}

// content is what a <source>, <seg-source> or <target> holds.
type content struct {
	whole corpora.Segment
	// segs are the 1.2 <mrk mtype="seg"> segments, in order.
	segs []segPart
	// start and end are the offsets of the element's content (after its
	// start tag, before its end tag) in the decoder's input.
	start, end int64
}

// segPart is one 1.2 <mrk mtype="seg"> segment.
type segPart struct {
	id         string
	seg        corpora.Segment
	start, end int64 // offsets of the mrk's content
}

// find returns the segment with the given id.
func (c *content) find(id string) (*segPart, bool) {
	if c == nil {
		return nil, false
	}
	for i := range c.segs {
		if c.segs[i].id == id {
			return &c.segs[i], true
		}
	}
	return nil, false
}

// inlineParser reads the inline content of XLIFF elements.
type inlineParser struct {
	d      *xmlread.Decoder
	v      int    // 1 or 2
	ns     string // the XLIFF namespace of the document
	data   map[string]string
	budget *budget
}

// isX reports whether an element is in the document's XLIFF namespace.
func (p *inlineParser) isX(n xml.Name) bool { return n.Space == p.ns || n.Space == "" }

// frame is an open element inside inline content.
type frame struct {
	code *corpora.Code // the open code of a paired element, or nil
	seg  bool          // a 1.2 segment <mrk mtype="seg">
	// endNative is the Native of the close code (2.x pc dataRefEnd).
	endNative string
}

// parse reads the content of the element whose start tag was just read,
// up to and including its end tag.
func (p *inlineParser) parse() (*content, error) {
	d := p.d
	depth := d.Depth()
	g := &gatherer{c: &content{start: d.Offset()}, inSeg: -1}
	var stack []frame
	for {
		before := d.Offset()
		tok, err := d.Token()
		if err != nil {
			return nil, eofIsTruncation(d, err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			if err := p.budget.spend(d, len(t)); err != nil {
				return nil, err
			}
			g.add(corpora.Span{Text: string(t)})
		case xml.EndElement:
			if d.Depth() < depth {
				g.flush()
				g.c.end = before
				return g.c, nil
			}
			if len(stack) == 0 {
				continue
			}
			f := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			switch {
			case f.seg:
				g.flush()
				g.c.segs[g.inSeg].end = before
				g.inSeg = -1
			case f.code != nil:
				g.add(corpora.Span{Code: &corpora.Code{Kind: corpora.CodeClose, Element: f.code.Element, ID: f.code.ID, Native: f.endNative, Paired: true}})
			}
		case xml.StartElement:
			if !p.isX(t.Name) {
				if err := d.Skip(); err != nil {
					return nil, err
				}
				continue
			}
			var err error
			if p.v == 1 {
				err = p.start12(t, g.c, &stack, &g.inSeg, g.add)
			} else {
				err = p.start2(t, &stack, g.add)
			}
			if err != nil {
				return nil, err
			}
		}
	}
}

// gatherer builds the segments of a content: the whole, and the open 1.2
// segment. Text is gathered in builders and becomes a span when a code or
// the end comes: appending to a span's string each time would copy the
// text again for every comment or skipped element between its pieces.
type gatherer struct {
	c             *content
	inSeg         int // index in c.segs of the open segment, or -1
	text, segText strings.Builder
}

// flush ends the text gathered so far.
func (g *gatherer) flush() {
	g.c.whole.Append(g.text.String())
	g.text.Reset()
	if g.inSeg >= 0 {
		g.c.segs[g.inSeg].seg.Append(g.segText.String())
	}
	g.segText.Reset()
}

// add adds a span to the whole and to the open segment.
func (g *gatherer) add(sp corpora.Span) {
	if sp.Code != nil {
		g.flush()
		g.c.whole.AppendCode(sp.Code)
		if g.inSeg >= 0 {
			g.c.segs[g.inSeg].seg.AppendCode(sp.Code)
		}
		return
	}
	g.text.WriteString(sp.Text)
	if g.inSeg >= 0 {
		g.segText.WriteString(sp.Text)
	}
}

// start12 handles a 1.2 inline start tag.
func (p *inlineParser) start12(t xml.StartElement, c *content, stack *[]frame, inSeg *int, add func(corpora.Span)) error {
	d := p.d
	name := t.Name.Local
	switch name {
	case "g", "mrk":
		if name == "mrk" && attr(t, "mtype") == "seg" && *inSeg < 0 {
			id := attr(t, "mid")
			if id == "" {
				id = "#" + strconv.Itoa(len(c.segs)+1)
			}
			c.segs = append(c.segs, segPart{id: id, start: d.Offset()})
			*inSeg = len(c.segs) - 1
			*stack = append(*stack, frame{seg: true})
			return nil
		}
		idAttr := "id"
		if name == "mrk" {
			idAttr = "mid"
		}
		code := &corpora.Code{Kind: corpora.CodeOpen, Element: name, Paired: true}
		code.ID, code.Attrs = idAndAttrs(t, idAttr)
		add(corpora.Span{Code: code})
		*stack = append(*stack, frame{code: code})
		return nil
	case "x", "bx", "ex":
		code := &corpora.Code{Kind: kindOf12(name), Element: name}
		code.ID, code.Attrs = idAndAttrs(t, "id")
		add(corpora.Span{Code: code})
		return d.Skip()
	case "bpt", "ept", "ph", "it":
		code := &corpora.Code{Kind: kindOf12(name), Element: name}
		code.ID, code.Attrs = idAndAttrs(t, "id")
		native, err := p.native()
		if err != nil {
			return err
		}
		code.Native = native
		if r, ok := ctrlChar(code); ok {
			add(corpora.Span{Text: string(r)})
			return nil
		}
		add(corpora.Span{Code: code})
		return nil
	}
	// Anything else (<sub> out of place, unknown elements) is not text.
	return d.Skip()
}

// ctrlType is the ctype of the 1.2 <ph> that holds a character XML cannot
// (a control character such as U+0007 in a gettext string; 2.x has <cp/>
// for them): its content is the character's escape, "&#x7;" (see
// xmlread.EscapeInvalid), which translate-toolkit also reads as the
// character.
const ctrlType = "x-ctrl"

// ctrlChar returns the character a 1.2 code stands for when it is a
// <ph ctype="x-ctrl"> holding one escape.
func ctrlChar(c *corpora.Code) (rune, bool) {
	if c.Element != "ph" || len(c.Attrs) != 1 || c.Attrs[0] != (corpora.Attr{Name: "ctype", Value: ctrlType}) {
		return 0, false
	}
	text, ok := strings.CutPrefix(c.Native, "&amp;")
	if !ok || strings.ContainsAny(text, "&<") {
		return 0, false
	}
	s := xmlread.UnescapeInvalid("&" + text)
	r, n := utf8.DecodeRuneInString(s)
	if n != len(s) || xmlread.IsChar(r) {
		return 0, false
	}
	return r, true
}

// kindOf12 returns the kind of a 1.2 code element.
func kindOf12(name string) corpora.CodeKind {
	switch name {
	case "bx", "bpt":
		return corpora.CodeOpen
	case "ex", "ept":
		return corpora.CodeClose
	}
	return corpora.CodeStandalone
}

// start2 handles a 2.x inline start tag.
func (p *inlineParser) start2(t xml.StartElement, stack *[]frame, add func(corpora.Span)) error {
	d := p.d
	name := t.Name.Local
	switch name {
	case "pc", "mrk":
		code := &corpora.Code{Kind: corpora.CodeOpen, Element: name, Paired: true}
		code.ID, code.Attrs = idAndAttrs(t, "id")
		f := frame{code: code}
		if name == "pc" {
			code.Native = p.data[attr(t, "dataRefStart")]
			f.endNative = p.data[attr(t, "dataRefEnd")]
		}
		add(corpora.Span{Code: code})
		*stack = append(*stack, f)
		return nil
	case "sc", "ph", "sm":
		kind := corpora.CodeOpen
		if name == "ph" {
			kind = corpora.CodeStandalone
		}
		code := &corpora.Code{Kind: kind, Element: name}
		code.ID, code.Attrs = idAndAttrs(t, "id")
		code.Native = p.data[attr(t, "dataRef")]
		add(corpora.Span{Code: code})
		return d.Skip()
	case "ec", "em":
		code := &corpora.Code{Kind: corpora.CodeClose, Element: name}
		if attr(t, "startRef") != "" || name == "em" {
			code.ID, code.Attrs = idAndAttrs(t, "startRef")
		} else {
			code.ID, code.Attrs = idAndAttrs(t, "id")
		}
		code.Native = p.data[attr(t, "dataRef")]
		add(corpora.Span{Code: code})
		return d.Skip()
	case "cp":
		r, err := parseCP(attr(t, "hex"))
		if err != nil {
			return badUnit(d, "%v", err)
		}
		add(corpora.Span{Text: string(r)})
		return d.Skip()
	}
	return d.Skip()
}

// parseCP decodes the hex attribute of a 2.x <cp/>.
func parseCP(hex string) (rune, error) {
	n, err := strconv.ParseUint(hex, 16, 32)
	if err != nil || hex == "" || n > utf8.MaxRune || (n >= 0xD800 && n <= 0xDFFF) {
		return 0, fmt.Errorf("<cp> hex=%q is not a Unicode code point; write it as hexadecimal digits like 0007", hex)
	}
	return rune(n), nil
}

// idAndAttrs returns the value of the attribute that serves as the code's
// ID and the element's other attributes in document order. When a 1.2
// element has no id its rid serves instead (and stays among the attributes).
func idAndAttrs(t xml.StartElement, idAttr string) (string, []corpora.Attr) {
	var id string
	var hasID bool
	var attrs []corpora.Attr
	for _, a := range t.Attr {
		if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
			continue
		}
		if a.Name.Space == "" && a.Name.Local == idAttr {
			id, hasID = a.Value, true
			continue
		}
		attrs = append(attrs, corpora.Attr{Name: attrName(a.Name), Value: a.Value})
	}
	if !hasID && idAttr == "id" {
		for _, a := range attrs {
			if a.Name == "rid" {
				id = a.Value
			}
		}
	}
	return id, attrs
}

// attrName names an attribute as Code.Attrs keeps it: the local name, with
// "xml:" for the XML namespace and "{namespace}" before the local name for
// any other.
func attrName(n xml.Name) string {
	switch n.Space {
	case "":
		return n.Local
	case xmlNS, "xml":
		return "xml:" + n.Local
	}
	return "{" + n.Space + "}" + n.Local
}

// native reads the content of a 1.2 <bpt>, <ept>, <ph> or <it> (or a 2.x
// <data>) as an escaped XML fragment, up to and including its end tag.
func (p *inlineParser) native() (string, error) {
	d := p.d
	depth := d.Depth()
	var b strings.Builder
	for {
		tok, err := d.Token()
		if err != nil {
			return "", eofIsTruncation(d, err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			if err := p.budget.spend(d, len(t)); err != nil {
				return "", err
			}
			b.WriteString(escapeText(string(t)))
		case xml.StartElement:
			b.WriteString("<" + t.Name.Local)
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
					continue
				}
				n := a.Name.Local
				if a.Name.Space == xmlNS || a.Name.Space == "xml" {
					n = "xml:" + n
				}
				b.WriteString(" " + n + `="` + escapeAttr(a.Value) + `"`)
			}
			b.WriteString(">")
		case xml.EndElement:
			if d.Depth() < depth {
				return b.String(), nil
			}
			b.WriteString("</" + t.Name.Local + ">")
		}
	}
}

// text reads the character data of the element whose start tag was just
// read (a <note>, <context>), ignoring any markup inside.
func text(d *xmlread.Decoder, bud *budget) (string, error) {
	depth := d.Depth()
	var b strings.Builder
	for {
		tok, err := d.Token()
		if err != nil {
			return "", eofIsTruncation(d, err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			if err := bud.spend(d, len(t)); err != nil {
				return "", err
			}
			b.Write(t)
		case xml.EndElement:
			if d.Depth() < depth {
				return xmlread.UnescapeInvalid(b.String()), nil
			}
		}
	}
}

// eofIsTruncation turns an io.EOF inside an element into a ParseError.
func eofIsTruncation(d *xmlread.Decoder, err error) error {
	if err == io.EOF {
		return d.Errorf("unexpected end of file; the file is truncated")
	}
	return err
}

// escapeText escapes s for XML character data. Unlike xml.EscapeText it
// leaves newlines and tabs as they are, so Native fragments read naturally.
func escapeText(s string) string {
	if !strings.ContainsAny(s, "&<>\r") {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '\r':
			b.WriteString("&#xD;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// escapeAttr escapes s for a double-quoted attribute value.
func escapeAttr(s string) string {
	if !strings.ContainsAny(s, "&<>\"\r\n\t") {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		case '\r':
			b.WriteString("&#xD;")
		case '\n':
			b.WriteString("&#xA;")
		case '\t':
			b.WriteString("&#x9;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
