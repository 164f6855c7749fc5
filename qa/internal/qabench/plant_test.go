package main

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestPlantError plants each kind in a pair it applies to and checks
// that the target changed as the note says and nothing else broke: the
// plant is the pair's only change of its kind.
func TestPlantError(t *testing.T) {
	g := newGlossary()
	rng := rand.New(rand.NewPCG(1, 2))
	tests := []struct {
		kind   string
		p      pair
		wantIn string // the new target must contain it ("" for no check)
		notIn  string // the new target must not contain it
	}{
		{kindPlaceholder, pair{Source: "Delete %s now", Target: "Eliminar %s ahora"}, "", "%s"},
		{kindTag, pair{Source: "<b>Bold</b> text", Target: "Texto <b>negrita</b> aquí"}, "", ""},
		{kindAccelerator, pair{Source: "_Open the file", Target: "_Abrir el archivo", Family: "gnome"}, "", ""},
		{kindNumber, pair{Source: "Button 3 pressed", Target: "Botón 3 pulsado"}, "", "3"},
		{kindURL, pair{Source: "See https://gnu.org/help now", Target: "Vea https://gnu.org/help ahora"}, "", "https://gnu.org/help "},
		{kindNewline, pair{Source: "One\nTwo", Target: "Uno\nDos"}, "Uno Dos", "\n"},
		{kindDoubleSpace, pair{Source: "Open the file", Target: "Abrir el archivo"}, "  ", ""},
		{kindInverted, pair{Source: "Delete it?", Target: "¿Eliminarlo?"}, "", "¿"},
		{kindCapitals, pair{Source: "Open it", Target: "Abrirlo"}, "abrirlo", ""},
		{kindUntranslated, pair{Source: "Open", Target: "Abrir"}, "", "Abrir"},
		{kindUnchanged, pair{Source: "Open the file now", Target: "Abrir el archivo ahora"}, "Open the file now", ""},
		{kindTermMissing, pair{Source: "Open the files", Target: "Abrir los archivos y el archivo"}, "legajos", "archivo"},
		{kindTermBanned, pair{Source: "Open the file", Target: "Abrir el archivo"}, "fichero", "archivo"},
		{kindConsistency, pair{Source: "Page Setup", Target: "Configuración de la página"}, "de página", ""},
	}
	for _, tt := range tests {
		if !applicable(tt.kind, tt.p, g) {
			t.Errorf("%s: not applicable to %q → %q", tt.kind, tt.p.Source, tt.p.Target)
			continue
		}
		got, note := plantError(tt.kind, tt.p, g, rng)
		if got == tt.p.Target || note == "" {
			t.Errorf("%s: plantError(%q) = %q, %q: nothing planted", tt.kind, tt.p.Target, got, note)
		}
		if tt.wantIn != "" && !strings.Contains(got, tt.wantIn) || tt.notIn != "" && strings.Contains(got, tt.notIn) {
			t.Errorf("%s: plantError(%q) = %q (%s)", tt.kind, tt.p.Target, got, note)
		}
	}
	if applicable(kindPlaceholder, pair{Source: "%e %B %Y", Target: "%d/%m/%Y"}, g) {
		t.Error("a date format is a candidate for a placeholder plant")
	}
	if applicable(kindCapitals, pair{Source: "Search;Find;", Target: "Buscar;Encontrar;"}, g) {
		t.Error("a keyword list is a candidate for a capitals plant")
	}
}
