package memory

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/formats"
	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/graph/extract"
	"github.com/kgmem/kgmem/graph/ingest"
	"github.com/kgmem/kgmem/plugins"
	"github.com/kgmem/kgmem/translate"
)

// ErrNoLanguages is returned when the languages of what is to be learned
// or built are neither given nor said by the files.
var ErrNoLanguages = ingest.ErrNoLanguages

// LearnRequest is approved translations to make part of the memory.
type LearnRequest struct {
	// SourceLang and TargetLang are BCP-47 tags.
	SourceLang, TargetLang string
	Pairs                  []translate.Pair
	// Model, when set, is taught the pairs too if it learns.
	Model string
	// Skipped counts the units of the files the pairs were read from
	// that were not taken, by status (ReadApproved sets it); it is
	// reported in the summary.
	Skipped map[string]int
}

// Learn makes approved pairs part of the memory at once: the graph, the
// search index, and the model named in the request when it learns.
func (m *Memory) Learn(ctx context.Context, req LearnRequest) (translate.LearnSummary, error) {
	if req.SourceLang == "" || req.TargetLang == "" {
		return translate.LearnSummary{}, invalidf("learning needs a source and a target language")
	}
	model, err := m.learningModel(ctx, req.Model)
	if err != nil {
		return translate.LearnSummary{}, err
	}
	return m.learn(ctx, req.SourceLang, req.TargetLang, req.Pairs, model)
}

// learningModel returns the model called name when it learns; nil for ""
// or a model that does not.
func (m *Memory) learningModel(ctx context.Context, name string) (plugins.Learner, error) {
	if name == "" {
		return nil, nil
	}
	model, err := m.models.Model(ctx, name)
	if err != nil {
		return nil, err
	}
	if !model.Description().Capabilities.Learn {
		return nil, nil
	}
	return model, nil
}

// learn writes pairs of one language pair, one write at a time.
func (m *Memory) learn(ctx context.Context, sourceLang, targetLang string, pairs []translate.Pair, model plugins.Learner) (translate.LearnSummary, error) {
	m.writeMu.Lock()
	defer m.writeMu.Unlock()
	sum, err := m.newLearner(model).Learn(ctx, sourceLang, targetLang, pairs)
	if err != nil {
		return sum, err
	}
	// The models whose mistakes the memory records learn from the pairs
	// too: what they would have said of them is tallied.
	return sum, m.learnEngines(ctx, sourceLang, targetLang, pairs, sum.Source)
}

// newLearner returns the learner that writes into the memory and teaches
// model (nil for none).
func (m *Memory) newLearner(model plugins.Learner) *translate.Learner {
	l := &translate.Learner{Store: m.store, Index: m.index,
		Spotter: func(lang string) translate.Spotter { return m.index.Spotter(lang) },
		Aligner: m.aligner,
		Forget:  []translate.Forgetter{pipelineForgetter{m}}}
	if model != nil {
		l.Model = model
	}
	return l
}

// LearnFilesRequest is bilingual files whose translations are approved.
type LearnFilesRequest struct {
	// Paths are files or directories, in any format kgmem reads.
	Paths []string
	// SourceLang and TargetLang override what the files say; needed for
	// files that do not say their languages.
	SourceLang, TargetLang language.Tag
	// Model, when set, is taught the pairs too if it learns.
	Model string
	// Accept says which units are learned; the zero value takes what each
	// format marks as final.
	Accept Accept
}

// langPair is a source and a target language.
type langPair struct{ from, to string }

// LearnFiles learns the translated units of files, one write per language
// pair, in the order the pairs first occur. A unit without a source or a
// target is not learned.
func (m *Memory) LearnFiles(ctx context.Context, req LearnFilesRequest) ([]translate.LearnSummary, error) {
	model, err := m.learningModel(ctx, req.Model)
	if err != nil {
		return nil, err
	}
	groups, err := ReadApproved(ctx, req)
	if err != nil {
		return nil, err
	}
	return LearnGroups(groups, func(g LearnRequest) (translate.LearnSummary, error) {
		return m.learn(ctx, g.SourceLang, g.TargetLang, g.Pairs, model)
	})
}

