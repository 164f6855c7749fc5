package po

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
)

// pluralCounts are the counts the rules are compared on: every count
// up to 2,000 and some large ones (Breton's "many" is every million).
func pluralCounts() []uint64 {
	var ns []uint64
	for n := uint64(0); n <= 2000; n++ {
		ns = append(ns, n)
	}
	return append(ns, 1_000_000, 2_000_000, 1_000_001, 1_000_000_000, 1<<40)
}

// TestPluralTable checks every rule of the table: it parses, its
// expression never fails nor goes out of range, and every form is used
// by some count, so that no msgstr[n] is dead.
func TestPluralTable(t *testing.T) {
	for lang, pf := range pluralTable {
		r, err := ParsePluralForms(pf)
		if err != nil {
			t.Errorf("%s: ParsePluralForms(%q): %v", lang, pf, err)
			continue
		}
		used := make([]bool, r.N)
		for _, n := range pluralCounts() {
			f, err := r.Form(n)
			if err != nil {
				t.Errorf("%s: Form(%d) of %q: %v", lang, n, pf, err)
				break
			}
			used[f] = true
		}
		if i := slices.Index(used, false); i >= 0 {
			t.Errorf("%s: %q never gives form %d", lang, pf, i)
		}
		if _, err := language.Parse(lang); err != nil {
			t.Errorf("table key %q is not a language tag: %v", lang, err)
		}
	}
}

// TestPluralTableMatchesGettext checks the table against GNU gettext's:
// for every language msginit knows, kgmem's rule has the same nplurals
// and picks the same form for every count.
func TestPluralTableMatchesGettext(t *testing.T) {
	msginit := gettextTool(t, "msginit")
	dir := t.TempDir()
	pot := filepath.Join(dir, "x.pot")
	err := os.WriteFile(pot, []byte("msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=CHARSET\\n\"\n\"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n\"\n"), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	known := 0
	for lang, pf := range pluralTable {
		locale := strings.ReplaceAll(lang, "-", "_")
		cmd := exec.Command(msginit, "--no-translator", "-l", locale, "-i", pot, "-o", "-")
		cmd.Env = append(os.Environ(), "LC_ALL=C")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("msginit -l %s: %v", locale, err)
		}
		h := readHeader(t, out)
		got := h.Get("Plural-Forms")
		if templatePluralForms(got) {
			continue // gettext has no rule for it
		}
		known++
		theirs, err := ParsePluralForms(got)
		if err != nil {
			t.Fatalf("msginit -l %s gave %q: %v", locale, got, err)
		}
		ours, _ := ParsePluralForms(pf)
		if ours.N != theirs.N {
			t.Errorf("%s: nplurals=%d, gettext says %d (%q)", lang, ours.N, theirs.N, got)
			continue
		}
		for _, n := range pluralCounts() {
			a, _ := ours.Form(n)
			b, err := theirs.Form(n)
			if err != nil || a != b {
				t.Errorf("%s: form of %d = %d, gettext's %q gives %d (%v)", lang, n, a, got, b, err)
				break
			}
		}
	}
	if known < 30 {
		t.Errorf("msginit knew only %d of the table's languages; want the 30 or more of gettext 0.21", known)
	}
}

// readHeader reads the header of a catalog in memory.
func readHeader(t *testing.T, b []byte) *Header {
	t.Helper()
	r, err := NewReader(bytes.NewReader(b), corpora.ReadOptions{Name: "msginit output"})
	if err != nil {
		t.Fatal(err)
	}
	return r.Header()
}

func TestPluralFormsOf(t *testing.T) {
	tests := []struct {
		lang string
		want string
		ok   bool
	}{
		{"es", pfNotOne, true},
		{"es-MX", pfNotOne, true},
		{"es_419", pfNotOne, true},
		{"pt", pfNotOne, true},
		{"pt-PT", pfNotOne, true},
		{"pt_BR", pfOverOne, true},
		{"fr-CA", pfOverOne, true},
		{"sr@latin", pfEastSlavic, true},
		{"zh-Hant-TW", pfOnly, true},
		{"iw", pfNotOne, true},
		{"ar-EG", pfArabic, true},
		{"cy", pfWelsh, true},
		{"tlh", "", false},
	}
	for _, tt := range tests {
		got, ok := PluralFormsOf(corpora.MustParseLang(tt.lang))
		if got != tt.want || ok != tt.ok {
			t.Errorf("PluralFormsOf(%q) = %q, %v; want %q, %v", tt.lang, got, ok, tt.want, tt.ok)
		}
	}
	if got, ok := PluralFormsOf(language.Und); ok || got != "" {
		t.Errorf("PluralFormsOf(und) = %q, %v; want nothing", got, ok)
	}
}

