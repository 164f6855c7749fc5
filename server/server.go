// Package server is `kgmem serve`: one long-running process that owns a
// memory and serves it over HTTP — kgmem's own JSON API under /api/v1
// (described by the OpenAPI document at /openapi.json), the APIs the
// tools translators use already speak (DeepL API v2, LibreTranslate,
// translate-toolkit's tmserver, Apertium APy), health and readiness
// probes and Prometheus metrics — with API keys and roles, limits on
// every request, and a graceful shutdown. Every call, whatever its API,
// goes through the same memory.Memory: its translation memory, its terms
// and facts, its learning.
//
// Start with New and Server.Serve. Handlers are small adapters over the
// core: they parse, call one memory method, and write JSON; errors are
// JSON with a stable Code (errors.go). Keys are stored hashed in the data
// directory (Keys). The CLI reaches a running server through a unix socket
// in the data directory (package client).
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/kgmem/kgmem/memory"
)

// Defaults of Options.
const (
	DefaultMaxBody     = 2 << 20  // bytes of a JSON or form request
	DefaultMaxDocument = 64 << 20 // bytes of an uploaded document or import
	DefaultMaxSegments = 1000     // segments of one translate request
	DefaultModel       = "apertium"
)

// Options configure a Server.
type Options struct {
	// Memory is what every call reads and writes.
	Memory *memory.Memory
	// Keys are the API keys; with none, only clients on loopback and the
	// unix socket are served.
	Keys *Keys
	// Model is the model the compatible APIs (DeepL, LibreTranslate, APy)
	// translate with, and kgmem's own API when a request names none.
	Model string
	// Logger receives the access log and notes; nil discards them.
	Logger *slog.Logger
	// MaxBody bounds a request body (DefaultMaxBody if 0); MaxDocument
	// bounds an uploaded document (DefaultMaxDocument if 0); MaxSegments
	// bounds the segments of one translate request (DefaultMaxSegments if
	// 0).
	MaxBody, MaxDocument int64
	MaxSegments          int
	// JobDir holds the files of document and import jobs.
	JobDir string
	// Registry receives the server's metrics; nil makes one of its own.
	Registry *prometheus.Registry
	// InsecureNoKeys serves clients on any address as the data
	// directory's owner while the server has no keys (kgmem serve
	// --insecure-no-keys). Without it, a keyless server serves loopback
	// and the unix socket only.
	InsecureNoKeys bool
	// NoBatching sends every translate request to the pipeline alone
	// instead of packing concurrent small ones into one call (batch.go).
	NoBatching bool
	// FollowInterval is how often the server brings its search index up
	// to date with a graph other servers write too (follow.go): 0 for
	// DefaultFollowInterval when the graph is shared, negative for never.
	FollowInterval time.Duration
	// HeaderTimeout bounds the time a client takes to send a request's
	// headers (10 s if 0).
	HeaderTimeout time.Duration
}

// Server serves a memory over HTTP. It is safe for concurrent use.
type Server struct {
	opts    Options
	mem     *memory.Memory
	log     *slog.Logger
	mux     *http.ServeMux
	handler http.Handler
	metrics *metrics
	jobs    *jobs
	usage   *usage
	batch   *batcher
	follow  *follower

	patterns []string // the routes of the own API, as registered

	draining atomic.Bool
	reqSeq   atomic.Uint64
	inflight sync.WaitGroup
}

// New returns a Server of opts.Memory.
func New(opts Options) (*Server, error) {
	if opts.Memory == nil {
		return nil, errors.New("server: no memory")
	}
	if opts.Keys == nil {
		opts.Keys = &Keys{}
	}
	if opts.Model == "" {
		opts.Model = DefaultModel
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = DefaultMaxBody
	}
	if opts.MaxDocument <= 0 {
		opts.MaxDocument = DefaultMaxDocument
	}
	if opts.MaxSegments <= 0 {
		opts.MaxSegments = DefaultMaxSegments
	}
	if opts.Registry == nil {
		opts.Registry = prometheus.NewRegistry()
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s := &Server{opts: opts, mem: opts.Memory, log: log, mux: http.NewServeMux()}
	s.metrics = newMetrics(opts.Registry, s)
	s.usage = newUsage()
	var err error
	if s.jobs, err = newJobs(opts.JobDir, log, s.metrics); err != nil {
		return nil, err
	}
	s.batch = newBatcher(s.mem.Translate, s.batchSize, 0, opts.Registry)
	if opts.NoBatching {
		s.batch.parallel = math.MaxInt
	}
	s.follow = newFollower(s.mem, opts.FollowInterval, log, opts.Registry)
	s.routes()
	s.handler = s.middleware(s.mux)
	return s, nil
}

// Routes returns the method and path of every route of kgmem's own API
// and of the server itself ("POST /api/v1/translate"), as the OpenAPI
// document should list them.
func (s *Server) Routes() []string { return append([]string(nil), s.patterns...) }

// Handler returns the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Timeouts of the HTTP servers Serve runs: a slow client cannot hold a
// connection while it trickles its headers, nor keep an idle one forever.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 5 * time.Minute // large document uploads
	idleTimeout       = 2 * time.Minute
	shutdownTimeout   = 2 * time.Minute
)

// Serve serves on the listeners until ctx is done, then stops taking new
// requests, lets those in flight and the running jobs finish (up to a
// bound), and returns nil. Listeners whose address is a unix socket are
// trusted as the data directory's owner.
func (s *Server) Serve(ctx context.Context, lns ...net.Listener) error {
	var servers []*http.Server
	errc := make(chan error, len(lns))
	headerTimeout := s.opts.HeaderTimeout
	if headerTimeout <= 0 {
		headerTimeout = readHeaderTimeout
	}
	for _, ln := range lns {
		hs := &http.Server{
			Handler:           s.handler,
			ReadHeaderTimeout: headerTimeout,
			ReadTimeout:       readTimeout,
			IdleTimeout:       idleTimeout,
			MaxHeaderBytes:    64 << 10,
			ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
			BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
		}
		if ln.Addr().Network() == "unix" {
			hs.ConnContext = func(ctx context.Context, c net.Conn) context.Context {
				return context.WithValue(ctx, socketKey{}, true)
			}
		}
		servers = append(servers, hs)
		go func(ln net.Listener) {
			if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				errc <- fmt.Errorf("serve %s: %w", ln.Addr(), err)
			}
		}(ln)
	}
	s.usage.startSaving(ctx, s.opts.JobDir, s.log)
	stopFollowing := s.follow.start(ctx)
	defer stopFollowing()
	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-errc:
	}
	s.draining.Store(true)
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	var errs []error
	for _, hs := range servers {
		if err := hs.Shutdown(sctx); err != nil {
			errs = append(errs, err)
		}
	}
	if err := s.jobs.drain(sctx); err != nil {
		errs = append(errs, err)
	}
	s.usage.save(s.opts.JobDir)
	return errors.Join(append([]error{serveErr}, errs...)...)
}

type socketKey struct{}

// fromSocket reports whether the request came through the unix socket.
func fromSocket(r *http.Request) bool {
	v, _ := r.Context().Value(socketKey{}).(bool)
	return v
}
