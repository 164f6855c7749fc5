package evaluate

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kgmem/kgmem/retrieval"
	"github.com/kgmem/kgmem/translate"
	"github.com/kgmem/kgmem/translate/metrics"
)

// Config is one configuration of the memory under test: an ablation.
type Config struct {
	// Name is the ablation's name: none, engine, tm, kg or tm+kg.
	Name string `json:"name"`
	// NoTM and NoKG switch the translation memory and the knowledge graph
	// off.
	NoTM bool `json:"no_tm"`
	NoKG bool `json:"no_kg"`
	// NoEngine leaves out the memory's corrections of the model
	// (translate.Options.Engine).
	NoEngine bool `json:"no_engine,omitempty"`
	// NoPostEdits leaves out the memory's post-edits of the model's
	// output (translate.Options.PostEdits).
	NoPostEdits bool `json:"no_post_edits,omitempty"`
	// NoFragments leaves out the sub-segment memory
	// (translate.Options.NoFragments).
	NoFragments bool `json:"no_fragments,omitempty"`
}

// Ablations returns the configurations, by what they switch off: none
// (the full memory), tm (no translation memory), kg (no knowledge graph),
// tm+kg (the model alone), engine (the memory's corrections of the
// model's term translations), postedit (its post-edits of the model's
// output) and fragments (the sub-segment memory).
func Ablations() []Config {
	return []Config{
		{Name: "none"},
		{Name: "tm", NoTM: true},
		{Name: "kg", NoKG: true},
		{Name: "tm+kg", NoTM: true, NoKG: true},
		{Name: "engine", NoEngine: true},
		{Name: "postedit", NoPostEdits: true},
		{Name: "fragments", NoFragments: true},
	}
}

// ErrBadAblation is returned by ParseAblations for a name it does not know.
var ErrBadAblation = errors.New("unknown ablation")

// ParseAblations parses a comma-separated list of ablation names (see
// Ablations; "kg+tm" is "tm+kg"), keeping its order and dropping repeats.
func ParseAblations(s string) ([]Config, error) {
	var out []Config
	all := Ablations()
	for _, name := range strings.Split(s, ",") {
		name = strings.ToLower(strings.TrimSpace(name))
		if name == "kg+tm" {
			name = "tm+kg"
		}
		i := slices.IndexFunc(all, func(c Config) bool { return c.Name == name })
		if i < 0 {
			return nil, fmt.Errorf("%w %q: use none, engine, postedit, fragments, tm, kg or tm+kg", ErrBadAblation, name)
		}
		if !slices.Contains(out, all[i]) {
			out = append(out, all[i])
		}
	}
	return out, nil
}

// Label says what a configuration translates with, for reports.
func (c Config) Label() string {
	switch {
	case c.NoTM && c.NoKG:
		return "model alone"
	case c.NoTM:
		return "graph only (no TM)"
	case c.NoKG:
		return "TM only (no graph)"
	case c.NoEngine:
		return "no engine corrections"
	case c.NoPostEdits:
		return "no post-edits"
	case c.NoFragments:
		return "no fragments"
	}
	return "full memory"
}

// Progress is told about long work: a phase starts with its expected total
// (0 if unknown), and Add counts items done.
type Progress interface {
	Phase(name string, total int64)
	Add(n int64)
}

type noProgress struct{}

func (noProgress) Phase(string, int64) {}
func (noProgress) Add(int64)           {}

// DefaultBatch is how many segments go to the pipeline at once.
const DefaultBatch = 64

// DefaultBlock is how many segments an online block holds.
const DefaultBlock = 100

// Options configure Run.
type Options struct {
	SourceLang, TargetLang string
	// Model translates; ModelName names it in the report.
	Model     translate.Model
	ModelName string
	// Memory is what the configurations draw on; nil for none (every
	// configuration is then the model alone).
	Memory translate.Memory
	// MinMatch is the lowest fuzzy-match score used (the pipeline's
	// default if 0).
	MinMatch int
	// Configs are the configurations to run, in order (all Ablations if
	// empty).
	Configs []Config
	// Terms is the term list term accuracy and consistency are measured
	// with; nil measures neither.
	Terms []metrics.Term
	// Batch is how many segments go to the pipeline at once (DefaultBatch
	// if 0). Latency per segment is a batch's time over its size.
	Batch int
	// Exact finds test pairs already in the memory with an exact-match
	// lookup; *retrieval.Index is one. nil checks nothing.
	Exact translate.FuzzyMatcher
	// AllowExact scores the pairs Exact finds too, instead of leaving
	// them out.
	AllowExact bool
	// Online, when set, runs the online experiment after the
	// configurations.
	Online *Online
	// Progress is told about each phase; nil for none.
	Progress Progress
}

