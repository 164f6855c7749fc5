// Package extract finds the entities and terms of a parallel corpus and
// their translations, and turns them into graph batches.
//
// An Extractor is fed translation units (Add) and term-base entries
// (AddTermEntry), then trained once (Train), then asked for one graph.Batch
// per source file (Batch). Extraction works on the tokens of the analysis
// package, so a term is what the search index calls a term:
//
//   - pattern entities: placeholders, URLs, e-mail addresses, paths, dates,
//     versions, numbers with units, acronyms and CamelCase names;
//   - multi-word terms: n-grams of up to four words that neither start nor
//     end with a stop word, ranked by C-value (termhood) and frequency;
//     case and inflection variants share one entity (their stems agree);
//   - term-base entries: authoritative entities with their given
//     translations and statuses.
//
// Translations are learned with IBM Model 1 in both directions, symmetrised
// (grow-diag-final): a term's translation in a unit is the smallest target
// phrase consistent with the alignment of its words. Names, codes and
// numbers that appear unchanged in the target align by identity.
//
// The alignment model can be kept between builds (model.go): Continue
// starts Train from a stored Model and counts only the new units, Model
// returns the merged one, and ReadModelFile and WriteModelFile keep it on
// disk.
package extract

import (
	"encoding/binary"
	"math"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/kgmem/kgmem/analysis"
	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/graph/pattern"
	"github.com/kgmem/kgmem/langtag"
)

// Options tune extraction. Zero fields take the defaults of DefaultOptions.
type Options struct {
	MaxWords        int     // longest multi-word term, in words
	MinCount        int     // fewest occurrences of an extracted term
	MinCValue       float64 // lowest C-value of an extracted term
	MaxTranslations int     // translations kept per term and language
	MinProb         float64 // lowest translation probability kept
	Iterations      int     // EM iterations of the word alignment
	MaxTrainWords   int     // sentences longer than this are not used to train the alignment
	MaxNeighbours   int     // co-occurrence facts kept per entity
}

// DefaultOptions returns the defaults.
func DefaultOptions() Options {
	return Options{
		MaxWords: 4, MinCount: 2, MinCValue: 1.5, MaxTranslations: 3, MinProb: 0.05,
		Iterations: 5, MaxTrainWords: 80, MaxNeighbours: 10,
	}
}

func (o Options) withDefaults() Options {
	d := DefaultOptions()
	if o.MaxWords > 0 {
		d.MaxWords = o.MaxWords
	}
	if o.MinCount > 0 {
		d.MinCount = o.MinCount
	}
	if o.MinCValue > 0 {
		d.MinCValue = o.MinCValue
	}
	if o.MaxTranslations > 0 {
		d.MaxTranslations = o.MaxTranslations
	}
	if o.MinProb > 0 {
		d.MinProb = o.MinProb
	}
	if o.Iterations > 0 {
		d.Iterations = o.Iterations
	}
	if o.MaxTrainWords > 0 {
		d.MaxTrainWords = o.MaxTrainWords
	}
	if o.MaxNeighbours > 0 {
		d.MaxNeighbours = o.MaxNeighbours
	}
	return d
}

// tok is a token stored compactly: offsets into its text and vocabulary IDs.
type tok struct {
	start, end int32
	norm       int32 // lowercased surface, in the side's vocabulary
	stem       int32 // source: lemma in the stem vocabulary; target: 1; 0 for stop words
}

// unitRec is one unit as the extractor keeps it.
type unitRec struct {
	file     int32
	u        *corpora.Unit
	src, tgt []tok
	pats     []pattern.Span // pattern entities of the source
	sent     int            // index in the aligner, or -1
	ms       []mention
}

// vocab interns strings as IDs starting at 1.
type vocab struct {
	ids   map[string]int32
	words []string
}

func newVocab() *vocab { return &vocab{ids: map[string]int32{}, words: []string{""}} }

func (v *vocab) id(s string) int32 {
	if id, ok := v.ids[s]; ok {
		return id
	}
	id := int32(len(v.words))
	v.ids[s] = id
	v.words = append(v.words, s)
	return id
}

