package tmx

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
)

// FuzzReader reads arbitrary bytes, strictly and leniently, through the
// scanner (also with tiny text chunks) and through encoding/xml. It checks that nothing panics, errors
// are *corpora.ParseError, units are whole and numbered in order, that the
// scanner accepts nothing encoding/xml rejects and reads the same units
// from what both accept, and that what was read can be written and read
// back to the same text.
func FuzzReader(f *testing.F) {
	for _, path := range samplePaths(f) {
		// The two 68 KB samples would slow every execution down; the
		// fuzzer gets further from the small ones.
		if data := mustRead(f, path); len(data) < 16<<10 {
			f.Add(data)
		}
	}
	for _, s := range []string{
		"",
		doc(tu("a", "b")),
		doc(tu(`<bpt i="1">&lt;b&gt;</bpt>x<ept i="1">&lt;/b&gt;</ept><hi x="2">y</hi><ph><sub>s</sub></ph>`, "b")),
		doc(tu("<![CDATA[a<b]]>", "&#x1F600;")),
		"<!DOCTYPE tmx [<!ENTITY a 'b'>]><tmx><header srclang='*all*'/><body>" + tu("&a;", "x") + "</body></tmx>",
	} {
		f.Add([]byte(s))
	}
	f.Add(utf16le(doc(tu("a", "b"))))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, lenient := range []bool{false, true} {
			opts := corpora.ReadOptions{Name: "fuzz.tmx", Lenient: lenient, Limits: corpora.Limits{MaxDepth: 64, MaxUnitBytes: 1 << 16}}
			fast := readVia(data, opts, false)
			checkResult(t, fast)
			// Text in chunks of 7 bytes, boundaries everywhere: the same.
			small := readWith(data, opts, config{chunk: 7})
			if (small.err == nil) != (fast.err == nil) || fast.err == nil && len(small.skips) != len(fast.skips) {
				t.Fatalf("lenient=%v: chunks of 7 bytes give error %v and %d skips, whole text %v and %d", lenient, small.err, len(small.skips), fast.err, len(fast.skips))
			}
			if d := diffUnits(small.units, fast.units); d != "" {
				t.Fatalf("lenient=%v: chunks of 7 bytes give other units: %s", lenient, d)
			}
			slow := readVia(data, opts, true)
			checkResult(t, slow)
			if fast.err == nil {
				// encoding/xml checks names against the tables of XML 1.0
				// before its fifth edition; the scanner lets letters of
				// later Unicode versions through.
				if slow.err != nil && strings.Contains(slow.err.Error(), "invalid XML name") {
					continue
				}
				if slow.err != nil {
					t.Fatalf("lenient=%v: the scanner reads %d units, encoding/xml fails: %v", lenient, len(fast.units), slow.err)
				}
				if d := diffUnits(fast.units, slow.units); d != "" {
					t.Fatalf("lenient=%v: scanner and encoding/xml differ: %s", lenient, d)
				}
			}
			if lenient {
				roundTrip(t, fast.units)
			}
		}
	})
}

func checkResult(t *testing.T, res result) {
	t.Helper()
	if res.err != nil {
		parseError(t, res.err)
	}
	for i, u := range res.units {
		if u == nil {
			t.Fatalf("unit %d is nil", i)
		}
		if u.Origin.Index != i || u.Origin.File != "fuzz.tmx" || u.Origin.Line < 1 {
			t.Fatalf("unit %d: Origin = %+v", i, u.Origin)
		}
	}
	for _, s := range res.skips {
		if s.Reason == "" || s.Line < 1 {
			t.Fatalf("skip without a reason or line: %+v", s)
		}
	}
}

// roundTrip writes units and reads them back: the text must survive.
func roundTrip(t *testing.T, units []*corpora.Unit) {
	t.Helper()
	for _, u := range units {
		if u.SourceLang == language.Und || u.TargetLang == language.Und {
			return // a tuv in xml:lang="und" has no language to write
		}
	}
	var buf bytes.Buffer
	w, _ := NewWriter(&buf, WriterOptions{})
	for _, u := range units {
		if err := w.Write(u); err != nil {
			t.Fatalf("Write(%+v): %v", u, err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if len(units) == 0 {
		return
	}
	back := read(buf.Bytes(), corpora.ReadOptions{})
	if back.err != nil {
		t.Fatalf("reading what we wrote: %v\n%s", back.err, buf.Bytes())
	}
	if len(back.units) != len(units) {
		t.Fatalf("wrote %d units, read back %d", len(units), len(back.units))
	}
	for i, u := range back.units {
		if u.Source.Plain() != units[i].Source.Plain() || u.Target.Plain() != units[i].Target.Plain() ||
			u.SourceLang != units[i].SourceLang || u.TargetLang != units[i].TargetLang {
			t.Fatalf("unit %d: wrote %q → %q, read back %q → %q", i, units[i].Source, units[i].Target, u.Source, u.Target)
		}
		if len(u.Source.Codes()) != len(units[i].Source.Codes()) {
			t.Fatalf("unit %d: wrote %d codes, read back %d", i, len(units[i].Source.Codes()), len(u.Source.Codes()))
		}
	}
}
