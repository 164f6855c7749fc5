package xliff

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/language"
	"golang.org/x/text/transform"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/internal/xmlread"
)

// Translation is what Fill writes at one Key.
type Translation struct {
	// Target is the translation. Its inline codes are written like the
	// source's codes with the same kind and ID; other codes are mapped by
	// kind as NewWriter does.
	Target corpora.Segment
	// Status sets the state: 1.2 target state (and approved="yes" for
	// StatusApproved), 2.x segment state. StatusUnspecified means
	// StatusTranslated.
	Status corpora.Status
	// State, when set, is written as the state attribute as it is,
	// instead of the one Status stands for.
	State string
	// Note, when set, is written as a note about the target (from
	// NoteFrom): in 1.2 right after the <target>, in 2.x in the unit's
	// <notes>. A unit's segments share one note.
	Note string
}

// FillOptions configure Fill.
type FillOptions struct {
	// Name is the file name used in errors.
	Name string
	// TargetLang is written as the 1.2 <file> target-language or the 2.x
	// trgLang where the document has none. A 2.x document without trgLang
	// needs it to be filled at all.
	TargetLang language.Tag
	Limits     corpora.Limits
}

// FillStats says what Fill did.
type FillStats struct {
	// Filled is how many targets (units or segments) were written.
	Filled int
	// Missing are the keys of the map that name no unit or segment to fill
	// in the document (including units marked translate="no"), sorted.
	Missing []Key
}

