package memory

import (
	"context"
	"fmt"
	"strconv"
	"sync"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/fusion"
	"github.com/kgmem/kgmem/plugins"
	"github.com/kgmem/kgmem/plugins/host"
	"github.com/kgmem/kgmem/translate"
)

// TranslateOptions choose the model, the language pair and how much of
// the memory a translation uses.
type TranslateOptions struct {
	// Model names the model plugin (see Models.List).
	Model string
	// SourceLang and TargetLang are BCP-47 tags.
	SourceLang, TargetLang string
	// MinMatch is the lowest fuzzy-match score used, in percent
	// (fusion's default if 0).
	MinMatch int
	// NoTM and NoKG switch off the translation memory and the knowledge
	// graph (ablations).
	NoTM, NoKG bool
	// Explain keeps, in each result, the memory kept and dropped and why.
	Explain bool
	// Register is the form of address asked of the model:
	// plugins.RegisterFormal, RegisterInformal, or "" for the model's
	// default (Apertium's Spanish: formal).
	Register string
	// NoEngine leaves out the memory's corrections of the model's term
	// translations, NoPostEdits its post-edits of the model's output (see
	// Memory.LearnEngine): ablations.
	NoEngine, NoPostEdits bool
	// NoFragments leaves out the sub-segment memory (the phrases the
	// memory's pairs translate alike): an ablation.
	NoFragments bool
}

// Translator translates with one model and one language pair, with the
// memory it was made from (or none). It is safe for concurrent use.
type Translator struct {
	*translate.Translator
	model *host.Model
	mem   *Memory // nil: the model alone
	opts  TranslateOptions
}

// Translator starts the model (once; later calls reuse it) and returns the
// pipeline that translates with it and the memory. Translators are kept:
// the same options give the same translator.
func (m *Memory) Translator(ctx context.Context, o TranslateOptions) (*Translator, error) {
	m.trMu.Lock()
	defer m.trMu.Unlock()
	if t, ok := m.translators[o]; ok {
		return t, nil
	}
	t, err := newTranslator(ctx, m.models, m, o)
	if err != nil {
		return nil, err
	}
	if m.translators == nil {
		m.translators = map[TranslateOptions]*Translator{}
	}
	m.translators[o] = t
	return t, nil
}

// Translate translates segments with the model and the memory as the
// options say, one result per segment, in order.
func (m *Memory) Translate(ctx context.Context, o TranslateOptions, segs []translate.Segment) ([]translate.Result, error) {
	t, err := m.Translator(ctx, o)
	if err != nil {
		return nil, err
	}
	return t.Translate(ctx, segs)
}

// TranslateFile translates a document (see translate.Translator.TranslateFile).
// Unless fo.Review says otherwise, the translations are checked by
// Reviewer with the memory's term base and exact matches, and those with
// problems are marked for review.
func (m *Memory) TranslateFile(ctx context.Context, o TranslateOptions, fo translate.FileOptions, fn func(*corpora.Unit, translate.Result) error) (translate.FileSummary, error) {
	t, err := m.Translator(ctx, o)
	if err != nil {
		return translate.FileSummary{}, err
	}
	if fo.Review == nil {
		fo.Review = Reviewer(m)
	}
	return t.TranslateFile(ctx, fo, fn)
}

// Translator returns the pipeline that translates with the model alone.
func (ms *Models) Translator(ctx context.Context, o TranslateOptions) (*Translator, error) {
	return newTranslator(ctx, ms, nil, o)
}

func newTranslator(ctx context.Context, ms *Models, mem *Memory, o TranslateOptions) (*Translator, error) {
	if o.Model == "" || o.SourceLang == "" || o.TargetLang == "" {
		return nil, invalidf("translating needs a model, a source and a target language; run `kgmem plugins list` for the models")
	}
	if o.MinMatch < 0 || o.MinMatch > 100 {
		return nil, invalidf("minimum match %d: use a percentage from 1 to 100", o.MinMatch)
	}
	model, err := ms.Model(ctx, o.Model)
	if err != nil {
		return nil, err
	}
	d := model.Description()
	if !d.Supports(o.SourceLang, o.TargetLang) {
		return nil, withHint(fmt.Errorf("model %q does not translate %s to %s", o.Model, o.SourceLang, o.TargetLang),
			"run `kgmem plugins describe "+o.Model+"` for its language pairs")
	}
	var tm translate.Memory
	if mem != nil && !(o.NoTM && o.NoKG) {
		tm = mem.pipelineMemory(d)
	}
	tr := translate.New(model, tm, translate.Options{SourceLang: o.SourceLang, TargetLang: o.TargetLang,
		MinMatch: o.MinMatch, NoTM: o.NoTM, NoKG: o.NoKG, NoFragments: o.NoFragments, Explain: o.Explain, Register: o.Register}.WithEngine(o.Model, o.NoEngine, o.NoPostEdits))
	return &Translator{Translator: tr, model: model, mem: mem, opts: o}, nil
}

