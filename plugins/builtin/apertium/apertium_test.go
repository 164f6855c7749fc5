package apertium

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kgmem/kgmem/internal/testenv"
	"github.com/kgmem/kgmem/morph"
	"github.com/kgmem/kgmem/plugins"
)

func TestIsVerbLabel(t *testing.T) {
	for src, want := range map[string]bool{
		"Replace Control": true, "Keep aspect ratio": true, "Open": true,
		"Displays all the colors": false, "Replace the text.": false, "Saved by:": false,
		"Embedded Fonts": false, "Printing Options": false, "%s Files": false, "or": false,
		"Distribute on multiple sheets of paper in the current document now": false,
	} {
		if got := isVerbLabel(src); got != want {
			t.Errorf("isVerbLabel(%q) = %v, want %v", src, got, want)
		}
	}
}

func TestIsInstruction(t *testing.T) {
	for src, want := range map[string]bool{
		"Select the speed of Slide Transition.": true, "Do not use tabs.": true, "Please enter a valid path.": true,
		"Don't close the window!": true, "Defines the maximum value.": false, "Replace Control": false, "Select:": false,
		"Selected.": false, "Converting files.": false, "Do it.": false,
	} {
		if got := isInstruction(src); got != want {
			t.Errorf("isInstruction(%q) = %v, want %v", src, got, want)
		}
	}
}

func TestDescribes(t *testing.T) {
	for src, want := range map[string]string{
		"Returns the interest rate": "Returns", "Allows you to select a file.": "Allows", "Inserts only text hyperlinks.": "Inserts",
		"Shows preview of the page.": "", "Files are saved.": "", "Access the file.": "", "Lists": "", "Focus the window now.": "",
		"%s returns the rate": "", "returns the rate": "",
	} {
		if got, ok := describes(src); got != want && (ok || want != "") {
			t.Errorf("describes(%q) = %q, %v; want %q", src, got, ok, want)
		}
	}
}

func TestStatement(t *testing.T) {
	for in, want := range map[string]string{
		"Cuándo elimina una carpeta, se mueve.":                     "Cuando elimina una carpeta, se mueve.",
		"Seleccione para ver un aviso cuándo intenta imprimir.":     "Seleccione para ver un aviso cuando intenta imprimir.",
		"Seleccione cuándo guardar la copia.":                       "Seleccione cuándo guardar la copia.",
		"¿Cuándo se guarda?":                                        "¿Cuándo se guarda?",
		"Cuándo el archivo cambia, cuándo se cierra o cuándo salir": "Cuando el archivo cambia, cuando se cierra o cuándo salir",
	} {
		if got := statement("es", in); got != want {
			t.Errorf("statement(%q) = %q, want %q", in, got, want)
		}
	}
	if got := statement("fr", "Cuándo elimina"); got != "Cuándo elimina" {
		t.Errorf("statement(fr) = %q", got)
	}
}

func TestDropSubject(t *testing.T) {
	for out, want := range map[string]string{
		"[<subj/>]Él disminuciones la prioridad.": "[<subj/>]Disminuciones la prioridad.",
		"[<subj/>] regresa la tasa.":              "[<subj/>]Regresa la tasa.",
		"[<subj/>]Lista las categorías.":          "[<subj/>]Lista las categorías.",
		"Él dice.":                                "Él dice.",
	} {
		if got := dropSubject(out); got != want {
			t.Errorf("dropSubject(%q) = %q, want %q", out, got, want)
		}
	}
}

