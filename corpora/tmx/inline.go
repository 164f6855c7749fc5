package tmx

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/kgmem/kgmem/corpora"
)

// isCode reports whether name is a TMX inline element that becomes a
// corpora.Code with native content: <bpt>, <ept>, <it>, <ph>, <ut>.
func isCode(name string) bool {
	switch name {
	case "bpt", "ept", "it", "ph", "ut":
		return true
	}
	return false
}

// idAttr is the attribute that becomes Code.ID: i pairs <bpt> with <ept>;
// the others have only x, which pairs codes across languages.
func idAttr(element string) string {
	if element == "bpt" || element == "ept" {
		return "i"
	}
	return "x"
}

// readSeg reads the content of a <seg> whose start tag was just read.
func (r *Reader) readSeg() (corpora.Segment, error) {
	var seg corpora.Segment
	r.text = r.text[:0]
	r.opened = r.opened[:0]
	r.his = r.his[:0]
	flush := func() {
		if len(r.text) > 0 {
			seg.Append(string(r.text))
			r.text = r.text[:0]
		}
	}
	for {
		t, err := r.read()
		if err != nil {
			return seg, err
		}
		switch t.kind {
		case tokText:
			if err := r.charge(len(t.text), t.line); err != nil {
				return seg, err
			}
			r.text = append(r.text, t.text...)
		case tokEnd:
			flush()
			if n := len(r.his); n > 0 { // </hi>
				open := r.his[n-1]
				r.his = r.his[:n-1]
				seg.AppendCode(&corpora.Code{Kind: corpora.CodeClose, Element: "hi", ID: open.ID, Paired: true})
				continue
			}
			if len(r.opened) > 0 {
				i := r.opened[0]
				return seg, r.unitErrorf(t.line, "<bpt i=%q> has no <ept i=%q> after it in its <seg>; use <it pos=\"begin\"> for a code that ends in another segment", i, i)
			}
			return seg, nil
		case tokStart:
			if err := r.charge(codeCost, t.line); err != nil {
				return seg, err
			}
			switch {
			case t.name == "hi":
				flush()
				c := newCode(t, corpora.CodeOpen)
				c.Paired = true
				r.his = append(r.his, c)
				seg.AppendCode(c)
			case isCode(t.name):
				c, err := r.readCode(t)
				if err != nil {
					return seg, err
				}
				if ch, ok := ctrlChar(c); ok {
					r.text = utf8.AppendRune(r.text, ch)
					continue
				}
				flush()
				seg.AppendCode(c)
			default:
				parent := "seg"
				if len(r.his) > 0 {
					parent = "hi"
				}
				return seg, r.unitErrorf(t.line, "<%s> contains <%s>, which is not a TMX inline element; escape markup as &lt;%s&gt; or wrap it in <ph>", parent, t.name, t.name)
			}
		}
	}
}

// newCode makes a code from the start tag of an inline element.
func newCode(t *token, kind corpora.CodeKind) *corpora.Code {
	c := &corpora.Code{Kind: kind, Element: t.name}
	id := idAttr(t.name)
	for _, a := range t.attrs {
		if foreignAttr(a.name) {
			continue
		}
		if a.name == id && c.ID == "" {
			c.ID = string(a.value)
			continue
		}
		c.Attrs = append(c.Attrs, corpora.Attr{Name: a.name, Value: string(a.value)})
	}
	return c
}

// foreignAttr reports whether an attribute of an inline element is not
// TMX's own: namespace declarations and namespaced attributes, which TMX
// does not define and encoding/xml would hand over by namespace URI rather
// than prefix. They are left out of Code.Attrs and Native.
func foreignAttr(name string) bool {
	return name == "xmlns" || strings.IndexByte(name, ':') >= 0
}

