// Package analysis turns text into the tokens kgmem extracts terms from,
// indexes and matches: Bleve's language analysers (tokenizer, lowercasing,
// stop words, stemming), with each token's byte offsets and its surface
// form kept. Extraction and the search index both analyse through this
// package, so what extraction calls a term is what retrieval can find.
// It also holds the word-level tests both sides share: IsWordRune,
// HasLetter and LowerFirst. (The forms of words — number, gender, word
// class — are package morph.)
//
// Start with For, which returns the analyser of a language.
package analysis

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	blevean "github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/standard"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/analysis/lang/de"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/lang/es"
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	"github.com/blevesearch/bleve/v2/analysis/lang/it"
	"github.com/blevesearch/bleve/v2/analysis/lang/nl"
	"github.com/blevesearch/bleve/v2/analysis/lang/pt"
	"github.com/blevesearch/bleve/v2/analysis/lang/ru"
	unitok "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/kgmem/kgmem/langtag"
)

// Token is one word of a text.
type Token struct {
	Start, End int    // byte offsets into the analysed text
	Surface    string // the text as written
	Norm       string // lowercased surface form
	Stem       string // the analyser's term (stemmed); "" for a stop word
	// Lemma is a light normalisation: lowercase with inflectional endings
	// (plural, gender) removed but derivations kept, so "files" and "file"
	// share a lemma while "infected" and "infection" do not. "" for a stop
	// word. Term identity uses lemmas; the search index uses stems.
	Lemma string
}

// Stop reports whether the analyser drops the token as a stop word.
func (t Token) Stop() bool { return t.Stem == "" }

// Analyzer analyses text of one language. It is safe for concurrent use.
type Analyzer struct {
	// Name is the Bleve analyser name, for index mappings.
	Name      string
	lang      string
	full      blevean.Analyzer
	tokenizer blevean.Tokenizer
	light     blevean.TokenFilter // Bleve's light stemmer, if the language has one
	cjk       bool
	// filters are full's token filters when full is tokenizer followed by
	// them and nothing else, so that Tokens can tokenise once for both;
	// nil otherwise.
	filters []blevean.TokenFilter
}

// bleveAnalyzers maps a language subtag to the Bleve analyser for it.
var bleveAnalyzers = map[string]string{
	"en": en.AnalyzerName,
	"es": es.AnalyzerName,
	"de": de.AnalyzerName,
	"fr": fr.AnalyzerName,
	"it": it.AnalyzerName,
	"pt": pt.AnalyzerName,
	"nl": nl.AnalyzerName,
	"ru": ru.AnalyzerName,
	"zh": cjk.AnalyzerName,
	"ja": cjk.AnalyzerName,
	"ko": cjk.AnalyzerName,
}

// lightStemmers maps a language subtag to Bleve's light stemmer for it.
var lightStemmers = map[string]string{
	"es": es.LightStemmerName,
	"fr": fr.LightStemmerName,
	"de": de.LightStemmerName,
	"it": it.LightStemmerName,
	"pt": pt.LightStemmerName,
}

// The analysers are built once per language and never change: this cache
// is memoisation, not configuration.
var (
	mu    sync.Mutex
	cache = map[string]*Analyzer{}
	reg   = registry.NewCache()
)

// For returns the analyser of a language (a BCP-47 tag; only the language
// subtag matters). Languages without a Bleve analyser get the standard
// one: Unicode word breaking, lowercasing and English stop words.
func For(lang string) *Analyzer {
	base := langtag.Base(lang)
	mu.Lock()
	defer mu.Unlock()
	if a, ok := cache[base]; ok {
		return a
	}
	name, ok := bleveAnalyzers[base]
	if !ok {
		name = standard.Name
	}
	full, err := reg.AnalyzerNamed(name)
	if err != nil {
		// The analysers above are compiled in; failing to build one is a
		// programming error, not an input error.
		panic("analysis: " + name + ": " + err.Error())
	}
	tok, err := reg.TokenizerNamed(unitok.Name)
	if err != nil {
		panic("analysis: unicode tokenizer: " + err.Error())
	}
	a := &Analyzer{Name: name, lang: base, full: full, tokenizer: tok, cjk: name == cjk.AnalyzerName}
	if da, ok := full.(*blevean.DefaultAnalyzer); ok && len(da.CharFilters) == 0 && len(da.TokenFilters) > 0 && sameTokenizer(da.Tokenizer, tok) {
		a.filters = da.TokenFilters
	}
	if ln, ok := lightStemmers[base]; ok {
		if f, err := reg.TokenFilterNamed(ln); err == nil {
			a.light = f
		}
	}
	cache[base] = a
	return a
}

// Tokens returns every word of text in order, stop words included (with an
// empty Stem).
func (a *Analyzer) Tokens(text string) []Token {
	if text == "" {
		return nil
	}
	b := []byte(text)
	if a.cjk {
		return a.cjkTokens(text, b)
	}
	words := a.tokenizer.Tokenize(b)
	if a.filters != nil {
		return a.filteredTokens(text, words)
	}
	terms := a.full.Analyze(b)
	stems := make(map[int]string, len(terms))
	for _, t := range terms {
		stems[t.Start] = string(t.Term)
	}
	out := make([]Token, 0, len(words))
	for _, w := range words {
		surface := text[w.Start:w.End]
		t := Token{
			Start:   w.Start,
			End:     w.End,
			Surface: surface,
			Norm:    strings.ToLower(surface),
			Stem:    stems[w.Start],
		}
		if t.Stem != "" {
			t.Lemma = a.lemma(t.Surface, t.Norm)
		}
		out = append(out, t)
	}
	return out
}

