package embedded

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/kgmem/kgmem/graph"
)

// hostileTexts need escaping or are unusual in some way.
var hostileTexts = []string{
	"", "file", "archivo", "línea de órdenes", `"}) { uid } #`, "$x", `back\slash`,
	"<b>&amp;</b>", "tab\there", "new\nline", "\x00\x01\x1f", "\u2028\u2029", "bad\xffutf8", "\xc3",
	"日本語", "emoji 🙂", "\u007f", "a/b", "%s and {0}",
}

func TestEncodeMatchesJSON(t *testing.T) {
	t0 := time.Date(2026, 11, 29, 11, 30, 0, 123456789, time.UTC)
	madrid := time.FixedZone("CET", 3600)
	var facts []graph.Fact
	for i, s := range hostileTexts {
		f := graph.NewLabel("e1", s, "es", graph.StatusPreferred, 0.25, "/data/"+s, i, "#"+s)
		f.ValidFrom = t0
		facts = append(facts, f)
	}
	weights := []float64{0, 1, -1, 0.1, 1.0 / 3, 1e-7, -1e-7, 1e21, 123456789.125, 5e-324, math.MaxFloat64, 1e20}
	for _, w := range weights {
		f := graph.NewFact("e1", graph.PredCooccurs, "e2", "", "", w, "a.tmx", 2, "")
		f.ValidFrom = t0.In(madrid)
		f.ValidTo = t0.Add(time.Hour)
		facts = append(facts, f)
	}
	facts = append(facts,
		graph.Fact{ID: "f", Subject: "s", Predicate: "p"},                                                       // zero times
		graph.Fact{ID: "f", Subject: "s", Predicate: "p", Sources: []graph.Source{{File: "x"}}},                 // no units
		graph.Fact{ID: "f", Subject: "s", Predicate: "p", Sources: []graph.Source{}, Count: -3},                 // empty, not nil
		graph.Fact{ID: "f", Subject: "s", Predicate: "p", ValidFrom: time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)}, // unencodable
	)
	for i := range facts {
		f := &facts[i]
		want, werr := json.Marshal(f)
		got, gerr := appendFact([]byte("prefix"), f)
		if (werr != nil) != (gerr != nil) {
			t.Errorf("appendFact(%+v) error = %v, want %v", f, gerr, werr)
			continue
		}
		if werr == nil && !bytes.Equal(got, append([]byte("prefix"), want...)) {
			t.Errorf("appendFact(%+v) =\n%s\nwant prefix%s", f, got, want)
		}
	}
	var segs []graph.Segment
	for _, s := range hostileTexts {
		segs = append(segs, graph.Segment{ID: "s" + s, SourceLang: "en", TargetLang: "es-ES", Source: s, Target: s + s,
			Domain: s, Status: "translated", Changed: t0.In(madrid), Prev: s, Next: "next " + s,
			Mentions: []graph.Mention{{Entity: "e1", Side: graph.SideSource, Start: 0, End: len(s)}, {Entity: s, Side: graph.SideTarget, Start: 3, End: 9}},
			Sources:  []graph.Source{{File: s, Count: 2, Units: []string{s, "#2"}}, {File: "b", Count: 1}}})
	}
	segs = append(segs, graph.Segment{}, graph.Segment{ID: "x", Mentions: []graph.Mention{}, Changed: t0})
	for i := range segs {
		sg := &segs[i]
		want, werr := json.Marshal(sg)
		got, gerr := appendSegment(nil, sg)
		if werr != nil || gerr != nil {
			t.Errorf("appendSegment(%+v) error = %v, json error %v", sg, gerr, werr)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("appendSegment(%+v) =\n%s\nwant\n%s", sg, got, want)
		}
	}
}

func FuzzEncode(f *testing.F) {
	for _, s := range hostileTexts {
		f.Add(s, s, 0.5, int64(0), 3)
	}
	f.Add("x", "y", 1e-9, int64(-62135596800), -1)
	f.Fuzz(func(t *testing.T, a, b string, w float64, sec int64, n int) {
		tm := time.Unix(sec, int64(n)).UTC()
		fact := graph.NewLabel(a, b, a, graph.Status(b), w, b, n, a)
		fact.ValidFrom, fact.ValidTo = tm, tm.In(time.FixedZone("z", n%100000))
		want, werr := json.Marshal(&fact)
		got, gerr := appendFact(nil, &fact)
		if (werr != nil) != (gerr != nil) || (werr == nil && !bytes.Equal(got, want)) {
			t.Fatalf("appendFact = %s, %v; json.Marshal = %s, %v", got, gerr, want, werr)
		}
		sg := graph.Segment{ID: a, Source: b, Target: a, Changed: tm, Prev: b,
			Mentions: []graph.Mention{{Entity: b, Side: graph.Side(a), Start: n, End: -n}},
			Sources:  []graph.Source{{File: a, Count: n, Units: []string{b}}}}
		want, werr = json.Marshal(&sg)
		got, gerr = appendSegment(nil, &sg)
		if (werr != nil) != (gerr != nil) || (werr == nil && !bytes.Equal(got, want)) {
			t.Fatalf("appendSegment = %s, %v; json.Marshal = %s, %v", got, gerr, want, werr)
		}
	})
}

// BenchmarkEncodeFact compares the hand encoder with encoding/json.
func BenchmarkEncodeFact(b *testing.B) {
	f := graph.NewLabel("e0123456789abcdef01234567", "línea de órdenes", "es", graph.StatusNone, 0.4375, "/work/shared/data/gettext/en-es.memory.tsv", 22, "#1234")
	f.ValidFrom = time.Now().UTC()
	b.Run("append", func(b *testing.B) {
		var buf []byte
		for b.Loop() {
			buf, _ = appendFact(buf[:0], &f)
		}
	})
	b.Run("json", func(b *testing.B) {
		for b.Loop() {
			_, _ = json.Marshal(&f)
		}
	})
}
