package memory

import (
	"errors"
	"fmt"
)

// ErrInvalid marks a request the caller must change: a missing or
// contradictory option, a file that does not say its languages. Front
// ends map it to their "bad request" (the CLI exits 2, the server answers
// 400).
var ErrInvalid = errors.New("invalid request")

// invalidError is a request the caller must change; errors.Is finds
// ErrInvalid in it.
type invalidError struct{ msg string }

func (e *invalidError) Error() string        { return e.msg }
func (e *invalidError) Is(target error) bool { return target == ErrInvalid }

// invalidf returns an ErrInvalid error with the message.
func invalidf(format string, args ...any) error {
	return &invalidError{msg: fmt.Sprintf(format, args...)}
}

// Invalidf returns an error that errors.Is matches with ErrInvalid: for
// front ends that check a request before they call the core.
func Invalidf(format string, args ...any) error { return invalidf(format, args...) }

// HintError is an error with what to do about it. Front ends find the
// advice of any error in a chain through the Hinter interface.
type HintError struct {
	Err    error
	Advice string
}

func (e *HintError) Error() string { return e.Err.Error() + " (" + e.Advice + ")" }
func (e *HintError) Unwrap() error { return e.Err }

// Hint returns what to do about the error.
func (e *HintError) Hint() string { return e.Advice }

// Hinter is an error that says what to do about it; its Error text
// includes the advice.
type Hinter interface {
	error
	Hint() string
}

// withHint adds what to do next to err; nil stays nil.
func withHint(err error, hint string) error {
	if err == nil {
		return nil
	}
	return &HintError{Err: err, Advice: hint}
}

// WithHint adds what to do next to err; nil stays nil.
func WithHint(err error, hint string) error { return withHint(err, hint) }
