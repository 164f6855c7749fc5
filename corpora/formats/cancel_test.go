//go:build unix

package formats

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/kgmem/kgmem/corpora"
)

// generous is how long a cancelled read may take to return before the
// test calls it stuck. It is not a measure of speed: a read that honours
// its context returns within milliseconds, one that does not never does.
const generous = 10 * time.Second

// readCancelled opens path with OpenContext, reads every unit, and cancels
// the context 200 ms in; it returns what the open or the read returned, or
// fails the test when neither returns.
func readCancelled(t *testing.T, path string, opts Options) error {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	time.AfterFunc(200*time.Millisecond, cancel)
	done := make(chan error, 1)
	go func() {
		f, err := OpenContext(ctx, path, opts)
		if err != nil {
			done <- err
			return
		}
		defer f.Close()
		done <- corpora.Each(ctx, f, func(*corpora.Unit) error { return nil })
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(generous):
		t.Fatalf("reading %s did not return %v after it was cancelled", path, generous)
		return nil
	}
}

func mkfifo(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "units.tsv")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	return path
}

// TestCancelFIFONoWriter: opening a FIFO nobody writes to waits for a
// writer; cancelling must end the wait.
func TestCancelFIFONoWriter(t *testing.T) {
	path := mkfifo(t)
	err := readCancelled(t, path, Options{Format: TSV})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("open of a FIFO without writer = %v, want context.Canceled", err)
	}
}

// TestCancelFIFOIdleWriter: a writer that sends half a line and then
// nothing more leaves the reader waiting in read; cancelling must end it.
func TestCancelFIFOIdleWriter(t *testing.T) {
	path := mkfifo(t)
	w := make(chan *os.File, 1)
	go func() {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			w <- nil
			return
		}
		f.WriteString("Open the file\tAbrir el arch")
		w <- f
	}()
	err := readCancelled(t, path, Options{Format: TSV})
	if f := <-w; f != nil {
		f.Close()
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("read of an idle FIFO = %v, want context.Canceled", err)
	}
}

// TestCancelEndless reads /dev/zero, an endless line of NUL bytes, in
// every format, leniently: the read must return. The XML formats and CSV
// refuse the first NUL byte; the others read on until cancelled and must
// return context.Canceled.
func TestCancelEndless(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	for _, tt := range []struct {
		format   Format
		canceled bool
	}{{TSV, true}, {Glossary, true}, {Text, true}, {PO, true}, {MO, true}, {CSV, false}, {TMX, false}, {TBX, false}, {XLIFF, false}} {
		t.Run(string(tt.format), func(t *testing.T) {
			err := readCancelled(t, "/dev/zero", Options{Format: tt.format, ReadOptions: corpora.ReadOptions{Lenient: true}})
			var pe *corpora.ParseError
			switch {
			case tt.canceled && !errors.Is(err, context.Canceled):
				t.Errorf("reading /dev/zero as %s = %v, want context.Canceled", tt.format, err)
			case !tt.canceled && !errors.As(err, &pe):
				t.Errorf("reading /dev/zero as %s = %v, want a ParseError", tt.format, err)
			}
		})
	}
}