// Fill copies the XLIFF document r to w, writing the translations in tr
// into the targets their keys name: it replaces a <target> that is there
// and inserts one after the <source> (or 1.2 <seg-source>) where there is
// none, with the indentation of the <source>, and sets the state. In a
// segmented 1.2 unit it fills the <mrk mtype="seg"> of the target with the
// segment's mid, building the target from the <seg-source> when it lacks
// one (segments not in tr keep the target's content, or are left empty).
// Units without id cannot be named by a Key and are not filled, nor are
// units marked translate="no".
//
// Every other byte is copied as it is: the XML declaration, comments,
// white space, namespace prefixes, entity references, unknown elements and
// attributes. A UTF-8 document is copied byte for byte outside the filled
// targets (so an empty map reproduces it exactly). A UTF-16 document, or
// one whose declaration names another charset, is decoded, filled and
// encoded back into its own encoding (with its byte order mark, if it had
// one); characters its charset cannot hold are written as character
// references.
//
// Fill streams: it holds one unit that has something to fill at a time,
// and nothing of the others. On error, w has received part of the
// document. Errors in the document are *corpora.ParseError.
func Fill(r io.Reader, w io.Writer, tr map[Key]Translation, opts FillOptions) (FillStats, error) {
	f := &filler{tr: tr, opts: opts, limits: opts.Limits.Or(), used: map[Key]bool{}, units: map[[2]string]bool{}, ids: map[string]int{}}
	for k := range tr {
		f.units[[2]string{k.File, k.Unit}] = true
	}
	err := f.run(r, w)
	for k := range tr {
		if !f.used[k] {
			f.stats.Missing = append(f.stats.Missing, k)
		}
	}
	sort.Slice(f.stats.Missing, func(i, j int) bool {
		a, b := f.stats.Missing[i], f.stats.Missing[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Unit != b.Unit {
			return a.Unit < b.Unit
		}
		return a.Segment < b.Segment
	})
	return f.stats, err
}

// filler is the state of one Fill.
type filler struct {
	tr     map[Key]Translation
	opts   FillOptions
	limits corpora.Limits
	used   map[Key]bool
	units  map[[2]string]bool // (file, unit) pairs tr has keys for
	stats  FillStats

	rec     *recorder
	d       *xmlread.Decoder
	out     io.Writer
	emitted int64 // offset up to which the input has been written out
	v       int
	ns      string
	file    string // key of the current <file>
	fileTrg string // its target language, as the file has it
	// notes are the Notes of the translations of the unit being filled.
	notes []string
	// ids counts the units of the current file per id, and repeat is the
	// count of the unit being filled before it (see Key.Repeat).
	ids     map[string]int
	repeat  int
	rootTrg string
	// noTranslate has one entry per open element, true where
	// translate="no" holds.
	noTranslate []bool
}

func (f *filler) errorf(format string, args ...any) error {
	return &corpora.ParseError{File: f.opts.Name, Offset: -1, Err: fmt.Errorf(format, args...)}
}

// run sets up decoding and encoding, and fills.
func (f *filler) run(r io.Reader, w io.Writer) error {
	in, err := f.openInput(r)
	if err != nil {
		return err
	}
	return f.fillTo(w, in)
}

// input is how the document is encoded, for writing it back alike.
type input struct {
	enc     corpora.Encoding
	bom     []byte
	charset encoding.Encoding // a declared charset other than UTF-8 and UTF-16
}

// openInput sets up the decoder and the recorder of the document r.
func (f *filler) openInput(r io.Reader) (input, error) {
	var in input
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(3)
	head = append([]byte(nil), head...)
	u, enc, err := corpora.UTF8Reader(br)
	in.enc = enc
	if err != nil {
		return in, &corpora.ParseError{File: f.opts.Name, Offset: 0, Err: err}
	}
	switch {
	case enc == corpora.UTF8BOM:
		in.bom = head[:3]
	case enc == corpora.UTF16LE && bytes.HasPrefix(head, []byte{0xFF, 0xFE}),
		enc == corpora.UTF16BE && bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		in.bom = head[:2]
	}

	// The decoder is shown the document as UTF-8 with the declaration's
	// encoding blanked out, so that its offsets are offsets in the UTF-8
	// text the recorder keeps.
	tb := bufio.NewReaderSize(u, 4096)
	peek, _ := tb.Peek(4096)
	var blank [2]int64
	var text io.Reader = tb
	if bytes.HasPrefix(peek, []byte("<?xml")) {
		end := bytes.Index(peek, []byte("?>"))
		if end < 0 {
			return in, f.errorf("the XML declaration does not end within %d bytes", len(peek))
		}
		label, from, to := declEncoding(peek[:end])
		if label != "" {
			blank = [2]int64{int64(from), int64(to)}
			l := strings.ToLower(label)
			switch {
			case strings.HasPrefix(l, "utf-16") || l == "utf16" || l == "ucs-2":
				if enc != corpora.UTF16LE && enc != corpora.UTF16BE {
					return in, f.errorf("the XML declaration says %s but the bytes are not UTF-16", label)
				}
			case l == "utf-8" || l == "utf8" || l == "us-ascii" || l == "ascii":
			case enc == corpora.UTF16LE || enc == corpora.UTF16BE:
				// Already decoded from UTF-16; the label is wrong but harmless.
			default:
				e, err := ianaindex.IANA.Encoding(label)
				if err != nil || e == nil {
					return in, f.errorf("unsupported encoding %q; convert the file to UTF-8", label)
				}
				in.charset = e
				decl := make([]byte, end+2)
				if _, err := io.ReadFull(tb, decl); err != nil {
					return in, f.errorf("read the XML declaration: %v", err)
				}
				text = io.MultiReader(bytes.NewReader(decl), transform.NewReader(tb, e.NewDecoder()))
			}
		}
	}
	f.rec = &recorder{r: text, blank: blank}
	f.d, err = xmlread.New(f.rec, f.opts.Name, f.opts.Limits)
	if err != nil {
		return in, err
	}
	// Fill copies the document's own bytes, so a byte that is not UTF-8
	// goes out as it came in; a unit with one is not read for text.
	f.d.KeepInvalidUTF8()

	return in, nil
}

// fillTo fills the document into w, encoded as it was.
func (f *filler) fillTo(w io.Writer, in input) error {
	enc, bom, charset := in.enc, in.bom, in.charset
	bw := bufio.NewWriterSize(w, 32<<10)
	if _, err := bw.Write(bom); err != nil {
		return fmt.Errorf("fill xliff: %w", err)
	}
	var tw io.WriteCloser
	switch {
	case enc == corpora.UTF16LE:
		tw = transform.NewWriter(bw, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewEncoder())
	case enc == corpora.UTF16BE:
		tw = transform.NewWriter(bw, unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewEncoder())
	case charset != nil:
		tw = transform.NewWriter(bw, encoding.HTMLEscapeUnsupported(charset.NewEncoder()))
	}
	f.out = bw
	if tw != nil {
		f.out = tw
	}
	if err := f.fill(); err != nil {
		return err
	}
	if tw != nil {
		if err := tw.Close(); err != nil {
			return fmt.Errorf("fill xliff: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("fill xliff: %w", err)
	}
	return nil
}

// declEncoding finds the encoding pseudo-attribute of an XML declaration
// (decl is the declaration up to its "?>"): its value and the span to blank,
// from the white space before "encoding" to the closing quote.
func declEncoding(decl []byte) (label string, from, to int) {
	i := bytes.Index(decl, []byte("encoding"))
	if i < 1 || !isSpace(decl[i-1]) {
		return "", 0, 0
	}
	j := i + len("encoding")
	for j < len(decl) && isSpace(decl[j]) {
		j++
	}
	if j >= len(decl) || decl[j] != '=' {
		return "", 0, 0
	}
	j++
	for j < len(decl) && isSpace(decl[j]) {
		j++
	}
	if j >= len(decl) || (decl[j] != '"' && decl[j] != '\'') {
		return "", 0, 0
	}
	q := decl[j]
	k := bytes.IndexByte(decl[j+1:], q)
	if k < 0 {
		return "", 0, 0
	}
	return string(decl[j+1 : j+1+k]), i - 1, j + 1 + k + 1
}

// recorder keeps the text the decoder reads, from the first byte not yet
// written out, and shows the decoder the encoding declaration as spaces.
type recorder struct {
	r     io.Reader
	buf   []byte
	base  int64 // offset of buf[0]
	pos   int64 // offset of the end of buf
	blank [2]int64
}

func (rc *recorder) Read(p []byte) (int, error) {
	n, err := rc.r.Read(p)
	rc.buf = append(rc.buf, p[:n]...)
	for i := int64(0); i < int64(n); i++ {
		if o := rc.pos + i; o >= rc.blank[0] && o < rc.blank[1] {
			p[i] = ' '
		}
	}
	rc.pos += int64(n)
	return n, err
}

// slice returns the recorded text between two offsets.
func (rc *recorder) slice(from, to int64) ([]byte, bool) {
	if from < rc.base || to > rc.pos || from > to {
		return nil, false
	}
	return rc.buf[from-rc.base : to-rc.base], true
}

// discard forgets the text before off. It moves the rest of the buffer
// down only once the forgotten part is the larger, so that the cost stays
// linear while the memory stays bounded by what is held.
func (rc *recorder) discard(off int64) {
	if off <= rc.base || off > rc.pos {
		return
	}
	n := int(off - rc.base)
	if n < 4096 || n < len(rc.buf)/2 {
		return
	}
	rc.buf = rc.buf[:copy(rc.buf, rc.buf[n:])]
	rc.base = off
}

// copyTo writes out the input up to off.
func (f *filler) copyTo(off int64) error {
	b, ok := f.rec.slice(f.emitted, off)
	if !ok {
		return f.errorf("internal error: offset %d is outside the text read (%d to %d)", off, f.rec.base, f.rec.pos)
	}
	if _, err := f.out.Write(b); err != nil {
		return fmt.Errorf("fill xliff: %w", err)
	}
	f.emitted = off
	f.rec.discard(off)
	return nil
}

// edit replaces the input between two offsets.
type edit struct {
	from, to int64
	text     []byte
}

// writeEdited writes out the input up to off with the edits (sorted, not
// overlapping, all after what was written) applied.
func (f *filler) writeEdited(off int64, edits []edit) error {
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].from < edits[j].from })
	for _, e := range edits {
		if e.from < f.emitted || e.to < e.from {
			return f.errorf("internal error: overlapping edits")
		}
		if err := f.copyTo(e.from); err != nil {
			return err
		}
		if _, err := f.out.Write(e.text); err != nil {
			return fmt.Errorf("fill xliff: %w", err)
		}
		f.emitted = e.to
	}
	return f.copyTo(off)
}

