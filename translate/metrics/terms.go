package metrics

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/kgmem/kgmem/corpora"
)

// Term is one entry of a term list: a source term and the target terms
// accepted as its translation.
type Term struct {
	Source  string   `json:"source"`
	Targets []string `json:"targets"`
}

// TermMatcher finds the terms of a term list in text, the way the WMT21
// terminology task's exact-match accuracy does: case-insensitive
// (Unicode lowercasing after NFC normalisation), on whole words of text
// tokenised with the international tokenizer (so "vacuna" is found in
// "¿La vacuna?" but not in "vacunas"). A term written in a script without
// spaces between words (Han, kana, Thai, Lao, Khmer, Myanmar) is matched as
// a plain substring instead. A TermMatcher is safe for concurrent use.
type TermMatcher struct {
	terms   []Term
	src     []int // phrase of each term's source
	targets [][]int
	phrases []phrase
	byFirst map[string][]int // first token → phrases starting with it
	glued   []int            // phrases matched as substrings
}

type phrase struct {
	toks   []string
	joined string // toks without spaces, for glued matching
}

// NewTermMatcher compiles a term list. Terms with the same source (after
// normalisation) are merged; terms or targets that normalise to nothing
// are dropped.
func NewTermMatcher(terms []Term) *TermMatcher {
	m := &TermMatcher{byFirst: make(map[string][]int)}
	ids := make(map[string]int)
	phraseID := func(s string) int {
		toks := matchTokens(s)
		if len(toks) == 0 {
			return -1
		}
		key := strings.Join(toks, " ")
		if id, ok := ids[key]; ok {
			return id
		}
		id := len(m.phrases)
		ids[key] = id
		p := phrase{toks: toks, joined: strings.Join(toks, "")}
		m.phrases = append(m.phrases, p)
		if isGlued(key) {
			m.glued = append(m.glued, id)
		} else {
			m.byFirst[toks[0]] = append(m.byFirst[toks[0]], id)
		}
		return id
	}
	bySrc := make(map[int]int) // source phrase → index in m.terms
	for _, t := range terms {
		sid := phraseID(t.Source)
		if sid < 0 {
			continue
		}
		k, ok := bySrc[sid]
		if !ok {
			k = len(m.terms)
			bySrc[sid] = k
			m.terms = append(m.terms, Term{Source: t.Source})
			m.src = append(m.src, sid)
			m.targets = append(m.targets, nil)
		}
		for _, tg := range t.Targets {
			tid := phraseID(tg)
			if tid < 0 || slices.Contains(m.targets[k], tid) {
				continue
			}
			m.targets[k] = append(m.targets[k], tid)
			m.terms[k].Targets = append(m.terms[k].Targets, tg)
		}
	}
	return m
}

// Terms returns the compiled (merged) term list.
func (m *TermMatcher) Terms() []Term { return m.terms }

// matchTokens is the normal form text and terms are compared in. The
// padding makes the tokenizer split punctuation after a final number too
// ("COVID-19?"), which mteval-v14 itself leaves attached.
func matchTokens(s string) []string {
	return fields(TokenizeIntl(" " + lower(norm.NFC.String(s)) + " "))
}

// isGlued reports whether s holds a letter of a script written without
// spaces between words.
func isGlued(s string) bool {
	for _, r := range s {
		if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana,
			unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar) {
			return true
		}
	}
	return false
}

// found returns the set of phrases occurring in text.
func (m *TermMatcher) found(text string) map[int]bool {
	toks := matchTokens(text)
	set := make(map[int]bool)
	for i, tok := range toks {
		for _, id := range m.byFirst[tok] {
			p := m.phrases[id].toks
			if i+len(p) <= len(toks) && slices.Equal(toks[i:i+len(p)], p) {
				set[id] = true
			}
		}
	}
	if len(m.glued) > 0 {
		joined := strings.Join(toks, "")
		for _, id := range m.glued {
			if strings.Contains(joined, m.phrases[id].joined) {
				set[id] = true
			}
		}
	}
	return set
}

// Find returns the terms whose source occurs in text.
func (m *TermMatcher) Find(text string) []Term {
	set := m.found(text)
	var out []Term
	for k, sid := range m.src {
		if set[sid] {
			out = append(out, m.terms[k])
		}
	}
	return out
}

// TermAccuracyScore is terminology exact-match accuracy.
type TermAccuracyScore struct {
	// Score is Matched/Total in percent; 0 when Total is 0.
	Score float64 `json:"score"`
	// Total counts (segment, term) pairs whose source term is in the
	// source segment and one of whose targets is in the reference.
	Total int `json:"total"`
	// Matched counts those pairs where such a target is also in the
	// hypothesis.
	Matched int        `json:"matched"`
	Misses  []TermMiss `json:"misses,omitempty"`
}

// TermMiss is a term the hypothesis did not render as the reference did.
type TermMiss struct {
	Segment  int      `json:"segment"` // 1-based
	Source   string   `json:"source"`
	Expected []string `json:"expected"` // the targets found in the reference
}

