// Package langtag holds the two things kgmem does with a BCP-47 language
// tag everywhere: take its language subtag (Base: the key stores, indexes
// and analysers file text under) and tell whether one tag covers another
// (Covers: "es" covers "es-ES"). It compares tags as text, case-
// insensitively, and neither validates nor canonicalises them; parsing a
// tag a user wrote is corpora.ParseLang's job.
//
// It imports nothing of kgmem, so every layer can use it: corpora,
// analysis, graph and the packages above them, and the plugin protocol.
package langtag

import "strings"

// Base returns the language subtag of a BCP-47 tag, lowercased: "es" for
// "es-ES", "ES_mx" or "es". A tag written with underscores (as POSIX
// locales and Apertium write them) is cut at the first one too.
func Base(tag string) string {
	tag = strings.ToLower(tag)
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		return tag[:i]
	}
	return tag
}

// Covers reports whether the language tag want covers have: want's
// subtags are a prefix of have's, case-insensitively ("es" covers "es-ES";
// "es-419" does not cover "es-ES"). An empty want covers everything.
func Covers(want, have string) bool {
	if want == "" {
		return true
	}
	w, h := strings.ToLower(want), strings.ToLower(have)
	return h == w || strings.HasPrefix(h, w+"-")
}
