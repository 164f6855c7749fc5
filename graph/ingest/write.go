package ingest

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/kgmem/kgmem/graph"
)

// fileBatch is what the batch maker sends the writer: the start of a
// file, one of its batches, or its end.
type fileBatch struct {
	in    *input
	batch *graph.Batch // nil at the start and the end
	end   bool
}

// write writes the contribution of every file to be written: one goroutine
// makes each file's batches in turn, the calling one writes them, the next
// batches being made meanwhile (a few at most are held).
func (b *builder) write(ctx context.Context) error {
	b.opts.Progress.Phase("writing", int64(len(b.inputs)))
	var files []*input
	for i := range b.inputs {
		in := &b.inputs[i]
		if in.write {
			files = append(files, in)
			continue
		}
		b.sum.Unchanged++
		b.log.Info("already in the graph and unchanged", "file", in.path)
		b.opts.Progress.Add(1)
	}
	if len(files) == 0 {
		return nil
	}
	index, err := b.beginIndex(ctx, files)
	if err != nil {
		return err
	}
	n := parallelism(b.store)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch := make(chan fileBatch, n+1)
	var makeErr error
	var wg sync.WaitGroup
	wg.Go(func() {
		defer close(ch)
		makeErr = b.makeBatches(ctx, files, ch)
	})
	err = b.writeFiles(ctx, ch, index, n)
	cancel()
	for range ch { // let the maker end
	}
	wg.Wait()
	if err != nil {
		return err
	}
	return makeErr
}

// beginIndex tells the following index what the build is about to write,
// and returns it; nil when there is none or the store cannot report how it
// merges batches.
func (b *builder) beginIndex(ctx context.Context, files []*input) (Index, error) {
	if b.opts.Index == nil {
		return nil, nil
	}
	if _, ok := b.store.(MergeReporter); !ok {
		return nil, nil
	}
	names := make([]string, len(files))
	for i, in := range files {
		names[i] = in.name
	}
	if err := b.opts.Index.Begin(ctx, names, b.sum.Units); err != nil {
		return nil, err
	}
	return b.opts.Index, nil
}

