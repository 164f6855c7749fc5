package translate

import (
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Post-edits: the phrase corrections translators keep making of an
// engine's output. Each pair of the memory, translated by the engine
// alone, is diffed word by word with the pair's approved target; a
// difference that is short (a few words replaced, inserted or deleted)
// becomes a candidate edit, keyed by the engine's words with one word of
// context on each side (or the sentence's start or end): Apertium's "no
// podría abrir" is "no se pudo abrir" in the memory's targets. The memory
// counts, for each key, the pairs that made the edit (Fixed), the pairs
// whose engine output has the key's words at all (Seen) and those whose
// approved target kept them as the engine wrote them (Kept); an edit is
// applied to new engine output when it is made often and consistently
// (PostEditOptions). Numbers and placeholders match any other of their
// kind in a context ("No se pudo abrir %s" and "… abrir %d" are one
// template), and are never edited.

// PostEdit is one recurring correction of an engine's output.
type PostEdit struct {
	// Key is the engine's words with their context: lowercased tokens
	// separated by spaces, the first and last the context ("^" and "$"
	// for the text's start and end), those between the words replaced.
	Key string `json:"key"`
	// To is what the approved targets have instead of the words between
	// the contexts ("" for a deletion).
	To    string `json:"to"`
	Fixed int    `json:"fixed"`
	Seen  int    `json:"seen"`
	Kept  int    `json:"kept"`
}

// PostEditOptions decide which recorded edits are applied.
type PostEditOptions struct {
	// MinFixed is the fewest pairs that must have made an edit.
	MinFixed int
	// MinShare is the least share of the pairs whose engine output has
	// the key's words that made the edit (Fixed / Seen).
	MinShare float64
}

// DefaultPostEditOptions returns the defaults.
func DefaultPostEditOptions() PostEditOptions {
	return PostEditOptions{MinFixed: 4, MinShare: 0.5}
}

// Applies reports whether an edit with these counts is applied.
func (o PostEditOptions) Applies(e PostEdit) bool {
	return e.Fixed >= o.MinFixed && float64(e.Fixed) >= o.MinShare*float64(max(e.Seen, e.Fixed)) && e.Fixed > 2*e.Kept
}

// Limits of a post-edit: the engine's words replaced and the words they
// are replaced with.
const (
	maxEditFrom = 4
	maxEditTo   = 5
	// maxEditTokens: longer texts are not diffed (the table is quadratic).
	maxEditTokens = 120
)

// token is one word or punctuation mark of a text.
type token struct {
	key        string // lowercased; "#" for a number, "⟦⟧" for a code
	start, end int    // bytes of the text
}

// editable reports whether a token may be replaced or be part of a
// replacement: words and ordinary punctuation, not numbers, codes or
// quotation marks (quotations are edited as a whole, see quotes.go).
func (t token) editable() bool {
	return t.key != "#" && t.key != "⟦⟧" && !strings.Contains(quoteChars, t.key)
}

// quoteChars are the quotation marks of quoteMarks.
const quoteChars = "\"“”'‘’«»„"

// editTokens splits text (a protected text: codes as ⟦n⟧) into words,
// numbers, codes and single punctuation marks.
func editTokens(text string) []token {
	var out []token
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		switch {
		case unicode.IsSpace(r):
			i += n
		case r == '⟦':
			j := strings.IndexRune(text[i:], '⟧')
			if j < 0 {
				out = append(out, token{key: "⟦", start: i, end: i + n})
				i += n
				continue
			}
			end := i + j + len("⟧")
			out = append(out, token{key: "⟦⟧", start: i, end: end})
			i = end
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			j := i
			digits := true
			for j < len(text) {
				r, n := utf8.DecodeRuneInString(text[j:])
				if digits && (r == ',' || r == '.') && j+1 < len(text) && text[j+1] >= '0' && text[j+1] <= '9' {
					j++ // one number: 571,678 or 5.8
					continue
				}
				if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r) {
					break
				}
				digits = digits && unicode.IsDigit(r)
				j += n
			}
			k := strings.ToLower(text[i:j])
			if digits {
				k = "#"
			}
			out = append(out, token{key: k, start: i, end: j})
			i = j
		default:
			out = append(out, token{key: string(r), start: i, end: i + n})
			i += n
		}
	}
	return out
}

// negators are the words that negate a clause, in the languages kgmem's
// models translate into most.
var negators = map[string]bool{"no": true, "not": true, "non": true, "ne": true, "pas": true, "nunca": true,
	"jamás": true, "jamais": true, "nicht": true, "kein": true, "keine": true, "nem": true, "não": true, "ni": true}

