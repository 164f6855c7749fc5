// Package host finds, starts and calls kgmem's translation models. Each
// model runs in a process of its own, spoken to with HashiCorp go-plugin
// over gRPC with automatic mutual TLS, so that a model in any language can
// be plugged in and a crashing model never takes kgmem down.
//
// Start with New and Host.Start. Models are built-in (the kgmem binary
// re-executing itself, trusted because it is the running program) or
// third-party executables named kgmem-model-NAME in the plugin directory,
// which run only once the user has trusted their SHA-256 (TrustStore).
package host

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	goplugin "github.com/hashicorp/go-plugin"

	"github.com/kgmem/kgmem/plugins"
)

// Errors callers branch on. Every error the host returns names the model.
var (
	ErrNotFound      = errors.New("no such model")
	ErrNotExecutable = errors.New("model is not executable")
	ErrUntrusted     = errors.New("model is not trusted")
	ErrModified      = errors.New("model binary changed since it was trusted")
	ErrStart         = errors.New("model did not start")
	ErrCrashed       = errors.New("model crashed")
	ErrTimeout       = errors.New("model did not answer in time")
	ErrBadResponse   = errors.New("model returned a bad response")
)

// Defaults of Options.
const (
	DefaultCallTimeout  = 2 * time.Minute
	DefaultStartTimeout = 20 * time.Second
	DefaultBatchSize    = 32
	stderrLines         = 8
)

// Options configure a Host. The zero value finds no models.
type Options struct {
	// PluginDir holds third-party models named kgmem-model-NAME and the
	// trust store (trust.json).
	PluginDir string
	// Trust is the trust store; nil opens PluginDir/trust.json.
	Trust *TrustStore
	// Builtins are the names of the built-in models.
	Builtins []string
	// BuiltinCommand returns the command that serves a built-in model; nil
	// runs this executable with the arguments `plugin serve NAME`.
	BuiltinCommand func(name string) *exec.Cmd
	// Logger receives go-plugin's logs and what models write to stderr;
	// nil discards them.
	Logger *slog.Logger
	// CallTimeout bounds each call to a model (DefaultCallTimeout if 0);
	// the caller's context may end it sooner.
	CallTimeout time.Duration
	// StartTimeout bounds starting a model (DefaultStartTimeout if 0).
	StartTimeout time.Duration
	// MaxConcurrency bounds the calls in flight to one model
	// (GOMAXPROCS if 0).
	MaxConcurrency int
	// BatchSize is the batch size for models that state no preference
	// (DefaultBatchSize if 0).
	BatchSize int
}

// Host finds and starts models. It is safe for concurrent use. Close it
// to stop every model it started.
type Host struct {
	opts  Options
	log   *slog.Logger
	trust *TrustStore

	mu      sync.Mutex
	started []*Model
	closed  bool
}

