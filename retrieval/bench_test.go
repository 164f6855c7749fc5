package retrieval

import (
	"bufio"
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/kgmem/kgmem/graph"
)

// Benchmarks of the translation memory at several sizes, built from the
// shared data: the gettext memory and Tatoeba (167k distinct pairs), and
// beyond that variants of them (see vary). The queries are the gettext dev
// set and Tatoeba sentences left out of the memory, half and half.
//
// Levels: 10k and 100k always; 1M when KGMEM_BENCH_1M=1 (building it
// takes minutes). KGMEM_BENCH_DIR keeps the built indexes between runs.
// scripts/bench-retrieval.sh runs them all and writes the tables of
// docs/bench-retrieval.md.

// memStore is a graph.Store of segments only, in memory: enough to build
// an index from, without the cost of a real store.
type memStore struct {
	graph.Store // nil: the methods the index does not use panic
	segs        []graph.Segment
	states      []graph.SourceState
}

func (m *memStore) Segments(ctx context.Context, fn func(*graph.Segment) error) error {
	for i := range m.segs {
		if err := fn(&m.segs[i]); err != nil {
			return err
		}
	}
	return nil
}

func (m *memStore) SourceStates(context.Context) ([]graph.SourceState, error) { return m.states, nil }

// benchCorpus is the memory and queries of the benchmarks.
type benchCorpus struct {
	memory  []pair // gettext memory, then Tatoeba, interleaved
	queries []string
}

func loadBenchCorpus(b testing.TB) *benchCorpus {
	gt := readPairs(b, "gettext", "en-es.memory.tsv")
	tat := readPairs(b, "tatoeba", "en-es.tsv")
	dev := readPairs(b, "gettext", "en-es.dev.tsv")
	r := rand.New(rand.NewSource(1))
	r.Shuffle(len(tat), func(i, j int) { tat[i], tat[j] = tat[j], tat[i] })
	// 4,000 Tatoeba sentences are kept out of every memory as queries.
	held := tat[:4000]
	tat = tat[4000:]
	c := &benchCorpus{}
	// Interleave so that every level has both kinds of text.
	for i, j := 0, 0; i < len(gt) || j < len(tat); {
		if i < len(gt) {
			c.memory = append(c.memory, gt[i])
			i++
		}
		for k := 0; k < 2 && j < len(tat); k++ {
			c.memory = append(c.memory, tat[j])
			j++
		}
	}
	for i := 0; i < 4000; i++ {
		c.queries = append(c.queries, dev[(i*7)%len(dev)].source, held[i].source)
	}
	return c
}

// vary returns a variant of a pair, as a memory grows by similar
// sentences rather than copies: a word dropped, doubled or swapped with
// its neighbour, a number changed, the case or the final punctuation
// changed, or two sentences joined.
func vary(r *rand.Rand, p, other pair) pair {
	words := strings.Fields(p.source)
	switch op := r.Intn(6); {
	case op == 0 && len(words) > 2:
		i := r.Intn(len(words))
		words = append(words[:i:i], words[i+1:]...)
	case op == 1 && len(words) > 1:
		i := r.Intn(len(words) - 1)
		words[i], words[i+1] = words[i+1], words[i]
	case op == 2:
		words = append(words, strconv.Itoa(r.Intn(1000)))
	case op == 3:
		words[0] = strings.ToUpper(words[0])
	case op == 4:
		return pair{source: p.source + " " + other.source, target: p.target + " " + other.target}
	default:
		i := r.Intn(len(words))
		words = append(words[:i+1:i+1], words[i:]...)
	}
	return pair{source: strings.Join(words, " "), target: p.target + " (" + strconv.Itoa(r.Intn(100)) + ")"}
}

// levelPairs returns n memory pairs: the first n of the corpus, then
// variants.
func (c *benchCorpus) levelPairs(n int) []pair {
	if n <= len(c.memory) {
		return c.memory[:n]
	}
	out := append([]pair(nil), c.memory...)
	r := rand.New(rand.NewSource(2))
	seen := map[string]bool{}
	for _, p := range out {
		seen[p.source+"\x00"+p.target] = true
	}
	for len(out) < n {
		v := vary(r, c.memory[r.Intn(len(c.memory))], c.memory[r.Intn(len(c.memory))])
		if k := v.source + "\x00" + v.target; !seen[k] {
			seen[k] = true
			out = append(out, v)
		}
	}
	return out
}

