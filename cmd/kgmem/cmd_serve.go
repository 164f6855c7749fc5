package main

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"path/filepath"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/kgmem/kgmem/memory"
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
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usageErrorf("serve takes no arguments; run `kgmem serve --help`")
			}
			if (c.String("tls-cert") == "") != (c.String("tls-key") == "") {
				return usageErrorf("--tls-cert and --tls-key go together")
			}
			return runServe(c, g)
		},
	}
}

func runServe(c *cli.Context, g *globals) error {
	if _, ok := server.DialDataDir(c.Context, g.dataDir); ok {
		return usageErrorf("a kgmem server already holds %s", g.dataDir)
	}
	keys, err := server.OpenKeys(g.dataDir)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.String("listen"))
	if err != nil {
		return fmt.Errorf("listen on %s: %w", c.String("listen"), err)
	}
	defer ln.Close()
	if !server.IsLoopbackAddr(c.String("listen")) && keys.Len() == 0 {
		if !c.Bool("insecure-no-keys") {
			return usageErrorf("%s is not a loopback address and there are no API keys: add one with `kgmem keys add NAME --role ROLE`, "+
				"or pass --insecure-no-keys to let anyone who reaches it change the memory", c.String("listen"))
		}
		g.log.Warn("SERVING WITHOUT API KEYS ON A NETWORK ADDRESS: anyone who reaches it may read and change the memory", "listen", ln.Addr())
	}
	scheme := "http"
	if cert := c.String("tls-cert"); cert != "" {
		pair, err := tls.LoadX509KeyPair(cert, c.String("tls-key"))
		if err != nil {
			return withHint(fmt.Errorf("load the TLS certificate: %w", err), "check --tls-cert and --tls-key")
		}
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12})
		scheme = "https"
	}
	mem, err := memory.Open(c.Context, memory.Options{DataDir: g.dataDir, Graph: c.String("graph"), PluginDir: c.String("plugin-dir"),
		CallTimeout: c.Duration("call-timeout"), Logger: g.log})
	if err != nil {
		return err
	}
	defer mem.Close()
	sock, err := server.ListenSocket(g.dataDir)
	if err != nil {
		return err
	}
	defer os.Remove(sock.Addr().String())
	srv, err := server.New(server.Options{Memory: mem, Keys: keys, Model: c.String("model"), Logger: g.log, InsecureNoKeys: c.Bool("insecure-no-keys"),
		MaxSegments: c.Int("max-segments"), JobDir: filepath.Join(g.dataDir, "server"),
		NoBatching: c.Bool("no-batching"), FollowInterval: c.Duration("follow-interval")})
	if err != nil {
		return err
	}
	if addr := c.String("pprof-listen"); addr != "" {
		stop, err := servePprof(addr)
		if err != nil {
			return err
		}
		defer stop()
	}
	fmt.Fprintf(g.out, "kgmem serving %s at %s://%s/ (API %s, socket %s)\n", g.dataDir, scheme, ln.Addr(), server.APIVersion, sock.Addr())
	if err := srv.Serve(c.Context, ln, sock); err != nil {
		return err
	}
	g.log.Info("stopped")
	return nil
}

// servePprof serves Go's runtime profiles on a loopback address until
// the returned function is called.
func servePprof(addr string) (func(), error) {
	if !server.IsLoopbackAddr(addr) {
		return nil, usageErrorf("--pprof-listen %q: give a loopback address such as 127.0.0.1:6060", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	return func() { hs.Close() }, nil
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
					if wantJSON(c, g) {
						return g.printJSON(ks.List())
					}
					for _, k := range ks.List() {
						fmt.Fprintf(g.out, "%s\t%s\t%s…\t%s\n", k.Name, k.Role, k.Hint, k.Created.Format(time.DateOnly))
					}
					return nil
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
