package corpora

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

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
// in, and the encoding it found. Invalid UTF-16 (a surrogate without its
// pair, an odd byte at the end) is an error of the read that meets it,
// never U+FFFD. UTF-8 is passed on as it is; readers check it.
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
		return transform.NewReader(br, &utf16Decoder{le: true}), enc, nil
	case UTF16BE:
		return transform.NewReader(br, &utf16Decoder{}), enc, nil
	}
	return br, enc, nil
}

// utf16Decoder decodes UTF-16 to UTF-8, dropping a leading byte order mark
// and failing on what is not UTF-16.
type utf16Decoder struct {
	le      bool
	started bool
	off     int64 // input bytes consumed
}

// ErrInvalidUTF16 is the error of a read that meets bytes that are not
// UTF-16.
var ErrInvalidUTF16 = errors.New("invalid UTF-16")

func (d *utf16Decoder) Reset() { d.started, d.off = false, 0 }

func (d *utf16Decoder) unit(b []byte) rune {
	if d.le {
		return rune(b[0]) | rune(b[1])<<8
	}
	return rune(b[0])<<8 | rune(b[1])
}

func (d *utf16Decoder) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	for nSrc < len(src) {
		if len(src)-nSrc < 2 {
			if atEOF {
				return nDst, nSrc, fmt.Errorf("%w: an odd byte at the end (byte %d); the file is truncated", ErrInvalidUTF16, d.off)
			}
			return nDst, nSrc, transform.ErrShortSrc
		}
		r, size := d.unit(src[nSrc:]), 2
		switch {
		case r >= 0xD800 && r < 0xDC00:
			if len(src)-nSrc < 4 {
				if atEOF {
					return nDst, nSrc, fmt.Errorf("%w: a high surrogate without its pair (byte %d)", ErrInvalidUTF16, d.off)
				}
				return nDst, nSrc, transform.ErrShortSrc
			}
			lo := d.unit(src[nSrc+2:])
			if lo < 0xDC00 || lo > 0xDFFF {
				return nDst, nSrc, fmt.Errorf("%w: a high surrogate without its pair (byte %d)", ErrInvalidUTF16, d.off)
			}
			r, size = 0x10000+(r-0xD800)<<10+(lo-0xDC00), 4
		case r >= 0xDC00 && r <= 0xDFFF:
			return nDst, nSrc, fmt.Errorf("%w: a low surrogate without its pair (byte %d)", ErrInvalidUTF16, d.off)
		}
		if !d.started {
			d.started = true
			if r == 0xFEFF {
				nSrc += size
				d.off += int64(size)
				continue
			}
		}
		if nDst+utf8.RuneLen(r) > len(dst) {
			return nDst, nSrc, transform.ErrShortDst
		}
		nDst += utf8.EncodeRune(dst[nDst:], r)
		nSrc += size
		d.off += int64(size)
	}
	return nDst, nSrc, nil
}

// ValidUTF8 reports whether s is valid UTF-8; readers use it to reject
// bytes that are not valid in the declared encoding.
func ValidUTF8(s string) bool { return utf8.ValidString(s) }
