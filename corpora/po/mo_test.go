package po

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"testing/iotest"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
)

// moEntry is a message of an MO file built by buildMO: msgid (with
// msgctxt and EOT, plural and NUL) and msgstr.
type moEntry struct{ id, str string }

// buildMO lays out an MO file (revision 0) the way msgfmt does: header,
// table of originals, table of translations, then the strings, sorted.
func buildMO(bo binary.ByteOrder, entries []moEntry) []byte {
	es := append([]moEntry(nil), entries...)
	sort.Slice(es, func(i, j int) bool { return es[i].id < es[j].id })
	n := len(es)
	orig := 28
	trans := orig + 8*n
	data := trans + 8*n
	var strs bytes.Buffer
	b := make([]byte, data)
	bo.PutUint32(b[0:], moMagic)
	bo.PutUint32(b[8:], uint32(n))
	bo.PutUint32(b[12:], uint32(orig))
	bo.PutUint32(b[16:], uint32(trans))
	put := func(tab, i int, s string) {
		bo.PutUint32(b[tab+8*i:], uint32(len(s)))
		bo.PutUint32(b[tab+8*i+4:], uint32(data+strs.Len()))
		strs.WriteString(s)
		strs.WriteByte(0)
	}
	for i, e := range es {
		put(orig, i, e.id)
	}
	for i, e := range es {
		put(trans, i, e.str)
	}
	return append(b, strs.Bytes()...)
}

var moHeader = moEntry{"", "Project-Id-Version: test 2.0\nLanguage: es\nContent-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=2; plural=(n != 1);\n"}

func TestMOBuilt(t *testing.T) {
	entries := []moEntry{
		moHeader,
		{"Open", "Abrir"},
		{"verb\x04Close", "Cerrar"},
		{"%d file\x00%d files", "%d archivo\x00%d archivos"},
		{"ctx\x04one\x00many", "uno\x00muchos"},
	}
	for _, bo := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
		t.Run(bo.String(), func(t *testing.T) {
			us, r := readMO(t, buildMO(bo, entries), corpora.ReadOptions{Name: "x/es/LC_MESSAGES/test.mo"})
			if r.Len() != 5 || r.Header().Get("Project-Id-Version") != "test 2.0" {
				t.Errorf("Len() = %d, header %+v", r.Len(), r.Header())
			}
			got := map[string]string{}
			for i, u := range us {
				got[u.ID] = dump(u)
				if u.Domain != "test" || u.TargetLang != language.Spanish || u.SourceLang != language.English ||
					u.Origin.Index != i || u.Origin.Line != 0 || u.Status != corpora.StatusTranslated {
					t.Errorf("unit %d: %+v", i, u)
				}
			}
			want := map[string]string{
				"%d file":       "ID=%d file src=%d file tgt=%d archivo status=translated notes= flags= refs= extr= prev=|| plural=%d files form=%d archivos",
				"Open":          "ID=Open src=Open tgt=Abrir status=translated notes= flags= refs= extr= prev=|| plural=",
				"ctx\x04one":    "ID=ctx|one src=one tgt=uno status=translated notes= flags= refs= extr= prev=|| plural=many form=muchos",
				"verb\x04Close": "ID=verb|Close src=Close tgt=Cerrar status=translated notes= flags= refs= extr= prev=|| plural=",
			}
			if len(got) != len(want) {
				t.Fatalf("got %d units: %v", len(got), got)
			}
			for id, w := range want {
				if got[id] != w {
					t.Errorf("unit %q:\n got %s\nwant %s", id, got[id], w)
				}
			}
		})
	}
}

