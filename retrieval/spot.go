package retrieval

import (
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kgmem/kgmem/analysis"
	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/graph/pattern"
	"github.com/kgmem/kgmem/langtag"
)

// Span is a stretch of a sentence that names something: a known entity
// or term, or a placeholder, number, URL… recognised by its form.
type Span struct {
	Start int    `json:"start"` // byte offsets into the sentence
	End   int    `json:"end"`
	Text  string `json:"text"`
	// Type is the type of the best entity, or the pattern's type.
	Type graph.EntityType `json:"type"`
	// Pattern is true when the span was recognised by its form
	// (placeholders, numbers, dates, versions, URLs, e-mail addresses,
	// paths), whether or not the graph knows it.
	Pattern bool `json:"pattern,omitempty"`
	// Entities are the known entities with a label matching the span, best
	// first: a label written exactly as the span, then the most used.
	Entities []EntityRef `json:"entities"`
	// Inner is true for a span inside a longer one (SpotNested).
	Inner bool `json:"inner,omitempty"`
}

// EntityRef names an entity and the label that matched.
type EntityRef struct {
	ID    string           `json:"id"`
	Type  graph.EntityType `json:"type"`
	Label string           `json:"label"`
}

// patternTypes are the pattern types spotting reports by form.
var patternTypes = map[graph.EntityType]bool{
	graph.TypePlaceholder: true, graph.TypeNumber: true, graph.TypeDate: true, graph.TypeVersion: true,
	graph.TypeURL: true, graph.TypeEmail: true, graph.TypePath: true,
}

// Spotter finds the known entities of one language in sentences: an
// automaton (a trie) over the analysed words of every label, matched
// against the analysed words of the sentence, so that case and
// inflection do not matter ("Files" finds "file"). It is built from the
// index's entity table and rebuilt when a catch-up changes it. A Spotter
// is safe for concurrent use.
type Spotter struct {
	lang    string
	an      *analysis.Analyzer
	words   map[string]uint32   // token key → word number (from 1)
	edges   map[uint64]uint32   // node<<32 | word → child node
	final   map[uint32][]spotID // node → labels ending there
	pattern map[string][]spotID // type \0 text → pattern entities
	labels  []spotLabel
	nodes   uint32
}

type spotID = int32

// spotLabel is one label the automaton knows.
type spotLabel struct {
	entity string
	typ    graph.EntityType
	text   string
	key    string // analysis Key: lemmas
	count  int
}

// tokenKey is what the automaton compares of a word: its stem, or, for a
// stop word, its lowercase form.
func tokenKey(t *analysis.Token) string {
	if t.Stem != "" {
		return t.Stem
	}
	return t.Norm
}

// newSpotter builds the automaton of lang's labels.
func newSpotter(lang string, t *entityTable) *Spotter {
	sp := &Spotter{
		lang:    langtag.Base(lang),
		an:      analysis.For(lang),
		words:   map[string]uint32{},
		edges:   map[uint64]uint32{},
		final:   map[uint32][]spotID{},
		pattern: map[string][]spotID{},
		nodes:   1, // node 0 is the root
	}
	for i := range t.recs {
		r := &t.recs[i]
		for _, l := range r.Labels {
			if langtag.Base(l.Lang) != sp.lang {
				continue
			}
			sp.add(r, l)
		}
	}
	return sp
}

func (sp *Spotter) add(r *entityRec, l graph.Label) {
	id := spotID(len(sp.labels))
	if patternTypes[r.Type] {
		k := string(r.Type) + "\x00" + l.Text
		sp.pattern[k] = append(sp.pattern[k], id)
		sp.labels = append(sp.labels, spotLabel{entity: r.ID, typ: r.Type, text: l.Text, count: l.Count})
		return
	}
	toks := sp.an.Tokens(l.Text)
	if len(toks) == 0 {
		return
	}
	node := uint32(0)
	for i := range toks {
		k := tokenKey(&toks[i])
		w, ok := sp.words[k]
		if !ok {
			w = uint32(len(sp.words) + 1)
			sp.words[k] = w
		}
		e := uint64(node)<<32 | uint64(w)
		next, ok := sp.edges[e]
		if !ok {
			next = sp.nodes
			sp.nodes++
			sp.edges[e] = next
		}
		node = next
	}
	for _, old := range sp.final[node] {
		if o := &sp.labels[old]; o.entity == r.ID && o.text == l.Text {
			return // the same label twice (two statuses): once is enough
		}
	}
	sp.final[node] = append(sp.final[node], id)
	sp.labels = append(sp.labels, spotLabel{entity: r.ID, typ: r.Type, text: l.Text, key: sp.an.Key(l.Text), count: l.Count})
}

