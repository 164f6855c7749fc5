package retrieval

import (
	"encoding/binary"
	"errors"
	"time"
)

// record is what a TM document stores for display and scoring.
type record struct {
	Source     string
	Target     string
	SourceLang string
	TargetLang string
	Prev       string
	Next       string
	Status     string
	Domain     string
	Changed    time.Time
	Origin     string
	Context    string // graph.Segment.Context
}

// recordVersion is the first byte of an encoded record.
const recordVersion = 1

// encode writes the record compactly: a version byte, then every string
// as a uvarint length and its bytes, Source first, and Changed as Unix
// nanoseconds (0 for none). Decoding JSON for every candidate of every
// lookup cost more than the search itself.
func (r *record) encode() string {
	b := make([]byte, 0, 16+len(r.Source)+len(r.Target)+len(r.Prev)+len(r.Next)+len(r.Origin)+32)
	b = append(b, recordVersion)
	for _, s := range []string{r.Source, r.Target, r.SourceLang, r.TargetLang, r.Prev, r.Next, r.Status, r.Domain, r.Origin} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	var ns int64
	if !r.Changed.IsZero() {
		ns = r.Changed.UnixNano()
	}
	b = binary.AppendVarint(b, ns)
	// Context is last and only when set: records written before it
	// existed read as having none.
	if r.Context != "" {
		b = binary.AppendUvarint(b, uint64(len(r.Context)))
		b = append(b, r.Context...)
	}
	return string(b)
}

var errBadRecord = errors.New("bad stored record")

// recordSource returns the source text of an encoded record without
// decoding the rest.
func recordSource(data string) (string, error) {
	if len(data) == 0 || data[0] != recordVersion {
		return "", errBadRecord
	}
	s, _, err := nextString(data[1:])
	return s, err
}

func nextString(data string) (string, string, error) {
	n, k := binary.Uvarint([]byte(data[:min(len(data), binary.MaxVarintLen64)]))
	if k <= 0 || uint64(len(data)-k) < n {
		return "", "", errBadRecord
	}
	return data[k : k+int(n)], data[k+int(n):], nil
}

// decodeRecord decodes an encoded record.
func decodeRecord(data string) (record, error) {
	var r record
	if len(data) == 0 || data[0] != recordVersion {
		return r, errBadRecord
	}
	rest := data[1:]
	for _, dst := range []*string{&r.Source, &r.Target, &r.SourceLang, &r.TargetLang, &r.Prev, &r.Next, &r.Status, &r.Domain, &r.Origin} {
		var err error
		if *dst, rest, err = nextString(rest); err != nil {
			return r, err
		}
	}
	ns, k := binary.Varint([]byte(rest))
	if k <= 0 {
		return r, errBadRecord
	}
	if ns != 0 {
		r.Changed = time.Unix(0, ns).UTC()
	}
	if rest = rest[k:]; rest != "" {
		var err error
		if r.Context, _, err = nextString(rest); err != nil {
			return r, err
		}
	}
	return r, nil
}