// TermAccuracy is [TermMatcher.Accuracy] with a matcher built from terms.
func TermAccuracy(srcs, refs, hyps []string, terms []Term) (*TermAccuracyScore, error) {
	return NewTermMatcher(terms).Accuracy(srcs, refs, hyps)
}

// Accuracy is the WMT21 terminology task's exact-match accuracy: over
// every (segment, term) pair where the term's source occurs in the source
// and one of its targets in the reference, the share where one of those
// targets occurs in the hypothesis too. A pair counts once however often
// the term occurs in the segment.
func (m *TermMatcher) Accuracy(srcs, refs, hyps []string) (*TermAccuracyScore, error) {
	if err := sameLength(map[string]int{"sources": len(srcs), "references": len(refs), "hypotheses": len(hyps)}); err != nil {
		return nil, err
	}
	s := &TermAccuracyScore{}
	for i := range srcs {
		inSrc := m.found(srcs[i])
		var inRef, inHyp map[int]bool
		for k, sid := range m.src {
			if !inSrc[sid] {
				continue
			}
			if inRef == nil {
				inRef, inHyp = m.found(refs[i]), m.found(hyps[i])
			}
			var expected []string
			hit := false
			for n, tid := range m.targets[k] {
				if inRef[tid] {
					expected = append(expected, m.terms[k].Targets[n])
					hit = hit || inHyp[tid]
				}
			}
			if expected == nil {
				continue
			}
			s.Total++
			if hit {
				s.Matched++
			} else {
				s.Misses = append(s.Misses, TermMiss{Segment: i + 1, Source: m.terms[k].Source, Expected: expected})
			}
		}
	}
	if s.Total > 0 {
		s.Score = 100 * float64(s.Matched) / float64(s.Total)
	}
	return s, nil
}

// TermConsistencyScore says how consistently the source terms of a
// document were translated.
type TermConsistencyScore struct {
	// Score is Consistent/Total in percent; 0 when Total is 0.
	Score float64 `json:"score"`
	// Total counts source terms found in two or more source segments.
	Total int `json:"total"`
	// Consistent counts those whose every hypothesis rendered them the
	// same way: the same set of the term's known targets (possibly none).
	Consistent   int              `json:"consistent"`
	Inconsistent []TermRenderings `json:"inconsistent,omitempty"`
}

// TermRenderings is how a source term was rendered across a document.
type TermRenderings struct {
	Source string `json:"source"`
	// Renderings maps each rendering — the known targets found in a
	// hypothesis, joined by " | ", or "" for none — to how many segments
	// used it.
	Renderings map[string]int `json:"renderings"`
}

// TermConsistency is [TermMatcher.Consistency] with a matcher built from
// terms.
func TermConsistency(srcs, hyps []string, terms []Term) (*TermConsistencyScore, error) {
	return NewTermMatcher(terms).Consistency(srcs, hyps)
}

// Consistency treats srcs and hyps as one document and measures, over the
// source terms that occur in at least two of its segments, the share
// translated the same way every time. Score documents one at a time.
func (m *TermMatcher) Consistency(srcs, hyps []string) (*TermConsistencyScore, error) {
	if err := sameLength(map[string]int{"sources": len(srcs), "hypotheses": len(hyps)}); err != nil {
		return nil, err
	}
	renderings := make([]map[string]int, len(m.terms))
	occurrences := make([]int, len(m.terms))
	for i := range srcs {
		inSrc := m.found(srcs[i])
		var inHyp map[int]bool
		for k, sid := range m.src {
			if !inSrc[sid] {
				continue
			}
			if inHyp == nil {
				inHyp = m.found(hyps[i])
			}
			var used []string
			for n, tid := range m.targets[k] {
				if inHyp[tid] {
					used = append(used, m.terms[k].Targets[n])
				}
			}
			sort.Strings(used)
			if renderings[k] == nil {
				renderings[k] = make(map[string]int)
			}
			renderings[k][strings.Join(used, " | ")]++
			occurrences[k]++
		}
	}
	s := &TermConsistencyScore{}
	for k := range m.terms {
		if occurrences[k] < 2 {
			continue
		}
		s.Total++
		if len(renderings[k]) == 1 {
			s.Consistent++
		} else {
			s.Inconsistent = append(s.Inconsistent, TermRenderings{Source: m.terms[k].Source, Renderings: renderings[k]})
		}
	}
	if s.Total > 0 {
		s.Score = 100 * float64(s.Consistent) / float64(s.Total)
	}
	return s, nil
}

