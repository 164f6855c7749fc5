package extract

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/kgmem/kgmem/internal/testenv"
)

// countdownCtx is a context that is cancelled after its Err has been
// asked n times: a deterministic cancellation in the middle of long work.
type countdownCtx struct {
	context.Context
	left atomic.Int64
}

func (c *countdownCtx) Err() error {
	if c.left.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

// TestTrainCancelled: Train stops with context.Canceled when its context
// is cancelled, before it starts and in the middle of the alignment's
// iterations, and the extractor is then not usable.
func TestTrainCancelled(t *testing.T) {
	units := readPairs(t, testenv.SharedData(t, "tatoeba", "en-es.tsv"), false)[:20000]
	newX := func() *Extractor {
		x := New("en", "es", Options{})
		for _, u := range units {
			x.Add("t.tsv", u)
		}
		return x
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	x := newX()
	defer x.Close()
	if err := x.Train(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Train with a cancelled context = %v, want context.Canceled", err)
	}
	// 20,000 sentences are looked at every 1,024, 5 iterations, in two
	// directions: 200 looks at the context for the alignment alone. Cancel
	// at the tenth.
	y := newX()
	defer y.Close()
	cd := &countdownCtx{Context: context.Background()}
	cd.left.Store(10)
	if err := y.Train(cd); !errors.Is(err, context.Canceled) {
		t.Errorf("Train cancelled during the alignment = %v, want context.Canceled", err)
	}
	if n := -cd.left.Load(); n > 4 {
		t.Errorf("Train looked at its cancelled context %d more times: it did not stop promptly", n)
	}
	if y.trained {
		t.Error("an extractor whose training was cancelled is marked trained")
	}
	err := y.Batches(context.Background(), "t.tsv", 0, nil)
	if err == nil {
		t.Error("Batches after a cancelled Train: no error")
	}
}
