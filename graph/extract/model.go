package extract

// This file keeps the word-alignment model between builds, so that adding
// a file aligns it with what every earlier file taught, without reading
// those files again.
//
// IBM Model 1 is estimated from expected counts: t(f|e) = c(f,e) / c(e).
// Those counts are sufficient statistics, so a Model stores them (pruned)
// with the full totals, for both directions. A later build that Continues
// from a Model runs incremental EM: the stored counts stay as they are, the
// new units are re-estimated on every iteration, and each M-step divides
// stored plus new counts by stored plus new totals. At the end the new
// units' counts are added to the stored ones and the result is the Model to
// keep.

import (
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
)

// ModelVersion is the version of the model file format this package writes
// and reads.
const ModelVersion = 1

// modelMagic starts every model file.
const modelMagic = "KGMALIGN"

// modelHeaderLen is the fixed header: magic, version (uint32), flags
// (uint32) and body length (uint64).
const modelHeaderLen = len(modelMagic) + 4 + 4 + 8

// modelMinProb is the pruning threshold: a pair of words is kept only when
// it has at least this probability in one direction. Totals keep the
// pruned mass, so pruning never inflates the probability of what is kept.
const modelMinProb = 1e-4

// ErrModelCorrupt is wrapped by the errors of a model file that cannot be
// decoded: truncated, damaged or not a model at all.
var ErrModelCorrupt = errors.New("alignment model is damaged")

// ErrModelVersion is wrapped by the error of a model file written in a
// format version this package does not read.
var ErrModelVersion = errors.New("alignment model has an unknown format version")

// ModelSource is a file whose units a Model has counted.
type ModelSource struct {
	Name string // the source name in the graph (an absolute path)
	Hash string // its content hash when it was counted
}

// Model is the state of the word alignment of one language pair: IBM
// Model 1 expected counts in both directions (pruned), each word's total
// count, and the sources they were counted from. Extractor.Continue starts
// from one, Extractor.Model returns the merged one after Train, and
// ReadModelFile and WriteModelFile keep it on disk. A Model is not changed
// after it is made, so it is safe for concurrent reads.
type Model struct {
	SourceLang, TargetLang string
	// Sources are the files whose units the counts include, sorted by
	// name.
	Sources []ModelSource
	// Vocabularies, sorted; index 0 is the empty word (NULL).
	src, tgt []string
	// srcTotal[s] = Σ_t c(t|s) over the source→target counts; tgtTotal[t]
	// = Σ_s c(s|t) over the target→source counts.
	srcTotal, tgtTotal []float64
	cells              []modelCell // sorted by (s, t)
}

// modelCell is the expected counts of a (source word, target word) pair:
// fwd in the source→target direction, bwd in the other.
type modelCell struct {
	s, t     uint32
	fwd, bwd float32
}

// Words returns the sizes of the source and target vocabularies, NULL
// excluded.
func (m *Model) Words() (source, target int) { return len(m.src) - 1, len(m.tgt) - 1 }

// Pairs returns how many word pairs the model keeps counts for.
func (m *Model) Pairs() int { return len(m.cells) }

// Prob returns t(target|source) and t(source|target) for two lowercased
// words; "" is the empty word. Pairs the model does not keep are 0.
func (m *Model) Prob(source, target string) (fwd, bwd float64) {
	s, ok1 := wordIndex(m.src, source)
	t, ok2 := wordIndex(m.tgt, target)
	if !ok1 || !ok2 {
		return 0, 0
	}
	k := sort.Search(len(m.cells), func(i int) bool {
		c := m.cells[i]
		return c.s > s || (c.s == s && c.t >= t)
	})
	if k == len(m.cells) || m.cells[k].s != s || m.cells[k].t != t {
		return 0, 0
	}
	c := m.cells[k]
	if m.srcTotal[s] > 0 {
		fwd = float64(c.fwd) / m.srcTotal[s]
	}
	if m.tgtTotal[t] > 0 {
		bwd = float64(c.bwd) / m.tgtTotal[t]
	}
	return fwd, bwd
}

func wordIndex(words []string, w string) (uint32, bool) {
	if w == "" {
		return 0, len(words) > 0
	}
	i, ok := slices.BinarySearch(words[1:], w)
	return uint32(i + 1), ok
}

