package extract

import (
	"regexp"
	"sort"

	"github.com/kgmem/kgmem/graph"
)

// Span is a typed stretch of text found by a pattern.
type Span struct {
	Start, End int
	Type       graph.EntityType
}

// patterns are tried in order; an earlier pattern's match wins where
// matches overlap (a URL is not also a path; a version is not a number).
var patterns = []struct {
	typ graph.EntityType
	re  *regexp.Regexp
}{
	{graph.TypePlaceholder, regexp.MustCompile(`%(?:\d+\$)?[-+#0']*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|L|q|j|z|t)?[diouxXeEfFgGaAcspn]|%\([A-Za-z_]\w*\)[-+ #0]*\d*(?:\.\d+)?[sdifrxXeEgGc]|\$\{[A-Za-z_][\w.]*\}|\{\{?\s*[A-Za-z_][\w.]*\s*\}?\}|\{\d+\}|<[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>|</[A-Za-z][\w:-]*>`)},
	{graph.TypeURL, regexp.MustCompile(`\b(?:https?|ftp)://[^\s<>"'«»]+[^\s<>"'«».,;:!?)\]]|\bwww\.[\w-]+(?:\.[\w-]+)+(?:/[^\s<>"'«»]*[^\s<>"'«».,;:!?)\]])?`)},
	{graph.TypeEmail, regexp.MustCompile(`\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b`)},
	{graph.TypePath, regexp.MustCompile(`(?:~|\.{1,2})?/(?:[\w.-]+/)+[\w.-]*[\w]|\b[A-Za-z]:\\(?:[\w. -]+\\)*[\w.-]+|~/[\w.-]+`)},
	{graph.TypeDate, regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b`)},
	{graph.TypeVersion, regexp.MustCompile(`\bv?\d+\.\d+(?:\.\d+)+\b|\bv\d+(?:\.\d+)*\b`)},
	{graph.TypeNumber, regexp.MustCompile(`\b\d+(?:[.,]\d+)*\s?(?:%|[kKMGT]i?B|[kKMG]?Hz|ms|px|pt|cm|mm|km|kg|dpi|fps)(?:\b|$)|\b\d+(?:[.,]\d+)*\s?(?:%)`)},
	{graph.TypeCode, regexp.MustCompile(`\b[A-Z][A-Z0-9]*[A-Z][A-Z0-9]*(?:-\d+)?s?\b`)},
	{graph.TypeProduct, regexp.MustCompile(`\b[a-z]+[A-Z][A-Za-z0-9]*\b|\b[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+)+\b`)},
}

// FindPatterns returns the pattern entities of text, left to right, without
// overlaps.
func FindPatterns(text string) []Span {
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
		for _, m := range p.re.FindAllStringIndex(text, -1) {
			if m[1] > m[0] && !taken(m[0], m[1]) {
				spans = append(spans, Span{Start: m[0], End: m[1], Type: p.typ})
			}
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].Start < spans[j].Start })
	return spans
}
