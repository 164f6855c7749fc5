package morph

import "testing"

func TestNounPhraseGender(t *testing.T) {
	for _, tc := range []struct {
		lang, phrase string
		g            Gender
		plural, ok   bool
	}{
		{"es", "sincronización", Feminine, false, true},
		{"es-ES", "sincronizaciones", Feminine, true, true},
		{"es", "archivos adjuntos", Masculine, true, true},
		{"es", "archivo", Masculine, false, true},
		{"es", "tasa de letalidad", Feminine, false, true},
		{"es", "rastreo de contactos", Masculine, false, true},
		{"es", "Carpeta", Feminine, false, true},
		{"es", "conexión", Feminine, false, true},
		{"es", "botones", Masculine, true, true},
		{"es", "día", Masculine, false, true},
		{"es", "mano", Feminine, false, true},
		{"es", "imagen", Feminine, false, true}, // listed: -n does not tell
		{"es", "superficie", Feminine, false, true},
		{"es", "análisis", 0, false, false},    // ending does not tell
		{"es", "sistema", 0, false, false},     // -ma: either
		{"es", "red", 0, false, false},         // a consonant: either
		{"es", "Lumen Notes", 0, false, false}, // a name
		{"es", "cuatro", 0, false, false},      // a numeral
		{"fr", "synchronisation", 0, false, false},
	} {
		g, plural, ok := NounPhraseGender(tc.lang, tc.phrase)
		if g != tc.g || plural != tc.plural || ok != tc.ok {
			t.Errorf("NounPhraseGender(%q, %q) = %v, %v, %v; want %v, %v, %v", tc.lang, tc.phrase, g, plural, ok, tc.g, tc.plural, tc.ok)
		}
	}
}

func TestAgreeDeterminer(t *testing.T) {
	for _, tc := range []struct {
		det    string
		g      Gender
		plural bool
		want   string
		ok     bool
	}{
		{"el", Feminine, false, "la", true},
		{"El", Masculine, true, "Los", true},
		{"las", Masculine, true, "los", true},
		{"un", Feminine, false, "una", true},
		{"esto", Feminine, false, "esta", true},
		{"último", Feminine, false, "última", true},
		{"su", Masculine, true, "sus", true},
		{"de", Feminine, false, "de", false},
		{"el", 0, false, "el", false},
	} {
		got, ok := AgreeDeterminer("es", tc.det, tc.g, tc.plural)
		if got != tc.want || ok != tc.ok {
			t.Errorf("AgreeDeterminer(%q, %v, %v) = %q, %v; want %q, %v", tc.det, tc.g, tc.plural, got, ok, tc.want, tc.ok)
		}
	}
	if _, ok := AgreeDeterminer("fr", "le", Feminine, false); ok {
		t.Error("AgreeDeterminer covers French")
	}
}

func TestAgreeDeterminersBefore(t *testing.T) {
	for _, tc := range []struct {
		lang, prefix, phrase, want string
	}{
		{"es", "Abra el ", "carpeta", "Abra la "},
		{"es", "Se detuvo el ", "sincronizaciones", "Se detuvo las "},
		{"es", "Borre vuestro último ", "notas", "Borre vuestras últimas "},
		{"es", "El nombre del ", "carpeta", "El nombre de la "},
		{"es", "Vaya al ", "carpeta", "Vaya a la "},
		{"es", "Del ", "carpeta", "De la "},
		{"es", "Vaya al ", "archivo", "Vaya al "},
		{"es", "Abra esto ", "carpeta", "Abra esta "},
		{"es", "Abra el ", "sistema", "Abra el "},         // the gender does not tell
		{"es", "Abra el", "carpeta", "Abra el"},           // no space: not a word of its own
		{"es", "Abra con el ", "carpeta", "Abra con la "}, // "con" is no determiner: stop there
		{"es", "a b c el el el el ", "carpeta", "a b c el la la la "},
		{"fr", "Ouvrez le ", "dossier", "Ouvrez le "},
		{"es", "", "carpeta", ""},
	} {
		if got := AgreeDeterminersBefore(tc.lang, tc.prefix, tc.phrase); got != tc.want {
			t.Errorf("AgreeDeterminersBefore(%q, %q, %q) = %q, want %q", tc.lang, tc.prefix, tc.phrase, got, tc.want)
		}
	}
}
