// Package ingest builds the knowledge graph from files: it reads every
// unit and term entry, extracts entities and their translations, and writes
// them to a graph.Store file by file.
//
// Building is idempotent and crash-safe. Each file's contribution is
// written between two marks in the store: "incomplete" (after which the
// file's earlier contribution is deleted) and "complete" with the file's
// content hash. A run skips files already complete with the same content,
// and rewrites any file a killed run left incomplete. Extraction is
// deterministic, so the graph after a killed run and a re-run equals the
// graph of one uninterrupted run. Every file given is read on every run,
// because the alignment model and the termhood of candidates are learned
// from all of them. With Options.ModelDir the alignment model is kept
// between runs (model.go), so a run given only new files still aligns them
// with what the earlier files taught.
package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/formats"
	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/graph/extract"
)

// ErrNoLanguages: a file does not declare its languages and none were
// given; the user should pass them (--from and --to).
var ErrNoLanguages = errors.New("no source or target language")

// Progress is told how the build advances. The zero Options uses a no-op.
type Progress interface {
	// Phase starts a phase of work with total items (0 if unknown).
	Phase(name string, total int64)
	// Add counts n items of the current phase as done.
	Add(n int64)
}

type noProgress struct{}

func (noProgress) Phase(string, int64) {}
func (noProgress) Add(int64)           {}

// Options configure a build.
type Options struct {
	// Paths are the corpus files and directories (walked recursively).
	// Term bases among them are read as term bases.
	Paths []string
	// Terms are term-base files (TBX, or tab/CSV glossaries).
	Terms []string
	// SourceLang and TargetLang select the language pair; Und takes the
	// pairs the files hold.
	SourceLang, TargetLang language.Tag
	// Format overrides format detection for Paths.
	Format formats.Format
	// Lenient skips bad units instead of failing.
	Lenient bool
	// OnSkip is told about every skipped unit.
	OnSkip func(corpora.Skip) `json:"-"`
	// Extract tunes extraction.
	Extract extract.Options
	// BatchSize is the most items written per store transaction.
	BatchSize int
	// Progress is told about progress; nil for none.
	Progress Progress `json:"-"`
	// Log receives notes such as files skipped as unchanged; may be nil.
	Log func(format string, args ...any) `json:"-"`
	// ModelDir is where the word-alignment model of each language pair is
	// kept between builds (ModelDir returns the usual place for a graph),
	// so that a build given only new files aligns them with what the
	// earlier files taught; "": not kept, each build learns the alignment
	// from its own files alone.
	ModelDir string
}

// Summary is what a build did.
type Summary struct {
	Files     int     `json:"files"`
	Written   int     `json:"written"`   // files whose contribution was (re)written
	Unchanged int     `json:"unchanged"` // files already complete with the same content
	Units     int     `json:"units"`
	Skipped   int     `json:"skipped"`
	Terms     int     `json:"terms"` // term-base entries read
	Segments  int     `json:"segments"`
	Entities  int     `json:"entities"`
	Facts     int     `json:"facts"`
	Seconds   float64 `json:"seconds"`
}

// input is one file of the build.
type input struct {
	path  string // as given, for messages
	name  string // absolute path: the source name in the graph
	hash  string
	terms bool // read as a term base
}

type pairKey struct{ src, tgt string }

