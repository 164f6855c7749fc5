package qa

import (
	"context"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
)

// pairUnit returns an English→lang unit.
func pairUnit(lang, src, tgt string) *corpora.Unit {
	return &corpora.Unit{SourceLang: language.English, TargetLang: language.MustParse(lang),
		Source: corpora.Text(src), Target: corpora.Text(tgt), Status: corpora.StatusTranslated,
		Origin: corpora.Origin{File: "test.po", Line: 1}}
}

// checkCase is one pair and how many findings one check must give on it:
// 0 for a true negative.
type checkCase struct {
	lang     string // target language; "" is es
	src, tgt string
	want     int
}

// runChecks runs one check over each case alone and compares the number
// of findings.
func runChecks(t *testing.T, check string, cases []checkCase) {
	t.Helper()
	for _, tc := range cases {
		lang := tc.lang
		if lang == "" {
			lang = "es"
		}
		fs, err := Check(context.Background(), []*corpora.Unit{pairUnit(lang, tc.src, tc.tgt)}, Options{Checks: []string{check}})
		if err != nil {
			t.Fatal(err)
		}
		if len(fs) != tc.want {
			t.Errorf("%s: Check(%q → %q, %s) = %d findings %v, want %d", check, tc.src, tc.tgt, lang, len(fs), messages(fs), tc.want)
		}
		for _, f := range fs {
			if f.Check != check || f.Severity == 0 || f.Message == "" || f.File != "test.po" || f.Line != 1 {
				t.Errorf("%s: malformed finding %+v", check, f)
			}
		}
	}
}

func messages(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Check+": "+f.Message)
	}
	return out
}

func TestPlaceholders(t *testing.T) {
	runChecks(t, "placeholders", []checkCase{
		{src: "Delete %s?", tgt: "¿Eliminar %s?", want: 0},
		{src: "Delete %s?", tgt: "¿Eliminar?", want: 1},
		{src: "Delete %s?", tgt: "¿Eliminar %d?", want: 2},
		{src: "%d of %s", tgt: "%s de %d", want: 1}, // reordered without numbers
		{src: "%1$d of %2$s", tgt: "%2$s: %1$d", want: 0},
		{src: "%(count)d notes in %(name)s", tgt: "%(name)s tiene %(count)d notas", want: 0},
		{src: "%(count)d notes", tgt: "%(cuenta)d notas", want: 2},
		{src: "{0} of {1}", tgt: "{1}: {0}", want: 0},
		{src: "{0} of {1}", tgt: "{0} de {2}", want: 2},
		{src: "Hello ${user}", tgt: "Hola ${usuario}", want: 2},
		{src: "%1 files in %2", tgt: "%1 archivos en %2", want: 0},
		{src: "%1 files in %2", tgt: "%1 archivos", want: 1},
		{src: "100%% done", tgt: "100%% hecho", want: 0},
		{src: "100%% done", tgt: "100% hecho", want: 1},
		{src: "%PRODUCTNAME Writer", tgt: "Writer de %PRODUCTNAME", want: 0},
		{src: "%PRODUCTNAME Writer", tgt: "Writer", want: 1},
		{src: "Reset %SAVE IN SELECTION%?", tgt: "¿Restablecer %SAVE IN SELECTION%?", want: 0},
		{src: "Reset %SAVE IN SELECTION%?", tgt: "¿Restablecer %GUARDAR EN SELECCIÓN%?", want: 2},
		{src: "Tab\there", tgt: "Tab aquí", want: 1},
		{src: "%e %B %Y", tgt: "%d/%m/%Y", want: 0}, // a date format, adapted
		{src: "See https://example.org/%20x", tgt: "Vea https://example.org/%20x", want: 0},
		{src: "50% off", tgt: "50 % de descuento", want: 0},
	})
}

