package dgraph_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/kgmem/kgmem/graph"
)

// benchBatch is one file's batch as build-graph writes it: segments, each
// mentioning two terms from a shared vocabulary of terms/5 entities, the
// terms' English and Spanish labels, and a co-occurrence fact per segment
// pair of terms. Later files name the same entities and facts again, so
// their Sources are merged, as in a real build.
func benchBatch(file string, segments int) *graph.Batch {
	b := &graph.Batch{Source: file}
	terms := max(segments/5, 2)
	ids := make([]string, terms)
	for i := range terms {
		key := fmt.Sprintf("en:term %d", i)
		ids[i] = graph.EntityID(graph.TypeTerm, key)
		b.Entities = append(b.Entities, graph.Entity{ID: ids[i], Type: graph.TypeTerm, Key: key})
		b.Facts = append(b.Facts,
			graph.NewLabel(ids[i], fmt.Sprintf("term %d", i), "en", graph.StatusNone, 1, file, 5, ""),
			graph.NewLabel(ids[i], fmt.Sprintf("término %d", i), "es", graph.StatusNone, 0.9, file, 5, ""))
	}
	seen := map[string]bool{}
	for i := range segments {
		a, c := i%terms, (i*7+1)%terms
		src := fmt.Sprintf("Open term %d and term %d in %s.", a, c, file)
		tgt := fmt.Sprintf("Abra término %d y término %d en %s.", a, c, file)
		b.Segments = append(b.Segments, graph.Segment{
			ID: graph.SegmentID("en", "es", src, tgt), SourceLang: "en", TargetLang: "es", Source: src, Target: tgt,
			Status: "translated", Changed: time.Date(2026, 3, 15, 10, 0, 0, 0, time.UTC),
			Mentions: []graph.Mention{{Entity: ids[a], Side: graph.SideSource, Start: 5, End: 11}, {Entity: ids[c], Side: graph.SideSource, Start: 16, End: 22}},
			Sources:  []graph.Source{{File: file, Count: 1, Units: []string{fmt.Sprint(i)}}},
		})
		if f := graph.NewFact(ids[a], graph.PredCooccurs, ids[c], "", "", 1.5, file, 1, ""); a != c && !seen[f.ID] {
			seen[f.ID] = true
			b.Facts = append(b.Facts, f)
		}
	}
	return b
}

// BenchmarkUpsert writes batches of a realistic shape into a fresh
// namespace and reports pairs (segments) per second. "new" writes a new
// file each time; "rewrite" writes the same file again, which changes
// nothing (the idempotent re-run of build-graph).
func BenchmarkUpsert(b *testing.B) {
	addr := serverAddr(b)
	ctx := context.Background()
	for _, segments := range []int{100, 1000} {
		for _, mode := range []string{"new", "rewrite"} {
			b.Run(fmt.Sprintf("segments=%d/%s", segments, mode), func(b *testing.B) {
				s := open(b, addr, namespace(b))
				defer s.Close()
				if mode == "rewrite" {
					if err := s.Upsert(ctx, benchBatch("same.tmx", segments)); err != nil {
						b.Fatal(err)
					}
				}
				batches := make([]*graph.Batch, b.N)
				for i := range batches {
					file := "same.tmx"
					if mode == "new" {
						file = fmt.Sprintf("file%d.tmx", i)
					}
					batches[i] = benchBatch(file, segments)
				}
				b.ResetTimer()
				start := time.Now()
				for _, batch := range batches {
					if err := s.Upsert(ctx, batch); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.N*segments)/time.Since(start).Seconds(), "pairs/s")
			})
		}
	}
}
