package xliff

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/internal/xmlread"
)

// Attributes each inline element may carry, besides its id (and startRef),
// per version; a code read from the same element of the same version keeps
// these when written back. Attributes in other namespaces are kept too.
var allowedAttrs = map[int]map[string]map[string]bool{
	1: {
		"g":   set("ctype", "clone", "xid", "equiv-text", "css-style", "style", "exstyle", "xml:lang", "xml:space"),
		"x":   set("ctype", "clone", "xid", "equiv-text", "css-style", "style", "exstyle"),
		"bx":  set("rid", "ctype", "clone", "xid", "equiv-text"),
		"ex":  set("rid", "xid", "equiv-text"),
		"bpt": set("rid", "ctype", "ts", "crc", "xid", "equiv-text"),
		"ept": set("rid", "ts", "crc", "xid", "equiv-text"),
		"ph":  set("ctype", "ts", "crc", "assoc", "xid", "equiv-text"),
		"it":  set("pos", "rid", "ctype", "ts", "crc", "xid", "equiv-text"),
		"mrk": set("mtype", "ts", "comment", "xml:lang"),
	},
	2: {
		"pc":  set("canCopy", "canDelete", "canOverlap", "canReorder", "copyOf", "dir", "dispEnd", "dispStart", "equivEnd", "equivStart", "subFlowsEnd", "subFlowsStart", "subType", "type"),
		"sc":  set("canCopy", "canDelete", "canOverlap", "canReorder", "copyOf", "dir", "disp", "equiv", "isolated", "subFlows", "subType", "type"),
		"ec":  set("canCopy", "canDelete", "canOverlap", "canReorder", "copyOf", "dir", "disp", "equiv", "isolated", "subFlows", "subType", "type"),
		"ph":  set("canCopy", "canDelete", "canReorder", "copyOf", "disp", "equiv", "subFlows", "subType", "type"),
		"mrk": set("translate", "type", "ref", "value"),
		"sm":  set("translate", "type", "ref", "value"),
		"em":  set(),
	},
}

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// codeTypes2 are the values XLIFF 2 allows in the type attribute of <pc>,
// <sc>, <ec> and <ph>.
var codeTypes2 = set("fmt", "ui", "quote", "link", "image", "other")

// inlineWriter writes segments as XLIFF inline markup. One is used per unit,
// so that a code has the same id in the source and the target.
type inlineWriter struct {
	v      int
	prefix string // element name prefix with its colon, when the document uses one
	ids    idMap
	ctrls  int // control characters written as 1.2 <ph>s
	// data collects the 2.x <originalData> of the unit; nil when the
	// document's own originalData is kept (Fill), in which case codes keep
	// their dataRef attributes.
	data *dataTable
}

// idMap gives every code of a unit the id it is written with: its own when
// that is usable, else a new one.
type idMap struct {
	assigned map[string]string
	used     map[string]bool
	n        int
}

func (m *idMap) get(key, want string, usable bool) string {
	if m.assigned == nil {
		m.assigned, m.used = map[string]string{}, map[string]bool{}
	}
	if id, ok := m.assigned[key]; ok {
		return id
	}
	id := want
	if !usable || m.used[id] {
		for {
			m.n++
			id = "k" + strconv.Itoa(m.n)
			if !m.used[id] {
				break
			}
		}
	}
	m.assigned[key], m.used[id] = id, true
	return id
}

// dataTable is the <originalData> of one 2.x unit being written.
type dataTable struct {
	ids     []string
	natives []string
	byID    map[string]string
	n       int
}

// ref returns the id of a <data> holding native, preferring want.
func (t *dataTable) ref(want, native string) string {
	if t.byID == nil {
		t.byID = map[string]string{}
	}
	if want != "" && isNMToken(want) {
		if have, ok := t.byID[want]; !ok || have == native {
			if !ok {
				t.add(want, native)
			}
			return want
		}
	}
	for i, n := range t.natives {
		if n == native {
			return t.ids[i]
		}
	}
	for {
		t.n++
		id := "d" + strconv.Itoa(t.n)
		if _, ok := t.byID[id]; !ok {
			t.add(id, native)
			return id
		}
	}
}

func (t *dataTable) add(id, native string) {
	t.byID[id] = native
	t.ids = append(t.ids, id)
	t.natives = append(t.natives, native)
}