func TestTags(t *testing.T) {
	runChecks(t, "tags", []checkCase{
		{src: "<b>Bold</b> text", tgt: "Texto <b>negrita</b>", want: 0},
		{src: "<b>Bold</b> text", tgt: "Texto negrita</b>", want: 1},
		{src: "<b>Bold</b> text", tgt: "Texto <i>negrita</i>", want: 4},
		{src: `<a href="https://x.org">Link</a>`, tgt: `<a href="https://x.org">Enlace</a>`, want: 0},
		{src: `<span weight="bold">A</span>`, tgt: `<span weight='bold'>A</span>`, want: 0},
		{src: "Line<br/>break", tgt: "Salto<br/>de línea", want: 0},
		{src: "Line<br/>break", tgt: "Salto de línea", want: 1},
		{src: "<Press Add to start>", tgt: "<Pulse Añadir para empezar>", want: 0}, // text, not markup
		{src: "git merge [<options>] [<commit>...]", tgt: "git merge [<opciones>] [<commit>...]", want: 0},
		{src: "git merge [<options>] [<commit>...]", tgt: "git merge [<opciones>]", want: 1},
		{src: "<deb> is a file.", tgt: "<deb> es un archivo.", want: 0},
		{src: "Use <file> or <dir>", tgt: "Use <archivo>", want: 1},
		{src: "send [<name>] [<bytecount>]", tgt: "enviar [<nombre>] [<cuenta de bytes>]", want: 0},
		{src: "<item>One</item>", tgt: "<elemento>Uno</elemento>", want: 4}, // closed: markup
	})
}

