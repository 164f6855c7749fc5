package server

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/plugins/host"
	"github.com/kgmem/kgmem/translate"
)

// fakePipeline stands for Memory.Translate: it records the size of each
// call, holds calls while gate is closed, and fails calls holding a
// segment named in fail with that error.
type fakePipeline struct {
	mu    sync.Mutex
	calls []int
	gate  chan struct{} // nil: calls do not wait
	fail  map[string]error
	// started receives a value when a call starts.
	started chan int
}

func (f *fakePipeline) translate(ctx context.Context, o memory.TranslateOptions, segs []translate.Segment) ([]translate.Result, error) {
	f.mu.Lock()
	f.calls = append(f.calls, len(segs))
	gate := f.gate
	f.mu.Unlock()
	if f.started != nil {
		f.started <- len(segs)
	}
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	out := make([]translate.Result, len(segs))
	for i, s := range segs {
		if err := f.fail[s.Source.Plain()]; err != nil {
			return nil, err
		}
		out[i] = translate.Result{ID: s.ID, Source: s.Source.Plain(), Translation: strings.ToUpper(s.Source.Plain()) + "@" + o.TargetLang}
	}
	return out, nil
}

func (f *fakePipeline) sizes() []int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

func segs(req int, n int) []translate.Segment {
	out := make([]translate.Segment, n)
	for i := range out {
		text := fmt.Sprintf("r%d s%d", req, i)
		out[i] = translate.Segment{ID: text, Source: corpora.Text(text)}
	}
	return out
}

// checkResults checks that a request got its own results, in order.
func checkResults(t *testing.T, req int, in []translate.Segment, rs []translate.Result, err error) {
	t.Helper()
	if err != nil {
		t.Errorf("request %d: %v", req, err)
		return
	}
	if len(rs) != len(in) {
		t.Errorf("request %d: %d results for %d segments", req, len(rs), len(in))
		return
	}
	for i := range in {
		if rs[i].ID != in[i].ID || rs[i].Translation != strings.ToUpper(in[i].Source.Plain())+"@es" {
			t.Errorf("request %d: result %d = %+v, want the translation of %q", req, i, rs[i], in[i].ID)
		}
	}
}

var batchOpts = memory.TranslateOptions{Model: "m", SourceLang: "en", TargetLang: "es"}

func TestBatcherAloneAtLowLoad(t *testing.T) {
	f := &fakePipeline{}
	b := newBatcher(f.translate, func(context.Context, memory.TranslateOptions) int { return 64 }, 2, nil)
	for i := range 5 {
		in := segs(i, 1)
		rs, err := b.Translate(context.Background(), batchOpts, in)
		checkResults(t, i, in, rs, err)
	}
	if got := f.sizes(); !reflect.DeepEqual(got, []int{1, 1, 1, 1, 1}) {
		t.Errorf("calls = %v, want five of one segment", got)
	}
	if len(b.lanes) != 0 {
		t.Errorf("lanes left after the requests: %v", b.lanes)
	}
}

// TestBatcherPacksUnderLoad: while the calls allowed are busy, requests
// queue, and leave together when one ends, in calls of at most the
// model's batch size.
func TestBatcherPacksUnderLoad(t *testing.T) {
	f := &fakePipeline{gate: make(chan struct{}), started: make(chan int, 100)}
	b := newBatcher(f.translate, func(context.Context, memory.TranslateOptions) int { return 8 }, 2, nil)
	var wg sync.WaitGroup
	send := func(req, n int) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in := segs(req, n)
			rs, err := b.Translate(context.Background(), batchOpts, in)
			checkResults(t, req, in, rs, err)
		}()
	}
	// Two requests take the two calls; they start at once.
	send(0, 1)
	send(1, 1)
	<-f.started
	<-f.started
	// Eleven more queue: 2+2+2+2 segments fill a batch of 8 and leave
	// at once; the rest wait for a call to end.
	for i := 2; i < 13; i++ {
		n := 1
		if i < 6 {
			n = 2
		}
		send(i, n)
		if i == 5 {
			if got := <-f.started; got != 8 {
				t.Fatalf("full batch: a call of %d segments, want 8", got)
			}
		}
	}
	waitQueued(t, b, 7)
	close(f.gate)
	wg.Wait()
	sizes := f.sizes()
	total := 0
	for _, n := range sizes {
		total += n
		if n > 8 {
			t.Errorf("a call of %d segments, more than the batch size 8: %v", n, sizes)
		}
	}
	if total != 2+8+7 {
		t.Errorf("calls %v translate %d segments, want %d", sizes, total, 17)
	}
	if len(sizes) != 4 || sizes[3] != 7 {
		t.Errorf("calls = %v, want [1 1 8 7]: the seven queued ones together", sizes)
	}
}

