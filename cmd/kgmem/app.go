package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/kgmem/kgmem/internal/cmdline"
	"github.com/kgmem/kgmem/memory"
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

// globalFlags are the flags of kgmem itself, accepted before or after the
// command.
func globalFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{
			Name:    "data-dir",
			Usage:   "where kgmem keeps its graph, indexes and plugins",
			EnvVars: []string{"KGMEM_DATA_DIR"},
			Value:   memory.DefaultDataDir(),
		},
		&cli.BoolFlag{Name: "json", Usage: "print results as JSON"},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress, only warnings and errors on stderr"},
		&cli.StringFlag{Name: "log-level", Value: "info", Usage: "debug, info, warn or error"},
	}
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
		// main maps errors to exit codes in one place; urfave/cli must not
		// exit on its own.
		ExitErrHandler: func(*cli.Context, error) {},
		Flags:          globalFlags(),
		Before: func(c *cli.Context) error {
			g.dataDir = c.String("data-dir")
			g.json = c.Bool("json")
			g.quiet = c.Bool("quiet")
			level, err := cmdline.ParseLevel(c.String("log-level"))
			if err != nil {
				return err
			}
			if g.quiet && level < slog.LevelWarn {
				level = slog.LevelWarn
			}
			g.log = slog.New(slog.NewTextHandler(g.err, &slog.HandlerOptions{Level: level}))
			return nil
		},
		Commands: []*cli.Command{
			newCorpusCommand(g),
			newInitCommand(g),
			newBuildGraphCommand(g),
			newGraphCommand(g),
			newEvalCommand(g),
			newPluginsCommand(g),
			newTranslateCommand(g),
			newLearnCommand(g),
			newPluginServeCommand(g),
			newSearchCommand(g),
			newReindexCommand(g),
			newServeCommand(g),
			newKeysCommand(g),
			newExportCommand(g),
			newForgetCommand(g),
			newBackupCommand(g),
			newRestoreCommand(g),
			newCheckCommand(g),
			newQACommand(g),
		},
	}
	return app, g
}

// run runs kgmem with the given arguments and returns the exit code.
func run(ctx context.Context, args []string, s *streams) int {
	app, _ := newApp(s)
	// Every mistake in the command line exits with exitUsage.
	unknown := cmdline.Strict(app)
	args = cmdline.Normalize(app, args)
	// The data directory's kgmem.conf sets the defaults of command flags.
	dataDir := memory.DataDir(cmdline.GlobalValue(app, args, "data-dir"))
	err := cmdline.ApplyConfig(app, filepath.Join(dataDir, memory.ConfigFile), "data-dir")
	if err == nil {
		err = app.RunContext(ctx, args)
	}
	if err == nil {
		err = unknown()
	}
	return report(ctx, s.err, err)
}

// wantJSON reports whether --json was given globally or to the command.
func wantJSON(c *cli.Context, g *globals) bool {
	return g.json || c.Bool("json")
}

// lineEncoder returns an encoder of JSON Lines on w: one compact JSON
// object a line, HTML characters as they are.
func lineEncoder(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc
}

// show prints a command's result v: as JSON on stdout with --json, else
// as text writes it to w.
func show[T any](c *cli.Context, g *globals, v T, w io.Writer, text func(io.Writer, T) error) error {
	if wantJSON(c, g) {
		return g.printJSON(v)
	}
	return text(w, v)
}

// shown returns show for a result that comes with an error: the error,
// when there is one, is returned instead, as in
// `return shown(c, g, g.out, textout.GraphStats)(mem.Stats(ctx))`.
func shown[T any](c *cli.Context, g *globals, w io.Writer, text func(io.Writer, T) error) func(T, error) error {
	return func(v T, err error) error {
		if err != nil {
			return err
		}
		return show(c, g, v, w, text)
	}
}
