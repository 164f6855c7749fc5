package translate

import (
	"github.com/kgmem/kgmem/fusion"
	"strings"
	"testing"

	"github.com/kgmem/kgmem/corpora"
)

func TestProtectRestore(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		text     string // what the model sees
		model    string // what the model answers
		want     string
		problems int
	}{
		{"printf", "Open %s in %d windows", "Open %s in %d windows", "Abrir %s en %d ventanas", "Abrir %s en %d ventanas", 0},
		{"positional and python", "%1$s of %(count)d", "%1$s of %(count)d", "%1$s de %(count)d", "%1$s de %(count)d", 0},
		{"braces and shell", "Hello {0}, ${user}", "Hello {0}, ${user}", "Hola {0}, ${user}", "Hola {0}, ${user}", 0},
		{"escaped newline", `Line one\nLine two`, `Line one\nLine two`, `Línea uno\nLínea dos`, `Línea uno\nLínea dos`, 0},
		{"accelerator underscore", "_File", "File", "Archivo", "_Archivo", 0},
		{"accelerator mid-word", "Cha_nnel:", "Channel:", "Canal:", "Ca_nal:", 0},
		{"accelerator ampersand", "&Open", "Open", "Abrir", "&Abrir", 0},
		{"accelerator tilde", "~Next >", "Next >", "Siguiente >", "Siguie~nte >", 0},
		{"tilde path is no accelerator", "Open ~/notes", "Open ~/notes", "Abrir ~/notes", "Abrir ~/notes", 0},
		{"approximate number is no accelerator", "About ~5 minutes", "About ~5 minutes", "Unos ~5 minutos", "Unos ~5 minutos", 0},
		{"entity is no accelerator", "Fish &amp; chips", "Fish &amp; chips", "Pescado &amp; patatas", "Pescado &amp; patatas", 0},
		{"snake case is no accelerator", "set file_name and dir_name", "set file_name and dir_name", "fija file_name y dir_name", "fija file_name y dir_name", 0},
		{"lost placeholder flagged", "Delete %s?", "Delete %s?", "¿Borrar?", "¿Borrar?", 1},
		{"invented placeholder flagged", "Delete it?", "Delete it?", "¿Borrar %s?", "¿Borrar %s?", 1},
		{"outer space kept", " from %s", "from %s", "de %s", " de %s", 0},
		{"glued placeholder respaced", "%d hours", "%d hours", "%dhoras", "%d horas", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Protect(corpora.Text(tt.src))
			if p.Text != tt.text {
				t.Errorf("Protect(%q).Text = %q, want %q", tt.src, p.Text, tt.text)
			}
			seg, problems := p.Restore(tt.model)
			if got := seg.Plain(); got != tt.want {
				t.Errorf("Restore(%q) = %q, want %q", tt.model, got, tt.want)
			}
			if len(problems) != tt.problems {
				t.Errorf("Restore(%q) problems = %v, want %d", tt.model, problems, tt.problems)
			}
		})
	}
}

func TestProtectCodes(t *testing.T) {
	var src corpora.Segment
	b := &corpora.Code{Kind: corpora.CodeOpen, Element: "g", ID: "1", Paired: true}
	e := &corpora.Code{Kind: corpora.CodeClose, Element: "g", ID: "1", Paired: true}
	src.Append("Click ")
	src.AppendCode(b)
	src.Append("Save")
	src.AppendCode(e)
	src.Append(" now")
	p := Protect(src)
	if strings.Count(p.Text, "⟦") != 2 || len(p.Placeholders) != 2 {
		t.Fatalf("Protect = %q %q, want two code tokens", p.Text, p.Placeholders)
	}
	tests := []struct {
		model    string
		problems int
	}{
		{"Haga clic en ⟦1⟧Guardar⟦2⟧ ahora", 0},
		{"Haga clic en Guardar ahora", 2}, // both lost: appended, flagged
	}
	for _, tt := range tests {
		seg, problems := p.Restore(tt.model)
		if got := len(seg.Codes()); got != 2 {
			t.Errorf("Restore(%q) has %d codes, want 2 (same set, same count)", tt.model, got)
		}
		if len(problems) != tt.problems {
			t.Errorf("Restore(%q) problems = %v, want %d", tt.model, problems, tt.problems)
		}
	}
}

