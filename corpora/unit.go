package corpora

import (
	"time"

	"golang.org/x/text/language"
)

// Status is how far a translation has come in review.
type Status uint8

const (
	// StatusUnspecified: the file says nothing (a plain TMX or TSV).
	StatusUnspecified Status = iota
	// StatusUntranslated: there is no translation yet (an empty msgstr,
	// XLIFF state "new" or "initial").
	StatusUntranslated
	// StatusDraft: a translation that needs review (PO fuzzy, XLIFF
	// needs-review-*).
	StatusDraft
	// StatusMachine: machine translated and not reviewed.
	StatusMachine
	// StatusTranslated: translated by a person, not yet signed off.
	StatusTranslated
	// StatusApproved: reviewed and approved (XLIFF final, signed-off,
	// reviewed; approved="yes").
	StatusApproved
)

var statusNames = [...]string{"unspecified", "untranslated", "draft", "machine", "translated", "approved"}

func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return "unspecified"
}

// ParseStatus returns the status with the given name (as String returns it).
func ParseStatus(name string) (Status, bool) {
	for i, n := range statusNames {
		if n == name {
			return Status(i), true
		}
	}
	return StatusUnspecified, false
}

// MarshalText implements encoding.TextMarshaler.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Prop is a typed property of a unit (TMX <prop type="…">, XLIFF
// attributes that have no field of their own).
type Prop struct {
	Type  string `json:"type"`
	Value string `json:"value"`
	Lang  string `json:"lang,omitempty"`
}

// Origin says where a unit was read: the file, the line its element or entry
// starts on, and its position among the file's units.
type Origin struct {
	File  string `json:"file,omitempty"`
	Line  int    `json:"line,omitempty"` // 1-based; 0 when unknown
	Index int    `json:"index"`          // 0-based position of the unit in the file
}

// Gettext holds what only a gettext catalog has. Other formats leave it nil.
type Gettext struct {
	SourcePlural  Segment   // msgid_plural
	TargetPlurals []Segment // msgstr[1], msgstr[2], … (msgstr[0] is Unit.Target)
	Flags         []string  // #, flags other than "fuzzy" (c-format, no-wrap, …)
	References    []string  // #: file:line references
	Extracted     []string  // #. comments for translators, from the source code
	PrevContext   string    // #| msgctxt
	PrevSource    string    // #| msgid
	PrevPlural    string    // #| msgid_plural
	Obsolete      bool      // #~ entry
}

// Unit is one translation unit: a source segment, its translation (which may
// be empty), their languages, and its provenance.
type Unit struct {
	SourceLang language.Tag
	TargetLang language.Tag
	Source     Segment
	Target     Segment

	// ID identifies the unit in its file: TMX tuid, XLIFF trans-unit or unit
	// id, gettext msgctxt + "\x04" + msgid. May be empty.
	ID string
	// Context disambiguates identical sources (gettext msgctxt, XLIFF resname).
	Context string
	// Domain is the subject area or project the unit belongs to (gettext
	// domain, TMX x-domain or o-tmf, a TSV domain column).
	Domain string

	Status    Status
	Created   time.Time
	Changed   time.Time
	CreatedBy string
	ChangedBy string

	Notes []string
	Props []Prop

	Origin  Origin
	Gettext *Gettext
}

// Prop returns the value of the first property of the given type.
func (u *Unit) Prop(typ string) (string, bool) {
	for _, p := range u.Props {
		if p.Type == typ {
			return p.Value, true
		}
	}
	return "", false
}

// TermStatus is the normative status of a term in a term base.
type TermStatus uint8

const (
	TermUnspecified TermStatus = iota
	TermPreferred
	TermAdmitted
	TermDeprecated
)

var termStatusNames = [...]string{"unspecified", "preferred", "admitted", "deprecated"}

func (s TermStatus) String() string {
	if int(s) < len(termStatusNames) {
		return termStatusNames[s]
	}
	return "unspecified"
}

// MarshalText implements encoding.TextMarshaler.
func (s TermStatus) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// ParseTermStatus maps the status words of TBX dialects and glossaries
// (preferredTerm-admn-sts, admittedTerm-admn-sts, deprecatedTerm-admn-sts,
// supersededTerm-admn-sts, TBX-Min's preferred/admitted/notRecommended/
// obsolete) to a TermStatus.
func ParseTermStatus(s string) TermStatus {
	switch s {
	case "preferred", "preferredTerm-admn-sts", "preferredTerm":
		return TermPreferred
	case "admitted", "admittedTerm-admn-sts", "admittedTerm":
		return TermAdmitted
	case "deprecated", "deprecatedTerm-admn-sts", "deprecatedTerm", "notRecommended",
		"supersededTerm-admn-sts", "obsolete", "legalTerm-admn-sts":
		if s == "legalTerm-admn-sts" {
			return TermAdmitted
		}
		return TermDeprecated
	}
	return TermUnspecified
}

// Term is one term of a concept in one language.
type Term struct {
	Lang         language.Tag
	Text         string
	Status       TermStatus
	PartOfSpeech string
	Definition   string // a definition at term or language level
	// Context is text that shows the term in use (TBX's context data
	// category); a unit written as an entry keeps its Context (a gettext
	// msgctxt) as its source term's.
	Context string
	Note    string
	Source  string // where the term comes from, when the term base says
}

// TermEntry is a concept of a term base with its terms in every language.
type TermEntry struct {
	ID         string
	Domain     string // subjectField
	Definition string // concept-level definition
	Note       string
	Terms      []Term
	Origin     Origin
}

// TermsIn returns the entry's terms in the given language, preferred first.
func (e *TermEntry) TermsIn(lang language.Tag) []Term {
	var out []Term
	for _, t := range e.Terms {
		if LangMatches(lang, t.Lang) {
			out = append(out, t)
		}
	}
	// stable: preferred, unspecified/admitted, deprecated last
	rank := func(s TermStatus) int {
		switch s {
		case TermPreferred:
			return 0
		case TermDeprecated:
			return 2
		}
		return 1
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && rank(out[j].Status) < rank(out[j-1].Status); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
