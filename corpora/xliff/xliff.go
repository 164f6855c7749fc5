package xliff

import (
	"encoding/xml"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
)

// Namespaces of the XLIFF versions this package writes.
const (
	Namespace12 = "urn:oasis:names:tc:xliff:document:1.2"
	Namespace20 = "urn:oasis:names:tc:xliff:document:2.0"
)

// Names of the properties the reader gives every unit.
const (
	// PropFile is the "original" attribute of the 1.2 <file>, or the id of
	// the 2.x <file>, that the unit belongs to.
	PropFile = "xliff:file"
	// PropUnit is the id of the <trans-unit> or <unit>.
	PropUnit = "xliff:unit"
	// PropSegment is the mid of a 1.2 segment or the id of a 2.x segment
	// ("#N" for the Nth segment when it has no id); absent for a 1.2
	// trans-unit that is not segmented and for a 2.x unit with one segment
	// without id.
	PropSegment = "xliff:segment"
	// PropState is the state attribute as the file has it (1.2 target
	// state, 2.x segment state); absent when the file gives none.
	PropState = "xliff:state"
	// PropStateQualifier is the 1.2 target state-qualifier, or the 2.x
	// segment subState.
	PropStateQualifier = "xliff:state-qualifier"
	// PropDatatype is the 1.2 <file> datatype.
	PropDatatype = "xliff:datatype"
	// PropRepeat is, for a unit whose id an earlier unit of its <file>
	// already has (XLIFF forbids it, some tools write it), how many such
	// units come before it: "1" for the second unit with the id. Absent
	// for the first.
	PropRepeat = "xliff:repeat"
	// propContext prefixes the context-type of a 1.2 <context>.
	propContext = "context:"
)

// Key names a place to fill in a document: the file (the 1.2 <file>
// original, the 2.x <file> id), the trans-unit or unit id, and the segment
// (1.2 mrk mid, 2.x segment id, "#N" for the Nth segment without id). An
// empty Segment names a unit that is not segmented, or the only segment of
// a unit that has one.
type Key struct {
	File    string
	Unit    string
	Segment string
	// Repeat tells apart units of one file with the same id: how many
	// units with the id come before this one (0 for the first).
	Repeat int
}

// KeyOf returns the key of a unit this package's reader returned, from its
// PropFile, PropUnit and PropSegment properties.
func KeyOf(u *corpora.Unit) Key {
	var k Key
	k.File, _ = u.Prop(PropFile)
	k.Unit, _ = u.Prop(PropUnit)
	k.Segment, _ = u.Prop(PropSegment)
	if r, ok := u.Prop(PropRepeat); ok {
		k.Repeat, _ = strconv.Atoi(r)
	}
	return k
}

// String returns the key as file/unit#segment, for messages.
func (k Key) String() string {
	s := k.File + "/" + k.Unit
	if k.Segment != "" {
		s += "#" + k.Segment
	}
	if k.Repeat > 0 {
		s += fmt.Sprintf(" (repeat %d of the id)", k.Repeat)
	}
	return s
}

// Sub-states that 2.x files carry for the statuses XLIFF 2 has no state
// for. They use this package's own prefix, as the 2.0 specification asks
// for values outside its own.
const (
	subStateDraft   = "kgmem:draft"
	subStateMachine = "kgmem:mt"
)

// status12 maps a 1.2 target state, state-qualifier and trans-unit
// approved attribute to a status. hasTarget tells whether the target has
// any content.
func status12(state, qualifier, approved string, hasTarget bool) corpora.Status {
	if !hasTarget {
		return corpora.StatusUntranslated
	}
	if approved == "yes" {
		return corpora.StatusApproved
	}
	var s corpora.Status
	switch state {
	case "new", "needs-translation":
		s = corpora.StatusUntranslated
	case "needs-adaptation", "needs-l10n", "needs-review-adaptation", "needs-review-l10n", "needs-review-translation":
		s = corpora.StatusDraft
	case "translated":
		s = corpora.StatusTranslated
	case "signed-off", "final":
		return corpora.StatusApproved
	}
	if qualifier == "mt-suggestion" || qualifier == "leveraged-mt" {
		return corpora.StatusMachine
	}
	return s
}

// state12 returns the 1.2 state and state-qualifier that stand for s.
func state12(s corpora.Status) (state, qualifier string) {
	switch s {
	case corpora.StatusUntranslated:
		return "needs-translation", ""
	case corpora.StatusDraft:
		return "needs-review-translation", ""
	case corpora.StatusMachine:
		return "needs-review-translation", "mt-suggestion"
	case corpora.StatusApproved:
		return "final", ""
	}
	return "translated", ""
}

// status2 maps a 2.x segment state and subState to a status.
func status2(state, subState string, hasTarget bool) corpora.Status {
	if !hasTarget {
		return corpora.StatusUntranslated
	}
	switch subState {
	case subStateDraft:
		return corpora.StatusDraft
	case subStateMachine:
		return corpora.StatusMachine
	}
	switch state {
	case "initial":
		return corpora.StatusUntranslated
	case "translated":
		return corpora.StatusTranslated
	case "reviewed", "final":
		return corpora.StatusApproved
	}
	return corpora.StatusUnspecified
}

// state2 returns the 2.x state and subState that stand for s.
func state2(s corpora.Status) (state, subState string) {
	switch s {
	case corpora.StatusUntranslated:
		return "initial", ""
	case corpora.StatusDraft:
		return "translated", subStateDraft
	case corpora.StatusMachine:
		return "translated", subStateMachine
	case corpora.StatusApproved:
		return "final", ""
	}
	return "translated", ""
}

// major returns 1 or 2 for a version attribute and namespace, or 0 when
// they name no version this package reads.
func major(version, ns string) int {
	switch {
	case strings.HasPrefix(version, "1."):
		return 1
	case strings.HasPrefix(version, "2."):
		return 2
	case version != "":
		return 0
	case strings.HasPrefix(ns, "urn:oasis:names:tc:xliff:document:2."):
		return 2
	}
	return 1
}

// attr returns the value of the element's attribute with the given local
// name and no namespace. (xmlread.Attr would also match its:version for
// version, which real 1.2 files carry.)
func attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local && a.Name.Space == "" {
			return a.Value
		}
	}
	return ""
}

// parseLang parses a language attribute. A tag that is well formed but
// names no known language (the "xx" some tools write for "to be decided")
// gives language.Und rather than an error.
func parseLang(s string) (language.Tag, error) {
	t, err := corpora.ParseLang(s)
	var ve language.ValueError
	if err != nil && errors.As(err, &ve) {
		return language.Und, nil
	}
	return t, err
}
