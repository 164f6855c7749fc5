package tabular

import (
	"fmt"
	"strings"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
)

// role is what a column holds.
type role uint8

const (
	roleNone role = iota // not recognised: becomes a property
	roleSource
	roleTarget
	roleSourceLang
	roleTargetLang
	roleID
	roleDomain
	roleContext
	roleNote
	roleStatus
	roleLang // a text column named by a language code
)

// Canonical column names, as the writer writes them.
const (
	ColSource     = "source"
	ColTarget     = "target"
	ColSourceLang = "sourceLang"
	ColTargetLang = "targetLang"
	ColID         = "id"
	ColDomain     = "domain"
	ColContext    = "context"
	ColNote       = "note"
	ColStatus     = "status"
)

// roleNames maps a folded column name (see fold) to its role.
var roleNames = map[string]role{
	"source": roleSource, "src": roleSource, "sourcetext": roleSource, "sourcestring": roleSource,
	"sourceterm": roleSource, "sourcesegment": roleSource, "original": roleSource, "msgid": roleSource,
	"target": roleTarget, "tgt": roleTarget, "trg": roleTarget, "targettext": roleTarget,
	"targetstring": roleTarget, "targetterm": roleTarget, "targetsegment": roleTarget,
	"translation": roleTarget, "msgstr": roleTarget,
	"sourcelang": roleSourceLang, "sourcelanguage": roleSourceLang, "srclang": roleSourceLang,
	"sourcelocale": roleSourceLang,
	"targetlang":   roleTargetLang, "targetlanguage": roleTargetLang, "tgtlang": roleTargetLang,
	"trglang": roleTargetLang, "targetlocale": roleTargetLang,
	"id": roleID, "stringid": roleID, "key": roleID, "tuid": roleID, "unitid": roleID,
	"domain": roleDomain, "subject": roleDomain, "subjectfield": roleDomain, "project": roleDomain,
	"context": roleContext, "msgctxt": roleContext,
	"note": roleNote, "notes": roleNote, "comment": roleNote, "comments": roleNote,
	"description": roleNote, "definition": roleNote,
	"status": roleStatus, "state": roleStatus,
}

// fold lowercases a column name and drops spaces, '_' and '-', so that
// "Source String", "source_string" and "sourceString" are one name.
func fold(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(name)) {
		if r == ' ' || r == '_' || r == '-' {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// headerLang returns the language a column name is a code of: two or three
// letters, optionally followed by '-' or '_' subtags ("es-419", "pt_BR"),
// that parse to a known language.
func headerLang(name string) (language.Tag, bool) {
	name = strings.TrimSpace(name)
	if len(name) < 2 || len(name) > 20 {
		return language.Und, false
	}
	for i, part := range strings.FieldsFunc(name, func(r rune) bool { return r == '-' || r == '_' }) {
		if i == 0 && (len(part) < 2 || len(part) > 3 || !isLetters(part)) {
			return language.Und, false
		}
		if len(part) < 2 || len(part) > 8 || !isAlnum(part) {
			return language.Und, false
		}
	}
	if name[len(name)-1] == '-' || name[len(name)-1] == '_' {
		return language.Und, false
	}
	t, err := corpora.ParseLang(name)
	if err != nil || t == language.Und {
		return language.Und, false
	}
	// Three-letter codes are taken only for languages that also have a
	// two-letter one ("eng", "spa"): too many column names ("pos", "ref")
	// are also rare ISO 639-3 codes.
	if base, _ := t.Base(); len(base.String()) != 2 {
		return language.Und, false
	}
	return t, true
}

func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

func isAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9') && !(c|0x20 >= 'a' && c|0x20 <= 'z') {
			return false
		}
	}
	return true
}

// classify returns the role of a header cell and, for roleLang, its
// language. Role names win over language codes: "id" is an identifier
// column, not Indonesian.
func classify(name string) (role, language.Tag) {
	if r, ok := roleNames[fold(name)]; ok {
		return r, language.Und
	}
	if t, ok := headerLang(name); ok {
		return roleLang, t
	}
	return roleNone, language.Und
}

// propCol is a column kept as a property.
type propCol struct {
	idx  int
	name string
}

// layout maps the cells of a row to unit fields.
type layout struct {
	header bool // the first row named the columns
	n      int  // cells a row must have; 0 without a header
	source int
	target int
	// srcLangCol and tgtLangCol are the columns that give a language per
	// row, or -1.
	srcLangCol, tgtLangCol int
	id, domain, context    int
	status                 int
	notes                  []int
	props                  []propCol
	// srcLang and tgtLang are the languages the header names the source and
	// target columns by, or Und.
	srcLang, tgtLang language.Tag
	// langCols lists the language-named columns, for error messages.
	langCols []string
}