// write writes the <originalData> element, if there is any data.
func (t *dataTable) write(b *strings.Builder, indent string) {
	if len(t.ids) == 0 {
		return
	}
	b.WriteString(indent + "<originalData>\n")
	for i, id := range t.ids {
		b.WriteString(indent + "  <data id=\"" + escapeAttr(id) + "\">" + nativeFor(2, t.natives[i]) + "</data>\n")
	}
	b.WriteString(indent + "</originalData>\n")
}

// matchCodes tells, for each code of a segment, whether it is written as
// half of one wrapping element (paired) and the index of its counterpart
// in the segment, or -1 when it has none.
func matchCodes(spans []corpora.Span) (paired []bool, partner []int) {
	paired = make([]bool, len(spans))
	partner = make([]int, len(spans))
	for i := range partner {
		partner[i] = -1
	}
	var stack []int
	for i, sp := range spans {
		c := sp.Code
		if c == nil || !c.Paired {
			continue
		}
		switch c.Kind {
		case corpora.CodeOpen:
			stack = append(stack, i)
		case corpora.CodeClose:
			if n := len(stack); n > 0 {
				j := stack[n-1]
				if o := spans[j].Code; o.ID == c.ID && o.Element == c.Element {
					paired[i], paired[j] = true, true
					partner[i], partner[j] = j, i
					stack = stack[:n-1]
				}
			}
		}
	}
	open := map[string][]int{}
	for i, sp := range spans {
		c := sp.Code
		if c == nil || paired[i] {
			continue
		}
		switch c.Kind {
		case corpora.CodeOpen:
			open[c.ID] = append(open[c.ID], i)
		case corpora.CodeClose:
			if q := open[c.ID]; len(q) > 0 {
				partner[i], partner[q[0]] = q[0], i
				open[c.ID] = q[1:]
			}
		}
	}
	return paired, partner
}

// segment writes seg as inline markup.
func (w *inlineWriter) segment(b *strings.Builder, seg corpora.Segment) {
	paired, partner := matchCodes(seg.Spans)
	occ := map[string]int{}
	keys := make([]string, len(seg.Spans))
	for i, sp := range seg.Spans {
		if sp.Code == nil {
			w.text(b, sp.Text)
			continue
		}
		c := sp.Code
		matched := partner[i] >= 0
		if c.Kind == corpora.CodeClose && matched {
			keys[i] = keys[partner[i]]
		} else {
			class := "s"
			switch c.Kind {
			case corpora.CodeOpen:
				class = "p"
			case corpora.CodeClose:
				class = "c"
			}
			k := class + "\x00" + c.ID
			keys[i] = k + "\x00" + strconv.Itoa(occ[k])
			occ[k]++
		}
		if w.v == 1 {
			w.code12(b, c, keys[i], paired[i], matched)
			continue
		}
		var closeNative string
		if paired[i] && c.Kind == corpora.CodeOpen {
			closeNative = seg.Spans[partner[i]].Code.Native
		}
		w.code2(b, c, keys[i], paired[i], matched, closeNative)
	}
}

// id returns the id a code is written with.
func (w *inlineWriter) id(key, want string) string {
	if w.v == 1 {
		// 1.2 ids need not be unique: keep the code's own.
		if want != "" {
			return want
		}
		return w.ids.get(key, want, false)
	}
	return w.ids.get(key, want, isNMToken(want))
}

// code12 writes one code as XLIFF 1.2.
func (w *inlineWriter) code12(b *strings.Builder, c *corpora.Code, key string, paired, matched bool) {
	el := c.Element
	id := w.id(key, c.ID)
	switch {
	case paired && c.Kind == corpora.CodeOpen:
		_, hasMtype := c.Attr("mtype")
		if el == "mrk" && hasMtype {
			w.start(b, "mrk", [][2]string{{"mid", c.ID}}, c, true, false)
		} else {
			w.start(b, "g", [][2]string{{"id", id}}, c, el == "g", false)
		}
		return
	case paired:
		_, hasMtype := c.Attr("mtype")
		if el == "mrk" && hasMtype {
			b.WriteString("</" + w.prefix + "mrk>")
		} else {
			b.WriteString("</" + w.prefix + "g>")
		}
		return
	}
	var name string
	var extra [][2]string
	same := false
	switch c.Kind {
	case corpora.CodeOpen:
		switch {
		case el == "bx" || el == "bpt":
			name, same = el, true
		case c.Native != "" && matched:
			name = "bpt"
		case c.Native != "":
			name, extra = "it", [][2]string{{"pos", "open"}}
		default:
			name = "bx"
		}
	case corpora.CodeClose:
		switch {
		case el == "ex" || el == "ept":
			name, same = el, true
		case c.Native != "" && matched:
			name = "ept"
		case c.Native != "":
			name, extra = "it", [][2]string{{"pos", "close"}}
		default:
			name = "ex"
		}
	default:
		switch {
		case el == "x" || el == "ph":
			name, same = el, true
		case el == "it":
			pos, _ := c.Attr("pos")
			switch pos {
			case "close", "end":
				pos = "close"
			default:
				pos = "open"
			}
			name, extra = "it", [][2]string{{"pos", pos}}
		case c.Native != "":
			name = "ph"
		default:
			name = "x"
		}
	}
	attrs := append([][2]string{{"id", id}}, extra...)
	empty := name == "x" || name == "bx" || name == "ex"
	w.start(b, name, attrs, c, same || (name == "it" && el == "it"), empty)
	if !empty {
		b.WriteString(nativeFor(1, c.Native))
		b.WriteString("</" + w.prefix + name + ">")
	}
}