// cand is a term candidate: an n-gram of stems, or a pattern entity.
type cand struct {
	bkey     string // its key in Extractor.cands
	key      string // source language ":" stems joined by spaces, or pattern text
	words    int
	freq     int
	surfaces surfaceCounts
	// capital counts occurrences not at the start of a unit written with
	// an initial capital; later counts all occurrences not at the start.
	capital, later int
	typ            graph.EntityType // a pattern type, or "" until Train decides
	termbase       *tbConcept       // the term-base concept it belongs to
	cvalue         float64
	selected       bool
	entity         string // entity ID once selected
	// translations: target key → stats
	trans     map[string]*transStat
	kept      []*transStat // the translations kept, best first
	canonical string       // its most frequent surface form
	nestSum   int          // sum of frequencies of longer candidates that contain it
	nestCnt   int          // how many such candidates
	occUnits  int          // units it was spotted in
}

// surfaceCounts counts the surface forms of a candidate. Most candidates
// are n-grams seen once or always written alike, so the first form is
// counted in place and a map made only for a second one.
type surfaceCounts struct {
	first string
	n     int            // occurrences of first, while more is nil
	more  map[string]int // every form's count, once there are two forms
}

func (sc *surfaceCounts) add(s string) {
	switch {
	case sc.more != nil:
		sc.more[s]++
	case sc.n == 0:
		sc.first, sc.n = s, 1
	case s == sc.first:
		sc.n++
	default:
		sc.more = map[string]int{sc.first: sc.n, s: 1}
		sc.first, sc.n = "", 0
	}
}

// counts returns every form's count. The map is the counter's own when it
// has one: it is only to be read.
func (sc *surfaceCounts) counts() map[string]int {
	if sc.more != nil {
		return sc.more
	}
	if sc.n == 0 {
		return map[string]int{}
	}
	return map[string]int{sc.first: sc.n}
}

type transStat struct {
	key      string
	count    int
	surfaces map[string]int
	// canon counts the surfaces seen where the source was written in its
	// canonical form ("file", not "files"), so that the translation shown
	// is in the same grammatical number.
	canon map[string]int
	best  string
	prob  float64
}

// tbConcept is a term-base entry the extractor has been given.
type tbConcept struct {
	file  int32
	entry *corpora.TermEntry
	id    string // entity ID
	key   string
}

// Extractor extracts entities, terms and translations from a corpus. It is
// not safe for concurrent use.
type Extractor struct {
	opts         Options
	srcLang      string
	tgtLang      string
	srcAn, tgtAn *analysis.Analyzer
	files        []string
	fileIdx      map[string]int32
	units        []unitRec
	srcNorm      *vocab
	tgtNorm      *vocab
	stems        *vocab
	cands        map[string]*cand // by binary stem-ID key, or patternKey
	concepts     []*tbConcept
	al           *aligner
	trained      bool
	cooc         map[[2]string]int // selected entity pair → units (global)
	entOcc       map[string]int    // entity → units it occurs in (global)
	pmi          map[[2]string]float64
	byEntity     map[string]*cand
	totalUnits   int
	inc          *incremental // the alignment model kept between builds (model.go); nil: not kept
}

// New returns an extractor for one language pair.
func New(sourceLang, targetLang string, opts Options) *Extractor {
	return &Extractor{
		opts:    opts.withDefaults(),
		srcLang: sourceLang,
		tgtLang: targetLang,
		srcAn:   analysis.For(sourceLang),
		tgtAn:   analysis.For(targetLang),
		fileIdx: map[string]int32{},
		srcNorm: newVocab(),
		tgtNorm: newVocab(),
		stems:   newVocab(),
		cands:   map[string]*cand{},
		al:      newAligner(),
	}
}

func (x *Extractor) file(name string) int32 {
	if i, ok := x.fileIdx[name]; ok {
		return i
	}
	i := int32(len(x.files))
	x.fileIdx[name] = i
	x.files = append(x.files, name)
	return i
}

// tokens stores analysed tokens compactly, interning their forms.
func (x *Extractor) tokens(ts []analysis.Token, norms *vocab, withStems bool) []tok {
	out := make([]tok, len(ts))
	for i, t := range ts {
		out[i] = tok{start: int32(t.Start), end: int32(t.End), norm: norms.id(t.Norm)}
		switch {
		case t.Stem == "":
		case withStems:
			out[i].stem = x.stems.id(t.Lemma)
		default:
			out[i].stem = 1
		}
	}
	return out
}

