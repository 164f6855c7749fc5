package corpora

import (
	"hash/maphash"
	"sort"
)

// PairCount is the number of units in one language pair.
type PairCount struct {
	Source string `json:"source"`
	Target string `json:"target"`
	Units  int    `json:"units"`
}

// Stats summarises units as `kgmem corpus stats` reports them. Add units one
// at a time; the zero value is ready to use. A Stats remembers a 64-bit hash
// of every distinct unit to count duplicates, so its memory grows by a few
// bytes per unit. Not safe for concurrent use.
type Stats struct {
	Units        int         `json:"units"`
	Skipped      int         `json:"skipped"`
	Duplicates   int         `json:"duplicates"`
	Untranslated int         `json:"untranslated"`
	SourceWords  int         `json:"source_words"`
	TargetWords  int         `json:"target_words"`
	Pairs        []PairCount `json:"pairs"`

	seed  maphash.Seed
	seen  map[uint64]struct{}
	pairs map[[2]string]int
}

// Add counts one unit.
func (s *Stats) Add(u *Unit) {
	if s.seen == nil {
		s.seed = maphash.MakeSeed()
		s.seen = make(map[uint64]struct{})
		s.pairs = make(map[[2]string]int)
	}
	s.Units++
	src, tgt := u.Source.Plain(), u.Target.Plain()
	s.SourceWords += CountWords(src)
	s.TargetWords += CountWords(tgt)
	if u.Target.IsEmpty() {
		s.Untranslated++
	}
	var h maphash.Hash
	h.SetSeed(s.seed)
	h.WriteString(u.SourceLang.String())
	h.WriteByte(0)
	h.WriteString(u.TargetLang.String())
	h.WriteByte(0)
	h.WriteString(src)
	h.WriteByte(0)
	h.WriteString(tgt)
	k := h.Sum64()
	if _, dup := s.seen[k]; dup {
		s.Duplicates++
	} else {
		s.seen[k] = struct{}{}
	}
	s.pairs[[2]string{u.SourceLang.String(), u.TargetLang.String()}]++
	s.Pairs = nil // recomputed by Finish
}

// Merge adds the counts of t (a per-file Stats) to s. Duplicates across
// files are counted only when both were added to the same Stats.
func (s *Stats) Merge(t *Stats) {
	s.Units += t.Units
	s.Skipped += t.Skipped
	s.Duplicates += t.Duplicates
	s.Untranslated += t.Untranslated
	s.SourceWords += t.SourceWords
	s.TargetWords += t.TargetWords
	if s.pairs == nil {
		s.pairs = make(map[[2]string]int)
	}
	for k, v := range t.pairs {
		s.pairs[k] += v
	}
}

// Finish fills Pairs, most units first, and returns s.
func (s *Stats) Finish() *Stats {
	s.Pairs = s.Pairs[:0]
	for k, v := range s.pairs {
		s.Pairs = append(s.Pairs, PairCount{Source: k[0], Target: k[1], Units: v})
	}
	sort.Slice(s.Pairs, func(i, j int) bool {
		a, b := s.Pairs[i], s.Pairs[j]
		if a.Units != b.Units {
			return a.Units > b.Units
		}
		if a.Source != b.Source {
			return a.Source < b.Source
		}
		return a.Target < b.Target
	})
	if s.Pairs == nil {
		s.Pairs = []PairCount{}
	}
	return s
}
