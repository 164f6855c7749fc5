package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/plugins"
	"github.com/kgmem/kgmem/plugins/host"
	"github.com/kgmem/kgmem/retrieval"
	"github.com/kgmem/kgmem/translate"
	"github.com/kgmem/kgmem/web"
)

// APIVersion is the path prefix of kgmem's own API. Versions are additive:
// fields are added, never renamed or removed, within one.
const APIVersion = "/api/v1"

// The wire types of kgmem's own API. Their JSON is the API; the OpenAPI
// document (openapi.json) describes them and a test keeps the two equal.

// TranslateRequest asks for the translation of segments.
type TranslateRequest struct {
	// Model is the model plugin; the server's default when empty.
	Model      string `json:"model,omitempty"`
	SourceLang string `json:"source_lang"`
	TargetLang string `json:"target_lang"`
	// MinMatch is the lowest fuzzy-match score used, in percent.
	MinMatch int  `json:"min_match,omitempty"`
	NoTM     bool `json:"no_tm,omitempty"`
	NoKG     bool `json:"no_kg,omitempty"`
	// Explain adds, to each result, the memory kept and dropped and why.
	Explain bool `json:"explain,omitempty"`
	// Register is how the translation addresses the reader: "formal" or
	// "informal"; the model's default when empty.
	Register string    `json:"register,omitempty"`
	Segments []Segment `json:"segments"`
}

// Segment is a segment to translate: its text, and the texts around it
// in its document (for in-context matches).
type Segment struct {
	ID   string `json:"id,omitempty"`
	Text string `json:"text"`
	Prev string `json:"prev,omitempty"`
	Next string `json:"next,omitempty"`
	// Context is the unit's context key (gettext msgctxt, XLIFF resname):
	// a memory match in another context is not exact.
	Context string `json:"context,omitempty"`
}

// TranslateResponse holds one result per segment, in order.
type TranslateResponse struct {
	Results []translate.Result `json:"results"`
}

// LearnRequest teaches the memory approved translations.
type LearnRequest struct {
	SourceLang string `json:"source_lang"`
	TargetLang string `json:"target_lang"`
	Pairs      []Pair `json:"pairs"`
	// Model, when set, is taught the pairs too if it learns.
	Model string `json:"model,omitempty"`
}

// Pair is an approved translation.
type Pair struct {
	Source string `json:"source"`
	Target string `json:"target"`
	// Origin is where the pair was approved (a file). It is kept for the
	// data directory's owner (the unix socket, or a keyless local
	// client); a key's pairs are recorded as approved by "api:KEY".
	Origin string `json:"origin,omitempty"`
}

// TMSearchRequest looks a sentence up in the translation memory.
type TMSearchRequest struct {
	Text       string `json:"text"`
	SourceLang string `json:"source_lang,omitempty"`
	TargetLang string `json:"target_lang,omitempty"`
	Min        int    `json:"min,omitempty"`
	Limit      int    `json:"limit,omitempty"`
	Prev       string `json:"prev,omitempty"`
	Next       string `json:"next,omitempty"`
	// Context says Prev and Next are given (both may be "" at the edges
	// of a document).
	Context bool `json:"context,omitempty"`
}

// TMSearchResponse holds the matches, best first.
type TMSearchResponse struct {
	Matches []retrieval.Match `json:"matches"`
}

// SpotRequest finds the known entities of a sentence.
type SpotRequest struct {
	Text       string `json:"text"`
	SourceLang string `json:"source_lang,omitempty"`
	TargetLang string `json:"target_lang,omitempty"`
	Hops       int    `json:"hops,omitempty"`
	Limit      int    `json:"limit,omitempty"`
}

// SpotResponse holds the spans of the sentence that name known entities.
type SpotResponse struct {
	Spans []retrieval.Found `json:"spans"`
}

// EntitiesResponse holds entities as people read them.
type EntitiesResponse struct {
	Entities []memory.EntityView `json:"entities"`
}

// StatsResponse says what the memory holds.
type StatsResponse struct {
	Memory memory.Manifest `json:"memory"`
	Graph  graph.Stats     `json:"graph"`
	Index  retrieval.Stats `json:"index"`
}

// ModelsResponse lists the models.
type ModelsResponse struct {
	Models  []host.Info `json:"models"`
	Default string      `json:"default"`
}

