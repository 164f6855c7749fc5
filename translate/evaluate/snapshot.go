package evaluate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/kgmem/kgmem/graph/stores"
	"github.com/kgmem/kgmem/retrieval"
)

// StoreFile is the name of the embedded graph store in a data directory.
const StoreFile = stores.EmbeddedFile

// Snapshot copies an embedded memory — the graph store file storeFile and
// the search index of dataDir — into the data directory dst (as
// dst/graph.db and retrieval.Dir(dst)), so that an online run can learn
// into the copy and leave the user's memory as it was. Neither may be
// open for writing while it runs. A missing index is not an error: the
// copy's index is then rebuilt from the store when opened.
func Snapshot(ctx context.Context, storeFile, dataDir, dst string) error {
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return fmt.Errorf("copy the memory: %w", err)
	}
	if err := copyFile(ctx, storeFile, filepath.Join(dst, StoreFile)); err != nil {
		return fmt.Errorf("copy the memory: %w", err)
	}
	src, to := retrieval.Dir(dataDir), retrieval.Dir(dst)
	if err := os.RemoveAll(to); err != nil {
		return fmt.Errorf("copy the memory: %w", err)
	}
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(to, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case d.Type().IsRegular():
			return copyFile(ctx, path, target)
		}
		return nil // sockets, links: not part of an index
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("copy the search index: %w", err)
	}
	return nil
}

func copyFile(ctx context.Context, src, dst string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