func TestParsePluralForms(t *testing.T) {
	tests := []struct {
		in    string
		n     int
		forms map[uint64]int // count → form
	}{
		{"nplurals=1; plural=0;", 1, map[uint64]int{0: 0, 1: 0, 5: 0}},
		{"nplurals=2; plural=(n != 1);", 2, map[uint64]int{0: 1, 1: 0, 2: 1}},
		{" nplurals = 2 ; plural=n>1", 2, map[uint64]int{0: 0, 1: 0, 2: 1}},
		{"nplurals=3; plural=n==1 ? 0 : n==2 ? 1 : 2;", 3, map[uint64]int{1: 0, 2: 1, 3: 2}},
		{pfEastSlavic, 3, map[uint64]int{1: 0, 11: 2, 21: 0, 22: 1, 12: 2, 25: 2, 111: 2, 101: 0}},
		{pfRomanian, 3, map[uint64]int{1: 0, 0: 1, 19: 1, 20: 2, 101: 1, 120: 2}},
		{"nplurals=2; plural=!(n == 1);", 2, map[uint64]int{1: 0, 7: 1}},
		{"nplurals=2; plural=(n - 1) * 1 / 1 > 0 + 0;", 2, map[uint64]int{0: 1, 1: 0, 2: 1}}, // unsigned: 0-1 wraps
		{"nplurals=3; plural=n%3;", 3, map[uint64]int{3: 0, 4: 1, 5: 2}},
		{"nplurals=2; plural=n<=1 || n>=5 && 0;", 2, map[uint64]int{1: 1, 2: 0, 9: 0}},
	}
	for _, tt := range tests {
		r, err := ParsePluralForms(tt.in)
		if err != nil {
			t.Errorf("ParsePluralForms(%q): %v", tt.in, err)
			continue
		}
		if r.N != tt.n {
			t.Errorf("ParsePluralForms(%q).N = %d, want %d", tt.in, r.N, tt.n)
		}
		for n, want := range tt.forms {
			if got, err := r.Form(n); got != want || err != nil {
				t.Errorf("ParsePluralForms(%q).Form(%d) = %d, %v; want %d", tt.in, n, got, err, want)
			}
		}
		if again, err := ParsePluralForms(r.String()); err != nil || again.N != r.N || again.Expr != r.Expr {
			t.Errorf("ParsePluralForms(%q).String() = %q does not parse back: %v", tt.in, r.String(), err)
		}
	}
	bad := []string{
		"",
		"nplurals=INTEGER; plural=EXPRESSION;",
		"nplurals=0; plural=0;",
		"nplurals=101; plural=0;",
		"nplurals=2;",
		"nplurals=2; plural=;",
		"nplurals=2; plural=(n != 1;",
		"nplurals=2; plural=n != 1);",
		"nplurals=2; plural=n ? 1;",
		"nplurals=2; plural=m;",
		"nplurals=2; plural=n & 1;",
		"nplurals=2; plural=99999999999999999999999;",
		"nplurals=2; plural=" + strings.Repeat("(", 100) + "n" + strings.Repeat(")", 100) + ";",
	}
	for _, s := range bad {
		if r, err := ParsePluralForms(s); err == nil || !errors.Is(err, ErrPluralForms) {
			t.Errorf("ParsePluralForms(%q) = %v, %v; want an error wrapping ErrPluralForms", s, r, err)
		}
	}
	// Errors that only a count shows.
	for _, s := range []string{"nplurals=2; plural=n/0;", "nplurals=2; plural=n%(n-n);", "nplurals=2; plural=n;"} {
		r, err := ParsePluralForms(s)
		if err != nil {
			t.Fatalf("ParsePluralForms(%q): %v", s, err)
		}
		if f, err := r.Form(5); err == nil {
			t.Errorf("ParsePluralForms(%q).Form(5) = %d, want an error", s, f)
		}
	}
}

// TestPluralCatalogsPassMsgfmt writes, for every language of the table, a
// catalog with a translated plural entry (every form filled) and an
// untranslated one, and checks that msgfmt --check accepts it: the
// header the writer makes and the forms it writes agree.
func TestPluralCatalogsPassMsgfmt(t *testing.T) {
	msgfmt := gettextTool(t, "msgfmt")
	dir := t.TempDir()
	for lang := range pluralTable {
		tag := language.MustParse(lang)
		pf, _ := PluralFormsOf(tag)
		r, _ := ParsePluralForms(pf)
		var forms []corpora.Segment
		for i := 1; i < r.N; i++ {
			forms = append(forms, corpora.Text(fmt.Sprintf("%%d form %d", i)))
		}
		us := []*corpora.Unit{
			{SourceLang: language.English, TargetLang: tag, Source: corpora.Text("%d file"), Target: corpora.Text("%d form 0"),
				Status:  corpora.StatusTranslated,
				Gettext: &corpora.Gettext{SourcePlural: corpora.Text("%d files"), TargetPlurals: forms, Flags: []string{"c-format"}}},
			{SourceLang: language.English, TargetLang: tag, Source: corpora.Text("%d folder"),
				Gettext: &corpora.Gettext{SourcePlural: corpora.Text("%d folders"), TargetPlurals: []corpora.Segment{{}}, Flags: []string{"c-format"}}},
		}
		out := writeAll(t, us, WriterOptions{TargetLang: tag, Project: "plural test 1", Translator: "kgmem <kgmem@example.org>", Revision: revision})
		if c := strings.Count(string(out), "msgstr["); c != 2*r.N {
			t.Errorf("%s: %d msgstr[n] written, want %d:\n%s", lang, c, 2*r.N, out)
		}
		path := filepath.Join(dir, strings.ReplaceAll(lang, "-", "_")+".po")
		if err := os.WriteFile(path, out, 0o644); err != nil {
			t.Fatal(err)
		}
		if b, err := exec.Command(msgfmt, "--check", "-o", os.DevNull, path).CombinedOutput(); err != nil {
			t.Errorf("msgfmt --check on %s: %v\n%s\n%s", lang, err, b, out)
		}
	}
}

