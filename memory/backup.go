package memory

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/kgmem/kgmem/graph/dump"
	"github.com/kgmem/kgmem/graph/extract"
)

// A backup is a gzipped tar archive of these files: what the memory is
// (backupManifestFile), its graph as a dump (graphDumpFile: every entity,
// fact, segment and source state; see package graph/dump), its alignment
// models, and its settings and keys. The search index is not in it: it is
// derived from the graph, and a restore builds it anew. A backup of one
// store restores into any store.
const (
	backupManifestFile = "kgmem-backup.json"
	graphDumpFile      = "graph.jsonl"
	backupModelDir     = "alignment"
)

// backupFiles are the files of the data directory a backup keeps as they
// are, when present.
var backupFiles = []string{ConfigFile, "keys.json"}

// BackupManifest says what a backup holds.
type BackupManifest struct {
	Format  int         `json:"format"`
	Created time.Time   `json:"created"`
	Memory  Manifest    `json:"memory"`
	Graph   dump.Counts `json:"graph"`
	Models  []string    `json:"models"`
}

// BackupFile writes a backup (see Backup) to the file at path whole or
// not at all: through a temporary file beside it, synced, then renamed.
func (m *Memory) BackupFile(ctx context.Context, path string) (BackupManifest, error) {
	out, err := os.CreateTemp(filepath.Dir(path), ".kgmem-backup-*")
	if err != nil {
		return BackupManifest{}, err
	}
	defer os.Remove(out.Name())
	bm, err := m.Backup(ctx, out)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(out.Name(), path)
	}
	if err != nil {
		return bm, fmt.Errorf("back up to %s: %w", path, err)
	}
	return bm, nil
}

// Backup writes a consistent copy of the memory to w: writes wait while it
// runs (reads do not). It returns what the backup holds.
func (m *Memory) Backup(ctx context.Context, w io.Writer) (BackupManifest, error) {
	m.writeMu.Lock()
	defer m.writeMu.Unlock()
	bm := BackupManifest{Format: FormatVersion, Created: time.Now().UTC(), Memory: m.manifest}
	zw := gzip.NewWriter(w)
	tw := tar.NewWriter(zw)
	// The dump goes through a temporary file: a tar entry needs its size
	// first.
	tmp, err := os.CreateTemp("", "kgmem-dump-*.jsonl")
	if err != nil {
		return bm, err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	if bm.Graph, err = dump.Write(ctx, m.store, tmp); err != nil {
		return bm, fmt.Errorf("back up the graph: %w", err)
	}
	if err := addFile(tw, graphDumpFile, tmp.Name()); err != nil {
		return bm, err
	}
	models, _ := filepath.Glob(filepath.Join(m.modelDir(), extract.ModelFilePattern))
	for _, p := range models {
		name := path.Join(backupModelDir, filepath.Base(p))
		if err := addFile(tw, name, p); err != nil {
			return bm, err
		}
		bm.Models = append(bm.Models, filepath.Base(p))
	}
	for _, name := range backupFiles {
		if err := addFile(tw, name, filepath.Join(m.dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return bm, err
		}
	}
	data, err := json.MarshalIndent(bm, "", "  ")
	if err != nil {
		return bm, err
	}
	if err := tw.WriteHeader(&tar.Header{Name: backupManifestFile, Mode: 0o644, Size: int64(len(data)), ModTime: bm.Created}); err != nil {
		return bm, err
	}
	if _, err := tw.Write(data); err != nil {
		return bm, err
	}
	if err := tw.Close(); err != nil {
		return bm, err
	}
	return bm, zw.Close()
}

// addFile adds the file at path to the archive as name.
func addFile(tw *tar.Writer, name, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: int64(fi.Mode().Perm()), Size: fi.Size(), ModTime: fi.ModTime()}); err != nil {
		return fmt.Errorf("back up %s: %w", name, err)
	}
	if _, err := io.Copy(tw, f); err != nil {
		return fmt.Errorf("back up %s: %w", name, err)
	}
	return nil
}

// RestoreRequest says where to restore a backup.
type RestoreRequest struct {
	// DataDir must not hold a memory yet.
	DataDir string
	// Graph is the store to restore into; "" restores into the kind the
	// backup was made of (a Dgraph graph at the address it had).
	Graph     string
	PluginDir string
	Logger    *slog.Logger
}

// ErrNotEmpty is returned by Restore when the data directory holds a
// memory already.
var ErrNotEmpty = errors.New("the data directory holds a memory already")

