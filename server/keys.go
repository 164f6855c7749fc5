package server

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// Role is what a key may do. Each role may do what the ones before it may.
type Role int

const (
	RoleNone      Role = iota
	RoleRead           // search the memory, read entities, stats, export
	RoleTranslate      // translate text and documents
	RoleLearn          // learn approved translations, add and deprecate terms, forget
	RoleAdmin          // import files, manage jobs of others, everything
)

var roleNames = []string{"none", "read", "translate", "learn", "admin"}

func (r Role) String() string {
	if r < 0 || int(r) >= len(roleNames) {
		return "none"
	}
	return roleNames[r]
}

// ParseRole reads a role name.
func ParseRole(s string) (Role, error) {
	for i, n := range roleNames[1:] {
		if strings.EqualFold(s, n) {
			return Role(i + 1), nil
		}
	}
	return RoleNone, fmt.Errorf("role %q: use read, translate, learn or admin", s)
}

func (r Role) MarshalJSON() ([]byte, error) { return json.Marshal(r.String()) }

func (r *Role) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if s == RoleNone.String() {
		*r = RoleNone
		return nil
	}
	v, err := ParseRole(s)
	*r = v
	return err
}

// KeysFile is the file in the data directory that holds the API keys,
// hashed.
const KeysFile = "keys.json"

// keyPrefix starts every key kgmem makes, so that a key pasted in the
// wrong place can be recognised.
const keyPrefix = "kgm_"

// Key is an API key as it is stored: its secret only as a SHA-256 hash.
type Key struct {
	Name    string    `json:"name"`
	Role    Role      `json:"role"`
	Hash    string    `json:"sha256"`
	Hint    string    `json:"hint"` // the first characters of the secret, to tell keys apart
	Created time.Time `json:"created"`
}

// Keys is the key store of a data directory. It is safe for concurrent
// use.
type Keys struct {
	path string
	mu   sync.RWMutex
	keys []Key
	// mod and checked let a running server see keys added or removed
	// by `kgmem keys`: the file is read again when it changed.
	mod     time.Time
	checked time.Time
}

// ErrNoKey is returned for a name no key has.
var ErrNoKey = errors.New("no such key")

// OpenKeys reads the key store in dataDir; a missing file is no keys.
func OpenKeys(dataDir string) (*Keys, error) {
	k := &Keys{path: filepath.Join(dataDir, KeysFile)}
	k.mu.Lock()
	defer k.mu.Unlock()
	if err := k.read(); err != nil {
		return nil, err
	}
	return k, nil
}

// read reads the file. k.mu is held.
func (k *Keys) read() error {
	fi, err := os.Stat(k.path)
	if errors.Is(err, fs.ErrNotExist) {
		k.keys, k.mod = nil, time.Time{}
		return nil
	}
	if err != nil {
		return fmt.Errorf("read the keys: %w", err)
	}
	data, err := os.ReadFile(k.path)
	if err != nil {
		return fmt.Errorf("read the keys: %w", err)
	}
	var keys []Key
	if err := json.Unmarshal(data, &keys); err != nil {
		return fmt.Errorf("read %s: %w (restore it, or remove it and add the keys again)", k.path, err)
	}
	k.keys, k.mod = keys, fi.ModTime()
	return nil
}

// refresh reads the file again when it changed, at most once a second.
func (k *Keys) refresh() {
	if k.path == "" {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if time.Since(k.checked) < time.Second {
		return
	}
	k.checked = time.Now()
	if fi, err := os.Stat(k.path); (err == nil && !fi.ModTime().Equal(k.mod)) || (err != nil && k.keys != nil) {
		k.read() // a file that cannot be read keeps the keys known
	}
}

// Len returns the number of keys.
func (k *Keys) Len() int {
	k.refresh()
	k.mu.RLock()
	defer k.mu.RUnlock()
	return len(k.keys)
}

// List returns the keys, by name.
func (k *Keys) List() []Key {
	k.mu.RLock()
	defer k.mu.RUnlock()
	out := append([]Key(nil), k.keys...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Add makes a new key and returns its secret, which is not stored and
// cannot be shown again.
func (k *Keys) Add(name string, role Role, now time.Time) (string, error) {
	if name == "" || strings.ContainsAny(name, " \t\n") {
		return "", fmt.Errorf("key name %q: use a word without spaces", name)
	}
	if role == RoleNone {
		return "", errors.New("a key needs a role: read, translate, learn or admin")
	}
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	secret := keyPrefix + base64.RawURLEncoding.EncodeToString(b)
	k.mu.Lock()
	defer k.mu.Unlock()
	if err := k.read(); err != nil {
		return "", err
	}
	for _, x := range k.keys {
		if x.Name == name {
			return "", fmt.Errorf("a key named %q exists; remove it first (kgmem keys remove %s)", name, name)
		}
	}
	keys := append(append([]Key(nil), k.keys...), Key{Name: name, Role: role, Hash: hashKey(secret), Hint: secret[:len(keyPrefix)+4], Created: now.UTC()})
	if err := k.save(keys); err != nil {
		return "", err
	}
	k.keys = keys
	if fi, err := os.Stat(k.path); err == nil {
		k.mod = fi.ModTime()
	}
	return secret, nil
}

// Remove removes the key called name.
func (k *Keys) Remove(name string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if err := k.read(); err != nil {
		return err
	}
	var keys []Key
	for _, x := range k.keys {
		if x.Name != name {
			keys = append(keys, x)
		}
	}
	if len(keys) == len(k.keys) {
		return fmt.Errorf("%q: %w", name, ErrNoKey)
	}
	if err := k.save(keys); err != nil {
		return err
	}
	k.keys = keys
	return nil
}

// Authenticate returns the key whose secret this is.
func (k *Keys) Authenticate(secret string) (Key, bool) {
	h := hashKey(secret)
	k.refresh()
	k.mu.RLock()
	defer k.mu.RUnlock()
	for _, x := range k.keys {
		if subtle.ConstantTimeCompare([]byte(h), []byte(x.Hash)) == 1 {
			return x, true
		}
	}
	return Key{}, false
}

func hashKey(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// save writes keys atomically, readable by the owner only.
func (k *Keys) save(keys []Key) error {
	if keys == nil {
		keys = []Key{}
	}
	data, err := json.MarshalIndent(keys, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(k.path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(k.path), "."+KeysFile+".*")
	if err != nil {
		return fmt.Errorf("write the keys: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("write the keys: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), k.path)
}
