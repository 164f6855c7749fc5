package extract

import (
	"context"
	"reflect"
	"strings"
	"testing"
)

func TestAligner(t *testing.T) {
	corpus := [][2]string{
		{"the house", "la casa"},
		{"the book", "el libro"},
		{"a book", "un libro"},
		{"the green house", "la casa verde"},
		{"a house", "una casa"},
		{"the file", "el archivo"},
		{"open the file", "abra el archivo"},
		{"open the book", "abra el libro"},
		{"the door", "la puerta"},
		{"the window", "la ventana"},
		{"open the door", "abra la puerta"},
		{"a green door", "una puerta verde"},
	}
	vs, vt := map[string]int32{}, map[string]int32{}
	ids := func(v map[string]int32, s string) []int32 {
		var out []int32
		for _, w := range strings.Fields(s) {
			if _, ok := v[w]; !ok {
				v[w] = int32(len(v) + 1)
			}
			out = append(out, v[w])
		}
		return out
	}
	a := newAligner(nil)
	for _, p := range corpus {
		a.add(ids(vs, p[0]), ids(vt, p[1]), 0)
	}
	if err := a.train(context.Background(), 10); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		k    int
		want [][]int
	}{
		{3, [][]int{{0}, {2}, {1}}}, // the→la, green→verde, house→casa
		{6, [][]int{{0}, {1}, {2}}}, // open→abra, the→el, file→archivo
	}
	for _, tt := range tests {
		s, err := a.sentence(tt.k)
		if err != nil {
			t.Fatal(err)
		}
		if got := a.align(&s); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("align(%q) = %v, want %v", corpus[tt.k], got, tt.want)
		}
	}
}
