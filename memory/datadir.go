package memory

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/kgmem/kgmem/graph/stores"
	"github.com/kgmem/kgmem/retrieval"
)

// ManifestFile is the file in a data directory that says what the
// directory holds: its id, its format version and the graph it is the
// memory of.
const ManifestFile = "memory.json"

// ConfigFile is the file in a data directory whose "name = value" lines
// are the defaults of the command line's flags there
// ("graph = dgraph://127.0.0.1:9080"). A backup keeps it.
const ConfigFile = "kgmem.conf"

// FormatVersion is the layout of a data directory this kgmem reads and
// writes. A directory of a newer version is refused.
const FormatVersion = 1

// Manifest is what a data directory records about itself.
type Manifest struct {
	Format  int       `json:"format"`
	ID      string    `json:"id"`
	Graph   string    `json:"graph"`
	Created time.Time `json:"created"`
}

// Errors Open returns when a data directory cannot be used as asked.
// Each comes wrapped with the directory and what to do.
var (
	// ErrNoMemory: the directory does not exist or holds no memory.
	ErrNoMemory = errors.New("no memory here")
	// ErrGraphMismatch: the directory is the memory of another graph
	// than the one named.
	ErrGraphMismatch = errors.New("the data directory belongs to another graph")
	// ErrNewerFormat: the directory was written by a newer kgmem.
	ErrNewerFormat = errors.New("the data directory was made by a newer kgmem")
	// ErrEmptyStore: the graph file exists but holds nothing at all (0
	// bytes): a damaged memory, never a new one.
	ErrEmptyStore = errors.New("the graph file is empty")
)

// DataDir returns the data directory to use: named when it is not "",
// else $KGMEM_DATA_DIR, else the user's XDG data directory
// ($XDG_DATA_HOME/kgmem, ~/.local/share/kgmem), else kgmem-data.
func DataDir(named string) string {
	if named != "" {
		return named
	}
	if d := os.Getenv("KGMEM_DATA_DIR"); d != "" {
		return d
	}
	return DefaultDataDir()
}

// DefaultDataDir is the data directory when none is named and
// $KGMEM_DATA_DIR is not set: the user's XDG data directory.
func DefaultDataDir() string {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "kgmem")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "kgmem-data"
	}
	return filepath.Join(home, ".local", "share", "kgmem")
}

// readManifest reads dir's manifest; nil when there is none.
func readManifest(dir string) (*Manifest, error) {
	path := filepath.Join(dir, ManifestFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("read %s: %w (the file is damaged: restore it from a backup, or remove it and name the graph with --graph)", path, err)
	}
	if m.Format > FormatVersion {
		return nil, fmt.Errorf("%s: format %d: %w (this kgmem reads format %d; upgrade kgmem)", dir, m.Format, ErrNewerFormat, FormatVersion)
	}
	if m.Graph == "" {
		return nil, fmt.Errorf("read %s: no graph named (remove the file and name the graph with --graph)", path)
	}
	return &m, nil
}

// writeManifest writes m into dir atomically.
func writeManifest(dir string, m *Manifest) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	path := filepath.Join(dir, ManifestFile)
	tmp, err := os.CreateTemp(dir, "."+ManifestFile+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

func newID() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on Linux
	}
	return hex.EncodeToString(b)
}

// sameGraph reports whether two graph URIs name the same graph.
func sameGraph(a, b string) bool {
	return normalGraph(a) == normalGraph(b)
}

func normalGraph(uri string) string {
	if uri == "" {
		return stores.Default
	}
	return strings.TrimRight(uri, "/")
}