// negations counts the negators of ts.
func negations(ts []token) int {
	n := 0
	for _, t := range ts {
		if negators[t.key] {
			n++
		}
	}
	return n
}

// editKey joins the keys of the context left, the tokens ts and the
// context right.
func editKey(left string, ts []token, right string) string {
	var b strings.Builder
	b.WriteString(left)
	for _, t := range ts {
		b.WriteByte(' ')
		b.WriteString(t.key)
	}
	b.WriteByte(' ')
	b.WriteString(right)
	return b.String()
}

// contextKey is the key of the context token at i of ts ("^" before the
// first, "$" after the last).
func contextKey(ts []token, i int) string {
	switch {
	case i < 0:
		return "^"
	case i >= len(ts):
		return "$"
	}
	return ts[i].key
}

// edit is one difference between an engine's output and its approved
// target.
type edit struct {
	key, to string
}

// diffEdits returns the short differences between out (the engine's
// output) and target (the approved translation), both protected texts.
func diffEdits(out, target string) []edit {
	e, r := editTokens(out), editTokens(target)
	if len(e) == 0 || len(r) == 0 || len(e) > maxEditTokens || len(r) > maxEditTokens {
		return nil
	}
	// lcs[i][j]: the longest common subsequence of e[i:] and r[j:].
	w := len(r) + 1
	lcs := make([]int32, (len(e)+1)*w)
	for i := len(e) - 1; i >= 0; i-- {
		for j := len(r) - 1; j >= 0; j-- {
			if e[i].key == r[j].key {
				lcs[i*w+j] = lcs[(i+1)*w+j+1] + 1
			} else {
				lcs[i*w+j] = max(lcs[(i+1)*w+j], lcs[i*w+j+1])
			}
		}
	}
	var edits []edit
	gap := func(i0, i1, j0, j1 int) {
		if i1-i0 > maxEditFrom || j1-j0 > maxEditTo {
			return
		}
		if i0 == 0 && i1 == len(e) {
			return // the whole text: a different translation, not an edit
		}
		if (i0 == i1 || j0 == j1) && max(i1-i0, j1-j0) > 1 {
			return // a phrase added or dropped: a rewording, not a fix of the engine's words
		}
		if negations(e[i0:i1]) != negations(r[j0:j1]) {
			return // a negation added or dropped changes what the text says
		}
		for _, t := range e[i0:i1] {
			if !t.editable() {
				return
			}
		}
		for _, t := range r[j0:j1] {
			if !t.editable() {
				return
			}
		}
		to := ""
		if j1 > j0 {
			to = target[r[j0].start:r[j1-1].end]
		}
		edits = append(edits, edit{key: editKey(contextKey(e, i0-1), e[i0:i1], contextKey(e, i1)), to: to})
	}
	// The differences, between runs of common words; two with one common
	// word between them are one edit ("no puede ser abierto" → "no se
	// puede abrir" is not an insertion of "se" alone).
	var gaps [][4]int
	add := func(i0, i1, j0, j1 int) {
		if i0 == i1 && j0 == j1 {
			return
		}
		if n := len(gaps); n > 0 && i0-gaps[n-1][1] == 1 && e[gaps[n-1][1]:i0][0].editable() {
			gaps[n-1][1], gaps[n-1][3] = i1, j1
			return
		}
		gaps = append(gaps, [4]int{i0, i1, j0, j1})
	}
	i, j, i0, j0 := 0, 0, 0, 0
	for i < len(e) && j < len(r) {
		switch {
		case e[i].key == r[j].key:
			add(i0, i, j0, j)
			i, j = i+1, j+1
			i0, j0 = i, j
		case lcs[(i+1)*w+j] >= lcs[i*w+j+1]:
			i++
		default:
			j++
		}
	}
	add(i0, len(e), j0, len(r))
	for _, g := range gaps {
		gap(g[0], g[1], g[2], g[3])
	}
	return edits
}

// editKeys returns the keys of every phrase of up to maxEditFrom tokens
// of text, with its context, once each: what a post-edit's key is matched
// against.
func editKeys(text string) map[string]bool {
	ts := editTokens(text)
	keys := map[string]bool{}
	for i := -1; i < len(ts); i++ {
		for n := 0; n <= maxEditFrom && i+1+n <= len(ts); n++ {
			keys[editKey(contextKey(ts, i), ts[i+1:i+1+n], contextKey(ts, i+1+n))] = true
		}
	}
	return keys
}

