package tabular

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
)

// wantParseError checks that err is a *corpora.ParseError at line whose
// message holds msg.
func wantParseError(t *testing.T, err error, file string, line int, msg string) *corpora.ParseError {
	t.Helper()
	var pe *corpora.ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error = %v (%T), want a *corpora.ParseError", err, err)
	}
	if pe.File != file || pe.Line != line || !strings.Contains(pe.Err.Error(), msg) {
		t.Errorf("error = %q (file %q, line %d), want file %q, line %d and a message with %q", err, pe.File, pe.Line, file, line, msg)
	}
	if msg := pe.Err.Error(); msg != "" && strings.ToLower(msg[:1]) != msg[:1] {
		t.Errorf("message %q does not start in lower case", msg)
	}
	return pe
}

func TestReaderErrors(t *testing.T) {
	long := "source\ttarget\n" + strings.Repeat("x", 150) + "\ty\n"
	unclosed := "source,target\n\"" + strings.Repeat("never closed, ", 10000)
	tests := []struct {
		name    string
		in      string
		opts    corpora.ReadOptions
		topts   TableOptions
		line    int
		msg     string
		tooBig  bool // errors.Is(err, corpora.ErrTooLarge)
		lenient bool // the error stops a lenient reader too
	}{
		{name: "empty", in: "", msg: "file is empty", lenient: true},
		{name: "only a bom", in: "\xEF\xBB\xBF", msg: "file is empty", lenient: true},
		{name: "only blank lines", in: "\n \n\r\n", msg: "no rows, only blank", lenient: true},
		{name: "only comments", in: "# a\n# b\n", topts: TableOptions{Comment: '#'}, msg: "no rows, only blank or comment", lenient: true},
		{name: "not a table", in: "\nJust a sentence.\nAnother.\n", line: 2, msg: "no tab, comma or semicolon", lenient: true},
		{name: "too few cells", in: "source\ttarget\na\tb\nc\n", line: 3, msg: "row has 1 cell but the header names 2 columns"},
		{name: "too many cells", in: "source\ttarget\na\tb\tc\n", line: 2, msg: "row has 3 cells but the header names 2 columns"},
		{name: "one cell without header", in: "a\tb\n\nc\n", line: 3, msg: "row has 1 cell; a parallel table needs at least 2"},
		{name: "one cell csv", in: "a,b\nc\n", line: 2, msg: `separated by ','`},
		{name: "target without source", in: "a\tb\n\tc\n", line: 2, msg: "row has a target but an empty source"},
		{name: "invalid utf-8", in: "a\tb\nc\xff\td\n", line: 2, msg: "not valid UTF-8"},
		{name: "nul byte", in: "a\tb\nc\x00\td\n", line: 2, msg: "NUL byte"},
		{name: "line over the limit", in: long, opts: corpora.ReadOptions{Limits: corpora.Limits{MaxUnitBytes: 100}}, line: 2, msg: "longer than the 100-byte limit", tooBig: true},
		{name: "escaped cells over the limit", in: "a\tb\n" + strings.Repeat("\\n", 60) + "\ty\n", opts: corpora.ReadOptions{Limits: corpora.Limits{MaxUnitBytes: 100}}, line: 2, msg: "longer than the 100-byte limit", tooBig: true},
		{name: "csv bare quote", in: "source,target\na\"b,c\n", line: 2, msg: `a '"' inside a cell that is not quoted`},
		{name: "csv quote not closed", in: "source,target\n\"abc,d\nx,y\n", line: 2, msg: "not closed"},
		{name: "csv stray quote", in: "source,target\n\"ab\"c,d\n", line: 2, msg: "must be doubled"},
		{name: "csv record over the limit", in: unclosed, opts: corpora.ReadOptions{Limits: corpora.Limits{MaxUnitBytes: 1000}}, line: 2, msg: "longer than the 1000-byte limit (a quote that is never closed?)", tooBig: true, lenient: true},
		{name: "bad status", in: "source\ttarget\tstatus\na\tb\tdone\n", line: 2, msg: `status "done" is not one of`},
		{name: "bad row language", in: "sourceLang\ttargetLang\tsource\ttarget\nen\tC\ta\tb\n", line: 2, msg: `target language: "C" is not a language`},
		{name: "duplicate column", in: "source\tsrc\ttarget\na\tb\tc\n", line: 1, msg: `header names columns "source" and "src" that mean the same`, lenient: true},
		{name: "requested language missing", in: "en\tde\nred\trot\n", opts: corpora.ReadOptions{TargetLang: language.Spanish}, line: 1, msg: "header names columns in en, de but none in the requested target language es", lenient: true},
		{name: "forced header of one column", in: "a\nb\n", topts: TableOptions{Header: HeaderYes, Delimiter: '\t'}, line: 1, msg: "header has 1 column; a parallel table needs a source and a target column", lenient: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, lenient := range []bool{false, true} {
				opts := tt.opts
				opts.Name = "bad.tsv"
				opts.Lenient = lenient
				var skips []corpora.Skip
				opts.OnSkip = func(s corpora.Skip) { skips = append(skips, s) }
				_, err := readString(t, tt.in, opts, tt.topts)
				if lenient && !tt.lenient {
					if err != nil {
						t.Errorf("lenient: %v", err)
					}
					if len(skips) != 1 || skips[0].Line != tt.line || !strings.Contains(skips[0].Reason, tt.msg) || skips[0].File != "bad.tsv" {
						t.Errorf("lenient: skips = %v, want one at line %d with %q", skips, tt.line, tt.msg)
					}
					continue
				}
				pe := wantParseError(t, err, "bad.tsv", tt.line, tt.msg)
				if pe != nil && errors.Is(err, corpora.ErrTooLarge) != tt.tooBig {
					t.Errorf("errors.Is(%v, ErrTooLarge) = %v, want %v", err, !tt.tooBig, tt.tooBig)
				}
				if tt.name == "requested language missing" && !errors.Is(err, corpora.ErrNotBilingual) {
					t.Errorf("error %v is not ErrNotBilingual", err)
				}
			}
		})
	}
}

