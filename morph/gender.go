package morph

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kgmem/kgmem/langtag"
)

// Grammatical gender of a term put into a translation. A machine
// translation that did not see the term ("The [term] stopped") chooses
// the determiner before it blindly ("el sincronización"); these functions
// tell the gender and number of the term's head noun by the language's
// regular endings, and make the determiner agree. They cover Spanish, and
// say so (ok is false) for the rest and for heads whose ending does not
// tell.

// Gender is a grammatical gender.
type Gender uint8

// Genders.
const (
	Masculine Gender = iota + 1
	Feminine
)

// NounPhraseGender returns the gender and number of phrase, a noun phrase
// in lang, by its head (the first word, in Spanish: "archivos adjuntos",
// "tasa de letalidad"). ok is false when lang is not covered or the head's
// ending does not tell.
func NounPhraseGender(lang, phrase string) (g Gender, plural, ok bool) {
	if langtag.Base(lang) != "es" {
		return 0, false, false
	}
	head, _, _ := strings.Cut(strings.TrimSpace(phrase), " ")
	head = strings.ToLower(head)
	if !isLowerWord(head) || utf8.RuneCountInString(head) < 3 || spanishNumerals[head] {
		return 0, false, false
	}
	sing := head
	if p, s := spanishSingular(head); p {
		plural, sing = true, s
	}
	g = spanishGender(sing)
	return g, plural, g != 0
}

// spanishSingular returns the singular of a Spanish noun in the plural,
// and whether it was one, by the regular endings.
func spanishSingular(w string) (plural bool, singular string) {
	if !strings.HasSuffix(w, "s") || spanishSingularS[w] {
		return false, w
	}
	for _, r := range []struct{ pl, sg string }{
		{"ciones", "ción"}, {"siones", "sión"}, {"xiones", "xión"}, {"iones", "ión"}, {"ones", "ón"},
		{"dades", "dad"}, {"tades", "tad"}, {"tudes", "tud"}, {"ores", "or"}, {"ales", "al"},
	} {
		if strings.HasSuffix(w, r.pl) {
			return true, strings.TrimSuffix(w, r.pl) + r.sg
		}
	}
	for _, end := range []string{"is", "us", "ís", "ús", "és", "ás", "ós"} {
		if strings.HasSuffix(w, end) {
			return false, w // análisis, virus, país, autobús, inglés
		}
	}
	last, _ := utf8.DecodeLastRuneInString(strings.TrimSuffix(w, "s"))
	if strings.ContainsRune("aeiouáéó", last) {
		return true, strings.TrimSuffix(w, "s")
	}
	return false, w
}

// spanishNumerals head phrases that are not noun phrases ("cuatro
// últimas copias").
var spanishNumerals = wordSet(`uno una dos tres cuatro cinco seis siete ocho nueve diez once doce
	trece catorce quince veinte treinta cuarenta cincuenta sesenta setenta ochenta noventa cien
	ciento mil millón millones`)

// spanishSingularS are nouns that end in a vowel and -s in the singular.
var spanishSingularS = wordSet("lunes martes miércoles jueves viernes mes res tres dosis crisis tesis")

// spanishGender returns the gender of a singular Spanish noun by its
// ending, 0 when the ending does not tell.
func spanishGender(w string) Gender {
	switch {
	case spanishMasculineA[w]:
		return Masculine
	case spanishFeminineExceptions[w]:
		return Feminine
	case hasAnySuffix(w, "ción", "sión", "xión", "ión", "dad", "tad", "tud", "umbre", "eza", "ncia", "nza", "ura"):
		return Feminine
	case hasAnySuffix(w, "ma"):
		return 0 // problema, sistema; but cama, forma
	case hasAnySuffix(w, "a"):
		return Feminine
	case hasAnySuffix(w, "o", "aje", "ón", "or"):
		return Masculine
	}
	return 0
}

func hasAnySuffix(w string, ends ...string) bool {
	for _, e := range ends {
		if strings.HasSuffix(w, e) {
			return true
		}
	}
	return false
}

var (
	spanishMasculineA         = wordSet("día mapa planeta sofá")
	spanishFeminineExceptions = wordSet("mano foto moto radio razón flor labor imagen clave fuente parte base serie superficie interfaz luz voz vez señal clase frase llave nube")
)

