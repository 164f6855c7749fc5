package corpora

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"

	"golang.org/x/text/encoding/unicode"
)

func TestSegment(t *testing.T) {
	var s Segment
	if !s.IsEmpty() || s.Plain() != "" || s.HasCodes() {
		t.Fatalf("zero Segment is not empty: %#v", s)
	}
	s.Append("Click ")
	s.AppendCode(&Code{Kind: CodeOpen, Element: "bpt", ID: "1", Native: "&lt;b&gt;"})
	s.Append("Save")
	s.AppendCode(&Code{Kind: CodeClose, Element: "ept", ID: "1", Native: "&lt;/b&gt;"})
	s.Append(" now")
	s.Append(".")
	if got, want := s.Plain(), "Click Save now."; got != want {
		t.Errorf("Plain() = %q, want %q", got, want)
	}
	if got := len(s.Spans); got != 5 {
		t.Errorf("len(Spans) = %d, want 5 (adjacent text merged)", got)
	}
	if got := len(s.Codes()); got != 2 {
		t.Errorf("len(Codes()) = %d, want 2", got)
	}
	split := Segment{Spans: []Span{{Text: "Click "}, {Text: ""}}}
	split.Spans = append(split.Spans, s.Spans[1:]...)
	split.Spans[len(split.Spans)-1] = Span{Text: " now"}
	split.Spans = append(split.Spans, Span{Text: "."})
	if !s.Equal(split) || !split.Equal(s) {
		t.Errorf("Equal is not insensitive to how text is split into spans")
	}
	other := Text("Click Save now.")
	if s.Equal(other) {
		t.Errorf("segment with codes equals one without")
	}
}

func TestDetectEncoding(t *testing.T) {
	le, _ := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewEncoder().String("<?xml version=\"1.0\"?><tmx/>")
	be, _ := unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewEncoder().String("<?xml version=\"1.0\"?><tmx/>")
	tests := []struct {
		name string
		in   []byte
		want Encoding
	}{
		{"plain", []byte("hello"), UTF8},
		{"bom", []byte("\xEF\xBB\xBFhello"), UTF8BOM},
		{"le bom", append([]byte{0xFF, 0xFE}, le...), UTF16LE},
		{"be bom", append([]byte{0xFE, 0xFF}, be...), UTF16BE},
		{"le no bom", []byte(le), UTF16LE},
		{"be no bom", []byte(be), UTF16BE},
		{"empty", nil, UTF8},
		{"one byte", []byte{0}, UTF8},
		{"binary", []byte{0, 0, 0, 0, 0, 0}, UTF8},
	}
	for _, tt := range tests {
		if got := DetectEncoding(tt.in); got != tt.want {
			t.Errorf("DetectEncoding(%s) = %v, want %v", tt.name, got, tt.want)
		}
		r, _, err := UTF8Reader(bytes.NewReader(tt.in))
		if err != nil {
			t.Fatalf("UTF8Reader(%s): %v", tt.name, err)
		}
		out, err := io.ReadAll(r)
		if err != nil {
			t.Fatalf("UTF8Reader(%s) read: %v", tt.name, err)
		}
		if tt.want != UTF8 && tt.name != "bom" && string(out) != "<?xml version=\"1.0\"?><tmx/>" {
			t.Errorf("UTF8Reader(%s) = %q", tt.name, out)
		}
		if tt.name == "bom" && string(out) != "hello" {
			t.Errorf("UTF8Reader(bom) = %q, want %q", out, "hello")
		}
	}
}

