package evaluate

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// fixedReport is a report with every part filled, for the golden tests.
func fixedReport() *Report {
	lev := func(exact, none int) map[string]Band {
		m := map[string]Band{}
		for _, b := range bandOrder {
			m[b] = Band{}
		}
		m["100"] = Band{Segments: exact, Share: 100 * float64(exact) / 4}
		m["no match"] = Band{Segments: none, Share: 100 * float64(none) / 4}
		return m
	}
	return &Report{
		Test: "dev.tsv", Model: "apertium", SourceLang: "en", TargetLang: "es",
		TestPairs: 6, ExactInMemory: 2, ExcludedExact: 2, Scored: 4, Terms: 3,
		Configs: []ConfigReport{
			{Config: Ablations()[0], Label: Ablations()[0].Label(), Segments: 4,
				Scores:   Scores{BLEU: 61.234, ChrF: 75.5, ChrFPP: 73.25, TER: 30.125, TermAccuracy: ptr(100), TermConsistency: ptr(50), PlaceholderAccuracy: ptr(100)},
				Leverage: lev(2, 2), Statuses: map[string]int{"exact": 2, "machine": 2},
				LatencyMS: Latency{P50: 1.5, P95: 3.25}, SegmentsPerSecond: 600, Seconds: 0.01,
				Hypotheses: []string{"a", "b", "c", "d"}},
			{Config: Ablations()[3], Label: Ablations()[3].Label(), Segments: 3, Partial: true,
				Scores:   Scores{BLEU: 20, ChrF: 45.678, ChrFPP: 42, TER: 70, TermAccuracy: ptr(66.6667)},
				Leverage: lev(0, 3), Statuses: map[string]int{"machine": 3},
				LatencyMS: Latency{P50: 2, P95: 2.5}, SegmentsPerSecond: 400.25,
				Hypotheses: []string{"a", "b <x> & \"c\""}},
		},
		Online: &OnlineReport{Config: "none", Block: 2, LearnEvery: 1, Segments: 4,
			Learning: Scores{ChrF: 80, BLEU: 60, TermAccuracy: ptr(100)}, Without: Scores{ChrF: 75.5, BLEU: 61.234},
			Blocks: []OnlineBlock{{From: 1, To: 2, ChrF: 70, ChrFWithout: 71, Exact: 1, ExactWithout: 1},
				{From: 3, To: 4, ChrF: 90, ChrFWithout: 80, Exact: 2, ExactWithout: 1}},
			Statuses:  map[string]int{"exact": 3, "machine": 1},
			LatencyMS: Latency{P50: 4, P95: 8}, LearnLatencyMS: Latency{P50: 20, P95: 40},
			Hypotheses: []string{"a", "b", "c", "d"}},
		Excluded:   []ExcludedPair{{"Open", "Abrir"}, {"Save", "Guardar"}},
		Sources:    []string{"s1", "s2", "s3", "s4"},
		References: []string{"r1", "r2", "r3", "r4"},
	}
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it):\n%s", name, got)
	}
}

func TestMarkdownGolden(t *testing.T) {
	tests := []struct {
		name string
		r    func() *Report
	}{
		{"report.md", fixedReport},
		{"report-allow-exact.md", func() *Report {
			r := fixedReport()
			r.AllowExact, r.ExcludedExact, r.Scored, r.Online, r.Terms = true, 0, 6, nil, 0
			return r
		}},
		{"report-partial.md", func() *Report {
			r := fixedReport()
			r.Partial, r.Online.Partial, r.ExactInMemory, r.ExcludedExact = true, true, 0, 0
			r.Online.LearnEvery = 2
			return r
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := Markdown(&b, tt.r()); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name, b.Bytes())
		})
	}
}

func TestTableGolden(t *testing.T) {
	var b bytes.Buffer
	if err := WriteTable(&b, fixedReport()); err != nil {
		t.Fatal(err)
	}
	golden(t, "table.txt", b.Bytes())
}

// parseSVG decodes every token of an SVG document and counts its elements.
func parseSVG(t *testing.T, svg []byte) map[string]int {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(svg))
	counts := map[string]int{}
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("the chart is not well-formed XML: %v\n%s", err, svg)
		}
		if s, ok := tok.(xml.StartElement); ok {
			counts[s.Name.Local]++
		}
	}
	if counts["svg"] != 1 {
		t.Errorf("the chart has %d <svg> elements, want 1", counts["svg"])
	}
	if bytes.Contains(svg, []byte("NaN")) || bytes.Contains(svg, []byte("Inf")) {
		t.Errorf("the chart has a NaN or Inf coordinate:\n%s", svg)
	}
	return counts
}

