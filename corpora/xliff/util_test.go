package xliff

import (
	"testing"

	"golang.org/x/text/encoding/unicode"
)

// toUTF16 encodes s as UTF-16, little or big endian, with or without BOM.
func toUTF16(t testing.TB, s string, little, bom bool) []byte {
	t.Helper()
	e := unicode.BigEndian
	if little {
		e = unicode.LittleEndian
	}
	b := unicode.IgnoreBOM
	if bom {
		b = unicode.UseBOM
	}
	out, err := unicode.UTF16(e, b).NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return out
}
