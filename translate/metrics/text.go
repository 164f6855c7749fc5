package metrics

import (
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/language"
)

// isSpace reports whether r is whitespace for Python's str.split(), which
// sacreBLEU uses everywhere: Go's unicode.IsSpace plus the information
// separators U+001C–U+001F.
func isSpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}

// fields splits s on runs of Python whitespace, like str.split().
func fields(s string) []string { return strings.FieldsFunc(s, isSpace) }

// rstrip removes trailing Python whitespace, like str.rstrip().
func rstrip(s string) string { return strings.TrimRightFunc(s, isSpace) }

// lower lowercases s as Python's str.lower() does: full Unicode case
// mapping, so "İ" becomes "i̇" and a word-final capital sigma "ς".
// strings.ToLower does neither.
func lower(s string) string {
	// A Caser holds state; one per call keeps lower safe for concurrent use.
	return cases.Lower(language.Und).String(s)
}

// refSets checks the shape of a corpus — every reference set has one
// segment per hypothesis — and returns, per segment, the non-empty
// references. Like sacreBLEU, an empty reference stands for "no reference
// in this set for this segment", and a segment left with none is an error.
// nrefs is the number of references per segment, or -1 when it varies.
func refSets(hyps []string, refs [][]string) (perSeg [][]string, nrefs int, err error) {
	if len(hyps) == 0 {
		return nil, 0, ErrNoSegments
	}
	if len(refs) == 0 {
		return nil, 0, fmt.Errorf("no reference set given: %w", ErrNoReference)
	}
	for k, set := range refs {
		if len(set) != len(hyps) {
			return nil, 0, fmt.Errorf("reference set %d has %d segments, hypotheses have %d: %w",
				k+1, len(set), len(hyps), ErrLengthMismatch)
		}
	}
	perSeg = make([][]string, len(hyps))
	nrefs = 0
	for i := range hyps {
		var rs []string
		if len(refs) == 1 {
			rs = refs[0][i : i+1]
		} else {
			rs = make([]string, 0, len(refs))
			for _, set := range refs {
				if set[i] != "" {
					rs = append(rs, set[i])
				}
			}
		}
		if len(rs) == 0 || (len(rs) == 1 && rs[0] == "") {
			return nil, 0, fmt.Errorf("segment %d: %w", i+1, ErrNoReference)
		}
		switch {
		case i == 0:
			nrefs = len(rs)
		case nrefs != len(rs):
			nrefs = -1
		}
		perSeg[i] = rs
	}
	return perSeg, nrefs, nil
}

// nrefsString is the nrefs value of a signature.
func nrefsString(n int) string {
	if n < 0 {
		return "var"
	}
	return fmt.Sprint(n)
}
