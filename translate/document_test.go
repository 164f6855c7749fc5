package translate_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/formats"
	"github.com/kgmem/kgmem/corpora/po"
	"github.com/kgmem/kgmem/internal/testenv"
	"github.com/kgmem/kgmem/translate"
)

var (
	english = language.English
	spanish = language.Spanish
)

// readUnits reads every unit of a document, with the languages given.
func readUnits(t *testing.T, path string, from, to language.Tag) []*corpora.Unit {
	t.Helper()
	f, err := formats.Open(path, formats.Options{ReadOptions: corpora.ReadOptions{Name: path, SourceLang: from, TargetLang: to}})
	if err != nil {
		t.Fatalf("read %s back: %v", path, err)
	}
	defer f.Close()
	var us []*corpora.Unit
	for {
		u, err := f.Next()
		if errors.Is(err, io.EOF) {
			return us
		}
		if err != nil {
			t.Fatalf("read %s back: %v", path, err)
		}
		us = append(us, u)
	}
}

// translateFile translates a document with tr into dir, keeping the
// results by unit source.
func translateFile(t *testing.T, tr *translate.Translator, in, out string, approve, retranslate bool) (translate.FileSummary, map[string]translate.Result) {
	t.Helper()
	results := map[string]translate.Result{}
	sum, err := tr.TranslateFile(context.Background(), translate.FileOptions{In: in, Out: out, SourceLang: english, TargetLang: spanish,
		Approve: approve, Retranslate: retranslate},
		func(u *corpora.Unit, r translate.Result) error {
			results[unitKey(u)] = r
			return nil
		})
	if err != nil {
		t.Fatalf("TranslateFile(%s): %v", in, err)
	}
	return sum, results
}

// unitKey names a unit in the results of translateFile: its context (a
// msgctxt) and its source.
func unitKey(u *corpora.Unit) string { return u.Context + "\x04" + u.Source.Plain() }

// compareGolden compares a file with its golden copy, or rewrites the
// golden copy under -update.
func compareGolden(t *testing.T, got, golden string) {
	t.Helper()
	b, err := os.ReadFile(got)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(golden, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(b, want) {
		gl, wl := strings.Split(string(b), "\n"), strings.Split(string(want), "\n")
		var d strings.Builder
		for i := range max(len(gl), len(wl)) {
			g, w := "", ""
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				fmt.Fprintf(&d, "line %d:\n  got  %q\n  want %q\n", i+1, g, w)
			}
		}
		t.Errorf("%s differs from %s (go test -update rewrites it; review the diff):\n%s", got, golden, d.String())
	}
}

// xliffFilled is what Fill may change in an XLIFF document: the targets
// (inserted, replaced), and the state attributes of the units, segments
// and targets and the target language of the file,
// and the notes about the targets' problems (see translate.ReviewAuthor).
var xliffFilled = regexp.MustCompile(`(?s)\s*<target\b[^>]*/>|\s*<target\b.*?</target>|\s(?:state|state-qualifier|subState|approved|trgLang)="[^"]*"` +
	`|\s*<notes>\s*<note category="kgmem-qa"[^>]*>[^<]*</note>\s*</notes>|\s*<note (?:from|category)="kgmem-qa"[^>]*>[^<]*</note>`)

// sameOutsideTargets reports whether two XLIFF documents are byte for
// byte the same outside what Fill may change.
func sameOutsideTargets(in, out []byte) bool {
	return bytes.Equal(xliffFilled.ReplaceAll(in, nil), xliffFilled.ReplaceAll(out, nil))
}

// codesOf lists the inline codes of a segment as kind, element and ID.
func codesOf(s corpora.Segment) []string {
	var out []string
	for _, sp := range s.Spans {
		if sp.Code != nil {
			out = append(out, sp.Code.Kind.String()+" "+sp.Code.Element+" "+sp.Code.ID)
		}
	}
	slices.Sort(out)
	return out
}

