package xliff

import (
	"encoding/xml"
	"errors"
	"io"
	"strconv"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/internal/xmlread"
)

// Reader streams the translation units of an XLIFF 1.x or 2.x document.
// It holds one <trans-unit> or <unit> at a time. It is not safe for
// concurrent use.
type Reader struct {
	d       *xmlread.Decoder
	opts    corpora.ReadOptions
	limits  corpora.Limits
	v       int    // 1 or 2
	version string // the root's version attribute
	ns      string // the XLIFF namespace the document uses

	srcLang, trgLang language.Tag // 2.x root languages
	file             fileInfo
	// noTranslate is a stack with one entry per element the reader has
	// descended into, true where translate="no" holds.
	noTranslate []bool
	queue       []*corpora.Unit
	index       int
	done        bool
	prevLine    int
	// ids counts the units of the current file per id, and repeat is the
	// count of the unit being read before it (see PropRepeat).
	ids    map[string]int
	repeat int
	err    error // a unit error a strict reader stopped at
}

var _ corpora.Reader = (*Reader)(nil)

// fileInfo is what a <file> says about the units in it.
type fileInfo struct {
	key      string
	src, trg language.Tag
	datatype string
}

// NewReader returns a reader of the XLIFF document r. It reads up to the
// root element, so a file that is empty or not XLIFF fails here.
func NewReader(r io.Reader, opts corpora.ReadOptions) (*Reader, error) {
	d, err := xmlread.New(r, opts.Name, opts.Limits)
	if err != nil {
		return nil, err
	}
	xr := &Reader{d: d, opts: opts, limits: opts.Limits.Or(), ids: map[string]int{}}
	root, err := findRoot(d)
	if err != nil {
		return nil, err
	}
	xr.version = attr(root, "version")
	xr.ns = root.Name.Space
	xr.v = major(xr.version, xr.ns)
	if xr.v == 0 {
		return nil, d.Errorf("XLIFF version %q is not supported; this reader knows 1.0, 1.1, 1.2, 2.0 and 2.1", xr.version)
	}
	if xr.version == "" {
		xr.version = "1.2"
		if xr.v == 2 {
			xr.version = "2.0"
		}
	}
	xr.noTranslate = []bool{attr(root, "translate") == "no"}
	if xr.v == 2 {
		src := attr(root, "srcLang")
		if src == "" {
			return nil, d.Errorf("<xliff> has no srcLang; add the source language, like srcLang=\"en\"")
		}
		if xr.srcLang, err = parseLang(src); err != nil {
			return nil, d.Errorf("<xliff> srcLang: %v", err)
		}
		if trg := attr(root, "trgLang"); trg != "" {
			if xr.trgLang, err = parseLang(trg); err != nil {
				return nil, d.Errorf("<xliff> trgLang: %v", err)
			}
		}
	}
	return xr, nil
}

// findRoot reads up to the root element and checks that it is <xliff>.
func findRoot(d *xmlread.Decoder) (xml.StartElement, error) {
	seen := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			if !seen {
				return xml.StartElement{}, d.Errorf("file is empty")
			}
			return xml.StartElement{}, d.Errorf("file has no root element; it is not XLIFF")
		}
		if err != nil {
			return xml.StartElement{}, err
		}
		seen = true
		if se, ok := tok.(xml.StartElement); ok {
			if se.Name.Local != "xliff" {
				return se, d.Errorf("root element is <%s>, not <xliff>; this is not an XLIFF file", se.Name.Local)
			}
			return se, nil
		}
	}
}

// Version returns the XLIFF version the document declares ("1.2", "2.0",
// …; "1.2" or "2.0" when it declares none).
func (r *Reader) Version() string { return r.version }

