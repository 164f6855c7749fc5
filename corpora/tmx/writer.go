package tmx

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/internal/xmlread"
)

// WriterOptions configure a Writer. The zero value writes a valid file.
type WriterOptions struct {
	// SourceLang is the header's srclang. Und takes the source language
	// of the first unit; a unit in another source language gets its own
	// <tu srclang>.
	SourceLang language.Tag
	// TargetLang is the language written for units whose TargetLang is
	// Und.
	TargetLang language.Tag
	// AdminLang is the header's adminlang; Und means English.
	AdminLang language.Tag
	// DataType is the header's datatype; empty means "plaintext".
	DataType string
	// ToolVersion is the header's creationtoolversion; empty means "1".
	ToolVersion string
	// Created is the header's creationdate; zero leaves it out, which
	// keeps the output of the same units the same.
	Created time.Time
	// Notes and Props go into the header.
	Notes []string
	Props []corpora.Prop
}

// Writer writes units as a TMX 1.4b document in UTF-8. It is not safe for
// concurrent use.
//
// Each unit becomes a <tu> with tuid (Unit.ID), creationdate, changedate,
// creationid and changeid, its notes and props, a <prop type="x-domain">,
// "x-context" and "x-status" for Domain, Context and Status (unless its
// Props already hold them), and a <tuv> for the source and one for the
// target.
//
// Inline codes read from TMX are written back as the elements they came
// from. Codes from other formats are mapped by Kind: an open code with a
// matching close code in the segment becomes <bpt>/<ept> (or <hi> for a
// Paired pair whose Element is "hi"), an open or close code without its
// partner <it pos="begin"|"end">, a standalone code <ph>. Native content
// is written verbatim when it is a well-formed TMX fragment, and escaped as
// text otherwise. Attributes TMX does not define for the element are left
// out; i and x values that are not all numbers are renumbered 1, 2, … per
// unit.
type Writer struct {
	w       *bufio.Writer
	opts    WriterOptions
	srcLang language.Tag
	started bool
	closed  bool
	err     error
	buf     []byte
	ids     idMap
}

// NewWriter returns a writer to w.
func NewWriter(w io.Writer, opts WriterOptions) (*Writer, error) {
	if w == nil {
		return nil, errors.New("tmx: nil io.Writer")
	}
	return &Writer{w: bufio.NewWriterSize(w, 64<<10), opts: opts}, nil
}

// start writes the prolog and header.
func (w *Writer) start(first *corpora.Unit) error {
	w.started = true
	w.srcLang = w.opts.SourceLang
	if w.srcLang == language.Und && first != nil {
		w.srcLang = first.SourceLang
	}
	srclang := "*all*"
	if w.srcLang != language.Und {
		srclang = w.srcLang.String()
	}
	admin := "en"
	if w.opts.AdminLang != language.Und {
		admin = w.opts.AdminLang.String()
	}
	datatype := or(w.opts.DataType, "plaintext")
	version := or(w.opts.ToolVersion, "1")
	b := w.buf[:0]
	b = append(b, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+
		`<!DOCTYPE tmx SYSTEM "tmx14.dtd">`+"\n"+
		`<tmx version="1.4">`+"\n"+
		`  <header creationtool="kgmem"`...)
	b = appendAttr(b, "creationtoolversion", version)
	b = appendAttr(b, "datatype", datatype)
	b = appendAttr(b, "segtype", "sentence")
	b = appendAttr(b, "adminlang", admin)
	b = appendAttr(b, "srclang", srclang)
	b = appendAttr(b, "o-tmf", "kgmem")
	if !w.opts.Created.IsZero() {
		b = appendAttr(b, "creationdate", formatDate(w.opts.Created))
	}
	if len(w.opts.Notes) == 0 && len(w.opts.Props) == 0 {
		b = append(b, "/>\n"...)
	} else {
		b = append(b, ">\n"...)
		for _, n := range w.opts.Notes {
			b = appendNote(b, "    ", n)
		}
		for _, p := range w.opts.Props {
			b = appendProp(b, "    ", p)
		}
		b = append(b, "  </header>\n"...)
	}
	b = append(b, "  <body>\n"...)
	if err := checkChars(string(b)); err != nil {
		return fmt.Errorf("tmx: header: %w", err)
	}
	w.buf = b
	_, err := w.w.Write(b)
	return err
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Write writes one unit as a <tu>. A unit that cannot be written (no
// language, or a character XML cannot hold, such as U+0000) is an error
// and nothing of it is written; the writer stays usable.
func (w *Writer) Write(u *corpora.Unit) error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return errors.New("tmx: write after Close")
	}
	if u == nil {
		return errors.New("tmx: nil unit")
	}
	if !w.started {
		if err := w.start(u); err != nil {
			w.err = err
			return err
		}
	}
	b, err := w.appendTU(w.buf[:0], u)
	if err != nil {
		return fmt.Errorf("tmx: unit %q (index %d): %w", u.ID, u.Origin.Index, err)
	}
	w.buf = b
	if _, err := w.w.Write(b); err != nil {
		w.err = err
		return err
	}
	return nil
}

