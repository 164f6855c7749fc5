package host

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/kgmem/kgmem/plugins"
	"github.com/kgmem/kgmem/plugins/internal/wire"
)

// Model is a started model. It is safe for concurrent use: calls are
// bounded by Options.MaxConcurrency, and a crashed process is restarted
// once per call.
type Model struct {
	h    *Host
	info Info
	desc *plugins.DescribeResponse
	sem  chan struct{}

	mu     sync.Mutex
	inst   *instance
	closed bool
}

// instance is one process of a model.
type instance struct {
	client *goplugin.Client
	model  *wire.Client
	stderr *tail
}

var (
	_ plugins.Model   = (*Model)(nil)
	_ plugins.Learner = (*Model)(nil)
)

// Info returns what the host knows of the model.
func (m *Model) Info() Info { return m.info }

// Name returns the model's name.
func (m *Model) Name() string { return m.info.Name }

// Description returns what the model said of itself when it started.
func (m *Model) Description() *plugins.DescribeResponse { return m.desc }

// Describe returns what the model said of itself when it started.
func (m *Model) Describe(context.Context, *plugins.DescribeRequest) (*plugins.DescribeResponse, error) {
	return m.desc, nil
}

// PID returns the process ID of the running model process, or 0.
func (m *Model) PID() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.inst == nil {
		return 0
	}
	var pid int
	fmt.Sscan(m.inst.client.ID(), &pid)
	return pid
}

// Close stops the model's process.
func (m *Model) Close() error {
	m.mu.Lock()
	inst := m.inst
	m.inst = nil
	m.closed = true
	m.mu.Unlock()
	if inst != nil {
		inst.client.Kill()
	}
	return nil
}

// instance returns the running process, starting one if there is none.
func (m *Model) instance(ctx context.Context) (*instance, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil, fmt.Errorf("model %q is closed", m.info.Name)
	}
	if m.inst != nil {
		return m.inst, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	h := m.h
	stderr := newTail(stderrLines)
	stderr.logLine = func(line string) { h.log.Info(line, "model", m.info.Name) }
	startTimeout := h.opts.StartTimeout
	if d, ok := ctx.Deadline(); ok && time.Until(d) < startTimeout {
		startTimeout = max(time.Until(d), time.Millisecond)
	}
	client := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig:  wire.Handshake(),
		Plugins:          goplugin.PluginSet{wire.PluginName: &wire.Plugin{}},
		Cmd:              h.command(m.info),
		SecureConfig:     h.secureConfig(m.info),
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		AutoMTLS:         true,
		StartTimeout:     startTimeout,
		Logger:           newHCLogger(h.log).Named("model").With("model", m.info.Name),
		Stderr:           stderr,
		// What a Go model writes to os.Stderr comes over gRPC.
		SyncStderr: stderr,
	})
	fail := func(err error) (*instance, error) {
		client.Kill()
		return nil, m.startError(err, stderr)
	}
	rpc, err := client.Client()
	if err != nil {
		return fail(err)
	}
	raw, err := rpc.Dispense(wire.PluginName)
	if err != nil {
		return fail(err)
	}
	mc, ok := raw.(*wire.Client)
	if !ok {
		return fail(fmt.Errorf("unexpected plugin type %T", raw))
	}
	m.inst = &instance{client: client, model: mc, stderr: stderr}
	return m.inst, nil
}

// startError explains why a model did not start.
func (m *Model) startError(err error, stderr *tail) error {
	msg := err.Error()
	var hint string
	switch {
	case errors.Is(err, goplugin.ErrChecksumsDoNotMatch):
		return fmt.Errorf("model %q: %w: %s; if you trust the new binary, run `kgmem plugins trust %s`", m.info.Name, ErrModified, m.info.Path, m.info.Path)
	case strings.Contains(msg, "Unrecognized remote plugin message"):
		hint = "it wrote something other than the go-plugin handshake to stdout; a model must write only to stderr, or it is not a kgmem model"
	case strings.Contains(msg, "incompatible API version"):
		hint = fmt.Sprintf("it speaks another version of the kgmem model protocol than this kgmem (%d); update the model or kgmem", plugins.ProtocolVersion)
	case strings.Contains(msg, "timeout while waiting"):
		hint = "it did not complete the go-plugin handshake in time"
	case strings.Contains(msg, "exited before we could connect"):
		hint = "it exited during start-up"
	}
	first := strings.SplitN(msg, "\n", 2)[0]
	e := fmt.Errorf("model %q: %w: %s", m.info.Name, ErrStart, first)
	if hint != "" {
		e = fmt.Errorf("%w (%s)", e, hint)
	}
	if s := stderr.String(); s != "" {
		e = fmt.Errorf("%w; its last stderr lines: %s", e, s)
	}
	return e
}

// discard kills inst if it is still the model's process.
func (m *Model) discard(inst *instance) {
	m.mu.Lock()
	if m.inst == inst {
		m.inst = nil
	}
	m.mu.Unlock()
	inst.client.Kill()
}

// crashed reports whether err means the model's process went away.
func crashed(inst *instance, err error) bool {
	if inst.client.Exited() {
		return true
	}
	switch status.Code(err) {
	case codes.Unavailable, codes.Internal:
		return true
	}
	return false
}

