package tbx_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/tbx"
	"github.com/kgmem/kgmem/internal/testenv"
)

func FuzzTBXReader(f *testing.F) {
	dir := testenv.SharedData(f, "formats")
	files, _ := filepath.Glob(filepath.Join(dir, "ltac-tbx", "*", "*.tbx"))
	files = append(files, filepath.Join(dir, "omegat", "glossaries", "sampleTBXfile.tbx"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(excerpt(data))
	}
	golden, _ := filepath.Glob(filepath.Join("testdata", "*.golden"))
	for _, name := range golden {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(doc("TBX-Basic", entry("c1", enEs))))
	f.Add([]byte(`<martif type="TBX" xml:lang="en"><martifHeader/><text><body><termEntry><langSet xml:lang="en"><ntig><termGrp><term>x</term></termGrp></ntig></langSet></termEntry></body></text></martif>`))

	f.Fuzz(func(t *testing.T, data []byte) {
		opts := corpora.ReadOptions{Name: "fuzz.tbx", Limits: corpora.Limits{MaxUnitBytes: 1 << 16}}
		strict := fuzzRead(t, data, opts)
		opts.Lenient = true
		opts.OnSkip = func(s corpora.Skip) {
			if s.File != "fuzz.tbx" || s.Reason == "" {
				t.Errorf("bad skip %+v", s)
			}
		}
		lenient := fuzzRead(t, data, opts)
		if lenient < strict {
			t.Errorf("lenient read %d entries, strict %d", lenient, strict)
		}
		// Units: every one has both sides.
		r, err := tbx.NewReader(bytes.NewReader(data), opts)
		if err != nil {
			return
		}
		for {
			u, err := r.Next()
			if err != nil {
				checkErr(t, err)
				return
			}
			if u == nil || u.Source.IsEmpty() || u.Target.IsEmpty() {
				t.Fatalf("bad unit %+v", u)
			}
		}
	})
}

// excerpt cuts a large sample down to its header and first three entries,
// closed as the file closes: the fuzzer minimises every new input it finds
// interesting, which takes a minute on a 170 KB file and stalls fuzzing.
func excerpt(data []byte) []byte {
	const n = 3
ends:
	for _, end := range []string{"</conceptEntry>", "</termEntry>"} {
		cut, rest := 0, data
		for i := 0; i < n; i++ {
			j := bytes.Index(rest, []byte(end))
			if j < 0 {
				continue ends
			}
			cut += j + len(end)
			rest = data[cut:]
		}
		if tail := bytes.Index(data, []byte("</body>")); tail > cut {
			return append(append([]byte{}, data[:cut]...), data[tail:]...)
		}
	}
	return data
}

// fuzzRead reads data and checks the invariants of entries and errors. It
// returns how many entries were read.
func fuzzRead(t *testing.T, data []byte, opts corpora.ReadOptions) int {
	r, err := tbx.NewReader(bytes.NewReader(data), opts)
	if err != nil {
		checkErr(t, err)
		return 0
	}
	n := 0
	for {
		e, err := r.NextTerm()
		if err != nil {
			checkErr(t, err)
			return n
		}
		if e == nil || len(e.Terms) == 0 || e.Origin.Index != n {
			t.Fatalf("bad entry %+v", e)
		}
		for _, term := range e.Terms {
			if term.Text == "" {
				t.Fatalf("empty term in %+v", e)
			}
		}
		n++
	}
}

func checkErr(t *testing.T, err error) {
	if err == io.EOF {
		return
	}
	var pe *corpora.ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v is %T, not *corpora.ParseError", err, err)
	}
	if pe.File != "fuzz.tbx" || pe.Err == nil {
		t.Fatalf("bad ParseError %#v", pe)
	}
}
