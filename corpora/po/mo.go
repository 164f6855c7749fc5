package po

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/kgmem/kgmem/corpora"
)

// moMagic is the first word of an MO file, in the byte order of the
// machine that wrote it.
const moMagic = 0x950412de

// moSegmentsEnd ends the segment list of a system-dependent string.
const moSegmentsEnd = 0xFFFFFFFF

// maxMOInMemory is the most NewMOReaderFrom reads into memory from a
// reader that cannot seek.
const maxMOInMemory = 256 << 20

// MOReader reads the messages of a compiled gettext catalog (an MO file),
// one at a time through an io.ReaderAt: memory stays flat however large
// the file. It is not safe for concurrent use.
type MOReader struct {
	r      io.ReaderAt
	size   int64
	opts   corpora.ReadOptions
	limits corpora.Limits
	bo     binary.ByteOrder

	n, nSys, nSeg      int
	orig, trans        int64 // tables of (length, offset) pairs
	sysOrig, sysTrans  int64 // tables of offsets of sysdep string descriptors
	segTab             int64 // table of sysdep segments
	cache              [3]moCache
	headerSize         int64
	revMajor, revMinor int
	header             *Header
	cs                 charset
	cat                catalog
	i, index           int
	err                error
}

// moCache holds a window of one of the file's tables, so that reading
// them entry by entry does not cost a ReadAt each.
type moCache struct {
	off  int64
	data []byte
}

// NewMOReader returns a reader of the MO file of the given size that r
// reads. It checks the file's header and tables against its size before
// it reads or allocates anything they promise, and reads the catalog's
// header entry: its charset decodes the strings, its Language is the
// target language (else the one of an installed file's path,
// ".../es/LC_MESSAGES/x.mo", else opts.TargetLang; another language than
// opts.TargetLang is an error wrapping corpora.ErrNotBilingual). The
// domain is the file's name when it is installed under LC_MESSAGES, else
// the header's Project-Id-Version. Errors are *corpora.ParseError with
// Offset set.
func NewMOReader(r io.ReaderAt, size int64, opts corpora.ReadOptions) (*MOReader, error) {
	m := &MOReader{r: r, size: size, opts: opts, limits: opts.Limits.Or(), cs: utf8Charset}
	if err := m.readFileHeader(); err != nil {
		return nil, err
	}
	if err := m.readCatalogHeader(); err != nil {
		return nil, err
	}
	return m, nil
}

// NewMOReaderFrom is NewMOReader for an io.Reader, as format dispatchers
// have: a file (or anything with ReadAt and a size) is read in place;
// anything else is read into memory first, up to 256 MiB.
func NewMOReaderFrom(r io.Reader, opts corpora.ReadOptions) (*MOReader, error) {
	if ra, ok := r.(io.ReaderAt); ok {
		if s, ok := r.(interface{ Stat() (fs.FileInfo, error) }); ok {
			if fi, err := s.Stat(); err == nil && fi.Mode().IsRegular() {
				return NewMOReader(ra, fi.Size(), opts)
			}
		}
		if s, ok := r.(interface{ Size() int64 }); ok {
			return NewMOReader(ra, s.Size(), opts)
		}
	}
	data, err := io.ReadAll(io.LimitReader(r, maxMOInMemory+1))
	if err != nil {
		return nil, &corpora.ParseError{File: opts.Name, Offset: int64(len(data)), Err: fmt.Errorf("read: %w", err)}
	}
	if len(data) > maxMOInMemory {
		return nil, &corpora.ParseError{File: opts.Name, Offset: maxMOInMemory, Err: fmt.Errorf("MO file larger than %d bytes on a stream that cannot seek: %w", maxMOInMemory, corpora.ErrTooLarge)}
	}
	return NewMOReader(bytes.NewReader(data), int64(len(data)), opts)
}

// Header returns the catalog's header entry, or nil when it has none.
func (m *MOReader) Header() *Header { return m.header }

// Len returns the number of messages the file declares, the header
// included.
func (m *MOReader) Len() int { return m.n + m.nSys }

