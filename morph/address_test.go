package morph

import "testing"

func TestAddress(t *testing.T) {
	tests := []struct{ lang, phrase, want string }{
		{"es", "lávate las manos", Informal},
		{"es", "lávese las manos", Formal},
		{"es-419", "Cúbrase la boca al toser", Formal},
		{"es", "quédate en casa", Informal},
		{"es", "Abre tu cuaderno", Informal},
		{"es", "Si usted viaja", Formal},
		{"es", "vuestras notas", Informal},
		{"es", "lavarse las manos", ""},    // an infinitive
		{"es", "su cuaderno", ""},          // usted's or a third person's
		{"es", "rápidamente", ""},          // an adverb
		{"es", "el paquete de café", ""},   // no accent, no pronoun
		{"es", "la fiebre del tomate", ""}, // no accent
		{"es", "usted y tu hermano", ""},   // both: does not tell
		{"fr", "lave-toi les mains", ""},   // not covered
		{"es", "Guardar como", ""},
	}
	for _, tt := range tests {
		if got := Address(tt.lang, tt.phrase); got != tt.want {
			t.Errorf("Address(%q, %q) = %q, want %q", tt.lang, tt.phrase, got, tt.want)
		}
	}
}
