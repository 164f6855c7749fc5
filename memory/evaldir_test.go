package memory_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/translate/evaluate"
)

// evaluator answers every evaluation with a report and an error.
type evaluator struct {
	rep *evaluate.Report
	err error
}

func (e evaluator) Evaluate(context.Context, memory.EvalRequest) (*evaluate.Report, error) {
	return e.rep, e.err
}

func TestEvaluateDir(t *testing.T) {
	ctx := context.Background()
	stopped := errors.New("interrupted")
	file := filepath.Join(t.TempDir(), "a-file")
	os.WriteFile(file, nil, 0o644)
	tests := []struct {
		name    string
		e       evaluator
		dir     string
		wantRep bool
		wantErr error
		written bool
	}{
		{"nothing done", evaluator{nil, stopped}, t.TempDir(), false, stopped, false},
		{"done, no dir", evaluator{&evaluate.Report{}, nil}, "", true, nil, false},
		{"done", evaluator{&evaluate.Report{}, nil}, filepath.Join(t.TempDir(), "out"), true, nil, true},
		{"stopped early", evaluator{&evaluate.Report{}, stopped}, filepath.Join(t.TempDir(), "out"), true, stopped, true},
		{"dir is a file", evaluator{&evaluate.Report{}, stopped}, filepath.Join(file, "out"), false, stopped, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := memory.EvaluateDir(ctx, tt.e, memory.EvalRequest{Dir: tt.dir})
			if (rep != nil) != tt.wantRep || !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Errorf("EvaluateDir = %v, %v; want a report %v, error %v", rep, err, tt.wantRep, tt.wantErr)
			}
			if tt.name == "dir is a file" && (err == nil || err.Error() == stopped.Error()) {
				t.Errorf("EvaluateDir into a file's path = %v, want the write's error joined", err)
			}
			_, serr := os.Stat(filepath.Join(tt.dir, "report.json"))
			if written := tt.dir != "" && serr == nil; written != tt.written {
				t.Errorf("EvaluateDir wrote report.json: %v, want %v", written, tt.written)
			}
		})
	}
}
