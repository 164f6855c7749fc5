package main

import (
	"reflect"
	"strings"
	"testing"
)

func TestReadQueries(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		limit int
		want  []query
	}{
		{"two columns", "Open\tAbrir\nClose\tCerrar\n", 0, []query{{"Open", "Abrir"}, {"Close", "Cerrar"}}},
		{"one column", "Open\nClose\r\n", 0, []query{{"Open", ""}, {"Close", ""}}},
		{"gettext header", "domain\tsource\ttarget\ngtk\t_Open\t_Abrir\n", 0, []query{{"_Open", "_Abrir"}}},
		{"header without target", "source\nOpen\n", 0, []query{{"Open", ""}}},
		{"escapes", `a\tb\nc\\d\x` + "\tt\n", 0, []query{{"a\tb\nc\\d\\x", "t"}}},
		{"empty sources skipped", "\tx\n  \ty\nOpen\n", 0, []query{{"Open", ""}}},
		{"limit", "a\nb\nc\n", 2, []query{{"a", ""}, {"b", ""}}},
		{"trailing backslash", `a\`, 0, []query{{`a\`, ""}}},
	}
	for _, tt := range tests {
		got, err := readQueries(strings.NewReader(tt.in), "q.tsv", tt.limit)
		if err != nil {
			t.Errorf("%s: readQueries: %v", tt.name, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: readQueries(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestReadQueriesErrors(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"domain\tsource\ttarget\nonly\n", "q.tsv:2: 1 columns, the source is column 2"},
		{"ok\n\xff\xfe\n", "q.tsv:2: not UTF-8"},
	}
	for _, tt := range tests {
		_, err := readQueries(strings.NewReader(tt.in), "q.tsv", 0)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("readQueries(%q) error = %v, want %q", tt.in, err, tt.want)
		}
	}
}

func FuzzReadQueries(f *testing.F) {
	f.Add("domain\tsource\ttarget\ngtk\t_Open\\n\t_Abrir\n")
	f.Add("Go.\tVe.\nHi.\tHola.\n")
	f.Add("source\n\\\\\\t\\")
	f.Fuzz(func(t *testing.T, in string) {
		qs, err := readQueries(strings.NewReader(in), "f.tsv", 0)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.tsv") {
				t.Errorf("error %q does not name the file", err)
			}
			return
		}
		for _, q := range qs {
			if strings.TrimSpace(q.Source) == "" {
				t.Errorf("query with an empty source from %q", in)
			}
		}
	})
}
