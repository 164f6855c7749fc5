package dgraph

import (
	"strconv"
	"strings"
)

// The DQL the store sends. Queries are constant text plus variable names
// the store generates; every value that comes from data (IDs, labels, file
// names) travels in Request.Vars.

// Selections of the fields each kind of node is read with.
const (
	labelSel  = predLiteral + "@* " + predFact
	entitySel = "uid " + predEID + " " + predType + " " + predKey +
		" labels: ~" + predSubject + " @filter(has(" + predLabelKey + ") AND NOT has(" + predValidTo + ")) { " + labelSel + " }"
	factScalarSel = "uid " + predFID + " " + predPred + " " + predLiteral + "@* " + predFact + " " + predValidTo
	segmentSel    = "uid " + predSID + " " + predSegment
	stateSel      = "uid " + predStateFile + " " + predHash + " " + predUnits + " " + predComplete + " " + predUpdated

	// The stored state Upsert merges into: everything vals compares, and
	// the files.
	entityLookupSel = "uid " + predEID + " " + predType + " " + predKey + " " + predFiles
	factLookupSel   = factScalarSel + " " + predFiles + " " + predLabelKey + " " + predLabelFold +
		" " + predSubject + " { uid } " + predObject + " { uid }"
	segmentLookupSel = segmentSel + " " + predFiles

	// What DeleteSource reads of every node a file wrote.
	deleteSel = "uid " + predEID + " " + predFID + " " + predSID + " " + predFiles + " " + predFact + " " + predSegment +
		" " + predSubject + " { uid } " + predObject + " { uid }" +
		" nsubject: count(~" + predSubject + ") nobject: count(~" + predObject + ")"
	refCountSel = "uid " + predFiles + " nsubject: count(~" + predSubject + ") nobject: count(~" + predObject + ")"
)

// query builds one parameterised DQL query: blocks add text with
// placeholders returned by param, and every value goes to vars.
type query struct {
	decl   []string
	vars   map[string]string
	blocks []string
}

func newQuery() *query { return &query{vars: map[string]string{}} }

// param declares a new variable of type typ with the value v and returns
// its name ($v0, $v1…).
func (q *query) param(typ, v string) string {
	name := "$v" + strconv.Itoa(len(q.decl))
	q.decl = append(q.decl, name+": "+typ)
	q.vars[name] = v
	return name
}

// str declares a string variable.
func (q *query) str(v string) string { return q.param("string", v) }

// list declares a string variable per value and returns "[$a, $b, …]", the
// form eq takes for any of several values.
func (q *query) list(vs []string) string {
	names := make([]string, len(vs))
	for i, v := range vs {
		names[i] = q.str(v)
	}
	return "[" + strings.Join(names, ", ") + "]"
}

// block adds a query block.
func (q *query) block(text string) { q.blocks = append(q.blocks, text) }

// String returns the query text.
func (q *query) String() string {
	var b strings.Builder
	b.WriteString("query q(")
	b.WriteString(strings.Join(q.decl, ", "))
	b.WriteString(") {\n")
	for _, bl := range q.blocks {
		b.WriteString("  ")
		b.WriteString(bl)
		b.WriteString("\n")
	}
	b.WriteString("}")
	return b.String()
}

// lookupQuery reads the stored state of the given (namespaced) entity,
// fact and segment keys, in blocks e, f and s, and the uids of the entity
// keys rids in block r.
func lookupQuery(eids, rids, fids, sids []string) *query {
	q := newQuery()
	if len(eids) > 0 {
		q.block("e(func: eq(" + predEID + ", " + q.list(eids) + ")) { " + entityLookupSel + " }")
	}
	if len(rids) > 0 {
		q.block("r(func: eq(" + predEID + ", " + q.list(rids) + ")) { uid " + predEID + " }")
	}
	if len(fids) > 0 {
		q.block("f(func: eq(" + predFID + ", " + q.list(fids) + ")) { " + factLookupSel + " }")
	}
	if len(sids) > 0 {
		q.block("s(func: eq(" + predSID + ", " + q.list(sids) + ")) { " + segmentLookupSel + " }")
	}
	return q
}

// and joins filter terms.
func and(terms ...string) string {
	var out []string
	for _, t := range terms {
		if t != "" {
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		return ""
	}
	return " @filter(" + strings.Join(out, " AND ") + ")"
}

const current = "NOT has(" + predValidTo + ")"
