// Package pattern finds the entities of a text that their form tells:
// placeholders (printf and Python formats, {0}, ${var}, markup tags),
// URLs, e-mail addresses, file paths, dates, versions, numbers with a
// unit, codes and acronyms (GTK, COVID-19) and product names in CamelCase
// (PowerPoint, iPhone). Extraction makes entities of them and retrieval
// reports them when it spots a sentence, so both use Find.
//
// Find works on any language's text; it does no I/O and is safe for
// concurrent use.
package pattern

import (
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/kgmem/kgmem/graph"
)

// Span is a typed stretch of text found by a pattern: text[Start:End], in
// bytes.
type Span struct {
	Start, End int
	Type       graph.EntityType
}

// patterns are tried in order; an earlier pattern's match wins where
// matches overlap (a URL is not also a path; a version is not a number).
// Each pattern has a cheap test that rules it out for most text: a
// character every match contains.
var patterns = []struct {
	typ  graph.EntityType
	need func(string) bool
	re   *regexp.Regexp
}{
	{graph.TypePlaceholder, anyOf("%${<"), regexp.MustCompile(`%(?:\d+\$)?[-+#0']*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|L|q|j|z|t)?[diouxXeEfFgGaAcspn]|%\([A-Za-z_]\w*\)[-+ #0]*\d*(?:\.\d+)?[sdifrxXeEgGc]|\$\{[A-Za-z_][\w.]*\}|\{\{?\s*[A-Za-z_][\w.]*\s*\}?\}|\{\d+\}|<[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>|</[A-Za-z][\w:-]*>`)},
	{graph.TypeURL, func(s string) bool { return strings.Contains(s, "://") || strings.Contains(s, "www.") }, regexp.MustCompile(`\b(?:https?|ftp)://[^\s<>"'«»]+[^\s<>"'«».,;:!?)\]]|\bwww\.[\w-]+(?:\.[\w-]+)+(?:/[^\s<>"'«»]*[^\s<>"'«».,;:!?)\]])?`)},
	{graph.TypeEmail, anyOf("@"), regexp.MustCompile(`\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b`)},
	{graph.TypePath, anyOf("/\\"), regexp.MustCompile(`(?:~|\.{1,2})?/(?:[\w.-]+/)+[\w.-]*[\w]|\b[A-Za-z]:\\(?:[\w. -]+\\)*[\w.-]+|~/[\w.-]+`)},
	{graph.TypeDate, hasDigit, regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b`)},
	{graph.TypeVersion, hasDigit, regexp.MustCompile(`\bv?\d+\.\d+(?:\.\d+)+\b|\bv\d+(?:\.\d+)*\b`)},
	{graph.TypeNumber, hasDigit, regexp.MustCompile(`\b\d+(?:[.,]\d+)*\s?(?:%|[kKMGT]i?B|[kKMG]?Hz|ms|px|pt|cm|mm|km|kg|dpi|fps)(?:\b|$)|\b\d+(?:[.,]\d+)*\s?(?:%)`)},
	{graph.TypeCode, twoUpper, regexp.MustCompile(`\b[A-Z][A-Z0-9]*[A-Z][A-Z0-9]*(?:-\d+)?s?\b`)},
	{graph.TypeProduct, innerUpper, regexp.MustCompile(`\b[a-z]+[A-Z][A-Za-z0-9]*\b|\b[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+)+\b`)},
}

// Find returns the pattern entities of text, left to right, without
// overlaps: where matches overlap, the earlier kind in the package
// comment's list wins (a URL is not also a path).
func Find(text string) []Span {
	var spans []Span
	taken := func(s, e int) bool {
		for _, sp := range spans {
			if s < sp.End && sp.Start < e {
				return true
			}
		}
		return false
	}
	for _, p := range patterns {
		if !p.need(text) {
			continue
		}
		for _, m := range p.re.FindAllStringIndex(text, -1) {
			if m[1] > m[0] && !taken(m[0], m[1]) {
				spans = append(spans, Span{Start: m[0], End: m[1], Type: p.typ})
			}
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].Start < spans[j].Start })
	return spans
}

func anyOf(chars string) func(string) bool {
	return func(s string) bool { return strings.ContainsAny(s, chars) }
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			return true
		}
	}
	return false
}

// twoUpper reports whether s has two upper-case letters in a row.
func twoUpper(s string) bool {
	prev := false
	for _, r := range s {
		up := unicode.IsUpper(r)
		if up && prev {
			return true
		}
		prev = up
	}
	return false
}

// innerUpper reports whether an upper-case letter follows a lower-case
// one (CamelCase, iPhone).
func innerUpper(s string) bool {
	prev := false
	for _, r := range s {
		if unicode.IsUpper(r) && prev {
			return true
		}
		prev = unicode.IsLower(r)
	}
	return false
}
