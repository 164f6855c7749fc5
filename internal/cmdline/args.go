package cmdline

import (
	"strings"

	"github.com/urfave/cli/v2"
)

// Normalize lets flags go anywhere on the command line, as GNU tools
// do: it moves the flags written after a command's arguments before them,
// and the global flags written after the command before it. Everything
// after "--" is an argument. A flag the command does not have stays where
// the command's flags go, so that urfave/cli reports it.
func Normalize(app *cli.App, args []string) []string {
	if len(args) < 2 {
		return args
	}
	out := []string{args[0]}
	rest := args[1:]
	// The global flags before the command.
	var global []string
	for len(rest) > 0 && isFlag(rest[0]) && rest[0] != "--" {
		n := flagTokens(app.Flags, rest)
		global = append(global, rest[:n]...)
		rest = rest[n:]
	}
	// The command and its subcommands.
	var path []string
	cmds := app.Commands
	var cmd *cli.Command
	for len(rest) > 0 {
		c := findCommand(cmds, rest[0])
		if c == nil {
			break
		}
		cmd = c
		path = append(path, rest[0])
		rest = rest[1:]
		cmds = c.Subcommands
	}
	if cmd == nil {
		return append(append(out, global...), rest...)
	}
	// The command's flags and arguments, in any order.
	var flags, positional []string
	for len(rest) > 0 {
		a := rest[0]
		switch {
		case a == "--":
			positional = append(positional, rest[1:]...)
			rest = nil
		case !isFlag(a):
			positional = append(positional, a)
			rest = rest[1:]
		case hasFlag(cmd.Flags, flagName(a)) || isHelp(a) || !hasFlag(app.Flags, flagName(a)):
			n := flagTokens(cmd.Flags, rest)
			flags = append(flags, rest[:n]...)
			rest = rest[n:]
		default: // a global flag after the command
			n := flagTokens(app.Flags, rest)
			global = append(global, rest[:n]...)
			rest = rest[n:]
		}
	}
	out = append(out, global...)
	out = append(out, path...)
	out = append(out, flags...)
	for _, p := range positional {
		if isFlag(p) {
			out = append(out, "--")
			break
		}
	}
	return append(out, positional...)
}

// isFlag reports whether a is a flag ("-x", "--x", "--x=v"); "-" alone is
// an argument (stdin).
func isFlag(a string) bool { return len(a) > 1 && a[0] == '-' }

func isHelp(a string) bool { n := flagName(a); return n == "help" || n == "h" }

// flagName returns the name of a flag argument: "--min=3" → "min".
func flagName(a string) string {
	name := strings.TrimLeft(a, "-")
	name, _, _ = strings.Cut(name, "=")
	return name
}

// findFlag returns the flag called name (or with that alias).
func findFlag(flags []cli.Flag, name string) cli.Flag {
	for _, f := range flags {
		for _, n := range f.Names() {
			if n == name {
				return f
			}
		}
	}
	return nil
}

func hasFlag(flags []cli.Flag, name string) bool { return findFlag(flags, name) != nil }

// flagTokens returns how many arguments the flag at args[0] takes: 1 for a
// boolean or "--x=v", 2 for a flag followed by its value.
func flagTokens(flags []cli.Flag, args []string) int {
	a := args[0]
	if strings.Contains(a, "=") {
		return 1
	}
	f := findFlag(flags, flagName(a))
	if f == nil {
		return 1
	}
	if v, ok := f.(cli.DocGenerationFlag); ok && !v.TakesValue() {
		return 1
	}
	if len(args) < 2 {
		return 1
	}
	return 2
}

func findCommand(cmds []*cli.Command, name string) *cli.Command {
	for _, c := range cmds {
		if c.HasName(name) {
			return c
		}
	}
	return nil
}

// GlobalValue returns the value the normalized arguments give the global
// flag called name (the last one before the command), "" when none.
func GlobalValue(app *cli.App, args []string, name string) string {
	dir := ""
	for i := 1; i < len(args); i++ {
		a := args[i]
		if !isFlag(a) || a == "--" {
			break
		}
		if flagName(a) == name {
			if _, v, ok := strings.Cut(a, "="); ok {
				dir = v
			} else if i+1 < len(args) {
				dir = args[i+1]
			}
		}
		i += flagTokens(app.Flags, args[i:]) - 1
	}
	return dir
}
