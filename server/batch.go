package server

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/plugins/host"
	"github.com/kgmem/kgmem/translate"
)

// translateFunc translates segments with the options: Memory.Translate.
type translateFunc func(ctx context.Context, o memory.TranslateOptions, segs []translate.Segment) ([]translate.Result, error)

// batcher packs the segments of small translate requests that arrive
// together into one call of the pipeline, so that the model gets batches
// of the size it prefers instead of one call per request: a model such as
// Apertium runs one batch at a time through one pipeline, and a round trip
// costs about as much for one sentence as for dozens.
//
// It adds no waiting of its own. Requests with the same options form a
// lane; while fewer than parallel calls of the lane are in flight, a
// request is translated at once, alone. Otherwise it queues, and the
// queue leaves as one call as soon as a call of the lane ends or it holds
// a full batch. At low load every request goes alone; under load the
// requests that arrive during a call share the next one.
//
// A batch fails as a whole when the model is unavailable (it crashed,
// timed out or did not start: every request on it failed); for any other
// error each request of the batch is translated again alone, so that one
// request the pipeline cannot take fails only itself. A request whose
// client goes away leaves the queue; a call is cancelled only when every
// request in it is gone. It is safe for concurrent use.
type batcher struct {
	translate translateFunc
	// size returns how many segments the model of o wants per call.
	size func(ctx context.Context, o memory.TranslateOptions) int
	// parallel is how many calls of one lane run before requests queue.
	parallel int
	sizes    prometheus.Histogram

	mu    sync.Mutex
	lanes map[memory.TranslateOptions]*lane
}

// lane is the calls and the queue of one set of translate options.
type lane struct {
	inflight int
	queue    []*pending
	queued   int // segments in the queue
}

// pending is a request waiting in a lane's queue.
type pending struct {
	ctx  context.Context
	segs []translate.Segment
	done chan batchResult // buffered: the batch never waits for the request
	gone atomic.Bool      // the request stopped waiting
}

type batchResult struct {
	results []translate.Result
	err     error
}

// defaultBatchParallel is how many calls of a lane run at once before
// requests are packed: one in retrieval while another is in the model.
const defaultBatchParallel = 2

func newBatcher(tr translateFunc, size func(context.Context, memory.TranslateOptions) int, parallel int, reg prometheus.Registerer) *batcher {
	if parallel <= 0 {
		parallel = defaultBatchParallel
	}
	b := &batcher{translate: tr, size: size, parallel: parallel, lanes: map[memory.TranslateOptions]*lane{},
		sizes: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "kgmem_translate_batch_segments",
			Help:    "Segments per call of the translation pipeline, after packing concurrent requests.",
			Buckets: []float64{1, 2, 4, 8, 16, 32, 64, 128, 256, 1024},
		})}
	if reg != nil {
		reg.MustRegister(b.sizes)
	}
	return b
}

// Translate translates segs with the options, in a call of its own or
// packed with other requests'.
func (b *batcher) Translate(ctx context.Context, o memory.TranslateOptions, segs []translate.Segment) ([]translate.Result, error) {
	size := b.size(ctx, o)
	if len(segs) == 0 || len(segs) >= size {
		b.sizes.Observe(float64(len(segs)))
		return b.translate(ctx, o, segs)
	}
	b.mu.Lock()
	ln := b.lanes[o]
	if ln == nil {
		ln = &lane{}
		b.lanes[o] = ln
	}
	if ln.inflight < b.parallel && len(ln.queue) == 0 {
		ln.inflight++
		b.mu.Unlock()
		b.sizes.Observe(float64(len(segs)))
		rs, err := b.translate(ctx, o, segs)
		b.done(o, ln, size)
		return rs, err
	}
	p := &pending{ctx: ctx, segs: segs, done: make(chan batchResult, 1)}
	ln.queue = append(ln.queue, p)
	ln.queued += len(segs)
	if ln.queued >= size {
		b.dispatch(o, ln, size)
	}
	b.mu.Unlock()
	select {
	case r := <-p.done:
		return r.results, r.err
	case <-ctx.Done():
		p.gone.Store(true)
		b.mu.Lock()
		b.remove(ln, p)
		b.mu.Unlock()
		return nil, ctx.Err()
	}
}

