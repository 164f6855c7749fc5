package memory

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/kgmem/kgmem/analysis"
	"github.com/kgmem/kgmem/graph"
)

// TermRequest sets the status of a translation of a term: a terminologist
// adding a term, or deprecating a translation.
type TermRequest struct {
	SourceLang string `json:"source_lang"`
	TargetLang string `json:"target_lang"`
	// Source is the term; an entity with that label is found, or a new
	// term entity is made.
	Source string `json:"source"`
	// Target is its translation.
	Target string `json:"target"`
	// Status is preferred (the default: the translation to use; the
	// preferred one before it is superseded), admitted, or deprecated
	// (never to be used; flagged when it appears).
	Status graph.Status `json:"status,omitempty"`
	// Origin says who set it (a file, "api:KEY"); kept as provenance.
	Origin string `json:"origin,omitempty"`
}

// TermSummary is what SetTerm changed.
type TermSummary struct {
	Entity string `json:"entity"`
	// Created is true when the term was new to the graph.
	Created bool `json:"created"`
	// Superseded counts the labels whose validity was closed (an older
	// preferred translation, the same translation with another status).
	Superseded int `json:"superseded"`
	// Source is the graph source the change was written as.
	Source string `json:"source"`
}

// SetTerm gives a translation of a term a status, at once: the next
// translation of the term uses it (preferred, admitted) or avoids and
// flags it (deprecated). Nothing is overwritten: the label it replaces is
// superseded and stays in the term's history.
func (m *Memory) SetTerm(ctx context.Context, req TermRequest) (TermSummary, error) {
	req.Source, req.Target = strings.TrimSpace(req.Source), strings.TrimSpace(req.Target)
	switch {
	case req.Source == "" || req.Target == "":
		return TermSummary{}, invalidf("a term needs a source and a target")
	case req.SourceLang == "" || req.TargetLang == "":
		return TermSummary{}, invalidf("a term needs a source and a target language")
	case req.Status == "":
		req.Status = graph.StatusPreferred
	case req.Status != graph.StatusPreferred && req.Status != graph.StatusAdmitted && req.Status != graph.StatusDeprecated:
		return TermSummary{}, invalidf("status %q: use preferred, admitted or deprecated", req.Status)
	}
	m.writeMu.Lock()
	defer m.writeMu.Unlock()
	now := time.Now().UTC()
	h := sha256.Sum256([]byte(req.SourceLang + "\x00" + req.Source + "\x00" + req.TargetLang + "\x00" + req.Target + "\x00" + string(req.Status) + "\x00" + req.Origin))
	source := "term:" + now.Format("20060102T150405.000000000Z") + ":" + hex.EncodeToString(h[:])[:16]
	sum := TermSummary{Source: source}
	e, created, err := m.termEntity(ctx, req, source, now)
	if err != nil {
		return sum, err
	}
	sum.Entity, sum.Created = e.ID, created
	if err := m.store.SetSourceState(ctx, graph.SourceState{File: source, Hash: source, Updated: now}); err != nil {
		return sum, fmt.Errorf("set the term: %w", err)
	}
	if sum.Superseded, err = m.setLabel(ctx, e, req, source, now); err != nil {
		return sum, err
	}
	if err := m.store.SetSourceState(ctx, graph.SourceState{File: source, Hash: source, Complete: true, Updated: now}); err != nil {
		return sum, fmt.Errorf("set the term: %w", err)
	}
	if _, err := m.index.CatchUpEntities(ctx, m.store, []string{e.ID}); err != nil {
		return sum, fmt.Errorf("update the search index: %w", err)
	}
	m.forget()
	return sum, nil
}

// termEntity finds the term entity with the source label, or makes one.
func (m *Memory) termEntity(ctx context.Context, req TermRequest, source string, now time.Time) (graph.Entity, bool, error) {
	es, err := m.store.EntitiesByLabel(ctx, req.Source, req.SourceLang, true)
	if err != nil {
		return graph.Entity{}, false, err
	}
	rankEntities(es, req.Source, req.SourceLang)
	for _, e := range es {
		if e.Type == graph.TypeTerm {
			return e, false, nil
		}
	}
	base := graph.BaseLang(req.SourceLang)
	key := base + ":" + analysis.For(req.SourceLang).Key(req.Source)
	e := graph.Entity{ID: graph.EntityID(graph.TypeTerm, key), Type: graph.TypeTerm, Key: key}
	label := graph.NewLabel(e.ID, req.Source, req.SourceLang, graph.StatusPreferred, 1, source, 1, "")
	label.ValidFrom = now
	if err := m.store.Upsert(ctx, &graph.Batch{Source: source, Entities: []graph.Entity{e}, Facts: []graph.Fact{label}}); err != nil {
		return e, false, fmt.Errorf("add the term %q: %w", req.Source, err)
	}
	return e, true, nil
}

// setLabel writes the target label with its status, superseding the
// preferred label it replaces, and returns how many it superseded. The
// same translation with another status changes status in place (its
// sources keep who set it and when).
func (m *Memory) setLabel(ctx context.Context, e graph.Entity, req TermRequest, source string, now time.Time) (int, error) {
	facts, err := m.store.Facts(ctx, e.ID, graph.FactQuery{Predicate: graph.PredLabel, Lang: graph.BaseLang(req.TargetLang)})
	if err != nil {
		return 0, fmt.Errorf("read the translations of %s: %w", e.Key, err)
	}
	next := graph.NewLabel(e.ID, req.Target, req.TargetLang, req.Status, 1, source, 1, "")
	next.ValidFrom = now
	var olds []string
	for _, f := range facts {
		switch {
		case f.ID == next.ID && f.Status == req.Status:
			return 0, nil // already so
		case f.ID == next.ID:
			next.Weight = max(next.Weight, f.Weight)
		case req.Status == graph.StatusPreferred && f.Status == graph.StatusPreferred:
			olds = append(olds, f.ID) // the preferred one it replaces
		}
	}
	if err := m.store.Upsert(ctx, &graph.Batch{Source: source, Facts: []graph.Fact{next}}); err != nil {
		return 0, fmt.Errorf("set a translation of %s: %w", e.Key, err)
	}
	for i, old := range olds {
		if err := m.store.Supersede(ctx, old, next, source); err != nil {
			return i, fmt.Errorf("supersede a translation of %s: %w", e.Key, err)
		}
	}
	return len(olds), nil
}
