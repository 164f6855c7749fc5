package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/formats"
	"github.com/kgmem/kgmem/internal/testenv"
)

// TestExportReadByOmegaT exports the demo memory as TMX and gives it to
// OmegaT as a project's automatic memory (tm/auto): OmegaT's console mode
// must translate every sentence of the memory with the exported
// translation, as many as kgmem wrote.
func TestExportReadByOmegaT(t *testing.T) {
	omegat := testenv.Tool(t, "omegat", "apt-get install omegat")
	dir := demoGraph(t)
	root := filepath.Join(t.TempDir(), "project")
	exported := filepath.Join(root, "tm", "auto", "kgmem.tmx")
	if err := os.MkdirAll(filepath.Dir(exported), 0o755); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := kgmemAt(t, dir, "", "export", exported); code != exitOK {
		t.Fatalf("export: exit %d: %s", code, stderr)
	}
	// The exported pairs whose source OmegaT takes as one sentence of
	// plain text, each on a line of its own.
	f, err := formats.Open(exported, formats.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pairs := map[string]string{}
	var lines []string
	written := 0
	err = corpora.Each(context.Background(), f, func(u *corpora.Unit) error {
		written++
		src, tgt := u.Source.Plain(), u.Target.Plain()
		if strings.ContainsAny(src, ".?!:_&<>\n") || strings.ContainsAny(tgt, "_&\n") || pairs[src] != "" {
			return nil
		}
		pairs[src] = tgt
		lines = append(lines, src)
		return nil
	})
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if written != 345 || len(pairs) < 50 {
		t.Fatalf("the export holds %d units (%d plain sentences), want the demo memory's 345", written, len(pairs))
	}
	writeFile(t, filepath.Join(root, "omegat.project"), `<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>EN-US</source_lang>
    <target_lang>ES-ES</target_lang>
    <source_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</source_tok>
    <target_tok>org.omegat.tokenizer.LuceneSpanishTokenizer</target_tok>
    <sentence_seg>true</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
`)
	writeFile(t, filepath.Join(root, "source", "ui.txt"), strings.Join(lines, "\n\n")+"\n")
	for _, d := range []string{"omegat", "target", "glossary", "dictionary"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	home := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, omegat, root, "--mode=console-translate", "--config-dir="+filepath.Join(home, "omegat"))
	cmd.Dir, cmd.Env = home, append(os.Environ(), "HOME="+home)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("omegat --mode=console-translate: %v\n%s", err, out)
	}
	b, err := os.ReadFile(filepath.Join(root, "target", "ui.txt"))
	if err != nil {
		t.Fatalf("OmegaT wrote no target: %v", err)
	}
	got := strings.Split(strings.TrimSpace(string(b)), "\n\n")
	translated := 0
	for i, src := range lines {
		if i < len(got) && got[i] == pairs[src] {
			translated++
		} else if i < len(got) {
			t.Errorf("OmegaT translated %q as %q, the export says %q", src, got[i], pairs[src])
		}
	}
	t.Logf("OmegaT translated %d sentences with the exported memory", translated)
	if translated != len(lines) {
		t.Errorf("OmegaT used %d of the %d exported translations", translated, len(lines))
	}
}
