package textout

import "io"

// errWriter passes writes on to w until one fails, and keeps that error:
// a renderer writes its lines and returns the first error.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}
