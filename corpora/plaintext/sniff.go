package plaintext

import (
	"bytes"
	"io"
	"unicode"
	"unicode/utf8"

	"github.com/kgmem/kgmem/corpora"
)

// Sniff reports whether head, the first bytes of a file (up to 4096, in
// UTF-8 or UTF-16, with or without a byte order mark), is text: valid
// characters, no control characters but tabs, line and page breaks, and not
// only white space. Every text file passes, so a caller that picks a format
// by content should try Sniff last, after the structured formats.
func Sniff(head []byte) bool {
	const max = 4096
	if len(head) > max {
		head = head[:max]
	}
	r, _, err := corpora.UTF8Reader(bytes.NewReader(head))
	if err != nil {
		return false
	}
	text, err := io.ReadAll(r)
	if err != nil {
		return false
	}
	if len(head) == max {
		// A character cut at the end is not an encoding error.
		for k := 0; k < utf8.UTFMax && len(text) > 0 && !utf8.Valid(text); k++ {
			text = text[:len(text)-1]
		}
	}
	if !utf8.Valid(text) || isBlank(string(text)) {
		return false
	}
	for _, c := range string(text) {
		if unicode.IsControl(c) && c != '\t' && c != '\n' && c != '\r' && c != '\f' {
			return false
		}
		if c == utf8.RuneError {
			return false // invalid UTF-16
		}
	}
	return true
}
