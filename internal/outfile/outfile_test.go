//go:build unix

package outfile

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func write(t *testing.T, path, content string) *File {
	t.Helper()
	o, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(o, content); err != nil {
		t.Fatal(err)
	}
	return o
}

func commit(t *testing.T, path, content string) {
	t.Helper()
	if err := write(t, path, content).Commit(); err != nil {
		t.Fatal(err)
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// onlyFiles fails when dir holds more than the named entries (a temporary
// file left behind).
func onlyFiles(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	if len(entries) != len(names) {
		var got []string
		for _, e := range entries {
			got = append(got, e.Name())
		}
		t.Errorf("%s holds %v, want %v", dir, got, names)
	}
}

func umask() fs.FileMode {
	m := syscall.Umask(0)
	syscall.Umask(m)
	return fs.FileMode(m)
}

// TestNewFile: a new file gets the permissions any new file gets (0666
// less the umask), not a temporary file's 0600.
func TestNewFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.tmx")
	commit(t, path, "new")
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := 0o666 &^ umask(); st.Mode().Perm() != want {
		t.Errorf("new file mode = %v, want %v", st.Mode().Perm(), want)
	}
	onlyFiles(t, dir, "out.tmx")
}

// TestReplaceKeepsMode: a file written again keeps its permissions and
// owner.
func TestReplaceKeepsMode(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ui.po")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o664); err != nil {
		t.Fatal(err)
	}
	wantUID := os.Getuid()
	if os.Geteuid() == 0 {
		wantUID = 4321
		if err := os.Chown(path, wantUID, 4321); err != nil {
			t.Fatal(err)
		}
	}
	commit(t, path, "new")
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o664 {
		t.Errorf("mode after replace = %v, want -rw-rw-r--", st.Mode().Perm())
	}
	if uid := int(st.Sys().(*syscall.Stat_t).Uid); uid != wantUID {
		t.Errorf("owner after replace = %d, want %d", uid, wantUID)
	}
	if got := mustRead(t, path); got != "new" {
		t.Errorf("content = %q", got)
	}
	onlyFiles(t, dir, "ui.po")
}

// TestAbortKeepsOld: an output given up leaves the old file whole and no
// temporary file.
func TestAbortKeepsOld(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "memory.tmx")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	write(t, path, "half of the new").Abort()
	if got := mustRead(t, path); got != "old" {
		t.Errorf("content after Abort = %q, want the old", got)
	}
	onlyFiles(t, dir, "memory.tmx")
}

// TestSymlink: the link's target gets the content; the link stays a link,
// also when the target does not exist yet.
func TestSymlink(t *testing.T) {
	for _, exists := range []bool{true, false} {
		dir := t.TempDir()
		if err := os.Mkdir(filepath.Join(dir, "real"), 0o755); err != nil {
			t.Fatal(err)
		}
		target := filepath.Join(dir, "real", "out.po")
		if exists {
			if err := os.WriteFile(target, []byte("old"), 0o640); err != nil {
				t.Fatal(err)
			}
		}
		link := filepath.Join(dir, "link.po")
		if err := os.Symlink(filepath.Join("real", "out.po"), link); err != nil {
			t.Fatal(err)
		}
		commit(t, link, "new")
		st, err := os.Lstat(link)
		if err != nil || st.Mode()&fs.ModeSymlink == 0 {
			t.Fatalf("after writing through it, %s is %v (%v), want a symbolic link", link, st.Mode(), err)
		}
		if got := mustRead(t, target); got != "new" {
			t.Errorf("target content = %q, want new", got)
		}
		if st, _ := os.Stat(target); exists && st.Mode().Perm() != 0o640 {
			t.Errorf("target mode = %v, want -rw-r-----", st.Mode().Perm())
		}
		onlyFiles(t, filepath.Join(dir, "real"), "out.po")
	}
}

// TestDevices: /dev/stdout, /dev/null and a FIFO are written through and
// stay what they are.
func TestDevices(t *testing.T) {
	o, err := Create("/dev/stdout")
	if err != nil {
		t.Fatal(err)
	}
	if !o.IsStream() {
		t.Error("/dev/stdout is not written as a stream")
	}
	if err := o.Commit(); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat("/dev/stdout"); err != nil || st.Mode()&fs.ModeSymlink == 0 {
		t.Fatalf("/dev/stdout is %v after writing to it (%v)", st.Mode(), err)
	}
	if _, err := os.Stdout.Stat(); err != nil {
		t.Fatalf("standard output was closed: %v", err)
	}

	commit(t, "/dev/null", "discarded")
	if st, err := os.Stat("/dev/null"); err != nil || st.Mode()&fs.ModeCharDevice == 0 {
		t.Fatalf("/dev/null is %v after writing to it (%v)", st.Mode(), err)
	}

	fifo := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	got := make(chan string)
	go func() {
		b, _ := os.ReadFile(fifo)
		got <- string(b)
	}()
	commit(t, fifo, "through the pipe")
	if s := <-got; s != "through the pipe" {
		t.Errorf("FIFO reader got %q", s)
	}
	if st, err := os.Lstat(fifo); err != nil || st.Mode()&fs.ModeNamedPipe == 0 {
		t.Errorf("the FIFO is %v after writing to it (%v)", st.Mode(), err)
	}
}

// TestDirectory: a directory is refused, not replaced.
func TestDirectory(t *testing.T) {
	dir := t.TempDir()
	if _, err := Create(dir); err == nil {
		t.Fatal("Create(directory) succeeded")
	}
}