func TestInlineCodes(t *testing.T) {
	src := corpora.Segment{}
	src.Append("Click ")
	src.AppendCode(&corpora.Code{Kind: corpora.CodeOpen, ID: "1", Element: "bpt", Native: "<b>"})
	src.Append("Save")
	src.AppendCode(&corpora.Code{Kind: corpora.CodeClose, ID: "1", Element: "ept", Native: "</b>"})
	good := corpora.Segment{}
	good.Append("Pulse ")
	good.AppendCode(&corpora.Code{Kind: corpora.CodeOpen, ID: "1", Element: "bpt", Native: "<b>"})
	good.Append("Guardar")
	good.AppendCode(&corpora.Code{Kind: corpora.CodeClose, ID: "1", Element: "ept", Native: "</b>"})
	bad := corpora.Text("Pulse Guardar")
	for _, tc := range []struct {
		tgt  corpora.Segment
		want int
	}{{good, 0}, {bad, 2}} {
		u := pairUnit("es", "", "")
		u.Source, u.Target = src, tc.tgt
		fs, err := Check(context.Background(), []*corpora.Unit{u}, Options{Checks: []string{"tags"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(fs) != tc.want {
			t.Errorf("inline codes of %q: %v, want %d findings", tc.tgt.Plain(), messages(fs), tc.want)
		}
	}
}

func TestAccelerators(t *testing.T) {
	runChecks(t, "accelerators", []checkCase{
		{src: "_File", tgt: "_Archivo", want: 0},
		{src: "_File", tgt: "Archivo", want: 1},
		{src: "_File", tgt: "_Ar_chivo", want: 1},
		{src: "_File", tgt: "&Archivo", want: 1},
		{src: "&Open", tgt: "A&brir", want: 0},
		{src: "&Open", tgt: "Abrir", want: 1},
		{src: "~Open", tgt: "~Abrir", want: 0},
		{src: "~Open", tgt: "Abrir", want: 1},
		{src: "Save", tgt: "_Guardar", want: 1},
		{src: "Save", tgt: "Guardar", want: 0},
		{src: "Tom &amp; Jerry", tgt: "Tom y Jerry", want: 0},
		{src: "R&&D", tgt: "I+D", want: 0},
		{src: "Page_Up", tgt: "Re Pág", want: 0}, // a key name
		{src: "file_name_here", tgt: "nombre_de_archivo", want: 0},
		{src: "See https://x.org/?a=1&b=2", tgt: "Vea https://x.org/?a=1&b=2", want: 0},
		{src: "%(file_name)s saved", tgt: "%(file_name)s guardado", want: 0},
	})
}

func TestNumbers(t *testing.T) {
	runChecks(t, "numbers", []checkCase{
		{src: "Button 3", tgt: "Botón 3", want: 0},
		{src: "Button 3", tgt: "Botón 1", want: 2},
		{src: "1,000.5 MB", tgt: "1.000,5 MB", want: 0},
		{src: "Version 2", tgt: "Versión", want: 1},
		{src: "2nd level", tgt: "2.º nivel", want: 0},
		{src: "%1$d items", tgt: "%1$d elementos", want: 0}, // the 1 of %1$d is not a number
		{src: "Wait 10 seconds", tgt: "Espere ١٠ segundos", lang: "ar", want: 0},
		{src: "Version 2", tgt: "Versión 3", want: 2},
	})
}

func TestURLs(t *testing.T) {
	runChecks(t, "urls", []checkCase{
		{src: "See https://gnome.org.", tgt: "Vea https://gnome.org.", want: 0},
		{src: "See https://gnome.org.", tgt: "Vea https://gnome.com.", want: 2},
		{src: "Write to bugs@example.org", tgt: "Escriba a bugs@example.org", want: 0},
		{src: "Write to bugs@example.org", tgt: "Escriba a errores@example.org", want: 2},
		{src: "Visit www.example.org", tgt: "Visite la web", want: 1},
		{src: "(see https://x.org/a)", tgt: "(vea https://x.org/a)", want: 0},
		{src: "Use http://x.org/+log until", tgt: "Use «http://x.org/+log» hasta", want: 0},
	})
}

func TestNewlines(t *testing.T) {
	runChecks(t, "newlines", []checkCase{
		{src: "One\nTwo", tgt: "Uno\nDos", want: 0},
		{src: "One\nTwo", tgt: "Uno Dos", want: 1},
		{src: `One\nTwo`, tgt: `Uno\nDos`, want: 0},
		{src: `One\nTwo`, tgt: `Uno Dos`, want: 1},
	})
}

func TestWhitespace(t *testing.T) {
	runChecks(t, "whitespace", []checkCase{
		{src: " from %s", tgt: " de %s", want: 0},
		{src: " from %s", tgt: "de %s", want: 1},
		{src: "Name: ", tgt: "Nombre:", want: 1},
		{src: "Name:", tgt: "Nombre: ", want: 1},
		{src: "\tIndented\n", tgt: "\tSangrado\n", want: 0},
		{src: " both ", tgt: "ambos", want: 2},
	})
}

func TestDoubleSpace(t *testing.T) {
	runChecks(t, "double-space", []checkCase{
		{src: "Open the file", tgt: "Abrir  el archivo", want: 1},
		{src: "Open the file", tgt: "Abrir el archivo", want: 0},
		{src: "Sentence.  Another.", tgt: "Frase.  Otra.", want: 0},
		{src: "Name: ", tgt: "Nombre:  ", want: 0}, // trailing: the whitespace check's
	})
}

func TestEndPunctuation(t *testing.T) {
	runChecks(t, "end-punctuation", []checkCase{
		{src: "Done.", tgt: "Hecho.", want: 0},
		{src: "Done.", tgt: "Hecho", want: 1},
		{src: "Done", tgt: "Hecho.", want: 1},
		{src: "Open…", tgt: "Abrir...", want: 0},
		{src: "Name:", tgt: "Nombre", want: 1},
		{src: "Delete?", tgt: "¿Eliminar?", want: 0},
		{src: "Delete?", tgt: "¿Eliminar!", want: 1},
		{src: "Delete “%s”?", tgt: "¿Eliminar «%s»?", want: 0},
		{src: "Say \"hi\".", tgt: "Diga «hola».", want: 0},
		{src: "Delete?", tgt: "削除しますか？", lang: "ja", want: 0},
		{src: "Done.", tgt: "完成。", lang: "zh", want: 0},
		{src: "Delete?", tgt: "Διαγραφή;", lang: "el", want: 0},
		{src: "Delete?", tgt: "حذف؟", lang: "ar", want: 0},
		{src: "Done.", tgt: "เสร็จแล้ว", lang: "th", want: 0},
		{src: "File: %s", tgt: "Archivo: %s", want: 0},
		{src: "File: %s", tgt: "Archivo: %s.", want: 1},
		{src: "Include an 'Other…' item", tgt: "Incluir un elemento «Otros…»", want: 0},
		{src: "Include an 'Other' item", tgt: "Incluir un elemento «Otros…»", want: 1},
	})
}

func TestInvertedMarks(t *testing.T) {
	runChecks(t, "inverted-marks", []checkCase{
		{src: "Delete?", tgt: "¿Eliminar?", want: 0},
		{src: "Delete?", tgt: "Eliminar?", want: 1},
		{src: "Done!", tgt: "¡Hecho!", want: 0},
		{src: "Done!", tgt: "Hecho!", want: 1},
		{src: "Delete it? Sure?", tgt: "¿Eliminarlo? ¿Seguro?", want: 0},
		{src: "Delete it? Sure?", tgt: "¿Eliminarlo? Seguro?", want: 1},
		{src: "Delete?", tgt: "¿Eliminar", want: 1},
		{src: "Run -h or -?", tgt: "Ejecute -h o -?", want: 0},
		{src: "Use GTK+?", tgt: "Usar GTK+?", want: 1},
		{src: "Use GTK+?", tgt: "¿Usar GTK+?", want: 0},
		{src: "Unknown (?)", tgt: "Desconocido (?)", want: 0},
		{src: "See https://x.org/?a=1", tgt: "Vea https://x.org/?a=1", want: 0},
		{src: "Delete?", tgt: "Delete?", lang: "fr", want: 0}, // Spanish only
	})
}

func TestFrenchSpacing(t *testing.T) {
	runChecks(t, "french-spacing", []checkCase{
		{src: "Delete?", tgt: "Supprimer\u202f?", lang: "fr", want: 0},
		{src: "Name:", tgt: "Nom\u00a0:", lang: "fr", want: 0},
		{src: "Delete?", tgt: "Supprimer ?", lang: "fr", want: 1},
		{src: "Name:", tgt: "Nom :", lang: "fr", want: 1},
		{src: "\"Name\"", tgt: "« Nom »", lang: "fr", want: 1},
		{src: "\"Name\"", tgt: "«\u00a0Nom\u00a0»", lang: "fr", want: 0},
		{src: "See https://x.org", tgt: "Voir https://x.org", lang: "fr", want: 0},
		{src: "Name:", tgt: "Nombre :", lang: "es", want: 0}, // French only
	})
}

func TestCapitals(t *testing.T) {
	runChecks(t, "capitals", []checkCase{
		{src: "Open file", tgt: "Abrir archivo", want: 0},
		{src: "Open file", tgt: "abrir archivo", want: 1},
		{src: "open file", tgt: "Abrir archivo", want: 1},
		{src: "open file", tgt: "Datei öffnen", lang: "de", want: 0}, // German nouns
		{src: "_Open", tgt: "_abrir", want: 1},
		{src: "¿Open?", tgt: "¿Abrir?", want: 0},
		{src: "Delete?", tgt: "¿eliminar?", want: 1},
		{src: "%s files", tgt: "Archivos: %s", want: 0}, // starts with a placeholder
		{src: "iPhone settings", tgt: "configuración del iPhone", want: 0},
		{src: "GNOME Shell", tgt: "shell de GNOME", want: 0},
		{src: "January", tgt: "enero", want: 0},
		{src: "Monday", tgt: "Montag", lang: "de", want: 0},
		{src: "Label xalign", tgt: "xalign de la etiqueta", want: 0},
		{src: "Search;Find;Index;", tgt: "buscar;encontrar;índice;", want: 0},
		{src: "Open file", tgt: "ファイルを開く", lang: "ja", want: 0},
		{src: "usb device", tgt: "Dispositivo USB", want: 1},
		{src: "usb device", tgt: "USB-Gerät", lang: "de", want: 0},
		{src: "prc4 Envelope", tgt: "Sobre prc4", want: 0},
	})
}

func TestUntranslatedAndUnchanged(t *testing.T) {
	runChecks(t, "untranslated", []checkCase{
		{src: "Open", tgt: "", want: 1},
		{src: "Open", tgt: "  ", want: 1},
		{src: "Open", tgt: "Abrir", want: 0},
	})
	runChecks(t, "unchanged", []checkCase{
		{src: "Open the file", tgt: "Open the file", want: 1},
		{src: "_Open the file", tgt: "Open _the file", want: 1},
		{src: "Open the file", tgt: "Abrir el archivo", want: 0},
		{src: "GNOME", tgt: "GNOME", want: 0},
		{src: "%s: %d", tgt: "%s: %d", want: 0},
		{src: "OK", tgt: "OK", want: 0},
		{src: "Bluetooth", tgt: "Bluetooth", want: 1}, // info: a single word
		{src: "https://x.org", tgt: "https://x.org", want: 0},
	})
	fs, _ := Check(context.Background(), []*corpora.Unit{pairUnit("es", "Bluetooth", "Bluetooth"), pairUnit("es", "Open the file", "Open the file")}, Options{Checks: []string{"unchanged"}})
	if len(fs) != 2 || fs[0].Severity != Info || fs[1].Severity != Warning {
		t.Errorf("unchanged severities: %+v, want info for one word, warning for more", fs)
	}
}

func TestFuzzy(t *testing.T) {
	u := pairUnit("es", "Open", "Abrir")
	u.Status = corpora.StatusDraft
	m := pairUnit("es", "Close", "Cerrar")
	m.Status = corpora.StatusMachine
	ok := pairUnit("es", "Save", "Guardar")
	fs, err := Check(context.Background(), []*corpora.Unit{u, m, ok}, Options{Checks: []string{"fuzzy"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 2 || fs[0].Source != "Open" || fs[1].Source != "Close" {
		t.Errorf("fuzzy: %v, want the draft and the machine translation", messages(fs))
	}
}

func TestLength(t *testing.T) {
	runChecks(t, "length", []checkCase{
		{src: "Control which notifications are displayed", tgt: "Controlar qué notificaciones se muestran", want: 0},
		{src: "Control which notifications are displayed and what they show", tgt: "Controlar", want: 1},
		{src: "Open the file", tgt: "Abrir el archivo que está en la carpeta personal del usuario y que se ha modificado", want: 1},
		{src: "OK", tgt: "Aceptar", want: 0}, // too short to judge
		{src: "Control which notifications are displayed and what they show", tgt: "通知", lang: "ja", want: 1},
		{src: "Control which notifications are displayed", tgt: "表示する通知を制御する", lang: "ja", want: 0},
	})
}

func TestPluralForms(t *testing.T) {
	u := pairUnit("es", "One file", "Un archivo")
	u.Gettext = &corpora.Gettext{SourcePlural: corpora.Text("%d files"), TargetPlurals: []corpora.Segment{corpora.Text("archivos")}}
	fs, err := Check(context.Background(), []*corpora.Unit{u}, Options{Checks: []string{"placeholders"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || !strings.HasPrefix(fs[0].Message, "msgstr[1]: ") || fs[0].Severity != Warning || fs[0].Source != "%d files" {
		t.Errorf("plural form without %%d: %+v, want one warning about msgstr[1]", fs)
	}
	u.Gettext.TargetPlurals[0] = corpora.Text("%d archivos %s")
	fs, _ = Check(context.Background(), []*corpora.Unit{u}, Options{Checks: []string{"placeholders"}})
	if len(fs) != 1 || fs[0].Severity != Error {
		t.Errorf("plural form with an invented %%s: %+v, want one error", fs)
	}
}

func TestUntranslatedPlural(t *testing.T) {
	u := pairUnit("es", "%d file", "")
	u.Gettext = &corpora.Gettext{SourcePlural: corpora.Text("%d files"), TargetPlurals: []corpora.Segment{{}}}
	half := pairUnit("es", "%d folder", "%d carpeta")
	half.Gettext = &corpora.Gettext{SourcePlural: corpora.Text("%d folders"), TargetPlurals: []corpora.Segment{{}}}
	fs, err := Check(context.Background(), []*corpora.Unit{u, half}, Options{Checks: []string{"untranslated"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"untranslated: msgstr[0]: not translated", "untranslated: msgstr[1]: not translated"}
	if got := messages(fs); !slices.Equal(got, want) {
		t.Errorf("untranslated plural entries: %q, want %q", got, want)
	}
}

func TestCredits(t *testing.T) {
	fs, err := Check(context.Background(), []*corpora.Unit{pairUnit("es", "translator-credits", "Ana <ana@example.org>, 2024")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 0 {
		t.Errorf("translator credits: %v, want no findings", messages(fs))
	}
}

func TestConsistency(t *testing.T) {
	us := []*corpora.Unit{
		pairUnit("es", "_Open", "_Abrir"),
		pairUnit("es", "Open", "A_brir"), // same after accelerators
		pairUnit("es", "Open", "Abrir"),
		pairUnit("es", "Open", "Apertura"),
		pairUnit("es", "Close", "Cerrar"),
		pairUnit("es", "Shut", "Cerrar"),
		pairUnit("es", "Close", "Cerrar"),
	}
	for i, u := range us {
		u.Origin.Index, u.Origin.Line = i, i+1
	}
	ctxUnit := pairUnit("es", "Open", "Abierto")
	ctxUnit.Context = "adjective"
	us = append(us, ctxUnit)
	fs, err := Check(context.Background(), us, Options{Checks: []string{"consistency", "consistency-target"}})
	if err != nil {
		t.Fatal(err)
	}
	got := messages(fs)
	want := []string{
		`consistency: translated as "Apertura", but as "Abrir" at test.po:1 (3 of 4 units)`,
		`consistency-target: "Cerrar" also translates "Close" at test.po:5`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("consistency findings:\n%q\nwant\n%q", got, want)
	}
}

// TestConsistencyTie: with no most common translation, every unit of the
// source is reported, whatever order the files come in.
func TestConsistencyTie(t *testing.T) {
	a, b := pairUnit("es", "Page Setup", "Configuración de la página"), pairUnit("es", "Page Setup", "Configuración de página")
	a.Origin = corpora.Origin{File: "a.po", Line: 3}
	b.Origin = corpora.Origin{File: "b.po", Line: 7}
	for _, us := range [][]*corpora.Unit{{a, b}, {b, a}} {
		fs, err := Check(context.Background(), us, Options{Checks: []string{"consistency"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(fs) != 2 || fs[0].File != "a.po" || fs[1].File != "b.po" || !strings.Contains(fs[0].Message, "b.po:7") {
			t.Errorf("a tie of two translations: %v, want both units, each pointing at the other", messages(fs))
		}
	}
}

func TestMemory(t *testing.T) {
	mem := NewUnitMemory([]*corpora.Unit{pairUnit("es", "Open", "Abrir"), pairUnit("es", "Save", "Guardar"), pairUnit("es", "Save", "Salvar")})
	us := []*corpora.Unit{pairUnit("es", "_Open", "_Abrir"), pairUnit("es", "Open", "Apertura"), pairUnit("es", "Save", "Salvar"), pairUnit("es", "Quit", "Salir")}
	fs, err := Check(context.Background(), us, Options{Checks: []string{"memory"}, Memory: mem})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].Target != "Apertura" || !strings.Contains(fs[0].Message, `"Abrir"`) {
		t.Errorf("memory findings: %v, want one for Apertura", messages(fs))
	}
	// _Open is not in the memory as such: only exact sources are.
	fs, _ = Check(context.Background(), us, Options{Checks: []string{"memory"}})
	if len(fs) != 0 {
		t.Errorf("memory check without a memory: %v, want none", messages(fs))
	}
}

func TestOptions(t *testing.T) {
	us := []*corpora.Unit{pairUnit("es", "Delete %s?", "eliminar")}
	all, err := Check(context.Background(), us, Options{})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, f := range all {
		names[f.Check] = true
	}
	for _, want := range []string{"placeholders", "end-punctuation", "capitals"} {
		if !names[want] {
			t.Errorf("Check with every check: no %s finding in %v", want, messages(all))
		}
	}
	skipped, _ := Check(context.Background(), us, Options{Skip: []string{"placeholders"}})
	if len(skipped) != len(all)-1 {
		t.Errorf("Skip placeholders: %v", messages(skipped))
	}
	errs, _ := Check(context.Background(), us, Options{MinSeverity: Error})
	if len(errs) != 1 || errs[0].Check != "placeholders" {
		t.Errorf("MinSeverity error: %v", messages(errs))
	}
	if _, err := Check(context.Background(), us, Options{Checks: []string{"spelling"}}); err == nil || !strings.Contains(err.Error(), "spelling") {
		t.Errorf("an unknown check: %v, want ErrUnknownCheck", err)
	}
	for _, s := range []string{"info", "warning", "warn", "error", " Error "} {
		if _, err := ParseSeverity(s); err != nil {
			t.Errorf("ParseSeverity(%q): %v", s, err)
		}
	}
	if _, err := ParseSeverity("fatal"); err == nil {
		t.Error("ParseSeverity(fatal) gave no error")
	}
}
