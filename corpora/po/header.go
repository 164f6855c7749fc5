package po

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
)

// Header is a catalog's header entry: the msgstr of msgid "" as "Name:
// value" fields, and the comments before it (copyright and licence,
// usually).
type Header struct {
	// Comments are the translator comments ("# …" lines) of the header
	// entry, one per line.
	Comments []string
	// Fuzzy is set when the header entry is flagged fuzzy, as a fresh
	// template's is.
	Fuzzy bool
	// Flags are the header entry's other flags.
	Flags []string
	// Fields are the header's fields in file order.
	Fields []HeaderField

	// raw is the msgstr the header was read from, and rawFields its
	// fields as read: while Fields are unchanged the header is written
	// back as it was, odd lines and all.
	raw       string
	rawFields []HeaderField
}

// HeaderField is one "Name: value" line of a header.
type HeaderField struct {
	Name  string
	Value string

	line string // the line as read, written back while Name and Value are unchanged
}

// Get returns the value of the named field (compared case-insensitively)
// without surrounding white space, or "" when the header has none.
func (h *Header) Get(name string) string {
	if h == nil {
		return ""
	}
	for _, f := range h.Fields {
		if strings.EqualFold(f.Name, name) {
			return f.Value
		}
	}
	return ""
}

// Has reports whether the header has the named field.
func (h *Header) Has(name string) bool {
	if h == nil {
		return false
	}
	for _, f := range h.Fields {
		if strings.EqualFold(f.Name, name) {
			return true
		}
	}
	return false
}

// Set sets the named field, replacing its value where it is or adding it
// at the end.
func (h *Header) Set(name, value string) {
	for i, f := range h.Fields {
		if strings.EqualFold(f.Name, name) {
			h.Fields[i].Value = value
			return
		}
	}
	h.Fields = append(h.Fields, HeaderField{Name: name, Value: value})
}

// Clone returns a deep copy of h.
func (h *Header) Clone() *Header {
	if h == nil {
		return nil
	}
	c := *h
	c.Comments = append([]string(nil), h.Comments...)
	c.Flags = append([]string(nil), h.Flags...)
	c.Fields = append([]HeaderField(nil), h.Fields...)
	c.rawFields = append([]HeaderField(nil), h.rawFields...)
	return &c
}

// Charset returns the charset the Content-Type field declares, or "".
func (h *Header) Charset() string {
	return charsetOf(h.Get("Content-Type"))
}

// Language returns the catalog's language from the Language field.
func (h *Header) Language() (language.Tag, error) {
	return corpora.ParseLang(h.Get("Language"))
}

// NPlurals returns the nplurals of the Plural-Forms field, or 0 when the
// header has none.
func (h *Header) NPlurals() int {
	pf := h.Get("Plural-Forms")
	i := strings.Index(pf, "nplurals=")
	if i < 0 {
		return 0
	}
	s := strings.TrimSpace(pf[i+len("nplurals="):])
	j := 0
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	n, err := strconv.Atoi(s[:j])
	if err != nil || n < 1 || n > 100 {
		return 0
	}
	return n
}

// charsetOf returns the charset parameter of a Content-Type value.
func charsetOf(ct string) string {
	i := indexCharset(ct)
	if i < 0 {
		return ""
	}
	s := ct[i+len("charset="):]
	j := strings.IndexAny(s, "; \t\n")
	if j >= 0 {
		s = s[:j]
	}
	return strings.Trim(s, `"`)
}

// newHeader returns the header whose msgstr is text.
func newHeader(text string) *Header {
	fs := parseHeader(text)
	return &Header{Fields: fs, raw: text, rawFields: append([]HeaderField(nil), fs...)}
}

// indexCharset returns the index of "charset=" in s, in any case, or -1.
// It does not use strings.ToLower, which would change the length of bytes
// that are not UTF-8.
func indexCharset(s string) int {
	const word = "charset="
	lower := func(c byte) byte {
		if c >= 'A' && c <= 'Z' {
			return c + 'a' - 'A'
		}
		return c
	}
	for i := 0; i+len(word) <= len(s); i++ {
		j := 0
		for j < len(word) && lower(s[i+j]) == word[j] {
			j++
		}
		if j == len(word) {
			return i
		}
	}
	return -1
}

// parseHeader splits a header msgstr into fields. Lines without a colon
// (blank ones too) are kept as fields with an empty name so that nothing
// is lost.
func parseHeader(msgstr string) []HeaderField {
	var fs []HeaderField
	if msgstr == "" {
		return nil
	}
	for _, ln := range strings.Split(strings.TrimSuffix(msgstr, "\n"), "\n") {
		fs = append(fs, parseField(ln))
	}
	return fs
}

// parseField parses one header line.
func parseField(ln string) HeaderField {
	name, value, ok := strings.Cut(ln, ":")
	if !ok {
		return HeaderField{Value: strings.TrimSpace(ln), line: ln}
	}
	return HeaderField{Name: strings.TrimSpace(name), Value: strings.TrimSpace(value), line: ln}
}

// text returns the header as a msgstr: as it was read if its fields have
// not changed since.
func (h *Header) text() string {
	if h.rawFields != nil && slices.Equal(h.Fields, h.rawFields) {
		return h.raw
	}
	var b strings.Builder
	for _, f := range h.Fields {
		switch g := parseField(f.line); {
		case g.Name == f.Name && g.Value == f.Value:
			b.WriteString(f.line)
		case f.Name == "":
			b.WriteString(f.Value)
		default:
			b.WriteString(f.Name)
			b.WriteString(": ")
			b.WriteString(f.Value)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// revisionLayouts are the forms of PO-Revision-Date seen in real catalogs.
var revisionLayouts = []string{
	"2006-01-02 15:04-0700",
	"2006-01-02 15:04:05-0700",
	"2006-01-02 15:04 -0700",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04Z07:00",
	"2006-01-02T15:04:05Z07:00",
	"2006-01-02 15:04",
	"2006-01-02",
}

// parseRevision parses a PO-Revision-Date; templates' placeholder
// "YEAR-MO-DA HO:MI+ZONE" and other junk give the zero time.
func parseRevision(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, l := range revisionLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

// translator returns the Last-Translator unless it is the template's
// placeholder.
func translator(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "FULL NAME") {
		return ""
	}
	return s
}

// projectDomain returns the package a Project-Id-Version names, without
// its version: "GNU coreutils 8.23-pre1" gives "GNU coreutils".
func projectDomain(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasPrefix(s, "PACKAGE") {
		return ""
	}
	if i := strings.LastIndexAny(s, " \t"); i > 0 {
		if v := s[i+1:]; v != "" && (v[0] >= '0' && v[0] <= '9' || v[0] == 'v' && len(v) > 1 && v[1] >= '0' && v[1] <= '9') {
			s = strings.TrimSpace(s[:i])
		}
	}
	return s
}
