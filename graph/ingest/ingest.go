// Package ingest builds the knowledge graph from files: it reads every
// unit and term entry, extracts entities and their translations, and writes
// them to a graph.Store file by file.
//
// A build is a pipeline: files are read, units analysed and added to one
// extractor per language pair (graph/extract, whose memory is bounded by
// Options.Extract.MemoryLimit); the extractors are trained; then each
// file's batches are made, written to the store (several in flight when the
// store wants it) and handed to a search index that follows the build
// (Options.Index), while the next batches are made.
//
// Building is idempotent and crash-safe. Each file's contribution is
// written between two marks in the store: "incomplete" (after which the
// file's earlier contribution is deleted) and "complete" with the file's
// content hash. A run skips files already complete with the same content,
// and rewrites any file a killed run left incomplete. Extraction is
// deterministic, so the graph after a killed run and a re-run equals the
// graph of one uninterrupted run.
//
// Which files are read. Termhood and co-occurrence are learned from the
// files a build reads, the word alignment from those and the model kept
// between builds (Options.ModelDir, model.go). A file complete in the
// store with the same content that the kept model has counted is not read
// at all: its contribution is in the graph and its units in the model, so
// a build given only new files, or all files of a large memory and a few
// new ones, costs in proportion to the new ones. Every other file given is
// read when anything is to be written (and term bases always then), so a
// re-run after a killed build learns from the same units as the build it
// finishes.
package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
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

// Index follows what a build writes, so that a search index kept beside
// the graph is brought up to date from the batches themselves rather than
// by reading the store back afterwards (retrieval.Follower implements
// it). A build tells it only when the store reports how it merged each
// batch (see Options.Index); its methods may be called from several
// goroutines at once.
type Index interface {
	// Begin is told the files the build is about to write and how many
	// units it read, before the first write.
	Begin(ctx context.Context, files []string, units int) error
	// Written is given each batch once the store holds it, as the build
	// made it (the sources of one file), and those of its segments the
	// store held before, as it holds them now (with every file's
	// sources).
	Written(ctx context.Context, b *graph.Batch, merged []graph.Segment) error
	// Done is told the state of each file the build has written whole.
	Done(ctx context.Context, st graph.SourceState) error
}

// MergeReporter is implemented by stores that can tell, as they apply a
// batch, which of its segments they merged with what other files had
// contributed, and how: the build needs it to hand a following Index the
// segments as stored.
type MergeReporter interface {
	// UpsertMerged is Upsert that, once the batch is committed, calls
	// merged with every segment of the batch the store already held, as
	// it holds it now.
	UpsertMerged(ctx context.Context, b *graph.Batch, merged func(graph.Segment)) error
}

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
	// Extract tunes extraction, its memory limit included.
	Extract extract.Options
	// BatchSize is the most items written per store transaction.
	BatchSize int
	// Progress is told about progress; nil for none.
	Progress Progress `json:"-"`
	// Log receives notes such as files skipped as unchanged; nil
	// discards them.
	Log *slog.Logger `json:"-"`
	// ModelDir is where the word-alignment model of each language pair is
	// kept between builds (ModelDir returns the usual place for a graph),
	// so that a build given only new files aligns them with what the
	// earlier files taught; "": not kept, each build learns the alignment
	// from its own files alone.
	ModelDir string
	// Index, when set, is handed what the build writes (see Index), if
	// the store is a MergeReporter.
	Index Index `json:"-"`
}

// Summary is what a build did.
type Summary struct {
	Files     int `json:"files"`
	Written   int `json:"written"`   // files whose contribution was (re)written
	Unchanged int `json:"unchanged"` // files already complete with the same content
	// Read counts the files read and extracted: the files written, and
	// the unchanged ones the kept model has not counted.
	Read     int `json:"read"`
	Units    int `json:"units"` // units read
	Skipped  int `json:"skipped"`
	Terms    int `json:"terms"` // term-base entries read
	Segments int `json:"segments"`
	Entities int `json:"entities"`
	Facts    int `json:"facts"`
	// Spilled is how many bytes extraction wrote to temporary files,
	// beyond its memory limit.
	Spilled int64   `json:"spilled"`
	Seconds float64 `json:"seconds"`
}

