package memory

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/formats"
)

// Accept says which units of a file learning takes. The zero value takes
// what the file's format marks as final work:
//
//   - PO and MO: translated and not fuzzy;
//   - XLIFF: approved (approved="yes", state final or signed-off; 2.x
//     reviewed or final);
//   - TMX: every unit, unless a status prop says draft, machine or
//     untranslated;
//   - TSV, CSV, plain text: every unit with a target (they carry no status).
//
// Statuses, when not empty, replaces that policy with a list.
type Accept struct {
	Statuses []corpora.Status
}

// ParseAccept parses --status: status names separated by commas
// ("translated,approved"), or "all" for every unit with a target.
func ParseAccept(s string) (Accept, error) {
	var a Accept
	if s == "" {
		return a, nil
	}
	for _, name := range strings.Split(s, ",") {
		name = strings.TrimSpace(strings.ToLower(name))
		if name == "all" {
			a.Statuses = append(a.Statuses, corpora.StatusUnspecified, corpora.StatusDraft, corpora.StatusMachine,
				corpora.StatusTranslated, corpora.StatusApproved)
			continue
		}
		st, ok := corpora.ParseStatus(name)
		if !ok || st == corpora.StatusUntranslated {
			return Accept{}, invalidf("status %q: use approved, translated, unspecified, draft, machine or all", name)
		}
		a.Statuses = append(a.Statuses, st)
	}
	return a, nil
}

// takes reports whether a unit of status st, read from a file of format
// f, is learned.
func (a Accept) takes(f formats.Format, st corpora.Status) bool {
	if st == corpora.StatusUntranslated {
		return false
	}
	if len(a.Statuses) > 0 {
		return slices.Contains(a.Statuses, st)
	}
	switch st {
	case corpora.StatusApproved:
		return true
	case corpora.StatusTranslated:
		// PO has no approval step: translated and not fuzzy is final.
		return f == formats.PO || f == formats.MO || f == formats.TMX
	case corpora.StatusUnspecified:
		// XLIFF says when work is final; a unit that does not say is not.
		return f != formats.XLIFF
	}
	return false
}

// SkipReport says how many units of each status were skipped: "3 draft, 1 untranslated".
func SkipReport(skipped map[string]int) string {
	var parts []string
	for _, st := range statusNames(skipped) {
		parts = append(parts, fmt.Sprintf("%d %s", skipped[st], st))
	}
	return strings.Join(parts, ", ")
}

func statusNames(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
