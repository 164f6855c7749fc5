package server

// DeepL API v2, as DeepL's own clients (deepl-node, deepl-python, …) speak
// it: point a client's server URL at kgmem and every call goes through the
// memory. The handlers are small adapters like those of kgmem's own API;
// what differs is the wire: parameters as DeepL reads them (query, form,
// multipart or JSON), answers in DeepL's shapes, and errors as DeepL writes
// them ({"message": …, "detail": …} with DeepL's statuses: 403 for a key
// that is refused, 400 for a value kgmem does not support). docs/deepl.md
// says what each parameter does here.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/graph"
)

// DeepLCharacterLimit is the character_limit /v2/usage reports: kgmem sets
// no quota, and DeepL reports an account without one with this number.
const DeepLCharacterLimit = 1_000_000_000_000

// deepl is the state of the DeepL API: its glossaries and its documents.
type deepl struct {
	s         *Server
	glossary  *deeplGlossaries
	documents *deeplDocuments
}

// deeplRoutes registers the routes of DeepL API v2 (/v2/…).
func (s *Server) deeplRoutes() {
	d := &deepl{s: s, glossary: newDeepLGlossaries(s.mem.Dir(), s.log), documents: newDeepLDocuments()}
	limit := s.opts.MaxBody
	s.deeplRoute("POST /v2/translate", RoleTranslate, limit, d.translate)
	s.deeplRoute("GET /v2/languages", RoleRead, limit, d.languages)
	s.deeplRoute("POST /v2/languages", RoleRead, limit, d.languages)
	s.deeplRoute("GET /v2/usage", RoleRead, limit, d.usage)
	s.deeplRoute("POST /v2/usage", RoleRead, limit, d.usage)
	s.deeplRoute("GET /v2/glossary-language-pairs", RoleRead, limit, d.glossaryPairs)
	// A glossary is part of the shared memory: making or deleting one is
	// a write, as learning is.
	s.deeplRoute("POST /v2/glossaries", RoleLearn, s.opts.MaxDocument, d.createGlossary)
	s.deeplRoute("GET /v2/glossaries", RoleRead, limit, d.listGlossaries)
	s.deeplRoute("GET /v2/glossaries/{glossary_id}", RoleRead, limit, d.getGlossary)
	s.deeplRoute("DELETE /v2/glossaries/{glossary_id}", RoleLearn, limit, d.deleteGlossary)
	s.deeplRoute("GET /v2/glossaries/{glossary_id}/entries", RoleRead, limit, d.glossaryEntries)
	s.deeplRoute("POST /v2/document", RoleTranslate, s.opts.MaxDocument, d.uploadDocument)
	s.deeplRoute("POST /v2/document/{document_id}", RoleTranslate, limit, d.documentStatus)
	s.deeplRoute("GET /v2/document/{document_id}", RoleTranslate, limit, d.documentStatus)
	s.deeplRoute("POST /v2/document/{document_id}/result", RoleTranslate, limit, d.documentResult)
	s.deeplRoute("GET /v2/document/{document_id}/result", RoleTranslate, limit, d.documentResult)
	// The rest of DeepL's API (write, v3 glossaries, style rules, …) is
	// not kgmem's: say so in DeepL's words rather than kgmem's.
	for _, p := range []string{"/v2/", "/v3/"} {
		s.mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) {
			writeDeepLError(w, &deeplError{status: http.StatusNotFound, message: "Not found",
				detail: fmt.Sprintf("kgmem does not implement %s %s of the DeepL API", r.Method, r.URL.Path)})
		})
	}
}

// deeplRoute registers a route of the DeepL API: kgmem's authorisation and
// limits, DeepL's errors. A server without keys serves its own machine
// whatever key a DeepL client sends (a DeepL client cannot send none).
func (s *Server) deeplRoute(pattern string, role Role, limit int64, h handlerFunc) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if s.draining.Load() {
			writeDeepLError(w, apiError(http.StatusServiceUnavailable, CodeShuttingDown, "the server is shutting down; retry on another one"))
			return
		}
		if c := callerOf(r); c.role < 0 && c.local && s.opts.Keys.Len() == 0 {
			c.role = RoleAdmin
			r = r.WithContext(context.WithValue(r.Context(), callerKey{}, c))
		}
		if err := s.authorize(r, role, ""); err != nil {
			writeDeepLError(w, err)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		if err := h(w, r); err != nil {
			writeDeepLError(w, err)
		}
	})
}

