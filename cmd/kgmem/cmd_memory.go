package main

import (
	"fmt"
	"io"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/kgmem/kgmem/corpora/formats"
	"github.com/kgmem/kgmem/internal/cmdline"
	"github.com/kgmem/kgmem/internal/textout"
	"github.com/kgmem/kgmem/memory"
)

// The commands that keep the memory safe: export it, back it up, restore
// it, check it.

func newExportCommand(g *globals) *cli.Command {
	return &cli.Command{
		Name:      "export",
		Usage:     "write the translation memory (TMX, TSV, CSV, XLIFF, PO) or the term base (TBX, CSV or tab glossary)",
		ArgsUsage: "OUT",
		Description: "The format is OUT's extension (or --format). TMX units carry their status, date and\n" +
			"provenance as props; TBX terms their status and the translations they superseded.",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "terms", Usage: "export the term base instead of the translation memory"},
			&cli.StringFlag{Name: "format", Usage: "output format; default: by OUT's extension"},
			&cli.StringFlag{Name: "from", Usage: "keep this source language"},
			&cli.StringFlag{Name: "to", Usage: "keep this target language"},
			&cli.StringFlag{Name: "origin", Usage: "keep what came from sources matching this (a file, a glob such as '*.po', learn:*, api:*)"},
			&cli.StringFlag{Name: "status", Usage: "keep segments with this status (approved, translated…)"},
			&cli.TimestampFlag{Name: "since", Layout: time.DateOnly, Usage: "keep segments changed on or after this day (YYYY-MM-DD)"},
			&cli.TimestampFlag{Name: "until", Layout: time.DateOnly, Usage: "keep segments changed before this day"},
			graphFlag(),
			jsonFlag(),
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usageErrorf("export needs OUT, the file to write; run `kgmem export --help`")
			}
			format, err := formats.Parse(c.String("format"))
			if err != nil {
				return usageErrorf("--format: %v", err)
			}
			f := memory.ExportFilter{Origin: c.String("origin"), Status: c.String("status")}
			if f.SourceLang, f.TargetLang, err = cmdline.LangStrings(c); err != nil {
				return err
			}
			f.Since, f.Until = cmdline.Time(c, "since"), cmdline.Time(c, "until")
			return withService(c, g, memory.Options{NoCatchUp: true}, nil, func(mem memory.Service) error {
				return shown(c, g, g.err, textout.Exported)(mem.Export(c.Context, c.Args().First(), format, c.Bool("terms"), f))
			})
		},
	}
}

func newBackupCommand(g *globals) *cli.Command {
	return &cli.Command{
		Name:      "backup",
		Usage:     "write a consistent copy of the memory (graph, alignment models, settings, keys) to FILE.tar.gz",
		ArgsUsage: "FILE",
		Flags:     []cli.Flag{graphFlag(), jsonFlag()},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usageErrorf("backup needs the FILE to write")
			}
			return withMemory(c, g, memory.Options{NoCatchUp: true}, func(mem *memory.Memory) error {
				bm, err := mem.BackupFile(c.Context, c.Args().First())
				if err != nil {
					return err
				}
				return show(c, g, bm, g.err, func(w io.Writer, bm memory.BackupManifest) error {
					return textout.BackedUp(w, bm, c.Args().First())
				})
			})
		},
	}
}

func newRestoreCommand(g *globals) *cli.Command {
	return &cli.Command{
		Name:      "restore",
		Usage:     "make the memory of a backup in a new data directory (in any graph store)",
		ArgsUsage: "FILE",
		Flags:     []cli.Flag{graphFlag(), pluginDirFlag(), jsonFlag()},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usageErrorf("restore needs the backup FILE")
			}
			mem, bm, err := memory.RestoreFile(c.Context, c.Args().First(), memory.RestoreRequest{DataDir: g.dataDir, Graph: c.String("graph"),
				PluginDir: c.String("plugin-dir"), Logger: g.log})
			if err != nil {
				return err
			}
			defer mem.Close()
			return show(c, g, bm, g.err, func(w io.Writer, bm memory.BackupManifest) error {
				return textout.Restored(w, bm, mem.Dir(), mem.Graph())
			})
		},
	}
}

func newCheckCommand(g *globals) *cli.Command {
	return &cli.Command{
		Name:  "check",
		Usage: "verify the graph, the alignment models and the search index against each other",
		Flags: []cli.Flag{graphFlag(), jsonFlag()},
		Action: func(c *cli.Context) error {
			return withMemory(c, g, memory.Options{}, func(mem *memory.Memory) error {
				r, err := mem.Check(c.Context)
				if err != nil {
					return err
				}
				if err := show(c, g, r, g.out, textout.Checked); err != nil || r.OK {
					return err
				}
				return fmt.Errorf("the memory has %d problems", len(r.Problems))
			})
		},
	}
}
