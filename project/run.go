package project

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/formats"
	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/translate"
)

// Translator translates documents: *memory.Memory, *memory.Models and the
// client of a server that holds a memory are ones.
type Translator interface {
	TranslateFile(ctx context.Context, o memory.TranslateOptions, fo translate.FileOptions, fn func(*corpora.Unit, translate.Result) error) (translate.FileSummary, error)
}

// Builder makes files part of the memory: *memory.Memory and the client of
// a server are ones. Run imports an OmegaT project's memories through the
// Translator when it is one.
type Builder interface {
	Build(ctx context.Context, req memory.BuildRequest) (memory.BuildSummary, error)
}

// Progress is told how a run advances: one phase, whose total is the units
// to translate, and each unit done. A Progress that also has
// SetLabel(string) is told which file is being translated.
type Progress interface {
	Phase(name string, total int64)
	Add(n int64)
}

// RunOptions say how to translate a plan.
type RunOptions struct {
	// Translate names the model and how much of the memory it uses; the
	// languages are the plan's.
	Translate memory.TranslateOptions
	// Approve marks the translations approved (see translate.FileOptions).
	Approve bool
	// Progress is told how the run advances; nil for none.
	Progress Progress
	// OnFile is called with each file's summary as soon as it is done;
	// OnResult with each translated unit. Either may be nil; an error
	// stops the run.
	OnFile   func(FileSummary) error
	OnResult func(*corpora.Unit, translate.Result) error
}

// Counts are units (or their source words) by what became of them.
type Counts struct {
	Exact   int `json:"exact"`
	Fuzzy   int `json:"fuzzy"`
	Machine int `json:"machine"`
	// Kept had a translation already.
	Kept int `json:"kept"`
	// Problems were translated with problems and are marked for review.
	Problems int `json:"problems"`
}

// Total returns the units counted: exact, fuzzy, machine and kept.
func (c Counts) Total() int { return c.Exact + c.Fuzzy + c.Machine + c.Kept }

// MarshalJSON writes the counts with their total.
func (c Counts) MarshalJSON() ([]byte, error) {
	type counts Counts
	return json.Marshal(struct {
		Total int `json:"total"`
		counts
	}{c.Total(), counts(c)})
}

func (c *Counts) add(d Counts) {
	c.Exact += d.Exact
	c.Fuzzy += d.Fuzzy
	c.Machine += d.Machine
	c.Kept += d.Kept
	c.Problems += d.Problems
}

func (c *Counts) count(status string, n int) {
	switch status {
	case translate.StatusExact:
		c.Exact += n
	case translate.StatusFuzzy:
		c.Fuzzy += n
	default:
		c.Machine += n
	}
}

// FileSummary is what Run did with one job.
type FileSummary struct {
	Source string `json:"source"`
	Out    string `json:"out"`
	Layout Layout `json:"layout"`
	// Action is translated, updated, skipped, copied or failed.
	Action string `json:"action"`
	Reason string `json:"reason,omitempty"`
	Format string `json:"format,omitempty"`
	// Units and Words count the output's units and their source words.
	Units Counts   `json:"units"`
	Words Counts   `json:"words"`
	Notes []string `json:"notes,omitempty"`
	Error string   `json:"error,omitempty"`
}

// Summary is what Run did.
type Summary struct {
	Files []FileSummary `json:"files"`
	Total Total         `json:"total"`
}

// Total sums a run up.
type Total struct {
	Files      int `json:"files"`
	Translated int `json:"translated"`
	Updated    int `json:"updated"`
	Skipped    int `json:"skipped"`
	Copied     int `json:"copied"`
	Failed     int `json:"failed"`
	// Ignored counts the files of the tree left alone (other languages,
	// term bases, compiled catalogs).
	Ignored int    `json:"ignored"`
	Units   Counts `json:"units"`
	Words   Counts `json:"words"`
	// Imported is what an OmegaT project's memories added to the memory.
	Imported *Imported `json:"imported,omitempty"`
	Seconds  float64   `json:"seconds"`
}

// Imported is what Run read of an OmegaT project's memories.
type Imported struct {
	Files int      `json:"files"`
	Units int      `json:"units"`
	Terms int      `json:"terms"`
	Notes []string `json:"notes,omitempty"`
}

// Actions of a FileSummary.
const (
	DidTranslate = "translated"
	DidUpdate    = "updated"
	DidSkip      = "skipped"
	DidCopy      = "copied"
	DidFail      = "failed"
)

