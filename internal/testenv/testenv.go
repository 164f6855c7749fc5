// Package testenv gives tests what lives outside the repository: the shared
// bilingual data beside the project and external tools such as
// translate-toolkit. A test that needs one skips with the reason when it is
// missing, unless the environment forbids the skip (CI does, so that a
// missing dependency fails the build instead of silently passing).
package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// RequireEnv is the environment variable that turns skips for missing
// shared data and tools into failures. .ci/run sets it to 1.
const RequireEnv = "KGMEM_REQUIRE_ALL"

// skipOrFail skips the test, or fails it when RequireEnv is set.
func skipOrFail(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv(RequireEnv) == "1" {
		t.Fatalf(format+" (and %s=1 forbids skipping)", append(args, RequireEnv)...)
	}
	t.Skipf(format, args...)
}

// RepoRoot returns the directory that holds go.mod.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}

// SharedData returns the path of ../shared/data beside the repository (or
// $KGMEM_SHARED_DATA), joined with elem. It skips the test when the path
// does not exist.
func SharedData(t testing.TB, elem ...string) string {
	t.Helper()
	base := os.Getenv("KGMEM_SHARED_DATA")
	if base == "" {
		base = filepath.Join(RepoRoot(t), "..", "shared", "data")
	}
	p := filepath.Join(append([]string{base}, elem...)...)
	if _, err := os.Stat(p); err != nil {
		skipOrFail(t, "shared data %s is not here: %v", p, err)
	}
	return p
}

// Tool returns the path of an external command, skipping the test when it
// is not installed. hint says how to install it.
func Tool(t testing.TB, name, hint string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		skipOrFail(t, "%s is not installed (%s)", name, hint)
	}
	return p
}

// Env returns the value of an environment variable that names a service a
// test needs, skipping the test when it is unset. hint says how to start it.
func Env(t testing.TB, name, hint string) string {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		skipOrFail(t, "$%s is not set (%s)", name, hint)
	}
	return v
}

// ToolkitPython returns a Python interpreter that imports translate-toolkit
// (Debian's translate-toolkit): the one its scripts run with when that one
// can, else python3. It skips (or fails) when translate-toolkit is not
// installed.
func ToolkitPython(t testing.TB) string {
	t.Helper()
	po2tmx := Tool(t, "po2tmx", "apt-get install translate-toolkit")
	candidates := []string{"python3"}
	if b, err := os.ReadFile(po2tmx); err == nil {
		line, _, _ := strings.Cut(string(b), "\n")
		if f := strings.Fields(strings.TrimPrefix(line, "#!")); len(f) > 0 && filepath.Base(f[0]) != "env" {
			candidates = append([]string{f[0]}, candidates...)
		}
	}
	for _, c := range candidates {
		if exec.Command(c, "-c", "import translate.storage.tmx").Run() == nil {
			return c
		}
	}
	t.Fatalf("no Python among %v imports translate-toolkit, though %s is installed", candidates, po2tmx)
	return ""
}