// routes registers every route of the server.
func (s *Server) routes() {
	v := APIVersion
	s.handle("POST "+v+"/translate", RoleTranslate, s.apiTranslate)
	s.handle("POST "+v+"/learn", RoleLearn, s.apiLearn)
	s.handle("POST "+v+"/terms", RoleLearn, s.apiTerm)
	s.handle("POST "+v+"/tm/search", RoleRead, s.apiTMSearch)
	s.handle("GET "+v+"/tm/concordance", RoleRead, s.apiConcordance)
	s.handle("POST "+v+"/entities/spot", RoleRead, s.apiSpot)
	s.handle("GET "+v+"/entities", RoleRead, s.apiEntities)
	s.handle("GET "+v+"/entities/{id}", RoleRead, s.apiEntity)
	s.handle("GET "+v+"/stats", RoleRead, s.apiStats)
	s.handle("GET "+v+"/export", RoleRead, s.apiExport)
	s.handle("GET "+v+"/models", RoleRead, s.apiModels)
	s.handle("GET "+v+"/session", RoleNone, s.apiSession)
	s.forgetRoutes()
	s.jobRoutes()
	s.deeplRoutes()
	s.libreRoutes()
	s.tmserverRoutes()
	s.apyRoutes()
	s.handle("GET /healthz", RoleNone, s.healthz)
	s.handle("GET /readyz", RoleNone, s.readyz)
	s.handle("GET /metrics", RoleRead, s.metrics.serve)
	s.handle("GET /openapi.json", RoleNone, serveOpenAPI)
	s.webRoutes()
	// The web workbench at "/"; anything else is a JSON 404.
	s.mux.Handle("/", web.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, apiError(http.StatusNotFound, CodeNotFound, fmt.Sprintf("no route %s %s; see /openapi.json", r.Method, r.URL.Path)))
	})))
}

// decode reads a JSON request body into v, refusing unknown fields and
// text that is not UTF-8 (which encoding/json would silently replace).
func decode(r *http.Request, v any) error {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return err
	}
	if !utf8.Valid(data) {
		return badRequest("the body is not valid UTF-8 (at byte %d)", invalidAt(data))
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if _, ok := err.(*http.MaxBytesError); ok {
			return err
		}
		return apiError(http.StatusBadRequest, CodeBadRequest, "the body is not the JSON this call takes: "+err.Error())
	}
	if dec.More() {
		return apiError(http.StatusBadRequest, CodeBadRequest, "the body holds more than one JSON value")
	}
	return nil
}

// invalidAt returns the offset of the first byte of b that is not UTF-8.
func invalidAt(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return -1
}

func badRequest(format string, args ...any) error {
	return apiError(http.StatusBadRequest, CodeBadRequest, fmt.Sprintf(format, args...))
}

// checkText refuses text that is not UTF-8, saying which field.
func checkText(field, s string) error {
	if !utf8.ValidString(s) {
		return badRequest("%s is not valid UTF-8", field)
	}
	return nil
}

// lang normalises a language tag of a request.
func lang(field, s string, required bool) (string, error) {
	if s == "" {
		if required {
			return "", badRequest("%s is required (a BCP-47 tag such as en or es-ES)", field)
		}
		return "", nil
	}
	tag, err := corpora.ParseLang(s)
	if err != nil {
		return "", badRequest("%s: %v", field, err)
	}
	return tag.String(), nil
}

func (s *Server) translateOptions(req *TranslateRequest) (memory.TranslateOptions, error) {
	o := memory.TranslateOptions{Model: req.Model, MinMatch: req.MinMatch, NoTM: req.NoTM, NoKG: req.NoKG, Explain: req.Explain, Register: req.Register}
	if o.Model == "" {
		o.Model = s.opts.Model
	}
	if err := plugins.CheckRegister(o.Register); err != nil {
		return o, badRequest("%v", err)
	}
	var err error
	if o.SourceLang, err = lang("source_lang", req.SourceLang, true); err != nil {
		return o, err
	}
	if o.TargetLang, err = lang("target_lang", req.TargetLang, true); err != nil {
		return o, err
	}
	return o, nil
}

func (s *Server) apiTranslate(w http.ResponseWriter, r *http.Request) error {
	var req TranslateRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	o, err := s.translateOptions(&req)
	if err != nil {
		return err
	}
	if len(req.Segments) > s.opts.MaxSegments {
		return apiError(http.StatusRequestEntityTooLarge, CodeTooLarge,
			fmt.Sprintf("%d segments in one request; this server takes at most %d: split the request", len(req.Segments), s.opts.MaxSegments))
	}
	segs := make([]translate.Segment, len(req.Segments))
	chars := 0
	for i, sg := range req.Segments {
		if err := checkText(fmt.Sprintf("segments[%d].text", i), sg.Text+sg.Prev+sg.Next); err != nil {
			return err
		}
		segs[i] = translate.Segment{ID: sg.ID, Source: corpora.Text(sg.Text), Prev: sg.Prev, Next: sg.Next, Context: sg.Context}
		chars += utf8.RuneCountInString(sg.Text)
	}
	rs, err := s.translate(r, o, segs)
	if err != nil {
		return err
	}
	s.usage.add(callerOf(r).name, chars)
	writeJSON(w, http.StatusOK, TranslateResponse{Results: rs})
	return nil
}

