package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/kgmem/kgmem/fusion"
	"github.com/kgmem/kgmem/internal/testenv"
	"github.com/kgmem/kgmem/translate"
)

// translateJSON runs `kgmem translate --json` with the kgmem binary (its
// models are subprocesses of it) on a data directory, and parses the
// results.
func translateJSON(t *testing.T, bin, dataDir string, args ...string) []translation {
	t.Helper()
	code, out, stderr := runBin(t, bin, "", append([]string{"--data-dir", dataDir, "translate", "--json"}, args...)...)
	if code != exitOK {
		t.Fatalf("translate %v: exit %d: %s", args, code, stderr)
	}
	return jsonLines[translation](t, out)
}

// jsonLines parses output of one JSON object a line.
func jsonLines[T any](t *testing.T, out string) []T {
	t.Helper()
	var rs []T
	dec := json.NewDecoder(strings.NewReader(out))
	for dec.More() {
		var r T
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("JSON lines: %v\n%s", err, out)
		}
		rs = append(rs, r)
	}
	if n := strings.Count(out, "\n"); n != len(rs) {
		t.Fatalf("%d JSON values on %d lines: not one a line\n%s", len(rs), n, out)
	}
	return rs
}

// termTarget returns the translation the memory required for a source
// term of a result, or "".
func termTarget(r translation, source string) string {
	if r.Memory == nil {
		return ""
	}
	for _, tm := range r.Memory.Terms {
		if tm.Source == source && tm.Required {
			return tm.Target
		}
	}
	return ""
}

// TestTranslateMemoryPipeline translates through model subprocesses
// (built-in memory and apertium) against a graph built by build-graph, and
// checks the statuses, the provenance of what the memory gave, and the
// checks, with and without the memories (--no-tm, --no-kg).
func TestTranslateMemoryPipeline(t *testing.T) {
	bin, _ := pluginBins(t)
	dir := demoGraph(t)
	const (
		exact   = "Delete Note"
		machine = "Export the notebook as a PDF file right now please"
		ph      = `Could not sync the notebook "%s".`
		fuzzy   = "When you delete a folder, it is moved to the Trash with all of its files."
	)
	for _, model := range []string{"memory", "apertium"} {
		t.Run(model, func(t *testing.T) {
			if model == "apertium" {
				testenv.Tool(t, "apertium", "apt-get install apertium apertium-eng-spa")
			}
			rs := translateJSON(t, bin, dir, "-m", model, "--from", "en", "--to", "es", exact, machine, ph, fuzzy)
			if len(rs) != 4 {
				t.Fatalf("translate gave %d results, want 4", len(rs))
			}
			// A 100 % match is used as it is, with its origin.
			if r := rs[0]; r.Status != translate.StatusExact || r.Translation != "Eliminar nota" || r.Score != 100 || r.ID != "1" {
				t.Errorf("%q = %q (%s %d, id %q), want the memory's Eliminar nota, exact", exact, r.Translation, r.Status, r.Score, r.ID)
			} else if m := r.Memory.Matches; len(m) == 0 || !strings.HasSuffix(m[0].Origin, "lumen.tmx#ui-060") || m[0].Weight <= 0 {
				t.Errorf("%q: matches %+v, want lumen.tmx#ui-060 first, weighted", exact, m)
			}
			// No close match: the model translates, with the term base's
			// preferred translations as required terms.
			r := rs[1]
			if r.Status != translate.StatusMachine || r.Score != 0 {
				t.Errorf("%q: status %s %d, want machine", machine, r.Status, r.Score)
			}
			for term, want := range map[string]string{"notebook": "cuaderno", "file": "archivo"} {
				if got := termTarget(r, term); got != want {
					t.Errorf("%q: required term %s → %q, want %q", machine, term, got, want)
				}
			}
			if r.Checks.TermsRequired < 2 || !r.Checks.PlaceholdersIntact {
				t.Errorf("%q: checks %+v", machine, r.Checks)
			}
			if model == "memory" && (r.Checks.TermsUsed != r.Checks.TermsRequired || !strings.Contains(r.Translation, "cuaderno")) {
				t.Errorf("%q = %q, checks %+v: the memory model puts every required term in", machine, r.Translation, r.Checks)
			}
			if !slices.ContainsFunc(r.Memory.Explanation, func(d fusion.Decision) bool { return !d.Kept && strings.Contains(d.Reason, "deprecated") }) {
				t.Errorf("%q: the explanation does not say the deprecated translations of notebook were dropped: %+v", machine, r.Memory.Explanation)
			}
			// Placeholders come back.
			if r := rs[2]; !strings.Contains(r.Translation, "%s") || strings.Count(r.Translation, "%s") != 1 || !r.Checks.PlaceholdersIntact {
				t.Errorf("%q = %q, checks %+v", ph, r.Translation, r.Checks)
			}

			// A close match: fuzzy, with its score, and the match passed on.
			if r := rs[3]; r.Status != translate.StatusFuzzy || r.Score < 70 || r.Score >= 100 || r.Label() != fmt.Sprintf("fuzzy %d %%", r.Score) {
				t.Errorf("%q: %s (score %d), want fuzzy from 70 to 99", fuzzy, r.Label(), r.Score)
			} else if m := r.Memory.Matches; len(m) == 0 || m[0].Score != r.Score || !strings.Contains(m[0].Origin, "lumen.tmx#") {
				t.Errorf("%q: matches %+v, want the best one first, scored %d, from lumen.tmx", fuzzy, m, r.Score)
			}

			// Without the memories: no match, no term, all machine.
			rs = translateJSON(t, bin, dir, "-m", model, "--from", "en", "--to", "es", "--no-tm", "--no-kg", exact, machine)
			for _, r := range rs {
				if r.Status != translate.StatusMachine || r.Memory == nil || len(r.Memory.Matches)+len(r.Memory.Terms) != 0 {
					t.Errorf("--no-tm --no-kg: %q = %q (%s), memory %+v; want machine, no memory", r.Source, r.Translation, r.Status, r.Memory)
				}
			}
			// Without the knowledge graph only: the match stays, the terms go.
			rs = translateJSON(t, bin, dir, "-m", model, "--from", "en", "--to", "es", "--no-kg", exact, machine)
			if rs[0].Status != translate.StatusExact || termTarget(rs[1], "notebook") != "" {
				t.Errorf("--no-kg: %q is %s, terms of %q %+v; want exact and no term", exact, rs[0].Status, machine, rs[1].Memory.Terms)
			}
		})
	}
}