// LearnGroups learns each group with learn, in order, and reports what
// ReadApproved skipped in each summary; a group of skipped units only is
// reported without a write.
func LearnGroups(groups []LearnRequest, learn func(LearnRequest) (translate.LearnSummary, error)) ([]translate.LearnSummary, error) {
	sums := []translate.LearnSummary{}
	for _, g := range groups {
		s := translate.LearnSummary{SourceLang: g.SourceLang, TargetLang: g.TargetLang, ModelAccepted: -1}
		if len(g.Pairs) > 0 {
			var err error
			if s, err = learn(g); err != nil {
				return sums, err
			}
		}
		s.Skipped = g.Skipped
		sums = append(sums, s)
	}
	return sums, nil
}

// ReadApproved reads the pairs of files that req.Accept takes (by default,
// what each format marks as final), one LearnRequest per language pair, in
// the order the pairs first occur; each says what it skipped.
func ReadApproved(ctx context.Context, req LearnFilesRequest) ([]LearnRequest, error) {
	paths, err := formats.Expand(req.Paths)
	if err != nil {
		return nil, err
	}
	var out []LearnRequest
	group := map[langPair]int{}
	for _, path := range paths {
		f, err := formats.OpenContext(ctx, path, formats.Options{ReadOptions: corpora.ReadOptions{Name: path,
			SourceLang: req.SourceLang, TargetLang: req.TargetLang}})
		if err != nil {
			return nil, err
		}
		err = corpora.Each(ctx, f, func(u *corpora.Unit) error {
			if u.Source.IsEmpty() {
				return nil
			}
			lp := langPair{u.SourceLang.String(), u.TargetLang.String()}
			if lp.from == "und" || lp.to == "und" || lp.from == "" || lp.to == "" {
				return invalidf("%s does not say its languages; give --from and --to", path)
			}
			i, ok := group[lp]
			if !ok {
				i = len(out)
				group[lp] = i
				out = append(out, LearnRequest{SourceLang: lp.from, TargetLang: lp.to, Model: req.Model})
			}
			g := &out[i]
			st := u.Status
			if u.Target.IsEmpty() {
				st = corpora.StatusUntranslated
			}
			if !req.Accept.takes(f.Format, st) {
				if g.Skipped == nil {
					g.Skipped = map[string]int{}
				}
				g.Skipped[st.String()]++
				return nil
			}
			g.Pairs = append(g.Pairs, translate.Pair{Source: u.Source.Plain(), Target: u.Target.Plain(), Origin: path})
			return nil
		})
		f.Close()
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// phraseAligner is aligner for the sub-segment memory: nil when there is
// no model for the pair.
func (m *Memory) phraseAligner(sourceLang, targetLang string) translate.PhraseAligner {
	if pa, ok := m.aligner(sourceLang, targetLang).(translate.PhraseAligner); ok {
		return pa
	}
	return nil
}

// aligner returns the word-alignment model build-graph kept for the
// language pair (or, when there is none for these exact tags, for the same
// base languages: a model of en-US→es-ES serves en→es), nil when there is
// none or it cannot be read; learning then counts only translations the
// graph knows. A model is read once: learning does not change it.
func (m *Memory) aligner(sourceLang, targetLang string) translate.SpanAligner {
	dir := m.modelDir()
	name := extract.ModelFileName(sourceLang, targetLang)
	m.alignMu.Lock()
	defer m.alignMu.Unlock()
	if a, ok := m.aligners[name]; ok {
		return a
	}
	if m.aligners == nil {
		m.aligners = map[string]translate.SpanAligner{}
	}
	m.aligners[name] = nil
	path := filepath.Join(dir, name)
	if _, err := os.Stat(path); err != nil {
		path = similarModel(dir, sourceLang, targetLang)
		if path == "" {
			return nil
		}
	}
	model, err := extract.ReadModelFile(path)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			m.log.Warn("learning without the alignment model", "err", err)
		}
		return nil
	}
	m.aligners[name] = model
	return model
}

// similarModel returns the first model file in dir (by name) whose
// languages have the base languages of the pair, "" when there is none.
func similarModel(dir, sourceLang, targetLang string) string {
	paths, _ := filepath.Glob(filepath.Join(dir, extract.ModelFilePattern))
	for _, p := range paths {
		src, tgt, ok := extract.ModelFileLangs(filepath.Base(p))
		if ok && graph.BaseLang(src) == graph.BaseLang(sourceLang) && graph.BaseLang(tgt) == graph.BaseLang(targetLang) {
			return p
		}
	}
	return ""
}
