package ingest

// The word-alignment model of each language pair is kept between builds
// (see extract.Model), so that a build given only new files aligns them
// with what every earlier file taught.
//
// Crash consistency. A model file lists the files (name and content hash)
// whose units it has counted. A build reads it before writing anything,
// counts only the units of files it does not list (new, or changed since),
// and writes the merged model, atomically (temporary file, fsync, rename),
// only after every file of the build is marked complete in the store. So
// at any instant every file the model lists is complete in the store, and a
// killed build leaves one of two states: the store part-written and the old
// model, or the store complete and the old model. Either way the re-run
// reads the same old model, counts the same new files (whether the store
// already has them complete or not), trains the same way (extraction is
// deterministic), rewrites whatever is incomplete with the same batches,
// and writes the same model as the uninterrupted build. A model none of
// whose files the store knows was kept for another graph (a deleted or
// replaced store): it is removed before anything is written, and the build
// starts a new one.

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/graph/extract"
)

// ModelDir returns the directory where build-graph keeps the alignment
// models of the graph that uri names (as stores.Open takes it), given the
// data directory: the data directory itself for the default embedded store
// (the models lie beside graph.db); "PATH.models" beside the file of an
// "embedded:PATH" store; and, for a Dgraph graph, which has no directory of
// its own, "alignment/dgraph/HOSTS" in the data directory, keyed by the
// addresses of the URI.
func ModelDir(dataDir, uri string) string {
	switch {
	case uri == "" || uri == "embedded":
		return dataDir
	case strings.HasPrefix(uri, "embedded:"):
		return strings.TrimPrefix(uri, "embedded:") + ".models"
	}
	scheme, rest, ok := strings.Cut(uri, "://")
	if !ok {
		scheme, rest = "graph", uri
	}
	clean := strings.Map(func(r rune) rune {
		if r == '.' || r == '-' || ('0' <= r && r <= '9') || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') {
			return r
		}
		return '_'
	}, rest)
	return filepath.Join(dataDir, "alignment", scheme, clean)
}

// pairModel is the alignment model of one language pair during a build.
type pairModel struct {
	path string
	// add are the files whose units this build counts; the model is
	// written when there are any.
	add []extract.ModelSource
}

// continueModels reads the kept model of every language pair and makes its
// extractor continue from it. It returns nil when models are not kept.
func continueModels(opts Options, pairs []pairKey, xs map[pairKey]*extract.Extractor, inputs []input, done map[string]graph.SourceState, log *slog.Logger) (map[pairKey]*pairModel, error) {
	if opts.ModelDir == "" {
		return nil, nil
	}
	hash := map[string]string{}
	for _, in := range inputs {
		hash[in.name] = in.hash
	}
	out := map[pairKey]*pairModel{}
	for _, k := range pairs {
		pm := &pairModel{path: filepath.Join(opts.ModelDir, extract.ModelFileName(k.src, k.tgt))}
		prior, err := extract.ReadModelFile(pm.path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			prior = nil
			if len(done) > 0 {
				log.Info("no alignment model for this language pair: the alignment is learned from this build's files alone (a build with all the corpus files makes one)",
					"pair", k.src+"→"+k.tgt, "dir", opts.ModelDir)
			}
		case err != nil:
			return nil, err
		case prior.SourceLang != k.src || prior.TargetLang != k.tgt:
			return nil, fmt.Errorf("alignment model %s is for %s→%s, not %s→%s: delete it and rerun build-graph with all your corpus files to rebuild it",
				pm.path, prior.SourceLang, prior.TargetLang, k.src, k.tgt)
		case !knowsAny(done, prior.Sources):
			// Removed now, before the store is written, so that a re-run
			// after a crash does not find it again.
			log.Info("the alignment model counts none of the files in this graph (it was kept for another one): starting a new model", "model", pm.path)
			if err := os.Remove(pm.path); err != nil {
				return nil, fmt.Errorf("remove the alignment model of another graph: %w", err)
			}
			prior = nil
		}
		counted := map[string]string{}
		if prior != nil {
			for _, s := range prior.Sources {
				counted[s.Name] = s.Hash
			}
		}
		var same []string
		for _, f := range xs[k].AlignedFiles() {
			if h, ok := counted[f]; ok && h == hash[f] {
				same = append(same, f)
				continue
			}
			pm.add = append(pm.add, extract.ModelSource{Name: f, Hash: hash[f]})
		}
		if err := xs[k].Continue(prior, same); err != nil {
			return nil, err
		}
		out[k] = pm
	}
	return out, nil
}

// countedFiles returns the files (name → content hash) the kept models in
// dir have counted, of the models that belong to this graph (whose files
// the store knows). It reads only the head of each model file, and checks
// the file whole: a damaged model is an error that says what to do.
func countedFiles(dir string, done map[string]graph.SourceState) (map[string]string, error) {
	out := map[string]string{}
	if dir == "" {
		return out, nil
	}
	paths, err := filepath.Glob(filepath.Join(dir, "align.*.kgm"))
	if err != nil {
		return nil, fmt.Errorf("list alignment models: %w", err)
	}
	for _, p := range paths {
		_, _, sources, err := extract.ReadModelSources(p)
		if err != nil {
			return nil, err
		}
		if !knowsAny(done, sources) {
			continue
		}
		for _, s := range sources {
			out[s.Name] = s.Hash
		}
	}
	return out, nil
}

// knowsAny reports whether the store has a state for any of the sources.
func knowsAny(done map[string]graph.SourceState, sources []extract.ModelSource) bool {
	if len(sources) == 0 {
		return true
	}
	for _, s := range sources {
		if _, ok := done[s.Name]; ok {
			return true
		}
	}
	return false
}

// saveModels writes the merged model of every pair that counted new files.
// Run calls it after every file is complete in the store.
func saveModels(pairs []pairKey, xs map[pairKey]*extract.Extractor, models map[pairKey]*pairModel, log *slog.Logger) error {
	for _, k := range pairs {
		pm := models[k]
		if pm == nil || len(pm.add) == 0 {
			continue
		}
		m := xs[k].Model()
		if m == nil {
			continue
		}
		m = m.WithSources(pm.add...)
		if err := extract.WriteModelFile(pm.path, m); err != nil {
			return err
		}
		ws, wt := m.Words()
		log.Info("alignment model saved", "model", pm.path, "files", len(m.Sources), "source words", ws, "target words", wt, "word pairs", m.Pairs())
	}
	return nil
}