func (m *MOReader) perr(off int64, err error) *corpora.ParseError {
	return &corpora.ParseError{File: m.opts.Name, Offset: off, Err: err}
}

func (m *MOReader) errf(off int64, format string, args ...any) *corpora.ParseError {
	return m.perr(off, fmt.Errorf(format, args...))
}

// readAt fills b from offset off, which the caller has checked lies in
// the file.
func (m *MOReader) readAt(b []byte, off int64) error {
	n, err := m.r.ReadAt(b, off)
	if n == len(b) {
		return nil
	}
	if err == nil || err == io.EOF {
		return m.errf(off+int64(n), "file is truncated: %d of %d bytes read", n, len(b))
	}
	return &fatalError{m.perr(off, fmt.Errorf("read: %w", err))}
}

// table reads n bytes at off through cache c.
func (m *MOReader) table(c *moCache, off int64, n int) ([]byte, error) {
	if off >= c.off && off+int64(n) <= c.off+int64(len(c.data)) {
		i := off - c.off
		return c.data[i : i+int64(n)], nil
	}
	if off < 0 || off+int64(n) > m.size {
		return nil, m.errf(off, "table entry runs past the end of the file (%d bytes)", m.size)
	}
	w := min(int64(4096), m.size-off)
	if cap(c.data) < int(w) {
		c.data = make([]byte, w)
	}
	c.data = c.data[:w]
	c.off = off
	got, err := m.r.ReadAt(c.data, off)
	if got < n {
		c.data = c.data[:0]
		if err == nil || err == io.EOF {
			return nil, m.errf(off+int64(got), "file is truncated: %d of %d bytes read", got, n)
		}
		return nil, &fatalError{m.perr(off, fmt.Errorf("read: %w", err))}
	}
	c.data = c.data[:got]
	return c.data[:n], nil
}

func (m *MOReader) word(c *moCache, off int64) (uint32, error) {
	b, err := m.table(c, off, 4)
	if err != nil {
		return 0, err
	}
	return m.bo.Uint32(b), nil
}

// readFileHeader reads and checks the fixed header and the tables.
func (m *MOReader) readFileHeader() error {
	if m.size <= 0 {
		return m.errf(0, "file is empty")
	}
	if m.size < 28 {
		return m.errf(0, "file is %d bytes, too short for an MO header (28 bytes)", m.size)
	}
	var h [48]byte
	if err := m.readAt(h[:28], 0); err != nil {
		return unfatal(err)
	}
	switch {
	case binary.LittleEndian.Uint32(h[:4]) == moMagic:
		m.bo = binary.LittleEndian
	case binary.BigEndian.Uint32(h[:4]) == moMagic:
		m.bo = binary.BigEndian
	default:
		return m.errf(0, "not an MO file: magic number is 0x%08x, not 0x950412de", binary.BigEndian.Uint32(h[:4]))
	}
	rev := m.bo.Uint32(h[4:8])
	m.revMajor, m.revMinor = int(rev>>16), int(rev&0xFFFF)
	if m.revMajor > 1 {
		return m.errf(4, "MO format revision %d.%d is not supported (only 0 and 1)", m.revMajor, m.revMinor)
	}
	n := m.bo.Uint32(h[8:12])
	m.orig, m.trans = int64(m.bo.Uint32(h[12:16])), int64(m.bo.Uint32(h[16:20]))
	m.headerSize = 28
	var nSys, nSeg uint32
	if m.revMinor >= 1 {
		if m.size < 48 {
			return m.errf(28, "file is %d bytes, too short for a revision %d.%d MO header (48 bytes)", m.size, m.revMajor, m.revMinor)
		}
		if err := m.readAt(h[28:48], 28); err != nil {
			return unfatal(err)
		}
		m.headerSize = 48
		nSeg = m.bo.Uint32(h[28:32])
		m.segTab = int64(m.bo.Uint32(h[32:36]))
		nSys = m.bo.Uint32(h[36:40])
		m.sysOrig = int64(m.bo.Uint32(h[40:44]))
		m.sysTrans = int64(m.bo.Uint32(h[44:48]))
	}
	if total := uint64(n) + uint64(nSys); total > uint64(m.limits.MaxEntries) {
		return m.perr(8, fmt.Errorf("file declares %d strings, more than the limit of %d: %w", total, m.limits.MaxEntries, corpora.ErrTooLarge))
	}
	checks := []struct {
		name       string
		at         int64 // where the header gives the table's offset
		off        int64
		count, per uint32
	}{
		{"table of original strings", 12, m.orig, n, 8},
		{"table of translations", 16, m.trans, n, 8},
		{"table of system-dependent segments", 32, m.segTab, nSeg, 8},
		{"table of system-dependent original strings", 40, m.sysOrig, nSys, 4},
		{"table of system-dependent translations", 44, m.sysTrans, nSys, 4},
	}
	for _, c := range checks {
		if c.count == 0 {
			continue
		}
		end := c.off + int64(c.count)*int64(c.per)
		switch {
		case c.off < m.headerSize:
			return m.errf(c.at, "%s at offset %d overlaps the file header", c.name, c.off)
		case end > m.size:
			return m.errf(c.at, "%s at offset %d with %d entries runs past the end of the file (%d bytes)", c.name, c.off, c.count, m.size)
		}
	}
	if n > 0 && m.orig < m.trans+int64(n)*8 && m.trans < m.orig+int64(n)*8 {
		return m.errf(12, "table of original strings (offset %d) and of translations (offset %d) overlap", m.orig, m.trans)
	}
	m.n, m.nSys, m.nSeg = int(n), int(nSys), int(nSeg)
	return nil
}