// deeplError is an error as DeepL answers it.
type deeplError struct {
	status  int
	message string // DeepL's words
	detail  string // kgmem's: what was wrong and what to do
}

func (e *deeplError) Error() string {
	if e.detail == "" {
		return e.message
	}
	return e.message + ": " + e.detail
}

// deeplNotSupported is DeepL's answer to a value it does not take; detail says
// what kgmem takes instead.
func deeplNotSupported(param, format string, args ...any) error {
	return &deeplError{status: http.StatusBadRequest, message: fmt.Sprintf("Value for '%s' not supported.", param), detail: fmt.Sprintf(format, args...)}
}

// deeplMissing is DeepL's answer to a parameter a call needs.
func deeplMissing(param, detail string) error {
	return &deeplError{status: http.StatusBadRequest, message: fmt.Sprintf("Parameter '%s' not specified.", param), detail: detail}
}

// writeDeepLError writes err as DeepL does: {"message", "detail"} with
// DeepL's status. kgmem's errors keep their meaning: a refused key is
// 403 (DeepL has no 401), an unreadable file or an unsupported feature 400,
// a busy memory 429 (DeepL's clients retry it).
func writeDeepLError(w http.ResponseWriter, err error) {
	var de *deeplError
	if !errors.As(err, &de) {
		e := classify(err)
		de = &deeplError{status: e.Status, message: e.Message}
		switch e.Status {
		case http.StatusUnauthorized, http.StatusForbidden:
			de.status, de.message, de.detail = http.StatusForbidden, "Authorization failure", e.Message
		case http.StatusUnprocessableEntity, http.StatusNotImplemented:
			de.status = http.StatusBadRequest
		case http.StatusConflict:
			de.status = http.StatusTooManyRequests
		case http.StatusRequestEntityTooLarge:
			de.message, de.detail = "Request Entity Too Large", e.Message
		}
	}
	if de.status == http.StatusTooManyRequests || de.status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "1")
	}
	body := map[string]string{"message": de.message}
	if de.detail != "" {
		body["detail"] = de.detail
	}
	writeJSON(w, de.status, body)
}

// deeplParams are the parameters of a DeepL request, as DeepL reads them:
// the query, then the body (form, multipart or JSON), whose values win.
type deeplParams map[string][]string

func (p deeplParams) get(name string) string {
	if v := p[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func (p deeplParams) has(name string) bool { return len(p[name]) > 0 }

// list returns a comma-separated parameter (DeepL's tag lists) as a set of
// lower-case names.
func (p deeplParams) list(name string) map[string]bool {
	set := map[string]bool{}
	for _, v := range p[name] {
		for _, t := range strings.Split(v, ",") {
			if t = strings.ToLower(strings.TrimSpace(t)); t != "" {
				set[t] = true
			}
		}
	}
	return set
}

// maxMultipartMemory is how much of a multipart body is kept in memory;
// the rest of an upload goes to a temporary file.
const maxMultipartMemory = 8 << 20

// readDeepLParams reads the parameters of r. A multipart body's files stay
// in r.MultipartForm.
func readDeepLParams(r *http.Request) (deeplParams, error) {
	p := deeplParams{}
	for k, v := range r.URL.Query() {
		p[k] = v
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var body map[string][]string
	switch ct {
	case "application/json":
		data, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		if body, err = jsonParams(data); err != nil {
			return nil, err
		}
	case "multipart/form-data":
		if err := r.ParseMultipartForm(maxMultipartMemory); err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, err
			}
			return nil, &deeplError{status: http.StatusBadRequest, message: "Bad request", detail: "the multipart body cannot be read: " + err.Error()}
		}
		body = r.MultipartForm.Value
	case "application/x-www-form-urlencoded", "":
		if r.Method == http.MethodPost || r.Method == http.MethodPut {
			if err := r.ParseForm(); err != nil {
				var mbe *http.MaxBytesError
				if errors.As(err, &mbe) {
					return nil, err
				}
				return nil, &deeplError{status: http.StatusBadRequest, message: "Bad request", detail: "the form body cannot be read: " + err.Error()}
			}
			body = r.PostForm
		}
	default:
		return nil, &deeplError{status: http.StatusUnsupportedMediaType, message: "Unsupported Media Type",
			detail: "send the parameters as a form (application/x-www-form-urlencoded or multipart/form-data) or as JSON"}
	}
	for k, v := range body {
		p[k] = v
	}
	for k, vs := range p {
		for _, v := range vs {
			if !utf8.ValidString(v) {
				return nil, &deeplError{status: http.StatusBadRequest, message: "Bad request", detail: fmt.Sprintf("%s is not valid UTF-8", k)}
			}
		}
	}
	return p, nil
}

// jsonParams reads a JSON object of parameters: strings, numbers and
// booleans (as "1" and "0"), and arrays of them (text).
func jsonParams(data []byte) (map[string][]string, error) {
	bad := func(detail string) error {
		return &deeplError{status: http.StatusBadRequest, message: "Bad request", detail: detail}
	}
	if !utf8.Valid(data) {
		return nil, bad(fmt.Sprintf("the body is not valid UTF-8 (at byte %d)", invalidAt(data)))
	}
	var obj map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&obj); err != nil {
		return nil, bad("the body is not a JSON object: " + err.Error())
	}
	out := map[string][]string{}
	for k, raw := range obj {
		var v any
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		if err := d.Decode(&v); err != nil {
			return nil, bad(fmt.Sprintf("%s: %v", k, err))
		}
		items, isArray := v.([]any)
		if !isArray {
			items = []any{v}
		}
		for _, it := range items {
			switch x := it.(type) {
			case nil:
			case string:
				out[k] = append(out[k], x)
			case json.Number:
				out[k] = append(out[k], x.String())
			case bool:
				out[k] = append(out[k], map[bool]string{true: "1", false: "0"}[x])
			default:
				return nil, bad(fmt.Sprintf("%s: give a string, a number, a boolean or an array of them", k))
			}
		}
	}
	return out, nil
}

