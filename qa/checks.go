package qa

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kgmem/kgmem/corpora"
)

// CheckInfo describes a check.
type CheckInfo struct {
	Name     string   `json:"name"`
	Severity Severity `json:"severity"` // its findings' default severity
	Doc      string   `json:"doc"`
}

// checkDef is a check: its description and the function that runs it on
// one pair (pair or pairCtx), or on all units at once (across).
type checkDef struct {
	CheckInfo
	// onEmpty: the check looks at pairs whose target is empty too.
	onEmpty bool
	pair    func(c *checker, p *pair) []problem
	pairCtx func(ctx context.Context, c *checker, p *pair) ([]problem, error)
	across  bool
}

// allChecks are the checks in the order their findings are listed for a
// unit. It is never changed.
var allChecks = []checkDef{
	{CheckInfo: CheckInfo{"untranslated", Warning, "the target is empty"}, onEmpty: true, pair: checkUntranslated},
	{CheckInfo: CheckInfo{"fuzzy", Info, "the unit is marked fuzzy, a draft or machine translation: it needs review"}, pair: checkFuzzy},
	{CheckInfo: CheckInfo{"placeholders", Error, "printf (%s, %1$s, %(name)s), brace ({0}, {name}), ${var}, Qt (%1) placeholders and escapes lost, invented, or reordered where order matters"}, pair: checkPlaceholders},
	{CheckInfo: CheckInfo{"tags", Error, "markup written as text (<b>, </b>, <br/>) and inline codes lost or invented"}, pair: checkTags},
	{CheckInfo: CheckInfo{"accelerators", Warning, "a source with a keyboard accelerator (_File, &Open, ~Open) needs exactly one in the target, with the same marker; a target must not add one"}, pair: checkAccelerators},
	{CheckInfo: CheckInfo{"numbers", Warning, "numbers of the source missing from the target, or numbers the target adds (group and decimal separators may differ)"}, pair: checkNumbers},
	{CheckInfo: CheckInfo{"urls", Warning, "URLs and e-mail addresses of the source missing from the target, or added"}, pair: checkURLs},
	{CheckInfo: CheckInfo{"newlines", Warning, "the target has another number of line breaks (newlines or \\n escapes) than the source"}, pair: checkNewlines},
	{CheckInfo: CheckInfo{"whitespace", Warning, "leading or trailing white space differs from the source's"}, pair: checkWhitespace},
	{CheckInfo: CheckInfo{"double-space", Warning, "the target has more double spaces than the source"}, pair: checkDoubleSpace},
	{CheckInfo: CheckInfo{"end-punctuation", Warning, "the final punctuation (. … : ? ! ; ,) differs from the source's, allowing the target language's own marks"}, pair: checkEndPunctuation},
	{CheckInfo: CheckInfo{"inverted-marks", Warning, "Spanish: every ? and ! closes a ¿ and ¡ that opens it, and every ¿ ¡ is closed"}, pair: checkInvertedMarks},
	{CheckInfo: CheckInfo{"french-spacing", Warning, "French: the space before ; : ! ? » and after « is a no-break space (U+00A0 or U+202F), never a plain one"}, pair: checkFrenchSpacing},
	{CheckInfo: CheckInfo{"capitals", Warning, "the first letter of the target is not capitalised as the source's"}, pair: checkCapitals},
	{CheckInfo: CheckInfo{"unchanged", Warning, "the target is the source copied (info for a single word, which is often a name or a shared word)"}, pair: checkUnchanged},
	{CheckInfo: CheckInfo{"length", Info, "the target's length is outside the range the language pair usually gives (see LengthLimits)"}, pair: checkLength},
	{CheckInfo: CheckInfo{"terms", Warning, "a term of the term base is in the source but none of its translations is in the target"}, pairCtx: checkTerms},
	{CheckInfo: CheckInfo{"forbidden-terms", Error, "the target uses a translation the term base forbids (deprecated) for a term of the source"}, pairCtx: checkForbiddenTerms},
	{CheckInfo: CheckInfo{"consistency", Warning, "one source (with its context) translated in several ways in the files checked; the units that differ from the most common translation are reported"}, across: true},
	{CheckInfo: CheckInfo{"consistency-target", Info, "one translation given to several different sources in the files checked"}, across: true},
	{CheckInfo: CheckInfo{"memory", Warning, "the memory translates the source otherwise"}, across: true},
}

// Checks describes every check, in the order findings are listed.
func Checks() []CheckInfo {
	out := make([]CheckInfo, len(allChecks))
	for i, ck := range allChecks {
		out[i] = ck.CheckInfo
	}
	return out
}

// CheckNames returns the names of every check.
func CheckNames() []string {
	out := make([]string, len(allChecks))
	for i, ck := range allChecks {
		out[i] = ck.Name
	}
	return out
}