// TestTranslateFile translates one small document of each format with the
// demo memory and the memory model (deterministic, so the outputs are
// golden files), and checks what must hold of each: statuses, structure,
// and that independent tools read the output.
func TestTranslateFile(t *testing.T) {
	mem := demoMemory(t)
	tr := translate.New(startModel(t, "memory"), mem.memory(), translate.Options{SourceLang: "en", TargetLang: "es"})
	tests := []struct {
		in          string
		approve     bool
		retranslate bool
		golden      string
		check       func(t *testing.T, in, out string, approve bool, sum translate.FileSummary, rs map[string]translate.Result)
	}{
		{in: "ui-1.2.xlf", golden: "ui-1.2.golden.xlf", check: checkXLIFF},
		{in: "ui-2.0.xlf", golden: "ui-2.0.golden.xlf", check: checkXLIFF},
		{in: "ui-1.2.xlf", approve: true, golden: "ui-1.2-approved.golden.xlf", check: checkXLIFF},
		{in: "ui.po", golden: "ui.golden.po", check: checkPO},
		{in: "ui.po", approve: true, golden: "ui-approved.golden.po", check: checkPO},
		{in: "notes.tmx", retranslate: true, golden: "notes.golden.tmx", check: checkTMX},
		{in: "ui.tsv", golden: "ui.golden.tsv", check: checkTSV},
		{in: "help.txt", golden: "help.golden.txt", check: checkText},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			in := filepath.Join("testdata", "docs", tt.in)
			out := filepath.Join(t.TempDir(), tt.in)
			sum, rs := translateFile(t, tr, in, out, tt.approve, tt.retranslate)
			if sum.Translated == 0 || sum.Translated != len(rs) || sum.Units != sum.Translated+sum.Kept {
				t.Errorf("TranslateFile(%s) = %+v for %d results", tt.in, sum, len(rs))
			}
			for src, r := range rs {
				if r.Translation == "" || !r.Checks.PlaceholdersIntact {
					t.Errorf("TranslateFile(%s): %q → %q, checks %+v", tt.in, src, r.Translation, r.Checks)
				}
			}
			if r, ok := rs["\x04Delete Note"]; ok && (r.Status != translate.StatusExact || r.Translation != "Eliminar nota") {
				t.Errorf("TranslateFile(%s): Delete Note → %q (%s), want the memory's exact Eliminar nota", tt.in, r.Translation, r.Status)
			}
			// A term next to an inline code is used: the code separates
			// words that the plain text runs together.
			if r, ok := rs["\x04Rename the folderand the template"]; ok {
				for _, p := range r.Checks.Problems {
					if p.Kind == "term" && strings.Contains(r.Translation, "carpeta") {
						t.Errorf("TranslateFile(%s): %q → %q: %s", tt.in, r.Source, r.Translation, p)
					}
				}
			}
			compareGolden(t, out, filepath.Join("testdata", "docs", tt.golden))
			tt.check(t, in, out, tt.approve, sum, rs)
		})
	}
}

// checkXLIFF: every byte outside the targets and states is the input's;
// the units without a translation (and translate="no") stay so; targets
// carry the source's inline codes; statuses say exact or machine.
func checkXLIFF(t *testing.T, in, out string, approve bool, sum translate.FileSummary, rs map[string]translate.Result) {
	inb, _ := os.ReadFile(in)
	outb, _ := os.ReadFile(out)
	if !sameOutsideTargets(inb, outb) {
		t.Errorf("%s: bytes outside the targets changed:\n%s", out, outb)
	}
	if !bytes.Contains(outb, []byte("<source>Lumen Notes</source>\n      </trans-unit>")) && !bytes.Contains(outb, []byte("<source>Northwind Cloud</source>\n      </segment>")) {
		t.Errorf("%s: the translate=\"no\" unit was filled", out)
	}
	for _, u := range readUnits(t, out, english, spanish) {
		r, ok := rs[unitKey(u)]
		if !ok {
			continue
		}
		if u.Target.Plain() != r.Translation {
			t.Errorf("%s: target of %q = %q, want %q", out, u.Source.Plain(), u.Target.Plain(), r.Translation)
		}
		if got, want := codesOf(u.Target), codesOf(u.Source); !slices.Equal(got, want) {
			t.Errorf("%s: codes of the target of %q = %v, want %v", out, u.Source.Plain(), got, want)
		}
		// A translation with problems needs review, even when the run
		// approves the others.
		want := corpora.StatusMachine
		switch {
		case approve && len(r.Checks.Problems) == 0:
			want = corpora.StatusApproved
		case r.Status == translate.StatusExact && len(r.Checks.Problems) == 0:
			want = corpora.StatusTranslated
		}
		if u.Status != want && !(want == corpora.StatusMachine && u.Status == corpora.StatusDraft) {
			t.Errorf("%s: status of %q (%s) = %s, want %s", out, u.Source.Plain(), r.Status, u.Status, want)
		}
	}
}

