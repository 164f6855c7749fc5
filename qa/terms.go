package qa

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"

	"github.com/kgmem/kgmem/analysis"
	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/formats"
)

// Term is a term of a term base found in a source text, with the
// translations the target must use (one of Required) and may not use
// (any of Forbidden).
type Term struct {
	// Source is the term as the term base writes it.
	Source string `json:"source"`
	// Required are the allowed translations (preferred, admitted, or
	// without status); the target must contain one. Empty: any.
	Required []string `json:"required,omitempty"`
	// Forbidden are the translations the term base deprecates.
	Forbidden []string `json:"forbidden,omitempty"`
}

// Terms finds the terms of a term base in a source text. The knowledge
// graph implements it with its term-base entries; TermList with a file.
// Implementations must be safe for concurrent use.
type Terms interface {
	TermsOf(ctx context.Context, sourceLang, targetLang language.Tag, source string) ([]Term, error)
}

// termCache asks Terms once per source text and language pair, and
// analyses each term and target once. It belongs to one Check call.
type termCache struct {
	terms    Terms
	mu       sync.Mutex
	seen     map[string][]Term
	termKeys map[string][]string
	last     *pair // the pair whose target keys are in lastKeys
	lastKeys []string
}

func newTermCache(t Terms) *termCache {
	return &termCache{terms: t, seen: map[string][]Term{}, termKeys: map[string][]string{}}
}

// keys returns matchKeys of a term.
func (c *termCache) keys(lang, term string) []string {
	k := lang + "\x00" + term
	c.mu.Lock()
	defer c.mu.Unlock()
	ks, ok := c.termKeys[k]
	if !ok {
		ks = matchKeys(lang, term)
		c.termKeys[k] = ks
	}
	return ks
}

// targetKeys returns matchKeys of a pair's target, analysed once for both
// term checks.
func (c *termCache) targetKeys(p *pair) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.last != p {
		c.last, c.lastKeys = p, matchKeys(p.tgtBase, p.tgt.masked)
	}
	return c.lastKeys
}

func (c *termCache) of(ctx context.Context, p *pair) ([]Term, error) {
	if c.terms == nil {
		return nil, nil
	}
	src := termSource(p.src)
	key := p.srcL.String() + "\x00" + p.tgtL.String() + "\x00" + src
	c.mu.Lock()
	ts, ok := c.seen[key]
	c.mu.Unlock()
	if ok {
		return ts, nil
	}
	ts, err := c.terms.TermsOf(ctx, p.srcL, p.tgtL, src)
	if err != nil {
		return nil, fmt.Errorf("look up the terms of %q: %w", clip(p.src.raw), err)
	}
	c.mu.Lock()
	c.seen[key] = ts
	c.mu.Unlock()
	return ts, nil
}

// termSource is the source text terms are looked for in: without its
// placeholders, tags and addresses ("<file>" in a command's usage is not
// the term "file"), each replaced by a space.
func termSource(t *text) string {
	return strings.ReplaceAll(t.masked, string(masked), " ")
}

func clip(s string) string {
	if len(s) > 60 {
		return s[:57] + "…"
	}
	return s
}

// matchKeys returns the words of s as the term checks compare them: each
// word's lemma (so that "files" is "file"), or its lowercase form for a
// stop word. Accelerator markers and placeholders are left out.
func matchKeys(lang, s string) []string {
	toks := analysis.For(lang).Tokens(withoutAccelerator(s))
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.Lemma
		if out[i] == "" {
			out[i] = t.Norm
		}
	}
	return out
}

