package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/po"
	"github.com/kgmem/kgmem/qa"
)

// The two tools.
const (
	toolKgmem    = "kgmem"
	toolPofilter = "pofilter"
)

var tools = []string{toolKgmem, toolPofilter}

// pofilterClasses maps pofilter's tests to the kinds of planted error
// they look for.
var pofilterClasses = map[string]string{
	"printf": kindPlaceholder, "pythonbraceformat": kindPlaceholder,
	"xmltags":      kindTag,
	"accelerators": kindAccelerator,
	"numbers":      kindNumber,
	"urls":         kindURL, "emails": kindURL,
	"newlines":        kindNewline,
	"startwhitespace": kindWhitespace, "endwhitespace": kindWhitespace,
	"doublespacing": kindDoubleSpace,
	"endpunc":       kindEndPunct,
	"startcaps":     kindCapitals,
	"untranslated":  kindUntranslated,
	"unchanged":     kindUnchanged,
	"long":          kindLength, "short": kindLength,
	"musttranslatewords": kindTermMissing,
}

// pofilterTests are the tests pofilter runs, in the order of the kinds.
func pofilterTests() []string {
	return []string{"printf", "pythonbraceformat", "xmltags", "accelerators", "numbers", "urls", "emails", "newlines",
		"startwhitespace", "endwhitespace", "doublespacing", "endpunc", "startcaps", "untranslated", "unchanged",
		"long", "short", "musttranslatewords"}
}

// finding is one finding of a tool, by the class of planted error it
// corresponds to.
type finding struct {
	Tool    string `json:"tool"`
	Class   string `json:"class"`
	Check   string `json:"check"`
	Message string `json:"message"`
}

// results are the findings of both tools on one version of the set, by
// unit.
type results struct {
	by map[string][]finding
}

func unitKey(file, source string) string { return filepath.Base(file) + "\x00" + source }

// of returns the findings on a unit.
func (r *results) of(file, source string) []finding { return r.by[unitKey(file, source)] }

// clean reports whether neither tool flagged a unit with any of the
// classes.
func (r *results) clean(file, source string, classes []string) bool {
	for _, f := range r.of(file, source) {
		if has(classes, f.Class) {
			return false
		}
	}
	return true
}

// has reports whether the tool flagged the unit with the class.
func (r *results) has(tool, file, source, class string) bool {
	for _, f := range r.of(file, source) {
		if f.Tool == tool && f.Class == class {
			return true
		}
	}
	return false
}

// readResults reads dir/kgmem.jsonl and dir/pofilter/*.po.
func readResults(dir string) (*results, error) {
	r := &results{by: map[string][]finding{}}
	if err := r.readKgmem(filepath.Join(dir, "kgmem.jsonl")); err != nil {
		return nil, err
	}
	files, err := filepath.Glob(filepath.Join(dir, "pofilter", "*.po"))
	if err != nil {
		return nil, err
	}
	more, err := filepath.Glob(filepath.Join(dir, "pofilter", "*", "*.po"))
	if err != nil {
		return nil, err
	}
	files = append(files, more...)
	if len(files) == 0 {
		return nil, fmt.Errorf("no pofilter output in %s", filepath.Join(dir, "pofilter"))
	}
	for _, f := range files {
		if err := r.readPofilter(f); err != nil {
			return nil, err
		}
	}
	return r, nil
}

func (r *results) readKgmem(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for n := 1; sc.Scan(); n++ {
		var q qa.Finding
		if err := json.Unmarshal(sc.Bytes(), &q); err != nil {
			return fmt.Errorf("%s:%d: %w", path, n, err)
		}
		k := unitKey(q.File, q.Source)
		r.by[k] = append(r.by[k], finding{Tool: toolKgmem, Class: q.Check, Check: q.Check, Message: q.Message})
	}
	return sc.Err()
}

// readPofilter reads pofilter's output catalog: the units that failed a
// test, each with a "(pofilter) test: message" comment per failure.
func (r *results) readPofilter(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	rd, err := po.NewReader(f, corpora.ReadOptions{Name: path})
	if err != nil {
		if fi, serr := os.Stat(path); serr == nil && fi.Size() == 0 {
			return nil // nothing failed
		}
		return err
	}
	return corpora.Each(context.Background(), rd, func(u *corpora.Unit) error {
		k := unitKey(path, u.Source.Plain())
		for _, n := range u.Notes {
			for _, ln := range strings.Split(n, "\n") {
				rest, ok := strings.CutPrefix(strings.TrimSpace(ln), "(pofilter) ")
				if !ok {
					continue
				}
				test, msg, _ := strings.Cut(rest, ":")
				class, ok := pofilterClasses[test]
				if !ok {
					return fmt.Errorf("%s: pofilter test %q is not one the bench maps", path, test)
				}
				r.by[k] = append(r.by[k], finding{Tool: toolPofilter, Class: class, Check: test, Message: strings.TrimSpace(msg)})
			}
		}
		return nil
	})
}