// TestMOFromMsgfmt compiles PO files with msgfmt in both byte orders and
// checks that the MO reader reads what the PO reader reads, for the
// messages msgfmt keeps (translated, not fuzzy).
func TestMOFromMsgfmt(t *testing.T) {
	msgfmt := gettextTool(t, "msgfmt")
	sample := readFile(t, "testdata/sample.po")
	sysdep := strings.Replace(string(sample), "msgctxt \"menu\"", "#, c-format\nmsgid \"Wrote %<PRIu64> bytes of %<PRIuMAX>\"\nmsgstr \"Se escribieron %<PRIu64> bytes de %<PRIuMAX>\"\n\nmsgctxt \"menu\"", 1)
	cp1252, err := charmap.Windows1252.NewEncoder().Bytes(bytes.Replace(sample, []byte("charset=UTF-8"), []byte("charset=CP1252"), 1))
	if err != nil {
		t.Fatal(err)
	}
	catalogs := map[string][]byte{"sample": sample, "sysdep": []byte(sysdep), "cp1252": cp1252}
	for name, po := range catalogs {
		for _, endian := range []string{"little", "big"} {
			t.Run(name+"-"+endian, func(t *testing.T) {
				dir := t.TempDir()
				src, mo := filepath.Join(dir, "es.po"), filepath.Join(dir, "es.mo")
				if err := os.WriteFile(src, po, 0o644); err != nil {
					t.Fatal(err)
				}
				run(t, nil, msgfmt, "--endianness="+endian, "-o", mo, src)
				data := readFile(t, mo)
				if want := map[string]byte{"little": 0xde, "big": 0x95}[endian]; data[0] != want {
					t.Fatalf("msgfmt wrote magic % x", data[:4])
				}
				fromPO, _ := readAll(t, po, ReaderOptions{})
				fromMO, r := readMO(t, data, corpora.ReadOptions{Name: "es.mo"})
				if r.Header().Get("Language") != "es_ES" {
					t.Errorf("header %+v", r.Header())
				}
				want := map[string]*corpora.Unit{}
				for _, u := range fromPO {
					if u.Status == corpora.StatusTranslated {
						want[u.ID] = u
					}
				}
				if len(fromMO) != len(want) {
					t.Errorf("read %d messages from the MO file, want %d", len(fromMO), len(want))
				}
				for _, u := range fromMO {
					w := want[u.ID]
					if w == nil {
						t.Errorf("unexpected message %q", u.ID)
						continue
					}
					if u.Source.Plain() != w.Source.Plain() || u.Target.Plain() != w.Target.Plain() || u.Context != w.Context ||
						u.Gettext.SourcePlural.Plain() != w.Gettext.SourcePlural.Plain() || len(u.Gettext.TargetPlurals) != len(w.Gettext.TargetPlurals) ||
						u.TargetLang != w.TargetLang || u.Changed != w.Changed || u.ChangedBy != w.ChangedBy {
						t.Errorf("message %q:\n MO %s\n PO %s", u.ID, dump(u), dump(w))
					}
					if strings.Contains(u.ID, "<PRI") && (len(u.Gettext.Flags) != 1 || u.Gettext.Flags[0] != "c-format") {
						t.Errorf("system-dependent message %q has flags %q", u.ID, u.Gettext.Flags)
					}
				}
			})
		}
	}
}

