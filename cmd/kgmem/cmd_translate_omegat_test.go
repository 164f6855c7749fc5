package main

import (
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/formats"
	"github.com/kgmem/kgmem/internal/testenv"
	"github.com/kgmem/kgmem/project"
)

// omegatProject is an OmegaT project folder made from the shared format
// samples, English to Catalan.
type omegatProject struct {
	root string
	// exact are the sentences of source/messages.txt the project's memory
	// holds, with their Catalan.
	exact map[string]string
}

// makeOmegaTProject makes the project: omegat.project; source/ with two
// XLIFF samples (1.2, translated already; 2.0, not) and a text of
// sentences from the English–Catalan sample memory and two it lacks;
// tm/ with that memory and another; glossary/ with a sample glossary; and
// the omegat/ folder every project has.
func makeOmegaTProject(t *testing.T) *omegatProject {
	t.Helper()
	samples := testenv.SharedData(t, "formats", "omegat")
	p := &omegatProject{root: filepath.Join(t.TempDir(), "project"), exact: map[string]string{}}
	copyTo := func(from, to string) {
		b, err := os.ReadFile(filepath.Join(samples, from))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(p.root, to), string(b))
	}
	writeFile(t, filepath.Join(p.root, project.OmegaTProjectFile), `<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <source_dir_excludes>
      <mask>**/.svn/**</mask>
      <mask>**/Thumbs.db</mask>
    </source_dir_excludes>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>EN</source_lang>
    <target_lang>CA</target_lang>
    <source_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</source_tok>
    <target_tok>org.omegat.tokenizer.LuceneCatalanTokenizer</target_tok>
    <sentence_seg>true</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
`)
	copyTo("filters/xliff/filters4-xliff1/en-ca.xlf", "source/en-ca.xlf")
	copyTo("filters/xliff/filters4-xliff2/ex.9.5.xlf", "source/ex.9.5.xlf")
	copyTo("tmx/test-match-stat-en-ca.tmx", "tm/test-match-stat-en-ca.tmx")
	copyTo("tmx/en-ca.tmx", "tm/en-ca.tmx")
	copyTo("glossaries/test.tab", "glossary/test.tab")
	if err := os.MkdirAll(filepath.Join(p.root, "omegat"), 0o755); err != nil {
		t.Fatal(err)
	}
	// Sentences of the memory that are one plain sentence each.
	f, err := formats.Open(filepath.Join(samples, "tmx", "test-match-stat-en-ca.tmx"), formats.Options{ReadOptions: corpora.ReadOptions{
		SourceLang: language.English, TargetLang: corpora.MustParseLang("ca")}})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	plain := regexp.MustCompile(`^[A-Z][A-Za-z ,']+\.$`)
	var text strings.Builder
	for len(p.exact) < 6 {
		u, err := f.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		src := u.Source.Plain()
		if plain.MatchString(src) && len(strings.Fields(src)) >= 4 && p.exact[src] == "" {
			p.exact[src] = u.Target.Plain()
			text.WriteString(src + "\n")
			if len(p.exact)%2 == 0 {
				text.WriteString("\n")
			}
		}
	}
	if len(p.exact) < 6 {
		t.Fatalf("%d plain sentences in the sample memory", len(p.exact))
	}
	text.WriteString("The garden is full of flowers this spring.\n\nThe river runs quietly past the old mill.\n")
	writeFile(t, filepath.Join(p.root, "source", "messages.txt"), text.String())
	return p
}

