package metrics

import (
	"reflect"
	"testing"
)

func TestPlaceholders(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Delete %s?", []string{"%s"}},
		{"%1$s of %2$d files", []string{"%1$s", "%2$d"}},
		{"%(count)d items in %(folder)s", []string{"%(count)d", "%(folder)s"}},
		{"%-10s|%5.2f|%lu|%lld|%zu|%x", []string{"%-10s", "%5.2f", "%lu", "%lld", "%zu", "%x"}},
		{"100%% done", []string{"%%"}},
		{"50% off, 100% sure", nil},
		{"%<PRId64> bytes", []string{"%<PRId64>"}},
		{"Hello {name}, {0} new {count:N0} {}", []string{"{name}", "{0}", "{count:N0}", "{}"}},
		{"Path ${HOME}/bin", []string{"${HOME}"}},
		{`Click <a href="x" title="Go">here</a><br/> <img src='a.png' />`, []string{"<a>", "</a>", "<br/>", "<img/>"}},
		{`First line\nSecond\tcolumn`, []string{`\n`, `\t`}},
		{"a < b > c, x<3", nil},
		{"", nil},
	}
	for _, tt := range tests {
		if got := Placeholders(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Placeholders(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPlaceholderAccuracy(t *testing.T) {
	srcs := []string{"Delete %s?", "No placeholders", "<b>%d</b> files", "{0} of {1}", "%s and %s", `Done\n`}
	hyps := []string{"¿Borrar %s?", "Sin %s", "%d archivos", "{1} de {0}", "%s y %s y %s", `Hecho\n`}
	s, err := PlaceholderAccuracy(srcs, hyps)
	mustNoErr(t, err)
	// Segment 2 has none in the source and is not counted; 3 lost its
	// tags, 5 gained a %s.
	if s.Segments != 5 || s.Correct != 3 || !reflect.DeepEqual(s.Broken, []int{3, 5}) || !within(s.Score, "60") {
		t.Errorf("PlaceholderAccuracy = %+v", s)
	}
	s, err = PlaceholderAccuracy([]string{"plain"}, []string{"llano"})
	mustNoErr(t, err)
	if s.Segments != 0 || s.Score != 0 {
		t.Errorf("no placeholders = %+v", s)
	}
	if _, err := PlaceholderAccuracy(srcs, hyps[:2]); err == nil {
		t.Error("mismatched counts: no error")
	}
}

func TestLeverage(t *testing.T) {
	nan := 0.0
	nan /= nan
	got := Leverage([]float64{100, 99.9, 95, 94, 85, 84.99, 75, 74, 50, 49.9, -1, nan})
	want := []LeverageBand{
		{"100", 1, 100.0 / 12}, {"95-99", 2, 200.0 / 12}, {"85-94", 2, 200.0 / 12},
		{"75-84", 2, 200.0 / 12}, {"50-74", 2, 200.0 / 12}, {"no match", 3, 300.0 / 12},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Leverage = %+v, want %+v", got, want)
	}
	for _, b := range Leverage(nil) {
		if b.Segments != 0 || b.Share != 0 {
			t.Errorf("Leverage(nil) = %+v", b)
		}
	}
}
