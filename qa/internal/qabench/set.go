package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/formats"
	"github.com/kgmem/kgmem/corpora/po"
)

// entry is a pair of the set: where it is written, and the kind of error
// it is a candidate for ("" for a pair left untouched).
type entry struct {
	pair
	File string `json:"file"`
	Kind string `json:"kind,omitempty"`
}

// manifest is what select chose.
type manifest struct {
	Seed    uint64  `json:"seed"`
	Per     int     `json:"per"`
	Entries []entry `json:"entries"`
	// Donors are pairs outside the set whose sources the
	// consistency-target plants borrow.
	Donors []pair `json:"donors"`
}

// truth is one unit of the planted set and what was done to it.
type truth struct {
	File       string   `json:"file"`
	Source     string   `json:"source"`
	Target     string   `json:"target"`
	OrigTarget string   `json:"orig_target"`
	Kind       string   `json:"kind,omitempty"` // the planted error; "" for none
	Note       string   `json:"note,omitempty"`
	Added      bool     `json:"added,omitempty"`     // a unit the plant added
	BaseFile   string   `json:"base_file,omitempty"` // where the baseline has the pair an added unit copies
	Accept     []string `json:"accept,omitempty"`    // classes of finding also right on it
}

// creditMessages hold translators' names, not translations.
var creditMessages = map[string]bool{"translator-credits": true, "Your names": true, "Your emails": true}

// readPool reads shared gettext files, one pair per distinct source.
func readPool(data string, names []string) ([]pair, error) {
	var pool []pair
	seen := map[string]bool{}
	for _, name := range names {
		path := filepath.Join(data, name)
		f, err := formats.Open(path, formats.Options{ReadOptions: corpora.ReadOptions{Name: path, SourceLang: language.English, TargetLang: language.Spanish}})
		if err != nil {
			return nil, err
		}
		err = corpora.Each(context.Background(), f, func(u *corpora.Unit) error {
			s, t := u.Source.Plain(), u.Target.Plain()
			if seen[s] || strings.TrimSpace(t) == "" || strings.TrimSpace(s) == "" || creditMessages[s] || strings.ContainsAny(s+t, "\x00\r") {
				return nil
			}
			seen[s] = true
			pool = append(pool, pair{ID: len(pool), Domain: u.Domain, Family: family(u.Domain), Source: s, Target: t})
			return nil
		})
		f.Close()
		if err != nil {
			return nil, err
		}
	}
	return pool, nil
}