// PostEditTally gathers the post-edits of a set of pairs.
type PostEditTally struct {
	fixed map[string]map[string]int // key → to → pairs
	seen  map[string]int            // quotation key → pairs (Edits counts the others')
	kept  map[string]int
	outs  []string // the engine's outputs and the targets, pairwise
}

// NewPostEditTally returns an empty tally.
func NewPostEditTally() *PostEditTally {
	return &PostEditTally{fixed: map[string]map[string]int{}, seen: map[string]int{}, kept: map[string]int{}}
}

// Add tallies one pair: out, the engine's output, and target, the
// approved translation, both as protected texts.
func (t *PostEditTally) Add(out, target string) {
	seen := map[edit]bool{}
	for _, e := range diffEdits(out, target) {
		if seen[e] {
			continue
		}
		seen[e] = true
		if t.fixed[e.key] == nil {
			t.fixed[e.key] = map[string]int{}
		}
		t.fixed[e.key][e.to]++
	}
	t.outs = append(t.outs, out, target)
	qseen, qkept, qfixed := quoteEdits(out, target)
	for _, k := range qseen {
		t.seen[k]++
	}
	for _, k := range qkept {
		t.kept[k]++
	}
	for _, e := range qfixed {
		if t.fixed[e.key] == nil {
			t.fixed[e.key] = map[string]int{}
		}
		t.fixed[e.key][e.to]++
	}
}

// Edits returns the edits made in at least minFixed pairs, with how many
// of the pairs had their key in the engine's output (Seen) and kept it in
// the target (Kept), in key order. Of the edits of one key, the one made
// most often is kept.
func (t *PostEditTally) Edits(minFixed int) []PostEdit {
	best := map[string]PostEdit{}
	for key, tos := range t.fixed {
		for to, n := range tos {
			b, ok := best[key]
			if n >= minFixed && (!ok || n > b.Fixed || n == b.Fixed && to < b.To) {
				best[key] = PostEdit{Key: key, To: to, Fixed: n}
			}
		}
	}
	seen, kept := maps.Clone(t.seen), maps.Clone(t.kept)
	for i := 0; i+1 < len(t.outs); i += 2 {
		var inTarget map[string]bool
		for k := range editKeys(t.outs[i]) {
			if _, ok := best[k]; !ok || strings.HasPrefix(k, quotePrefix) {
				continue
			}
			seen[k]++
			if inTarget == nil {
				inTarget = editKeys(t.outs[i+1])
			}
			if inTarget[k] {
				kept[k]++
			}
		}
	}
	out := make([]PostEdit, 0, len(best))
	for k, e := range best {
		e.Seen, e.Kept = seen[k], kept[k]
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b PostEdit) int { return strings.Compare(a.Key, b.Key) })
	return out
}

// PostEdits is the table of edits applied to an engine's output.
type PostEdits struct {
	byKey  map[string]PostEdit
	maxLen int // most tokens in a key
	quotes []PostEdit
}

// NewPostEdits returns the table of the edits opts applies.
func NewPostEdits(edits []PostEdit, opts PostEditOptions) *PostEdits {
	p := &PostEdits{byKey: map[string]PostEdit{}}
	for _, e := range edits {
		if !opts.Applies(e) {
			continue
		}
		if b, ok := p.byKey[e.Key]; ok && b.Fixed >= e.Fixed {
			continue
		}
		if strings.HasPrefix(e.Key, quotePrefix) {
			p.quotes = append(p.quotes, e)
			continue
		}
		p.byKey[e.Key] = e
		p.maxLen = max(p.maxLen, strings.Count(e.Key, " ")+1)
	}
	return p
}

// Len is how many edits the table applies.
func (p *PostEdits) Len() int {
	if p == nil {
		return 0
	}
	return len(p.byKey) + len(p.quotes)
}

// Apply applies the table's edits to text, an engine's output as a
// protected text, left to right, the longest key first at each place.
// Words of keep (the translations of the segment's terms) are never
// edited.
func (p *PostEdits) Apply(text string, keep []string) string {
	if p.Len() == 0 {
		return text
	}
	for _, q := range p.quotes {
		text = requote(text, q.Key, q.To)
	}
	ts := editTokens(text)
	var b strings.Builder
	done := 0 // bytes of text written
	for i := -1; i < len(ts); i++ {
		e, n, ok := p.match(ts, i)
		if !ok || !p.allowed(text, ts, i, n, keep) {
			continue
		}
		if i >= 0 && ts[i].end < done {
			continue // the context was edited already
		}
		lo, hi := p.region(text, ts, i, n, e.To == "")
		if lo < done {
			continue
		}
		b.WriteString(text[done:lo])
		b.WriteString(p.replacement(text, ts, i, n, lo, hi, e.To))
		done = hi
		i += n // the right context may open the next edit
	}
	if done == 0 {
		return text
	}
	b.WriteString(text[done:])
	s := b.String()
	for strings.Contains(s, "  ") {
		s = strings.ReplaceAll(s, "  ", " ")
	}
	return s
}

