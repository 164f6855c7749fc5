package tbx

import (
	"encoding/xml"
	"fmt"
	"strings"
)

// Version is the edition of the TBX standard a file follows.
type Version uint8

const (
	// V2019 is ISO 30042:2019: a <tbx> root with <conceptEntry>, <langSec>
	// and <termSec>, in DCA or DCT style.
	V2019 Version = iota
	// V2008 is ISO 30042:2008 (LISA TBX): a <martif> root with <termEntry>,
	// <langSet> and <tig> or <ntig>.
	V2008
)

func (v Version) String() string {
	if v == V2008 {
		return "TBX 2008"
	}
	return "TBX 2019"
}

// names are the element names of the three levels of an entry in one
// edition of the standard.
type names struct {
	entry, lang, termSec string
}

func (v Version) names() names {
	if v == V2008 {
		return names{"termEntry", "langSet", "tig"}
	}
	return names{"conceptEntry", "langSec", "termSec"}
}

// level is where in an entry an element stands.
type level uint8

const (
	atConcept level = iota
	atLang
	atTerm
)

func (l level) String() string {
	return [...]string{"concept", "language", "term"}[l]
}

// place is a set of positions a data category may take, as a bit mask.
type place uint8

const (
	pConcept place = 1 << iota // child of the entry (or main element of a group there)
	pLang                      // child of the language section
	pTerm                      // child of the term section
	pGroup                     // secondary element of a descripGrp, adminGrp or termNoteGrp
	pTransac                   // inside a transacGrp
)

func placeOf(l level) place { return place(1) << l }

// category is a data category as a dialect allows it.
type category struct {
	where  place
	values []string // the picklist; nil for free text
}

// dataCat names a data category: the meta element that carries it in DCA
// style and its type attribute ("descrip", "definition").
type dataCat struct {
	elem, typ string
}

// dctElements maps the element name of a DCT-style data category
// (<min:partOfSpeech>, <basic:definition>) to the DCA element that carries
// the same category, so that both styles are read and checked alike.
var dctElements = map[string]string{
	"subjectField":           "descrip",
	"definition":             "descrip",
	"context":                "descrip",
	"explanation":            "descrip",
	"example":                "descrip",
	"partOfSpeech":           "termNote",
	"administrativeStatus":   "termNote",
	"normativeAuthorization": "termNote",
	"usageStatus":            "termNote",
	"termType":               "termNote",
	"grammaticalGender":      "termNote",
	"grammaticalNumber":      "termNote",
	"termLocation":           "termNote",
	"geographicalUsage":      "termNote",
	"register":               "termNote",
	"source":                 "admin",
	"customerSubset":         "admin",
	"projectSubset":          "admin",
	"transactionType":        "transac",
	"responsibility":         "transacNote",
	"xGraphic":               "xref",
	"externalCrossReference": "xref",
	"crossReference":         "ref",
}

var (
	adminStatusValues = []string{"preferredTerm-admn-sts", "admittedTerm-admn-sts", "deprecatedTerm-admn-sts", "supersededTerm-admn-sts"}
	// usageStatusValues are TBX-Min's; "deprecated" is not in the module
	// but the TBX steward's own valid samples use it.
	usageStatusValues  = []string{"preferred", "admitted", "notRecommended", "obsolete", "deprecated"}
	partOfSpeechValues = []string{"noun", "verb", "adjective", "adverb", "other", "properNoun"}
)

// minCategories are the data categories of TBX-Min.
var minCategories = map[dataCat]category{
	{"descrip", "subjectField"}:          {where: pConcept},
	{"admin", "customerSubset"}:          {where: pTerm},
	{"termNote", "administrativeStatus"}: {where: pTerm, values: adminStatusValues},
	{"termNote", "usageStatus"}:          {where: pTerm, values: usageStatusValues},
	{"termNote", "partOfSpeech"}:         {where: pTerm, values: partOfSpeechValues},
}

// basicCategories are the data categories TBX-Basic adds to TBX-Min.
var basicCategories = map[dataCat]category{
	{"descrip", "definition"}:             {where: pConcept | pLang},
	{"descrip", "context"}:                {where: pTerm},
	{"admin", "source"}:                   {where: pTerm | pGroup},
	{"admin", "projectSubset"}:            {where: pTerm},
	{"termNote", "termType"}:              {where: pTerm, values: []string{"fullForm", "acronym", "abbreviation", "shortForm", "variant", "phrase"}},
	{"termNote", "grammaticalGender"}:     {where: pTerm, values: []string{"masculine", "feminine", "neuter", "other"}},
	{"termNote", "termLocation"}:          {where: pTerm},
	{"transac", "transactionType"}:        {where: pTransac},
	{"transacNote", "responsibility"}:     {where: pTransac},
	{"xref", "xGraphic"}:                  {where: pConcept},
	{"xref", "externalCrossReference"}:    {where: pConcept | pTerm},
	{"ref", "crossReference"}:             {where: pConcept | pTerm},
	{"descripNote", "source"}:             {where: pGroup},
	{"adminNote", "source"}:               {where: pGroup},
	{"termNote", "geographicalUsage"}:     {where: pTerm},
	{"transacNote", "responsibilityNote"}: {where: pTransac},
}

