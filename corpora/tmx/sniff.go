package tmx

import (
	"bytes"
	"io"

	"github.com/kgmem/kgmem/corpora"
)

// Sniff reports whether head, the first bytes of a file (raw, in any
// encoding TMX may be in), looks like TMX: its root element, or the name
// its <!DOCTYPE> declares, is tmx.
func Sniff(head []byte) bool {
	u, _, err := corpora.UTF8Reader(bytes.NewReader(head))
	if err != nil {
		return false
	}
	b, _ := io.ReadAll(io.LimitReader(u, 16<<10))
	for {
		b = bytes.TrimLeft(b, " \t\r\n\ufeff")
		switch {
		case bytes.HasPrefix(b, []byte("<?")):
			i := bytes.Index(b, []byte("?>"))
			if i < 0 {
				return false
			}
			b = b[i+2:]
		case bytes.HasPrefix(b, []byte("<!--")):
			i := bytes.Index(b[4:], []byte("-->"))
			if i < 0 {
				return false
			}
			b = b[4+i+3:]
		case bytes.HasPrefix(b, []byte("<!DOCTYPE")):
			rest := bytes.TrimLeft(b[len("<!DOCTYPE"):], " \t\r\n")
			return isRoot(rest)
		case bytes.HasPrefix(b, []byte("<")):
			return isRoot(b[1:])
		default:
			return false
		}
	}
}

// isRoot reports whether b starts with the name tmx followed by the end of
// the name.
func isRoot(b []byte) bool {
	if !bytes.HasPrefix(b, []byte("tmx")) {
		return false
	}
	return len(b) == 3 || !isNameByte(b[3])
}