// buildTimes records how long each level took to build, for reporting
// (a benchmark function runs more than once; the first run builds).
var buildTimes = map[string]time.Duration{}

// benchIndex returns the data directory of an index of n memory
// segments, building it if needed.
func benchIndex(b *testing.B, c *benchCorpus, n int) (string, time.Duration) {
	base := os.Getenv("KGMEM_BENCH_DIR")
	name := fmt.Sprintf("bench-%d-s%d", n, benchShards(n))
	if base != "" {
		dir := filepath.Join(base, name)
		if _, err := os.Stat(filepath.Join(dir, "index", manifestFile)); err == nil {
			return dir, 0
		}
	}
	var took time.Duration
	dir := fixtures.dataDir(b, name, func(dir string) {
		if base != "" {
			dir = filepath.Join(base, name)
		}
		ps := c.levelPairs(n)
		st := &memStore{segs: segmentsOf("memory.tsv", ps), states: []graph.SourceState{{File: "memory.tsv", Hash: "h", Units: n, Complete: true}}}
		sort.Slice(st.segs, func(i, j int) bool { return st.segs[i].ID < st.segs[j].ID })
		start := time.Now()
		x, err := Open(context.Background(), Dir(dir), Options{Shards: benchShards(n)})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := x.Rebuild(context.Background(), st); err != nil {
			b.Fatal(err)
		}
		x.Close()
		took = time.Since(start)
		buildTimes[name] = took
	})
	if base != "" {
		dir = filepath.Join(base, name)
	}
	if took == 0 {
		took = buildTimes[name]
	}
	return dir, took
}

func benchLevels() []int {
	levels := []int{10_000, 100_000}
	if os.Getenv("KGMEM_BENCH_1M") == "1" {
		levels = append(levels, 1_000_000)
	}
	return levels
}

func levelName(n int) string {
	if n >= 1_000_000 {
		return fmt.Sprintf("%dM", n/1_000_000)
	}
	return fmt.Sprintf("%dk", n/1000)
}

// reportLatencies reports the median and 99th percentile of per-operation
// times, as p50-ms and p99-ms with the prefix.
func reportLatencies(b *testing.B, prefix string, ds []time.Duration) {
	if len(ds) == 0 {
		return
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	q := func(f float64) float64 { return float64(ds[int(f*float64(len(ds)-1))].Microseconds()) / 1000 }
	b.ReportMetric(q(0.5), prefix+"p50-ms")
	b.ReportMetric(q(0.99), prefix+"p99-ms")
}

// cpuTime returns the CPU time the process has used: on a machine shared
// with other work, a steadier measure than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// processCPU returns the CPU time of the process from the kernel's
// scheduler accounting (CLOCK_PROCESS_CPUTIME_ID): exact to the
// nanosecond, unlike getrusage, so it can time a single lookup. It counts
// every thread (the shards' goroutines and the garbage collector too) and
// none of the time spent waiting for a core, which on a loaded machine is
// most of the wall-clock tail.
func processCPU() time.Duration {
	var ts syscall.Timespec
	const clockProcessCPUTimeID = 2
	if _, _, e := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockProcessCPUTimeID, uintptr(unsafe.Pointer(&ts)), 0); e != 0 {
		return 0
	}
	return time.Duration(ts.Nano())
}

// rssMB returns the resident set size of the process in MB.
func rssMB() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return float64(kb) / 1024
		}
	}
	return 0
}

