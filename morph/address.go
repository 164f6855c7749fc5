package morph

import (
	"strings"
	"unicode"

	"github.com/kgmem/kgmem/langtag"
)

// Forms of address Address tells apart; the values are the plugin
// protocol's registers (plugins.RegisterFormal and RegisterInformal).
const (
	Formal   = "formal"
	Informal = "informal"
)

// spanishInformal and spanishFormal are the Spanish words that address
// the reader as tú (or vosotros) and as usted.
var (
	spanishInformal = wordSet("tú tu tus te ti contigo tuyo tuya tuyos tuyas vosotros vosotras os vuestro vuestra vuestros vuestras")
	spanishFormal   = wordSet("usted ustedes")
)

// Address tells whether phrase, in lang, addresses the reader informally
// or formally, by its words: in Spanish the pronouns and possessives of tú
// and vosotros ("tu cuenta") or of usted, and an imperative with its
// pronoun attached, which takes a written accent: "lávate" (tú) against
// "lávese" (usted). It returns "" when the words do not tell — "su" is
// usted's and a third person's alike, "lava" a tú imperative and a
// statement — and for every language but Spanish.
func Address(lang, phrase string) string {
	if langtag.Base(lang) != "es" {
		return ""
	}
	informal, formal := false, false
	for _, w := range strings.FieldsFunc(strings.ToLower(phrase), func(r rune) bool { return !unicode.IsLetter(r) }) {
		switch {
		case spanishInformal[w]:
			informal = true
		case spanishFormal[w]:
			formal = true
		case len([]rune(w)) > 4 && hasAccent(w) && !strings.HasSuffix(w, "mente"):
			// The accent of an imperative with its pronoun: "cúbrete",
			// "quédate" (tú), "cúbrase", "quédese" (usted).
			switch {
			case strings.HasSuffix(w, "ate") || strings.HasSuffix(w, "ete") || strings.HasSuffix(w, "ite"):
				informal = true
			case strings.HasSuffix(w, "ase") || strings.HasSuffix(w, "ese"):
				formal = true
			}
		}
	}
	switch {
	case informal && !formal:
		return Informal
	case formal && !informal:
		return Formal
	}
	return ""
}
