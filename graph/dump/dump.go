// Package dump writes everything a graph store holds — entities, facts
// (superseded ones included, with their validity and sources), segments
// and the states of the source files — as JSON lines, and reads such a
// dump back into any store. It is how kgmem backs a memory up and restores
// it, and how a memory moves from one store to another (embedded to
// Dgraph, or back).
//
// A dump is a stream of Records: the source states first, then the
// entities (each with the files that wrote it), the facts and the
// segments. Read writes them with Upsert, one batch per source file, so
// the restored store has the same contributions per file as the dumped
// one: DeleteSource, Supersede and the next build behave the same on both.
package dump

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"

	"github.com/kgmem/kgmem/graph"
)

// Version is the format of the dumps Write makes; Read refuses a newer
// one.
const Version = 1

// Record is one line of a dump.
type Record struct {
	// Header is the first line: the format version.
	Header *Header `json:"header,omitempty"`
	// Source is the state of a source file.
	Source *graph.SourceState `json:"source,omitempty"`
	// Entity is an entity, without its labels (they are facts), and Files
	// the source files that wrote it.
	Entity *graph.Entity `json:"entity,omitempty"`
	Files  []string      `json:"files,omitempty"`
	Fact   *graph.Fact   `json:"fact,omitempty"`
	// Segment is a segment with its mentions and sources.
	Segment *graph.Segment `json:"segment,omitempty"`
}

// Header starts a dump.
type Header struct {
	Version int `json:"version"`
}

// Counts says how much a dump holds.
type Counts struct {
	Sources  int `json:"sources"`
	Entities int `json:"entities"`
	Facts    int `json:"facts"`
	Segments int `json:"segments"`
}

// ErrNotListable is returned by Write for a store that cannot list what
// it holds (see graph.Lister).
var ErrNotListable = errors.New("the store cannot list what it holds")

