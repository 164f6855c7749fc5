package evaluate

import (
	"context"
	"errors"
	"math"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/internal/testenv"
	"github.com/kgmem/kgmem/retrieval"
	"github.com/kgmem/kgmem/translate"
)

// novel are pairs that are not in the demo memory.
var novel = [][2]string{
	{"The weather is nice today.", "Hoy hace buen tiempo."},
	{"My brother lives in a small village.", "Mi hermano vive en un pueblo pequeño."},
	{"We will meet at the station at noon.", "Nos veremos en la estación a mediodía."},
	{"The children are playing in the garden.", "Los niños están jugando en el jardín."},
}

// leakTest is a test set built from the demo memory: 5 pairs that are in
// it (source and target), 3 whose source is in it with another reference,
// and the novel pairs.
func leakTest(t *testing.T) (path string, leaked, revised int) {
	t.Helper()
	units := demoUnits(t)
	var pairs [][2]string
	for _, u := range units[:5] {
		pairs = append(pairs, [2]string{u.Source.Plain(), u.Target.Plain()})
	}
	for _, u := range units[5:8] {
		pairs = append(pairs, [2]string{u.Source.Plain(), u.Target.Plain() + " (revisado)"})
	}
	pairs = append(pairs, novel...)
	return writeTSV(t, pairs), 5, 3
}

func readTest(t *testing.T, path string) []Pair {
	t.Helper()
	pairs, from, to, err := ReadPairs(context.Background(), path, language.English, language.Spanish, 0)
	if err != nil {
		t.Fatal(err)
	}
	if from != "en" || to != "es" {
		t.Fatalf("ReadPairs languages = %s, %s, want en, es", from, to)
	}
	return pairs
}

