package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/kgmem/kgmem/internal/testenv"
)

var (
	pluginBinsOnce sync.Once
	pluginBinsDir  string
	pluginBinsErr  error
)

// pluginBins builds kgmem and the echo example model once, because
// built-in models run as `kgmem plugin serve NAME`, which the test binary
// cannot do. The directory is left in $TMPDIR: without a TestMain of its
// own (main_test.go has none to hook) this file cannot remove it at exit.
func pluginBins(t *testing.T) (kgmemBin, echoBin string) {
	t.Helper()
	goTool := testenv.Tool(t, "go", "install Go")
	pluginBinsOnce.Do(func() {
		pluginBinsDir, pluginBinsErr = os.MkdirTemp("", "kgmem-cmd-test-")
		if pluginBinsErr != nil {
			return
		}
		cmd := exec.Command(goTool, "build", "-o", pluginBinsDir+string(filepath.Separator), "./cmd/kgmem", "./plugins/examples/echo")
		cmd.Dir = testenv.RepoRoot(t)
		if out, err := cmd.CombinedOutput(); err != nil {
			pluginBinsErr = &buildError{err, out}
		}
	})
	if pluginBinsErr != nil {
		t.Fatal(pluginBinsErr)
	}
	return filepath.Join(pluginBinsDir, "kgmem"), filepath.Join(pluginBinsDir, "echo")
}

type buildError struct {
	err error
	out []byte
}

func (e *buildError) Error() string { return "go build: " + e.err.Error() + "\n" + string(e.out) }

// runBin runs the kgmem binary with a fresh data directory unless args set
// one, and returns its exit code, stdout and stderr.
func runBin(t *testing.T, bin, stdin string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, out.String(), errb.String()
}

func TestPluginsListBuiltins(t *testing.T) {
	bin, _ := pluginBins(t)
	code, out, stderr := runBin(t, bin, "", "--data-dir", t.TempDir(), "plugins", "list", "--json")
	if code != 0 {
		t.Fatalf("plugins list: exit %d: %s", code, stderr)
	}
	var infos []struct {
		Name    string `json:"name"`
		Builtin bool   `json:"builtin"`
	}
	if err := json.Unmarshal([]byte(out), &infos); err != nil {
		t.Fatalf("plugins list --json: %v\n%s", err, out)
	}
	var names []string
	for _, i := range infos {
		names = append(names, i.Name)
	}
	if got := strings.Join(names, " "); got != "apertium memory openai" {
		t.Errorf("plugins list = %q, want apertium memory openai", got)
	}
}

func TestTranslateCommandApertium(t *testing.T) {
	testenv.Tool(t, "apertium", "apt-get install apertium apertium-eng-spa")
	bin, _ := pluginBins(t)
	code, out, stderr := runBin(t, bin, "Open the file\nSave it.\n", "--data-dir", t.TempDir(), "translate", "--no-tm", "--no-kg", "--model", "apertium", "--from", "en", "--to", "es")
	if code != 0 {
		t.Fatalf("translate: exit %d: %s", code, stderr)
	}
	if want := "Abierto la lima\nLo salva.\n"; out != want {
		t.Errorf("translate = %q, want %q", out, want)
	}
}

func TestTranslateCommandMemoryJSON(t *testing.T) {
	bin, _ := pluginBins(t)
	code, out, stderr := runBin(t, bin, "", "--data-dir", t.TempDir(), "translate", "--no-tm", "--no-kg", "--json", "--model", "memory", "--from", "en_US", "--to", "es", "Hello", "World")
	if code != 0 {
		t.Fatalf("translate: exit %d: %s", code, stderr)
	}
	got := jsonLines[translation](t, out)
	if len(got) != 2 || got[0].Source != "Hello" || got[0].Translation != "Hello" {
		t.Errorf("translate --json = %+v", got)
	}
}

