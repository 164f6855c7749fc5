// Package extract finds the entities and terms of a parallel corpus and
// their translations, and turns them into graph batches.
//
// An Extractor is fed translation units (Add) and term-base entries
// (AddTermEntry), then trained once (Train), then asked for the graph
// batches of each source file (Batches), and closed (Close). Extraction
// works on the tokens of the analysis package, so a term is what the search
// index calls a term:
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
// Memory. What an Extractor holds depends on the vocabulary of the corpus
// (words, candidate terms, word pairs, entities) and on the batch being
// written, not on the number of units: each unit is kept as a record in a
// log (spill.go) that stays in memory only while the logs are small, and
// the candidate table and a file's segments go to sorted runs on disk when
// they outgrow their share of Options.MemoryLimit. Reading them back gives
// exactly what holding them in memory would: the graph does not depend on
// the limit.
//
// The alignment model can be kept between builds (model.go): Continue
// starts Train from a stored Model and counts only the new units, Model
// returns the merged one, and ReadModelFile and WriteModelFile keep it on
// disk.
package extract

import (
	"encoding/binary"
	"errors"
	"sort"
	"strings"
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
	// MemoryLimit is about how many bytes the tables that grow with the
	// corpus (the units, the candidate counts, a file's segments) may
	// hold in memory; beyond it they go to temporary files in TempDir.
	// 0: DefaultMemoryLimit. It does not change what is extracted.
	MemoryLimit int64
	// TempDir is the directory for temporary files; "": the system's.
	TempDir string
}

// DefaultOptions returns the defaults.
func DefaultOptions() Options {
	return Options{
		MaxWords: 4, MinCount: 2, MinCValue: 1.5, MaxTranslations: 3, MinProb: 0.05,
		Iterations: 5, MaxTrainWords: 80, MaxNeighbours: 10,
	}
}

// DefaultMemoryLimit is the memory limit of Options when none is given.
const DefaultMemoryLimit = 1 << 30

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
	d.MemoryLimit = o.MemoryLimit
	if d.MemoryLimit <= 0 {
		d.MemoryLimit = DefaultMemoryLimit
	}
	d.TempDir = o.TempDir
	return d
}

// share returns a part of the memory limit, in bytes, for one table: the
// tables of one phase of extraction together stay within the limit.
func (o Options) share(parts int) int {
	return int(min(o.MemoryLimit/int64(parts), 1<<40))
}

// tok is a token stored compactly: offsets into its text and vocabulary IDs.
type tok struct {
	start, end int32
	norm       int32 // lowercased surface, in the side's vocabulary
	stem       int32 // source: lemma in the stem vocabulary; target: 1; 0 for stop words
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
	s = strings.Clone(s) // s may be part of a unit's text, which is not kept
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
	num            int32  // its number among the selected candidates
	ent            int32  // its entity's number (Extractor.ents)
	// translations: target key number → stats
	trans     map[int32]*transStat
	kept      []*transStat // the translations kept, best first
	canonical string       // its most frequent surface form
	nestSum   int          // sum of frequencies of longer candidates that contain it
	nestCnt   int          // how many such candidates
}

// surfaceCounts counts the surface forms of a candidate. Most candidates
// are n-grams seen once or always written alike, so the first form is
// counted in place and a map made only for a second one. Forms are copied
// when first stored: they come from units' texts, which are not kept.
type surfaceCounts struct {
	first string
	n     int            // occurrences of first, while more is nil
	more  map[string]int // every form's count, once there are two forms
}

// addN counts n occurrences of form s and returns how many bytes it took
// to store s anew (0 when s was known).
func (sc *surfaceCounts) addN(s string, n int) int {
	switch {
	case sc.more != nil:
		if c, ok := sc.more[s]; ok {
			sc.more[s] = c + n
			return 0
		}
		sc.more[strings.Clone(s)] = n
		return len(s) + 48
	case sc.n == 0:
		sc.first, sc.n = strings.Clone(s), n
		return len(s)
	case s == sc.first:
		sc.n += n
		return 0
	default:
		sc.more = map[string]int{sc.first: sc.n, strings.Clone(s): n}
		sc.first, sc.n = "", 0
		return len(s) + 160
	}
}

func (sc *surfaceCounts) add(s string) int { return sc.addN(s, 1) }

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
	id       int32 // the key's number in Extractor.tkeys
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

// fileUnits locates the units of one file in the extractor's logs.
type fileUnits struct {
	first, last int    // numbers of its first and last unit
	units       int    // how many units it has
	unitPos     int64  // position of its first unit's record in the unit log
	mentionPos  int64  // position of its first unit's mentions record
	offCounted  bool   // units of other files lie between first and last
	name        string // the file
}

