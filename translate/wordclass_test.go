package translate_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/kgmem/kgmem/translate"
)

// TestTermsWordClass: the demo glossary makes "sync" a verb (sincronizar)
// and a noun (sincronización). The sentence decides which translations a
// span gets, with and without the graph's facts.
func TestTermsWordClass(t *testing.T) {
	mem := demoMemory(t)
	ctx := context.Background()
	tests := []struct {
		text        string
		want, avoid string
	}{
		{"You can sync later.", "sincronizar", "sincronización"},
		{"It is easy to sync.", "sincronizar", "sincronización"},
		{"Sync your changes now.", "sincronizar", "sincronización"},
		{"The sync stopped.", "sincronización", "sincronizar"},
		{"Sync failed.", "sincronización", "sincronizar"},
	}
	for _, facts := range []bool{false, true} {
		m := mem.memory()
		if facts {
			m.Spotter = nil // spot and expand through the index, with facts
		}
		for _, tc := range tests {
			q := translate.Query{Text: tc.text, Protected: tc.text, SourceLang: "en", TargetLang: "es"}
			cands, _, err := m.Terms(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range cands {
				if strings.EqualFold(c.Source, "sync") {
					got = append(got, c.Target)
				}
			}
			if !slices.Contains(got, tc.want) || slices.Contains(got, tc.avoid) {
				t.Errorf("facts=%v: %q: translations of sync %q, want %s and not %s", facts, tc.text, got, tc.want, tc.avoid)
			}
		}
		// A sentence that does not tell keeps both.
		cands, _, err := m.Terms(ctx, translate.Query{Text: "Sync settings", Protected: "Sync settings", SourceLang: "en", TargetLang: "es"})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range cands {
			got = append(got, c.Target)
		}
		if !slices.Contains(got, "sincronizar") || !slices.Contains(got, "sincronización") {
			t.Errorf("facts=%v: \"Sync settings\": translations %q, want both sincronizar and sincronización", facts, got)
		}
	}
}
