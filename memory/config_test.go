package memory_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/kgmem/kgmem/memory"
)

// TestParseMemoryLimit is the CLI's test of --memory-limit, moved here
// with the parser.
func TestParseMemoryLimit(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"4GB", 4 << 30, true},
		{"4G", 4 << 30, true},
		{"512MB", 512 << 20, true},
		{"512MiB", 512 << 20, true},
		{"1.5GB", 3 << 29, true},
		{"2T", 2 << 40, true},
		{"1073741824", 1 << 30, true},
		{"10MB", 0, false}, // too little
		{"lots", 0, false},
		{"4XB", 0, false},
		{"-1GB", 0, false},
	} {
		got, err := memory.ParseMemoryLimit(tt.in)
		if (err == nil) != tt.ok || (tt.ok && got != tt.want) {
			t.Errorf("memoryLimit(%q) = %d, %v; want %d, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
	if got, err := memory.ParseMemoryLimit(""); err != nil || got < 64<<20 {
		t.Errorf("memoryLimit(\"\") = %d, %v; want a quarter of the machine", got, err)
	}
}

// TestParseMemoryLimitInvalid checks the edge of the smallest limit and
// that a bad limit is a request to change.
func TestParseMemoryLimitInvalid(t *testing.T) {
	if got, err := memory.ParseMemoryLimit("64M"); err != nil || got != 64<<20 {
		t.Errorf("ParseMemoryLimit(\"64M\") = %d, %v; want 64 MiB", got, err)
	}
	for _, in := range []string{"63M", "lots", "0"} {
		if _, err := memory.ParseMemoryLimit(in); !errors.Is(err, memory.ErrInvalid) {
			t.Errorf("ParseMemoryLimit(%q) = %v, want an ErrInvalid", in, err)
		}
	}
	if got, err := memory.ParseMemoryLimit(""); err != nil || got != memory.DefaultMemoryLimit() {
		t.Errorf("ParseMemoryLimit(\"\") = %d, %v; want DefaultMemoryLimit %d", got, err, memory.DefaultMemoryLimit())
	}
}

func TestDataDir(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", "/xdg")
	t.Setenv("KGMEM_DATA_DIR", "")
	if got := memory.DataDir(""); got != filepath.Join("/xdg", "kgmem") {
		t.Errorf("DataDir(\"\") with XDG_DATA_HOME=/xdg = %q, want /xdg/kgmem", got)
	}
	if got := memory.DataDir("named"); got != "named" {
		t.Errorf("DataDir(\"named\") = %q, want named", got)
	}
	t.Setenv("KGMEM_DATA_DIR", "/env")
	if got := memory.DataDir(""); got != "/env" {
		t.Errorf("DataDir(\"\") with KGMEM_DATA_DIR=/env = %q, want /env", got)
	}
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("HOME", "/home/u")
	if got := memory.DefaultDataDir(); got != filepath.Join("/home/u", ".local", "share", "kgmem") {
		t.Errorf("DefaultDataDir() with HOME=/home/u = %q, want /home/u/.local/share/kgmem", got)
	}
}

// TestBackupFile backs up into a file, restores it with RestoreFile, and checks that a
// backup that cannot be written leaves nothing behind.
func TestBackupFile(t *testing.T) {
	ctx := context.Background()
	m := demoMemory(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "memory.tar.gz")
	bm, err := m.BackupFile(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if bm.Graph.Segments == 0 {
		t.Errorf("BackupFile: %+v, want the demo's segments", bm.Graph)
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) != 1 {
		t.Errorf("after BackupFile the directory holds %v (%v), want only the backup", entries, err)
	}
	if _, _, err := memory.RestoreFile(ctx, filepath.Join(dir, "missing.tar.gz"), memory.RestoreRequest{DataDir: filepath.Join(t.TempDir(), "x")}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("RestoreFile of a missing file = %v, want ErrNotExist", err)
	}
	r, bm2, err := memory.RestoreFile(ctx, path, memory.RestoreRequest{DataDir: filepath.Join(t.TempDir(), "restored")})
	if err != nil {
		t.Fatalf("restore the backup file: %v", err)
	}
	r.Close()
	if bm2.Graph != bm.Graph {
		t.Errorf("restored %+v, backed up %+v", bm2.Graph, bm.Graph)
	}
	// Into a directory that is a file: an error, and no file left.
	if _, err := m.BackupFile(ctx, filepath.Join(path, "x.tar.gz")); err == nil {
		t.Error("BackupFile into a path under a file: nil error")
	}
}
