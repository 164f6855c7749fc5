package po

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/kgmem/kgmem/corpora"
)

// fuzzLimits keep the fuzzers fast: no input should need more.
var fuzzLimits = corpora.Limits{MaxUnitBytes: 1 << 16, MaxEntries: 1 << 16}

// poSeeds are PO texts the PO fuzzer starts from: the test catalogs and
// small cases of every construct.
func poSeeds(f *testing.F) [][]byte {
	seeds := [][]byte{
		[]byte("msgid \"a\"\nmsgstr \"b\"\n"),
		[]byte("msgctxt \"c\"\nmsgid \"a\"\nmsgid_plural \"as\"\nmsgstr[0] \"b\"\nmsgstr[1] \"bs\"\n"),
		[]byte("# note\n#. extracted\n#: a.c:1\n#, fuzzy, c-format\n#| msgid \"old\"\nmsgid \"new\"\nmsgstr \"nuevo\"\n"),
		[]byte("msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=ISO-8859-1\\n\"\n\nmsgid \"a\"\nmsgstr \"\xe9\"\n"),
		[]byte("msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=Shift_JIS\\n\"\n\nmsgid \"a\"\nmsgstr \"\x95\\\"\n"),
		[]byte("#~ msgid \"a\"\n#~ msgstr \"b\"\n\ndomain \"d\"\nmsgid \"\\x41\\101\\n\\t\"\nmsgstr \"\"\n"),
		[]byte("\xff\xfem\x00s\x00g\x00i\x00d\x00 \x00\"\x00a\x00\"\x00\n\x00m\x00s\x00g\x00s\x00t\x00r\x00 \x00\"\x00\"\x00\n\x00"),
	}
	files, _ := filepath.Glob("testdata/*.po")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, b)
	}
	return seeds
}

// FuzzPOReader reads arbitrary bytes as a PO file, strictly and
// leniently: it must not panic, every error must be a *corpora.ParseError
// with a line, and what it reads must survive being written and read
// again.
func FuzzPOReader(f *testing.F) {
	for _, s := range poSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(fuzzOne)
}

func fuzzOne(t *testing.T, data []byte) {
	for _, lenient := range []bool{false, true} {
		opts := ReaderOptions{ReadOptions: corpora.ReadOptions{Name: "fuzz.po", Lenient: lenient, Limits: fuzzLimits}, IncludeObsolete: true}
		r, err := NewReaderOptions(bytes.NewReader(data), opts)
		var us []*corpora.Unit
		for err == nil {
			var u *corpora.Unit
			u, err = r.Next()
			if err == nil {
				if u == nil || u.Gettext == nil {
					t.Fatal("Next returned a nil unit and no error")
				}
				if !utf8.ValidString(u.Source.Plain()) || !utf8.ValidString(u.Target.Plain()) || !utf8.ValidString(u.Context) {
					t.Fatalf("unit %q is not UTF-8", u.ID)
				}
				us = append(us, u)
			}
		}
		if err != io.EOF {
			var pe *corpora.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v (%T) is not a *corpora.ParseError", err, err)
			}
			if pe.Offset != -1 || pe.File != "fuzz.po" || pe.Err == nil {
				t.Fatalf("bad ParseError %#v", pe)
			}
			if pe.Line <= 0 && pe.Err.Error() != "file is empty" && pe.Err.Error() != "file has no entries, only comments" {
				t.Fatalf("error without a line: %v", err)
			}
			continue
		}
		checkRoundTrip(t, us, r.Header())
	}
}

// checkRoundTrip writes units and reads them back.
func checkRoundTrip(t *testing.T, us []*corpora.Unit, h *Header) {
	var b bytes.Buffer
	w, err := NewWriter(&b, WriterOptions{Header: h})
	if err != nil {
		t.Fatal(err)
	}
	var written []*corpora.Unit
	for _, u := range us {
		if err := w.Write(u); err != nil {
			if errors.Is(err, ErrDuplicate) {
				continue
			}
			t.Fatalf("Write(%s): %v", dump(u), err)
		}
		written = append(written, u)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := NewReaderOptions(bytes.NewReader(b.Bytes()), ReaderOptions{IncludeObsolete: true, ReadOptions: corpora.ReadOptions{Limits: corpora.Limits{MaxUnitBytes: 1 << 20}}})
	if err != nil {
		t.Fatalf("reading the writer's output: %v\n%s", err, b.Bytes())
	}
	var again []*corpora.Unit
	for {
		u, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("reading the writer's output: %v\n%s", err, b.Bytes())
		}
		again = append(again, u)
	}
	if h == nil {
		// The writer made a header, with a revision date: compare
		// without the fields a header gives.
		for _, us := range [][]*corpora.Unit{written, again} {
			for i, u := range us {
				c := *u
				c.Changed, c.ChangedBy = time.Time{}, ""
				us[i] = &c
			}
		}
	}
	if d := sameUnits(written, again); d != "" {
		t.Fatalf("written and read again: %s\n%s", d, b.Bytes())
	}
}

// moSeeds are MO files the MO fuzzer starts from: built ones and, when
// installed, small real ones.
func moSeeds() [][]byte {
	seeds := [][]byte{
		buildMO(binary.LittleEndian, []moEntry{moHeader, {"a", "b"}, {"c\x04d\x00ds", "e\x00es"}}),
		buildMO(binary.BigEndian, []moEntry{{"", "Content-Type: text/plain; charset=ISO-8859-1\n"}, {"x", "\xe9"}}),
	}
	files, _ := filepath.Glob("/usr/share/locale/es/LC_MESSAGES/*.mo")
	for _, name := range files {
		if fi, err := os.Stat(name); err != nil || fi.Size() > 24<<10 {
			continue
		}
		if b, err := os.ReadFile(name); err == nil {
			seeds = append(seeds, b)
		}
		if len(seeds) > 12 {
			break
		}
	}
	// One with system-dependent strings, if there is one.
	if b, err := os.ReadFile("/usr/share/locale/es/LC_MESSAGES/xz.mo"); err == nil {
		seeds = append(seeds, b)
	}
	return seeds
}

// FuzzMOReader reads arbitrary bytes as an MO file: it must not panic,
// every error must be a *corpora.ParseError with an offset, and units
// must be UTF-8.
func FuzzMOReader(f *testing.F) {
	for _, s := range moSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, lenient := range []bool{false, true} {
			opts := corpora.ReadOptions{Name: "fuzz.mo", Lenient: lenient, Limits: fuzzLimits}
			r, err := NewMOReader(bytes.NewReader(data), int64(len(data)), opts)
			n := 0
			for err == nil {
				var u *corpora.Unit
				u, err = r.Next()
				if err == nil {
					if u == nil || u.Gettext == nil {
						t.Fatal("Next returned a nil unit and no error")
					}
					if !utf8.ValidString(u.Source.Plain()) || !utf8.ValidString(u.Target.Plain()) {
						t.Fatalf("unit %q is not UTF-8", u.ID)
					}
					if n++; n > len(data) {
						t.Fatalf("%d units from %d bytes", n, len(data))
					}
				}
			}
			if err == io.EOF {
				continue
			}
			var pe *corpora.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v (%T) is not a *corpora.ParseError", err, err)
			}
			if pe.Line != 0 || pe.Offset < 0 || pe.Offset > int64(len(data)) && len(data) > 0 || pe.File != "fuzz.mo" {
				t.Fatalf("bad ParseError %#v: %v", pe, err)
			}
		}
	})
}