// New returns a Host. It reads the trust store.
func New(opts Options) (*Host, error) {
	if opts.CallTimeout <= 0 {
		opts.CallTimeout = DefaultCallTimeout
	}
	if opts.StartTimeout <= 0 {
		opts.StartTimeout = DefaultStartTimeout
	}
	if opts.MaxConcurrency <= 0 {
		opts.MaxConcurrency = runtime.GOMAXPROCS(0)
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = DefaultBatchSize
	}
	h := &Host{opts: opts, log: opts.Logger, trust: opts.Trust}
	if h.log == nil {
		h.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if h.trust == nil {
		var err error
		if h.trust, err = OpenTrustStore(filepath.Join(opts.PluginDir, TrustFile)); err != nil {
			return nil, err
		}
	}
	return h, nil
}

// TrustStore returns the host's trust store.
func (h *Host) TrustStore() *TrustStore { return h.trust }

// Info describes a model the host can start, without starting it.
type Info struct {
	Name string `json:"name"`
	// Path is the executable; empty for a built-in.
	Path    string `json:"path,omitempty"`
	Builtin bool   `json:"builtin"`
	// Status is "built-in", "trusted", "untrusted", "modified" or
	// "not executable".
	Status string `json:"status"`
}

// Runnable reports whether the host will start the model.
func (i Info) Runnable() bool { return i.Status == "built-in" || i.Status == "trusted" }

// List returns the built-in models, then the third-party models of the
// plugin directory, by name. A third-party model named like a built-in
// one is listed but shadowed by it.
func (h *Host) List() ([]Info, error) {
	var out []Info
	for _, name := range h.opts.Builtins {
		out = append(out, Info{Name: name, Builtin: true, Status: "built-in"})
	}
	if h.opts.PluginDir == "" {
		return out, nil
	}
	entries, err := os.ReadDir(h.opts.PluginDir)
	if errors.Is(err, os.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list models: %w", err)
	}
	var third []Info
	for _, e := range entries {
		name, ok := strings.CutPrefix(e.Name(), plugins.ExecutablePrefix)
		if !ok || name == "" || e.IsDir() {
			continue
		}
		path := filepath.Join(h.opts.PluginDir, e.Name())
		third = append(third, Info{Name: name, Path: path, Status: h.status(path)})
	}
	sort.Slice(third, func(i, j int) bool { return third[i].Name < third[j].Name })
	return append(out, third...), nil
}

func (h *Host) status(path string) string {
	if checkExecutable(path) != nil {
		return "not executable"
	}
	t, ok := h.trust.Lookup(path)
	if !ok {
		return "untrusted"
	}
	sum, err := FileSHA256(path)
	if err != nil || sum != t.SHA256 {
		return "modified"
	}
	return "trusted"
}

// Lookup finds the model called name. A name containing a path separator
// is taken as the path of a third-party executable.
func (h *Host) Lookup(name string) (Info, error) {
	if strings.ContainsRune(name, filepath.Separator) {
		if _, err := os.Stat(name); err != nil {
			return Info{}, fmt.Errorf("model %q: %w: %v", name, ErrNotFound, err)
		}
		return Info{Name: strings.TrimPrefix(filepath.Base(name), plugins.ExecutablePrefix), Path: name, Status: h.status(name)}, nil
	}
	infos, err := h.List()
	if err != nil {
		return Info{}, err
	}
	for _, i := range infos {
		if i.Name == name {
			return i, nil
		}
	}
	where := "no plugin directory"
	if h.opts.PluginDir != "" {
		where = fmt.Sprintf("no %s%s in %s", plugins.ExecutablePrefix, name, h.opts.PluginDir)
	}
	return Info{}, fmt.Errorf("model %q: %w (built-in: %s; %s)", name, ErrNotFound, strings.Join(h.opts.Builtins, ", "), where)
}

// Verify checks that a model may run: it exists, is executable and, if
// third-party, is trusted with its current checksum. The error says what
// to do.
func (h *Host) Verify(info Info) error {
	if info.Builtin {
		return nil
	}
	if err := checkExecutable(info.Path); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("model %q: %w: %s is missing", info.Name, ErrNotFound, info.Path)
		}
		return fmt.Errorf("model %q: %w", info.Name, err)
	}
	t, ok := h.trust.Lookup(info.Path)
	if !ok {
		return fmt.Errorf("model %q: %w: %s; if you trust it, run `kgmem plugins trust %s`", info.Name, ErrUntrusted, info.Path, info.Path)
	}
	sum, err := FileSHA256(info.Path)
	if err != nil {
		return fmt.Errorf("model %q: %w", info.Name, err)
	}
	if sum != t.SHA256 {
		return fmt.Errorf("model %q: %w: %s has SHA-256 %s, trusted was %s; if you trust the new binary, run `kgmem plugins trust %s`",
			info.Name, ErrModified, info.Path, sum[:12], t.SHA256[:min(12, len(t.SHA256))], info.Path)
	}
	return nil
}

// Start starts the model called name (see Lookup), asks it to describe
// itself and returns it. The model runs until Model.Close or Host.Close.
func (h *Host) Start(ctx context.Context, name string) (*Model, error) {
	info, err := h.Lookup(name)
	if err != nil {
		return nil, err
	}
	if err := h.Verify(info); err != nil {
		return nil, err
	}
	m := &Model{h: h, info: info, sem: make(chan struct{}, h.opts.MaxConcurrency)}
	inst, err := m.instance(ctx)
	if err != nil {
		return nil, err
	}
	cctx, cancel := context.WithTimeout(ctx, h.opts.CallTimeout)
	defer cancel()
	d, err := inst.model.Describe(cctx, &plugins.DescribeRequest{})
	if err != nil {
		m.Close()
		return nil, m.callError(ctx, inst, "describe", err)
	}
	m.desc = d
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		m.Close()
		return nil, fmt.Errorf("model %q: host is closed", name)
	}
	h.started = append(h.started, m)
	return m, nil
}

// Close stops every model the host started.
func (h *Host) Close() error {
	h.mu.Lock()
	ms := h.started
	h.started = nil
	h.closed = true
	h.mu.Unlock()
	for _, m := range ms {
		m.Close()
	}
	return nil
}

// command returns the command that runs the model.
func (h *Host) command(info Info) *exec.Cmd {
	if !info.Builtin {
		return exec.Command(info.Path)
	}
	if h.opts.BuiltinCommand != nil {
		return h.opts.BuiltinCommand(info.Name)
	}
	self, err := os.Executable()
	if err != nil {
		self = os.Args[0]
	}
	return exec.Command(self, "plugin", "serve", info.Name)
}

// secureConfig makes go-plugin check the binary's checksum again right
// before it runs it.
func (h *Host) secureConfig(info Info) *goplugin.SecureConfig {
	if info.Builtin {
		return nil
	}
	t, ok := h.trust.Lookup(info.Path)
	if !ok {
		return nil
	}
	sum, err := hex.DecodeString(t.SHA256)
	if err != nil {
		return nil
	}
	return &goplugin.SecureConfig{Checksum: sum, Hash: sha256.New()}
}