// Labels returns how many labels the automaton knows.
func (sp *Spotter) Labels() int { return len(sp.labels) }

type spotMatch struct {
	from, to int // token range
	node     uint32
	// loose: no label of the match has the words' lemmas, only their
	// stems ("last synced" for "last sync").
	loose bool
}

// Spot returns the spans of text that name known entities, and the
// placeholders, numbers and other patterns in it, left to right. Where
// labels overlap, one with the words' lemmas wins over one that shares
// only their stems ("sync" in "last sync", not the label "last synced"),
// then the longest, then the leftmost.
func (sp *Spotter) Spot(text string) []Span {
	pats := spotPatterns(text)
	spans := sp.patternSpans(text, pats)
	toks := sp.an.Tokens(text)
	ms := sp.labelMatches(text, toks, pats)
	spans = sp.longestFirst(text, toks, ms, spans)
	sort.Slice(spans, func(a, b int) bool { return spans[a].Start < spans[b].Start })
	return spans
}

// SpotNested is Spot, plus the labels inside a longer term's span, each
// level chosen as Spot chooses: "notebook" inside "delete a notebook"; not
// inside a name ("Sync" in the button "Sync Now").
// Translation wants them: the longer label may have no translation good
// enough to use ("delete a notebook", seen once), while the shorter one
// is a term-base entry. The spans of a level do not overlap; an inner span
// (Inner) overlaps the outer one it is in.
func (sp *Spotter) SpotNested(text string) []Span {
	pats := spotPatterns(text)
	spans := sp.patternSpans(text, pats)
	toks := sp.an.Tokens(text)
	ms := sp.labelMatches(text, toks, pats)
	n := len(spans)
	spans = sp.longestFirst(text, toks, ms, spans)
	outer := spans[n:]
	var inner []spotMatch
	for _, m := range ms {
		start, end := toks[m.from].Start, toks[m.to-1].End
		if slices.ContainsFunc(outer, func(o Span) bool {
			return o.Type == graph.TypeTerm && o.Start <= start && end <= o.End && end-start < o.End-o.Start
		}) {
			inner = append(inner, m)
		}
	}
	n = len(spans)
	spans = sp.longestFirst(text, toks, inner, spans)
	for i := n; i < len(spans); i++ {
		spans[i].Inner = true
	}
	sort.SliceStable(spans, func(a, b int) bool { return spans[a].Start < spans[b].Start })
	return spans
}

// spotPatterns returns the patterns of text that spotting reports
// (patternTypes). Plain numbers are patterns too (pattern.Find takes only
// numbers with a unit), as fuzzy matching sees them: "10:30" and "1,000"
// are one.
func spotPatterns(text string) []pattern.Span {
	var pats []pattern.Span
	for _, p := range pattern.Find(text) {
		if patternTypes[p.Type] {
			pats = append(pats, p)
		}
	}
	if hasDigit(text) {
		for _, t := range Tokenize(text) {
			if t.Kind == KindNumber && !coveredBy(pats, t.Start, t.Start+len(t.Surface)) {
				pats = append(pats, pattern.Span{Start: t.Start, End: t.Start + len(t.Surface), Type: graph.TypeNumber})
			}
		}
	}
	return pats
}

// patternSpans returns the spans of the patterns, each with the entities
// the graph has of that type and text.
func (sp *Spotter) patternSpans(text string, pats []pattern.Span) []Span {
	var spans []Span
	for _, p := range pats {
		s := Span{Start: p.Start, End: p.End, Text: text[p.Start:p.End], Type: p.Type, Pattern: true, Entities: []EntityRef{}}
		for _, id := range sp.pattern[string(p.Type)+"\x00"+s.Text] {
			l := &sp.labels[id]
			s.Entities = append(s.Entities, EntityRef{ID: l.entity, Type: l.typ, Label: l.text})
		}
		spans = append(spans, s)
	}
	return spans
}

// labelMatches runs the automaton from every word outside the patterns
// and returns every label match: runs of words joined by spaces, hyphens
// or slashes that end on a label.
func (sp *Spotter) labelMatches(text string, toks []analysis.Token, pats []pattern.Span) []spotMatch {
	var ms []spotMatch
	for i := range toks {
		if coveredBy(pats, toks[i].Start, toks[i].End) {
			continue
		}
		node := uint32(0)
		for j := i; j < len(toks); j++ {
			if j > i && (!joinable(gapBetween(text, toks[j-1], toks[j])) || coveredBy(pats, toks[j].Start, toks[j].End)) {
				break
			}
			w, ok := sp.words[tokenKey(&toks[j])]
			if !ok {
				break
			}
			next, ok := sp.edges[uint64(node)<<32|uint64(w)]
			if !ok {
				break
			}
			node = next
			if len(sp.final[node]) > 0 {
				ms = append(ms, spotMatch{from: i, to: j + 1, node: node, loose: !sp.lemmaMatch(toks[i:j+1], sp.final[node])})
			}
		}
	}
	return ms
}

