package qa

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kgmem/kgmem/corpora"
)

// FuzzCheck runs every check on arbitrary pairs, in Spanish, French and
// Greek (the languages with checks of their own): no panic, and every
// finding names a known check, a severity and the pair.
func FuzzCheck(f *testing.F) {
	for _, u := range readFile(f, filepath.Join("testdata", "golden.po")) {
		f.Add(u.Source.Plain(), u.Target.Plain(), uint8(0))
	}
	f.Add("_File %1$s <b>x</b> https://a.b/?c&d 1,000", "Ar_chivo %2$s <b/> ¿¡ 1.000", uint8(1))
	f.Add("%PRODUCTNAME%", "%", uint8(2))
	f.Add("<a href='x'", "&amp;&", uint8(0))
	known := map[string]bool{}
	for _, n := range CheckNames() {
		known[n] = true
	}
	langs := []string{"es", "fr", "el"}
	f.Fuzz(func(t *testing.T, src, tgt string, lang uint8) {
		if !utf8.ValidString(src) || !utf8.ValidString(tgt) {
			return
		}
		u := pairUnit(langs[int(lang)%len(langs)], src, tgt)
		dup := pairUnit(langs[int(lang)%len(langs)], src, strings.ToUpper(tgt))
		fs, err := Check(context.Background(), []*corpora.Unit{u, dup}, Options{Memory: NewUnitMemory([]*corpora.Unit{dup})})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			if !known[f.Check] || f.Severity < Info || f.Severity > Error || f.Message == "" {
				t.Fatalf("malformed finding %+v", f)
			}
		}
	})
}
