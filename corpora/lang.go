package corpora

import (
	"fmt"
	"strings"

	"golang.org/x/text/language"
)

// posixModifiers maps the @modifier of a POSIX locale to a BCP-47 subtag.
var posixModifiers = map[string]string{
	"latin":      "Latn",
	"cyrillic":   "Cyrl",
	"devanagari": "Deva",
	"arabic":     "Arab",
	"valencia":   "valencia",
	"euro":       "",
}

// ParseLang parses a language tag as BCP-47 ("es-419", "zh-Hant"), or as a
// POSIX locale as gettext writes them ("es_ES", "zh_CN.UTF-8", "sr@latin",
// "ca_ES@valencia"), and returns the canonical BCP-47 tag.
// The empty string, "C" and "POSIX" are errors: they name no language.
func ParseLang(s string) (language.Tag, error) {
	orig := s
	s = strings.TrimSpace(s)
	if s == "" || s == "C" || s == "POSIX" || s == "*all*" {
		return language.Und, fmt.Errorf("%q is not a language", orig)
	}
	var mod string
	if i := strings.IndexByte(s, '@'); i >= 0 {
		s, mod = s[:i], s[i+1:]
	}
	if i := strings.IndexByte(s, '.'); i >= 0 { // charset: en_US.UTF-8
		s = s[:i]
	}
	s = strings.ReplaceAll(s, "_", "-")
	if mod != "" {
		sub, ok := posixModifiers[strings.ToLower(mod)]
		if !ok {
			return language.Und, fmt.Errorf("language %q: unknown locale modifier @%s", orig, mod)
		}
		if sub != "" {
			if len(sub) == 4 { // a script goes after the language, before the region
				parts := strings.SplitN(s, "-", 2)
				s = parts[0] + "-" + sub
				if len(parts) == 2 {
					s += "-" + parts[1]
				}
			} else {
				s += "-" + sub
			}
		}
	}
	t, err := language.Parse(s)
	if err != nil {
		// Some tools write private or legacy codes with an "XX" region
		// (TICO-19's es_XX): keep the language and drop what does not parse.
		if base, _, ok := strings.Cut(s, "-"); ok {
			if bt, berr := language.Parse(base); berr == nil {
				return bt, nil
			}
		}
		return language.Und, fmt.Errorf("language %q: %w", orig, err)
	}
	return t, nil
}

// PosixLocale writes a language tag as gettext names locales, the inverse
// of ParseLang: "pt_BR", "sr_RS@latin", "ca_ES@valencia"; "" for
// language.Und.
func PosixLocale(t language.Tag) string {
	if t == language.Und {
		return ""
	}
	parts := strings.Split(t.String(), "-")
	s := parts[0]
	var mod string
	for _, p := range parts[1:] {
		switch {
		case len(p) == 4 && p[0] >= 'A' && p[0] <= 'Z':
			if m, ok := scriptModifier(p); ok && mod == "" {
				mod = m
			} else {
				s += "_" + p
			}
		case len(p) == 2 || len(p) == 3 && p[0] >= '0' && p[0] <= '9':
			s += "_" + p
		default:
			if mod == "" {
				mod = p
			} else {
				s += "_" + p
			}
		}
	}
	if mod != "" {
		s += "@" + mod
	}
	return s
}

// scriptModifier returns the @modifier gettext writes for a script subtag
// ("Latn" is "latin"), from posixModifiers.
func scriptModifier(script string) (string, bool) {
	for mod, sub := range posixModifiers {
		if sub == script {
			return mod, true
		}
	}
	return "", false
}

// MustParseLang is ParseLang for constants in tests and examples; it panics
// on error.
func MustParseLang(s string) language.Tag {
	t, err := ParseLang(s)
	if err != nil {
		panic(err)
	}
	return t
}

// LangMatches reports whether the language a file declares (have) is covered
// by the one a user asked for (want): want's subtags must be a prefix of
// have's, so "en" covers "en", "en-US" and "en-GB", while "es-419" covers
// "es-419" but not "es-ES". An undefined want covers everything.
func LangMatches(want, have language.Tag) bool {
	if want == language.Und {
		return true
	}
	w, h := strings.ToLower(want.String()), strings.ToLower(have.String())
	return h == w || strings.HasPrefix(h, w+"-")
}
