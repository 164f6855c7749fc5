package xmlread

import (
	"bufio"
	"bytes"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"
)

// encoding/xml stops at the first byte that is not UTF-8, and cannot go on
// after it: one bad byte in one unit would fail a whole document, where a
// table loses only its row. utf8Guard stands between a UTF-8 file and
// encoding/xml: it replaces each such byte with '?' (one byte for one, so
// offsets stay those of the file) and remembers where it was. The decoder
// then fails on a bad byte outside any unit, and tells a reader that
// brackets a unit with BeginUnit and EndUnit whether the unit held one, so
// that the reader can refuse or skip that unit alone. The '?' never
// reaches a unit: a unit with a bad byte is not returned.
type utf8Guard struct {
	r      io.Reader
	off    int64 // bytes handed out so far
	lines  int   // newlines handed out so far
	bad    []badByte
	carry  []byte // an incomplete sequence at the end of the last read
	atEOF  bool
	parked []byte
	buf    []byte
}

// badByte is a byte that was not UTF-8: its offset and line.
type badByte struct {
	off  int64
	line int
}

// maxBad is how many bad bytes the guard remembers; a file with more is
// not UTF-8, and the first ones say so.
const maxBad = 1 << 16

func (g *utf8Guard) Read(p []byte) (int, error) {
	if len(g.parked) == 0 {
		if g.atEOF && len(g.carry) == 0 {
			return 0, io.EOF
		}
		if cap(g.buf) < len(p)+utf8.UTFMax {
			g.buf = make([]byte, len(p)+utf8.UTFMax)
		}
		buf := g.buf[:len(p)]
		n := copy(buf, g.carry)
		g.carry = g.carry[:0]
		m, err := g.r.Read(buf[n:])
		n += m
		switch {
		case err == io.EOF:
			g.atEOF = true
		case err != nil:
			return 0, err
		}
		buf = buf[:n]
		if !g.atEOF {
			// Keep back a sequence the next read may complete.
			k := len(buf) - 1
			for k >= 0 && k >= len(buf)-utf8.UTFMax && !utf8.RuneStart(buf[k]) {
				k--
			}
			if k >= 0 && !utf8.FullRune(buf[k:]) && len(buf)-k < utf8.UTFMax {
				g.carry = append(g.carry, buf[k:]...)
				buf = buf[:k]
			}
		}
		g.parked = g.clean(buf)
		if len(g.parked) == 0 {
			if g.atEOF && len(g.carry) == 0 {
				return 0, io.EOF
			}
			return 0, nil
		}
	}
	n := copy(p, g.parked)
	g.parked = g.parked[n:]
	return n, nil
}

// clean replaces the bytes of b that are not UTF-8 and records them.
func (g *utf8Guard) clean(b []byte) []byte {
	start := g.off
	for i := 0; i < len(b); {
		c := b[i]
		if c == '\n' {
			g.lines++
		}
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			if len(g.bad) < maxBad {
				g.bad = append(g.bad, badByte{off: start + int64(i), line: g.lines + 1})
			}
			b[i] = '?'
		}
		i += n
	}
	g.off += int64(len(b))
	return b
}

// take returns the line of the first bad byte before offset to (and from
// offset from on, when from >= 0), forgetting every one before to.
func (g *utf8Guard) take(from, to int64) (line int, found bool) {
	k := 0
	for ; k < len(g.bad) && g.bad[k].off < to; k++ {
		if !found && g.bad[k].off >= from {
			line, found = g.bad[k].line, true
		}
	}
	g.bad = g.bad[k:]
	return line, found
}

// drop forgets the bad bytes from offset from up to to.
func (g *utf8Guard) drop(from, to int64) {
	kept := g.bad[:0]
	for _, b := range g.bad {
		if b.off < from || b.off >= to {
			kept = append(kept, b)
		}
	}
	g.bad = kept
}

// declRE finds the encoding an XML declaration names.
var declRE = regexp.MustCompile(`^<\?xml[^>]*?\bencoding\s*=\s*["']([^"']*)["']`)

// declaresOtherCharset reports whether the document r starts with an XML
// declaration naming a charset other than UTF-8 (whose bytes the guard
// must not touch: encoding/xml decodes them).
func declaresOtherCharset(br *bufio.Reader) bool {
	head, _ := br.Peek(1024)
	head = bytes.TrimLeft(head, " \t\r\n")
	m := declRE.FindSubmatch(head)
	if m == nil {
		return false
	}
	switch strings.ToLower(string(m[1])) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return false
	}
	return true
}