// code2 writes one code as XLIFF 2.
func (w *inlineWriter) code2(b *strings.Builder, c *corpora.Code, key string, paired, matched bool, closeNative string) {
	el := c.Element
	id := w.id(key, c.ID)
	if paired {
		if c.Kind == corpora.CodeClose {
			if el == "mrk" {
				b.WriteString("</" + w.prefix + "mrk>")
			} else {
				b.WriteString("</" + w.prefix + "pc>")
			}
			return
		}
		if el == "mrk" {
			w.start(b, "mrk", [][2]string{{"id", id}}, c, true, false)
			return
		}
		attrs := [][2]string{{"id", id}}
		attrs = append(attrs, w.dataRef("dataRefStart", c, c.Native)...)
		attrs = append(attrs, w.dataRef("dataRefEnd", c, closeNative)...)
		w.start(b, "pc", attrs, c, el == "pc", false)
		return
	}
	var name string
	var attrs [][2]string
	same := false
	switch c.Kind {
	case corpora.CodeOpen:
		if el == "sm" || el == "mrk" {
			name, same = "sm", el == "sm"
			attrs = [][2]string{{"id", id}}
			break
		}
		name, same = "sc", el == "sc"
		attrs = [][2]string{{"id", id}}
		if !matched {
			attrs = append(attrs, [2]string{"isolated", "yes"})
		}
		attrs = append(attrs, w.dataRef("dataRef", c, c.Native)...)
	case corpora.CodeClose:
		if el == "em" || el == "mrk" {
			name, same = "em", el == "em"
			attrs = [][2]string{{"startRef", id}}
			break
		}
		name, same = "ec", el == "ec"
		if matched {
			attrs = [][2]string{{"startRef", id}}
		} else {
			attrs = [][2]string{{"id", id}, {"isolated", "yes"}}
		}
		attrs = append(attrs, w.dataRef("dataRef", c, c.Native)...)
	default:
		name, same = "ph", el == "ph"
		attrs = [][2]string{{"id", id}}
		attrs = append(attrs, w.dataRef("dataRef", c, c.Native)...)
	}
	w.start(b, name, attrs, c, same, true)
}

// dataRef returns the data reference attribute for a 2.x code's native
// data, adding the data to the unit's table.
func (w *inlineWriter) dataRef(name string, c *corpora.Code, native string) [][2]string {
	if w.data == nil {
		if v, ok := c.Attr(name); ok {
			return [][2]string{{name, v}}
		}
		return nil
	}
	if native == "" {
		return nil
	}
	want, _ := c.Attr(name)
	return [][2]string{{name, w.data.ref(want, native)}}
}

// start writes a start tag (or an empty element) with the given attributes
// first and then, when keep is true, the code's own attributes that the
// element allows.
func (w *inlineWriter) start(b *strings.Builder, name string, attrs [][2]string, c *corpora.Code, keep, empty bool) {
	b.WriteString("<" + w.prefix + name)
	have := map[string]bool{}
	for _, a := range attrs {
		if a[1] == "" && (a[0] == "mid") {
			continue
		}
		have[a[0]] = true
		b.WriteString(" " + a[0] + `="` + escapeAttr(a[1]) + `"`)
	}
	if keep {
		allowed := allowedAttrs[w.v][name]
		nsN := 0
		for _, a := range c.Attrs {
			if have[a.Name] {
				continue
			}
			if strings.HasPrefix(a.Name, "{") {
				if i := strings.IndexByte(a.Name, '}'); i > 1 && isNCName(a.Name[i+1:]) {
					nsN++
					p := "ns" + strconv.Itoa(nsN)
					b.WriteString(" xmlns:" + p + `="` + escapeAttr(a.Name[1:i]) + `" ` + p + ":" + a.Name[i+1:] + `="` + escapeAttr(a.Value) + `"`)
				}
				continue
			}
			if !allowed[a.Name] || (a.Name == "type" && w.v == 2 && name != "mrk" && name != "sm" && !codeTypes2[a.Value]) {
				continue
			}
			have[a.Name] = true
			b.WriteString(" " + a.Name + `="` + escapeAttr(a.Value) + `"`)
		}
	}
	if empty {
		b.WriteString("/>")
	} else {
		b.WriteString(">")
	}
}

