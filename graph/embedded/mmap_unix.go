//go:build unix

package embedded

import (
	"os"
	"syscall"
)

// mapPages maps the first n bytes of f read-only.
func mapPages(f *os.File, n int64) ([]byte, func(), error) {
	data, err := syscall.Mmap(int(f.Fd()), 0, int(n), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, nil, err
	}
	return data, func() { _ = syscall.Munmap(data) }, nil
}