// input is one file of the build.
type input struct {
	path  string // as given, for messages
	name  string // absolute path: the source name in the graph
	hash  string
	terms bool // read as a term base
	write bool // its contribution is (re)written
	read  bool // it is read and extracted
}

type pairKey struct{ src, tgt string }

// termRec is a term entry read, kept until the language pairs are known.
type termRec struct {
	file string
	e    *corpora.TermEntry
}

// builder is the state of one Run.
type builder struct {
	store      graph.Store
	opts       Options
	log        *slog.Logger
	start      time.Time
	sum        Summary
	inputs     []input
	done       map[string]graph.SourceState // the store's source states before the build
	extractors map[pairKey]*extract.Extractor
	pairs      []pairKey
	terms      []termRec
	models     map[pairKey]*pairModel
}

// Run builds the graph in store from the files: it plans which files to
// read and write, reads them, trains the extractors, writes each file's
// contribution, and saves the alignment models.
func Run(ctx context.Context, store graph.Store, opts Options) (Summary, error) {
	b, err := newBuild(ctx, store, opts)
	if err != nil {
		return b.sum, err
	}
	defer b.close()
	for _, step := range []func(context.Context) error{b.read, b.train, b.write, b.saveModels} {
		if err := step(ctx); err != nil {
			return b.sum, err
		}
	}
	return b.finish(ctx)
}

// newBuild collects the inputs and the store's states and plans the
// build.
func newBuild(ctx context.Context, store graph.Store, opts Options) (*builder, error) {
	if opts.Progress == nil {
		opts.Progress = noProgress{}
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 20000
	}
	b := &builder{store: store, opts: opts, log: opts.Log, start: time.Now(), extractors: map[pairKey]*extract.Extractor{}}
	if b.log == nil {
		b.log = slog.New(slog.DiscardHandler)
	}
	inputs, err := collect(opts)
	if err != nil {
		return b, err
	}
	b.inputs = inputs
	b.sum.Files = len(inputs)
	states, err := store.SourceStates(ctx)
	if err != nil {
		return b, err
	}
	b.done = map[string]graph.SourceState{}
	for _, s := range states {
		b.done[s.File] = s
	}
	return b, b.plan()
}

// plan decides which files are written and which are read: see the
// package doc. Files are read when one is to be written, or when a kept
// model has yet to count one (a build killed before it saved the model).
func (b *builder) plan() error {
	counted, err := countedFiles(b.opts.ModelDir, b.done)
	if err != nil {
		return err
	}
	work := false
	for i := range b.inputs {
		in := &b.inputs[i]
		st, ok := b.done[in.name]
		in.write = !ok || !st.Complete || st.Hash != in.hash
		work = work || in.write
	}
	if !work && b.opts.ModelDir != "" {
		for _, in := range b.inputs {
			if counted[in.name] != in.hash && !isTermBase(in, b.opts.Format) {
				work = true
				break
			}
		}
	}
	for i := range b.inputs {
		in := &b.inputs[i]
		in.read = work && (in.write || counted[in.name] != in.hash)
	}
	return nil
}

// isTermBase reports whether a file is read as a term base.
func isTermBase(in input, format formats.Format) bool {
	if in.terms {
		return true
	}
	f, err := formats.Open(in.path, formats.Options{Format: format})
	if err != nil {
		return false // reading it reports the error
	}
	defer f.Close()
	return f.IsTermBase()
}

// close removes the extractors' temporary files.
func (b *builder) close() {
	for _, x := range b.extractors {
		x.Close()
	}
}

