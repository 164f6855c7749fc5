// Package corpora is the unit of data kgmem reads and writes: a translation
// unit (a source segment, its translation, their languages and where they came
// from) and a term entry (a concept with its terms per language).
//
// Start with [Unit], [Segment] and [TermEntry]. Each file format has its own
// subpackage (corpora/tmx, corpora/tbx, corpora/xliff, corpora/po,
// corpora/tabular, corpora/plaintext); corpora/formats picks one by file
// extension and content and is what commands use.
//
// Readers stream: they hold one unit at a time, so memory stays flat however
// large the file. A reader that meets bad input returns a *[ParseError] naming
// the file, the line and the problem; with [ReadOptions.Lenient] it skips the bad
// unit instead, reports a [Skip] and goes on.
package corpora
