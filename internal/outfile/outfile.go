// Package outfile writes an output file the user named so that nothing of
// what was there is lost or changed by accident: a regular file is written
// to a temporary file beside it and renamed into place only when the
// output is complete, keeping the file's permissions and, where the
// process may, its owner; a failed or interrupted write leaves the old file
// as it was. What is not a regular file is written through and never
// replaced: "-" and /dev/stdout (standard output), /dev/stderr, FIFOs,
// character devices and sockets. A symbolic link is followed: its target
// gets the new content and the link stays a link.
//
// Start with Create; call Commit when the output is complete, or Abort.
package outfile

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// File is an output being written. It is an io.Writer; not safe for
// concurrent use.
type File struct {
	// Path is the path the output was created with.
	Path string
	// target is the file the output replaces, with symbolic links
	// resolved; "" for a stream.
	target string
	f      *os.File
	// tmp is true when f is a temporary file to rename onto target.
	tmp bool
	// borrowed is true for the process's own standard output or error,
	// which Commit does not close.
	borrowed bool
	done     bool
}

// Create starts writing the output at path.
func Create(path string) (*File, error) {
	if f := stdStream(path); f != nil {
		return &File{Path: path, f: f, borrowed: true}, nil
	}
	target, err := resolve(path)
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	st, err := os.Stat(target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return createTemp(path, target, nil)
	case err != nil:
		return nil, fmt.Errorf("write %s: %w", path, err)
	case st.IsDir():
		return nil, fmt.Errorf("write %s: it is a directory; name a file", path)
	case st.Mode().IsRegular():
		return createTemp(path, target, st)
	}
	// A FIFO, a device or a socket: write to it as it is.
	f, err := os.OpenFile(target, os.O_WRONLY, 0)
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	return &File{Path: path, f: f}, nil
}

// stdStream returns the process's standard output or error when path
// names it ("-", /dev/stdout, /dev/fd/1, /proc/self/fd/1, and the same for
// 2), else nil. These are written to through the descriptor the process
// has: opening the path again would truncate a file the shell opened for
// appending, and replacing it would replace /dev/stdout itself.
func stdStream(path string) *os.File {
	if path == "-" {
		return os.Stdout
	}
	switch filepath.Clean(path) {
	case "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1":
		return os.Stdout
	case "/dev/stderr", "/dev/fd/2", "/proc/self/fd/2":
		return os.Stderr
	}
	return nil
}

// maxLinks is how many symbolic links resolve follows.
const maxLinks = 40

// resolve follows the symbolic links at path, also a link whose target
// does not exist yet (the output creates it), and returns the path of the
// file itself.
func resolve(path string) (string, error) {
	for range maxLinks {
		st, err := os.Lstat(path)
		if errors.Is(err, fs.ErrNotExist) {
			return path, nil
		}
		if err != nil {
			return "", err
		}
		if st.Mode()&fs.ModeSymlink == 0 {
			return path, nil
		}
		link, err := os.Readlink(path)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(link) {
			link = filepath.Join(filepath.Dir(path), link)
		}
		path = link
	}
	return "", fmt.Errorf("more than %d symbolic links", maxLinks)
}

// createTemp starts a temporary file beside target, with the permissions
// and owner of old (the file it will replace), or, for a new file, the
// permissions a new file gets (0666 less the umask).
func createTemp(path, target string, old fs.FileInfo) (*File, error) {
	dir, base := filepath.Split(target)
	if dir == "" {
		dir = "."
	}
	var f *os.File
	var err error
	for range 100 {
		var rnd [6]byte
		_, _ = rand.Read(rnd[:])
		name := filepath.Join(dir, "."+base+"."+hex.EncodeToString(rnd[:])+".tmp")
		// O_EXCL with mode 0666: the kernel applies the umask, as it
		// does to any new file.
		f, err = os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
		if !errors.Is(err, fs.ErrExist) {
			break
		}
	}
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	o := &File{Path: path, target: target, f: f, tmp: true}
	if old != nil {
		if err := keepAttributes(f, old); err != nil {
			o.Abort()
			return nil, fmt.Errorf("write %s: %w", path, err)
		}
	}
	return o, nil
}

// keepAttributes gives the temporary file the permissions of the file it
// replaces, and its owner and group where the process may set them.
func keepAttributes(f *os.File, old fs.FileInfo) error {
	if uid, gid, ok := owner(old); ok {
		// Only root may give a file away; anyone may keep their own,
		// and set a group they are in. Otherwise the new file keeps the
		// writer's owner, as an editor's save would.
		if err := f.Chown(uid, gid); err != nil {
			_ = f.Chown(-1, gid)
		}
	}
	return f.Chmod(old.Mode().Perm() | old.Mode()&(fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky))
}

// Name returns the name of the file being written (the temporary file
// while it is being written).
func (o *File) Name() string { return o.f.Name() }

// Write writes to the output.
func (o *File) Write(p []byte) (int, error) {
	if o.done {
		return 0, fmt.Errorf("write %s: the output is already finished", o.Path)
	}
	return o.f.Write(p)
}

// Commit finishes the output: a temporary file is synced and renamed onto
// the target; a stream is closed (standard output is left open). After a
// failed Commit the old file is as it was.
func (o *File) Commit() error {
	if o.done {
		return fmt.Errorf("write %s: the output is already finished", o.Path)
	}
	o.done = true
	if !o.tmp {
		if o.borrowed {
			return nil
		}
		return o.f.Close()
	}
	err := o.f.Sync()
	if cerr := o.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(o.f.Name(), o.target)
	}
	if err != nil {
		os.Remove(o.f.Name())
		return fmt.Errorf("write %s: %w", o.Path, err)
	}
	return syncDir(filepath.Dir(o.target))
}

// Abort discards a temporary file and leaves the old file as it was. What
// was written to a stream cannot be taken back; Abort only closes it.
func (o *File) Abort() {
	if o.done {
		return
	}
	o.done = true
	if o.borrowed {
		return
	}
	o.f.Close()
	if o.tmp {
		os.Remove(o.f.Name())
	}
}

// IsStream reports whether the output is written through (standard
// output, a FIFO, a device) rather than renamed into place.
func (o *File) IsStream() bool { return !o.tmp }

// syncDir makes the rename durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return nil // the rename is done; durability is best effort here
	}
	defer d.Close()
	_ = d.Sync()
	return nil
}