// MarshalBinary encodes the model (format: see UnmarshalBinary).
func (m *Model) MarshalBinary() ([]byte, error) {
	var b []byte
	b = append(b, modelMagic...)
	b = binary.LittleEndian.AppendUint32(b, ModelVersion)
	b = binary.LittleEndian.AppendUint32(b, 0) // flags, none yet
	b = binary.LittleEndian.AppendUint64(b, 0) // body length, below
	appendString := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	appendString(m.SourceLang)
	appendString(m.TargetLang)
	b = binary.AppendUvarint(b, uint64(len(m.Sources)))
	for _, s := range m.Sources {
		appendString(s.Name)
		appendString(s.Hash)
	}
	for _, side := range []struct {
		words  []string
		totals []float64
	}{{m.src, m.srcTotal}, {m.tgt, m.tgtTotal}} {
		if len(side.words) == 0 || len(side.totals) != len(side.words) {
			return nil, errors.New("encode alignment model: vocabulary and totals do not match")
		}
		b = binary.AppendUvarint(b, uint64(len(side.words)-1))
		for _, w := range side.words[1:] {
			appendString(w)
		}
		for _, v := range side.totals {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
		}
	}
	b = binary.AppendUvarint(b, uint64(len(m.cells)))
	var prevS, prevT uint32
	for i, c := range m.cells {
		// Source words as deltas; target words as deltas within a source
		// word's run, absolute at the start of a new one.
		ds := c.s - prevS
		if i == 0 {
			ds = c.s
		}
		b = binary.AppendUvarint(b, uint64(ds))
		if i > 0 && ds == 0 {
			b = binary.AppendUvarint(b, uint64(c.t-prevT))
		} else {
			b = binary.AppendUvarint(b, uint64(c.t))
		}
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(c.fwd))
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(c.bwd))
		prevS, prevT = c.s, c.t
	}
	binary.LittleEndian.PutUint64(b[len(modelMagic)+8:], uint64(len(b)-modelHeaderLen))
	b = binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, castagnoli))
	return b, nil
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// UnmarshalBinary decodes a model. The format, all integers little-endian:
//
//	header   "KGMALIGN", version uint32 (1), flags uint32 (0), body length uint64
//	body     source language, target language               (strings)
//	         n, then n sources: name, hash                   (uvarint, strings)
//	         source words: n, n words sorted, strictly ascending, NULL not
//	         stored; then n+1 totals (float64, NULL's first)
//	         target words: the same
//	         n, then n cells sorted by (source, target): source word as a
//	         delta from the previous cell's (uvarint), target word as a
//	         delta when the source word is the same, else absolute
//	         (uvarint), then the two counts (float32 each)
//	trailer  CRC-32C (Castagnoli) of header and body (uint32)
//
// A string is its length (uvarint) and its bytes. Errors wrap
// ErrModelCorrupt, or ErrModelVersion for a version other than 1.
func (m *Model) UnmarshalBinary(data []byte) error {
	if len(data) == 0 {
		return fmt.Errorf("file is empty: %w", ErrModelCorrupt)
	}
	if len(data) < len(modelMagic) || string(data[:len(modelMagic)]) != modelMagic {
		return fmt.Errorf("not an alignment model (no %s header): %w", modelMagic, ErrModelCorrupt)
	}
	if len(data) < modelHeaderLen+4 {
		return fmt.Errorf("truncated in the header (%d bytes): %w", len(data), ErrModelCorrupt)
	}
	if v := binary.LittleEndian.Uint32(data[len(modelMagic):]); v != ModelVersion {
		return fmt.Errorf("format version %d, this kgmem reads version %d: %w", v, ModelVersion, ErrModelVersion)
	}
	if f := binary.LittleEndian.Uint32(data[len(modelMagic)+4:]); f != 0 {
		return fmt.Errorf("unknown flags %#x: %w", f, ErrModelCorrupt)
	}
	bodyLen := binary.LittleEndian.Uint64(data[len(modelMagic)+8:])
	if have := uint64(len(data) - modelHeaderLen - 4); bodyLen != have {
		what := "truncated"
		if have > bodyLen {
			what = "has trailing bytes"
		}
		return fmt.Errorf("%s: the header says %d bytes of data, the file has %d: %w", what, bodyLen, have, ErrModelCorrupt)
	}
	end := len(data) - 4
	if sum := binary.LittleEndian.Uint32(data[end:]); sum != crc32.Checksum(data[:end], castagnoli) {
		return fmt.Errorf("checksum mismatch: %w", ErrModelCorrupt)
	}
	d := modelDecoder{b: data[modelHeaderLen:end]}
	var out Model
	out.SourceLang = d.string()
	out.TargetLang = d.string()
	n := d.count(2)
	out.Sources = make([]ModelSource, 0, n)
	for i := 0; i < n && d.err == nil; i++ {
		out.Sources = append(out.Sources, ModelSource{Name: d.string(), Hash: d.string()})
	}
	out.src, out.srcTotal = d.vocab()
	out.tgt, out.tgtTotal = d.vocab()
	n = d.count(10)
	out.cells = make([]modelCell, 0, n)
	var prev modelCell
	for i := 0; i < n && d.err == nil; i++ {
		ds, dt := d.uvarint(), d.uvarint()
		s64, t64 := ds, dt
		if i > 0 {
			s64 = uint64(prev.s) + ds
			if ds == 0 {
				t64 = uint64(prev.t) + dt
			}
		}
		fwd, bwd := d.float32(), d.float32()
		switch {
		case d.err != nil:
		case ds > math.MaxUint32 || dt > math.MaxUint32 || s64 >= uint64(len(out.src)) || t64 >= uint64(len(out.tgt)):
			d.fail("cell %d names a word outside the vocabulary", i)
		case i > 0 && ds == 0 && dt == 0:
			d.fail("cell %d repeats the previous one", i)
		case !validCount(float64(fwd)) || !validCount(float64(bwd)):
			d.fail("cell %d has an invalid count", i)
		}
		c := modelCell{s: uint32(s64), t: uint32(t64), fwd: fwd, bwd: bwd}
		out.cells = append(out.cells, c)
		prev = c
	}
	if d.err == nil && len(d.b) > 0 {
		d.fail("%d bytes after the last cell", len(d.b))
	}
	if d.err != nil {
		return d.err
	}
	*m = out
	return nil
}

