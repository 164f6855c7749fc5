package memory

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/internal/outfile"
	"github.com/kgmem/kgmem/langtag"
)

// Forgetting takes approved work back out of the memory without losing
// it. What a forget removes is first written whole to a record in the data
// directory (forgotten/ID.json): the segments and facts of every source it
// touches and the source's state. Then the sources are rewritten without
// the forgotten pairs, and a preferred translation that a forgotten pair
// made is superseded by the one it had replaced, which becomes current
// again. The graph's history keeps both. Searches stop returning the
// pairs at once; Unforget puts everything back as it was.

// ForgetRequest says what to forget: one of Batch, Origin or Source.
type ForgetRequest struct {
	// Batch is a learn batch, as learn reports it (learn:…).
	Batch string `json:"batch,omitempty"`
	// Origin forgets what came from sources or approvers matching it: a
	// file name, a glob ('*.po', learn:*), api:KEY.
	Origin string `json:"origin,omitempty"`
	// Source (and Target, when given) forget one pair, in every source
	// that holds it; SourceLang and TargetLang narrow it to a language
	// pair.
	Source     string `json:"source,omitempty"`
	Target     string `json:"target,omitempty"`
	SourceLang string `json:"source_lang,omitempty"`
	TargetLang string `json:"target_lang,omitempty"`
	// By is who forgets (cli, api:KEY); kept in the record.
	By string `json:"by,omitempty"`
}

func (r ForgetRequest) validate() error {
	n := 0
	for _, s := range []string{r.Batch, r.Origin, r.Source} {
		if strings.TrimSpace(s) != "" {
			n++
		}
	}
	if n != 1 {
		return invalidf("say what to forget: a batch, an origin, or a pair's source text (one of them)")
	}
	if r.Target != "" && r.Source == "" {
		return invalidf("a target text goes with the source text of the pair to forget")
	}
	return nil
}

// ForgetSummary is what a forget (or its undoing) did.
type ForgetSummary struct {
	// ID names the forget: give it to Unforget to undo it.
	ID      string        `json:"id"`
	Time    time.Time     `json:"time"`
	Request ForgetRequest `json:"request"`
	// Sources are the graph sources that lost pairs.
	Sources []string `json:"sources"`
	// Segments is how many segments no longer come from them.
	Segments int `json:"segments"`
	// Reopened counts translations that are current again because the
	// pair that superseded them was forgotten.
	Reopened int `json:"reopened"`
	// Restored is when Unforget put the pairs back (zero until then).
	Restored time.Time `json:"restored,omitzero"`
}

// forgetRecord is the file a forget writes before it changes anything.
type forgetRecord struct {
	ForgetSummary
	Files []forgottenSource `json:"files"`
}

// forgottenSource is one graph source as it was before a forget.
type forgottenSource struct {
	State    graph.SourceState `json:"state"`
	Segments []graph.Segment   `json:"segments"` // every segment with an entry for the source, that entry only
	Facts    []graph.Fact      `json:"facts"`    // every fact with an entry for the source, that entry only
	// Forgotten are the IDs of the segments the forget removed from it.
	Forgotten []string `json:"forgotten"`
	// Reopened are the translations made current again: each is the fact
	// the source had made preferred and the one it had superseded.
	Reopened []reopened `json:"reopened,omitempty"`
}

type reopened struct {
	Next graph.Fact `json:"next"` // the translation the source made preferred
	Old  graph.Fact `json:"old"`  // the one it superseded, current again
}

// forgetDir is where forget records are kept.
func (m *Memory) forgetDir() string { return filepath.Join(m.dir, "forgotten") }

