package qa

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
)

func readTerms(t testing.TB, name string) *TermList {
	t.Helper()
	l, err := ReadTermList(context.Background(), filepath.Join("testdata", name),
		corpora.ReadOptions{SourceLang: language.English, TargetLang: language.Spanish})
	if err != nil {
		t.Fatalf("ReadTermList(%s): %v", name, err)
	}
	return l
}

func TestTermListTermsOf(t *testing.T) {
	for _, name := range []string{"terms.tbx", "terms.csv"} {
		l := readTerms(t, name)
		tests := []struct {
			source string
			want   []Term
		}{
			{"Open the file", []Term{{Source: "file", Required: []string{"archivo"}, Forbidden: []string{"fichero"}}}},
			{"3 Files were copied", []Term{{Source: "file", Required: []string{"archivo"}, Forbidden: []string{"fichero"}}}},
			{"Share the shared folder", []Term{{Source: "shared folder", Required: []string{"carpeta compartida"}}}},
			{"Profile", nil},
		}
		for _, tt := range tests {
			got, err := l.TermsOf(context.Background(), language.English, language.Spanish, tt.source)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.EqualFunc(got, tt.want, func(a, b Term) bool {
				return a.Source == b.Source && slices.Equal(a.Required, b.Required) && slices.Equal(a.Forbidden, b.Forbidden)
			}) {
				t.Errorf("%s: TermsOf(%q) = %+v, want %+v", name, tt.source, got, tt.want)
			}
		}
		if got, _ := l.TermsOf(context.Background(), language.English, language.French, "Open the file"); len(got) != 0 && name == "terms.tbx" {
			t.Errorf("%s: TermsOf(en→fr) = %+v, want none: the term base has no French", name, got)
		}
	}
}

func TestTermChecks(t *testing.T) {
	for _, name := range []string{"terms.tbx", "terms.csv", "terms.tsv"} {
		l := readTerms(t, name)
		tests := []struct {
			src, tgt            string
			missing, forbiddenN int
		}{
			{"Open the file", "Abrir el archivo", 0, 0},
			{"Open the files", "Abrir los archivos", 0, 0},
			{"Open the file", "Abrir el documento", 1, 0},
			{"Open the file", "Abrir el fichero", 1, 1},
			{"Open the file", "Abrir el archivo, no el fichero", 0, 1},
			{"Open the shared folder", "Abrir la carpeta compartida", 0, 0},
			{"Open the folder", "Abrir el directorio", 1, 1},
			{"Open the _file", "Abrir el _archivo", 0, 0},
			{"Open the folders", "Abrir las carpetas", 0, 0},
		}
		for _, tt := range tests {
			fs, err := Check(context.Background(), []*corpora.Unit{pairUnit("es", tt.src, tt.tgt)}, Options{Checks: []string{"terms", "forbidden-terms"}, Terms: l})
			if err != nil {
				t.Fatal(err)
			}
			missing, forbidden := 0, 0
			for _, f := range fs {
				switch f.Check {
				case "terms":
					missing++
				case "forbidden-terms":
					forbidden++
				}
			}
			if name == "terms.tsv" {
				tt.forbiddenN = 0 // a two-column list forbids nothing
			}
			if missing != tt.missing || forbidden != tt.forbiddenN {
				t.Errorf("%s: %q → %q: %v, want %d missing and %d forbidden", name, tt.src, tt.tgt, messages(fs), tt.missing, tt.forbiddenN)
			}
		}
	}
}

// failingTerms is a term base that cannot be reached.
type failingTerms struct{}

func (failingTerms) TermsOf(context.Context, language.Tag, language.Tag, string) ([]Term, error) {
	return nil, errors.New("graph closed")
}

func TestTermsError(t *testing.T) {
	_, err := Check(context.Background(), []*corpora.Unit{pairUnit("es", "Open", "Abrir")}, Options{Terms: failingTerms{}})
	if err == nil {
		t.Fatal("Check with failing terms: no error")
	}
}

func TestReadTermListErrors(t *testing.T) {
	for _, path := range []string{filepath.Join("testdata", "no-such.tbx"), filepath.Join("testdata", "golden.po")} {
		if _, err := ReadTermList(context.Background(), path, corpora.ReadOptions{}); err == nil {
			t.Errorf("ReadTermList(%s): no error", path)
		}
	}
}