// headerless is the layout of a table without a header: source, target,
// then notes.
func headerless() *layout {
	return &layout{source: 0, target: 1, srcLangCol: -1, tgtLangCol: -1,
		id: -1, domain: -1, context: -1, status: -1}
}

// looksLikeHeader reports whether a first row names both a source and a
// target column, by role or by language code.
func looksLikeHeader(cells []string) bool {
	var src, tgt bool
	langs := 0
	for _, c := range cells {
		r, _ := classify(c)
		switch r {
		case roleSource:
			src = true
		case roleTarget:
			tgt = true
		case roleLang:
			langs++
		}
	}
	switch {
	case src && tgt:
		return true
	case src || tgt:
		return langs >= 1
	}
	return langs >= 2
}

// newLayout maps a header row. want* are the languages the caller asked for
// (Und for any); they pick among columns named by languages. A problem with
// the header is returned as a message for a ParseError.
func newLayout(cells []string, wantSrc, wantTgt language.Tag) (*layout, error) {
	l := &layout{header: true, n: len(cells), source: -1, target: -1, srcLangCol: -1, tgtLangCol: -1,
		id: -1, domain: -1, context: -1, status: -1}
	langs, err := l.assignRoles(cells)
	if err != nil {
		return nil, err
	}
	if l.source >= 0 && l.target >= 0 {
		// Named source and target columns: columns named like languages
		// are only properties.
		langs = nil
	}
	if l.source < 0 {
		if l.source, l.srcLang, err = l.pickLang(langs, wantSrc, "source"); err != nil {
			return nil, err
		}
	}
	if l.target < 0 {
		if l.target, l.tgtLang, err = l.pickLang(langs, wantTgt, "target"); err != nil {
			return nil, err
		}
	}
	// Columns named by a language that are neither source nor target stay
	// properties: a multilingual table yields the one pair asked for.
	// Positional fallback for a forced header that names neither.
	for _, c := range []*int{&l.source, &l.target} {
		if *c >= 0 {
			continue
		}
		for i := range cells {
			if i != l.source && i != l.target && l.free(i) {
				*c = i
				break
			}
		}
	}
	if l.source < 0 || l.target < 0 {
		return nil, fmt.Errorf("header has %s; a parallel table needs a source and a target column", plural(len(cells), "column", "columns"))
	}
	// A column taken positionally may have been a property.
	props := l.props[:0]
	for _, p := range l.props {
		if p.idx != l.source && p.idx != l.target {
			props = append(props, p)
		}
	}
	l.props = props
	return l, nil
}

// langCol is a header column named by a language.
type langCol struct {
	idx int
	tag language.Tag
}

// assignRoles gives each header cell its role in l, and returns the
// columns named by a language.
func (l *layout) assignRoles(cells []string) ([]langCol, error) {
	var langs []langCol
	seen := map[role]string{}
	for i, c := range cells {
		r, tag := classify(c)
		if r != roleNone && r != roleLang && r != roleNote {
			if prev, dup := seen[r]; dup {
				return nil, fmt.Errorf("header names columns %q and %q that mean the same; rename one", prev, c)
			}
			seen[r] = c
		}
		switch r {
		case roleSource:
			l.source = i
		case roleTarget:
			l.target = i
		case roleSourceLang:
			l.srcLangCol = i
		case roleTargetLang:
			l.tgtLangCol = i
		case roleID:
			l.id = i
		case roleDomain:
			l.domain = i
		case roleContext:
			l.context = i
		case roleStatus:
			l.status = i
		case roleNote:
			l.notes = append(l.notes, i)
		case roleLang:
			langs = append(langs, langCol{i, tag})
			l.langCols = append(l.langCols, strings.TrimSpace(c))
			fallthrough
		default:
			if name := strings.TrimSpace(c); name != "" {
				l.props = append(l.props, propCol{i, name})
			}
		}
	}
	return langs, nil
}

// pickLang takes the first language column that want covers and that is
// not used yet.
func (l *layout) pickLang(langs []langCol, want language.Tag, what string) (int, language.Tag, error) {
	for _, lc := range langs {
		if lc.idx != l.source && corpora.LangMatches(want, lc.tag) {
			return lc.idx, lc.tag, nil
		}
	}
	if want == language.Und || len(langs) == 0 {
		return -1, language.Und, nil
	}
	return -1, language.Und, fmt.Errorf("header names columns in %s but none in the requested %s language %s: %w",
		strings.Join(l.langCols, ", "), what, want, corpora.ErrNotBilingual)
}

// free reports whether column i holds nothing but perhaps a property.
func (l *layout) free(i int) bool {
	for _, c := range []int{l.srcLangCol, l.tgtLangCol, l.id, l.domain, l.context, l.status} {
		if c == i {
			return false
		}
	}
	for _, c := range l.notes {
		if c == i {
			return false
		}
	}
	return true
}
