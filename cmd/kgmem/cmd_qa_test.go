package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kgmem/kgmem/internal/testenv"
)

// qaFixture writes a small catalog with one error (a lost placeholder)
// and one warning (a lost accelerator) into dir.
func qaFixture(t *testing.T, dir, name string) string {
	t.Helper()
	const po = `msgid ""
msgstr ""
"Language: es\n"
"Content-Type: text/plain; charset=UTF-8\n"

msgid "_File"
msgstr "Archivo"

#, c-format
msgid "Delete %s?"
msgstr "¿Eliminar?"

msgid "Open the file"
msgstr "Abrir el fichero"
`
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(po), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestQAExitCodes(t *testing.T) {
	dir := t.TempDir()
	po := qaFixture(t, dir, "es.po")
	clean := filepath.Join(dir, "clean.po")
	if err := os.WriteFile(clean, []byte("msgid \"\"\nmsgstr \"Language: es\\n\"\n\nmsgid \"Open\"\nmsgstr \"Abrir\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(dir, "broken.po")
	if err := os.WriteFile(broken, []byte("msgid \"a\nmsgstr \"b\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args    []string
		want    int
		wantErr string
	}{
		{[]string{"qa", clean}, exitOK, ""},
		{[]string{"qa", po}, exitFailure, "1 findings at or above error"},
		{[]string{"qa", "--fail-on", "warning", po}, exitFailure, "2 findings at or above warning"},
		{[]string{"qa", "--fail-on", "none", po}, exitOK, ""},
		{[]string{"qa", "--skip", "placeholders", po}, exitOK, ""},
		{[]string{"qa", "--checks", "accelerators", "--fail-on", "warning", po}, exitFailure, "1 findings"},
		{[]string{"qa"}, exitUsage, "at least one file"},
		{[]string{"qa", "--fail-on", "fatal", po}, exitUsage, "--fail-on"},
		{[]string{"qa", "--checks", "spelling", po}, exitUsage, `no check named "spelling"`},
		{[]string{"qa", po, "--json", "--fail-on", "nonsense"}, exitUsage, "--fail-on"}, // flags after the files are flags
		{[]string{"qa", filepath.Join(dir, "missing.po")}, exitBadInput, "missing.po"},
		{[]string{"qa", broken}, exitBadInput, "broken.po:1"},
		{[]string{"qa", "--terms", filepath.Join(dir, "missing.tbx"), po}, exitBadInput, "missing.tbx"},
		{[]string{"qa", filepath.Join(testenv.RepoRoot(t), "qa", "testdata", "terms.tbx")}, exitUsage, "--terms"},
	}
	for _, tt := range tests {
		code, _, stderr := kgmem(t, "", tt.args...)
		if code != tt.want {
			t.Errorf("kgmem %v: exit %d, want %d (stderr %q)", tt.args, code, tt.want, stderr)
		}
		if !strings.Contains(stderr, tt.wantErr) {
			t.Errorf("kgmem %v: stderr %q does not mention %q", tt.args, stderr, tt.wantErr)
		}
	}
}

func TestQAJSON(t *testing.T) {
	dir := t.TempDir()
	qaFixture(t, dir, "a.po")
	qaFixture(t, filepath.Join(dir), "b.po")
	// A term base and plain text in the directory are not translations:
	// left out.
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("Some text.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	terms := filepath.Join(testenv.RepoRoot(t), "qa", "testdata", "terms.tbx")
	code, stdout, stderr := kgmem(t, "", "--json", "qa", "--from", "en", "--to", "es", "--terms", terms, "--fail-on", "none", dir)
	if code != exitOK {
		t.Fatalf("kgmem qa --json: exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	checks := map[string]int{}
	for _, ln := range lines {
		var f struct {
			File     string `json:"file"`
			Line     int    `json:"line"`
			Unit     string `json:"unit"`
			Index    *int   `json:"index"`
			Check    string `json:"check"`
			Severity string `json:"severity"`
			Message  string `json:"message"`
			Hint     string `json:"hint"`
			Source   string `json:"source"`
			Target   string `json:"target"`
		}
		dec := json.NewDecoder(strings.NewReader(ln))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&f); err != nil {
			t.Fatalf("line %q is not a finding: %v", ln, err)
		}
		if f.File == "" || f.Line == 0 || f.Index == nil || f.Check == "" || f.Message == "" || f.Source == "" {
			t.Errorf("finding without its place or text: %q", ln)
		}
		if f.Severity != "error" && f.Severity != "warning" && f.Severity != "info" {
			t.Errorf("severity %q in %q", f.Severity, ln)
		}
		checks[f.Check]++
	}
	// Both files: placeholder, accelerator, the term, the forbidden term
	// and the end punctuation of each.
	for _, c := range []string{"placeholders", "accelerators", "terms", "forbidden-terms"} {
		if checks[c] != 2 {
			t.Errorf("%d %s findings in %s, want one per file:\n%s", checks[c], c, dir, stdout)
		}
	}
	if !strings.Contains(stderr, "in 6 units of 2 files") {
		t.Errorf("stderr %q does not count the units and files", stderr)
	}
}

func TestQAText(t *testing.T) {
	po := qaFixture(t, t.TempDir(), "es.po")
	code, stdout, _ := kgmem(t, "", "qa", "--min-severity", "error", po)
	if code != exitFailure {
		t.Errorf("exit %d, want %d", code, exitFailure)
	}
	want := po + ":9: error: placeholders: placeholder %s is missing (copy it from the source)\n"
	if stdout != want {
		t.Errorf("kgmem qa --min-severity error:\n%s\nwant\n%s", stdout, want)
	}
	code, stdout, _ = kgmem(t, "", "--json", "qa", "--list")
	var list []map[string]string
	if err := json.Unmarshal([]byte(stdout), &list); code != exitOK || err != nil || len(list) < 20 || list[0]["name"] == "" || list[0]["severity"] == "" {
		t.Errorf("kgmem --json qa --list: exit %d, %v: %s", code, err, stdout)
	}
}

// TestQAWithMemory checks against the data directory's memory: its term
// base (a deprecated translation used, a preferred one missing) and its
// exact matches (a translation that contradicts the memory).
func TestQAWithMemory(t *testing.T) {
	dir := demoGraph(t)
	po := filepath.Join(t.TempDir(), "es.po")
	os.WriteFile(po, []byte(`msgid ""
msgstr ""
"Language: es\n"
"Content-Type: text/plain; charset=UTF-8\n"

msgid "Open the notebook settings"
msgstr "Abra la configuración de la libreta"

msgid "Delete this notebook?"
msgstr "¿Desea borrar esta libreta?"
`), 0o644)
	code, out, stderr := kgmemIn(t, dir, "", "qa", "--json", "--from", "en", "--to", "es", po)
	if code != 1 {
		t.Fatalf("qa with the memory: exit %d, stderr %s", code, stderr)
	}
	checks := map[string]bool{}
	for _, f := range jsonLines[struct{ Check string }](t, out) {
		checks[f.Check] = true
	}
	for _, want := range []string{"forbidden-terms", "terms", "memory"} {
		if !checks[want] {
			t.Errorf("qa with the memory found %v, not %q:\n%s", checks, want, out)
		}
	}
	code, out, _ = kgmemIn(t, dir, "", "qa", "--json", "--no-memory", "--from", "en", "--to", "es", po)
	if strings.Contains(out, "forbidden-terms") {
		t.Errorf("qa --no-memory still used the memory's term base: exit %d\n%s", code, out)
	}
}
