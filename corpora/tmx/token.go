package tmx

import (
	"encoding/xml"
	"io"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/internal/xmlread"
)

// tokKind is the kind of a token the TMX reader consumes.
type tokKind uint8

const (
	tokEOF tokKind = iota
	tokStart
	tokEnd
	tokText
)

// attr is one attribute of a start tag. Its value is only valid until the
// next token is read.
type attr struct {
	name  string // qualified name as written: "xml:lang", "type"
	value []byte
}

// token is what a tokenizer hands the TMX reader: a start or end tag (name
// without namespace prefix), or a chunk of character data. Successive text
// tokens belong together; a run of text may come in several chunks. Slices
// are only valid until the next call.
type token struct {
	kind  tokKind
	name  string
	attrs []attr
	text  []byte
	line  int // the line the token starts on
	// bad is the line of a byte in the token that is not UTF-8 (the
	// scanner goes on past it; the reader decides whether the unit or
	// the file is bad), 0 when there is none.
	bad int
}

// attr returns the value of the named attribute, or nil.
func (t *token) attr(name string) []byte {
	for i := range t.attrs {
		if t.attrs[i].name == name {
			return t.attrs[i].value
		}
	}
	return nil
}

// tokenizer is an XML tokenizer: scanner, the fast path for UTF-8, or
// xmlTokenizer, encoding/xml through xmlread for everything else. Errors
// are *corpora.ParseError; a tokenizer error leaves the document unreadable,
// unlike the TMX reader's own errors about one unit.
type tokenizer interface {
	next() (*token, error)
	// line is the line the tokenizer has read up to.
	line() int
	// sawMarkup reports whether anything but white space was read.
	sawMarkup() bool
}

// xmlTokenizer adapts xmlread.Decoder, for input that is not UTF-8.
type xmlTokenizer struct {
	d      *xmlread.Decoder
	tok    token
	markup bool
}

func newXMLTokenizer(r io.Reader, name string, limits corpora.Limits) (*xmlTokenizer, error) {
	d, err := xmlread.New(r, name, limits)
	if err != nil {
		return nil, err
	}
	return &xmlTokenizer{d: d}, nil
}

func (x *xmlTokenizer) line() int       { return x.d.Line() }
func (x *xmlTokenizer) sawMarkup() bool { return x.markup }

func (x *xmlTokenizer) next() (*token, error) {
	for {
		// encoding/xml hands white space between tags over as its own
		// token, so the position before a tag is the line it starts on.
		line := x.d.Line()
		t, err := x.d.Token()
		if err == io.EOF {
			x.tok = token{kind: tokEOF, line: x.d.Line()}
			return &x.tok, nil
		}
		if err != nil {
			return nil, err
		}
		x.tok.line = line
		switch t := t.(type) {
		case xml.StartElement:
			x.markup = true
			x.tok.kind = tokStart
			x.tok.name = intern(t.Name.Local)
			x.tok.attrs = x.tok.attrs[:0]
			for _, a := range t.Attr {
				n := a.Name.Local
				switch a.Name.Space {
				case "":
				case "http://www.w3.org/XML/1998/namespace":
					n = "xml:" + n
				default:
					n = a.Name.Space + ":" + n
				}
				x.tok.attrs = append(x.tok.attrs, attr{name: intern(n), value: []byte(a.Value)})
			}
			return &x.tok, nil
		case xml.EndElement:
			x.tok.kind = tokEnd
			x.tok.name = intern(t.Name.Local)
			return &x.tok, nil
		case xml.CharData:
			if !isSpace(t) {
				x.markup = true
			}
			x.tok.kind = tokText
			x.tok.text = append(x.tok.text[:0], t...)
			return &x.tok, nil
		default: // comments, processing instructions, directives
			x.markup = true
		}
	}
}

// isSpace reports whether b is only XML white space.
func isSpace(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return true
}

// names are the element and attribute names TMX uses, so that tokenizers
// hand out the same string instead of allocating one per tag.
var names = func() map[string]string {
	m := map[string]string{}
	for _, n := range []string{
		"tmx", "header", "body", "tu", "tuv", "seg", "prop", "note", "ude", "map",
		"bpt", "ept", "it", "ph", "hi", "ut", "sub",
		"xml:lang", "lang", "version", "srclang", "adminlang", "datatype", "segtype",
		"o-tmf", "o-encoding", "creationtool", "creationtoolversion", "creationdate",
		"creationid", "changedate", "changeid", "tuid", "usagecount", "lastusagedate",
		"type", "i", "x", "pos", "assoc",
	} {
		m[n] = n
	}
	return m
}()

func intern(s string) string {
	if n, ok := names[s]; ok {
		return n
	}
	return s
}

func internBytes(b []byte) string {
	// The names of every tag of a typical file, without a map lookup.
	switch string(b) {
	case "tu":
		return "tu"
	case "tuv":
		return "tuv"
	case "seg":
		return "seg"
	case "xml:lang":
		return "xml:lang"
	case "lang":
		return "lang"
	case "tuid":
		return "tuid"
	}
	if n, ok := names[string(b)]; ok {
		return n
	}
	return string(b)
}
