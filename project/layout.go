package project

import (
	"bufio"
	"io"
	"os"
	"path"
	"regexp"
	"strings"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/formats"
	"github.com/kgmem/kgmem/corpora/po"
)

// tree is what classify knows of the whole tree: its directories and the
// templates in each.
type tree struct {
	dirs      map[string]bool
	templates map[string][]string // directory → the domains of its .pot files
	files     map[string]bool
}

// classify decides what each file of a tree is.
func (p *Plan) classify(files []file) []candidate {
	t := tree{dirs: dirsOf(files), templates: map[string][]string{}, files: map[string]bool{}}
	for _, f := range files {
		t.files[f.rel] = true
		if isTemplate(f.rel) {
			dir, base := path.Split(f.rel)
			t.templates[cleanDir(dir)] = append(t.templates[cleanDir(dir)], strings.TrimSuffix(base, path.Ext(base)))
		}
	}
	out := make([]candidate, len(files))
	for i, f := range files {
		out[i] = p.classifyOne(f, t)
	}
	return out
}

func isTemplate(rel string) bool { return strings.EqualFold(path.Ext(rel), ".pot") }

// cleanDir returns a directory of path.Split without its slash; "." for
// the top of the tree.
func cleanDir(dir string) string {
	if dir = strings.TrimSuffix(dir, "/"); dir == "" {
		return "."
	}
	return dir
}

// classifyOne decides what one file is.
func (p *Plan) classifyOne(f file, t tree) candidate {
	c := candidate{f: f}
	switch {
	case strings.HasSuffix(strings.ToLower(f.rel), ".gz"):
		c.ignore = "compressed: translate the file itself"
		return c
	case f.format == formats.MO:
		c.ignore = "a compiled catalog: translate its PO"
		return c
	case f.format == formats.TBX || f.format == formats.Glossary:
		c.ignore = "a term base"
		return c
	case isTemplate(f.rel):
		c.out, c.layout = p.templateOutput(f.rel, t)
		return c
	}
	lang, by := p.pathLang(f, t)
	if lang == language.Und && f.format == formats.PO {
		lang = poLanguage(p.inPath(f.rel))
	}
	switch {
	case sameLang(lang, p.TargetLang):
		c.existing = true
	case sameLang(lang, p.SourceLang) && f.format != formats.PO:
		c.out, c.layout = p.renamed(f.rel, by)
	case sameLang(lang, p.SourceLang):
		c.ignore = "a catalog of the source language"
	case lang != language.Und:
		c.ignore = "another language (" + lang.String() + ")"
	case f.format == formats.XLIFF:
		switch trg := xliffTarget(p.inPath(f.rel)); {
		case trg == language.Und:
			c.out, c.layout = withLang(f.rel, spell(p.TargetLang, false)), LayoutName
		case sameLang(trg, p.TargetLang):
			c.existing = true
		default:
			c.ignore = "another language (" + trg.String() + ")"
		}
	case f.format == formats.Text:
		c.out, c.layout = withLang(f.rel, spell(p.TargetLang, false)), LayoutName
	default:
		// A PO without a language, a TMX, a TSV: the file holds its own
		// translations.
		c.existing = true
	}
	return c
}

// How a path names its language.
const (
	byLCMessages = "LC_MESSAGES"
	byName       = "name"      // es.po
	byExtension  = "extension" // messages.es.xlf
	byDir        = "dir"       // es/ui.xlf
)

// pathLang returns the language a file's path names, and how.
func (p *Plan) pathLang(f file, t tree) (language.Tag, string) {
	dir, base := path.Split(f.rel)
	dir = cleanDir(dir)
	stem := strings.TrimSuffix(base, path.Ext(base))
	if path.Base(dir) == "LC_MESSAGES" {
		if l := langOf(path.Base(path.Dir(dir))); l != language.Und {
			return l, byLCMessages
		}
	}
	// A directory of a language comes first: in po/de/kcm.po, kcm is a
	// domain, though it is a language's code too.
	if dir != "." {
		if l := langOf(path.Base(dir)); l != language.Und && p.isLangDir(dir, stem, t) {
			return l, byDir
		}
	}
	if f.format == formats.PO {
		if l := langOf(stem); l != language.Und {
			return l, byName
		}
	}
	if ext := path.Ext(stem); ext != "" {
		if l := langOf(ext[1:]); l != language.Und {
			return l, byExtension
		}
	}
	return language.Und, ""
}