func checkUntranslated(c *checker, p *pair) []problem {
	if strings.TrimSpace(p.tgt.raw) != "" || len(p.tgtCodes) > 0 || strings.TrimSpace(p.src.raw) == "" {
		return nil
	}
	if p.form > 0 && p.u.Target.IsEmpty() {
		return nil // the entry is untranslated: said once, of msgstr[0]
	}
	if p.u.Status == corpora.StatusUntranslated || p.tgt.raw == "" {
		return []problem{{msg: "not translated", hint: "translate it"}}
	}
	return []problem{{msg: "the target is only white space", hint: "translate it"}}
}

func checkFuzzy(c *checker, p *pair) []problem {
	if p.form > 0 {
		return nil
	}
	switch p.u.Status {
	case corpora.StatusDraft, corpora.StatusMachine:
		return []problem{{msg: fmt.Sprintf("the translation is %s", draftWord(p.u.Status)), hint: "review it and clear the mark"}}
	}
	return nil
}

func draftWord(s corpora.Status) string {
	if s == corpora.StatusMachine {
		return "machine output, not reviewed"
	}
	return "a draft (fuzzy)"
}

func checkPlaceholders(c *checker, p *pair) []problem {
	if p.src.dateFormat {
		return nil
	}
	var out []problem
	lost, extra := multisetDiff(p.src.placeholders, p.tgt.placeholders)
	sev := Severity(0)
	if p.plural && len(extra) == 0 {
		// A plural form may leave out the count where its form serves a
		// single number ("one file"); msgfmt --check knows which.
		sev = Warning
	}
	for _, s := range lost {
		out = append(out, problem{msg: fmt.Sprintf("placeholder %s is missing", quote(s)), hint: "copy it from the source", sev: sev})
	}
	for _, s := range extra {
		out = append(out, problem{msg: fmt.Sprintf("placeholder %s is not in the source", quote(s)), hint: "remove it, or use the source's"})
	}
	if len(out) == 0 {
		if a, b, ok := swapped(p.src.placeholders, p.tgt.placeholders); ok {
			out = append(out, problem{msg: fmt.Sprintf("placeholders %s and %s are in another order than in the source", quote(a), quote(b)),
				hint: "keep their order, or number them (%1$s, %2$d) to reorder them"})
		}
	}
	return out
}

// swapped reports two printf conversions without an argument number
// (%s, %d) that the target has in another order than the source: their
// arguments are taken in order, so the program would print the wrong
// ones, or crash on a type mismatch.
func swapped(src, tgt []string) (string, string, bool) {
	unnumbered := func(ps []string) []string {
		var out []string
		for _, p := range ps {
			if len(p) >= 2 && p[0] == '%' && p != "%%" && !strings.Contains(p, "$") && p[1] != '(' && p[1] != '<' &&
				!(p[1] >= '1' && p[1] <= '9' && len(p) <= 3) && p[1] != 'L' {
				out = append(out, p)
			}
		}
		return out
	}
	a, b := unnumbered(src), unnumbered(tgt)
	if len(a) != len(b) {
		return "", "", false
	}
	for i := range a {
		if a[i] != b[i] {
			return a[i], b[i], true
		}
	}
	return "", "", false
}

func checkTags(c *checker, p *pair) []problem {
	var out []problem
	lost, extra := multisetDiff(p.src.tags, p.tgt.tags)
	for _, s := range lost {
		out = append(out, problem{msg: fmt.Sprintf("tag %s is missing", s), hint: "copy the markup from the source"})
	}
	for _, s := range extra {
		out = append(out, problem{msg: fmt.Sprintf("tag %s is not in the source", s), hint: "remove it"})
	}
	if a, b := p.src.metavars, p.tgt.metavars; a != b {
		out = append(out, problem{msg: fmt.Sprintf("%d words in angle brackets (<file>), the source has %d", b, a),
			hint: "keep every metavariable of the source; they may be translated"})
	}
	if p.form == 0 {
		lost, extra = multisetDiff(codeKeys(p.srcCodes), codeKeys(p.tgtCodes))
		for _, s := range lost {
			out = append(out, problem{msg: fmt.Sprintf("inline code %s is missing", s), hint: "place every inline code of the source in the target"})
		}
		for _, s := range extra {
			out = append(out, problem{msg: fmt.Sprintf("inline code %s is not in the source", s), hint: "remove it"})
		}
	}
	return out
}

// codeKeys names inline codes for comparison: kind and ID, or kind,
// element and content when they have no ID.
func codeKeys(cs []*corpora.Code) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		if c.ID != "" {
			out[i] = fmt.Sprintf("%s#%s", c.Kind, c.ID)
		} else {
			out[i] = fmt.Sprintf("%s <%s>%s", c.Kind, c.Element, c.Native)
		}
	}
	return out
}

