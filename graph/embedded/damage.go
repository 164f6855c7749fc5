package embedded

import (
	"errors"
	"fmt"
	"strings"
)

// ErrDamaged is what every error about a damaged graph file matches
// (errors.Is): a file that is empty, truncated, not a graph file, or whose
// pages or records are not what the store wrote. Open returns it instead of
// reading on (bbolt would panic or fault), and Check returns it for damage
// found in an open store.
var ErrDamaged = errors.New("the graph file is damaged")

// DamagedError says which file is damaged, how, and what to do. It
// matches ErrDamaged.
type DamagedError struct {
	// Path is the graph file.
	Path string
	// Problems are what was found, one per line, at most maxProblems.
	Problems []string
	// More counts the problems found beyond Problems.
	More int
}

// maxProblems is how many problems a DamagedError lists.
const maxProblems = 20

func (e *DamagedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "graph file %s is damaged: %s", e.Path, strings.Join(e.Problems, "; "))
	if e.More > 0 {
		fmt.Fprintf(&b, "; and %d more problems", e.More)
	}
	b.WriteString("; restore it from a backup (kgmem restore), or move it aside and rebuild the graph with kgmem build-graph")
	return b.String()
}

// Is makes errors.Is(err, ErrDamaged) true.
func (e *DamagedError) Is(target error) bool { return target == ErrDamaged }

// damaged returns a DamagedError with one problem.
func damaged(path, format string, args ...any) *DamagedError {
	return &DamagedError{Path: path, Problems: []string{fmt.Sprintf(format, args...)}}
}

// problems collects what a check finds, keeping the first maxProblems.
type problems struct {
	path string
	list []string
	more int
}

func (p *problems) addf(format string, args ...any) {
	if len(p.list) < maxProblems {
		p.list = append(p.list, fmt.Sprintf(format, args...))
		return
	}
	p.more++
}

// err returns the problems as a *DamagedError, or nil when there are none.
func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	return &DamagedError{Path: p.path, Problems: p.list, More: p.more}
}
