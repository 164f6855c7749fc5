package plaintext

import "testing"

func TestSniff(t *testing.T) {
	tests := []struct {
		name string
		head string
		want bool
	}{
		{"prose", "It was a dark night. The end.\n", true},
		{"utf-8 bom", "\xEF\xBB\xBFBonjour.\n", true},
		{"utf-16le", string(utf16Bytes("Hello.\n", false)), true},
		{"cjk", "你好。我很好！", true},
		{"tabs and crlf", "a\tb\r\nc\f", true},
		{"empty", "", false},
		{"white space", " \n\t\n", false},
		{"nul", "text\x00more", false},
		{"control", "text\x01more", false},
		{"invalid utf-8", "caf\xe9 au lait", false},
	}
	for _, tt := range tests {
		if got := Sniff([]byte(tt.head)); got != tt.want {
			t.Errorf("Sniff(%q) = %v, want %v", tt.head, got, tt.want)
		}
	}
}
