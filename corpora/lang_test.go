package corpora

import (
	"testing"

	"golang.org/x/text/language"
)

func TestParseLang(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"es", "es"},
		{"es-419", "es-419"},
		{"es_ES", "es-ES"},
		{"zh_CN", "zh-CN"},
		{"zh_TW.UTF-8", "zh-TW"},
		{"pt_BR", "pt-BR"},
		{"sr@latin", "sr-Latn"},
		{"sr_RS@latin", "sr-Latn-RS"},
		{"uz@cyrillic", "uz-Cyrl"},
		{"ca_ES@valencia", "ca-ES-valencia"},
		{"de_DE@euro", "de-DE"},
		{"EN-us", "en-US"},
		{"es_XX", "es-XX"},
		{" fr ", "fr"},
	}
	for _, tt := range tests {
		got, err := ParseLang(tt.in)
		if err != nil {
			t.Errorf("ParseLang(%q) error: %v", tt.in, err)
			continue
		}
		if got.String() != tt.want {
			t.Errorf("ParseLang(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
	for _, bad := range []string{"", "C", "POSIX", "*all*", "x@klingon", "123456789"} {
		if got, err := ParseLang(bad); err == nil {
			t.Errorf("ParseLang(%q) = %v, want error", bad, got)
		}
	}
}

func TestLangMatches(t *testing.T) {
	tests := []struct {
		want, have string
		ok         bool
	}{
		{"en", "en", true},
		{"en", "en-US", true},
		{"en", "en-GB", true},
		{"en-US", "en", false},
		{"es-419", "es-419", true},
		{"es-419", "es-ES", false},
		{"es", "es-419", true},
		{"sr", "sr-Latn", true},
		{"fr", "fr-CA", true},
		{"fr-CA", "fr", false},
	}
	for _, tt := range tests {
		if got := LangMatches(language.MustParse(tt.want), language.MustParse(tt.have)); got != tt.ok {
			t.Errorf("LangMatches(%s, %s) = %v, want %v", tt.want, tt.have, got, tt.ok)
		}
	}
	if !LangMatches(language.Und, language.MustParse("fr")) {
		t.Error("LangMatches(und, fr) = false, want true")
	}
}