func validCount(v float64) bool { return v >= 0 && !math.IsInf(v, 0) && !math.IsNaN(v) }

// modelDecoder reads a model body; the first error sticks and later reads
// return zero values.
type modelDecoder struct {
	b   []byte
	err error
}

func (d *modelDecoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf(format+": %w", append(args, ErrModelCorrupt)...)
	}
}

func (d *modelDecoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail("bad or truncated number")
		return 0
	}
	d.b = d.b[n:]
	return v
}

// count reads a number of items each at least minBytes long, which the
// rest of the body must be able to hold: a damaged count fails here rather
// than allocating without bound.
func (d *modelDecoder) count(minBytes int) int {
	v := d.uvarint()
	if d.err == nil && v > uint64(len(d.b)/minBytes) {
		d.fail("a count of %d items does not fit in the %d bytes left", v, len(d.b))
		return 0
	}
	return int(v)
}

func (d *modelDecoder) string() string {
	n := d.uvarint()
	if d.err != nil {
		return ""
	}
	if n > uint64(len(d.b)) {
		d.fail("a string of %d bytes does not fit in the %d bytes left", n, len(d.b))
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

func (d *modelDecoder) fixed(n int) []byte {
	if d.err != nil {
		return nil
	}
	if len(d.b) < n {
		d.fail("truncated")
		return nil
	}
	v := d.b[:n]
	d.b = d.b[n:]
	return v
}

func (d *modelDecoder) float32() float32 {
	if b := d.fixed(4); b != nil {
		return math.Float32frombits(binary.LittleEndian.Uint32(b))
	}
	return 0
}

func (d *modelDecoder) float64() float64 {
	if b := d.fixed(8); b != nil {
		return math.Float64frombits(binary.LittleEndian.Uint64(b))
	}
	return 0
}

// vocab reads a vocabulary and its totals.
func (d *modelDecoder) vocab() ([]string, []float64) {
	n := d.count(1 + 8) // a word is at least one byte and one total
	words := make([]string, 1, n+1)
	for i := 0; i < n && d.err == nil; i++ {
		w := d.string()
		if d.err == nil && (w == "" || w <= words[len(words)-1]) {
			d.fail("vocabulary word %d is empty or out of order", i+1)
		}
		words = append(words, w)
	}
	totals := make([]float64, 0, n+1)
	for i := 0; i <= n && d.err == nil; i++ {
		v := d.float64()
		if d.err == nil && !validCount(v) {
			d.fail("word %d has an invalid total", i)
		}
		totals = append(totals, v)
	}
	return words, totals
}

// ModelFileName is the name of the model file of a language pair, such as
// "align.en.es.kgm".
func ModelFileName(sourceLang, targetLang string) string {
	clean := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r == '-' || ('0' <= r && r <= '9') || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') {
				return r
			}
			return '_'
		}, s)
	}
	return "align." + clean(sourceLang) + "." + clean(targetLang) + ".kgm"
}