// Online configures the online experiment: the test stream translated in
// order, one segment (or LearnEvery segments) at a time, each reference
// learned as an approved translation before the next segment.
type Online struct {
	// Config is the configuration the stream is translated with (the
	// full memory if its Name is empty).
	Config Config
	// Block is how many segments a reported block holds (DefaultBlock if
	// 0).
	Block int
	// Memory returns the memory to translate the next segment with. It is
	// called after each learning step, so that nothing read before is
	// cached. Learning writes into it: it should be a copy of
	// Options.Memory (see Snapshot). The runs without learning all happen
	// before the first learning step.
	Memory func() translate.Memory
	// Learner learns each (source, reference) pair.
	Learner *translate.Learner
	// LearnEvery is how many segments are translated (as one batch)
	// before their references are learned (in one call): 1, the default,
	// learns after every segment. Learning costs a catch-up of the search
	// index, which grows with the memory; a larger step makes the
	// experiment affordable on a large memory, as a team that approves
	// translations in batches would.
	LearnEvery int
}

// Run translates pairs under each configuration, scores and times every
// run, and runs the online experiment if asked. When ctx is cancelled it
// stops and returns the report of what was done, marked partial, with
// ctx's error.
func Run(ctx context.Context, pairs []Pair, opts Options) (*Report, error) {
	if opts.Progress == nil {
		opts.Progress = noProgress{}
	}
	if opts.Batch <= 0 {
		opts.Batch = DefaultBatch
	}
	if len(opts.Configs) == 0 {
		opts.Configs = Ablations()
	}
	if on := opts.Online; on != nil && (on.Memory == nil || on.Learner == nil) {
		return nil, errors.New("evaluate: an online run needs Online.Memory and Online.Learner")
	}
	var matcher *metrics.TermMatcher
	if opts.Terms != nil {
		matcher = metrics.NewTermMatcher(opts.Terms)
	}
	r := &Report{Model: opts.ModelName, SourceLang: opts.SourceLang, TargetLang: opts.TargetLang,
		TestPairs: len(pairs), AllowExact: opts.AllowExact, Configs: []ConfigReport{}}
	if matcher != nil {
		r.Terms = len(matcher.Terms())
	}

	scored, err := guard(ctx, pairs, opts, r)
	if err != nil {
		r.Partial = true
		return r, err
	}
	r.Scored = len(scored)
	for _, p := range scored {
		r.Sources = append(r.Sources, Line(p.Source.Plain()))
		r.References = append(r.References, Line(p.Reference))
	}
	for _, c := range opts.Configs {
		cr, err := runConfig(ctx, c, scored, opts, matcher)
		r.Configs = append(r.Configs, cr)
		if err != nil {
			r.Partial = true
			return r, err
		}
	}
	if opts.Online != nil {
		on, err := runOnline(ctx, scored, opts, r, matcher)
		r.Online = on
		if err != nil {
			r.Partial = true
			return r, err
		}
	}
	return r, nil
}

// guard finds the pairs already in the memory, records them in r and
// returns the pairs to score.
func guard(ctx context.Context, pairs []Pair, opts Options, r *Report) ([]Pair, error) {
	if opts.Exact == nil {
		return pairs, nil
	}
	opts.Progress.Phase("leakage check", int64(len(pairs)))
	var kept []Pair
	for _, p := range pairs {
		src := p.Source.Plain()
		ms, err := opts.Exact.Lookup(ctx, retrieval.Query{Text: src, SourceLang: opts.SourceLang, TargetLang: opts.TargetLang, Min: 100, Limit: 20})
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, fmt.Errorf("look up %q in the memory: %w", src, err)
		}
		leaked := slices.ContainsFunc(ms, func(m retrieval.Match) bool {
			return m.Score >= 100 && m.Source == src && m.Target == p.Reference
		})
		opts.Progress.Add(1)
		if leaked {
			r.ExactInMemory++
			r.Excluded = append(r.Excluded, ExcludedPair{Source: Line(src), Reference: Line(p.Reference)})
			if !opts.AllowExact {
				continue
			}
		}
		kept = append(kept, p)
	}
	if !opts.AllowExact {
		r.ExcludedExact = r.ExactInMemory
	}
	return kept, nil
}

