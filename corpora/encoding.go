package corpora

import (
	"bufio"
	"bytes"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Encoding is the byte encoding of a text file as DetectEncoding tells it.
type Encoding uint8

const (
	UTF8 Encoding = iota
	UTF8BOM
	UTF16LE
	UTF16BE
)

func (e Encoding) String() string {
	return [...]string{"utf-8", "utf-8 with BOM", "utf-16le", "utf-16be"}[e]
}

// DetectEncoding tells a file's encoding from its first bytes: a byte order
// mark if there is one, else the pattern of zero bytes that UTF-16 text
// without a BOM shows (every other byte zero for ASCII characters), else
// UTF-8.
func DetectEncoding(head []byte) Encoding {
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		return UTF8BOM
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return UTF16LE
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return UTF16BE
	}
	n := len(head) &^ 1
	if n < 2 {
		return UTF8
	}
	var evenZero, oddZero int
	for i := 0; i < n; i += 2 {
		if head[i] == 0 {
			evenZero++
		}
		if head[i+1] == 0 {
			oddZero++
		}
	}
	pairs := n / 2
	// Mostly-ASCII UTF-16 has a zero in one byte of most pairs and almost
	// none in the other.
	if oddZero*2 > pairs && evenZero*8 < pairs {
		return UTF16LE
	}
	if evenZero*2 > pairs && oddZero*8 < pairs {
		return UTF16BE
	}
	return UTF8
}

// sniffLen is how much of a file DetectEncoding looks at.
const sniffLen = 1024

// UTF8Reader returns a reader of r's text as UTF-8 without a byte order
// mark, whatever of UTF-8, UTF-16LE or UTF-16BE (with or without BOM) r is
// in, and the encoding it found. Invalid UTF-16 becomes U+FFFD.
func UTF8Reader(r io.Reader) (io.Reader, Encoding, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(sniffLen)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, UTF8, err
	}
	enc := DetectEncoding(head)
	switch enc {
	case UTF8BOM:
		_, _ = br.Discard(3)
		return br, enc, nil
	case UTF16LE:
		return transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()), enc, nil
	case UTF16BE:
		return transform.NewReader(br, unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewDecoder()), enc, nil
	}
	return br, enc, nil
}

// ValidUTF8 reports whether s is valid UTF-8; readers use it to reject
// bytes that are not valid in the declared encoding.
func ValidUTF8(s string) bool { return utf8.ValidString(s) }