// modelRemedy is what the user should do about a model file that cannot be
// read: without it the next build learns the alignment from the files it
// is given, so giving it every file rebuilds the model.
const modelRemedy = "delete it and rerun build-graph with all your corpus files to rebuild it"

// ReadModelFile reads the model in path. A missing file is an error that
// wraps fs.ErrNotExist; a damaged one names the file and says what to do,
// and wraps ErrModelCorrupt or ErrModelVersion.
func ReadModelFile(path string) (*Model, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read alignment model: %w", err)
	}
	m := new(Model)
	if err := m.UnmarshalBinary(data); err != nil {
		return nil, fmt.Errorf("alignment model %s cannot be read: %w; %s", path, err, modelRemedy)
	}
	return m, nil
}

// ReadModelSources reads the head of the model file in path: its language
// pair and the files it has counted, without decoding the counts (which a
// large model has millions of). It checks the whole file's length and
// checksum as ReadModelFile does, so a damaged file is an error here too;
// errors are those of ReadModelFile.
func ReadModelSources(path string) (sourceLang, targetLang string, sources []ModelSource, err error) {
	fail := func(err error) (string, string, []ModelSource, error) {
		return "", "", nil, fmt.Errorf("alignment model %s cannot be read: %w; %s", path, err, modelRemedy)
	}
	f, err := os.Open(path)
	if err != nil {
		return "", "", nil, fmt.Errorf("read alignment model: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "", "", nil, fmt.Errorf("read alignment model: %w", err)
	}
	if err := checkModelFile(f, fi.Size()); err != nil {
		return fail(err)
	}
	// The head is the header, two languages and the sources: read what the
	// sources can need, growing until it holds them.
	for size := int64(64 << 10); ; size *= 4 {
		buf := make([]byte, min(size, fi.Size()))
		if _, err := f.ReadAt(buf, 0); err != nil {
			return "", "", nil, fmt.Errorf("read alignment model: %w", err)
		}
		src, tgt, sources, err := decodeModelHead(buf)
		switch {
		case err == nil:
			return src, tgt, sources, nil
		case !errors.Is(err, errShortHead):
			return fail(err)
		case size >= fi.Size():
			return fail(fmt.Errorf("the sources run past the end: %w", ErrModelCorrupt))
		}
	}
}

// checkModelFile checks a model file's header, length and checksum by
// reading it through, as UnmarshalBinary does before decoding.
func checkModelFile(f *os.File, size int64) error {
	if size == 0 {
		return fmt.Errorf("file is empty: %w", ErrModelCorrupt)
	}
	head := make([]byte, min(size, int64(modelHeaderLen)))
	if _, err := f.ReadAt(head, 0); err != nil {
		return err
	}
	if len(head) < len(modelMagic) || string(head[:len(modelMagic)]) != modelMagic {
		return fmt.Errorf("not an alignment model (no %s header): %w", modelMagic, ErrModelCorrupt)
	}
	if size < int64(modelHeaderLen+4) {
		return fmt.Errorf("truncated in the header (%d bytes): %w", size, ErrModelCorrupt)
	}
	if v := binary.LittleEndian.Uint32(head[len(modelMagic):]); v != ModelVersion {
		return fmt.Errorf("format version %d, this kgmem reads version %d: %w", v, ModelVersion, ErrModelVersion)
	}
	bodyLen := binary.LittleEndian.Uint64(head[len(modelMagic)+8:])
	if have := uint64(size) - uint64(modelHeaderLen) - 4; bodyLen != have {
		what := "truncated"
		if have > bodyLen {
			what = "has trailing bytes"
		}
		return fmt.Errorf("%s: the header says %d bytes of data, the file has %d: %w", what, bodyLen, have, ErrModelCorrupt)
	}
	h := crc32.New(castagnoli)
	if _, err := io.Copy(h, io.NewSectionReader(f, 0, size-4)); err != nil {
		return err
	}
	var sum [4]byte
	if _, err := f.ReadAt(sum[:], size-4); err != nil {
		return err
	}
	if binary.LittleEndian.Uint32(sum[:]) != h.Sum32() {
		return fmt.Errorf("checksum mismatch: %w", ErrModelCorrupt)
	}
	return nil
}

// errShortHead: the bytes read end before the model's head does.
var errShortHead = errors.New("model head not read whole")

// decodeModelHead decodes the languages and sources of a model from the
// first bytes of its file.
func decodeModelHead(data []byte) (string, string, []ModelSource, error) {
	if len(data) < modelHeaderLen {
		if len(data) >= len(modelMagic) && string(data[:len(modelMagic)]) != modelMagic {
			return "", "", nil, fmt.Errorf("not an alignment model (no %s header): %w", modelMagic, ErrModelCorrupt)
		}
		return "", "", nil, errShortHead
	}
	if string(data[:len(modelMagic)]) != modelMagic {
		return "", "", nil, fmt.Errorf("not an alignment model (no %s header): %w", modelMagic, ErrModelCorrupt)
	}
	if v := binary.LittleEndian.Uint32(data[len(modelMagic):]); v != ModelVersion {
		return "", "", nil, fmt.Errorf("format version %d, this kgmem reads version %d: %w", v, ModelVersion, ErrModelVersion)
	}
	d := modelDecoder{b: data[modelHeaderLen:]}
	src, tgt := d.string(), d.string()
	n := d.uvarint()
	var sources []ModelSource
	for i := uint64(0); i < n && d.err == nil; i++ {
		sources = append(sources, ModelSource{Name: d.string(), Hash: d.string()})
	}
	if d.err != nil {
		return "", "", nil, errShortHead
	}
	return src, tgt, sources, nil
}

// WriteModelFile writes m to path atomically: to a temporary file in the
// same directory, synced, then renamed over path, and the directory synced.
// A process killed meanwhile leaves either the old file or the new one
// (and perhaps a temporary file, which the next write removes).
func WriteModelFile(path string, m *Model) error {
	data, err := m.MarshalBinary()
	if err != nil {
		return err
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write alignment model: %w", err)
	}
	// Temporary files a killed write left behind.
	if entries, err := os.ReadDir(dir); err == nil {
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), base+".tmp") {
				_ = os.Remove(filepath.Join(dir, e.Name()))
			}
		}
	}
	f, err := os.CreateTemp(dir, base+".tmp*")
	if err != nil {
		return fmt.Errorf("write alignment model: %w", err)
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("write alignment model %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil {
		err = d.Sync()
		d.Close()
		if err != nil && !errors.Is(err, fs.ErrInvalid) {
			return fmt.Errorf("write alignment model %s: sync directory: %w", path, err)
		}
	}
	return nil
}

