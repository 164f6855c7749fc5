// Package po reads and writes gettext catalogs: PO files (the text format
// translators edit) and MO files (the binary format programs load).
//
// Start with [NewReader] for a PO file, [NewMOReader] (or
// [NewMOReaderFrom] for an io.Reader) for an MO file, and [NewWriter] to
// write a PO file; [Sniff] and [SniffMO] recognise the formats from a
// file's first bytes. Each PO entry or MO message is a [corpora.Unit]:
// msgid is the source, msgstr (msgstr[0] for plurals) the target, msgctxt
// the Context, msgctxt + "\x04" + msgid the ID, and what only gettext has
// (msgid_plural, the other plural forms, flags, references, extracted
// comments, previous msgid, obsolete entries) is in Unit.Gettext. The
// header entry is not a unit; [Reader.Header] returns it, and its
// PO-Revision-Date, Last-Translator and Project-Id-Version give every unit
// its Changed, ChangedBy and Domain (a "domain" directive, or an installed
// MO file's name, gives a better Domain).
//
// Conventions the package follows:
//
//   - The source language is English unless the caller says otherwise
//     (ReadOptions.SourceLang) or the header has an X-Source-Language
//     field: gettext msgids are English by convention and catalogs do not
//     say so. The target language is the header's Language field, else
//     the one the file's name gives ("pt_BR.po",
//     ".../es/LC_MESSAGES/x.mo"), else ReadOptions.TargetLang. A catalog
//     in another language than ReadOptions.TargetLang is an error wrapping
//     corpora.ErrNotBilingual.
//   - A fuzzy entry with a translation is StatusDraft; an empty msgstr is
//     StatusUntranslated (gettext ignores a fuzzy flag there, and msgcat
//     drops it); any other is StatusTranslated. The writer marks Draft and
//     Machine units fuzzy.
//   - Translator comments ("# ") become one note, their lines joined with
//     "\n"; extracted comments ("#.") stay one per line.
//   - Obsolete ("#~") entries are left out unless
//     [ReaderOptions.IncludeObsolete].
//   - The writer writes UTF-8 and formats entries as msgcat does: the
//     order of comments, references filled to 79 columns, strings broken
//     where GNU gettext 0.21 breaks them (Unicode line breaking, never
//     inside an escape or a format directive). A catalog read and written
//     again is the same bytes; the tests check this on the catalogs
//     installed on the machine.
//   - PO has no inline markup: strings are plain text, printf directives
//     and markup included. Inline codes of units from other formats are
//     written as their native text.
//   - Plural forms: [PluralFormsOf] gives a language's Plural-Forms
//     (GNU gettext's rule where gettext has one, CLDR's integer rule
//     otherwise) and [ParsePluralForms] parses and evaluates one. The
//     writer gives a new header, or a template's placeholder
//     "nplurals=INTEGER; plural=EXPRESSION;", the target language's
//     rule, and writes nplurals msgstr[n] for every plural entry; a
//     translated entry whose forms do not fill them is marked fuzzy, so
//     that msgfmt --check accepts what it writes.
//   - What the reader does not check, to keep its memory flat: duplicate
//     entries (same msgctxt and msgid; the writer refuses them with
//     [ErrDuplicate]) and the number of msgstr[n] against Plural-Forms.
package po
