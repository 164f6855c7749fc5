package tabular

import (
	"bytes"
	"io"
	"os"
	"testing"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/internal/testenv"
)

// firstLines returns the first n lines of b (all of it when n < 0).
func firstLines(b []byte, n int) []byte {
	if n < 0 {
		return b
	}
	i := 0
	for ; n > 0 && i < len(b); n-- {
		j := bytes.IndexByte(b[i:], '\n')
		if j < 0 {
			return b
		}
		i += j + 1
	}
	return b[:i]
}

func BenchmarkReader(b *testing.B) {
	for _, s := range []struct {
		name  string
		path  []string
		lines int
	}{
		{"tatoeba-1k", []string{"tatoeba", "en-es.tsv"}, 1000},
		{"tatoeba-10k", []string{"tatoeba", "en-es.tsv"}, 10000},
		{"tatoeba-all", []string{"tatoeba", "en-es.tsv"}, -1},
		{"gettext-memory-all", []string{"gettext", "en-es.memory.tsv"}, -1},
		{"tico19-terms-csv", []string{"tico19", "g_en_es-419.csv"}, -1},
	} {
		b.Run(s.name, func(b *testing.B) {
			data, err := os.ReadFile(testenv.SharedData(b, s.path...))
			if err != nil {
				b.Fatal(err)
			}
			data = firstLines(data, s.lines)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				r, err := NewReader(bytes.NewReader(data), corpora.ReadOptions{})
				if err != nil {
					b.Fatal(err)
				}
				for {
					_, err := r.Next()
					if err == io.EOF {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

func BenchmarkWriter(b *testing.B) {
	data, err := os.ReadFile(testenv.SharedData(b, "tatoeba", "en-es.tsv"))
	if err != nil {
		b.Fatal(err)
	}
	r, err := NewReader(bytes.NewReader(data), corpora.ReadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	units, err := readAll(r)
	if err != nil {
		b.Fatal(err)
	}
	for _, d := range []rune{'\t', ','} {
		b.Run(string(d), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				w, _ := NewWriter(io.Discard, WriterOptions{Delimiter: d})
				for _, u := range units {
					if err := w.Write(u); err != nil {
						b.Fatal(err)
					}
				}
				if err := w.Close(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