// waitQueued waits until the batcher's lane queues n segments.
func waitQueued(t *testing.T, b *batcher, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		b.mu.Lock()
		q := 0
		if ln := b.lanes[batchOpts]; ln != nil {
			q = ln.queued
		}
		b.mu.Unlock()
		if q == n {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("the queue never held %d segments", n)
}

// TestBatcherIsolatesFailures: a request the pipeline cannot take fails
// alone; when the model is unavailable, the whole batch fails at once.
func TestBatcherIsolatesFailures(t *testing.T) {
	bad := errors.New("model \"m\": translate: " + host.ErrBadResponse.Error())
	crash := fmt.Errorf("model \"m\": translate: %w", host.ErrCrashed)
	tests := []struct {
		name      string
		err       error
		wantCalls int // after the two that fill the calls: the batch, then each request alone
		failing   []int
	}{
		{"bad input", bad, 1 + 4, []int{3}},
		{"model crashed", crash, 1, []int{2, 3, 4, 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakePipeline{gate: make(chan struct{}), started: make(chan int, 100),
				fail: map[string]error{"r3 s0": tt.err}}
			b := newBatcher(f.translate, func(context.Context, memory.TranslateOptions) int { return 64 }, 2, nil)
			var wg sync.WaitGroup
			errs := make([]error, 6)
			for i := range 6 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					in := segs(i, 1)
					rs, err := b.Translate(context.Background(), batchOpts, in)
					errs[i] = err
					if err == nil {
						checkResults(t, i, in, rs, err)
					}
				}()
				if i < 2 {
					<-f.started
				}
			}
			waitQueued(t, b, 4)
			close(f.gate)
			wg.Wait()
			for i, err := range errs {
				if slices.Contains(tt.failing, i) != (err != nil) {
					t.Errorf("request %d: error %v; failing requests should be %v", i, err, tt.failing)
				}
				if err != nil && err.Error() != tt.err.Error() {
					t.Errorf("request %d: error %q, want %q", i, err, tt.err)
				}
			}
			if got := len(f.sizes()) - 2; got != tt.wantCalls {
				t.Errorf("calls after the first two = %d (%v), want %d", got, f.sizes(), tt.wantCalls)
			}
		})
	}
}

// TestBatcherCancel: a queued request whose client goes away leaves the
// queue at once and is not translated; a call is cancelled only when
// every request in it is gone.
func TestBatcherCancel(t *testing.T) {
	f := &fakePipeline{gate: make(chan struct{}), started: make(chan int, 100)}
	b := newBatcher(f.translate, func(context.Context, memory.TranslateOptions) int { return 64 }, 1, nil)
	first := make(chan error, 1)
	go func() {
		_, err := b.Translate(context.Background(), batchOpts, segs(0, 1))
		first <- err
	}()
	<-f.started
	ctx, cancel := context.WithCancel(context.Background())
	gone := make(chan error, 1)
	go func() {
		_, err := b.Translate(ctx, batchOpts, segs(1, 1))
		gone <- err
	}()
	stays := make(chan error, 1)
	go func() {
		in := segs(2, 1)
		rs, err := b.Translate(context.Background(), batchOpts, in)
		checkResults(t, 2, in, rs, err)
		stays <- err
	}()
	waitQueued(t, b, 2)
	cancel()
	if err := <-gone; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled request: %v, want context.Canceled", err)
	}
	waitQueued(t, b, 1)
	close(f.gate)
	if err := <-first; err != nil {
		t.Error(err)
	}
	if err := <-stays; err != nil {
		t.Error(err)
	}
	if got := f.sizes(); !reflect.DeepEqual(got, []int{1, 1}) {
		t.Errorf("calls = %v, want [1 1]: the cancelled request never sent", got)
	}

	// A batch of two: it goes on while one of them is still waiting.
	ctxA, cancelA := context.WithCancel(context.Background())
	ctxB, cancelB := context.WithCancel(context.Background())
	bctx, stop := batchContext([]*pending{{ctx: ctxA}, {ctx: ctxB}})
	defer stop()
	cancelA()
	select {
	case <-bctx.Done():
		t.Fatal("the batch was cancelled when one of its two requests went away")
	case <-time.After(20 * time.Millisecond):
	}
	cancelB()
	select {
	case <-bctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the batch went on after every request went away")
	}
}

// TestBatcherLargeRequestsAlone: a request of a full batch or more is
// never packed.
func TestBatcherLargeRequestsAlone(t *testing.T) {
	f := &fakePipeline{}
	b := newBatcher(f.translate, func(context.Context, memory.TranslateOptions) int { return 4 }, 1, nil)
	in := segs(0, 9)
	rs, err := b.Translate(context.Background(), batchOpts, in)
	checkResults(t, 0, in, rs, err)
	if got := f.sizes(); !reflect.DeepEqual(got, []int{9}) {
		t.Errorf("calls = %v, want [9]", got)
	}
}