// Close writes the end of the document and flushes; it does not close the
// underlying io.Writer.
func (w *Writer) Close() error {
	if w.closed {
		return w.err
	}
	w.closed = true
	if w.err != nil {
		return w.err
	}
	if !w.started {
		if err := w.start(nil); err != nil {
			w.err = err
			return err
		}
	}
	if _, err := w.w.WriteString("  </body>\n</tmx>\n"); err != nil {
		w.err = err
		return err
	}
	w.err = w.w.Flush()
	return w.err
}

func (w *Writer) appendTU(b []byte, u *corpora.Unit) ([]byte, error) {
	src, tgt := u.SourceLang, u.TargetLang
	if src == language.Und {
		src = w.srcLang
	}
	if tgt == language.Und {
		tgt = w.opts.TargetLang
	}
	if src == language.Und {
		return nil, errors.New("no source language; set WriterOptions.SourceLang")
	}
	if tgt == language.Und {
		return nil, errors.New("no target language; set WriterOptions.TargetLang")
	}
	if err := checkUTF8(u); err != nil {
		return nil, err
	}
	b = append(b, "    <tu"...)
	if u.ID != "" {
		b = appendAttr(b, "tuid", xmlread.EscapeInvalid(u.ID))
	}
	if src != w.srcLang {
		b = appendAttr(b, "srclang", src.String())
	}
	if !u.Created.IsZero() {
		b = appendAttr(b, "creationdate", formatDate(u.Created))
	}
	if u.CreatedBy != "" {
		b = appendAttr(b, "creationid", xmlread.EscapeInvalid(u.CreatedBy))
	}
	if !u.Changed.IsZero() {
		b = appendAttr(b, "changedate", formatDate(u.Changed))
	}
	if u.ChangedBy != "" {
		b = appendAttr(b, "changeid", xmlread.EscapeInvalid(u.ChangedBy))
	}
	b = append(b, ">\n"...)
	for _, n := range u.Notes {
		b = appendNote(b, "      ", n)
	}
	for _, p := range u.Props {
		b = appendProp(b, "      ", p)
	}
	if u.Domain != "" && !hasProp(u.Props, u.Domain, PropDomain, "domain") {
		b = appendProp(b, "      ", corpora.Prop{Type: PropDomain, Value: u.Domain})
	}
	if u.Context != "" && !hasProp(u.Props, u.Context, PropContext) {
		b = appendProp(b, "      ", corpora.Prop{Type: PropContext, Value: u.Context})
	}
	if st := u.Status; st != corpora.StatusUnspecified && !hasProp(u.Props, st.String(), PropStatus) {
		b = appendProp(b, "      ", corpora.Prop{Type: PropStatus, Value: st.String()})
	}
	w.ids.reset(u)
	ids := &w.ids
	var err error
	for _, tv := range [...]struct {
		lang language.Tag
		seg  corpora.Segment
	}{{src, u.Source}, {tgt, u.Target}} {
		b = append(b, "      <tuv"...)
		b = appendAttr(b, "xml:lang", tv.lang.String())
		b = append(b, ">\n        <seg>"...)
		if b, err = appendSegment(b, tv.seg, ids); err != nil {
			return nil, err
		}
		b = append(b, "</seg>\n      </tuv>\n"...)
	}
	return append(b, "    </tu>\n"...), nil
}

