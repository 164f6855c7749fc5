// Package translate is kgmem's translation pipeline: for each segment it
// protects what must not change (placeholders, inline codes, escaped
// newlines, keyboard accelerators), retrieves the memory (fuzzy matches,
// spotted terms and their graph facts), fuses it into one weighted context
// (package fusion), asks a model for the translation, checks the result
// (required terms used? placeholders intact?) and gives each segment a status
// and its provenance. It also translates whole documents (TranslateFile) and
// teaches the memory approved translations (Learner).
//
// Start with New and Translator.Translate. The memory and the model are
// small interfaces declared here: Memory (NewMemory adapts kgmem's search
// index and graph store) and Model (a plugins/host model satisfies it).
// Package metrics beside it scores translations.
package translate

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/kgmem/kgmem/analysis"
	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/fusion"
	"github.com/kgmem/kgmem/langtag"
	"github.com/kgmem/kgmem/morph"
	"github.com/kgmem/kgmem/plugins"
)

// Model translates batches of items: a plugins/host model, or any
// plugins.Model.
type Model interface {
	Translate(ctx context.Context, req *plugins.TranslateRequest) (*plugins.TranslateResponse, error)
}

// Query is what the pipeline asks the memory about one segment.
type Query struct {
	// Text is the segment's source as written (with its accelerator), for
	// the translation memory.
	Text string
	// Protected is the text the model will see (accelerator removed, codes
	// as tokens), for term spotting: spans are offsets into it.
	Protected string
	// Prev and Next are the neighbouring sources, and Context the unit's
	// context key, for in-context matches.
	Prev, Next, Context    string
	SourceLang, TargetLang string
	MinMatch               int
	// Engine is the model that will translate, by name: the memory tells
	// how often it missed each learned translation (graph.PredEngineMissed).
	// "" leaves that out.
	Engine string
}

// Memory is what kgmem remembers, as the pipeline reads it. NewMemory
// returns the one backed by the search index and the graph store.
type Memory interface {
	// Matches returns past translations like q.Text, best first.
	Matches(ctx context.Context, q Query) ([]fusion.Match, error)
	// Terms returns the known translations of the terms of q.Protected,
	// and what the graph says about them.
	Terms(ctx context.Context, q Query) ([]fusion.TermCandidate, []fusion.Fact, error)
}

// Statuses of a translated segment.
const (
	StatusExact   = "exact"   // a 100 % (or in-context) match, used as it is
	StatusFuzzy   = "fuzzy"   // a model translation helped by a fuzzy match
	StatusMachine = "machine" // a model translation with no usable match
)

// Options configure a Translator.
type Options struct {
	SourceLang, TargetLang string
	// MinMatch is the lowest fuzzy score used (default 70).
	MinMatch int
	// NoTM and NoKG switch off the translation memory and the knowledge
	// graph (ablations).
	NoTM, NoKG bool
	// NoFragments switches off the sub-segment memory (FragmentFinder):
	// an ablation.
	NoFragments bool
	// Fusion sets budgets and temperatures; MinMatch overrides its
	// MinMatch.
	Fusion fusion.Options
	// Concurrency bounds the segments looked up at once (GOMAXPROCS if 0).
	Concurrency int
	// Explain keeps the fusion's explanation in each Result.
	Explain bool
	// Register is the form of address the model is asked for
	// (plugins.RegisterFormal or RegisterInformal); "" leaves it to the
	// model.
	Register string
	// Engine names the model for the memory's corrections of it
	// (Query.Engine); "" uses none.
	Engine string
	// PostEdits names the model whose recorded post-edits (PostEditor)
	// are applied to its machine translations; "" applies none.
	PostEdits string
	// PostEdit decides which recorded post-edits apply (zero:
	// DefaultPostEditOptions).
	PostEdit PostEditOptions
}

// WithEngine returns o set to use what the memory records of model: its
// corrections of the model's terms (Engine) unless noTerms, its post-edits
// of the model's output (PostEdits) unless noPostEdits.
func (o Options) WithEngine(model string, noTerms, noPostEdits bool) Options {
	o.Engine, o.PostEdits = model, model
	if noTerms {
		o.Engine = ""
	}
	if noPostEdits {
		o.PostEdits = ""
	}
	return o
}

// Segment is one segment to translate.
type Segment struct {
	ID     string
	Source corpora.Segment
	// Prev and Next are the source texts around it in its document.
	Prev, Next string
	// Context is the unit's context key (gettext msgctxt, XLIFF resname):
	// a memory match in another context is not exact.
	Context string
}