func TestRestoreStandIns(t *testing.T) {
	for _, tc := range []struct {
		out, target string
		lead        bool
		want        string // the output with the superblank, and the target it stands for; "lost" when ok is false
	}{
		{"Tipo de jirafa[]", "objeto", false, "Tipo de [<t0/>][] objeto"},
		{"[<subj/>]Jirafa de carácter[]", "estilo", false, "[<subj/>][<t0/>] de carácter[] Estilo"},
		{"Borde de Jirafa[]", "derecha", false, "Borde de [<t0/>][] derecha"},
		{"La jirafa falló.[]", "Sincronización", true, "La [<t0/>] falló.[] sincronización"},
		{"Las jirafas rojas[]", "objeto", false, "lost"},     // the plural is another stand-in's word
		{"La jirafa y la jirafa[]", "objeto", false, "lost"}, // twice: which is the term's?
		{"Jirafaza[]", "objeto", false, "lost"},              // inside another word
	} {
		prot := map[string]string{"[<t0/>]": tc.target}
		out, ok := restoreStandIns(tc.out, []standIn{{key: "[<t0/>]", word: "jirafa", lead: tc.lead}}, prot)
		got := "lost"
		if ok {
			got = out + " " + prot["[<t0/>]"]
		}
		if got != tc.want {
			t.Errorf("restoreStandIns(%q) = %q, want %q", tc.out, got, tc.want)
		}
	}
}

func TestStandInFor(t *testing.T) {
	used := map[morph.Gender]int{}
	for _, tc := range []struct{ src, target, want string }{
		{"Object type", "objeto", "elefante"},
		{"The giraffe's files", "archivos", "camellos"}, // the second masculine, in the plural
		{"The giraffe's file", "carpeta", "cebra"},      // giraffe is a word of the source
		{"Sync", "sincronizar", ""},                     // a verb
		{"Lumen Notes", "Lumen Notes", ""},              // a name
		{"Open", "abierto", "delfín"},
	} {
		n, ok := standInFor("es", tc.src, tc.target, used)
		if got := n.target(); ok != (tc.want != "") || ok && got != tc.want {
			t.Errorf("standInFor(%q, %q) = %q, %v; want %q", tc.src, tc.target, got, ok, tc.want)
		}
	}
	if _, ok := standInFor("fr", "Object type", "objet", used); ok {
		t.Error("standInFor(fr) found a stand-in; French has none")
	}
}

func TestParsePairs(t *testing.T) {
	got := parsePairs("  eng-spa\n  spa-eng\n  spa-eng_US\n  eng-spa-morph\n  xx\n")
	var s []string
	for _, p := range got {
		s = append(s, p.mode+"="+p.lp.Source+">"+p.lp.Target)
	}
	if want := "eng-spa=en>es spa-eng=es>en spa-eng_US=es>en-US"; strings.Join(s, " ") != want {
		t.Errorf("parsePairs = %q, want %q", strings.Join(s, " "), want)
	}
}

func TestProtectUnformat(t *testing.T) {
	it := &plugins.Item{
		Source:       "Open the file [x] {1} now",
		Placeholders: []string{"{1}"},
		Terms:        []plugins.TermConstraint{{SourceSpan: plugins.Span{Start: 9, End: 13}, Target: "archivo"}},
	}
	in, prot := protect(it, it.Terms)
	// A label that starts with a verb is marked for the infinitive; the
	// mark does not come out.
	if want := `[<label/>]Open the [<t0/>] \[x\] [<t1/>] now[]`; in != want {
		t.Errorf("protect = %q, want %q", in, want)
	}
	if got := unformat(`[<label/>]Abra el [<t0/>] \[x\] [<t1/>] ahora[]`, prot); got != "Abra el archivo [x] {1} ahora" {
		t.Errorf("unformat = %q", got)
	}
}

// TestProtectPlease: the "Please" of an instruction is left out, and the
// verb after it capitalised, unless the verb is a protected term.
func TestProtectPlease(t *testing.T) {
	for _, tc := range []struct {
		it   plugins.Item
		want string
	}{
		{plugins.Item{Source: "Please enter a path."}, `[<imp/>]Enter a path.[]`},
		{plugins.Item{Source: "Please sync now.", Terms: []plugins.TermConstraint{{SourceSpan: plugins.Span{Start: 7, End: 11}, Target: "sincronice"}}},
			`[<imp/>][<t0/>] now.[]`},
		{plugins.Item{Source: "Please, wait."}, `Please, wait.[]`},
	} {
		if got, _ := protect(&tc.it, tc.it.Terms); got != tc.want {
			t.Errorf("protect(%q) = %q, want %q", tc.it.Source, got, tc.want)
		}
	}
}