// checkPO: msgfmt --check accepts the catalog; it keeps its header; the
// plural entry has every form; model output is fuzzy, exact matches and
// approved output are not.
func checkPO(t *testing.T, in, out string, approve bool, sum translate.FileSummary, rs map[string]translate.Result) {
	msgfmt := testenv.Tool(t, "msgfmt", "apt-get install gettext")
	if b, err := exec.Command(msgfmt, "--check", "-o", os.DevNull, out).CombinedOutput(); err != nil {
		t.Errorf("msgfmt --check %s: %v\n%s", out, err, b)
	}
	header := func(path string) *po.Header {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		r, err := po.NewReaderOptions(f, po.ReaderOptions{ReadOptions: corpora.ReadOptions{Name: path}})
		if err != nil {
			t.Fatal(err)
		}
		return r.Header()
	}
	hin, hout := header(in), header(out)
	for _, field := range []string{"Project-Id-Version", "Last-Translator", "Language-Team", "POT-Creation-Date", "Plural-Forms", "Language"} {
		if hin.Get(field) != hout.Get(field) {
			t.Errorf("%s: header %s = %q, want the input's %q", out, field, hout.Get(field), hin.Get(field))
		}
	}
	if !slices.Equal(hin.Comments, hout.Comments) {
		t.Errorf("%s: header comments %q, want %q", out, hout.Comments, hin.Comments)
	}
	for _, u := range readUnits(t, out, english, spanish) {
		if u.Target.IsEmpty() {
			t.Errorf("%s: %q has no translation", out, u.Source.Plain())
		}
		if g := u.Gettext; g != nil && !g.SourcePlural.IsEmpty() {
			if len(g.TargetPlurals) != 1 || g.TargetPlurals[0].IsEmpty() || strings.Count(g.TargetPlurals[0].Plain(), "%d") != 1 {
				t.Errorf("%s: plural forms of %q = %q, want msgstr[1] filled with %%d", out, u.Source.Plain(), g.TargetPlurals)
			}
		}
		r, ok := rs[unitKey(u)]
		if !ok {
			if u.Status != corpora.StatusTranslated {
				t.Errorf("%s: kept entry %q is %s, want translated", out, u.Source.Plain(), u.Status)
			}
			continue
		}
		fuzzy := u.Status == corpora.StatusDraft
		wantFuzzy := len(r.Checks.Problems) > 0 || !approve && r.Status != translate.StatusExact
		if fuzzy != wantFuzzy {
			t.Errorf("%s: %q (%s) fuzzy = %v, want %v", out, u.Source.Plain(), r.Status, fuzzy, wantFuzzy)
		}
		// Each problem is a translator comment.
		notes := strings.Count("\n"+strings.Join(u.Notes, "\n"), "\n"+translate.NotePrefix)
		if notes != len(r.Checks.Problems) {
			t.Errorf("%s: %q has %d notes %q for the problems %v", out, u.Source.Plain(), notes, u.Notes, r.Checks.Problems)
		}
	}
}

