package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/kgmem/kgmem/plugins"
	"github.com/kgmem/kgmem/plugins/builtin"
	"github.com/kgmem/kgmem/plugins/host"
)

// pluginDirFlag is taken by every command that runs models.
var pluginDirFlag = &cli.StringFlag{
	Name:    "plugin-dir",
	Usage:   "where third-party models (kgmem-model-NAME) and trust.json are; default: <data-dir>/plugins",
	EnvVars: []string{"KGMEM_PLUGIN_DIR"},
}

// pluginDir returns --plugin-dir or <data-dir>/plugins.
func pluginDir(c *cli.Context, g *globals) string {
	if d := c.String("plugin-dir"); d != "" {
		return d
	}
	return filepath.Join(g.dataDir, "plugins")
}

// newHost returns a model host for the command's plugin directory.
func newHost(c *cli.Context, g *globals) (*host.Host, error) {
	return host.New(host.Options{
		PluginDir: pluginDir(c, g),
		Builtins:  builtin.Names(),
		Logger:    g.log,
	})
}

// modelError adds what to do to a host error that does not say it.
func modelError(err error) error {
	if errors.Is(err, host.ErrNotFound) {
		return withHint(err, "run `kgmem plugins list`")
	}
	return err
}

func newPluginsCommand(g *globals) *cli.Command {
	flags := []cli.Flag{pluginDirFlag, jsonFlag}
	return &cli.Command{
		Name:  "plugins",
		Usage: "list, describe, trust and verify translation models",
		Subcommands: []*cli.Command{
			{
				Name:  "list",
				Usage: "list the built-in models and those in the plugin directory",
				Flags: flags,
				Action: func(c *cli.Context) error {
					h, err := newHost(c, g)
					if err != nil {
						return err
					}
					return runPluginsList(g, h, wantJSON(c, g))
				},
			},
			{
				Name:      "describe",
				Usage:     "start a model and show what it says of itself",
				ArgsUsage: "NAME",
				Flags:     flags,
				Action: func(c *cli.Context) error {
					if c.NArg() != 1 {
						return usageErrorf("plugins describe needs one model NAME; run `kgmem plugins list`")
					}
					h, err := newHost(c, g)
					if err != nil {
						return err
					}
					defer h.Close()
					return runPluginsDescribe(c.Context, g, h, c.Args().First(), wantJSON(c, g))
				},
			},
			{
				Name:      "trust",
				Usage:     "record a third-party model binary's SHA-256 so that kgmem runs it",
				ArgsUsage: "PATH…",
				Flags:     flags,
				Action: func(c *cli.Context) error {
					if c.NArg() == 0 {
						return usageErrorf("plugins trust needs the PATH of a model binary")
					}
					h, err := newHost(c, g)
					if err != nil {
						return err
					}
					return runPluginsTrust(g, h, c.Args().Slice(), wantJSON(c, g))
				},
			},
			{
				Name:  "verify",
				Usage: "check every model: trusted, unchanged, and answers the handshake",
				Flags: flags,
				Action: func(c *cli.Context) error {
					h, err := newHost(c, g)
					if err != nil {
						return err
					}
					defer h.Close()
					return runPluginsVerify(c.Context, g, h, wantJSON(c, g))
				},
			},
		},
	}
}

func runPluginsList(g *globals, h *host.Host, asJSON bool) error {
	infos, err := h.List()
	if err != nil {
		return err
	}
	if asJSON {
		return g.printJSON(infos)
	}
	w := tabwriter.NewWriter(g.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tSTATUS\tPATH")
	for _, i := range infos {
		fmt.Fprintf(w, "%s\t%s\t%s\n", i.Name, i.Status, i.Path)
	}
	return w.Flush()
}

func runPluginsDescribe(ctx context.Context, g *globals, h *host.Host, name string, asJSON bool) error {
	m, err := h.Start(ctx, name)
	if err != nil {
		return modelError(err)
	}
	d := m.Description()
	if asJSON {
		return g.printJSON(d)
	}
	w := tabwriter.NewWriter(g.out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "name\t%s\n", d.Name)
	fmt.Fprintf(w, "version\t%s\n", d.Version)
	fmt.Fprintf(w, "description\t%s\n", d.Description)
	pairs := "any"
	if !d.AnyPair {
		var ps []string
		for _, p := range d.Pairs {
			ps = append(ps, p.Source+"→"+p.Target)
		}
		pairs = strings.Join(ps, ", ")
	}
	fmt.Fprintf(w, "pairs\t%s\n", pairs)
	fmt.Fprintf(w, "uses\t%s\n", capabilities(d.Capabilities))
	fmt.Fprintf(w, "batch size\t%d\n", d.Capabilities.PreferredBatchSize)
	return w.Flush()
}

func capabilities(c plugins.Capabilities) string {
	var out []string
	for _, x := range []struct {
		on   bool
		name string
	}{{c.FuzzyMatches, "fuzzy matches"}, {c.Terms, "terms"}, {c.Facts, "facts"}, {c.Context, "context"}, {c.Learn, "learn"}} {
		if x.on {
			out = append(out, x.name)
		}
	}
	if len(out) == 0 {
		return "nothing"
	}
	return strings.Join(out, ", ")
}

func runPluginsTrust(g *globals, h *host.Host, paths []string, asJSON bool) error {
	var done []host.Trusted
	for _, p := range paths {
		t, err := h.TrustStore().Trust(p, time.Now())
		if err != nil {
			return fmt.Errorf("trust %s: %w", p, err)
		}
		done = append(done, t)
		if !strings.HasPrefix(filepath.Base(t.Path), plugins.ExecutablePrefix) {
			g.log.Warn("trusted, but kgmem only finds models named "+plugins.ExecutablePrefix+"NAME in the plugin directory", "path", t.Path)
		}
	}
	if asJSON {
		return g.printJSON(done)
	}
	for _, t := range done {
		fmt.Fprintf(g.out, "trusted %s (sha256 %s)\n", t.Path, t.SHA256)
	}
	return nil
}

// verifyResult is one row of `plugins verify`.
type verifyResult struct {
	host.Info
	OK      bool   `json:"ok"`
	Problem string `json:"problem,omitempty"`
	Version string `json:"version,omitempty"`
}

func runPluginsVerify(ctx context.Context, g *globals, h *host.Host, asJSON bool) error {
	infos, err := h.List()
	if err != nil {
		return err
	}
	var results []verifyResult
	bad := 0
	for _, i := range infos {
		r := verifyResult{Info: i, OK: true}
		m, err := h.Start(ctx, i.Name)
		if err == nil && i.Path != "" && m.Info().Path != i.Path {
			err = fmt.Errorf("shadowed by the built-in model %q", i.Name)
		}
		if err != nil {
			r.OK, r.Problem = false, err.Error()
			bad++
		} else {
			r.Version = m.Description().Version
			m.Close()
		}
		results = append(results, r)
	}
	if asJSON {
		if err := g.printJSON(results); err != nil {
			return err
		}
	} else {
		w := tabwriter.NewWriter(g.out, 0, 4, 2, ' ', 0)
		for _, r := range results {
			status := "ok"
			if !r.OK {
				status = r.Problem
			}
			fmt.Fprintf(w, "%s\t%s\n", r.Name, status)
		}
		w.Flush()
	}
	if bad > 0 {
		return fmt.Errorf("%d of %d models failed verification", bad, len(results))
	}
	return nil
}