func TestReaderErrorIsSticky(t *testing.T) {
	r, err := NewReader(strings.NewReader("a\tb\nc\nd\te\n"), corpora.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Next(); err != nil {
		t.Fatal(err)
	}
	_, err1 := r.Next()
	_, err2 := r.Next()
	if err1 == nil || err1 != err2 {
		t.Errorf("errors = %v, %v; want the same error twice", err1, err2)
	}
}

func TestReaderLenient(t *testing.T) {
	in := strings.Join([]string{
		"domain\tsource\ttarget", // 1
		"d\tOne\tUno",            // 2
		"d\tbroken",              // 3: too few cells
		"d\tTwo\tDos",            // 4
		"d\t\tsolo",              // 5: no source
		"d\tThr\xffee\tTres",     // 6: not UTF-8
		"d\t" + strings.Repeat("long ", 50) + "\tx", // 7: over the limit
		"d\tFour\\tcuatro\tCuatro",                  // 8
		"",
	}, "\n")
	var skips []corpora.Skip
	opts := corpora.ReadOptions{Name: "mixed.tsv", Lenient: true, OnSkip: func(s corpora.Skip) { skips = append(skips, s) },
		Limits: corpora.Limits{MaxUnitBytes: 200}}
	us, err := readString(t, in, opts, TableOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range us {
		got = append(got, u.Source.Plain())
	}
	if want := []string{"One", "Two", "Four\tcuatro"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("sources = %q, want %q", got, want)
	}
	for i, u := range us {
		if u.Origin.Index != i {
			t.Errorf("unit %d has index %d", i, u.Origin.Index)
		}
	}
	wantLines := []int{3, 5, 6, 7}
	if len(skips) != len(wantLines) {
		t.Fatalf("skips = %v, want lines %v", skips, wantLines)
	}
	for i, s := range skips {
		if s.Line != wantLines[i] || s.File != "mixed.tsv" || s.Reason == "" {
			t.Errorf("skip %d = %+v, want line %d", i, s, wantLines[i])
		}
	}

	// CSV: a bad record is skipped and the next one read.
	skips = nil
	us, err = readString(t, "source,target\na\"b,c\nok,bien\n", opts, TableOptions{})
	if err != nil || len(us) != 1 || us[0].Source.Plain() != "ok" || len(skips) != 1 || skips[0].Line != 2 {
		t.Errorf("csv: units %v, err %v, skips %v; want ok and one skip at line 2", us, err, skips)
	}
}

func TestReaderHeaderOnly(t *testing.T) {
	us, err := readString(t, "source\ttarget\n", corpora.ReadOptions{}, TableOptions{})
	if err != nil || len(us) != 0 {
		t.Errorf("header only: %d units, %v; want none and no error", len(us), err)
	}
}

func TestReaderBadOptions(t *testing.T) {
	for _, topts := range []TableOptions{{Delimiter: '"'}, {Delimiter: '\n'}, {Delimiter: -1}, {Delimiter: ',', Comment: ','}} {
		if _, err := NewReaderWith(strings.NewReader("a,b\n"), corpora.ReadOptions{}, topts); err == nil {
			t.Errorf("NewReaderWith(%+v) = nil error", topts)
		}
	}
}

// errReader fails after its data.
type errReader struct {
	data []byte
	err  error
}

func (e *errReader) Read(p []byte) (int, error) {
	if len(e.data) == 0 {
		return 0, e.err
	}
	n := copy(p, e.data)
	e.data = e.data[n:]
	return n, nil
}

func TestReaderIOError(t *testing.T) {
	boom := errors.New("disk on fire")
	r, err := NewReader(&errReader{data: []byte("a\tb\nc\td\n"), err: boom}, corpora.ReadOptions{Name: "x"})
	if err == nil {
		_, err = readAll(r)
	}
	if !errors.Is(err, boom) {
		t.Errorf("error = %v, want one wrapping %v", err, boom)
	}
	var pe *corpora.ParseError
	if !errors.As(err, &pe) {
		t.Errorf("error %T is not a *corpora.ParseError", err)
	}
}

func TestReaderLongLinesStayBounded(t *testing.T) {
	// 4 MiB lines under a 1 MiB limit: each is skipped without being held.
	line := bytes.Repeat([]byte("a"), 4<<20)
	var in bytes.Buffer
	in.WriteString("x\ty\n")
	for i := 0; i < 3; i++ {
		in.Write(line)
		in.WriteString("\tz\n")
	}
	in.WriteString("last\tfinal\n")
	var skips int
	r, err := NewReader(&in, corpora.ReadOptions{Lenient: true, OnSkip: func(corpora.Skip) { skips++ },
		Limits: corpora.Limits{MaxUnitBytes: 1 << 20}})
	if err != nil {
		t.Fatal(err)
	}
	us, err := readAll(r)
	if err != nil || len(us) != 2 || skips != 3 || us[1].Source.Plain() != "last" {
		t.Fatalf("%d units, %d skips, %v; want 2 units and 3 skips", len(us), skips, err)
	}
	if c := cap(r.rows.(*tsvRows).lr.buf); c > 2<<20 {
		t.Errorf("line buffer grew to %d bytes under a 1 MiB limit", c)
	}
}

func TestReaderRandomBytes(t *testing.T) {
	for seed := 0; seed < 200; seed++ {
		b := make([]byte, 1+seed*7)
		x := uint32(seed + 1)
		for i := range b {
			x ^= x << 13
			x ^= x >> 17
			x ^= x << 5
			b[i] = byte(x)
		}
		for _, lenient := range []bool{false, true} {
			r, err := NewReader(bytes.NewReader(b), corpora.ReadOptions{Lenient: lenient})
			if err == nil {
				_, err = readAll(r)
			}
			if err != nil && err != io.EOF {
				var pe *corpora.ParseError
				if !errors.As(err, &pe) {
					t.Fatalf("seed %d: error %v is %T", seed, err, err)
				}
			}
		}
	}
}
