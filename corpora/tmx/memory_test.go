package tmx

import (
	"bufio"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/internal/testenv"
)

// tmxStream generates a TMX of n units from pairs as it is read, so that
// the input itself takes no memory.
type tmxStream struct {
	pairs [][2]string
	n, i  int
	buf   []byte
	total int64 // bytes handed out
	done  bool
}

func (s *tmxStream) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(s.buf) == 0 && !s.more() {
			break
		}
		k := copy(p[n:], s.buf)
		s.buf = s.buf[k:]
		n += k
	}
	if n == 0 {
		return 0, io.EOF
	}
	s.total += int64(n)
	return n, nil
}

// more generates the next piece of the document into s.buf.
func (s *tmxStream) more() bool {
	for len(s.buf) == 0 {
		switch {
		case s.done:
			return false
		case s.i == 0 && s.buf == nil:
			s.buf = []byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
				`<tmx version="1.4"><header srclang="en" adminlang="en" datatype="plaintext" segtype="sentence" o-tmf="x" creationtool="x" creationtoolversion="1"/>` + "\n<body>\n")
		case s.i < s.n:
			pr := s.pairs[s.i%len(s.pairs)]
			s.buf = append(s.buf[:0], `<tu tuid="`...)
			s.buf = append(s.buf, itoa(s.i)...)
			s.buf = append(s.buf, `"><tuv xml:lang="en"><seg>`...)
			s.buf = appendEscaped(s.buf, pr[0], false)
			s.buf = append(s.buf, `</seg></tuv><tuv xml:lang="es"><seg>`...)
			s.buf = appendEscaped(s.buf, pr[1], false)
			s.buf = append(s.buf, "</seg></tuv></tu>\n"...)
			s.i++
		default:
			s.buf = append(s.buf[:0], "</body></tmx>\n"...)
			s.done = true
		}
	}
	return true
}

func tatoebaPairs(t testing.TB) [][2]string {
	f, err := os.Open(testenv.SharedData(t, "tatoeba", "en-es.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var pairs [][2]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if src, tgt, ok := strings.Cut(sc.Text(), "\t"); ok {
			pairs = append(pairs, [2]string{src, tgt})
		}
	}
	return pairs
}

// peakHeap reads n units and returns the most live heap seen, sampled
// after a collection every 25,000 units, less the heap before reading.
func peakHeap(t *testing.T, pairs [][2]string, n int) (peak uint64, size int64) {
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	in := &tmxStream{pairs: pairs, n: n}
	r, err := NewReader(in, corpora.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := 0
	for {
		u, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got++
		if got%25_000 == 0 {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc-min(base, ms.HeapAlloc))
		}
		_ = u
	}
	if got != n {
		t.Fatalf("read %d units, want %d", got, n)
	}
	return peak, in.total
}

// TestMemoryFlat reads 50,000 and 500,000 units: the live heap must not
// grow with the file.
func TestMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("reads half a million units")
	}
	pairs := tatoebaPairs(t)
	small, smallSize := peakHeap(t, pairs, 50_000)
	large, largeSize := peakHeap(t, pairs, 500_000)
	t.Logf("peak live heap: %d KiB reading 50,000 units (%d MB), %d KiB reading 500,000 (%d MB)",
		small>>10, smallSize>>20, large>>10, largeSize>>20)
	if large > small+1<<20 {
		t.Errorf("peak heap grows with the file: %d bytes for 50,000 units, %d for 500,000", small, large)
	}
}
