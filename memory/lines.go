package memory

import (
	"context"
	"io"

	"github.com/kgmem/kgmem/internal/lineio"
	"github.com/kgmem/kgmem/translate"
)

// SegmentTranslator translates segments with the options given: *Memory,
// *Models and the client of a server do.
type SegmentTranslator interface {
	Translate(ctx context.Context, o TranslateOptions, segs []translate.Segment) ([]translate.Result, error)
}

// TranslateLines translates text a line at a time: texts when it is not
// nil, else every line of in, read n lines a batch. Each line is a
// segment with the lines around it as its context; the first line of a
// batch has the last of the batch before. fn receives each batch's
// results, in order, as soon as the batch is translated.
func TranslateLines(ctx context.Context, tr SegmentTranslator, o TranslateOptions, texts []string, in io.Reader, n int, fn func([]translate.Result) error) error {
	prev := "" // the last line of the batch before, the context of the next
	batch := func(lines []string) error {
		segs := LineSegments(lines)
		segs[0].Prev, prev = prev, lines[len(lines)-1]
		rs, err := tr.Translate(ctx, o, segs)
		if err != nil {
			return err
		}
		return fn(rs)
	}
	if texts != nil {
		return batch(texts)
	}
	return lineio.Each(ctx, in, n, batch)
}

// Learner learns approved pairs: *Memory and the client of a server do.
type Learner interface {
	Learn(ctx context.Context, req LearnRequest) (translate.LearnSummary, error)
}

// Approvals collects the translations of a run that are learned once the
// run is done (kgmem translate --learn): those Learnable says may be. A
// nil *Approvals collects nothing. It is not safe for concurrent use.
type Approvals struct {
	o          TranslateOptions
	approveAll bool
	pairs      []translate.Pair
}

// NewApprovals returns the approvals of a run with the options o;
// approveAll approves every translation without problems, not only the
// exact matches.
func NewApprovals(o TranslateOptions, approveAll bool) *Approvals {
	return &Approvals{o: o, approveAll: approveAll}
}

// Add keeps r when it may be learned.
func (a *Approvals) Add(r translate.Result) {
	if a != nil && Learnable(r, a.approveAll) {
		a.pairs = append(a.pairs, translate.Pair{Source: r.Source, Target: r.Translation, Origin: "translate"})
	}
}

// Learn teaches l the translations kept, in the run's language pair and
// model; false when there were none.
func (a *Approvals) Learn(ctx context.Context, l Learner) (translate.LearnSummary, bool, error) {
	if a == nil || len(a.pairs) == 0 {
		return translate.LearnSummary{}, false, nil
	}
	s, err := l.Learn(ctx, LearnRequest{SourceLang: a.o.SourceLang, TargetLang: a.o.TargetLang, Pairs: a.pairs, Model: a.o.Model})
	return s, err == nil, err
}
