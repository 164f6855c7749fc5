package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kgmem/kgmem/internal/testenv"
	"github.com/kgmem/kgmem/memory"
)

// writeFiles writes the files into a temporary directory and returns
// their paths by name.
func writeFiles(t *testing.T, files map[string]string) map[string]string {
	t.Helper()
	dir := t.TempDir()
	paths := make(map[string]string)
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		paths[name] = p
	}
	return paths
}

// The example of sacreBLEU's README, whose scores sacreBLEU publishes.
var dogFiles = map[string]string{
	"hyp.txt":   "The dog bit the man.\nIt wasn't surprising.\nThe man had just bitten him.\n",
	"ref1.txt":  "The dog bit the man.\nIt was not unexpected.\nThe man bit him first.\n",
	"ref2.txt":  "The dog had bit the man.\nNo one was surprised.\nThe man had bitten the dog.\n",
	"src.txt":   "Der Hund biss den Mann.\nEs war nicht überraschend.\nDer Mann hatte ihn gerade gebissen.\n",
	"terms.tsv": "source\ttarget\nHund\tdog\nMann\tman\nüberraschend\tsurprising\n",
}

func TestEvalScoreJSON(t *testing.T) {
	p := writeFiles(t, dogFiles)
	code, stdout, stderr := kgmem(t, "", "eval", "score", "--hyp", p["hyp.txt"], "--ref", p["ref1.txt"], "--ref", p["ref2.txt"], "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep struct {
		Segments, References    int
		BLEU, ChrF, ChrFPP, TER float64
		TermAccuracy            *float64 `json:"term_accuracy"`
		Details                 struct {
			BLEU struct {
				Precisions []float64
				BP         float64
				HypLen     int `json:"hyp_len"`
				RefLen     int `json:"ref_len"`
				Signature  string
			}
		}
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("%v: %s", err, stdout)
	}
	if rep.Segments != 3 || rep.References != 2 || f2(rep.BLEU) != "48.53" || f2(rep.ChrF) != "59.73" ||
		f2(rep.ChrFPP) != "59.15" || f2(rep.TER) != "40.00" {
		t.Errorf("scores = %+v", rep)
	}
	b := rep.Details.BLEU
	if len(b.Precisions) != 4 || f2(b.BP) != "0.94" || b.HypLen != 17 || b.RefLen != 18 || !strings.HasPrefix(b.Signature, "nrefs:2|") {
		t.Errorf("BLEU details = %+v", b)
	}
	if strings.Contains(stdout, "term_accuracy") || strings.Contains(stdout, "placeholder_accuracy") {
		t.Errorf("term and placeholder keys without --terms/--src: %s", stdout)
	}
}

func f2(x float64) string { return fmt.Sprintf("%.2f", x) }

func TestEvalScoreTermsAndPlaceholders(t *testing.T) {
	files := map[string]string{}
	for k, v := range dogFiles {
		files[k] = v
	}
	files["hyp.txt"] = "The dog bit the man.\nIt wasn't unexpected.\nThe guy had just bitten him.\n"
	p := writeFiles(t, files)
	code, stdout, stderr := kgmem(t, "", "eval", "score", "--hyp", p["hyp.txt"], "--ref", p["ref1.txt"],
		"--src", p["src.txt"], "--terms", p["terms.tsv"], "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep map[string]any
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	// Mann occurs in segments 1 and 3 with "man" in the reference; the
	// third hypothesis says "guy". Hund: segment 1. überraschend: the
	// reference says "unexpected", so it is not counted.
	if v, _ := rep["term_accuracy"].(float64); f2(v) != "66.67" {
		t.Errorf("term_accuracy = %v, want 66.67", rep["term_accuracy"])
	}
	if rep["term_consistency"] != 0.0 {
		t.Errorf("term_consistency = %v, want 0 (Mann: man, then nothing)", rep["term_consistency"])
	}
	if v, ok := rep["placeholder_accuracy"]; !ok || v != nil {
		t.Errorf("placeholder_accuracy = %v, want null (no placeholders in the source)", v)
	}

	code, stdout, stderr = kgmem(t, "", "eval", "score", "--hyp", p["hyp.txt"], "--ref", p["ref1.txt"],
		"--src", p["src.txt"], "--terms", p["terms.tsv"])
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	wantPrefixes := []string{"BLEU|nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|", "chrF2|nrefs:1|", "chrF2++|nrefs:1|", "TER|nrefs:1|case:lc|",
		"term accuracy = 66.67 (2 of 3", "term consistency = 0.00 (0 of 1", "placeholder accuracy = n/a (0 of 0"}
	if len(lines) != len(wantPrefixes) {
		t.Fatalf("text output:\n%s", stdout)
	}
	for i, w := range wantPrefixes {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("line %d = %q, want prefix %q", i+1, lines[i], w)
		}
	}
}