// TestPluginsTrustFlow installs the echo example as a third-party model
// and walks through what a user does: it is refused until trusted, runs
// once trusted, and is refused again once changed.
func TestPluginsTrustFlow(t *testing.T) {
	bin, echo := pluginBins(t)
	data := t.TempDir()
	dir := filepath.Join(data, "plugins")
	os.MkdirAll(dir, 0o755)
	model := filepath.Join(dir, "kgmem-model-echo")
	b, err := os.ReadFile(echo)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(model, b, 0o755)
	tr := []string{"--data-dir", data, "translate", "--no-tm", "--no-kg", "-m", "echo", "--from", "en", "--to", "de", "Hello"}

	code, _, stderr := runBin(t, bin, "", tr...)
	if code == 0 || !strings.Contains(stderr, "kgmem plugins trust "+model) {
		t.Errorf("untrusted model: exit %d, stderr %q; want a failure saying to run kgmem plugins trust", code, stderr)
	}
	if code, _, stderr := runBin(t, bin, "", "--data-dir", data, "plugins", "trust", model); code != 0 {
		t.Fatalf("plugins trust: exit %d: %s", code, stderr)
	}
	code, out, stderr := runBin(t, bin, "", tr...)
	if code != 0 || out != "Hello\n" {
		t.Errorf("trusted model: exit %d, out %q, stderr %q", code, out, stderr)
	}
	code, out, _ = runBin(t, bin, "", "--data-dir", data, "plugins", "verify", "--json")
	if code != 0 || !strings.Contains(out, `"name": "echo"`) {
		t.Errorf("plugins verify: exit %d, out %s", code, out)
	}
	os.WriteFile(model, append(b, 0), 0o755)
	code, _, stderr = runBin(t, bin, "", tr...)
	if code == 0 || !strings.Contains(stderr, "changed since it was trusted") {
		t.Errorf("modified model: exit %d, stderr %q", code, stderr)
	}
	if code, _, _ := runBin(t, bin, "", "--data-dir", data, "plugins", "verify"); code == 0 {
		t.Errorf("plugins verify with a modified model: exit 0")
	}
	code, out, _ = runBin(t, bin, "", "--data-dir", data, "plugins", "describe", "--json", "memory")
	if code != 0 || !strings.Contains(out, `"name": "memory"`) {
		t.Errorf("plugins describe memory: exit %d, out %s", code, out)
	}
}

func TestTranslateCommandUsage(t *testing.T) {
	bin, _ := pluginBins(t)
	tests := []struct {
		args     []string
		wantCode int
		wantErr  string
	}{
		{[]string{"translate", "--from", "en", "--to", "es", "x"}, exitUsage, "model"},
		{[]string{"translate", "-m", "memory", "--from", "C", "--to", "es", "x"}, exitUsage, "--from"},
		{[]string{"translate", "--no-tm", "--no-kg", "-m", "nope", "--from", "en", "--to", "es", "x"}, exitFailure, "kgmem plugins list"},
		{[]string{"translate", "--no-tm", "--no-kg", "-m", "apertium", "--from", "fr", "--to", "de", "x"}, exitFailure, "plugins describe apertium"},
		// Translating with the memory needs one: a mistyped data directory
		// is refused, not taken as an empty memory.
		{[]string{"translate", "-m", "memory", "--from", "en", "--to", "es", "x"}, exitUsage, "kgmem build-graph"},
		{[]string{"plugins", "describe"}, exitUsage, "plugins describe needs"},
	}
	for _, tt := range tests {
		code, _, stderr := runBin(t, bin, "", append([]string{"--data-dir", t.TempDir()}, tt.args...)...)
		if code != tt.wantCode || !strings.Contains(stderr, tt.wantErr) {
			t.Errorf("kgmem %v: exit %d, stderr %q; want exit %d mentioning %q", tt.args, code, stderr, tt.wantCode, tt.wantErr)
		}
	}
}

// TestTranslateCommandInterrupt checks Ctrl-C while kgmem waits for input:
// it exits 130 at once and its model process goes with it.
func TestTranslateCommandInterrupt(t *testing.T) {
	bin, _ := pluginBins(t)
	cmd := exec.Command(bin, "--data-dir", t.TempDir(), "translate", "--no-tm", "--no-kg", "-m", "memory", "--from", "en", "--to", "es")
	stdin, err := cmd.StdinPipe() // left open: kgmem waits for lines
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var model int
	for deadline := time.Now().Add(20 * time.Second); model == 0 && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		model = childOf(cmd.Process.Pid)
	}
	if model == 0 {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("no model process started: %s", errb.String())
	}
	time.Sleep(300 * time.Millisecond) // let the handshake finish
	cmd.Process.Signal(syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != exitInterrupted {
			t.Errorf("kgmem translate after SIGINT: %v, want exit %d; stderr %q", err, exitInterrupted, errb.String())
		}
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatal("kgmem translate did not exit on SIGINT")
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", model))
		if err != nil || strings.Contains(string(b), ") Z ") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("model process %d left running", model)
		}
	}
}

// childOf returns the PID of a live child process of pid, or 0.
func childOf(pid int) int {
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		s := string(b)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(f) > 1 && f[1] == fmt.Sprint(pid) && f[0] != "Z" {
			var child int
			fmt.Sscan(e.Name(), &child)
			return child
		}
	}
	return 0
}
