// Package lineio reads a stream of text one line at a time, for commands
// that answer each line of their standard input: lines come in batches of
// what has arrived (so that a line typed or piped alone is answered at
// once, and a file goes in full batches), the wait can be cancelled, and a
// line that is not UTF-8 is an error that says where.
package lineio

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Each calls fn with batches of the lines of r, at most n a batch: as
// many as have arrived when fn is ready for more, so that a line typed or
// piped alone is answered at once and a file goes in full batches. Reading
// happens in a goroutine so that Ctrl-C ends a wait for input. A line that
// is not UTF-8 stops with a usage error that says where.
func Each(ctx context.Context, r io.Reader, n int, fn func([]string) error) error {
	type line struct {
		text string
		err  error
	}
	lines := make(chan line, n)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64<<10), 16<<20)
		send := func(l line) bool {
			select {
			case lines <- l:
				return true
			case <-ctx.Done():
				return false
			}
		}
		for no := 1; sc.Scan(); no++ {
			text := strings.TrimRight(sc.Text(), "\r")
			if !utf8.ValidString(text) {
				send(line{err: &NotUTF8Error{What: fmt.Sprintf("stdin, line %d", no), Offset: InvalidByte(text)}})
				return
			}
			if !send(line{text: text}) {
				return
			}
		}
		if err := sc.Err(); err != nil {
			send(line{err: fmt.Errorf("read stdin: %w", err)})
		}
	}()
	for {
		var batch []string
		// Wait for one line, then take what else is there already.
		select {
		case l, ok := <-lines:
			if !ok {
				return nil
			}
			if l.err != nil {
				return l.err
			}
			batch = append(batch, l.text)
		case <-ctx.Done():
			return ctx.Err()
		}
	more:
		for len(batch) < n {
			select {
			case l, ok := <-lines:
				if !ok {
					break more
				}
				if l.err != nil {
					return l.err
				}
				batch = append(batch, l.text)
			default:
				break more
			}
		}
		if err := fn(batch); err != nil {
			return err
		}
	}
}

// EachLine calls fn for every line of r, in order, reading as Each does
// (at most n lines a batch). With around, fn also gets the lines before
// and after each one ("" at the start and at the end), and a line is
// passed on once the next has been read; without, prev and next are "".
func EachLine(ctx context.Context, r io.Reader, n int, around bool, fn func(line, prev, next string) error) error {
	var prev, cur string
	pending := false
	err := Each(ctx, r, n, func(lines []string) error {
		for _, line := range lines {
			if !around {
				if err := fn(line, "", ""); err != nil {
					return err
				}
				continue
			}
			if pending {
				if err := fn(cur, prev, line); err != nil {
					return err
				}
				prev = cur
			}
			cur, pending = line, true
		}
		return nil
	})
	if err == nil && pending {
		err = fn(cur, prev, "")
	}
	return err
}

// NotUTF8Error is input that is not UTF-8.
type NotUTF8Error struct {
	What   string // where: "stdin, line 3", "argument 2"
	Offset int    // the first byte that is not UTF-8
}

func (e *NotUTF8Error) Error() string {
	return fmt.Sprintf("%s: not valid UTF-8 (at byte %d); convert the input to UTF-8 (iconv -t UTF-8)", e.What, e.Offset)
}

// InvalidByte returns the offset of the first byte of s that is not
// UTF-8, -1 when there is none.
func InvalidByte(s string) int {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n <= 1 {
				return i
			}
		}
	}
	return -1
}

// CheckArgs refuses arguments that are not UTF-8.
func CheckArgs(args []string) error {
	for i, a := range args {
		if !utf8.ValidString(a) {
			return &NotUTF8Error{What: fmt.Sprintf("argument %d", i+1), Offset: InvalidByte(a)}
		}
	}
	return nil
}
