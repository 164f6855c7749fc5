package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"
)

// Job statuses.
const (
	JobQueued    = "queued"
	JobRunning   = "running"
	JobDone      = "done"
	JobFailed    = "failed"
	JobCancelled = "cancelled"
)

// Job is long work the server does on its own time: translating a
// document, importing files into the memory, an evaluation. Clients poll
// it; its progress is a phase with a count of items done out of a total
// (0 when unknown).
type Job struct {
	ID       string    `json:"id"`
	Kind     string    `json:"kind"`
	Status   string    `json:"status"`
	Owner    string    `json:"owner,omitempty"`
	Phase    string    `json:"phase,omitempty"`
	Done     int64     `json:"done"`
	Total    int64     `json:"total"`
	Created  time.Time `json:"created"`
	Started  time.Time `json:"started,omitzero"`
	Finished time.Time `json:"finished,omitzero"`
	Error    *Error    `json:"error,omitempty"`
	// Summary is what the job did, once done.
	Summary any `json:"summary,omitempty"`
	// Result is the path of the job's result file (a translated
	// document), once done; "" when it has none.
	Result string `json:"result,omitempty"`
}

// jobWork does a job's work and returns its summary and result file.
type jobWork func(ctx context.Context, j *jobState) (summary any, file string, err error)

// jobState is a job and what the server keeps to run it.
type jobState struct {
	mu     sync.Mutex
	job    Job
	dir    string
	file   string // the result file
	name   string // the result's file name, for downloads
	cancel context.CancelFunc
}

func (j *jobState) snapshot() Job {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.job
}

// Phase and Add make a job a memory.Progress.
func (j *jobState) Phase(name string, total int64) {
	j.mu.Lock()
	j.job.Phase, j.job.Done, j.job.Total = name, 0, total
	j.mu.Unlock()
}

func (j *jobState) Add(n int64) {
	j.mu.Lock()
	j.job.Done += n
	j.mu.Unlock()
}

// jobs runs and keeps the jobs; a finished job is kept for jobTTL.
type jobs struct {
	dir     string
	log     *slog.Logger
	metrics *metrics
	slots   chan struct{} // bounds the jobs running at once

	mu   sync.Mutex
	byID map[string]*jobState
	wg   sync.WaitGroup
	// ctx ends every job when the server stops waiting for them.
	ctx    context.Context
	cancel context.CancelFunc
}

const (
	jobTTL        = 24 * time.Hour
	jobsAtOnce    = 2
	maxJobsKept   = 1000
	jobsDirectory = "jobs"
)

func newJobs(dir string, log *slog.Logger, m *metrics) (*jobs, error) {
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "kgmem-jobs-"); err != nil {
			return nil, err
		}
	}
	dir = filepath.Join(dir, jobsDirectory)
	// Jobs do not outlive the server: what a previous run left is removed.
	if err := os.RemoveAll(dir); err != nil {
		return nil, fmt.Errorf("clear the job directory: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("make the job directory: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &jobs{dir: dir, log: log, metrics: m, slots: make(chan struct{}, jobsAtOnce),
		byID: map[string]*jobState{}, ctx: ctx, cancel: cancel}, nil
}

// start queues a job of kind for owner and runs it when a slot is free.
// prepare, when not nil, is called with the job's directory before the
// job is queued (to store an upload).
func (js *jobs) start(kind, owner string, prepare func(dir string) error, work jobWork) (Job, error) {
	id := newJobID()
	dir := filepath.Join(js.dir, id)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return Job{}, err
	}
	if prepare != nil {
		if err := prepare(dir); err != nil {
			os.RemoveAll(dir)
			return Job{}, err
		}
	}
	ctx, cancel := context.WithCancel(js.ctx)
	j := &jobState{job: Job{ID: id, Kind: kind, Status: JobQueued, Owner: owner, Created: time.Now().UTC()}, dir: dir, cancel: cancel}
	js.mu.Lock()
	js.expire()
	js.byID[id] = j
	js.mu.Unlock()
	js.metrics.jobs.WithLabelValues(kind, JobQueued).Inc()
	js.wg.Add(1)
	go js.run(ctx, j, work)
	return j.snapshot(), nil
}

