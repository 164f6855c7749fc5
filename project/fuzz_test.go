package project

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/kgmem/kgmem/corpora"
)

// FuzzGlob checks that any pattern either parses or is refused, and that
// matching never panics and agrees with itself.
func FuzzGlob(f *testing.F) {
	for _, s := range []string{"*.po", "**/po/*.po", "locale/**", "[a-c]*.xlf", "a**", "[", "/", "**/**/x", "?/??"} {
		f.Add(s, "po/es.po")
	}
	f.Fuzz(func(t *testing.T, pattern, rel string) {
		g, err := ParseGlob(pattern)
		if err != nil {
			return
		}
		if g.Match(rel) != g.Match(rel) {
			t.Fatalf("%q.Match(%q) changes", pattern, rel)
		}
	})
}

// FuzzReadOmegaT checks that any omegat.project either reads, with both
// languages, or is refused with a parse error.
func FuzzReadOmegaT(f *testing.F) {
	f.Add([]byte(omegatProjectXML))
	f.Add([]byte(`<omegat><project><source_lang>EN</source_lang><target_lang>CA</target_lang></project></omegat>`))
	f.Add([]byte("<omegat><project>"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(filepath.Join(dir, OmegaTProjectFile), data, 0o644); err != nil {
			t.Fatal(err)
		}
		o, err := ReadOmegaT(dir)
		var pe *corpora.ParseError
		switch {
		case err != nil && !errors.As(err, &pe):
			t.Fatalf("ReadOmegaT(%q) = %v, want a parse error", data, err)
		case err == nil && (o == nil || o.SourceLang.String() == "und" || o.TargetLang.String() == "und"):
			t.Fatalf("ReadOmegaT(%q) = %+v without languages", data, o)
		}
	})
}
