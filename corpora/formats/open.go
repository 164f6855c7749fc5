package formats

import (
	"archive/zip"
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/kgmem/kgmem/corpora"
)

// Options configure Open.
type Options struct {
	corpora.ReadOptions
	// Format overrides detection.
	Format Format
}

// ErrNotTermBase is returned by File.NextTerm for files that hold no term
// entries.
var ErrNotTermBase = errors.New("not a term base")

// File is an open input file: a stream of units, and of term entries when
// the file is a term base. A .zip archive is read member by member. Not safe
// for concurrent use.
type File struct {
	// Name is the path the file was opened with.
	Name string
	// Format is the format of the file (of the last member read, for an
	// archive).
	Format Format

	ctx     context.Context
	opts    Options
	cur     corpora.Reader
	closers []io.Closer

	// zip archives
	zr      *zip.ReadCloser
	members []*zip.File
}

// Open opens a file for reading: OpenContext without cancellation.
func Open(path string, opts Options) (*File, error) {
	return OpenContext(context.Background(), path, opts)
}

// OpenContext opens a file for reading. "-" is standard input (its format
// must be given or detectable from content). A Moses pair is opened with
// OpenMoses.
//
// Cancelling ctx stops the file promptly wherever it is: opening a FIFO
// (which waits for a writer) returns ctx's error, and every read of the
// open file returns it, also a read waiting on a pipe or FIFO (through a
// read deadline) and a unit or line that never ends (/dev/zero).
func OpenContext(ctx context.Context, path string, opts Options) (*File, error) {
	f := &File{Name: path, opts: opts, ctx: ctx}
	if opts.Name == "" {
		f.opts.Name = path
	}
	if strings.EqualFold(filepath.Ext(path), ".zip") {
		zr, err := zip.OpenReader(path)
		if err != nil {
			return nil, &corpora.ParseError{File: path, Offset: -1, Err: fmt.Errorf("read zip archive: %w", err)}
		}
		f.zr = zr
		for _, m := range zr.File {
			if !m.FileInfo().IsDir() {
				f.members = append(f.members, m)
			}
		}
		if len(f.members) == 0 {
			zr.Close()
			return nil, &corpora.ParseError{File: path, Offset: -1, Err: errors.New("zip archive holds no files")}
		}
		if err := f.nextMember(); err != nil {
			zr.Close()
			return nil, err
		}
		return f, nil
	}
	var in io.ReadCloser
	if path == "-" {
		in = io.NopCloser(os.Stdin)
	} else {
		osf, err := openInput(ctx, path)
		if err != nil {
			return nil, err
		}
		if st, err := osf.Stat(); err == nil && st.IsDir() {
			osf.Close()
			return nil, fmt.Errorf("%s is a directory; pass the files in it, or use a command that walks directories", path)
		}
		in = osf
		// A read blocked on a pipe returns when its deadline passes; a
		// regular file has no deadline and needs none.
		stop := context.AfterFunc(ctx, func() { _ = osf.SetReadDeadline(time.Now()) })
		f.closers = append(f.closers, closerFunc(func() error { stop(); return nil }))
	}
	if err := f.openStream(path, in); err != nil {
		in.Close()
		return nil, err
	}
	return f, nil
}

// nextMember opens the next member of a zip archive.
func (f *File) nextMember() error {
	m := f.members[0]
	f.members = f.members[1:]
	rc, err := m.Open()
	if err != nil {
		return &corpora.ParseError{File: f.Name + "/" + m.Name, Offset: -1, Err: err}
	}
	return f.openStream(f.Name+"/"+m.Name, rc)
}

// openStream sets f.cur to a reader of one stream named name.
func (f *File) openStream(name string, in io.ReadCloser) error {
	f.closers = append(f.closers, in)
	var r io.Reader = corpora.ContextReader(f.ctx, in)
	if strings.EqualFold(filepath.Ext(name), ".gz") {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return &corpora.ParseError{File: name, Offset: 0, Err: fmt.Errorf("read gzip: %w", err)}
		}
		f.closers = append(f.closers, zr)
		r = zr
	}
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(4096)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return &corpora.ParseError{File: name, Offset: 0, Err: err}
	}
	format := f.opts.Format
	if format == Auto {
		if len(head) == 0 {
			return &corpora.ParseError{File: name, Offset: 0, Err: errors.New("file is empty")}
		}
		if format, err = Detect(name, head); err != nil {
			return err
		}
	}
	opts := f.opts.ReadOptions
	opts.Name = name
	rd, err := newReader(format, br, in, opts)
	if err != nil {
		return err
	}
	f.Format = format
	f.cur = rd
	return nil
}