func TestMOFrom(t *testing.T) {
	data := buildMO(binary.LittleEndian, []moEntry{moHeader, {"a", "b"}})
	// A stream that cannot seek is read into memory; a file is read in
	// place.
	r, err := NewMOReaderFrom(iotest.OneByteReader(bytes.NewReader(data)), corpora.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if u, err := r.Next(); err != nil || u.Target.Plain() != "b" {
		t.Fatalf("Next() = %v, %v", u, err)
	}
	path := filepath.Join(t.TempDir(), "a.mo")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	us := readMOFile(t, path, corpora.ReadOptions{})
	if len(us) != 1 {
		t.Fatalf("read %d units", len(us))
	}
	if _, err := NewMOReaderFrom(bytes.NewReader(data), corpora.ReadOptions{TargetLang: language.French}); !errors.Is(err, corpora.ErrNotBilingual) {
		t.Errorf("French asked of a Spanish catalog: %v", err)
	}
}

// bigReaderAt is a file of zeros with some bytes set, as large as it
// says, that holds no memory: what a hostile MO header would make a
// reader allocate.
type bigReaderAt struct {
	set  map[int64][]byte // bytes at offsets
	size int64
}

func (b bigReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off >= b.size {
		return 0, io.EOF
	}
	n := len(p)
	if int64(n) > b.size-off {
		n = int(b.size - off)
	}
	clear(p[:n])
	for at, bs := range b.set {
		for i, c := range bs {
			if o := at + int64(i) - off; o >= 0 && o < int64(n) {
				p[o] = c
			}
		}
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func TestMOHuge(t *testing.T) {
	// 5 million messages in a file of 80 MB that holds nothing: the reader
	// must check the tables and not allocate for them.
	const n = 5_000_000
	const end = 28 + 16*n // an empty string (a NUL) is there
	le := binary.LittleEndian
	head := make([]byte, 28)
	le.PutUint32(head[0:], moMagic)
	le.PutUint32(head[8:], n)
	le.PutUint32(head[12:], 28)
	le.PutUint32(head[16:], 28+8*n)
	header := le.AppendUint32(le.AppendUint32(nil, 0), end) // msgid "" and msgstr "" at the end
	f := bigReaderAt{set: map[int64][]byte{0: head, 28: header, 28 + 8*n: header}, size: end + 1}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	r, err := NewMOReader(f, f.size, corpora.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Every message is an empty msgid at offset 0, which overlaps the
	// header: each is an error.
	_, err = r.Next()
	var pe *corpora.ParseError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "overlaps the file header") || pe.Offset != 36 {
		t.Errorf("Next() = %v", err)
	}
	runtime.ReadMemStats(&after)
	if grew := int64(after.TotalAlloc - before.TotalAlloc); grew > 1<<20 {
		t.Errorf("reading the header of a hostile file allocated %d bytes", grew)
	}
	// More strings than the limit allows.
	_, err = NewMOReader(f, f.size, corpora.ReadOptions{Limits: corpora.Limits{MaxEntries: n - 1}})
	if !errors.Is(err, corpora.ErrTooLarge) {
		t.Errorf("over MaxEntries: %v", err)
	}
}

func TestMOHostile(t *testing.T) {
	le := binary.LittleEndian
	good := buildMO(le, []moEntry{moHeader, {"a", "b"}, {"c", "d"}})
	// Offsets in good: originals table at 28, translations at 52, strings
	// from 76: "" (header), "a", "c", then the translations.
	mutate := func(f func(b []byte) []byte) []byte {
		return f(append([]byte(nil), good...))
	}
	set := func(off int, v uint32) func([]byte) []byte {
		return func(b []byte) []byte { le.PutUint32(b[off:], v); return b }
	}
	tests := []struct {
		name   string
		data   []byte
		size   int64 // when not len(data): the file is shorter than it says
		inNext bool  // the error comes from Next, not from NewMOReader
		offset int64
		msg    string
		large  bool // wraps ErrTooLarge
	}{
		{name: "empty", data: nil, offset: 0, msg: "file is empty"},
		{name: "too short", data: good[:20], offset: 0, msg: "too short for an MO header"},
		{name: "bad magic", data: mutate(set(0, 0x12345678)), offset: 0, msg: "not an MO file"},
		{name: "PO text", data: readFile(t, "testdata/sample.po"), offset: 0, msg: "not an MO file"},
		{name: "revision 2", data: mutate(set(4, 2<<16)), offset: 4, msg: "revision 2.0 is not supported"},
		{name: "strings past the end", data: mutate(set(8, 1_000_000)), offset: 12, msg: "runs past the end of the file"},
		{name: "more strings than the limit", data: mutate(set(8, 0xFFFFFFFF)), offset: 8, msg: "more than the limit", large: true},
		{name: "table overlaps the header", data: mutate(set(12, 4)), offset: 12, msg: "overlaps the file header"},
		{name: "tables overlap", data: mutate(set(16, 36)), offset: 12, msg: "overlap"},
		{name: "translation table past the end", data: mutate(set(16, 0xFFFFFFF0)), offset: 16, msg: "runs past the end"},
		{name: "truncated file", data: good[:len(good)-3], size: int64(len(good)), inNext: true, offset: int64(len(good) - 3), msg: "file is truncated: 1 of 2 bytes read"},
		{name: "revision 0.1 header cut short", data: mutate(func(b []byte) []byte { le.PutUint32(b[4:], 1); return b[:40] }), offset: 28, msg: "too short for a revision 0.1 MO header"},
		{name: "string past the end", data: mutate(set(28+8+4, 0xFFFFFFF0)), inNext: true, offset: 36, msg: "runs past the end"},
		{name: "string longer than the limit", data: mutate(set(28+8, 0xFFFFFF00)), inNext: true, offset: 36, msg: "more than the limit", large: true},
		{name: "string not NUL-terminated", data: mutate(func(b []byte) []byte { b[le.Uint32(b[40:])+1] = 'x'; return b }), inNext: true, offset: 78, msg: "not NUL-terminated"},
		{name: "string overlaps the header", data: mutate(set(28+8+4, 3)), inNext: true, offset: 36, msg: "overlaps the file header"},
		{name: "invalid UTF-8", data: mutate(func(b []byte) []byte { b[le.Uint32(b[40:])] = 0xff; return b }), inNext: true, offset: 77, msg: "invalid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			size := int64(len(tt.data))
			if tt.size != 0 {
				size = tt.size
			}
			r, err := NewMOReader(bytes.NewReader(tt.data), size, corpora.ReadOptions{Name: "bad.mo"})
			if tt.inNext {
				if err != nil {
					t.Fatalf("NewMOReader: %v", err)
				}
				for err == nil {
					_, err = r.Next()
				}
			} else if err == nil {
				t.Fatal("NewMOReader succeeded")
			}
			var pe *corpora.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v (%T), want a *corpora.ParseError", err, err)
			}
			if pe.Line != 0 || pe.Offset != tt.offset || pe.File != "bad.mo" || !strings.Contains(pe.Err.Error(), tt.msg) {
				t.Errorf("error at offset %d line %d: %v; want offset %d and %q", pe.Offset, pe.Line, err, tt.offset, tt.msg)
			}
			if errors.Is(err, corpora.ErrTooLarge) != tt.large {
				t.Errorf("errors.Is(%v, ErrTooLarge) = %v", err, !tt.large)
			}
		})
	}
}

func TestMOLenient(t *testing.T) {
	le := binary.LittleEndian
	data := buildMO(le, []moEntry{moHeader, {"a", "b"}, {"c", "d"}, {"e", "f"}})
	le.PutUint32(data[28+8*2+4:], 0xFFFFFF00) // the msgid of "c" points past the end
	var skips []corpora.Skip
	us, _ := readMO(t, data, corpora.ReadOptions{Lenient: true, OnSkip: func(s corpora.Skip) { skips = append(skips, s) }})
	if len(us) != 2 || us[0].Source.Plain() != "a" || us[1].Source.Plain() != "e" || us[1].Origin.Index != 1 {
		t.Errorf("units: %v", summarize(us))
	}
	if len(skips) != 1 || !strings.Contains(skips[0].Reason, "runs past the end") {
		t.Errorf("skips: %v", skips)
	}
}

func TestSniffMO(t *testing.T) {
	for _, tt := range []struct {
		head []byte
		want bool
	}{
		{buildMO(binary.LittleEndian, nil), true},
		{buildMO(binary.BigEndian, nil), true},
		{[]byte("msgid \"\""), false},
		{[]byte{0x95}, false},
	} {
		if got := SniffMO(tt.head); got != tt.want {
			t.Errorf("SniffMO(% x) = %v", tt.head[:min(4, len(tt.head))], got)
		}
	}
}