// TestTranslateOmegaTProject pretranslates an OmegaT project folder made
// from the shared format samples: the project's languages are used, its
// memories and glossary go into the memory first, every source file gets
// its target, what came from the memory goes to tm/auto for OmegaT and
// the rest to tm/mt; a second run skips it all. Then OmegaT's console mode
// translates the project without an error, and its target text holds the
// memory's translations kgmem put in tm/auto.
func TestTranslateOmegaTProject(t *testing.T) {
	xmllint := testenv.Tool(t, "xmllint", "apt-get install libxml2-utils")
	bin, _ := pluginBins(t)
	p := makeOmegaTProject(t)
	data := t.TempDir()
	if code, _, stderr := runBin(t, bin, "", "--data-dir", data, "-q", "init", "--graph", "embedded"); code != exitOK {
		t.Fatalf("init: exit %d: %s", code, stderr)
	}
	args := []string{"--data-dir", data, "translate", "-m", "memory", "--in", p.root, "--in-place", "--json"}
	code, stdout, stderr := runBin(t, bin, "", args...)
	if code != exitOK {
		t.Fatalf("translate --in %s --in-place: exit %d: %s", p.root, code, stderr)
	}
	run := parseTreeJSON(t, stdout)
	t.Logf("translate --in %s --in-place --json:\n%s", p.root, stdout)
	if im := run.total.Imported; im == nil || im.Files != 3 || im.Units < 250 || im.Terms == 0 {
		t.Errorf("imported %+v, want the 2 memories and the glossary of the project", im)
	}
	byName := map[string]project.FileSummary{}
	for _, f := range run.files {
		byName[filepath.Base(f.Out)] = f
		if want := filepath.Join(p.root, "target", filepath.Base(f.Source)); f.Out != want || f.Layout != project.LayoutOmegaT {
			t.Errorf("%s → %s (%s), want %s", f.Source, f.Out, f.Layout, want)
		}
		if f.Action != project.DidTranslate {
			t.Errorf("%s: %s %s", f.Source, f.Action, f.Error)
		}
	}
	if len(byName) != 3 {
		t.Fatalf("%d files translated, want the 3 of source/: %+v", len(byName), run.files)
	}
	if f := byName["messages.txt"]; f.Units.Exact != len(p.exact) || f.Units.Total() != len(p.exact)+2 {
		t.Errorf("messages.txt: %+v, want its %d sentences of the memory exact, of %d", f.Units, len(p.exact), len(p.exact)+2)
	}
	if f := byName["en-ca.xlf"]; f.Units.Kept != 3 {
		t.Errorf("en-ca.xlf: %+v, want its 3 translations kept", f.Units)
	}
	for _, name := range []string{"en-ca.xlf", "ex.9.5.xlf"} {
		if out, err := exec.Command(xmllint, "--noout", filepath.Join(p.root, "target", name)).CombinedOutput(); err != nil {
			t.Errorf("xmllint --noout target/%s: %v\n%s", name, err, out)
		}
	}
	text, _ := os.ReadFile(filepath.Join(p.root, "target", "messages.txt"))
	auto := readTMXPairs(t, filepath.Join(p.root, "tm", filepath.FromSlash(project.OmegaTAutoTMX)))
	for src, ca := range p.exact {
		if !strings.Contains(string(text), ca) {
			t.Errorf("target/messages.txt lacks the memory's %q for %q:\n%s", ca, src, text)
		}
		if auto[src] != ca {
			t.Errorf("tm/auto: %q → %q, want the memory's %q", src, auto[src], ca)
		}
	}
	mt := readTMXPairs(t, filepath.Join(p.root, "tm", filepath.FromSlash(project.OmegaTMTTMX)))
	if len(auto) != len(p.exact) || len(mt) == 0 || mt["The garden is full of flowers this spring."] == "" {
		t.Errorf("tm/auto holds %d units, tm/mt %d; want the %d exact ones in auto and the rest in mt", len(auto), len(mt), len(p.exact))
	}

	// Again: nothing to do; what kgmem wrote for OmegaT stays.
	code, stdout, stderr = runBin(t, bin, "", args...)
	if code != exitOK {
		t.Fatalf("translate again: exit %d: %s", code, stderr)
	}
	if again := parseTreeJSON(t, stdout); again.total.Skipped != 3 {
		t.Errorf("second run: %+v, want the 3 files skipped", again.total)
	}
	if again := readTMXPairs(t, filepath.Join(p.root, "tm", filepath.FromSlash(project.OmegaTAutoTMX))); len(again) != len(auto) {
		t.Errorf("tm/auto holds %d units after a second run, %d before", len(again), len(auto))
	}
	// Languages that are not the project's are refused.
	code, _, stderr = runBin(t, bin, "", "--data-dir", data, "translate", "-m", "memory", "--from", "en", "--to", "fr", "--in", p.root, "--in-place")
	if code != exitUsage || !strings.Contains(stderr, "omegat.project") {
		t.Errorf("translate --to fr of a Catalan project: exit %d, %q; want %d naming omegat.project", code, stderr, exitUsage)
	}

	runOmegaT(t, p)
}

// runOmegaT opens the project in OmegaT's console mode, which translates
// it: it must finish without an error and write every target, and its
// target text must hold the memory's translations kgmem put in tm/auto.
func runOmegaT(t *testing.T, p *omegatProject) {
	omegat := testenv.Tool(t, "omegat", "apt-get install omegat")
	home := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	start := time.Now().Add(-time.Second)
	cmd := exec.CommandContext(ctx, omegat, p.root, "--mode=console-translate", "--config-dir="+filepath.Join(home, "omegat"))
	cmd.Dir = home
	cmd.Env = append(os.Environ(), "HOME="+home)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("omegat --mode=console-translate: %v\n%s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, "Error") || strings.Contains(line, "Exception") || strings.Contains(line, "SEVERE") {
			t.Errorf("omegat --mode=console-translate: %s", line)
		}
	}
	t.Logf("omegat %s --mode=console-translate (exit 0):\n%s", p.root, tailLines(string(out), 8))
	if !strings.Contains(string(out), "Translated documents created") {
		t.Errorf("omegat did not create the translated documents:\n%s", out)
	}
	for _, name := range []string{"en-ca.xlf", "ex.9.5.xlf", "messages.txt"} {
		st, err := os.Stat(filepath.Join(p.root, "target", name))
		if err != nil || st.ModTime().Before(start) {
			t.Errorf("omegat did not write target/%s: %v", name, err)
		}
	}
	text, _ := os.ReadFile(filepath.Join(p.root, "target", "messages.txt"))
	for src, ca := range p.exact {
		if !strings.Contains(string(text), ca) {
			t.Errorf("OmegaT's target/messages.txt lacks %q, the translation of %q kgmem put in tm/auto:\n%s", ca, src, text)
		}
	}
}

// readTMXPairs reads the English to Catalan pairs of a TMX by source.
func readTMXPairs(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := formats.Open(path, formats.Options{ReadOptions: corpora.ReadOptions{SourceLang: language.English, TargetLang: corpora.MustParseLang("ca")}})
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	defer f.Close()
	m := map[string]string{}
	for {
		u, err := f.Next()
		if err != nil {
			return m
		}
		m[u.Source.Plain()] = u.Target.Plain()
	}
}

// tailLines returns the last n lines of s.
func tailLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(len(lines)-n, 0):], "\n")
}
