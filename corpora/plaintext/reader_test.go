package plaintext

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf16"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
)

func readAll(r *Reader) ([]*corpora.Unit, error) {
	var us []*corpora.Unit
	for {
		u, err := r.Next()
		if err == io.EOF {
			return us, nil
		}
		if err != nil {
			return us, err
		}
		if u == nil {
			return us, errors.New("nil unit without an error")
		}
		us = append(us, u)
	}
}

func read(t *testing.T, text string, opts corpora.ReadOptions) ([]*corpora.Unit, error) {
	t.Helper()
	r, err := NewReader(strings.NewReader(text), opts)
	if err != nil {
		return nil, err
	}
	return readAll(r)
}

// writeBack writes units' sources with a Writer.
func writeBack(t *testing.T, units []*corpora.Unit, opts WriterOptions) string {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range units {
		if err := w.Write(u); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

const document = "\n  \n" +
	"A Title\n" +
	"\n" +
	"Mr. Smith went to Washington.  He said \"Hi.\" Then he\n" +
	"left.\r\n" +
	"  \r\n" +
	"  Second paragraph! Is it?\n" +
	"\n\n" +
	"Steps:\n" +
	"1. Open it.\n" +
	"2. Close it.\n" +
	"\tLast words without a full stop   "

func TestReader(t *testing.T) {
	units, err := read(t, document, corpora.ReadOptions{Name: "doc.txt", SourceLang: language.English, TargetLang: language.Spanish})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		text  string
		line  int
		para  string
		after string
	}{
		{"A Title", 3, "0", "\n\n"},
		{"Mr. Smith went to Washington.", 5, "1", "  "},
		{"He said \"Hi.\"", 5, "1", " "},
		{"Then he\nleft.", 5, "1", "\r\n  \r\n  "},
		{"Second paragraph!", 8, "2", " "},
		{"Is it?", 8, "2", "\n\n\n"},
		{"Steps:", 11, "3", "\n"},
		{"1. Open it.", 12, "3", "\n"},
		{"2. Close it.", 13, "3", "\n\t"},
		{"Last words without a full stop", 14, "3", "   "},
	}
	if len(units) != len(want) {
		for _, u := range units {
			t.Logf("%q", u.Source.Plain())
		}
		t.Fatalf("read %d units, want %d", len(units), len(want))
	}
	for i, w := range want {
		u := units[i]
		para, _ := u.Prop(PropParagraph)
		after, _ := u.Prop(PropSpaceAfter)
		if u.Source.Plain() != w.text || u.Origin.Line != w.line || para != w.para || after != w.after {
			t.Errorf("unit %d = %q line %d paragraph %s after %q; want %q line %d paragraph %s after %q",
				i, u.Source.Plain(), u.Origin.Line, para, after, w.text, w.line, w.para, w.after)
		}
		if u.Origin.Index != i || u.Origin.File != "doc.txt" || u.SourceLang != language.English ||
			u.TargetLang != language.Spanish || !u.Target.IsEmpty() {
			t.Errorf("unit %d: %+v", i, u)
		}
	}
	if before, ok := units[0].Prop(PropSpaceBefore); !ok || before != "\n  \n" {
		t.Errorf("space before = %q, %v; want %q", before, ok, "\n  \n")
	}
	if _, ok := units[1].Prop(PropSpaceBefore); ok {
		t.Errorf("unit 1 has %s", PropSpaceBefore)
	}
}

func TestReaderRoundTrip(t *testing.T) {
	docs := map[string]string{
		"document":            document,
		"one line":            "Hello.",
		"one line, newline":   "Hello. World.\n",
		"crlf":                "One. Two.\r\n\r\nThree.\r\n",
		"leading space":       "   \t Indented. Text.\n",
		"many blank lines":    "A.\n\n\n\n   \n\t\nB.\n\n\n",
		"chinese":             "你好。我很好！\n\n你呢？",
		"german":              "Am 3. Oktober kam er. Er sagte „Hallo.“ Dann ging er.\n",
		"unicode spaces":      "One.\u00a0\u2003Two.\u3000Three.\n",
		"list":                "Buy:\n- milk\n- bread\n",
		"no final newline":    "Last",
		"trailing blank line": "Text.\n\n",
	}
	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			units, err := read(t, doc, corpora.ReadOptions{SourceLang: language.German})
			if err != nil {
				t.Fatal(err)
			}
			if got := writeBack(t, units, WriterOptions{Source: true}); got != doc {
				t.Errorf("round trip = %q, want %q", got, doc)
			}
			// Targets fall back to sources.
			if got := writeBack(t, units, WriterOptions{}); got != doc {
				t.Errorf("round trip without targets = %q, want %q", got, doc)
			}
		})
	}
}

func utf16Bytes(s string, bigEndian bool) []byte {
	var b bytes.Buffer
	for _, u := range append([]uint16{0xFEFF}, utf16.Encode([]rune(s))...) {
		if bigEndian {
			b.WriteByte(byte(u >> 8))
			b.WriteByte(byte(u))
		} else {
			b.WriteByte(byte(u))
			b.WriteByte(byte(u >> 8))
		}
	}
	return b.Bytes()
}

