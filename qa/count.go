package qa

// Counts are how many findings a run has, by severity, and how many of
// them fail the run.
type Counts struct {
	Total, Errors, Warnings, Info int
	// Failing counts the findings at or above the severity that fails a
	// run.
	Failing int
}

// Count counts findings by severity. Those at or above failOn are
// failing; a zero failOn fails none.
func Count(findings []Finding, failOn Severity) Counts {
	c := Counts{Total: len(findings)}
	for _, f := range findings {
		switch f.Severity {
		case Error:
			c.Errors++
		case Warning:
			c.Warnings++
		case Info:
			c.Info++
		}
		if failOn != 0 && f.Severity >= failOn {
			c.Failing++
		}
	}
	return c
}
