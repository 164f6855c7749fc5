package embedded

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math/bits"
	"os"
	"runtime/debug"
)

// The layout of a bbolt file (version 2), as far as checking it needs: two
// meta pages, then branch, leaf, freelist and free pages, all pageSize
// bytes (a page with overflow n spans n+1 of them). bbolt trusts every page
// it reaches: a page whose header does not match, or whose elements point
// outside it, makes it panic in a goroutine nobody can recover, or read
// past the end of the mapping (SIGBUS), and with NoFreelistSync it reaches
// every page when it opens the file. walkFile checks the whole tree the
// way bbolt would walk it, reading with pread, so that Open can refuse a
// damaged file with an error instead.
const (
	boltMagic      = 0xED0CDAED
	boltVersion    = 2
	pageHeaderSize = 16 // id u64, flags u16, count u16, overflow u32
	elementSize    = 16 // branch: pos, ksize u32, pgid u64; leaf: flags, pos, ksize, vsize u32
	bucketHeader   = 16 // root pgid u64, sequence u64
	metaSize       = 64 // magic … txid, then the checksum
	metaSumAt      = 56 // the checksum covers the meta's bytes before it

	flagBranch   = 0x01
	flagLeaf     = 0x02
	flagMeta     = 0x04
	flagFreelist = 0x10
	leafIsBucket = 0x01

	noFreelist = ^uint64(0)
	// maxTreeDepth is deeper than any real B+tree of a file that fits on
	// a disk; a deeper walk means pages that point back up.
	maxTreeDepth = 64
)

// meta is a bbolt meta page.
type meta struct {
	valid    error // nil when magic, version and checksum are right
	pageSize uint32
	root     uint64
	freelist uint64
	pgid     uint64 // high water mark: pages below it are in use or free
	txid     uint64
}

func parseMeta(page []byte) meta {
	var m meta
	if len(page) < pageHeaderSize+metaSize {
		m.valid = errors.New("the meta page is cut short")
		return m
	}
	b := page[pageHeaderSize:]
	le := binary.LittleEndian
	m.pageSize = le.Uint32(b[8:])
	m.root = le.Uint64(b[16:])
	m.freelist = le.Uint64(b[32:])
	m.pgid = le.Uint64(b[40:])
	m.txid = le.Uint64(b[48:])
	h := fnv.New64a()
	h.Write(b[:metaSumAt])
	switch {
	case le.Uint32(b[0:]) != boltMagic:
		m.valid = errors.New("it does not start like a bbolt file (wrong magic number)")
	case le.Uint32(b[4:]) != boltVersion:
		m.valid = fmt.Errorf("bbolt file format version %d, not %d", le.Uint32(b[4:]), boltVersion)
	case le.Uint64(b[metaSumAt:]) != h.Sum64():
		m.valid = errors.New("the meta page checksum does not match")
	}
	return m
}

// fileReader reads pages of a bbolt file with pread. It never reads past
// size, so a truncated file cannot fault.
type fileReader interface {
	io.ReaderAt
}

// pickMeta reads the two meta pages as bbolt does when it opens a file
// (the page size from the first valid meta page, then the meta with the
// higher transaction id that is valid) and checks that the pages it
// describes are in the file.
func pickMeta(f fileReader, size int64) (meta, error) {
	if size == 0 {
		return meta{}, errors.New("the file is empty (0 bytes); a graph file is never empty, even a new one")
	}
	pageSize, err := findPageSize(f, size)
	if err != nil {
		return meta{}, err
	}
	if size < 2*int64(pageSize) {
		return meta{}, fmt.Errorf("the file is %d bytes, shorter than its two %d-byte meta pages", size, pageSize)
	}
	var m [2]meta
	for i := range m {
		buf := make([]byte, pageHeaderSize+metaSize)
		if _, err := f.ReadAt(buf, int64(i)*int64(pageSize)); err != nil {
			return meta{}, fmt.Errorf("read meta page %d: %w", i, err)
		}
		m[i] = parseMeta(buf)
	}
	a, b := m[0], m[1]
	if b.txid > a.txid {
		a, b = b, a
	}
	chosen := a
	if a.valid != nil {
		chosen = b
	}
	if chosen.valid != nil {
		return meta{}, fmt.Errorf("neither meta page is valid: %v", m[0].valid)
	}
	if chosen.pageSize != pageSize {
		return meta{}, fmt.Errorf("the meta pages disagree on the page size (%d and %d)", pageSize, chosen.pageSize)
	}
	need := chosen.pgid * uint64(pageSize)
	if chosen.pgid < 2 || need/uint64(pageSize) != chosen.pgid || need > uint64(size) {
		return meta{}, fmt.Errorf("the file is truncated: it is %d bytes, but its %d pages of %d bytes need %d", size, chosen.pgid, pageSize, need)
	}
	if chosen.root < 2 || chosen.root >= chosen.pgid {
		return meta{}, fmt.Errorf("the root page %d is outside the file's pages 2…%d", chosen.root, chosen.pgid-1)
	}
	if chosen.freelist != noFreelist && (chosen.freelist < 2 || chosen.freelist >= chosen.pgid) {
		return meta{}, fmt.Errorf("the freelist page %d is outside the file's pages 2…%d", chosen.freelist, chosen.pgid-1)
	}
	return chosen, nil
}

