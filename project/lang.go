package project

import (
	"regexp"
	"strings"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
)

// localeName matches what projects name a language in file and directory
// names: a language subtag, then a script, region or variant, in BCP-47
// (pt-BR, zh-Hant) or POSIX form (pt_BR, sr@latin).
var localeName = regexp.MustCompile(`^[a-z]{2,3}(?:[-_](?:[A-Z][a-z]{3}|[A-Za-z]{2}|[0-9]{3}))*(?:@[a-z]+)?$`)

// langOf returns the language a file or directory name names, or
// language.Und when it names none.
func langOf(name string) language.Tag {
	if !localeName.MatchString(name) {
		return language.Und
	}
	t, err := corpora.ParseLang(name)
	if err != nil {
		return language.Und
	}
	return t
}

// spell writes a language as file names of a layout have it: as gettext
// does (pt_BR, sr@latin) when posix, else as BCP-47 (pt-BR).
func spell(t language.Tag, posix bool) string {
	if !posix {
		return t.String()
	}
	parts := strings.Split(t.String(), "-")
	s := parts[0]
	var mod string
	for _, p := range parts[1:] {
		switch m := scriptModifiers[p]; {
		case len(p) == 4 && m != "" && mod == "":
			mod = m
		case len(p) == 4 || len(p) == 2 || len(p) == 3 && p[0] >= '0' && p[0] <= '9':
			s += "_" + p
		default:
			mod = p
		}
	}
	if mod != "" {
		s += "@" + mod
	}
	return s
}

// scriptModifiers are the scripts POSIX locales write as @modifiers.
var scriptModifiers = map[string]string{"Latn": "latin", "Cyrl": "cyrillic", "Deva": "devanagari", "Arab": "arabic"}

// sameLang reports whether a name's language is t exactly: es.po is
// Spanish, es_ES.po is not the es of --to es.
func sameLang(a, t language.Tag) bool { return a != language.Und && a == t }