// foldMarks removes diacritics: the Spanish stemmer gives "botón" and
// "botones" the lemmas "botón" and "boton".
func foldMarks(s string) string {
	if isASCII(s) {
		return s
	}
	d := norm.NFD.String(s)
	var b strings.Builder
	for _, r := range d {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return norm.NFC.String(b.String())
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// spansOf returns where needle occurs in hay, as [start, end) word
// indices, comparing words with same.
func spansOf(hay, needle []string, same func(a, b string) bool) [][2]int {
	if len(needle) == 0 {
		return nil
	}
	var out [][2]int
	for i := 0; i+len(needle) <= len(hay); i++ {
		ok := true
		for j, w := range needle {
			if !same(hay[i+j], w) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, [2]int{i, i + len(needle)})
		}
	}
	return out
}

// sameWord reports whether a word of the target is a form of a word of a
// term, by their keys: the same key, or, for a term word of six letters
// or more, the same beginning but for its last two letters, as verbs
// inflect ("guardar": "guarde", "guarda"; "eliminar": "elimine"). With
// fold, diacritics are left out first, as the stemmer keeps them in some
// forms and not in others ("botón", "botones"); a forbidden term is
// matched without folding, since a term base may forbid a spelling that
// differs only in its accent ("ícono" for "icono").
func sameWord(word, term string, fold bool) bool {
	if fold {
		word, term = foldMarks(word), foldMarks(term)
	}
	if word == term {
		return true
	}
	n := utf8.RuneCountInString(term)
	if n < 6 {
		return false
	}
	prefix := string([]rune(term)[:n-2])
	return strings.HasPrefix(word, prefix)
}

// termUse is where a target uses one of a term's translations.
type termUse struct {
	term string
	span [2]int
}

// uses returns where the target uses the candidates.
func (c *termCache) uses(tgtKeys []string, lang string, candidates []string, fold bool) []termUse {
	var out []termUse
	for _, cand := range candidates {
		for _, sp := range spansOf(tgtKeys, c.keys(lang, cand), func(a, b string) bool { return sameWord(a, b, fold) }) {
			out = append(out, termUse{cand, sp})
		}
	}
	return out
}

// termUses returns the target's uses of a term's required translations
// that are not one of its forbidden ones (which may differ from a
// required one in an accent only), and its uses of forbidden ones that
// are not inside a required one ("carpeta" in "carpeta compartida").
func (c *termCache) termUses(keys []string, lang string, t Term) (required, forbidden []termUse) {
	req := c.uses(keys, lang, t.Required, true)
	forb := c.uses(keys, lang, t.Forbidden, false)
	inside := func(a [2]int, in []termUse) bool {
		for _, u := range in {
			if u.span[0] <= a[0] && a[1] <= u.span[1] && u.span != a {
				return true
			}
		}
		return false
	}
	same := func(a [2]int, in []termUse) bool {
		for _, u := range in {
			if u.span == a {
				return true
			}
		}
		return false
	}
	for _, u := range req {
		if !same(u.span, forb) {
			required = append(required, u)
		}
	}
	for _, u := range forb {
		if !inside(u.span, required) {
			forbidden = append(forbidden, u)
		}
	}
	return required, forbidden
}

func checkTerms(ctx context.Context, c *checker, p *pair) ([]problem, error) {
	ts, err := c.terms.of(ctx, p)
	if err != nil || len(ts) == 0 {
		return nil, err
	}
	keys := c.terms.targetKeys(p)
	var out []problem
	for _, t := range ts {
		if len(t.Required) == 0 {
			continue
		}
		if req, _ := c.terms.termUses(keys, p.tgtBase, t); len(req) > 0 {
			continue
		}
		out = append(out, problem{msg: fmt.Sprintf("term %q is not translated as the term base says: %s", t.Source, orList(t.Required)),
			hint: "use the term base's translation"})
	}
	return out, nil
}

func checkForbiddenTerms(ctx context.Context, c *checker, p *pair) ([]problem, error) {
	ts, err := c.terms.of(ctx, p)
	if err != nil || len(ts) == 0 {
		return nil, err
	}
	keys := c.terms.targetKeys(p)
	var out []problem
	for _, t := range ts {
		seen := map[string]bool{}
		_, forb := c.terms.termUses(keys, p.tgtBase, t)
		for _, u := range forb {
			if seen[u.term] {
				continue
			}
			seen[u.term] = true
			hint := "use the term base's translation"
			if len(t.Required) > 0 {
				hint = "use " + orList(t.Required)
			}
			out = append(out, problem{msg: fmt.Sprintf("%q translates term %q as the term base forbids", u.term, t.Source), hint: hint})
		}
	}
	return out, nil
}

func orList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, " or ")
}

// TermList is a term base read from a file, finding its terms in source
// texts by their words' lemmas, longest term first. It is safe for
// concurrent use.
type TermList struct {
	entries []*corpora.TermEntry
	mu      sync.Mutex
	byPair  map[string]*termIndex
}

