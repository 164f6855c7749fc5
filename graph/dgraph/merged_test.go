package dgraph_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/kgmem/kgmem/graph"
)

// TestUpsertMerged: UpsertMerged reports the segments of the batch the
// store already held, with every file's sources, and only those.
func TestUpsertMerged(t *testing.T) {
	s := open(t, serverAddr(t), namespace(t))
	defer s.Close()
	ctx := context.Background()
	seg := func(file, src string) graph.Segment {
		return graph.Segment{ID: graph.SegmentID("en", "es", src, "x"), SourceLang: "en", TargetLang: "es", Source: src, Target: "x",
			Sources: []graph.Source{{File: file, Count: 1, Units: []string{"#1"}}}}
	}
	if err := s.Upsert(ctx, &graph.Batch{Source: "a", Segments: []graph.Segment{seg("a", "one"), seg("a", "two")}}); err != nil {
		t.Fatal(err)
	}
	var got []graph.Segment
	err := s.UpsertMerged(ctx, &graph.Batch{Source: "b", Segments: []graph.Segment{seg("b", "two"), seg("b", "three")}},
		func(sg graph.Segment) { got = append(got, sg) })
	if err != nil {
		t.Fatal(err)
	}
	stored, err := s.Segment(ctx, seg("b", "two").ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != stored.ID || !reflect.DeepEqual(got[0].Sources, stored.Sources) || len(stored.Sources) != 2 {
		t.Errorf("UpsertMerged reported %+v; want the segment \"two\" as stored: %+v", got, stored)
	}
}