// tag returns the recorded bytes of the start tag just read.
func (f *filler) tag(from int64) []byte {
	b, _ := f.rec.slice(from, f.d.Offset())
	return append([]byte(nil), b...)
}

// fill walks the document.
func (f *filler) fill() error {
	d := f.d
	if d.Encoding != corpora.UTF8 {
		return f.errorf("the text starts with a second byte order mark; remove it")
	}
	seen, rooted := false, false
	for {
		before := d.Offset()
		tok, err := d.Token()
		if err == io.EOF {
			switch {
			case !seen:
				return d.Errorf("file is empty")
			case !rooted:
				return d.Errorf("file has no root element; it is not XLIFF")
			}
			return f.copyTo(d.Offset())
		}
		if err != nil {
			return err
		}
		seen = true
		switch t := tok.(type) {
		case xml.StartElement:
			depth := d.Depth()
			if depth == 1 {
				rooted = true
				if err := f.root(t, before); err != nil {
					return err
				}
				continue
			}
			no := f.noTranslate[len(f.noTranslate)-1] || attr(t, "translate") == "no"
			if t.Name.Space == f.ns || t.Name.Space == "" {
				switch t.Name.Local {
				case "file":
					if depth == 2 {
						if err := f.startFile(t, before); err != nil {
							return err
						}
					}
				case "trans-unit", "unit":
					id := attr(t, "id")
					isUnit := depth >= 3 && (t.Name.Local == "unit") == (f.v == 2)
					if isUnit {
						f.repeat = f.ids[id]
						f.ids[id]++
					}
					if isUnit && !no && id != "" && f.units[[2]string{f.file, id}] {
						var err error
						if f.v == 1 {
							err = f.unit12(t, before)
						} else {
							err = f.unit2(t, before)
						}
						if err != nil {
							return err
						}
						continue
					}
				}
			}
			f.noTranslate = append(f.noTranslate, no)
		case xml.EndElement:
			if n := len(f.noTranslate); n > 0 {
				f.noTranslate = f.noTranslate[:n-1]
			}
		}
		if err := f.copyTo(d.Offset()); err != nil {
			return err
		}
	}
}

