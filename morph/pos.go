package morph

import (
	"strings"
	"unicode"

	"github.com/kgmem/kgmem/analysis"
	"github.com/kgmem/kgmem/langtag"
)

// Word classes EnglishWordClass tells apart.
const (
	Verb = "verb"
	Noun = "noun"
)

// EnglishWordClass guesses whether the English words at text[start:end]
// are used as a verb or as a noun, from the words next to them — what a
// term base's part of speech needs when one word names two concepts
// ("sync": sincronizar, sincronización):
//
//   - a verb after "to", a modal, a negation or a subject pronoun ("to
//     sync", "can sync", "don't sync", "you sync"), or first in a sentence
//     and followed by what an imperative's object starts with ("Sync your
//     notes", "Sync all", "Sync now");
//   - a noun after a determiner, a possessive, a preposition or a
//     modifier ("the sync", "your sync", "after sync", "automatic sync"),
//     or first in a sentence and followed by a verb ("Sync failed", "Sync
//     is paused").
//
// It returns "" when the neighbours do not tell.
func EnglishWordClass(text string, start, end int) string {
	if start < 0 || end > len(text) || start >= end {
		return ""
	}
	prev, sentenceStart := wordBefore(text[:start])
	next := wordAfter(text[end:])
	switch {
	case verbBefore[prev]:
		return Verb
	case nounBefore[prev]:
		return Noun
	case !sentenceStart:
		return ""
	case objectStart[next]:
		return Verb
	case verbAfter[next] || strings.HasSuffix(next, "ed") && len(next) > 4:
		return Noun
	}
	return ""
}

// wordBefore returns the lowercased word that ends s (apostrophes kept:
// "don't"), and whether s holds no word after the end of a sentence (the
// span starts a sentence).
func wordBefore(s string) (word string, sentenceStart bool) {
	s = strings.TrimRightFunc(s, unicode.IsSpace)
	if s == "" {
		return "", true
	}
	i := strings.LastIndexFunc(s, func(r rune) bool { return !isWordOrApostrophe(r) })
	word = strings.ToLower(s[i+1:])
	if word == "" {
		r := s[len(s)-1]
		return "", r == '.' || r == '!' || r == '?' || r == ':' || r == '"' || r == '(' || r == '\n'
	}
	return strings.ReplaceAll(word, "’", "'"), false
}

// wordAfter returns the lowercased word that starts s, "" when s starts
// with anything else.
func wordAfter(s string) string {
	s = strings.TrimLeftFunc(s, unicode.IsSpace)
	i := strings.IndexFunc(s, func(r rune) bool { return !isWordOrApostrophe(r) })
	if i < 0 {
		i = len(s)
	}
	return strings.ToLower(s[:i])
}

func isWordOrApostrophe(r rune) bool { return analysis.IsWordRune(r) || r == '\'' || r == '’' }

var (
	verbBefore = wordSet(`to can cannot can't could couldn't will won't would wouldn't should shouldn't
		must may might shall please don't doesn't didn't not never i you we they also always
		automatically manually then`)
	nounBefore = wordSet(`the a an this that these those your my our their its his her each every no any
		of for during after before in on with without from by via last next first new automatic
		manual background initial full partial cloud`)
	objectStart = wordSet(`your the a an all this these those my our their it them everything now
		again with to from`)
	verbAfter = wordSet(`is was are were has had failed fails stopped stops started starts paused
		resumed completed finished succeeded runs ran will can cannot error errors`)
)

// EnglishInfinitiveSlot reports whether the English words at
// text[start:] stand where a verb takes its bare infinitive: after "to",
// a modal or a negation ("to use", "can use", "don't use"), not as an
// imperative opening a sentence ("Use the…").
func EnglishInfinitiveSlot(text string, start int) bool {
	if start < 0 || start > len(text) {
		return false
	}
	prev, _ := wordBefore(text[:start])
	return infinitiveBefore[prev]
}

var infinitiveBefore = wordSet(`to can cannot can't could couldn't will won't would wouldn't should shouldn't
	must may might shall don't doesn't didn't not never`)

// Infinitive reports whether phrase, in lang, starts with a verb in the
// infinitive ("sincronizar", "iniciar sesión") by the language's regular
// endings: the way to tell, among one term's translations, the verb from
// the noun ("sincronización"). ok is false when lang is not covered
// (Spanish, Portuguese, French, Italian and Catalan are). The endings
// have exceptions ("lugar", "mujer"): use it to choose among translations
// a term base gives, not to classify free text.
func Infinitive(lang, phrase string) (infinitive, ok bool) {
	var endings []string
	switch langtag.Base(lang) {
	case "es", "ca":
		endings = []string{"ar", "er", "ir", "ír"}
	case "pt", "gl":
		endings = []string{"ar", "er", "ir", "or"}
	case "fr":
		endings = []string{"er", "ir", "re"}
	case "it":
		endings = []string{"are", "ere", "ire", "rre"}
	default:
		return false, false
	}
	first, _, _ := strings.Cut(strings.TrimSpace(phrase), " ")
	first = strings.ToLower(first)
	if len([]rune(first)) < 4 {
		return false, true
	}
	for _, e := range endings {
		if strings.HasSuffix(first, e) {
			return true, true
		}
	}
	return false, true
}