// translated is the output of one run over the scored pairs.
type translated struct {
	results []translate.Result
	latency []time.Duration // per segment
	elapsed time.Duration
}

// translateAll translates pairs in batches with tr.
func translateAll(ctx context.Context, tr *translate.Translator, pairs []Pair, batch int, p Progress) (translated, error) {
	var out translated
	for from := 0; from < len(pairs); from += batch {
		to := min(from+batch, len(pairs))
		segs := make([]translate.Segment, 0, to-from)
		for _, p := range pairs[from:to] {
			segs = append(segs, translate.Segment{ID: p.ID, Source: p.Source, Prev: p.Prev, Next: p.Next})
		}
		start := time.Now()
		rs, err := tr.Translate(ctx, segs)
		d := time.Since(start)
		if err != nil {
			if ctx.Err() != nil {
				err = ctx.Err()
			}
			return out, err
		}
		out.elapsed += d
		out.results = append(out.results, rs...)
		for range rs {
			out.latency = append(out.latency, d/time.Duration(len(rs)))
		}
		p.Add(int64(len(rs)))
	}
	return out, nil
}

func (o Options) translator(c Config, mem translate.Memory) *translate.Translator {
	if c.NoTM && c.NoKG {
		mem = nil
	}
	return translate.New(o.Model, mem, translate.Options{SourceLang: o.SourceLang, TargetLang: o.TargetLang,
		MinMatch: o.MinMatch, NoTM: c.NoTM, NoKG: c.NoKG, NoFragments: c.NoFragments}.WithEngine(o.ModelName, c.NoEngine, c.NoPostEdits))
}

// runConfig translates and scores the pairs under one configuration.
func runConfig(ctx context.Context, c Config, pairs []Pair, opts Options, m *metrics.TermMatcher) (ConfigReport, error) {
	opts.Progress.Phase("translate ("+c.Name+")", int64(len(pairs)))
	t, err := translateAll(ctx, opts.translator(c, opts.Memory), pairs, opts.Batch, opts.Progress)
	cr := ConfigReport{Config: c, Label: c.Label()}
	serr := cr.fill(t, pairs, m)
	if err != nil {
		cr.Partial = true
		return cr, err
	}
	return cr, serr
}

// fill scores the results of a run.
func (cr *ConfigReport) fill(t translated, pairs []Pair, m *metrics.TermMatcher) error {
	n := len(t.results)
	cr.Segments = n
	cr.Seconds = t.elapsed.Seconds()
	if cr.Seconds > 0 {
		cr.SegmentsPerSecond = float64(n) / cr.Seconds
	}
	cr.LatencyMS = latency(t.latency)
	cr.Statuses = map[string]int{}
	scores := make([]float64, n)
	for i, res := range t.results {
		cr.Hypotheses = append(cr.Hypotheses, Line(res.Translation))
		cr.Statuses[res.Status]++
		cr.status = append(cr.status, res.Status)
		scores[i] = float64(res.Score)
		if len(res.Checks.Problems) > 0 {
			cr.Problems++
		}
	}
	cr.Leverage = leverage(scores)
	if n == 0 {
		return nil
	}
	var err error
	cr.Scores, err = score(cr.Hypotheses, pairs[:n], m)
	return err
}

// Scores are the quality measures of a set of hypotheses.
type Scores struct {
	BLEU   float64 `json:"bleu"`
	ChrF   float64 `json:"chrf"`
	ChrFPP float64 `json:"chrfpp"`
	TER    float64 `json:"ter"`
	// TermAccuracy and TermConsistency are percentages, null when no term
	// list was given or no term occurred. PlaceholderAccuracy is null when
	// no source segment has a placeholder.
	TermAccuracy        *float64 `json:"term_accuracy"`
	TermConsistency     *float64 `json:"term_consistency"`
	PlaceholderAccuracy *float64 `json:"placeholder_accuracy"`
	Details             Details  `json:"details"`
}