// Extractor extracts entities, terms and translations from a corpus. It is
// not safe for concurrent use. Close removes its temporary files.
type Extractor struct {
	opts         Options
	srcLang      string
	tgtLang      string
	srcAn, tgtAn *analysis.Analyzer
	files        []string
	fileIdx      map[string]int32
	byFile       []fileUnits // by file index
	area         *spillArea
	units        *recordLog // one record per unit added (unitRec)
	nUnits       int
	mentions     *recordLog // one record per unit: its mentions, after Train
	srcNorm      *vocab
	tgtNorm      *vocab
	stems        *vocab
	tkeys        *vocab           // the keys of the translations found
	counter      *candCounter     // candidate counts while units are added
	tb           map[string]*cand // candidates made by term-base entries, by key
	cands        map[string]*cand // after Train: the selected candidates, by key
	sel          []*cand          // the selected candidates, by number
	concepts     []*tbConcept
	al           *aligner
	trained      bool
	ents         []string           // the entity IDs of the selected candidates, sorted
	pmi          map[uint64]float64 // entity number pair (pairKey) → PMI, the kept pairs
	byEntity     map[string]*cand
	totalUnits   int          // co-occurrence contexts
	relCounts    *relCounter  // co-occurrence counts, between spotting and scoring
	inc          *incremental // the alignment model kept between builds (model.go); nil: not kept
	rec          unitRec      // AddAnalysed's working record
	enc          []byte       // AddAnalysed's encoding buffer
	stats        Stats
}

// Stats counts the work an Extractor did: what grows with the units and
// what grows with their length, so that tests and benchmarks can check
// that extraction does work linear in its input.
type Stats struct {
	Units      int   // units added
	Candidates int64 // candidate occurrences counted
	Cells      int64 // alignment cells (word pairs of trained sentence pairs)
	Mentions   int64 // mentions spotted
	Pairs      int64 // entity pairs counted for co-occurrence
	Spilled    int64 // bytes written to temporary files
}

// New returns an extractor for one language pair.
func New(sourceLang, targetLang string, opts Options) *Extractor {
	opts = opts.withDefaults()
	area := &spillArea{parent: opts.TempDir}
	return &Extractor{
		opts:     opts,
		srcLang:  sourceLang,
		tgtLang:  targetLang,
		srcAn:    analysis.For(sourceLang),
		tgtAn:    analysis.For(targetLang),
		fileIdx:  map[string]int32{},
		area:     area,
		units:    newRecordLog(area, "units", opts.share(4)),
		mentions: newRecordLog(area, "mentions", opts.share(8)),
		srcNorm:  newVocab(),
		tgtNorm:  newVocab(),
		stems:    newVocab(),
		tkeys:    newVocab(),
		counter:  newCandCounter(area, opts.share(2)),
		tb:       map[string]*cand{},
		al:       newAligner(newRecordLog(area, "sentences", opts.share(4))),
	}
}

// Close removes the extractor's temporary files. The extractor is not
// usable afterwards.
func (x *Extractor) Close() error {
	x.units.close()
	x.mentions.close()
	if x.al != nil {
		x.al.release()
	}
	x.counter.close()
	return x.area.remove()
}

// Stats returns the work the extractor has done so far.
func (x *Extractor) Stats() Stats {
	st := x.stats
	st.Units = x.nUnits
	st.Spilled += x.units.spilled() + x.mentions.spilled() + x.counter.spilled
	if x.al != nil {
		st.Spilled += x.al.sents.spilled()
	}
	return st
}

func (x *Extractor) file(name string) int32 {
	if i, ok := x.fileIdx[name]; ok {
		return i
	}
	i := int32(len(x.files))
	x.fileIdx[name] = i
	x.files = append(x.files, name)
	x.byFile = append(x.byFile, fileUnits{first: -1, name: name})
	return i
}

// tokens stores analysed tokens compactly, interning their forms.
func (x *Extractor) tokens(ts []analysis.Token, norms *vocab, withStems bool, into []tok) []tok {
	out := into[:0]
	for _, t := range ts {
		k := tok{start: int32(t.Start), end: int32(t.End), norm: norms.id(t.Norm)}
		switch {
		case t.Stem == "":
		case withStems:
			k.stem = x.stems.id(t.Lemma)
		default:
			k.stem = 1
		}
		out = append(out, k)
	}
	return out
}

// Analysed is a unit analysed for an Extractor: its tokens and pattern
// entities. Analyse makes it without changing the extractor, so that units
// can be analysed on other goroutines while AddAnalysed adds earlier ones.
type Analysed struct {
	u          *corpora.Unit
	src, tgt   string // plain texts
	srcT, tgtT []analysis.Token
	pats       []pattern.Span
	empty      bool // an empty source or target: not added
}

// Analyse analyses a unit for AddAnalysed. It is safe for concurrent use,
// also with AddAnalysed: it only reads the extractor's analysers.
func (x *Extractor) Analyse(u *corpora.Unit) *Analysed {
	src, tgt := u.Source.Plain(), u.Target.Plain()
	if strings.TrimSpace(src) == "" || strings.TrimSpace(tgt) == "" {
		return &Analysed{u: u, empty: true}
	}
	return &Analysed{u: u, src: src, tgt: tgt, srcT: x.srcAn.Tokens(src), tgtT: x.tgtAn.Tokens(tgt), pats: pattern.Find(src)}
}

