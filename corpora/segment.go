package corpora

import (
	"encoding/xml"
	"io"
	"strings"
)

// CodeKind says how an inline code relates to the text around it.
type CodeKind uint8

const (
	// CodeStandalone is a code that stands alone: TMX <ph>, <it>, <ut>;
	// XLIFF 1.2 <x/>, <ph>, <it>; XLIFF 2 <ph/>.
	CodeStandalone CodeKind = iota
	// CodeOpen starts a span: TMX <bpt> or the start of <hi>; XLIFF <bx/>,
	// <bpt>, the start of <g> or <mrk>; XLIFF 2 <sc/> or the start of <pc>.
	CodeOpen
	// CodeClose ends the span its ID pairs it with: TMX <ept> or the end of
	// <hi>; XLIFF <ex/>, <ept>, the end of <g>; XLIFF 2 <ec/> or the end of <pc>.
	CodeClose
)

func (k CodeKind) String() string {
	switch k {
	case CodeOpen:
		return "open"
	case CodeClose:
		return "close"
	default:
		return "standalone"
	}
}

// Attr is one XML attribute of an inline code, kept in document order.
type Attr struct {
	Name  string
	Value string
}

// Code is an inline code: formatting or a placeholder inside a segment, kept
// as structure so that it survives a round trip and can be protected while
// the text around it is translated.
type Code struct {
	Kind CodeKind
	// Element is the element the code was read from ("bpt", "ph", "g", "pc",
	// "x", "hi", …). Writers of the same format write it back as it was;
	// writers of other formats map it by Kind.
	Element string
	// ID pairs an open code with its close code (TMX i/x, XLIFF id/rid);
	// may be empty for standalone codes.
	ID string
	// Attrs are the element's other attributes, in document order.
	Attrs []Attr
	// Native is the original content of the code element as an XML fragment
	// (escaped, so a TMX <sub> inside a <bpt> stays markup): for
	// <bpt i="1">{\b </bpt> it is `{\b `. Empty for codes that carry none,
	// such as XLIFF <g> or <x/>.
	Native string
	// Paired is true when the code comes from an element that wraps the text
	// it marks (TMX <hi>, XLIFF <g>, <mrk>, <pc>): an Open and a Close code
	// with the same ID stand for the start and end of that one element.
	Paired bool
}

// Attr returns the value of the named attribute and whether it is present.
func (c *Code) Attr(name string) (string, bool) {
	for _, a := range c.Attrs {
		if a.Name == name {
			return a.Value, true
		}
	}
	return "", false
}

// Span is one piece of a segment: a run of text, or an inline code.
type Span struct {
	Text string // the text of a text span; empty when Code is set
	Code *Code  // non-nil for an inline code
}

// Segment is text with inline codes, as a sequence of spans. The zero value
// is the empty segment. A Segment is a value: methods never modify it.
type Segment struct {
	Spans []Span
}

// Text returns a segment holding only the given text.
func Text(s string) Segment {
	if s == "" {
		return Segment{}
	}
	return Segment{Spans: []Span{{Text: s}}}
}

// Append adds text to the end of the segment, merging it with a trailing
// text span.
func (s *Segment) Append(text string) {
	if text == "" {
		return
	}
	if n := len(s.Spans); n > 0 && s.Spans[n-1].Code == nil {
		s.Spans[n-1].Text += text
		return
	}
	s.Spans = append(s.Spans, Span{Text: text})
}

// AppendCode adds an inline code to the end of the segment.
func (s *Segment) AppendCode(c *Code) {
	s.Spans = append(s.Spans, Span{Code: c})
}

// Plain returns the text of the segment without its inline codes. It is what
// is indexed, matched and counted.
func (s Segment) Plain() string {
	switch len(s.Spans) {
	case 0:
		return ""
	case 1:
		return s.Spans[0].Text
	}
	var b strings.Builder
	for _, sp := range s.Spans {
		b.WriteString(sp.Text)
	}
	return b.String()
}

// Flat returns the text of the segment with each inline code written as
// the text of its native content ("<b>" for the native "&lt;b&gt;"): what a
// format without inline codes (gettext, a table, a term base) holds of it,
// so that a placeholder such as <ph>%s</ph> stays in the text. A native
// fragment that does not parse is written as it is.
func (s Segment) Flat() string {
	if !s.HasCodes() {
		return s.Plain()
	}
	var b strings.Builder
	for _, sp := range s.Spans {
		if sp.Code != nil {
			b.WriteString(nativeText(sp.Code.Native))
		} else {
			b.WriteString(sp.Text)
		}
	}
	return b.String()
}

// nativeText returns the text of an inline code's native XML fragment.
func nativeText(native string) string {
	if !strings.ContainsAny(native, "<&") {
		return native
	}
	d := xml.NewDecoder(strings.NewReader("<x>" + native + "</x>"))
	var b strings.Builder
	for {
		t, err := d.Token()
		if err == io.EOF {
			return b.String()
		}
		if err != nil {
			return native
		}
		if cd, ok := t.(xml.CharData); ok {
			b.Write(cd)
		}
	}
}

// IsEmpty reports whether the segment has neither text nor codes.
func (s Segment) IsEmpty() bool {
	for _, sp := range s.Spans {
		if sp.Code != nil || sp.Text != "" {
			return false
		}
	}
	return true
}

// HasCodes reports whether the segment has inline codes.
func (s Segment) HasCodes() bool {
	for _, sp := range s.Spans {
		if sp.Code != nil {
			return true
		}
	}
	return false
}

// Codes returns the segment's inline codes in order.
func (s Segment) Codes() []*Code {
	var cs []*Code
	for _, sp := range s.Spans {
		if sp.Code != nil {
			cs = append(cs, sp.Code)
		}
	}
	return cs
}

// String returns the plain text; it makes a Segment print as its text.
func (s Segment) String() string { return s.Plain() }

// Equal reports whether two segments have the same text and codes.
func (s Segment) Equal(t Segment) bool {
	if len(s.Spans) != len(t.Spans) {
		return s.normalEqual(t)
	}
	for i := range s.Spans {
		if !spanEqual(s.Spans[i], t.Spans[i]) {
			return s.normalEqual(t)
		}
	}
	return true
}

// normalEqual compares after merging adjacent text spans, so that
// "a"+"b" equals "ab".
func (s Segment) normalEqual(t Segment) bool {
	a, b := s.normalized(), t.normalized()
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !spanEqual(a[i], b[i]) {
			return false
		}
	}
	return true
}

func (s Segment) normalized() []Span {
	var out Segment
	for _, sp := range s.Spans {
		if sp.Code != nil {
			out.AppendCode(sp.Code)
		} else {
			out.Append(sp.Text)
		}
	}
	return out.Spans
}

func spanEqual(a, b Span) bool {
	if (a.Code == nil) != (b.Code == nil) {
		return false
	}
	if a.Code == nil {
		return a.Text == b.Text
	}
	x, y := a.Code, b.Code
	if x.Kind != y.Kind || x.Element != y.Element || x.ID != y.ID || x.Native != y.Native ||
		x.Paired != y.Paired || len(x.Attrs) != len(y.Attrs) {
		return false
	}
	for i := range x.Attrs {
		if x.Attrs[i] != y.Attrs[i] {
			return false
		}
	}
	return true
}