// root handles the root element's start tag.
func (f *filler) root(t xml.StartElement, before int64) error {
	d := f.d
	if t.Name.Local != "xliff" {
		return d.Errorf("root element is <%s>, not <xliff>; this is not an XLIFF file", t.Name.Local)
	}
	version := attr(t, "version")
	f.ns = t.Name.Space
	f.v = major(version, f.ns)
	if f.v == 0 {
		return d.Errorf("XLIFF version %q is not supported; Fill knows 1.0, 1.1, 1.2, 2.0 and 2.1", version)
	}
	f.noTranslate = []bool{attr(t, "translate") == "no"}
	f.rootTrg = attr(t, "trgLang")
	if f.v == 2 && f.rootTrg == "" && len(f.tr) > 0 {
		if f.opts.TargetLang == language.Und {
			return d.Errorf("<xliff> has no trgLang, so targets cannot be added; set FillOptions.TargetLang")
		}
		f.rootTrg = f.opts.TargetLang.String()
		return f.writeEdited(d.Offset(), []edit{{before, d.Offset(), setAttr(f.tag(before), "trgLang", f.rootTrg)}})
	}
	return f.copyTo(d.Offset())
}

// startFile handles a <file> start tag.
func (f *filler) startFile(t xml.StartElement, before int64) error {
	d := f.d
	f.ids = map[string]int{}
	if f.v == 2 {
		f.file = attr(t, "id")
		return nil
	}
	f.file = attr(t, "original")
	f.fileTrg = attr(t, "target-language")
	if f.fileTrg == "" && f.opts.TargetLang != language.Und && len(f.tr) > 0 {
		f.fileTrg = f.opts.TargetLang.String()
		return f.writeEdited(d.Offset(), []edit{{before, d.Offset(), setAttr(f.tag(before), "target-language", f.fileTrg)}})
	}
	return nil
}

// lookup finds the translation for a segment of the current unit; only
// says whether the segment is the unit's only one, which an empty Segment
// in a key also names.
func (f *filler) lookup(unit, seg string, only bool) (Translation, bool) {
	k := Key{File: f.file, Unit: unit, Segment: seg, Repeat: f.repeat}
	t, ok := f.tr[k]
	if !ok && only && seg != "" {
		k.Segment = ""
		t, ok = f.tr[k]
	}
	if ok {
		f.used[k] = true
		f.stats.Filled++
		if t.Note != "" {
			f.notes = append(f.notes, t.Note)
		}
	}
	return t, ok
}

