package server

import (
	"context"

	"github.com/kgmem/kgmem/memory"
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
