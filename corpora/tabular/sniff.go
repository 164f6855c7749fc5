package tabular

import (
	"bytes"
	"encoding/csv"
	"io"
	"unicode/utf8"

	"github.com/kgmem/kgmem/corpora"
)

// sniffMax is how much of a file Sniff is given at most.
const sniffMax = 4096

// Sniff reports whether head, the first bytes of a file (up to 4096, in
// UTF-8 or UTF-16, with or without a byte order mark), looks like a TSV or
// CSV table of at least two columns.
func Sniff(head []byte) bool { return SniffDelimiter(head) != 0 }

// SniffDelimiter returns the delimiter of the table head starts ('\t', ','
// or ';'), or 0 if head does not look like a table: every line must have a
// tab (TSV), or every line must parse as CSV with the same number of cells,
// at least two, and a single line must be a header.
func SniffDelimiter(head []byte) rune {
	if len(head) > sniffMax {
		head = head[:sniffMax]
	}
	truncated := len(head) == sniffMax
	r, _, err := corpora.UTF8Reader(bytes.NewReader(head))
	if err != nil {
		return 0
	}
	text, err := io.ReadAll(r)
	if err != nil {
		return 0
	}
	if truncated {
		// The last line may be cut short: judge only whole lines.
		if i := bytes.LastIndexByte(text, '\n'); i > 0 {
			text = text[:i+1]
		}
		// A rune cut at the end is not an encoding error.
		for k := 0; k < utf8.UTFMax && len(text) > 0 && !utf8.Valid(text); k++ {
			text = text[:len(text)-1]
		}
	}
	if !utf8.Valid(text) || bytes.IndexByte(text, 0) >= 0 {
		return 0
	}
	trimmed := bytes.TrimSpace(text)
	if len(trimmed) == 0 {
		return 0
	}
	switch trimmed[0] {
	case '<', '{', '[': // XML, JSON
		return 0
	}
	if sniffTSV(text) {
		return '\t'
	}
	for _, d := range []rune{',', ';'} {
		if sniffCSV(text, d) {
			return d
		}
	}
	return 0
}

// sniffTSV reports whether every line that is not blank and not a '#'
// comment has a tab.
func sniffTSV(text []byte) bool {
	rows := 0
	for _, l := range bytes.Split(text, []byte("\n")) {
		if len(bytes.TrimSpace(l)) == 0 || l[0] == '#' {
			continue
		}
		if bytes.IndexByte(l, '\t') < 0 {
			return false
		}
		rows++
	}
	return rows > 0
}

// sniffCSV reports whether text parses as CSV with delimiter d, every
// record having the same number of cells, at least two.
func sniffCSV(text []byte, d rune) bool {
	cr := csv.NewReader(bytes.NewReader(text))
	cr.Comma = d
	cr.FieldsPerRecord = -1
	var first []string
	n := 0
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return false
		}
		if n == 0 {
			first = append([]string(nil), rec...)
		}
		if len(rec) < 2 || len(rec) != len(first) {
			return false
		}
		n++
	}
	switch n {
	case 0:
		return false
	case 1:
		return looksLikeHeader(first)
	}
	return true
}