// longestFirst appends to spans the label matches that do not overlap a
// better one: a match with the words' lemmas before one with only their
// stems, then the longest, then the leftmost.
func (sp *Spotter) longestFirst(text string, toks []analysis.Token, ms []spotMatch, spans []Span) []Span {
	sort.Slice(ms, func(a, b int) bool {
		if ms[a].loose != ms[b].loose {
			return !ms[a].loose
		}
		la, lb := ms[a].to-ms[a].from, ms[b].to-ms[b].from
		if la != lb {
			return la > lb
		}
		return ms[a].from < ms[b].from
	})
	taken := make([]bool, len(toks))
	for _, m := range ms {
		free := true
		for k := m.from; k < m.to; k++ {
			if taken[k] {
				free = false
				break
			}
		}
		if !free {
			continue
		}
		for k := m.from; k < m.to; k++ {
			taken[k] = true
		}
		start, end := toks[m.from].Start, toks[m.to-1].End
		spans = append(spans, sp.span(text, start, end, sp.final[m.node]))
	}
	return spans
}

// lemmaMatch reports whether a label of ids has the lemmas of toks (the
// key analysis.Analyzer.Key gives): "vaccines" for "vaccine", not "last
// sync" for "last synced".
func (sp *Spotter) lemmaMatch(toks []analysis.Token, ids []spotID) bool {
	for _, id := range ids {
		if isKey(sp.labels[id].key, toks) {
			return true
		}
	}
	return false
}

// isKey reports whether key is the key of toks, without building it: their
// lemmas (or, for stop words, lowercase forms) joined by spaces.
func isKey(key string, toks []analysis.Token) bool {
	for i := range toks {
		part := toks[i].Lemma
		if part == "" {
			part = toks[i].Norm
		}
		if i > 0 {
			if key == "" || key[0] != ' ' {
				return false
			}
			key = key[1:]
		}
		if !strings.HasPrefix(key, part) {
			return false
		}
		key = key[len(part):]
	}
	return key == ""
}

// span builds the span of a label match, its entities best first: the
// label written as the span, then the same but for case, then the same
// lemmas ("syncs" is "sync" rather than "syncing", which has the same
// stem), then the most used.
func (sp *Spotter) span(text string, start, end int, ids []spotID) Span {
	surface := text[start:end]
	var key string
	if len(ids) > 1 {
		key = sp.an.Key(surface)
	}
	ls := make([]*spotLabel, 0, len(ids))
	seen := map[string]bool{}
	for _, id := range ids {
		ls = append(ls, &sp.labels[id])
	}
	sort.SliceStable(ls, func(a, b int) bool {
		ea, eb := ls[a].text == surface, ls[b].text == surface
		if ea != eb {
			return ea
		}
		fa, fb := strings.EqualFold(ls[a].text, surface), strings.EqualFold(ls[b].text, surface)
		if fa != fb {
			return fa
		}
		if ka, kb := ls[a].key == key, ls[b].key == key; ka != kb {
			return ka
		}
		if ls[a].count != ls[b].count {
			return ls[a].count > ls[b].count
		}
		return ls[a].entity < ls[b].entity
	})
	s := Span{Start: start, End: end, Text: surface, Entities: make([]EntityRef, 0, len(ls))}
	for _, l := range ls {
		if seen[l.entity] {
			continue
		}
		seen[l.entity] = true
		s.Entities = append(s.Entities, EntityRef{ID: l.entity, Type: l.typ, Label: l.text})
	}
	s.Type = s.Entities[0].Type
	return s
}

func coveredBy(pats []pattern.Span, start, end int) bool {
	for _, p := range pats {
		if start < p.End && p.Start < end {
			return true
		}
	}
	return false
}

// joinable reports whether two words separated by gap can be part of one
// label: only spaces, hyphens, slashes and apostrophes between them, not
// punctuation that ends a clause.
func joinable(gap string) bool {
	for len(gap) > 0 {
		r, n := utf8.DecodeRuneInString(gap)
		if !unicode.IsSpace(r) && r != '-' && r != '‐' && r != '/' && r != '\'' && r != '’' {
			return false
		}
		gap = gap[n:]
	}
	return true
}

// gapBetween returns the text between two tokens; "" when they overlap
// (the CJK analyser's bigrams do).
func gapBetween(text string, a, b analysis.Token) string {
	if b.Start <= a.End {
		return ""
	}
	return text[a.End:b.Start]
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			return true
		}
	}
	return false
}
