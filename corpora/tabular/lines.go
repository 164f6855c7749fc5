package tabular

import (
	"bufio"
	"errors"
	"io"
)

// errLongLine reports a line longer than the reader's limit; the line has
// been consumed, so reading can go on with the next one.
var errLongLine = errors.New("line too long")

// lineReader reads lines of bounded length and counts them.
type lineReader struct {
	br   *bufio.Reader
	max  int // most bytes a line may hold, terminator aside
	line int // number of the last line read (1-based)
	buf  []byte
}

func newLineReader(br *bufio.Reader, max int) *lineReader {
	return &lineReader{br: br, max: max}
}

// next returns the next line without its "\n" or "\r\n". The slice is valid
// until the next call. It returns io.EOF after the last line, and
// errLongLine (having skipped the line) when a line exceeds the limit; any
// other error is the underlying reader's.
func (l *lineReader) next() ([]byte, error) {
	l.buf = l.buf[:0]
	var (
		n         int
		long, acc bool
		frag      []byte
		err       error
	)
	for {
		frag, err = l.br.ReadSlice('\n')
		n += len(frag)
		if n > l.max+2 { // room for "\r\n"
			long = true
		}
		if !long && (acc || err == bufio.ErrBufferFull) {
			l.buf = append(l.buf, frag...)
			acc = true
		}
		if err != bufio.ErrBufferFull {
			break
		}
	}
	if err != nil && err != io.EOF {
		return nil, err
	}
	if n == 0 {
		return nil, io.EOF
	}
	l.line++
	if long {
		return nil, errLongLine
	}
	line := frag
	if acc {
		line = l.buf
	}
	if k := len(line); k > 0 && line[k-1] == '\n' {
		line = line[:k-1]
	}
	if k := len(line); k > 0 && line[k-1] == '\r' {
		line = line[:k-1]
	}
	if len(line) > l.max {
		return nil, errLongLine
	}
	return line, nil
}
