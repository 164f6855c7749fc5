//go:build !unix

package embedded

import (
	"errors"
	"os"
)

// mapPages is not available here; the check reads with ReadAt instead.
func mapPages(f *os.File, n int64) ([]byte, func(), error) {
	return nil, nil, errors.New("no mmap")
}