// Forget takes pairs out of the memory (see ForgetRequest), keeping a
// record to undo it with. It is an error when nothing matches.
func (m *Memory) Forget(ctx context.Context, req ForgetRequest) (ForgetSummary, error) {
	if err := req.validate(); err != nil {
		return ForgetSummary{}, err
	}
	lister, ok := m.store.(graph.Lister)
	if !ok {
		return ForgetSummary{}, fmt.Errorf("forget: the graph store cannot list its facts")
	}
	m.writeMu.Lock()
	defer m.writeMu.Unlock()
	hits, err := m.forgetHits(ctx, req)
	if err != nil {
		return ForgetSummary{}, err
	}
	if len(hits) == 0 {
		return ForgetSummary{}, withHint(fmt.Errorf("forget: %w", graph.ErrNotFound), "nothing in the memory matches; check the text, the batch ID (kgmem learn prints it) or the origin")
	}
	now := time.Now().UTC()
	rec := forgetRecord{ForgetSummary: ForgetSummary{Time: now, Request: req}}
	rec.ID = forgetID(req, now)
	if rec.Files, err = m.collectSources(ctx, lister, hits); err != nil {
		return ForgetSummary{}, err
	}
	for i := range rec.Files {
		fs := &rec.Files[i]
		rec.Sources = append(rec.Sources, fs.State.File)
		rec.Segments += len(fs.Forgotten)
		if fs.Reopened, err = m.toReopen(ctx, fs); err != nil {
			return ForgetSummary{}, err
		}
		rec.Reopened += len(fs.Reopened)
	}
	// The record is on disk before the graph changes: a crash between the
	// two leaves it, and Unforget then puts back what was written.
	if err := m.writeForgetRecord(&rec); err != nil {
		return ForgetSummary{}, err
	}
	for i := range rec.Files {
		if err := m.forgetSource(ctx, rec.ID, &rec.Files[i]); err != nil {
			return rec.ForgetSummary, err
		}
	}
	if _, err := m.catchUp(ctx); err != nil {
		return rec.ForgetSummary, err
	}
	m.forget()
	return rec.ForgetSummary, nil
}