// held checks the size of a unit being held in memory.
func (f *filler) held(from int64) error {
	if f.d.Offset()-from > 2*int64(f.limits.MaxUnitBytes) {
		return f.d.Errorf("unit is larger than %d bytes: %w", 2*f.limits.MaxUnitBytes, corpora.ErrTooLarge)
	}
	return nil
}

// child is an element of a unit as Fill needs it: where it is, its start
// tag, the white space before it and its content.
type child struct {
	from, to int64
	tag      []byte
	indent   []byte
	c        *content
}

// find returns the 1.2 segment of a child with the given id.
func (ch *child) find(id string) (*segPart, bool) {
	if ch == nil {
		return nil, false
	}
	return ch.c.find(id)
}

// readChild reads the element whose start tag was just read.
func (f *filler) readChild(p *inlineParser, from int64, indent []byte) (*child, error) {
	ch := &child{from: from, tag: f.tag(from), indent: indent}
	c, err := p.parse()
	if err != nil {
		return nil, unwrapUnit(err)
	}
	ch.c, ch.to = c, f.d.Offset()
	return ch, nil
}

// unwrapUnit returns the ParseError inside a unitError: Fill has no
// lenient mode.
func unwrapUnit(err error) error {
	if ue, ok := err.(*unitError); ok {
		return ue.pe
	}
	return err
}

// unit12 fills a 1.2 <trans-unit> whose start tag was just read at from.
func (f *filler) unit12(t xml.StartElement, from int64) error {
	d := f.d
	depth := d.Depth()
	unitTag := f.tag(from)
	tagEnd := d.Offset()
	p := &inlineParser{d: d, v: 1, ns: f.ns, budget: &budget{max: f.limits.MaxUnitBytes}}
	f.notes = nil
	var src, segsrc, tgt *child
	var ws []byte
	insertAt, frozen := int64(-1), false
	for {
		before := d.Offset()
		tok, err := d.Token()
		if err != nil {
			return eofIsTruncation(d, err)
		}
		if err := f.held(from); err != nil {
			return err
		}
		indent := ws
		ws = nil
		switch t := tok.(type) {
		case xml.CharData:
			// The raw bytes, not the token: the decoder turns CRLF into LF.
			if len(bytes.TrimLeft(t, " \t\r\n")) == 0 {
				ws = f.appendRaw(nil, before, d.Offset())
			}
			continue
		case xml.EndElement:
			if d.Depth() < depth {
				return f.finish12(t, from, unitTag, tagEnd, src, segsrc, tgt, insertAt)
			}
			continue
		case xml.StartElement:
			var err error
			switch {
			case !p.isX(t.Name):
				frozen = true
				err = d.Skip()
			case t.Name.Local == "source" && src == nil:
				src, err = f.readChild(p, before, indent)
				if err == nil && !frozen {
					insertAt = src.to
				}
			case t.Name.Local == "seg-source" && segsrc == nil:
				segsrc, err = f.readChild(p, before, indent)
				if err == nil && !frozen {
					insertAt = segsrc.to
				}
			case t.Name.Local == "target" && tgt == nil:
				tgt, err = f.readChild(p, before, indent)
			default:
				frozen = true
				err = d.Skip()
			}
			if err != nil {
				return err
			}
		}
	}
}

