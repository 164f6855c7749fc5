package glossary

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strings"
	"unicode/utf8"
)

// errLineTooLong and errBadUTF8 are problems with one record: a lenient
// reader skips the record and goes on.
var (
	errLineTooLong = errors.New("line too long")
	errBadUTF8     = errors.New("not valid UTF-8")
)

// recordReader splits text into records of cells: lines split at the
// delimiter, with RFC 4180 quoting when quoted is set (a cell that starts
// with a double quote runs to the matching quote, may hold delimiters and
// newlines, and writes a quote as two). Blank lines and lines that start
// with '#' are skipped.
type recordReader struct {
	br     *bufio.Reader
	delim  byte
	quoted bool
	max    int // the most bytes a record may hold
	line   int // the number of the last line read
	eof    bool
}

// recordError is a problem confined to one record, at a line.
type recordError struct {
	line int
	err  error
}

func (e *recordError) Error() string { return e.err.Error() }

// readLine returns the next line without its line ending. A line longer
// than max is discarded up to its end and reported as errLineTooLong.
func (rr *recordReader) readLine() (string, error) {
	if rr.eof {
		return "", io.EOF
	}
	var buf []byte
	tooLong := false
	for {
		chunk, err := rr.br.ReadSlice('\n')
		if !tooLong {
			if len(buf)+len(chunk) > rr.max+2 {
				tooLong, buf = true, nil
			} else {
				buf = append(buf, chunk...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == io.EOF {
			rr.eof = true
			if len(buf) == 0 && !tooLong {
				return "", io.EOF
			}
		} else if err != nil {
			return "", err
		}
		break
	}
	rr.line++
	if tooLong {
		return "", &recordError{rr.line, errLineTooLong}
	}
	buf = bytes.TrimSuffix(buf, []byte("\n"))
	buf = bytes.TrimSuffix(buf, []byte("\r"))
	if !utf8.Valid(buf) {
		return "", &recordError{rr.line, errBadUTF8}
	}
	return string(buf), nil
}

// next returns the cells of the next record and the line it starts on.
func (rr *recordReader) next() ([]string, int, error) {
	var line string
	for {
		l, err := rr.readLine()
		if err != nil {
			return nil, rr.line, err
		}
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			continue
		}
		line = l
		break
	}
	start := rr.line
	var cells []string
	var cell strings.Builder
	size := len(line)
	i := 0
	for {
		if rr.quoted && i < len(line) && line[i] == '"' {
			i++
			for {
				j := strings.IndexByte(line[i:], '"')
				if j < 0 {
					cell.WriteString(line[i:])
					cell.WriteByte('\n')
					l, err := rr.readLine()
					if err == io.EOF {
						return nil, start, &fatalError{start, errors.New("a quoted cell is never closed; check the quotes on this line")}
					}
					if err != nil {
						if re, ok := err.(*recordError); ok && re.err == errLineTooLong {
							return nil, start, &fatalError{start, errLineTooLong}
						}
						return nil, start, err
					}
					if size += len(l) + 1; size > rr.max {
						return nil, start, &fatalError{start, errLineTooLong}
					}
					line, i = l, 0
					continue
				}
				cell.WriteString(line[i : i+j])
				i += j + 1
				if i < len(line) && line[i] == '"' {
					cell.WriteByte('"')
					i++
					continue
				}
				break
			}
			// Text between the closing quote and the delimiter is kept as
			// it is, as spreadsheets do.
			k := strings.IndexByte(line[i:], rr.delim)
			if k < 0 {
				cell.WriteString(line[i:])
				cells = append(cells, cell.String())
				return cells, start, nil
			}
			cell.WriteString(line[i : i+k])
			cells = append(cells, cell.String())
			cell.Reset()
			i += k + 1
			continue
		}
		k := strings.IndexByte(line[i:], rr.delim)
		if k < 0 {
			cells = append(cells, line[i:])
			return cells, start, nil
		}
		cells = append(cells, line[i:i+k])
		i += k + 1
	}
}

// fatalError is a problem after which the reader cannot find the next
// record: an unclosed quote.
type fatalError struct {
	line int
	err  error
}

func (e *fatalError) Error() string { return e.err.Error() }

// sniffDelimiter picks the delimiter of text, the first bytes of a file:
// a tab when most lines have one, else a comma or semicolon, whichever
// splits more lines (counting quotes), else a tab.
func sniffDelimiter(text []byte) byte {
	var lines []string
	for _, l := range strings.Split(string(text), "\n") {
		l = strings.TrimRight(l, "\r")
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			continue
		}
		lines = append(lines, l)
		if len(lines) == 20 {
			break
		}
	}
	if len(lines) > 1 {
		lines = lines[:len(lines)-1] // the last may be cut short
	}
	if len(lines) == 0 {
		return '\t'
	}
	tabs := 0
	for _, l := range lines {
		if strings.IndexByte(l, '\t') >= 0 {
			tabs++
		}
	}
	if tabs*2 >= len(lines) {
		return '\t'
	}
	score := func(d byte) int {
		split, counts := 0, map[int]int{}
		for _, l := range lines {
			n := countFields(l, d)
			counts[n]++
			if n > 1 {
				split++
			}
		}
		if len(counts) == 1 && split > 0 {
			split += len(lines) // the same number of cells on every line
		}
		return split
	}
	comma, semi := score(','), score(';')
	switch {
	case comma == 0 && semi == 0:
		return '\t'
	case semi > comma:
		return ';'
	}
	return ','
}

// countFields counts the cells of a line split at d, outside quotes.
func countFields(l string, d byte) int {
	n, inQuote := 1, false
	for i := 0; i < len(l); i++ {
		switch l[i] {
		case '"':
			inQuote = !inQuote
		case d:
			if !inQuote {
				n++
			}
		}
	}
	return n
}