// FuzzParsePluralForms parses arbitrary Plural-Forms values: no panic, no
// runaway recursion, and a rule that parses prints as one that parses to
// the same forms.
func FuzzParsePluralForms(f *testing.F) {
	for _, pf := range pluralTable {
		f.Add(pf)
	}
	f.Add("nplurals=INTEGER; plural=EXPRESSION;")
	f.Add("nplurals=2; plural=n/0;")
	f.Add("nplurals=2; plural=((((n))));")
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParsePluralForms(s)
		if err != nil {
			if !errors.Is(err, ErrPluralForms) {
				t.Fatalf("ParsePluralForms(%q): error %v does not wrap ErrPluralForms", s, err)
			}
			return
		}
		again, err := ParsePluralForms(r.String())
		if err != nil {
			t.Fatalf("ParsePluralForms(%q) prints as %q, which does not parse: %v", s, r.String(), err)
		}
		for _, n := range []uint64{0, 1, 2, 3, 5, 11, 21, 101, 1 << 63} {
			a, errA := r.Form(n)
			b, errB := again.Form(n)
			if a != b || (errA == nil) != (errB == nil) {
				t.Fatalf("%q and its print %q differ at n=%d: %d/%v vs %d/%v", s, r.String(), n, a, errA, b, errB)
			}
		}
	})
}

// TestWriterPluralForms: a template's Plural-Forms becomes the target
// language's; an untranslated plural entry gets nplurals empty forms; a
// translated one with too few, too many or empty forms keeps them all,
// gets the missing ones empty, and is marked fuzzy.
func TestWriterPluralForms(t *testing.T) {
	pot := []byte(`#, fuzzy
msgid ""
msgstr ""
"Project-Id-Version: PACKAGE VERSION\n"
"Language: \n"
"Content-Type: text/plain; charset=CHARSET\n"
"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\n"
`)
	plural := func(target string, forms ...string) *corpora.Unit {
		u := &corpora.Unit{Source: corpora.Text("%d file"), Target: corpora.Text(target), Status: corpora.StatusTranslated,
			Gettext: &corpora.Gettext{SourcePlural: corpora.Text("%d files")}}
		for _, f := range forms {
			u.Gettext.TargetPlurals = append(u.Gettext.TargetPlurals, corpora.Text(f))
		}
		return u
	}
	tests := []struct {
		name, lang string
		unit       *corpora.Unit
		wantPF     string
		wantStrs   []string
		wantFuzzy  bool
	}{
		{"untranslated ru", "ru", plural("", ""), pfEastSlavic, []string{"", "", ""}, false},
		{"untranslated ja", "ja", plural("", ""), pfOnly, []string{""}, false},
		{"complete ru", "ru", plural("%d файл", "%d файла", "%d файлов"), pfEastSlavic, []string{"%d файл", "%d файла", "%d файлов"}, false},
		{"too few ru", "ru", plural("%d файл", "%d файла"), pfEastSlavic, []string{"%d файл", "%d файла", ""}, true},
		{"empty form es", "es", plural("%d archivo", ""), pfNotOne, []string{"%d archivo", ""}, true},
		{"too many ja", "ja", plural("%d ファイル", "%d ファイル"), pfOnly, []string{"%d ファイル", "%d ファイル"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := readHeader(t, pot)
			tag := language.MustParse(tt.lang)
			tt.unit.SourceLang, tt.unit.TargetLang = language.English, tag
			out := writeAll(t, []*corpora.Unit{tt.unit}, WriterOptions{TargetLang: tag, Header: h})
			r, err := NewReader(bytes.NewReader(out), corpora.ReadOptions{Name: "out.po"})
			if err != nil {
				t.Fatal(err)
			}
			if got := r.Header().Get("Plural-Forms"); got != tt.wantPF {
				t.Errorf("Plural-Forms = %q, want %q", got, tt.wantPF)
			}
			u, err := r.Next()
			if err != nil {
				t.Fatal(err)
			}
			strs := []string{u.Target.Plain()}
			for _, s := range u.Gettext.TargetPlurals {
				strs = append(strs, s.Plain())
			}
			if !slices.Equal(strs, tt.wantStrs) {
				t.Errorf("msgstr[n] = %q, want %q", strs, tt.wantStrs)
			}
			if fuzzy := u.Status == corpora.StatusDraft; fuzzy != tt.wantFuzzy {
				t.Errorf("fuzzy = %v, want %v:\n%s", fuzzy, tt.wantFuzzy, out)
			}
		})
	}
}