// closerFunc makes a function an io.Closer.
type closerFunc func() error

func (c closerFunc) Close() error { return c() }

// openInput opens a file for reading. A FIFO is opened in a goroutine,
// since opening one waits until a writer opens it too: when ctx is
// cancelled first, openInput returns ctx's error at once, and the waiting
// open is woken (by opening the FIFO for writing, which lets it return)
// and its file closed.
func openInput(ctx context.Context, path string) (*os.File, error) {
	st, err := os.Stat(path)
	if err != nil || st.Mode()&fs.ModeNamedPipe == 0 || ctx.Done() == nil {
		return os.Open(path)
	}
	ch := make(chan opened, 1)
	go func() {
		f, err := os.Open(path)
		ch <- opened{f, err}
	}()
	select {
	case o := <-ch:
		return o.f, o.err
	case <-ctx.Done():
	}
	go abandonOpen(path, ch)
	return nil, ctx.Err()
}

// opened is the outcome of an open.
type opened struct {
	f   *os.File
	err error
}

// abandonOpen wakes an open of a FIFO for reading that nobody waits for
// any more, and closes what it opened. Opening the FIFO for writing
// without blocking succeeds once the waiting open counts as a reader,
// which lets that open return; until then it is tried again.
func abandonOpen(path string, ch chan opened) {
	for {
		select {
		case o := <-ch:
			if o.f != nil {
				o.f.Close()
			}
			return
		case <-time.After(10 * time.Millisecond):
			if w, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
				w.Close()
			}
		}
	}
}

// Next returns the next unit, or io.EOF after the last one.
func (f *File) Next() (*corpora.Unit, error) {
	for {
		u, err := f.cur.Next()
		if err == io.EOF && len(f.members) > 0 {
			if err := f.nextMember(); err != nil {
				return nil, err
			}
			continue
		}
		return u, err
	}
}

// NextTerm returns the next term entry of a term base, io.EOF after the
// last, or ErrNotTermBase.
func (f *File) NextTerm() (*corpora.TermEntry, error) {
	for {
		tr, ok := f.cur.(corpora.TermReader)
		if !ok {
			return nil, fmt.Errorf("%s (%s): %w", f.Name, f.Format, ErrNotTermBase)
		}
		e, err := tr.NextTerm()
		if err == io.EOF && len(f.members) > 0 {
			if err := f.nextMember(); err != nil {
				return nil, err
			}
			continue
		}
		return e, err
	}
}

// IsTermBase reports whether the file holds term entries.
func (f *File) IsTermBase() bool {
	_, ok := f.cur.(corpora.TermReader)
	return ok
}

// Close closes the file.
func (f *File) Close() error {
	var first error
	for i := len(f.closers) - 1; i >= 0; i-- {
		if err := f.closers[i].Close(); err != nil && first == nil {
			first = err
		}
	}
	f.closers = nil
	if f.zr != nil {
		if err := f.zr.Close(); err != nil && first == nil {
			first = err
		}
		f.zr = nil
	}
	return first
}

// Readable reports whether a file name has an extension of a format kgmem
// reads (compressed or not). Expand uses it to pick files in directories.
func Readable(name string) bool {
	if strings.EqualFold(filepath.Ext(name), ".zip") {
		return true
	}
	return FromName(name) != Auto
}

// Expand replaces every directory in paths by the readable files under it,
// recursively and in lexical order; hidden files and directories are left
// out. Files named directly are kept whatever their extension.
func Expand(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		if p == "-" {
			out = append(out, p)
			continue
		}
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			out = append(out, p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if path != p && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if !d.IsDir() && Readable(d.Name()) {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}
