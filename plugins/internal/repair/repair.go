// Package repair does fuzzy-match repair: it turns the target of a
// translation-memory match whose source differs from the sentence in a few
// words into a translation of the sentence, by translating only the words
// that differ and patching them into the match's target (the black-box
// approach of Ortega, Sánchez-Martínez and Forcada). The translator of the
// differing fragments is the caller's: a term base, or an MT engine.
//
// It also has the term helpers the built-in models share: Substitute puts
// term translations into a text, Honoured says which terms a translation
// uses.
package repair

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kgmem/kgmem/analysis"
	"github.com/kgmem/kgmem/morph"
	"github.com/kgmem/kgmem/plugins"
)

// Limits on what is worth repairing: beyond them the match is too far from
// the sentence for patching to beat translating from scratch.
const (
	MaxEdits         = 3
	MaxFragmentWords = 4
)

// Translator translates source fragments. It returns one string per
// fragment and whether it could translate it.
type Translator func(fragments []string) ([]string, []bool, error)

// token is a word or a punctuation mark, as byte offsets into its text.
type token struct {
	start, end int
	key        string // lower-cased text, for comparison
}

func tokenize(s string) []token {
	var out []token
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			i += n
		case isWordRune(r):
			j := i + n
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if !isWordRune(r2) {
					break
				}
				j += n2
			}
			out = append(out, token{i, j, strings.ToLower(s[i:j])})
			i = j
		default:
			out = append(out, token{i, i + n, s[i : i+n]})
			i += n
		}
	}
	return out
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || unicode.IsMark(r)
}

// Edit is a run of tokens that differs between a sentence and a match's
// source, as byte ranges: Match[0:2] in the match's source is Src[0:2] in
// the sentence. One side may be empty (an insertion or a deletion).
type Edit struct {
	Match [2]int
	Src   [2]int
}

// Diff returns the edits that turn match into src, word by word, ignoring
// case and spacing.
func Diff(src, match string) []Edit {
	a, b := tokenize(match), tokenize(src)
	// Longest common subsequence, by dynamic programming over suffixes.
	n, m := len(a), len(b)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i].key == b[j].key {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var edits []Edit
	i, j := 0, 0
	ai, bj := 0, 0 // start of the current gap
	flush := func() {
		if ai == i && bj == j {
			return
		}
		e := Edit{Match: span(a, ai, i, match), Src: span(b, bj, j, src)}
		edits = append(edits, e)
	}
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i].key == b[j].key:
			flush()
			i++
			j++
			ai, bj = i, j
		case j >= m || (i < n && lcs[i+1][j] >= lcs[i][j+1]):
			i++
		default:
			j++
		}
	}
	flush()
	return edits
}

// span returns the byte range of toks[from:to] in s; an empty run is an
// empty range where it would be.
func span(toks []token, from, to int, s string) [2]int {
	if from == to {
		if from < len(toks) {
			return [2]int{toks[from].start, toks[from].start}
		}
		return [2]int{len(s), len(s)}
	}
	return [2]int{toks[from].start, toks[to-1].end}
}

// Repair patches m.Target, in targetLang, into a translation of src. The
// determiners before a patched fragment are made to agree with it where
// the language's rules tell (morph.AgreeDeterminersBefore: "las notas"
// patched to "los archivos adjuntos"). It returns false when the match
// differs too much, in a way it cannot patch (an insertion), or when a
// fragment cannot be translated or found in the target.
func Repair(targetLang, src string, m plugins.FuzzyMatch, tr Translator) (string, bool, error) {
	m.Target = recase(src, m.Source, m.Target)
	edits := Diff(src, m.Source)
	if len(edits) == 0 {
		return m.Target, true, nil
	}
	if len(edits) > MaxEdits {
		return "", false, nil
	}
	patches, frags, ok := planPatches(src, m, edits)
	if !ok {
		return "", false, nil
	}
	out, ok, err := translateFragments(tr, frags)
	if err != nil || !ok {
		return "", false, err
	}
	repls, ok := placePatches(src, m.Target, edits, patches, out)
	if !ok {
		return "", false, nil
	}
	return applyPatches(targetLang, m.Target, repls), true, nil
}