// read reads every file to be read: units into one extractor per language
// pair, term entries aside until the pairs are known.
func (b *builder) read(ctx context.Context) error {
	b.opts.Progress.Phase("reading", 0)
	add := newAdder()
	defer add.wait()
	for _, in := range b.inputs {
		if !in.read {
			continue
		}
		if err := b.readFile(ctx, in, add); err != nil {
			return err
		}
		b.sum.Read++
	}
	add.wait()
	return nil
}

// readFile reads one file, its units into add, its term entries aside.
func (b *builder) readFile(ctx context.Context, in input, add *adder) error {
	opts := b.opts
	skip := func(s corpora.Skip) {
		b.sum.Skipped++
		if opts.OnSkip != nil {
			opts.OnSkip(s)
		}
	}
	f, err := formats.Open(in.path, formats.Options{
		Format: formatFor(in, opts.Format),
		ReadOptions: corpora.ReadOptions{
			SourceLang: opts.SourceLang, TargetLang: opts.TargetLang,
			Lenient: opts.Lenient, OnSkip: skip,
		},
	})
	if err != nil {
		return err
	}
	defer f.Close()
	if in.terms || f.IsTermBase() {
		return corpora.EachTerm(ctx, f, func(e *corpora.TermEntry) error {
			b.terms = append(b.terms, termRec{in.name, e})
			b.sum.Terms++
			opts.Progress.Add(1)
			return nil
		})
	}
	return corpora.Each(ctx, f, func(u *corpora.Unit) error {
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
		x := b.extractors[k]
		if x == nil {
			x = extract.New(k.src, k.tgt, opts.Extract)
			b.extractors[k] = x
			b.pairs = append(b.pairs, k)
		}
		add.add(x, in.name, u)
		b.sum.Units++
		opts.Progress.Add(1)
		return nil
	})
}

// train gives every extractor the term entries and its kept model, and
// trains it.
func (b *builder) train(ctx context.Context) error {
	if len(b.extractors) == 0 && len(b.terms) > 0 {
		// A build from term bases alone: one extractor for the pair asked
		// for, or the term base's first two languages.
		k := pairKey{b.opts.SourceLang.String(), b.opts.TargetLang.String()}
		if b.opts.SourceLang == language.Und {
			k.src, k.tgt = termLangs(b.terms[0].e)
		}
		b.extractors[k] = extract.New(k.src, k.tgt, b.opts.Extract)
		b.pairs = append(b.pairs, k)
	}
	for _, k := range b.pairs {
		for _, t := range b.terms {
			b.extractors[k].AddTermEntry(t.file, t.e)
		}
	}
	b.terms = nil
	models, err := continueModels(b.opts, b.pairs, b.extractors, b.inputs, b.done, b.log)
	if err != nil {
		return err
	}
	b.models = models
	b.opts.Progress.Phase("learning", int64(len(b.pairs)))
	for _, k := range b.pairs {
		if err := b.extractors[k].Train(ctx); err != nil {
			return err
		}
		b.opts.Progress.Add(1)
	}
	return nil
}

// saveModels writes the merged models once every file is complete in the
// store.
func (b *builder) saveModels(ctx context.Context) error {
	if b.models == nil {
		return nil
	}
	b.opts.Progress.Phase("saving alignment models", int64(len(b.models)))
	return saveModels(b.pairs, b.extractors, b.models, b.log)
}

// finish fills in the summary.
func (b *builder) finish(ctx context.Context) (Summary, error) {
	st, err := b.store.Stats(ctx)
	if err != nil {
		return b.sum, err
	}
	b.sum.Segments, b.sum.Entities, b.sum.Facts = st.Segments, st.Entities, st.Facts
	for _, x := range b.extractors {
		b.sum.Spilled += x.Stats().Spilled
	}
	b.sum.Seconds = time.Since(b.start).Seconds()
	return b.sum, nil
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