// findPageSize returns the page size the first valid meta page gives,
// looking for the second at every page size bbolt would try when the
// first is damaged.
func findPageSize(f fileReader, size int64) (uint32, error) {
	buf := make([]byte, pageHeaderSize+metaSize)
	var first error
	for _, pos := range metaCandidates(size) {
		n, err := f.ReadAt(buf, pos)
		if n < len(buf) {
			if first == nil && pos == 0 {
				first = fmt.Errorf("the file is %d bytes, too short for a meta page", size)
			}
			_ = err
			continue
		}
		m := parseMeta(buf)
		if m.valid != nil {
			if first == nil {
				first = m.valid
			}
			continue
		}
		if m.pageSize < 512 || m.pageSize > 1<<24 || bits.OnesCount32(m.pageSize) != 1 {
			return 0, fmt.Errorf("the meta page gives a page size of %d bytes", m.pageSize)
		}
		return m.pageSize, nil
	}
	return 0, fmt.Errorf("no valid meta page: %v", first)
}

// metaCandidates are the offsets of the first meta page and of the places
// the second may be.
func metaCandidates(size int64) []int64 {
	out := []int64{0}
	for i := 0; i <= 14; i++ {
		pos := int64(1024) << i
		if pos >= size-1024 {
			break
		}
		out = append(out, pos)
	}
	return out
}

// pageSource gives the bytes of pages: from a read-only mapping of the
// pages in use when the system has one (no copy, no system call per
// page), else read with pread.
type pageSource struct {
	data []byte
	r    io.ReaderAt
}

// get returns n bytes at off; the caller has checked that they lie within
// the pages in use.
func (s *pageSource) get(off, n uint64) ([]byte, error) {
	if s.data != nil {
		return s.data[off : off+n : off+n], nil
	}
	b := make([]byte, n)
	if _, err := s.r.ReadAt(b, int64(off)); err != nil {
		return nil, fmt.Errorf("read at byte %d: %w", off, err)
	}
	return b, nil
}

// where names a page for messages: the bucket it roots, or its parent
// and position. It is formatted only when there is a problem to report.
type where struct {
	bucket []byte // the bucket whose root it is, when it is one
	parent uint64 // else the branch page it is a child of
	index  uint64
}

func (w where) String() string {
	switch {
	case w.bucket == nil && w.parent == 0:
		return "the root bucket"
	case w.bucket != nil:
		return fmt.Sprintf("bucket %q", w.bucket)
	}
	return fmt.Sprintf("child %d of page %d", w.index, w.parent)
}

// walker checks every page reachable from a meta page.
type walker struct {
	ctx      context.Context
	src      pageSource
	pageSize uint64
	hwm      uint64   // the meta's pgid
	seen     []uint64 // bit per page: reached already
	probs    *problems
	steps    int
}

// errStop ends a walk that found too many problems to go on usefully.
var errStop = errors.New("too many problems")

// walkFile checks the pages of the tree m describes and its freelist. The
// file must hold the m.pgid pages m counts (pickMeta checks it). A fault
// while reading the mapping (the file cut short by another program
// meanwhile) is reported as damage, not a crash.
func walkFile(ctx context.Context, f *os.File, m meta, probs *problems) (err error) {
	w := &walker{ctx: ctx, pageSize: uint64(m.pageSize), hwm: m.pgid, seen: make([]uint64, (m.pgid+63)/64), probs: probs}
	w.src.r = f
	if data, unmap, merr := mapPages(f, int64(m.pgid)*int64(m.pageSize)); merr == nil {
		w.src.data = data
		defer unmap()
		defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
		defer func() {
			if r := recover(); r != nil {
				probs.addf("the file changed while it was read: %v", r)
				err = nil
			}
		}()
	}
	w.mark(0, 0)
	w.mark(1, 0)
	if m.freelist != noFreelist {
		if err := w.freelist(m.freelist); err != nil {
			return err
		}
	}
	_, err = w.page(m.root, 0, where{}, nil, nil)
	if errors.Is(err, errStop) {
		return nil
	}
	return err
}

