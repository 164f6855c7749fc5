package morph

import "testing"

func TestPluralize(t *testing.T) {
	tests := []struct{ lang, in, want string }{
		{"es", "vacuna", "vacunas"},
		{"es", "imagen", "imágenes"},
		{"es", "orden", "órdenes"},
		{"es", "volumen", "volúmenes"},
		{"es", "origen de datos", "orígenes de datos"},
		{"es", "tren", "trenes"},
		{"es", "canción", "canciones"},
		{"es", "Imagen", "Imágenes"},
		{"es", "síntomas", "síntomas"},
		{"es", "virus", "virus"},
		{"es", "infección", "infecciones"},
		{"es", "enfermedad respiratoria aguda", "enfermedades respiratorias agudas"},
		{"es", "medida de distanciamiento social", "medidas de distanciamiento social"},
		{"es", "casos de COVID-19", "casos de COVID-19"},
		{"es", "nariz", "narices"},
		{"es", "lávese las manos", "lávese las manos"},
		{"es", "archivo adjunto", "archivos adjuntos"},
		{"es", "país", "países"},
		{"es", "mes", "meses"},
		{"es", "Vacuna", "Vacunas"},
		{"es", "OMS", "OMS"},
		{"es-419", "prueba PCR", "pruebas PCR"},
		{"pt", "vacina", "vacinas"},
		{"pt", "infecção", "infecções"},
		{"pt", "hospital", "hospitais"},
		{"fr", "vaccin", "vaccins"},
		{"fr", "hôpital", "hôpitaux"},
		{"fr", "virus", "virus"},
		{"fr", "mesure de distanciation", "mesures de distanciation"},
		{"it", "vaccino", "vaccini"},
		{"it", "mascherina chirurgica", "mascherine chirurgiche"},
		{"it", "città", "città"},
	}
	for _, tt := range tests {
		got, ok := Pluralize(tt.lang, tt.in)
		if !ok || got != tt.want {
			t.Errorf("Pluralize(%s, %q) = %q, %v; want %q", tt.lang, tt.in, got, ok, tt.want)
		}
	}
	if _, ok := Pluralize("de", "Impfstoff"); ok {
		t.Error("Pluralize(de) claims to know German plurals")
	}
}

func TestPluralPhrase(t *testing.T) {
	tests := []struct {
		in         string
		plural, ok bool
	}{
		{"vaccines", true, true},
		{"vaccine", false, true},
		{"COVID-19 cases", true, true},
		{"cases of COVID-19", true, true},
		{"loss of smell", false, true},
		{"virus", false, true},
		{"diabetes", false, true},
		{"contagious", false, true},
		{"illness", false, true},
		{"SARS", false, false},
		{"Evolution", false, true},
		{"Attachments", true, true},
		{"USB", false, false},
	}
	for _, tt := range tests {
		plural, ok := PluralPhrase("en", tt.in)
		if plural != tt.plural || ok != tt.ok {
			t.Errorf("PluralPhrase(%q) = %v, %v; want %v, %v", tt.in, plural, ok, tt.plural, tt.ok)
		}
	}
	if _, ok := PluralPhrase("es", "vacunas"); ok {
		t.Error("PluralPhrase(es) claims to know Spanish")
	}
}

func TestEnglishPluralOf(t *testing.T) {
	tests := []struct {
		label, text string
		want        bool
	}{
		{"vaccine", "vaccines", true},
		{"Vaccine", "vaccines", true},
		{"city", "cities", true},
		{"box", "boxes", true},
		{"test kit", "test kits", true},
		{"case of COVID-19", "cases of COVID-19", true},
		{"vaccine", "vaccine", false},
		{"cough", "coughing", false},
		{"test kit", "tests kit", false},
	}
	for _, tt := range tests {
		if got := EnglishPluralOf(tt.label, tt.text); got != tt.want {
			t.Errorf("EnglishPluralOf(%q, %q) = %v, want %v", tt.label, tt.text, got, tt.want)
		}
	}
}