// checkUTF8 refuses a unit whose text is not valid UTF-8, which no XML
// file can hold.
func checkUTF8(u *corpora.Unit) error {
	strs := []string{u.ID, u.CreatedBy, u.ChangedBy, u.Domain, u.Context}
	strs = append(strs, u.Notes...)
	for _, p := range u.Props {
		strs = append(strs, p.Type, p.Value, p.Lang)
	}
	for _, seg := range [...]corpora.Segment{u.Source, u.Target} {
		for _, sp := range seg.Spans {
			strs = append(strs, sp.Text)
		}
	}
	for _, s := range strs {
		if !utf8.ValidString(s) {
			return fmt.Errorf("%q is not valid UTF-8", s)
		}
	}
	return nil
}

// hasProp reports whether props has one of the given types with value v.
func hasProp(props []corpora.Prop, v string, types ...string) bool {
	for _, p := range props {
		for _, t := range types {
			if p.Type == t && p.Value == v {
				return true
			}
		}
	}
	return false
}

func appendAttr(b []byte, name, value string) []byte {
	b = append(b, ' ')
	b = append(b, name...)
	b = append(b, '=', '"')
	b = appendEscaped(b, value, true)
	return append(b, '"')
}

// appendNote appends a <note>. Characters XML cannot hold are written as
// their escapes (see xmlread.EscapeInvalid), which the reader undoes; so are
// those of props, tuid, creationid and changeid.
func appendNote(b []byte, indent, note string) []byte {
	b = append(b, indent...)
	b = append(b, "<note>"...)
	b = appendEscaped(b, xmlread.EscapeInvalid(note), false)
	return append(b, "</note>\n"...)
}

func appendProp(b []byte, indent string, p corpora.Prop) []byte {
	b = append(b, indent...)
	b = append(b, "<prop"...)
	b = appendAttr(b, "type", xmlread.EscapeInvalid(p.Type))
	if p.Lang != "" {
		b = appendAttr(b, "xml:lang", p.Lang)
	}
	b = append(b, '>')
	b = appendEscaped(b, xmlread.EscapeInvalid(p.Value), false)
	return append(b, "</prop>\n"...)
}

// checkChars returns an error for a character XML 1.0 cannot hold.
func checkChars(s string) error {
	if r, bad := invalidChar(s); bad {
		return fmt.Errorf("%U cannot be written in XML 1.0", r)
	}
	return nil
}

// idMap turns code IDs into the numbers TMX wants for i and x. When every
// ID of the unit is a number they stay as they are; otherwise they are
// numbered by first appearance, the same in source and target so that x
// still pairs codes across languages.
type idMap struct {
	renumber bool
	ids      map[string]int
	next     int
}

// reset prepares the map for the codes of u.
func (m *idMap) reset(u *corpora.Unit) {
	m.renumber, m.next = false, 0
	for _, seg := range [...]corpora.Segment{u.Source, u.Target} {
		for _, sp := range seg.Spans {
			if sp.Code != nil && sp.Code.ID != "" && !isNumber(sp.Code.ID) {
				m.renumber = true
			}
		}
	}
	if m.renumber {
		if m.ids == nil {
			m.ids = map[string]int{}
		}
		clear(m.ids)
	}
}

// get returns the number for id ("" when id is empty).
func (m *idMap) get(id string) string {
	if id == "" || !m.renumber {
		return id
	}
	n, ok := m.ids[id]
	if !ok {
		m.next++
		n = m.next
		m.ids[id] = n
	}
	return strconv.Itoa(n)
}

