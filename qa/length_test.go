package qa

import (
	"math"
	"testing"
	"unicode/utf8"

	"github.com/kgmem/kgmem/internal/testenv"
)

// TestDefaultLengthsMeasured recomputes the English→Spanish bounds from
// the shared gettext memory and checks that DefaultLengths ships them.
func TestDefaultLengthsMeasured(t *testing.T) {
	path := testenv.SharedData(t, "gettext", "en-es.memory.tsv")
	var lengths [][2]int
	for _, u := range readFile(t, path) {
		lengths = append(lengths, [2]int{utf8.RuneCountInString(u.Source.Plain()), utf8.RuneCountInString(u.Target.Plain())})
	}
	got, err := MeasureLengths("en-es", lengths, LengthTail)
	if err != nil {
		t.Fatal(err)
	}
	want := DefaultLengths().Pairs["en-es"]
	if len(got.Buckets) != len(want.Buckets) {
		t.Fatalf("MeasureLengths gave %d buckets, DefaultLengths has %d", len(got.Buckets), len(want.Buckets))
	}
	for i, g := range got.Buckets {
		w := want.Buckets[i]
		if g.From != w.From || g.To != w.To || math.Abs(g.Min-w.Min) > 0.005 || math.Abs(g.Max-w.Max) > 0.005 {
			t.Errorf("bucket %d: measured %+v, DefaultLengths has %+v", i, g, w)
		}
	}
}

func TestMeasureLengthsErrors(t *testing.T) {
	if _, err := MeasureLengths("xx-yy", [][2]int{{10, 12}}, LengthTail); err == nil {
		t.Error("MeasureLengths of one pair: no error")
	}
	if _, err := MeasureLengths("xx-yy", nil, 0.7); err == nil {
		t.Error("MeasureLengths with a tail of 0.7: no error")
	}
}