// Run builds the graph in store from the files.
func Run(ctx context.Context, store graph.Store, opts Options) (Summary, error) {
	start := time.Now()
	if opts.Progress == nil {
		opts.Progress = noProgress{}
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 20000
	}
	logf := opts.Log
	if logf == nil {
		logf = func(string, ...any) {}
	}
	var sum Summary
	inputs, err := collect(opts)
	if err != nil {
		return sum, err
	}
	sum.Files = len(inputs)
	states, err := store.SourceStates(ctx)
	if err != nil {
		return sum, err
	}
	done := map[string]graph.SourceState{}
	for _, s := range states {
		done[s.File] = s
	}

	// Read everything: units into one extractor per language pair, term
	// entries aside until the pairs are known.
	extractors := map[pairKey]*extract.Extractor{}
	defer func() {
		for _, x := range extractors {
			x.Close()
		}
	}()
	var pairs []pairKey
	type termRec struct {
		file string
		e    *corpora.TermEntry
	}
	var terms []termRec
	skip := func(s corpora.Skip) {
		sum.Skipped++
		if opts.OnSkip != nil {
			opts.OnSkip(s)
		}
	}
	opts.Progress.Phase("reading", 0)
	add := newAdder()
	defer add.wait()
	for _, in := range inputs {
		f, err := formats.Open(in.path, formats.Options{
			Format: formatFor(in, opts.Format),
			ReadOptions: corpora.ReadOptions{
				SourceLang: opts.SourceLang, TargetLang: opts.TargetLang,
				Lenient: opts.Lenient, OnSkip: skip,
			},
		})
		if err != nil {
			return sum, err
		}
		if in.terms || f.IsTermBase() {
			in.terms = true
			err = corpora.EachTerm(ctx, f, func(e *corpora.TermEntry) error {
				terms = append(terms, termRec{in.name, e})
				sum.Terms++
				opts.Progress.Add(1)
				return nil
			})
		} else {
			err = corpora.Each(ctx, f, func(u *corpora.Unit) error {
				k := pairKey{u.SourceLang.String(), u.TargetLang.String()}
				if opts.SourceLang != language.Und {
					k.src = opts.SourceLang.String()
				}
				if opts.TargetLang != language.Und {
					k.tgt = opts.TargetLang.String()
				}
				if k.src == "und" || k.tgt == "und" {
					return fmt.Errorf("%s does not say which languages it holds: %w", in.path, ErrNoLanguages)
				}
				x := extractors[k]
				if x == nil {
					x = extract.New(k.src, k.tgt, opts.Extract)
					extractors[k] = x
					pairs = append(pairs, k)
				}
				add.add(x, in.name, u)
				sum.Units++
				opts.Progress.Add(1)
				return nil
			})
		}
		f.Close()
		if err != nil {
			return sum, err
		}
	}
	add.wait()
	if len(extractors) == 0 && len(terms) > 0 {
		// A build from term bases alone: one extractor for the pair asked
		// for, or the term base's first two languages.
		k := pairKey{opts.SourceLang.String(), opts.TargetLang.String()}
		if opts.SourceLang == language.Und {
			k.src, k.tgt = termLangs(terms[0].e)
		}
		extractors[k] = extract.New(k.src, k.tgt, opts.Extract)
		pairs = append(pairs, k)
	}
	for _, k := range pairs {
		for _, t := range terms {
			extractors[k].AddTermEntry(t.file, t.e)
		}
	}
	models, err := continueModels(opts, pairs, extractors, inputs, done, logf)
	if err != nil {
		return sum, err
	}
	opts.Progress.Phase("learning", int64(len(pairs)))
	for _, k := range pairs {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		if err := extractors[k].Train(ctx); err != nil {
			return sum, err
		}
		opts.Progress.Add(1)
	}

	// Write file by file. The batches of the next file are extracted
	// while the store writes the current one: extraction only reads the
	// trained extractors, and the store's work is mostly its own.
	opts.Progress.Phase("writing", int64(len(inputs)))
	type prepared struct {
		in      input
		batches []*graph.Batch
	}
	ready := make(chan prepared, 1)
	prepCtx, stopPrep := context.WithCancel(ctx)
	defer func() {
		stopPrep()
		for range ready { // wait for the extraction goroutine to end
		}
	}()
	go func() {
		defer close(ready)
		for _, in := range inputs {
			var batches []*graph.Batch
			if st, ok := done[in.name]; !ok || !st.Complete || st.Hash != in.hash {
				for _, k := range pairs {
					err := extractors[k].Batches(prepCtx, in.name, opts.BatchSize, func(b *graph.Batch) error {
						batches = append(batches, b)
						return nil
					})
					if err != nil {
						return
					}
				}
			}
			select {
			case ready <- prepared{in, batches}:
			case <-prepCtx.Done():
				return
			}
		}
	}()
	for p := range ready {
		in := p.in
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		if st, ok := done[in.name]; ok && st.Complete && st.Hash == in.hash {
			sum.Unchanged++
			logf("%s is already in the graph and has not changed", in.path)
			opts.Progress.Add(1)
			continue
		}
		if err := writeFile(ctx, store, in, p.batches); err != nil {
			return sum, err
		}
		sum.Written++
		opts.Progress.Add(1)
	}
	if err := ctx.Err(); err != nil {
		return sum, err
	}
	// Every file is complete in the store: now the models may count them.
	if models != nil {
		opts.Progress.Phase("saving alignment models", int64(len(models)))
		if err := saveModels(pairs, extractors, models, logf); err != nil {
			return sum, err
		}
	}
	st, err := store.Stats(ctx)
	if err != nil {
		return sum, err
	}
	sum.Segments, sum.Entities, sum.Facts = st.Segments, st.Entities, st.Facts
	sum.Seconds = time.Since(start).Seconds()
	return sum, nil
}

// adder adds units to their extractors in a pipeline: the reading
// goroutine collects units in chunks, one goroutine analyses them
// (tokenising is the costly part of adding) and another adds them in
// order. Run's goroutine must not touch an extractor between the first
// add and wait, except to create one.
type adder struct {
	chunk    []addItem
	analyse  chan []addItem
	analysed chan []addItem
	done     chan struct{}
	waited   bool
}

type addItem struct {
	x    *extract.Extractor
	file string
	u    *corpora.Unit
	a    *extract.Analysed
}

// addChunk is how many units travel together; a few chunks are in flight.
const addChunk = 512

func newAdder() *adder {
	ad := &adder{analyse: make(chan []addItem, 4), analysed: make(chan []addItem, 4), done: make(chan struct{})}
	go func() {
		defer close(ad.analysed)
		for items := range ad.analyse {
			for i := range items {
				items[i].a = items[i].x.Analyse(items[i].u)
			}
			ad.analysed <- items
		}
	}()
	go func() {
		defer close(ad.done)
		for items := range ad.analysed {
			for _, it := range items {
				it.x.AddAnalysed(it.file, it.a)
			}
		}
	}()
	return ad
}

