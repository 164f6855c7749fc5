package cmdline

import (
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/urfave/cli/v2"
	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/internal/lineio"
)

// UsageError is a mistake in how the program was called: a bad flag or
// argument. Its message says what to change.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// Usagef returns a *UsageError with the formatted message.
func Usagef(format string, args ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, args...)}
}

// Lang returns the value of the language flag name, parsed (BCP-47 or a
// locale such as en_US); language.Und when it is not given.
func Lang(c *cli.Context, name string) (language.Tag, error) {
	s := c.String(name)
	if s == "" {
		return language.Und, nil
	}
	tag, err := corpora.ParseLang(s)
	if err != nil {
		return language.Und, Usagef("--%s: %v", name, err)
	}
	return tag, nil
}

// LangString is Lang as a BCP-47 string; "" when the flag is not given.
func LangString(c *cli.Context, name string) (string, error) {
	tag, err := Lang(c, name)
	if err != nil || tag == language.Und {
		return "", err
	}
	return tag.String(), nil
}

// Langs returns the language flags --from and --to (see Lang).
func Langs(c *cli.Context) (from, to language.Tag, err error) {
	if from, err = Lang(c, "from"); err != nil {
		return from, to, err
	}
	to, err = Lang(c, "to")
	return from, to, err
}

// LangStrings returns --from and --to as BCP-47 strings (see LangString).
func LangStrings(c *cli.Context) (from, to string, err error) {
	if from, err = LangString(c, "from"); err != nil {
		return from, to, err
	}
	to, err = LangString(c, "to")
	return from, to, err
}

// Time returns the value of the timestamp flag name; the zero time when
// it is not given.
func Time(c *cli.Context, name string) time.Time {
	if t := c.Timestamp(name); t != nil {
		return *t
	}
	return time.Time{}
}

// CheckText refuses text flags whose value is not UTF-8, naming the
// flag and the first bad byte: stored, such a value would become U+FFFD.
func CheckText(c *cli.Context, names ...string) error {
	for _, n := range names {
		if v := c.String(n); !utf8.ValidString(v) {
			return Usagef("%v", &lineio.NotUTF8Error{What: "--" + n, Offset: lineio.InvalidByte(v)})
		}
	}
	return nil
}

// ParseLevel reads a --log-level: debug, info (or ""), warn (or warning)
// or error, in any case.
func ParseLevel(s string) (slog.Level, error) {
	switch strings.ToLower(s) {
	case "debug":
		return slog.LevelDebug, nil
	case "info", "":
		return slog.LevelInfo, nil
	case "warn", "warning":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return 0, Usagef("--log-level %q: use debug, info, warn or error", s)
}

// Given counts the flags among names that have a value: a string that is
// not empty, true, a number that is not 0. A flag given as "" counts as
// not given.
func Given(c *cli.Context, names ...string) int {
	n := 0
	for _, name := range names {
		if v := c.Value(name); v != nil && !reflect.ValueOf(v).IsZero() {
			n++
		}
	}
	return n
}

// NoArgs is the Before of a command that takes no arguments: one is a
// usage error, which hint says how to mend.
func NoArgs(hint string) cli.BeforeFunc {
	return func(c *cli.Context) error {
		if c.NArg() > 0 {
			return Usagef("%s takes no arguments, got %q; %s", strings.TrimPrefix(c.Command.HelpName, c.App.Name+" "), c.Args().First(), hint)
		}
		return nil
	}
}
