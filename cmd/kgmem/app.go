package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// streams are the process's standard streams; tests substitute buffers.
type streams struct {
	in  io.Reader
	out io.Writer
	err io.Writer
}

// globals carries what the global flags decide to every command. It is
// filled in by the app's Before hook.
type globals struct {
	streams
	dataDir string
	json    bool
	quiet   bool
	log     *slog.Logger
}

// printJSON writes v as indented JSON to stdout.
func (g *globals) printJSON(v any) error {
	enc := json.NewEncoder(g.out)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// defaultDataDir is $KGMEM_DATA_DIR's fallback: the XDG data directory.
func defaultDataDir() string {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "kgmem")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "kgmem-data"
	}
	return filepath.Join(home, ".local", "share", "kgmem")
}

func newApp(s *streams) (*cli.App, *globals) {
	g := &globals{streams: *s}
	app := &cli.App{
		Name:                 "kgmem",
		Usage:                "long-term memory for machine translation",
		Version:              version,
		Reader:               s.in,
		Writer:               s.out,
		ErrWriter:            s.err,
		EnableBashCompletion: true,
		HideHelpCommand:      true,
		// main maps errors to exit codes in one place; urfave/cli must not
		// exit on its own.
		ExitErrHandler: func(*cli.Context, error) {},
		OnUsageError: func(c *cli.Context, err error, isSubcommand bool) error {
			return usageErrorf("%v; run `%s --help`", err, c.Command.HelpName)
		},
		Flags: []cli.Flag{
			&cli.StringFlag{
				Name:    "data-dir",
				Usage:   "where kgmem keeps its graph, indexes and plugins",
				EnvVars: []string{"KGMEM_DATA_DIR"},
				Value:   defaultDataDir(),
			},
			&cli.BoolFlag{Name: "json", Usage: "print results as JSON"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress, only warnings and errors on stderr"},
			&cli.StringFlag{Name: "log-level", Value: "info", Usage: "debug, info, warn or error"},
		},
		Before: func(c *cli.Context) error {
			g.dataDir = c.String("data-dir")
			g.json = c.Bool("json")
			g.quiet = c.Bool("quiet")
			level, err := parseLevel(c.String("log-level"))
			if err != nil {
				return err
			}
			if g.quiet && level < slog.LevelWarn {
				level = slog.LevelWarn
			}
			g.log = slog.New(slog.NewTextHandler(g.err, &slog.HandlerOptions{Level: level}))
			return applyConfig(g.dataDir, c.App.Commands)
		},
		Commands: []*cli.Command{
			newCorpusCommand(g),
			newBuildGraphCommand(g),
			newGraphCommand(g),
			newEvalCommand(g),
			newPluginsCommand(g),
			newTranslateCommand(g),
			newLearnCommand(g),
			newPluginServeCommand(g),
			newSearchCommand(g),
			newReindexCommand(g),
			newQACommand(g),
		},
	}
	setUsageErrors(app.Commands, app.OnUsageError)
	return app, g
}

// setUsageErrors gives every command that has no usage-error handler of its
// own the app's, so that a bad flag anywhere exits with exitUsage.
func setUsageErrors(cmds []*cli.Command, h cli.OnUsageErrorFunc) {
	for _, c := range cmds {
		if c.OnUsageError == nil {
			c.OnUsageError = h
		}
		setUsageErrors(c.Subcommands, h)
	}
}

func parseLevel(s string) (slog.Level, error) {
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
	return 0, usageErrorf("--log-level %q: use debug, info, warn or error", s)
}

// run runs kgmem with the given arguments and returns the exit code.
func run(ctx context.Context, args []string, s *streams) int {
	app, _ := newApp(s)
	err := app.RunContext(ctx, args)
	return report(ctx, s.err, err)
}

// jsonFlag lets a command take --json after its name as well as before.
var jsonFlag = &cli.BoolFlag{Name: "json", Usage: "print results as JSON"}

// wantJSON reports whether --json was given globally or to the command.
func wantJSON(c *cli.Context, g *globals) bool {
	return g.json || c.Bool("json")
}

// errorf is fmt.Errorf; named so commands read as sentences.
var errorf = fmt.Errorf
