package server

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kgmem/kgmem/retrieval"
	"github.com/kgmem/kgmem/translate"
)

// translate-toolkit's tmserver API, as Virtaal's and Weblate's tmserver
// clients call it: GET /tmserver/{slang}/{tlang}/unit/{text} answers a JSON
// list of {source, target, context, quality}, best first, from kgmem's
// translation memory, with kgmem's fuzzy-match scores as quality (0–100).
// POST and PUT of a unit, and POST of a store (a JSON list of units),
// teach the memory, as they add to tmserver's database. Deleting units or
// stores and uploading store files are not supported (tmserver does not
// implement them either).

// Defaults of the tmserver API, those of translate-toolkit's tmserver.
const (
	tmserverMaxCandidates = 3
	tmserverMinSimilarity = 75
)

// tmserverRoutes registers the routes of translate-toolkit's tmserver.
func (s *Server) tmserverRoutes() {
	const unit = " /tmserver/{slang}/{tlang}/unit/{text...}"
	const store = " /tmserver/{slang}/{tlang}/store/{sid...}"
	s.route("GET"+unit, RoleNone, s.opts.MaxBody, s.tms(s.tmserverUnit))
	s.route("POST"+unit, RoleNone, s.opts.MaxBody, s.tms(s.tmserverAddUnit))
	s.route("PUT"+unit, RoleNone, s.opts.MaxBody, s.tms(s.tmserverAddUnit))
	s.route("DELETE"+unit, RoleNone, s.opts.MaxBody, s.tms(tmserverNotSupported))
	s.route("POST"+store, RoleNone, s.opts.MaxBody, s.tms(s.tmserverAddStore))
	s.route("GET"+store, RoleNone, s.opts.MaxBody, s.tms(tmserverNotSupported))
	s.route("PUT"+store, RoleNone, s.opts.MaxBody, s.tms(tmserverNotSupported))
	s.route("DELETE"+store, RoleNone, s.opts.MaxBody, s.tms(tmserverNotSupported))
	s.route("GET /tmserver/languages/{$}", RoleNone, s.opts.MaxBody, s.tms(s.tmserverLanguages))
}

// tms adapts a handler to tmserver, which answers errors as plain text.
func (s *Server) tms(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := h(w, r); err != nil {
			e := classify(err)
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(e.Status)
			io.WriteString(w, e.Message+"\n")
		}
		return nil
	}
}

// tmserverMatch is an entry of tmserver's answer.
type tmserverMatch struct {
	Source string `json:"source"`
	Target string `json:"target"`
	// Context is the unit's context in tmserver's database (a msgctxt);
	// kgmem's memory keeps one segment per pair of texts, without one.
	Context string          `json:"context"`
	Quality tmserverQuality `json:"quality"`
}

// tmserverQuality is a score written as translate-toolkit writes it: a
// JSON number with a fraction ("100.0"), as Python writes a float.
type tmserverQuality float64

func (q tmserverQuality) MarshalJSON() ([]byte, error) {
	s := strconv.FormatFloat(float64(q), 'f', -1, 64)
	if !strings.ContainsAny(s, ".eE") {
		s += ".0"
	}
	return []byte(s), nil
}

// tmserverLangs reads the language pair of a tmserver path.
func tmserverLangs(r *http.Request) (src, tgt string, err error) {
	var ok bool
	if src, ok = parseTag(r.PathValue("slang")); !ok {
		return "", "", badRequest("%q is not a language code", r.PathValue("slang"))
	}
	if tgt, ok = parseTag(r.PathValue("tlang")); !ok {
		return "", "", badRequest("%q is not a language code", r.PathValue("tlang"))
	}
	return src, tgt, nil
}