// Details are the counts behind Scores.
type Details struct {
	BLEU            string `json:"bleu"` // as sacreBLEU prints it
	BLEUSignature   string `json:"bleu_signature"`
	ChrFSignature   string `json:"chrf_signature"`
	TERSignature    string `json:"ter_signature"`
	TermsMatched    int    `json:"terms_matched"`
	TermsTotal      int    `json:"terms_total"`
	TermsConsistent int    `json:"terms_consistent"`
	TermsRepeated   int    `json:"terms_repeated"`
	// PlaceholdersKept of PlaceholderSegments source segments with
	// placeholders kept them all.
	PlaceholdersKept    int `json:"placeholders_kept"`
	PlaceholderSegments int `json:"placeholder_segments"`
}

// score scores hyps (one line each) against the pairs' references.
func score(hyps []string, pairs []Pair, m *metrics.TermMatcher) (Scores, error) {
	var s Scores
	srcs := make([]string, len(pairs))
	refs := make([]string, len(pairs))
	for i, p := range pairs {
		srcs[i], refs[i] = Line(p.Source.Plain()), Line(p.Reference)
	}
	b, err := metrics.CorpusBLEU(hyps, refs)
	if err != nil {
		return s, fmt.Errorf("score: %w", err)
	}
	s.BLEU, s.Details.BLEU, s.Details.BLEUSignature = b.Score, b.String(), b.Signature
	c, err := metrics.CorpusChrF(hyps, refs)
	if err != nil {
		return s, fmt.Errorf("score: %w", err)
	}
	s.ChrF, s.Details.ChrFSignature = c.Score, c.Signature
	if c, err = metrics.CorpusChrFPP(hyps, refs); err != nil {
		return s, fmt.Errorf("score: %w", err)
	}
	s.ChrFPP = c.Score
	t, err := metrics.CorpusTER(hyps, refs)
	if err != nil {
		return s, fmt.Errorf("score: %w", err)
	}
	s.TER, s.Details.TERSignature = t.Score, t.Signature
	p, err := metrics.PlaceholderAccuracy(srcs, hyps)
	if err != nil {
		return s, fmt.Errorf("score: %w", err)
	}
	s.Details.PlaceholdersKept, s.Details.PlaceholderSegments = p.Correct, p.Segments
	if p.Segments > 0 {
		s.PlaceholderAccuracy = ptr(p.Score)
	}
	if m == nil {
		return s, nil
	}
	a, err := m.Accuracy(srcs, refs, hyps)
	if err != nil {
		return s, fmt.Errorf("score: %w", err)
	}
	s.Details.TermsMatched, s.Details.TermsTotal = a.Matched, a.Total
	if a.Total > 0 {
		s.TermAccuracy = ptr(a.Score)
	}
	tc, err := m.Consistency(srcs, hyps)
	if err != nil {
		return s, fmt.Errorf("score: %w", err)
	}
	s.Details.TermsConsistent, s.Details.TermsRepeated = tc.Consistent, tc.Total
	if tc.Total > 0 {
		s.TermConsistency = ptr(tc.Score)
	}
	return s, nil
}

func ptr(f float64) *float64 { return &f }