// dogTBX is terms.tsv of dogFiles as a TBX term base, with a deprecated
// English term for Mann that must not count as its translation.
const dogTBX = `<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="de" xmlns="urn:iso:std:iso:30042:ed-2">
  <tbxHeader><fileDesc><sourceDesc><p>test</p></sourceDesc></fileDesc></tbxHeader>
  <text><body>
    <conceptEntry id="1">
      <langSec xml:lang="de"><termSec><term>Hund</term></termSec></langSec>
      <langSec xml:lang="en"><termSec><term>dog</term></termSec></langSec>
    </conceptEntry>
    <conceptEntry id="2">
      <langSec xml:lang="de"><termSec><term>Mann</term></termSec></langSec>
      <langSec xml:lang="en">
        <termSec><term>man</term></termSec>
        <termSec><term>guy</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termSec>
      </langSec>
    </conceptEntry>
    <conceptEntry id="3">
      <langSec xml:lang="de"><termSec><term>überraschend</term></termSec></langSec>
      <langSec xml:lang="en"><termSec><term>surprising</term></termSec></langSec>
    </conceptEntry>
    <conceptEntry id="4">
      <langSec xml:lang="de"><termSec><term>Katze</term></termSec></langSec>
    </conceptEntry>
  </body></text>
</tbx>
`

// TestEvalScoreTermsTBX scores with the term list as a TBX term base: the
// same figures as with the TSV list.
func TestEvalScoreTermsTBX(t *testing.T) {
	files := map[string]string{"terms.tbx": dogTBX}
	for k, v := range dogFiles {
		files[k] = v
	}
	files["hyp.txt"] = "The dog bit the man.\nIt wasn't unexpected.\nThe guy had just bitten him.\n"
	p := writeFiles(t, files)
	score := func(terms string, args ...string) map[string]any {
		t.Helper()
		code, stdout, stderr := kgmem(t, "", append([]string{"eval", "score", "--hyp", p["hyp.txt"], "--ref", p["ref1.txt"],
			"--src", p["src.txt"], "--terms", p[terms], "--json"}, args...)...)
		if code != exitOK {
			t.Fatalf("--terms %s: exit %d: %s", terms, code, stderr)
		}
		var rep map[string]any
		if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
			t.Fatal(err)
		}
		return rep
	}
	tsv, tbx := score("terms.tsv"), score("terms.tbx", "--from", "de", "--to", "en")
	if f2(tbx["term_accuracy"].(float64)) != "66.67" || tbx["term_accuracy"] != tsv["term_accuracy"] || tbx["term_consistency"] != tsv["term_consistency"] {
		t.Errorf("TBX: term accuracy %v, consistency %v; TSV: %v, %v (want 66.67 for both)",
			tbx["term_accuracy"], tbx["term_consistency"], tsv["term_accuracy"], tsv["term_consistency"])
	}
	code, _, stderr := kgmem(t, "", "eval", "score", "--hyp", p["hyp.txt"], "--ref", p["ref1.txt"], "--src", p["src.txt"], "--terms", p["terms.tbx"])
	if code != exitUsage || !strings.Contains(stderr, "give --from and --to") {
		t.Errorf("TBX without --from/--to: exit %d, %s", code, stderr)
	}
	code, _, stderr = kgmem(t, "", "eval", "score", "--hyp", p["hyp.txt"], "--ref", p["ref1.txt"], "--src", p["src.txt"], "--terms", p["terms.tbx"], "--from", "de", "--to", "fr")
	if code != exitBadInput || !strings.Contains(stderr, "terms.tbx: no concept with terms in both de and fr") {
		t.Errorf("TBX without the target language: exit %d, %s", code, stderr)
	}
}

