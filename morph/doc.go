// Package morph is the little morphology kgmem needs to put a term into a
// translation in the right form: the grammatical number of a term and its
// plural, the gender of a noun phrase and the determiners that agree with
// it, and whether a word is used as a verb or as a noun. It works from
// the regular endings and a few short word lists of each language it
// covers, with no dictionary.
//
// What it covers, function by function (every other language gets ok ==
// false, or "" from EnglishWordClass, and the caller leaves the text as it
// is):
//
//   - Number. PluralPhrase and EnglishPluralOf: English source phrases
//     (the head is the last word before a preposition). Pluralize: Spanish,
//     Portuguese, French and Italian, every word of the head part (up to
//     the first preposition) by the regular rules.
//   - Gender. NounPhraseGender, AgreeDeterminer and AgreeDeterminersBefore:
//     Spanish only; the head is the first word, its gender told by its
//     ending; the determiners are the articles, demonstratives, possessives
//     and a few prenominal adjectives ("último", "nuevo"), and the
//     contractions "del" and "al".
//   - Word class. EnglishWordClass: English, from the words on either
//     side. Infinitive: Spanish, Catalan, Portuguese, Galician, French and
//     Italian, by the infinitive endings.
//
// Where it stops: irregular plurals ("mice", "crises" aside from the
// listed invariable words), nouns whose ending does not tell their gender
// ("sistema", "red"), gender in Portuguese, French and Italian, adjectives
// after the head (pluralised with it, never made to agree in gender),
// verbs in any form but the infinitive, and determiners more than three
// words before the noun. The functions answer ok == false rather than
// guess where the rules do not tell. The word lists of exceptions are
// short and lean on the vocabulary of the shared data (software strings
// and COVID-19 texts: "diabetes", "measles", "dosis").
//
// morph does no I/O and every function is safe for concurrent use. It
// reads words as analysis.IsWordRune does and language tags with langtag.
package morph
