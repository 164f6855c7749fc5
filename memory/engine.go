package memory

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kgmem/kgmem/fusion"
	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/langtag"
	"github.com/kgmem/kgmem/translate"
)

// EngineRequest asks what the memory corrects of a model's translations
// of one language pair (see translate.TallyEngine).
type EngineRequest struct {
	Model                  string
	SourceLang, TargetLang string
	Progress               Progress
}

// EngineSummary is what LearnEngine found.
type EngineSummary struct {
	Engine string `json:"engine"` // the engine's key, "apertium:en>es"
	Pairs  int    `json:"pairs"`  // memory pairs translated
	// Tallies counts the learned translations tallied; Corrections lists
	// those the engine keeps missing (offered to it whatever the memory's
	// certainty), most missed first.
	Tallies     int                     `json:"tallies"`
	Corrections []translate.EngineTally `json:"corrections"`
	// PostEdits lists the phrase corrections of the model's output that
	// translation applies (translate.PostEdit), most made first.
	PostEdits []translate.PostEdit `json:"post_edits"`
	Seconds   float64              `json:"seconds"`
}

// engineBatch is how many sources go through the engine at once.
const engineBatch = 256

// engineSource is the graph source of an engine's tallies over the whole
// memory; learn batches add theirs under their own names.
func engineSource(key string) string { return "engine:" + key }

// LearnEngine translates every pair of the memory in the request's
// language pair with the model alone, and records in the graph, for each
// learned term translation the pairs use, how often the model wrote it
// (graph.PredEngineAgreed) and how often it did not (PredEngineMissed).
// Translations with the model then get the translations it keeps missing
// offered as terms. Running it again replaces what it recorded; learn
// adds the tallies of the pairs it learns for every model recorded so.
func (m *Memory) LearnEngine(ctx context.Context, req EngineRequest) (EngineSummary, error) {
	start := time.Now()
	if req.Model == "" || req.SourceLang == "" || req.TargetLang == "" {
		return EngineSummary{}, invalidf("learning an engine's mistakes needs a model, a source and a target language")
	}
	var pairs []translate.Pair
	err := m.store.Segments(ctx, func(sg *graph.Segment) error {
		if langtag.Covers(langtag.Base(req.SourceLang), sg.SourceLang) && langtag.Covers(langtag.Base(req.TargetLang), sg.TargetLang) {
			pairs = append(pairs, translate.Pair{Source: sg.Source, Target: sg.Target})
		}
		return nil
	})
	if err != nil {
		return EngineSummary{}, err
	}
	if len(pairs) == 0 {
		return EngineSummary{}, invalidf("the memory has no %s→%s pairs to learn %s's mistakes from", req.SourceLang, req.TargetLang, req.Model)
	}
	m.writeMu.Lock()
	defer m.writeMu.Unlock()
	restore := m.progress.set(req.Progress)
	defer restore()
	key := graph.EngineKey(req.Model, req.SourceLang, req.TargetLang)
	tallies, edits, err := m.tallyEngine(ctx, req.Model, req.SourceLang, req.TargetLang, pairs, "")
	if err != nil {
		return EngineSummary{}, err
	}
	sum := EngineSummary{Engine: key, Pairs: len(pairs), Tallies: len(tallies), Seconds: time.Since(start).Seconds()}
	sum.Corrections = Corrections(tallies)
	sum.PostEdits = AppliedPostEdits(edits)
	return sum, nil
}

// memoryMinFixed is the fewest pairs of the whole memory an edit is
// recorded for: an edit made once is noise until learned pairs repeat it,
// and then the batch that repeats it records it.
const memoryMinFixed = 2

// AppliedPostEdits returns the post-edits translation applies, most made
// first.
func AppliedPostEdits(edits []translate.PostEdit) []translate.PostEdit {
	opts := translate.DefaultPostEditOptions()
	var out []translate.PostEdit
	for _, e := range edits {
		if opts.Applies(e) {
			out = append(out, e)
		}
	}
	slices.SortStableFunc(out, func(a, b translate.PostEdit) int { return b.Fixed - a.Fixed })
	return out
}

