package server

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// UsageFile is where the server keeps the characters each key has had
// translated (in the job directory), so that counts outlive a restart.
const UsageFile = "usage.json"

// usage counts the characters translated per key ("" for keyless local
// clients), as DeepL's /v2/usage reports them.
type usage struct {
	mu    sync.Mutex
	chars map[string]int64
	dirty bool
}

func newUsage() *usage { return &usage{chars: map[string]int64{}} }

func (u *usage) add(key string, chars int) {
	u.mu.Lock()
	u.chars[key] += int64(chars)
	u.dirty = true
	u.mu.Unlock()
}

func (u *usage) of(key string) int64 {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.chars[key]
}

// load reads the counts saved in dir.
func (u *usage) load(dir string) {
	data, err := os.ReadFile(filepath.Join(dir, UsageFile))
	if err != nil {
		return
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	json.Unmarshal(data, &u.chars)
}

// save writes the counts into dir when they changed.
func (u *usage) save(dir string) error {
	if dir == "" {
		return nil
	}
	u.mu.Lock()
	if !u.dirty {
		u.mu.Unlock()
		return nil
	}
	data, err := json.Marshal(u.chars)
	u.dirty = false
	u.mu.Unlock()
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, "."+UsageFile+".tmp")
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, UsageFile))
}

// startSaving loads the counts and saves them every minute until ctx ends.
func (u *usage) startSaving(ctx context.Context, dir string, log *slog.Logger) {
	if dir == "" {
		return
	}
	u.load(dir)
	go func() {
		t := time.NewTicker(time.Minute)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if err := u.save(dir); err != nil {
					log.Warn("could not save the usage counts", "err", err)
				}
			}
		}
	}()
}
