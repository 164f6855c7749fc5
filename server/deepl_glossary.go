package server

import (
	"context"
	"crypto/rand"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/memory"
)

// DeepL glossaries are term bases of the memory: creating one imports its
// entries into the graph (memory.AddGlossary), where their translations
// are required in every translation of the pair from then on, whoever
// asks; deleting one takes them out again. What DeepL says of a glossary
// beyond its entries (its name, its owner, when it was made) is kept here,
// one JSON file per glossary in the data directory's DeepLGlossaryDir.

// DeepLGlossaryDir is where, in the data directory, the DeepL API keeps
// what it says of each glossary.
const DeepLGlossaryDir = "deepl/glossaries"

// Limits of a glossary, as DeepL sets them.
const (
	maxGlossaryTerm = 1024 // bytes of a term, and of a glossary's name
)

// deeplGlossary is a glossary as DeepL describes it.
type deeplGlossary struct {
	ID         string    `json:"glossary_id"`
	Name       string    `json:"name"`
	Ready      bool      `json:"ready"`
	SourceLang string    `json:"source_lang"`
	TargetLang string    `json:"target_lang"`
	Created    time.Time `json:"creation_time"`
	EntryCount int       `json:"entry_count"`
}

// glossaryRecord is what is kept of a glossary: DeepL's description, its
// owner and its entries in the order they came.
type glossaryRecord struct {
	deeplGlossary
	Owner   string            `json:"owner"`
	Entries []memory.TermPair `json:"entries"`
}

// deeplGlossaries keeps the DeepL glossaries of a memory. It is safe for
// concurrent use.
type deeplGlossaries struct {
	dir string
	log *slog.Logger

	mu   sync.Mutex
	byID map[string]*glossaryRecord
}

// glossaryID matches the ids kgmem gives glossaries (UUIDs, as DeepL's).
var glossaryID = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// newDeepLGlossaries reads the glossaries kept in the data directory
// dataDir. A file that cannot be read is left alone and logged.
func newDeepLGlossaries(dataDir string, log *slog.Logger) *deeplGlossaries {
	g := &deeplGlossaries{dir: filepath.Join(dataDir, filepath.FromSlash(DeepLGlossaryDir)), log: log, byID: map[string]*glossaryRecord{}}
	paths, _ := filepath.Glob(filepath.Join(g.dir, "*.json"))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		var rec glossaryRecord
		if err == nil {
			err = json.Unmarshal(data, &rec)
		}
		if err == nil && !glossaryID.MatchString(rec.ID) {
			err = fmt.Errorf("glossary id %q", rec.ID)
		}
		if err != nil {
			log.Warn("a DeepL glossary cannot be read; it is not served", "file", p, "err", err)
			continue
		}
		g.byID[rec.ID] = &rec
	}
	return g
}

// glossaryMemoryName is the name of a glossary's term base in the memory.
func glossaryMemoryName(id string) string { return "deepl-" + id }

// get returns a glossary the caller may use: its own, or any for an admin.
func (g *deeplGlossaries) get(id string, c caller) (*deeplGlossary, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	rec := g.byID[id]
	if rec == nil || (c.role < RoleAdmin && rec.Owner != c.name) {
		return nil, &deeplError{status: http.StatusNotFound, message: "Glossary not found", detail: fmt.Sprintf("no glossary %q", id)}
	}
	info := rec.deeplGlossary
	return &info, nil
}

// entries returns a glossary's entries.
func (g *deeplGlossaries) entries(id string, c caller) ([]memory.TermPair, error) {
	if _, err := g.get(id, c); err != nil {
		return nil, err
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.byID[id].Entries, nil
}

// list returns the glossaries the caller may see, oldest first.
func (g *deeplGlossaries) list(c caller) []deeplGlossary {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := []deeplGlossary{}
	for _, rec := range g.byID {
		if c.role >= RoleAdmin || rec.Owner == c.name {
			out = append(out, rec.deeplGlossary)
		}
	}
	sort.Slice(out, func(a, b int) bool {
		if !out[a].Created.Equal(out[b].Created) {
			return out[a].Created.Before(out[b].Created)
		}
		return out[a].ID < out[b].ID
	})
	return out
}

// save writes a glossary's record, atomically.
func (g *deeplGlossaries) save(rec *glossaryRecord) error {
	if err := os.MkdirAll(g.dir, 0o700); err != nil {
		return err
	}
	data, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	tmp := filepath.Join(g.dir, "."+rec.ID+".json.tmp")
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(g.dir, rec.ID+".json"))
}