// tallyEngine tallies the model's translations of pairs and their
// post-edits, and writes them to the graph: those of a learn batch under
// the batch's engine source, adding to what is recorded; those of the
// whole memory (batch "") under the engine's own, replacing it.
func (m *Memory) tallyEngine(ctx context.Context, model, sourceLang, targetLang string, pairs []translate.Pair, batch string) ([]translate.EngineTally, []translate.PostEdit, error) {
	recount := batch == ""
	source, minFixed := engineSource(graph.EngineKey(model, sourceLang, targetLang)), 1
	if recount {
		minFixed = memoryMinFixed
	} else {
		source += ":" + batch
	}
	engine, err := newTranslator(ctx, m.models, nil, TranslateOptions{Model: model, SourceLang: sourceLang, TargetLang: targetLang, NoTM: true, NoKG: true})
	if err != nil {
		return nil, nil, err
	}
	m.progress.Phase("translating the memory with "+model, int64(len(pairs)))
	pe := translate.NewPostEditTally()
	tallies, err := translate.TallyEngine(ctx, m.pipelineMemory(engine.Description()), engine.Translator, pairs, engineBatch,
		func(n int) { m.progress.Add(int64(n)) }, pe)
	if err != nil {
		return nil, nil, err
	}
	edits := pe.Edits(minFixed)
	entity, facts := translate.EngineFacts(model, sourceLang, targetLang, tallies, edits, source)
	label := graph.Fact{ID: graph.FactID(entity.ID, graph.PredLabel, "", entity.Key, "zxx"), Subject: entity.ID,
		Predicate: graph.PredLabel, Literal: entity.Key, Lang: "zxx", Weight: 1, Sources: []graph.Source{{File: source, Count: 1}}}
	write := func() error {
		if recount {
			// A recount of the whole memory replaces what earlier
			// counts and learn batches recorded: their pairs are in it.
			if err := m.deleteEngineSources(ctx, source); err != nil {
				return err
			}
		}
		// The source's state says the tally is being written, then that
		// it is complete, as a learn batch's does (check reads it).
		state := graph.SourceState{File: source, Hash: source, Updated: time.Now().UTC()}
		if err := m.store.SetSourceState(ctx, state); err != nil {
			return err
		}
		b := &graph.Batch{Source: source, Entities: []graph.Entity{entity}, Facts: append([]graph.Fact{label}, facts...)}
		if err := m.store.Upsert(ctx, b); err != nil {
			return err
		}
		state.Complete = true
		return m.store.SetSourceState(ctx, state)
	}
	if err := m.recordPostEdits(model, sourceLang, targetLang, edits, recount, write); err != nil {
		return nil, nil, fmt.Errorf("record %s's mistakes: %w", model, err)
	}
	m.forget()
	return tallies, edits, nil
}

// Corrections returns the tallies of translations the engine keeps
// missing, by the rule translation offers them by (fusion.Options.
// MinEngineMissed: missed in enough pairs, three times as many as those
// where the engine wrote one of the term's translations), most missed
// first.
func Corrections(tallies []translate.EngineTally) []translate.EngineTally {
	agreed := map[string]int{}
	for _, t := range tallies {
		agreed[t.Entity] += t.Agreed
	}
	var out []translate.EngineTally
	for _, t := range tallies {
		if fusion.DefaultOptions().Corrects(fusion.TermCandidate{EngineMissed: t.Missed, EngineAgreed: agreed[t.Entity]}) {
			out = append(out, t)
		}
	}
	slices.SortStableFunc(out, func(a, b translate.EngineTally) int { return b.Missed - a.Missed })
	return out
}

// learnEngines adds to the tallies of every model whose mistakes the
// memory records for this language pair those of the pairs just learned,
// under the learn batch's name.
func (m *Memory) learnEngines(ctx context.Context, sourceLang, targetLang string, pairs []translate.Pair, batch string) error {
	infos, err := m.models.List()
	if err != nil {
		m.log.Warn("the models whose mistakes the memory records are not told of the learned pairs", "error", err)
		return nil
	}
	for _, info := range infos {
		_, err := m.store.Entity(ctx, graph.EngineID(info.Name, sourceLang, targetLang))
		if errors.Is(err, graph.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if _, _, err := m.tallyEngine(ctx, info.Name, sourceLang, targetLang, pairs, batch); err != nil {
			return fmt.Errorf("tally %s on the learned pairs: %w", info.Name, err)
		}
	}
	return nil
}

// recordPostEdits runs write, which records post-edits of model, with the
// pipeline memories told of them (translate.IndexMemory.RecordPostEdits).
func (m *Memory) recordPostEdits(model, sourceLang, targetLang string, edits []translate.PostEdit, replace bool, write func() error) error {
	m.pipes.mu.Lock()
	var ims []*translate.IndexMemory
	for _, im := range []*translate.IndexMemory{m.pipes.full, m.pipes.labels} {
		if im != nil {
			ims = append(ims, im)
		}
	}
	m.pipes.mu.Unlock()
	for _, im := range ims {
		w := write
		write = func() error { return im.RecordPostEdits(model, sourceLang, targetLang, edits, replace, w) }
	}
	return write()
}

// deleteEngineSources removes from the graph what the engine source of a
// whole memory, and those of the learn batches under it, recorded.
func (m *Memory) deleteEngineSources(ctx context.Context, source string) error {
	states, err := m.store.SourceStates(ctx)
	if err != nil {
		return err
	}
	for _, st := range states {
		if st.File == source || strings.HasPrefix(st.File, source+":") {
			if err := m.store.DeleteSource(ctx, st.File); err != nil {
				return err
			}
		}
	}
	return nil
}