// recase returns the target of a match written in capitals ("SUFFIX" →
// "SUFIJO") for a sentence that is not ("Suffix") in lower case,
// capitalised where the sentence is, and with the words the sentence
// writes in capitals kept so ("PDF"). Any other target is returned as it
// is.
func recase(src, matchSrc, target string) string {
	if !analysis.AllCaps(matchSrc) || analysis.AllCaps(src) {
		return target
	}
	keep := map[string]bool{}
	for _, t := range tokenize(src) {
		if analysis.AllCaps(src[t.start:t.end]) {
			keep[t.key] = true
		}
	}
	var b strings.Builder
	last := 0
	for _, t := range tokenize(target) {
		b.WriteString(target[last:t.start])
		if w := target[t.start:t.end]; keep[t.key] {
			b.WriteString(w)
		} else {
			b.WriteString(t.key)
		}
		last = t.end
	}
	b.WriteString(target[last:])
	out := b.String()
	if r, _ := utf8.DecodeRuneInString(strings.TrimLeftFunc(src, func(r rune) bool { return !unicode.IsLetter(r) })); unicode.IsUpper(r) {
		out = upperFirstLetter(out)
	}
	return out
}

// upperFirstLetter returns s with its first letter in upper case.
func upperFirstLetter(s string) string {
	for i, r := range s {
		if unicode.IsLetter(r) {
			return s[:i] + string(unicode.ToUpper(r)) + s[i+utf8.RuneLen(r):]
		}
	}
	return s
}

// patch is what one edit changes in the match's target: the translation
// of the match's fragment (from) becomes that of the sentence's (to).
type patch struct {
	from, to string
	needFrom bool // from is to be translated: frags[fromIdx]
	fromIdx  int
	toIdx    int // to is frags[toIdx]; -1 for a deletion
}

// planPatches returns a patch per edit and the fragments to translate for
// them: the sentence's fragment, and the match's when the target does not
// keep it verbatim. It returns false for an edit it cannot patch: an
// insertion, or a fragment over MaxFragmentWords.
func planPatches(src string, m plugins.FuzzyMatch, edits []Edit) ([]patch, []string, bool) {
	patches := make([]patch, len(edits))
	var frags []string
	for k, e := range edits {
		a := m.Source[e.Match[0]:e.Match[1]]
		b := src[e.Src[0]:e.Src[1]]
		if a == "" || len(tokenize(a)) > MaxFragmentWords || len(tokenize(b)) > MaxFragmentWords {
			return nil, nil, false
		}
		p := patch{from: a, fromIdx: -1, toIdx: -1}
		if findWord(m.Target, a, 0) < 0 {
			// Not kept verbatim in the target (as names and numbers are):
			// find what it was translated as.
			p.needFrom = true
			p.fromIdx = len(frags)
			frags = append(frags, a)
		}
		if b != "" {
			p.toIdx = len(frags)
			frags = append(frags, b)
		}
		patches[k] = p
	}
	return patches, frags, true
}

// translateFragments translates frags with tr; false when tr could not
// translate one of them.
func translateFragments(tr Translator, frags []string) ([]string, bool, error) {
	if len(frags) == 0 {
		return nil, true, nil
	}
	out, ok, err := tr(frags)
	if err != nil {
		return nil, false, err
	}
	if len(out) != len(frags) || len(ok) != len(frags) {
		return nil, false, nil
	}
	for _, good := range ok {
		if !good {
			return nil, false, nil
		}
	}
	return out, true, nil
}

// repl replaces target[start:end] with with.
type repl struct {
	start, end int
	with       string
}