// Next returns the next unit, or io.EOF after the last one.
func (r *Reader) Next() (*corpora.Unit, error) {
	for len(r.queue) == 0 {
		if r.err != nil {
			return nil, r.err
		}
		if r.done {
			return nil, io.EOF
		}
		if err := r.step(); err != nil {
			var ue *unitError
			if errors.As(err, &ue) {
				if r.opts.Lenient {
					r.opts.Skipped(corpora.Skip{File: r.opts.Name, Line: ue.pe.Line, Reason: ue.pe.Err.Error()})
					continue
				}
				ue.pe.Skippable = true
				r.err = ue.pe
				return nil, ue.pe
			}
			r.done = true
			r.err = err
			return nil, err
		}
	}
	u := r.queue[0]
	r.queue[0] = nil
	r.queue = r.queue[1:]
	return u, nil
}

// step reads one structural token and whatever unit it starts.
func (r *Reader) step() error {
	d := r.d
	r.prevLine = d.Line()
	before := d.Offset()
	tok, err := d.Token()
	if err != nil {
		if err == io.EOF {
			r.done = true
			return nil
		}
		return err
	}
	switch t := tok.(type) {
	case xml.EndElement:
		if n := len(r.noTranslate); n > 0 {
			r.noTranslate = r.noTranslate[:n-1]
		}
		if d.Depth() == 0 {
			r.done = true
		}
	case xml.StartElement:
		no := r.noTranslate[len(r.noTranslate)-1] || attr(t, "translate") == "no"
		if t.Name.Space != r.ns && t.Name.Space != "" {
			return d.Skip()
		}
		line := r.prevLine // where the previous token ended and this one begins
		switch t.Name.Local {
		case "file":
			if d.Depth() != 2 {
				return d.Skip()
			}
			skip, err := r.startFile(t)
			if err != nil {
				return err
			}
			if skip {
				return d.Skip()
			}
		case "body", "group":
			if d.Depth() < 3 {
				return d.Skip()
			}
		case "trans-unit", "unit":
			if d.Depth() < 3 || (t.Name.Local == "unit") != (r.v == 2) {
				return d.Skip()
			}
			id := attr(t, "id")
			r.repeat = r.ids[id]
			r.ids[id]++
			return r.unit(t, line, before, no)
		default:
			return d.Skip()
		}
		r.noTranslate = append(r.noTranslate, no)
	}
	return nil
}

// unit reads a unit whose start tag t (at offset before) was just read, or
// skips it when it is not to be translated; a unit that holds a byte that
// is not UTF-8, or breaks a limit, gives no unit but a unit error.
func (r *Reader) unit(t xml.StartElement, line int, before int64, no bool) error {
	d := r.d
	d.BeginUnit(before)
	if no {
		err := d.Skip()
		d.EndUnit()
		return err
	}
	queued, index := len(r.queue), r.index
	var err error
	if r.v == 1 {
		err = r.transUnit(t, line)
	} else {
		err = r.unit2(t, line)
	}
	if bad, found := d.EndUnit(); found && (err == nil || errors.As(err, new(*unitError))) {
		err = &unitError{&corpora.ParseError{File: r.opts.Name, Line: bad, Offset: -1, Unit: attr(t, "id"), Err: d.InvalidUTF8Error(bad)}}
	}
	for _, u := range r.queue[queued:] {
		if err != nil {
			break
		}
		if cerr := r.limits.CheckUnit(u); cerr != nil {
			err = &unitError{&corpora.ParseError{File: r.opts.Name, Line: u.Origin.Line, Offset: -1, Unit: u.ID, Err: cerr}}
		}
	}
	if err != nil {
		r.queue, r.index = r.queue[:queued], index
	}
	return err
}