// tmserverUnit is tmserver's GET of a unit: the memory's best matches of
// the text. min_similarity and max_candidates (query parameters; kgmem's
// additions) do what tmserver's command-line options of those names do.
func (s *Server) tmserverUnit(w http.ResponseWriter, r *http.Request) error {
	if err := s.authorize(r, RoleRead, ""); err != nil {
		return err
	}
	text := r.PathValue("text")
	if strings.TrimSpace(text) == "" {
		return apiError(http.StatusNotFound, CodeNotFound, "no text to look up: GET /tmserver/SOURCE/TARGET/unit/TEXT")
	}
	if !utf8.ValidString(text) {
		return badRequest("the text is not valid UTF-8")
	}
	src, tgt, err := tmserverLangs(r)
	if err != nil {
		return err
	}
	qs := r.URL.Query()
	min, err := intParam(qs.Get("min_similarity"), tmserverMinSimilarity, 1, 100)
	if err != nil {
		return badRequest("min_similarity: %v", err)
	}
	limit, err := intParam(qs.Get("max_candidates"), tmserverMaxCandidates, 1, 100)
	if err != nil {
		return badRequest("max_candidates: %v", err)
	}
	ms, err := s.mem.SearchTM(r.Context(), retrieval.Query{Text: text, SourceLang: src, TargetLang: tgt, Min: min, Limit: limit})
	if err != nil {
		return err
	}
	out := make([]tmserverMatch, 0, len(ms))
	for _, m := range ms {
		out = append(out, tmserverMatch{Source: m.Source, Target: m.Target, Quality: tmserverQuality(min100(m.Score))})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// min100 caps a score at 100: an in-context match (101) is an exact match
// to tmserver, which knows no context.
func min100(score int) int { return min(score, 100) }

// tmserverUnitBody is the body of a POST or PUT of a unit, and an entry of
// a POST of a store.
type tmserverUnitBody struct {
	Source  string `json:"source"`
	Target  string `json:"target"`
	Context string `json:"context"`
}

// tmserverAddUnit is tmserver's POST and PUT of a unit: the pair in the
// body becomes approved memory, for a key that may teach it.
func (s *Server) tmserverAddUnit(w http.ResponseWriter, r *http.Request) error {
	var u tmserverUnitBody
	if err := s.tmserverLearnBody(r, &u); err != nil {
		return err
	}
	if err := s.tmserverLearn(r, []tmserverUnitBody{u}); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	return nil
}

// tmserverAddStore is tmserver's POST of a store: a JSON list of units.
func (s *Server) tmserverAddStore(w http.ResponseWriter, r *http.Request) error {
	var units []tmserverUnitBody
	if err := s.tmserverLearnBody(r, &units); err != nil {
		return err
	}
	if len(units) > s.opts.MaxSegments {
		return apiError(http.StatusRequestEntityTooLarge, CodeTooLarge,
			fmt.Sprintf("%d units in one request; this server takes at most %d: split the store", len(units), s.opts.MaxSegments))
	}
	if err := s.tmserverLearn(r, units); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintf(w, "added %d units from %s", len(units), r.PathValue("sid"))
	return nil
}

// tmserverLearnBody checks that the caller may teach the memory and reads
// the JSON body (tmserver's clients do not all say it is JSON).
func (s *Server) tmserverLearnBody(r *http.Request, v any) error {
	if err := s.authorize(r, RoleLearn, ""); err != nil {
		return err
	}
	if err := refuseCrossSite(r); err != nil {
		return err
	}
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return err
	}
	if !utf8.Valid(data) {
		return badRequest("the body is not valid UTF-8 (at byte %d)", invalidAt(data))
	}
	if err := json.Unmarshal(data, v); err != nil {
		return badRequest("the body is not the JSON tmserver takes: %v", err)
	}
	return nil
}

// tmserverLearn teaches the memory the units, in the path's languages.
func (s *Server) tmserverLearn(r *http.Request, units []tmserverUnitBody) error {
	src, tgt, err := tmserverLangs(r)
	if err != nil {
		return err
	}
	pairs := make([]translate.Pair, len(units))
	for i, u := range units {
		pairs[i] = translate.Pair{Source: u.Source, Target: u.Target}
	}
	_, err = s.compatLearn(r, "tmserver", src, tgt, pairs)
	return err
}

// tmserverNotSupported answers the tmserver calls kgmem does not have.
func tmserverNotSupported(w http.ResponseWriter, r *http.Request) error {
	return apiError(http.StatusNotImplemented, CodeNotSupported,
		"not supported: this server (kgmem) looks units up and learns them, but does not delete units or stores, upload store files or count them")
}

// tmserverLanguagesResponse lists the languages of the memory, as
// Weblate's tmserver client asks for them (amaGama's /languages/).
type tmserverLanguagesResponse struct {
	SourceLanguages []string `json:"sourceLanguages"`
	TargetLanguages []string `json:"targetLanguages"`
}

// tmserverLanguages lists the source and the target languages of the
// memory, in the lowercase form Weblate compares them in ("pt_br").
func (s *Server) tmserverLanguages(w http.ResponseWriter, r *http.Request) error {
	if err := s.authorize(r, RoleRead, ""); err != nil {
		return err
	}
	code := func(tag string) string { return strings.ToLower(strings.ReplaceAll(tag, "-", "_")) }
	srcs, tgts := map[string]bool{}, map[string]bool{}
	for src, ts := range s.mem.Index().Stats().Pairs {
		srcs[code(src)] = true
		for _, t := range ts {
			tgts[code(t)] = true
		}
	}
	resp := tmserverLanguagesResponse{SourceLanguages: sortedKeys(srcs), TargetLanguages: sortedKeys(tgts)}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
