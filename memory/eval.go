package memory

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/graph/stores"
	"github.com/kgmem/kgmem/translate"
	"github.com/kgmem/kgmem/translate/evaluate"
	"github.com/kgmem/kgmem/translate/metrics"
)

// EvalRequest is a translation experiment on a test set.
type EvalRequest struct {
	// Test is the test set: a bilingual file in any format kgmem reads.
	Test string
	// Model translates.
	Model string
	// SourceLang and TargetLang select the pair (default: what the file
	// says).
	SourceLang, TargetLang language.Tag
	// Terms are term lists (TBX, TSV, CSV) term accuracy is measured with.
	Terms []string
	// Configs are the ablations to run (all if empty).
	Configs []evaluate.Config
	// Online also runs the online experiment; it learns into a copy of
	// the memory (in Dir/online-data, or a temporary directory).
	Online bool
	// AllowWriteMemory lets the online experiment learn into a Dgraph
	// graph itself, which cannot be copied.
	AllowWriteMemory         bool
	Dir                      string
	Block, LearnEvery, Batch int
	// Limit uses only the first Limit pairs (0: all).
	Limit    int
	MinMatch int
	// AllowExact scores test pairs already in the memory too.
	AllowExact bool
	Progress   Progress `json:"-"`
}

// Evaluator runs evaluations: a *Memory, or the client of the server
// that holds one.
type Evaluator interface {
	Evaluate(ctx context.Context, req EvalRequest) (*evaluate.Report, error)
}

// EvaluateDir runs req with e and, when req.Dir is set, writes the report
// there (evaluate.WriteDir): what was done too when the run stops early,
// with the run's error. The report is nil when nothing was done or the
// report could not be written.
func EvaluateDir(ctx context.Context, e Evaluator, req EvalRequest) (*evaluate.Report, error) {
	rep, err := e.Evaluate(ctx, req)
	if rep == nil || req.Dir == "" {
		return rep, err
	}
	if werr := evaluate.WriteDir(req.Dir, rep); werr != nil {
		return nil, errors.Join(err, werr)
	}
	return rep, err
}

// Evaluate translates a test set under each configuration of the memory,
// scores and times each run, and with Online runs the online experiment.
// When interrupted it returns what was done with the error.
func (m *Memory) Evaluate(ctx context.Context, req EvalRequest) (*evaluate.Report, error) {
	switch {
	case req.Test == "":
		return nil, invalidf("eval run needs --test FILE; run `kgmem eval run --help`")
	case req.Block < 1 || req.Batch < 1 || req.LearnEvery < 1 || req.Limit < 0:
		return nil, invalidf("--block, --batch and --learn-every must be at least 1, --limit at least 0")
	case req.MinMatch < 1 || req.MinMatch > 100:
		return nil, invalidf("--min-match %d: use a percentage from 1 to 100", req.MinMatch)
	}
	if req.Online && !m.copyable() && !req.AllowWriteMemory {
		return nil, invalidf("the online experiment learns every test reference into the memory, and a %s graph cannot be copied first; "+
			"allow it to write into the memory, or use an embedded graph", m.manifest.Graph)
	}
	pairs, from, to, err := evaluate.ReadPairs(ctx, req.Test, req.SourceLang, req.TargetLang, req.Limit)
	if errors.Is(err, evaluate.ErrNoLanguages) {
		return nil, invalidf("%s does not say its languages; give --from and --to", req.Test)
	}
	if err != nil {
		return nil, err
	}
	terms, err := readTermLists(ctx, req.Terms, from, to)
	if err != nil {
		return nil, err
	}
	tr, err := m.Translator(ctx, TranslateOptions{Model: req.Model, SourceLang: from, TargetLang: to})
	if err != nil {
		return nil, err
	}
	opts := evaluate.Options{SourceLang: from, TargetLang: to, Model: tr.model, ModelName: req.Model,
		Memory: m.pipelineMemory(tr.Description()), MinMatch: req.MinMatch, Configs: req.Configs, Terms: terms,
		Batch: req.Batch, Exact: m.index, AllowExact: req.AllowExact, Progress: req.Progress}
	if req.Online {
		online, cleanup, err := m.onlineMemory(ctx, req.Dir)
		if err != nil {
			return nil, err
		}
		defer cleanup()
		desc := tr.Description()
		opts.Online = &evaluate.Online{Block: req.Block, LearnEvery: req.LearnEvery,
			Learner: online.newLearner(tr.learner()),
			Memory:  func() translate.Memory { return online.pipelineMemory(desc) }}
	}
	rep, err := evaluate.Run(ctx, pairs, opts)
	if rep == nil {
		return nil, err
	}
	rep.Test = req.Test
	if err == nil && rep.Scored == 0 {
		err = withHint(fmt.Errorf("all %d test pairs are in the memory already: nothing to score", rep.TestPairs),
			"test on pairs the memory has not seen, or allow exact matches (--allow-exact)")
	}
	return rep, err
}

