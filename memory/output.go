package memory

import (
	"os"
	"path/filepath"
)

// output is a file being written: a temporary file beside it, renamed
// into place by Commit, so that a failed write leaves what was there.
type output struct {
	*os.File
	path string
}

func createOutput(path string) (*output, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return nil, err
	}
	return &output{File: f, path: path}, nil
}

// Commit puts the file in place.
func (o *output) Commit() error {
	if err := o.File.Close(); err != nil {
		os.Remove(o.Name())
		return err
	}
	return os.Rename(o.Name(), o.path)
}

// Abort removes the file.
func (o *output) Abort() {
	o.File.Close()
	os.Remove(o.Name())
}
