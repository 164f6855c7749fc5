package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// progress draws a one-line status on stderr while long work runs. It stays
// silent when stderr is not a terminal or under --quiet, so logs and pipes
// get no control characters. Safe for concurrent use.
type progress struct {
	mu      sync.Mutex
	w       io.Writer
	on      bool
	label   string
	done    int64
	total   int64
	start   time.Time
	last    time.Time
	printed bool
}

func newProgress(g *globals, label string) *progress {
	p := &progress{w: g.err, label: label, start: time.Now()}
	if f, ok := g.err.(*os.File); ok && !g.quiet {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			p.on = true
		}
	}
	return p
}

// SetLabel changes what is being worked on (a file name, a phase).
func (p *progress) SetLabel(label string) {
	p.mu.Lock()
	p.label = label
	p.mu.Unlock()
	p.draw(true)
}

// SetTotal sets the expected count; 0 means unknown.
func (p *progress) SetTotal(n int64) {
	p.mu.Lock()
	p.total = n
	p.mu.Unlock()
}

// Add counts n more items done.
func (p *progress) Add(n int64) {
	p.mu.Lock()
	p.done += n
	p.mu.Unlock()
	p.draw(false)
}

func (p *progress) draw(force bool) {
	if !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if !force && now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last = now
	rate := float64(p.done) / now.Sub(p.start).Seconds()
	if p.total > 0 {
		fmt.Fprintf(p.w, "\r\033[K%s  %d/%d (%.0f%%)  %.0f/s", p.label, p.done, p.total, 100*float64(p.done)/float64(p.total), rate)
	} else {
		fmt.Fprintf(p.w, "\r\033[K%s  %d  %.0f/s", p.label, p.done, rate)
	}
	p.printed = true
}

// Done clears the status line.
func (p *progress) Done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.on && p.printed {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

// progressPhases adapts the terminal progress line to memory.Progress:
// each phase restarts the count.
type progressPhases struct{ p *progress }

func (pp progressPhases) Phase(name string, total int64) {
	pp.p.mu.Lock()
	pp.p.done, pp.p.total = 0, total
	pp.p.mu.Unlock()
	pp.p.SetLabel(name)
}
func (pp progressPhases) Add(n int64) { pp.p.Add(n) }
