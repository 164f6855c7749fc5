package xliff

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kgmem/kgmem/corpora"
)

// fuzzSeeds are the shared samples (when present) and this package's own
// documents.
func fuzzSeeds(f *testing.F) {
	for _, p := range []string{"filters/xliff/*/*.xl*", "tmx/TMXComplianceKit/ExportTest1E.xlf"} {
		dir := os.Getenv("KGMEM_SHARED_DATA")
		if dir == "" {
			dir = filepath.Join("..", "..", "..", "shared", "data")
		}
		files, _ := filepath.Glob(filepath.Join(dir, "formats", "omegat", p))
		for _, file := range files {
			if b, err := os.ReadFile(file); err == nil {
				f.Add(b)
			}
		}
	}
	for _, s := range []string{doc12, doc2, fillDoc12, fillDoc2} {
		f.Add([]byte(s))
	}
}

// fuzzLimits keep the fuzzer's inputs from spending its time on size.
var fuzzLimits = corpora.Limits{MaxDepth: 64, MaxUnitBytes: 1 << 16}

func FuzzReader(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, lenient := range []bool{false, true} {
			r, err := NewReader(bytes.NewReader(data), corpora.ReadOptions{Name: "f", Lenient: lenient, Limits: fuzzLimits})
			if err != nil {
				checkParseError(t, err)
				continue
			}
			for i := 0; ; i++ {
				u, err := r.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					checkParseError(t, err)
					break
				}
				if u == nil || u.Origin.Index != i {
					t.Fatalf("unit %d = %+v", i, u)
				}
			}
		}
	})
}

func checkParseError(t *testing.T, err error) {
	t.Helper()
	var pe *corpora.ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v is %T, not a *corpora.ParseError", err, err)
	}
	if pe.File != "f" {
		t.Fatalf("error %v names file %q", err, pe.File)
	}
}

func FuzzFill(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		var out bytes.Buffer
		_, err := Fill(bytes.NewReader(data), &out, nil, FillOptions{Name: "f", Limits: fuzzLimits})
		if err != nil {
			checkParseError(t, err)
			return
		}
		if plainUTF8(data) && !bytes.Equal(out.Bytes(), data) {
			t.Fatalf("Fill with no translations changed the document:\n%q\n%q", data, out.Bytes())
		}
		// Fill every unit the reader finds, and read the result back.
		r, err := NewReader(bytes.NewReader(data), corpora.ReadOptions{Name: "f", Limits: fuzzLimits})
		if err != nil {
			return
		}
		tr := map[Key]Translation{}
		var readErr error
		for {
			u, err := r.Next()
			if err != nil {
				if err != io.EOF {
					readErr = err
				}
				break
			}
			tr[KeyOf(u)] = Translation{Target: u.Source, Status: corpora.StatusDraft, Note: "kgmem & <qa>\nnote"}
		}
		out.Reset()
		st, err := Fill(bytes.NewReader(data), &out, tr, FillOptions{Name: "f", Limits: fuzzLimits, TargetLang: corpora.MustParseLang("fr")})
		if err != nil {
			checkParseError(t, err)
			return
		}
		if st.Filled+len(st.Missing) < len(tr) {
			t.Fatalf("stats %+v for %d keys", st, len(tr))
		}
		// A document that reads still reads once filled.
		if _, err := readAll(t, out.Bytes(), corpora.ReadOptions{Name: "f", Limits: corpora.Limits{MaxDepth: 128, MaxUnitBytes: 1 << 20}}); err != nil && readErr == nil {
			t.Fatalf("the filled document does not read: %v\n%q\n%q", err, data, out.Bytes())
		}
	})
}

// plainUTF8 reports whether Fill must reproduce data byte for byte: it is
// not UTF-16 and declares no charset but UTF-8 (others are decoded and
// encoded again, which a lossy charset need not survive).
func plainUTF8(data []byte) bool {
	enc := corpora.DetectEncoding(data)
	if enc == corpora.UTF16LE || enc == corpora.UTF16BE {
		return false
	}
	head := data
	if len(head) > 4096 {
		head = head[:4096]
	}
	head = bytes.TrimPrefix(head, []byte{0xEF, 0xBB, 0xBF})
	if !bytes.HasPrefix(head, []byte("<?xml")) {
		return true
	}
	end := bytes.Index(head, []byte("?>"))
	if end < 0 {
		return true
	}
	label, _, _ := declEncoding(head[:end])
	l := strings.ToLower(label)
	return l == "" || l == "utf-8" || l == "utf8" || l == "us-ascii" || l == "ascii"
}