// RestoreFile restores the backup in the file at path (see Restore).
func RestoreFile(ctx context.Context, path string, req RestoreRequest) (*Memory, BackupManifest, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, BackupManifest{}, err
	}
	defer f.Close()
	return Restore(ctx, f, req)
}

// Restore makes the memory of a backup in a new data directory: the graph
// (in any store), the alignment models, the settings, and a search index
// built from the graph. The restored memory keeps its id.
func Restore(ctx context.Context, r io.Reader, req RestoreRequest) (*Memory, BackupManifest, error) {
	var bm BackupManifest
	if _, fresh, err := resolveDataDir(req.DataDir, req.Graph, true); err != nil {
		return nil, bm, err
	} else if !fresh {
		return nil, bm, fmt.Errorf("%s: %w (restore into a new directory)", req.DataDir, ErrNotEmpty)
	}
	stage, err := os.MkdirTemp(filepath.Dir(filepath.Clean(req.DataDir)), ".kgmem-restore-*")
	if err != nil {
		return nil, bm, err
	}
	defer os.RemoveAll(stage)
	if err := untar(r, stage); err != nil {
		return nil, bm, fmt.Errorf("read the backup: %w", err)
	}
	data, err := os.ReadFile(filepath.Join(stage, backupManifestFile))
	if err != nil {
		return nil, bm, fmt.Errorf("read the backup: no %s: not a kgmem backup", backupManifestFile)
	}
	if err := json.Unmarshal(data, &bm); err != nil {
		return nil, bm, fmt.Errorf("read the backup: %s: %w", backupManifestFile, err)
	}
	if bm.Format > FormatVersion {
		return nil, bm, fmt.Errorf("the backup is of format %d: %w", bm.Format, ErrNewerFormat)
	}
	graphURI := req.Graph
	if graphURI == "" {
		graphURI = bm.Memory.Graph
	}
	m, err := restoreInto(ctx, stage, req, graphURI, bm)
	return m, bm, err
}

// restoreInto loads the unpacked backup in stage into a new memory.
func restoreInto(ctx context.Context, stage string, req RestoreRequest, graphURI string, bm BackupManifest) (*Memory, error) {
	m, err := Open(ctx, Options{DataDir: req.DataDir, Graph: graphURI, Create: true, NoCatchUp: true, PluginDir: req.PluginDir, Logger: req.Logger})
	if err != nil {
		return nil, err
	}
	// The memory keeps its id: it is the same memory, elsewhere.
	m.manifest.ID, m.manifest.Created = bm.Memory.ID, bm.Memory.Created
	if err := writeManifest(m.dir, &m.manifest); err != nil {
		m.Close()
		return nil, err
	}
	f, err := os.Open(filepath.Join(stage, graphDumpFile))
	if err != nil {
		m.Close()
		return nil, fmt.Errorf("read the backup: %w", err)
	}
	_, err = dump.Read(ctx, f, m.store)
	f.Close()
	if err != nil {
		m.Close()
		return nil, fmt.Errorf("restore the graph: %w", err)
	}
	if err := restoreFiles(stage, m); err != nil {
		m.Close()
		return nil, err
	}
	if _, err := m.index.Rebuild(ctx, m.store); err != nil {
		m.Close()
		return nil, fmt.Errorf("build the search index: %w", err)
	}
	return m, nil
}

// restoreFiles puts the models, settings and keys of the backup in place.
func restoreFiles(stage string, m *Memory) error {
	if err := os.MkdirAll(m.modelDir(), 0o755); err != nil {
		return err
	}
	models, _ := filepath.Glob(filepath.Join(stage, backupModelDir, extract.ModelFilePattern))
	for _, p := range models {
		if err := os.Rename(p, filepath.Join(m.modelDir(), filepath.Base(p))); err != nil {
			return fmt.Errorf("restore %s: %w", filepath.Base(p), err)
		}
	}
	for _, name := range backupFiles {
		err := os.Rename(filepath.Join(stage, name), filepath.Join(m.dir, name))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("restore %s: %w", name, err)
		}
	}
	return nil
}

// untar unpacks a gzipped tar archive into dir, refusing names that leave
// it.
func untar(r io.Reader, dir string) error {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return err
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		name := path.Clean(h.Name)
		if h.Typeflag != tar.TypeReg || path.IsAbs(name) || name == ".." || strings.HasPrefix(name, "../") {
			return fmt.Errorf("unexpected entry %q", h.Name)
		}
		dst := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		f, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil {
			return err
		}
		_, err = io.Copy(f, tr)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
}
