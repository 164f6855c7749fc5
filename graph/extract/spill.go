package extract

// This file holds what an Extractor keeps per unit outside the Go heap once
// it outgrows its share of the memory limit: append-only logs of records
// (the units, the alignment's sentences, the mentions found in each unit),
// and an external sort (the segments of a file, by ID). A log is written
// once, in order, then read sequentially, by several readers at once if
// need be; so what a build holds in memory depends on its vocabulary and
// on the batch it writes, not on how many units it reads.

import (
	"bufio"
	"bytes"
	"container/heap"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
)

// spillArea is where one Extractor writes its logs and sort runs: a
// temporary directory made on first use and removed by remove.
type spillArea struct {
	parent string // "" for the system's temporary directory
	dir    string
	err    error // the first error creating or writing a file
}

// create makes a new temporary file in the area.
func (a *spillArea) create(pattern string) (*os.File, error) {
	if a.dir == "" {
		dir, err := os.MkdirTemp(a.parent, "kgmem-extract-")
		if err != nil {
			return nil, fmt.Errorf("extract: make a directory for temporary files: %w (set a temporary directory with room, or raise the memory limit)", err)
		}
		a.dir = dir
	}
	f, err := os.CreateTemp(a.dir, pattern)
	if err != nil {
		return nil, fmt.Errorf("extract: create a temporary file: %w", err)
	}
	return f, nil
}

// remove deletes the area and everything in it.
func (a *spillArea) remove() error {
	if a.dir == "" {
		return nil
	}
	err := os.RemoveAll(a.dir)
	a.dir = ""
	return err
}

// recordLog is an append-only sequence of byte records, each stored as its
// length (uvarint) and its bytes. It stays in memory until it holds more
// than limit bytes, then moves to a file in its area. Records are read back
// with a logReader from a position append returned. A log is not safe for
// concurrent appends; once appending is done (finish), any number of
// readers may read it at the same time.
type recordLog struct {
	area  *spillArea
	name  string
	limit int
	mem   []byte        // the records while in memory
	f     *os.File      // the file once spilled
	w     *bufio.Writer // writes to f
	size  int64         // bytes appended
	n     int64         // records appended
	err   error
	lenb  [binary.MaxVarintLen64]byte
}

func newRecordLog(area *spillArea, name string, limit int) *recordLog {
	return &recordLog{area: area, name: name, limit: limit}
}

// append adds a record and returns its position.
func (l *recordLog) append(rec []byte) int64 {
	pos := l.size
	if l.err != nil {
		return pos
	}
	k := binary.PutUvarint(l.lenb[:], uint64(len(rec)))
	l.size += int64(k + len(rec))
	l.n++
	if l.f == nil && (l.area == nil || len(l.mem)+k+len(rec) <= l.limit) {
		l.mem = append(l.mem, l.lenb[:k]...)
		l.mem = append(l.mem, rec...)
		return pos
	}
	if l.f == nil {
		if l.err = l.spill(); l.err != nil {
			return pos
		}
	}
	if _, err := l.w.Write(l.lenb[:k]); err != nil {
		l.err = err
		return pos
	}
	if _, err := l.w.Write(rec); err != nil {
		l.err = err
	}
	return pos
}

// spill moves the records held in memory to a file.
func (l *recordLog) spill() error {
	f, err := l.area.create(l.name + "-*")
	if err != nil {
		return err
	}
	l.f = f
	l.w = bufio.NewWriterSize(f, 1<<20)
	if _, err := l.w.Write(l.mem); err != nil {
		return fmt.Errorf("extract: write temporary file: %w", err)
	}
	l.mem = nil
	return nil
}

// finish ends appending: it flushes what is buffered. Readers see only
// records appended before finish.
func (l *recordLog) finish() error {
	if l.err == nil && l.w != nil {
		l.err = l.w.Flush()
	}
	if l.err != nil {
		return fmt.Errorf("extract: write %s log: %w", l.name, l.err)
	}
	return nil
}

// spilled returns how many bytes of the log are in a file.
func (l *recordLog) spilled() int64 {
	if l.f == nil {
		return 0
	}
	return l.size
}

// close releases the log; its file goes with its area.
func (l *recordLog) close() {
	if l.f != nil {
		l.f.Close()
		l.f = nil
	}
	l.mem = nil
}

// reader returns a reader of the records from position pos to the end.
func (l *recordLog) reader(pos int64) *logReader {
	r := &logReader{}
	if l.f == nil {
		r.r = bufio.NewReaderSize(bytes.NewReader(l.mem[min(pos, int64(len(l.mem))):]), 64<<10)
	} else {
		r.r = bufio.NewReaderSize(io.NewSectionReader(l.f, pos, l.size-pos), 1<<20)
	}
	return r
}

// logReader reads the records of a log in order. The record next returns
// is valid until the following call.
type logReader struct {
	r   *bufio.Reader
	buf []byte
}

// next returns the next record, or io.EOF after the last one.
func (r *logReader) next() ([]byte, error) {
	n, err := binary.ReadUvarint(r.r)
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, io.EOF
		}
		return nil, fmt.Errorf("extract: read temporary file: %w", err)
	}
	if uint64(cap(r.buf)) < n {
		r.buf = make([]byte, n)
	}
	r.buf = r.buf[:n]
	if _, err := io.ReadFull(r.r, r.buf); err != nil {
		return nil, fmt.Errorf("extract: read temporary file: %w", err)
	}
	return r.buf, nil
}