// incremental is the state of an extractor that keeps its alignment model.
type incremental struct {
	prior   *Model          // the model to continue from; nil: none
	counted map[string]bool // files whose units prior has counted
	merged  *Model          // after Train
}

// Continue makes Train keep the alignment model, starting from prior (the
// model of earlier builds of this language pair; nil to start from
// nothing). Units of the files named in counted are already counted in
// prior: Train aligns them with the merged model but does not count them
// again. Every other unit is counted: its expected counts are re-estimated
// on every EM iteration against the stored ones. After Train, Model returns
// the merged model. Call Continue before Train.
func (x *Extractor) Continue(prior *Model, counted []string) error {
	if x.trained {
		return errors.New("extract: Continue after Train")
	}
	if prior != nil && (prior.SourceLang != x.srcLang || prior.TargetLang != x.tgtLang) {
		return fmt.Errorf("alignment model of %s→%s given to an extractor of %s→%s", prior.SourceLang, prior.TargetLang, x.srcLang, x.tgtLang)
	}
	inc := &incremental{prior: prior, counted: map[string]bool{}}
	if prior != nil {
		for _, f := range counted {
			inc.counted[f] = true
		}
	}
	x.inc = inc
	return nil
}

// Model returns the alignment model after Train: the model given to
// Continue with the counts of this extractor's new units added. Its
// Sources are those of the model given to Continue; the caller, who knows
// the files' hashes, adds the new ones. It is nil without Continue or
// before Train.
func (x *Extractor) Model() *Model {
	if x.inc == nil {
		return nil
	}
	return x.inc.merged
}