// dialect is what a file's type attribute promises about its content.
type dialect struct {
	name string
	// cats are the data categories allowed, or nil when any is (TBX-Core,
	// custom dialects and every TBX 2008 file).
	cats map[dataCat]category
	// known is true for the dialects whose rules the reader enforces (Core,
	// Min, Basic of TBX 2019): they admit no foreign elements in DCA style.
	known bool
}

func dialectOf(v Version, typ string) dialect {
	d := dialect{name: typ}
	if v != V2019 {
		return d
	}
	switch {
	case strings.EqualFold(typ, "TBX-Core"):
		d.known = true
	case strings.EqualFold(typ, "TBX-Min"):
		d.known = true
		d.cats = minCategories
	case strings.EqualFold(typ, "TBX-Basic"):
		d.known = true
		d.cats = make(map[dataCat]category, len(minCategories)+len(basicCategories))
		for k, v := range minCategories {
			d.cats[k] = v
		}
		for k, v := range basicCategories {
			d.cats[k] = v
		}
	}
	return d
}

// check tells whether the dialect admits data category c at position p
// with the given value, and if not, why.
func (d dialect) check(c dataCat, disp string, p place, value string) error {
	if d.cats == nil {
		return nil
	}
	cat, ok := d.cats[c]
	if !ok {
		return fmt.Errorf("%s is not a data category of %s", disp, d.name)
	}
	if cat.where&p == 0 {
		return fmt.Errorf("%s is not allowed %s in %s; it goes %s", disp, describePlace(p), d.name, describePlace(cat.where))
	}
	if cat.values != nil && !contains(cat.values, value) {
		return fmt.Errorf("%s has value %q, which %s does not allow; use one of %s", disp, value, d.name, strings.Join(cat.values, ", "))
	}
	return nil
}

func describePlace(p place) string {
	var parts []string
	if p&pConcept != 0 {
		parts = append(parts, "at concept level")
	}
	if p&pLang != 0 {
		parts = append(parts, "at language level")
	}
	if p&pTerm != 0 {
		parts = append(parts, "at term level")
	}
	if p&pGroup != 0 {
		parts = append(parts, "inside a descripGrp or adminGrp")
	}
	if p&pTransac != 0 {
		parts = append(parts, "inside a transacGrp")
	}
	switch len(parts) {
	case 0:
		return "nowhere"
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " or " + parts[len(parts)-1]
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// isTBXSpace reports whether an element namespace is TBX's own: none (as in
// TBX 2008) or ISO 30042's URN.
func isTBXSpace(space string) bool {
	return space == "" || strings.HasPrefix(space, "urn:iso:std:iso:30042")
}

// metaElements are the TBX elements that carry a data category in their
// type attribute.
var metaElements = map[string]bool{
	"descrip": true, "admin": true, "termNote": true, "transac": true,
	"transacNote": true, "xref": true, "ref": true, "adminNote": true,
	"descripNote": true,
}

// groupMain maps a group element to the meta element it groups.
var groupMain = map[string]string{
	"descripGrp":  "descrip",
	"adminGrp":    "admin",
	"termNoteGrp": "termNote",
}

// classify returns the data category an element carries: a DCA meta element
// with its type attribute, or a DCT element mapped to its DCA form. ok is
// false for other elements.
func classify(se xml.StartElement) (c dataCat, dct bool, ok bool) {
	if isTBXSpace(se.Name.Space) {
		if metaElements[se.Name.Local] {
			return dataCat{se.Name.Local, attr(se, "type")}, false, true
		}
		return dataCat{}, false, false
	}
	if elem, found := dctElements[se.Name.Local]; found {
		return dataCat{elem, se.Name.Local}, true, true
	}
	return dataCat{}, true, false
}

// attr returns the value of an attribute with no namespace.
// spacePreserve reports whether an element says xml:space="preserve".
func spacePreserve(se xml.StartElement) bool {
	for _, a := range se.Attr {
		if a.Name.Local == "space" && (a.Name.Space == "xml" || a.Name.Space == "http://www.w3.org/XML/1998/namespace") {
			return a.Value == "preserve"
		}
	}
	return false
}

func attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local && (a.Name.Space == "" || isTBXSpace(a.Name.Space)) {
			return a.Value
		}
	}
	return ""
}

// hasAttr reports whether the element has the attribute at all.
func hasAttr(se xml.StartElement, local string) bool {
	for _, a := range se.Attr {
		if a.Name.Local == local && a.Name.Space == "" {
			return true
		}
	}
	return false
}

// elemName returns the element's name as written, with a prefix-like
// namespace shortened for messages.
func elemName(n xml.Name) string {
	if n.Space == "" || isTBXSpace(n.Space) {
		return n.Local
	}
	sp := n.Space
	if i := strings.LastIndexAny(sp, "/:"); i >= 0 && i+1 < len(sp) {
		sp = sp[i+1:]
	}
	return sp + ":" + n.Local
}
