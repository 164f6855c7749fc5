package retrieval_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/graph/embedded"
	"github.com/kgmem/kgmem/retrieval"
)

func ExampleIndex_Lookup() {
	ctx := context.Background()
	dataDir, _ := os.MkdirTemp("", "kgmem-example")
	defer os.RemoveAll(dataDir)

	// The graph store is the system of record: write two segments to it.
	store, _ := embedded.Open(ctx, filepath.Join(dataDir, "graph.db"))
	defer store.Close()
	var segs []graph.Segment
	for _, p := range [][2]string{{"Delete the file", "Eliminar el archivo"}, {"Delete the folder", "Eliminar la carpeta"}} {
		segs = append(segs, graph.Segment{ID: graph.SegmentID("en", "es", p[0], p[1]), SourceLang: "en", TargetLang: "es",
			Source: p[0], Target: p[1], Sources: []graph.Source{{File: "ui.po", Count: 1}}})
	}
	store.SetSourceState(ctx, graph.SourceState{File: "ui.po", Hash: "1", Units: 2, Complete: true})
	store.Upsert(ctx, &graph.Batch{Source: "ui.po", Segments: segs})

	// Open the index of the data directory and bring it up to date.
	x, _ := retrieval.Open(ctx, retrieval.Dir(dataDir), retrieval.Options{})
	defer x.Close()
	x.CatchUp(ctx, store)

	ms, _ := x.Lookup(ctx, retrieval.Query{Text: "Delete the files", SourceLang: "en", TargetLang: "es"})
	for _, m := range ms {
		fmt.Println(m.Score, m.Band, m.Source, "→", m.Target)
	}
	// Output:
	// 66 50-74 Delete the file → Eliminar el archivo
	// 66 50-74 Delete the folder → Eliminar la carpeta
}
