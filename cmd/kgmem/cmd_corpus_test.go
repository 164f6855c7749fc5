package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kgmem/kgmem/internal/testenv"
)

type statsJSON struct {
	Units   int `json:"units"`
	Skipped int `json:"skipped"`
	Pairs   []struct {
		Source, Target string
		Units          int
	} `json:"pairs"`
	Files []struct {
		File   string
		Format string
		Units  int
	} `json:"files"`
}

func TestCorpusStatsDemo(t *testing.T) {
	code, out, stderr := kgmem(t, "", "--json", "corpus", "stats", demoFile(t, "lumen.tmx"), demoFile(t, "glossary.tbx"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var st statsJSON
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatal(err)
	}
	if st.Units != 348+92 || len(st.Files) != 2 || st.Files[0].Format != "tmx" || st.Files[1].Format != "tbx" {
		t.Errorf("stats = %+v", st)
	}
	if len(st.Pairs) != 2 || st.Pairs[0].Source != "en-US" || st.Pairs[0].Target != "es-ES" || st.Pairs[0].Units != 348 {
		t.Errorf("pairs = %+v", st.Pairs)
	}
}

// TestConvertAndCount converts the first 3,071 Tatoeba pairs to every
// writable format and back, and counts them with corpus stats.
func TestConvertAndCount(t *testing.T) {
	src := testenv.SharedData(t, "tatoeba", "en-es.tsv")
	dir := t.TempDir()
	tsv := filepath.Join(dir, "pairs.tsv")
	f, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	b.WriteString("en\tes\n")
	sc := bufio.NewScanner(f)
	sources := map[string]bool{}
	for n := 0; n < 3071 && sc.Scan(); n++ {
		b.WriteString(sc.Text() + "\n")
		src, _, _ := strings.Cut(sc.Text(), "\t")
		sources[src] = true
	}
	if err := os.WriteFile(tsv, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, ext := range []string{"tmx", "po", "xlf", "csv"} {
		out := filepath.Join(dir, "pairs."+ext)
		code, _, stderr := kgmem(t, "", "corpus", "convert", "--from", "en", "--to", "es", tsv, out)
		if code != 0 {
			t.Fatalf("convert to %s: exit %d: %s", ext, code, stderr)
		}
		code, stdout, stderr := kgmem(t, "", "--json", "corpus", "stats", "--from", "en", "--to", "es", out)
		if code != 0 {
			t.Fatalf("stats %s: exit %d: %s", ext, code, stderr)
		}
		var st statsJSON
		if err := json.Unmarshal([]byte(stdout), &st); err != nil {
			t.Fatal(err)
		}
		want := 3071
		if ext == "po" {
			// gettext keys entries by msgid: Tatoeba gives some English
			// sentences several translations, which a catalog keeps once.
			want = len(sources)
		}
		if st.Units != want {
			t.Errorf("%s: corpus stats units = %d, want %d", ext, st.Units, want)
		}
		t.Logf("%s: %d units", ext, st.Units)
	}
}

func TestCorpusStatsHostile(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"empty.tmx":     "",
		"truncated.tmx": `<?xml version="1.0"?><tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>Hello`,
		"ragged.tsv":    "source\ttarget\na\tb\nonly-one-cell\n",
		"random.po":     "\x00\x01\x02garbage\xff\xfe",
		"bomb.tmx":      `<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>&b;</seg></tuv></tu></body></tmx>`,
		"deep.xlf":      `<xliff version="1.2">` + strings.Repeat("<g>", 300000),
	}
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		code, _, stderr := kgmem(t, "", "corpus", "stats", p)
		if code != exitBadInput {
			t.Errorf("%s: exit %d, want %d; stderr %q", name, code, exitBadInput, stderr)
		}
		if !strings.Contains(stderr, name) || strings.Contains(stderr, "panic") || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
			t.Errorf("%s: stderr is not one clear line naming the file: %q", name, stderr)
		}
	}
	// --lenient keeps the good rows of a ragged file and reports the skip.
	code, out, stderr := kgmem(t, "", "--json", "corpus", "stats", "--lenient", filepath.Join(dir, "ragged.tsv"))
	var st statsJSON
	if code != 0 || json.Unmarshal([]byte(out), &st) != nil || st.Units != 1 || st.Skipped != 1 || !strings.Contains(stderr, "ragged.tsv:3") {
		t.Errorf("lenient ragged.tsv: exit %d, out %s, stderr %q", code, out, stderr)
	}
}