func checkAccelerators(c *checker, p *pair) []problem {
	sm, sn := accelerators(p.src.masked)
	_, tn := accelerators(p.tgt.masked)
	if sm == 0 {
		// The target adds one where the source has no marker at all.
		for k, m := range accelMarkers {
			if tn[k] == 1 && sn[k] == 0 && strings.IndexByte(p.src.masked, m) < 0 && (m != '_' || strings.Count(p.tgt.masked, "_") == 1) {
				return []problem{{msg: fmt.Sprintf("the target has an accelerator (%c) the source has not", m), hint: "remove the marker"}}
			}
		}
		return nil
	}
	k := strings.IndexByte("_&~", sm)
	switch {
	case tn[k] == 0:
		for j, m := range accelMarkers {
			if j != k && tn[j] == 1 {
				return []problem{{msg: fmt.Sprintf("the accelerator is marked with %c, the source's with %c", m, sm), hint: fmt.Sprintf("mark it with %c", sm)}}
			}
		}
		return []problem{{msg: fmt.Sprintf("the accelerator (%c) is missing", sm), hint: fmt.Sprintf("put %c before the letter that should open it", sm)}}
	case tn[k] > 1:
		return []problem{{msg: fmt.Sprintf("the target has %d accelerators (%c), the source one", tn[k], sm), hint: "keep one"}}
	}
	return nil
}

func checkNumbers(c *checker, p *pair) []problem {
	if p.src.dateFormat {
		return nil
	}
	var out []problem
	lost, extra := multisetDiff(numbers(p.src.masked), numbers(p.tgt.masked))
	for _, s := range lost {
		out = append(out, problem{msg: fmt.Sprintf("number %s is missing", s), hint: "check the number against the source"})
	}
	for _, s := range extra {
		out = append(out, problem{msg: fmt.Sprintf("number %s is not in the source", s), hint: "check the number against the source"})
	}
	return out
}

func checkURLs(c *checker, p *pair) []problem {
	var out []problem
	lost, extra := multisetDiff(p.src.addresses, p.tgt.addresses)
	for _, s := range lost {
		out = append(out, problem{msg: fmt.Sprintf("address %s is missing or changed", s), hint: "copy it from the source, unless a localised address exists"})
	}
	for _, s := range extra {
		out = append(out, problem{msg: fmt.Sprintf("address %s is not in the source", s), hint: "check it"})
	}
	return out
}

func checkNewlines(c *checker, p *pair) []problem {
	for _, nl := range []string{"\n", `\n`} {
		a, b := strings.Count(p.src.raw, nl), strings.Count(p.tgt.raw, nl)
		if a != b {
			name := "line breaks"
			if nl != "\n" {
				name = `\n escapes`
			}
			return []problem{{msg: fmt.Sprintf("%d %s, the source has %d", b, name, a), hint: "break lines where the source does"}}
		}
	}
	return nil
}

func checkWhitespace(c *checker, p *pair) []problem {
	var out []problem
	sl, tl := leadingSpace(p.src.raw), leadingSpace(p.tgt.raw)
	if sl != tl {
		out = append(out, problem{msg: fmt.Sprintf("starts with %s, the source with %s", describeSpace(tl), describeSpace(sl)), hint: "start with the source's white space"})
	}
	st, tt := trailingSpace(p.src.raw), trailingSpace(p.tgt.raw)
	if st != tt {
		out = append(out, problem{msg: fmt.Sprintf("ends with %s, the source with %s", describeSpace(tt), describeSpace(st)), hint: "end with the source's white space"})
	}
	return out
}

func leadingSpace(s string) string  { return s[:len(s)-len(strings.TrimLeftFunc(s, unicode.IsSpace))] }
func trailingSpace(s string) string { return s[len(strings.TrimRightFunc(s, unicode.IsSpace)):] }

func describeSpace(s string) string {
	if s == "" {
		return "no white space"
	}
	return quote(s)
}

func checkDoubleSpace(c *checker, p *pair) []problem {
	inner := func(s string) int { return strings.Count(strings.TrimSpace(s), "  ") }
	if a, b := inner(p.src.raw), inner(p.tgt.raw); b > a {
		return []problem{{msg: "double space", hint: "use one space"}}
	}
	return nil
}

// quote quotes a short string for a message.
func quote(s string) string {
	q := fmt.Sprintf("%q", s)
	if q == `"`+s+`"` && !strings.ContainsAny(s, " ") {
		return s
	}
	return q
}

// firstRune returns the first rune of s, or 0.
func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return 0
	}
	return r
}

// hasAny reports whether any of the ss is in the list.
func hasAny(list []string, ss ...string) bool {
	for _, s := range ss {
		if slices.Contains(list, s) {
			return true
		}
	}
	return false
}