// prior is a Model bound to an aligner: its counts by the aligner's cells
// and its totals by the extractor's word IDs.
type prior struct {
	m            *Model
	srcID, tgtID []int32   // model word index → extractor word ID
	f, b         []float32 // per aligner cell: stored counts
	ts, tt       []float64 // per word ID: stored totals
	cellOf       []int32   // per model cell: its aligner cell, or -1
}

// trainAlignment is Train's alignment step: plain EM, or, when the model is
// kept, incremental EM from the stored model whose last E-step's counts
// are merged into the model to keep.
func (x *Extractor) trainAlignment(ctx context.Context) error {
	if x.inc == nil {
		return x.al.train(ctx, x.opts.Iterations)
	}
	skip := make([]bool, len(x.files))
	for i, f := range x.files {
		skip[i] = x.inc.counted[f]
	}
	var p *prior
	if x.inc.prior != nil {
		p = x.bindPrior(x.inc.prior)
	} else {
		p = &prior{ts: make([]float64, len(x.srcNorm.words)), tt: make([]float64, len(x.tgtNorm.words))}
	}
	cf, cb, ts, tt, err := x.al.trainFrom(ctx, p, skip, x.opts.Iterations)
	if err != nil {
		return err
	}
	x.inc.merged = x.mergeModel(p, cf, cb, ts, tt)
	return nil
}

// snap sets the aligner's tables to the merged model's probabilities:
// fwd[c] = keptF[c] / ts[s] as a later run computes them from the stored
// counts (0 for a pruned pair). The units of this run are then aligned
// with exactly the model that is kept, so a later run that re-aligns a
// counted file finds the same translations.
func (a *aligner) snap(keptF, keptB, ts, tt []float64) {
	for c := range a.fwd {
		if tot := ts[a.cellS[c]]; tot > 0 {
			a.fwd[c] = float32(keptF[c] / tot)
		}
		if tot := tt[a.cellT[c]]; tot > 0 {
			a.bwd[c] = float32(keptB[c] / tot)
		}
	}
}

// bindPrior maps a model onto the extractor's vocabularies and aligner
// cells. It needs the aligner's cell index, so it runs before training.
func (x *Extractor) bindPrior(m *Model) *prior {
	p := &prior{m: m}
	p.srcID = make([]int32, len(m.src))
	for i, w := range m.src[1:] {
		p.srcID[i+1] = x.srcNorm.id(w)
	}
	p.tgtID = make([]int32, len(m.tgt))
	for i, w := range m.tgt[1:] {
		p.tgtID[i+1] = x.tgtNorm.id(w)
	}
	p.ts = make([]float64, len(x.srcNorm.words))
	for i, v := range m.srcTotal {
		p.ts[p.srcID[i]] = v
	}
	p.tt = make([]float64, len(x.tgtNorm.words))
	for i, v := range m.tgtTotal {
		p.tt[p.tgtID[i]] = v
	}
	a := x.al
	p.f = make([]float32, len(a.cellS))
	p.b = make([]float32, len(a.cellS))
	p.cellOf = make([]int32, len(m.cells))
	for k, c := range m.cells {
		key := uint64(uint32(p.srcID[c.s]))<<32 | uint64(uint32(p.tgtID[c.t]))
		ac, ok := a.cellOf[key]
		if !ok {
			p.cellOf[k] = -1
			continue
		}
		p.cellOf[k] = ac
		p.f[ac], p.b[ac] = c.fwd, c.bwd
	}
	return p
}

