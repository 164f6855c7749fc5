package graph

import (
	"sort"
	"sync"

	"golang.org/x/text/cases"

	"github.com/kgmem/kgmem/langtag"
)

// folders holds case folders: a cases.Caser keeps state between calls and
// may not be shared by goroutines.
var folders = sync.Pool{New: func() any { c := cases.Fold(); return &c }}

// Fold returns the case-folded form of a label, the form case-insensitive
// lookups compare. Every store folds with it. It is safe for concurrent
// use.
func Fold(s string) string {
	c := folders.Get().(*cases.Caser)
	out := c.String(s)
	folders.Put(c)
	return out
}

// LangCovers is langtag.Covers.
//
// Deprecated: use langtag.Covers, the one home of language-tag helpers.
func LangCovers(want, have string) bool { return langtag.Covers(want, have) }

// BaseLang is langtag.Base.
//
// Deprecated: use langtag.Base, the one home of language-tag helpers.
func BaseLang(tag string) string { return langtag.Base(tag) }

// NewFact returns a fact with its ID set and one Source: the given file,
// count and unit.
func NewFact(subject, predicate, object, literal, lang string, weight float64, file string, count int, unit string) Fact {
	f := Fact{
		ID:        FactID(subject, predicate, object, literal, lang),
		Subject:   subject,
		Predicate: predicate,
		Object:    object,
		Literal:   literal,
		Lang:      lang,
		Weight:    weight,
		Count:     count,
	}
	if file != "" {
		s := Source{File: file, Count: count}
		if unit != "" {
			s.Units = []string{unit}
		}
		f.Sources = []Source{s}
	}
	return f
}

// NewLabel returns a PredLabel fact: entity is called text in lang.
func NewLabel(entity, text, lang string, status Status, weight float64, file string, count int, unit string) Fact {
	f := NewFact(entity, PredLabel, "", text, lang, weight, file, count, unit)
	f.Status = status
	return f
}

// MergeSources returns dst with every entry of src replacing dst's entry for
// the same file (or added), sorted by file, and the total count. Stores use
// it so that writing the same file twice is idempotent.
func MergeSources(dst, src []Source) ([]Source, int) {
	out := make([]Source, 0, len(dst)+len(src))
	byFile := make(map[string]int, len(dst)+len(src))
	for _, s := range dst {
		byFile[s.File] = len(out)
		out = append(out, s)
	}
	for _, s := range src {
		if len(s.Units) > MaxSourceUnits {
			s.Units = s.Units[:MaxSourceUnits]
		}
		if i, ok := byFile[s.File]; ok {
			out[i] = s
			continue
		}
		byFile[s.File] = len(out)
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].File < out[j].File })
	total := 0
	for _, s := range out {
		total += s.Count
	}
	return out, total
}

// RemoveSource returns srcs without the entry for file, and the new total.
func RemoveSource(srcs []Source, file string) ([]Source, int) {
	out := srcs[:0:0]
	total := 0
	for _, s := range srcs {
		if s.File != file {
			out = append(out, s)
			total += s.Count
		}
	}
	return out, total
}

// SortFacts orders facts as Facts returns them: highest Count first, then
// highest Weight, then ID.
func SortFacts(fs []Fact) {
	sort.Slice(fs, func(i, j int) bool {
		a, b := &fs[i], &fs[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if a.Weight != b.Weight {
			return a.Weight > b.Weight
		}
		return a.ID < b.ID
	})
}

// SortNeighbours orders neighbours as Neighbours returns them: highest
// Weight first, then highest Count, then entity ID.
func SortNeighbours(ns []Neighbour) {
	sort.Slice(ns, func(i, j int) bool {
		a, b := &ns[i], &ns[j]
		if a.Fact.Weight != b.Fact.Weight {
			return a.Fact.Weight > b.Fact.Weight
		}
		if a.Fact.Count != b.Fact.Count {
			return a.Fact.Count > b.Fact.Count
		}
		return a.Entity.ID < b.Entity.ID
	})
}

// SortLabels orders an entity's labels: by language, then status rank,
// then highest Count, Weight, then text.
func SortLabels(ls []Label) {
	sort.Slice(ls, func(i, j int) bool {
		a, b := &ls[i], &ls[j]
		if a.Lang != b.Lang {
			return a.Lang < b.Lang
		}
		if a.Status.Rank() != b.Status.Rank() {
			return a.Status.Rank() < b.Status.Rank()
		}
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if a.Weight != b.Weight {
			return a.Weight > b.Weight
		}
		return a.Text < b.Text
	})
}