// placePatches finds where each patch goes in target, given the
// translations of the fragments, and returns the replacements in order.
// It returns false when a fragment's translation is not in the target or
// two replacements overlap.
func placePatches(src, target string, edits []Edit, patches []patch, out []string) ([]repl, bool) {
	var repls []repl
	for k := range patches {
		p := &patches[k]
		if p.needFrom {
			p.from = strings.TrimSpace(out[p.fromIdx])
		}
		if p.toIdx >= 0 {
			p.to = strings.TrimSpace(out[p.toIdx])
		}
		at := findWord(target, p.from, 0)
		if at < 0 || p.from == "" {
			return nil, false
		}
		// An engine capitalises a fragment as if it began a sentence; and
		// a fragment that begins the source but not the target ("Notes
		// are…" → "Las notas…") is written as the word it replaces is,
		// unless it is kept as it is (a name).
		if e := edits[k]; at > 0 && e.Src[0] < e.Src[1] {
			first, _ := utf8.DecodeRuneInString(src[e.Src[0]:])
			replaced, _ := utf8.DecodeRuneInString(target[at:])
			b := src[e.Src[0]:e.Src[1]]
			if unicode.IsLower(first) || e.Src[0] == 0 && unicode.IsLower(replaced) && !strings.EqualFold(p.to, b) {
				p.to = analysis.LowerFirst(p.to)
			}
		}
		repls = append(repls, repl{at, at + len(p.from), p.to})
	}
	sort.Slice(repls, func(i, j int) bool { return repls[i].start < repls[j].start })
	for i := 1; i < len(repls); i++ {
		if repls[i].start < repls[i-1].end {
			return nil, false
		}
	}
	return repls, true
}

// applyPatches makes the replacements in t, in targetLang: a deletion
// takes a neighbouring space with it, and the determiners before a
// replaced noun phrase agree with the new one.
func applyPatches(targetLang, t string, repls []repl) string {
	var b strings.Builder
	last := 0
	for _, r := range repls {
		end := r.end
		if r.with == "" {
			// A deletion: take one neighbouring space with the word.
			if end < len(t) && t[end] == ' ' {
				end++
			} else if r.start > last && t[r.start-1] == ' ' {
				r.start--
			}
			b.WriteString(t[last:r.start])
		} else {
			// The determiners before the fragment agree with the new one
			// if the one it replaces is a noun phrase they agreed with:
			// then they are its.
			before := b.String() + t[last:r.start]
			old := t[r.start:r.end]
			if _, _, ok := morph.NounPhraseGender(targetLang, old); ok && morph.AgreeDeterminersBefore(targetLang, before, old) == before {
				before = morph.AgreeDeterminersBefore(targetLang, before, r.with)
			}
			b.Reset()
			b.WriteString(before)
			b.WriteString(r.with)
		}
		last = end
	}
	b.WriteString(t[last:])
	return b.String()
}

// findWord returns the byte offset of the first occurrence of w in s at or
// after from that starts and ends on word boundaries, case-insensitively
// when there is no exact occurrence; -1 if there is none.
func findWord(s, w string, from int) int {
	if w == "" {
		return -1
	}
	for _, hay := range []string{s, strings.ToLower(s)} {
		needle := w
		if hay != s {
			needle = strings.ToLower(w)
			if len(hay) != len(s) {
				return -1 // lower-casing changed lengths; offsets would be wrong
			}
		}
		for i := from; i <= len(hay)-len(needle); {
			k := strings.Index(hay[i:], needle)
			if k < 0 {
				break
			}
			at := i + k
			if boundary(hay, at, at+len(needle)) {
				return at
			}
			i = at + 1
		}
	}
	return -1
}

func boundary(s string, start, end int) bool {
	if start > 0 {
		r, _ := utf8.DecodeLastRuneInString(s[:start])
		f, _ := utf8.DecodeRuneInString(s[start:])
		if isWordRune(r) && isWordRune(f) {
			return false
		}
	}
	if end < len(s) {
		r, _ := utf8.DecodeRuneInString(s[end:])
		l, _ := utf8.DecodeLastRuneInString(s[:end])
		if isWordRune(r) && isWordRune(l) {
			return false
		}
	}
	return true
}