// filteredTokens is Tokens for an analyser whose full analysis is the
// tokenizer's words through a.filters: the words are taken first, then the
// filters turn the same token stream into the stems (they may change,
// drop or reorder tokens, so the words' offsets are read before).
func (a *Analyzer) filteredTokens(text string, words blevean.TokenStream) []Token {
	out := make([]Token, len(words))
	for i, w := range words {
		surface := text[w.Start:w.End]
		out[i] = Token{Start: w.Start, End: w.End, Surface: surface, Norm: strings.ToLower(surface)}
	}
	terms := words
	for _, f := range a.filters {
		terms = f.Filter(terms)
	}
	// out is in offset order; the terms usually are too. The stem of a
	// word is the last term that starts where it does.
	j := 0
	for _, t := range terms {
		if j >= len(out) || out[j].Start > t.Start {
			j = 0
		}
		for j < len(out) && out[j].Start < t.Start {
			j++
		}
		if j < len(out) && out[j].Start == t.Start {
			out[j].Stem = string(t.Term)
		}
	}
	for i := range out {
		if out[i].Stem != "" {
			out[i].Lemma = a.lemma(out[i].Surface, out[i].Norm)
		}
	}
	return out
}

// sameTokenizer reports whether two tokenizers split text alike: both are
// Bleve's stateless Unicode tokenizer.
func sameTokenizer(a, b blevean.Tokenizer) bool {
	_, ua := a.(*unitok.UnicodeTokenizer)
	_, ub := b.(*unitok.UnicodeTokenizer)
	return ua && ub
}

// cjkTokens keeps the CJK analyser's overlapping bigrams for ideographic
// runs and its words elsewhere.
func (a *Analyzer) cjkTokens(text string, b []byte) []Token {
	terms := a.full.Analyze(b)
	out := make([]Token, 0, len(terms))
	for _, t := range terms {
		surface := text[t.Start:t.End]
		out = append(out, Token{Start: t.Start, End: t.End, Surface: surface, Norm: strings.ToLower(surface), Stem: string(t.Term), Lemma: string(t.Term)})
	}
	return out
}

// Terms returns the analysed terms of text: what the search index stores.
func (a *Analyzer) Terms(text string) []string {
	ts := a.full.Analyze([]byte(text))
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = string(t.Term)
	}
	return out
}

// Key returns the normalised form of a term: the lemmas of its words joined
// by spaces (stop words kept in their lowercase form). Two inflections or
// spellings with the same key are variants of one term: "Files" and "file"
// in English.
func (a *Analyzer) Key(term string) string {
	toks := a.Tokens(term)
	parts := make([]string, 0, len(toks))
	for _, t := range toks {
		if t.Lemma != "" {
			parts = append(parts, t.Lemma)
		} else {
			parts = append(parts, t.Norm)
		}
	}
	return strings.Join(parts, " ")
}

// lemma returns the light normalisation of one word. Acronyms (all
// capitals) are only lowercased: "AIDS" is not the plural of "aid".
func (a *Analyzer) lemma(surface, norm string) string {
	if AllCaps(surface) {
		return norm
	}
	if a.lang == "en" {
		return englishSingular(norm)
	}
	if a.light != nil {
		ts := a.light.Filter(blevean.TokenStream{&blevean.Token{Term: []byte(norm), Start: 0, End: len(norm)}})
		if len(ts) == 1 && len(ts[0].Term) > 0 {
			l := string(ts[0].Term)
			// Bleve's light stemmers leave short words alone but stem their
			// plurals ("nota" stays, "notas" becomes "not"); take the final
			// vowel off such words too, so both forms meet.
			if l == norm && a.lang == "es" && utf8.RuneCountInString(l) >= 3 {
				if last := l[len(l)-1]; last == 'a' || last == 'o' || last == 'e' {
					l = l[:len(l)-1]
				}
			}
			return l
		}
	}
	return norm
}

// englishSingular removes a plural ending the way Harman's S-stemmer
// does: -ies → -y, -es → -e, -s → "", leaving -aies, -eies, -aes, -ees,
// -oes, -us and -ss alone; and -xes, -ches, -shes, -sses lose -es.
func englishSingular(w string) string {
	n := len(w)
	switch {
	case n > 4 && (strings.HasSuffix(w, "xes") || strings.HasSuffix(w, "ches") || strings.HasSuffix(w, "shes") || strings.HasSuffix(w, "sses")):
		return w[:n-2] // boxes, patches, brushes, classes
	case n > 4 && strings.HasSuffix(w, "ies") && !strings.HasSuffix(w, "eies") && !strings.HasSuffix(w, "aies"):
		return w[:n-3] + "y"
	case n > 3 && strings.HasSuffix(w, "es") && !strings.HasSuffix(w, "aes") && !strings.HasSuffix(w, "ees") && !strings.HasSuffix(w, "oes"):
		return w[:n-1]
	case n > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "is"):
		return w[:n-1]
	}
	return w
}

// IsWordRune reports whether r can be part of a word.
func IsWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// HasLetter reports whether s has at least one letter.
func HasLetter(s string) bool {
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		if unicode.IsLetter(r) {
			return true
		}
		s = s[n:]
	}
	return false
}

// LowerFirst lowercases the first letter of s, as a word capitalised at
// the start of a sentence is written elsewhere, unless the second letter
// is in capitals too (an acronym: "PDF viewer" stays).
func LowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if !unicode.IsUpper(r) {
		return s
	}
	if r2, _ := utf8.DecodeRuneInString(s[n:]); unicode.IsUpper(r2) {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// AllCaps reports whether s is written in capitals: two upper-case
// letters or more and no lower-case one ("SUFFIX", "PDF", "COVID-19").
// Text in a script without case is not.
func AllCaps(s string) bool {
	upper := 0
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsUpper(r) {
			upper++
		}
	}
	return upper >= 2
}