// TestTermsInflected: a required term is found in the target in the
// plural even where the plural moves the accent ("botón", "botones";
// "imagen", "imágenes").
func TestTermsInflected(t *testing.T) {
	l := NewTermList([]*corpora.TermEntry{
		{Terms: []corpora.Term{{Lang: language.English, Text: "button"}, {Lang: language.Spanish, Text: "botón"}}},
		{Terms: []corpora.Term{{Lang: language.English, Text: "image"}, {Lang: language.Spanish, Text: "imagen"}}},
	})
	for _, tt := range []struct {
		src, tgt string
		want     int
	}{
		{"Show button images", "Mostrar imágenes en los botones", 0},
		{"Show the button", "Mostrar el botón", 0},
		{"Show the button", "Mostrar la tecla", 1},
	} {
		fs, err := Check(context.Background(), []*corpora.Unit{pairUnit("es", tt.src, tt.tgt)}, Options{Checks: []string{"terms"}, Terms: l})
		if err != nil {
			t.Fatal(err)
		}
		if len(fs) != tt.want {
			t.Errorf("%q → %q: %v, want %d findings", tt.src, tt.tgt, messages(fs), tt.want)
		}
	}
}

// TestTermsVerbsAndAccents: a verb term is found in its inflected forms;
// a forbidden spelling that differs from the required one only in its
// accent is told apart from it.
func TestTermsVerbsAndAccents(t *testing.T) {
	l := NewTermList([]*corpora.TermEntry{
		{Terms: []corpora.Term{{Lang: language.English, Text: "save"}, {Lang: language.Spanish, Text: "guardar"},
			{Lang: language.Spanish, Text: "salvar", Status: corpora.TermDeprecated}}},
		{Terms: []corpora.Term{{Lang: language.English, Text: "icon"}, {Lang: language.Spanish, Text: "icono"},
			{Lang: language.Spanish, Text: "ícono", Status: corpora.TermDeprecated}}},
	})
	for _, tt := range []struct {
		src, tgt           string
		missing, forbidden int
	}{
		{"Please save this document", "Guarde este documento", 0, 0},
		{"Save the image", "Guarda la imagen", 0, 0},
		{"Save the image", "Salve la imagen", 1, 1},
		{"Use symbolic icons", "Usar iconos simbólicos", 0, 0},
		{"Use symbolic icons", "Usar íconos simbólicos", 1, 1},
	} {
		fs, err := Check(context.Background(), []*corpora.Unit{pairUnit("es", tt.src, tt.tgt)}, Options{Checks: []string{"terms", "forbidden-terms"}, Terms: l})
		if err != nil {
			t.Fatal(err)
		}
		missing, forbidden := 0, 0
		for _, f := range fs {
			if f.Check == "terms" {
				missing++
			} else {
				forbidden++
			}
		}
		if missing != tt.missing || forbidden != tt.forbidden {
			t.Errorf("%q → %q: %v, want %d missing, %d forbidden", tt.src, tt.tgt, messages(fs), tt.missing, tt.forbidden)
		}
	}
}

// TestTermsSourceForms: a term the term base writes inflected matches
// that form only; a term inside a placeholder or tag is not a term.
func TestTermsSourceForms(t *testing.T) {
	l := NewTermList([]*corpora.TermEntry{
		{Terms: []corpora.Term{{Lang: language.English, Text: "settings"}, {Lang: language.Spanish, Text: "configuración"}}},
		{Terms: []corpora.Term{{Lang: language.English, Text: "file"}, {Lang: language.Spanish, Text: "archivo"}}},
	})
	for _, tt := range []struct {
		src, tgt string
		want     int
	}{
		{"Error setting the time zone", "Error al establecer la zona horaria", 0},
		{"Keyboard Settings", "Preferencias del teclado", 1},
		{"git rm <file>", "git rm <file>", 0},
		{"Remove the files", "Quitar los documentos", 1},
	} {
		fs, err := Check(context.Background(), []*corpora.Unit{pairUnit("es", tt.src, tt.tgt)}, Options{Checks: []string{"terms"}, Terms: l})
		if err != nil {
			t.Fatal(err)
		}
		if len(fs) != tt.want {
			t.Errorf("%q → %q: %v, want %d findings", tt.src, tt.tgt, messages(fs), tt.want)
		}
	}
}
