package main

import (
	"github.com/kgmem/kgmem/memory"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestConfigFile(t *testing.T) {
	dir := t.TempDir()
	write := func(s string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, memory.ConfigFile), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if code, _, stderr := kgmemIn(t, dir, "", "init"); code != 0 {
		t.Fatalf("init: exit %d, stderr %q", code, stderr)
	}
	// The file's graph is the default of --graph: a store that is not
	// the directory's shows that it was read.
	write("# where the graph lives\ngraph = nosuch://here\n")
	code, _, stderr := kgmemIn(t, dir, "", "graph", "stats")
	if code == 0 || !strings.Contains(stderr, "nosuch://here") {
		t.Fatalf("graph stats with graph = nosuch://here: exit %d, stderr %q; want an error naming the store", code, stderr)
	}
	// The flag wins over the file.
	if code, _, stderr := kgmemIn(t, dir, "", "graph", "stats", "--graph", "embedded"); code != 0 {
		t.Fatalf("graph stats --graph embedded: exit %d, stderr %q", code, stderr)
	}
	// So does the environment.
	t.Setenv("KGMEM_GRAPH", "embedded")
	if code, _, stderr := kgmemIn(t, dir, "", "graph", "stats"); code != 0 {
		t.Fatalf("graph stats with KGMEM_GRAPH=embedded: exit %d, stderr %q", code, stderr)
	}

	for _, tt := range []struct{ file, want string }{
		{"graph embedded\n", "kgmem.conf:1"},
		{"model = memory\ngrpah = embedded\n", "kgmem.conf:2: no command has a --grpah flag"},
		{"min-match = high\n", "kgmem.conf:1: min-match = \"high\" is not a whole number"},
		{"from = en\nfrom = de\n", "kgmem.conf:2: from is already set on line 1"},
	} {
		write(tt.file)
		code, _, stderr := kgmemIn(t, dir, "", "graph", "stats")
		if code != exitBadInput || !strings.Contains(stderr, tt.want) {
			t.Errorf("config %q: exit %d, stderr %q; want exit %d and %q", tt.file, code, stderr, exitBadInput, tt.want)
		}
	}
}