// trainFrom runs incremental EM in both directions and returns the
// expected counts of its last E-step (per cell, per word). t starts from
// the stored model, a word the model does not know uniform; the sentences
// not skipped are re-estimated on each iteration, and each M-step divides
// stored plus new counts by stored plus new totals, so the last counts
// merged into the model give back the final t. With an empty prior (no
// m) it computes exactly what train does. As in train, the two directions
// run at the same time.
func (a *aligner) trainFrom(ctx context.Context, p *prior, skip []bool, iterations int) (cf, cb, ts, tt []float64, err error) {
	n := len(a.cellS)
	a.cellOf = nil
	a.fwd = make([]float32, n)
	a.bwd = make([]float32, n)
	// A word the model does not know starts uniform: 1/|V| next to the
	// model's probabilities, or 1 (as train) when there is no model.
	uT, uS := 1.0, 1.0
	if p.m != nil {
		uT = 1 / float64(max(len(p.tt)-1, 1))
		uS = 1 / float64(max(len(p.ts)-1, 1))
	}
	for c := range a.fwd {
		s, t := a.cellS[c], a.cellT[c]
		f, b := uT, uS
		if v, tot := stored(p.f, c), p.ts[s]; v > 0 && tot > 0 {
			f = v / tot
		}
		if v, tot := stored(p.b, c), p.tt[t]; v > 0 && tot > 0 {
			b = v / tot
		}
		a.fwd[c], a.bwd[c] = float32(f), float32(b)
	}
	var wg sync.WaitGroup
	var errF error
	wg.Go(func() { cf, ts, errF = a.emFrom(ctx, true, p.f, p.ts, skip, iterations) })
	cb, tt, err = a.emFrom(ctx, false, p.b, p.tt, skip, iterations)
	wg.Wait()
	if err == nil {
		err = errF
	}
	return cf, cb, ts, tt, err
}

// stored is counts[c], or 0 without counts.
func stored(counts []float32, c int) float64 {
	if counts == nil {
		return 0
	}
	return float64(counts[c])
}

// emFrom runs the EM iterations of one direction (fwd: t(target|source),
// else t(source|target)) from stored counts and totals, and returns the
// counts of the last E-step.
func (a *aligner) emFrom(ctx context.Context, fwd bool, storedCounts []float32, storedTotals []float64, skip []bool, iterations int) (count, total []float64, err error) {
	t, word := a.bwd, a.cellT
	if fwd {
		t, word = a.fwd, a.cellS
	}
	count, total = make([]float64, len(t)), make([]float64, len(storedTotals))
	for it := 0; it < iterations; it++ {
		clear(count)
		clear(total)
		if err := a.estep(ctx, fwd, skip, count, total); err != nil {
			return nil, nil, err
		}
		for c := range t {
			if tot := storedTotals[word[c]] + total[word[c]]; tot > 0 {
				t[c] = float32((stored(storedCounts, c) + count[c]) / tot)
			}
		}
	}
	return count, total, nil
}

// mergeModel adds the new counts to the prior's and returns the pruned
// result with sorted vocabularies; it also snaps the aligner's tables to
// that result.
func (x *Extractor) mergeModel(p *prior, cf, cb, ts, tt []float64) *Model {
	// Totals by extractor word ID.
	for id, v := range p.ts {
		ts[id] += v
	}
	for id, v := range p.tt {
		tt[id] += v
	}
	cells := x.al.mergeCells(p, cf, cb, ts, tt)
	x.al.snap(cf, cb, ts, tt)
	return x.newModel(p, cells, ts, tt)
}

// wcell is a merged word pair: extractor word IDs and expected counts.
type wcell struct {
	s, t     int32
	fwd, bwd float64
}

