package corpora

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors callers branch on.
var (
	// ErrUnknownFormat: the file's format could not be told from its name or
	// content; the user should pass --format.
	ErrUnknownFormat = errors.New("unknown file format")
	// ErrNotBilingual: the file has no unit in the requested language pair.
	ErrNotBilingual = errors.New("no units in the requested language pair")
	// ErrTooLarge: a limit that guards against hostile input was exceeded.
	ErrTooLarge = errors.New("input exceeds a safety limit")
)

// ParseError is bad input at a known place in a file. Line and Col are
// 1-based and zero when unknown; binary formats give Offset instead.
type ParseError struct {
	File   string
	Line   int
	Col    int
	Offset int64 // byte offset, for binary formats; -1 when Line is used
	Unit   string
	Err    error
	// Skippable is true when the error is about one unit that a reader
	// with ReadOptions.Lenient leaves out (reporting it as a Skip) and
	// reads on past. It is false for errors nothing can be read past: a
	// truncated or malformed document, a broken header, a file that is
	// not the format, nesting too deep, an undecodable encoding.
	Skippable bool
}

// Skippable reports whether err is a *ParseError that ReadOptions.Lenient
// would have skipped: whether offering --lenient can help.
func Skippable(err error) bool {
	var pe *ParseError
	return errors.As(err, &pe) && pe.Skippable
}

func (e *ParseError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
	} else {
		b.WriteString("<input>")
	}
	switch {
	case e.Line > 0 && e.Col > 0:
		fmt.Fprintf(&b, ":%d:%d", e.Line, e.Col)
	case e.Line > 0:
		fmt.Fprintf(&b, ":%d", e.Line)
	case e.Offset >= 0:
		fmt.Fprintf(&b, ": at byte %d", e.Offset)
	}
	if e.Unit != "" {
		fmt.Fprintf(&b, " (unit %q)", e.Unit)
	}
	b.WriteString(": ")
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *ParseError) Unwrap() error { return e.Err }

// Skip records a unit a lenient reader left out, and why.
type Skip struct {
	File   string
	Line   int
	Reason string
}

func (s Skip) String() string {
	if s.Line > 0 {
		return fmt.Sprintf("%s:%d: skipped: %s", s.File, s.Line, s.Reason)
	}
	return fmt.Sprintf("%s: skipped: %s", s.File, s.Reason)
}
