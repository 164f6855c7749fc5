package main

import (
	"fmt"
	"os"
	"regexp"
	"strings"
)

// gterm is a term of the bench's style guide: the English term, the
// Spanish translation it requires, the one it forbids (if any), and a
// plausible translation it neither requires nor forbids, which the
// missing-term plants put in the required one's place.
type gterm struct {
	Source, Required, Forbidden, Other string

	src, req *regexp.Regexp
}

// glossary is the bench's style guide, written for it: common software
// terms with the translations GNOME's and KDE's Spanish teams use, and the
// ones they avoid.
type glossary struct{ terms []*gterm }

func newGlossary() *glossary {
	g := &glossary{}
	for _, t := range [][4]string{
		{"file", "archivo", "fichero", "legajo"},
		{"folder", "carpeta", "directorio", "fólder"},
		{"password", "contraseña", "clave", "código"},
		{"settings", "configuración", "ajustes", "preferencias"},
		{"window", "ventana", "", "marco"},
		{"printer", "impresora", "", "trazador"},
		{"keyboard", "teclado", "", "pulsador"},
		{"device", "dispositivo", "", "aparato"},
		{"screen", "pantalla", "", "monitor"},
		{"image", "imagen", "", "figura"},
		{"layer", "capa", "", "estrato"},
		{"document", "documento", "", "escrito"},
		{"size", "tamaño", "", "medida"},
		{"button", "botón", "", "tecla"},
		{"user", "usuario", "", "persona"},
		{"account", "cuenta", "", "perfil"},
		{"page", "página", "", "hoja"},
		{"icon", "icono", "ícono", "símbolo"},
		{"tab", "pestaña", "solapa", "ficha"},
		{"width", "anchura", "ancho", "extensión"},
		{"height", "altura", "alto", "elevación"},
		{"delete", "eliminar", "borrar", "quitar"},
		{"save", "guardar", "salvar", "almacenar"},
		{"network", "red", "", "malla"},
		{"desktop", "escritorio", "", "mesa"},
		{"selection", "selección", "", "elección"},
	} {
		g.terms = append(g.terms, &gterm{Source: t[0], Required: t[1], Forbidden: t[2], Other: t[3],
			src: regexp.MustCompile(`(?i)\b` + t[0] + `s?\b`),
			req: regexp.MustCompile(`(?i)(?:^|[^\p{L}])(` + t[1] + `)(?:s|es)?(?:$|[^\p{L}])`)})
	}
	return g
}

// in returns the terms whose English term a source holds.
func (g *glossary) in(s string) []*gterm {
	var out []*gterm
	for _, t := range g.terms {
		if t.src.MatchString(s) {
			out = append(out, t)
		}
	}
	return out
}

// at returns where the required translation starts in t, or -1.
func (t *gterm) at(s string) int {
	m := t.req.FindStringSubmatchIndex(s)
	if m == nil {
		return -1
	}
	return m[2]
}

// write writes the glossary as kgmem reads it (CSV with a status column)
// and the English terms, one a line, as pofilter's --musttranslatefile
// takes them.
func (g *glossary) write(csvPath, wordsPath string) error {
	var b, w strings.Builder
	b.WriteString("source,target,status\n")
	for _, t := range g.terms {
		fmt.Fprintf(&b, "%s,%s,preferred\n", t.Source, t.Required)
		if t.Forbidden != "" {
			fmt.Fprintf(&b, "%s,%s,deprecated\n", t.Source, t.Forbidden)
		}
		fmt.Fprintln(&w, t.Source)
	}
	if err := os.WriteFile(csvPath, []byte(b.String()), 0o644); err != nil {
		return err
	}
	return os.WriteFile(wordsPath, []byte(w.String()), 0o644)
}