// mergeCells adds the new counts of the aligner's cells to the prior's,
// and returns the pairs kept after pruning (at least modelMinProb in one
// direction). cf and cb become the kept counts of the aligner's cells as
// stored (float32; 0 when pruned), for snap.
func (a *aligner) mergeCells(p *prior, cf, cb, ts, tt []float64) []wcell {
	keep := func(c wcell) bool {
		return (ts[c.s] > 0 && c.fwd >= modelMinProb*ts[c.s]) || (tt[c.t] > 0 && c.bwd >= modelMinProb*tt[c.t])
	}
	var cells []wcell
	merged := make([]bool, len(a.cellS))
	stash := func(c int, w wcell, kept bool) {
		cf[c], cb[c] = 0, 0
		if kept {
			cf[c], cb[c] = float64(float32(w.fwd)), float64(float32(w.bwd))
		}
	}
	if p.m != nil {
		for k, c := range p.m.cells {
			w := wcell{s: p.srcID[c.s], t: p.tgtID[c.t], fwd: float64(c.fwd), bwd: float64(c.bwd)}
			ac := p.cellOf[k]
			if ac >= 0 {
				w.fwd += cf[ac]
				w.bwd += cb[ac]
				merged[ac] = true
			}
			kept := keep(w)
			if kept {
				cells = append(cells, w)
			}
			if ac >= 0 {
				stash(int(ac), w, kept)
			}
		}
	}
	for c := range a.cellS {
		if merged[c] || (cf[c] == 0 && cb[c] == 0) {
			continue
		}
		w := wcell{s: a.cellS[c], t: a.cellT[c], fwd: cf[c], bwd: cb[c]}
		kept := keep(w)
		if kept {
			cells = append(cells, w)
		}
		stash(c, w, kept)
	}
	return cells
}

// modelVocab returns the words with a count, sorted, NULL first, with
// their totals, and the index of each extractor word ID in it.
func modelVocab(words []string, totals []float64) (out []string, outTotals []float64, idx []uint32) {
	idx = make([]uint32, len(totals))
	ids := make([]int32, 0, len(totals))
	for id := 1; id < len(totals); id++ {
		if totals[id] > 0 && words[id] != "" {
			ids = append(ids, int32(id))
		}
	}
	sort.Slice(ids, func(i, j int) bool { return words[ids[i]] < words[ids[j]] })
	out = append(make([]string, 0, len(ids)+1), "")
	outTotals = append(make([]float64, 0, len(ids)+1), totals[0])
	for _, id := range ids {
		idx[id] = uint32(len(out))
		out = append(out, words[id])
		outTotals = append(outTotals, totals[id])
	}
	return out, outTotals, idx
}

// newModel makes the model of the merged cells and totals.
func (x *Extractor) newModel(p *prior, cells []wcell, ts, tt []float64) *Model {
	m := &Model{SourceLang: x.srcLang, TargetLang: x.tgtLang}
	if p.m != nil {
		m.Sources = slices.Clone(p.m.Sources)
	}
	var si, ti []uint32
	m.src, m.srcTotal, si = modelVocab(x.srcNorm.words, ts)
	m.tgt, m.tgtTotal, ti = modelVocab(x.tgtNorm.words, tt)
	m.cells = make([]modelCell, 0, len(cells))
	for _, c := range cells {
		s, t := si[c.s], ti[c.t]
		if (s == 0 && c.s != 0) || (t == 0 && c.t != 0) {
			continue // a word without a total (cannot happen with counts)
		}
		m.cells = append(m.cells, modelCell{s: s, t: t, fwd: float32(c.fwd), bwd: float32(c.bwd)})
	}
	slices.SortFunc(m.cells, func(a, b modelCell) int {
		if a.s != b.s {
			return cmp.Compare(a.s, b.s)
		}
		return cmp.Compare(a.t, b.t)
	})
	return m
}

// WithSources returns a copy of m whose sources are m's with the given
// ones added, a source of the same name replacing the old one, sorted by
// name. The counts are shared, not copied.
func (m *Model) WithSources(add ...ModelSource) *Model {
	out := *m
	byName := map[string]int{}
	out.Sources = nil
	for _, s := range m.Sources {
		byName[s.Name] = len(out.Sources)
		out.Sources = append(out.Sources, s)
	}
	for _, s := range add {
		if i, ok := byName[s.Name]; ok {
			out.Sources[i] = s
			continue
		}
		byName[s.Name] = len(out.Sources)
		out.Sources = append(out.Sources, s)
	}
	sort.Slice(out.Sources, func(i, j int) bool { return out.Sources[i].Name < out.Sources[j].Name })
	return &out
}

// AlignedFiles returns the files this extractor has units of, in the order
// they were first named to it: the files a kept model counts (term bases
// are not among them).
func (x *Extractor) AlignedFiles() []string {
	var names []string
	for i := range x.byFile {
		if x.byFile[i].first >= 0 {
			names = append(names, x.byFile[i].name)
		}
	}
	return names
}
