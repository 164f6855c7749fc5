package formats

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
)

// TestCreateOverExisting writes over an existing 0664 file through a
// symbolic link: the link stays, the file gets the units and keeps its
// permissions.
func TestCreateOverExisting(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "memory.tmx")
	if err := os.WriteFile(target, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(target, 0o664); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "current.tmx")
	if err := os.Symlink("memory.tmx", link); err != nil {
		t.Fatal(err)
	}
	o, err := Create(link, WriteOptions{SourceLang: language.English, TargetLang: language.Spanish})
	if err != nil {
		t.Fatal(err)
	}
	if err := o.Write(&corpora.Unit{Source: corpora.Text("Open"), Target: corpora.Text("Abrir")}); err != nil {
		t.Fatal(err)
	}
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("%s is %v (%v) after writing through it, want a symbolic link", link, st.Mode(), err)
	}
	if st, err := os.Stat(target); err != nil || st.Mode().Perm() != 0o664 {
		t.Errorf("%s is %v (%v), want -rw-rw-r--", target, st.Mode(), err)
	}
	if us := readAll(t, target, language.English, language.Spanish, false); len(us) != 1 || us[0].Target.Plain() != "Abrir" {
		t.Errorf("%s holds %d units, want the one written", target, len(us))
	}
}