// add queues a unit for x.
func (ad *adder) add(x *extract.Extractor, file string, u *corpora.Unit) {
	ad.chunk = append(ad.chunk, addItem{x: x, file: file, u: u})
	if len(ad.chunk) == addChunk {
		ad.analyse <- ad.chunk
		ad.chunk = make([]addItem, 0, addChunk)
	}
}

// wait adds what is queued and returns when every unit is added. Later
// calls do nothing.
func (ad *adder) wait() {
	if ad.waited {
		return
	}
	ad.waited = true
	if len(ad.chunk) > 0 {
		ad.analyse <- ad.chunk
	}
	close(ad.analyse)
	<-ad.done
}

// writeFile replaces one file's contribution in the store with batches.
func writeFile(ctx context.Context, store graph.Store, in input, batches []*graph.Batch) error {
	mark := graph.SourceState{File: in.name, Hash: in.hash, Updated: time.Now().UTC()}
	if err := store.SetSourceState(ctx, mark); err != nil {
		return err
	}
	if err := store.DeleteSource(ctx, in.name); err != nil {
		return err
	}
	// DeleteSource forgets the file's state too: mark it again.
	if err := store.SetSourceState(ctx, mark); err != nil {
		return err
	}
	units := 0
	for _, b := range batches {
		units += len(b.Segments)
	}
	if err := writeBatches(ctx, store, batches, parallelism(store)); err != nil {
		return fmt.Errorf("write %s to the graph: %w", in.path, err)
	}
	mark.Complete = true
	mark.Units = units
	mark.Updated = time.Now().UTC()
	return store.SetSourceState(ctx, mark)
}

// parallelism is how many batches to write at once to store.
func parallelism(store graph.Store) int {
	if pw, ok := store.(graph.ParallelWriter); ok {
		return max(1, pw.WriteParallelism())
	}
	return 1
}

// writeBatches upserts one file's batches, n at a time once it may: the
// batches that declare entities are written first, one by one, because
// the facts of later batches refer to them; the rest (segments and facts,
// no item in two batches) are independent. A written batch is let go.
func writeBatches(ctx context.Context, store graph.Store, batches []*graph.Batch, n int) error {
	serial := 0
	for i, b := range batches {
		if len(b.Entities) > 0 {
			serial = i + 1
		}
	}
	if n <= 1 {
		serial = len(batches)
	}
	for i := range batches[:serial] {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := store.Upsert(ctx, batches[i]); err != nil {
			return err
		}
		batches[i] = nil
	}
	rest := batches[serial:]
	if len(rest) == 0 {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		next  int
	)
	take := func() (*graph.Batch, bool) {
		mu.Lock()
		defer mu.Unlock()
		if first != nil || next == len(rest) {
			return nil, false
		}
		b := rest[next]
		rest[next] = nil
		next++
		return b, true
	}
	for range min(n, len(rest)) {
		wg.Go(func() {
			for b, ok := take(); ok; b, ok = take() {
				err := ctx.Err()
				if err == nil {
					err = store.Upsert(ctx, b)
				}
				if err != nil {
					mu.Lock()
					if first == nil {
						first = err
						cancel()
					}
					mu.Unlock()
					return
				}
			}
		})
	}
	wg.Wait()
	return first
}

// formatFor picks the reader format: term files that are tabular are
// glossaries.
func formatFor(in input, given formats.Format) formats.Format {
	if in.terms {
		switch formats.FromName(in.path) {
		case formats.TBX:
			return formats.TBX
		default:
			return formats.Glossary
		}
	}
	return given
}

func termLangs(e *corpora.TermEntry) (string, string) {
	var langs []string
	seen := map[string]bool{}
	for _, t := range e.Terms {
		if l := t.Lang.String(); !seen[l] {
			seen[l] = true
			langs = append(langs, l)
		}
	}
	for len(langs) < 2 {
		langs = append(langs, "und")
	}
	return langs[0], langs[1]
}

// collect expands the paths and hashes every file.
func collect(opts Options) ([]input, error) {
	var out []input
	seen := map[string]bool{}
	add := func(paths []string, terms bool) error {
		expanded, err := formats.Expand(paths)
		if err != nil {
			return err
		}
		for _, p := range expanded {
			abs, err := filepath.Abs(p)
			if err != nil {
				return err
			}
			if seen[abs] {
				continue
			}
			seen[abs] = true
			h, err := hashFile(p)
			if err != nil {
				return err
			}
			out = append(out, input{path: p, name: abs, hash: h, terms: terms})
		}
		return nil
	}
	if err := add(opts.Terms, true); err != nil {
		return nil, err
	}
	if err := add(opts.Paths, false); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, errors.New("no input files")
	}
	return out, nil
}

func hashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
