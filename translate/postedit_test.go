package translate

import (
	"context"
	"slices"
	"testing"

	"github.com/kgmem/kgmem/graph"
)

func TestDiffEdits(t *testing.T) {
	cases := []struct {
		out, target string
		want        []edit
	}{
		{"No podría abrir ⟦1⟧", "No se pudo abrir ⟦1⟧", []edit{{"no podría abrir", "se pudo"}}},
		{"Abre el archivo", "Abre el archivo", nil},
		{"Borra el fichero", "Elimina el archivo", nil}, // one edit, of the whole text
		{"Borra el fichero ⟦1⟧", "Elimina el archivo ⟦1⟧", []edit{{"^ borra el fichero ⟦⟧", "Elimina el archivo"}}},
		{"No puede ser abierto el archivo", "No se puede abrir el archivo", []edit{{"no puede ser abierto el", "se puede abrir"}}},
		{"Mostrar el 3 ficheros", "Mostrar 3 ficheros", []edit{{"mostrar el #", ""}}},
		{"Guardar", "Guardado", nil}, // the whole text: not an edit
		{"Copia ⟦1⟧ a ⟦2⟧", "Copiar ⟦1⟧ en ⟦2⟧", []edit{{"^ copia ⟦⟧", "Copiar"}, {"⟦⟧ a ⟦⟧", "en"}}},
		{"Abrir 3 ficheros", "Abrir 4 ficheros", nil}, // numbers are never edited
		{"Hay 571,678 casos", "Hay 571.678 casos", nil},
		{"El archivo no existe ahora", "El archivo ahora", nil},              // a phrase dropped
		{"Funciones de ventana", "No se permiten funciones de ventana", nil}, // a phrase added
		{"El archivo puede abrir", "El archivo no puede abrir", nil},         // a negation added
		{"Borra código de fuente ⟦1⟧", "Borra código fuente ⟦1⟧", []edit{{"código de fuente", ""}}},
		{"El 28, 2020 y el 5.8 %", "El 28 de 2020 y el 5.8 %", []edit{{"# , #", "de"}}},
	}
	for _, c := range cases {
		if got := diffEdits(c.out, c.target); !slices.Equal(got, c.want) {
			t.Errorf("diffEdits(%q, %q) = %q, want %q", c.out, c.target, got, c.want)
		}
	}
}

func TestPostEditTally(t *testing.T) {
	tally := NewPostEditTally()
	for range 5 {
		tally.Add("No podría abrir ⟦1⟧", "No se pudo abrir ⟦1⟧")
	}
	tally.Add("No podría abrir el archivo", "No podría abrir el archivo") // kept
	tally.Add("No podría guardar", "Imposible guardar")
	tally.Add("Abrir ⟦1⟧", "Abre ⟦1⟧") // once: not an edit of Edits(2)
	edits := tally.Edits(2)
	want := []PostEdit{{Key: "no podría abrir", To: "se pudo", Fixed: 5, Seen: 6, Kept: 1}}
	if !slices.Equal(edits, want) {
		t.Fatalf("Edits = %+v, want %+v", edits, want)
	}
	if again := tally.Edits(2); !slices.Equal(again, want) {
		t.Errorf("Edits again = %+v, want the same %+v", again, want)
	}
	opts := DefaultPostEditOptions()
	if !opts.Applies(edits[0]) {
		t.Errorf("%+v is not applied", edits[0])
	}
	for _, e := range []PostEdit{
		{Fixed: 3, Seen: 3},          // too few pairs
		{Fixed: 5, Seen: 20},         // most of the engine's uses were not edited so
		{Fixed: 5, Seen: 6, Kept: 3}, // translators kept the engine's words too often
	} {
		if opts.Applies(e) {
			t.Errorf("%+v is applied", e)
		}
	}
}