// finish12 writes out a 1.2 trans-unit with its target filled.
func (f *filler) finish12(_ xml.EndElement, from int64, unitTag []byte, tagEnd int64, src, segsrc, tgt *child, insertAt int64) error {
	end := f.d.Offset()
	id := attrOfTag(unitTag, "id")
	if src == nil {
		return f.writeEdited(end, nil)
	}
	prefix := prefixOf(qnameOf(src.tag))
	like := src.c.whole.Codes()
	var edits []edit
	var content []byte
	var status corpora.Status
	var state string
	if segsrc == nil || len(segsrc.c.segs) == 0 {
		t, ok := f.lookup(id, "", false)
		if !ok {
			return f.writeEdited(end, nil)
		}
		content = f.inline(1, prefix, t.Target, like)
		status, state = t.Status, t.State
		if tgt != nil {
			edits = append(edits, edit{tgt.from, tgt.to, f.targetElement(1, tgt.tag, prefix, content, status, state)})
		}
	} else {
		var ok bool
		edits, content, status, state, ok = f.fillSegments12(id, prefix, segsrc, tgt)
		if !ok {
			return f.writeEdited(end, nil)
		}
	}
	if tgt == nil {
		if insertAt < 0 {
			insertAt = src.to // something unexpected came before the source
		}
		edits = append(edits, edit{insertAt, insertAt, f.newTarget(1, src, prefix, content, status, state)})
	}
	if len(f.notes) > 0 {
		at := insertAt
		if tgt != nil {
			at = tgt.to
		}
		edits = append(edits, noteAfter12(at, src.indent, prefix, strings.Join(f.notes, "\n")))
	}
	// approved is the unit's: a translation not approved makes the unit
	// not approved; an approved one approves a unit of one segment.
	approved, has := rawAttrValue(unitTag, "approved")
	switch {
	case status == corpora.StatusApproved && (segsrc == nil || len(segsrc.c.segs) <= 1):
		edits = append(edits, edit{from, tagEnd, setAttr(unitTag, "approved", "yes")})
	case status != corpora.StatusApproved && has && approved == "yes":
		edits = append(edits, edit{from, tagEnd, setAttr(unitTag, "approved", "no")})
	}
	return f.writeEdited(end, edits)
}

// fillSegments12 fills the segments of a segmented 1.2 trans-unit: in the
// target's own <mrk mtype="seg"> when it has them all, else in a target
// built from the seg-source (keeping the segments not filled now). ok is
// false when no segment has a translation.
func (f *filler) fillSegments12(id, prefix string, segsrc, tgt *child) (edits []edit, content []byte, status corpora.Status, state string, ok bool) {
	filled := false
	segs := segsrc.c.segs
	texts := make([][]byte, len(segs))
	inPlace := tgt != nil
	for i, s := range segs {
		t, ok := f.lookup(id, s.id, len(segs) == 1)
		if !ok {
			continue
		}
		if !filled {
			status, state = t.Status, t.State
		}
		filled = true
		texts[i] = f.inline(1, prefix, t.Target, s.seg.Codes())
		if _, ok := tgt.find(s.id); !ok {
			inPlace = false
		}
	}
	if !filled {
		return nil, nil, 0, "", false
	}
	if inPlace {
		tag := f.stateTag(1, tgt.tag, status, state)
		edits = append(edits, edit{tgt.from, tgt.from + int64(len(tgt.tag)), tag})
		for i, s := range segs {
			if texts[i] == nil {
				continue
			}
			ts, _ := tgt.find(s.id)
			edits = append(edits, edit{ts.start, ts.end, texts[i]})
		}
	} else {
		// Build the target from the seg-source, keeping what is
		// between the segments and the segments not filled now.
		var b []byte
		at := segsrc.c.start
		for i, s := range segs {
			b = f.appendRaw(b, at, s.start)
			switch ts, ok := tgt.find(s.id); {
			case texts[i] != nil:
				b = append(b, texts[i]...)
			case ok:
				b = f.appendRaw(b, ts.start, ts.end)
			}
			at = s.end
		}
		content = f.appendRaw(b, at, segsrc.c.end)
		if tgt != nil {
			edits = append(edits, edit{tgt.from, tgt.to, f.targetElement(1, tgt.tag, prefix, content, status, state)})
		}
	}
	return edits, content, status, state, true
}

// appendRaw appends recorded input between two offsets.
func (f *filler) appendRaw(b []byte, from, to int64) []byte {
	raw, _ := f.rec.slice(from, to)
	return append(b, raw...)
}

// attrOfTag returns the unescaped value of an attribute of a start tag.
func attrOfTag(tag []byte, name string) string {
	v, ok := rawAttrValue(tag, name)
	if !ok || !strings.ContainsRune(v, '&') {
		return v
	}
	d := xml.NewDecoder(strings.NewReader(`<a v="` + v + `"/>`))
	tok, err := d.Token()
	if se, ok := tok.(xml.StartElement); err == nil && ok && len(se.Attr) == 1 {
		return se.Attr[0].Value
	}
	return v
}

