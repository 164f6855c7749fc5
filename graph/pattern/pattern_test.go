package pattern

import (
	"fmt"
	"reflect"
	"testing"
)

func TestFind(t *testing.T) {
	tests := []struct {
		text string
		want []string // "type:text"
	}{
		{"Could not open %s: %d errors", []string{"placeholder:%s", "placeholder:%d"}},
		{"Copy %1$s to %2$s (%(count)d files, {0}, {name}, ${HOME})", []string{"placeholder:%1$s", "placeholder:%2$s", "placeholder:%(count)d", "placeholder:{0}", "placeholder:{name}", "placeholder:${HOME}"}},
		{"See https://example.com/docs. Or mail help@example.org.", []string{"url:https://example.com/docs", "email:help@example.org"}},
		{"Edit /etc/apt/sources.list or ~/.bashrc", []string{"path:/etc/apt/sources.list", "path:~/.bashrc"}},
		{"Requires GTK 3.24.5 and 512 MB on 2024-05-01", []string{"code:GTK", "version:3.24.5", "number:512 MB", "date:2024-05-01"}},
		{"Open it in PowerPoint or on your iPhone", []string{"product:PowerPoint", "product:iPhone"}},
		{"COVID-19 cases rose 12%", []string{"code:COVID-19", "number:12%"}},
		{"Click <b>Save</b> now", []string{"placeholder:<b>", "placeholder:</b>"}},
		{"plain words only", nil},
		{"100% free, 50 %", []string{"number:100%", "number:50 %"}},
	}
	for _, tt := range tests {
		var got []string
		for _, s := range Find(tt.text) {
			got = append(got, string(s.Type)+":"+tt.text[s.Start:s.End])
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Find(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func ExampleFind() {
	text := "Copy %s to https://example.com before 2024-05-01"
	for _, s := range Find(text) {
		fmt.Println(s.Type, text[s.Start:s.End])
	}
	// Output:
	// placeholder %s
	// url https://example.com
	// date 2024-05-01
}

// FuzzFind checks what callers rely on: spans inside the text, non-empty,
// left to right and without overlaps.
func FuzzFind(f *testing.F) {
	for _, s := range []string{
		"Could not open %s: %d errors", "See https://example.com/docs. Or mail help@example.org.",
		"Edit /etc/apt/sources.list or ~/.bashrc", "Requires GTK 3.24.5 and 512 MB on 2024-05-01",
		"Copy %1$s to %2$s (%(count)d files, {0}, {name}, ${HOME})", "Click <b>Save</b> now", "100% free, 50 %",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		end := 0
		for _, s := range Find(text) {
			if s.Start < end || s.End <= s.Start || s.End > len(text) || s.Type == "" {
				t.Fatalf("Find(%q): span %+v after offset %d", text, s, end)
			}
			end = s.End
		}
	})
}