// mark records that the pages id…id+overflow are reached; false when one
// was reached before (two parents, or a loop).
func (w *walker) mark(id, overflow uint64) bool {
	ok := true
	for p := id; p <= id+overflow && p < w.hwm; p++ {
		if w.seen[p/64]&(1<<(p%64)) != 0 {
			ok = false
		}
		w.seen[p/64] |= 1 << (p % 64)
	}
	return ok
}

func (w *walker) problem(format string, args ...any) error {
	w.probs.addf(format, args...)
	if len(w.probs.list) >= maxProblems {
		return errStop
	}
	return nil
}

// read returns page id with its overflow pages, after checking its
// header: its id, that its flags are want, and that it ends inside the
// file's pages. ok is false when the page is unusable (the problem is
// recorded).
func (w *walker) read(id uint64, want uint16, at where) (page []byte, ok bool, err error) {
	if id < 2 || id >= w.hwm {
		return nil, false, w.problem("%s points to page %d, outside the file's pages 2…%d", at, id, w.hwm-1)
	}
	head, err := w.src.get(id*w.pageSize, pageHeaderSize)
	if err != nil {
		return nil, false, err
	}
	le := binary.LittleEndian
	gotID, flags, overflow := le.Uint64(head), le.Uint16(head[8:]), uint64(le.Uint32(head[12:]))
	switch {
	case gotID != id:
		return nil, false, w.problem("page %d (%s) says it is page %d: it was overwritten or zeroed", id, at, gotID)
	case flags&want == 0 || bits.OnesCount16(flags) != 1:
		return nil, false, w.problem("page %d (%s) has type flags %#x, not a %s page", id, at, flags, flagName(want))
	case id+overflow >= w.hwm:
		return nil, false, w.problem("page %d (%s) runs %d pages past the end of the file's pages", id, at, id+overflow-w.hwm+1)
	}
	if !w.mark(id, overflow) {
		return nil, false, w.problem("page %d (%s) is reached twice: the tree loops or two parents share it", id, at)
	}
	page, err = w.src.get(id*w.pageSize, (overflow+1)*w.pageSize)
	return page, err == nil, err
}

func flagName(f uint16) string {
	switch f {
	case flagBranch | flagLeaf:
		return "branch or leaf"
	case flagFreelist:
		return "freelist"
	case flagMeta:
		return "meta"
	}
	return fmt.Sprintf("%#x", f)
}

// page checks a branch or leaf page and everything under it, and returns
// the greatest key under it. Its keys must lie in [minClosed, maxOpen)
// (nil for no bound), as its parent's keys say, which bbolt checks too.
func (w *walker) page(id uint64, depth int, at where, minClosed, maxOpen []byte) ([]byte, error) {
	if depth > maxTreeDepth {
		return nil, w.problem("%s is more than %d levels deep: the tree loops", at, maxTreeDepth)
	}
	if w.steps++; w.steps%4096 == 0 {
		if err := w.ctx.Err(); err != nil {
			return nil, err
		}
	}
	p, ok, err := w.read(id, flagBranch|flagLeaf, at)
	if !ok || err != nil {
		return nil, err
	}
	return w.elements(p, id, depth, at, minClosed, maxOpen)
}

