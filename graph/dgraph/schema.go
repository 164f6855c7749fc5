package dgraph

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/dgraph-io/dgo/v230/protos/api"
)

// Predicate names. Every predicate the store writes starts with "kg." so
// that it can share a Dgraph cluster with other applications.
const (
	predEID       = "kg.eid"        // entity: namespaced external ID
	predFID       = "kg.fid"        // fact: namespaced external ID
	predSID       = "kg.sid"        // segment: namespaced external ID
	predStateFile = "kg.state_file" // source state: namespaced file name
	predFiles     = "kg.files"      // entity, fact, segment: namespaced files that wrote it

	predType = "kg.type" // entity
	predKey  = "kg.key"  // entity

	predSubject   = "kg.subject"    // fact → entity
	predObject    = "kg.object"     // fact → entity
	predPred      = "kg.pred"       // fact
	predLiteral   = "kg.literal"    // fact, @lang
	predFact      = "kg.fact"       // fact: JSON factData (language tag as given, status, weight, count, sources, valid from)
	predValidTo   = "kg.valid_to"   // fact
	predLabelKey  = "kg.label_key"  // label fact: namespace/text NUL base language
	predLabelFold = "kg.label_fold" // label fact whose folded text differs: namespace/folded text NUL base language

	predSegment  = "kg.segment"  // segment: JSON graph.Segment without its ID
	predHash     = "kg.hash"     // source state
	predUnits    = "kg.units"    // source state
	predComplete = "kg.complete" // source state
	predUpdated  = "kg.updated"  // source state
)

// predSpec is one predicate of the schema.
type predSpec struct {
	Name    string
	Type    string // string, int, float, bool, datetime, uid
	List    bool
	Index   string // tokenizer, "" for none
	Upsert  bool
	Reverse bool
	Lang    bool
}

// schema is the store's Dgraph schema. External IDs are indexed exactly and
// carry @upsert, so that two transactions creating the same node conflict
// and one of them is retried. Label keys are indexed exactly (not by term)
// because lookups compare whole labels. Subject and object are reversed so
// that an entity's facts and its neighbours in both directions are one hop
// away.
var schema = []predSpec{
	{Name: predEID, Type: "string", Index: "exact", Upsert: true},
	{Name: predFID, Type: "string", Index: "exact", Upsert: true},
	{Name: predSID, Type: "string", Index: "exact", Upsert: true},
	{Name: predStateFile, Type: "string", Index: "exact", Upsert: true},
	{Name: predFiles, Type: "string", List: true, Index: "exact"},
	{Name: predType, Type: "string"},
	{Name: predKey, Type: "string"},
	{Name: predSubject, Type: "uid", Reverse: true},
	{Name: predObject, Type: "uid", Reverse: true},
	{Name: predPred, Type: "string"},
	{Name: predLiteral, Type: "string", Lang: true},
	{Name: predFact, Type: "string"},
	{Name: predValidTo, Type: "datetime"},
	{Name: predLabelKey, Type: "string", Index: "exact"},
	{Name: predLabelFold, Type: "string", Index: "exact"},
	{Name: predSegment, Type: "string"},
	{Name: predHash, Type: "string"},
	{Name: predUnits, Type: "int"},
	{Name: predComplete, Type: "bool"},
	{Name: predUpdated, Type: "datetime"},
}

// String renders the predicate in Dgraph's schema language.
func (p predSpec) String() string {
	var b strings.Builder
	b.WriteString(p.Name)
	b.WriteString(": ")
	if p.List {
		b.WriteString("[" + p.Type + "]")
	} else {
		b.WriteString(p.Type)
	}
	if p.Index != "" {
		b.WriteString(" @index(" + p.Index + ")")
	}
	if p.Upsert {
		b.WriteString(" @upsert")
	}
	if p.Reverse {
		b.WriteString(" @reverse")
	}
	if p.Lang {
		b.WriteString(" @lang")
	}
	b.WriteString(" .")
	return b.String()
}

// schemaText renders the whole schema for Alter.
func schemaText() string {
	lines := make([]string, len(schema))
	for i, p := range schema {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n") + "\n"
}

// schemaQuery asks the server for the current definition of our predicates.
func schemaQuery() string {
	names := make([]string, len(schema))
	for i, p := range schema {
		names[i] = p.Name
	}
	return "schema(pred: [" + strings.Join(names, ", ") + "]) { type index tokenizer reverse upsert lang list }"
}

// serverPred is one predicate as the server describes it.
type serverPred struct {
	Predicate string   `json:"predicate"`
	Type      string   `json:"type"`
	Index     bool     `json:"index"`
	Tokenizer []string `json:"tokenizer"`
	Reverse   bool     `json:"reverse"`
	Upsert    bool     `json:"upsert"`
	Lang      bool     `json:"lang"`
	List      bool     `json:"list"`
}

// schemaMissing returns the predicates of schema that the server's schema
// (the JSON answer of schemaQuery) lacks or defines differently.
func schemaMissing(answer []byte) ([]predSpec, error) {
	var resp struct {
		Schema []serverPred `json:"schema"`
	}
	if err := json.Unmarshal(answer, &resp); err != nil {
		return nil, fmt.Errorf("decode schema: %w", err)
	}
	have := make(map[string]serverPred, len(resp.Schema))
	for _, p := range resp.Schema {
		have[p.Predicate] = p
	}
	var out []predSpec
	for _, want := range schema {
		got, ok := have[want.Name]
		if !ok || got.Type != want.Type || got.List != want.List || got.Upsert != want.Upsert ||
			got.Reverse != want.Reverse || got.Lang != want.Lang || got.Index != (want.Index != "") ||
			(want.Index != "" && !slices.Equal(got.Tokenizer, []string{want.Index})) {
			out = append(out, want)
		}
	}
	return out, nil
}

// ensureSchema alters the predicates the server lacks: an Alter with an
// unchanged schema is harmless but goes through consensus, and many
// processes open stores. Dgraph gives a new predicate to the group of the
// alpha that first handles it, so on a cluster the predicates are created
// through the alphas in turn, and every group serves some from the start
// (zero's rebalancing would only move them minutes later).
func (s *Store) ensureSchema(ctx context.Context) error {
	txn := s.dg.NewReadOnlyTxn()
	defer txn.Discard(ctx)
	resp, err := txn.Query(ctx, schemaQuery())
	if err != nil {
		return fmt.Errorf("read schema: %w", err)
	}
	missing, err := schemaMissing(resp.Json)
	if err != nil || len(missing) == 0 {
		return err
	}
	ops := []*api.Operation{{Schema: schemaText()}}
	if len(s.alpha) > 1 {
		ops = ops[:0]
		for _, p := range missing {
			ops = append(ops, &api.Operation{Schema: p.String()})
		}
	}
	for i, op := range ops {
		dg := s.alpha[i%len(s.alpha)]
		err := s.retry(ctx, "alter schema", func(ctx context.Context) error {
			if err := dg.Alter(ctx, op); err != nil {
				return fmt.Errorf("alter schema: %w", err)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