// Checks are the post-checks of one translation.
type Checks struct {
	// PlaceholdersIntact is true when every placeholder, code and
	// accelerator came back, none lost or invented.
	PlaceholdersIntact bool `json:"placeholders_intact"`
	// TermsRequired and TermsUsed count the required terms and those the
	// translation uses.
	TermsRequired int `json:"terms_required"`
	TermsUsed     int `json:"terms_used"`
	// DeprecatedUsed counts the deprecated translations of the
	// segment's terms that the translation uses (each is a problem).
	DeprecatedUsed int       `json:"deprecated_used,omitempty"`
	Problems       []Problem `json:"problems,omitempty"`
}

// Result is the translation of one segment and where it came from.
type Result struct {
	ID          string          `json:"id,omitempty"`
	Source      string          `json:"source"`
	Translation string          `json:"translation"`
	Target      corpora.Segment `json:"-"`
	// Status is exact, fuzzy (the model built on a memory match) or
	// machine; Score is the score of the match a fuzzy translation was
	// built on, otherwise the best match's score (0 for none).
	Status string `json:"status"`
	Score  int    `json:"score,omitempty"`
	// ModelScore is the model's confidence, if it gave one.
	ModelScore *float64              `json:"model_score,omitempty"`
	Checks     Checks                `json:"checks"`
	Memory     *fusion.MemoryContext `json:"memory,omitempty"`
}

// Label returns the status as translators read it: "exact", "fuzzy 87 %",
// "machine".
func (r *Result) Label() string {
	if r.Status == StatusFuzzy {
		return fmt.Sprintf("fuzzy %d %%", r.Score)
	}
	return r.Status
}

// Translator runs the pipeline. It is safe for concurrent use.
type Translator struct {
	model  Model
	memory Memory
	opts   Options
}

// New returns a Translator. memory may be nil: no memory at all.
func New(model Model, memory Memory, opts Options) *Translator {
	if opts.MinMatch == 0 {
		opts.MinMatch = fusion.DefaultOptions().MinMatch
	}
	opts.Fusion.MinMatch = opts.MinMatch
	if opts.Concurrency <= 0 {
		opts.Concurrency = runtime.GOMAXPROCS(0)
	}
	if opts.PostEdit == (PostEditOptions{}) {
		opts.PostEdit = DefaultPostEditOptions()
	}
	return &Translator{model: model, memory: memory, opts: opts}
}

// work is one segment on its way through the pipeline.
type work struct {
	seg  Segment
	prot *Protected
	text string // plain source with the accelerator
	mc   fusion.MemoryContext
	// barred are the translations of the segment's terms that must not
	// be used (deprecated): the post-check flags them in the output.
	barred []fusion.TermCandidate
	exact  string // the target of an exact match, used as it is
	// used is the model's word on which match of mc.Matches its
	// translation was built on: an index, plugins.NoMatch, or nil when the
	// model does not say.
	used *int
	// matchTerms are the memory's translations of the words a fuzzy match
	// has and the segment has not: what a model repairing the match looks
	// for in its target.
	matchTerms []fusion.Term
	// labelAt is where the first word of the segment starts when it reads
	// as a UI label (see label), -1 when it does not: the word whose
	// translation takes the infinitive.
	labelAt int
	// edits are the post-edits of the model applied to a machine
	// translation (nil: none).
	edits *PostEdits
	res   Result
}

// postEdits returns the memory's post-edits of the model, nil when the
// options or the memory have none.
func (t *Translator) postEdits(ctx context.Context) (*PostEdits, error) {
	pe, ok := t.memory.(PostEditor)
	if t.opts.PostEdits == "" || !ok {
		return nil, nil
	}
	return pe.PostEdits(ctx, t.opts.PostEdits, t.opts.SourceLang, t.opts.TargetLang, t.opts.PostEdit)
}

