package project

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
)

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

const omegatProjectXML = `<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <source_dir_excludes><mask>**/skip/**</mask></source_dir_excludes>
    <target_dir>../shared/target/</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>terms</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <source_lang>EN-US</source_lang>
    <target_lang>PT-BR</target_lang>
  </project>
</omegat>
`

// TestReadOmegaT reads a project's folders (defaults, relative ones) and
// languages, and refuses a project file that does not parse.
func TestReadOmegaT(t *testing.T) {
	root := t.TempDir()
	if o, err := ReadOmegaT(root); o != nil || err != nil {
		t.Fatalf("ReadOmegaT of a folder without omegat.project = %v, %v; want nil, nil", o, err)
	}
	writeFile(t, filepath.Join(root, OmegaTProjectFile), omegatProjectXML)
	o, err := ReadOmegaT(root)
	if err != nil {
		t.Fatal(err)
	}
	want := OmegaT{Root: root, SourceDir: filepath.Join(root, "source"), TargetDir: filepath.Join(filepath.Dir(root), "shared", "target"),
		TMDir: filepath.Join(root, "tm"), GlossaryDir: filepath.Join(root, "terms"), GlossaryFile: filepath.Join(root, "terms", "glossary.txt"),
		SourceLang: language.MustParse("en-US"), TargetLang: language.MustParse("pt-BR")}
	got := *o
	got.Excludes = nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ReadOmegaT = %+v\nwant %+v", got, want)
	}
	if len(o.Excludes) != 1 || !o.Excludes[0].Match("a/skip/b.txt") {
		t.Errorf("excludes %v, want **/skip/**", o.Excludes)
	}
	for name, bad := range map[string]string{
		"xml":      "<omegat><project>",
		"language": `<omegat><project><source_lang>EN</source_lang><target_lang></target_lang></project></omegat>`,
	} {
		writeFile(t, filepath.Join(root, OmegaTProjectFile), bad)
		var pe *corpora.ParseError
		if _, err := ReadOmegaT(root); !errors.As(err, &pe) {
			t.Errorf("ReadOmegaT of a bad project file (%s) = %v, want a parse error", name, err)
		}
	}
}

// TestPlanOmegaT plans an OmegaT project: its languages, source/ to
// target/ with the project's excludes, languages given that disagree are
// refused, and the memories to import leave out tm/mt and what kgmem
// wrote.
func TestPlanOmegaT(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, OmegaTProjectFile), `<omegat><project><source_lang>EN</source_lang><target_lang>CA</target_lang></project></omegat>`)
	writeFile(t, filepath.Join(root, "source", "a.txt"), "Hello there.\n")
	writeFile(t, filepath.Join(root, "source", "sub", "b.tsv"), "Good morning\t\n")
	writeFile(t, filepath.Join(root, "source", "terms.tbx"), "<tbx/>")
	for _, f := range []string{"tm/a.tmx", "tm/penalty-10/b.tmx", "tm/mt/c.tmx", "tm/" + OmegaTAutoTMX, "tm/" + OmegaTMTTMX, "omegat/project_save.tmx", "glossary/glossary.txt", "glossary/x.tbx"} {
		writeFile(t, filepath.Join(root, filepath.FromSlash(f)), "")
	}
	p, err := NewPlan(context.Background(), Options{In: root, Exclude: []string{"*.tsv"}})
	if err != nil {
		t.Fatal(err)
	}
	if p.OmegaT == nil || p.SourceLang != language.English || p.TargetLang.String() != "ca" {
		t.Fatalf("plan of an OmegaT project: %+v", p)
	}
	if len(p.Jobs) != 1 || p.Jobs[0].Out != filepath.Join(root, "target", "a.txt") || p.Jobs[0].Layout != LayoutOmegaT || p.Jobs[0].Action != Translate {
		t.Errorf("jobs %+v, want source/a.txt → target/a.txt", p.Jobs)
	}
	if len(p.Ignored) != 1 || filepath.Base(p.Ignored[0].Path) != "terms.tbx" {
		t.Errorf("ignored %+v, want the term base", p.Ignored)
	}
	if _, err := NewPlan(context.Background(), Options{In: root, SourceLang: language.English, TargetLang: language.French}); !errors.Is(err, ErrLanguageMismatch) {
		t.Errorf("NewPlan --to fr of a Catalan project = %v, want ErrLanguageMismatch", err)
	}
	if _, err := NewPlan(context.Background(), Options{In: root, SourceLang: language.MustParse("en-US"), TargetLang: language.MustParse("ca")}); err != nil {
		t.Errorf("NewPlan with the project's languages, en-US for EN: %v", err)
	}
	tms, glossaries, err := p.OmegaT.Memories()
	if err != nil {
		t.Fatal(err)
	}
	rel := func(ps []string) []string {
		var out []string
		for _, x := range ps {
			r, _ := filepath.Rel(root, x)
			out = append(out, filepath.ToSlash(r))
		}
		return out
	}
	if got := rel(tms); len(got) != 3 || got[0] != "tm/a.tmx" || got[1] != "tm/penalty-10/b.tmx" || got[2] != "omegat/project_save.tmx" {
		t.Errorf("memories %q, want tm/a.tmx, tm/penalty-10/b.tmx and omegat/project_save.tmx", got)
	}
	if got := rel(glossaries); len(got) != 2 {
		t.Errorf("glossaries %q, want the two of glossary/", got)
	}
}