// elements checks the elements of a branch or leaf page held in p (a page
// of the file, or an inline bucket's page, id 0) and follows them. Keys
// are checked as bbolt's own check orders them: each greater than the
// greatest key before it (for a branch, the greatest in the previous
// child), not below minClosed, below maxOpen. It returns the greatest key
// under the page.
func (w *walker) elements(p []byte, id uint64, depth int, at where, minClosed, maxOpen []byte) ([]byte, error) {
	le := binary.LittleEndian
	flags, count := le.Uint16(p[8:]), uint64(le.Uint16(p[10:]))
	name := func() string {
		if id == 0 {
			return at.String()
		}
		return fmt.Sprintf("page %d (%s)", id, at)
	}
	if pageHeaderSize+count*elementSize > uint64(len(p)) {
		return nil, w.problem("%s claims %d elements, more than fit in it", name(), count)
	}
	if flags == flagBranch && count == 0 {
		return nil, w.problem("%s is a branch page with no children", name())
	}
	keys := make([][]byte, count)
	for i := range keys {
		key, _, ok := elementKey(p, uint64(i), flags == flagBranch)
		if !ok {
			return nil, w.problem("%s: element %d's key or value lies outside the page", name(), i)
		}
		keys[i] = key
	}
	last := minClosed
	for i := uint64(0); i < count; i++ {
		key := keys[i]
		switch {
		case i == 0 && last != nil && bytes.Compare(last, key) > 0, i > 0 && bytes.Compare(last, key) >= 0:
			return nil, w.problem("%s: its keys are out of order at element %d", name(), i)
		case maxOpen != nil && bytes.Compare(key, maxOpen) >= 0:
			return nil, w.problem("%s: element %d's key is not below the next key of its parent", name(), i)
		}
		e := p[pageHeaderSize+i*elementSize:]
		if flags == flagBranch {
			next := maxOpen
			if i+1 < count {
				next = keys[i+1]
			}
			greatest, err := w.page(le.Uint64(e[8:]), depth+1, where{parent: id, index: i}, key, next)
			if err != nil || greatest == nil {
				return nil, err // a problem below: nothing more to compare with
			}
			last = greatest
			continue
		}
		last = key
		if le.Uint32(e[0:])&leafIsBucket == 0 {
			continue
		}
		_, v, _ := elementKey(p, i, false)
		if err := w.bucket(key, v, depth+1); err != nil {
			return nil, err
		}
	}
	return last, nil
}

// elementKey returns the key (and, on a leaf page, the value) of element
// i of page p, and false when they lie outside the page.
func elementKey(p []byte, i uint64, branch bool) (key, value []byte, ok bool) {
	le := binary.LittleEndian
	at := pageHeaderSize + i*elementSize
	e := p[at : at+elementSize]
	pos, ksize, vsize := uint64(le.Uint32(e[4:])), uint64(le.Uint32(e[8:])), uint64(le.Uint32(e[12:]))
	if branch {
		pos, ksize, vsize = uint64(le.Uint32(e[0:])), uint64(le.Uint32(e[4:])), 0
	}
	off := at + pos
	if off+ksize+vsize > uint64(len(p)) {
		return nil, nil, false
	}
	return p[off : off+ksize], p[off+ksize : off+ksize+vsize], true
}

// bucket checks a bucket whose header (and inline page) is v.
func (w *walker) bucket(name, v []byte, depth int) error {
	at := where{bucket: name}
	if len(v) < bucketHeader {
		return w.problem("%s has a %d-byte header, not %d", at, len(v), bucketHeader)
	}
	if root := binary.LittleEndian.Uint64(v); root != 0 {
		_, err := w.page(root, depth, at, nil, nil)
		return err
	}
	if depth > maxTreeDepth {
		return w.problem("%s is more than %d levels deep: the tree loops", at, maxTreeDepth)
	}
	p := v[bucketHeader:]
	if len(p) < pageHeaderSize {
		return w.problem("%s: its inline page is %d bytes, shorter than a page header", at, len(p))
	}
	if flags := binary.LittleEndian.Uint16(p[8:]); flags != flagLeaf {
		return w.problem("%s: its inline page has type flags %#x, not a leaf page", at, flags)
	}
	_, err := w.elements(p, 0, depth, at, nil, nil)
	return err
}

// freelist checks the freelist page bbolt reads when the file has one.
func (w *walker) freelist(id uint64) error {
	p, ok, err := w.read(id, flagFreelist, where{bucket: []byte("the freelist")})
	if !ok || err != nil {
		return err
	}
	le := binary.LittleEndian
	count, start := uint64(le.Uint16(p[10:])), uint64(pageHeaderSize)
	if count == 0xFFFF {
		if len(p) < pageHeaderSize+8 {
			return w.problem("the freelist page %d is cut short", id)
		}
		count, start = le.Uint64(p[pageHeaderSize:]), pageHeaderSize+8
	}
	if count > (uint64(len(p))-start)/8 {
		return w.problem("the freelist page %d claims %d free pages, more than fit in it", id, count)
	}
	for i := uint64(0); i < count; i++ {
		if free := le.Uint64(p[start+8*i:]); free < 2 || free >= w.hwm {
			return w.problem("the freelist page %d lists page %d, outside the file's pages 2…%d", id, free, w.hwm-1)
		}
	}
	return nil
}
