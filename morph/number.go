package morph

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kgmem/kgmem/langtag"
)

// Grammatical number of terms. A term spotted in its plural ("vaccines")
// through the analyser's lemmas must be put into the translation in the
// plural too ("vacunas", not the term base's "vacuna"). These functions do
// that for the languages whose noun phrases follow regular rules; they do
// not know irregular nouns, and say so (ok is false) for languages they do
// not cover.

// PluralPhrase reports whether phrase, a noun phrase in lang, is in the
// plural: its head noun (the last word before a preposition, in English)
// is plural. ok is false when lang is not covered (only English is) or the
// head is not a word in lowercase or capitalised (acronyms and codes have
// no number here).
func PluralPhrase(lang, phrase string) (plural, ok bool) {
	if langtag.Base(lang) != "en" {
		return false, false
	}
	words := strings.Fields(phrase)
	head := ""
	for _, w := range words {
		if englishPrepositions[strings.ToLower(w)] && head != "" {
			break
		}
		head = w
	}
	if head == "" || !isLowerWord(head) && !isCapitalised(head) {
		return false, false
	}
	return englishPluralWord(head), true
}

// englishPrepositions end the head part of an English noun phrase ("cases
// of COVID-19").
var englishPrepositions = map[string]bool{"of": true, "for": true, "in": true, "on": true, "with": true, "to": true, "from": true, "by": true, "at": true}

// englishSingularS are nouns that end in -s in the singular.
var englishSingularS = map[string]bool{"diabetes": true, "measles": true, "mumps": true, "news": true, "series": true,
	"species": true, "herpes": true, "rabies": true, "scabies": true, "lens": true, "physics": true, "mathematics": true,
	"economics": true, "ethics": true, "politics": true, "genetics": true, "logistics": true}

func englishPluralWord(w string) bool {
	w = strings.ToLower(w)
	switch {
	case englishSingularS[w], len(w) < 4, !strings.HasSuffix(w, "s"):
		return false
	case strings.HasSuffix(w, "ss"), strings.HasSuffix(w, "us"), strings.HasSuffix(w, "is"), strings.HasSuffix(w, "ous"):
		return false
	}
	return true
}

// EnglishPluralOf reports whether text is label in the plural: the same
// words, except that text's head is the regular plural of label's
// ("vaccine" → "vaccines", "city" → "cities", "box" → "boxes"), ignoring
// case.
func EnglishPluralOf(label, text string) bool {
	lw, tw := strings.Fields(strings.ToLower(label)), strings.Fields(strings.ToLower(text))
	if len(lw) != len(tw) || len(lw) == 0 {
		return false
	}
	h := len(lw) - 1
	for i, w := range lw {
		if englishPrepositions[w] && i > 0 {
			h = i - 1
			break
		}
	}
	for i := range lw {
		if i != h && lw[i] != tw[i] {
			return false
		}
	}
	s, p := lw[h], tw[h]
	switch {
	case p == s+"s", p == s+"es" && strings.HasSuffix(s, "s") || p == s+"es" && strings.HasSuffix(s, "x") ||
		p == s+"es" && strings.HasSuffix(s, "ch") || p == s+"es" && strings.HasSuffix(s, "sh") || p == s+"es" && strings.HasSuffix(s, "z"):
		return true
	case strings.HasSuffix(s, "y") && p == s[:len(s)-1]+"ies":
		return true
	}
	return false
}

