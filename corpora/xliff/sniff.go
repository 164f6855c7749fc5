package xliff

import (
	"bytes"
	"encoding/xml"
	"io"
	"regexp"

	"github.com/kgmem/kgmem/corpora"
)

// Sniff reports whether head, the first bytes of a file (UTF-8 or UTF-16,
// with or without byte order mark), look like XLIFF: an XML document whose
// root element is <xliff>, with or without a namespace prefix.
func Sniff(head []byte) bool {
	u, _, err := corpora.UTF8Reader(bytes.NewReader(head))
	if err != nil {
		return false
	}
	text, err := io.ReadAll(u)
	if err != nil {
		return false
	}
	d := xml.NewDecoder(bytes.NewReader(text))
	d.Strict = false
	d.CharsetReader = func(_ string, in io.Reader) (io.Reader, error) { return in, nil }
	for i := 0; i < 64; i++ {
		off := d.InputOffset()
		tok, err := d.RawToken()
		if err != nil {
			// The head may end inside the root's start tag.
			return rootCut.Match(text[off:])
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return t.Name.Local == "xliff"
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return false
			}
		}
	}
	return false
}

// rootCut matches the start of an <xliff> start tag cut off by the end of
// the head.
var rootCut = regexp.MustCompile(`^\s*<([A-Za-z_][\w.-]*:)?xliff(\s|$)`)