// qnameOf returns the qualified name of a start tag.
func qnameOf(tag []byte) string {
	n, _, _, _ := scanTag(tag)
	return n
}

// inline writes a translation as inline markup, writing codes that match
// the source's codes (like) as the source has them.
func (f *filler) inline(v int, prefix string, seg corpora.Segment, like []*corpora.Code) []byte {
	seg = adoptCodes(seg, like)
	w := &inlineWriter{v: v, prefix: prefix}
	var b strings.Builder
	w.segment(&b, seg)
	return []byte(b.String())
}

// adoptCodes returns seg with each code replaced by the source code of the
// same kind, ID and pairing, so that it is written exactly like it.
func adoptCodes(seg corpora.Segment, like []*corpora.Code) corpora.Segment {
	if !seg.HasCodes() || len(like) == 0 {
		return seg
	}
	type key struct {
		kind   corpora.CodeKind
		id     string
		paired bool
	}
	byKey := map[key][]*corpora.Code{}
	for _, c := range like {
		k := key{c.Kind, c.ID, c.Paired}
		byKey[k] = append(byKey[k], c)
	}
	out := corpora.Segment{Spans: make([]corpora.Span, len(seg.Spans))}
	for i, sp := range seg.Spans {
		out.Spans[i] = sp
		if sp.Code == nil {
			continue
		}
		k := key{sp.Code.Kind, sp.Code.ID, sp.Code.Paired}
		if q := byKey[k]; len(q) > 0 {
			out.Spans[i].Code = q[0]
			if len(q) > 1 {
				byKey[k] = q[1:]
			}
		}
	}
	return out
}

// stateOf returns the state (and 1.2 state-qualifier or 2.x subState) a
// translation is written with.
func stateOf(v int, status corpora.Status, state string) (string, string) {
	if status == corpora.StatusUnspecified {
		status = corpora.StatusTranslated
	}
	var s, q string
	if v == 1 {
		s, q = state12(status)
	} else {
		s, q = state2(status)
	}
	if state != "" {
		s = state
	}
	return s, q
}

// stateTag returns a start tag with the state attributes set.
func (f *filler) stateTag(v int, tag []byte, status corpora.Status, state string) []byte {
	s, q := stateOf(v, status, state)
	tag = setAttr(tag, "state", s)
	qa := "state-qualifier"
	if v == 2 {
		qa = "subState"
	}
	if q != "" {
		return setAttr(tag, qa, q)
	}
	return removeAttr(tag, qa)
}

// targetElement returns a whole target element: the existing start tag
// (with the 1.2 state set, and its xml:lang, if it has one, made the
// target language: a target written as "xx" or in the source language
// before it was translated), the content and the end tag.
func (f *filler) targetElement(v int, tag []byte, prefix string, content []byte, status corpora.Status, state string) []byte {
	if v == 1 {
		tag = f.stateTag(1, tag, status, state)
	}
	trg := f.fileTrg
	if v == 2 {
		trg = f.rootTrg
	}
	if _, ok := rawAttrValue(tag, "xml:lang"); ok && trg != "" {
		tag = setAttr(tag, "xml:lang", trg)
	}
	b := append(openTag(tag), content...)
	return append(b, "</"+qnameOf(tag)+">"...)
}

// newTarget returns a target element to insert after src, on a line of its
// own indented like src when src is.
func (f *filler) newTarget(v int, src *child, prefix string, content []byte, status corpora.Status, state string) []byte {
	b := append([]byte(nil), src.indent...)
	tag := []byte("<" + prefix + "target>")
	if v == 1 {
		tag = f.stateTag(1, tag, status, state)
		if _, ok := rawAttrValue(src.tag, "xml:lang"); ok && f.fileTrg != "" {
			tag = setAttr(tag, "xml:lang", f.fileTrg)
		}
	}
	b = append(b, tag...)
	b = append(b, content...)
	return append(b, "</"+prefix+"target>"...)
}

// fillSegment2 is a 2.x <segment> as Fill reads it.
type fillSegment2 struct {
	from   int64
	tag    []byte
	tagEnd int64
	id     string
	src    *child
	tgt    *child
}