func TestChart(t *testing.T) {
	oneBlock := fixedReport()
	oneBlock.Online.Blocks = oneBlock.Online.Blocks[:1]
	flat := fixedReport()
	for i := range flat.Online.Blocks {
		flat.Online.Blocks[i].ChrF, flat.Online.Blocks[i].ChrFWithout = 100, 100
	}
	tests := []struct {
		name      string
		r         *Report
		bars      int // bar <rect>s, besides the background and legend
		polylines int
	}{
		{"full", fixedReport(), 4, 2},
		{"one block", oneBlock, 4, 2},
		{"flat at 100", flat, 4, 2},
		{"empty", &Report{Configs: []ConfigReport{}}, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := Chart(&b, tt.r); err != nil {
				t.Fatal(err)
			}
			counts := parseSVG(t, b.Bytes())
			legends := 2
			if tt.polylines > 0 {
				legends = 4
			}
			if got := counts["rect"] - 1 - legends; got != tt.bars || counts["polyline"] != tt.polylines {
				t.Errorf("chart has %d bars and %d lines, want %d and %d", got, counts["polyline"], tt.bars, tt.polylines)
			}
		})
	}
	var b bytes.Buffer
	if err := Chart(&b, fixedReport()); err != nil {
		t.Fatal(err)
	}
	golden(t, "chart.svg", b.Bytes())
}

func TestReportJSONKeys(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, fixedReport()); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	has := func(m map[string]any, where string, keys ...string) {
		for _, k := range keys {
			if _, ok := m[k]; !ok {
				t.Errorf("JSON %s has no %q: %v", where, k, m)
			}
		}
	}
	has(got, "report", "configs", "excluded_exact", "exact_in_memory", "test_pairs", "scored_pairs", "online", "partial", "model")
	configs, _ := got["configs"].([]any)
	if len(configs) != 2 {
		t.Fatalf("JSON configs = %v, want 2", got["configs"])
	}
	c := configs[0].(map[string]any)
	has(c, "config", "name", "bleu", "chrf", "chrfpp", "ter", "term_accuracy", "term_consistency", "placeholder_accuracy",
		"leverage", "latency_ms", "segments_per_second", "segments", "statuses")
	has(c["latency_ms"].(map[string]any), "latency_ms", "p50", "p95")
	has(c["leverage"].(map[string]any), "leverage", bandOrder...)
	if c2 := configs[1].(map[string]any); c2["placeholder_accuracy"] != nil || c2["partial"] != true {
		t.Errorf("JSON of a partial configuration without placeholders: %v, want placeholder_accuracy null and partial true", c2)
	}
	on := got["online"].(map[string]any)
	has(on, "online", "config", "block", "blocks", "learning", "without_learning", "latency_ms", "learn_latency_ms")
	has(on["blocks"].([]any)[0].(map[string]any), "online block", "from", "to", "chrf", "chrf_without_learning", "exact", "exact_without_learning")
}

func TestWriteDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	r := fixedReport()
	if err := WriteDir(dir, r); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{ // file → lines
		"src.txt": 4, "ref.txt": 4, "hyp-none.txt": 4, "hyp-tm+kg.txt": 2, "hyp-online.txt": 4, "excluded.tsv": 3,
		"report.json": -1, "report.md": -1, "chart.svg": -1,
	}
	for name, lines := range want {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("WriteDir wrote no %s: %v", name, err)
			continue
		}
		if lines >= 0 && strings.Count(string(b), "\n") != lines {
			t.Errorf("%s has %d lines, want %d", name, strings.Count(string(b), "\n"), lines)
		}
	}
	b, _ := os.ReadFile(filepath.Join(dir, "chart.svg"))
	parseSVG(t, b)
	var back Report
	b, _ = os.ReadFile(filepath.Join(dir, "report.json"))
	if err := json.Unmarshal(b, &back); err != nil || back.Scored != r.Scored || len(back.Configs) != 2 || back.Online == nil {
		t.Errorf("report.json reads back as %+v (%v)", back, err)
	}
}