func TestParseError(t *testing.T) {
	tests := []struct {
		e    ParseError
		want string
	}{
		{ParseError{File: "a.tmx", Line: 3, Col: 7, Offset: -1, Err: io.ErrUnexpectedEOF}, "a.tmx:3:7: unexpected EOF"},
		{ParseError{File: "a.tmx", Line: 3, Offset: -1, Unit: "42", Err: io.ErrUnexpectedEOF}, `a.tmx:3 (unit "42"): unexpected EOF`},
		{ParseError{File: "a.mo", Offset: 28, Err: io.ErrUnexpectedEOF}, "a.mo: at byte 28: unexpected EOF"},
		{ParseError{Offset: -1, Err: io.ErrUnexpectedEOF}, "<input>: unexpected EOF"},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func TestCountWords(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"", 0},
		{"Open the file", 3},
		{"  Open   the\tfile.  ", 3},
		{"don't stop", 2},
		{"e-mail me at 3.14 o'clock", 5},
		{"¿Dónde está el archivo?", 4},
		{"%s files, %d folders", 4},
		{"日本語のテキスト", 8},
		{"--- ... !!!", 0},
	}
	for _, tt := range tests {
		if got := CountWords(tt.in); got != tt.want {
			t.Errorf("CountWords(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestStats(t *testing.T) {
	en, es, fr := MustParseLang("en"), MustParseLang("es"), MustParseLang("fr")
	var s Stats
	for _, u := range []Unit{
		{SourceLang: en, TargetLang: es, Source: Text("Open the file"), Target: Text("Abra el archivo")},
		{SourceLang: en, TargetLang: es, Source: Text("Open the file"), Target: Text("Abra el archivo")},
		{SourceLang: en, TargetLang: es, Source: Text("Open the file"), Target: Text("Abrir el archivo")},
		{SourceLang: en, TargetLang: fr, Source: Text("Save"), Target: Text("")},
	} {
		s.Add(&u)
	}
	s.Finish()
	if s.Units != 4 || s.Duplicates != 1 || s.Untranslated != 1 || s.SourceWords != 10 || s.TargetWords != 9 {
		t.Errorf("Stats = %+v", s)
	}
	want := []PairCount{{"en", "es", 3}, {"en", "fr", 1}}
	if len(s.Pairs) != 2 || s.Pairs[0] != want[0] || s.Pairs[1] != want[1] {
		t.Errorf("Pairs = %v, want %v", s.Pairs, want)
	}
}

// sliceReader yields units from a slice.
type sliceReader struct{ us []*Unit }

func (r *sliceReader) Next() (*Unit, error) {
	if len(r.us) == 0 {
		return nil, io.EOF
	}
	u := r.us[0]
	r.us = r.us[1:]
	return u, nil
}

func TestEach(t *testing.T) {
	n := 0
	err := Each(context.Background(), &sliceReader{[]*Unit{{}, {}, {}}}, func(*Unit) error { n++; return nil })
	if err != nil || n != 3 {
		t.Errorf("Each = %v after %d units, want nil after 3", err, n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Each(ctx, &sliceReader{[]*Unit{{}}}, func(*Unit) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("Each(cancelled) = %v, want context.Canceled", err)
	}
	stop := errors.New("stop")
	if err := Each(context.Background(), &sliceReader{[]*Unit{{}, {}}}, func(*Unit) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("Each with a failing fn = %v, want stop", err)
	}
}

func TestFlat(t *testing.T) {
	var s Segment
	s.Append("Press ")
	s.AppendCode(&Code{Kind: CodeOpen, Element: "bpt", ID: "1", Native: "&lt;b&gt;"})
	s.Append("OK")
	s.AppendCode(&Code{Kind: CodeClose, Element: "ept", ID: "1", Native: "&lt;/b&gt;"})
	s.AppendCode(&Code{Kind: CodeStandalone, Element: "ph", Native: "%s"})
	s.AppendCode(&Code{Kind: CodeStandalone, Element: "ph", Native: "a<sub>b</sub> &amp;"})
	s.AppendCode(&Code{Kind: CodeStandalone, Element: "ph", Native: "broken &"})
	if got, want := s.Flat(), "Press <b>OK</b>%sab &broken &"; got != want {
		t.Errorf("Flat() = %q, want %q", got, want)
	}
	if got := Text("plain").Flat(); got != "plain" {
		t.Errorf("Text(plain).Flat() = %q", got)
	}
}
