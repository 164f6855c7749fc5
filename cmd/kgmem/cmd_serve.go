package main

import (
	"fmt"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/kgmem/kgmem/internal/cmdline"
	"github.com/kgmem/kgmem/internal/textout"
	"github.com/kgmem/kgmem/plugins/host"
	"github.com/kgmem/kgmem/server"
)

func newServeCommand(g *globals) *cli.Command {
	return &cli.Command{
		Name:  "serve",
		Usage: "serve the memory over HTTP: kgmem's API, DeepL, LibreTranslate, tmserver and Apertium APy",
		Description: "The server owns the data directory: kgmem commands on it go through the server's unix\n" +
			"socket (DATA-DIR/kgmem.sock). Without API keys (kgmem keys add) it serves clients on its\n" +
			"own machine only. SIGTERM or Ctrl-C lets requests and jobs in flight finish, then exits 0.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "listen", Value: "127.0.0.1:8080", Usage: "address to serve on"},
			&cli.StringFlag{Name: "model", Value: server.DefaultModel, Usage: "model the compatible APIs translate with"},
			&cli.StringFlag{Name: "tls-cert", Usage: "TLS certificate (PEM); with --tls-key, serve HTTPS", TakesFile: true},
			&cli.StringFlag{Name: "tls-key", Usage: "TLS private key (PEM)", TakesFile: true},
			&cli.BoolFlag{Name: "insecure-no-keys", Usage: "serve an address other than loopback without API keys: anyone who reaches it may change the memory"},
			&cli.IntFlag{Name: "max-segments", Value: server.DefaultMaxSegments, Usage: "most segments in one translate request"},
			&cli.DurationFlag{Name: "call-timeout", Value: host.DefaultCallTimeout, Usage: "longest a model may take for one call"},
			&cli.BoolFlag{Name: "no-batching", Usage: "send every translate request to the model alone, instead of packing small concurrent ones into shared calls"},
			&cli.DurationFlag{Name: "follow-interval", Value: server.DefaultFollowInterval,
				Usage: "on a Dgraph graph other servers share, how often to index what they wrote (negative: never)"},
			&cli.StringFlag{Name: "pprof-listen", Usage: "serve Go's profiles (/debug/pprof/) on this loopback address, for profiling under load"},
			graphFlag(),
			pluginDirFlag(),
		},
		Before: cmdline.NoArgs("run `kgmem serve --help`"),
		Action: func(c *cli.Context) error {
			return runServe(c, g)
		},
	}
}

func runServe(c *cli.Context, g *globals) error {
	run, err := server.Start(c.Context, server.Config{DataDir: g.dataDir, Listen: c.String("listen"),
		TLSCert: c.String("tls-cert"), TLSKey: c.String("tls-key"), Graph: c.String("graph"), PluginDir: c.String("plugin-dir"),
		CallTimeout: c.Duration("call-timeout"), PprofListen: c.String("pprof-listen"), Model: c.String("model"),
		InsecureNoKeys: c.Bool("insecure-no-keys"), MaxSegments: c.Int("max-segments"), NoBatching: c.Bool("no-batching"),
		FollowInterval: c.Duration("follow-interval"), Logger: g.log})
	if err != nil {
		return err
	}
	fmt.Fprintf(g.out, "kgmem serving %s at %s (API %s, socket %s)\n", g.dataDir, run.URL(), server.APIVersion, run.Socket())
	if err := run.Serve(c.Context); err != nil {
		return err
	}
	g.log.Info("stopped")
	return nil
}

func newKeysCommand(g *globals) *cli.Command {
	open := func() (*server.Keys, error) { return server.OpenKeys(g.dataDir) }
	return &cli.Command{
		Name:  "keys",
		Usage: "add, list and remove the API keys of kgmem serve (stored hashed in the data directory)",
		Subcommands: []*cli.Command{
			{
				Name: "add", Usage: "make a key; its secret is printed once", ArgsUsage: "NAME",
				Flags: []cli.Flag{&cli.StringFlag{Name: "role", Value: "translate", Usage: "read, translate, learn or admin"}, jsonFlag()},
				Action: func(c *cli.Context) error {
					if c.NArg() != 1 {
						return usageErrorf("keys add needs one NAME")
					}
					role, err := server.ParseRole(c.String("role"))
					if err != nil {
						return usageErrorf("--role: %v", err)
					}
					ks, err := open()
					if err != nil {
						return err
					}
					secret, err := ks.Add(c.Args().First(), role, time.Now())
					if err != nil {
						return err
					}
					if wantJSON(c, g) {
						return g.printJSON(map[string]string{"name": c.Args().First(), "role": role.String(), "key": secret})
					}
					fmt.Fprintln(g.out, secret)
					return nil
				},
			},
			{
				Name: "list", Usage: "list the keys (names, roles, the start of each secret)", Flags: []cli.Flag{jsonFlag()},
				Action: func(c *cli.Context) error {
					ks, err := open()
					if err != nil {
						return err
					}
					return show(c, g, ks.List(), g.out, textout.Keys)
				},
			},
			{
				Name: "remove", Usage: "remove a key", ArgsUsage: "NAME",
				Action: func(c *cli.Context) error {
					if c.NArg() != 1 {
						return usageErrorf("keys remove needs one NAME")
					}
					ks, err := open()
					if err != nil {
						return err
					}
					return ks.Remove(c.Args().First())
				},
			},
		},
	}
}