// Run translates a plan, one file at a time, and sums up what it did. A
// file that cannot be read fails alone: the others are translated, and
// the error returned at the end wraps the first one's. Any other error
// (the model's, a cancelled ctx) stops the run; the summary then holds
// the files done.
func Run(ctx context.Context, tr Translator, p *Plan, o RunOptions) (*Summary, error) {
	start := time.Now()
	r := &runner{tr: tr, p: p, o: o, sum: &Summary{}}
	if r.o.Progress == nil {
		r.o.Progress = noProgress{}
	}
	r.o.Translate.SourceLang, r.o.Translate.TargetLang = p.SourceLang.String(), p.TargetLang.String()
	r.sum.Total.Ignored = len(p.Ignored)
	if p.OmegaT != nil {
		if err := r.importOmegaT(ctx); err != nil {
			return r.sum, err
		}
	}
	todo := int64(0)
	for _, j := range p.Jobs {
		if j.Action == Translate || j.Action == Update {
			todo += int64(j.Missing)
		}
	}
	r.o.Progress.Phase("translating", todo)
	var firstBad error
	for i := range p.Jobs {
		if err := ctx.Err(); err != nil {
			return r.done(start), err
		}
		j := &p.Jobs[i]
		if l, ok := r.o.Progress.(interface{ SetLabel(string) }); ok {
			name := j.Out
			if rel, err := filepath.Rel(p.Out, j.Out); err == nil {
				name = rel
			}
			l.SetLabel(fmt.Sprintf("%d/%d %s", i+1, len(p.Jobs), name))
		}
		file, err := r.job(ctx, j)
		if err != nil && !badInput(err) {
			return r.done(start), err
		}
		if err != nil {
			file.Action, file.Error = DidFail, err.Error()
			if firstBad == nil {
				firstBad = err
			}
		}
		r.sum.Files = append(r.sum.Files, file)
		r.sum.Total.add(file)
		if r.o.OnFile != nil {
			if err := r.o.OnFile(file); err != nil {
				return r.done(start), err
			}
		}
	}
	if p.OmegaT != nil {
		if err := r.writeOmegaT(); err != nil {
			return r.done(start), err
		}
	}
	r.done(start)
	if firstBad != nil {
		return r.sum, fmt.Errorf("%d of %d files could not be translated; the first: %w", r.sum.Total.Failed, len(p.Jobs), firstBad)
	}
	return r.sum, nil
}

type noProgress struct{}

func (noProgress) Phase(string, int64) {}
func (noProgress) Add(int64)           {}

// runner is the state of one Run.
type runner struct {
	tr  Translator
	p   *Plan
	o   RunOptions
	sum *Summary
	// pairs are the units translated, with their results, for an OmegaT
	// project's tm folder.
	pairs []translated
}

type translated struct {
	u *corpora.Unit
	r translate.Result
}

func (r *runner) done(start time.Time) *Summary {
	r.sum.Total.Seconds = time.Since(start).Seconds()
	return r.sum
}

func (t *Total) add(f FileSummary) {
	t.Files++
	switch f.Action {
	case DidTranslate:
		t.Translated++
	case DidUpdate:
		t.Updated++
	case DidSkip:
		t.Skipped++
	case DidCopy:
		t.Copied++
	case DidFail:
		t.Failed++
	}
	t.Units.add(f.Units)
	t.Words.add(f.Words)
}

// badInput reports whether an error is the fault of one input file,
// which fails alone.
func badInput(err error) bool {
	var pe *corpora.ParseError
	var path *fs.PathError
	return errors.As(err, &pe) || errors.Is(err, corpora.ErrNotBilingual) || errors.Is(err, corpora.ErrUnknownFormat) ||
		errors.As(err, &path) && !errors.Is(err, context.Canceled)
}

// job does one job of the plan.
func (r *runner) job(ctx context.Context, j *Job) (FileSummary, error) {
	file := FileSummary{Source: j.Source, Out: j.Out, Layout: j.Layout, Reason: j.Reason, Format: string(j.Format), Notes: j.Notes}
	switch j.Action {
	case Fail:
		return file, j.Err
	case Skip:
		file.Action = DidSkip
		file.Units.Kept, file.Words.Kept = j.Units, j.Words
		return file, nil
	case Copy:
		file.Action = DidCopy
		file.Units.Kept, file.Words.Kept = j.Units, j.Words
		return file, copyFile(j.Prev, j.Out)
	}
	in, action := j.Source, DidTranslate
	if j.Action == Update {
		in, action = j.Prev, DidUpdate
	}
	if err := os.MkdirAll(filepath.Dir(j.Out), 0o755); err != nil {
		return file, fmt.Errorf("write %s: %w", j.Out, err)
	}
	var words Counts
	format := j.Format
	if in != j.Source {
		format = formats.FromName(in)
	}
	ts, err := r.tr.TranslateFile(ctx, r.o.Translate, translate.FileOptions{In: in, Out: j.Out, Format: format,
		SourceLang: r.p.SourceLang, TargetLang: r.p.TargetLang, Approve: r.o.Approve, Retranslate: r.p.Retranslate},
		func(u *corpora.Unit, res translate.Result) error {
			n := unitWords(u)
			words.count(res.Status, n)
			if len(res.Checks.Problems) > 0 {
				words.Problems += n
			}
			if r.p.OmegaT != nil {
				r.pairs = append(r.pairs, translated{u, res})
			}
			r.o.Progress.Add(1)
			if r.o.OnResult != nil {
				return r.o.OnResult(u, res)
			}
			return nil
		})
	if err != nil {
		return file, err
	}
	file.Action = action
	file.Units = Counts{Exact: ts.ByStatus[translate.StatusExact], Fuzzy: ts.ByStatus[translate.StatusFuzzy],
		Machine: ts.ByStatus[translate.StatusMachine], Kept: ts.Kept, Problems: ts.Problems}
	file.Words = words
	file.Words.Kept = max(j.Words-words.Total(), 0)
	if file.Units.Total() != ts.Units {
		// A model status the summary has no column for.
		file.Units.Machine += ts.Units - file.Units.Total()
	}
	return file, nil
}

// copyFile copies a file, through a temporary file renamed into place.
func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return fmt.Errorf("write %s: %w", to, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(to), "."+filepath.Base(to)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", to, err)
	}
	if _, err := io.Copy(tmp, in); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", to, err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", to, err)
	}
	if err := os.Rename(tmp.Name(), to); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", to, err)
	}
	return nil
}
