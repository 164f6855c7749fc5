package qa

import "testing"

func TestCount(t *testing.T) {
	findings := []Finding{{Severity: Error}, {Severity: Warning}, {Severity: Warning}, {Severity: Info}}
	tests := []struct {
		failOn Severity
		want   Counts
	}{
		{0, Counts{Total: 4, Errors: 1, Warnings: 2, Info: 1}},
		{Error, Counts{Total: 4, Errors: 1, Warnings: 2, Info: 1, Failing: 1}},
		{Warning, Counts{Total: 4, Errors: 1, Warnings: 2, Info: 1, Failing: 3}},
		{Info, Counts{Total: 4, Errors: 1, Warnings: 2, Info: 1, Failing: 4}},
	}
	for _, tt := range tests {
		if got := Count(findings, tt.failOn); got != tt.want {
			t.Errorf("Count(findings, %v) = %+v, want %+v", tt.failOn, got, tt.want)
		}
	}
	if got := Count(nil, Error); got != (Counts{}) {
		t.Errorf("Count(nil, error) = %+v, want zero", got)
	}
}
