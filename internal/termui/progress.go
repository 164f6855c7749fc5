// Package termui draws the progress of long work on a terminal: a bar
// with the count, the rate and the time left, redrawn in place; or, when
// the output is not a terminal (a log, a CI job), a plain line now and
// then. Results never go through it: it writes to stderr only.
package termui

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// Progress shows how long work advances. It is safe for concurrent use,
// and does nothing when quiet.
type Progress struct {
	mu       sync.Mutex
	w        io.Writer
	terminal bool
	quiet    bool
	every    time.Duration // between plain lines
	label    string
	done     int64
	total    int64
	start    time.Time // of the phase
	last     time.Time
	printed  bool
}

// PlainEvery is how often a plain progress line is written when the
// output is not a terminal.
const PlainEvery = 10 * time.Second

// New returns the progress of work called label, drawn on w: in place
// when w is a terminal, as a plain line every PlainEvery otherwise;
// nothing at all when quiet.
func New(w io.Writer, label string, quiet bool) *Progress {
	now := time.Now()
	p := &Progress{w: w, label: label, quiet: quiet, every: PlainEvery, start: now, last: now}
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			p.terminal = true
		}
	}
	return p
}

// Phase starts a phase of the work: its name and how many items it holds
// (0 when unknown).
func (p *Progress) Phase(name string, total int64) {
	p.mu.Lock()
	p.label, p.done, p.total, p.start = name, 0, total, time.Now()
	p.mu.Unlock()
	p.draw(true)
}

// SetLabel changes what is being worked on (a file name).
func (p *Progress) SetLabel(label string) {
	p.mu.Lock()
	p.label = label
	p.mu.Unlock()
	p.draw(true)
}

// SetTotal sets the expected count; 0 means unknown.
func (p *Progress) SetTotal(n int64) {
	p.mu.Lock()
	p.total = n
	p.mu.Unlock()
}

// Add counts n more items done.
func (p *Progress) Add(n int64) {
	p.mu.Lock()
	p.done += n
	p.mu.Unlock()
	p.draw(false)
}

func (p *Progress) draw(force bool) {
	if p.quiet {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	switch {
	case p.terminal && !force && now.Sub(p.last) < 100*time.Millisecond:
		return
	case !p.terminal && now.Sub(p.last) < p.every:
		return
	}
	p.last = now
	line := p.line(now)
	if p.terminal {
		fmt.Fprintf(p.w, "\r\033[K%s", line)
	} else {
		fmt.Fprintln(p.w, line)
	}
	p.printed = true
}

// line is the progress as text: count, share, rate, time left.
func (p *Progress) line(now time.Time) string {
	secs := now.Sub(p.start).Seconds()
	rate := 0.0
	if secs > 0 {
		rate = float64(p.done) / secs
	}
	var b strings.Builder
	b.WriteString(p.label)
	if p.total > 0 {
		frac := min(float64(p.done)/float64(p.total), 1)
		if p.terminal {
			const width = 20
			fill := int(frac * width)
			fmt.Fprintf(&b, "  [%s%s]", strings.Repeat("#", fill), strings.Repeat(".", width-fill))
		}
		fmt.Fprintf(&b, "  %d/%d (%.0f%%)  %.0f/s", p.done, p.total, 100*frac, rate)
		if rate > 0 && p.done < p.total {
			fmt.Fprintf(&b, "  ETA %s", ETA(float64(p.total-p.done)/rate))
		}
	} else {
		fmt.Fprintf(&b, "  %d  %.0f/s", p.done, rate)
	}
	return b.String()
}

// ETA formats a time left in seconds as people read it: 45s, 3m05s, 2h10m.
func ETA(secs float64) string {
	d := time.Duration(secs * float64(time.Second)).Round(time.Second)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
}

// Done clears the line drawn on a terminal.
func (p *Progress) Done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.terminal && p.printed {
		fmt.Fprint(p.w, "\r\033[K")
		p.printed = false
	}
}