// config returns the report of the configuration named name.
func config(t *testing.T, r *Report, name string) ConfigReport {
	t.Helper()
	for _, c := range r.Configs {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no configuration %q in the report", name)
	return ConfigReport{}
}

// sane checks that every score of c is a number in its range.
func sane(t *testing.T, c ConfigReport) {
	t.Helper()
	for name, v := range map[string]float64{"BLEU": c.BLEU, "chrF": c.ChrF, "chrF++": c.ChrFPP} {
		if math.IsNaN(v) || v < 0 || v > 100 {
			t.Errorf("%s: %s = %v, want 0–100", c.Name, name, v)
		}
	}
	if math.IsNaN(c.TER) || c.TER < 0 {
		t.Errorf("%s: TER = %v, want ≥ 0", c.Name, c.TER)
	}
	n := 0
	for _, b := range c.Leverage {
		n += b.Segments
	}
	if n != c.Segments || len(c.Leverage) != len(bandOrder) {
		t.Errorf("%s: leverage %v counts %d segments in %d bands, want %d in %d", c.Name, c.Leverage, n, len(c.Leverage), c.Segments, len(bandOrder))
	}
	if len(c.Hypotheses) != c.Segments || c.LatencyMS.P50 <= 0 || c.LatencyMS.P95 < c.LatencyMS.P50 || c.SegmentsPerSecond <= 0 {
		t.Errorf("%s: %d hypotheses for %d segments, latency %+v, %.1f segments/s", c.Name, len(c.Hypotheses), c.Segments, c.LatencyMS, c.SegmentsPerSecond)
	}
}

func TestRunAblationsAndLeakageGuard(t *testing.T) {
	mem := openMemory(t, demoMemory(t))
	path, leaked, revised := leakTest(t)
	pairs := readTest(t, path)
	for _, model := range []string{"memory", "apertium"} {
		for _, allow := range []bool{false, true} {
			t.Run(model+map[bool]string{false: "", true: "/allow-exact"}[allow], func(t *testing.T) {
				if model == "apertium" {
					testenv.Tool(t, "apertium", "apt-get install apertium apertium-eng-spa")
				}
				m := startModel(t, model)
				r, err := Run(context.Background(), pairs, Options{SourceLang: "en", TargetLang: "es", Model: m, ModelName: model,
					Memory: mem.pipelineMemory(), Exact: mem.index, AllowExact: allow, Batch: 3})
				if err != nil {
					t.Fatal(err)
				}
				scored, excluded := len(pairs)-leaked, leaked
				if allow {
					scored, excluded = len(pairs), 0
				}
				if r.TestPairs != len(pairs) || r.ExactInMemory != leaked || r.ExcludedExact != excluded || r.Scored != scored || len(r.Excluded) != leaked {
					t.Errorf("Run: %d test pairs, %d in memory, %d excluded, %d scored (%d listed); want %d, %d, %d, %d",
						r.TestPairs, r.ExactInMemory, r.ExcludedExact, r.Scored, len(r.Excluded), len(pairs), leaked, excluded, scored)
				}
				if r.Partial || len(r.Configs) != len(Ablations()) {
					t.Fatalf("Run: partial %v, %d configurations; want a full report of %d", r.Partial, len(r.Configs), len(Ablations()))
				}
				for _, c := range r.Configs {
					if c.Segments != scored {
						t.Errorf("%s: %d segments, want %d", c.Name, c.Segments, scored)
					}
					sane(t, c)
				}
				full, alone, noTM := config(t, r, "none"), config(t, r, "tm+kg"), config(t, r, "tm")
				// Every pair whose source is in the memory is an exact match.
				wantExact := revised
				if allow {
					wantExact += leaked
				}
				if full.Statuses["exact"] < wantExact || full.Leverage["100"].Segments < wantExact {
					t.Errorf("none: %d exact, %d in the 100 band; want at least %d", full.Statuses["exact"], full.Leverage["100"].Segments, wantExact)
				}
				for _, c := range []ConfigReport{alone, noTM} {
					if c.Statuses["exact"] != 0 || c.Leverage["no match"].Segments != scored {
						t.Errorf("%s: %d exact, %d without a match; want 0 and all %d (no translation memory)",
							c.Name, c.Statuses["exact"], c.Leverage["no match"].Segments, scored)
					}
				}
				if full.ChrF <= alone.ChrF {
					t.Errorf("chrF with the memory %.2f ≤ without %.2f", full.ChrF, alone.ChrF)
				}
				if allow {
					// The leaked pairs are scored, and translated as they are
					// in the memory.
					for i := range leaked {
						if full.Hypotheses[i] != r.References[i] {
							t.Errorf("none: leaked pair %d translated %q, want the memory's %q", i+1, full.Hypotheses[i], r.References[i])
						}
					}
				}
			})
		}
	}
}

func TestRunWithoutGuard(t *testing.T) {
	path, _, _ := leakTest(t)
	pairs := readTest(t, path)
	r, err := Run(context.Background(), pairs, Options{SourceLang: "en", TargetLang: "es", Model: startModel(t, "memory"),
		Configs: []Config{Ablations()[3]}})
	if err != nil {
		t.Fatal(err)
	}
	if r.ExactInMemory != 0 || r.Scored != len(pairs) || len(r.Configs) != 1 {
		t.Errorf("Run without a memory: %d in memory, %d scored, %d configs; want 0, %d, 1", r.ExactInMemory, r.Scored, len(r.Configs), len(pairs))
	}
}

func TestOnlineLearnsRepeatedSegments(t *testing.T) {
	ctx := context.Background()
	orig := demoMemory(t)
	mem := openMemory(t, orig)
	model := startModel(t, "memory")
	// The novel pairs, then the same again: learning must turn the second
	// time into exact matches, unless the whole stream is translated
	// before the first learning step.
	pairs := readTest(t, writeTSV(t, append(slices.Clone(novel), novel...)))
	n := len(novel)
	tests := []struct {
		learnEvery, wantExact int
	}{
		{0, n}, // after every segment
		{n, n},
		{2 * n, 0},
	}
	for _, tt := range tests {
		copyDir := filepath.Join(t.TempDir(), "online")
		if err := Snapshot(ctx, filepath.Join(orig, StoreFile), orig, copyDir); err != nil {
			t.Fatal(err)
		}
		online := openMemory(t, copyDir)
		learner := &translate.Learner{Store: online.store, Index: online.index,
			Spotter: func(lang string) translate.Spotter { return online.index.Spotter(lang) }}
		r, err := Run(ctx, pairs, Options{SourceLang: "en", TargetLang: "es", Model: model, ModelName: "memory",
			Memory: mem.pipelineMemory(), Exact: mem.index, Configs: []Config{Ablations()[0]},
			Online: &Online{Block: n, LearnEvery: tt.learnEvery, Learner: learner, Memory: online.pipelineMemory}})
		if err != nil {
			t.Fatal(err)
		}
		on := r.Online
		if on == nil || on.Segments != len(pairs) || len(on.Blocks) != 2 || on.LearnEvery != max(tt.learnEvery, 1) {
			t.Fatalf("LearnEvery %d: online report %+v, want %d segments in 2 blocks", tt.learnEvery, on, len(pairs))
		}
		first, second := on.Blocks[0], on.Blocks[1]
		if first.Exact != 0 || first.ExactWithout != 0 || second.ExactWithout != 0 {
			t.Errorf("LearnEvery %d: exact matches %+v, want none before learning and none without it", tt.learnEvery, on.Blocks)
		}
		if second.Exact != tt.wantExact {
			t.Errorf("LearnEvery %d: second block has %d exact matches, want %d", tt.learnEvery, second.Exact, tt.wantExact)
		}
		if tt.wantExact > 0 && (second.ChrF != 100 || second.ChrF <= second.ChrFWithout || on.Learning.ChrF <= on.Without.ChrF) {
			t.Errorf("LearnEvery %d: chrF with learning %.2f (stream %.2f), without %.2f (stream %.2f); want 100 and better than without",
				tt.learnEvery, second.ChrF, on.Learning.ChrF, second.ChrFWithout, on.Without.ChrF)
		}
		if on.LearnLatencyMS.P50 <= 0 {
			t.Errorf("LearnEvery %d: learn latency %+v, want > 0", tt.learnEvery, on.LearnLatencyMS)
		}
		// The user's memory is unchanged: only the copy learned.
		for _, p := range novel {
			ms, err := mem.index.Lookup(ctx, retrieval.Query{Text: p[0], SourceLang: "en", TargetLang: "es", Min: 100})
			if err != nil {
				t.Fatal(err)
			}
			if len(ms) > 0 {
				t.Errorf("the original memory learned %q: %+v", p[0], ms)
			}
			if ms, _ := online.index.Lookup(ctx, retrieval.Query{Text: p[0], SourceLang: "en", TargetLang: "es", Min: 100}); len(ms) == 0 {
				t.Errorf("the copy did not learn %q", p[0])
			}
		}
	}
}

// cancelAfter cancels a context when the first n items are done.
type cancelAfter struct {
	n      int64
	done   atomic.Int64
	cancel context.CancelFunc
}

func (c *cancelAfter) Phase(string, int64) {}
func (c *cancelAfter) Add(n int64) {
	if c.done.Add(n) >= c.n {
		c.cancel()
	}
}

func TestRunCancelledKeepsWhatWasDone(t *testing.T) {
	mem := openMemory(t, demoMemory(t))
	path, _, _ := leakTest(t)
	pairs := readTest(t, path)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r, err := Run(ctx, pairs, Options{SourceLang: "en", TargetLang: "es", Model: startModel(t, "memory"),
		Memory: mem.pipelineMemory(), Exact: mem.index, Batch: 2, Progress: &cancelAfter{n: 9, cancel: cancel}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run cancelled: error %v, want context.Canceled", err)
	}
	// Cancelled during the leakage check (12 lookups): nothing scored, but
	// a report marked partial.
	if r == nil || !r.Partial {
		t.Fatalf("Run cancelled: report %+v, want one marked partial", r)
	}
	dir := t.TempDir()
	if err := WriteDir(dir, r); err != nil {
		t.Fatalf("WriteDir(partial report): %v", err)
	}

	// Cancelled in the middle of the first configuration.
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	r, err = Run(ctx, pairs, Options{SourceLang: "en", TargetLang: "es", Model: startModel(t, "memory"),
		Memory: mem.pipelineMemory(), Batch: 2, Progress: &cancelAfter{n: 2, cancel: cancel}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run cancelled: error %v, want context.Canceled", err)
	}
	if !r.Partial || len(r.Configs) != 1 || !r.Configs[0].Partial || r.Configs[0].Segments != 2 || len(r.Configs[0].Hypotheses) != 2 {
		t.Fatalf("Run cancelled after 2 segments: partial %v, configs %+v; want one partial config of 2 segments", r.Partial, r.Configs)
	}
	if r.Configs[0].ChrF <= 0 {
		t.Errorf("the 2 segments done were not scored: chrF %.2f", r.Configs[0].ChrF)
	}
}

func TestLatency(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	tests := []struct {
		in   []time.Duration
		want Latency
	}{
		{nil, Latency{}},
		{[]time.Duration{3 * time.Millisecond}, Latency{3, 3}},
		{ds, Latency{50, 95}},
	}
	for _, tt := range tests {
		if got := latency(tt.in); got != tt.want {
			t.Errorf("latency(%d durations) = %+v, want %+v", len(tt.in), got, tt.want)
		}
	}
}

func TestParseAblations(t *testing.T) {
	tests := []struct {
		in      string
		want    []string
		wantErr bool
	}{
		{"none,tm,kg,tm+kg", []string{"none", "tm", "kg", "tm+kg"}, false},
		{"tm+kg", []string{"tm+kg"}, false},
		{" KG+TM , none,none", []string{"tm+kg", "none"}, false},
		{"tm,all", nil, true},
		{"", nil, true},
	}
	for _, tt := range tests {
		got, err := ParseAblations(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseAblations(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if tt.wantErr {
			if !errors.Is(err, ErrBadAblation) {
				t.Errorf("ParseAblations(%q) error = %v, want ErrBadAblation", tt.in, err)
			}
			continue
		}
		var names []string
		for _, c := range got {
			names = append(names, c.Name)
		}
		if !slices.Equal(names, tt.want) {
			t.Errorf("ParseAblations(%q) = %v, want %v", tt.in, names, tt.want)
		}
	}
	if c, _ := ParseAblations("kg"); !c[0].NoKG || c[0].NoTM {
		t.Errorf("ParseAblations(kg) = %+v, want the graph off and the TM on", c[0])
	}
}

func TestLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"two\nlines", `two\nlines`},
		{"a\tb\r\n", `a\tb\r\n`},
		{`C:\dir`, `C:\\dir`},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Line(tt.in); got != tt.want {
			t.Errorf("Line(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
