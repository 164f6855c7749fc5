package retrieval

import (
	"fmt"
	"strings"
	"testing"
)

func TestTokenize(t *testing.T) {
	tests := []struct {
		text string
		want string // kind:surface, space separated
	}{
		{"Save the file", "w:Save w:the w:file"},
		{"Page 1 of 3.5", "w:Page n:1 w:of n:3.5"},
		{"1,000 files, done.", "n:1,000 w:files p:, w:done p:."},
		{"_File", "w:_File"},
		{"&Open…", "w:&Open p:…"},
		{"Save &amp; quit", "w:Save p:& w:amp p:; w:quit"},
		{"file_name", "w:file_name"},
		{"%s failed: %1$d, %(name)s {0} {count} ${HOME} {{ user }}", "h:%s w:failed p:: h:%1$d p:, h:%(name)s h:{0} h:{count} h:${HOME} h:{{ user }}"},
		{"100% sure", "n:100 p:% w:sure"},
		{"<b>Bold</b> <br/> a < b", "t:<b> w:Bold t:</b> t:<br/> w:a p:< w:b"},
		{"Wait...", "w:Wait p:..."},
		{"don't e-mail", "w:don't w:e-mail"},
		{"文件已保存", "w:文 w:件 w:已 w:保 w:存"},
		{"Größe ändern", "w:Größe w:ändern"},
		{"", ""},
		{"   ", ""},
	}
	kinds := map[TokenKind]string{KindWord: "w", KindNumber: "n", KindPlaceholder: "h", KindTag: "t", KindPunct: "p"}
	for _, tt := range tests {
		var parts []string
		for _, tk := range Tokenize(tt.text) {
			parts = append(parts, kinds[tk.Kind]+":"+tk.Surface)
		}
		if got := strings.Join(parts, " "); got != tt.want {
			t.Errorf("Tokenize(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestSimilarity(t *testing.T) {
	tests := []struct {
		a, b string
		want int
		why  string
	}{
		{"Save the file", "Save the file", 100, "identical"},
		{"Save the file", "Save the files", 66, "one word of three differs"},
		{"Delete the notebook", "Delete Notebook", 65, "one word missing (66), one case difference (-1)"},
		{"Page 1 of 3", "Page 2 of 3", 99, "a number differs: -1"},
		{"Page 1 of 3", "Page 2 of 4", 98, "two numbers differ"},
		{"Page 1", "Page", 50, "a missing number is an edit, not a penalty too"},
		{"_File", "File", 99, "accelerator: -1"},
		{"Open...", "Open", 99, "punctuation: -1"},
		{"Open: %s", "Open %s", 99, "punctuation: -1"},
		{"%s failed: exit code %d", "%s failed: exit code %s", 98, "placeholder: -2"},
		{"Hello  world", "Hello world", 99, "white space: -1"},
		{"Hello World", "hello world", 98, "case, twice: -2"},
		{"A B C D E", "a b c d e", 97, "case is capped at -3"},
		{"<b>Name</b>", "<i>Name</i>", 98, "two tags differ: -2"},
		{"文件已保存", "文件未保存", 80, "CJK: one character of five"},
		{"", "x", 0, "nothing in common"},
		{"a b c d", "e f g h", 0, "nothing in common"},
		{"...", "!!!", 98, "no words: -1 per mark missing on either side"},
		{"The quick brown fox jumps", "The quick brown dog jumps", 80, "one of five"},
		{"the quick brown fox", "quick brown fox the", 50, "order matters: two edits of four"},
	}
	for _, tt := range tests {
		if got := Similarity(tt.a, tt.b); got != tt.want {
			t.Errorf("Similarity(%q, %q) = %d, want %d (%s)", tt.a, tt.b, got, tt.want, tt.why)
		}
		if got := Similarity(tt.b, tt.a); got != tt.want {
			t.Errorf("Similarity(%q, %q) = %d, want %d (symmetric)", tt.b, tt.a, got, tt.want)
		}
	}
}

func TestScorePreparedBounds(t *testing.T) {
	// The bounds may only say "below floor" when the score is below it.
	texts := []string{"Save the file", "Save the files", "Save", "Save all the files now please", "the the the", "%s: %s", "File", "_File"}
	for _, a := range texts {
		for _, b := range texts {
			full := scorePrepared(Prepare(a), Prepare(b), 0)
			for floor := 1; floor <= 100; floor++ {
				got := scorePrepared(Prepare(a), Prepare(b), floor)
				if full >= floor && got != full {
					t.Errorf("scorePrepared(%q, %q, floor %d) = %d, want %d", a, b, floor, got, full)
				}
				if full < floor && got >= floor {
					t.Errorf("scorePrepared(%q, %q, floor %d) = %d, below floor is %d", a, b, floor, got, full)
				}
			}
		}
	}
}

func TestBandOf(t *testing.T) {
	tests := []struct {
		score int
		want  Band
	}{
		{101, BandContext}, {100, BandExact}, {99, BandHigh}, {95, BandHigh}, {94, BandGood}, {85, BandGood},
		{84, BandMedium}, {75, BandMedium}, {74, BandLow}, {50, BandLow}, {49, BandNone}, {0, BandNone},
	}
	for _, tt := range tests {
		if got := BandOf(tt.score); got != tt.want {
			t.Errorf("BandOf(%d) = %q, want %q", tt.score, got, tt.want)
		}
	}
}

func ExampleSimilarity() {
	fmt.Println(Similarity("Delete the file", "Delete the file"))
	fmt.Println(Similarity("Delete the file", "Delete this file"))
	fmt.Println(Similarity("Page 1 of 3", "Page 2 of 3"))
	fmt.Println(Similarity("_Open…", "Open"))
	// Output:
	// 100
	// 66
	// 99
	// 98
}

// FuzzSimilarity checks the score's invariants on any pair of texts.
func FuzzSimilarity(f *testing.F) {
	seeds := [][2]string{
		{"Save the file", "Save the files"}, {"%s failed: %d", "%d failed: %s"}, {"<b>x</b>", "<i>x"},
		{"_File", "&File"}, {"文件已保存", "文件"}, {"1,000.5", "1.000,5"}, {"{{ a }", "${b"}, {"%(", "%1$"},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		s := Similarity(a, b)
		if s < 0 || s > 100 {
			t.Fatalf("Similarity(%q, %q) = %d, out of 0..100", a, b, s)
		}
		if (s == 100) != (a == b) {
			t.Fatalf("Similarity(%q, %q) = %d: 100 must mean identical", a, b, s)
		}
		if r := Similarity(b, a); r != s {
			t.Fatalf("Similarity(%q, %q) = %d but reversed %d", a, b, s, r)
		}
		for _, tk := range Tokenize(a) {
			if tk.Surface == "" {
				t.Fatalf("Tokenize(%q): empty token", a)
			}
			if !strings.Contains(a, tk.Surface) {
				t.Fatalf("Tokenize(%q): token %q is not in the text", a, tk.Surface)
			}
		}
	})
}
