package dgraph_test

import (
	"context"
	"fmt"
	"log"

	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/graph/dgraph"
)

// Open a store on a local Dgraph (scripts/dgraph-local.sh start prints the
// address), write a term with its translation, and look it up by its
// Spanish label, ignoring case. (Not run by go test: it needs a server.)
func ExampleOpen() {
	ctx := context.Background()
	s, err := dgraph.Open(ctx, "127.0.0.1:9080", dgraph.Options{Namespace: "demo"})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	id := graph.EntityID(graph.TypeTerm, "en:file")
	err = s.Upsert(ctx, &graph.Batch{
		Source:   "glossary.tbx",
		Entities: []graph.Entity{{ID: id, Type: graph.TypeTerm, Key: "en:file"}},
		Facts: []graph.Fact{
			graph.NewLabel(id, "file", "en", graph.StatusPreferred, 1, "glossary.tbx", 1, ""),
			graph.NewLabel(id, "archivo", "es", graph.StatusPreferred, 1, "glossary.tbx", 1, ""),
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	es, err := s.EntitiesByLabel(ctx, "Archivo", "es", true)
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range es {
		fmt.Println(e.Key, e.Labels)
	}
}