// startFile reads a <file> start tag; skip is true when the file's
// languages are not the ones asked for.
func (r *Reader) startFile(t xml.StartElement) (skip bool, err error) {
	d := r.d
	r.ids = map[string]int{}
	if r.v == 2 {
		r.file = fileInfo{key: attr(t, "id"), src: r.srcLang, trg: r.trgLang}
	} else {
		r.file = fileInfo{key: attr(t, "original"), datatype: attr(t, "datatype")}
		src := attr(t, "source-language")
		if src == "" {
			return false, d.Errorf("<file> has no source-language; add the source language, like source-language=\"en\"")
		}
		if r.file.src, err = parseLang(src); err != nil {
			return false, d.Errorf("<file> source-language: %v", err)
		}
		if trg := attr(t, "target-language"); trg != "" {
			if r.file.trg, err = parseLang(trg); err != nil {
				return false, d.Errorf("<file> target-language: %v", err)
			}
		}
	}
	if !corpora.LangMatches(r.opts.SourceLang, r.file.src) {
		return true, nil
	}
	if r.opts.TargetLang != language.Und {
		if r.file.trg == language.Und {
			r.file.trg = r.opts.TargetLang
		} else if !corpora.LangMatches(r.opts.TargetLang, r.file.trg) {
			return true, nil
		}
	}
	return false, nil
}

// abandon skips the rest of a unit whose start tag was read at depth, in
// lenient mode, and returns err; in strict mode it returns err at once.
func (r *Reader) abandon(depth int, err error) error {
	var ue *unitError
	if !r.opts.Lenient || !errors.As(err, &ue) {
		return err
	}
	for r.d.Depth() >= depth {
		if _, terr := r.d.Token(); terr != nil {
			return eofIsTruncation(r.d, terr)
		}
	}
	return err
}

// newUnit returns a unit with what the file and unit start tag give. The
// ID and context undo the escapes the writer gives characters XML cannot
// hold (a gettext ID's U+0004); PropUnit keeps the id as the document has
// it, which is what Fill finds the unit by.
func (r *Reader) newUnit(id, context string, line int) corpora.Unit {
	u := corpora.Unit{
		SourceLang: r.file.src,
		TargetLang: r.file.trg,
		ID:         xmlread.UnescapeInvalid(id),
		Context:    xmlread.UnescapeInvalid(context),
		Origin:     corpora.Origin{File: r.opts.Name, Line: line},
	}
	u.Props = append(u.Props, corpora.Prop{Type: PropFile, Value: r.file.key}, corpora.Prop{Type: PropUnit, Value: id})
	if r.repeat > 0 {
		u.Props = append(u.Props, corpora.Prop{Type: PropRepeat, Value: strconv.Itoa(r.repeat)})
	}
	if r.file.datatype != "" {
		u.Props = append(u.Props, corpora.Prop{Type: PropDatatype, Value: r.file.datatype})
	}
	return u
}

// emit queues a unit, giving it its index and copies of shared slices.
func (r *Reader) emit(base *corpora.Unit, src, trg corpora.Segment, idSuffix, segID string, extra ...corpora.Prop) {
	u := *base
	u.Source, u.Target = src, trg
	u.Notes = append([]string(nil), base.Notes...)
	u.Props = append([]corpora.Prop(nil), base.Props...)
	if segID != "" {
		u.Props = append(u.Props, corpora.Prop{Type: PropSegment, Value: segID})
	}
	u.Props = append(u.Props, extra...)
	u.ID += idSuffix
	u.Origin.Index = r.index
	r.index++
	r.queue = append(r.queue, &u)
}

// transUnit reads a 1.2 <trans-unit> whose start tag was just read.
func (r *Reader) transUnit(t xml.StartElement, line int) error {
	base := r.newUnit(attr(t, "id"), attr(t, "resname"), line)
	parts, err := r.transUnitParts(&base)
	if err != nil {
		return err
	}
	return r.emitTransUnit(t, &base, parts)
}

// tuParts are the children of a 1.2 <trans-unit> that make its units.
type tuParts struct {
	src, segsrc, tgt *content
	state, qualifier string // of the target
}