// BenchmarkLookup is a fuzzy lookup of a typical sentence (Limit 5, Min
// 50) at each memory size.
func BenchmarkLookup(b *testing.B) {
	c := loadBenchCorpus(b)
	for _, n := range benchLevels() {
		b.Run(levelName(n), func(b *testing.B) {
			dir, built := benchIndex(b, c, n)
			x := openFixture(b, dir, Options{})
			ctx := context.Background()
			// Warm the page cache and Bleve's structures.
			for _, q := range c.queries[:200] {
				x.Lookup(ctx, Query{Text: q, SourceLang: "en", TargetLang: "es"})
			}
			ds := make([]time.Duration, 0, b.N)
			cs := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			cpu0 := cpuTime()
			for i := 0; i < b.N; i++ {
				start, c0 := time.Now(), processCPU()
				if _, err := x.Lookup(ctx, Query{Text: c.queries[i%len(c.queries)], SourceLang: "en", TargetLang: "es", Min: benchMin()}); err != nil {
					b.Fatal(err)
				}
				ds = append(ds, time.Since(start))
				cs = append(cs, processCPU()-c0)
			}
			b.StopTimer()
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
			reportLatencies(b, "", ds)
			// The CPU time of each lookup: what the wall-clock percentiles
			// would be on an idle machine with one shard, without the
			// waits for a core that a loaded machine adds.
			reportLatencies(b, "cpu-", cs)
			st := x.Stats()
			b.ReportMetric(float64(st.Bytes)/1e6, "index-MB")
			b.ReportMetric(rssMB(), "rss-MB")
			if built > 0 {
				b.ReportMetric(built.Seconds(), "build-s")
			}
		})
	}
}

// benchLabels returns n distinct English labels: the most frequent word
// n-grams (one to three words) of the memory, as a term base of that size
// would have.
func benchLabels(c *benchCorpus, n int) []string {
	counts := map[string]int{}
	for _, p := range c.memory {
		ws := strings.FieldsFunc(strings.ToLower(p.source), func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r == '-' || r == '\'')
		})
		for i := range ws {
			for k := 1; k <= 3 && i+k <= len(ws); k++ {
				counts[strings.Join(ws[i:i+k], " ")]++
			}
		}
	}
	labels := make([]string, 0, len(counts))
	for l := range counts {
		labels = append(labels, l)
	}
	sort.Slice(labels, func(i, j int) bool {
		if counts[labels[i]] != counts[labels[j]] {
			return counts[labels[i]] > counts[labels[j]]
		}
		return labels[i] < labels[j]
	})
	return labels[:min(n, len(labels))]
}

// BenchmarkSpot spots the entities of a typical sentence with 10k and
// 100k known labels.
func BenchmarkSpot(b *testing.B) {
	c := loadBenchCorpus(b)
	for _, n := range []int{10_000, 100_000} {
		b.Run(levelName(n), func(b *testing.B) {
			var recs []entityRec
			for i, l := range benchLabels(c, n) {
				e := graph.Entity{ID: fmt.Sprintf("e%06d", i), Type: graph.TypeTerm, Key: "en:" + l,
					Labels: []graph.Label{{Text: l, Lang: "en", Count: 1}, {Text: "es-" + l, Lang: "es", Count: 1}}}
				recs = append(recs, newEntityRec(&e))
			}
			start := time.Now()
			sp := newSpotter("en", newEntityTable(recs))
			build := time.Since(start)
			ds := make([]time.Duration, 0, b.N)
			spans := 0
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				spans += len(sp.Spot(c.queries[i%len(c.queries)]))
				ds = append(ds, time.Since(t0))
			}
			b.StopTimer()
			reportLatencies(b, "", ds)
			b.ReportMetric(float64(spans)/float64(b.N), "spans/op")
			b.ReportMetric(build.Seconds(), "build-s")
			b.ReportMetric(float64(sp.Labels()), "labels")
		})
	}
}

func benchMin() int {
	if v, err := strconv.Atoi(os.Getenv("KGMEM_BENCH_MIN")); err == nil {
		return v
	}
	return DefaultMin
}

// benchShards is the number of shards of the benchmark index of n
// segments: KGMEM_BENCH_SHARDS, or what a new index of that size gets
// (autoShards: one below 300,000 segments, else one per core).
func benchShards(n int) int {
	if v, err := strconv.Atoi(os.Getenv("KGMEM_BENCH_SHARDS")); err == nil && v > 0 {
		return v
	}
	return autoShards(n)
}
