// Package qa checks translations as a localisation QA tool does: it looks
// at bilingual units (corpora.Unit, from any format kgmem reads) and
// reports what a reviewer would fix: lost or invented placeholders,
// markup and inline codes, accelerators, numbers and addresses that
// changed, white space, final punctuation, Spanish ¿ ¡, French spacing,
// capitalisation, untranslated and copied targets, lengths far from what
// the language pair usually gives, term-base violations, and
// inconsistent translations within the checked files and against the
// memory.
//
// Start with [Check], which runs the checks [Options] select over a slice
// of units and returns one [Finding] per problem. [Checks] lists every
// check with its default severity. Terms and the memory come through two
// small interfaces, [Terms] and [Memory]; [TermList] implements Terms
// from a term base or glossary file and [UnitMemory] implements Memory
// from units, and the knowledge graph can implement both.
package qa