// selectSet picks, for every kind, twice as many candidates as errors to
// plant (plant keeps those that neither tool already flags for that
// kind), and a sample of pairs to leave untouched, and writes them as
// catalogs: two per project family, so that a source may appear in two
// catalogs as it does in a project.
func selectSet(data, out string, per, untouched int, seed uint64) error {
	if data == "" || out == "" {
		return fmt.Errorf("select needs -data and -out")
	}
	pool, err := readPool(data, []string{"en-es.dev.tsv", "en-es.dev2.tsv"})
	if err != nil {
		return err
	}
	// The development sets have almost no addresses and little markup:
	// those plants also take pairs of the memory's GNU programs that have
	// one.
	more, err := readPool(data, []string{"en-es.memory.tsv"})
	if err != nil {
		return err
	}
	for _, p := range more {
		if urlRE.MatchString(p.Source) || tagRE.MatchString(p.Source) {
			p.ID = len(pool)
			p.Family = "gnu"
			pool = append(pool, p)
		}
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	rng.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	g := newGlossary()
	used := make([]bool, len(pool))
	m := manifest{Seed: seed, Per: per}
	for _, k := range selectionOrder() {
		n := 0
		for i, p := range pool {
			if n == 2*per {
				break
			}
			if p.Family == "gnu" && k != kindURL && k != kindTag {
				continue
			}
			if !used[i] && applicable(k, p, g) {
				used[i] = true
				m.Entries = append(m.Entries, entry{pair: p, Kind: k})
				n++
			}
		}
	}
	n := 0
	for i, p := range pool {
		if n == untouched {
			break
		}
		if !used[i] && p.Family != "gnu" {
			used[i] = true
			m.Entries = append(m.Entries, entry{pair: p})
			n++
		}
	}
	for i, p := range pool {
		if !used[i] && p.Family != "gnu" && plain(p) {
			m.Donors = append(m.Donors, p)
		}
	}
	count := map[string]int{}
	for i := range m.Entries {
		e := &m.Entries[i]
		count[e.Family]++
		e.File = fmt.Sprintf("%s-%d.po", e.Family, count[e.Family]%2+1)
	}
	if err := writeJSON(filepath.Join(out, "manifest.json"), m); err != nil {
		return err
	}
	if err := g.write(filepath.Join(out, "glossary.csv"), filepath.Join(out, "glossary-words.txt")); err != nil {
		return err
	}
	var ts []truth
	for _, e := range m.Entries {
		ts = append(ts, truth{File: e.File, Source: e.Source, Target: e.Target, OrigTarget: e.Target})
	}
	return writeCatalogs(filepath.Join(out, "baseline"), ts)
}

// selectionOrder is the kinds, the ones few pairs allow first.
func selectionOrder() []string {
	order := []string{kindURL, kindTag, kindInverted, kindNewline}
	for _, k := range kinds {
		if !has(order, k) {
			order = append(order, k)
		}
	}
	return order
}

// plantSet plants an error of its kind in each candidate that neither
// tool flagged for that kind in the baseline, up to Per a kind.
func plantSet(out string) error {
	var m manifest
	if err := readJSON(filepath.Join(out, "manifest.json"), &m); err != nil {
		return err
	}
	base, err := readResults(filepath.Join(out, "baseline"))
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(m.Seed+1, m.Seed^0x2545f4914f6cdd1d))
	g := newGlossary()
	var ts []truth
	var added []truth
	planted := map[string]int{}
	donorUsed := make([]bool, len(m.Donors))
	for _, e := range m.Entries {
		t := truth{File: e.File, Source: e.Source, Target: e.Target, OrigTarget: e.Target}
		if e.Kind != "" && planted[e.Kind] < m.Per && base.clean(e.File, e.Source, acceptedFor(e.Kind)) {
			switch e.Kind {
			case kindConsistency:
				// The same source, translated otherwise, in the family's
				// other catalog.
				tgt, note := plantError(e.Kind, e.pair, g, rng)
				added = append(added, truth{File: otherFile(e.File), Source: e.Source, Target: tgt, OrigTarget: e.Target, Kind: e.Kind, Note: note,
					Added: true, BaseFile: e.File})
				t.Accept = []string{kindConsistency}
				planted[e.Kind]++
			case kindConsTarget:
				// Another source given the same translation.
				d, ok := pickDonor(m.Donors, donorUsed, e.pair, g)
				if !ok {
					break
				}
				added = append(added, truth{File: otherFile(e.File), Source: d.Source, Target: e.Target, OrigTarget: d.Target, Kind: e.Kind,
					Note: "another source's translation", Added: true})
				t.Accept = []string{kindConsTarget}
				planted[e.Kind]++
			default:
				t.Target, t.Note = plantError(e.Kind, e.pair, g, rng)
				t.Kind = e.Kind
				planted[e.Kind]++
			}
		}
		ts = append(ts, t)
	}
	ts = append(ts, added...)
	for _, k := range kinds {
		fmt.Fprintf(os.Stderr, "%-20s %d planted\n", k, planted[k])
	}
	if err := writeJSON(filepath.Join(out, "truth.json"), ts); err != nil {
		return err
	}
	return writeCatalogs(filepath.Join(out, "planted"), ts)
}

// pickDonor returns the first donor not used yet whose source has the
// pair's shape.
func pickDonor(donors []pair, used []bool, p pair, g *glossary) (pair, bool) {
	for i, d := range donors {
		if !used[i] && sameShape(d, p) && len(g.in(d.Source)) == 0 {
			used[i] = true
			return d, true
		}
	}
	return pair{}, false
}

// sameShape reports whether a donor's source could take a pair's
// translation without any check but consistency noticing: both plain,
// of similar length, alike in their first letter's case and final mark.
func sameShape(d, p pair) bool {
	ld, lp := len(d.Source), len(p.Source)
	return d.Family == p.Family && plain(d) && upperStart(d.Source) == upperStart(p.Source) && endMark(d.Source) == endMark(p.Source) &&
		strings.TrimSpace(d.Source) == d.Source &&
		ld*3 >= lp*2 && lp*3 >= ld*2 && len(words(d.Source)) >= 2
}

func otherFile(f string) string {
	if strings.HasSuffix(f, "-1.po") {
		return strings.TrimSuffix(f, "-1.po") + "-2.po"
	}
	return strings.TrimSuffix(f, "-2.po") + "-1.po"
}

// writeCatalogs writes the units as Spanish catalogs, one per file name.
func writeCatalogs(dir string, ts []truth) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	byFile := map[string][]truth{}
	for _, t := range ts {
		byFile[t.File] = append(byFile[t.File], t)
	}
	names := make([]string, 0, len(byFile))
	for n := range byFile {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		w, err := po.NewWriter(f, po.WriterOptions{SourceLang: language.English, TargetLang: language.Spanish,
			Project: "kgmem QA bench", Translator: "kgmem"})
		if err != nil {
			return err
		}
		for _, t := range byFile[name] {
			u := &corpora.Unit{SourceLang: language.English, TargetLang: language.Spanish, Source: corpora.Text(t.Source),
				Target: corpora.Text(t.Target), Status: corpora.StatusTranslated}
			if err := w.Write(u); err != nil {
				f.Close()
				return fmt.Errorf("%s: %w", name, err)
			}
		}
		if err := w.Close(); err != nil {
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	return nil
}

func writeJSON(path string, v any) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// has reports whether a list holds s.
func has(list []string, s string) bool { return slices.Contains(list, s) }