// flag reads a DeepL boolean parameter ("0", "1", "true", "false").
func (p deeplParams) flag(name string, def bool) (bool, error) {
	switch strings.ToLower(p.get(name)) {
	case "":
		return def, nil
	case "1", "true":
		return true, nil
	case "0", "false":
		return false, nil
	}
	return false, deeplNotSupported(name, "use 0 or 1")
}

// deeplLangs are the language pairs the server's model translates, as
// kgmem tags: source → targets. A model that lists its pairs gives them; a
// model that takes any pair is offered for the pairs the memory holds, so
// that no language is claimed that nothing behind the server knows.
type deeplLangs map[string][]string

func (d *deepl) langs(ctx context.Context) (deeplLangs, error) {
	desc, err := d.s.mem.Models().Describe(ctx, d.s.opts.Model)
	if err != nil {
		return nil, err
	}
	out := deeplLangs{}
	if desc.AnyPair {
		for src, tgts := range d.s.mem.Index().Stats().Pairs {
			out[src] = append(out[src], tgts...)
		}
	} else {
		for _, p := range desc.Pairs {
			out[p.Source] = append(out[p.Source], p.Target)
		}
	}
	for src, tgts := range out {
		sort.Strings(tgts)
		out[src] = dedupeSorted(tgts)
	}
	return out, nil
}