func (g *deeplGlossaries) add(rec *glossaryRecord) error {
	if err := g.save(rec); err != nil {
		return fmt.Errorf("keep glossary %s: %w", rec.ID, err)
	}
	g.mu.Lock()
	g.byID[rec.ID] = rec
	g.mu.Unlock()
	return nil
}

func (g *deeplGlossaries) remove(id string) error {
	g.mu.Lock()
	delete(g.byID, id)
	g.mu.Unlock()
	if err := os.Remove(filepath.Join(g.dir, id+".json")); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// newGlossaryID returns a random UUID (version 4).
func newGlossaryID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// createGlossary is POST /v2/glossaries: the entries (TSV or CSV) become a
// term base of the memory, then the glossary is described.
func (d *deepl) createGlossary(w http.ResponseWriter, r *http.Request) error {
	p, err := readDeepLParams(r)
	if err != nil {
		return err
	}
	name := strings.TrimSpace(p.get("name"))
	if name == "" {
		return deeplMissing("name", "name the glossary")
	}
	if len(name) > maxGlossaryTerm {
		return deeplNotSupported("name", "a glossary's name is at most %d bytes", maxGlossaryTerm)
	}
	l, err := d.langs(r.Context())
	if err != nil {
		return err
	}
	src, tgt, err := glossaryPair(l, p.get("source_lang"), p.get("target_lang"))
	if err != nil {
		return err
	}
	if !p.has("entries") {
		return deeplMissing("entries", "give the entries, one source<TAB>target a line (entries_format=tsv) or as CSV")
	}
	format := p.get("entries_format")
	if format == "" {
		format = "tsv"
	}
	entries, err := parseGlossaryEntries(format, p.get("entries"), src, tgt)
	if err != nil {
		return err
	}
	rec := &glossaryRecord{deeplGlossary: deeplGlossary{ID: newGlossaryID(), Name: name, Ready: true, SourceLang: src, TargetLang: tgt,
		Created: time.Now().UTC().Truncate(time.Millisecond), EntryCount: len(entries)}, Owner: callerOf(r).name, Entries: entries}
	// The memory is written whole or not at all, whatever the client does
	// meanwhile.
	ctx := context.WithoutCancel(r.Context())
	done := d.s.metrics.learning()
	_, err = d.s.mem.AddGlossary(ctx, glossaryMemoryName(rec.ID), language.Make(src), language.Make(tgt), entries)
	done(err)
	if err != nil {
		return err
	}
	if err := d.glossary.add(rec); err != nil {
		if rerr := d.s.mem.RemoveGlossary(ctx, glossaryMemoryName(rec.ID)); rerr != nil {
			d.s.log.Warn("a glossary whose description could not be kept stays in the memory", "glossary", rec.ID, "err", rerr)
		}
		return err
	}
	writeJSON(w, http.StatusCreated, rec.deeplGlossary)
	return nil
}

// glossaryPair resolves the languages of a glossary to base languages the
// server translates between.
func glossaryPair(l deeplLangs, source, target string) (string, string, error) {
	if source == "" {
		return "", "", deeplMissing("source_lang", "give the glossary's source language")
	}
	if target == "" {
		return "", "", deeplMissing("target_lang", "give the glossary's target language")
	}
	src, err := l.source(source)
	if err != nil {
		return "", "", err
	}
	tgt, err := l.target(src, target)
	if err != nil {
		return "", "", &deeplError{status: http.StatusBadRequest, message: "Unsupported glossary source and target language pair",
			detail: fmt.Sprintf("this server translates %s into %s", deeplSourceCode(src), codesOrNone(l.targetCodes(src)))}
	}
	return deeplBase(src), deeplBase(tgt), nil
}

// parseGlossaryEntries reads a glossary's entries: TSV (source<TAB>target
// a line) or CSV (source,target, or source,target,source_lang,target_lang).
// Blank lines are skipped and terms trimmed; a term that is empty, too
// long, holds a control character or repeats an earlier source is an
// error that names its line.
func parseGlossaryEntries(format, text, src, tgt string) ([]memory.TermPair, error) {
	bad := func(line int, format string, args ...any) error {
		return &deeplError{status: http.StatusBadRequest, message: "Invalid glossary entries provided",
			detail: fmt.Sprintf("line %d: ", line) + fmt.Sprintf(format, args...)}
	}
	var rows [][]string
	var lines []int
	switch strings.ToLower(format) {
	case "tsv":
		for i, line := range strings.Split(strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(text), "\n") {
			if strings.TrimSpace(line) == "" {
				continue
			}
			cells := strings.Split(line, "\t")
			if len(cells) != 2 {
				return nil, bad(i+1, "%d tabs; an entry is source<TAB>target", len(cells)-1)
			}
			rows, lines = append(rows, cells), append(lines, i+1)
		}
	case "csv":
		cr := csv.NewReader(strings.NewReader(text))
		cr.FieldsPerRecord = -1
		for {
			rec, err := cr.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				line := 0
				var pe *csv.ParseError
				if errors.As(err, &pe) {
					line = pe.Line
				}
				return nil, bad(line, "%v", err)
			}
			line, _ := cr.FieldPos(0)
			switch len(rec) {
			case 2:
			case 4:
				if !strings.EqualFold(strings.TrimSpace(rec[2]), src) || !strings.EqualFold(strings.TrimSpace(rec[3]), tgt) {
					return nil, bad(line, "the entry is %s→%s, the glossary %s→%s", rec[2], rec[3], src, tgt)
				}
			default:
				if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
					continue
				}
				return nil, bad(line, "%d fields; an entry is source,target (and optionally source_lang,target_lang)", len(rec))
			}
			rows, lines = append(rows, rec[:2]), append(lines, line)
		}
	default:
		return nil, deeplNotSupported("entries_format", "use tsv or csv")
	}
	var out []memory.TermPair
	seen := map[string]int{}
	for k, row := range rows {
		pair := memory.TermPair{Source: strings.TrimSpace(row[0]), Target: strings.TrimSpace(row[1])}
		for _, t := range []string{pair.Source, pair.Target} {
			switch {
			case t == "":
				return nil, bad(lines[k], "an empty term")
			case len(t) > maxGlossaryTerm:
				return nil, bad(lines[k], "a term of %d bytes; at most %d", len(t), maxGlossaryTerm)
			case strings.IndexFunc(t, isGlossaryControl) >= 0:
				return nil, bad(lines[k], "%q holds a control character", t)
			}
		}
		if first, ok := seen[pair.Source]; ok {
			return nil, bad(lines[k], "%q is already the source of line %d", pair.Source, first)
		}
		seen[pair.Source] = lines[k]
		out = append(out, pair)
	}
	if len(out) == 0 {
		return nil, &deeplError{status: http.StatusBadRequest, message: "Invalid glossary entries provided", detail: "the glossary has no entries"}
	}
	return out, nil
}