func TestEvalScoreErrors(t *testing.T) {
	p := writeFiles(t, map[string]string{
		"hyp.txt":   "a\nb\nc\n",
		"short.txt": "a\nb\n",
		"blank.txt": "a\n\nc\n",
		"empty.txt": "",
		"bad.tsv":   "just one column\n",
	})
	tests := []struct {
		args     []string
		code     int
		messages []string
	}{
		{[]string{"--ref", p["hyp.txt"]}, exitUsage, []string{"needs --hyp FILE and --ref FILE"}},
		{[]string{"--no-such-flag", "x"}, exitUsage, []string{"flag provided but not defined", "kgmem eval score --help"}},
		{[]string{"--hyp", p["hyp.txt"]}, exitUsage, []string{"needs --hyp FILE and --ref FILE"}},
		{[]string{"--hyp", p["hyp.txt"], "--ref", p["hyp.txt"], "--terms", p["bad.tsv"]}, exitUsage, []string{"--terms needs --src"}},
		{[]string{"--hyp", p["hyp.txt"], "--ref", p["hyp.txt"], "--tokenize", "moses"}, exitUsage, []string{"--tokenize"}},
		{[]string{"--hyp", p["hyp.txt"], "--ref", p["hyp.txt"], "extra"}, exitUsage, []string{"takes no arguments"}},
		{[]string{"--hyp", p["hyp.txt"], "--ref", p["short.txt"]}, exitBadInput,
			[]string{"short.txt: has 2 lines but", "hyp.txt has 3", "aligned line by line"}},
		{[]string{"--hyp", p["hyp.txt"], "--ref", p["hyp.txt"], "--src", p["short.txt"]}, exitBadInput, []string{"short.txt: has 2 lines"}},
		{[]string{"--hyp", p["hyp.txt"], "--ref", p["blank.txt"]}, exitBadInput, []string{"blank.txt:2: segment has no reference"}},
		{[]string{"--hyp", p["empty.txt"], "--ref", p["hyp.txt"]}, exitBadInput, []string{"empty.txt: file is empty"}},
		{[]string{"--hyp", p["hyp.txt"], "--ref", p["hyp.txt"], "--src", p["hyp.txt"], "--terms", p["bad.tsv"]}, exitBadInput,
			[]string{"bad.tsv:1: want a source and a target column", "a term list is TBX, TSV"}},
		{[]string{"--hyp", p["hyp.txt"], "--ref", filepath.Join(t.TempDir(), "missing.txt")}, exitFailure, []string{"missing.txt"}},
	}
	for _, tt := range tests {
		code, _, stderr := kgmem(t, "", append([]string{"eval", "score"}, tt.args...)...)
		if code != tt.code {
			t.Errorf("eval score %v: exit %d, want %d (%s)", tt.args, code, tt.code, stderr)
		}
		for _, m := range tt.messages {
			if !strings.Contains(stderr, m) {
				t.Errorf("eval score %v: stderr %q does not say %q", tt.args, stderr, m)
			}
		}
		if strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
			t.Errorf("eval score %v: error is not one line: %q", tt.args, stderr)
		}
	}
}

// TestEvalTerms: `eval terms` scores the demo memory's learned term
// translations against a list; a list term it has not learned is left
// out, and arguments or a missing list are usage errors.
func TestEvalTerms(t *testing.T) {
	dir := t.TempDir() // the demo memory without its glossary: every translation learned
	tmx := filepath.Join(testenv.RepoRoot(t), "corpora", "demo", "lumen.tmx")
	if code, _, stderr := kgmemAt(t, dir, "", "-q", "build-graph", tmx); code != exitOK {
		t.Fatalf("build-graph: exit %d: %s", code, stderr)
	}
	list := filepath.Join(t.TempDir(), "terms.tsv")
	if err := os.WriteFile(list, []byte("notebook\tcuaderno\nnote\tapunte\nzebra\tcebra\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := kgmemAt(t, dir, "", "eval", "terms", "--json", "--from", "en", "--to", "es", "--terms", list)
	if code != exitOK {
		t.Fatalf("eval terms: exit %d: %s", code, stderr)
	}
	var p memory.TermPrecision
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatal(err)
	}
	// The demo's pairs teach notebook → cuaderno and note → nota.
	if p.Terms != 3 || p.Learned != 2 || p.Right != 1 || len(p.Misses) != 1 || p.Misses[0].Learned != "nota" {
		t.Errorf("eval terms = %+v; want 3 terms, 2 learned, 1 right, note → nota missed", p)
	}
	for _, args := range [][]string{{"eval", "terms", "--terms", list, "x"}, {"eval", "terms", "--from", "en", "--to", "es"}} {
		if code, _, stderr := kgmemAt(t, dir, "", args...); code != exitUsage {
			t.Errorf("%v: exit %d, want a usage error (%s)", args, code, stderr)
		}
	}
}
