package po

import (
	"bytes"
	"encoding/binary"
	"io"

	"github.com/kgmem/kgmem/corpora"
)

// Sniff reports whether head, the first bytes of a file (up to 4096, raw,
// maybe UTF-16 or with a byte order mark), look like a PO file: its first
// line that is not blank or a comment is a msgid, msgctxt or domain line,
// or, when head holds only comments, some are gettext's "#,", "#:", "#."
// or "#|" comments.
func Sniff(head []byte) bool {
	r, _, err := corpora.UTF8Reader(bytes.NewReader(head))
	if err != nil {
		return false
	}
	text, err := io.ReadAll(io.LimitReader(r, int64(4*len(head)+16)))
	if err != nil && len(text) == 0 {
		return false
	}
	if bytes.IndexByte(text, 0) >= 0 {
		return false
	}
	gettextComment := false
	for len(text) > 0 {
		ln := text
		if i := bytes.IndexByte(text, '\n'); i >= 0 {
			ln, text = text[:i], text[i+1:]
		} else {
			text = nil
		}
		ln = trimSpace(bytes.TrimRight(ln, "\r"))
		switch {
		case len(ln) == 0:
			continue
		case bytes.HasPrefix(ln, []byte("#~")):
			if isKeywordLine(trimSpace(ln[2:])) {
				return true
			}
			gettextComment = true
		case ln[0] == '#':
			if len(ln) > 1 && bytes.IndexByte([]byte(",:.|"), ln[1]) >= 0 {
				gettextComment = true
			}
		default:
			return isKeywordLine(ln)
		}
	}
	return gettextComment
}

// isKeywordLine reports whether ln starts with a keyword that can begin
// an entry, followed by a string.
func isKeywordLine(ln []byte) bool {
	for _, kw := range []string{"msgid", "msgctxt", "domain"} {
		if rest, ok := bytes.CutPrefix(ln, []byte(kw)); ok {
			rest = trimSpace(rest)
			return len(rest) > 0 && rest[0] == '"'
		}
	}
	return false
}

// SniffMO reports whether head, the first bytes of a file, are the magic
// number of an MO file in either byte order.
func SniffMO(head []byte) bool {
	if len(head) < 4 {
		return false
	}
	return binary.LittleEndian.Uint32(head) == moMagic || binary.BigEndian.Uint32(head) == moMagic
}