// Analysed is a unit analysed for an Extractor: its tokens and pattern
// entities. Analyse makes it without changing the extractor, so that units
// can be analysed on other goroutines while AddAnalysed adds earlier ones.
type Analysed struct {
	u        *corpora.Unit
	src, tgt []analysis.Token
	pats     []pattern.Span
	empty    bool // an empty source or target: not added
}

// Analyse analyses a unit for AddAnalysed. It is safe for concurrent use,
// also with AddAnalysed: it only reads the extractor's analysers.
func (x *Extractor) Analyse(u *corpora.Unit) *Analysed {
	src, tgt := u.Source.Plain(), u.Target.Plain()
	if strings.TrimSpace(src) == "" || strings.TrimSpace(tgt) == "" {
		return &Analysed{u: u, empty: true}
	}
	return &Analysed{u: u, src: x.srcAn.Tokens(src), tgt: x.tgtAn.Tokens(tgt), pats: pattern.Find(src)}
}

// Add adds a translation unit read from file. Units with an empty source
// or target are ignored. The unit must not be modified afterwards.
func (x *Extractor) Add(file string, u *corpora.Unit) { x.AddAnalysed(file, x.Analyse(u)) }

// AddAnalysed adds a unit that Analyse analysed, as Add does. Units must
// be added in the same order as with Add for the same result.
func (x *Extractor) AddAnalysed(file string, a *Analysed) {
	if a.empty {
		return
	}
	u := a.u
	r := unitRec{file: x.file(file), u: u, sent: -1}
	r.src = x.tokens(a.src, x.srcNorm, true)
	r.tgt = x.tokens(a.tgt, x.tgtNorm, false)
	r.pats = a.pats
	if len(r.src) > 0 && len(r.tgt) > 0 && len(r.src) <= x.opts.MaxTrainWords && len(r.tgt) <= x.opts.MaxTrainWords {
		s := make([]int32, len(r.src))
		for i, t := range r.src {
			s[i] = t.norm
		}
		t := make([]int32, len(r.tgt))
		for i, tk := range r.tgt {
			t[i] = tk.norm
		}
		r.sent = x.al.add(s, t)
	}
	x.countCandidates(&r, u.Source.Plain())
	x.units = append(x.units, r)
}

// AddTermEntry adds a term-base entry read from file: an authoritative
// entity whose terms in the source language are spotted in the corpus.
func (x *Extractor) AddTermEntry(file string, e *corpora.TermEntry) {
	var head string
	for _, t := range e.Terms {
		if graph.LangCovers(langtag.Base(x.srcLang), t.Lang.String()) && t.Status != corpora.TermDeprecated {
			head = t.Text
			break
		}
	}
	if head == "" {
		return
	}
	c := &tbConcept{file: x.file(file), entry: e, key: langtag.Base(x.srcLang) + ":" + x.srcAn.Key(head)}
	c.id = graph.EntityID(graph.TypeTerm, c.key)
	x.concepts = append(x.concepts, c)
	for _, t := range e.Terms {
		if !graph.LangCovers(langtag.Base(x.srcLang), t.Lang.String()) {
			continue
		}
		k := x.stemKey(t.Text)
		if k == "" {
			continue
		}
		cd := x.cands[k]
		if cd == nil {
			cd = &cand{bkey: k, key: langtag.Base(x.srcLang) + ":" + x.srcAn.Key(t.Text), words: len(k) / 4}
			x.cands[k] = cd
		}
		cd.termbase = c
	}
}

// stemKey returns the binary candidate key of a term's words: every word's
// stem ID, or its lowercase form's stem-vocabulary ID for stop words.
func (x *Extractor) stemKey(text string) string {
	ts := x.srcAn.Tokens(text)
	if len(ts) == 0 {
		return ""
	}
	b := make([]byte, 0, 4*len(ts))
	for _, t := range ts {
		s := t.Lemma
		if t.Stem == "" {
			s = "\x00" + t.Norm
		}
		b = binary.BigEndian.AppendUint32(b, uint32(x.stems.id(s)))
	}
	return string(b)
}

// wordKey is the ID a token contributes to candidate keys.
func (x *Extractor) wordKey(t tok) int32 {
	if t.stem != 0 {
		return t.stem
	}
	return x.stems.id("\x00" + x.srcNorm.words[t.norm])
}