func TestReaderEncodings(t *testing.T) {
	const text = "Première phrase. Deuxième phrase.\n"
	for name, in := range map[string][]byte{
		"utf-8 bom": append([]byte{0xEF, 0xBB, 0xBF}, text...),
		"utf-16le":  utf16Bytes(text, false),
		"utf-16be":  utf16Bytes(text, true),
	} {
		t.Run(name, func(t *testing.T) {
			r, err := NewReader(bytes.NewReader(in), corpora.ReadOptions{SourceLang: language.French})
			if err != nil {
				t.Fatal(err)
			}
			units, err := readAll(r)
			if err != nil {
				t.Fatal(err)
			}
			if len(units) != 2 || units[1].Source.Plain() != "Deuxième phrase." {
				t.Fatalf("units = %v", units)
			}
			// The byte order mark is not part of the text.
			if got := writeBack(t, units, WriterOptions{}); got != text {
				t.Errorf("wrote %q, want %q", got, text)
			}
		})
	}
}

func TestReaderErrors(t *testing.T) {
	small := corpora.Limits{MaxUnitBytes: 64}
	tests := []struct {
		name   string
		in     string
		limits corpora.Limits
		line   int
		msg    string
		tooBig bool
		fatal  bool // stops a lenient reader too
		keep   []string
	}{
		{name: "empty", in: "", msg: "file is empty", fatal: true},
		{name: "white space only", in: " \n\t\n\r\n", msg: "file has no text, only white space", fatal: true},
		{name: "paragraph too long", in: "Short one.\n\n" + strings.Repeat("word ", 10) + "\n" + strings.Repeat("more ", 10) + "\n\nAfter.\n",
			limits: small, line: 3, msg: "paragraph is longer than the 64-byte limit", tooBig: true, keep: []string{"Short one.", "After."}},
		{name: "line too long", in: "Short one.\n" + strings.Repeat("x", 100) + "\nrest of it\n\nAfter.\n",
			limits: small, line: 2, msg: "line is longer than the 64-byte limit", tooBig: true, keep: []string{"After."}},
		{name: "first line too long", in: strings.Repeat("x", 100) + "\n\nAfter.\n",
			limits: small, line: 1, msg: "line is longer than the 64-byte limit", tooBig: true, keep: []string{"After."}},
		{name: "invalid utf-8", in: "Good.\n\nBad \xff here.\n\nGood again.\n", line: 3, msg: "not valid UTF-8", keep: []string{"Good.", "Good again."}},
		{name: "nul byte", in: "Good.\nBad \x00 here.\n\nGood again.\n", line: 2, msg: "NUL byte", keep: []string{"Good again."}},
		{name: "too many blank lines", in: "Text.\n" + strings.Repeat(" \n", 100) + "More.\n", limits: small, line: 34, msg: "run of blank lines is longer than the 64-byte limit", tooBig: true, fatal: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, lenient := range []bool{false, true} {
				var skips []corpora.Skip
				opts := corpora.ReadOptions{Name: "in.txt", Limits: tt.limits, Lenient: lenient,
					OnSkip: func(s corpora.Skip) { skips = append(skips, s) }}
				units, err := read(t, tt.in, opts)
				if lenient && !tt.fatal {
					var got []string
					for _, u := range units {
						got = append(got, u.Source.Plain())
					}
					if err != nil || strings.Join(got, "|") != strings.Join(tt.keep, "|") ||
						len(skips) != 1 || skips[0].Line != tt.line || !strings.Contains(skips[0].Reason, tt.msg) {
						t.Errorf("lenient: units %q, error %v, skips %v; want %q and one skip at line %d", got, err, skips, tt.keep, tt.line)
					}
					continue
				}
				var pe *corpora.ParseError
				if !errors.As(err, &pe) {
					t.Fatalf("error = %v (%T), want a *corpora.ParseError", err, err)
				}
				if pe.File != "in.txt" || pe.Line != tt.line || !strings.Contains(pe.Err.Error(), tt.msg) {
					t.Errorf("error = %v (line %d), want line %d and %q", err, pe.Line, tt.line, tt.msg)
				}
				if errors.Is(err, corpora.ErrTooLarge) != tt.tooBig {
					t.Errorf("errors.Is(ErrTooLarge) = %v, want %v", !tt.tooBig, tt.tooBig)
				}
			}
		})
	}
}

func TestReaderBoundedMemory(t *testing.T) {
	// One 4 MiB line under a 1 MiB limit is skipped without being held.
	var in bytes.Buffer
	in.WriteString("First.\n\n")
	in.Write(bytes.Repeat([]byte("a"), 4<<20))
	in.WriteString("\n\nLast.\n")
	var skips int
	r, err := NewReader(&in, corpora.ReadOptions{Lenient: true, OnSkip: func(corpora.Skip) { skips++ },
		Limits: corpora.Limits{MaxUnitBytes: 1 << 20}})
	if err != nil {
		t.Fatal(err)
	}
	units, err := readAll(r)
	if err != nil || len(units) != 2 || skips != 1 {
		t.Fatalf("%d units, %d skips, %v", len(units), skips, err)
	}
	if c := cap(r.buf); c > 2<<20 {
		t.Errorf("line buffer grew to %d bytes", c)
	}
}

func TestRoundTripLeadingZeroWidthNoBreakSpace(t *testing.T) {
	// The file starts with a BOM and then U+FEFF as text.
	doc := "\ufeff\ufeffWord. Next.\n"
	units, err := read(t, doc, corpora.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := writeBack(t, units, WriterOptions{}); got != doc {
		t.Errorf("round trip = %q, want %q", got, doc)
	}
}
