package analysis

import (
	"reflect"
	"testing"
)

func TestTokens(t *testing.T) {
	toks := For("en-US").Tokens("The user's Files were deleted.")
	var got [][3]string
	for _, tk := range toks {
		got = append(got, [3]string{tk.Surface, tk.Norm, tk.Stem})
	}
	want := [][3]string{
		{"The", "the", ""},
		{"user's", "user's", "user"},
		{"Files", "files", "file"},
		{"were", "were", ""},
		{"deleted", "deleted", "delet"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Tokens = %q, want %q", got, want)
	}
	text := "Abra el archivo «Notas».  ¿Dónde?"
	for _, tk := range For("es").Tokens(text) {
		if text[tk.Start:tk.End] != tk.Surface {
			t.Errorf("token %+v does not match its offsets", tk)
		}
	}
}

// TestTokensOnePass checks that tokenising once for words and stems gives
// what the full analyser gives on its own.
func TestTokensOnePass(t *testing.T) {
	texts := []string{
		"The user's Files were deleted.", "Abra el archivo «Notas».  ¿Dónde?", "Die Dateien wurden gelöscht",
		"l'été dernier", "I can't do it, Tom's cat's toys", "Sync v1.2.3 to https://example.com/a_b?x=1 now",
		"%s files in {0}", "  leading and trailing  ", "über-cool co-operate", "日本語のテキスト", "Привет, мир",
		"x", "...", "\t\n", "ÀÉÎÕÜ àéîõü", "año, niños, canción",
	}
	for _, lang := range []string{"en", "es", "de", "fr", "it", "pt", "nl", "ru", "xx"} {
		a := For(lang)
		if a.filters == nil {
			t.Errorf("For(%q) tokenises twice", lang)
			continue
		}
		twice := *a
		twice.filters = nil
		for _, text := range texts {
			if got, want := a.Tokens(text), twice.Tokens(text); !reflect.DeepEqual(got, want) {
				t.Errorf("For(%q).Tokens(%q) = %+v, want %+v", lang, text, got, want)
			}
		}
	}
}

func TestKey(t *testing.T) {
	tests := []struct{ lang, a, b string }{
		{"en", "file", "Files"},
		{"en", "contact tracing", "Contact Tracing"},
		{"es", "archivo", "archivos"},
		{"de", "Datei", "Dateien"},
		{"fr", "fichier", "fichiers"},
	}
	for _, tt := range tests {
		an := For(tt.lang)
		if ka, kb := an.Key(tt.a), an.Key(tt.b); ka != kb || ka == "" {
			t.Errorf("%s: Key(%q) = %q, Key(%q) = %q; want equal", tt.lang, tt.a, ka, tt.b, kb)
		}
	}
	if k := For("en").Key("the file"); k != "the file" {
		t.Errorf(`Key("the file") = %q, want stop word kept`, k)
	}
}

func TestCJKAndFallback(t *testing.T) {
	if toks := For("ja").Tokens("日本語のテキスト"); len(toks) == 0 {
		t.Error("Tokens(ja) = none")
	}
	if a := For("sw"); a.Name != "standard" || len(a.Tokens("Habari ya dunia")) != 3 {
		t.Errorf("For(sw) = %s with %d tokens", a.Name, len(a.Tokens("Habari ya dunia")))
	}
}

func TestLemma(t *testing.T) {
	tests := []struct{ lang, a, b string }{
		{"en", "infected", "infection"},
		{"en", "aid", "AIDS"},
		{"es", "infectado", "infección"},
	}
	for _, tt := range tests {
		an := For(tt.lang)
		if ka, kb := an.Key(tt.a), an.Key(tt.b); ka == kb {
			t.Errorf("%s: Key(%q) = Key(%q) = %q; want different", tt.lang, tt.a, tt.b, ka)
		}
	}
	for in, want := range map[string]string{"files": "file", "policies": "policy", "sneezes": "sneeze", "virus": "virus", "glass": "glass", "analysis": "analysis", "boxes": "box", "patches": "patch", "classes": "class"} {
		if got := englishSingular(in); got != want {
			t.Errorf("englishSingular(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestShortWordPlurals(t *testing.T) {
	for _, p := range [][3]string{{"es", "nota", "notas"}, {"es", "casa", "casas"}, {"pt", "nota", "notas"}, {"es", "archivo", "archivos"}} {
		an := For(p[0])
		if a, b := an.Key(p[1]), an.Key(p[2]); a != b {
			t.Errorf("%s: Key(%q) = %q, Key(%q) = %q; want equal", p[0], p[1], a, p[2], b)
		}
	}
}

func TestLowerFirst(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Vaccine", "vaccine"},
		{"Sync conflict", "sync conflict"},
		{"PDF viewer", "PDF viewer"}, // an acronym stays
		{"Élan", "élan"},
		{"vaccine", "vaccine"},
		{"A", "a"},
		{"", ""},
		{"1st", "1st"},
	} {
		if got := LowerFirst(tc.in); got != tc.want {
			t.Errorf("LowerFirst(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestIsWordRuneAndHasLetter(t *testing.T) {
	for _, tc := range []struct {
		r    rune
		want bool
	}{{'a', true}, {'É', true}, {'7', true}, {'\u0301', true}, {'-', false}, {' ', false}, {'%', false}} {
		if got := IsWordRune(tc.r); got != tc.want {
			t.Errorf("IsWordRune(%q) = %v, want %v", tc.r, got, tc.want)
		}
	}
	for _, tc := range []struct {
		s    string
		want bool
	}{{"abc", true}, {"v1.2", true}, {"12,5 %", false}, {"", false}, {"日本", true}} {
		if got := HasLetter(tc.s); got != tc.want {
			t.Errorf("HasLetter(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
}
