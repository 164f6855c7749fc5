package memory

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/plugins"
	"github.com/kgmem/kgmem/plugins/builtin"
	"github.com/kgmem/kgmem/plugins/host"
	"github.com/kgmem/kgmem/translate"
)

// ModelOptions configure the model host.
type ModelOptions struct {
	// PluginDir holds third-party models (kgmem-model-NAME) and trust.json.
	PluginDir string
	// CallTimeout bounds each call to a model (host.DefaultCallTimeout if 0).
	CallTimeout time.Duration
	// Logger receives the models' logs; nil discards them.
	Logger *slog.Logger
}

// Models finds, starts and keeps the translation models: each model is
// started once, on first use, and stopped by Close. It is safe for
// concurrent use.
type Models struct {
	host *host.Host

	mu      sync.Mutex
	started map[string]*host.Model
}

// OpenModels returns the model host of a plugin directory.
func OpenModels(opts ModelOptions) (*Models, error) {
	h, err := host.New(host.Options{
		PluginDir:   opts.PluginDir,
		Builtins:    builtin.Names(),
		Logger:      opts.Logger,
		CallTimeout: opts.CallTimeout,
	})
	if err != nil {
		return nil, err
	}
	return &Models{host: h, started: map[string]*host.Model{}}, nil
}

// Close stops every model started.
func (ms *Models) Close() error { return ms.host.Close() }

// Model returns the running model called name, starting it the first time.
func (ms *Models) Model(ctx context.Context, name string) (*host.Model, error) {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	if m, ok := ms.started[name]; ok {
		return m, nil
	}
	m, err := ms.host.Start(ctx, name)
	if err != nil {
		return nil, modelError(err)
	}
	ms.started[name] = m
	return m, nil
}

// modelError adds what to do to a host error that does not say it.
func modelError(err error) error {
	if errors.Is(err, host.ErrNotFound) {
		return withHint(err, "run `kgmem plugins list`")
	}
	return err
}

// List returns the built-in models and those of the plugin directory.
func (ms *Models) List() ([]host.Info, error) { return ms.host.List() }

// Describe starts a model and returns what it says of itself.
func (ms *Models) Describe(ctx context.Context, name string) (*plugins.DescribeResponse, error) {
	m, err := ms.Model(ctx, name)
	if err != nil {
		return nil, err
	}
	return m.Description(), nil
}

// Trusted is a model binary trusted by Trust, with a warning when kgmem
// will not find it under its name.
type Trusted struct {
	host.Trusted
	Warning string `json:"warning,omitempty"`
}

// Trust records the SHA-256 of model binaries so that they run.
func (ms *Models) Trust(paths []string, now time.Time) ([]Trusted, error) {
	var done []Trusted
	for _, p := range paths {
		t, err := ms.host.TrustStore().Trust(p, now)
		if err != nil {
			return done, fmt.Errorf("trust %s: %w", p, err)
		}
		tr := Trusted{Trusted: t}
		if !strings.HasPrefix(filepath.Base(t.Path), plugins.ExecutablePrefix) {
			tr.Warning = "trusted, but kgmem only finds models named " + plugins.ExecutablePrefix + "NAME in the plugin directory"
		}
		done = append(done, tr)
	}
	return done, nil
}

// Verification is what Verify found of one model.
type Verification struct {
	host.Info
	OK      bool   `json:"ok"`
	Problem string `json:"problem,omitempty"`
	Version string `json:"version,omitempty"`
}

// ErrVerification is returned by Verify when a model failed.
var ErrVerification = errors.New("models failed verification")

// Verify starts every model: trusted, unchanged, and answering the
// handshake. It returns every model's result, and ErrVerification when
// any failed.
func (ms *Models) Verify(ctx context.Context) ([]Verification, error) {
	infos, err := ms.host.List()
	if err != nil {
		return nil, err
	}
	var results []Verification
	bad := 0
	for _, i := range infos {
		r := Verification{Info: i, OK: true}
		m, err := ms.host.Start(ctx, i.Name)
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
	if bad > 0 {
		return results, fmt.Errorf("%d of %d: %w", bad, len(results), ErrVerification)
	}
	return results, nil
}

// Translate translates segments with a model alone, no memory.
func (ms *Models) Translate(ctx context.Context, o TranslateOptions, segs []translate.Segment) ([]translate.Result, error) {
	t, err := ms.Translator(ctx, o)
	if err != nil {
		return nil, err
	}
	return t.Translate(ctx, segs)
}

// TranslateFile translates a document with a model alone, no memory.
// Unless fo.Review says otherwise, the translations are checked by
// Reviewer (without term base or memory), and those with problems are
// marked for review.
func (ms *Models) TranslateFile(ctx context.Context, o TranslateOptions, fo translate.FileOptions, fn func(*corpora.Unit, translate.Result) error) (translate.FileSummary, error) {
	t, err := ms.Translator(ctx, o)
	if err != nil {
		return translate.FileSummary{}, err
	}
	if fo.Review == nil {
		fo.Review = Reviewer(nil)
	}
	return t.TranslateFile(ctx, fo, fn)
}
