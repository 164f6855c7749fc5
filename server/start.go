package server

import (
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"path/filepath"
	"time"

	"github.com/kgmem/kgmem/memory"
)

// Config is what a server of a data directory is started with: the
// directory and its memory, the address, and how to serve it.
type Config struct {
	// DataDir is the data directory the server holds.
	DataDir string
	// Listen is the TCP address (host:port) to serve on.
	Listen string
	// TLSCert and TLSKey, when given, are the PEM files to serve HTTPS
	// with.
	TLSCert, TLSKey string
	// Graph and PluginDir open the memory as memory.Options do.
	Graph, PluginDir string
	// CallTimeout bounds each model call (the host's default if 0).
	CallTimeout time.Duration
	// PprofListen, when given, is a loopback address to serve Go's
	// runtime profiles (/debug/pprof/) on.
	PprofListen string
	// Model, InsecureNoKeys, MaxSegments, NoBatching, FollowInterval and
	// Logger are those of Options.
	Model          string
	InsecureNoKeys bool
	MaxSegments    int
	NoBatching     bool
	FollowInterval time.Duration
	Logger         *slog.Logger
}

// Running is a server started on a data directory: it listens on its
// address and on the directory's socket, and holds the memory open.
// Serve serves until its context is done.
type Running struct {
	srv        *Server
	ln, sock   net.Listener
	scheme     string
	cleanups   []func()
	socketPath string
}

// Start opens the data directory's memory and listens as cfg says. It
// refuses a certificate without its key (or the other way round), a
// directory another server holds, and a keyless server on an address
// other than loopback unless cfg.InsecureNoKeys (errors that match
// memory.ErrInvalid).
func Start(ctx context.Context, cfg Config) (_ *Running, err error) {
	if (cfg.TLSCert == "") != (cfg.TLSKey == "") {
		return nil, memory.Invalidf("--tls-cert and --tls-key go together")
	}
	if _, ok := DialDataDir(ctx, cfg.DataDir); ok {
		return nil, memory.Invalidf("a kgmem server already holds %s", cfg.DataDir)
	}
	keys, err := OpenKeys(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	r := &Running{scheme: "http"}
	defer func() {
		if err != nil {
			r.Close()
		}
	}()
	if r.ln, err = net.Listen("tcp", cfg.Listen); err != nil {
		return nil, fmt.Errorf("listen on %s: %w", cfg.Listen, err)
	}
	r.cleanups = append(r.cleanups, func() { r.ln.Close() })
	if !IsLoopbackAddr(cfg.Listen) && keys.Len() == 0 {
		if !cfg.InsecureNoKeys {
			return nil, memory.Invalidf("%s is not a loopback address and there are no API keys: add one with `kgmem keys add NAME --role ROLE`, "+
				"or pass --insecure-no-keys to let anyone who reaches it change the memory", cfg.Listen)
		}
		log.Warn("SERVING WITHOUT API KEYS ON A NETWORK ADDRESS: anyone who reaches it may read and change the memory", "listen", r.ln.Addr())
	}
	if cfg.TLSCert != "" {
		pair, err := tls.LoadX509KeyPair(cfg.TLSCert, cfg.TLSKey)
		if err != nil {
			return nil, memory.WithHint(fmt.Errorf("load the TLS certificate: %w", err), "check --tls-cert and --tls-key")
		}
		r.ln = tls.NewListener(r.ln, &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12})
		r.scheme = "https"
	}
	mem, err := memory.Open(ctx, memory.Options{DataDir: cfg.DataDir, Graph: cfg.Graph, PluginDir: cfg.PluginDir,
		CallTimeout: cfg.CallTimeout, Logger: cfg.Logger})
	if err != nil {
		return nil, err
	}
	r.cleanups = append(r.cleanups, func() { mem.Close() })
	if r.sock, err = ListenSocket(cfg.DataDir); err != nil {
		return nil, err
	}
	r.socketPath = r.sock.Addr().String()
	r.cleanups = append(r.cleanups, func() { os.Remove(r.socketPath) })
	r.srv, err = New(Options{Memory: mem, Keys: keys, Model: cfg.Model, Logger: cfg.Logger, InsecureNoKeys: cfg.InsecureNoKeys,
		MaxSegments: cfg.MaxSegments, JobDir: filepath.Join(cfg.DataDir, "server"),
		NoBatching: cfg.NoBatching, FollowInterval: cfg.FollowInterval})
	if err != nil {
		r.sock.Close()
		return nil, err
	}
	if cfg.PprofListen != "" {
		stop, err := servePprof(cfg.PprofListen)
		if err != nil {
			r.sock.Close()
			return nil, err
		}
		r.cleanups = append(r.cleanups, stop)
	}
	return r, nil
}

// URL is where the server serves: scheme://host:port/.
func (r *Running) URL() string { return fmt.Sprintf("%s://%s/", r.scheme, r.ln.Addr()) }

// Socket is the path of the data directory's socket.
func (r *Running) Socket() string { return r.socketPath }

// Serve serves until ctx is done and the requests and jobs in flight are
// finished, then closes the memory, removes the socket and stops
// listening.
func (r *Running) Serve(ctx context.Context) error {
	defer r.Close()
	return r.srv.Serve(ctx, r.ln, r.sock)
}

// Close releases what Start acquired, the last first. Serve calls it.
func (r *Running) Close() {
	for i := len(r.cleanups) - 1; i >= 0; i-- {
		r.cleanups[i]()
	}
	r.cleanups = nil
}

// servePprof serves Go's runtime profiles on a loopback address until
// the returned function is called.
func servePprof(addr string) (func(), error) {
	if !IsLoopbackAddr(addr) {
		return nil, memory.Invalidf("--pprof-listen %q: give a loopback address such as 127.0.0.1:6060", addr)
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
