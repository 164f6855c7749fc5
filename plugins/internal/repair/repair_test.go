package repair

import (
	"fmt"
	"testing"

	"github.com/kgmem/kgmem/plugins"
)

func TestDiff(t *testing.T) {
	tests := []struct {
		src, match string
		want       string
	}{
		{"Open the file", "Open the file", "[]"},
		{"Open the file", "open  the FILE", "[]"},
		{"Open the folder", "Open the file", `["file"→"folder"]`},
		{"Save 5 files now", "Save 3 files", `["3"→"5" ""→"now"]`},
		{"Close it", "Close it please", `["please"→""]`},
	}
	for _, tt := range tests {
		var got []string
		for _, e := range Diff(tt.src, tt.match) {
			got = append(got, fmt.Sprintf("%q→%q", tt.match[e.Match[0]:e.Match[1]], tt.src[e.Src[0]:e.Src[1]]))
		}
		if s := fmt.Sprint(got); s != tt.want && !(tt.want == "[]" && len(got) == 0) {
			t.Errorf("Diff(%q, %q) = %s, want %s", tt.src, tt.match, s, tt.want)
		}
	}
}

func TestRepair(t *testing.T) {
	terms := []plugins.TermConstraint{{Source: "folder", Target: "carpeta"}, {Source: "file", Target: "archivo"},
		{Source: "Notes", Target: "notas"}, {Source: "Attachments", Target: "Archivos adjuntos"}, {Source: "Northwind", Target: "Northwind"}}
	tests := []struct {
		name   string
		src    string
		m      plugins.FuzzyMatch
		want   string
		wantOK bool
	}{
		{"exact", "Open the file", plugins.FuzzyMatch{Source: "Open the file", Target: "Abra el archivo"}, "Abra el archivo", true},
		// The article agrees with the new term.
		{"term", "Open the folder", plugins.FuzzyMatch{Source: "Open the file", Target: "Abra el archivo"}, "Abra la carpeta", true},
		// A fragment that begins the source but not the target is written
		// as the word it replaces, a name as it is.
		{"first word", "Attachments are encrypted", plugins.FuzzyMatch{Source: "Notes are encrypted", Target: "Las notas se cifran"}, "Los archivos adjuntos se cifran", true},
		{"first word, a name", "Northwind syncs", plugins.FuzzyMatch{Source: "Notes syncs", Target: "Sincroniza las notas"}, "Sincroniza las Northwind", true}, // the name keeps its capital
		{"number", "Delete 12 files", plugins.FuzzyMatch{Source: "Delete 3 files", Target: "Borre 3 archivos"}, "Borre 12 archivos", true},
		{"deletion", "Delete 3 files", plugins.FuzzyMatch{Source: "Delete 3 files 5", Target: "Borre 3 archivos 5"}, "Borre 3 archivos", true},
		{"unknown word", "Open the window", plugins.FuzzyMatch{Source: "Open the file", Target: "Abra el archivo"}, "", false},
		{"insertion", "Open the big file", plugins.FuzzyMatch{Source: "Open the file", Target: "Abra el archivo"}, "", false},
		{"too far", "a b c d e f g", plugins.FuzzyMatch{Source: "a x c y e z g w", Target: "a x c y e z g w"}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, err := Repair("es", tt.src, tt.m, TermTranslator(terms))
			if err != nil {
				t.Fatal(err)
			}
			if ok != tt.wantOK || got != tt.want {
				t.Errorf("Repair(%q, %q) = %q, %v, want %q, %v", tt.src, tt.m.Source, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestSubstituteAndHonoured(t *testing.T) {
	src := "Open the file in the folder"
	terms := []plugins.TermConstraint{
		{SourceSpan: plugins.Span{Start: 21, End: 27}, Target: "carpeta"},
		{SourceSpan: plugins.Span{Start: 9, End: 13}, Target: "archivo"},
		{SourceSpan: plugins.Span{Start: 10, End: 30}, Target: "bad"},
		{SourceSpan: plugins.Span{Start: 11, End: 16}, Target: "overlaps"},
	}
	got, used := Substitute(src, terms, func(i int) string { return terms[i].Target })
	if want := "Open the archivo in the carpeta"; got != want || fmt.Sprint(used) != "[1 0]" {
		t.Errorf("Substitute = %q, %v, want %q, [1 0]", got, used, want)
	}
	if h := Honoured("Abra el archivo", terms); fmt.Sprint(h) != "[1]" {
		t.Errorf("Honoured = %v, want [1]", h)
	}
}

// TestRepairRecasesCapitals: a match in capitals repairs a sentence that
// is not, in the sentence's case; words the sentence writes in capitals
// stay so.
func TestRepairRecasesCapitals(t *testing.T) {
	none := func([]string) ([]string, []bool, error) { return nil, nil, nil }
	tests := []struct{ src, msrc, mtgt, want string }{
		{"Suffix", "SUFFIX", "SUFIJO", "Sufijo"},
		{"Export to PDF", "EXPORT TO PDF", "EXPORTAR A PDF", "Exportar a PDF"},
		{"suffix", "SUFFIX", "SUFIJO", "sufijo"},
		{"SUFFIX", "SUFFIX", "SUFIJO", "SUFIJO"},
		{"Suffix", "Suffix", "Sufijo", "Sufijo"},
	}
	for _, tt := range tests {
		got, ok, err := Repair("es", tt.src, plugins.FuzzyMatch{Source: tt.msrc, Target: tt.mtgt, Score: 99}, none)
		if err != nil || !ok || got != tt.want {
			t.Errorf("Repair(%q, %q → %q) = %q, %v, %v; want %q", tt.src, tt.msrc, tt.mtgt, got, ok, err, tt.want)
		}
	}
}