// resolveDataDir decides which graph the data directory dir is the memory
// of, given the graph named by the caller ("" for none), and returns its
// manifest, and whether the manifest is new and still to be written (once
// the store opens). A directory made before data directories recorded
// their graph is adopted: its manifest is made from what it holds. With
// create, a directory without a memory gets a new one; without, it is an
// error.
func resolveDataDir(dir, named string, create bool) (m *Manifest, fresh bool, err error) {
	if m, err = readManifest(dir); err != nil {
		return nil, false, err
	}
	if m != nil {
		if named != "" && !sameGraph(named, m.Graph) {
			return nil, false, fmt.Errorf("%s is the memory of %s, not %s: %w (leave out --graph, or give the one it was built with, or use another --data-dir)",
				dir, m.Graph, named, ErrGraphMismatch)
		}
		return m, false, checkStoreFile(dir, m.Graph, create)
	}
	// No manifest: a directory of an older kgmem, or none at all.
	legacy, err := legacyGraph(dir, named)
	if err != nil {
		return nil, false, err
	}
	if legacy != "" {
		m = &Manifest{Format: FormatVersion, ID: newID(), Graph: legacy, Created: time.Now().UTC()}
		return m, true, checkStoreFile(dir, legacy, create)
	}
	if !create {
		if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
			return nil, false, fmt.Errorf("%s does not exist: %w (check --data-dir, or build a memory there with `kgmem build-graph` or `kgmem init`)", dir, ErrNoMemory)
		}
		return nil, false, fmt.Errorf("%s holds no memory: %w (check --data-dir, or build one there with `kgmem build-graph` or `kgmem init`)", dir, ErrNoMemory)
	}
	if err := stores.Check(named); err != nil {
		return nil, false, invalidf("%v", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, false, fmt.Errorf("create the data directory: %w", err)
	}
	return &Manifest{Format: FormatVersion, ID: newID(), Graph: normalGraph(named), Created: time.Now().UTC()}, true, nil
}

// legacyGraph returns the graph a data directory without a manifest holds
// a memory of: embedded when it has a graph file, the named graph when it
// has a search index (a memory of a Dgraph graph has nothing else), ""
// when it holds no memory.
func legacyGraph(dir, named string) (string, error) {
	embeddedFile := filepath.Join(dir, stores.EmbeddedFile)
	_, errGraph := os.Stat(embeddedFile)
	hasGraph := errGraph == nil
	_, errIndex := os.Stat(filepath.Join(retrieval.Dir(dir), "manifest.json"))
	hasIndex := errIndex == nil
	switch {
	case hasGraph && (named == "" || sameGraph(named, stores.Default)):
		return stores.Default, nil
	case hasGraph:
		return "", fmt.Errorf("%s holds an embedded graph (%s), not %s: %w (leave out --graph, or use another --data-dir)",
			dir, stores.EmbeddedFile, named, ErrGraphMismatch)
	case hasIndex && named != "" && !sameGraph(named, stores.Default):
		return normalGraph(named), nil
	case hasIndex:
		return "", fmt.Errorf("%s has a search index but no graph file: its graph is elsewhere (a Dgraph cluster): %w (name it with --graph dgraph://HOST:PORT)",
			dir, ErrNoMemory)
	}
	return "", nil
}

// checkStoreFile refuses an embedded graph file that holds nothing, or
// that is missing when the caller does not create one: a file truncated to
// nothing or deleted is a lost memory, not a new one.
func checkStoreFile(dir, uri string, create bool) error {
	path := ""
	switch {
	case uri == stores.Default:
		path = filepath.Join(dir, stores.EmbeddedFile)
	case strings.HasPrefix(uri, "embedded:"):
		path = strings.TrimPrefix(uri, "embedded:")
	default:
		return nil
	}
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && create:
		return nil // a build creates it
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s is missing: %w (restore it with `kgmem restore`, or rebuild the memory with `kgmem build-graph`)", path, ErrNoMemory)
	case err != nil:
		return fmt.Errorf("%s: %w", path, err)
	case fi.Size() == 0:
		return fmt.Errorf("%s: %w (it held the memory: restore it with `kgmem restore`, or rebuild it with `kgmem build-graph`)", path, ErrEmptyStore)
	}
	return nil
}