// Add adds a translation unit read from file. Units with an empty source
// or target are ignored. The extractor keeps what it needs of the unit.
func (x *Extractor) Add(file string, u *corpora.Unit) { x.AddAnalysed(file, x.Analyse(u)) }

// AddAnalysed adds a unit that Analyse analysed, as Add does. Units must
// be added in the same order as with Add for the same result.
func (x *Extractor) AddAnalysed(file string, a *Analysed) {
	if a.empty {
		return
	}
	u := a.u
	r := &x.rec
	r.file = x.file(file)
	r.id, r.index = u.ID, u.Origin.Index
	r.srcLang, r.tgtLang = u.SourceLang.String(), u.TargetLang.String()
	r.domain, r.context, r.status = u.Domain, u.Context, u.Status.String()
	r.changed, r.created = u.Changed, u.Created
	r.src, r.tgt = a.src, a.tgt
	r.srcToks = x.tokens(a.srcT, x.srcNorm, true, r.srcToks)
	r.tgtToks = x.tokens(a.tgtT, x.tgtNorm, false, r.tgtToks)
	r.pats = a.pats
	r.aligned = false
	if ls, lt := len(r.srcToks), len(r.tgtToks); ls > 0 && lt > 0 && ls <= x.opts.MaxTrainWords && lt <= x.opts.MaxTrainWords {
		x.stats.Cells += x.al.addTokens(r.srcToks, r.tgtToks, r.file)
		r.aligned = true
	}
	x.countCandidates(r)
	x.enc = encodeUnit(x.enc[:0], r)
	pos := x.units.append(x.enc)
	x.noteUnit(r.file, pos)
	x.nUnits++
}

// noteUnit records where the unit just added, of file fi, is.
func (x *Extractor) noteUnit(fi int32, pos int64) {
	f := &x.byFile[fi]
	if f.first < 0 {
		f.first, f.unitPos = x.nUnits, pos
	} else if f.last != x.nUnits-1 {
		f.offCounted = true
	}
	f.last = x.nUnits
	f.units++
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
		cd := x.tb[k]
		if cd == nil {
			cd = &cand{bkey: k, key: langtag.Base(x.srcLang) + ":" + x.srcAn.Key(t.Text), words: len(k) / 4}
			x.tb[k] = cd
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

// coveredTokens reports for each token whether it overlaps a pattern
// entity. Tokens and patterns are both in text order, so one pass over each
// does: work linear in the unit, however many patterns it has.
func coveredTokens(ts []tok, pats []pattern.Span, into []bool) []bool {
	out := into[:0]
	if len(pats) == 0 {
		for range ts {
			out = append(out, false)
		}
		return out
	}
	p := 0
	for _, t := range ts {
		// Patterns that end before the token cannot cover it or any later
		// token.
		for p < len(pats) && pats[p].End <= int(t.start) {
			p++
		}
		out = append(out, p < len(pats) && pats[p].Start < int(t.end))
	}
	return out
}

// countCandidates counts the n-grams and patterns of one unit.
func (x *Extractor) countCandidates(r *unitRec) {
	text := r.src
	for _, p := range r.pats {
		x.counter.pattern(p.Type, text[p.Start:p.End])
		x.stats.Candidates++
	}
	covered := coveredTokens(r.srcToks, r.pats, x.counter.covered)
	x.counter.covered = covered
	key := x.counter.key
	for i := range r.srcToks {
		first := r.srcToks[i]
		if first.stem == 0 || covered[i] || !hasLetter(text[first.start:first.end]) {
			continue
		}
		key = key[:0]
		for n := 1; n <= x.opts.MaxWords && i+n <= len(r.srcToks); n++ {
			last := r.srcToks[i+n-1]
			if n > 1 && (!joinable(text, r.srcToks[i+n-2], last) || covered[i+n-1]) {
				break
			}
			key = binary.BigEndian.AppendUint32(key, uint32(x.wordKey(last)))
			if last.stem == 0 || !hasLetter(text[last.start:last.end]) {
				continue // does not end a term, but may be inside one
			}
			surface := text[first.start:last.end]
			capital := false
			if i > 0 {
				r0, _ := utf8.DecodeRuneInString(surface)
				capital = unicode.IsUpper(r0)
			}
			x.counter.ngram(key, n, surface, i > 0, capital)
			x.stats.Candidates++
		}
	}
	x.counter.key = key
	x.counter.unitDone()
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

// keyText renders a binary candidate key as readable stems.
func (x *Extractor) keyText(k string) string {
	parts := make([]string, 0, len(k)/4)
	for i := 0; i+4 <= len(k); i += 4 {
		w := x.stems.words[binary.BigEndian.Uint32([]byte(k[i:i+4]))]
		parts = append(parts, strings.TrimPrefix(w, "\x00"))
	}
	return strings.Join(parts, " ")
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

// errTrained is returned by what must come before Train.
var errTrained = errors.New("extract: already trained")
