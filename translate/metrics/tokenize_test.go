package metrics

import (
	"errors"
	"reflect"
	"testing"
)

func TestTokenize13a(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Hello, world!", "Hello , world !"},
		{"It's 3.14 and 1,000.", "It's 3.14 and 1,000 ."},
		{"x.y", "x . y"},
		{"1990-2000 well-known", "1990 - 2000 well-known"},
		{"(a) [b] {c} <d> a/b a@b #1 $5 %", "( a ) [ b ] { c } < d > a / b a @ b # 1 $ 5 %"},
		{"&quot;quoted&quot; &amp; &lt;b&gt;", `" quoted " & < b >`},
		{"&amp;lt;", "<"},
		{"end of line-\nnext\nline", "end of linenext line"},
		{"<skipped> gone", "gone"},
		{"¿Qué tal? «bien»", "¿Qué tal ? «bien»"},
		{"  spaces\t\u00a0everywhere \u001f ", "spaces everywhere"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Tokenize13a(tt.in); got != tt.want {
			t.Errorf("Tokenize13a(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTokenizeIntl(t *testing.T) {
	tests := []struct{ in, want string }{
		{"¿Qué tal? «bien»", "¿ Qué tal ? « bien »"},
		{"3.14 and 1,000", "3.14 and 1,000"},
		// mteval-v14's quirk, kept: a final period after a number stays.
		{"in 1990.", "in 1990."},
		{"a$b 5€ x+y", "a $ b 5 € x + y"},
		{"l'hôpital", "l ' hôpital"},
	}
	for _, tt := range tests {
		if got := TokenizeIntl(tt.in); got != tt.want {
			t.Errorf("TokenizeIntl(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFieldsPythonWhitespace(t *testing.T) {
	// Python's str.split() splits on U+001C–U+001F; Go's strings.Fields
	// does not.
	got := fields("a\u001cb\u3000c\u00a0d\u200be")
	if want := []string{"a", "b", "c", "d\u200be"}; !reflect.DeepEqual(got, want) {
		t.Errorf("fields = %q, want %q", got, want)
	}
	if got := lower("ΟΔΟΣ İ"); got != "οδος i\u0307" {
		t.Errorf("lower = %q, want Python's %q", got, "οδος i\u0307")
	}
}

func TestTokenizerCheck(t *testing.T) {
	for _, tt := range []struct {
		t  Tokenizer
		ok bool
	}{{"", true}, {Tok13a, true}, {TokIntl, true}, {TokChar, true}, {TokNone, true}, {"moses", false}, {"13A", false}} {
		if err := tt.t.Check(); (err == nil) != tt.ok || (err != nil && !errors.Is(err, ErrBadOption)) {
			t.Errorf("Tokenizer(%q).Check() = %v, want ok %v", tt.t, err, tt.ok)
		}
	}
}
