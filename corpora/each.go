package corpora

import (
	"context"
	"errors"
	"io"
)

// checkEvery is how many items Each and EachTerm read between looks at the
// context, so that cancelling stops a long read promptly without a check
// per unit.
const checkEvery = 1024

// Each calls fn for every unit r yields, until r returns io.EOF (Each then
// returns nil), r or fn returns an error, or ctx is cancelled.
func Each(ctx context.Context, r Reader, fn func(*Unit) error) error {
	for i := 0; ; i++ {
		if i%checkEvery == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		u, err := r.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(u); err != nil {
			return err
		}
	}
}

// EachTerm is Each for the entries of a term base.
func EachTerm(ctx context.Context, r TermReader, fn func(*TermEntry) error) error {
	for i := 0; ; i++ {
		if i%checkEvery == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		e, err := r.NextTerm()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(e); err != nil {
			return err
		}
	}
}
