package dgraph

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kgmem/kgmem/graph"
)

// alphaCPU returns the CPU seconds used so far by dgraph processes.
func alphaCPU(t *testing.T) float64 {
	out, _ := exec.Command("sh", "-c", "for p in $(pgrep -f 'dgraph alpha'); do cat /proc/$p/stat; done").Output()
	total := 0.0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		i := strings.LastIndex(line, ")")
		if i < 0 {
			continue
		}
		f := strings.Fields(line[i+2:])
		u, _ := strconv.Atoi(f[11])
		s, _ := strconv.Atoi(f[12])
		total += float64(u+s) / 100
	}
	return total
}

func TestZZTiming(t *testing.T) {
	addr := os.Getenv("KGMEM_DGRAPH_ADDR")
	if addr == "" {
		t.Skip()
	}
	ctx := context.Background()
	s, err := Open(ctx, addr, Options{Namespace: fmt.Sprintf("timing%d", time.Now().UnixNano())})
	if err != nil {
		t.Fatal(err)
	}
	b := &graph.Batch{Source: "large.tmx"}
	for i := 0; i < 3000; i++ {
		id := graph.EntityID(graph.TypeTerm, fmt.Sprintf("en:term%d", i))
		b.Entities = append(b.Entities, graph.Entity{ID: id, Type: graph.TypeTerm, Key: fmt.Sprintf("en:term%d", i)})
		b.Facts = append(b.Facts,
			graph.NewLabel(id, fmt.Sprintf("term%d", i), "en", graph.StatusNone, 1, b.Source, 1, ""),
			graph.NewLabel(id, fmt.Sprintf("término%d", i), "es", graph.StatusNone, 1, b.Source, 1, ""))
		sg := graph.Segment{ID: graph.SegmentID("en", "es", fmt.Sprintf("Use term%d here.", i), fmt.Sprintf("Use término%d aquí.", i)),
			SourceLang: "en", TargetLang: "es", Source: fmt.Sprintf("Use term%d here.", i), Target: fmt.Sprintf("Use término%d aquí.", i),
			Status: "approved", Changed: time.Now(), Sources: []graph.Source{{File: b.Source, Count: 1, Units: []string{fmt.Sprint(i)}}},
			Mentions: []graph.Mention{{Entity: id, Side: graph.SideSource, Start: 4, End: 9}}}
		b.Segments = append(b.Segments, sg)
	}
	for _, src := range []string{"large.tmx", "large.tmx", "large2.tmx"} {
		b.Source = src
		c0, t0 := alphaCPU(t), time.Now()
		if err := s.Upsert(ctx, b); err != nil {
			t.Fatal(err)
		}
		t.Logf("upsert %s: %v, alpha cpu %.2fs", src, time.Since(t0), alphaCPU(t)-c0)
	}
	c0, t0 := alphaCPU(t), time.Now()
	if err := s.DeleteSource(ctx, "large.tmx"); err != nil {
		t.Fatal(err)
	}
	t.Logf("delete: %v, alpha cpu %.2fs", time.Since(t0), alphaCPU(t)-c0)
}
