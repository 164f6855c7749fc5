package po_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/formats"
	"github.com/kgmem/kgmem/internal/testenv"
)

// TestSharedCatalogsPassMsgfmt converts every shared gettext file to a PO
// catalog through kgmem's readers and writers (as `kgmem corpus convert`
// does), into Spanish and into languages with one and three plural
// forms, and checks that msgfmt --check accepts each.
func TestSharedCatalogsPassMsgfmt(t *testing.T) {
	msgfmt := testenv.Tool(t, "msgfmt", "apt-get install gettext")
	files, err := filepath.Glob(filepath.Join(testenv.SharedData(t, "gettext"), "*.tsv"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no shared gettext files: %v", err)
	}
	for _, in := range files {
		for _, lang := range []string{"es", "ru", "ja"} {
			t.Run(filepath.Base(in)+"/"+lang, func(t *testing.T) {
				tag := language.MustParse(lang)
				out := filepath.Join(t.TempDir(), lang+".po")
				convert(t, in, out, tag)
				if b, err := exec.Command(msgfmt, "--check", "-o", os.DevNull, out).CombinedOutput(); err != nil {
					t.Errorf("msgfmt --check on %s converted to PO: %v\n%s", in, err, firstLines(string(b), 20))
				}
			})
		}
	}
}

// convert reads a bilingual file and writes it as a catalog in lang, its
// targets taken as that language's (the test is of the catalog's form,
// not its language).
func convert(t *testing.T, in, out string, lang language.Tag) {
	t.Helper()
	f, err := formats.Open(in, formats.Options{ReadOptions: corpora.ReadOptions{Name: in, SourceLang: language.English}})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, err := formats.Create(out, formats.WriteOptions{SourceLang: language.English, TargetLang: lang})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	err = corpora.Each(t.Context(), f, func(u *corpora.Unit) error {
		u.TargetLang = lang
		n++
		return w.Write(u)
	})
	if err != nil {
		w.Abort()
		t.Fatalf("convert %s: %v", in, err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatalf("%s: no units", in)
	}
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}
