package metrics

import (
	"regexp"
	"slices"
	"strings"
)

// placeholderRE matches what must survive translation untouched, most
// specific first.
var placeholderRE = regexp.MustCompile(strings.Join([]string{
	// Python %-format with a name: %(name)s, %(count)d.
	`%\([A-Za-z_][A-Za-z0-9_]*\)[-+ 0#]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]`,
	// gettext's <inttypes.h> macros: %<PRId64>.
	`%<PRI[A-Za-z0-9]+>`,
	// printf and strftime: %s %d %1$s %-10s %5.2f %lu %lld %zu %% %B %Y.
	// The space flag is left out: "50% de" is text, not "% d".
	`%(?:\d+\$)?[-+0#'_^]*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|ll|[hlLqjzt])?[A-Za-z%]`,
	// Shell/JavaScript template variables: ${var}.
	`\$\{[^{}\s]+\}`,
	// .NET, ICU and Python str.format: {0} {name} {0:N2} {name!r} {}.
	`\{[A-Za-z0-9_.]*(?:[!:][^{}]*)?\}`,
	// XML/HTML tags: <b> </b> <br/> <a href="…">.
	`</?[A-Za-z][A-Za-z0-9:_.-]*(?:\s[^<>]*)?/?>`,
	// Escaped control characters as they appear in catalogs: \n \t \r.
	`\\[ntr]`,
}, "|"))

// Placeholders returns the placeholders and inline tags of s, in order:
// printf and strftime conversions (%s, %1$d, %-5.2f, %%, %(name)s,
// %<PRId64>, %B; a percent sign directly followed by a letter), braced
// variables ({0}, {name}, {0:N2}, ${var}), XML tags and escaped \n, \t,
// \r. A tag is reduced to its shape (<a>, </a>, <br/>): translators may
// translate attribute values such as title.
func Placeholders(s string) []string {
	found := placeholderRE.FindAllString(s, -1)
	for i, p := range found {
		if p[0] == '<' {
			found[i] = tagShape(p)
		}
	}
	return found
}

var tagNameRE = regexp.MustCompile(`^</?([A-Za-z][A-Za-z0-9:_.-]*)`)

// tagShape reduces a tag to its name, keeping whether it closes or is
// empty.
func tagShape(tag string) string {
	name := tagNameRE.FindStringSubmatch(tag)[1]
	switch {
	case strings.HasPrefix(tag, "</"):
		return "</" + name + ">"
	case strings.HasSuffix(tag, "/>"):
		return "<" + name + "/>"
	}
	return "<" + name + ">"
}

// PlaceholderScore is the share of segments whose placeholders survived.
type PlaceholderScore struct {
	// Score is Correct/Segments in percent; 0 when Segments is 0.
	Score float64 `json:"score"`
	// Segments counts the source segments with at least one placeholder.
	Segments int `json:"segments"`
	// Correct counts those whose hypothesis has exactly the same
	// placeholders (as a multiset: order may change, none may be lost,
	// duplicated or invented).
	Correct int `json:"correct"`
	// Broken lists the 1-based numbers of the other segments.
	Broken []int `json:"broken,omitempty"`
}

// PlaceholderAccuracy compares the placeholders of each source segment
// with those of its hypothesis (see [Placeholders]).
func PlaceholderAccuracy(srcs, hyps []string) (*PlaceholderScore, error) {
	if err := sameLength(map[string]int{"sources": len(srcs), "hypotheses": len(hyps)}); err != nil {
		return nil, err
	}
	s := &PlaceholderScore{}
	for i := range srcs {
		want := Placeholders(srcs[i])
		if len(want) == 0 {
			continue
		}
		s.Segments++
		got := Placeholders(hyps[i])
		slices.Sort(want)
		slices.Sort(got)
		if slices.Equal(want, got) {
			s.Correct++
		} else {
			s.Broken = append(s.Broken, i+1)
		}
	}
	if s.Segments > 0 {
		s.Score = 100 * float64(s.Correct) / float64(s.Segments)
	}
	return s, nil
}
