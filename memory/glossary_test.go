package memory_test

import (
	"context"
	"errors"
	"os"
	"testing"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/memory"
)

// TestGlossary adds a glossary, translates with its term, removes it and
// translates again: the term is required while the glossary is in the
// memory, and gone with it.
func TestGlossary(t *testing.T) {
	ctx := context.Background()
	m := demoMemory(t)
	const src = "The gizmo is broken."
	translate := func() string {
		t.Helper()
		rs, err := m.Translate(ctx, memory.TranslateOptions{Model: "memory", SourceLang: "en", TargetLang: "es"}, memory.LineSegments([]string{src}))
		if err != nil {
			t.Fatal(err)
		}
		return rs[0].Translation
	}
	before := translate()
	if before != src {
		t.Fatalf("before the glossary, Translate(%q) = %q, want it unchanged (the memory knows no word of it)", src, before)
	}
	sum, err := m.AddGlossary(ctx, "g-1", language.English, language.Spanish, []memory.TermPair{{Source: "gizmo", Target: "artilugio"}, {Source: "widget ", Target: " componente"}})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Terms != 2 {
		t.Errorf("AddGlossary read %d term entries, want 2", sum.Terms)
	}
	path, err := m.GlossaryPath("g-1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("the glossary's term base is not kept: %v", err)
	}
	if got, want := translate(), "The artilugio is broken."; got != want {
		t.Errorf("with the glossary, Translate(%q) = %q, want %q", src, got, want)
	}
	if err := m.RemoveGlossary(ctx, "g-1"); err != nil {
		t.Fatal(err)
	}
	if got := translate(); got != before {
		t.Errorf("after RemoveGlossary, Translate(%q) = %q, want %q as before", src, got, before)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the glossary's term base is still there: %v", err)
	}
	if err := m.RemoveGlossary(ctx, "g-1"); err != nil {
		t.Errorf("RemoveGlossary of a glossary already removed: %v", err)
	}
}

func TestGlossaryRefuses(t *testing.T) {
	ctx := context.Background()
	m := demoMemory(t)
	pairs := []memory.TermPair{{Source: "gizmo", Target: "artilugio"}}
	tests := []struct {
		name     string
		glossary string
		from, to language.Tag
		pairs    []memory.TermPair
	}{
		{"a path for a name", "../keys", language.English, language.Spanish, pairs},
		{"an empty name", "", language.English, language.Spanish, pairs},
		{"no languages", "g", language.Und, language.Spanish, pairs},
		{"no entries", "g", language.English, language.Spanish, nil},
		{"an empty target", "g", language.English, language.Spanish, []memory.TermPair{{Source: "gizmo", Target: " "}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := m.AddGlossary(ctx, tt.glossary, tt.from, tt.to, tt.pairs)
			if !errors.Is(err, memory.ErrInvalid) {
				t.Errorf("AddGlossary(%q) = %v, want an ErrInvalid error", tt.glossary, err)
			}
		})
	}
}
