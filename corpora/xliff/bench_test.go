package xliff

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/kgmem/kgmem/corpora"
)

// benchDoc returns a 1.2 document with n units with inline codes.
func benchDoc(n int) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">` + "\n")
	b.WriteString(`<file original="bench" source-language="en" target-language="es" datatype="plaintext"><body>` + "\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "  <trans-unit id=\"u%d\">\n    <source>Open the <g id=\"1\">file</g> number %d<x id=\"2\"/> now</source>\n", i, i)
		if i%2 == 0 {
			fmt.Fprintf(&b, "    <target state=\"translated\">Abre el <g id=\"1\">fichero</g> número %d<x id=\"2\"/> ya</target>\n", i)
		}
		b.WriteString("  </trans-unit>\n")
	}
	b.WriteString("</body></file></xliff>\n")
	return []byte(b.String())
}

func BenchmarkReader(b *testing.B) {
	for _, n := range []int{100, 10000} {
		doc := benchDoc(n)
		b.Run(fmt.Sprintf("units=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(doc)))
			for i := 0; i < b.N; i++ {
				r, err := NewReader(bytes.NewReader(doc), corpora.ReadOptions{})
				if err != nil {
					b.Fatal(err)
				}
				for {
					if _, err := r.Next(); err == io.EOF {
						break
					} else if err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

func BenchmarkFill(b *testing.B) {
	for _, n := range []int{100, 10000} {
		doc := benchDoc(n)
		tr := map[Key]Translation{}
		for i := 0; i < n; i += 3 {
			tr[Key{File: "bench", Unit: fmt.Sprintf("u%d", i)}] = Translation{Target: corpora.Text("traducción")}
		}
		b.Run(fmt.Sprintf("units=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(doc)))
			for i := 0; i < b.N; i++ {
				if _, err := Fill(bytes.NewReader(doc), io.Discard, tr, FillOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
