package retrieval

import (
	"context"
	"sort"
	"testing"

	"github.com/kgmem/kgmem/graph"
)

// memorySeg is a memory segment prepared for the exhaustive scan.
type memorySeg struct {
	id string
	p  *Prepared
}

// exhaustiveBest scans every memory segment and returns the best match
// of query by the same ordering Lookup uses (score, then ID: the memory
// has neither statuses nor dates), or -1 and "" when none scores at least
// floor. mem must be sorted by ID.
func exhaustiveBest(q *Prepared, mem []memorySeg, floor int) (int, string) {
	best, bestID := -1, ""
	for i := range mem {
		s := scorePrepared(q, mem[i].p, max(floor, best))
		if s > best {
			best, bestID = s, mem[i].id
		}
	}
	return best, bestID
}

// TestBestMatchRecall checks that the candidate step does not lose the
// best match: for the gettext dev set looked up in the gettext memory,
// Lookup's top match must have the score of the best match an exhaustive
// scan finds with the same formula, for at least 99 % of the queries whose
// best score is 50 or more.
func TestBestMatchRecall(t *testing.T) {
	if testing.Short() {
		t.Skip("scans the whole gettext memory for every dev query")
	}
	ctx := context.Background()
	dir := gettextTM(t)
	x := openFixture(t, dir, Options{})
	mem := loadMemory(t, dir)
	dev := readPairs(t, "gettext", "en-es.dev.tsv")
	seen := map[string]bool{}
	var counted, sameScore, sameID, exact int
	var misses []string
	for _, d := range dev {
		if seen[d.source] {
			continue
		}
		seen[d.source] = true
		q := Prepare(d.source)
		best, bestID := exhaustiveBest(q, mem, DefaultMin)
		if best < DefaultMin {
			continue
		}
		counted++
		if best == 100 {
			exact++
		}
		ms, err := x.Lookup(ctx, Query{Text: d.source, SourceLang: "en", TargetLang: "es", Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) > 0 && ms[0].Score == best {
			sameScore++
			if ms[0].ID == bestID {
				sameID++
			}
			continue
		}
		got := "nothing"
		if len(ms) > 0 {
			got = ms[0].Source
		}
		if len(misses) < 20 {
			misses = append(misses, d.source+" → best "+itoa(best)+", got "+got)
		}
	}
	rate := 100 * float64(sameScore) / float64(counted)
	t.Logf("queries with a best match ≥ %d: %d (%d exact); top result has the best score: %d (%.2f %%); and is the same segment: %d (%.2f %%)",
		DefaultMin, counted, exact, sameScore, rate, sameID, 100*float64(sameID)/float64(counted))
	for _, m := range misses {
		t.Logf("missed: %s", m)
	}
	if rate < 99 {
		t.Errorf("best-match recall = %.2f %%, want ≥ 99 %%", rate)
	}
}

// loadMemory reads every segment of a fixture's store, prepared.
func loadMemory(t testing.TB, dataDir string) []memorySeg {
	t.Helper()
	st := openStore(t, dataDir)
	var mem []memorySeg
	err := st.Segments(context.Background(), func(sg *graph.Segment) error {
		mem = append(mem, memorySeg{id: sg.ID, p: Prepare(sg.Source)})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(mem, func(i, j int) bool { return mem[i].id < mem[j].id })
	return mem
}