// checkTMX: every unit has its Spanish target, with the source's codes,
// and translate-toolkit reads them all.
func checkTMX(t *testing.T, in, out string, approve bool, sum translate.FileSummary, rs map[string]translate.Result) {
	us := readUnits(t, out, english, spanish)
	if len(us) != sum.Units {
		t.Errorf("%s: %d units, want %d", out, len(us), sum.Units)
	}
	for _, u := range us {
		if u.Target.IsEmpty() || !corpora.LangMatches(spanish, u.TargetLang) {
			t.Errorf("%s: %q → %q (%s), want a Spanish target", out, u.Source.Plain(), u.Target.Plain(), u.TargetLang)
		}
		if got, want := codesOf(u.Target), codesOf(u.Source); !slices.Equal(got, want) {
			t.Errorf("%s: codes of the target of %q = %v, want %v", out, u.Source.Plain(), got, want)
		}
	}
	python := testenv.ToolkitPython(t)
	const script = `
import json, sys
from translate.storage import tmx
with open(sys.argv[1], "rb") as f:
    store = tmx.tmxfile(f, sourcelanguage="en", targetlanguage="es")
json.dump([[u.source, u.target] for u in store.units], sys.stdout)
`
	b, err := exec.Command(python, "-c", script, out).Output()
	if err != nil {
		t.Fatalf("translate-toolkit cannot read %s: %v", out, err)
	}
	var pairs [][2]string
	if err := json.Unmarshal(b, &pairs); err != nil {
		t.Fatal(err)
	}
	if len(pairs) != len(us) {
		t.Errorf("translate-toolkit reads %d units in %s, want %d", len(pairs), out, len(us))
	}
	for _, p := range pairs {
		if p[0] == "" || p[1] == "" {
			t.Errorf("translate-toolkit reads %q → %q in %s", p[0], p[1], out)
		}
	}
}

// checkTSV: every row has its target.
func checkTSV(t *testing.T, in, out string, approve bool, sum translate.FileSummary, rs map[string]translate.Result) {
	us := readUnits(t, out, english, spanish)
	if len(us) != sum.Units {
		t.Errorf("%s: %d rows, want %d", out, len(us), sum.Units)
	}
	for _, u := range us {
		if u.Target.IsEmpty() {
			t.Errorf("%s: %q has no translation", out, u.Source.Plain())
		}
	}
}

// checkText: the translation has the paragraphs and blank lines of the
// input, and each sentence translated in its place.
func checkText(t *testing.T, in, out string, approve bool, sum translate.FileSummary, rs map[string]translate.Result) {
	inb, _ := os.ReadFile(in)
	outb, _ := os.ReadFile(out)
	shape := func(b []byte) []bool {
		var s []bool
		for _, l := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
			s = append(s, strings.TrimSpace(l) == "")
		}
		return s
	}
	if got, want := shape(outb), shape(inb); !slices.Equal(got, want) {
		t.Errorf("%s: blank lines %v, want the input's %v:\n%s", out, got, want, outb)
	}
	if sum.Units != 6 {
		t.Errorf("%s: %d sentences, want 6", in, sum.Units)
	}
	for src, r := range rs {
		if !bytes.Contains(outb, []byte(r.Translation)) {
			t.Errorf("%s: the translation %q of %q is not in it", out, r.Translation, src)
		}
	}
}

// readUnitsLenient reads the units of a document in any languages, or
// none if it cannot.
func readUnitsLenient(path string) []*corpora.Unit {
	f, err := formats.Open(path, formats.Options{ReadOptions: corpora.ReadOptions{Name: path}})
	if err != nil {
		return nil
	}
	defer f.Close()
	var us []*corpora.Unit
	for {
		u, err := f.Next()
		if err != nil {
			return us
		}
		us = append(us, u)
	}
}

// TestTranslateFileOtherLanguages translates a document that declares
// another language pair: an error that says so, not an empty copy.
func TestTranslateFileOtherLanguages(t *testing.T) {
	tr := translate.New(startModel(t, "memory"), nil, translate.Options{SourceLang: "en", TargetLang: "de"})
	in := filepath.Join("testdata", "docs", "ui-1.2.xlf") // en-US to es-ES
	out := filepath.Join(t.TempDir(), "out.xlf")
	_, err := tr.TranslateFile(context.Background(), translate.FileOptions{In: in, Out: out, SourceLang: english, TargetLang: language.German}, nil)
	if !errors.Is(err, corpora.ErrNotBilingual) {
		t.Errorf("TranslateFile(%s, en to de) = %v, want ErrNotBilingual", in, err)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("TranslateFile(%s, en to de) wrote %s", in, out)
	}
}

