// Package plaintext segments plain text into sentences and reads and writes
// plain-text documents as translation units, one sentence each.
//
// Start with [Split], which divides a text into [Sentence] values by the
// rules of a language. [NewReader] reads a document paragraph by paragraph
// into units whose source is one sentence; each unit records in its
// properties what [NewWriter] needs to put the document back together with
// the original paragraphs and spacing, translated or not: reading a file
// and writing its sources gives back the same bytes (a byte order mark
// aside; UTF-16 comes back as UTF-8). [Sniff] accepts any text, so a
// caller choosing a format by content should try it last.
package plaintext