func isNumber(s string) bool {
	if s == "" || len(s) > 9 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// The attributes TMX 1.4 defines for each inline element (besides i).
var codeAttrs = map[string][]string{
	"bpt": {"x", "type"},
	"ept": {},
	"it":  {"pos", "x", "type"},
	"ph":  {"x", "assoc", "type"},
	"hi":  {"x", "type"},
	"ut":  {"x"},
}

// plan is how one code of a segment is written.
type plan struct {
	elem string // TMX element
	i    string // i for bpt/ept
	pos  string // pos for it
	skip bool   // the close of a <hi>, written as </hi>
}

// planCodes decides the TMX element of every code in spans (indexed as
// spans).
func planCodes(spans []corpora.Span, ids *idMap) []plan {
	partner := make([]int, len(spans))
	for i := range partner {
		partner[i] = -1
	}
	hi := pairHi(spans, partner)
	pairOthers(spans, partner)
	return elementsOf(spans, partner, hi, ids)
}

// pairHi pairs the open and close codes of <hi> elements, which must nest
// as elements do, recording each one's partner; it reports which codes are
// halves of a <hi>.
func pairHi(spans []corpora.Span, partner []int) []bool {
	hi := make([]bool, len(spans))
	var his []int
	for k, sp := range spans {
		c := sp.Code
		if c == nil || !c.Paired || c.Element != "hi" {
			continue
		}
		switch c.Kind {
		case corpora.CodeOpen:
			his = append(his, k)
		case corpora.CodeClose:
			if n := len(his); n > 0 && spans[his[n-1]].Code.ID == c.ID {
				partner[his[n-1]], partner[k] = k, his[n-1]
				hi[his[n-1]], hi[k] = true, true
				his = his[:n-1]
			}
		}
	}
	return hi
}

// pairOthers pairs every other open code with the next close code of the
// same ID.
func pairOthers(spans []corpora.Span, partner []int) {
	var open []int
	for k, sp := range spans {
		c := sp.Code
		if c == nil || partner[k] >= 0 {
			continue
		}
		switch c.Kind {
		case corpora.CodeOpen:
			open = append(open, k)
		case corpora.CodeClose:
			for j := len(open) - 1; j >= 0; j-- {
				if spans[open[j]].Code.ID == c.ID {
					partner[open[j]], partner[k] = k, open[j]
					open = append(open[:j], open[j+1:]...)
					break
				}
			}
		}
	}
}

// elementsOf decides the element and i value of every code, i unique per
// segment.
func elementsOf(spans []corpora.Span, partner []int, hi []bool, ids *idMap) []plan {
	plans := make([]plan, len(spans))
	used := map[string]bool{}
	next := 0
	for k, sp := range spans {
		c := sp.Code
		if c == nil {
			continue
		}
		p := &plans[k]
		switch {
		case c.Kind == corpora.CodeStandalone:
			switch c.Element {
			case "it", "ph", "ut":
				p.elem = c.Element
			default:
				p.elem = "ph"
			}
			if p.elem == "it" {
				p.pos, _ = c.Attr("pos")
				switch p.pos {
				case "begin", "end":
				case "close":
					p.pos = "end"
				default:
					p.pos = "begin"
				}
			}
		case partner[k] < 0:
			p.elem = "it"
			p.pos = "begin"
			if c.Kind == corpora.CodeClose {
				p.pos = "end"
			}
		case c.Kind == corpora.CodeClose:
			if plans[partner[k]].elem == "hi" {
				p.elem, p.skip = "hi", true
			} else {
				p.elem, p.i = "ept", plans[partner[k]].i
			}
		case hi[k]:
			p.elem = "hi"
		default:
			p.elem = "bpt"
			i := ids.get(c.ID)
			for i == "" || used[i] {
				next++
				i = strconv.Itoa(next)
			}
			used[i] = true
			p.i = i
		}
	}
	return plans
}

// appendSegment appends the content of a <seg>.
func appendSegment(b []byte, seg corpora.Segment, ids *idMap) ([]byte, error) {
	var plans []plan
	for _, sp := range seg.Spans {
		if sp.Code != nil {
			plans = planCodes(seg.Spans, ids)
			break
		}
	}
	for k, sp := range seg.Spans {
		if sp.Code == nil {
			b = appendText(b, sp.Text)
			continue
		}
		c, p := sp.Code, plans[k]
		if p.skip {
			b = append(b, "</hi>"...)
			continue
		}
		b = append(b, '<')
		b = append(b, p.elem...)
		if p.elem == "bpt" || p.elem == "ept" {
			b = appendAttr(b, "i", p.i)
		} else if c.ID != "" {
			b = appendAttr(b, "x", ids.get(c.ID))
		}
		// Attributes keep their order, so that a code read from TMX reads
		// back the same.
		_, hasPos := c.Attr("pos")
		if p.elem == "it" && !hasPos {
			b = appendAttr(b, "pos", p.pos)
		}
		for _, a := range c.Attrs {
			v := a.Value
			switch {
			case a.Name == "pos" && p.elem == "it":
				v = p.pos
			case a.Name == "x" && p.elem != "bpt" && c.ID != "":
				continue // written from ID
			case !allowed(p.elem, a.Name):
				continue
			case a.Name == "x":
				v = ids.get(v)
			}
			if err := checkChars(v); err != nil {
				return nil, err
			}
			b = appendAttr(b, a.Name, v)
		}
		if _, ok := c.Attr("type"); !ok && allowed(p.elem, "type") {
			if ct, ok := c.Attr("ctype"); ok && checkChars(ct) == nil {
				b = appendAttr(b, "type", ct)
			}
		}
		if p.elem == "hi" {
			b = append(b, '>')
			continue
		}
		if c.Native == "" {
			b = append(b, "/>"...)
			continue
		}
		b = append(b, '>')
		if validNative(c.Native, p.elem) {
			b = append(b, c.Native...)
		} else {
			if err := checkChars(c.Native); err != nil {
				return nil, err
			}
			b = appendEscaped(b, c.Native, false)
		}
		b = append(b, "</"...)
		b = append(b, p.elem...)
		b = append(b, '>')
	}
	return b, nil
}

// ctrlType is the type of the <ph> that holds a character XML cannot (a
// control character such as U+0007 in a gettext string): its content is
// the character's escape, "&#x7;" (see xmlread.EscapeInvalid), so that
// tools that read a <seg> as text see the escape, and the reader turns it
// back into the character.
const ctrlType = "x-ctrl"

// appendText appends the text of a segment, with each character XML
// cannot hold as a <ph type="x-ctrl">.
func appendText(b []byte, s string) []byte {
	for {
		i := strings.IndexFunc(s, func(r rune) bool { return !xmlread.IsChar(r) })
		if i < 0 {
			return appendEscaped(b, s, false)
		}
		b = appendEscaped(b, s[:i], false)
		r, n := utf8.DecodeRuneInString(s[i:])
		b = append(b, `<ph type="`+ctrlType+`">`...)
		b = appendEscaped(b, xmlread.EscapeInvalid(string(r)), false)
		b = append(b, "</ph>"...)
		s = s[i+n:]
	}
}

// ctrlChar returns the character a code stands for when it is a
// <ph type="x-ctrl"> that appendText wrote.
func ctrlChar(c *corpora.Code) (rune, bool) {
	if c.Element != "ph" || c.ID != "" || len(c.Attrs) != 1 || c.Attrs[0] != (corpora.Attr{Name: "type", Value: ctrlType}) {
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

func allowed(elem, attr string) bool {
	for _, a := range codeAttrs[elem] {
		if a == attr {
			return true
		}
	}
	return false
}

// validNative reports whether native is well-formed content for the code
// element elem: text, and <sub> with TMX inline elements inside.
func validNative(native, elem string) bool {
	if !strings.ContainsAny(native, "<&") && !strings.Contains(native, "]]>") {
		_, bad := invalidChar(native)
		return !bad
	}
	s := newScanner(strings.NewReader("<"+elem+">"+native+"</"+elem+">"), "", corpora.Limits{MaxDepth: 64, MaxUnitBytes: len(native) + 1024})
	var stack []string
	for {
		t, err := s.next()
		if err != nil {
			return false
		}
		switch t.kind {
		case tokEOF:
			return true
		case tokStart:
			if len(stack) > 0 {
				parent := stack[len(stack)-1]
				if isCode(parent) && t.name != "sub" || !isCode(parent) && t.name != "hi" && !isCode(t.name) {
					return false
				}
			}
			stack = append(stack, t.name)
		case tokEnd:
			stack = stack[:len(stack)-1]
		}
	}
}
