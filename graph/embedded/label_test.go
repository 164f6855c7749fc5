package embedded

import (
	"encoding/json"
	"testing"

	"github.com/kgmem/kgmem/graph"
)

// TestRawPredicate: the predicate of a stored fact is read without
// decoding it, as encoding/json writes graph.Fact; a record laid out
// otherwise is left to decoding.
func TestRawPredicate(t *testing.T) {
	for _, f := range []graph.Fact{
		graph.NewLabel("e1", `say "predicate":"x"`, "es", graph.StatusNone, 1, "f", 1, "#1"),
		graph.NewFact("e1", graph.PredSubterm, "e2", "", "", 1, "f", 1, "#1"),
	} {
		raw, err := json.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		if got, ok := rawPredicate(raw); !ok || string(got) != f.Predicate {
			t.Errorf("rawPredicate(%s) = %q, %v; want %q", raw, got, ok, f.Predicate)
		}
	}
	for _, raw := range []string{`{"literal":"a"}`, `{"id":"a\"b","predicate":"label"}`, `{"predicate":"label`} {
		if got, ok := rawPredicate([]byte(raw)); ok {
			t.Errorf("rawPredicate(%s) = %q, true; want it left to decoding", raw, got)
		}
	}
}
