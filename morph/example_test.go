package morph_test

import (
	"fmt"

	"github.com/kgmem/kgmem/morph"
)

func ExamplePluralize() {
	for _, c := range []struct{ lang, phrase string }{
		{"es", "enfermedad respiratoria"},
		{"es", "medida de distanciamiento social"},
		{"pt", "vacina"},
		{"de", "Impfstoff"},
	} {
		p, ok := morph.Pluralize(c.lang, c.phrase)
		fmt.Println(p, ok)
	}
	// Output:
	// enfermedades respiratorias true
	// medidas de distanciamiento social true
	// vacinas true
	// Impfstoff false
}

func ExampleAgreeDeterminersBefore() {
	// A machine translation wrote "el" before a term it did not see.
	fmt.Println(morph.AgreeDeterminersBefore("es", "Se detuvo el ", "sincronización") + "sincronización")
	// Output: Se detuvo la sincronización
}