func TestKeepCaseAfterLead(t *testing.T) {
	for _, tc := range []struct{ in, out, want string }{
		{`[<t0/>] could not be opened.[]`, `[<t0/>] No podría ser abierto.[]`, `[<t0/>] no podría ser abierto.[]`},
		{`[<t0/>] failed.[]`, `[<t0/>] Fallado.[]`, `[<t0/>] fallado.[]`},
		{`[<t0/>] Évolution rocks[]`, `[<t0/>] Évolution roca[]`, `[<t0/>] Évolution roca[]`},  // capital in the source
		{`Open [<t0/>] now[]`, `Abra [<t0/>] Ahora[]`, `Abra [<t0/>] Ahora[]`},                 // not at the start
		{`[<t0/>] [<t1/>] failed[]`, `[<t0/>] [<t1/>] Fallado[]`, `[<t0/>] [<t1/>] fallado[]`}, // spans in a row ("Use keys to…": a fragment, a term)
		{`[<t0/>] [<t1/>] Failed[]`, `[<t0/>] [<t1/>] Fallado[]`, `[<t0/>] [<t1/>] Fallado[]`},
		{`[<t0/>] 3 files[]`, `[<t0/>] 3 Archivos[]`, `[<t0/>] 3 Archivos[]`}, // a number next
		{`[<t0/>] él[]`, `[<t0/>] Él[]`, `[<t0/>] él[]`},
	} {
		if got := keepCaseAfterLead(tc.in, tc.out); got != tc.want {
			t.Errorf("keepCaseAfterLead(%q, %q) = %q, want %q", tc.in, tc.out, got, tc.want)
		}
	}
}

func TestAgreeBeforeTerms(t *testing.T) {
	prot := map[string]string{"[<t0/>]": "sincronización", "[<t1/>]": "archivos adjuntos", "[<t2/>]": "%s"}
	terms := map[string]bool{"sincronización": true, "archivos adjuntos": true}
	for _, tc := range []struct{ out, want string }{
		{`El [<t0/>] parado.[]`, `La [<t0/>] parado.[]`},
		{`Abra el [<t1/>].[]`, `Abra los [<t1/>].[]`},
		{`Elimina esto [<t0/>]?[]`, `Elimina esta [<t0/>]?[]`},
		{`El estado del [<t0/>][]`, `El estado de la [<t0/>][]`},
		{`Vuestro último [<t0/>] era[]`, `Vuestra última [<t0/>] era[]`},
		{`La [<t0/>] y el [<t1/>][]`, `La [<t0/>] y los [<t1/>][]`},
		{`el [<t2/>][]`, `el [<t2/>][]`},   // a placeholder: no gender
		{`Sin [<t0/>][]`, `Sin [<t0/>][]`}, // not a determiner
		{`el[<t0/>][]`, `el[<t0/>][]`},     // not a word of its own
	} {
		if got := agreeBeforeTerms("es", tc.out, prot, terms); got != tc.want {
			t.Errorf("agreeBeforeTerms(%q) = %q, want %q", tc.out, got, tc.want)
		}
	}
}