var _ Terms = (*TermList)(nil)

// termIndex holds the terms of one language pair.
type termIndex struct {
	terms   []indexedTerm
	byFirst map[string][]int
}

type indexedTerm struct {
	keys []string
	Term
}

// NewTermList returns the term list of term-base entries. A concept's
// terms in the source language are what is looked for; its terms in the
// target language are required unless deprecated, which are forbidden.
// An entry whose terms have no language (a glossary read without one)
// has its first term as the source and the others as targets, in every
// language pair.
func NewTermList(entries []*corpora.TermEntry) *TermList {
	return &TermList{entries: entries, byPair: map[string]*termIndex{}}
}

// ErrNoTerms is wrapped by the error of ReadTermList for a file that
// holds no term entry.
var ErrNoTerms = errors.New("no term entries")

// ReadTermList reads a term list: a TBX term base, or a glossary (tab-
// or comma-separated, OmegaT's or with a header naming its columns; a
// status column of "deprecated" or "forbidden" marks forbidden
// translations). opts.SourceLang and TargetLang give a glossary's
// languages when it does not say.
func ReadTermList(ctx context.Context, path string, opts corpora.ReadOptions) (*TermList, error) {
	if opts.Name == "" {
		opts.Name = path
	}
	f, err := formats.Open(path, formats.Options{ReadOptions: opts})
	if err != nil {
		return nil, unreadable(err)
	}
	if !f.IsTermBase() {
		// A .tsv or .csv of source and target is a glossary too.
		format := f.Format
		f.Close()
		if format != formats.TSV && format != formats.CSV {
			return nil, &corpora.ParseError{File: path, Offset: -1,
				Err: fmt.Errorf("a %s file is not a term list: %w; use TBX, or a tab- or comma-separated glossary", format, ErrNoTerms)}
		}
		if f, err = formats.Open(path, formats.Options{ReadOptions: opts, Format: formats.Glossary}); err != nil {
			return nil, err
		}
	}
	defer f.Close()
	var entries []*corpora.TermEntry
	err = corpora.EachTerm(ctx, f, func(e *corpora.TermEntry) error {
		for i := range e.Terms {
			if e.Terms[i].Status == corpora.TermUnspecified && isForbiddenWord(e.Note) {
				e.Terms[i].Status = corpora.TermDeprecated
			}
		}
		entries = append(entries, e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(entries) == 0 {
		return nil, &corpora.ParseError{File: path, Offset: -1, Err: ErrNoTerms}
	}
	return NewTermList(entries), nil
}

// isForbiddenWord reports whether a glossary comment marks a row as a
// forbidden translation.
func isForbiddenWord(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "forbidden", "deprecated", "do not use", "prohibited":
		return true
	}
	return false
}

// Len returns the number of entries.
func (l *TermList) Len() int { return len(l.entries) }

// TermsOf returns the terms of the list found in source, longest first
// where they overlap, each once.
func (l *TermList) TermsOf(ctx context.Context, sourceLang, targetLang language.Tag, source string) ([]Term, error) {
	ix := l.index(sourceLang, targetLang)
	if len(ix.terms) == 0 {
		return nil, nil
	}
	sb, _ := sourceLang.Base()
	words := sourceWords(sb.String(), source)
	matches := func(i int, keys []string) bool {
		if i+len(keys) > len(words) {
			return false
		}
		for j, k := range keys {
			if k != words[i+j].lemma && k != words[i+j].surface {
				return false
			}
		}
		return true
	}
	var out []Term
	seen := map[int]bool{}
	for i := 0; i < len(words); {
		best := -1
		for _, first := range [2]string{words[i].lemma, words[i].surface} {
			for _, k := range ix.byFirst[first] {
				if matches(i, ix.terms[k].keys) && (best < 0 || len(ix.terms[k].keys) > len(ix.terms[best].keys)) {
					best = k
				}
			}
		}
		if best < 0 {
			i++
			continue
		}
		if !seen[best] {
			seen[best] = true
			out = append(out, ix.terms[best].Term)
		}
		i += len(ix.terms[best].keys)
	}
	return out, nil
}

// sourceWord is a word of a source text as terms are matched to it: its
// folded lemma, and its folded surface form marked with "=".
type sourceWord struct{ lemma, surface string }

func sourceWords(lang, s string) []sourceWord {
	toks := analysis.For(lang).Tokens(withoutAccelerator(s))
	out := make([]sourceWord, len(toks))
	for i, t := range toks {
		lemma := t.Lemma
		if lemma == "" {
			lemma = t.Norm
		}
		out[i] = sourceWord{lemma: foldMarks(lemma), surface: "=" + foldMarks(t.Norm)}
	}
	return out
}

// termKeys returns the keys a term's words are matched by: the lemma of
// a word the term base writes in its base form, so that "file" finds
// "files"; the surface form of one it writes inflected, so that
// "settings" does not find the verb "setting".
func termKeys(lang, term string) []string {
	ws := sourceWords(lang, term)
	keys := make([]string, len(ws))
	for i, w := range ws {
		keys[i] = w.lemma
		if "="+w.lemma != w.surface {
			keys[i] = w.surface
		}
	}
	return keys
}

// index returns the terms of a language pair, building them on first use.
func (l *TermList) index(src, tgt language.Tag) *termIndex {
	key := src.String() + ">" + tgt.String()
	l.mu.Lock()
	defer l.mu.Unlock()
	if ix, ok := l.byPair[key]; ok {
		return ix
	}
	ix := &termIndex{byFirst: map[string][]int{}}
	sb, _ := src.Base()
	bySource := map[string]int{}
	for _, e := range l.entries {
		sources, required, forbidden := entryTerms(e, src, tgt)
		if len(required)+len(forbidden) == 0 {
			continue
		}
		for _, s := range sources {
			keys := termKeys(sb.String(), s)
			if len(keys) == 0 {
				continue
			}
			k := strings.Join(keys, " ")
			i, ok := bySource[k]
			if !ok {
				i = len(ix.terms)
				bySource[k] = i
				ix.terms = append(ix.terms, indexedTerm{keys: keys, Term: Term{Source: s}})
				ix.byFirst[keys[0]] = append(ix.byFirst[keys[0]], i)
			}
			t := &ix.terms[i]
			t.Required = appendNew(t.Required, required...)
			t.Forbidden = appendNew(t.Forbidden, forbidden...)
		}
	}
	l.byPair[key] = ix
	return ix
}

// entryTerms returns an entry's source terms, and its target terms that
// are required and forbidden.
func entryTerms(e *corpora.TermEntry, src, tgt language.Tag) (sources, required, forbidden []string) {
	noLang := true
	for _, t := range e.Terms {
		if t.Lang != language.Und {
			noLang = false
		}
	}
	for i, t := range e.Terms {
		if t.Text == "" {
			continue
		}
		isSrc := corpora.LangMatches(src, t.Lang) && t.Lang != language.Und
		isTgt := corpora.LangMatches(tgt, t.Lang) && t.Lang != language.Und
		if noLang {
			isSrc, isTgt = i == 0, i > 0
		}
		switch {
		case isSrc:
			sources = append(sources, t.Text)
		case isTgt && t.Status == corpora.TermDeprecated:
			forbidden = append(forbidden, t.Text)
		case isTgt:
			required = append(required, t.Text)
		}
	}
	return sources, required, forbidden
}

func appendNew(list []string, ss ...string) []string {
	for _, s := range ss {
		if !slices.Contains(list, s) {
			list = append(list, s)
		}
	}
	return list
}

// AllTerms returns Terms that consults every one of ts and joins what
// they find (a term list and the memory's term base); nil when ts holds
// none.
func AllTerms(ts ...Terms) Terms {
	switch len(ts) {
	case 0:
		return nil
	case 1:
		return ts[0]
	}
	return allTerms(ts)
}

type allTerms []Terms

func (a allTerms) TermsOf(ctx context.Context, sourceLang, targetLang language.Tag, source string) ([]Term, error) {
	var out []Term
	for _, t := range a {
		found, err := t.TermsOf(ctx, sourceLang, targetLang, source)
		if err != nil {
			return nil, err
		}
		out = append(out, found...)
	}
	return out, nil
}
