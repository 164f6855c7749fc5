package dgraph_test

import (
	"context"
	"reflect"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/graph/dgraph"
)

// TestSourceSegments checks that SourceSegments lists exactly the segments
// whose sources name the file, across pages, and none of its entities or
// facts.
func TestSourceSegments(t *testing.T) {
	addr := serverAddr(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := dgraph.Open(ctx, addr, dgraph.Options{Namespace: namespace(t), ReadBatch: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	write := func(file string, n int, shared string) []string {
		b, _ := smallBatch(file, file+" term")
		b.Segments = nil
		var ids []string
		for i := range n {
			src := file + " sentence " + strconv.Itoa(i)
			sg := graph.Segment{ID: graph.SegmentID("en", "es", src, src), SourceLang: "en", TargetLang: "es", Source: src, Target: src,
				Sources: []graph.Source{{File: file, Count: 1}}}
			b.Segments = append(b.Segments, sg)
			ids = append(ids, sg.ID)
		}
		if shared != "" {
			b.Segments = append(b.Segments, graph.Segment{ID: graph.SegmentID("en", "es", shared, shared), SourceLang: "en", TargetLang: "es",
				Source: shared, Target: shared, Sources: []graph.Source{{File: file, Count: 1}}})
			ids = append(ids, b.Segments[len(b.Segments)-1].ID)
		}
		if err := s.Upsert(ctx, b); err != nil {
			t.Fatal(err)
		}
		sort.Strings(ids)
		return ids
	}
	a := write("a.tmx", 7, "in both files")
	b := write("b.tmx", 2, "in both files")
	tests := []struct {
		file string
		want []string
	}{
		{"a.tmx", a},
		{"b.tmx", b},
		{"nosuch.tmx", nil},
	}
	for _, tt := range tests {
		got, err := s.SourceSegments(ctx, tt.file)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("SourceSegments(%q) = %v, want %v", tt.file, got, tt.want)
		}
	}
}
