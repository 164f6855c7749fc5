package translate_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/po"
	"github.com/kgmem/kgmem/internal/testenv"
	"github.com/kgmem/kgmem/translate"
)

// makePOT extracts the messages of a source file of testdata/pot with
// xgettext, as a project makes its template.
func makePOT(t *testing.T, src string, args ...string) string {
	t.Helper()
	xgettext := testenv.Tool(t, "xgettext", "apt-get install gettext")
	out := filepath.Join(t.TempDir(), filepath.Base(src)+".pot")
	args = append(args, "--from-code=UTF-8", "-o", out, src)
	if b, err := exec.Command(xgettext, args...).CombinedOutput(); err != nil {
		t.Fatalf("xgettext %s: %v\n%s", src, err, b)
	}
	return out
}

// TestTranslatePOT translates templates that xgettext made from C and
// Python sources into languages with two and three plural forms, with
// the memory model and with Apertium, and checks that msgfmt --check
// accepts every catalog, that the header names the language and its
// plural rule, and that every plural entry has all its forms filled (so
// that approved output is not left fuzzy for want of a form).
func TestTranslatePOT(t *testing.T) {
	msgfmt := testenv.Tool(t, "msgfmt", "apt-get install gettext")
	pots := []string{
		makePOT(t, filepath.Join("testdata", "pot", "notes.c"), "-k_", "-kN_"),
		makePOT(t, filepath.Join("testdata", "pot", "notes.py"), "-L", "Python"),
	}
	mem := demoMemory(t)
	tests := []struct {
		model, lang string
		approve     bool
	}{
		{"memory", "es", false},
		{"memory", "es", true},
		{"memory", "ru", true},
		{"memory", "ja", true},
		{"memory", "fr", true},
		{"apertium", "es", false},
		{"apertium", "es", true},
	}
	models := map[string]*translate.Translator{}
	for _, tt := range tests {
		lang := language.MustParse(tt.lang)
		key := tt.model + "/" + tt.lang
		tr, ok := models[key]
		if !ok {
			tr = translate.New(startModel(t, tt.model), mem.memory(), translate.Options{SourceLang: "en", TargetLang: tt.lang})
			models[key] = tr
		}
		for _, pot := range pots {
			name := key + "/" + filepath.Base(pot)
			if tt.approve {
				name += "/approved"
			}
			t.Run(name, func(t *testing.T) {
				out := filepath.Join(t.TempDir(), tt.lang+".po")
				_, err := tr.TranslateFile(t.Context(), translate.FileOptions{In: pot, Out: out, SourceLang: english, TargetLang: lang, Approve: tt.approve}, nil)
				if err != nil {
					t.Fatalf("TranslateFile(%s): %v", pot, err)
				}
				if msg, err := exec.Command(msgfmt, "--check", "-o", os.DevNull, out).CombinedOutput(); err != nil {
					b, _ := os.ReadFile(out)
					t.Fatalf("msgfmt --check %s: %v\n%s\n%s", out, err, msg, b)
				}
				checkTranslatedPOT(t, out, lang, tt.approve)
			})
		}
	}
}

// checkTranslatedPOT checks the header and the plural entries of a
// translated template.
func checkTranslatedPOT(t *testing.T, path string, lang language.Tag, approved bool) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := po.NewReaderOptions(f, po.ReaderOptions{ReadOptions: corpora.ReadOptions{Name: path}})
	if err != nil {
		t.Fatal(err)
	}
	h := r.Header()
	if got, err := h.Language(); err != nil || got != lang {
		t.Errorf("%s: Language = %q, want %s", path, h.Get("Language"), lang)
	}
	want, _ := po.PluralFormsOf(lang)
	if got := h.Get("Plural-Forms"); got != want {
		t.Errorf("%s: Plural-Forms = %q, want %q", path, got, want)
	}
	rule, err := po.ParsePluralForms(want)
	if err != nil {
		t.Fatal(err)
	}
	plurals := 0
	for {
		u, err := r.Next()
		if err != nil {
			break
		}
		if u.Target.IsEmpty() {
			t.Errorf("%s: %q has no translation", path, u.Source.Plain())
		}
		if approved && u.Status != corpora.StatusTranslated {
			t.Errorf("%s: approved %q is %s, want translated", path, u.Source.Plain(), u.Status)
		}
		g := u.Gettext
		if g == nil || g.SourcePlural.IsEmpty() {
			continue
		}
		plurals++
		if len(g.TargetPlurals) != rule.N-1 {
			t.Errorf("%s: %q has %d forms, want nplurals=%d", path, u.Source.Plain(), len(g.TargetPlurals)+1, rule.N)
		}
		for k, s := range g.TargetPlurals {
			if s.IsEmpty() {
				t.Errorf("%s: msgstr[%d] of %q is empty", path, k+1, u.Source.Plain())
			}
		}
	}
	if plurals == 0 {
		t.Errorf("%s: no plural entry read back", path)
	}
}

// TestTranslateSharedCatalogs makes a template of the first strings of
// each shared development set (accelerators, printf directives, markup,
// newlines), translates it with Apertium, approved, and checks that
// msgfmt --check accepts the catalog.
func TestTranslateSharedCatalogs(t *testing.T) {
	msgfmt := testenv.Tool(t, "msgfmt", "apt-get install gettext")
	tr := translate.New(startModel(t, "apertium"), demoMemory(t).memory(), translate.Options{SourceLang: "en", TargetLang: "es"})
	for _, name := range []string{"en-es.dev.tsv", "en-es.dev2.tsv"} {
		t.Run(name, func(t *testing.T) {
			in := testenv.SharedData(t, "gettext", name)
			pot := filepath.Join(t.TempDir(), "template.pot")
			writeTemplate(t, in, pot, 150)
			out := filepath.Join(t.TempDir(), "es.po")
			if _, err := tr.TranslateFile(t.Context(), translate.FileOptions{In: pot, Out: out, SourceLang: english, TargetLang: spanish, Approve: true}, nil); err != nil {
				t.Fatalf("TranslateFile(%s): %v", pot, err)
			}
			if msg, err := exec.Command(msgfmt, "--check", "-o", os.DevNull, out).CombinedOutput(); err != nil {
				t.Errorf("msgfmt --check on %s translated: %v\n%s", name, err, msg)
			}
		})
	}
}

// writeTemplate writes the first n distinct sources of a bilingual file
// as a template: a catalog with no language and empty translations.
func writeTemplate(t *testing.T, in, out string, n int) {
	t.Helper()
	var b strings.Builder
	b.WriteString("#, fuzzy\nmsgid \"\"\nmsgstr \"\"\n\"Project-Id-Version: PACKAGE VERSION\\n\"\n\"Language: \\n\"\n" +
		"\"MIME-Version: 1.0\\n\"\n\"Content-Type: text/plain; charset=CHARSET\\n\"\n\"Content-Transfer-Encoding: 8bit\\n\"\n" +
		"\"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n\"\n")
	seen := map[string]bool{}
	for _, u := range readUnits(t, in, english, spanish) {
		src := u.Source.Plain()
		if seen[src] {
			continue
		}
		seen[src] = true
		fmt.Fprintf(&b, "\nmsgid %s\nmsgstr \"\"\n", poQuote(src))
		if len(seen) == n {
			break
		}
	}
	if err := os.WriteFile(out, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// poQuote writes s as a PO string.
func poQuote(s string) string {
	r := strings.NewReplacer("\\", `\\`, "\"", `\"`, "\n", `\n`, "\t", `\t`)
	return "\"" + r.Replace(s) + "\""
}