// extSorter sorts records by key, stably (records with equal keys come
// out in the order they were added), in memory up to its limit and in
// sorted runs on disk beyond it, merged when read.
type extSorter struct {
	area  *spillArea
	name  string
	limit int
	arena []byte    // keys and values of the records in memory
	recs  []sortRec // the records in memory, in the order added
	runs  []*recordLog
	err   error
	// spilled, when not nil, is added the bytes of each run written.
	spilled *int64
}

// sortRec is a record in the sorter's arena: key arena[off:off+klen], value
// arena[off+klen:end].
type sortRec struct {
	off, klen, end int
}

func newExtSorter(area *spillArea, name string, limit int) *extSorter {
	return &extSorter{area: area, name: name, limit: limit}
}

// add adds a record; key and val are copied.
func (s *extSorter) add(key, val []byte) {
	if s.err != nil {
		return
	}
	off := len(s.arena)
	s.arena = append(s.arena, key...)
	s.arena = append(s.arena, val...)
	s.recs = append(s.recs, sortRec{off: off, klen: len(key), end: len(s.arena)})
	if len(s.arena)+24*len(s.recs) > s.limit && s.area != nil {
		s.err = s.flush()
	}
}

func (s *extSorter) key(r sortRec) []byte { return s.arena[r.off : r.off+r.klen] }

// sortMem sorts the records in memory, stably by key.
func (s *extSorter) sortMem() {
	slices.SortStableFunc(s.recs, func(a, b sortRec) int { return bytes.Compare(s.key(a), s.key(b)) })
}

// flush writes the records in memory as a sorted run.
func (s *extSorter) flush() error {
	s.sortMem()
	run := newRecordLog(s.area, s.name, 0)
	var rec []byte
	for _, r := range s.recs {
		rec = binary.AppendUvarint(rec[:0], uint64(r.klen))
		rec = append(rec, s.arena[r.off:r.end]...)
		run.append(rec)
	}
	if err := run.finish(); err != nil {
		run.close()
		return err
	}
	s.runs = append(s.runs, run)
	if s.spilled != nil {
		*s.spilled += run.size
	}
	s.arena, s.recs = s.arena[:0], s.recs[:0]
	return nil
}

// each calls fn with every record in key order, stably, then empties the
// sorter. key and val are valid only during the call.
func (s *extSorter) each(fn func(key, val []byte) error) error {
	defer s.close()
	if s.err != nil {
		return s.err
	}
	s.sortMem()
	if len(s.runs) == 0 {
		for _, r := range s.recs {
			if err := fn(s.key(r), s.arena[r.off+r.klen:r.end]); err != nil {
				return err
			}
		}
		return nil
	}
	// The records in memory are the last run; runs are merged by key,
	// ties in the order of the runs, which is the order records were
	// added in.
	var srcs []mergeSource
	for _, run := range s.runs {
		srcs = append(srcs, &runSource{r: run.reader(0)})
	}
	srcs = append(srcs, &memSource{s: s})
	return mergeSorted(srcs, fn)
}

// close drops the sorter's records and runs.
func (s *extSorter) close() {
	for _, r := range s.runs {
		r.close()
	}
	s.runs, s.arena, s.recs = nil, nil, nil
}

// mergeSource is one sorted input of a merge: next returns its next record
// or io.EOF.
type mergeSource interface {
	next() (key, val []byte, err error)
}

type runSource struct{ r *logReader }

func (rs *runSource) next() ([]byte, []byte, error) {
	rec, err := rs.r.next()
	if err != nil {
		return nil, nil, err
	}
	k, n := binary.Uvarint(rec)
	if n <= 0 || uint64(len(rec)-n) < k {
		return nil, nil, errors.New("extract: a temporary sort run is damaged")
	}
	return rec[n : n+int(k)], rec[n+int(k):], nil
}

type memSource struct {
	s *extSorter
	i int
}

func (ms *memSource) next() ([]byte, []byte, error) {
	if ms.i >= len(ms.s.recs) {
		return nil, nil, io.EOF
	}
	r := ms.s.recs[ms.i]
	ms.i++
	return ms.s.key(r), ms.s.arena[r.off+r.klen : r.end], nil
}

// mergeHead is the current record of one merge source. The record is a
// copy: a source may reuse its buffer.
type mergeHead struct {
	key, val []byte
	src      int
}

type mergeHeap []mergeHead

func (h mergeHeap) Len() int { return len(h) }
func (h mergeHeap) Less(i, j int) bool {
	if c := bytes.Compare(h[i].key, h[j].key); c != 0 {
		return c < 0
	}
	return h[i].src < h[j].src
}
func (h mergeHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *mergeHeap) Push(x any)   { *h = append(*h, x.(mergeHead)) }
func (h *mergeHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// mergeSorted calls fn with the records of the sorted sources in key order;
// records with equal keys come in the order of their sources.
func mergeSorted(srcs []mergeSource, fn func(key, val []byte) error) error {
	h := make(mergeHeap, 0, len(srcs))
	pull := func(i int, into *mergeHead) (bool, error) {
		k, v, err := srcs[i].next()
		if errors.Is(err, io.EOF) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		into.key = append(into.key[:0], k...)
		into.val = append(into.val[:0], v...)
		into.src = i
		return true, nil
	}
	for i := range srcs {
		var m mergeHead
		ok, err := pull(i, &m)
		if err != nil {
			return err
		}
		if ok {
			h = append(h, m)
		}
	}
	heap.Init(&h)
	for len(h) > 0 {
		top := &h[0]
		if err := fn(top.key, top.val); err != nil {
			return err
		}
		ok, err := pull(top.src, top)
		if err != nil {
			return err
		}
		if ok {
			heap.Fix(&h, 0)
		} else {
			heap.Pop(&h)
		}
	}
	return nil
}
