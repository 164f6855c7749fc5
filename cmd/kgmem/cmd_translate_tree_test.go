package main

import (
	"bufio"
	"fmt"
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
	"github.com/kgmem/kgmem/internal/testenv"
	"github.com/kgmem/kgmem/project"
)

// devPair is a pair of the shared gettext development sets.
type devPair struct{ domain, source, target string }

// devPairs reads the shared gettext development sets: their pairs by
// domain, in order, one pair per source of a domain.
func devPairs(t *testing.T) map[string][]devPair {
	t.Helper()
	by := map[string][]devPair{}
	seen := map[[2]string]bool{}
	for _, name := range []string{"en-es.dev.tsv", "en-es.dev2.tsv"} {
		f, err := os.Open(testenv.SharedData(t, "gettext", name))
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for first := true; sc.Scan(); first = false {
			cols := strings.Split(sc.Text(), "\t")
			if first || len(cols) != 3 {
				continue
			}
			unescape := strings.NewReplacer(`\t`, "\t", `\n`, "\n", `\\`, `\`).Replace
			p := devPair{cols[0], unescape(cols[1]), unescape(cols[2])}
			if k := [2]string{p.domain, p.source}; !seen[k] && p.source != "" && p.target != "" {
				seen[k] = true
				by[p.domain] = append(by[p.domain], p)
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
	}
	return by
}

// poString writes s as a PO string.
func poString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\t", `\t`).Replace(s) + `"`
}

// writeCatalog writes pairs as a gettext template (lang "") or a catalog
// of a language whose first translated entries have their targets.
func writeCatalog(t *testing.T, path, lang string, pairs []devPair, translated int) {
	t.Helper()
	var b strings.Builder
	b.WriteString("msgid \"\"\nmsgstr \"\"\n\"Project-Id-Version: kgmem test tree\\n\"\n\"MIME-Version: 1.0\\n\"\n" +
		"\"Content-Type: text/plain; charset=UTF-8\\n\"\n\"Content-Transfer-Encoding: 8bit\\n\"\n")
	if lang == "" {
		b.WriteString("\"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n\"\n")
	} else {
		fmt.Fprintf(&b, "\"Language: %s\\n\"\n\"Plural-Forms: nplurals=2; plural=(n != 1);\\n\"\n", lang)
	}
	for i, p := range pairs {
		target := ""
		if i < translated {
			target = p.target
		}
		fmt.Fprintf(&b, "\nmsgid %s\nmsgstr %s\n", poString(p.source), poString(target))
	}
	// A plural entry, which the catalog gets every form of.
	b.WriteString("\n#, c-format\nmsgid \"%d item was found\"\nmsgid_plural \"%d items were found\"\nmsgstr[0] \"\"\nmsgstr[1] \"\"\n")
	writeFile(t, path, b.String())
}

// writeXLIFF writes pairs' sources as an XLIFF document to translate:
// version 1.2 or 2.0, in the source language only.
func writeXLIFF(t *testing.T, path, version string, pairs []devPair) {
	t.Helper()
	var b strings.Builder
	esc := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace
	if version == "1.2" {
		b.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\">\n" +
			"  <file original=\"" + filepath.Base(path) + "\" source-language=\"en\" datatype=\"plaintext\">\n    <body>\n")
		for i, p := range pairs {
			fmt.Fprintf(&b, "      <trans-unit id=\"u%d\"><source>%s</source></trans-unit>\n", i+1, esc(p.source))
		}
		b.WriteString("    </body>\n  </file>\n</xliff>\n")
	} else {
		b.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" version=\"2.0\" srcLang=\"en\">\n  <file id=\"f1\">\n")
		for i, p := range pairs {
			fmt.Fprintf(&b, "    <unit id=\"u%d\">\n      <segment><source>%s</source></segment>\n    </unit>\n", i+1, esc(p.source))
		}
		b.WriteString("  </file>\n</xliff>\n")
	}
	writeFile(t, path, b.String())
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// devTree is a tree of translation files made from the shared
// development sets, split per domain, with the outputs a translation into
// Spanish must make.
type devTree struct {
	in      string
	outputs map[string][]devPair // output path relative to the output tree → the pairs of its units
	kept    map[string]int       // output → units translated in the input tree
	memory  map[string]bool      // the sources the memory holds
}

// makeDevTree builds the tree: GNOME domains as GNU po/ directories with
// a template (gtk30's with a Spanish catalog half translated, and a French
// one to leave alone), GIMP domains as locale/DOMAIN.pot with
// locale/LL/LC_MESSAGES, LibreOffice modules as XLIFF 1.2 to be named
// MODULE.es.xlf, KDE domains as XLIFF 2.0 under en/ to go under es/.
func makeDevTree(t *testing.T, per int) *devTree {
	t.Helper()
	by := devPairs(t)
	tr := &devTree{in: filepath.Join(t.TempDir(), "tree"), outputs: map[string][]devPair{}, kept: map[string]int{}, memory: map[string]bool{}}
	take := func(dom string, n int) []devPair {
		ps := by[dom]
		if len(ps) > n {
			ps = ps[:n]
		}
		return ps
	}
	plural := devPair{source: "%d item was found"}
	for _, dom := range []string{"gtk30", "gtk30-properties", "gnome-control-center-2.0"} {
		ps := take(dom, per)
		writeCatalog(t, filepath.Join(tr.in, "gnome", dom, "po", dom+".pot"), "", ps, 0)
		out := filepath.Join("gnome", dom, "po", "es.po")
		tr.outputs[out] = append(ps, plural)
		if dom == "gtk30" {
			writeCatalog(t, filepath.Join(tr.in, out), "es", ps, len(ps)/2)
			tr.kept[out] = len(ps) / 2
			writeCatalog(t, filepath.Join(tr.in, "gnome", dom, "po", "fr.po"), "fr", ps[:3], 0)
		}
	}
	for _, dom := range []string{"gimp20-python", "gimp20-script-fu", "gimp20-std-plug-ins"} {
		ps := take(dom, per)
		writeCatalog(t, filepath.Join(tr.in, "gimp", "locale", dom+".pot"), "", ps, 0)
		tr.outputs[filepath.Join("gimp", "locale", "es", "LC_MESSAGES", dom+".po")] = append(ps, plural)
	}
	var modules, kde []string
	for dom, ps := range by {
		switch {
		case len(ps) >= 40 && slices.Contains([]string{"chart", "cui", "dba", "sd", "svx", "svt", "sfx", "sm", "sca", "pcr"}, dom):
			modules = append(modules, dom)
		case strings.HasPrefix(dom, "kcm") && len(ps) >= 15:
			kde = append(kde, dom)
		}
	}
	for _, dom := range modules {
		ps := take(dom, per/3)
		writeXLIFF(t, filepath.Join(tr.in, "libreoffice", dom+".xlf"), "1.2", ps)
		tr.outputs[filepath.Join("libreoffice", dom+".es.xlf")] = ps
	}
	for _, dom := range kde {
		ps := take(dom, per/3)
		writeXLIFF(t, filepath.Join(tr.in, "kde", "en", dom+".xlf"), "2.0", ps)
		tr.outputs[filepath.Join("kde", "es", dom+".xlf")] = ps
	}
	if len(modules) < 5 || len(kde) < 3 {
		t.Fatalf("the development sets gave %d LibreOffice modules and %d KDE domains", len(modules), len(kde))
	}
	// The memory holds every seventh pair of each output.
	for _, ps := range tr.outputs {
		for i, p := range ps {
			if i%7 == 3 && p.target != "" {
				tr.memory[p.source] = true
			}
		}
	}
	return tr
}

// memoryOf builds a data directory whose memory holds the tree's memory
// pairs (with the demo's term base).
func (tr *devTree) memoryOf(t *testing.T, bin string) string {
	t.Helper()
	dir := t.TempDir()
	var b strings.Builder
	seen := map[string]bool{}
	for _, ps := range tr.outputs {
		for _, p := range ps {
			if tr.memory[p.source] && !seen[p.source] {
				seen[p.source] = true
				fmt.Fprintf(&b, "%s\t%s\n", strings.NewReplacer(`\`, `\\`, "\t", `\t`, "\n", `\n`).Replace(p.source),
					strings.NewReplacer(`\`, `\\`, "\t", `\t`, "\n", `\n`).Replace(p.target))
			}
		}
	}
	mem := filepath.Join(t.TempDir(), "memory.tsv")
	writeFile(t, mem, b.String())
	demo := filepath.Join(testenv.RepoRoot(t), "corpora", "demo", "glossary.tbx")
	code, _, stderr := runBin(t, bin, "", "--data-dir", dir, "-q", "build-graph", "--graph", "embedded", "--from", "en", "--to", "es", "--terms", demo, mem)
	if code != exitOK {
		t.Fatalf("build-graph: exit %d: %s", code, stderr)
	}
	return dir
}

// treeRun is what translate --json prints for a tree.
type treeRun struct {
	files []project.FileSummary
	total project.Total
}

func parseTreeJSON(t *testing.T, out string) treeRun {
	t.Helper()
	type line struct {
		project.FileSummary
		Total *project.Total `json:"total"`
	}
	lines := jsonLines[line](t, out)
	if len(lines) == 0 || lines[len(lines)-1].Total == nil {
		t.Fatalf("translate --json --in DIR: no total last:\n%s", out)
	}
	var r treeRun
	for _, l := range lines[:len(lines)-1] {
		r.files = append(r.files, l.FileSummary)
	}
	r.total = *lines[len(lines)-1].Total
	return r
}

// readOutput reads an output's units in English to Spanish.
func readOutput(t *testing.T, path string) []*corpora.Unit {
	t.Helper()
	f, err := formats.Open(path, formats.Options{ReadOptions: corpora.ReadOptions{Name: path,
		SourceLang: language.English, TargetLang: language.Spanish, Untranslated: true}})
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	defer f.Close()
	var us []*corpora.Unit
	for {
		u, err := f.Next()
		if err != nil {
			break
		}
		us = append(us, u)
	}
	return us
}

// TestTranslateTree pretranslates a tree of the shared development
// catalogs split per domain (gettext po/ with templates, locale/, XLIFF
// 1.2 per language by name, XLIFF 2.0 per language by directory) in one
// command, and checks the layout of the outputs, that each file's summary
// says what its output holds and the total sums them, that msgfmt --check
// passes on every catalog and xmllint on every XLIFF, that a second run
// skips everything and --retranslate does not.
func TestTranslateTree(t *testing.T) {
	msgfmt := testenv.Tool(t, "msgfmt", "apt-get install gettext")
	xmllint := testenv.Tool(t, "xmllint", "apt-get install libxml2-utils")
	bin, _ := pluginBins(t)
	tr := makeDevTree(t, 60)
	data := tr.memoryOf(t, bin)
	out := filepath.Join(t.TempDir(), "out")
	args := []string{"--data-dir", data, "translate", "-m", "memory", "--from", "en", "--to", "es", "--in", tr.in, "--out", out}

	code, stdout, stderr := runBin(t, bin, "", append(args, "--json")...)
	if code != exitOK {
		t.Fatalf("translate --in %s: exit %d: %s", tr.in, code, stderr)
	}
	run := parseTreeJSON(t, stdout)
	if len(run.files) != len(tr.outputs) {
		t.Errorf("%d files translated, want %d", len(run.files), len(tr.outputs))
	}
	var total project.Counts
	var words int
	for _, f := range run.files {
		rel, _ := filepath.Rel(out, f.Out)
		pairs, ok := tr.outputs[rel]
		if !ok {
			t.Errorf("%s is not where the layout puts a translation", f.Out)
			continue
		}
		delete(tr.outputs, rel)
		addCounts(&total, f.Units)
		words += f.Words.Total()
		checkTreeOutput(t, f, pairs, tr, rel, msgfmt, xmllint)
	}
	for rel := range tr.outputs {
		t.Errorf("no translation %s", rel)
	}
	if run.total.Units != total || run.total.Words.Total() != words || run.total.Files != len(run.files) || run.total.Ignored != 1 ||
		run.total.Translated+run.total.Updated != run.total.Files {
		t.Errorf("total %+v, want the files' units %+v and %d words, %d files translated, 1 left alone (fr.po)", run.total, total, words, len(run.files))
	}

	// The table for people says the same, in a tree of its own.
	tableArgs := slices.Clone(args)
	tableArgs[len(tableArgs)-1] = filepath.Join(t.TempDir(), "table")
	code, stdout, stderr = runBin(t, bin, "", tableArgs...)
	u := run.total.Units
	wantTotal := fmt.Sprintf("total  %d  files  %d  %d  %d  %d  %d  %d  %d", run.total.Files, u.Total(), u.Exact, u.Fuzzy, u.Machine, u.Kept, run.total.Words.Total(), u.Problems)
	if code != exitOK || !strings.Contains(strings.Join(strings.Fields(stdout), "  "), wantTotal) {
		t.Errorf("translate as a table: exit %d, %s\nwant a total like the JSON's: %s\n%s", code, stderr, wantTotal, stdout)
	}
	t.Logf("translate --in %s --out %s:\n%s", tr.in, tableArgs[len(tableArgs)-1], stdout)

	// Again: everything is translated, nothing changes.
	before := snapshot(t, out)
	code, stdout, stderr = runBin(t, bin, "", append(args, "--json")...)
	if code != exitOK {
		t.Fatalf("translate again: exit %d: %s", code, stderr)
	}
	again := parseTreeJSON(t, stdout)
	if again.total.Skipped != len(run.files) || again.total.Units.Kept != total.Total() || again.total.Units.Total() != total.Total() {
		t.Errorf("second run: %+v, want all %d files skipped and their %d units kept", again.total, len(run.files), total.Total())
	}
	if after := snapshot(t, out); !maps2Equal(before, after) {
		t.Errorf("the second run changed the outputs")
	}
	// The table for people says the same.
	code, stdout, _ = runBin(t, bin, "", args...)
	if code != exitOK || !strings.Contains(stdout, fmt.Sprintf("0 translated, 0 updated, %d skipped", len(run.files))) {
		t.Errorf("translate again, as a table: exit %d\n%s", code, stdout)
	}

	// --retranslate: every file, every unit.
	code, stdout, stderr = runBin(t, bin, "", append(args, "--json", "--retranslate")...)
	if code != exitOK {
		t.Fatalf("translate --retranslate: exit %d: %s", code, stderr)
	}
	re := parseTreeJSON(t, stdout)
	if re.total.Translated != len(run.files) || re.total.Units.Kept != 0 || re.total.Units.Total() != total.Total() {
		t.Errorf("--retranslate: %+v, want all %d files translated, nothing kept", re.total, len(run.files))
	}
}

func addCounts(c *project.Counts, d project.Counts) {
	c.Exact += d.Exact
	c.Fuzzy += d.Fuzzy
	c.Machine += d.Machine
	c.Kept += d.Kept
	c.Problems += d.Problems
}

// checkTreeOutput checks one output of the tree against its summary and
// the independent tools.
func checkTreeOutput(t *testing.T, f project.FileSummary, pairs []devPair, tr *devTree, rel, msgfmt, xmllint string) {
	t.Helper()
	us := readOutput(t, f.Out)
	b, err := os.ReadFile(f.Out)
	if err != nil {
		t.Fatal(err)
	}
	if f.Units.Total() != len(us) || len(us) != len(pairs) {
		t.Errorf("%s: the summary says %d units, the file holds %d, the source %d", rel, f.Units.Total(), len(us), len(pairs))
	}
	words, inMemory := 0, 0
	for i, p := range pairs {
		words += corpora.CountWords(p.source)
		if strings.Contains(p.source, "%d item") {
			words += corpora.CountWords("%d items were found")
		}
		if tr.memory[p.source] && i >= tr.kept[rel] {
			inMemory++
		}
	}
	if f.Words.Total() != words {
		t.Errorf("%s: %d source words in the summary, %d in the file", rel, f.Words.Total(), words)
	}
	if f.Units.Kept != tr.kept[rel] || f.Units.Exact != inMemory {
		t.Errorf("%s: %d kept and %d exact, want %d kept and the %d the memory holds exact", rel, f.Units.Kept, f.Units.Exact, tr.kept[rel], inMemory)
	}
	for _, u := range us {
		if u.Target.IsEmpty() {
			t.Errorf("%s: %q has no translation", rel, u.Source.Plain())
		}
	}
	switch filepath.Ext(f.Out) {
	case ".po":
		if out, err := exec.Command(msgfmt, "--check", "-o", os.DevNull, f.Out).CombinedOutput(); err != nil {
			t.Errorf("msgfmt --check %s: %v\n%s", f.Out, err, out)
		}
		fuzzy := strings.Count(string(b), "\n#, fuzzy")
		marked := len(regexp.MustCompile(`(?m)^# kgmem qa: .*\n(?:#[^\n]*\n)*#, fuzzy`).FindAllString(string(b), -1))
		machine := f.Units.Fuzzy + f.Units.Machine
		if fuzzy < machine || fuzzy > machine+f.Units.Problems || marked != f.Units.Problems {
			t.Errorf("%s: %d fuzzy entries, %d marked by kgmem qa; the summary has %d fuzzy or machine, %d with problems", rel, fuzzy, marked, machine, f.Units.Problems)
		}
	case ".xlf":
		if out, err := exec.Command(xmllint, "--noout", f.Out).CombinedOutput(); err != nil {
			t.Errorf("xmllint --noout %s: %v\n%s", f.Out, err, out)
		}
		if n := strings.Count(string(b), `"kgmem-qa"`); n != f.Units.Problems {
			t.Errorf("%s: %d notes of kgmem-qa, the summary has %d units with problems", rel, n, f.Units.Problems)
		}
	}
}

// snapshot returns the content of every file under dir.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err == nil && info.Mode().IsRegular() {
			b, _ := os.ReadFile(path)
			m[path] = string(b)
		}
		return nil
	})
	return m
}

func maps2Equal(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestTranslateStreams checks "-" as translate's input and output: a
// document read from stdin (its format told by its content or by
// --format) and written to stdout; and what is refused, with what to do.
func TestTranslateStreams(t *testing.T) {
	msgfmt := testenv.Tool(t, "msgfmt", "apt-get install gettext")
	bin, _ := pluginBins(t)
	data := t.TempDir()
	catalog, err := os.ReadFile(filepath.Join(testenv.RepoRoot(t), "corpora", "demo", "sample.po"))
	if err != nil {
		t.Fatal(err)
	}
	base := []string{"--data-dir", data, "translate", "--no-tm", "--no-kg", "-m", "memory", "--from", "en", "--to", "es"}

	// A catalog from stdin to stdout: a catalog msgfmt accepts, and
	// nothing else on stdout.
	code, stdout, stderr := runBin(t, bin, string(catalog), append(base, "--in", "-", "--out", "-")...)
	if code != exitOK {
		t.Fatalf("translate --in - --out -: exit %d: %s", code, stderr)
	}
	po := filepath.Join(t.TempDir(), "out.po")
	writeFile(t, po, stdout)
	if out, err := exec.Command(msgfmt, "--check", "-o", os.DevNull, po).CombinedOutput(); err != nil {
		t.Errorf("msgfmt --check of translate's stdout: %v\n%s\n%s", err, out, stdout)
	}
	if !strings.HasPrefix(stdout, "# Spanish translation of Lumen Notes") || strings.Count(stdout, "msgid ") < 20 {
		t.Errorf("translate --in - --out - wrote:\n%.500s", stdout)
	}
	// A file to stdout, in the input's format.
	doc := filepath.Join(t.TempDir(), "help.txt")
	writeFile(t, doc, "Open the file.\n\nClose the window.\n")
	code, stdout, stderr = runBin(t, bin, "", append(base, "--in", doc, "--out", "-")...)
	if code != exitOK || strings.Count(stdout, "\n\n") != 1 {
		t.Errorf("translate --in help.txt --out -: exit %d, stdout %q, stderr %s", code, stdout, stderr)
	}
	// Text on stdin needs --format; with it, it is translated.
	out := filepath.Join(t.TempDir(), "out.txt")
	code, _, stderr = runBin(t, bin, "Open the file.\n", append(base, "--in", "-", "--out", out)...)
	if code != exitBadInput || !strings.Contains(stderr, "--format") {
		t.Errorf("text on stdin without --format: exit %d, %q; want %d naming --format", code, stderr, exitBadInput)
	}
	code, _, stderr = runBin(t, bin, "Open the file.\n", append(base, "--in", "-", "--format", "text", "--out", out)...)
	if b, _ := os.ReadFile(out); code != exitOK || len(b) == 0 {
		t.Errorf("text on stdin with --format text: exit %d, %s, wrote %q", code, stderr, b)
	}
	// Refused, with what to do.
	tree := t.TempDir()
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--in", doc, "--out", "-", "--json"}, "--json and --out -"},
		{[]string{"--in", tree}, "--out DIR"},
		{[]string{"--in", tree, "--out", "-"}, "--out DIR"},
		{[]string{"--in", "-", "--in-place"}, "--out -"},
		{[]string{"--in", doc, "--out", out, "--include", "*.txt"}, "--in DIR"},
		{[]string{"--in", tree, "--out", doc}, "is a file"},
		{[]string{"--in", tree, "--in-place", "--include", "a**"}, "**"},
	} {
		code, _, stderr := runBin(t, bin, "", append(base, tt.args...)...)
		if code != exitUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("translate %v: exit %d, %q; want %d saying %s", tt.args, code, stderr, exitUsage, tt.want)
		}
	}
}