// sameLength checks that every named slice has the same length.
func sameLength(lens map[string]int) error {
	names := make([]string, 0, len(lens))
	for n := range lens {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names[1:] {
		if lens[n] != lens[names[0]] {
			parts := make([]string, len(names))
			for i, n := range names {
				parts[i] = fmt.Sprintf("%d %s", lens[n], n)
			}
			return fmt.Errorf("%s: %w", strings.Join(parts, ", "), ErrLengthMismatch)
		}
	}
	return nil
}

// maxTermFile bounds what ReadTerms holds in memory.
const maxTermFile = 64 << 20

// ReadTerms reads a term list: TSV (source<TAB>target, one pair a line,
// "#" lines are comments) or, when the first line has no tab, CSV. A
// first row naming its columns (source/target, src/tgt, sourceString/
// targetString as in TICO-19, term/translation) is a header, and those
// columns are used; otherwise the first two columns are source and target.
// Rows with an empty source or target are ignored; rows with the same
// source are merged into one Term. UTF-16 and byte order marks are
// handled. name is used in errors.
func ReadTerms(r io.Reader, name string) ([]Term, error) {
	data, err := readTermFile(r, name)
	if err != nil {
		return nil, err
	}
	var rows [][]string
	var lines []int
	if firstLineHasTab(data) {
		rows, lines = tabRows(data)
	} else if rows, lines, err = csvRows(data, name); err != nil {
		return nil, err
	}
	si, ti := 0, 1
	if len(rows) > 0 {
		if s, t, ok := termHeader(rows[0]); ok {
			si, ti = s, t
			rows, lines = rows[1:], lines[1:]
		}
	}
	return termsOf(rows, lines, si, ti, name)
}

// readTermFile reads a whole term list as UTF-8, refusing one larger
// than maxTermFile or empty.
func readTermFile(r io.Reader, name string) ([]byte, error) {
	ur, _, err := corpora.UTF8Reader(r)
	if err != nil {
		return nil, fmt.Errorf("read terms %s: %w", name, err)
	}
	data, err := io.ReadAll(io.LimitReader(ur, maxTermFile+1))
	if err != nil {
		return nil, fmt.Errorf("read terms %s: %w", name, err)
	}
	if len(data) > maxTermFile {
		return nil, &corpora.ParseError{File: name, Offset: maxTermFile, Err: fmt.Errorf("term list is larger than %d MiB: %w", maxTermFile>>20, corpora.ErrTooLarge)}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &corpora.ParseError{File: name, Offset: -1, Err: errors.New("file is empty")}
	}
	return data, nil
}

// tabRows splits a tab-separated list into rows, skipping blank lines and
// # comments, with each row's line number.
func tabRows(data []byte) (rows [][]string, lines []int) {
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		rows = append(rows, strings.Split(line, "\t"))
		lines = append(lines, i+1)
	}
	return rows, lines
}

// csvRows reads a CSV list into rows, with each row's line number.
func csvRows(data []byte, name string) (rows [][]string, lines []int, err error) {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return rows, lines, nil
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line, err = pe.Line, pe.Err
			}
			return nil, nil, &corpora.ParseError{File: name, Line: line, Offset: -1, Err: fmt.Errorf("bad CSV: %w", err)}
		}
		line, _ := cr.FieldPos(0)
		rows = append(rows, rec)
		lines = append(lines, line)
	}
}

// termsOf returns the terms of rows, source in column si and target in
// column ti, the targets of one source together in the order first seen.
func termsOf(rows [][]string, lines []int, si, ti int, name string) ([]Term, error) {
	var terms []Term
	index := make(map[string]int)
	for n, rec := range rows {
		if len(rec) <= max(si, ti) {
			return nil, &corpora.ParseError{File: name, Line: lines[n], Offset: -1,
				Err: fmt.Errorf("want a source and a target column, found %d column(s)", len(rec))}
		}
		src, tgt := strings.TrimSpace(rec[si]), strings.TrimSpace(rec[ti])
		if src == "" || tgt == "" {
			continue
		}
		k, ok := index[src]
		if !ok {
			k = len(terms)
			index[src] = k
			terms = append(terms, Term{Source: src})
		}
		if !slices.Contains(terms[k].Targets, tgt) {
			terms[k].Targets = append(terms[k].Targets, tgt)
		}
	}
	if len(terms) == 0 {
		return nil, &corpora.ParseError{File: name, Offset: -1, Err: errors.New("no source/target term pairs in the file")}
	}
	return terms, nil
}

// firstLineHasTab reports whether the first line that is neither blank
// nor a "#" comment holds a tab: the file is TSV, not CSV.
func firstLineHasTab(data []byte) bool {
	for len(data) > 0 {
		var line []byte
		line, data, _ = bytes.Cut(data, []byte("\n"))
		if len(bytes.TrimSpace(line)) == 0 || line[0] == '#' {
			continue
		}
		return bytes.ContainsRune(line, '\t')
	}
	return false
}

// termHeader finds the source and target columns of a header row.
func termHeader(rec []string) (src, tgt int, ok bool) {
	src, tgt = -1, -1
	for i, f := range rec {
		k := strings.ToLower(strings.TrimSpace(f))
		k = strings.NewReplacer(" ", "", "_", "", "-", "").Replace(k)
		switch k {
		case "source", "src", "sourcestring", "sourceterm", "term":
			if src < 0 {
				src = i
			}
		case "target", "tgt", "targetstring", "targetterm", "translation":
			if tgt < 0 {
				tgt = i
			}
		}
	}
	return src, tgt, src >= 0 && tgt >= 0
}