// unfatal turns a fatalError back into its ParseError, for errors
// returned from NewMOReader where the difference does not matter.
func unfatal(err error) error {
	var fe *fatalError
	if errors.As(err, &fe) {
		return fe.pe
	}
	return err
}

// readCatalogHeader reads the header entry (msgid ""), which msgfmt puts
// first, for the charset and the catalog-wide fields.
func (m *MOReader) readCatalogHeader() error {
	if m.n > 0 {
		id, _, err := m.str(m.orig, 0)
		if err != nil {
			return unfatal(err)
		}
		if len(id) == 0 {
			msgstr, off, err := m.str(m.trans, 0)
			if err != nil {
				return unfatal(err)
			}
			cs, err := lookupCharset(charsetOf(string(msgstr)))
			if err != nil {
				return m.perr(off, err)
			}
			m.cs = cs
			text, err := cs.decode(msgstr)
			if err != nil {
				return m.perr(off, fmt.Errorf("header: %w", err))
			}
			m.header = newHeader(text)
		}
	}
	cat, err := newCatalog(m.header, m.opts, domainFromName(m.opts.Name))
	if err != nil {
		return m.perr(0, err)
	}
	m.cat = cat
	return nil
}

// str reads string i of a table of (length, offset) pairs; it returns
// the string's offset too.
func (m *MOReader) str(tab int64, i int) ([]byte, int64, error) {
	at := tab + int64(i)*8
	c := &m.cache[0]
	if tab == m.trans {
		c = &m.cache[1]
	}
	e, err := m.table(c, at, 8)
	if err != nil {
		return nil, at, err
	}
	length, off := int64(m.bo.Uint32(e[:4])), int64(m.bo.Uint32(e[4:]))
	switch {
	case length > int64(m.limits.MaxUnitBytes):
		return nil, at, m.perr(at, fmt.Errorf("string %d is %d bytes, more than the limit of %d: %w", i, length, m.limits.MaxUnitBytes, corpora.ErrTooLarge))
	case off < m.headerSize:
		return nil, at, m.errf(at, "string %d at offset %d overlaps the file header", i, off)
	case off+length >= m.size:
		return nil, at, m.errf(at, "string %d at offset %d, %d bytes long, runs past the end of the file (%d bytes)", i, off, length, m.size)
	}
	b := make([]byte, length+1)
	if err := m.readAt(b, off); err != nil {
		return nil, off, err
	}
	if b[length] != 0 {
		return nil, off, m.errf(off+length, "string %d at offset %d is not NUL-terminated", i, off)
	}
	return b[:length], off, nil
}

