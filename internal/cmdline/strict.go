package cmdline

import (
	"strings"

	"github.com/urfave/cli/v2"
)

// Strict makes every mistake in an app's command line a *UsageError: a
// bad flag of any command (one without
// a handler of its own gets the app's), an unknown command, and an
// unknown subcommand (a command with subcommands, given none, shows its
// help). urfave/cli only prints that a command is unknown: after the app
// has run, the returned function gives that error (nil when the command
// was known).
func Strict(app *cli.App) (unknown func() error) {
	app.OnUsageError = func(c *cli.Context, err error, isSubcommand bool) error {
		return Usagef("%v; run `%s --help`", err, c.Command.HelpName)
	}
	setUsageErrors(app.Commands, app.OnUsageError)
	var notFound error
	app.CommandNotFound = func(c *cli.Context, name string) {
		notFound = Usagef("%q is not a %s command; run `%s --help` for the commands", name, app.Name, app.Name)
	}
	for _, c := range app.Commands {
		setSubcommandNotFound(app.Name, c)
	}
	return func() error { return notFound }
}

// setUsageErrors gives every command that has no usage-error handler of
// its own h.
func setUsageErrors(cmds []*cli.Command, h cli.OnUsageErrorFunc) {
	for _, c := range cmds {
		if c.OnUsageError == nil {
			c.OnUsageError = h
		}
		setUsageErrors(c.Subcommands, h)
	}
}

// setSubcommandNotFound makes an unknown subcommand of c a usage error.
func setSubcommandNotFound(app string, c *cli.Command) {
	if len(c.Subcommands) == 0 {
		return
	}
	parent := c.Name
	c.Action = func(cc *cli.Context) error {
		if cc.NArg() > 0 {
			return Usagef("%q is not a subcommand of %s; run `%s %s --help`", cc.Args().First(), parent, app, parent)
		}
		return cli.ShowSubcommandHelp(cc)
	}
	for _, sc := range c.Subcommands {
		setSubcommandNotFound(app, sc)
	}
}

// SplitList splits a comma-separated flag value ("a, b,,c") into its
// items, spaces around them trimmed and empty ones left out.
func SplitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
