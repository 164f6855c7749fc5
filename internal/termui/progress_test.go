package termui

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestETA(t *testing.T) {
	tests := []struct {
		secs float64
		want string
	}{{0, "0s"}, {44.6, "45s"}, {185, "3m05s"}, {7800, "2h10m"}}
	for _, tt := range tests {
		if got := ETA(tt.secs); got != tt.want {
			t.Errorf("ETA(%v) = %q, want %q", tt.secs, got, tt.want)
		}
	}
}

// TestPlainLines checks the output that is not a terminal: a plain line
// with the count, rate and time left, at most every interval.
func TestPlainLines(t *testing.T) {
	var b bytes.Buffer
	p := New(&b, "reading", false)
	p.every = 0
	p.Phase("indexing", 100)
	p.start = time.Now().Add(-10 * time.Second)
	p.Add(25)
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	last := lines[len(lines)-1]
	for _, want := range []string{"indexing", "25/100 (25%)", "/s", "ETA 30s"} {
		if !strings.Contains(last, want) {
			t.Errorf("progress line %q lacks %q", last, want)
		}
	}
	if strings.Contains(b.String(), "\r") {
		t.Errorf("plain output holds carriage returns: %q", b.String())
	}
	b.Reset()
	q := New(&b, "x", false) // the default interval: nothing yet
	q.Add(1)
	if b.Len() != 0 {
		t.Errorf("a plain line before the interval: %q", b.String())
	}
	b.Reset()
	quiet := New(&b, "x", true)
	quiet.every = 0
	quiet.Add(1)
	if b.Len() != 0 {
		t.Errorf("quiet progress wrote %q", b.String())
	}
}