// lookupWordKey is wordKey without adding to the vocabulary, for readers
// running at the same time: ok is false for a stop word the vocabulary has
// never seen, which no candidate key contains.
func (x *Extractor) lookupWordKey(t tok) (int32, bool) {
	if t.stem != 0 {
		return t.stem, true
	}
	id, ok := x.stems.ids["\x00"+x.srcNorm.words[t.norm]]
	return id, ok
}

// joinable reports whether the text between two tokens keeps them in one
// term: only spaces or a hyphen.
func joinable(text string, a, b tok) bool {
	gap := text[a.end:b.start]
	return gap == " " || gap == "-" || gap == ""
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// countCandidates counts the n-grams and patterns of one unit.
func (x *Extractor) countCandidates(r *unitRec, text string) {
	for _, p := range r.pats {
		k := patternKey(p.Type, text[p.Start:p.End])
		c := x.cands[k]
		if c == nil {
			c = &cand{bkey: k, key: string(p.Type) + ":" + text[p.Start:p.End], words: 1, typ: p.Type}
			x.cands[k] = c
		}
		c.freq++
		c.surfaces.add(text[p.Start:p.End])
	}
	inPattern := func(t tok) bool {
		for _, p := range r.pats {
			if int(t.start) < p.End && p.Start < int(t.end) {
				return true
			}
		}
		return false
	}
	var key []byte
	for i := range r.src {
		first := r.src[i]
		if first.stem == 0 || inPattern(first) || !hasLetter(text[first.start:first.end]) {
			continue
		}
		key = key[:0]
		for n := 1; n <= x.opts.MaxWords && i+n <= len(r.src); n++ {
			last := r.src[i+n-1]
			if n > 1 && (!joinable(text, r.src[i+n-2], last) || inPattern(last)) {
				break
			}
			key = binary.BigEndian.AppendUint32(key, uint32(x.wordKey(last)))
			if last.stem == 0 || !hasLetter(text[last.start:last.end]) {
				continue // does not end a term, but may be inside one
			}
			c := x.cands[string(key)]
			if c == nil {
				c = &cand{bkey: string(key), words: n}
				x.cands[string(key)] = c
			}
			c.freq++
			surface := text[first.start:last.end]
			if i > 0 {
				c.later++
				if r0, _ := utf8.DecodeRuneInString(surface); unicode.IsUpper(r0) {
					c.capital++
				}
			}
			c.surfaces.add(surface)
		}
	}
}

// bestSurface returns the most frequent surface form, preferring the
// lowercase form of a term that is not a name.
func bestSurface(m map[string]int, name bool) string {
	agg := m
	if !name {
		agg = map[string]int{}
		for s, n := range m {
			agg[analysis.LowerFirst(s)] += n
		}
	}
	best, bn := "", -1
	for s, n := range agg {
		if n > bn || (n == bn && s < best) {
			best, bn = s, n
		}
	}
	return best
}

// Train selects the terms, learns the word alignment and the terms'
// translations. Call it once, after the last Add.
func (x *Extractor) Train() {
	x.trainAlignment()
	x.selectTerms()
	x.spotAll()
	// Counting translations and co-occurrences both read the spotted
	// mentions and write apart, so they run at the same time.
	var wg sync.WaitGroup
	wg.Go(x.relations)
	x.learnTranslations()
	wg.Wait()
	x.al = nil // the alignment tables are large and no longer needed
	x.trained = true
}

// selectTerms computes C-values and picks the candidates that are terms.
func (x *Extractor) selectTerms() {
	// Nesting: every candidate's sub-n-grams that are candidates too.
	for k, c := range x.cands {
		if c.typ != "" || c.words < 2 || c.freq < x.opts.MinCount {
			continue
		}
		for n := 1; n < c.words; n++ {
			for i := 0; i+n <= c.words; i++ {
				sub := x.cands[k[4*i:4*(i+n)]]
				if sub != nil {
					sub.nestSum += c.freq
					sub.nestCnt++
				}
			}
		}
	}
	src := langtag.Base(x.srcLang)
	for k, c := range x.cands {
		if c.typ != "" { // patterns
			c.selected = c.freq >= x.opts.MinCount || c.termbase != nil
			c.entity = graph.EntityID(c.typ, c.key)
			continue
		}
		f := float64(c.freq)
		if c.nestCnt > 0 {
			f -= float64(c.nestSum) / float64(c.nestCnt)
		}
		c.cvalue = math.Log2(float64(c.words)+1) * f
		c.selected = c.termbase != nil || (c.freq >= x.opts.MinCount && c.cvalue >= x.opts.MinCValue)
		if !c.selected {
			continue
		}
		if c.key == "" {
			c.key = src + ":" + x.keyText(k)
		}
		switch {
		case c.termbase != nil:
			c.typ = graph.TypeTerm
			c.entity = c.termbase.id
		case c.later > 0 && c.capital*5 >= c.later*4:
			c.typ = graph.TypeName
			c.entity = graph.EntityID(c.typ, c.key)
		default:
			c.typ = graph.TypeTerm
			c.entity = graph.EntityID(c.typ, c.key)
		}
	}
	x.byEntity = map[string]*cand{}
	selected := map[string]*cand{}
	for k, c := range x.cands {
		if c.selected {
			selected[k] = c
			c.canonical = x.canonicalSurface(c)
			if old := x.byEntity[c.entity]; old == nil || c.freq > old.freq {
				x.byEntity[c.entity] = c
			}
		}
	}
	// From here on only selected candidates are looked up. The others,
	// most n-grams, are let go: the collector need not trace them through
	// the rest of the build.
	x.cands = selected
}

// keyText renders a binary candidate key as readable stems.
func (x *Extractor) keyText(k string) string {
	parts := make([]string, 0, len(k)/4)
	for i := 0; i+4 <= len(k); i += 4 {
		w := x.stems.words[binary.BigEndian.Uint32([]byte(k[i:i+4]))]
		parts = append(parts, strings.TrimPrefix(w, "\x00"))
	}
	return strings.Join(parts, " ")
}

// mention is a selected candidate spotted in a unit.
type mention struct {
	c          *cand
	tokFrom    int // token range in src; -1 for a pattern
	tokTo      int
	start, end int // byte span in the source
	tStart     int // byte span of its translation in the target; -1 if none
	tEnd       int
	tkey       string // the translation's key (a term's: its lemmas), set with tStart
}

// spot finds the selected candidates of a unit, longest first, left to
// right, without overlaps; patterns first.
func (x *Extractor) spot(r *unitRec) []mention {
	text := r.u.Source.Plain()
	var ms []mention
	for _, p := range r.pats {
		k := patternKey(p.Type, text[p.Start:p.End])
		if c := x.cands[k]; c != nil && c.selected {
			ms = append(ms, mention{c: c, tokFrom: -1, start: p.Start, end: p.End, tStart: -1})
		}
	}
	covered := func(t tok) bool {
		for _, p := range r.pats {
			if int(t.start) < p.End && p.Start < int(t.end) {
				return true
			}
		}
		return false
	}
	var key []byte
	for i := 0; i < len(r.src); {
		var best *cand
		bestN := 0
		if !covered(r.src[i]) {
			key = key[:0]
			for n := 1; n <= x.opts.MaxWords && i+n <= len(r.src); n++ {
				if n > 1 && (!joinable(text, r.src[i+n-2], r.src[i+n-1]) || covered(r.src[i+n-1])) {
					break
				}
				wk, ok := x.lookupWordKey(r.src[i+n-1])
				if !ok {
					break // a word no candidate has
				}
				key = binary.BigEndian.AppendUint32(key, uint32(wk))
				if c := x.cands[string(key)]; c != nil && c.selected {
					best, bestN = c, n
				}
			}
		}
		if best == nil {
			i++
			continue
		}
		ms = append(ms, mention{c: best, tokFrom: i, tokTo: i + bestN,
			start: int(r.src[i].start), end: int(r.src[i+bestN-1].end), tStart: -1})
		i += bestN
	}
	sort.Slice(ms, func(a, b int) bool { return ms[a].start < ms[b].start })
	return ms
}

// translate finds the target phrase of a mention: by identity for names,
// codes and patterns that appear unchanged in the target, else the target
// phrase that best splits the sentence pair (aligner.bestPhrase).
func (x *Extractor) translate(r *unitRec, m *mention, sc *phraseScratch) {
	src, tgt := r.u.Source.Plain(), r.u.Target.Plain()
	surface := src[m.start:m.end]
	if m.c.typ != graph.TypeTerm {
		if i := strings.Index(tgt, surface); i >= 0 {
			m.tStart, m.tEnd = i, i+len(surface)
			return
		}
		if m.tokFrom < 0 {
			return // a pattern that does not survive translation as it is
		}
	}
	if r.sent < 0 || m.tokFrom < 0 {
		return
	}
	// A term neither starts nor ends with a stop word; neither does its
	// translation ("el archivo" → "archivo").
	okSpan := func(lo, hi int) bool { return r.tgt[lo].stem != 0 && r.tgt[hi].stem != 0 }
	n := m.tokTo - m.tokFrom
	lo, hi, ok := x.al.bestPhrase(r.sent, m.tokFrom, m.tokTo, 2*n+1, okSpan, sc)
	if !ok {
		return
	}
	m.tStart, m.tEnd = int(r.tgt[lo].start), int(r.tgt[hi].end)
}

// spotAll spots the selected candidates of every unit and finds their
// translations (with their target keys). Units are independent and the
// trained model is only read, so the units are shared out among workers,
// one per CPU.
func (x *Extractor) spotAll() {
	workers := min(runtime.GOMAXPROCS(0), max(1, len(x.units)/1024))
	const chunk = 256
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			var sc phraseScratch
			for {
				lo := int(next.Add(chunk)) - chunk
				if lo >= len(x.units) {
					return
				}
				for ui := lo; ui < min(lo+chunk, len(x.units)); ui++ {
					r := &x.units[ui]
					tgt := r.u.Target.Plain()
					r.ms = x.spot(r)
					for mi := range r.ms {
						m := &r.ms[mi]
						x.translate(r, m, &sc)
						if m.tStart < 0 {
							continue
						}
						m.tkey = m.phrase(tgt)
						if m.c.typ == graph.TypeTerm {
							m.tkey = x.tgtAn.Key(m.tkey)
						}
					}
				}
			}
		})
	}
	wg.Wait()
}