// sysdep reads system-dependent string j of a table of descriptor offsets,
// writing its system-dependent segments as msgunfmt does ("<PRIu64>").
func (m *MOReader) sysdep(tab int64, j int) ([]byte, int64, error) {
	at := tab + int64(j)*4
	d, err := m.word(&m.cache[2], at)
	if err != nil {
		return nil, at, err
	}
	desc := int64(d)
	if desc < m.headerSize || desc+4 > m.size {
		return nil, at, m.errf(at, "system-dependent string %d has its descriptor at offset %d, outside the file", j, desc)
	}
	var hdr [8]byte
	if err := m.readAt(hdr[:4], desc); err != nil {
		return nil, desc, err
	}
	soff := int64(m.bo.Uint32(hdr[:4]))
	var out []byte
	for k := 0; ; k++ {
		pair := desc + 4 + int64(k)*8
		if k >= 4096 {
			return nil, pair, m.errf(pair, "system-dependent string %d has more than 4096 segments", j)
		}
		if pair+8 > m.size {
			return nil, pair, m.errf(pair, "system-dependent string %d runs past the end of the file (%d bytes)", j, m.size)
		}
		if err := m.readAt(hdr[:], pair); err != nil {
			return nil, pair, err
		}
		segSize, ref := int64(m.bo.Uint32(hdr[:4])), m.bo.Uint32(hdr[4:])
		if int64(len(out))+segSize > int64(m.limits.MaxUnitBytes) {
			return nil, pair, m.perr(pair, fmt.Errorf("system-dependent string %d is more than the limit of %d bytes: %w", j, m.limits.MaxUnitBytes, corpora.ErrTooLarge))
		}
		if soff < m.headerSize || soff+segSize > m.size {
			return nil, pair, m.errf(pair, "system-dependent string %d has a segment at offset %d, %d bytes long, outside the file", j, soff, segSize)
		}
		n := len(out)
		out = append(out, make([]byte, segSize)...)
		if err := m.readAt(out[n:], soff); err != nil {
			return nil, soff, err
		}
		soff += segSize
		if ref == moSegmentsEnd {
			break
		}
		if int64(ref) >= int64(m.nSeg) {
			return nil, pair, m.errf(pair, "system-dependent string %d refers to segment %d of %d", j, ref, m.nSeg)
		}
		name, err := m.segment(int(ref))
		if err != nil {
			return nil, pair, err
		}
		if len(out)+len(name)+2 > m.limits.MaxUnitBytes {
			return nil, pair, m.perr(pair, fmt.Errorf("system-dependent string %d is more than the limit of %d bytes: %w", j, m.limits.MaxUnitBytes, corpora.ErrTooLarge))
		}
		if len(name) > 1 {
			out = append(out, '<')
			out = append(out, name...)
			out = append(out, '>')
		} else {
			out = append(out, name...)
		}
	}
	if len(out) == 0 || out[len(out)-1] != 0 {
		return nil, desc, m.errf(desc, "system-dependent string %d is not NUL-terminated", j)
	}
	return out[:len(out)-1], desc, nil
}

// segment returns the name of system-dependent segment i ("PRIu64").
func (m *MOReader) segment(i int) ([]byte, error) {
	at := m.segTab + int64(i)*8
	var e [8]byte
	if err := m.readAt(e[:], at); err != nil {
		return nil, err
	}
	length, off := int64(m.bo.Uint32(e[:4])), int64(m.bo.Uint32(e[4:]))
	if length == 0 || length > 256 || off < m.headerSize || off+length > m.size {
		return nil, m.errf(at, "system-dependent segment %d at offset %d, %d bytes long, is malformed", i, off, length)
	}
	b := make([]byte, length)
	if err := m.readAt(b, off); err != nil {
		return nil, err
	}
	if b[length-1] != 0 {
		return nil, m.errf(off, "system-dependent segment %d is not NUL-terminated", i)
	}
	if k := bytes.IndexByte(b, 0); k >= 0 {
		b = b[:k]
	}
	return b, nil
}

