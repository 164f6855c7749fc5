package host

import (
	"context"
	"encoding/json"
	"io"
	"log"
	"log/slog"
	"strings"
	"sync"

	"github.com/hashicorp/go-hclog"
)

// hclogger bridges go-plugin's hclog.Logger to slog, so that the rest of
// kgmem only knows slog. go-plugin's own chatter (process started, exited)
// and what a model logs at info or below go to slog's debug level: a
// translation should not print a line per model start. Warnings and errors
// keep their level.
type hclogger struct {
	l     *slog.Logger
	name  string
	args  []any
	level hclog.Level
}

var _ hclog.Logger = (*hclogger)(nil)

func newHCLogger(l *slog.Logger) *hclogger {
	return &hclogger{l: l, level: hclog.Trace}
}

func (h *hclogger) Log(level hclog.Level, msg string, args ...interface{}) {
	if level < h.level || level == hclog.Off {
		return
	}
	var sl slog.Level
	switch {
	case level >= hclog.Error:
		sl = slog.LevelError
	case level == hclog.Warn:
		sl = slog.LevelWarn
	default:
		sl = slog.LevelDebug
	}
	ctx := context.Background()
	if !h.l.Enabled(ctx, sl) {
		return
	}
	all := make([]any, 0, len(h.args)+len(args)+2)
	if h.name != "" {
		all = append(all, "logger", h.name)
	}
	all = append(all, h.args...)
	all = append(all, args...)
	h.l.Log(ctx, sl, msg, all...)
}

func (h *hclogger) Trace(msg string, args ...interface{}) { h.Log(hclog.Trace, msg, args...) }
func (h *hclogger) Debug(msg string, args ...interface{}) { h.Log(hclog.Debug, msg, args...) }
func (h *hclogger) Info(msg string, args ...interface{})  { h.Log(hclog.Info, msg, args...) }
func (h *hclogger) Warn(msg string, args ...interface{})  { h.Log(hclog.Warn, msg, args...) }
func (h *hclogger) Error(msg string, args ...interface{}) { h.Log(hclog.Error, msg, args...) }

func (h *hclogger) enabled(l slog.Level) bool { return h.l.Enabled(context.Background(), l) }

func (h *hclogger) IsTrace() bool { return h.enabled(slog.LevelDebug) }
func (h *hclogger) IsDebug() bool { return h.enabled(slog.LevelDebug) }
func (h *hclogger) IsInfo() bool  { return h.enabled(slog.LevelDebug) }
func (h *hclogger) IsWarn() bool  { return h.enabled(slog.LevelWarn) }
func (h *hclogger) IsError() bool { return h.enabled(slog.LevelError) }

func (h *hclogger) ImpliedArgs() []interface{} { return h.args }

func (h *hclogger) With(args ...interface{}) hclog.Logger {
	c := *h
	c.args = append(append([]any(nil), h.args...), args...)
	return &c
}

func (h *hclogger) Name() string { return h.name }

func (h *hclogger) Named(name string) hclog.Logger {
	c := *h
	if c.name != "" {
		c.name += "." + name
	} else {
		c.name = name
	}
	return &c
}

func (h *hclogger) ResetNamed(name string) hclog.Logger {
	c := *h
	c.name = name
	return &c
}

func (h *hclogger) SetLevel(level hclog.Level) { h.level = level }
func (h *hclogger) GetLevel() hclog.Level      { return h.level }

func (h *hclogger) StandardLogger(opts *hclog.StandardLoggerOptions) *log.Logger {
	return log.New(h.StandardWriter(opts), "", 0)
}

func (h *hclogger) StandardWriter(*hclog.StandardLoggerOptions) io.Writer {
	return writerFunc(func(p []byte) (int, error) {
		h.Debug(strings.TrimRight(string(p), "\n"))
		return len(p), nil
	})
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// tail keeps the last lines a model wrote to stderr, to quote them when it
// crashes. It is safe for concurrent use.
type tail struct {
	// logLine, if set, receives each plain (not hclog JSON) line; go-plugin
	// logs those only at debug level, and a model's own words belong in
	// kgmem's log.
	logLine func(string)

	mu    sync.Mutex
	panic string // the first line of a Go panic, the most telling line
	lines []string
	max   int
	part  []byte
}

func newTail(max int) *tail {
	return &tail{max: max}
}

// Write takes raw stderr bytes; go-plugin writes one line at a time and
// the newline separately.
func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.part = append(t.part, p...)
	for {
		i := strings.IndexByte(string(t.part), '\n')
		if i < 0 {
			break
		}
		t.add(string(t.part[:i]))
		t.part = t.part[i+1:]
	}
	if len(t.part) > 4096 {
		t.add(string(t.part))
		t.part = t.part[:0]
	}
	return len(p), nil
}

func (t *tail) add(line string) {
	line = strings.TrimSpace(line)
	// go-plugin's Go servers log JSON lines; keep their message.
	var entry struct {
		Message string `json:"@message"`
	}
	if strings.HasPrefix(line, "{") && json.Unmarshal([]byte(line), &entry) == nil && entry.Message != "" {
		line = entry.Message
	} else if t.logLine != nil && t.panic == "" && line != "" && !strings.HasPrefix(line, "panic: ") {
		// After a panic go-plugin logs the trace itself, at error level.
		t.logLine(line)
	}
	if line == "" {
		return
	}
	if t.panic == "" && (strings.HasPrefix(line, "panic: ") || strings.HasPrefix(line, "fatal error: ")) {
		t.panic = line
		t.lines = t.lines[:0]
		return
	}
	t.lines = append(t.lines, line)
	if len(t.lines) > t.max {
		t.lines = t.lines[len(t.lines)-t.max:]
	}
}

// String returns the kept lines joined by " | ".
func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	lines := t.lines
	if len(t.part) > 0 {
		lines = append(append([]string(nil), lines...), strings.TrimSpace(string(t.part)))
	}
	if t.panic != "" {
		// The stack after a panic says little to a user; name it only.
		return t.panic + " (stack trace in the log)"
	}
	return strings.Join(lines, " | ")
}
