package extract

// The records an Extractor keeps per unit in its logs (spill.go): the unit
// as added (unitRec), and the mentions Train found in it.

import (
	"encoding/binary"
	"errors"
	"time"

	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/graph/pattern"
)

// unitRec is one unit as the extractor keeps it: what building its
// segment needs, and its tokens.
type unitRec struct {
	file    int32
	aligned bool // its sentence pair is in the aligner's log
	id      string
	index   int // corpora.Origin.Index
	srcLang string
	tgtLang string
	domain  string
	context string // msgctxt, resname
	status  string
	changed time.Time
	created time.Time
	src     string // plain source text
	tgt     string // plain target text
	srcToks []tok
	tgtToks []tok
	pats    []pattern.Span // pattern entities of the source
}

// recEncoder appends the fields of a record.
type recEncoder struct{ b []byte }

func (e *recEncoder) uvarint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *recEncoder) varint(v int64)   { e.b = binary.AppendVarint(e.b, v) }
func (e *recEncoder) str(s string) {
	e.uvarint(uint64(len(s)))
	e.b = append(e.b, s...)
}

func (e *recEncoder) time(t time.Time) {
	if t.IsZero() {
		e.uvarint(0)
		return
	}
	data, err := t.MarshalBinary()
	if err != nil { // a time outside MarshalBinary's range: keep the instant
		data, _ = t.UTC().Round(0).MarshalBinary()
	}
	e.uvarint(uint64(len(data)))
	e.b = append(e.b, data...)
}

func (e *recEncoder) toks(ts []tok) {
	e.uvarint(uint64(len(ts)))
	prev := int32(0)
	for _, t := range ts {
		e.varint(int64(t.start - prev))
		e.uvarint(uint64(t.end - t.start))
		e.uvarint(uint64(t.norm))
		e.uvarint(uint64(t.stem))
		prev = t.end
	}
}

// recDecoder reads the fields of a record; the first error sticks and
// later reads return zero values.
type recDecoder struct {
	b   []byte
	err error
}

var errBadRecord = errors.New("extract: a temporary record is damaged")

func (d *recDecoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = errBadRecord
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *recDecoder) varint() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err = errBadRecord
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *recDecoder) bytes() []byte {
	n := d.uvarint()
	if d.err != nil {
		return nil
	}
	if n > uint64(len(d.b)) {
		d.err = errBadRecord
		return nil
	}
	v := d.b[:n]
	d.b = d.b[n:]
	return v
}

func (d *recDecoder) str() string { return string(d.bytes()) }

func (d *recDecoder) time() time.Time {
	data := d.bytes()
	if len(data) == 0 {
		return time.Time{}
	}
	var t time.Time
	if err := t.UnmarshalBinary(data); err != nil && d.err == nil {
		d.err = errBadRecord
	}
	return t
}

func (d *recDecoder) toks(into []tok) []tok {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.err = errBadRecord
		return into[:0]
	}
	out := into[:0]
	prev := int32(0)
	for i := uint64(0); i < n && d.err == nil; i++ {
		var t tok
		t.start = prev + int32(d.varint())
		t.end = t.start + int32(d.uvarint())
		t.norm = int32(d.uvarint())
		t.stem = int32(d.uvarint())
		prev = t.end
		out = append(out, t)
	}
	return out
}

// encodeUnit appends the record of r to b.
func encodeUnit(b []byte, r *unitRec) []byte {
	e := recEncoder{b: b}
	e.uvarint(uint64(r.file))
	if r.aligned {
		e.uvarint(1)
	} else {
		e.uvarint(0)
	}
	e.str(r.id)
	e.uvarint(uint64(r.index))
	e.str(r.srcLang)
	e.str(r.tgtLang)
	e.str(r.domain)
	e.str(r.context)
	e.str(r.status)
	e.time(r.changed)
	e.time(r.created)
	e.str(r.src)
	e.str(r.tgt)
	e.toks(r.srcToks)
	e.toks(r.tgtToks)
	e.uvarint(uint64(len(r.pats)))
	for _, p := range r.pats {
		e.uvarint(uint64(p.Start))
		e.uvarint(uint64(p.End - p.Start))
		e.str(string(p.Type))
	}
	return e.b
}

// decodeUnit sets r from a record, reusing r's slices.
func decodeUnit(rec []byte, r *unitRec) error {
	d := recDecoder{b: rec}
	r.file = int32(d.uvarint())
	r.aligned = d.uvarint() == 1
	r.id = d.str()
	r.index = int(d.uvarint())
	r.srcLang = d.str()
	r.tgtLang = d.str()
	r.domain = d.str()
	r.context = d.str()
	r.status = d.str()
	r.changed = d.time()
	r.created = d.time()
	r.src = d.str()
	r.tgt = d.str()
	r.srcToks = d.toks(r.srcToks)
	r.tgtToks = d.toks(r.tgtToks)
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.err = errBadRecord
	}
	r.pats = r.pats[:0]
	for i := uint64(0); i < n && d.err == nil; i++ {
		start := int(d.uvarint())
		end := start + int(d.uvarint())
		r.pats = append(r.pats, pattern.Span{Start: start, End: end, Type: graph.EntityType(d.str())})
	}
	return d.err
}

// encodeMentions appends the record of a unit's mentions: per mention the
// selected candidate's number, the source span and the target span with
// its translation key's number (0: none).
func encodeMentions(b []byte, ms []mention) []byte {
	e := recEncoder{b: b}
	e.uvarint(uint64(len(ms)))
	for i := range ms {
		m := &ms[i]
		e.uvarint(uint64(m.c.num))
		e.uvarint(uint64(m.start))
		e.uvarint(uint64(m.end - m.start))
		if m.tStart < 0 {
			e.uvarint(0)
			continue
		}
		e.uvarint(uint64(m.tStart) + 1)
		e.uvarint(uint64(m.tEnd - m.tStart))
		e.uvarint(uint64(m.tkey))
	}
	return e.b
}

// decodeMentions decodes a mentions record; sel are the selected
// candidates by number.
func decodeMentions(rec []byte, sel []*cand, into []mention) ([]mention, error) {
	d := recDecoder{b: rec}
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		return into[:0], errBadRecord
	}
	out := into[:0]
	for i := uint64(0); i < n && d.err == nil; i++ {
		var m mention
		num := d.uvarint()
		if num >= uint64(len(sel)) {
			return out, errBadRecord
		}
		m.c = sel[num]
		m.tokFrom = -1
		m.start = int(d.uvarint())
		m.end = m.start + int(d.uvarint())
		m.tStart = int(d.uvarint()) - 1
		if m.tStart >= 0 {
			m.tEnd = m.tStart + int(d.uvarint())
			m.tkey = int32(d.uvarint())
		}
		out = append(out, m)
	}
	return out, d.err
}
