package embedded

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kgmem/kgmem/graph"
)

// The store keeps facts and segments as JSON, the form encoding/json gives
// them. Building a graph writes hundreds of thousands of them, and
// encoding/json's reflection was a tenth of the build's CPU, so the two hot
// types are encoded here by hand into a reused buffer, to exactly the bytes
// json.Marshal produces (TestEncodeMatchesJSON and FuzzEncode hold it to
// that). Reading stays with encoding/json. Anything unusual — a string
// that needs escaping, a time outside UTC, a NaN weight — is handed to
// encoding/json itself, so the output cannot drift from it.

// appendFact appends f as json.Marshal encodes it.
func appendFact(b []byte, f *graph.Fact) ([]byte, error) {
	var err error
	b = append(b, `{"id":`...)
	b = appendString(b, f.ID)
	b = append(b, `,"subject":`...)
	b = appendString(b, f.Subject)
	b = append(b, `,"predicate":`...)
	b = appendString(b, f.Predicate)
	if f.Object != "" {
		b = append(b, `,"object":`...)
		b = appendString(b, f.Object)
	}
	if f.Literal != "" {
		b = append(b, `,"literal":`...)
		b = appendString(b, f.Literal)
	}
	if f.Lang != "" {
		b = append(b, `,"lang":`...)
		b = appendString(b, f.Lang)
	}
	if f.Status != "" {
		b = append(b, `,"status":`...)
		b = appendString(b, string(f.Status))
	}
	b = append(b, `,"weight":`...)
	if b, err = appendFloat(b, f.Weight); err != nil {
		return nil, err
	}
	b = append(b, `,"count":`...)
	b = strconv.AppendInt(b, int64(f.Count), 10)
	if len(f.Sources) > 0 {
		b = append(b, `,"sources":`...)
		b = appendSources(b, f.Sources)
	}
	b = append(b, `,"valid_from":`...)
	if b, err = appendTime(b, f.ValidFrom); err != nil {
		return nil, err
	}
	if !f.ValidTo.IsZero() {
		b = append(b, `,"valid_to":`...)
		if b, err = appendTime(b, f.ValidTo); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

// appendSegment appends sg as json.Marshal encodes it.
func appendSegment(b []byte, sg *graph.Segment) ([]byte, error) {
	var err error
	b = append(b, `{"id":`...)
	b = appendString(b, sg.ID)
	b = append(b, `,"source_lang":`...)
	b = appendString(b, sg.SourceLang)
	b = append(b, `,"target_lang":`...)
	b = appendString(b, sg.TargetLang)
	b = append(b, `,"source":`...)
	b = appendString(b, sg.Source)
	b = append(b, `,"target":`...)
	b = appendString(b, sg.Target)
	if sg.Domain != "" {
		b = append(b, `,"domain":`...)
		b = appendString(b, sg.Domain)
	}
	if sg.Context != "" {
		b = append(b, `,"context":`...)
		b = appendString(b, sg.Context)
	}
	if sg.Status != "" {
		b = append(b, `,"status":`...)
		b = appendString(b, sg.Status)
	}
	if !sg.Changed.IsZero() {
		b = append(b, `,"changed":`...)
		if b, err = appendTime(b, sg.Changed); err != nil {
			return nil, err
		}
	}
	if sg.Prev != "" {
		b = append(b, `,"prev":`...)
		b = appendString(b, sg.Prev)
	}
	if sg.Next != "" {
		b = append(b, `,"next":`...)
		b = appendString(b, sg.Next)
	}
	if len(sg.Mentions) > 0 {
		b = append(b, `,"mentions":[`...)
		for i, m := range sg.Mentions {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"entity":`...)
			b = appendString(b, m.Entity)
			b = append(b, `,"side":`...)
			b = appendString(b, string(m.Side))
			b = append(b, `,"start":`...)
			b = strconv.AppendInt(b, int64(m.Start), 10)
			b = append(b, `,"end":`...)
			b = strconv.AppendInt(b, int64(m.End), 10)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if len(sg.Sources) > 0 {
		b = append(b, `,"sources":`...)
		b = appendSources(b, sg.Sources)
	}
	return append(b, '}'), nil
}

func appendSources(b []byte, srcs []graph.Source) []byte {
	b = append(b, '[')
	for i, s := range srcs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"file":`...)
		b = appendString(b, s.File)
		b = append(b, `,"count":`...)
		b = strconv.AppendInt(b, int64(s.Count), 10)
		if len(s.Units) > 0 {
			b = append(b, `,"units":[`...)
			for j, u := range s.Units {
				if j > 0 {
					b = append(b, ',')
				}
				b = appendString(b, u)
			}
			b = append(b, ']')
		}
		if s.Origin != "" {
			b = append(b, `,"origin":`...)
			b = appendString(b, s.Origin)
		}
		b = append(b, '}')
	}
	return append(b, ']')
}

// appendString appends s quoted. Text that encoding/json writes as it is
// (valid UTF-8 without control characters, quotes, backslashes, the HTML
// characters <, > and &, or the line and paragraph separators) is copied;
// anything else is left to encoding/json.
func appendString(b []byte, s string) []byte {
	if !plainJSON(s) {
		q, _ := json.Marshal(s) // a string always encodes
		return append(b, q...)
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// plainJSON reports whether encoding/json would write s between quotes
// unchanged.
func plainJSON(s string) bool {
	ascii := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			ascii = false
		} else if jsonEscaped[c] {
			return false
		}
	}
	return ascii || (utf8.ValidString(s) && !strings.Contains(s, "\u2028") && !strings.Contains(s, "\u2029"))
}

// jsonEscaped holds the ASCII characters encoding/json escapes in a string:
// control characters, quote, backslash and the HTML characters <, > and &.
var jsonEscaped = [utf8.RuneSelf]bool{
	0x00: true, 0x01: true, 0x02: true, 0x03: true, 0x04: true, 0x05: true, 0x06: true, 0x07: true,
	0x08: true, 0x09: true, 0x0a: true, 0x0b: true, 0x0c: true, 0x0d: true, 0x0e: true, 0x0f: true,
	0x10: true, 0x11: true, 0x12: true, 0x13: true, 0x14: true, 0x15: true, 0x16: true, 0x17: true,
	0x18: true, 0x19: true, 0x1a: true, 0x1b: true, 0x1c: true, 0x1d: true, 0x1e: true, 0x1f: true,
	'"': true, '\\': true, '<': true, '>': true, '&': true,
}

// appendFloat appends f as encoding/json writes a float64: the shortest
// decimal that reads back as f, in exponent form only for very small or
// very large magnitudes.
func appendFloat(b []byte, f float64) ([]byte, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		_, err := json.Marshal(f) // encoding/json's own error
		return nil, err
	}
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e21) {
		q, err := json.Marshal(f)
		return append(b, q...), err
	}
	return strconv.AppendFloat(b, f, 'f', -1, 64), nil
}

// appendTime appends t as its MarshalJSON does: RFC 3339 with nanoseconds.
func appendTime(b []byte, t time.Time) ([]byte, error) {
	if y := t.Year(); t.Location() == time.UTC && y >= 0 && y <= 9999 {
		b = append(b, '"')
		b = t.AppendFormat(b, time.RFC3339Nano)
		return append(b, '"'), nil
	}
	q, err := t.MarshalJSON()
	if err != nil {
		return nil, err
	}
	return append(b, q...), nil
}
