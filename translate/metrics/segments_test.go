package metrics

import (
	"reflect"
	"strings"
	"testing"
)

func TestReadSegments(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"a\nb\n", []string{"a", "b"}},
		{"a\r\nb", []string{"a", "b"}},
		{"", nil},
		{"\n", []string{""}},
		{"a\n\nc\n", []string{"a", "", "c"}},
		{"\ufeffé\n", []string{"é"}},
		{"\xff\xfea\x00\n\x00", []string{"a"}}, // UTF-16LE
		{"tab\tinside \n", []string{"tab\tinside "}},
	}
	for _, tt := range tests {
		got, err := ReadSegments(strings.NewReader(tt.in))
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ReadSegments(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}