// Pluralize returns phrase, a noun phrase in lang, in the plural: each
// word of its head part (up to the first preposition: "medida de
// distanciamiento social" → "medidas de distanciamiento social") put in
// the plural by the language's regular rules, so that adjectives agree
// ("enfermedad respiratoria" → "enfermedades respiratorias"). A phrase
// with a word already in the plural ("lávese las manos") stays as it is;
// numbers, codes and acronyms are not inflected. ok is false
// when lang is not covered (Spanish, Portuguese, French and Italian are).
func Pluralize(lang, phrase string) (string, bool) {
	var rule func(string) string
	var stops map[string]bool
	switch langtag.Base(lang) {
	case "es":
		rule, stops = pluralES, stopsES
	case "pt":
		rule, stops = pluralPT, stopsPT
	case "fr":
		rule, stops = pluralFR, stopsFR
	case "it":
		rule, stops = pluralIT, stopsIT
	default:
		return phrase, false
	}
	words := strings.Split(phrase, " ")
	head := len(words)
	for i, w := range words {
		lw := strings.ToLower(w)
		if i > 0 && (stops[lw] || strings.HasPrefix(lw, "d'") || strings.HasPrefix(lw, "dell'")) {
			head = i
			break
		}
		if isLowerWord(w) && strings.HasSuffix(lw, "s") && rule(lw) == lw {
			// A word already plural ("lávese las manos", "casos de …"): the
			// phrase is taken to be in the plural as it is.
			return phrase, true
		}
	}
	for i, w := range words[:head] {
		if isLowerWord(w) || isCapitalised(w) { // not a number, code or acronym
			words[i] = rule(w)
		}
	}
	return strings.Join(words, " "), true
}

var (
	stopsES = wordSet("de del para por con en a al sin sobre contra entre")
	stopsPT = wordSet("de do da dos das para em no na nos nas por com sem sobre contra")
	stopsFR = wordSet("de du des à au aux pour en par sur contre avec sans")
	stopsIT = wordSet("di del della dei degli delle per a al alla in da dal con su contro")
)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