// readCode reads <bpt>, <ept>, <it>, <ph> or <ut> (start tag t just read),
// its content kept as Native, and checks what TMX requires of it.
func (r *Reader) readCode(t *token) (*corpora.Code, error) {
	line := t.line
	var c *corpora.Code
	switch t.name {
	case "bpt":
		c = newCode(t, corpora.CodeOpen)
		if t.attr("i") == nil {
			return nil, r.unitErrorf(line, "<bpt> has no i attribute; add i=\"1\" and the same to its <ept>")
		}
		if slices.Contains(r.opened, c.ID) {
			return nil, r.unitErrorf(line, "two <bpt>s in one <seg> have i=%q", c.ID)
		}
		r.opened = append(r.opened, c.ID)
	case "ept":
		c = newCode(t, corpora.CodeClose)
		if t.attr("i") == nil {
			return nil, r.unitErrorf(line, "<ept> has no i attribute; add the i of its <bpt>")
		}
		k := slices.Index(r.opened, c.ID)
		if k < 0 {
			return nil, r.unitErrorf(line, "<ept i=%q> has no <bpt i=%q> before it in its <seg>; use <it pos=\"end\"> for a code that starts in another segment", c.ID, c.ID)
		}
		r.opened = slices.Delete(r.opened, k, k+1)
	case "it":
		c = newCode(t, corpora.CodeStandalone)
		if pos := string(t.attr("pos")); pos != "begin" && pos != "end" {
			return nil, r.unitErrorf(line, "<it> needs pos=\"begin\" or pos=\"end\"")
		}
	default: // ph, ut
		c = newCode(t, corpora.CodeStandalone)
	}
	native, err := r.readNative(t.name)
	if err != nil {
		return nil, err
	}
	c.Native = native
	return c, nil
}

// readNative reads the content of a code element as an XML fragment:
// text escaped, <sub> and the inline elements inside it kept as markup.
func (r *Reader) readNative(code string) (string, error) {
	r.native = r.native[:0]
	r.stack = append(r.stack[:0], code)
	for {
		t, err := r.read()
		if err != nil {
			return "", err
		}
		switch t.kind {
		case tokText:
			if err := r.charge(len(t.text), t.line); err != nil {
				return "", err
			}
			r.native = appendEscaped(r.native, t.text, false)
		case tokEnd:
			r.stack = r.stack[:len(r.stack)-1]
			if len(r.stack) == 0 {
				return string(r.native), nil
			}
			r.native = append(r.native, "</"...)
			r.native = append(r.native, t.name...)
			r.native = append(r.native, '>')
		case tokStart:
			parent := r.stack[len(r.stack)-1]
			ok := t.name == "hi" || isCode(t.name)
			if isCode(parent) {
				ok = t.name == "sub"
			}
			if !ok {
				if isCode(parent) {
					return "", r.unitErrorf(t.line, "<%s> contains <%s>; its content must be escaped text (&lt;%s&gt;) or <sub>", parent, t.name, t.name)
				}
				return "", r.unitErrorf(t.line, "<%s> contains <%s>, which is not a TMX inline element", parent, t.name)
			}
			if err := r.charge(codeCost, t.line); err != nil {
				return "", err
			}
			r.stack = append(r.stack, t.name)
			r.native = append(r.native, '<')
			r.native = append(r.native, t.name...)
			for _, a := range t.attrs {
				if foreignAttr(a.name) {
					continue
				}
				r.native = append(r.native, ' ')
				r.native = append(r.native, a.name...)
				r.native = append(r.native, '=', '"')
				r.native = appendEscaped(r.native, a.value, true)
				r.native = append(r.native, '"')
			}
			r.native = append(r.native, '>')
		}
	}
}

// appendEscaped appends s escaped for XML character data, or for a
// double-quoted attribute value when attr is set. Carriage returns (and in
// attributes tabs and newlines) become character references so that XML's
// normalisation of line ends and attribute values leaves them alone.
func appendEscaped[S string | []byte](dst []byte, s S, attr bool) []byte {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '\r':
			esc = "&#xD;"
		case '"':
			if !attr {
				continue
			}
			esc = "&quot;"
		case '\n':
			if !attr {
				continue
			}
			esc = "&#xA;"
		case '\t':
			if !attr {
				continue
			}
			esc = "&#x9;"
		default:
			continue
		}
		dst = append(dst, s[last:i]...)
		dst = append(dst, esc...)
		last = i + 1
	}
	return append(dst, s[last:]...)
}

// invalidChar returns the first character of s that XML 1.0 cannot carry,
// even as a character reference.
func invalidChar(s string) (rune, bool) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return rune(c), true
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || r == 0xFFFE || r == 0xFFFF {
			return r, true
		}
		i += n
	}
	return 0, false
}