// makeBatches sends, for each file, its start, the batches of every
// language pair, and its end.
func (b *builder) makeBatches(ctx context.Context, files []*input, ch chan<- fileBatch) error {
	send := func(fb fileBatch) error {
		select {
		case ch <- fb:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	for _, in := range files {
		if err := send(fileBatch{in: in}); err != nil {
			return err
		}
		for _, k := range b.pairs {
			err := b.extractors[k].Batches(ctx, in.name, b.opts.BatchSize, func(bt *graph.Batch) error {
				return send(fileBatch{in: in, batch: bt})
			})
			if err != nil {
				return err
			}
		}
		if err := send(fileBatch{in: in, end: true}); err != nil {
			return err
		}
	}
	return nil
}

// writeFiles writes what makeBatches sends: each file between its two
// marks, its batches n at a time.
func (b *builder) writeFiles(ctx context.Context, ch <-chan fileBatch, index Index, n int) error {
	var w *batchWriter
	var mark graph.SourceState
	defer func() {
		if w != nil {
			w.all.Wait() // no batch is written once Run has returned
		}
	}()
	for fb := range ch {
		if err := ctx.Err(); err != nil {
			return err
		}
		switch {
		case fb.batch != nil:
			if err := w.write(fb.batch); err != nil {
				return fmt.Errorf("write %s to the graph: %w", fb.in.path, err)
			}
		case !fb.end:
			var err error
			if mark, err = startFile(ctx, b.store, fb.in); err != nil {
				return err
			}
			w = newBatchWriter(ctx, b.store, n, index)
		default:
			if err := w.wait(); err != nil {
				return fmt.Errorf("write %s to the graph: %w", fb.in.path, err)
			}
			mark.Complete, mark.Units, mark.Updated = true, w.segments, time.Now().UTC()
			if err := b.store.SetSourceState(ctx, mark); err != nil {
				return err
			}
			if index != nil {
				if err := index.Done(ctx, mark); err != nil {
					return err
				}
			}
			b.sum.Written++
			b.opts.Progress.Add(1)
		}
	}
	return nil
}

// startFile marks a file incomplete and deletes its earlier contribution;
// it returns the mark.
func startFile(ctx context.Context, store graph.Store, in *input) (graph.SourceState, error) {
	mark := graph.SourceState{File: in.name, Hash: in.hash, Updated: time.Now().UTC()}
	if err := store.SetSourceState(ctx, mark); err != nil {
		return mark, err
	}
	if err := store.DeleteSource(ctx, in.name); err != nil {
		return mark, err
	}
	// DeleteSource forgets the file's state too: mark it again.
	return mark, store.SetSourceState(ctx, mark)
}

// parallelism is how many batches to write at once to store.
func parallelism(store graph.Store) int {
	if pw, ok := store.(graph.ParallelWriter); ok {
		return max(1, pw.WriteParallelism())
	}
	return 1
}

// batchWriter upserts one file's batches as they come, n at a time. The
// batches of a file are independent (no item is in two of them) except
// that facts refer to entities: a batch with facts starts only when every
// earlier batch with entities is written.
type batchWriter struct {
	ctx      context.Context
	store    graph.Store
	index    Index
	n        int
	sem      chan struct{}
	all      sync.WaitGroup
	ents     sync.WaitGroup // batches with entities in flight
	mu       sync.Mutex
	err      error
	segments int // segments written
}

func newBatchWriter(ctx context.Context, store graph.Store, n int, index Index) *batchWriter {
	return &batchWriter{ctx: ctx, store: store, index: index, n: max(n, 1), sem: make(chan struct{}, max(n, 1))}
}

// write upserts b, or starts to when several are in flight. It returns
// the first error of an earlier batch.
func (w *batchWriter) write(b *graph.Batch) error {
	if len(b.Facts) > 0 {
		w.ents.Wait()
	}
	if err := w.failed(); err != nil {
		return err
	}
	w.segments += len(b.Segments)
	if w.n == 1 {
		err := w.upsert(b)
		w.fail(err)
		return err
	}
	w.sem <- struct{}{}
	if err := w.failed(); err != nil {
		<-w.sem
		return err
	}
	ents := len(b.Entities) > 0
	w.all.Add(1)
	if ents {
		w.ents.Add(1)
	}
	go func() {
		defer func() {
			if ents {
				w.ents.Done()
			}
			<-w.sem
			w.all.Done()
		}()
		w.fail(w.upsert(b))
	}()
	return nil
}

// upsert writes one batch and hands it to the index as stored.
func (w *batchWriter) upsert(b *graph.Batch) error {
	if err := w.ctx.Err(); err != nil {
		return err
	}
	if w.index == nil {
		return w.store.Upsert(w.ctx, b)
	}
	var merged []graph.Segment
	err := w.store.(MergeReporter).UpsertMerged(w.ctx, b, func(sg graph.Segment) { merged = append(merged, sg) })
	if err != nil {
		return err
	}
	return w.index.Written(w.ctx, b, merged)
}

func (w *batchWriter) fail(err error) {
	if err == nil {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err == nil {
		w.err = err
	}
}

func (w *batchWriter) failed() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// wait waits for the batches in flight and returns the first error.
func (w *batchWriter) wait() error {
	w.all.Wait()
	return w.failed()
}

// writeBatches upserts batches n at a time, as a build writes a file's,
// and lets each go once it is handed on.
func writeBatches(ctx context.Context, store graph.Store, batches []*graph.Batch, n int) error {
	w := newBatchWriter(ctx, store, n, nil)
	for i, b := range batches {
		batches[i] = nil
		if err := w.write(b); err != nil {
			w.all.Wait()
			return err
		}
	}
	return w.wait()
}