// Translate translates segs, returning one Result per segment, in order.
// Retrieval runs for several segments at once; the model gets them all in
// one request, which the host splits into concurrent batches. A cancelled
// ctx stops the work and returns its error.
func (t *Translator) Translate(ctx context.Context, segs []Segment) ([]Result, error) {
	ws := make([]work, len(segs))
	for i := range segs {
		ws[i].seg = segs[i]
		ws[i].prot = Protect(segs[i].Source)
		ws[i].text = segs[i].Source.Plain()
		ws[i].labelAt = -1
		if first, ok := label(ws[i].prot.Text); ok {
			ws[i].labelAt = first.start
		}
	}
	if err := t.retrieve(ctx, ws); err != nil {
		return nil, err
	}
	var items []plugins.Item
	var idx []int
	for i := range ws {
		w := &ws[i]
		if w.exact != "" || strings.TrimSpace(w.prot.Text) == "" {
			continue
		}
		items = append(items, t.item(i, w))
		idx = append(idx, i)
	}
	var results []plugins.Result
	if len(items) > 0 {
		resp, err := t.model.Translate(ctx, &plugins.TranslateRequest{SourceLang: t.opts.SourceLang, TargetLang: t.opts.TargetLang, Register: t.opts.Register, Items: items})
		if err != nil {
			return nil, fmt.Errorf("translate %d segments: %w", len(items), err)
		}
		if len(resp.Results) != len(items) {
			return nil, fmt.Errorf("model returned %d results for %d segments", len(resp.Results), len(items))
		}
		results = resp.Results
	}
	edits, err := t.postEdits(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Result, len(ws))
	for k, i := range idx {
		ws[i].res.ModelScore = results[k].Score
		ws[i].used = results[k].UsedMatch
		ws[i].edits = edits
		t.finish(&ws[i], results[k].Translation, false)
	}
	for i := range ws {
		w := &ws[i]
		if w.exact != "" {
			t.finish(w, w.exact, true)
		} else if strings.TrimSpace(w.prot.Text) == "" {
			// Nothing to translate: white space or codes only.
			w.res.Target = w.seg.Source
			w.res.Translation = w.text
			w.res.Status = StatusExact
			w.res.Checks.PlaceholdersIntact = true
		}
		w.res.ID = w.seg.ID
		w.res.Source = w.text
		if t.opts.Explain {
			mc := w.mc
			w.res.Memory = &mc
		}
		out[i] = w.res
	}
	return out, nil
}

// retrieve fills in each segment's memory context, several at once.
func (t *Translator) retrieve(ctx context.Context, ws []work) error {
	if t.memory == nil || (t.opts.NoTM && t.opts.NoKG) {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan int)
	var wg sync.WaitGroup
	var once sync.Once
	var firstErr error
	for range min(t.opts.Concurrency, len(ws)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				if err := t.retrieveOne(ctx, &ws[i]); err != nil {
					once.Do(func() { firstErr = err; cancel() })
				}
			}
		}()
	}
feed:
	for i := range ws {
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return ctx.Err()
}

func (t *Translator) retrieveOne(ctx context.Context, w *work) error {
	if strings.TrimSpace(w.prot.Text) == "" {
		return nil
	}
	q := Query{Text: w.text, Protected: w.prot.Text, Prev: w.seg.Prev, Next: w.seg.Next, Context: w.seg.Context,
		SourceLang: t.opts.SourceLang, TargetLang: t.opts.TargetLang, MinMatch: t.opts.MinMatch, Engine: t.opts.Engine}
	var in fusion.Input
	in.Query = w.prot.Text
	if !t.opts.NoTM {
		ms, err := t.memory.Matches(ctx, q)
		if err != nil {
			return fmt.Errorf("look up %q in the translation memory: %w", w.text, err)
		}
		in.Matches = ms
	}
	if !t.opts.NoKG {
		terms, facts, err := t.memory.Terms(ctx, q)
		if err != nil {
			return fmt.Errorf("spot terms in %q: %w", w.text, err)
		}
		in.Terms, in.Facts = terms, facts
		for _, tc := range terms {
			if tc.Status.Barred() && strings.TrimSpace(tc.Target) != "" {
				w.barred = append(w.barred, tc)
			}
		}
	}
	if err := t.fragments(ctx, q, &in); err != nil {
		return fmt.Errorf("find the memory's phrases in %q: %w", w.text, err)
	}
	in.Terms = t.markUnfit(w.labelAt, in.Terms)
	w.mc = fusion.Fuse(in, t.opts.Fusion)
	if !t.opts.NoKG {
		mt, err := t.matchTerms(ctx, q, w)
		if err != nil {
			return err
		}
		w.matchTerms = mt
	}
	if best, ok := w.mc.Best(); ok {
		w.res.Score = best.Score
		// An exact match is used as it is, unless the segment has inline
		// codes the plain target cannot carry.
		if best.Score >= 100 && best.Source == w.text && !w.seg.Source.HasCodes() {
			w.exact = best.Target
		}
	}
	return nil
}

