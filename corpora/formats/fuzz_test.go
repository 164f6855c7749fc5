package formats

import (
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
)

// FuzzRoundTrip writes one unit with arbitrary source, target and context
// to every format and reads it back: what each format keeps of a unit
// (see keyOf) must come back as it was.
func FuzzRoundTrip(f *testing.F) {
	f.Add("Open the file", "Abrir el archivo", "")
	f.Add("\atimed out\n", "\aha expirado\n", "")
	f.Add("Tag", "", "verb")
	f.Add(" from %.*s", " de %.*s", "")
	f.Add("\r\nmalloc\r\n", "x\r\n", "c\x04d")
	f.Add("&#x7; is not a bell", "&#x26;#x7;", "&amp;")
	f.Add("a\u00a0b  c\t", "\uE000r\"", "\x1f")
	f.Fuzz(func(t *testing.T, src, tgt, ctx string) {
		if !utf8.ValidString(src+tgt+ctx) || strings.TrimSpace(src) == "" || len(src)+len(tgt)+len(ctx) > 4096 ||
			strings.ContainsRune(src+tgt+ctx, '\uFFFE') {
			return
		}
		in := []*corpora.Unit{{SourceLang: language.English, TargetLang: language.Spanish,
			Source: corpora.Text(src), Target: corpora.Text(tgt), Context: ctx, Gettext: &corpora.Gettext{}}}
		for _, rf := range roundTripFormats {
			if FromName(rf.file) == PO && !validMsgid(src, ctx) {
				continue
			}
			path := filepath.Join(t.TempDir(), rf.file)
			writeAll(t, path, rf.version, in, language.English, language.Spanish)
			got := readAll(t, path, language.English, language.Spanish, true)
			if err := sameUnits(got, in, FromName(path)); err != nil {
				t.Errorf("%s: %v", rf.file, err)
			}
		}
	})
}

// validMsgid reports whether a gettext catalog can hold an entry with
// this msgid and msgctxt as a unit: an empty msgid without msgctxt is
// the header.
func validMsgid(src, ctx string) bool { return src != "" || ctx != "" }