// forgetHits returns, by graph source, the IDs of the segments whose entry
// for that source the request forgets.
func (m *Memory) forgetHits(ctx context.Context, req ForgetRequest) (map[string]map[string]bool, error) {
	hits := map[string]map[string]bool{}
	src, tgt := strings.TrimSpace(req.Source), strings.TrimSpace(req.Target)
	err := m.store.Segments(ctx, func(sg *graph.Segment) error {
		pair := src != "" && sg.Source == src && (tgt == "" || sg.Target == tgt) &&
			(req.SourceLang == "" || langtag.Covers(req.SourceLang, sg.SourceLang)) &&
			(req.TargetLang == "" || langtag.Covers(req.TargetLang, sg.TargetLang))
		for _, s := range sg.Sources {
			if pair || (req.Batch != "" && s.File == req.Batch) ||
				(req.Origin != "" && (matchOrigin(req.Origin, s.File) || s.Origin != "" && matchOrigin(req.Origin, s.Origin))) {
				if hits[s.File] == nil {
					hits[s.File] = map[string]bool{}
				}
				hits[s.File][sg.ID] = true
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("forget: read the segments: %w", err)
	}
	return hits, nil
}

// collectSources reads every segment and fact of the sources hit, each
// with its entry for that source only, and the sources' states.
func (m *Memory) collectSources(ctx context.Context, lister graph.Lister, hits map[string]map[string]bool) ([]forgottenSource, error) {
	states, err := m.store.SourceStates(ctx)
	if err != nil {
		return nil, fmt.Errorf("forget: read source states: %w", err)
	}
	byFile := map[string]*forgottenSource{}
	out := make([]forgottenSource, 0, len(hits))
	for _, file := range slices.Sorted(maps.Keys(hits)) {
		out = append(out, forgottenSource{State: graph.SourceState{File: file, Complete: true}, Forgotten: slices.Sorted(maps.Keys(hits[file]))})
	}
	for i := range out {
		byFile[out[i].State.File] = &out[i]
	}
	for _, st := range states {
		if fs := byFile[st.File]; fs != nil {
			fs.State = st
		}
	}
	err = m.store.Segments(ctx, func(sg *graph.Segment) error {
		for _, s := range sg.Sources {
			if fs := byFile[s.File]; fs != nil {
				c := *sg
				c.Sources = []graph.Source{s}
				fs.Segments = append(fs.Segments, c)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("forget: read the segments: %w", err)
	}
	err = lister.EachFact(ctx, func(f *graph.Fact) error {
		for _, s := range f.Sources {
			if fs := byFile[s.File]; fs != nil {
				c := *f
				c.Sources = []graph.Source{s}
				fs.Facts = append(fs.Facts, c)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("forget: read the facts: %w", err)
	}
	return out, nil
}

// kept splits a source's segments and facts into what stays after the
// forget. A fact loses the counts of the forgotten units it names; a fact
// left with none is dropped.
func (fs *forgottenSource) kept() (segs []graph.Segment, facts []graph.Fact, dropped []graph.Fact) {
	gone := map[string]bool{}
	units := map[string]bool{}
	for _, id := range fs.Forgotten {
		gone[id] = true
	}
	for _, sg := range fs.Segments {
		if gone[sg.ID] {
			for _, u := range sg.Sources[0].Units {
				units[u] = true
			}
			continue
		}
		segs = append(segs, sg)
	}
	for _, f := range fs.Facts {
		s := f.Sources[0]
		left := slices.DeleteFunc(slices.Clone(s.Units), func(u string) bool { return units[u] })
		s.Count -= len(s.Units) - len(left)
		if len(segs) == 0 || s.Count <= 0 {
			dropped = append(dropped, f)
			continue
		}
		s.Units = left
		f.Sources = []graph.Source{s}
		f.Count = s.Count
		facts = append(facts, f)
	}
	return segs, facts, dropped
}

// toReopen finds, for every current translation the forget drops that had
// superseded another, the one it superseded.
func (m *Memory) toReopen(ctx context.Context, fs *forgottenSource) ([]reopened, error) {
	_, _, dropped := fs.kept()
	var out []reopened
	for _, n := range dropped {
		if n.Predicate != graph.PredLabel || !n.ValidTo.IsZero() || n.Status != graph.StatusPreferred {
			continue
		}
		hist, err := m.store.Facts(ctx, n.Subject, graph.FactQuery{Predicate: graph.PredLabel, Lang: n.Lang, History: true})
		if err != nil {
			return nil, fmt.Errorf("forget: read the history of %s: %w", n.Subject, err)
		}
		for _, o := range hist {
			if o.ID != n.ID && !o.ValidTo.IsZero() && o.ValidTo.Equal(n.ValidFrom) && strings.EqualFold(o.Lang, n.Lang) {
				out = append(out, reopened{Next: n, Old: o})
				break
			}
		}
	}
	return out, nil
}

// forgetSource rewrites one source without the forgotten pairs.
func (m *Memory) forgetSource(ctx context.Context, id string, fs *forgottenSource) error {
	file := fs.State.File
	for _, r := range fs.Reopened {
		old := r.Old
		old.Sources, old.ValidFrom, old.ValidTo, old.Count = nil, time.Time{}, time.Time{}, 1
		if err := m.store.Supersede(ctx, r.Next.ID, old, id); err != nil {
			return fmt.Errorf("forget: make %q current again: %w", r.Old.Literal, err)
		}
	}
	if err := m.store.DeleteSource(ctx, file); err != nil {
		return fmt.Errorf("forget: remove %s: %w", file, err)
	}
	segs, facts, _ := fs.kept()
	if len(segs) == 0 {
		return nil
	}
	st := fs.State
	st.Complete, st.Units = false, len(segs)
	if err := m.store.SetSourceState(ctx, st); err != nil {
		return fmt.Errorf("forget: rewrite %s: %w", file, err)
	}
	if err := m.store.Upsert(ctx, &graph.Batch{Source: file, Segments: segs, Facts: facts}); err != nil {
		return fmt.Errorf("forget: rewrite %s: %w", file, err)
	}
	st.Complete = true
	if err := m.store.SetSourceState(ctx, st); err != nil {
		return fmt.Errorf("forget: rewrite %s: %w", file, err)
	}
	return nil
}

// Unforget undoes a forget: the sources it rewrote are written back as
// they were, and the translations it made current again are superseded
// again by the ones the forgotten pairs had made preferred.
func (m *Memory) Unforget(ctx context.Context, id string) (ForgetSummary, error) {
	m.writeMu.Lock()
	defer m.writeMu.Unlock()
	rec, err := m.readForgetRecord(id)
	if err != nil {
		return ForgetSummary{}, err
	}
	if !rec.Restored.IsZero() {
		return rec.ForgetSummary, invalidf("%s was undone already, on %s", id, rec.Restored.Format(time.RFC3339))
	}
	// The reopening's own contribution goes first.
	if err := m.store.DeleteSource(ctx, rec.ID); err != nil {
		return rec.ForgetSummary, fmt.Errorf("unforget: %w", err)
	}
	for i := range rec.Files {
		fs := &rec.Files[i]
		file := fs.State.File
		if err := m.store.DeleteSource(ctx, file); err != nil {
			return rec.ForgetSummary, fmt.Errorf("unforget: %w", err)
		}
		st := fs.State
		st.Complete = false
		if err := m.store.SetSourceState(ctx, st); err != nil {
			return rec.ForgetSummary, fmt.Errorf("unforget: %w", err)
		}
		if err := m.store.Upsert(ctx, &graph.Batch{Source: file, Segments: fs.Segments, Facts: fs.Facts}); err != nil {
			return rec.ForgetSummary, fmt.Errorf("unforget: write %s back: %w", file, err)
		}
		for _, r := range fs.Reopened {
			next := r.Next
			next.ValidTo = time.Time{}
			if err := m.store.Supersede(ctx, r.Old.ID, next, file); err != nil {
				return rec.ForgetSummary, fmt.Errorf("unforget: make %q preferred again: %w", r.Next.Literal, err)
			}
		}
		if err := m.store.SetSourceState(ctx, fs.State); err != nil {
			return rec.ForgetSummary, fmt.Errorf("unforget: %w", err)
		}
	}
	rec.Restored = time.Now().UTC()
	if err := m.writeForgetRecord(rec); err != nil {
		return rec.ForgetSummary, err
	}
	if _, err := m.catchUp(ctx); err != nil {
		return rec.ForgetSummary, err
	}
	m.forget()
	return rec.ForgetSummary, nil
}

// Forgotten lists the forgets of the memory, newest first.
func (m *Memory) Forgotten(ctx context.Context) ([]ForgetSummary, error) {
	names, err := filepath.Glob(filepath.Join(m.forgetDir(), "*.json"))
	if err != nil {
		return nil, err
	}
	out := []ForgetSummary{}
	for _, name := range names {
		rec, err := readForgetFile(name)
		if err != nil {
			return nil, err
		}
		out = append(out, rec.ForgetSummary)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Time.After(out[j].Time) })
	return out, nil
}

// forgetID names a forget by its time and request.
func forgetID(req ForgetRequest, t time.Time) string {
	b, _ := json.Marshal(req)
	h := sha256.Sum256(append(b, t.Format(time.RFC3339Nano)...))
	return "forget:" + t.Format("20060102T150405Z") + ":" + hex.EncodeToString(h[:6])
}

// forgetFile is the record file of a forget ID (its colons are not kept:
// they are not allowed in file names everywhere).
func (m *Memory) forgetFile(id string) string {
	return filepath.Join(m.forgetDir(), strings.ReplaceAll(id, ":", "_")+".json")
}

func (m *Memory) writeForgetRecord(rec *forgetRecord) error {
	if err := os.MkdirAll(m.forgetDir(), 0o700); err != nil {
		return fmt.Errorf("forget: %w", err)
	}
	out, err := outfile.Create(m.forgetFile(rec.ID))
	if err != nil {
		return fmt.Errorf("forget: %w", err)
	}
	enc := json.NewEncoder(out)
	if err := enc.Encode(rec); err != nil {
		out.Abort()
		return fmt.Errorf("forget: write %s: %w", out.Name(), err)
	}
	return out.Commit()
}

func (m *Memory) readForgetRecord(id string) (*forgetRecord, error) {
	if !strings.HasPrefix(id, "forget:") || strings.ContainsAny(id, `/\`) {
		return nil, invalidf("%q is not a forget ID (forget:…, as kgmem forget prints it)", id)
	}
	rec, err := readForgetFile(m.forgetFile(id))
	if errors.Is(err, os.ErrNotExist) {
		return nil, withHint(fmt.Errorf("%s: %w", id, graph.ErrNotFound), "list the forgets with kgmem forget --list")
	}
	return rec, err
}

func readForgetFile(path string) (*forgetRecord, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var rec forgetRecord
	if err := json.Unmarshal(b, &rec); err != nil {
		return nil, fmt.Errorf("%s: %w (the forget record is damaged)", path, err)
	}
	return &rec, nil
}
