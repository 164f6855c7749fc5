package server

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/kgmem/kgmem/memory"
)

// DefaultFollowInterval is how often a server on a shared graph looks for
// what other servers wrote to it.
const DefaultFollowInterval = 250 * time.Millisecond

// followTimeout bounds one refresh.
const followTimeout = 5 * time.Minute

// follower keeps the server's search index in step with a graph that other
// kgmem servers write too (a Dgraph cluster): every interval it refreshes
// the index with what they wrote (memory.Follower), so that a pair learned
// through one server is found by the others' searches a moment later. On
// a graph of its own (embedded) the server is the only writer and does not
// follow.
type follower struct {
	f     *memory.Follower // nil: not following
	every time.Duration
	log   *slog.Logger

	refreshes *prometheus.HistogramVec
	indexed   prometheus.Counter
}

func newFollower(mem *memory.Memory, every time.Duration, log *slog.Logger, reg prometheus.Registerer) *follower {
	if every < 0 || !mem.Shared() {
		return &follower{}
	}
	if every == 0 {
		every = DefaultFollowInterval
	}
	f := &follower{f: memory.NewFollower(mem), every: every, log: log,
		refreshes: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "kgmem_follow_refresh_seconds",
			Help:    "Time to look for what other servers wrote to the shared graph and index it, by outcome (same, indexed, error).",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"outcome"}),
		indexed: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "kgmem_follow_segments_total", Help: "Segments other servers wrote to the shared graph that this one indexed.",
		}),
	}
	if reg != nil {
		reg.MustRegister(f.refreshes, f.indexed)
	}
	return f
}

// start refreshes at once and then every interval until ctx ends or the
// returned stop is called; stop returns when no refresh runs any more.
func (f *follower) start(ctx context.Context) (stop func()) {
	if f.f == nil {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(f.every)
		defer t.Stop()
		failing := false
		for {
			failing = f.refresh(ctx, failing)
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return func() {
		cancel()
		<-done
	}
}

// refresh runs one refresh; failing says whether the last one failed, so
// that a graph that stays unreachable is logged when it fails and when it
// recovers, not at every tick. It returns whether this one failed.
func (f *follower) refresh(ctx context.Context, failing bool) bool {
	start := time.Now()
	rctx, cancel := context.WithTimeout(ctx, followTimeout)
	defer cancel()
	sum, err := f.f.Refresh(rctx)
	outcome := "same"
	switch {
	case err != nil && ctx.Err() != nil:
		return failing
	case err != nil:
		outcome = "error"
		if !failing {
			f.log.Warn("cannot bring the search index up to date with the shared graph; searches miss what other servers wrote until it can",
				"err", err)
		}
	case !sum.UpToDate():
		outcome = "indexed"
		f.indexed.Add(float64(sum.Indexed))
	}
	f.refreshes.WithLabelValues(outcome).Observe(time.Since(start).Seconds())
	if err == nil && failing {
		f.log.Info("the search index follows the shared graph again")
	}
	return err != nil
}