// fragments adds to in.Terms the phrases the memory's pairs translate
// alike (FragmentFinder), for a segment with no fuzzy match of at least
// MinMatch: one with a match is the match's repair. A phrase a term
// overrules is left out.
func (t *Translator) fragments(ctx context.Context, q Query, in *fusion.Input) error {
	ff, ok := t.memory.(FragmentFinder)
	if !ok || t.opts.NoTM || t.opts.NoFragments ||
		slices.ContainsFunc(in.Matches, func(m fusion.Match) bool { return m.Score >= t.opts.MinMatch }) {
		return nil
	}
	frags, err := ff.Fragments(ctx, q)
	if err != nil {
		return err
	}
	for _, f := range frags {
		if !slices.ContainsFunc(in.Terms, func(tc fusion.TermCandidate) bool { return t.overrules(tc, f) }) {
			in.Terms = append(in.Terms, f)
		}
	}
	return nil
}

// markUnfit marks the candidates whose form does not fit the translation
// (fusion.TermCandidate.Unfit). It returns cands, or a copy with the
// marks: a memory's candidates may be its cache's.
//
//   - The register: a target that addresses the reader in the other
//     register than the translation's (Options.Register, or the target
//     language's default): a term base that gives "lávate las manos" and
//     "lávese las manos" for one term gives the one a text in usted uses.
//   - A label's verb: the learned translations of a label's first word
//     that are not an infinitive, when one that is was seen at least a
//     third as often as the most seen ("Run macro": "ejecuta" more often
//     than "ejecutar" in the memory; the label is "Ejecutar macro").
func (t *Translator) markUnfit(labelAt int, cands []fusion.TermCandidate) []fusion.TermCandidate {
	unfit := make([]bool, len(cands))
	marked := false
	reg := t.opts.Register
	if reg == "" {
		reg = plugins.DefaultRegister(t.opts.TargetLang)
	}
	if reg != "" {
		for i, c := range cands {
			if a := morph.Address(t.opts.TargetLang, c.Target); a != "" && a != reg {
				unfit[i], marked = true, true
			}
		}
	}
	if labelAt >= 0 {
		learned := func(c fusion.TermCandidate) bool {
			return c.Span.Start == labelAt && !c.Fragment && !c.Status.Authoritative() && !c.Status.Barred()
		}
		infinitive := func(c fusion.TermCandidate) bool {
			inf, _ := morph.Infinitive(t.opts.TargetLang, c.Target)
			return inf
		}
		most := 0
		for _, c := range cands {
			if learned(c) {
				most = max(most, c.Count)
			}
		}
		if slices.ContainsFunc(cands, func(c fusion.TermCandidate) bool {
			return learned(c) && infinitive(c) && most > 0 && 3*c.Count >= most
		}) {
			for i, c := range cands {
				if learned(c) && !infinitive(c) {
					unfit[i], marked = true, true
				}
			}
		}
	}
	if !marked {
		return cands
	}
	out := slices.Clone(cands)
	for i := range out {
		out[i].Unfit = unfit[i]
	}
	return out
}

// overrules reports whether a term candidate tc keeps the fragment f
// out: a term of the term base (or a barred one) that f overlaps, a
// learned translation certain enough to be offered that f would cut in
// two ("data series" for "available for the data"), or one inside f
// whose target f's has not (the memory's "archivo" for "file" over a
// fragment of a few pairs with "fichero").
func (t *Translator) overrules(tc, f fusion.TermCandidate) bool {
	if tc.Span.End <= f.Span.Start || f.Span.End <= tc.Span.Start {
		return false
	}
	if tc.Status.Authoritative() || tc.Status.Barred() {
		return true
	}
	if !t.opts.Fusion.Certain(tc) {
		return false
	}
	// A term over the fragment's very words is the fragment's to decide:
	// its pairs are the term's uses in sentences like this one.
	if tc.Span == f.Span {
		return false
	}
	inside := f.Span.Start <= tc.Span.Start && tc.Span.End <= f.Span.End
	return !inside || !strings.Contains(strings.ToLower(f.Target), strings.ToLower(tc.Target))
}

// matchTermsOf is how many of the best fuzzy matches matchTerms reads.
const matchTermsOf = 2