// phrase returns the mention's translation in the unit's target text tgt,
// with a term's initial capital removed at the start of the sentence.
func (m *mention) phrase(tgt string) string {
	phrase := tgt[m.tStart:m.tEnd]
	if m.c.typ == graph.TypeTerm && m.tStart == 0 {
		phrase = analysis.LowerFirst(phrase)
	}
	return phrase
}

// learnTranslations counts each term's translations in the units spotAll
// aligned.
func (x *Extractor) learnTranslations() {
	for ui := range x.units {
		r := &x.units[ui]
		src, tgt := r.u.Source.Plain(), r.u.Target.Plain()
		for mi := range r.ms {
			m := &r.ms[mi]
			if m.tStart < 0 {
				continue
			}
			phrase := m.phrase(tgt)
			k := m.tkey
			if m.c.trans == nil {
				m.c.trans = map[string]*transStat{}
			}
			ts := m.c.trans[k]
			if ts == nil {
				ts = &transStat{key: k, surfaces: map[string]int{}, canon: map[string]int{}}
				m.c.trans[k] = ts
			}
			ts.count++
			ts.surfaces[phrase]++
			if strings.EqualFold(src[m.start:m.end], m.c.canonical) {
				ts.canon[phrase]++
			}
		}
	}
	for _, c := range x.cands {
		if !c.selected || len(c.trans) == 0 {
			continue
		}
		total := 0
		for _, t := range c.trans {
			total += t.count
		}
		for _, t := range c.trans {
			t.prob = float64(t.count) / float64(total)
			if len(t.canon) > 0 {
				t.best = bestSurface(t.canon, c.typ != graph.TypeTerm)
			} else {
				t.best = bestSurface(t.surfaces, c.typ != graph.TypeTerm)
			}
			if t.prob >= x.opts.MinProb {
				c.kept = append(c.kept, t)
			}
		}
		sort.Slice(c.kept, func(i, j int) bool {
			if c.kept[i].count != c.kept[j].count {
				return c.kept[i].count > c.kept[j].count
			}
			return c.kept[i].key < c.kept[j].key
		})
		if len(c.kept) > x.opts.MaxTranslations {
			c.kept = c.kept[:x.opts.MaxTranslations]
		}
	}
	// Only the kept translations' keys, best surfaces and probabilities
	// are read from here on, and no unit's tokens.
	for _, c := range x.cands {
		c.trans = nil
		for _, t := range c.kept {
			t.surfaces, t.canon = nil, nil
		}
	}
	for ui := range x.units {
		r := &x.units[ui]
		r.src, r.tgt, r.pats = nil, nil, nil
	}
}

