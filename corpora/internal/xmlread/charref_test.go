package xmlread

import (
	"testing"
	"unicode/utf8"
)

func TestEscapeInvalid(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"bell\a", "bell&#x7;"},
		{"verb\x04Tag", "verb&#x4;Tag"},
		{"\x00\x1f\ufffe\uffff", "&#x0;&#x1f;&#xfffe;&#xffff;"},
		{"tab\tnl\ncr\r", "tab\tnl\ncr\r"},
		{"&#x7;", "&#x26;#x7;"},           // text that reads like an escape
		{"&#x26;#x7;", "&#x26;#x26;#x7;"}, // and like an escaped one
		{"&#x41; &#x07; &#x26; &amp;", "&#x41; &#x07; &#x26; &amp;"},
		{"a & b", "a & b"},
		{"&&#x1;", "&&#x26;#x1;"},
	}
	for _, tt := range tests {
		if got := EscapeInvalid(tt.in); got != tt.want {
			t.Errorf("EscapeInvalid(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := UnescapeInvalid(tt.want); got != tt.in {
			t.Errorf("UnescapeInvalid(%q) = %q, want %q", tt.want, got, tt.in)
		}
	}
}

func FuzzEscapeInvalid(f *testing.F) {
	for _, s := range []string{"bell\a", "&#x7;", "&#x26;#x26;#x1f;", "\x00&#x0;", "&#x", "&#x110000;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		e := EscapeInvalid(s)
		if HasInvalid(e) {
			t.Fatalf("EscapeInvalid(%q) = %q holds a character XML cannot", s, e)
		}
		if got := UnescapeInvalid(e); got != s {
			t.Fatalf("UnescapeInvalid(EscapeInvalid(%q)) = %q (escaped %q)", s, got, e)
		}
	})
}