// done ends a call of the lane and sends the queue on, if any.
func (b *batcher) done(o memory.TranslateOptions, ln *lane, size int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	ln.inflight--
	if len(ln.queue) > 0 {
		b.dispatch(o, ln, size)
	} else if ln.inflight == 0 && b.lanes[o] == ln {
		delete(b.lanes, o)
	}
}

// remove takes p out of the lane's queue if it is still there. b.mu is
// held.
func (b *batcher) remove(ln *lane, p *pending) {
	for i, q := range ln.queue {
		if q == p {
			ln.queue = append(ln.queue[:i], ln.queue[i+1:]...)
			ln.queued -= len(p.segs)
			return
		}
	}
}

// dispatch starts a call with the requests at the head of the queue, up
// to size segments (at least one request). b.mu is held.
func (b *batcher) dispatch(o memory.TranslateOptions, ln *lane, size int) {
	n, segs := 0, 0
	for n < len(ln.queue) && (n == 0 || segs+len(ln.queue[n].segs) <= size) {
		segs += len(ln.queue[n].segs)
		n++
	}
	batch := append([]*pending(nil), ln.queue[:n]...)
	ln.queue = append(ln.queue[:0], ln.queue[n:]...)
	ln.queued -= segs
	ln.inflight++
	go func() {
		b.run(o, batch, segs)
		b.done(o, ln, size)
	}()
}

// run translates a batch and hands each request its results.
func (b *batcher) run(o memory.TranslateOptions, batch []*pending, n int) {
	ctx, cancel := batchContext(batch)
	defer cancel()
	all := make([]translate.Segment, 0, n)
	for _, p := range batch {
		all = append(all, p.segs...)
	}
	b.sizes.Observe(float64(len(all)))
	rs, err := b.translate(ctx, o, all)
	if err == nil && len(rs) != len(all) {
		err = fmt.Errorf("translate: %d results for %d segments", len(rs), len(all))
	}
	switch {
	case err == nil:
		at := 0
		for _, p := range batch {
			p.done <- batchResult{results: rs[at : at+len(p.segs) : at+len(p.segs)]}
			at += len(p.segs)
		}
	case len(batch) > 1 && !unavailable(err):
		// One request may be what the pipeline cannot take: each again,
		// alone, so that only it fails.
		var wg sync.WaitGroup
		for _, p := range batch {
			if p.gone.Load() {
				p.done <- batchResult{err: context.Canceled}
				continue
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				rs, err := b.translate(p.ctx, o, p.segs)
				p.done <- batchResult{results: rs, err: err}
			}()
		}
		wg.Wait()
	default:
		for _, p := range batch {
			p.done <- batchResult{err: err}
		}
	}
}

// batchContext returns the context of a call for requests: it ends when
// every request's context has ended, not when the first one does.
func batchContext(batch []*pending) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.WithoutCancel(batch[0].ctx))
	left := atomic.Int32{}
	left.Store(int32(len(batch)))
	stops := make([]func() bool, len(batch))
	for i, p := range batch {
		stops[i] = context.AfterFunc(p.ctx, func() {
			if left.Add(-1) == 0 {
				cancel()
			}
		})
	}
	return ctx, func() {
		for _, stop := range stops {
			stop()
		}
		cancel()
	}
}

// unavailable reports whether err means the model could not answer at
// all, so that translating the requests again one by one would only ask
// it again.
func unavailable(err error) bool {
	return errors.Is(err, host.ErrCrashed) || errors.Is(err, host.ErrTimeout) || errors.Is(err, host.ErrStart) ||
		errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// batchSize is the number of segments the model of o wants per call: its
// preferred batch size, or the host's default.
func (s *Server) batchSize(ctx context.Context, o memory.TranslateOptions) int {
	m, err := s.mem.Models().Model(ctx, o.Model)
	if err != nil {
		return 1 // a call of its own, which reports the error
	}
	if n := m.Description().Capabilities.PreferredBatchSize; n > 0 {
		return n
	}
	return host.DefaultBatchSize
}
