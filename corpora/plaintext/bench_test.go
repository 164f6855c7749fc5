package plaintext

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/internal/testenv"
)

// tatoebaText returns the first n English sentences of Tatoeba as running
// text, five to a paragraph.
func tatoebaText(b *testing.B, n int) string {
	data, err := os.ReadFile(testenv.SharedData(b, "tatoeba", "en-es.tsv"))
	if err != nil {
		b.Fatal(err)
	}
	var sb strings.Builder
	for i, line := range strings.SplitN(string(data), "\n", n+1)[:n] {
		src, _, _ := strings.Cut(line, "\t")
		sb.WriteString(src)
		if i%5 == 4 {
			sb.WriteString("\n\n")
		} else {
			sb.WriteString(" ")
		}
	}
	return sb.String()
}

func BenchmarkSplit(b *testing.B) {
	for _, n := range []int{100, 10000} {
		text := tatoebaText(b, n)
		b.Run(itoa(n)+"-sentences", func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				Split(text, language.English)
			}
		})
	}
}

func BenchmarkReader(b *testing.B) {
	for _, n := range []int{100, 10000} {
		text := []byte(tatoebaText(b, n))
		b.Run(itoa(n)+"-sentences", func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				r, err := NewReader(bytes.NewReader(text), corpora.ReadOptions{SourceLang: language.English})
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

func itoa(n int) string {
	if n >= 1000 {
		return itoa(n/1000) + "k"
	}
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}