// callError turns a failed call into an error naming the model.
func (m *Model) callError(ctx context.Context, inst *instance, what string, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("model %q: %s: %w", m.info.Name, what, ctx.Err())
	}
	switch {
	case status.Code(err) == codes.DeadlineExceeded:
		return fmt.Errorf("model %q: %s: %w within %s", m.info.Name, what, ErrTimeout, m.h.opts.CallTimeout)
	case crashed(inst, err):
		// Wait a moment for the last stderr lines of a dying process.
		for i := 0; i < 20 && !inst.client.Exited(); i++ {
			time.Sleep(25 * time.Millisecond)
		}
		e := fmt.Errorf("model %q: %s: %w", m.info.Name, what, ErrCrashed)
		if s := inst.stderr.String(); s != "" {
			e = fmt.Errorf("%w; its last stderr lines: %s", e, s)
		}
		return e
	}
	if s, ok := status.FromError(err); ok {
		return fmt.Errorf("model %q: %s: %s", m.info.Name, what, s.Message())
	}
	return fmt.Errorf("model %q: %s: %w", m.info.Name, what, err)
}

// Translate translates req.Items in batches of the model's preferred size,
// several batches at once up to Options.MaxConcurrency. It returns one
// result per item, in order, or the first error.
func (m *Model) Translate(ctx context.Context, req *plugins.TranslateRequest) (*plugins.TranslateResponse, error) {
	n := len(req.Items)
	resp := &plugins.TranslateResponse{Results: make([]plugins.Result, n)}
	if n == 0 {
		return resp, nil
	}
	size := m.desc.Capabilities.PreferredBatchSize
	if size <= 0 {
		size = m.h.opts.BatchSize
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg       sync.WaitGroup
		errOnce  sync.Once
		firstErr error
	)
	setErr := func(err error) {
		errOnce.Do(func() { firstErr = err; cancel() })
	}
	for start := 0; start < n; start += size {
		end := min(start+size, n)
		select {
		case m.sem <- struct{}{}:
		case <-ctx.Done():
			setErr(fmt.Errorf("model %q: translate: %w", m.info.Name, ctx.Err()))
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func(start, end int) {
			defer wg.Done()
			defer func() { <-m.sem }()
			batch := &plugins.TranslateRequest{SourceLang: req.SourceLang, TargetLang: req.TargetLang, Register: req.Register, Items: req.Items[start:end]}
			r, err := m.translateBatch(ctx, batch)
			if err != nil {
				setErr(err)
				return
			}
			copy(resp.Results[start:end], r.Results)
		}(start, end)
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	return resp, nil
}

// translateBatch makes one Translate call, restarting a crashed model
// once and retrying.
func (m *Model) translateBatch(ctx context.Context, req *plugins.TranslateRequest) (*plugins.TranslateResponse, error) {
	for attempt := 0; ; attempt++ {
		inst, err := m.instance(ctx)
		if err != nil {
			return nil, err
		}
		cctx, cancel := context.WithTimeout(ctx, m.h.opts.CallTimeout)
		resp, err := inst.model.Translate(cctx, req)
		cancel()
		if err == nil {
			return resp, m.check(req, resp)
		}
		cerr := m.callError(ctx, inst, "translate", err)
		switch {
		case ctx.Err() != nil:
			return nil, cerr
		case errors.Is(cerr, ErrTimeout):
			// A model that hangs is of no more use; the next call starts
			// a fresh one.
			m.discard(inst)
			return nil, cerr
		case errors.Is(cerr, ErrCrashed):
			m.discard(inst)
			if attempt == 0 {
				m.h.log.Warn("model crashed; restarting it", "model", m.info.Name, "error", cerr)
				continue
			}
			return nil, fmt.Errorf("%w (restarted once, crashed again)", cerr)
		}
		return nil, cerr
	}
}

// check verifies that resp answers req.
func (m *Model) check(req *plugins.TranslateRequest, resp *plugins.TranslateResponse) error {
	if len(resp.Results) != len(req.Items) {
		return fmt.Errorf("model %q: %w: %d results for %d items", m.info.Name, ErrBadResponse, len(resp.Results), len(req.Items))
	}
	for i, r := range resp.Results {
		if r.ID != req.Items[i].ID {
			return fmt.Errorf("model %q: %w: result %d has id %q, want %q", m.info.Name, ErrBadResponse, i, r.ID, req.Items[i].ID)
		}
	}
	return nil
}

// Learn gives the model approved translations; plugins.ErrUnimplemented
// when the model does not learn.
func (m *Model) Learn(ctx context.Context, req *plugins.LearnRequest) (*plugins.LearnResponse, error) {
	inst, err := m.instance(ctx)
	if err != nil {
		return nil, err
	}
	cctx, cancel := context.WithTimeout(ctx, m.h.opts.CallTimeout)
	defer cancel()
	resp, err := inst.model.Learn(cctx, req)
	if errors.Is(err, plugins.ErrUnimplemented) {
		return nil, fmt.Errorf("model %q: learn: %w", m.info.Name, err)
	}
	if err != nil {
		return nil, m.callError(ctx, inst, "learn", err)
	}
	return resp, nil
}