func dedupeSorted(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// sources returns the source tags, sorted.
func (l deeplLangs) sources() []string {
	out := make([]string, 0, len(l))
	for s := range l {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// targets returns every target tag, sorted.
func (l deeplLangs) targets() []string {
	var out []string
	for _, t := range l {
		out = append(out, t...)
	}
	sort.Strings(out)
	return dedupeSorted(out)
}

// deeplSourceCode is the DeepL code of a source language: its base
// language, upper case ("EN").
func deeplSourceCode(tag string) string { return strings.ToUpper(graph.BaseLang(tag)) }

// deeplTargetCodes are the DeepL codes a target tag answers to. English
// and Portuguese are only targets with their variant in DeepL (its clients
// refuse "EN" and "PT"), so a memory of "en" answers EN-GB and EN-US;
// any other tag is its own code in upper case ("ES", "PT-BR", "ZH-HANS").
func deeplTargetCodes(tag string) []string {
	switch strings.ToLower(tag) {
	case "en":
		return []string{"EN-GB", "EN-US"}
	case "pt":
		return []string{"PT-BR", "PT-PT"}
	}
	return []string{strings.ToUpper(tag)}
}

// source resolves the source_lang of a request to a source tag.
func (l deeplLangs) source(code string) (string, error) {
	if code == "" {
		return "", deeplMissing("source_lang", "kgmem does not detect the language of a text; give source_lang ("+strings.Join(l.sourceCodes(), ", ")+")")
	}
	tag, err := corpora.ParseLang(code)
	if err == nil {
		base, _ := tag.Base()
		for _, s := range l.sources() {
			if graph.BaseLang(s) == base.String() {
				return s, nil
			}
		}
	}
	return "", deeplNotSupported("source_lang", "this server translates from %s", codesOrNone(l.sourceCodes()))
}

// target resolves the target_lang of a request to a target tag of the
// source: one whose DeepL code it is, or, for a bare base language ("ES",
// "EN" as DeepL still takes it), the first target of that language.
func (l deeplLangs) target(source, code string) (string, error) {
	if code == "" {
		return "", deeplMissing("target_lang", "give target_lang ("+strings.Join(l.targetCodes(source), ", ")+")")
	}
	upper := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(code), "_", "-"))
	for _, t := range l[source] {
		for _, c := range deeplTargetCodes(t) {
			if c == upper {
				return t, nil
			}
		}
	}
	if !strings.Contains(upper, "-") {
		for _, t := range l[source] {
			if strings.EqualFold(graph.BaseLang(t), upper) {
				return t, nil
			}
		}
	}
	return "", deeplNotSupported("target_lang", "this server translates %s into %s", deeplSourceCode(source), codesOrNone(l.targetCodes(source)))
}

func (l deeplLangs) sourceCodes() []string {
	var out []string
	for _, s := range l.sources() {
		out = append(out, deeplSourceCode(s))
	}
	return dedupeSorted(out)
}

// targetCodes returns the DeepL codes of the targets of source, or of
// every target when source is "".
func (l deeplLangs) targetCodes(source string) []string {
	tags := l[source]
	if source == "" {
		tags = l.targets()
	}
	var out []string
	for _, t := range tags {
		out = append(out, deeplTargetCodes(t)...)
	}
	sort.Strings(out)
	return dedupeSorted(out)
}

func codesOrNone(codes []string) string {
	if len(codes) == 0 {
		return "no language (the memory holds no language pair the model translates)"
	}
	return strings.Join(codes, ", ")
}

// deeplLanguage is a language as /v2/languages lists it.
type deeplLanguage struct {
	Language string `json:"language"`
	Name     string `json:"name"`
	// SupportsFormality is only given for targets: whether the server's
	// model follows a formality (a register) in the language.
	SupportsFormality *bool `json:"supports_formality,omitempty"`
}

func (d *deepl) languages(w http.ResponseWriter, r *http.Request) error {
	p, err := readDeepLParams(r)
	if err != nil {
		return err
	}
	l, err := d.langs(r.Context())
	if err != nil {
		return err
	}
	var codes []string
	target := false
	switch p.get("type") {
	case "", "source":
		codes = l.sourceCodes()
	case "target":
		codes, target = l.targetCodes(""), true
	default:
		return &deeplError{status: http.StatusBadRequest, message: "Parameter 'type' is invalid. 'source' and 'target' are valid values."}
	}
	formal, err := d.registerLangs(r.Context())
	if err != nil {
		return err
	}
	names := display.English.Tags()
	out := []deeplLanguage{}
	for _, c := range codes {
		lang := deeplLanguage{Language: c, Name: c}
		if tag, err := language.Parse(c); err == nil {
			if n := names.Name(tag); n != "" {
				lang.Name = n
			}
		}
		if target {
			lang.SupportsFormality = new(bool)
			*lang.SupportsFormality = formal[deeplBase(c)]
		}
		out = append(out, lang)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (d *deepl) usage(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]int64{
		"character_count": d.s.usage.of(callerOf(r).name),
		"character_limit": DeepLCharacterLimit,
	})
	return nil
}

// glossaryPairs lists the base-language pairs a glossary may have: those
// the server translates.
func (d *deepl) glossaryPairs(w http.ResponseWriter, r *http.Request) error {
	l, err := d.langs(r.Context())
	if err != nil {
		return err
	}
	type pair struct {
		Source string `json:"source_lang"`
		Target string `json:"target_lang"`
	}
	out := []pair{}
	seen := map[pair]bool{}
	for _, s := range l.sources() {
		for _, t := range l[s] {
			p := pair{graph.BaseLang(s), graph.BaseLang(t)}
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"supported_languages": out})
	return nil
}

// deeplChars counts the characters DeepL bills for a text.
func deeplChars(s string) int { return utf8.RuneCountInString(s) }