// isGlossaryControl reports the characters DeepL refuses in a term: C0
// and C1 controls and the Unicode line and paragraph separators.
func isGlossaryControl(r rune) bool {
	return r < 0x20 || (r >= 0x7f && r <= 0x9f) || r == 0x2028 || r == 0x2029
}

func (d *deepl) listGlossaries(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]any{"glossaries": d.glossary.list(callerOf(r))})
	return nil
}

func (d *deepl) getGlossary(w http.ResponseWriter, r *http.Request) error {
	g, err := d.glossary.get(r.PathValue("glossary_id"), callerOf(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, g)
	return nil
}

// glossaryEntries answers a glossary's entries as DeepL does: TSV, one
// source<TAB>target a line, in the order they were given.
func (d *deepl) glossaryEntries(w http.ResponseWriter, r *http.Request) error {
	if !acceptsTSV(r.Header.Get("Accept")) {
		return &deeplError{status: http.StatusUnsupportedMediaType, message: "No supported media type specified in Accept header",
			detail: "the entries come as text/tab-separated-values"}
	}
	entries, err := d.glossary.entries(r.PathValue("glossary_id"), callerOf(r))
	if err != nil {
		return err
	}
	var b strings.Builder
	for i, e := range entries {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Source + "\t" + e.Target)
	}
	w.Header().Set("Content-Type", "text/tab-separated-values; charset=UTF-8")
	w.WriteHeader(http.StatusOK)
	io.WriteString(w, b.String())
	return nil
}

// acceptsTSV reports whether an Accept header admits TSV.
func acceptsTSV(accept string) bool {
	if strings.TrimSpace(accept) == "" {
		return true
	}
	for _, part := range strings.Split(accept, ",") {
		mt, _, _ := strings.Cut(part, ";")
		switch strings.ToLower(strings.TrimSpace(mt)) {
		case "*/*", "text/*", "text/tab-separated-values":
			return true
		}
	}
	return false
}

// deleteGlossary is DELETE /v2/glossaries/{id}: the glossary's terms leave
// the memory, then the glossary is forgotten.
func (d *deepl) deleteGlossary(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("glossary_id")
	if _, err := d.glossary.get(id, callerOf(r)); err != nil {
		return err
	}
	ctx := context.WithoutCancel(r.Context())
	done := d.s.metrics.learning()
	err := d.s.mem.RemoveGlossary(ctx, glossaryMemoryName(id))
	done(err)
	if err != nil {
		return err
	}
	if err := d.glossary.remove(id); err != nil {
		return fmt.Errorf("forget glossary %s: %w", id, err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