// matchTerms returns the memory's translations of the terms of the best
// fuzzy matches of w that the segment does not have ("notebook" in "When
// you delete a notebook…" for "When you delete a folder…"), so that a
// model repairing a match can find what to replace in its target
// ("cuaderno") even where it would translate the word otherwise on its
// own ("libreta"). Each term's translation is its best one: a term base's
// before a learned one, then the most seen; a learned one only when it is
// certain enough to be offered for a segment of its own, a barred one
// never. A term inside a longer one counts: the longer may contain a word
// the segment has ("sync your notes" for "sync your files").
func (t *Translator) matchTerms(ctx context.Context, q Query, w *work) ([]fusion.Term, error) {
	have := map[string]bool{}
	for _, word := range strings.FieldsFunc(strings.ToLower(q.Text), notWordRune) {
		have[word] = true
	}
	best := map[string]fusion.TermCandidate{}
	var order []string
	better := func(a, b fusion.TermCandidate) bool {
		if ra, rb := a.Status.Rank(), b.Status.Rank(); ra != rb {
			return ra < rb
		}
		return a.Count > b.Count
	}
	for k, m := range w.mc.Matches {
		if k == matchTermsOf || m.Score >= 100 {
			break
		}
		mq := q
		mq.Text, mq.Protected, mq.Prev, mq.Next, mq.Context = m.Source, m.Source, "", "", ""
		terms, _, err := t.memory.Terms(ctx, mq)
		if err != nil {
			return nil, fmt.Errorf("spot terms in the match %q: %w", m.Source, err)
		}
		for _, tc := range terms {
			if tc.Target == "" || tc.Status.Barred() || !t.opts.Fusion.Certain(tc) {
				continue
			}
			key := strings.ToLower(tc.Source)
			words := strings.FieldsFunc(key, notWordRune)
			if len(words) == 0 || slices.ContainsFunc(words, func(word string) bool { return have[word] }) {
				continue
			}
			old, ok := best[key]
			if !ok {
				order = append(order, key)
			}
			if !ok || better(tc, old) {
				best[key] = tc
			}
		}
	}
	out := make([]fusion.Term, len(order))
	for i, key := range order {
		tc := best[key]
		out[i] = fusion.Term{TermCandidate: tc, Weight: 1, Required: tc.Status.Authoritative()}
	}
	return out, nil
}

func notWordRune(r rune) bool { return !isWordRune(r) }

// item is the model's view of a segment: the protected text, its
// placeholders, and its memory without accelerators.
func (t *Translator) item(i int, w *work) plugins.Item {
	it := plugins.Item{ID: strconv.Itoa(i), Source: w.prot.Text, Placeholders: w.prot.Placeholders}
	for _, m := range w.mc.Matches {
		it.FuzzyMatches = append(it.FuzzyMatches, plugins.FuzzyMatch{
			Source: stripAccelerator(m.Source), Target: stripAccelerator(m.Target),
			Score: float64(m.Score), Weight: m.Weight, Origin: m.Origin,
		})
	}
	for _, tm := range w.mc.Terms {
		c := plugins.TermConstraint{
			SourceSpan: plugins.Span{Start: tm.Span.Start, End: tm.Span.End},
			Source:     tm.Source, Target: caseLike(tm.Target, tm.Source, tm.Span.Start == 0),
			Status: string(tm.Status), Required: tm.Required, Weight: tm.Weight, EntityID: tm.EntityID,
			CorrectsEngine: t.opts.Fusion.Corrects(tm.TermCandidate), Fragment: tm.Fragment,
		}
		for _, a := range t.alternatives(tm, w.labelAt) {
			c.Alternatives = append(c.Alternatives, caseLike(a, tm.Source, tm.Span.Start == 0))
		}
		it.Terms = append(it.Terms, c)
	}
	// The match terms go last, without a span: they are about the
	// matches, not the item, and the indexes of the item's terms stay.
	for _, tm := range w.matchTerms {
		it.Terms = append(it.Terms, plugins.TermConstraint{Source: tm.Source, Target: tm.Target,
			Status: string(tm.Status), Weight: tm.Weight, EntityID: tm.EntityID})
	}
	for _, f := range w.mc.Facts {
		it.Facts = append(it.Facts, plugins.Fact{Subject: f.Subject, Predicate: f.Predicate, Object: f.Object, Weight: f.Weight})
	}
	if w.seg.Prev != "" {
		it.ContextBefore = []string{w.seg.Prev}
	}
	if w.seg.Next != "" {
		it.ContextAfter = []string{w.seg.Next}
	}
	return it
}

