// Package tmx reads and writes TMX 1.4b, the Translation Memory eXchange
// format (TMX 1.1 to 1.4 files are read too).
//
// Start with [NewReader], which streams a file's units one <tu> at a time
// (see its documentation for how the source and target of a multilingual
// <tu> are chosen), and [NewWriter]. [Sniff] tells a TMX file from its first
// bytes.
//
// Inline codes become [corpora.Code]s: <bpt> and <ept> open and close codes
// paired by i (Code.ID), <it>, <ph> and <ut> standalone codes (ID is their
// x), <hi> a Paired open and close code around text that stays part of the
// segment. The content of <bpt>, <ept>, <it>, <ph> and <ut> — the original
// format's markup — is kept escaped in Code.Native, with any <sub> in it
// (the text of a <sub>, such as a link's title, is not part of
// Segment.Plain). The reader checks what TMX requires of them: every
// <ept> closes a <bpt> of its <seg>, every <bpt> is closed, <it> has pos.
//
// UTF-8 files, nearly all TMX in practice, are read by a purpose-built
// tokenizer that checks what encoding/xml checks in strict mode and is
// about three times faster; UTF-16 and other declared charsets go through
// encoding/xml (corpora/internal/xmlread). Both report errors as
// *corpora.ParseError with the file and line, in the same words where
// encoding/xml has them.
package tmx
