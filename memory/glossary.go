package memory

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/tbx"
)

// GlossaryDir is the directory of a data directory that holds the
// glossaries clients send whole (a DeepL glossary, for one): one TBX term
// base each, which the graph names as the source of its terms.
const GlossaryDir = "glossaries"

// TermPair is a source term and its translation.
type TermPair struct {
	Source, Target string
}

// glossaryName is what a glossary may be called: its name is a file name.
var glossaryName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$`)

// GlossaryPath returns the term base a glossary called name is kept in.
func (m *Memory) GlossaryPath(name string) (string, error) {
	if !glossaryName.MatchString(name) {
		return "", invalidf("glossary name %q: use letters, digits, '.', '_' and '-' (at most 100)", name)
	}
	return filepath.Join(m.dir, GlossaryDir, name+".tbx"), nil
}

// AddGlossary makes the pairs a term base of the memory: from the next
// translation on, each source term of the pair's languages is translated
// as the glossary says (its translations are the term base's preferred
// ones, as required as those of any term base built in). The term base is
// kept as a TBX file under GlossaryDir, named for the glossary; adding a
// glossary again under the same name replaces what it taught before, and
// RemoveGlossary takes it out of the memory.
func (m *Memory) AddGlossary(ctx context.Context, name string, from, to language.Tag, pairs []TermPair) (BuildSummary, error) {
	path, err := m.GlossaryPath(name)
	if err != nil {
		return BuildSummary{}, err
	}
	if from == language.Und || to == language.Und {
		return BuildSummary{}, invalidf("glossary %s: give its source and target languages", name)
	}
	if len(pairs) == 0 {
		return BuildSummary{}, invalidf("glossary %s has no entries", name)
	}
	if err := writeGlossary(path, from, to, pairs); err != nil {
		return BuildSummary{}, err
	}
	sum, err := m.Build(ctx, BuildRequest{Terms: []string{path}, SourceLang: from, TargetLang: to})
	if err != nil {
		// What the graph did not take must not stay behind as if it had.
		os.Remove(path)
		return sum, fmt.Errorf("add glossary %s to the memory: %w", name, err)
	}
	return sum, nil
}

// writeGlossary writes the pairs as a TBX term base at path, atomically.
func writeGlossary(path string, from, to language.Tag, pairs []TermPair) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("make the glossary directory: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write glossary %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	w, err := tbx.NewWriter(tmp, tbx.WriterOptions{Lang: from, Description: "A glossary sent to kgmem whole; it is the source of its terms in the graph."})
	if err != nil {
		tmp.Close()
		return err
	}
	for i, p := range pairs {
		src, tgt := strings.TrimSpace(p.Source), strings.TrimSpace(p.Target)
		if src == "" || tgt == "" {
			tmp.Close()
			return invalidf("glossary entry %d: a term and its translation are both needed", i+1)
		}
		e := &corpora.TermEntry{ID: "e" + strconv.Itoa(i+1), Terms: []corpora.Term{
			{Lang: from, Text: src, Status: corpora.TermPreferred},
			{Lang: to, Text: tgt, Status: corpora.TermPreferred},
		}}
		if err := w.WriteTerm(e); err != nil {
			tmp.Close()
			return fmt.Errorf("write glossary %s: %w", path, err)
		}
	}
	if err := w.Close(); err != nil {
		tmp.Close()
		return fmt.Errorf("write glossary %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// RemoveGlossary takes out of the memory everything the glossary called
// name taught, and deletes its term base. A glossary the memory does not
// have is not an error.
func (m *Memory) RemoveGlossary(ctx context.Context, name string) error {
	path, err := m.GlossaryPath(name)
	if err != nil {
		return err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	if err := m.RemoveSource(ctx, abs); err != nil {
		return err
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove glossary %s: %w", name, err)
	}
	return nil
}
