package server_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/server"
)

// emptyDataDir returns a data directory holding a new, empty memory.
func emptyDataDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data")
	mem, err := memory.Open(context.Background(), memory.Options{DataDir: dir, Create: true, NoCatchUp: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := mem.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestStartRefuses checks the configurations Start refuses, and that a
// refused start leaves the directory free: no socket, the memory closed.
func TestStartRefuses(t *testing.T) {
	dir := emptyDataDir(t)
	tests := []struct {
		name    string
		cfg     server.Config
		invalid bool
		want    string
	}{
		{"network without keys", server.Config{Listen: "0.0.0.0:0"}, true, "0.0.0.0:0 is not a loopback address and there are no API keys"},
		{"pprof on the network", server.Config{Listen: "127.0.0.1:0", PprofListen: "0.0.0.0:0"}, true, `--pprof-listen "0.0.0.0:0": give a loopback address`},
		{"certificate without key", server.Config{Listen: "127.0.0.1:0", TLSCert: "cert.pem"}, true, "--tls-cert and --tls-key go together"},
		{"key without certificate", server.Config{Listen: "127.0.0.1:0", TLSKey: "key.pem"}, true, "--tls-cert and --tls-key go together"},
		{"bad address", server.Config{Listen: "127.0.0.1:no-port"}, false, "listen on 127.0.0.1:no-port"},
		{"missing certificate", server.Config{Listen: "127.0.0.1:0", TLSCert: filepath.Join(dir, "no.pem"), TLSKey: filepath.Join(dir, "no.key")}, false,
			"load the TLS certificate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.DataDir = dir
			run, err := server.Start(context.Background(), tt.cfg)
			if err == nil {
				run.Close()
				t.Fatalf("Start(%+v) = nil error, want %q", tt.cfg, tt.want)
			}
			if errors.Is(err, memory.ErrInvalid) != tt.invalid || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Start(%+v) = %v (invalid: %v), want %q (invalid: %v)", tt.cfg, err, errors.Is(err, memory.ErrInvalid), tt.want, tt.invalid)
			}
			if _, err := os.Lstat(filepath.Join(dir, server.SocketFile)); err == nil {
				t.Errorf("Start(%+v) failed and left the socket behind", tt.cfg)
			}
		})
	}
	// The memory was closed each time: it opens again.
	mem, err := memory.Open(context.Background(), memory.Options{DataDir: dir, NoCatchUp: true})
	if err != nil {
		t.Fatalf("open the memory after refused starts: %v", err)
	}
	mem.Close()
}

// TestStartServe starts a server, checks that it serves on its address
// and holds the directory, and that Serve releases everything when its
// context ends.
func TestStartServe(t *testing.T) {
	dir := emptyDataDir(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	run, err := server.Start(ctx, server.Config{DataDir: dir, Listen: "127.0.0.1:0", Model: "memory"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(run.URL(), "http://127.0.0.1:") || !strings.HasSuffix(run.URL(), "/") {
		t.Errorf("URL() = %q, want http://127.0.0.1:PORT/", run.URL())
	}
	if want := filepath.Join(dir, server.SocketFile); run.Socket() != want {
		t.Errorf("Socket() = %q, want %q", run.Socket(), want)
	}
	served := make(chan error, 1)
	go func() { served <- run.Serve(ctx) }()
	resp, err := http.Get(run.URL() + "healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /healthz: %s, want 200", resp.Status)
	}
	// A front end goes through the server, and may not open the memory
	// itself.
	svc, err := server.OpenService(ctx, memory.Options{DataDir: dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := svc.(*server.Client); !ok {
		t.Errorf("OpenService on a directory a server holds = %T, want *server.Client", svc)
	}
	svc.Close()
	if _, err := server.OpenMemory(ctx, memory.Options{DataDir: dir}); !errors.Is(err, memory.ErrInvalid) ||
		!strings.Contains(err.Error(), "kgmem serve holds "+dir) {
		t.Errorf("OpenMemory on a directory a server holds = %v, want that the server holds it", err)
	}
	if _, err := server.Start(ctx, server.Config{DataDir: dir, Listen: "127.0.0.1:0"}); !errors.Is(err, memory.ErrInvalid) ||
		!strings.Contains(err.Error(), "a kgmem server already holds "+dir) {
		t.Errorf("a second Start on the directory = %v, want that a server holds it", err)
	}
	cancel()
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("Serve after cancel = %v, want nil", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Serve did not return after its context ended")
	}
	if _, err := os.Lstat(run.Socket()); err == nil {
		t.Error("Serve returned and left the socket behind")
	}
	// Stopped, the server leaves the directory to whoever opens it.
	svc, err = server.OpenService(context.Background(), memory.Options{DataDir: dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := svc.(*memory.Memory); !ok {
		t.Errorf("OpenService on a free directory = %T, want *memory.Memory", svc)
	}
	svc.Close()
}
