package extract

import (
	"fmt"
	"math/rand"
	"runtime"
	"strings"
	"testing"
)

// longPair makes one translation unit of about n bytes of source text:
// sentences of a small vocabulary with product names and sizes drawn from
// thousands, as a whole manual pasted into one segment would be: the longer
// the text, the more distinct entities it names.
func longPair(n int, seed int64) (string, string) {
	r := rand.New(rand.NewSource(seed))
	parts := strings.Fields("Alpha Beta Gamma Delta Omega Zeta Kappa Sigma Theta Lambda Nova Terra Luna Sol Astra Vega Orion Lyra Cygnus Draco")
	nouns := [][2]string{{"file", "archivo"}, {"folder", "carpeta"}, {"window", "ventana"}, {"book", "libro"},
		{"house", "casa"}, {"contact tracing", "rastreo de contactos"}, {"printer", "impresora"}, {"door", "puerta"}}
	verbs := [][2]string{{"opens", "abre"}, {"closes", "cierra"}, {"saves", "guarda"}, {"sees", "ve"}}
	var src, tgt strings.Builder
	for src.Len() < n {
		// Products are drawn from more names the longer the text: about
		// one new name per 200 bytes, each seen a few times.
		k := min(len(parts)*len(parts)*len(parts), 1+src.Len()/200)
		p := r.Intn(k)
		name := parts[p%len(parts)] + parts[p/len(parts)%len(parts)] + parts[p/len(parts)/len(parts)]
		v := verbs[r.Intn(len(verbs))]
		o := nouns[r.Intn(len(nouns))]
		size := r.Intn(1 + src.Len()/100)
		fmt.Fprintf(&src, "%s %s the %s of %d MB. ", name, v[0], o[0], size)
		fmt.Fprintf(&tgt, "%s %s el %s de %d MB. ", name, v[1], o[1], size)
	}
	return src.String(), tgt.String()
}

// extractLong extracts a corpus of short units plus one long unit of n
// bytes, and returns the work counted and the bytes allocated.
func extractLong(t *testing.T, n int) (Stats, uint64) {
	t.Helper()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	x := New("en", "es", Options{})
	defer x.Close()
	for i := 0; i < 200; i++ {
		s, g := longPair(200, int64(i))
		x.Add("short.tsv", unit(s, g))
	}
	s, g := longPair(n, 42)
	x.Add("long.tsv", unit(s, g))
	train(t, x)
	items := 0
	for _, b := range batchesOf(t, x, "long.tsv", 0) {
		items += b.Len()
	}
	if items == 0 {
		t.Fatal("no batch items for the long unit")
	}
	runtime.ReadMemStats(&after)
	return x.Stats(), after.TotalAlloc - before.TotalAlloc
}

// TestLongSegmentLinear extracts a unit of 256 KB and one of 1 MB: the work
// extraction does (candidates counted, mentions spotted, entity pairs
// counted for co-occurrence) and the memory it allocates grow in
// proportion to the text, not faster. (A 1 MB segment used to take
// minutes and gigabytes: every pair of the thousands of entities in the
// unit was counted as co-occurring.)
func TestLongSegmentLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("extracts a 1 MB segment")
	}
	small, allocSmall := extractLong(t, 256<<10)
	large, allocLarge := extractLong(t, 1<<20)
	t.Logf("256 KB: %+v, %d MB allocated", small, allocSmall>>20)
	t.Logf("1 MB:   %+v, %d MB allocated", large, allocLarge>>20)
	// 4 times the text: at most about 4 times the work.
	for _, c := range []struct {
		what         string
		small, large int64
	}{
		{"candidates", small.Candidates, large.Candidates},
		{"mentions", small.Mentions, large.Mentions},
		{"entity pairs", small.Pairs, large.Pairs},
		{"bytes allocated", int64(allocSmall), int64(allocLarge)},
	} {
		if 2*c.large > 9*c.small {
			t.Errorf("%s: %d for 256 KB, %d for 1 MB: more than linear", c.what, c.small, c.large)
		}
	}
	if large.Pairs > large.Mentions*coocWindow {
		t.Errorf("entity pairs = %d for %d mentions: more than %d per mention", large.Pairs, large.Mentions, coocWindow)
	}
}
