package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/internal/cmdline"
	"github.com/kgmem/kgmem/internal/lineio"
	"github.com/kgmem/kgmem/memory"
)

// Exit codes. Scripts may rely on them.
const (
	exitOK          = 0
	exitFailure     = 1   // something went wrong that is not the user's input
	exitUsage       = 2   // bad flags or arguments, or a data directory or graph that is not what was named
	exitBadInput    = 3   // an input file could not be read as its format
	exitInterrupted = 130 // SIGINT/SIGTERM
)

// usageErrorf returns a mistake in how kgmem was called.
func usageErrorf(format string, args ...any) error { return cmdline.Usagef(format, args...) }

// exitCode maps an error to the process exit code.
func exitCode(ctx context.Context, err error) int {
	var ue *cmdline.UsageError
	var pe *corpora.ParseError
	switch {
	case err == nil:
		return exitOK
	case ctx.Err() != nil || errors.Is(err, context.Canceled):
		return exitInterrupted
	case errors.As(err, &ue), errors.As(err, new(*lineio.NotUTF8Error)), errors.Is(err, memory.ErrInvalid), errors.Is(err, memory.ErrNoLanguages),
		errors.Is(err, memory.ErrNoMemory), errors.Is(err, memory.ErrGraphMismatch):
		return exitUsage
	case errors.As(err, &pe), errors.Is(err, corpora.ErrUnknownFormat), errors.Is(err, corpora.ErrNotBilingual):
		return exitBadInput
	}
	return exitFailure
}

// report prints err as one line on w, with what to do when the error
// suggests it, and returns the exit code.
func report(ctx context.Context, w io.Writer, err error) int {
	code := exitCode(ctx, err)
	switch code {
	case exitOK:
		return code
	case exitInterrupted:
		fmt.Fprintln(w, "kgmem: interrupted")
		return code
	}
	msg := strings.TrimSpace(err.Error())
	var pe *corpora.ParseError
	var h memory.Hinter
	switch {
	case errors.As(err, &h):
	case errors.As(err, &pe) && corpora.Skippable(err):
		msg += " (fix the file, or rerun with --lenient to skip bad units)"
	case errors.Is(err, corpora.ErrUnknownFormat):
		msg += " (name the format with --format)"
	}
	fmt.Fprintf(w, "kgmem: %s\n", strings.ReplaceAll(msg, "\n", " "))
	return code
}