// alternatives returns the other translations a term accepts: for a
// required term, its suggestions with the same term-base status (admitted
// synonyms); for a learned one, the other translations the memory has
// seen for the span that are certain enough to offer themselves, or seen
// at least a third as often as the term's ("carga" is not an alternative
// of "Load" → "cargar": a model that writes it has not used the memory);
// for a fragment, none: the span's learned translations are what the
// fragment's pairs did not write ("Copia" for the label "Copy", which they
// translate "Copiar").
func (t *Translator) alternatives(tm fusion.Term, labelAt int) []string {
	if tm.Fragment {
		return nil
	}
	// The verb a label starts with is the infinitive: "Load Keyboard
	// Configuration" is "Cargar…", and the noun the engine reads ("Carga")
	// is not an acceptable translation of the memory's "cargar".
	verb := false
	if labelAt >= 0 && tm.Span.Start == labelAt {
		verb, _ = morph.Infinitive(t.opts.TargetLang, tm.Target)
	}
	var out []string
	for _, s := range tm.Suggestions {
		if s.Target == tm.Target || s.Unfit && !tm.Unfit {
			continue // a translation whose form does not fit is not acceptable
		}
		if verb {
			if inf, _ := morph.Infinitive(t.opts.TargetLang, s.Target); !inf {
				continue
			}
		}
		if tm.Required && s.Status == tm.Status || !tm.Required && (t.opts.Fusion.Certain(s) || 3*s.Count >= tm.Count) {
			out = append(out, s.Target)
		}
	}
	return out
}

// caseLike adapts the case of a term's translation to the source text it
// replaces: a capitalised sentence start gets a capitalised translation; a
// lowercase source gets a lowercase translation unless the term base writes
// it as a name (every word capitalised, or an acronym). A translation in
// capitals for a source that is not ("LÍNEA" for "Line", learned from a
// spreadsheet's function names) is taken in lower case first.
func caseLike(target, source string, sentenceStart bool) string {
	if analysis.AllCaps(target) && !analysis.AllCaps(source) && !strings.EqualFold(target, source) {
		target = strings.ToLower(target)
	}
	s, _ := utf8.DecodeRuneInString(source)
	tr, n := utf8.DecodeRuneInString(target)
	if !unicode.IsLetter(tr) {
		return target
	}
	switch {
	case unicode.IsUpper(s) && sentenceStart:
		return string(unicode.ToUpper(tr)) + target[n:]
	case unicode.IsLetter(s) && unicode.IsLower(s) && unicode.IsUpper(tr) && !nameLike(target):
		return string(unicode.ToLower(tr)) + target[n:]
	case !unicode.IsLetter(s) && unicode.IsUpper(tr) && !nameLike(target):
		// "1918 flu" → "La gripe de 1918": a term list's capital is not
		// the sentence's.
		return string(unicode.ToLower(tr)) + target[n:]
	}
	return target
}

