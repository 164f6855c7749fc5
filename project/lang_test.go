package project

import (
	"testing"

	"golang.org/x/text/language"
)

func TestLangOf(t *testing.T) {
	for name, want := range map[string]string{
		"es": "es", "pt_BR": "pt-BR", "pt-BR": "pt-BR", "sr@latin": "sr-Latn", "zh_Hant": "zh-Hant", "es_419": "es-419",
		"po": "und", "messages": "und", "LC_MESSAGES": "und", "ui": "und", "EN": "und", "gtk30": "und",
	} {
		if got := langOf(name).String(); got != want {
			t.Errorf("langOf(%q) = %s, want %s", name, got, want)
		}
	}
}

func TestSpell(t *testing.T) {
	for in, want := range map[string][2]string{
		"es": {"es", "es"}, "pt-BR": {"pt_BR", "pt-BR"}, "sr-Latn": {"sr@latin", "sr-Latn"}, "sr-Latn-RS": {"sr_RS@latin", "sr-Latn-RS"},
		"es-419": {"es_419", "es-419"}, "zh-Hant": {"zh_Hant", "zh-Hant"}, "ca-ES-valencia": {"ca_ES@valencia", "ca-ES-valencia"},
	} {
		tag := language.MustParse(in)
		if got := spell(tag, true); got != want[0] {
			t.Errorf("spell(%s, posix) = %q, want %q", in, got, want[0])
		}
		if got := spell(tag, false); got != want[1] {
			t.Errorf("spell(%s) = %q, want %q", in, got, want[1])
		}
		if back := langOf(want[0]); back != tag {
			t.Errorf("langOf(%q) = %s, want %s", want[0], back, in)
		}
	}
}