// unit2 fills a 2.x <unit> whose start tag was just read at from.
func (f *filler) unit2(t xml.StartElement, from int64) error {
	d := f.d
	depth := d.Depth()
	id := attr(t, "id")
	p := &inlineParser{d: d, v: 2, ns: f.ns, budget: &budget{max: f.limits.MaxUnitBytes}}
	var segs []*fillSegment2
	f.notes = nil
	notes := notes2{after: -1, before: -1}
	for {
		before := d.Offset()
		tok, err := d.Token()
		if err != nil {
			return eofIsTruncation(d, err)
		}
		if err := f.held(from); err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			if d.Depth() < depth {
				return f.finish2(id, segs, notes)
			}
		case xml.StartElement:
			if p.isX(t.Name) && notes.after < 0 && notes.before < 0 {
				switch t.Name.Local {
				case "notes":
					if err := d.Skip(); err != nil {
						return err
					}
					notes.after, notes.indent = f.notesEnd(before, d.Offset())
					continue
				case "originalData", "segment", "ignore":
					notes.before, notes.indent = before, f.lineIndent(from, before)
				}
			}
			if !p.isX(t.Name) || t.Name.Local != "segment" {
				if err := d.Skip(); err != nil {
					return err
				}
				continue
			}
			s, err := f.segment2(t, before, p)
			if err != nil {
				return err
			}
			segs = append(segs, s)
		}
	}
}

// segment2 reads a 2.x <segment> whose start tag was just read at from.
func (f *filler) segment2(t xml.StartElement, from int64, p *inlineParser) (*fillSegment2, error) {
	d := f.d
	depth := d.Depth()
	s := &fillSegment2{from: from, tag: f.tag(from), tagEnd: d.Offset(), id: attr(t, "id")}
	var ws []byte
	for {
		before := d.Offset()
		tok, err := d.Token()
		if err != nil {
			return nil, eofIsTruncation(d, err)
		}
		indent := ws
		ws = nil
		switch t := tok.(type) {
		case xml.CharData:
			// The raw bytes, not the token: the decoder turns CRLF into LF.
			if len(bytes.TrimLeft(t, " \t\r\n")) == 0 {
				ws = f.appendRaw(nil, before, d.Offset())
			}
		case xml.EndElement:
			if d.Depth() < depth {
				return s, nil
			}
		case xml.StartElement:
			var err error
			switch {
			case p.isX(t.Name) && t.Name.Local == "source" && s.src == nil:
				s.src, err = f.readChild(p, before, indent)
			case p.isX(t.Name) && t.Name.Local == "target" && s.tgt == nil:
				s.tgt, err = f.readChild(p, before, indent)
			default:
				err = d.Skip()
			}
			if err != nil {
				return nil, err
			}
		}
	}
}

// finish2 writes out a 2.x unit with its segments filled, and the
// translations' notes in its <notes>.
func (f *filler) finish2(id string, segs []*fillSegment2, notes notes2) error {
	var edits []edit
	for i, s := range segs {
		if s.src == nil {
			continue
		}
		segID := s.id
		if segID == "" && len(segs) > 1 {
			segID = "#" + strconv.Itoa(i+1)
		}
		t, ok := f.lookup(id, segID, len(segs) == 1)
		if !ok {
			continue
		}
		prefix := prefixOf(qnameOf(s.src.tag))
		content := f.inline(2, prefix, t.Target, s.src.c.whole.Codes())
		edits = append(edits, edit{s.from, s.tagEnd, f.stateTag(2, s.tag, t.Status, t.State)})
		if s.tgt != nil {
			edits = append(edits, edit{s.tgt.from, s.tgt.to, f.targetElement(2, s.tgt.tag, prefix, content, t.Status, t.State)})
		} else {
			edits = append(edits, edit{s.src.to, s.src.to, f.newTarget(2, s.src, prefix, content, t.Status, t.State)})
		}
	}
	if len(f.notes) > 0 && len(segs) > 0 && segs[0].src != nil {
		// First: the note may go where the first segment's start tag,
		// which another edit replaces, begins.
		if e, ok := f.noteEdit2(notes, prefixOf(qnameOf(segs[0].src.tag)), strings.Join(f.notes, "\n")); ok {
			edits = append([]edit{e}, edits...)
		}
	}
	return f.writeEdited(f.d.Offset(), edits)
}
