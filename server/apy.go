package server

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora/formats"
	"github.com/kgmem/kgmem/corpora/plaintext"
	"github.com/kgmem/kgmem/memory"
)

// Apertium APy's API (GET or POST /translate?langpair=…&q=…, /listPairs,
// /list, /translateDoc) as OmegaT's and Weblate's Apertium connectors call
// it, served by kgmem's memory and the server's model. Language codes are
// Apertium's (ISO 639-3, eng, spa, with _ before a variant: eng_US), and
// ISO 639-1 (en|es) is read too, as APy reads it.

// apyRoutes registers the routes of Apertium APy, and POST /translate,
// which APy and LibreTranslate share (a request with langpair is APy's).
func (s *Server) apyRoutes() {
	s.route("GET /translate", RoleNone, s.opts.MaxBody, s.apy(s.apyTranslate))
	s.route("POST /translate", RoleNone, s.opts.MaxBody, s.translateDispatch)
	for _, m := range []string{"GET", "POST"} {
		s.route(m+" /listPairs", RoleNone, s.opts.MaxBody, s.apy(s.apyList))
		s.route(m+" /list", RoleNone, s.opts.MaxBody, s.apy(s.apyList))
	}
	s.route("POST /translateDoc", RoleNone, s.opts.MaxDocument, s.apy(s.apyTranslateDoc))
}

// translateDispatch serves POST /translate: APy's when the request has a
// langpair (in the query or the form), LibreTranslate's otherwise.
func (s *Server) translateDispatch(w http.ResponseWriter, r *http.Request) error {
	if r.URL.Query().Has("langpair") {
		return s.apy(s.apyTranslate)(w, r)
	}
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/json" {
		if err := parseForm(r); err != nil {
			return s.libre(func(http.ResponseWriter, *http.Request) error { return err })(w, r)
		}
		if r.Form.Has("langpair") {
			return s.apy(s.apyTranslate)(w, r)
		}
	}
	return s.libre(s.libreTranslate)(w, r)
}

// apyError is APy's error answer.
type apyError struct {
	Status      string `json:"status"` // "error"
	Code        int    `json:"code"`
	Message     string `json:"message"` // the status text
	Explanation string `json:"explanation"`
}

// apyResponse is APy's answer.
type apyResponse struct {
	ResponseData    any     `json:"responseData"`
	ResponseDetails *string `json:"responseDetails"` // always null
	ResponseStatus  int     `json:"responseStatus"`
}

