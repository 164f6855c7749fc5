package retrieval

import (
	"testing"
	"time"
)

func TestRecordRoundTrip(t *testing.T) {
	recs := []record{
		{},
		{Source: "Open", Target: "Abrir", SourceLang: "en", TargetLang: "es", Prev: "File", Next: "Close",
			Status: "approved", Domain: "ui", Origin: "/data/ui.po#12", Changed: time.Date(2024, 3, 1, 12, 0, 0, 5, time.UTC)},
		{Source: "línea\x00con\nrarezas", Target: "\x01"},
		{Source: "Tag", Target: "Etiquetar", Context: "verb", Changed: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, r := range recs {
		data := r.encode()
		got, err := decodeRecord(data)
		if err != nil {
			t.Fatalf("decodeRecord(encode(%+v)): %v", r, err)
		}
		if got != r {
			t.Errorf("decodeRecord(encode(%+v)) = %+v", r, got)
		}
		src, err := recordSource(data)
		if err != nil || src != r.Source {
			t.Errorf("recordSource(encode(%+v)) = %q, %v", r, src, err)
		}
	}
}

// FuzzDecodeRecord feeds damaged stored records to the decoder: it must
// fail cleanly, never panic.
func FuzzDecodeRecord(f *testing.F) {
	f.Add((&record{Source: "Open", Target: "Abrir", Origin: "x#1"}).encode())
	f.Add("")
	f.Add("\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01")
	f.Fuzz(func(t *testing.T, data string) {
		r, err := decodeRecord(data)
		src, err2 := recordSource(data)
		if err == nil {
			if err2 != nil || src != r.Source {
				t.Fatalf("recordSource(%q) = %q, %v; decodeRecord gives source %q", data, src, err2, r.Source)
			}
			if again, err := decodeRecord(r.encode()); err != nil || again != r {
				t.Fatalf("re-encoding %+v gives %+v, %v", r, again, err)
			}
		}
	})
}