func isLowerWord(w string) bool {
	if w == "" {
		return false
	}
	for _, r := range w {
		if !unicode.IsLetter(r) || unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

// isCapitalised reports whether w is a word with only its first letter in
// capitals ("Vacuna" at a sentence start), not an acronym.
func isCapitalised(w string) bool {
	r, n := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r) && n < len(w) && isLowerWord(w[n:])
}

// lastVowelAccented reports whether the last vowel of w carries a written
// accent (stress on the last syllable: "país", "infección").
func lastVowelAccented(w string) bool {
	for i := len(w); i > 0; {
		r, n := utf8.DecodeLastRuneInString(w[:i])
		i -= n
		switch r {
		case 'á', 'é', 'í', 'ó', 'ú', 'â', 'ê', 'ô', 'ã', 'õ', 'à', 'è', 'ì', 'ò', 'ù':
			return true
		case 'a', 'e', 'i', 'o', 'u':
			return false
		}
	}
	return false
}

// syllables counts the vowel groups of w, roughly its syllables.
func syllables(w string) int {
	n, inVowel := 0, false
	for _, r := range strings.ToLower(w) {
		v := strings.ContainsRune("aeiouáéíóúâêôãõàèìòùü", r)
		if v && !inVowel {
			n++
		}
		inVowel = v
	}
	return n
}

// unaccentLast removes the written accent of the last syllable, which the
// Spanish plural moves off ("infección" → "infecciones").
func unaccentLast(w string) string {
	for i := len(w); i > 0; {
		r, n := utf8.DecodeLastRuneInString(w[:i])
		i -= n
		if (r == 'í' || r == 'ú') && i > 0 {
			if p, _ := utf8.DecodeLastRuneInString(w[:i]); strings.ContainsRune("aeiou", p) {
				return w // the accent marks a hiatus and stays ("país" → "países")
			}
		}
		var plain rune
		switch r {
		case 'á':
			plain = 'a'
		case 'é':
			plain = 'e'
		case 'í':
			plain = 'i'
		case 'ó':
			plain = 'o'
		case 'ú':
			plain = 'u'
		case 'a', 'e', 'i', 'o', 'u':
			return w
		}
		if plain != 0 {
			return w[:i] + string(plain) + w[i+n:]
		}
	}
	return w
}

func pluralES(w string) string {
	lw := strings.ToLower(w)
	last, _ := utf8.DecodeLastRuneInString(lw)
	switch {
	case strings.ContainsRune("aeoáéó", last):
		return w + "s"
	case strings.ContainsRune("iuíú", last):
		return w + "s"
	case last == 's' || last == 'x':
		if syllables(lw) > 1 && !lastVowelAccented(lw) {
			return w // "virus", "síntomas", "crisis", "tórax": already plural, or invariable
		}
		return unaccentLast(w) + "es"
	case last == 'z':
		return w[:len(w)-1] + "ces"
	}
	if strings.HasSuffix(lw, "ón") || strings.HasSuffix(lw, "án") || strings.HasSuffix(lw, "én") || strings.HasSuffix(lw, "ín") ||
		strings.HasSuffix(lw, "ún") {
		return unaccentLast(w) + "es"
	}
	if last == 'n' && syllables(lw) > 1 && !hasAccent(lw) {
		// A word ending in -n is stressed on its last syllable but one;
		// the plural's syllable more needs that stress written:
		// "imagen" → "imágenes", "orden" → "órdenes".
		return accentPenultimate(w) + "es"
	}
	return w + "es"
}

// hasAccent reports whether w has a written accent.
func hasAccent(w string) bool { return strings.ContainsAny(w, "áéíóúÁÉÍÓÚ") }

// accentPenultimate writes the accent on the vowel of w's last syllable but
// one: the stressed vowel of a vowel group ("imagen" → "imágen"; in "ie",
// "ue", "ia", "io", "ua", "uo" the strong vowel).
func accentPenultimate(w string) string {
	type group struct{ start, end int }
	var groups []group
	in := false
	for i, r := range w {
		v := strings.ContainsRune("aeiouAEIOU", r)
		switch {
		case v && !in:
			groups = append(groups, group{i, i + 1})
		case v:
			groups[len(groups)-1].end = i + 1
		}
		in = v
	}
	if len(groups) < 2 {
		return w
	}
	g := groups[len(groups)-2]
	at := g.start
	for i := g.start; i < g.end; i++ {
		if strings.IndexByte("aeoAEO", w[i]) >= 0 { // the strong vowel takes the stress
			at = i
			break
		}
	}
	acc := map[byte]string{'a': "á", 'e': "é", 'i': "í", 'o': "ó", 'u': "ú", 'A': "Á", 'E': "É", 'I': "Í", 'O': "Ó", 'U': "Ú"}[w[at]]
	return w[:at] + acc + w[at+1:]
}

func pluralPT(w string) string {
	lw := strings.ToLower(w)
	last, _ := utf8.DecodeLastRuneInString(lw)
	switch {
	case strings.HasSuffix(lw, "ão"):
		return strings.TrimSuffix(w, "ão") + "ões"
	case strings.ContainsRune("aeiouáéóâêô", last):
		return w + "s"
	case last == 'm':
		return w[:len(w)-1] + "ns"
	case strings.HasSuffix(lw, "al"), strings.HasSuffix(lw, "ol"), strings.HasSuffix(lw, "ul"):
		return w[:len(w)-1] + "is"
	case strings.HasSuffix(lw, "el"):
		return w[:len(w)-2] + "éis"
	case strings.HasSuffix(lw, "il"):
		return w[:len(w)-1] + "s"
	case last == 's' || last == 'x':
		if syllables(lw) > 1 && !lastVowelAccented(lw) {
			return w
		}
		return w + "es"
	case last == 'r' || last == 'z':
		return w + "es"
	}
	return w + "s"
}

func pluralFR(w string) string {
	lw := strings.ToLower(w)
	switch {
	case strings.HasSuffix(lw, "s"), strings.HasSuffix(lw, "x"), strings.HasSuffix(lw, "z"):
		return w
	case strings.HasSuffix(lw, "al"):
		return w[:len(w)-1] + "ux"
	case strings.HasSuffix(lw, "eau"), strings.HasSuffix(lw, "au"), strings.HasSuffix(lw, "eu"):
		return w + "x"
	}
	return w + "s"
}

func pluralIT(w string) string {
	lw := strings.ToLower(w)
	last, _ := utf8.DecodeLastRuneInString(lw)
	switch {
	case strings.HasSuffix(lw, "ca"), strings.HasSuffix(lw, "ga"):
		return w[:len(w)-1] + "he"
	case strings.HasSuffix(lw, "io"):
		return w[:len(w)-1]
	case last == 'o' || last == 'e':
		return w[:len(w)-1] + "i"
	case last == 'a':
		return w[:len(w)-1] + "e"
	}
	return w // accented vowels and consonants: invariable
}
