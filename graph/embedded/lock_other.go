//go:build !unix

package embedded

import (
	"os"
	"time"
)

// lockFile leaves locking to bbolt where flock does not exist; the check
// then runs without the lock.
func lockFile(f *os.File, timeout time.Duration) error { return nil }