// englishSpanish returns the model on the installed Apertium, and a
// context that ends with the test (or after a minute); it skips the test
// when Apertium has no English→Spanish pair.
func englishSpanish(t *testing.T) (*Model, context.Context) {
	t.Helper()
	testenv.Tool(t, "apertium", "apt-get install apertium apertium-eng-spa")
	m := New("")
	t.Cleanup(func() { m.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	d, err := m.Describe(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !d.Supports("en", "es") {
		t.Skipf("apertium has no en→es pair (%v); apt-get install apertium-eng-spa", d.Pairs)
	}
	return m, ctx
}

func TestTranslate(t *testing.T) {
	m, ctx := englishSpanish(t)
	req := &plugins.TranslateRequest{SourceLang: "en", TargetLang: "es", Items: []plugins.Item{
		{ID: "plain", Source: "Open the file"},
		{ID: "term", Source: "Open the file", Terms: []plugins.TermConstraint{{SourceSpan: plugins.Span{Start: 9, End: 13}, Source: "file", Target: "archivo", Required: true}}},
		{ID: "exact", Source: "Open the file", FuzzyMatches: []plugins.FuzzyMatch{{Source: "Open the file", Target: "Abra el archivo", Score: 100}}},
		{ID: "repair", Source: "Open the file in Excel", FuzzyMatches: []plugins.FuzzyMatch{{Source: "Open the file in Word", Target: "Abra el archivo en Word", Score: 80}}},
		{ID: "punct", Source: "Save it."},
		// A learned term Apertium translates the memory's way on its own is
		// left to it (the sentence chose the form); one it translates
		// otherwise, or whose source it copies through (it does not know
		// the word), is put in.
		{ID: "learned-agrees", Source: "The red houses", Terms: []plugins.TermConstraint{{SourceSpan: plugins.Span{Start: 8, End: 14}, Source: "houses", Target: "casa"}}},
		{ID: "learned-differs", Source: "Open the file", Terms: []plugins.TermConstraint{{SourceSpan: plugins.Span{Start: 9, End: 13}, Source: "file", Target: "fichero"}}},
		// Apertium's "derecho" is the memory's "derecha" made to agree
		// with its noun: left to it.
		{ID: "learned-gender", Source: "Right edge", Terms: []plugins.TermConstraint{{SourceSpan: plugins.Span{Start: 0, End: 5}, Source: "Right", Target: "derecha"}}},
		{ID: "learned-unknown", Source: "The pandemic spread", Terms: []plugins.TermConstraint{{SourceSpan: plugins.Span{Start: 4, End: 12}, Source: "pandemic", Target: "pandemia"}}},
		// A required term the first pass already uses keeps that pass's
		// agreement ("las casas rojas").
		{ID: "required-used", Source: "The red houses", Terms: []plugins.TermConstraint{{SourceSpan: plugins.Span{Start: 8, End: 14}, Source: "houses", Target: "casas", Required: true}}},
		// A placeholder or a term that starts the sentence does not make
		// Apertium capitalise the word after it.
		{ID: "lead-placeholder", Source: "%s could not be opened.", Placeholders: []string{"%s"}},
		{ID: "lead-term", Source: "Sync failed.", Terms: []plugins.TermConstraint{{SourceSpan: plugins.Span{Start: 0, End: 4}, Source: "Sync", Target: "Sincronización", Required: true}}},
		// A term that is a noun goes in as a stand-in noun, so that
		// Apertium orders the phrase around it (a superblank: "Objeto
		// tipo"); a name keeps its superblank.
		{ID: "stand-in", Source: "Object type", Terms: []plugins.TermConstraint{{SourceSpan: plugins.Span{Start: 0, End: 6}, Source: "Object", Target: "Objeto", Required: true}}},
		{ID: "stand-in-plural", Source: "Hidden files", Terms: []plugins.TermConstraint{{SourceSpan: plugins.Span{Start: 7, End: 12}, Source: "files", Target: "archivos", Required: true}}},
		// A caret that ends the text does not stall the pipeline.
		{ID: "caret", Source: "Unmatched [ or [^"},
		{ID: "name", Source: "Lumen Notes settings", Terms: []plugins.TermConstraint{{SourceSpan: plugins.Span{Start: 0, End: 11}, Source: "Lumen Notes", Target: "Lumen Notes", Required: true}}},
	}}
	resp, err := m.Translate(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range resp.Results {
		got[r.ID] = r.Translation
	}
	want := map[string]string{
		"plain":            "Abierto la lima",
		"term":             "Abierto el archivo",
		"exact":            "Abra el archivo",
		"repair":           "Abra el archivo en Excel",
		"punct":            "Lo salva.",
		"learned-agrees":   "Las casas rojas",
		"learned-differs":  "Abierto el fichero",
		"learned-unknown":  "La propagación de pandemia",
		"learned-gender":   "Borde derecho",
		"required-used":    "Las casas rojas",
		"lead-placeholder": "%s no se pudo abrir.",
		"lead-term":        "La sincronización falló.",
		"stand-in":         "Tipo de objeto",
		"stand-in-plural":  "Archivos escondidos",
		"name":             "Lumen Notes encuadres",
		"caret":            "Unmatched [ O [^",
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("Translate(%s) = %q, want %q", id, got[id], w)
		}
	}
	// The model says which match it built on: the exact one and the
	// repaired one; the others none.
	for _, r := range resp.Results {
		want := plugins.NoMatch
		if r.ID == "exact" || r.ID == "repair" {
			want = 0
		}
		if r.UsedMatch == nil || *r.UsedMatch != want {
			t.Errorf("Translate(%s): UsedMatch %v, want %d", r.ID, r.UsedMatch, want)
		}
	}
	if h := resp.Results[1].HonouredTerms; fmt.Sprint(h) != "[0]" {
		t.Errorf("HonouredTerms = %v, want [0]", h)
	}
	// One pipeline serves every call.
	if n := len(m.pipelines); n != 1 {
		t.Errorf("%d pipelines, want 1", n)
	}
}

func TestCancelKillsPipeline(t *testing.T) {
	testenv.Tool(t, "apertium", "apt-get install apertium apertium-eng-spa")
	m := New("")
	defer m.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := m.Translate(ctx, &plugins.TranslateRequest{SourceLang: "en", TargetLang: "es", Items: []plugins.Item{{Source: "Hello"}}})
	if err == nil {
		t.Fatal("Translate with a cancelled context succeeded")
	}
	resp, err := m.Translate(context.Background(), &plugins.TranslateRequest{SourceLang: "en", TargetLang: "es", Items: []plugins.Item{{Source: "Hello"}}})
	if err != nil || resp.Results[0].Translation != "Hola" {
		t.Errorf("Translate after a cancel = %v, %v; want Hola", resp, err)
	}
}

func TestNoPair(t *testing.T) {
	testenv.Tool(t, "apertium", "apt-get install apertium")
	m := New("")
	defer m.Close()
	_, err := m.Translate(context.Background(), &plugins.TranslateRequest{SourceLang: "xx", TargetLang: "yy", Items: []plugins.Item{{Source: "Hello"}}})
	if err == nil || !strings.Contains(err.Error(), "no xx→yy pair") {
		t.Errorf("Translate(xx→yy) = %v, want an error naming the pair", err)
	}
}

func TestNotInstalled(t *testing.T) {
	m := New("/nonexistent/apertium")
	_, err := m.Translate(context.Background(), &plugins.TranslateRequest{SourceLang: "en", TargetLang: "es", Items: []plugins.Item{{Source: "Hello"}}})
	if err == nil || !strings.Contains(err.Error(), "apt-get install apertium") {
		t.Errorf("Translate = %v, want an error saying to install apertium", err)
	}
}

// TestRegister: Spanish output addresses the reader one way: as usted by
// default and for RegisterFormal, as tú for RegisterInformal (Apertium's
// own output mixes tú, vosotros and usted).
func TestRegister(t *testing.T) {
	m, ctx := englishSpanish(t)
	// A label that starts with a verb takes it in the infinitive, in
	// either register; a description keeps its third person.
	items := []plugins.Item{{ID: "1", Source: "You can change your settings."}, {ID: "2", Source: "Export the notes you changed."},
		{ID: "3", Source: "Replace Control"}, {ID: "4", Source: "Displays all the colors."},
		// An instruction takes the imperative of the register, "Please"
		// left out.
		{ID: "5", Source: "Select the speed."}, {ID: "6", Source: "Do not use tabs."}, {ID: "7", Source: "Please enter a valid path."},
		// A sentence that starts with a protected term is a statement.
		{ID: "8", Source: "Lumen Notes creates a backup.", Terms: []plugins.TermConstraint{{SourceSpan: plugins.Span{Start: 0, End: 11}, Source: "Lumen Notes", Target: "Lumen Notes", Required: true}}},
		// A description that starts with a verb in the third person keeps
		// it a verb (Apertium alone: "Regresos la tasa…", "Listas las…").
		{ID: "9", Source: "Returns the interest rate."}, {ID: "10", Source: "Lists the available categories."},
		// "When" opening a statement is no question; "you" is no object
		// (Apertium alone: "que te quiere aplicar").
		{ID: "11", Source: "When you delete a folder, it moves."}, {ID: "12", Source: "Select the type that you want to apply."},
		// "On" before a noun phrase is "en", not "encima".
		{ID: "13", Source: "On some systems, you must wait."},
		// "Could not" is a failure: "no se pudo", not "no podría".
		{ID: "14", Source: "Could not open the file."}, {ID: "15", Source: "The files could not be saved."}}
	for _, tc := range []struct {
		register string
		want     []string
	}{
		{"", []string{"Puede cambiar sus encuadres.", "Exportación las notas cambió.", "Reemplazar Control", "Muestra todos los colores.",
			"Seleccione la velocidad.", "No utilice tabuladores.", "Introduzca una ruta válida.", "Lumen Notes crea una copia de seguridad.",
			"Regresa la tasa de interés.", "Lista las categorías disponibles.",
			"Cuando elimina una carpeta, mueve.", "Seleccione el tipo que quiere aplicar.", "En algunos sistemas, tiene que esperar.",
			"No se pudo abrir la lima.", "Las limas no se pudieron salvar."}},
		{plugins.RegisterFormal, []string{"Puede cambiar sus encuadres.", "Exportación las notas cambió.", "Reemplazar Control", "Muestra todos los colores.",
			"Seleccione la velocidad.", "No utilice tabuladores.", "Introduzca una ruta válida.", "Lumen Notes crea una copia de seguridad.",
			"Regresa la tasa de interés.", "Lista las categorías disponibles.",
			"Cuando elimina una carpeta, mueve.", "Seleccione el tipo que quiere aplicar.", "En algunos sistemas, tiene que esperar.",
			"No se pudo abrir la lima.", "Las limas no se pudieron salvar."}},
		{plugins.RegisterInformal, []string{"Puedes cambiar tus encuadres.", "Exportación las notas cambiaste.", "Reemplazar Control", "Muestra todos los colores.",
			"Selecciona la velocidad.", "No utilices tabuladores.", "Introduce una ruta válida.", "Lumen Notes crea una copia de seguridad.",
			"Regresa la tasa de interés.", "Lista las categorías disponibles.",
			"Cuando eliminas una carpeta, mueve.", "Selecciona el tipo que te quiere aplicar.", "En algunos sistemas, tienes que esperar.",
			"No se pudo abrir la lima.", "Las limas no se pudieron salvar."}},
	} {
		resp, err := m.Translate(ctx, &plugins.TranslateRequest{SourceLang: "en", TargetLang: "es", Register: tc.register, Items: items})
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range resp.Results {
			if got := strings.Join(strings.Fields(r.Translation), " "); got != tc.want[i] {
				t.Errorf("register %q: %q → %q, want %q", tc.register, items[i].Source, r.Translation, tc.want[i])
			}
		}
	}
}

// TestHyphenCompounds: a hyphenated modifier Apertium moves after its noun
// keeps the blanks between its words ("Cuarentena de 14 días", not
// "Cuarentenade14 días"); a compound Apertium knows whole ("e-mail") and
// one it leaves in place keep Apertium's own translation.
func TestHyphenCompounds(t *testing.T) {
	m, ctx := englishSpanish(t)
	tests := map[string]string{
		"14-day quarantine":         "Cuarentena de 14 días",
		"An already-approved drug":  "Una droga ya aprobada",
		"Enter your e-mail address": "Introducir su alocución de email",
		"COVID-19 patients":         "COVID-19 pacientes",
		"In 2-3 days - or later":    "En 2-3 días - o más tarde",
	}
	var items []plugins.Item
	for src := range tests {
		items = append(items, plugins.Item{ID: src, Source: src})
	}
	resp, err := m.Translate(ctx, &plugins.TranslateRequest{SourceLang: "en", TargetLang: "es", Items: items})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range resp.Results {
		if r.Translation != tests[r.ID] {
			t.Errorf("%q → %q, want %q", r.ID, r.Translation, tests[r.ID])
		}
	}
}