// TestTranslateExternalPlugin translates with the example model, a
// third-party binary found in --plugin-dir and admitted through the trust
// store: it gets the memory's term constraints and puts them in.
func TestTranslateExternalPlugin(t *testing.T) {
	bin, echo := pluginBins(t)
	dir := demoGraph(t)
	plugins := t.TempDir()
	model := filepath.Join(plugins, "kgmem-model-echo")
	b, err := os.ReadFile(echo)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(model, b, 0o755); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runBin(t, bin, "", "--data-dir", dir, "plugins", "trust", "--plugin-dir", plugins, model); code != exitOK {
		t.Fatalf("plugins trust: exit %d: %s", code, stderr)
	}
	rs := translateJSON(t, bin, dir, "-m", "echo", "--plugin-dir", plugins, "--from", "en", "--to", "es",
		"Rename the notebook quickly now", "Delete Note")
	if len(rs) != 2 {
		t.Fatalf("translate -m echo gave %d results", len(rs))
	}
	if r := rs[0]; r.Status != translate.StatusMachine || !strings.Contains(r.Translation, "cuaderno") || r.Checks.TermsUsed != r.Checks.TermsRequired || r.Checks.TermsRequired == 0 {
		t.Errorf("echo: %q = %q (%s), checks %+v; want the term base's cuaderno put in", r.Source, r.Translation, r.Status, r.Checks)
	}
	if r := rs[1]; r.Status != translate.StatusExact || r.Translation != "Eliminar nota" {
		t.Errorf("echo: %q = %q (%s); an exact match does not need the model", r.Source, r.Translation, r.Status)
	}
}

// fileSummary is what translate --json --in/--out prints: a line per
// segment, then a summary line.
type fileSummary struct {
	translate.FileSummary
	Out      string `json:"out"`
	Segments []translation
}