// text writes character data, with the characters XML cannot hold as
// <cp/> in XLIFF 2 and as <ph ctype="x-ctrl"> holding their escape in 1.2,
// which has no element for them.
func (w *inlineWriter) text(b *strings.Builder, s string) {
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '\r':
			b.WriteString("&#xD;")
		case !xmlread.IsChar(r):
			if w.v == 2 {
				fmt.Fprintf(b, `<%scp hex="%04X"/>`, w.prefix, r)
			} else {
				w.ctrls++
				id := w.ids.get("\x00ctrl\x00"+strconv.Itoa(w.ctrls), "ctrl"+strconv.Itoa(w.ctrls), true)
				b.WriteString(`<` + w.prefix + `ph id="` + id + `" ctype="` + ctrlType + `">` + escapeText(xmlread.EscapeInvalid(string(r))) + `</` + w.prefix + `ph>`)
			}
		default:
			b.WriteRune(r)
		}
	}
}

// nativeFor returns a code's Native as content for the given version: as
// it is when it is well-formed markup the version allows there (1.2:
// text and <sub>; 2.x <data>: text and <cp/>), else as its escaped text.
func nativeFor(v int, native string) string {
	if native == "" {
		return ""
	}
	d := xml.NewDecoder(strings.NewReader("<r>" + native + "</r>"))
	d.Strict = true
	var plain strings.Builder
	ok := true
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			ok = false
			plain.Reset()
			plain.WriteString(native)
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth > 1 && ((v == 1 && t.Name.Local != "sub") || (v == 2 && t.Name.Local != "cp") || t.Name.Space != "") {
				ok = false
			}
			if v == 2 && t.Name.Local == "cp" {
				if r, err := parseCP(attr(t, "hex")); err == nil {
					plain.WriteRune(r)
				}
			}
		case xml.EndElement:
			depth--
		case xml.CharData:
			plain.Write(t)
		default:
			ok = false
		}
	}
	if ok {
		return native
	}
	w := inlineWriter{v: v}
	var b strings.Builder
	w.text(&b, plain.String())
	return b.String()
}

// isNMToken reports whether s is an XML NMTOKEN, which XLIFF 2 ids must be.
func isNMToken(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !isNameChar(r) {
			return false
		}
	}
	return true
}

// isNCName reports whether s is a name without colon, usable as a local
// attribute name.
func isNCName(s string) bool {
	if s == "" || strings.ContainsRune(s, ':') {
		return false
	}
	for i, r := range s {
		if !isNameChar(r) || (i == 0 && (r == '-' || r == '.' || (r >= '0' && r <= '9'))) {
			return false
		}
	}
	return true
}

func isNameChar(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return true
	case r == '-' || r == '.' || r == '_' || r == ':' || r == 0xB7:
		return true
	case r >= 0xC0 && r <= 0x2FF && r != 0xD7 && r != 0xF7:
		return true
	case r >= 0x300 && r <= 0x37D, r >= 0x37F && r <= 0x1FFF, r == 0x200C, r == 0x200D,
		r >= 0x203F && r <= 0x2040, r >= 0x2070 && r <= 0x218F, r >= 0x2C00 && r <= 0x2FEF,
		r >= 0x3001 && r <= 0xD7FF, r >= 0xF900 && r <= 0xFDCF, r >= 0xFDF0 && r <= 0xFFFD,
		r >= 0x10000 && r <= 0xEFFFF:
		return true
	}
	return false
}

// nmtoken turns s into an NMTOKEN by replacing what is not a name
// character with "_".
func nmtoken(s string) string {
	if isNMToken(s) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isNameChar(r) {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "_"
	}
	return b.String()
}
