package ingest

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/graph/dgraph"
	"github.com/kgmem/kgmem/graph/embedded"
	"github.com/kgmem/kgmem/internal/testenv"
)

// peakRSSMB returns the process's peak resident set size in MB, from
// /proc/self/status (VmHWM), or 0 when it cannot be read.
func peakRSSMB() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			return float64(kb) / 1024
		}
	}
	return 0
}

// benchBuild builds a graph from the gettext memory and Tatoeba (about
// 167k pairs) into the store open returns, and reports pairs/s and the
// peak RSS of the process.
func benchBuild(b *testing.B, open func(b *testing.B) graph.Store) {
	paths := []string{
		testenv.SharedData(b, "gettext", "en-es.memory.tsv"),
		testenv.SharedData(b, "tatoeba", "en-es.tsv"),
	}
	units := 0
	for i := 0; i < b.N; i++ {
		s := open(b)
		sum, err := Run(context.Background(), s, Options{Paths: paths, SourceLang: language.English, TargetLang: language.Spanish})
		if err != nil {
			b.Fatal(err)
		}
		units += sum.Units
		s.Close()
	}
	b.ReportMetric(float64(units)/b.Elapsed().Seconds(), "pairs/s")
	b.ReportMetric(peakRSSMB(), "peak-RSS-MB")
}

func BenchmarkBuildEmbedded(b *testing.B) {
	benchBuild(b, func(b *testing.B) graph.Store {
		s, err := embedded.Open(context.Background(), filepath.Join(b.TempDir(), "graph.db"))
		if err != nil {
			b.Fatal(err)
		}
		return s
	})
}

func BenchmarkBuildDgraph(b *testing.B) {
	addr := testenv.Env(b, "KGMEM_DGRAPH_ADDR", "start one with scripts/dgraph-local.sh start")
	n := 0
	benchBuild(b, func(b *testing.B) graph.Store {
		n++
		s, err := dgraph.Open(context.Background(), addr, dgraph.Options{Namespace: "bench" + strconv.Itoa(os.Getpid()) + "x" + strconv.Itoa(n)})
		if err != nil {
			b.Fatal(err)
		}
		return s
	})
}