// readTermLists reads term lists for scoring; nil when none are named.
func readTermLists(ctx context.Context, paths []string, from, to string) ([]metrics.Term, error) {
	if paths == nil {
		return nil, nil
	}
	terms := []metrics.Term{}
	for _, path := range paths {
		ts, err := evaluate.ReadTermList(ctx, path, from, to)
		if err != nil {
			return nil, err
		}
		terms = append(terms, ts...)
	}
	return terms, nil
}

// copyable reports whether the memory's graph can be copied for an
// experiment: an embedded one can.
func (m *Memory) copyable() bool { return copyable(m.manifest.Graph) }

// copyable reports whether the graph uri names is an embedded store.
func copyable(uri string) bool { return uri == stores.Default || strings.HasPrefix(uri, "embedded:") }

// onlineMemory returns the memory an online experiment learns into: a
// copy of an embedded memory in dir/online-data (or a temporary directory,
// removed by cleanup, when dir is ""), or the memory itself otherwise.
func (m *Memory) onlineMemory(ctx context.Context, dir string) (*Memory, func(), error) {
	if !m.copyable() {
		return m, func() {}, nil
	}
	storeFile := filepath.Join(m.dir, stores.EmbeddedFile)
	if p, ok := strings.CutPrefix(m.manifest.Graph, "embedded:"); ok {
		storeFile = p
	}
	copyDir := filepath.Join(dir, "online-data")
	remove := func() {}
	if dir == "" {
		var err error
		if copyDir, err = os.MkdirTemp("", "kgmem-online-"); err != nil {
			return nil, nil, err
		}
		remove = func() { os.RemoveAll(copyDir) }
	}
	if err := evaluate.Snapshot(ctx, storeFile, m.dir, copyDir); err != nil {
		remove()
		return nil, nil, err
	}
	c, err := Open(ctx, Options{DataDir: copyDir, Graph: stores.Default, Create: true, Logger: m.log})
	if err != nil {
		remove()
		return nil, nil, err
	}
	// The copy learns with the original's alignment models (learning
	// reads them and does not change them), and uses its models.
	c.models.Close()
	c.models, c.ownsModels = m.models, false
	c.modelDirOverride = m.modelDir()
	return c, func() { c.Close(); remove() }, nil
}

// Score scores files of translations against references (see
// evaluate.ScoreFiles); a TBX term list without languages is an invalid
// request.
func Score(ctx context.Context, req evaluate.ScoreRequest) (*evaluate.ScoreReport, error) {
	switch {
	case req.Hyp == "" || len(req.Refs) == 0:
		return nil, invalidf("eval score needs --hyp FILE and --ref FILE; run `kgmem eval score --help`")
	case len(req.Terms) > 0 && req.Src == "":
		return nil, invalidf("--terms needs --src: terms are looked up in the source segments")
	case req.Tokenize == "" || req.Tokenize.Check() != nil:
		return nil, invalidf("--tokenize %q: use 13a, intl, char or none", string(req.Tokenize))
	}
	rep, err := evaluate.ScoreFiles(ctx, req)
	if errors.Is(err, evaluate.ErrTermLanguages) {
		return nil, invalidf("%v: give --from and --to to say which of its languages to score", err)
	}
	return rep, err
}