// parseFileJSON reads the output of translate --json --in.
func parseFileJSON(t *testing.T, out string) fileSummary {
	t.Helper()
	type line struct {
		translation
		Summary *fileSummary `json:"summary"`
	}
	lines := jsonLines[line](t, out)
	if len(lines) == 0 || lines[len(lines)-1].Summary == nil {
		t.Fatalf("translate --json --in: no summary line last:\n%s", out)
	}
	sum := *lines[len(lines)-1].Summary
	for _, l := range lines[:len(lines)-1] {
		if l.Summary != nil {
			t.Fatalf("translate --json --in: a summary before the last line:\n%s", out)
		}
		sum.Segments = append(sum.Segments, l.translation)
	}
	return sum
}

// TestTranslateDocuments translates a document of each format with
// --in/--out, and has the output read back by kgmem and by independent
// tools: msgfmt --check for PO, translate-toolkit's xliff2po for XLIFF.
func TestTranslateDocuments(t *testing.T) {
	bin, _ := pluginBins(t)
	dir := demoGraph(t)
	work := t.TempDir()
	// A TMX and a TSV whose targets are to be translated again, an XLIFF
	// with a target to keep, and the demo's catalog and help page.
	files := map[string]string{
		"notes.tmx": `<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="t" creationtoolversion="1" datatype="plaintext" segtype="sentence" adminlang="en" srclang="en" o-tmf="t"/>
<body>
<tu tuid="a"><tuv xml:lang="en"><seg>Delete Note</seg></tuv><tuv xml:lang="es"><seg>Borrar</seg></tuv></tu>
<tu tuid="b"><tuv xml:lang="en"><seg>Rename the folder</seg></tuv><tuv xml:lang="es"><seg>x</seg></tuv></tu>
</body></tmx>
`,
		"ui.tsv": "Delete Note\t\nRename the folder\t\n",
		"ui.xlf": `<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="ui" source-language="en" target-language="es" datatype="plaintext">
    <body>
      <trans-unit id="1"><source>Delete Note</source></trans-unit>
      <trans-unit id="2"><source>Open the <g id="b">notebook</g> %s</source></trans-unit>
      <trans-unit id="3"><source>Settings</source><target>Ajustes</target></trans-unit>
    </body>
  </file>
</xliff>
`,
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(work, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		in, out   string
		args      []string
		units     int
		translate int
		exact     int
		format    string
	}{
		{demoFile(t, "sample.po"), "sample.es.po", nil, 26, 21, 0, "po"},
		{demoFile(t, "sample.po"), "sample.approved.po", []string{"--approve"}, 26, 21, 0, "po"},
		{demoFile(t, "sample.txt"), "sample.es.txt", nil, 21, 21, 7, "text"},
		{filepath.Join(work, "notes.tmx"), "notes.es.tmx", []string{"--retranslate"}, 2, 2, 1, "tmx"},
		{filepath.Join(work, "ui.tsv"), "ui.es.tsv", nil, 2, 2, 1, "tsv"},
		{filepath.Join(work, "ui.xlf"), "ui.es.xlf", nil, 3, 2, 1, "xliff"},
	}
	for _, tt := range tests {
		t.Run(tt.out, func(t *testing.T) {
			out := filepath.Join(work, tt.out)
			args := append([]string{"-m", "memory", "--from", "en", "--to", "es"}, tt.args...)
			code, stdout, stderr := runBin(t, bin, "", append([]string{"--data-dir", dir, "translate", "--json", "--in", tt.in, "--out", out}, args...)...)
			if code != exitOK {
				t.Fatalf("translate --in %s: exit %d: %s", tt.in, code, stderr)
			}
			sum := parseFileJSON(t, stdout)
			if sum.Units != tt.units || sum.Translated != tt.translate || sum.Format != tt.format || sum.Out != out || len(sum.Segments) != tt.translate {
				t.Errorf("translate --in %s = units %d translated %d format %s out %s, %d segments; want %d, %d, %s, %s",
					tt.in, sum.Units, sum.Translated, sum.Format, sum.Out, len(sum.Segments), tt.units, tt.translate, tt.format, out)
			}
			if tt.exact > 0 && sum.ByStatus["exact"] < tt.exact {
				t.Errorf("translate --in %s: %v, want at least %d exact", tt.in, sum.ByStatus, tt.exact)
			}
			if tt.format == "text" && sum.ByStatus["fuzzy"] < 5 {
				// The demo page has 7 sentences one or two words away from the memory's.
				t.Errorf("translate --in %s: %v, want at least 5 fuzzy", tt.in, sum.ByStatus)
			}
			for _, r := range sum.Segments {
				if r.Translation == "" || !r.Checks.PlaceholdersIntact {
					t.Errorf("translate --in %s: %q → %q, checks %+v", tt.in, r.Source, r.Translation, r.Checks)
				}
			}
			outb, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			// Read back by kgmem: every unit has a target now.
			code, stats, stderr := runBin(t, bin, "", "--data-dir", dir, "corpus", "stats", "--json", "--from", "en", "--to", "es", out)
			if code != exitOK || !strings.Contains(stats, `"units": `) {
				t.Errorf("corpus stats %s: exit %d: %s%s", out, code, stats, stderr)
			}
			switch tt.format {
			case "po":
				msgfmt := testenv.Tool(t, "msgfmt", "apt-get install gettext")
				if b, err := exec.Command(msgfmt, "--check", "-o", os.DevNull, out).CombinedOutput(); err != nil {
					t.Errorf("msgfmt --check %s: %v\n%s", out, err, b)
				}
				fuzzy := strings.Count(string(outb), "#, fuzzy")
				if slices.Contains(tt.args, "--approve") {
					// Only the entry that was fuzzy in the input stays so,
					// and those the checks marked for review.
					marked := len(regexp.MustCompile(`(?m)^# kgmem qa: .*\n(?:#[^\n]*\n)*#, fuzzy`).FindAllString(string(outb), -1))
					if fuzzy != 1+marked {
						t.Errorf("%s: %d fuzzy entries, want 1 (the input's) and the %d marked by kgmem qa with --approve:\n%s", out, fuzzy, marked, outb)
					}
				} else if fuzzy < 10 {
					t.Errorf("%s: %d fuzzy entries; machine output must be fuzzy", out, fuzzy)
				}
				if !strings.Contains(string(outb), "Project-Id-Version: Lumen Notes 4.2") || !strings.Contains(string(outb), "# Spanish translation of Lumen Notes 4.2") {
					t.Errorf("%s lost the catalog's header:\n%.600s", out, outb)
				}
			case "xliff":
				xliff2po := testenv.Tool(t, "xliff2po", "apt-get install translate-toolkit")
				po := filepath.Join(t.TempDir(), "out.po")
				if b, err := exec.Command(xliff2po, "-i", out, "-o", po).CombinedOutput(); err != nil {
					t.Fatalf("xliff2po %s: %v\n%s", out, err, b)
				}
				pob, _ := os.ReadFile(po)
				for _, want := range []string{`msgstr "Eliminar nota"`, `msgstr "Ajustes"`} {
					if !strings.Contains(string(pob), want) {
						t.Errorf("xliff2po of %s has no %s:\n%s", out, want, pob)
					}
				}
				if !strings.Contains(string(outb), `<g id="b">`) || strings.Count(string(outb), "%s") != 2 {
					t.Errorf("%s lost the inline code or the placeholder:\n%s", out, outb)
				}
			case "text":
				inb, _ := os.ReadFile(tt.in)
				if got, want := strings.Count(string(outb), "\n\n"), strings.Count(string(inb), "\n\n"); got != want {
					t.Errorf("%s has %d paragraph breaks, want %d", out, got, want)
				}
			}
		})
	}

	// An unreadable document exits 3; --in without --out is a usage error.
	bad := filepath.Join(work, "bad.tmx")
	os.WriteFile(bad, []byte("<tmx><body><tu>"), 0o644)
	if code, _, stderr := runBin(t, bin, "", "--data-dir", dir, "translate", "-m", "memory", "--from", "en", "--to", "es", "--in", bad, "--out", bad+".out.tmx"); code != exitBadInput {
		t.Errorf("translate --in %s: exit %d (%s), want %d", bad, code, stderr, exitBadInput)
	}
	if code, _, _ := runBin(t, bin, "", "--data-dir", dir, "translate", "-m", "memory", "--from", "en", "--to", "es", "--in", bad); code != exitUsage {
		t.Errorf("translate --in without --out: exit %d, want %d", code, exitUsage)
	}
	// A document in another language pair is refused, not copied untranslated.
	code, _, stderr := runBin(t, bin, "", "--data-dir", dir, "translate", "-m", "memory", "--from", "en", "--to", "de", "--in", filepath.Join(work, "ui.xlf"), "--out", filepath.Join(work, "ui.de.xlf"))
	if code != exitBadInput || !strings.Contains(stderr, "--from and --to") {
		t.Errorf("translate an en-es XLIFF to de: exit %d, %q; want %d saying to check --from and --to", code, stderr, exitBadInput)
	}
}

// TestTranslateLearnFlag checks that `translate --learn` learns only what
// is approved: exact matches, or everything with --approve.
func TestTranslateLearnFlag(t *testing.T) {
	bin, _ := pluginBins(t)
	dir := demoGraph(t)
	const novel = "The quarterly report lives in the archive notebook."
	args := []string{"-m", "memory", "--from", "en", "--to", "es"}

	rs := translateJSON(t, bin, dir, append(args, "--learn", "Delete Note", novel)...)
	if rs[0].Status != translate.StatusExact || rs[1].Status != translate.StatusMachine {
		t.Fatalf("translate --learn: statuses %s, %s; want exact, machine", rs[0].Status, rs[1].Status)
	}
	first := rs[1].Translation
	// The machine translation was not learned: still no match.
	if rs := translateJSON(t, bin, dir, append(args, novel)...); rs[0].Status != translate.StatusMachine {
		t.Errorf("after translate --learn, %q is %s: machine output was learned without --approve", novel, rs[0].Status)
	}
	// With --approve it is, and the next translate finds it.
	translateJSON(t, bin, dir, append(args, "--learn", "--approve", novel)...)
	if rs := translateJSON(t, bin, dir, append(args, novel)...); rs[0].Status != translate.StatusExact || rs[0].Translation != first {
		t.Errorf("after translate --learn --approve, %q = %q (%s), want %q exact", novel, rs[0].Translation, rs[0].Status, first)
	}
}

// TestTranslatePipeline checks what a pipeline relies on: --json answers
// a line of stdin before the next one is written (JSON lines, in order);
// a file named as text is refused, not translated as its path; text that
// is not UTF-8 is a usage error that says where.
func TestTranslatePipeline(t *testing.T) {
	bin, _ := pluginBins(t)
	cmd := exec.Command(bin, "--data-dir", t.TempDir(), "translate", "--no-tm", "--no-kg", "--json", "-m", "memory", "--from", "en", "--to", "es")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	dec := json.NewDecoder(stdout)
	for _, line := range []string{"Hello", "World"} {
		io.WriteString(stdin, line+"\n") // stdin stays open
		var r translation
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("no JSON line for %q while stdin is open: %v", line, err)
		}
		if r.Source != line {
			t.Errorf("answer for %q is about %q", line, r.Source)
		}
	}
	stdin.Close()

	file := filepath.Join(t.TempDir(), "ui.po")
	os.WriteFile(file, []byte("msgid \"a\"\nmsgstr \"\"\n"), 0o644)
	code, out, stderr := runBin(t, bin, "", "--data-dir", t.TempDir(), "translate", "--no-tm", "--no-kg", "-m", "memory", "--from", "en", "--to", "es", file)
	if code != exitUsage || out != "" || !strings.Contains(stderr, "is a file: translate it with --in") {
		t.Errorf("translate FILE: exit %d, stdout %q, stderr %q; want a usage error naming --in", code, out, stderr)
	}
	code, _, stderr = runBin(t, bin, "Good\nbad \xff line\n", "--data-dir", t.TempDir(), "translate", "--no-tm", "--no-kg", "-m", "memory", "--from", "en", "--to", "es")
	if code != exitUsage || !strings.Contains(stderr, "stdin, line 2: not valid UTF-8 (at byte 4)") {
		t.Errorf("translate of bad UTF-8: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = runBin(t, bin, "", "--data-dir", t.TempDir(), "translate", "--no-tm", "--no-kg", "-m", "memory", "--from", "en", "--to", "es", "ok", "b\xffd")
	if code != exitUsage || !strings.Contains(stderr, "argument 2: not valid UTF-8") {
		t.Errorf("translate of a bad UTF-8 argument: exit %d, stderr %q", code, stderr)
	}
}

// TestTranslateContextKey builds a memory from the demo catalog and
// translates the catalog with it: the verb "Tag" (msgctxt verb) has only
// the noun's translation in the memory, which is then a fuzzy match,
// marked fuzzy, not an exact one.
func TestTranslateContextKey(t *testing.T) {
	t.Setenv("KGMEM_GRAPH", "embedded")
	dir := t.TempDir()
	po := filepath.Join(testenv.RepoRoot(t), "corpora", "demo", "sample.po")
	if code, _, stderr := kgmemAt(t, dir, "", "-q", "build-graph", po); code != exitOK {
		t.Fatalf("build-graph: exit %d: %s", code, stderr)
	}
	bin, _ := pluginBins(t)
	out := filepath.Join(t.TempDir(), "out.po")
	if code, _, stderr := runBin(t, bin, "", "--data-dir", dir, "-q", "translate", "-m", "memory", "--from", "en", "--to", "es", "--in", po, "--out", out); code != exitOK {
		t.Fatalf("translate: exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(b), "msgctxt \"verb\"\nmsgid \"Tag\"")
	if i < 0 {
		t.Fatalf("no verb Tag in the translated catalog:\n%s", b)
	}
	entry := string(b)[strings.LastIndex(string(b[:i]), "\n\n")+2 : i]
	if !strings.Contains(entry, "#, fuzzy") {
		t.Errorf("the verb Tag, translated from the noun's entry, is not marked fuzzy:\n%s", string(b)[i-len(entry):i+60])
	}
}

// TestTranslateCallTimeout: --call-timeout bounds each model call, and
// the error says so.
func TestTranslateCallTimeout(t *testing.T) {
	bin, _ := pluginBins(t)
	dir := demoGraph(t)
	code, _, stderr := runBin(t, bin, "", "--data-dir", dir, "translate", "-m", "memory", "--from", "en", "--to", "es", "--call-timeout", "1ns", "Open the notebook now please")
	if code == exitOK || !strings.Contains(stderr, "did not answer in time within 1ns") {
		t.Errorf("translate --call-timeout 1ns: exit %d, %s", code, stderr)
	}
}

// TestTranslateRegister: --register chooses how Apertium's Spanish
// addresses the reader (formal by default); another value is a usage
// error.
func TestTranslateRegister(t *testing.T) {
	testenv.Tool(t, "apertium", "apt-get install apertium apertium-eng-spa")
	bin, _ := pluginBins(t)
	dir := demoGraph(t)
	for _, tc := range []struct{ register, want string }{
		{"", "Seleccione la velocidad."}, {"formal", "Seleccione la velocidad."}, {"informal", "Selecciona la velocidad."},
	} {
		// Without the memory, whose learned terms would be put in.
		args := []string{"--data-dir", dir, "-q", "translate", "-m", "apertium", "--from", "en", "--to", "es", "--no-tm", "--no-kg", "Select the speed."}
		if tc.register != "" {
			args = append(args, "--register", tc.register)
		}
		code, stdout, stderr := runBin(t, bin, "", args...)
		if code != exitOK || strings.TrimSpace(stdout) != tc.want {
			t.Errorf("translate --register %q: exit %d, %q (%s), want %q", tc.register, code, stdout, stderr, tc.want)
		}
	}
	if code, _, stderr := runBin(t, bin, "", "--data-dir", dir, "translate", "-m", "apertium", "--from", "en", "--to", "es", "--register", "polite", "x"); code != exitUsage || !strings.Contains(stderr, "formal or informal") {
		t.Errorf("--register polite: exit %d, %s", code, stderr)
	}
}

// translation is one line of `translate --json`.
type translation = translate.Result