func (js *jobs) run(ctx context.Context, j *jobState, work jobWork) {
	defer js.wg.Done()
	defer j.cancel()
	select {
	case js.slots <- struct{}{}:
		defer func() { <-js.slots }()
	case <-ctx.Done():
		js.finish(j, nil, "", ctx.Err())
		return
	}
	j.mu.Lock()
	j.job.Status, j.job.Started = JobRunning, time.Now().UTC()
	j.mu.Unlock()
	js.metrics.jobs.WithLabelValues(j.job.Kind, JobQueued).Dec()
	js.metrics.jobs.WithLabelValues(j.job.Kind, JobRunning).Inc()
	summary, file, err := work(ctx, j)
	js.metrics.jobs.WithLabelValues(j.job.Kind, JobRunning).Dec()
	js.finish(j, summary, file, err)
}

func (js *jobs) finish(j *jobState, summary any, file string, err error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.job.Finished = time.Now().UTC()
	j.job.Summary = summary
	switch {
	case errors.Is(err, context.Canceled):
		j.job.Status = JobCancelled
		j.job.Error = apiError(499, CodeClientClosed, "the job was cancelled")
	case err != nil:
		j.job.Status = JobFailed
		j.job.Error = classify(err)
		js.log.Warn("job failed", "job", j.job.ID, "kind", j.job.Kind, "err", err)
	default:
		j.job.Status = JobDone
		if file != "" {
			j.file = file
			j.job.Result = APIVersion + "/jobs/" + j.job.ID + "/result"
		}
	}
	js.metrics.jobs.WithLabelValues(j.job.Kind, j.job.Status).Inc()
}

// expire forgets finished jobs older than jobTTL, and the oldest finished
// ones beyond maxJobsKept. js.mu is held.
func (js *jobs) expire() {
	var finished []*jobState
	for id, j := range js.byID {
		s := j.snapshot()
		if s.Finished.IsZero() {
			continue
		}
		if time.Since(s.Finished) > jobTTL {
			delete(js.byID, id)
			os.RemoveAll(j.dir)
			continue
		}
		finished = append(finished, j)
	}
	if len(finished) <= maxJobsKept {
		return
	}
	sort.Slice(finished, func(a, b int) bool { return finished[a].job.Finished.Before(finished[b].job.Finished) })
	for _, j := range finished[:len(finished)-maxJobsKept] {
		delete(js.byID, j.job.ID)
		os.RemoveAll(j.dir)
	}
}

// get returns a job the caller may see: its own, or any for an admin.
func (js *jobs) get(id string, c caller) (*jobState, error) {
	js.mu.Lock()
	j := js.byID[id]
	js.mu.Unlock()
	if j == nil || (c.role < RoleAdmin && j.job.Owner != c.name) {
		return nil, apiError(http.StatusNotFound, CodeNotFound, fmt.Sprintf("no job %q (jobs are kept for a day after they end)", id))
	}
	return j, nil
}

// list returns the jobs the caller may see, newest first.
func (js *jobs) list(c caller) []Job {
	js.mu.Lock()
	defer js.mu.Unlock()
	out := []Job{}
	for _, j := range js.byID {
		s := j.snapshot()
		if c.role >= RoleAdmin || s.Owner == c.name {
			out = append(out, s)
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Created.After(out[b].Created) })
	return out
}

// drain waits for the running jobs until ctx ends, then cancels them.
func (js *jobs) drain(ctx context.Context) error {
	done := make(chan struct{})
	go func() { js.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		js.cancel()
		<-done
		return fmt.Errorf("jobs cancelled at shutdown: %w", ctx.Err())
	}
}

func newJobID() string {
	b := make([]byte, 9)
	rand.Read(b)
	return hex.EncodeToString(b)
}