// spanishDeterminers are the forms of each determiner: masculine and
// feminine singular, masculine and feminine plural.
var spanishDeterminers = [][4]string{
	{"el", "la", "los", "las"},
	{"un", "una", "unos", "unas"},
	{"este", "esta", "estos", "estas"},
	{"ese", "esa", "esos", "esas"},
	{"aquel", "aquella", "aquellos", "aquellas"},
	{"nuestro", "nuestra", "nuestros", "nuestras"},
	{"vuestro", "vuestra", "vuestros", "vuestras"},
	{"mi", "mi", "mis", "mis"},
	{"tu", "tu", "tus", "tus"},
	{"su", "su", "sus", "sus"},
	{"último", "última", "últimos", "últimas"},
	{"primer", "primera", "primeros", "primeras"},
	{"nuevo", "nueva", "nuevos", "nuevas"},
	{"otro", "otra", "otros", "otras"},
	{"mismo", "misma", "mismos", "mismas"},
	{"ningún", "ninguna", "ningunos", "ningunas"},
	{"algún", "alguna", "algunos", "algunas"},
	{"cada", "cada", "cada", "cada"},
	{"todo", "toda", "todos", "todas"}, // before the article or possessive: "todas sus notas"
}

// spanishDemonstrativeNeuter maps "esto", which a machine translation
// writes for "this" when it does not see the noun, to its determiner.
var spanishDemonstrativeNeuter = map[string]int{"esto": 2, "eso": 3, "aquello": 4}

// AgreeDeterminer returns det, a determiner (or prenominal adjective such
// as "último") in lang, in the gender and number given, keeping its
// capital: "el" → "las" for a feminine plural. ok is false when det is not
// one it knows or lang is not covered.
func AgreeDeterminer(lang, det string, g Gender, plural bool) (string, bool) {
	if langtag.Base(lang) != "es" || g == 0 {
		return det, false
	}
	low := strings.ToLower(det)
	row := -1
	if k, ok := spanishDemonstrativeNeuter[low]; ok {
		row = k
	}
	for i, forms := range spanishDeterminers {
		if row >= 0 {
			break
		}
		for _, f := range forms {
			if f == low {
				row = i
				break
			}
		}
	}
	if row < 0 {
		return det, false
	}
	k := 0
	if g == Feminine {
		k = 1
	}
	if plural {
		k += 2
	}
	out := spanishDeterminers[row][k]
	if r, _ := utf8.DecodeRuneInString(det); unicode.IsUpper(r) {
		f, n := utf8.DecodeRuneInString(out)
		out = string(unicode.ToUpper(f)) + out[n:]
	}
	return out, true
}

// AgreeDeterminersBefore returns prefix, the text before a noun phrase in
// lang, with the determiners that end it (up to three, nearest first:
// "vuestro último") made to agree with the phrase's head, "del" and "al"
// becoming "de la" and "a la" for a feminine one. It returns prefix as it
// is when the phrase's gender does not tell or prefix does not end with a
// space.
func AgreeDeterminersBefore(lang, prefix, phrase string) string {
	g, plural, ok := NounPhraseGender(lang, phrase)
	if !ok {
		return prefix
	}
	end := len(prefix)
	for words := 0; words < 3; words++ {
		word := strings.TrimRightFunc(prefix[:end], unicode.IsSpace)
		if len(word) == end {
			break // no space: not a word of its own
		}
		start := len(word)
		for start > 0 {
			r, n := utf8.DecodeLastRuneInString(word[:start])
			if !unicode.IsLetter(r) {
				break
			}
			start -= n
		}
		fixed, ok := agreeOrContract(lang, word[start:], g, plural)
		if !ok {
			break
		}
		prefix = word[:start] + fixed + prefix[len(word):]
		end = start
	}
	return prefix
}

// agreeOrContract is AgreeDeterminer, with the contractions "del" (de +
// el) and "al" (a + el) undone when the article changes.
func agreeOrContract(lang, det string, g Gender, plural bool) (string, bool) {
	switch low := strings.ToLower(det); low {
	case "del", "al":
		art, ok := AgreeDeterminer(lang, "el", g, plural)
		if !ok || art == "el" {
			return det, ok
		}
		return det[:1] + map[string]string{"del": "e ", "al": " "}[low] + art, true
	}
	return AgreeDeterminer(lang, det, g, plural)
}