// match finds the longest edit whose left context is the token at i of ts
// (-1: the text's start); n is how many tokens it replaces.
func (p *PostEdits) match(ts []token, i int) (PostEdit, int, bool) {
	for n := min(maxEditFrom, len(ts)-i-1); n >= 0; n-- {
		if n+2 > p.maxLen {
			continue
		}
		if e, ok := p.byKey[editKey(contextKey(ts, i), ts[i+1:i+1+n], contextKey(ts, i+1+n))]; ok {
			return e, n, true
		}
	}
	return PostEdit{}, 0, false
}

// allowed reports whether the n tokens after i may be edited: none is a
// word of keep.
func (p *PostEdits) allowed(text string, ts []token, i, n int, keep []string) bool {
	if n == 0 {
		return true
	}
	region := text[ts[i+1].start:ts[i+n].end]
	for _, k := range keep {
		if strings.TrimSpace(k) != "" && containsWord(region, k) {
			return false
		}
	}
	return true
}

// region returns the bytes an edit of the n tokens after i replaces: the
// tokens (with the space before them, for a deletion), or for an
// insertion the space between its contexts.
func (p *PostEdits) region(text string, ts []token, i, n int, deletion bool) (lo, hi int) {
	if n > 0 {
		lo, hi = ts[i+1].start, ts[i+n].end
		if deletion {
			lo = 0
			if i >= 0 {
				lo = ts[i].end
			}
			if lo == 0 { // the text's first words: the space after them goes
				hi = ts[i+n].end + len(text[ts[i+n].end:]) - len(strings.TrimLeft(text[ts[i+n].end:], " "))
			}
		}
		return lo, hi
	}
	lo, hi = 0, len(text)
	if i >= 0 {
		lo = ts[i].end
	}
	if i+1 < len(ts) {
		hi = ts[i+1].start
	}
	return lo, hi
}

// replacement is what takes text[lo:hi]'s place: to, spaced as a word
// among its neighbours (Apply then collapses repeated spaces), with a
// capital when it opens the text and the engine's words had one.
func (p *PostEdits) replacement(text string, ts []token, i, n, lo, hi int, to string) string {
	if i < 0 && to != "" {
		if first, _ := utf8.DecodeRuneInString(text[lo:]); unicode.IsUpper(first) {
			r, size := utf8.DecodeRuneInString(to)
			to = string(unicode.ToUpper(r)) + to[size:]
		}
	}
	if n > 0 {
		return to
	}
	// An insertion: a space on each side that has a word next to it.
	if to == "" {
		return text[lo:hi]
	}
	left, right := "", ""
	if i >= 0 && wordToken(ts[i]) {
		left = " "
	}
	if i+1 < len(ts) && (wordToken(ts[i+1]) || ts[i+1].key == "⟦⟧") {
		right = " "
	}
	return left + to + right
}

// wordToken reports whether t is a word, number or code (not punctuation).
func wordToken(t token) bool {
	r, _ := utf8.DecodeRuneInString(t.key)
	return unicode.IsLetter(r) || unicode.IsDigit(r) || t.key == "#" || t.key == "⟦⟧"
}

// Describe returns the edit as a reader sees it: the engine's words and
// the approved targets', each with the context in the clear and the
// edited part in brackets ("no [podría] abrir", "no [se pudo] abrir";
// quotation marks: `"…"`, "«…»").
func (e PostEdit) Describe() (from, to string) {
	if strings.HasPrefix(e.Key, quotePrefix) {
		m := strings.Fields(strings.TrimPrefix(e.Key, quotePrefix))
		o := strings.Fields(e.To)
		if len(m) == 2 && len(o) == 2 {
			return m[0] + "…" + m[1], o[0] + "…" + o[1]
		}
	}
	ts := strings.Fields(e.Key)
	if len(ts) < 2 {
		return e.Key, e.To
	}
	left, mid, right := ts[0], strings.Join(ts[1:len(ts)-1], " "), ts[len(ts)-1]
	return left + " [" + mid + "] " + right, left + " [" + e.To + "] " + right
}
