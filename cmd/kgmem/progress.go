package main

import "github.com/kgmem/kgmem/internal/termui"

// newProgress returns the progress of long work, on stderr: a bar with
// rate and time left on a terminal, a plain line now and then otherwise,
// nothing under --quiet.
func newProgress(g *globals, label string) *termui.Progress {
	return termui.New(g.err, label, g.quiet)
}

// withProgress runs work with the progress labelled label, and ends the
// progress line before it returns work's result.
func withProgress[T any](g *globals, label string, work func(*termui.Progress) (T, error)) (T, error) {
	p := newProgress(g, label)
	defer p.Done()
	return work(p)
}