func TestCaseLike(t *testing.T) {
	tests := []struct {
		target, source string
		start          bool
		want           string
	}{
		{"rastreo de contactos", "Contact tracing", true, "Rastreo de contactos"},
		{"La gripe de 1918", "1918 flu", false, "la gripe de 1918"},
		{"Bronquitis aguda", "acute bronchitis", false, "bronquitis aguda"},
		{"OMS", "WHO", false, "OMS"},
		{"Organización Mundial De La Salud", "world health organization", false, "Organización Mundial De La Salud"},
		// A translation learned from a text in capitals.
		{"LÍNEA", "Line", true, "Línea"},
		{"INACTIVO", "inactive", false, "inactivo"},
		{"COVID-19", "Covid-19", false, "COVID-19"},
	}
	for _, tt := range tests {
		if got := caseLike(tt.target, tt.source, tt.start); got != tt.want {
			t.Errorf("caseLike(%q, %q, %v) = %q, want %q", tt.target, tt.source, tt.start, got, tt.want)
		}
	}
}

func TestSpacedLike(t *testing.T) {
	tests := []struct{ translation, source, want string }{
		{"incluso cuándo  ordenas las notas", "even when you sort the notes", "incluso cuándo ordenas las notas"},
		{"Cambios  haces   mientras", "Changes you make while", "Cambios haces mientras"},
		// A source with runs of spaces keeps the translation's.
		{"Nombre:  %s", "Name:  %s", "Nombre:  %s"},
		// The ends follow the source.
		{" Guardar ", "Save", "Guardar"},
		{"Guardar", "  Save ", "  Guardar "},
		{"   ", "Save", "   "},
		{"Guardar", "   ", "Guardar"},
		// Other white space is the placeholders' business.
		{"a\t\tb", "a b", "a\t\tb"},
	}
	for _, tt := range tests {
		if got := spacedLike(tt.translation, tt.source); got != tt.want {
			t.Errorf("spacedLike(%q, %q) = %q, want %q", tt.translation, tt.source, got, tt.want)
		}
	}
}

func TestSentenceCase(t *testing.T) {
	terms := []fusion.Term{{TermCandidate: fusion.TermCandidate{Source: "Lumen Notes", Target: "Lumen Notes"}}}
	tests := []struct{ lang, translation, source, want string }{
		{"es", "Problemas Durante Exportación de PDF", "Problems During PDF Export", "Problemas durante exportación de PDF"},
		{"es", "Secundario Y Título Axial", "Secondary Y Axis Title", "Secundario Y título axial"},
		// Names the source has, words in capitals or with inner capitals,
		// and the terms' translations keep their capitals.
		{"es", "Fondo de Página (Footer)", "Bottom of Page (Footer)", "Fondo de página (Footer)"},
		{"es", "Audio Sun/NeXT Abierto", "Open Sun/NeXT Audio", "Audio Sun/NeXT abierto"},
		{"es", "Sincronizar Lumen Notes Ahora", "Sync Lumen Notes Now", "Sincronizar Lumen Notes ahora"},
		// A new sentence starts with a capital.
		{"es", "Exportación Fallida. Intentar Otra Vez", "Export Failed. Try Again Later", "Exportación fallida. Intentar otra vez"},
		// Not a title: one long word, or a sentence in sentence case.
		{"es", "Guardar Todo", "Save", "Guardar Todo"},
		{"es", "Abra el Archivo ahora", "Open the file right now", "Abra el Archivo ahora"},
		// English and German keep their capitals.
		{"en", "Problems During Export", "Problems During Export", "Problems During Export"},
		{"de", "Probleme Beim Export", "Problems During Export", "Probleme Beim Export"},
	}
	for _, tt := range tests {
		if got := sentenceCase(tt.lang, tt.translation, tt.source, terms); got != tt.want {
			t.Errorf("sentenceCase(%s, %q, %q) = %q, want %q", tt.lang, tt.translation, tt.source, got, tt.want)
		}
	}
}