// nameLike reports whether every word of s starts with a capital, or its
// first word is an acronym.
func nameLike(s string) bool {
	ws := strings.Fields(s)
	if len(ws) == 0 {
		return false
	}
	if w := ws[0]; utf8.RuneCountInString(w) > 1 && strings.ToUpper(w) == w {
		return true
	}
	if len(ws) == 1 {
		return false
	}
	for _, w := range ws {
		r, _ := utf8.DecodeRuneInString(w)
		if unicode.IsLetter(r) && !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

// modelStatus labels a model's translation of w, and sets its score to
// that of the match it was built on. A translation is fuzzy when the model
// built it on a memory match; when the model does not say, whenever a
// match of at least MinMatch was offered.
func (t *Translator) modelStatus(w *work) string {
	u := w.used
	if u == nil || *u >= len(w.mc.Matches) || *u < plugins.NoMatch {
		if w.res.Score >= t.opts.MinMatch {
			return StatusFuzzy
		}
		return StatusMachine
	}
	if *u == plugins.NoMatch {
		return StatusMachine
	}
	w.res.Score = w.mc.Matches[*u].Score
	return StatusFuzzy
}

// finish restores and checks a translation.
func (t *Translator) finish(w *work, translation string, exact bool) {
	r := &w.res
	if exact {
		// The match's target already has its accelerator and codes as the
		// memory wrote them; check it against the source as it is.
		// A memory translation that lost the source's keyboard accelerator
		// gets one, as a localiser would give it.
		lost := false
		if w.prot.HasAccelerator() && findAccelerator(translation, unmarkable(translation)) < 0 {
			with, ok := insertAccelerator(translation, *w.prot.accel)
			translation, lost = with, !ok
		}
		r.Target = corpora.Text(translation)
		r.Status = StatusExact
		r.Checks.Problems = comparePlaceholders(w.text, translation)
		if lost {
			r.Checks.Problems = append(r.Checks.Problems, Problem{"accelerator", "the memory's translation has no keyboard accelerator and no place for one"})
		}
	} else {
		r.Status = t.modelStatus(w)
		if r.Status == StatusMachine && w.edits != nil {
			keep := make([]string, 0, len(w.mc.Terms))
			for _, tm := range w.mc.Terms {
				keep = append(keep, tm.Target)
			}
			translation = w.edits.Apply(translation, keep)
		}
		translation = capitalLike(spacedLike(translation, w.prot.Text), w.prot.Text)
		if r.Status == StatusMachine {
			translation = sentenceCase(t.opts.TargetLang, translation, w.prot.Text, w.mc.Terms)
		}
		r.Target, r.Checks.Problems = w.prot.Restore(translation)
	}
	r.Translation = r.Target.Plain()
	if strings.TrimSpace(r.Translation) == "" {
		r.Checks.Problems = append(r.Checks.Problems, Problem{"empty", "the model returned no translation"})
	}
	r.Checks.PlaceholdersIntact = true
	for _, p := range r.Checks.Problems {
		if p.Kind == "placeholder" || p.Kind == "code" || p.Kind == "accelerator" {
			r.Checks.PlaceholdersIntact = false
		}
	}
	// An inline code separates words ("carpeta<x/>and"), though the
	// plain text runs them together; the accelerator may be put inside a
	// term ("cuader_no").
	words := spacedText(r.Target)
	if w.prot.HasAccelerator() {
		words = stripAccelerator(words)
	}
	for _, tm := range w.mc.Terms {
		if !tm.Required {
			continue
		}
		r.Checks.TermsRequired++
		used := containsWord(words, tm.Target)
		for _, a := range t.alternatives(tm, w.labelAt) {
			used = used || containsWord(words, a)
		}
		if used {
			r.Checks.TermsUsed++
		} else {
			r.Checks.Problems = append(r.Checks.Problems, Problem{"term", fmt.Sprintf("%q should be translated %q", tm.Source, tm.Target)})
		}
	}
	flagged := map[string]bool{}
	for _, b := range w.barred {
		key := strings.ToLower(b.Target)
		if flagged[key] || !containsWord(words, b.Target) || allowedElsewhere(w.mc.Terms, b) {
			continue
		}
		flagged[key] = true
		r.Checks.DeprecatedUsed++
		r.Checks.Problems = append(r.Checks.Problems, Problem{"deprecated", fmt.Sprintf("%q is a deprecated translation of %q", b.Target, b.Source)})
	}
}

// allowedElsewhere reports whether a barred translation is also the
// offered translation of a term of the segment (then using it is right).
func allowedElsewhere(terms []fusion.Term, b fusion.TermCandidate) bool {
	for _, tm := range terms {
		if strings.EqualFold(tm.Target, b.Target) {
			return true
		}
	}
	return false
}

// comparePlaceholders reports the placeholders of src that translation
// lost or invented.
func comparePlaceholders(src, translation string) []Problem {
	want, got := Placeholders(src), Placeholders(translation)
	slices.Sort(want)
	slices.Sort(got)
	lost, extra := diff(want, got)
	var ps []Problem
	for _, s := range lost {
		ps = append(ps, Problem{"placeholder", fmt.Sprintf("lost %q", s)})
	}
	for _, s := range extra {
		ps = append(ps, Problem{"placeholder", fmt.Sprintf("invented or duplicated %q", s)})
	}
	return ps
}

// containsWord reports whether s contains w as whole words, ignoring case.
func containsWord(s, w string) bool {
	s, w = strings.ToLower(s), strings.ToLower(strings.TrimSpace(w))
	if w == "" {
		return true
	}
	for from := 0; ; {
		i := strings.Index(s[from:], w)
		if i < 0 {
			return false
		}
		i += from
		before, _ := utf8.DecodeLastRuneInString(s[:i])
		after, _ := utf8.DecodeRuneInString(s[i+len(w):])
		if !isWordRune(before) && !isWordRune(after) {
			return true
		}
		from = i + 1
	}
}

// spacedText returns the text of a segment with a space for each inline
// code.
func spacedText(s corpora.Segment) string {
	var b strings.Builder
	for _, sp := range s.Spans {
		if sp.Code != nil {
			b.WriteByte(' ')
		}
		b.WriteString(sp.Text)
	}
	return b.String()
}

func isWordRune(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// capitalLike gives a translation the capital (or not) of its source's
// first letter, as translators do: a repaired match or a term written in
// lower case must not start a capitalised sentence in lower case.
func capitalLike(translation, source string) string {
	s := firstLetter(source)
	i, t := -1, rune(0)
	for k, r := range translation {
		if unicode.IsLetter(r) {
			i, t = k, r
			break
		}
		if !unicode.IsPunct(r) && !unicode.IsSpace(r) {
			return translation // starts with a number or a placeholder
		}
	}
	if i < 0 || s == 0 || !unicode.IsUpper(s) || !unicode.IsLower(t) {
		return translation
	}
	return translation[:i] + string(unicode.ToUpper(t)) + translation[i+utf8.RuneLen(t):]
}

// sentenceCaseLangs write titles in sentence case ("Exportar como PDF"
// for "Export as PDF"), not in English title case.
var sentenceCaseLangs = map[string]bool{"es": true, "pt": true, "fr": true, "it": true, "ca": true, "gl": true}

// sentenceCase lowers the capitals an engine copied from an English title
// ("Problemas Durante Exportación" for "Problems During Export") in a
// language that writes titles in sentence case. Only when the source is
// in title case (every word of four letters or more capitalised, at least
// two of them); the first word, words in capitals or with inner capitals
// (PDF, NeXT), words the source has as they are (names: Calc, Lumen),
// and the words of the terms' translations stay.
func sentenceCase(lang, translation, source string, terms []fusion.Term) string {
	if !sentenceCaseLangs[langtag.Base(lang)] || !titleCase(source) {
		return translation
	}
	keep := map[string]bool{}
	for _, w := range strings.FieldsFunc(source, notWordRune) {
		keep[w] = true
	}
	for _, tm := range terms {
		for _, w := range strings.FieldsFunc(tm.Target, notWordRune) {
			keep[w] = true
		}
	}
	var b strings.Builder
	first := true
	for i := 0; i < len(translation); {
		r, n := utf8.DecodeRuneInString(translation[i:])
		if !isWordRune(r) {
			if strings.ContainsRune(".!?:", r) {
				first = true // a new sentence
			}
			b.WriteString(translation[i : i+n])
			i += n
			continue
		}
		j := i
		for j < len(translation) {
			r2, n2 := utf8.DecodeRuneInString(translation[j:])
			if !isWordRune(r2) {
				break
			}
			j += n2
		}
		w := translation[i:j]
		if !first && unicode.IsUpper(r) && !keep[w] && strings.ToLower(w[n:]) == w[n:] {
			w = string(unicode.ToLower(r)) + w[n:]
		}
		if unicode.IsLetter(r) {
			first = false
		}
		b.WriteString(w)
		i = j
	}
	return b.String()
}

// titleCase reports whether s is written in English title case.
func titleCase(s string) bool {
	long := 0
	for _, w := range strings.FieldsFunc(s, notWordRune) {
		r, _ := utf8.DecodeRuneInString(w)
		if utf8.RuneCountInString(w) < 4 || !unicode.IsLetter(r) {
			continue
		}
		if !unicode.IsUpper(r) {
			return false
		}
		long++
	}
	return long >= 2
}

// spacedLike gives a translation the spacing of its source: runs of
// spaces collapse to one unless the source has such runs (engines leave
// two where they drop a word: "cuándo  ordenas"), and the translation
// begins and ends with the source's spaces.
func spacedLike(translation, source string) string {
	if strings.Trim(translation, " ") == "" || strings.Trim(source, " ") == "" {
		return translation
	}
	if !strings.Contains(source, "  ") {
		var b strings.Builder
		b.Grow(len(translation))
		prev := rune(0)
		for _, r := range translation {
			if r == ' ' && prev == ' ' {
				continue
			}
			b.WriteRune(r)
			prev = r
		}
		translation = b.String()
	}
	body := strings.Trim(translation, " ")
	lead := source[:len(source)-len(strings.TrimLeft(source, " "))]
	trail := source[len(strings.TrimRight(source, " ")):]
	return lead + body + trail
}

func firstLetter(s string) rune {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return r
		}
		if !unicode.IsPunct(r) && !unicode.IsSpace(r) {
			return 0
		}
	}
	return 0
}
