package corpora

import (
	"context"
	"io"
)

// ContextReader returns a reader of r that stops with ctx's error once ctx
// is done: before each read, and instead of the error of a read that ctx's
// cancellation interrupted. Every format reader reads its input through
// calls to Read, so wrapping the input stops any of them promptly, also in
// the middle of a unit or of an endless line (/dev/zero). A read that
// blocks in the system (a pipe nobody writes to) returns only when
// something interrupts it: formats.OpenContext sets a deadline on files
// that have them when ctx is cancelled.
func ContextReader(ctx context.Context, r io.Reader) io.Reader {
	if ctx.Done() == nil {
		return r // never cancelled
	}
	return &ctxReader{ctx: ctx, r: r}
}

type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := c.r.Read(p)
	if err != nil && err != io.EOF {
		if cerr := c.ctx.Err(); cerr != nil {
			return n, cerr
		}
	}
	return n, err
}
