package xliff

import (
	"bytes"
)

// rawAttr is one attribute of a start tag as it is in the file.
type rawAttr struct {
	name string
	// from is where the attribute starts, including the white space before
	// it; vFrom and vTo delimit its value, without the quotes.
	from, vFrom, vTo int
}

// scanTag splits a start tag (as a well-formed document has it, from "<"
// to ">") into its qualified name, its attributes and the index where its
// closing "/>" or ">" begins. ok is false when tag is not a start tag.
func scanTag(tag []byte) (name string, attrs []rawAttr, end int, ok bool) {
	if len(tag) < 2 || tag[0] != '<' {
		return "", nil, 0, false
	}
	i := 1
	for i < len(tag) && !isSpace(tag[i]) && tag[i] != '>' && tag[i] != '/' {
		i++
	}
	name = string(tag[1:i])
	for {
		from := i
		for i < len(tag) && isSpace(tag[i]) {
			i++
		}
		if i >= len(tag) {
			return "", nil, 0, false
		}
		if tag[i] == '>' || tag[i] == '/' {
			return name, attrs, i, true
		}
		n := i
		for i < len(tag) && tag[i] != '=' && !isSpace(tag[i]) {
			i++
		}
		an := string(tag[n:i])
		for i < len(tag) && isSpace(tag[i]) {
			i++
		}
		if i >= len(tag) || tag[i] != '=' {
			return "", nil, 0, false
		}
		i++
		for i < len(tag) && isSpace(tag[i]) {
			i++
		}
		if i >= len(tag) || (tag[i] != '"' && tag[i] != '\'') {
			return "", nil, 0, false
		}
		q := tag[i]
		i++
		v := i
		for i < len(tag) && tag[i] != q {
			i++
		}
		if i >= len(tag) {
			return "", nil, 0, false
		}
		attrs = append(attrs, rawAttr{name: an, from: from, vFrom: v, vTo: i})
		i++
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// rawAttrValue returns the (still escaped) value of an attribute of a
// start tag.
func rawAttrValue(tag []byte, name string) (string, bool) {
	_, attrs, _, ok := scanTag(tag)
	if !ok {
		return "", false
	}
	for _, a := range attrs {
		if a.name == name {
			return string(tag[a.vFrom:a.vTo]), true
		}
	}
	return "", false
}

// setAttr returns the start tag with the attribute set to value, replacing
// the value in place when the attribute is there and adding it before the
// end of the tag when it is not.
func setAttr(tag []byte, name, value string) []byte {
	_, attrs, end, ok := scanTag(tag)
	if !ok {
		return tag
	}
	v := escapeAttr(value)
	for _, a := range attrs {
		if a.name == name {
			out := append([]byte(nil), tag[:a.vFrom]...)
			if tag[a.vFrom-1] == '\'' {
				v = string(bytes.ReplaceAll([]byte(v), []byte("'"), []byte("&apos;")))
			}
			out = append(out, v...)
			return append(out, tag[a.vTo:]...)
		}
	}
	out := append([]byte(nil), tag[:end]...)
	// Keep white space that precedes "/>" after the new attribute.
	ws := end
	for ws > 0 && isSpace(tag[ws-1]) {
		ws--
	}
	out = append(out[:ws:ws], []byte(" "+name+`="`+v+`"`)...)
	out = append(out, tag[ws:end]...)
	return append(out, tag[end:]...)
}

// removeAttr returns the start tag without the attribute.
func removeAttr(tag []byte, name string) []byte {
	_, attrs, _, ok := scanTag(tag)
	if !ok {
		return tag
	}
	for _, a := range attrs {
		if a.name == name {
			out := append([]byte(nil), tag[:a.from]...)
			return append(out, tag[a.vTo+1:]...)
		}
	}
	return tag
}

// openTag returns a start tag that is not self-closing: "<a/>" becomes
// "<a>".
func openTag(tag []byte) []byte {
	if bytes.HasSuffix(tag, []byte("/>")) {
		out := append([]byte(nil), tag[:len(tag)-2]...)
		return append(out, '>')
	}
	return tag
}

// prefixOf returns the namespace prefix of a qualified name with its
// colon ("xlf:" for "xlf:source"), or "".
func prefixOf(qname string) string {
	if i := bytes.IndexByte([]byte(qname), ':'); i >= 0 {
		return qname[:i+1]
	}
	return ""
}