// isLangDir reports whether a directory whose name is a language holds
// files by language: it is named for the source or target language, a
// directory beside it is, or its parent holds the template of a catalog
// in it (po/D.pot and po/fr/D.po).
func (p *Plan) isLangDir(dir, stem string, t tree) bool {
	l := langOf(path.Base(dir))
	if sameLang(l, p.SourceLang) || sameLang(l, p.TargetLang) {
		return true
	}
	parent := path.Dir(dir)
	for _, d := range []language.Tag{p.SourceLang, p.TargetLang} {
		for _, posix := range []bool{false, true} {
			if t.dirs[path.Join(parent, spell(d, posix))] {
				return true
			}
		}
	}
	for _, dom := range t.templates[parent] {
		if dom == stem {
			return true
		}
	}
	return false
}

// templateOutput returns where the catalog a template (D.pot) makes for
// the target language goes.
func (p *Plan) templateOutput(rel string, t tree) (string, Layout) {
	dir, base := path.Split(rel)
	dir = cleanDir(dir)
	domain := strings.TrimSuffix(base, path.Ext(base))
	lang := spell(p.TargetLang, true)
	if path.Base(dir) == "LC_MESSAGES" {
		// locale/templates/LC_MESSAGES/D.pot
		return path.Join(path.Dir(path.Dir(dir)), lang, "LC_MESSAGES", domain+".po"), LayoutLocale
	}
	if name := strings.ToLower(path.Base(dir)); name == "locale" || name == "locales" || hasLCMessages(dir, t) {
		return path.Join(dir, lang, "LC_MESSAGES", domain+".po"), LayoutLocale
	}
	if len(t.templates[dir]) > 1 || hasDomainDirs(dir, domain, t) {
		return path.Join(dir, lang, domain+".po"), LayoutGettext
	}
	return path.Join(dir, lang+".po"), LayoutGettext
}

// hasLCMessages reports whether dir holds LL/LC_MESSAGES directories.
func hasLCMessages(dir string, t tree) bool {
	for d := range t.dirs {
		if path.Base(d) == "LC_MESSAGES" && path.Dir(path.Dir(d)) == dir {
			return true
		}
	}
	return false
}

// hasDomainDirs reports whether dir holds catalogs of domain in language
// directories (po/fr/D.po).
func hasDomainDirs(dir, domain string, t tree) bool {
	for f := range t.files {
		d, base := path.Split(f)
		d = cleanDir(d)
		if path.Dir(d) == dir && base == domain+".po" && langOf(path.Base(d)) != language.Und {
			return true
		}
	}
	return false
}

// renamed returns the output of a file in the source language: its path
// with the target language where the source language is.
func (p *Plan) renamed(rel, by string) (string, Layout) {
	dir, base := path.Split(rel)
	dir = cleanDir(dir)
	switch by {
	case byDir:
		posix := strings.Contains(path.Base(dir), "_") || strings.Contains(path.Base(dir), "@")
		return path.Join(path.Dir(dir), spell(p.TargetLang, posix), base), LayoutDir
	case byLCMessages:
		return path.Join(path.Dir(path.Dir(dir)), spell(p.TargetLang, true), "LC_MESSAGES", base), LayoutLocale
	}
	stem := strings.TrimSuffix(base, path.Ext(base))
	old := path.Ext(stem)
	posix := strings.ContainsAny(old, "_@")
	return path.Join(dir, strings.TrimSuffix(stem, old)+"."+spell(p.TargetLang, posix)+path.Ext(base)), LayoutName
}

// withLang returns a path with a language before its extension.
func withLang(rel, lang string) string {
	ext := path.Ext(rel)
	return strings.TrimSuffix(rel, ext) + "." + lang + ext
}

// poLanguage returns the Language of a catalog's header, or
// language.Und.
func poLanguage(file string) language.Tag {
	f, err := os.Open(file)
	if err != nil {
		return language.Und
	}
	defer f.Close()
	r, err := po.NewReaderOptions(f, po.ReaderOptions{ReadOptions: corpora.ReadOptions{Name: file}})
	if err != nil || r.Header() == nil {
		return language.Und
	}
	l, err := corpora.ParseLang(r.Header().Get("Language"))
	if err != nil {
		return language.Und
	}
	return l
}

// targetAttr finds the target language an XLIFF document declares: 1.2
// target-language, 2.x trgLang.
var targetAttr = regexp.MustCompile(`\s(?:target-language|trgLang)\s*=\s*["']([^"']*)["']`)

// xliffTarget returns the target language of the first <file> of an
// XLIFF document (or of its root, in 2.x), or language.Und.
func xliffTarget(file string) language.Tag {
	f, err := os.Open(file)
	if err != nil {
		return language.Und
	}
	defer f.Close()
	r, _, err := corpora.UTF8Reader(bufio.NewReader(f))
	if err != nil {
		return language.Und
	}
	head := make([]byte, 16<<10)
	n, _ := io.ReadFull(r, head)
	m := targetAttr.FindSubmatch(head[:n])
	if m == nil {
		return language.Und
	}
	l, err := corpora.ParseLang(string(m[1]))
	if err != nil {
		return language.Und
	}
	return l
}