// translate translates segments for a request, timing the model; small
// requests that arrive together share a call (batch.go).
func (s *Server) translate(r *http.Request, o memory.TranslateOptions, segs []translate.Segment) ([]translate.Result, error) {
	if len(segs) == 0 {
		return []translate.Result{}, nil
	}
	done := s.metrics.translating(o.Model)
	rs, err := s.batch.Translate(r.Context(), o, segs)
	done(len(segs), err)
	return rs, err
}

func (s *Server) apiLearn(w http.ResponseWriter, r *http.Request) error {
	var req LearnRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	from, err := lang("source_lang", req.SourceLang, true)
	if err != nil {
		return err
	}
	to, err := lang("target_lang", req.TargetLang, true)
	if err != nil {
		return err
	}
	origin := "api"
	if c := callerOf(r); c.name != "" {
		origin = "api:" + c.name
	}
	pairs := make([]translate.Pair, len(req.Pairs))
	for i, p := range req.Pairs {
		if err := checkText(fmt.Sprintf("pairs[%d]", i), p.Source+p.Target); err != nil {
			return err
		}
		if strings.TrimSpace(p.Source) == "" || strings.TrimSpace(p.Target) == "" {
			return badRequest("pairs[%d]: a pair needs a source and a target", i)
		}
		pairs[i] = translate.Pair{Source: p.Source, Target: p.Target, Origin: origin}
		if c := callerOf(r); c.name == "" && c.local && p.Origin != "" {
			pairs[i].Origin = p.Origin
		}
	}
	done := s.metrics.learning()
	sum, err := s.mem.Learn(r.Context(), memory.LearnRequest{SourceLang: from, TargetLang: to, Pairs: pairs, Model: req.Model})
	done(err)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sum)
	return nil
}

// apiTerm adds a term translation, or changes its status (deprecate it).
func (s *Server) apiTerm(w http.ResponseWriter, r *http.Request) error {
	var req memory.TermRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if err := checkText("source/target", req.Source+req.Target); err != nil {
		return err
	}
	var err error
	if req.SourceLang, err = lang("source_lang", req.SourceLang, true); err != nil {
		return err
	}
	if req.TargetLang, err = lang("target_lang", req.TargetLang, true); err != nil {
		return err
	}
	req.Origin = "api"
	if c := callerOf(r); c.name != "" {
		req.Origin = "api:" + c.name
	}
	sum, err := s.mem.SetTerm(r.Context(), req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sum)
	return nil
}

func (s *Server) apiTMSearch(w http.ResponseWriter, r *http.Request) error {
	var req TMSearchRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	q, err := s.tmQuery(req)
	if err != nil {
		return err
	}
	ms, err := s.mem.SearchTM(r.Context(), q)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, TMSearchResponse{Matches: ms})
	return nil
}

func (s *Server) tmQuery(req TMSearchRequest) (retrieval.Query, error) {
	q := retrieval.Query{Text: req.Text, Min: req.Min, Limit: req.Limit}
	if err := checkText("text", req.Text+req.Prev+req.Next); err != nil {
		return q, err
	}
	if strings.TrimSpace(req.Text) == "" {
		return q, badRequest("text is required")
	}
	if req.Min < 0 || req.Min > 101 || req.Limit < 0 || req.Limit > 1000 {
		return q, badRequest("min is a score from 1 to 101, limit from 1 to 1000")
	}
	var err error
	if q.SourceLang, err = lang("source_lang", req.SourceLang, false); err != nil {
		return q, err
	}
	if q.TargetLang, err = lang("target_lang", req.TargetLang, false); err != nil {
		return q, err
	}
	if q.SourceLang == "" {
		q.SourceLang = s.mem.SourceLang()
	}
	if req.Context || req.Prev != "" || req.Next != "" {
		q.Context = &retrieval.Context{Prev: req.Prev, Next: req.Next}
	}
	return q, nil
}