// relations computes co-occurrence (positive PMI) between entities.
func (x *Extractor) relations() {
	x.cooc = map[[2]string]int{}
	x.entOcc = map[string]int{}
	for ui := range x.units {
		ents := x.unitEntities(&x.units[ui])
		for i, a := range ents {
			x.entOcc[a]++
			for _, b := range ents[i+1:] {
				x.cooc[[2]string{a, b}]++
			}
		}
	}
	x.totalUnits = len(x.units)
	type scored struct {
		pair [2]string
		pmi  float64
	}
	per := map[string][]scored{}
	for p, n := range x.cooc {
		if n < 2 {
			continue
		}
		pmi := math.Log2(float64(n) * float64(x.totalUnits) / (float64(x.entOcc[p[0]]) * float64(x.entOcc[p[1]])))
		if pmi <= 0 {
			continue
		}
		per[p[0]] = append(per[p[0]], scored{p, pmi})
		per[p[1]] = append(per[p[1]], scored{p, pmi})
	}
	x.pmi = map[[2]string]float64{}
	for _, ss := range per {
		sort.Slice(ss, func(i, j int) bool {
			if ss[i].pmi != ss[j].pmi {
				return ss[i].pmi > ss[j].pmi
			}
			return lessJoined(ss[i].pair, ss[j].pair)
		})
		if len(ss) > x.opts.MaxNeighbours {
			ss = ss[:x.opts.MaxNeighbours]
		}
		for _, s := range ss {
			x.pmi[s.pair] = s.pmi
		}
	}
}