// Description is what the model says of itself.
func (t *Translator) Description() *plugins.DescribeResponse { return t.model.Description() }

// learner is the model when it learns, else nil.
func (t *Translator) learner() plugins.Learner {
	if t.model.Description().Capabilities.Learn {
		return t.model
	}
	return nil
}

// Learn makes approved translations part of the memory (and teaches the
// model, when it learns).
func (t *Translator) Learn(ctx context.Context, pairs []translate.Pair) (translate.LearnSummary, error) {
	if t.mem == nil {
		return translate.LearnSummary{}, invalidf("learning needs a memory: this translator has none")
	}
	return t.mem.learn(ctx, t.opts.SourceLang, t.opts.TargetLang, pairs, t.learner())
}

// pipelines are the memories the translation pipeline reads, one per
// kind of model; they cache what they read from the graph, and learning
// makes them forget it.
type pipelines struct {
	mu     sync.Mutex
	full   *translate.IndexMemory // terms with their facts and neighbours
	labels *translate.IndexMemory // terms and their labels only
}

// pipelineMemory returns the pipeline's view of the memory for a model:
// models that use no graph facts get terms and labels only, which is much
// faster to read.
func (m *Memory) pipelineMemory(d *plugins.DescribeResponse) *translate.IndexMemory {
	m.pipes.mu.Lock()
	defer m.pipes.mu.Unlock()
	if d.Capabilities.Facts {
		if m.pipes.full == nil {
			m.pipes.full = translate.NewMemory(m.index, m.index, m.store)
			m.pipes.full.Aligner = m.phraseAligner
		}
		return m.pipes.full
	}
	if m.pipes.labels == nil {
		im := translate.NewMemory(m.index, m.index, m.store)
		im.Spotter = func(lang string) translate.Spotter { return m.index.Spotter(lang) }
		im.Aligner = m.phraseAligner
		m.pipes.labels = im
	}
	return m.pipes.labels
}

// forget makes the pipeline memories drop what they cached of the graph.
func (m *Memory) forget() {
	m.pipes.mu.Lock()
	defer m.pipes.mu.Unlock()
	for _, im := range []*translate.IndexMemory{m.pipes.full, m.pipes.labels} {
		if im != nil {
			im.Forget()
		}
	}
}

// pipelineForgetter makes a learner forget the pipeline memories the
// memory has at the time it learns.
type pipelineForgetter struct{ m *Memory }

func (f pipelineForgetter) Forget() { f.m.forget() }

// DefaultMinMatch is the lowest fuzzy-match score translation uses unless
// told otherwise.
func DefaultMinMatch() int { return fusion.DefaultOptions().MinMatch }

// Learnable reports whether a translation may be learned as approved: it
// has no problems, and it is an exact match or every translation of the
// run was approved by the caller.
func Learnable(r translate.Result, approveAll bool) bool {
	return len(r.Checks.Problems) == 0 && (approveAll || r.Status == translate.StatusExact)
}

// LineSegments makes segments of lines of text, one a line, each with the
// lines around it as its context; IDs count from 1.
func LineSegments(lines []string) []translate.Segment {
	segs := make([]translate.Segment, len(lines))
	for i, l := range lines {
		segs[i] = translate.Segment{ID: strconv.Itoa(i + 1), Source: corpora.Text(l)}
		if i > 0 {
			segs[i].Prev = lines[i-1]
		}
		if i+1 < len(lines) {
			segs[i].Next = lines[i+1]
		}
	}
	return segs
}
