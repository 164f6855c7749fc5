// Package python_test runs the Python SDK's example model through the real
// host, with Debian's python3-grpcio, python3-protobuf and
// python3-cryptography.
package python_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kgmem/kgmem/internal/testenv"
	"github.com/kgmem/kgmem/plugins"
	"github.com/kgmem/kgmem/plugins/host"
)

// python is Debian's interpreter, which has the packages; another python3
// on $PATH may not.
const python = "/usr/bin/python3"

func requirePython(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(python); err != nil {
		testenv.Tool(t, "python3-for-kgmem-models", "apt-get install python3 python3-grpcio python3-protobuf python3-cryptography")
	}
	if out, err := exec.Command(python, "-c", "import grpc, google.protobuf, cryptography").CombinedOutput(); err != nil {
		testenv.Tool(t, "python3-grpcio-for-kgmem-models", "apt-get install python3-grpcio python3-protobuf python3-cryptography: "+strings.TrimSpace(string(out)))
	}
}

// install puts a launcher for the example in a plugin directory, trusts it
// and returns a host on the directory.
func install(t *testing.T, opts host.Options) *host.Host {
	t.Helper()
	requirePython(t)
	example, err := filepath.Abs(filepath.Join("examples", "kgmem-model-pyecho"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	launcher := filepath.Join(dir, "kgmem-model-pyecho")
	script := fmt.Sprintf("#!/bin/sh\nexec %s %s\n", python, example)
	if err := os.WriteFile(launcher, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	ts, err := host.OpenTrustStore(filepath.Join(dir, host.TrustFile))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ts.Trust(launcher, time.Now()); err != nil {
		t.Fatal(err)
	}
	opts.PluginDir, opts.Trust = dir, ts
	h, err := host.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

func TestPythonModel(t *testing.T) {
	h := install(t, host.Options{})
	ctx := context.Background()
	m, err := h.Start(ctx, "pyecho")
	if err != nil {
		t.Fatal(err)
	}
	d := m.Description()
	if d.Name != "pyecho" || !d.AnyPair || d.Capabilities.PreferredBatchSize != 32 {
		t.Errorf("Describe = %+v", d)
	}
	req := &plugins.TranslateRequest{SourceLang: "en", TargetLang: "es"}
	for i := 0; i < 70; i++ { // three batches of up to 32
		req.Items = append(req.Items, plugins.Item{ID: fmt.Sprint(i), Source: fmt.Sprintf("Open the file %d", i)})
	}
	req.Items[0].Source = "Öffne die Datei"
	req.Items[0].Terms = []plugins.TermConstraint{{SourceSpan: plugins.Span{Start: 11, End: 16}, Source: "Datei", Target: "archivo"}}
	resp, err := m.Translate(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if r := resp.Results[0]; r.Translation != "Öffne die archivo" || fmt.Sprint(r.HonouredTerms) != "[0]" {
		t.Errorf("Translate(%q) = %+v", req.Items[0].Source, r)
	}
	if r := resp.Results[69]; r.ID != "69" || r.Translation != "Open the file 69" {
		t.Errorf("result 69 = %+v", r)
	}
	if _, err := m.Learn(ctx, &plugins.LearnRequest{}); !errors.Is(err, plugins.ErrUnimplemented) {
		t.Errorf("Learn = %v, want ErrUnimplemented", err)
	}
	pid := m.PID()
	began := time.Now()
	h.Close()
	if d := time.Since(began); d > 3*time.Second {
		t.Errorf("Close took %v: the model did not shut down when asked", d)
	}
	waitGone(t, pid)
}

func TestPythonModelCrash(t *testing.T) {
	h := install(t, host.Options{})
	m, err := h.Start(context.Background(), "pyecho")
	if err != nil {
		t.Fatal(err)
	}
	_, err = m.Translate(context.Background(), &plugins.TranslateRequest{Items: []plugins.Item{{ID: "1", Source: "crash"}}})
	if !errors.Is(err, host.ErrCrashed) || !strings.Contains(err.Error(), "pyecho: asked to crash") || !strings.Contains(err.Error(), `model "pyecho"`) {
		t.Errorf("Translate = %v, want a crash naming the model and quoting its stderr", err)
	}
}

// TestPythonModelParentKilled checks the SDK's parent watch: a model whose
// host is SIGKILLed exits by itself.
func TestPythonModelParentKilled(t *testing.T) {
	requirePython(t)
	// A shell stands in for kgmem: it starts the model with the cookie and
	// is then killed.
	example, _ := filepath.Abs(filepath.Join("examples", "kgmem-model-pyecho"))
	sh := exec.Command("/bin/sh", "-c", python+" "+example+" & echo $!; wait")
	sh.Env = append(os.Environ(), "KGMEM_MODEL_PLUGIN=8c3e7f0a5b1d4e29a6f2c7b0d9e4a1f3", "PLUGIN_PROTOCOL_VERSIONS=1")
	out, err := sh.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := sh.Start(); err != nil {
		t.Fatal(err)
	}
	var pid int
	if _, err := fmt.Fscan(out, &pid); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond) // let it start serving
	sh.Process.Kill()
	sh.Wait()
	waitGone(t, pid)
}

func waitGone(t *testing.T, pid int) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			return
		}
		if s := string(b); strings.Contains(s[strings.LastIndexByte(s, ')'):], ") Z") {
			return
		}
	}
	t.Errorf("model process %d still running", pid)
}
