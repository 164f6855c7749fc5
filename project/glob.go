package project

import (
	"errors"
	"fmt"
	"path"
	"strings"
)

// ErrBadGlob is wrapped by the errors of include and exclude patterns that
// do not parse.
var ErrBadGlob = errors.New("bad pattern")

// Glob is an include or exclude pattern, matched against a file's path
// relative to the tree, with / between directories. * matches any run of
// characters but /, ? one character, [abc] a class (as path.Match), and **
// as a whole path element any number of directories (none too). A pattern
// without / matches the file's name in any directory.
type Glob struct {
	pattern string
	elems   []string
}

// ParseGlob checks a pattern and returns it ready to match.
func ParseGlob(pattern string) (Glob, error) {
	p := strings.Trim(pattern, "/")
	if p == "" {
		return Glob{}, fmt.Errorf("glob %q: empty pattern", pattern)
	}
	if !strings.Contains(p, "/") {
		p = "**/" + p
	}
	g := Glob{pattern: pattern}
	for _, e := range strings.Split(p, "/") {
		if e == "**" {
			// a/**/**/b is a/**/b.
			if n := len(g.elems); n == 0 || g.elems[n-1] != "**" {
				g.elems = append(g.elems, e)
			}
			continue
		}
		g.elems = append(g.elems, e)
		if strings.Contains(e, "**") {
			return Glob{}, fmt.Errorf("glob %q: ** must be a whole path element, as in a/**/b", pattern)
		}
		if _, err := path.Match(e, ""); err != nil {
			return Glob{}, fmt.Errorf("glob %q: %w", pattern, err)
		}
	}
	return g, nil
}

// String returns the pattern as it was written.
func (g Glob) String() string { return g.pattern }

// Match reports whether the relative path rel (with / separators)
// matches.
func (g Glob) Match(rel string) bool {
	return matchElems(g.elems, strings.Split(rel, "/"))
}

func matchElems(pat, name []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for i := 0; i <= len(name); i++ {
				if matchElems(pat[1:], name[i:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], name[0]); !ok {
			return false
		}
		pat, name = pat[1:], name[1:]
	}
	return len(name) == 0
}

// filter is the include and exclude patterns of a plan.
type filter struct {
	include, exclude []Glob
}

func newFilter(include, exclude []string) (filter, error) {
	var f filter
	for _, p := range include {
		g, err := ParseGlob(p)
		if err != nil {
			return f, fmt.Errorf("%w: --include: %w", ErrBadGlob, err)
		}
		f.include = append(f.include, g)
	}
	for _, p := range exclude {
		g, err := ParseGlob(p)
		if err != nil {
			return f, fmt.Errorf("%w: --exclude: %w", ErrBadGlob, err)
		}
		f.exclude = append(f.exclude, g)
	}
	return f, nil
}

// keep reports whether a file is in the plan: it matches an include
// pattern (or there are none) and no exclude pattern.
func (f filter) keep(rel string) bool {
	for _, g := range f.exclude {
		if g.Match(rel) {
			return false
		}
	}
	if len(f.include) == 0 {
		return true
	}
	for _, g := range f.include {
		if g.Match(rel) {
			return true
		}
	}
	return false
}