// unitEntities returns the distinct entities spotted in a unit, sorted.
func (x *Extractor) unitEntities(r *unitRec) []string {
	if len(r.ms) == 0 {
		return nil
	}
	out := make([]string, len(r.ms))
	for i, m := range r.ms {
		out[i] = m.c.entity
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// Files returns the source files in the order they were first added.
func (x *Extractor) Files() []string { return append([]string(nil), x.files...) }

// Term is an extracted term with its best translations, for inspection and
// evaluation.
type Term struct {
	Entity       string
	Type         graph.EntityType
	Text         string
	Count        int
	CValue       float64
	Translations []Translation
}

// Translation is one learned translation of a term.
type Translation struct {
	Text  string
	Count int
	Prob  float64
}

// Terms returns the selected terms, most frequent first.
func (x *Extractor) Terms() []Term {
	var out []Term
	for _, c := range x.byEntity {
		t := Term{Entity: c.entity, Type: c.typ, Text: c.canonical, Count: c.freq, CValue: c.cvalue}
		for _, tr := range c.kept {
			t.Translations = append(t.Translations, Translation{Text: tr.best, Count: tr.count, Prob: tr.prob})
		}
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Entity < out[j].Entity
	})
	return out
}

// Lookup returns the extracted term whose words have the same stems as
// text, if it was selected.
func (x *Extractor) Lookup(text string) (Term, bool) {
	c := x.cands[x.stemKey(text)]
	if c == nil || !c.selected {
		return Term{}, false
	}
	t := Term{Entity: c.entity, Type: c.typ, Text: bestSurface(c.surfaces.counts(), c.typ != graph.TypeTerm), Count: c.freq, CValue: c.cvalue}
	for _, tr := range c.kept {
		t.Translations = append(t.Translations, Translation{Text: tr.best, Count: tr.count, Prob: tr.prob})
	}
	return t, true
}

// patternKey is the Extractor.cands key of a pattern entity. Keys of
// n-grams are big-endian stem IDs and start with a zero byte (there are far
// fewer than 2^24 stems), so 0xff keeps the two apart.
func patternKey(t graph.EntityType, text string) string {
	return "\xff" + string(t) + "\x00" + text
}

// canonicalSurface is the form a term is named by: its most frequent
// uninflected surface ("file" rather than "files", whose lemma differs from
// the word), else its most frequent surface.
func (x *Extractor) canonicalSurface(c *cand) string {
	name := c.typ != graph.TypeTerm
	if name {
		return bestSurface(c.surfaces.counts(), true)
	}
	plain := map[string]int{}
	for s, n := range c.surfaces.counts() {
		if low := strings.ToLower(s); x.srcAn.Key(s) == low {
			plain[low] += n
		}
	}
	if len(plain) > 0 {
		return bestSurface(plain, false)
	}
	return bestSurface(c.surfaces.counts(), false)
}
