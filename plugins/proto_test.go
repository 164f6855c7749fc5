package plugins_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/kgmem/kgmem/internal/testenv"
	"github.com/kgmem/kgmem/plugins"
)

const protoFile = "proto/kgmem/model/v1/model.proto"

// TestProtocolVersion checks the Go constant against the .proto file, so
// that a breaking change to the protocol cannot ship under the old major.
func TestProtocolVersion(t *testing.T) {
	b, err := os.ReadFile(protoFile)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^// protocol_version = (\d+)$`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("%s has no line // protocol_version = N", protoFile)
	}
	v, _ := strconv.Atoi(string(m[1]))
	if v != plugins.ProtocolVersion {
		t.Errorf("%s says protocol_version = %d, plugins.ProtocolVersion = %d", protoFile, v, plugins.ProtocolVersion)
	}
	if pkg := "package kgmem.model.v" + strconv.Itoa(v) + ";"; !bytes.Contains(b, []byte(pkg)) {
		t.Errorf("%s does not declare %q", protoFile, pkg)
	}
}

// TestGeneratedCodeUpToDate regenerates the Go code into a temporary
// directory and compares it with the committed code.
func TestGeneratedCodeUpToDate(t *testing.T) {
	protoc := testenv.Tool(t, "protoc", "apt-get install protobuf-compiler")
	genGo := testenv.Tool(t, "protoc-gen-go", "go install google.golang.org/protobuf/cmd/protoc-gen-go@"+plugins.ProtocGenGoVersion)
	genGRPC := testenv.Tool(t, "protoc-gen-go-grpc", "go install google.golang.org/grpc/cmd/protoc-gen-go-grpc@"+plugins.ProtocGenGoGRPCVersion)
	for tool, want := range map[string]string{genGo: plugins.ProtocGenGoVersion, genGRPC: strings.TrimPrefix(plugins.ProtocGenGoGRPCVersion, "v")} {
		out, _ := exec.Command(tool, "--version").CombinedOutput()
		if !strings.Contains(string(out), want) {
			t.Skipf("%s is %s, want %s; generated code would differ", tool, bytes.TrimSpace(out), want)
		}
	}
	tmp := t.TempDir()
	const mod = "module=github.com/kgmem/kgmem/plugins/internal/modelpb"
	cmd := exec.Command(protoc, "-I", "proto",
		"--plugin=protoc-gen-go="+genGo, "--plugin=protoc-gen-go-grpc="+genGRPC,
		"--go_out="+tmp, "--go_opt="+mod, "--go-grpc_out="+tmp, "--go-grpc_opt="+mod,
		"kgmem/model/v1/model.proto")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("protoc: %v\n%s", err, out)
	}
	for _, name := range []string{"model.pb.go", "model_grpc.pb.go"} {
		got, err := os.ReadFile(filepath.Join(tmp, name))
		if err != nil {
			t.Fatal(err)
		}
		committed, err := os.ReadFile(filepath.Join("internal", "modelpb", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, committed) {
			t.Errorf("internal/modelpb/%s is out of date with %s; run `go generate ./plugins`", name, protoFile)
		}
	}
}

// TestPythonCodeUpToDate regenerates the Python SDK's messages and
// compares them with the committed ones.
func TestPythonCodeUpToDate(t *testing.T) {
	protoc := testenv.Tool(t, "protoc", "apt-get install protobuf-compiler")
	tmp := t.TempDir()
	if out, err := exec.Command(protoc, "-I", "proto", "--python_out="+tmp, "kgmem/model/v1/model.proto").CombinedOutput(); err != nil {
		t.Fatalf("protoc: %v\n%s", err, out)
	}
	got, err := os.ReadFile(filepath.Join(tmp, "kgmem", "model", "v1", "model_pb2.py"))
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile(filepath.Join("python", "kgmem_model", "model_pb2.py"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, committed) {
		t.Errorf("python/kgmem_model/model_pb2.py is out of date with %s; run `go generate ./plugins`", protoFile)
	}
}

func TestSupports(t *testing.T) {
	d := &plugins.DescribeResponse{Pairs: []plugins.LanguagePair{{Source: "en", Target: "es"}}}
	tests := []struct {
		src, tgt string
		want     bool
	}{
		{"en", "es", true},
		{"en-GB", "es-ES", true},
		{"es", "en", false},
		{"fr", "es", false},
		// Language subtags compare case-insensitively, as everywhere else.
		{"EN", "es", true},
		{"en_US", "ES-mx", true},
	}
	for _, tt := range tests {
		if got := d.Supports(tt.src, tt.tgt); got != tt.want {
			t.Errorf("Supports(%q, %q) = %v, want %v", tt.src, tt.tgt, got, tt.want)
		}
	}
	if !(&plugins.DescribeResponse{AnyPair: true}).Supports("xx", "yy") {
		t.Errorf("AnyPair model does not support xx→yy")
	}
}
