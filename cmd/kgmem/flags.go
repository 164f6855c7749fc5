package main

import (
	"github.com/urfave/cli/v2"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/formats"
	"github.com/kgmem/kgmem/graph/stores"
	"github.com/kgmem/kgmem/internal/cmdline"
	"github.com/kgmem/kgmem/plugins/host"
)

// Flags are made by constructors, one instance per command: the config
// file sets their defaults, and no two commands share a flag value.

func jsonFlag() cli.Flag { return &cli.BoolFlag{Name: "json", Usage: "print results as JSON"} }

func pluginDirFlag() cli.Flag {
	return &cli.StringFlag{
		Name:    "plugin-dir",
		Usage:   "where third-party models (kgmem-model-NAME) and trust.json are; default: <data-dir>/plugins",
		EnvVars: []string{"KGMEM_PLUGIN_DIR"},
	}
}

// graphFlag names the graph store. Its default is the one the data
// directory records.
func graphFlag() cli.Flag {
	return &cli.StringFlag{
		Name:    "graph",
		Usage:   "graph store: embedded (one file in the data directory) or dgraph://HOST:PORT; default: the one the data directory was built with",
		EnvVars: []string{stores.EnvVar},
	}
}

// readFlags are the flags of every command that reads corpus files.
func readFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "from", Usage: "source language (BCP-47 or a locale such as en_US); default: what each file says"},
		&cli.StringFlag{Name: "to", Usage: "target language; default: every target language in the files"},
		&cli.StringFlag{Name: "format", Usage: "input format (tmx, tbx, xliff, po, mo, tsv, csv, glossary, text, moses); default: by extension and content"},
		&cli.BoolFlag{Name: "lenient", Usage: "skip bad units, report each, and go on"},
	}
}

// parseReadOptions parses the readFlags into how corpus files are read;
// skipped units are logged.
func parseReadOptions(c *cli.Context, g *globals) (formats.Options, error) {
	o := formats.Options{ReadOptions: corpora.ReadOptions{Lenient: c.Bool("lenient"), OnSkip: func(s corpora.Skip) { g.log.Warn(s.String()) }}}
	var err error
	if o.SourceLang, o.TargetLang, err = cmdline.Langs(c); err != nil {
		return o, err
	}
	if o.Format, err = formats.Parse(c.String("format")); err != nil {
		return o, usageErrorf("--format: %v", err)
	}
	return o, nil
}

// callTimeoutFlag bounds each call to a model.
func callTimeoutFlag() cli.Flag {
	return &cli.DurationFlag{Name: "call-timeout", Value: host.DefaultCallTimeout,
		Usage: "longest a model may take for one call (such as 30s or 5m); with kgmem serve running, the server's applies"}
}
