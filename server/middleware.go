package server

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
)

// caller is who sent a request, as authentication found it.
type caller struct {
	name  string // the key's name; "" for a keyless local client
	role  Role
	local bool // loopback or the unix socket
}

type callerKey struct{}

func callerOf(r *http.Request) caller {
	c, _ := r.Context().Value(callerKey{}).(caller)
	return c
}

// statusWriter records the status and size of an answer.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// middleware wraps every request: a request id, a recovered panic, the
// access log and the latency metric, and who the caller is.
func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if id == "" || len(id) > 64 {
			id = strconv.FormatUint(s.reqSeq.Add(1), 36) + "-" + strconv.FormatInt(start.UnixNano()%1e6, 36)
		}
		w.Header().Set("X-Request-Id", id)
		sw := &statusWriter{ResponseWriter: w}
		s.inflight.Add(1)
		defer s.inflight.Done()
		defer func() {
			if p := recover(); p != nil {
				s.log.Error("handler panicked", "request_id", id, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				if sw.status == 0 {
					writeError(sw, apiError(http.StatusInternalServerError, CodeInternal, "internal error; the server log has it under request id "+id))
				}
			}
			route := r.Pattern
			if route == "" {
				route = "unmatched"
			}
			d := time.Since(start)
			s.metrics.request(route, sw.status, d)
			c := callerOf(r)
			s.log.Info("request", "request_id", id, "method", r.Method, "path", r.URL.Path, "route", route,
				"status", sw.status, "bytes", sw.bytes, "ms", float64(d.Microseconds())/1000, "key", c.name, "remote", r.RemoteAddr)
		}()
		c := caller{local: fromSocket(r) || isLoopback(r.RemoteAddr)}
		if fromSocket(r) {
			c.role = RoleAdmin // the socket is the data directory owner's
		} else if secret := credential(r); secret != "" {
			if k, ok := s.opts.Keys.Authenticate(secret); ok {
				c.name, c.role = k.Name, k.Role
			} else {
				c.role = -1 // a key that is not ours: refused wherever a key is needed
			}
		} else if s.opts.Keys.Len() == 0 && (c.local || s.opts.InsecureNoKeys) {
			c.role = RoleAdmin // no keys: loopback (or, when asked, everyone) is trusted
		}
		r = r.WithContext(context.WithValue(r.Context(), callerKey{}, c))
		next.ServeHTTP(sw, r)
	})
}

// credential returns the API key a request carries: a bearer token, a
// DeepL-Auth-Key, or an api_key / auth_key query parameter.
func credential(r *http.Request) string {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, v, ok := strings.Cut(h, " ")
		if ok && (strings.EqualFold(scheme, "Bearer") || strings.EqualFold(scheme, "DeepL-Auth-Key")) {
			return strings.TrimSpace(v)
		}
	}
	if v := r.URL.Query().Get("api_key"); v != "" {
		return v
	}
	return r.URL.Query().Get("auth_key")
}

func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// authorize checks that the caller may do what needs role; secret, when
// not "", is a key found in the body (LibreTranslate sends it so).
func (s *Server) authorize(r *http.Request, role Role, secret string) error {
	c := callerOf(r)
	if secret != "" && !fromSocket(r) {
		k, ok := s.opts.Keys.Authenticate(secret)
		if !ok {
			return apiError(http.StatusUnauthorized, CodeUnauthorized, "the API key is not known to this server")
		}
		c.name, c.role = k.Name, k.Role
	}
	switch {
	case role == RoleNone:
		return nil
	case c.role < 0:
		return apiError(http.StatusUnauthorized, CodeUnauthorized, "the API key is not known to this server")
	case c.role == RoleNone && s.opts.Keys.Len() == 0:
		return apiError(http.StatusForbidden, CodeForbidden,
			"this server has no API keys, so it serves only clients on its own machine; add one with `kgmem keys add NAME --role ROLE`")
	case c.role == RoleNone:
		return apiError(http.StatusUnauthorized, CodeUnauthorized,
			"this server needs an API key: send it as `Authorization: Bearer KEY` (or DeepL-Auth-Key, or api_key)")
	case c.role < role:
		return apiError(http.StatusForbidden, CodeForbidden, fmt.Sprintf("the key %q has the role %s; this needs %s", c.name, c.role, role))
	}
	return nil
}

// handlerFunc is a handler that returns its error for the wrapper to
// write.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle registers a route that needs role, with a body of at most the
// server's MaxBody.
func (s *Server) handle(pattern string, role Role, h handlerFunc) {
	s.handleLimit(pattern, role, s.opts.MaxBody, h)
}

// handleLimit registers a route of kgmem's own API (documented in the
// OpenAPI document) whose body may be up to limit bytes.
func (s *Server) handleLimit(pattern string, role Role, limit int64, h handlerFunc) {
	s.patterns = append(s.patterns, pattern)
	s.route(pattern, role, limit, h)
}

// route registers a route of any API.
func (s *Server) route(pattern string, role Role, limit int64, h handlerFunc) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if s.draining.Load() {
			writeError(w, apiError(http.StatusServiceUnavailable, CodeShuttingDown, "the server is shutting down; retry on another one"))
			return
		}
		if err := s.authorize(r, role, ""); err != nil {
			writeError(w, err)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		if err := h(w, r); err != nil {
			writeError(w, err)
		}
	})
}