// Write writes everything s holds to w. It reads the facts and segments
// twice: once to learn which files wrote each entity, once to write them.
func Write(ctx context.Context, s graph.Store, w io.Writer) (Counts, error) {
	var c Counts
	l, ok := s.(graph.Lister)
	if !ok {
		return c, ErrNotListable
	}
	files, err := entityFiles(ctx, s, l)
	if err != nil {
		return c, err
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	put := func(r Record) error { return enc.Encode(r) }
	if err := put(Record{Header: &Header{Version: Version}}); err != nil {
		return c, err
	}
	states, err := s.SourceStates(ctx)
	if err != nil {
		return c, fmt.Errorf("dump: source states: %w", err)
	}
	for i := range states {
		if err := put(Record{Source: &states[i]}); err != nil {
			return c, err
		}
		c.Sources++
	}
	err = l.EachEntity(ctx, func(e *graph.Entity) error {
		c.Entities++
		e.Labels = nil
		return put(Record{Entity: e, Files: files[e.ID]})
	})
	if err != nil {
		return c, fmt.Errorf("dump: entities: %w", err)
	}
	err = l.EachFact(ctx, func(f *graph.Fact) error {
		c.Facts++
		return put(Record{Fact: f})
	})
	if err != nil {
		return c, fmt.Errorf("dump: facts: %w", err)
	}
	err = s.Segments(ctx, func(sg *graph.Segment) error {
		c.Segments++
		return put(Record{Segment: sg})
	})
	if err != nil {
		return c, fmt.Errorf("dump: segments: %w", err)
	}
	return c, bw.Flush()
}

// entityFiles returns, for each entity, the files of the facts that name
// it and of the segments that mention it, sorted.
func entityFiles(ctx context.Context, s graph.Store, l graph.Lister) (map[string][]string, error) {
	sets := map[string]map[string]bool{}
	add := func(entity string, srcs []graph.Source) {
		if entity == "" {
			return
		}
		set := sets[entity]
		if set == nil {
			set = map[string]bool{}
			sets[entity] = set
		}
		for _, src := range srcs {
			set[src.File] = true
		}
	}
	err := l.EachFact(ctx, func(f *graph.Fact) error {
		add(f.Subject, f.Sources)
		add(f.Object, f.Sources)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("dump: facts: %w", err)
	}
	err = s.Segments(ctx, func(sg *graph.Segment) error {
		for _, m := range sg.Mentions {
			add(m.Entity, sg.Sources)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("dump: segments: %w", err)
	}
	out := make(map[string][]string, len(sets))
	for id, set := range sets {
		fs := make([]string, 0, len(set))
		for f := range set {
			fs = append(fs, f)
		}
		sort.Strings(fs)
		out[id] = fs
	}
	return out, nil
}

// flushAt is how many items Read keeps before it writes them.
const flushAt = 20000

// loader gathers the items of a dump into one batch per source file.
type loader struct {
	ctx     context.Context
	s       graph.Store
	batches map[string]*graph.Batch
	pending int
}

func (ld *loader) batch(file string) *graph.Batch {
	b := ld.batches[file]
	if b == nil {
		b = &graph.Batch{Source: file}
		ld.batches[file] = b
	}
	ld.pending++
	return b
}

// flush writes what is gathered, the files in name order.
func (ld *loader) flush() error {
	files := make([]string, 0, len(ld.batches))
	for f := range ld.batches {
		files = append(files, f)
	}
	sort.Strings(files)
	for _, f := range files {
		if err := ld.s.Upsert(ld.ctx, ld.batches[f]); err != nil {
			return fmt.Errorf("restore %s: %w", f, err)
		}
	}
	ld.batches, ld.pending = map[string]*graph.Batch{}, 0
	return nil
}

// Read writes the records of a dump into s, which should be empty, and
// returns what it read. The entities are written before the facts and
// segments that refer to them; the source states last, so that a restore
// cut short leaves files incomplete, as a build cut short does.
func Read(ctx context.Context, r io.Reader, s graph.Store) (Counts, error) {
	var c Counts
	dec := json.NewDecoder(bufio.NewReaderSize(r, 1<<20))
	ld := &loader{ctx: ctx, s: s, batches: map[string]*graph.Batch{}}
	var states []graph.SourceState
	stage := 0 // 1 entities, 2 facts and segments: entities are flushed before the rest
	for line := 1; ; line++ {
		var rec Record
		if err := dec.Decode(&rec); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return c, fmt.Errorf("dump, record %d: %w", line, err)
		}
		if err := ctx.Err(); err != nil {
			return c, err
		}
		switch {
		case rec.Header != nil:
			if rec.Header.Version > Version {
				return c, fmt.Errorf("dump format %d: this kgmem reads format %d; upgrade kgmem", rec.Header.Version, Version)
			}
		case rec.Source != nil:
			states = append(states, *rec.Source)
			c.Sources++
		case rec.Entity != nil:
			stage = 1
			c.Entities++
			for _, f := range rec.Files {
				b := ld.batch(f)
				b.Entities = append(b.Entities, *rec.Entity)
			}
		case rec.Fact != nil, rec.Segment != nil:
			if stage == 1 {
				if err := ld.flush(); err != nil {
					return c, err
				}
				stage = 2
			}
			if err := ld.add(&rec, &c); err != nil {
				return c, err
			}
		default:
			return c, fmt.Errorf("dump, record %d: not a record this kgmem knows", line)
		}
		if ld.pending >= flushAt {
			if err := ld.flush(); err != nil {
				return c, err
			}
		}
	}
	if err := ld.flush(); err != nil {
		return c, err
	}
	for _, st := range states {
		if err := s.SetSourceState(ctx, st); err != nil {
			return c, fmt.Errorf("restore the state of %s: %w", st.File, err)
		}
	}
	return c, nil
}

// add puts a fact or a segment into the batch of each of its sources,
// with that source alone.
func (ld *loader) add(rec *Record, c *Counts) error {
	if f := rec.Fact; f != nil {
		c.Facts++
		if len(f.Sources) == 0 {
			return fmt.Errorf("restore fact %s: it has no source file", f.ID)
		}
		for _, src := range f.Sources {
			x := *f
			x.Sources, x.Count = []graph.Source{src}, src.Count
			b := ld.batch(src.File)
			b.Facts = append(b.Facts, x)
		}
		return nil
	}
	sg := rec.Segment
	c.Segments++
	if len(sg.Sources) == 0 {
		return fmt.Errorf("restore segment %s: it has no source file", sg.ID)
	}
	for _, src := range sg.Sources {
		x := *sg
		x.Sources = []graph.Source{src}
		b := ld.batch(src.File)
		b.Segments = append(b.Segments, x)
	}
	return nil
}