// latency returns the median and 95th percentile of ds in milliseconds
// (nearest rank).
func latency(ds []time.Duration) Latency {
	if len(ds) == 0 {
		return Latency{}
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	rank := func(q float64) float64 {
		i := int(q*float64(len(s))+0.999999) - 1
		i = max(0, min(i, len(s)-1))
		return float64(s[i].Microseconds()) / 1000
	}
	return Latency{P50: rank(0.50), P95: rank(0.95)}
}

// leverage returns the leverage bands of the best-match scores.
func leverage(scores []float64) map[string]Band {
	out := map[string]Band{}
	for _, b := range metrics.Leverage(scores) {
		out[b.Band] = Band{Segments: b.Segments, Share: b.Share}
	}
	return out
}

// runOnline translates the stream a segment at a time, learning each
// reference after its segment, and compares it block by block with the
// same stream translated without learning.
func runOnline(ctx context.Context, pairs []Pair, opts Options, r *Report, m *metrics.TermMatcher) (*OnlineReport, error) {
	on := opts.Online
	c := on.Config
	if c.Name == "" {
		c = Ablations()[0]
	}
	block := on.Block
	if block <= 0 {
		block = DefaultBlock
	}
	rep := &OnlineReport{Config: c.Name, Block: block, LearnEvery: max(on.LearnEvery, 1)}

	// Without learning: the configuration's run if there was one.
	var base *ConfigReport
	for i := range r.Configs {
		if r.Configs[i].Config == c && !r.Configs[i].Partial {
			base = &r.Configs[i]
		}
	}
	if base == nil {
		cr, err := runConfig(ctx, c, pairs, opts, m)
		if err != nil {
			rep.Partial = true
			return rep, err
		}
		base = &cr
	}

	opts.Progress.Phase("online ("+c.Name+", learning)", int64(len(pairs)))
	var lat, learnLat []time.Duration
	var results []translate.Result
	var err error
	for from := 0; from < len(pairs); from += rep.LearnEvery {
		step := pairs[from:min(from+rep.LearnEvery, len(pairs))]
		segs := make([]translate.Segment, len(step))
		learn := make([]translate.Pair, len(step))
		for i, p := range step {
			segs[i] = translate.Segment{ID: p.ID, Source: p.Source, Prev: p.Prev, Next: p.Next}
			learn[i] = translate.Pair{Source: p.Source.Plain(), Target: p.Reference, Origin: "eval"}
		}
		start := time.Now()
		var rs []translate.Result
		if rs, err = opts.translator(c, on.Memory()).Translate(ctx, segs); err != nil {
			break
		}
		d := time.Since(start)
		for range rs {
			lat = append(lat, d/time.Duration(len(rs)))
		}
		results = append(results, rs...)
		start = time.Now()
		if _, err = on.Learner.Learn(ctx, opts.SourceLang, opts.TargetLang, learn); err != nil {
			break
		}
		learnLat = append(learnLat, time.Since(start))
		opts.Progress.Add(int64(len(step)))
	}
	if err != nil && ctx.Err() != nil {
		err = ctx.Err()
	}
	serr := rep.fill(results, pairs, base, block, m)
	rep.LatencyMS, rep.LearnLatencyMS = latency(lat), latency(learnLat)
	if err != nil {
		rep.Partial = true
		return rep, fmt.Errorf("online run: %w", err)
	}
	return rep, serr
}

// fill scores the online stream's results against the baseline, block by
// block.
func (rep *OnlineReport) fill(results []translate.Result, pairs []Pair, base *ConfigReport, block int, m *metrics.TermMatcher) error {
	n := len(results)
	rep.Segments = n
	rep.Statuses = map[string]int{}
	for _, res := range results {
		rep.Hypotheses = append(rep.Hypotheses, Line(res.Translation))
		rep.Statuses[res.Status]++
	}
	if n == 0 {
		return nil
	}
	baseHyps := base.Hypotheses[:min(n, len(base.Hypotheses))]
	var err error
	if rep.Learning, err = score(rep.Hypotheses, pairs[:n], m); err != nil {
		return err
	}
	if len(baseHyps) == n {
		if rep.Without, err = score(baseHyps, pairs[:n], m); err != nil {
			return err
		}
	}
	for from := 0; from < n; from += block {
		to := min(from+block, n)
		b := OnlineBlock{From: from + 1, To: to}
		refs := make([]string, 0, to-from)
		for _, p := range pairs[from:to] {
			refs = append(refs, Line(p.Reference))
		}
		if c, err := metrics.CorpusChrF(rep.Hypotheses[from:to], refs); err == nil {
			b.ChrF = c.Score
		}
		if to <= len(baseHyps) {
			if c, err := metrics.CorpusChrF(baseHyps[from:to], refs); err == nil {
				b.ChrFWithout = c.Score
			}
		}
		for i, res := range results[from:to] {
			if res.Status == translate.StatusExact {
				b.Exact++
			}
			if from+i < len(base.status) && base.status[from+i] == translate.StatusExact {
				b.ExactWithout++
			}
		}
		rep.Blocks = append(rep.Blocks, b)
	}
	return nil
}