// Next returns the next message as a unit, or io.EOF after the last. The
// header entry is not a unit. Messages come in file order: the static
// ones (sorted by msgid, as msgfmt writes them), then those with
// system-dependent segments.
func (m *MOReader) Next() (*corpora.Unit, error) {
	if m.err != nil {
		return nil, m.err
	}
	for m.i < m.n+m.nSys {
		i := m.i
		m.i++
		u, err := m.message(i)
		if err == nil && u != nil {
			if cerr := m.opts.Limits.CheckUnit(u); cerr != nil {
				err = m.perr(0, fmt.Errorf("message %d: %w", i, cerr))
			}
		}
		if err != nil {
			var fe *fatalError
			fatal := errors.As(err, &fe)
			var pe *corpora.ParseError
			if !errors.As(err, &pe) {
				pe = m.perr(0, err)
			}
			if fatal || !m.opts.Lenient {
				pe.Skippable = !fatal
				m.err = pe
				return nil, pe
			}
			m.opts.Skipped(corpora.Skip{File: m.opts.Name, Reason: fmt.Sprintf("at byte %d: %v", pe.Offset, pe.Err)})
			continue
		}
		if u == nil {
			continue
		}
		u.Origin = corpora.Origin{File: m.opts.Name, Index: m.index}
		m.index++
		return u, nil
	}
	m.err = io.EOF
	return nil, io.EOF
}

// message reads message i as a unit; nil for the header.
func (m *MOReader) message(i int) (*corpora.Unit, error) {
	var orig, trans []byte
	var ooff, toff int64
	var err error
	if i < m.n {
		if orig, ooff, err = m.str(m.orig, i); err != nil {
			return nil, err
		}
		if len(orig) == 0 {
			return nil, nil // the header
		}
		if trans, toff, err = m.str(m.trans, i); err != nil {
			return nil, err
		}
	} else {
		j := i - m.n
		if orig, ooff, err = m.sysdep(m.sysOrig, j); err != nil {
			return nil, err
		}
		if trans, toff, err = m.sysdep(m.sysTrans, j); err != nil {
			return nil, err
		}
	}
	if len(orig)+len(trans) > m.limits.MaxUnitBytes {
		return nil, m.perr(ooff, fmt.Errorf("message %d is more than the limit of %d bytes: %w", i, m.limits.MaxUnitBytes, corpora.ErrTooLarge))
	}
	u := m.cat.unit()
	g := &corpora.Gettext{}
	u.Gettext = g
	var ctxt []byte
	hasCtxt := false
	if k := bytes.IndexByte(orig, 4); k >= 0 {
		ctxt, orig, hasCtxt = orig[:k], orig[k+1:], true
	}
	id, plural, isPlural := bytes.Cut(orig, []byte{0})
	dec := func(b []byte, off int64) (string, error) {
		s, err := m.cs.decode(b)
		if err != nil {
			return "", m.perr(off, err)
		}
		return s, nil
	}
	src, err := dec(id, ooff)
	if err != nil {
		return nil, err
	}
	c, err := dec(ctxt, ooff)
	if err != nil {
		return nil, err
	}
	forms := bytes.Split(trans, []byte{0})
	tgt, err := dec(forms[0], toff)
	if err != nil {
		return nil, err
	}
	if isPlural {
		p, err := dec(plural, ooff)
		if err != nil {
			return nil, err
		}
		g.SourcePlural = corpora.Text(p)
		for _, f := range forms[1:] {
			s, err := dec(f, toff)
			if err != nil {
				return nil, err
			}
			g.TargetPlurals = append(g.TargetPlurals, corpora.Text(s))
		}
	}
	if i >= m.n {
		// msgfmt makes system-dependent strings of C format strings with
		// <inttypes.h> directives only.
		g.Flags = []string{"c-format"}
	}
	u.Source, u.Target = corpora.Text(src), corpora.Text(tgt)
	u.Context, u.ID = c, unitID(c, hasCtxt, src)
	u.Status = status(false, tgt)
	return u, nil
}
