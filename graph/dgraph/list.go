package dgraph

import (
	"context"
	"fmt"

	"github.com/kgmem/kgmem/graph"
)

var _ graph.Lister = (*Store)(nil)

// EachEntity calls fn for every entity of the namespace, in ID order,
// without its labels.
func (s *Store) EachEntity(ctx context.Context, fn func(*graph.Entity) error) error {
	const sel = "uid " + predEID + " " + predType + " " + predKey
	return walk(ctx, s, predEID, sel, func(n *entityNode) string { return n.EID }, func(n *entityNode) error {
		e := graph.Entity{ID: s.sp.unkey(n.EID), Type: graph.EntityType(n.Type), Key: n.Key}
		return fn(&e)
	})
}

// EachFact calls fn for every fact of the namespace, superseded ones
// included, in ID order.
func (s *Store) EachFact(ctx context.Context, fn func(*graph.Fact) error) error {
	const sel = factScalarSel + " " + predSubject + " { " + predEID + " } " + predObject + " { " + predEID + " }"
	return walk(ctx, s, predFID, sel, func(n *factNode) string { return n.FID }, func(n *factNode) error {
		f, err := n.fact(s.sp, "")
		if err != nil {
			return fmt.Errorf("dgraph: facts: %w", err)
		}
		return fn(&f)
	})
}
