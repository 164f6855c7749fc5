package project

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/formats"
	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/translate"
)

// importOmegaT makes an OmegaT project's memories and glossaries part of
// the memory, when the translator has one; files that cannot be read are
// left out, with a note that says why.
func (r *runner) importOmegaT(ctx context.Context) error {
	om := r.p.OmegaT
	tms, glossaries, err := om.Memories()
	if err != nil || len(tms)+len(glossaries) == 0 {
		return err
	}
	imp := &Imported{}
	r.sum.Total.Imported = imp
	b, ok := r.tr.(Builder)
	if !ok {
		imp.Notes = append(imp.Notes, "no memory to import the project's tm and glossary folders into: the model translates alone")
		return nil
	}
	keep := func(paths []string, terms bool) []string {
		var out []string
		for _, path := range paths {
			if err := checkReadable(ctx, path, terms, r.p); err != nil {
				imp.Notes = append(imp.Notes, fmt.Sprintf("%s left out: %v", path, err))
				continue
			}
			out = append(out, path)
		}
		return out
	}
	tms, glossaries = keep(tms, false), keep(glossaries, true)
	if len(tms)+len(glossaries) == 0 {
		return nil
	}
	sum, err := b.Build(ctx, memory.BuildRequest{Paths: tms, Terms: glossaries, SourceLang: r.p.SourceLang, TargetLang: r.p.TargetLang,
		Lenient: true, OnSkip: func(s corpora.Skip) { imp.Notes = append(imp.Notes, s.String()) }})
	if err != nil {
		return fmt.Errorf("import the OmegaT project's memories into the memory: %w", err)
	}
	imp.Files, imp.Units, imp.Terms = len(tms)+len(glossaries), sum.Units, sum.Terms
	return nil
}

// checkReadable reads a memory or glossary through, as Build will.
func checkReadable(ctx context.Context, path string, terms bool, p *Plan) error {
	format := formats.Auto
	if terms && formats.FromName(path) != formats.TBX {
		format = formats.Glossary
	}
	f, err := formats.Open(path, formats.Options{Format: format, ReadOptions: corpora.ReadOptions{
		Name: path, SourceLang: p.SourceLang, TargetLang: p.TargetLang, Lenient: true}})
	if err != nil {
		return err
	}
	defer f.Close()
	if terms || f.IsTermBase() {
		return corpora.EachTerm(ctx, f, func(*corpora.TermEntry) error { return nil })
	}
	return corpora.Each(ctx, f, func(*corpora.Unit) error { return nil })
}

// writeOmegaT writes what the run translated into the project's tm
// folder, for OmegaT: exact matches without problems to tm/auto, which
// OmegaT inserts into untranslated segments by itself, the rest to tm/mt,
// which it offers marked as machine translation. What earlier runs wrote
// there is kept unless this run translated the same source again.
func (r *runner) writeOmegaT() error {
	if len(r.pairs) == 0 {
		return nil
	}
	om := r.p.OmegaT
	paths := [2]string{filepath.Join(om.TMDir, filepath.FromSlash(OmegaTAutoTMX)), filepath.Join(om.TMDir, filepath.FromSlash(OmegaTMTTMX))}
	var sets [2]*unitSet
	for i, path := range paths {
		s, err := readUnitSet(path, r.p)
		if err != nil {
			return err
		}
		sets[i] = s
	}
	now := time.Now().UTC().Truncate(time.Second)
	for _, t := range r.pairs {
		target := t.r.Target
		if target.IsEmpty() {
			continue
		}
		u := &corpora.Unit{SourceLang: r.p.SourceLang, TargetLang: r.p.TargetLang, Source: t.u.Source, Target: target,
			Context: t.u.Context, Changed: now, ChangedBy: "kgmem"}
		for _, p := range t.r.Checks.Problems {
			u.Notes = append(u.Notes, translate.NotePrefix+p.String())
		}
		which := 1
		if t.r.Status == translate.StatusExact && len(t.r.Checks.Problems) == 0 {
			which = 0
		}
		sets[1-which].remove(u)
		sets[which].put(u)
	}
	for i, path := range paths {
		if err := sets[i].write(path, r.p); err != nil {
			return err
		}
	}
	return nil
}

// unitSet is the units of a TMX by source, in order.
type unitSet struct {
	order []string
	by    map[string]*corpora.Unit
}

func keyOf(u *corpora.Unit) string { return u.Source.Plain() }

func (s *unitSet) put(u *corpora.Unit) {
	k := keyOf(u)
	if _, ok := s.by[k]; !ok {
		s.order = append(s.order, k)
	}
	s.by[k] = u
}

func (s *unitSet) remove(u *corpora.Unit) { delete(s.by, keyOf(u)) }

// readUnitSet reads what kgmem wrote into a TMX of the tm folder before.
func readUnitSet(path string, p *Plan) (*unitSet, error) {
	s := &unitSet{by: map[string]*corpora.Unit{}}
	f, err := formats.Open(path, formats.Options{Format: formats.TMX, ReadOptions: corpora.ReadOptions{
		Name: path, SourceLang: p.SourceLang, TargetLang: p.TargetLang}})
	if errors.Is(err, os.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read what kgmem wrote for OmegaT (delete %s to start it anew): %w", path, err)
	}
	defer f.Close()
	for {
		u, err := f.Next()
		if errors.Is(err, io.EOF) {
			return s, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read what kgmem wrote for OmegaT (delete %s to start it anew): %w", path, err)
		}
		s.put(u)
	}
}

// write writes the set as a TMX, or removes the file when it is empty.
func (s *unitSet) write(path string, p *Plan) error {
	var units []*corpora.Unit
	for _, k := range s.order {
		if u, ok := s.by[k]; ok {
			units = append(units, u)
		}
	}
	if len(units) == 0 {
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	w, err := formats.Create(path, formats.WriteOptions{Format: formats.TMX, SourceLang: p.SourceLang, TargetLang: p.TargetLang})
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	for _, u := range units {
		if err := w.Write(u); err != nil {
			w.Abort()
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	return w.Close()
}
