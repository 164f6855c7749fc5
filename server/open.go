package server

import (
	"context"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/translate"
)

// OpenService returns what a front end works with on a data directory:
// the client of the server that holds opts.DataDir when one runs (told of
// the progress of the jobs it waits for through p), else the memory
// opened in this process with opts (see OpenMemory).
func OpenService(ctx context.Context, opts memory.Options, p memory.Progress) (memory.Service, error) {
	if cl, ok := DialDataDir(ctx, opts.DataDir); ok {
		if opts.Logger != nil {
			opts.Logger.Debug("going through the server that holds the data directory", "dir", opts.DataDir)
		}
		cl.Progress = p
		return cl, nil
	}
	m, err := OpenMemory(ctx, opts)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// OpenMemory opens the memory of opts.DataDir in this process. A
// directory a running server holds is refused with an error that matches
// memory.ErrInvalid: the server owns it until it stops.
func OpenMemory(ctx context.Context, opts memory.Options) (*memory.Memory, error) {
	if cl, ok := DialDataDir(ctx, opts.DataDir); ok {
		cl.Close()
		return nil, memory.Invalidf("kgmem serve holds %s; stop it to run this command", opts.DataDir)
	}
	return memory.Open(ctx, opts)
}

// Translator translates segments and files for a front end, with the
// memory or with a model alone: *memory.Memory, *memory.Models and Client
// are.
type Translator interface {
	Translate(ctx context.Context, o memory.TranslateOptions, segs []translate.Segment) ([]translate.Result, error)
	TranslateFile(ctx context.Context, o memory.TranslateOptions, fo translate.FileOptions, fn func(*corpora.Unit, translate.Result) error) (translate.FileSummary, error)
	Close() error
}

// OpenTranslator returns what translates with o on the data directory of
// opts: the models alone when o uses neither the translation memory nor
// the graph and nothing is to be learned, else the service OpenService
// returns (p is told how the server's jobs advance). A model that runs in
// this process starts at once, so that a wrong model or language pair is
// told before any input is read.
func OpenTranslator(ctx context.Context, opts memory.Options, o memory.TranslateOptions, learn bool, p memory.Progress) (Translator, error) {
	var tr Translator
	if o.NoTM && o.NoKG && !learn {
		models, err := memory.OpenModels(memory.ModelOptions{PluginDir: memory.PluginDir(opts.DataDir, opts.PluginDir), Logger: opts.Logger})
		if err != nil {
			return nil, err
		}
		tr = models
	} else {
		svc, err := OpenService(ctx, opts, p)
		if err != nil {
			return nil, err
		}
		tr = svc
	}
	if local, ok := tr.(interface {
		Translator(context.Context, memory.TranslateOptions) (*memory.Translator, error)
	}); ok {
		if _, err := local.Translator(ctx, o); err != nil {
			tr.Close()
			return nil, err
		}
	}
	return tr, nil
}
