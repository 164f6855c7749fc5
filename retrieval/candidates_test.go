package retrieval

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/graph/embedded"
)

func TestFieldLength(t *testing.T) {
	for _, n := range []int{1, 2, 3, 7, 16, 117, 500, 4000} {
		// What Bleve keeps: 1/√length, as a float32.
		norm := float64(float32(1 / math.Sqrt(float64(n))))
		if got := fieldLength(norm); got != n {
			t.Errorf("fieldLength(%v) = %d, want %d", norm, got, n)
		}
	}
	if got := fieldLength(0); got != 0 {
		t.Errorf("fieldLength(0) = %d, want 0", got)
	}
}

// TestLookupLanguages checks the language filters of the candidate step,
// with several shards: several target languages for one source language,
// and a source language without a field of its own (Swedish, in "und").
func TestLookupLanguages(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := embedded.Open(ctx, filepath.Join(dir, "graph.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	mk := func(sl, tl, src, tgt string) graph.Segment {
		return graph.Segment{ID: graph.SegmentID(sl, tl, src, tgt), SourceLang: sl, TargetLang: tl, Source: src, Target: tgt,
			Sources: []graph.Source{{File: "m.tmx", Count: 1, Units: []string{"#1"}}}}
	}
	var segs []graph.Segment
	for i := 0; i < 40; i++ {
		segs = append(segs,
			mk("en", "es", fmt.Sprintf("Open the file number %d now", i), fmt.Sprintf("Abre el archivo %d ahora", i)),
			mk("en", "fr", fmt.Sprintf("Open the file number %d now", i), fmt.Sprintf("Ouvre le fichier %d maintenant", i)),
			mk("sv", "en", fmt.Sprintf("Öppna filen nummer %d nu", i), fmt.Sprintf("Open the file number %d now", i)),
			mk("da", "en", fmt.Sprintf("Åbn filen nummer %d nu", i), fmt.Sprintf("Open the file number %d now", i)))
	}
	writeFile(ctx, t, st, "m.tmx", segs, nil, nil)
	x, err := Open(ctx, Dir(dir), Options{Shards: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if _, err := x.CatchUp(ctx, st); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		q        Query
		wantLang string // the target language of every match
		want     int    // matches
	}{
		{Query{Text: "Open the file number 7 now", SourceLang: "en", TargetLang: "fr", Limit: 10}, "fr", 10},
		{Query{Text: "Open the file number 7 now", SourceLang: "en", TargetLang: "es", Limit: 10}, "es", 10},
		{Query{Text: "Open the file number 7 now", SourceLang: "en", TargetLang: "de", Limit: 10}, "", 0},
		{Query{Text: "Öppna filen nummer 7 nu", SourceLang: "sv", TargetLang: "en", Limit: 10}, "en", 10},
		{Query{Text: "Öppna filen nummer 7", SourceLang: "sv", Limit: 3}, "en", 3},
	}
	for _, tt := range tests {
		ms, err := x.Lookup(ctx, tt.q)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) != tt.want {
			t.Errorf("Lookup(%q, %s→%s) = %d matches, want %d", tt.q.Text, tt.q.SourceLang, tt.q.TargetLang, len(ms), tt.want)
		}
		for _, m := range ms {
			if m.TargetLang != tt.wantLang || m.SourceLang != tt.q.SourceLang {
				t.Errorf("Lookup(%q, %s→%s) matched %s→%s %q", tt.q.Text, tt.q.SourceLang, tt.q.TargetLang, m.SourceLang, m.TargetLang, m.Source)
			}
		}
		if len(ms) > 0 && ms[0].Source != "Open the file number 7 now" && ms[0].Source != "Öppna filen nummer 7 nu" {
			t.Errorf("Lookup(%q) best = %q", tt.q.Text, ms[0].Source)
		}
	}
}

// TestLookupExhaustive checks the early stop against a scan of every
// segment: on a memory small enough to score whole, Lookup returns the
// best Limit matches an exhaustive scan finds, in the same order.
func TestLookupExhaustive(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := embedded.Open(ctx, filepath.Join(dir, "graph.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ps := readPairs(t, "tico19", "en-es.dev.tsv")
	segs := segmentsOf("tico.tsv", ps)
	writeSegments(ctx, t, st, "tico.tsv", segs)
	x, err := Open(ctx, Dir(dir), Options{Shards: 2, Candidates: 1_000_000})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if _, err := x.CatchUp(ctx, st); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(ps); i += 11 {
		q := ps[i].source[:len(ps[i].source)*2/3]
		var want []string
		var all []Match
		for _, sg := range segs {
			if s := Similarity(q, sg.Source); s >= 50 {
				all = append(all, Match{Score: s, ID: sg.ID, Status: sg.Status})
			}
		}
		sort.Slice(all, func(i, j int) bool { return better(&all[i], &all[j]) })
		for _, m := range all[:min(len(all), 3)] {
			want = append(want, fmt.Sprintf("%d %s", m.Score, m.ID))
		}
		ms, err := x.Lookup(ctx, Query{Text: q, SourceLang: "en", TargetLang: "es", Min: 50, Limit: 3})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range ms {
			got = append(got, fmt.Sprintf("%d %s", m.Score, m.ID))
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Lookup(%q) = %v, want %v", q, got, want)
		}
	}
}
