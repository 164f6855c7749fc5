package evaluate

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/translate/metrics"
)

// ScoreRequest names files of translations to score against references,
// one segment a line, aligned line by line.
type ScoreRequest struct {
	Hyp  string
	Refs []string
	// Src, when given, adds placeholder accuracy, and with Terms, term
	// accuracy and consistency.
	Src string
	// Terms are term lists, merged.
	Terms []string
	// SourceLang and TargetLang say which languages of a TBX Terms to
	// score.
	SourceLang, TargetLang string
	Tokenize               metrics.Tokenizer
}

// ScoreReport is what ScoreFiles measured.
type ScoreReport struct {
	Segments   int     `json:"segments"`
	References int     `json:"references"`
	BLEU       float64 `json:"bleu"`
	ChrF       float64 `json:"chrf"`
	ChrFPP     float64 `json:"chrfpp"`
	TER        float64 `json:"ter"`
	// Present when Terms (term_*) or Src (placeholder_*) is given; null
	// when nothing in the files could be measured.
	TermAccuracy        *Nullable    `json:"term_accuracy,omitempty"`
	TermConsistency     *Nullable    `json:"term_consistency,omitempty"`
	PlaceholderAccuracy *Nullable    `json:"placeholder_accuracy,omitempty"`
	Details             ScoreDetails `json:"details"`
}

// ScoreDetails are the full scores behind a ScoreReport.
type ScoreDetails struct {
	BLEU            *metrics.BLEUScore            `json:"bleu"`
	ChrF            *metrics.ChrFScore            `json:"chrf"`
	ChrFPP          *metrics.ChrFScore            `json:"chrfpp"`
	TER             *metrics.TERScore             `json:"ter"`
	Terms           *metrics.TermAccuracyScore    `json:"terms,omitempty"`
	TermConsistency *metrics.TermConsistencyScore `json:"term_consistency,omitempty"`
	Placeholders    *metrics.PlaceholderScore     `json:"placeholders,omitempty"`
}

// Nullable is a score that may not exist: JSON null when it does not.
type Nullable struct {
	V  float64
	OK bool
}

func (n Nullable) MarshalJSON() ([]byte, error) {
	if !n.OK {
		return []byte("null"), nil
	}
	return fmt.Appendf(nil, "%g", n.V), nil
}

func (n Nullable) String() string {
	if !n.OK {
		return "n/a"
	}
	return fmt.Sprintf("%.2f", n.V)
}

// ScoreFiles scores the translations of req.Hyp as sacreBLEU 2.x does
// (BLEU, chrF, chrF++, TER), and placeholder and term accuracy when the
// sources (and a term list) are given.
func ScoreFiles(ctx context.Context, req ScoreRequest) (*ScoreReport, error) {
	hyps, refs, srcs, err := readScoreFiles(req)
	if err != nil {
		return nil, err
	}
	rep := &ScoreReport{Segments: len(hyps), References: len(refs)}
	if err := scoreCorpus(ctx, rep, req.Tokenize, hyps, refs); err != nil {
		return nil, err
	}
	if srcs != nil {
		d := &rep.Details
		if d.Placeholders, err = metrics.PlaceholderAccuracy(srcs, hyps); err != nil {
			return nil, err
		}
		rep.PlaceholderAccuracy = &Nullable{d.Placeholders.Score, d.Placeholders.Segments > 0}
	}
	if len(req.Terms) > 0 {
		if err := scoreTerms(ctx, rep, req, srcs, refs[0], hyps); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

// readScoreFiles reads the hypotheses, the references and the sources,
// and checks that they are aligned.
func readScoreFiles(req ScoreRequest) (hyps []string, refs [][]string, srcs []string, err error) {
	if hyps, err = readLines(req.Hyp); err != nil {
		return nil, nil, nil, err
	}
	if len(hyps) == 0 {
		return nil, nil, nil, &hinted{&corpora.ParseError{File: req.Hyp, Offset: -1, Err: errors.New("file is empty")}, "nothing to score"}
	}
	aligned := func(path string, n int) error {
		if n == len(hyps) {
			return nil
		}
		return &hinted{&corpora.ParseError{File: path, Offset: -1,
			Err: fmt.Errorf("has %d lines but %s has %d: %w", n, req.Hyp, len(hyps), metrics.ErrLengthMismatch)},
			"the files must hold one segment per line, aligned line by line"}
	}
	refs = make([][]string, len(req.Refs))
	for k, path := range req.Refs {
		if refs[k], err = readLines(path); err != nil {
			return nil, nil, nil, err
		}
		if err := aligned(path, len(refs[k])); err != nil {
			return nil, nil, nil, err
		}
	}
	// Like sacreBLEU, a segment needs at least one non-empty reference.
	for i := range hyps {
		empty := true
		for _, set := range refs {
			empty = empty && set[i] == ""
		}
		if empty {
			return nil, nil, nil, &hinted{&corpora.ParseError{File: strings.Join(req.Refs, ", "), Line: i + 1, Err: metrics.ErrNoReference},
				"every segment needs a reference; remove the line from every file"}
		}
	}
	if req.Src != "" {
		if srcs, err = readLines(req.Src); err != nil {
			return nil, nil, nil, err
		}
		if err := aligned(req.Src, len(srcs)); err != nil {
			return nil, nil, nil, err
		}
	}
	return hyps, refs, srcs, nil
}

func readLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	segs, err := metrics.ReadSegments(f)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return segs, nil
}

// scoreCorpus fills in BLEU, chrF, chrF++ and TER.
func scoreCorpus(ctx context.Context, rep *ScoreReport, tok metrics.Tokenizer, hyps []string, refs [][]string) error {
	d := &rep.Details
	var err error
	if d.BLEU, err = (metrics.BLEU{Tokenize: tok}).Corpus(hyps, refs...); err != nil {
		return err
	}
	if d.ChrF, err = metrics.CorpusChrF(hyps, refs...); err != nil {
		return err
	}
	if d.ChrFPP, err = metrics.CorpusChrFPP(hyps, refs...); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if d.TER, err = metrics.CorpusTER(hyps, refs...); err != nil {
		return err
	}
	rep.BLEU, rep.ChrF, rep.ChrFPP, rep.TER = d.BLEU.Score, d.ChrF.Score, d.ChrFPP.Score, d.TER.Score
	return nil
}

// scoreTerms fills in term accuracy (against the first reference set) and
// consistency.
func scoreTerms(ctx context.Context, rep *ScoreReport, req ScoreRequest, srcs, refs, hyps []string) error {
	var terms []metrics.Term
	for _, path := range req.Terms {
		ts, err := ReadTermList(ctx, path, req.SourceLang, req.TargetLang)
		if err != nil {
			return err
		}
		terms = append(terms, ts...)
	}
	m := metrics.NewTermMatcher(terms)
	d := &rep.Details
	var err error
	if d.Terms, err = m.Accuracy(srcs, refs, hyps); err != nil {
		return err
	}
	if d.TermConsistency, err = m.Consistency(srcs, hyps); err != nil {
		return err
	}
	rep.TermAccuracy = &Nullable{d.Terms.Score, d.Terms.Total > 0}
	rep.TermConsistency = &Nullable{d.TermConsistency.Score, d.TermConsistency.Total > 0}
	return nil
}
