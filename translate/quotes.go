package translate

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Quotation marks are a post-edit of their own: an engine keeps the
// source's marks ("Open “%s”" → "Abrir “%s”"), and a memory's
// translators write their language's («%s»). For each kind of mark of
// quoteMarks, a pair counts as Seen when the engine's output quotes with
// it, as Kept when the approved target quotes with it too, and as Fixed
// (To: the marks used instead) when the target quotes with other marks
// and not with these.

// quotePrefix starts the post-edit key of quotation marks; token keys
// never hold it ("⟦…⟧" is a code's), so no text matches it.
const quotePrefix = "⟦q⟧"

// quoteKey is the post-edit key of the quotation marks open … close.
func quoteKey(open, close string) string { return quotePrefix + " " + open + " " + close }

// quoteMarks are the kinds of quotation marks an edit replaces or puts.
var quoteMarks = [][2]string{{`"`, `"`}, {"“", "”"}, {"'", "'"}, {"‘", "’"}, {"«", "»"}, {"„", "“"}}

// quoted returns the byte offsets of the opening and closing marks of
// each quotation in text marked open … close: an opening mark starts the
// text or follows a space or an opening bracket, and is followed by a
// letter, digit or code; its closing mark is the next close that is not
// followed by a letter or digit (an apostrophe, "don't", is neither).
func quoted(text, open, close string) [][2]int {
	var out [][2]int
	for i := 0; i < len(text); {
		k := strings.Index(text[i:], open)
		if k < 0 {
			break
		}
		at := i + k
		i = at + len(open)
		before, _ := utf8.DecodeLastRuneInString(text[:at])
		after, _ := utf8.DecodeRuneInString(text[i:])
		if at > 0 && !unicode.IsSpace(before) && !strings.ContainsRune("([/", before) {
			continue
		}
		if !unicode.IsLetter(after) && !unicode.IsDigit(after) && after != '⟦' && after != '%' && after != '$' {
			continue
		}
		for j := i; j < len(text); {
			c := strings.Index(text[j:], close)
			if c < 0 {
				return out
			}
			end := j + c
			j = end + len(close)
			next, _ := utf8.DecodeRuneInString(text[j:])
			if j < len(text) && (unicode.IsLetter(next) || unicode.IsDigit(next)) {
				continue
			}
			out = append(out, [2]int{at, end})
			i = j
			break
		}
	}
	return out
}

// quoteEdits returns the quotation post-edits one pair makes: for each
// kind of mark the engine's output quotes with, its key and the marks the
// target quotes with instead ("" when the target keeps them, nothing when
// it quotes with none).
func quoteEdits(out, target string) (seen, kept []string, fixed []edit) {
	for _, m := range quoteMarks {
		if len(quoted(out, m[0], m[1])) == 0 {
			continue
		}
		key := quoteKey(m[0], m[1])
		seen = append(seen, key)
		if len(quoted(target, m[0], m[1])) > 0 {
			kept = append(kept, key)
			continue
		}
		for _, o := range quoteMarks {
			if o != m && len(quoted(target, o[0], o[1])) > 0 {
				fixed = append(fixed, edit{key: key, to: o[0] + " " + o[1]})
				break
			}
		}
	}
	return seen, kept, fixed
}

// requote replaces the marks of the quotations of text marked as key says
// with those of to ("« »").
func requote(text, key, to string) string {
	m := strings.Fields(strings.TrimPrefix(key, quotePrefix))
	o := strings.Fields(to)
	if len(m) != 2 || len(o) != 2 {
		return text
	}
	qs := quoted(text, m[0], m[1])
	if len(qs) == 0 {
		return text
	}
	var b strings.Builder
	done := 0
	for _, q := range qs {
		b.WriteString(text[done:q[0]])
		b.WriteString(o[0])
		b.WriteString(text[q[0]+len(m[0]) : q[1]])
		b.WriteString(o[1])
		done = q[1] + len(m[1])
	}
	b.WriteString(text[done:])
	return b.String()
}