// ValidSpans returns the indexes of terms whose spans are well-formed and
// do not overlap an earlier one, sorted by position.
func ValidSpans(src string, terms []plugins.TermConstraint) []int {
	var idx []int
	for i, t := range terms {
		s := t.SourceSpan
		if s.Start >= 0 && s.Start < s.End && s.End <= len(src) && t.Target != "" {
			idx = append(idx, i)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool { return terms[idx[a]].SourceSpan.Start < terms[idx[b]].SourceSpan.Start })
	out := idx[:0]
	end := -1
	for _, i := range idx {
		if terms[i].SourceSpan.Start >= end {
			out = append(out, i)
			end = terms[i].SourceSpan.End
		}
	}
	return out
}

// Substitute replaces each term's span in src by what with returns for it
// (its target, or a placeholder), and returns the indexes of the terms
// replaced.
func Substitute(src string, terms []plugins.TermConstraint, with func(i int) string) (string, []int) {
	idx := ValidSpans(src, terms)
	var b strings.Builder
	last := 0
	for _, i := range idx {
		s := terms[i].SourceSpan
		b.WriteString(src[last:s.Start])
		b.WriteString(with(i))
		last = s.End
	}
	b.WriteString(src[last:])
	return b.String(), idx
}

// ContainsWord reports whether w occurs in s as whole words, in the same
// case or, failing that, in any case.
func ContainsWord(s, w string) bool { return findWord(s, w, 0) >= 0 }

// Honours reports whether translation uses t's target or one of its
// alternatives, as whole words.
func Honours(translation string, t plugins.TermConstraint) bool {
	if ContainsWord(translation, t.Target) {
		return true
	}
	for _, a := range t.Alternatives {
		if ContainsWord(translation, a) {
			return true
		}
	}
	return false
}

// HonoursInflected reports whether translation honours t (Honours), or
// uses an inflection of its one-word target or alternative: a word whose
// stem in lang is the target's, or begins or ends it with at least five
// letters in common ("elimina" for "eliminar"). A repaired match keeps the
// words it does not patch as its translator inflected them.
func HonoursInflected(lang, translation string, t plugins.TermConstraint) bool {
	if Honours(translation, t) {
		return true
	}
	an := analysis.For(lang)
	var words []string
	for _, tok := range an.Tokens(translation) {
		if tok.Lemma != "" {
			words = append(words, tok.Lemma)
		} else {
			words = append(words, tok.Norm)
		}
	}
	for _, target := range append([]string{t.Target}, t.Alternatives...) {
		key := an.Key(target)
		if key == "" || strings.Contains(key, " ") {
			continue
		}
		for _, w := range words {
			short, long := w, key
			if len(short) > len(long) {
				short, long = long, short
			}
			if short == long || utf8.RuneCountInString(short) >= 5 && strings.HasPrefix(long, short) {
				return true
			}
		}
	}
	return false
}

// Honoured returns the indexes of the terms translation honours (uses
// the target or an alternative of).
func Honoured(translation string, terms []plugins.TermConstraint) []int {
	var out []int
	for i, t := range terms {
		if Honours(translation, t) {
			out = append(out, i)
		}
	}
	return out
}

// TermTranslator translates fragments that are terms of terms (by their
// source text, ignoring case) or have no letters (numbers, codes), which
// carry over unchanged.
func TermTranslator(terms []plugins.TermConstraint) Translator {
	return func(frags []string) ([]string, []bool, error) {
		out := make([]string, len(frags))
		ok := make([]bool, len(frags))
		for i, f := range frags {
			for _, t := range terms {
				if t.Target != "" && strings.EqualFold(strings.TrimSpace(t.Source), strings.TrimSpace(f)) {
					out[i], ok[i] = t.Target, true
					break
				}
			}
			if !ok[i] && !strings.ContainsFunc(f, unicode.IsLetter) {
				out[i], ok[i] = f, true
			}
		}
		return out, ok, nil
	}
}

// Best returns the index of the match with the highest score (the first
// of equals), or -1 if there is none.
func Best(ms []plugins.FuzzyMatch) int {
	best := -1
	for i, m := range ms {
		if best < 0 || m.Score > ms[best].Score {
			best = i
		}
	}
	return best
}

// Exact returns the index of a 100 % match: one with a target, scored 100
// or whose source equals src, ignoring surrounding space; or -1.
func Exact(src string, ms []plugins.FuzzyMatch) int {
	for i, m := range ms {
		if m.Target != "" && (m.Score >= 100 || strings.TrimSpace(m.Source) == strings.TrimSpace(src)) {
			return i
		}
	}
	return -1
}