// transUnitParts reads the children of a <trans-unit>: source, seg-source
// and target (the first of each), and notes and contexts into base.
func (r *Reader) transUnitParts(base *corpora.Unit) (tuParts, error) {
	d := r.d
	depth := d.Depth()
	bud := &budget{max: r.limits.MaxUnitBytes}
	p := &inlineParser{d: d, v: 1, ns: r.ns, budget: bud}
	var tp tuParts
	for {
		tok, err := d.Token()
		if err != nil {
			return tp, eofIsTruncation(d, err)
		}
		if _, ok := tok.(xml.EndElement); ok && d.Depth() < depth {
			break
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if !p.isX(se.Name) {
			if err := d.Skip(); err != nil {
				return tp, err
			}
			continue
		}
		switch se.Name.Local {
		case "source":
			if tp.src != nil {
				err = d.Skip()
				break
			}
			tp.src, err = p.parse()
		case "seg-source":
			if tp.segsrc != nil {
				err = d.Skip()
				break
			}
			tp.segsrc, err = p.parse()
		case "target":
			if tp.tgt != nil {
				err = d.Skip()
				break
			}
			tp.state, tp.qualifier = attr(se, "state"), attr(se, "state-qualifier")
			tp.tgt, err = p.parse()
		case "note":
			var n string
			if n, err = text(d, bud); err == nil {
				base.Notes = append(base.Notes, n)
			}
		case "context-group":
			err = r.contextGroup(base, bud)
		default:
			err = d.Skip()
		}
		if err != nil {
			return tp, r.abandon(depth+1, err)
		}
	}
	return tp, nil
}

// emitTransUnit queues the units of a <trans-unit>: one, or one per
// segment of its seg-source.
func (r *Reader) emitTransUnit(t xml.StartElement, base *corpora.Unit, tp tuParts) error {
	d, id := r.d, attr(t, "id")
	src, segsrc, tgt, state, qualifier := tp.src, tp.segsrc, tp.tgt, tp.state, tp.qualifier
	if src == nil {
		return badUnit(d, "<trans-unit id=%q> has no <source>; add one", id)
	}
	var trgWhole corpora.Segment
	if tgt != nil {
		trgWhole = tgt.whole
	}
	base.Status = status12(state, qualifier, attr(t, "approved"), !trgWhole.IsEmpty())
	var extra []corpora.Prop
	if state != "" {
		extra = append(extra, corpora.Prop{Type: PropState, Value: state})
	}
	if qualifier != "" {
		extra = append(extra, corpora.Prop{Type: PropStateQualifier, Value: qualifier})
	}
	if segsrc == nil || len(segsrc.segs) == 0 {
		r.emit(base, src.whole, trgWhole, "", "", extra...)
		return nil
	}
	for _, sp := range segsrc.segs {
		var trg corpora.Segment
		if ts, ok := tgt.find(sp.id); ok {
			trg = ts.seg
		} else if len(segsrc.segs) == 1 && tgt != nil && len(tgt.segs) == 0 {
			trg = trgWhole
		}
		r.emit(base, sp.seg, trg, "#"+sp.id, sp.id, extra...)
	}
	return nil
}

// contextGroup reads a 1.2 <context-group> into properties.
func (r *Reader) contextGroup(u *corpora.Unit, bud *budget) error {
	d := r.d
	depth := d.Depth()
	for {
		tok, err := d.Token()
		if err != nil {
			return eofIsTruncation(d, err)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			if d.Depth() < depth {
				return nil
			}
		case xml.StartElement:
			if t.Name.Local != "context" {
				if err := d.Skip(); err != nil {
					return err
				}
				continue
			}
			v, err := text(d, bud)
			if err != nil {
				return err
			}
			u.Props = append(u.Props, corpora.Prop{Type: propContext + attr(t, "context-type"), Value: v})
		}
	}
}

// segment2 is one 2.x <segment> as read.
type segment2 struct {
	id              string
	state, subState string
	src, tgt        *content
}

// unit2 reads a 2.x <unit> whose start tag was just read.
func (r *Reader) unit2(t xml.StartElement, line int) error {
	d := r.d
	depth := d.Depth()
	id := attr(t, "id")
	base := r.newUnit(id, attr(t, "name"), line)
	bud := &budget{max: r.limits.MaxUnitBytes}
	p := &inlineParser{d: d, v: 2, ns: r.ns, budget: bud}
	var segs []segment2
	for {
		tok, err := d.Token()
		if err != nil {
			return eofIsTruncation(d, err)
		}
		if _, ok := tok.(xml.EndElement); ok && d.Depth() < depth {
			break
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if !p.isX(se.Name) {
			if err := d.Skip(); err != nil {
				return err
			}
			continue
		}
		switch se.Name.Local {
		case "notes":
			err = r.notes2(&base, bud)
		case "originalData":
			p.data, err = r.originalData(p)
		case "segment":
			var s segment2
			s, err = r.segment2(se, p)
			if err == nil {
				segs = append(segs, s)
			}
		default:
			err = d.Skip()
		}
		if err != nil {
			return r.abandon(depth+1, err)
		}
	}
	for i, s := range segs {
		if s.src == nil {
			return badUnit(d, "<segment> %d of <unit id=%q> has no <source>; add one", i+1, id)
		}
	}
	for i, s := range segs {
		var trg corpora.Segment
		if s.tgt != nil {
			trg = s.tgt.whole
		}
		b := base
		b.Status = status2(s.state, s.subState, !trg.IsEmpty())
		var extra []corpora.Prop
		if s.state != "" {
			extra = append(extra, corpora.Prop{Type: PropState, Value: s.state})
		}
		if s.subState != "" {
			extra = append(extra, corpora.Prop{Type: PropStateQualifier, Value: s.subState})
		}
		segID, suffix := s.id, ""
		if len(segs) > 1 {
			if segID == "" {
				segID = "#" + strconv.Itoa(i+1)
			}
			suffix = "#" + segID
		}
		r.emit(&b, s.src.whole, trg, suffix, segID, extra...)
	}
	return nil
}

// segment2 reads a 2.x <segment> whose start tag was just read.
func (r *Reader) segment2(t xml.StartElement, p *inlineParser) (segment2, error) {
	d := r.d
	depth := d.Depth()
	s := segment2{id: attr(t, "id"), state: attr(t, "state"), subState: attr(t, "subState")}
	for {
		tok, err := d.Token()
		if err != nil {
			return s, eofIsTruncation(d, err)
		}
		if _, ok := tok.(xml.EndElement); ok && d.Depth() < depth {
			return s, nil
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch {
		case !p.isX(se.Name):
			err = d.Skip()
		case se.Name.Local == "source" && s.src == nil:
			s.src, err = p.parse()
		case se.Name.Local == "target" && s.tgt == nil:
			s.tgt, err = p.parse()
		default:
			err = d.Skip()
		}
		if err != nil {
			return s, err
		}
	}
}

// notes2 reads a 2.x <notes> into the unit's notes.
func (r *Reader) notes2(u *corpora.Unit, bud *budget) error {
	d := r.d
	depth := d.Depth()
	for {
		tok, err := d.Token()
		if err != nil {
			return eofIsTruncation(d, err)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			if d.Depth() < depth {
				return nil
			}
		case xml.StartElement:
			if t.Name.Local != "note" {
				if err := d.Skip(); err != nil {
					return err
				}
				continue
			}
			n, err := text(d, bud)
			if err != nil {
				return err
			}
			u.Notes = append(u.Notes, n)
		}
	}
}

// originalData reads a 2.x <originalData> into a map from data id to the
// data's content as an XML fragment.
func (r *Reader) originalData(p *inlineParser) (map[string]string, error) {
	d := r.d
	depth := d.Depth()
	m := map[string]string{}
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, eofIsTruncation(d, err)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			if d.Depth() < depth {
				return m, nil
			}
		case xml.StartElement:
			if t.Name.Local != "data" {
				if err := d.Skip(); err != nil {
					return nil, err
				}
				continue
			}
			v, err := p.native()
			if err != nil {
				return nil, err
			}
			m[attr(t, "id")] = v
		}
	}
}
