package host

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// TrustFile is the name of the trust store in the plugin directory.
const TrustFile = "trust.json"

// Trusted is one binary the user trusts.
type Trusted struct {
	Path    string    `json:"path"`
	SHA256  string    `json:"sha256"`
	Trusted time.Time `json:"trusted"`
}

// trustDoc is the file format of the trust store.
type trustDoc struct {
	Version int       `json:"version"`
	Models  []Trusted `json:"models"`
}

// TrustStore is the list of third-party model binaries the user has
// trusted, by absolute path and SHA-256, kept in a JSON file. A TrustStore
// is not safe for concurrent use; the file is rewritten atomically.
type TrustStore struct {
	path    string
	entries map[string]Trusted
}

// OpenTrustStore reads the trust store at path; a missing file is an
// empty store.
func OpenTrustStore(path string) (*TrustStore, error) {
	s := &TrustStore{path: path, entries: map[string]Trusted{}}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read trust store: %w", err)
	}
	var doc trustDoc
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("read trust store %s: %w (fix or delete the file and trust the models again)", path, err)
	}
	for _, t := range doc.Models {
		s.entries[t.Path] = t
	}
	return s, nil
}

// Path returns the file the store is kept in.
func (s *TrustStore) Path() string { return s.path }

// Lookup returns the entry for the binary at path (made absolute).
func (s *TrustStore) Lookup(path string) (Trusted, bool) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return Trusted{}, false
	}
	t, ok := s.entries[abs]
	return t, ok
}

// Entries returns every entry, sorted by path.
func (s *TrustStore) Entries() []Trusted {
	out := make([]Trusted, 0, len(s.entries))
	for _, t := range s.entries {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// Trust records the current SHA-256 of the binary at path and saves the
// store.
func (s *TrustStore) Trust(path string, now time.Time) (Trusted, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return Trusted{}, err
	}
	if err := checkExecutable(abs); err != nil {
		return Trusted{}, err
	}
	sum, err := FileSHA256(abs)
	if err != nil {
		return Trusted{}, err
	}
	t := Trusted{Path: abs, SHA256: sum, Trusted: now.UTC()}
	s.entries[abs] = t
	return t, s.save()
}

func (s *TrustStore) save() error {
	doc := trustDoc{Version: 1, Models: s.Entries()}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(s.path), 0o755); err != nil {
		return fmt.Errorf("save trust store: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.path), ".trust-*.json")
	if err != nil {
		return fmt.Errorf("save trust store: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("save trust store: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save trust store: %w", err)
	}
	if err := os.Rename(tmp.Name(), s.path); err != nil {
		return fmt.Errorf("save trust store: %w", err)
	}
	return nil
}

// FileSHA256 returns the hex SHA-256 of a file.
func FileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("hash %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// checkExecutable says why path cannot be run as a model, or nil.
func checkExecutable(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if fi.IsDir() {
		return fmt.Errorf("%s is a directory", path)
	}
	if fi.Mode().Perm()&0o111 == 0 {
		return fmt.Errorf("%w: %s is not executable (chmod +x it)", ErrNotExecutable, path)
	}
	return nil
}
