// Package demo is kgmem's demo corpus, embedded so that the quick start needs
// nothing but the kgmem binary: a translation memory, a term base, a gettext
// catalog and a help page to translate, all about Lumen Notes, a fictional
// note-taking and file-sync app, in English and Spanish (Spain).
//
// Start with [Files]; the constants [TMX], [Glossary], [Sample] and [Catalog]
// name the files in it, and [Names] lists them. To put the corpus on disk, use
// os.CopyFS(dir, demo.Files). README.md in [Files] describes the content and
// its terminology. The content was written for kgmem and is released under
// CC0 1.0.
package demo

import (
	"embed"
	"io/fs"
)

// Names of the files in [Files].
const (
	// TMX is the translation memory: TMX 1.4b, en-US to es-ES, user
	// interface strings (prop x-domain "ui") and user guide sentences
	// ("help").
	TMX = "lumen.tmx"
	// Glossary is the term base: TBX-Basic in the TBX 2019 form, English and
	// Spanish, with preferred, admitted and deprecated terms.
	Glossary = "glossary.tbx"
	// Sample is the English help page the quick start translates. It is not
	// in the memory; its sentences are exact, fuzzy or no matches.
	Sample = "sample.txt"
	// Catalog is a gettext catalog (Language: es) of new, mostly
	// untranslated user interface strings.
	Catalog = "sample.po"
	// Readme describes the corpus, its terminology and its licence.
	Readme = "README.md"
)

// Files holds the demo corpus at its root. An embed.FS is read-only and safe
// for concurrent use.
//
//go:embed lumen.tmx glossary.tbx sample.txt sample.po README.md
var Files embed.FS

// Names returns the names of the files in [Files], sorted.
func Names() []string {
	// Reading the root of an embed.FS cannot fail.
	entries, _ := fs.ReadDir(Files, ".")
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}
