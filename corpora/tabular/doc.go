// Package tabular reads and writes parallel text kept in columns — TSV and
// CSV files with a source and a target column — and Moses-style corpora,
// where a source file and a target file hold one segment per line.
//
// Start with [NewReader], which detects the delimiter, a header row and
// backslash escapes by itself; [NewReaderWith] takes [TableOptions] to say
// them instead. [NewWriter] writes TSV or CSV that [NewReader] reads back
// unchanged. [NewMosesReader] and [NewMosesWriter] handle line-aligned file
// pairs. [Sniff] tells whether the first bytes of a file look like a table.
//
// # Dialects
//
// A tab delimiter means TSV: cells are never quoted (a '"' is text, as in
// "Hi," he said.), a row is one line, and tabs, line breaks and backslashes
// inside a cell may be written as the escapes \t, \n, \r and \\. Any other
// delimiter (',' or ';') means CSV with RFC 4180 quoting, read with
// encoding/csv.
//
// # Columns
//
// A header row maps columns to unit fields by name, case and punctuation
// aside: source (src, sourceString, original), target (tgt, targetString,
// translation), sourceLang, targetLang (a language per row), id (stringID,
// key), domain, context, note (comment, description, definition) and status
// (a [corpora.Status] name). A column named by a language code ("en", "es",
// "es-419", "pt_BR") is a text column in that language: the first two are
// source and target unless [corpora.ReadOptions] asks for other languages,
// which then pick the columns; other language columns, and language-named
// columns beside named source and target columns, are properties. Any
// other named column becomes a [corpora.Prop] of that type. With a header, every row must have as many
// cells as the header.
//
// Without a header the first column is the source, the second the target
// and every further non-empty cell a note (glossaries such as OmegaT's put a
// comment in the third column); rows need at least two cells.
//
// Rows whose source and target are both empty are blank and left out
// silently; a row with a target and no source is an error.
//
// # Escapes
//
// With [EscapesAuto], CSV cells are taken literally. TSV cells are unescaped
// when the file has a recognised header row (files written by this package
// and gettext exports escape) or when its first 64 KiB hold a backslash
// escape — unless those first 64 KiB hold a backslash that starts no escape
// (a Windows path, say), in which case backslashes are literal throughout.
// A backslash before any other character is always kept as it is. Headerless
// files whose first escape comes late should say [EscapesOn] or [EscapesOff].
package tabular
