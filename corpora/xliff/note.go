package xliff

import (
	"bytes"
	"strings"
)

// NoteFrom is the 1.2 from attribute (the 2.x category) of the notes Fill
// writes for a Translation's Note.
const NoteFrom = "kgmem-qa"

// noteElement returns a note about the target, in the version's form: 1.2
// <note from="kgmem-qa" annotates="target">, 2.x <note category="kgmem-qa"
// appliesTo="target">.
func noteElement(v int, prefix, text string) []byte {
	var b strings.Builder
	b.WriteString("<" + prefix + "note ")
	if v == 1 {
		b.WriteString(`from="` + NoteFrom + `" annotates="target">`)
	} else {
		b.WriteString(`category="` + NoteFrom + `" appliesTo="target">`)
	}
	// A note holds text only: characters XML cannot hold become U+FFFD,
	// as in 1.2 targets.
	(&inlineWriter{v: 1}).text(&b, text)
	b.WriteString("</" + prefix + "note>")
	return []byte(b.String())
}

// noteAfter12 returns the edit that puts a 1.2 note right after the
// target, which ends at (or, when new, is inserted at) at: the schema
// allows notes there whatever follows. indent is the white space before
// the source, so that the note is on a line of its own like it.
func noteAfter12(at int64, indent []byte, prefix, text string) edit {
	b := append(append([]byte(nil), indent...), noteElement(1, prefix, text)...)
	return edit{at, at, b}
}

// notes2 is where a 2.x unit can take a note: after the last child of its
// <notes>, or, when it has none, before the first element a <notes> must
// precede (originalData, segment or ignore).
type notes2 struct {
	after  int64 // offset after the last child of <notes>, or -1
	before int64 // offset of the first element after where <notes> goes, or -1
	indent []byte
}

// noteEdit2 returns the edit that adds a note to a 2.x unit, and false
// when the unit has no place for it.
func (f *filler) noteEdit2(at notes2, prefix, text string) (edit, bool) {
	note := noteElement(2, prefix, text)
	switch {
	case at.after >= 0:
		return edit{at.after, at.after, append(append([]byte(nil), at.indent...), note...)}, true
	case at.before >= 0:
		inner := at.indent
		if inner != nil {
			inner = append(append([]byte(nil), inner...), "  "...)
		}
		b := []byte("<" + prefix + "notes>")
		b = append(append(b, inner...), note...)
		b = append(append(b, at.indent...), "</"+prefix+"notes>"...)
		return edit{at.before, at.before, append(b, at.indent...)}, true
	}
	return edit{}, false
}

// notesEnd returns where a note goes in the <notes> element recorded
// between from and to: after its last child, with the white space its
// first child has before it.
func (f *filler) notesEnd(from, to int64) (int64, []byte) {
	b, ok := f.rec.slice(from, to)
	if !ok {
		return -1, nil
	}
	end := bytes.LastIndex(b, []byte("</"))
	start := bytes.IndexByte(b, '>')
	if end < 0 || start < 0 || start >= end {
		return -1, nil
	}
	after := len(bytes.TrimRight(b[:end], " \t\r\n"))
	var indent []byte
	if first := bytes.IndexByte(b[start+1:], '<'); first >= 0 {
		indent = f.lineIndent(from+int64(start)+1, from+int64(start+1+first))
	}
	return from + int64(after), indent
}

// lineIndent returns the white space between the last newline before off
// and off, within the recorded text from start, with that newline; nil
// when something else comes between them.
func (f *filler) lineIndent(start, off int64) []byte {
	b, ok := f.rec.slice(start, off)
	if !ok {
		return nil
	}
	i := bytes.LastIndexByte(b, '\n')
	if i < 0 || len(bytes.Trim(b[i:], " \t\r\n")) > 0 {
		return nil
	}
	return append([]byte(nil), b[i:]...)
}
