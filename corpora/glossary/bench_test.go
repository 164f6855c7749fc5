package glossary_test

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/glossary"
)

func BenchmarkReader(b *testing.B) {
	for _, format := range []string{"tab", "csv"} {
		for _, n := range []int{1000, 100000} {
			var sb strings.Builder
			for i := 0; i < n; i++ {
				if format == "tab" {
					fmt.Fprintf(&sb, "term %d\ttérmino %d\ta comment\n", i, i)
				} else {
					fmt.Fprintf(&sb, "%d,en,es,noun,\"A definition, quoted\",term %d,término %d\n", i, i, i)
				}
			}
			data := []byte(sb.String())
			if format == "csv" {
				data = append([]byte("stringID,sourceLang,targetLang,pos,description,sourceString,targetString\n"), data...)
			}
			b.Run(fmt.Sprintf("%s/lines=%d", format, n), func(b *testing.B) {
				b.SetBytes(int64(len(data)))
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					r, err := glossary.NewReader(bytes.NewReader(data), corpora.ReadOptions{Name: "g." + format})
					if err != nil {
						b.Fatal(err)
					}
					for {
						if _, err := r.Next(); err != nil {
							if err != io.EOF {
								b.Fatal(err)
							}
							break
						}
					}
				}
			})
		}
	}
}
