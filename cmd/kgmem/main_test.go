package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// kgmem runs the CLI in-process and returns its exit code, stdout and
// stderr.
func kgmem(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	s := &streams{in: strings.NewReader(stdin), out: &out, err: &errb}
	code := run(context.Background(), append([]string{"kgmem", "--data-dir", t.TempDir()}, args...), s)
	return code, out.String(), errb.String()
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args    []string
		wantErr string
	}{
		{[]string{"corpus", "stats"}, "needs at least one file"},
		{[]string{"corpus", "stats", "--no-such-flag", "x"}, "flag provided but not defined"},
		{[]string{"corpus", "convert", "only-one"}, "needs IN and OUT"},
		{[]string{"corpus", "stats", "--from", "C", "x.tmx"}, "--from"},
		{[]string{"corpus", "stats", "--format", "docx", "x"}, "unknown format"},
		{[]string{"--log-level", "loud", "corpus", "stats", "x"}, "--log-level"},
	}
	for _, tt := range tests {
		code, _, stderr := kgmem(t, "", tt.args...)
		if code != exitUsage {
			t.Errorf("kgmem %v: exit %d, want %d (stderr %q)", tt.args, code, exitUsage, stderr)
		}
		if !strings.Contains(stderr, tt.wantErr) {
			t.Errorf("kgmem %v: stderr %q does not mention %q", tt.args, stderr, tt.wantErr)
		}
		if strings.Count(strings.TrimSpace(stderr), "\n") > 0 && !strings.Contains(stderr, "Usage") {
			t.Errorf("kgmem %v: error is not one line: %q", tt.args, stderr)
		}
	}
}

func TestInterruptedExitCode(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if got := exitCode(ctx, context.Canceled); got != exitInterrupted {
		t.Errorf("exitCode(cancelled) = %d, want %d", got, exitInterrupted)
	}
}
