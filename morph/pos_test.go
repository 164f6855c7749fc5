package morph

import (
	"strings"
	"testing"
)

func TestEnglishWordClass(t *testing.T) {
	for _, tc := range []struct {
		text, span, want string
	}{
		{"To sync your notes, sign in.", "sync", Verb},
		{"You can sync later.", "sync", Verb},
		{"Don't sync over mobile data.", "sync", Verb},
		{"Sync your changes now.", "Sync", Verb},
		{"Sync now", "Sync", Verb},
		{"Notes saved. Sync all notebooks?", "Sync", Verb},
		{"Sync with Northwind Cloud", "Sync", Verb},
		{"The sync stopped.", "sync", Noun},
		{"Your last sync was an hour ago.", "sync", Noun},
		{"Sync failed.", "Sync", Noun},
		{"Sync is paused", "Sync", Noun},
		{"Turn on automatic sync", "sync", Noun},
		{"Wait until after sync.", "sync", Noun},
		// The neighbours do not tell.
		{"Sync", "Sync", ""},
		{"Sync settings", "Sync", ""},
		{"Notes, sync, files", "sync", ""},
	} {
		start := strings.Index(tc.text, tc.span)
		if got := EnglishWordClass(tc.text, start, start+len(tc.span)); got != tc.want {
			t.Errorf("EnglishWordClass(%q, %q) = %q, want %q", tc.text, tc.span, got, tc.want)
		}
	}
	for _, bad := range [][2]int{{-1, 2}, {3, 3}, {4, 2}, {0, 99}} {
		if got := EnglishWordClass("Sync now", bad[0], bad[1]); got != "" {
			t.Errorf("EnglishWordClass of span %v = %q, want \"\"", bad, got)
		}
	}
}

func TestInfinitive(t *testing.T) {
	for _, tc := range []struct {
		lang, phrase string
		inf, ok      bool
	}{
		{"es", "sincronizar", true, true},
		{"es-ES", "iniciar sesión", true, true},
		{"es", "sincronización", false, true},
		{"es", "inicio de sesión", false, true},
		{"pt", "sincronizar", true, true},
		{"fr", "synchroniser", true, true},
		{"fr", "synchronisation", false, true},
		{"it", "sincronizzare", true, true},
		{"it", "sincronizzazione", false, true},
		{"es", "ir", false, true}, // too short to tell
		{"de", "synchronisieren", false, false},
	} {
		inf, ok := Infinitive(tc.lang, tc.phrase)
		if inf != tc.inf || ok != tc.ok {
			t.Errorf("Infinitive(%q, %q) = %v, %v; want %v, %v", tc.lang, tc.phrase, inf, ok, tc.inf, tc.ok)
		}
	}
}

func TestEnglishInfinitiveSlot(t *testing.T) {
	for _, tc := range []struct {
		text, word string
		want       bool
	}{
		{"Select the JRE that you want to use.", "use", true},
		{"You can use it.", "use", true},
		{"Don't use tabs.", "use", true},
		{"Use the Navigator.", "Use", false},
		{"Click the button, then use it.", "use", false},
	} {
		if got := EnglishInfinitiveSlot(tc.text, strings.Index(tc.text, tc.word)); got != tc.want {
			t.Errorf("EnglishInfinitiveSlot(%q, %q) = %v, want %v", tc.text, tc.word, got, tc.want)
		}
	}
}