// jsonpCallback is what a JSONP callback may be: a JavaScript name or a
// dotted path of names, nothing that could be script.
var jsonpCallback = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z_$][A-Za-z0-9_$]*)*$`)

// apy adapts a handler to APy's errors, and to its JSONP callback.
func (s *Server) apy(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if cb := r.URL.Query().Get("callback"); cb != "" && !jsonpCallback.MatchString(cb) {
			writeAPy(w, r, http.StatusBadRequest, apyErrorOf(http.StatusBadRequest, "callback is not a JavaScript function name"))
			return nil
		}
		if err := h(w, r); err != nil {
			e := classify(err)
			if e.Status == http.StatusServiceUnavailable {
				w.Header().Set("Retry-After", "1")
			}
			writeAPy(w, r, e.Status, apyErrorOf(e.Status, e.Message))
		}
		return nil
	}
}

func apyErrorOf(status int, explanation string) apyError {
	return apyError{Status: "error", Code: status, Message: http.StatusText(status), Explanation: explanation}
}

// apyOK writes a successful APy answer.
func apyOK(w http.ResponseWriter, r *http.Request, data any) {
	writeAPy(w, r, http.StatusOK, apyResponse{ResponseData: data, ResponseStatus: http.StatusOK})
}

// writeAPy writes an APy answer as JSON, or as JSONP when the request
// names a callback (checked by apy).
func writeAPy(w http.ResponseWriter, r *http.Request, status int, v any) {
	cb := r.URL.Query().Get("callback")
	if cb == "" || !jsonpCallback.MatchString(cb) {
		writeJSON(w, status, v)
		return
	}
	data, _ := json.Marshal(v) // escapes <, > and &: safe inside a script
	w.Header().Set("Content-Type", "application/javascript; charset=utf-8")
	w.WriteHeader(status)
	io.WriteString(w, cb+"(")
	w.Write(data)
	io.WriteString(w, ")")
}

// apyMissing is the error of a missing argument, as APy words it.
func apyMissing(name string) error { return badRequest("Missing argument %s", name) }

// apyArgs reads the arguments of an APy request: the query and the form.
func apyArgs(r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	for k, vs := range r.Form {
		for _, v := range vs {
			if !utf8.ValidString(v) {
				return badRequest("%s is not valid UTF-8", k)
			}
		}
	}
	return nil
}

// apyTranslate is APy's /translate.
func (s *Server) apyTranslate(w http.ResponseWriter, r *http.Request) error {
	if err := apyArgs(r); err != nil {
		return err
	}
	r, err := s.compatCaller(r, RoleTranslate, r.Form.Get("key"))
	if err != nil {
		return err
	}
	if !r.Form.Has("langpair") {
		return apyMissing("langpair")
	}
	if !r.Form.Has("q") {
		return apyMissing("q")
	}
	o, err := s.apyOptions(r)
	if err != nil {
		return err
	}
	html, err := apyFormat(r)
	if err != nil {
		return err
	}
	q := r.Form.Get("q")
	b := newTextBatch(language.Make(o.SourceLang), html)
	b.add(q)
	if n := len(b.segments()); n > s.opts.MaxSegments {
		return apiError(http.StatusRequestEntityTooLarge, CodeTooLarge,
			fmt.Sprintf("q holds %d sentences; this server takes at most %d at once: split it", n, s.opts.MaxSegments))
	}
	rs, err := s.translate(r, o, b.segments())
	if err != nil {
		return err
	}
	s.usage.add(callerOf(r).name, utf8.RuneCountInString(q))
	apyOK(w, r, map[string]string{"translatedText": b.render(0, rs)})
	return nil
}

// apyOptions reads langpair and markUnknown.
func (s *Server) apyOptions(r *http.Request) (memory.TranslateOptions, error) {
	o := memory.TranslateOptions{Model: s.opts.Model}
	l1, l2, ok := strings.Cut(r.Form.Get("langpair"), "|")
	if !ok || strings.Contains(l2, "|") {
		return o, badRequest("That pair is invalid, use e.g. eng|spa")
	}
	src, ok1 := apyTag(l1)
	tgt, ok2 := apyTag(l2)
	pairs, err := s.compatPairs(r.Context())
	if err != nil {
		return o, err
	}
	if _, ok := findPair(pairs, src, tgt); !ok || !ok1 || !ok2 {
		return o, badRequest("That pair is not installed")
	}
	switch strings.ToLower(r.Form.Get("markUnknown")) {
	case "yes", "true", "1":
		return o, badRequest("markUnknown is not supported: this server (kgmem) translates with its memory and does not mark unknown words; send markUnknown=no")
	}
	o.SourceLang, o.TargetLang = src, tgt
	return o, nil
}

// apyFormat reads format (or deformat and reformat): APy's default is
// HTML; txt is plain text. Other formats are not supported.
func apyFormat(r *http.Request) (html bool, err error) {
	f := r.Form.Get("format")
	if f == "" {
		f = strings.TrimPrefix(r.Form.Get("deformat"), "apertium-des")
	}
	switch f {
	case "", "html", "html-noent":
		return true, nil
	case "txt":
		return false, nil
	}
	return false, badRequest("format %s is not supported: this server (kgmem) translates txt and html", f)
}

// apyPair is an entry of /listPairs.
type apyPair struct {
	SourceLanguage string `json:"sourceLanguage"`
	TargetLanguage string `json:"targetLanguage"`
}

// apyList is APy's /list and /listPairs: the pairs the server offers, in
// Apertium's codes (and ISO 639-1 too with include_deprecated_codes). The
// analysers, generators, taggers and spellers APy can list, kgmem has
// none of.
func (s *Server) apyList(w http.ResponseWriter, r *http.Request) error {
	if err := apyArgs(r); err != nil {
		return err
	}
	switch q := r.Form.Get("q"); q {
	case "", "pairs":
	case "analysers", "analyzers", "generators", "taggers", "disambiguators", "spellers":
		writeAPy(w, r, http.StatusOK, map[string]string{})
		return nil
	default:
		return badRequest("Expecting q argument to be one of analysers, generators, spellers, disambiguators, or pairs")
	}
	pairs, err := s.compatPairs(r.Context())
	if err != nil {
		return err
	}
	src := ""
	if r.Form.Has("src") {
		var ok bool
		if src, ok = apyTag(r.Form.Get("src")); !ok {
			src = "-" // no language: no pairs
		}
	}
	deprecated := r.Form.Has("include_deprecated_codes")
	out := []apyPair{}
	for _, p := range pairs {
		if src != "" && p.source != src {
			continue
		}
		out = append(out, apyPair{SourceLanguage: apyCode(p.source), TargetLanguage: apyCode(p.target)})
		if deprecated {
			out = append(out, apyPair{SourceLanguage: apyCode2(p.source), TargetLanguage: apyCode2(p.target)})
		}
	}
	apyOK(w, r, out)
	return nil
}

// apyCode writes a BCP-47 tag as Apertium does: the ISO 639-3 code, then
// _ and the rest of the tag ("en-US" → "eng_US").
func apyCode(tag string) string {
	t := language.Make(tag)
	b, _ := t.Base()
	code := b.ISO3()
	if rest := restOf(tag); rest != "" {
		code += "_" + rest
	}
	return code
}

// apyCode2 writes a tag as APy's deprecated codes: ISO 639-1 where the
// language has one ("en_US").
func apyCode2(tag string) string {
	code := baseOf(tag)
	if rest := restOf(tag); rest != "" {
		code += "_" + rest
	}
	return code
}

// restOf returns what follows the language subtag of a tag, with _ between
// subtags.
func restOf(tag string) string {
	_, rest, _ := strings.Cut(tag, "-")
	return strings.ReplaceAll(rest, "-", "_")
}

// apyTag reads an Apertium language code (eng, eng_US, cat_valencia) or an
// ISO 639-1 one (en, pt_BR) as BCP-47.
func apyTag(code string) (string, bool) {
	base, rest, _ := strings.Cut(code, "_")
	b, err := language.ParseBase(base)
	if err != nil {
		return "", false
	}
	s := b.String()
	if rest != "" {
		s += "-" + strings.ReplaceAll(rest, "_", "-")
	}
	t, err := language.Parse(s)
	if err != nil {
		return "", false
	}
	return t.String(), true
}

// apyDocFormats are the formats /translateDoc takes.
var apyDocFormats = map[formats.Format]bool{formats.Text: true, formats.PO: true, formats.XLIFF: true,
	formats.TMX: true, formats.TSV: true, formats.CSV: true}

// apyTranslateDoc is APy's /translateDoc: the uploaded file (plain text,
// or a format kgmem reads and writes: PO, XLIFF, TMX, TSV, CSV) comes back
// translated, as a document job translates it.
func (s *Server) apyTranslateDoc(w http.ResponseWriter, r *http.Request) error {
	if err := apyArgs(r); err != nil {
		return err
	}
	r, err := s.compatCaller(r, RoleTranslate, r.Form.Get("key"))
	if err != nil {
		return err
	}
	if !r.Form.Has("langpair") {
		return apyMissing("langpair")
	}
	o, err := s.apyOptions(r)
	if err != nil {
		return err
	}
	if r.MultipartForm == nil || len(r.MultipartForm.File["file"]) == 0 {
		return apyMissing("file")
	}
	fh := r.MultipartForm.File["file"][0]
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	head, _ := br.Peek(4096)
	name := filepath.Base(strings.ReplaceAll(fh.Filename, "\\", "/"))
	if name == "" || name == "." || name == "/" || strings.HasPrefix(name, ".") {
		name = "document"
	}
	format, err := formats.Detect(name, head)
	if err != nil && formats.FromName(name) == formats.Auto && plaintext.Sniff(head) {
		format, err = formats.Text, nil // APy's clients send text without a name that says so
	}
	if err != nil || !apyDocFormats[format] {
		return badRequest("Invalid file type: this server (kgmem) translates plain text, PO, XLIFF, TMX, TSV and CSV files")
	}
	if formats.FromName(name) != format {
		name += map[formats.Format]string{formats.Text: ".txt", formats.PO: ".po", formats.XLIFF: ".xlf",
			formats.TMX: ".tmx", formats.TSV: ".tsv", formats.CSV: ".csv"}[format]
	}
	job, err := s.runDocument(r, DocumentOptions{Name: name, Options: o,
		SourceLang: language.Make(o.SourceLang), TargetLang: language.Make(o.TargetLang)}, br)
	if err != nil {
		return err
	}
	j, err := s.jobs.get(job.ID, callerOf(r))
	if err != nil {
		return err
	}
	j.mu.Lock()
	file := j.file
	j.mu.Unlock()
	out, err := os.Open(file)
	if err != nil {
		return err
	}
	defer out.Close()
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": filepath.Base(file)}))
	io.Copy(w, out) // the answer has begun: a client gone away is not an error to write
	return nil
}