func TestPostEditsApply(t *testing.T) {
	edits := NewPostEdits([]PostEdit{
		{Key: "no podría abrir", To: "se pudo", Fixed: 9},
		{Key: "^ borra el", To: "Elimina", Fixed: 9},
		{Key: "el fichero $", To: "archivo", Fixed: 9},
		{Key: "mostrar el #", To: "", Fixed: 9},
		{Key: "⟦⟧ a ⟦⟧", To: "en", Fixed: 9},
		{Key: "ver los encuadres de", To: "la configuración", Fixed: 9},
		{Key: "no pudo", To: "se", Fixed: 9},         // an insertion
		{Key: "^ por favor elija", To: "", Fixed: 9}, // a deletion
		{Key: "rare phrase", To: "x", Fixed: 1},      // not applied
	}, DefaultPostEditOptions())
	if edits.Len() != 8 {
		t.Fatalf("Len = %d, want 8", edits.Len())
	}
	cases := []struct{ in, want string }{
		{"No podría abrir ⟦1⟧", "No se pudo abrir ⟦1⟧"},
		{"no podría abrir ⟦1⟧", "no se pudo abrir ⟦1⟧"},
		{"Borra el fichero", "Elimina el archivo"},
		{"Borra el fichero.", "Elimina el fichero."},
		{"Abrir y no podría abrir", "Abrir y no se pudo abrir"},
		{"Mostrar el 3 ficheros", "Mostrar 3 ficheros"},
		{"Copia ⟦1⟧ a ⟦2⟧", "Copia ⟦1⟧ en ⟦2⟧"},
		{"Ver los encuadres de red", "Ver la configuración de red"},
		{"Ver los encuadres", "Ver los encuadres"},
		{"No pudo guardar.", "No se pudo guardar."},
		{"Por favor elija un archivo", "elija un archivo"},
	}
	for _, c := range cases {
		if got := edits.Apply(c.in, nil); got != c.want {
			t.Errorf("Apply(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	// A term's translation is never edited.
	if got := edits.Apply("Ver los encuadres de red", []string{"encuadres"}); got != "Ver los encuadres de red" {
		t.Errorf("Apply kept no term: %q", got)
	}
}

func TestQuotePostEdits(t *testing.T) {
	tally := NewPostEditTally()
	for range 4 {
		tally.Add(`Abrir "⟦1⟧"`, "Abrir «⟦1⟧»")
	}
	tally.Add(`Abrir "⟦1⟧"`, `Abrir "⟦1⟧"`) // kept
	tally.Add("Don't abrir", "No abrir")    // an apostrophe is no quotation
	tally.Add("El 'fichero'", "El «fichero»")
	edits := tally.Edits(2)
	want := []PostEdit{{Key: quoteKey(`"`, `"`), To: "« »", Fixed: 4, Seen: 5, Kept: 1}}
	if !slices.Equal(edits, want) {
		t.Fatalf("Edits = %+v, want %+v", edits, want)
	}
	p := NewPostEdits(append(edits, PostEdit{Key: quoteKey("“", "”"), To: "« »", Fixed: 9}), DefaultPostEditOptions())
	cases := []struct{ in, want string }{
		{`Abrir "⟦1⟧" y "⟦2⟧"`, "Abrir «⟦1⟧» y «⟦2⟧»"},
		{"Escriba “sí” o “no”.", "Escriba «sí» o «no»."},
		{`Un " suelto`, `Un " suelto`},
		{"Don't 'x'", "Don't 'x'"},
	}
	for _, c := range cases {
		if got := p.Apply(c.in, nil); got != c.want {
			t.Errorf("Apply(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// editGraph is a graph of one engine's post-edit facts that counts its
// reads.
type editGraph struct {
	facts []graph.Fact
	reads int
}

func (g *editGraph) Entity(context.Context, string) (graph.Entity, error) {
	return graph.Entity{}, graph.ErrNotFound
}

func (g *editGraph) Facts(_ context.Context, _ string, q graph.FactQuery) ([]graph.Fact, error) {
	g.reads++
	var out []graph.Fact
	for _, f := range g.facts {
		if f.Predicate == q.Predicate {
			f.Count = 0 // as a store sums it
			for _, src := range f.Sources {
				f.Count += src.Count
			}
			out = append(out, f)
		}
	}
	return out, nil
}

func (g *editGraph) Neighbours(context.Context, string, int) ([]graph.Neighbour, error) {
	return nil, nil
}

// TestRecordPostEdits: the memory reads an engine's post-edits once, a
// learn batch's add to what it holds without a read, and a recount makes
// it read them again.
func TestRecordPostEdits(t *testing.T) {
	ctx := context.Background()
	g := &editGraph{}
	write := func(edits []PostEdit) func() error {
		return func() error {
			_, facts := EngineFacts("m", "en", "es", nil, edits, "batch")
			g.facts = append(g.facts, facts...)
			return nil
		}
	}
	m := NewMemory(nil, nil, g)
	e := PostEdit{Key: "no podría abrir", To: "se pudo", Fixed: 3, Seen: 3}
	if err := write([]PostEdit{e})(); err != nil {
		t.Fatal(err)
	}
	table := func() *PostEdits {
		p, err := m.PostEdits(ctx, "m", "en", "es", DefaultPostEditOptions())
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	if p := table(); p.Len() != 0 || g.reads != 3 {
		t.Fatalf("3 pairs: %d edits applied after %d reads; want none, 3 reads", p.Len(), g.reads)
	}
	m.Forget() // a learn's forget keeps the post-edits
	one := PostEdit{Key: e.Key, To: e.To, Fixed: 1, Seen: 1}
	if err := m.RecordPostEdits("m", "en", "es", []PostEdit{one}, false, write([]PostEdit{one})); err != nil {
		t.Fatal(err)
	}
	if p := table(); p.Len() != 1 || g.reads != 3 {
		t.Fatalf("4 pairs: %d edits applied after %d reads; want 1, still 3 reads", p.Len(), g.reads)
	}
	if got := table().Apply("No podría abrir ⟦1⟧", nil); got != "No se pudo abrir ⟦1⟧" {
		t.Errorf("Apply = %q", got)
	}
	g.facts = nil
	if err := m.RecordPostEdits("m", "en", "es", nil, true, func() error { return nil }); err != nil {
		t.Fatal(err)
	}
	if p := table(); p.Len() != 0 || g.reads != 6 {
		t.Errorf("after a recount to nothing: %d edits after %d reads; want none, 6 reads", p.Len(), g.reads)
	}
}

// BenchmarkPostEdits tallies the edits of pairs of UI strings and
// applies the learned table to their outputs (per pair).
func BenchmarkPostEdits(b *testing.B) {
	outs := []string{
		`No podría abrir el fichero "⟦1⟧": ⟦2⟧`, "Seleccionar el color de las líneas de escotilla.",
		"La consulta no puede ser ejecutada.", "Icono de cambio", "Uso: ⟦1⟧ [opciones] fichero",
	}
	targets := []string{
		"No se pudo abrir el archivo «⟦1⟧»: ⟦2⟧", "Seleccione el color de las líneas de trama.",
		"No se puede ejecutar la consulta.", "Cambiar icono", "Modo de empleo: ⟦1⟧ [opciones] archivo",
	}
	b.Run("tally", func(b *testing.B) {
		for range b.N {
			t := NewPostEditTally()
			for i := range 200 {
				t.Add(outs[i%len(outs)], targets[i%len(targets)])
			}
			t.Edits(2)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*200), "ns/pair")
	})
	t := NewPostEditTally()
	for i := range 200 {
		t.Add(outs[i%len(outs)], targets[i%len(targets)])
	}
	p := NewPostEdits(t.Edits(2), DefaultPostEditOptions())
	b.Run("apply", func(b *testing.B) {
		for i := range b.N {
			p.Apply(outs[i%len(outs)], nil)
		}
	})
}