// TestTranslateFileTMXAddsTarget translates a TMX whose units have no
// Spanish yet: each should get one.
func TestTranslateFileTMXAddsTarget(t *testing.T) {
	tr := translate.New(startModel(t, "memory"), nil, translate.Options{SourceLang: "en", TargetLang: "es"})
	in := filepath.Join("testdata", "docs", "notes-untranslated.tmx")
	out := filepath.Join(t.TempDir(), "out.tmx")
	_, err := tr.TranslateFile(context.Background(), translate.FileOptions{In: in, Out: out, SourceLang: english, TargetLang: spanish}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if us := readUnits(t, out, english, spanish); len(us) != 3 {
		t.Errorf("%s: %d units with Spanish, want 3", out, len(us))
	}
}

// TestTranslateFileOmegaTXLIFF fills the shared OmegaT XLIFF 1.2 and 2.0
// samples: every byte outside targets and states stays, every unit the
// reader gives that had no target gets one (if it has an id to fill it
// by), and inline codes survive, with --retranslate too.
func TestTranslateFileOmegaTXLIFF(t *testing.T) {
	dir := testenv.SharedData(t, "formats", "omegat", "filters", "xliff")
	files, err := filepath.Glob(filepath.Join(dir, "*", "*.xl*"))
	if err != nil || len(files) < 10 {
		t.Fatalf("OmegaT XLIFF samples in %s: %v, %v", dir, files, err)
	}
	tr := translate.New(startModel(t, "memory"), nil, translate.Options{SourceLang: "en", TargetLang: "es"})
	for _, in := range files {
		for _, retranslate := range []bool{false, true} {
			name := filepath.Base(in)
			if retranslate {
				name += "/retranslate"
			}
			t.Run(name, func(t *testing.T) {
				out := filepath.Join(t.TempDir(), filepath.Base(in))
				// In the languages the file declares, if it does.
				from, to := english, spanish
				if us := readUnitsLenient(in); len(us) > 0 {
					if us[0].SourceLang != language.Und {
						from = us[0].SourceLang
					}
					if us[0].TargetLang != language.Und {
						to = us[0].TargetLang
					}
				}
				_, err := tr.TranslateFile(context.Background(), translate.FileOptions{In: in, Out: out, SourceLang: from, TargetLang: to, Retranslate: retranslate}, nil)
				if strings.Contains(in, "invalid-content") {
					var pe *corpora.ParseError
					if !errors.As(err, &pe) || pe.Line == 0 {
						t.Errorf("TranslateFile(%s) = %v, want a parse error with its line", in, err)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				inb, _ := os.ReadFile(in)
				outb, _ := os.ReadFile(out)
				if !sameOutsideTargets(inb, outb) {
					t.Errorf("%s: bytes outside the targets changed", out)
				}
				before := readUnits(t, in, language.Und, language.Und)
				after := readUnits(t, out, language.Und, language.Und)
				if len(after) != len(before) {
					t.Fatalf("%s: %d units, the input has %d", out, len(after), len(before))
				}
				for i, u := range after {
					b := before[i]
					if u.Source.Plain() != b.Source.Plain() {
						t.Errorf("%s: unit %d source %q, want %q", out, i, u.Source.Plain(), b.Source.Plain())
					}
					// Fill names units by id: one without is left as it is.
					if id, _ := u.Prop("xliff:unit"); id != "" && b.Target.IsEmpty() && u.Target.IsEmpty() && strings.TrimSpace(u.Source.Plain()) != "" {
						t.Errorf("%s: unit %d %q has no target", out, i, u.Source.Plain())
					}
					if id, _ := u.Prop("xliff:unit"); id != "" && (retranslate || b.Target.IsEmpty()) {
						if u.Target.IsEmpty() {
							continue
						}
						if got, want := codesOf(u.Target), codesOf(u.Source); !slices.Equal(got, want) {
							t.Errorf("%s: unit %d: codes of the target %v, want the source's %v", out, i, got, want)
						}
					} else if u.Target.Plain() != b.Target.Plain() {
						t.Errorf("%s: unit %d: kept target %q changed to %q", out, i, b.Target.Plain(), u.Target.Plain())
					}
				}
			})
		}
	}
}

// TestTranslateFileInPlace translates documents in place: the file keeps
// its permissions (a temporary file's 0600 must not replace a shared
// 0664 catalog), and a symbolic link to it stays a link.
func TestTranslateFileInPlace(t *testing.T) {
	tr := translate.New(startModel(t, "memory"), nil, translate.Options{SourceLang: "en", TargetLang: "es"})
	for _, name := range []string{"ui.po", "ui-1.2.xlf"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			data, err := os.ReadFile(filepath.Join("testdata", "docs", name))
			if err != nil {
				t.Fatal(err)
			}
			doc := filepath.Join(dir, name)
			if err := os.WriteFile(doc, data, 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(doc, 0o664); err != nil {
				t.Fatal(err)
			}
			link := filepath.Join(dir, "link-"+name)
			if err := os.Symlink(name, link); err != nil {
				t.Fatal(err)
			}
			for _, path := range []string{doc, link} {
				if _, err := tr.TranslateFile(context.Background(), translate.FileOptions{In: path, Out: path, SourceLang: english, TargetLang: spanish, Retranslate: true}, nil); err != nil {
					t.Fatal(err)
				}
			}
			if st, err := os.Stat(doc); err != nil || st.Mode().Perm() != 0o664 {
				t.Errorf("%s after translating in place: %v, %v; want -rw-rw-r--", name, st.Mode(), err)
			}
			if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
				t.Errorf("%s after translating through it: %v, %v; want a symbolic link", link, st.Mode(), err)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 2 {
				t.Errorf("%s holds %d entries, want the document and the link", dir, len(entries))
			}
			if us := readUnits(t, doc, english, spanish); len(us) == 0 || us[0].Target.IsEmpty() {
				t.Errorf("%s was not translated in place", doc)
			}
		})
	}
}

// TestTranslateFileXLIFFKeepsUnits translates an XLIFF whose units are
// approved but one, which repeats the id of an approved unit and has an
// empty target in language "xx": only that unit changes, and its target
// is in Spanish; every other unit stays byte for byte.
func TestTranslateFileXLIFFKeepsUnits(t *testing.T) {
	tr := translate.New(startModel(t, "memory"), nil, translate.Options{SourceLang: "en", TargetLang: "es"})
	in := filepath.Join("testdata", "docs", "kept-1.2.xlf")
	out := filepath.Join(t.TempDir(), "out.xlf")
	sum, err := tr.TranslateFile(context.Background(), translate.FileOptions{In: in, Out: out, SourceLang: english, TargetLang: spanish}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Translated != 1 {
		t.Errorf("translated %d units, want 1", sum.Translated)
	}
	inb, _ := os.ReadFile(in)
	outb, _ := os.ReadFile(out)
	units := regexp.MustCompile(`(?s)<trans-unit\b.*?</trans-unit>`)
	before, after := units.FindAllString(string(inb), -1), units.FindAllString(string(outb), -1)
	if len(before) != 4 || len(after) != 4 {
		t.Fatalf("%d units before, %d after", len(before), len(after))
	}
	for i := range before {
		if i != 1 && before[i] != after[i] {
			t.Errorf("unit %d changed:\n%s\nto\n%s", i, before[i], after[i])
		}
	}
	if !strings.Contains(after[1], `<target xml:lang="es" state=`) || strings.Contains(after[1], `"xx"`) {
		t.Errorf("the translated unit is\n%s\nwant its target in xml:lang=\"es\"", after[1])
	}
	if rest := units.ReplaceAllString(string(outb), ""); rest != units.ReplaceAllString(string(inb), "") {
		t.Errorf("bytes outside the units changed")
	}
}
