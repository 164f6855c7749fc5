package tmx

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/internal/testenv"
)

// tatoebaTMX builds, with the Writer, a TMX of the first n pairs of the
// Tatoeba English–Spanish file (all of them when n is 0 or more than it
// has), repeating the file if n is larger.
func tatoebaTMX(tb testing.TB, n int) ([]byte, int) {
	tb.Helper()
	f, err := os.Open(testenv.SharedData(tb, "tatoeba", "en-es.tsv"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var pairs [][2]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		src, tgt, ok := strings.Cut(sc.Text(), "\t")
		if ok {
			pairs = append(pairs, [2]string{src, tgt})
		}
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	if n <= 0 {
		n = len(pairs)
	}
	var buf bytes.Buffer
	w, err := NewWriter(&buf, WriterOptions{SourceLang: language.English, TargetLang: language.Spanish})
	if err != nil {
		tb.Fatal(err)
	}
	for i := 0; i < n; i++ {
		p := pairs[i%len(pairs)]
		if err := w.Write(&corpora.Unit{Source: corpora.Text(p[0]), Target: corpora.Text(p[1])}); err != nil {
			tb.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes(), n
}

func readAll(tb testing.TB, data []byte, viaXML bool) int {
	r, err := newReader(bytes.NewReader(data), corpora.ReadOptions{Name: "bench.tmx"}, config{viaXML: viaXML})
	if err != nil {
		tb.Fatal(err)
	}
	n := 0
	for {
		_, err := r.Next()
		if err == io.EOF {
			return n
		}
		if err != nil {
			tb.Fatal(err)
		}
		n++
	}
}

// BenchmarkReader reads a TMX of Tatoeba pairs: 10,000 units (short
// sentences, so mostly markup), and all 118,964 (24 MB); "xmlread" is the
// same through encoding/xml, for comparison. MB/cpu-s is throughput per
// second of CPU time used by all threads (GC included).
func BenchmarkReader(b *testing.B) {
	for _, size := range []int{10_000, 0} {
		data, n := tatoebaTMX(b, size)
		name := "units=" + itoa(n)
		for _, via := range []string{"scanner", "xmlread"} {
			b.Run(via+"/"+name, func(b *testing.B) {
				b.SetBytes(int64(len(data)))
				b.ReportAllocs()
				cpu := cpuTime()
				for b.Loop() {
					if got := readAll(b, data, via == "xmlread"); got != n {
						b.Fatalf("read %d units, want %d", got, n)
					}
				}
				if used := cpuTime() - cpu; used > 0 {
					b.ReportMetric(float64(len(data))*float64(b.N)/used.Seconds()/1e6, "MB/cpu-s")
				}
			})
		}
	}
}

func itoa(n int) string {
	var b []byte
	for {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
		if n == 0 {
			return string(b)
		}
	}
}

// BenchmarkWriter writes Tatoeba pairs as TMX.
func BenchmarkWriter(b *testing.B) {
	data, _ := tatoebaTMX(b, 0)
	units := read(data, corpora.ReadOptions{}).units
	for _, n := range []int{10_000, len(units)} {
		b.Run("units="+itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			var size int64
			for b.Loop() {
				cw := &countWriter{}
				w, err := NewWriter(cw, WriterOptions{})
				if err != nil {
					b.Fatal(err)
				}
				for _, u := range units[:n] {
					if err := w.Write(u); err != nil {
						b.Fatal(err)
					}
				}
				if err := w.Close(); err != nil {
					b.Fatal(err)
				}
				size = cw.n
			}
			b.SetBytes(size)
		})
	}
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}