func (s *Server) apiConcordance(w http.ResponseWriter, r *http.Request) error {
	qs := r.URL.Query()
	text := qs.Get("q")
	if strings.TrimSpace(text) == "" {
		return badRequest("q is required: the words to look for")
	}
	l, err := lang("lang", qs.Get("lang"), false)
	if err != nil {
		return err
	}
	if l == "" {
		l = s.mem.SourceLang()
	}
	limit, err := intParam(qs.Get("limit"), 20, 1, 1000)
	if err != nil {
		return badRequest("limit: %v", err)
	}
	ms, err := s.mem.Concordance(r.Context(), text, l, qs.Get("target") == "true", limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, TMSearchResponse{Matches: ms})
	return nil
}

// intParam reads an integer parameter, def when absent.
func intParam(v string, def, lo, hi int) (int, error) {
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("%q is not a whole number from %d to %d", v, lo, hi)
	}
	return n, nil
}

func (s *Server) apiSpot(w http.ResponseWriter, r *http.Request) error {
	var req SpotRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if err := checkText("text", req.Text); err != nil {
		return err
	}
	o := retrieval.ExpandOptions{Hops: req.Hops, Facts: req.Limit, Neighbours: req.Limit}
	if req.Hops < 0 || req.Hops > 2 {
		return badRequest("hops is 1 or 2")
	}
	var err error
	if o.SourceLang, err = lang("source_lang", req.SourceLang, false); err != nil {
		return err
	}
	if o.TargetLang, err = lang("target_lang", req.TargetLang, false); err != nil {
		return err
	}
	if o.SourceLang == "" {
		o.SourceLang = s.mem.SourceLang()
	}
	found, err := s.mem.SearchEntities(r.Context(), req.Text, o)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, SpotResponse{Spans: found})
	return nil
}

// entityQuery reads the parameters of the entity routes.
func (s *Server) entityQuery(r *http.Request) (memory.EntityQuery, error) {
	qs := r.URL.Query()
	q := memory.EntityQuery{Label: qs.Get("label")}
	var err error
	if q.Lang, err = lang("lang", qs.Get("lang"), false); err != nil {
		return q, err
	}
	if q.Lang == "" {
		q.Lang = s.mem.SourceLang()
	}
	if q.TargetLang, err = lang("target_lang", qs.Get("target_lang"), false); err != nil {
		return q, err
	}
	if q.Limit, err = intParam(qs.Get("limit"), 10, 0, 1000); err != nil {
		return q, badRequest("limit: %v", err)
	}
	return q, nil
}

func (s *Server) apiEntities(w http.ResponseWriter, r *http.Request) error {
	q, err := s.entityQuery(r)
	if err != nil {
		return err
	}
	if q.Label == "" {
		return badRequest("label is required: the entity's name in lang")
	}
	vs, err := s.mem.Entities(r.Context(), q)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, EntitiesResponse{Entities: vs})
	return nil
}

func (s *Server) apiEntity(w http.ResponseWriter, r *http.Request) error {
	q, err := s.entityQuery(r)
	if err != nil {
		return err
	}
	v, err := s.mem.Entity(r.Context(), r.PathValue("id"), q)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (s *Server) apiStats(w http.ResponseWriter, r *http.Request) error {
	st, err := s.mem.Stats(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, StatsResponse{Memory: s.mem.Manifest(), Graph: st, Index: s.mem.Index().Stats()})
	return nil
}

func (s *Server) apiModels(w http.ResponseWriter, r *http.Request) error {
	infos, err := s.mem.Models().List()
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ModelsResponse{Models: infos, Default: s.opts.Model})
	return nil
}

// SessionResponse says who the caller is to the server.
type SessionResponse struct {
	// Key is the name of the caller's key; "" without one.
	Key string `json:"key,omitempty"`
	// Role is what the caller may do: none, read, translate, learn, admin.
	Role Role `json:"role"`
	// KeysRequired is true when the server has API keys: a caller needs
	// one (except on the unix socket).
	KeysRequired bool `json:"keys_required"`
}

func (s *Server) apiSession(w http.ResponseWriter, r *http.Request) error {
	c := callerOf(r)
	role := c.role
	if role < 0 {
		role = RoleNone
	}
	writeJSON(w, http.StatusOK, SessionResponse{Key: c.name, Role: role, KeysRequired: s.opts.Keys.Len() > 0})
	return nil
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}

// readyz answers 200 when the memory answers and the server is not
// draining.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	if s.draining.Load() {
		return apiError(http.StatusServiceUnavailable, CodeShuttingDown, "shutting down")
	}
	if _, err := s.mem.Stats(r.Context()); err != nil {
		return apiError(http.StatusServiceUnavailable, CodeInternal, "the memory does not answer: "+err.Error())
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	return nil
}
