package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/retrieval"
	"github.com/kgmem/kgmem/translate"
)

// LibreTranslate's API (POST /translate, GET /languages, POST
// /translate_file, POST /suggest), served by kgmem's memory and the
// server's model. What kgmem does not have gets LibreTranslate's own
// error: "auto" as the source language and /detect (kgmem has no language
// identifier), files in formats kgmem does not read.

// libreRoutes registers the routes of LibreTranslate. POST /translate is
// shared with Apertium APy and registered by apyRoutes.
func (s *Server) libreRoutes() {
	s.route("GET /languages", RoleNone, s.opts.MaxBody, s.libre(s.libreLanguages))
	s.route("POST /translate_file", RoleNone, s.opts.MaxDocument, s.libre(s.libreTranslateFile))
	s.route("GET /download_file/{name}", RoleNone, s.opts.MaxBody, s.libre(s.libreDownload))
	s.route("POST /suggest", RoleNone, s.opts.MaxBody, s.libre(s.libreSuggest))
	s.route("POST /detect", RoleNone, s.opts.MaxBody, s.libre(s.libreDetect))
}

// libreError is LibreTranslate's error answer.
type libreError struct {
	Error string `json:"error"`
}

// libre adapts a handler to LibreTranslate's errors: {"error": message}
// with the status.
func (s *Server) libre(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := h(w, r); err != nil {
			e := classify(err)
			if e.Status == http.StatusServiceUnavailable {
				w.Header().Set("Retry-After", "1")
			}
			writeJSON(w, e.Status, libreError{Error: e.Message})
		}
		return nil
	}
}

// libreLanguage is an entry of GET /languages.
type libreLanguage struct {
	Code    string   `json:"code"`
	Name    string   `json:"name"`
	Targets []string `json:"targets"`
}

// libreLanguages lists every language of the pairs the server offers,
// with the languages each translates into.
func (s *Server) libreLanguages(w http.ResponseWriter, r *http.Request) error {
	pairs, err := s.compatPairs(r.Context())
	if err != nil {
		return err
	}
	byCode := map[string]*libreLanguage{}
	var out []*libreLanguage
	lang := func(code string) *libreLanguage {
		l := byCode[code]
		if l == nil {
			l = &libreLanguage{Code: code, Name: languageName(code), Targets: []string{}}
			byCode[code] = l
			out = append(out, l)
		}
		return l
	}
	for _, p := range pairs {
		l := lang(p.source)
		l.Targets = append(l.Targets, p.target)
		lang(p.target)
	}
	list := make([]libreLanguage, len(out))
	for i, l := range out {
		list[i] = *l
	}
	writeJSON(w, http.StatusOK, list)
	return nil
}

// libreRequest is a POST /translate (or /suggest) of LibreTranslate, from
// JSON or a form.
type libreRequest struct {
	q              []string
	batch          bool // q is an array: so is translatedText
	source, target string
	format         string
	key            string
	alternatives   int
	suggestion     string // s of /suggest
}

// libreJSON is the JSON body LibreTranslate reads. Other fields are
// ignored, as LibreTranslate ignores them.
type libreJSON struct {
	Q            json.RawMessage `json:"q"`
	S            string          `json:"s"`
	Source       string          `json:"source"`
	Target       string          `json:"target"`
	Format       string          `json:"format"`
	APIKey       string          `json:"api_key"`
	APIKeyCamel  string          `json:"apiKey"` // what the libretranslate npm client sends
	Alternatives json.RawMessage `json:"alternatives"`
}

// parseLibreRequest reads a LibreTranslate request body: JSON, or a form
// (URL-encoded or multipart), whose values may also be in the query.
func parseLibreRequest(r *http.Request) (libreRequest, error) {
	var req libreRequest
	if data, ok, err := jsonBody(r); err != nil {
		return req, err
	} else if ok {
		if !utf8.Valid(data) {
			return req, badRequest("Invalid request: the body is not valid UTF-8 (at byte %d)", invalidAt(data))
		}
		var j libreJSON
		if err := json.Unmarshal(data, &j); err != nil {
			return req, badRequest("Invalid JSON format: %v", err)
		}
		req.source, req.target, req.format, req.suggestion = j.Source, j.Target, j.Format, j.S
		req.key = j.APIKey
		if req.key == "" {
			req.key = j.APIKeyCamel
		}
		if err := req.readQ(j.Q); err != nil {
			return req, err
		}
		if req.alternatives, err = alternativesOf(j.Alternatives); err != nil {
			return req, err
		}
	} else {
		if err := parseForm(r); err != nil {
			return req, err
		}
		f := r.Form
		if q := f.Get("q"); q != "" {
			// As LibreTranslate does: form text gets Unix line ends.
			req.q = []string{strings.ReplaceAll(strings.ReplaceAll(q, "\r\n", "\n"), "\r", "\n")}
		}
		req.source, req.target, req.format, req.key, req.suggestion = f.Get("source"), f.Get("target"), f.Get("format"), f.Get("api_key"), f.Get("s")
		var err error
		if req.alternatives, err = alternativesOf(json.RawMessage(strconv.Quote(f.Get("alternatives")))); err != nil {
			return req, err
		}
	}
	if req.key == "" {
		req.key = r.URL.Query().Get("api_key")
	}
	for i, q := range req.q {
		if !utf8.ValidString(q) {
			return req, badRequest("Invalid request: q[%d] is not valid UTF-8", i)
		}
	}
	return req, nil
}

// jsonBody returns the body of a request that sends JSON: one that says
// so, or one that says nothing (or text/plain) and starts with {.
func jsonBody(r *http.Request) ([]byte, bool, error) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "application/json" && ct != "" && ct != "text/plain" {
		return nil, false, nil
	}
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, false, err
	}
	if ct != "application/json" && !bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n"), []byte("{")) {
		r.Body = io.NopCloser(bytes.NewReader(data))
		return nil, false, nil
	}
	return data, true, nil
}

// parseForm parses a URL-encoded or multipart form body (and the query).
func parseForm(r *http.Request) error {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var err error
	if ct == "multipart/form-data" {
		err = r.ParseMultipartForm(8 << 20)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		if _, ok := err.(*http.MaxBytesError); ok {
			return err
		}
		return badRequest("Invalid request: the form cannot be read: %v", err)
	}
	return nil
}

// readQ reads q: a string, or an array of strings.
func (req *libreRequest) readQ(raw json.RawMessage) error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var one string
	if err := json.Unmarshal(raw, &one); err == nil {
		if one != "" {
			req.q = []string{one}
		}
		return nil
	}
	var many []string
	if err := json.Unmarshal(raw, &many); err != nil {
		return badRequest("Invalid request: q is a string or an array of strings")
	}
	req.q, req.batch = many, true
	return nil
}

// maxAlternatives bounds the alternatives asked for.
const maxAlternatives = 10

// alternativesOf reads alternatives: a number, or a string of digits as a
// form sends it; "" or absent is 0.
func alternativesOf(raw json.RawMessage) (int, error) {
	if len(raw) == 0 || string(raw) == "null" || string(raw) == `""` {
		return 0, nil
	}
	var n int
	if err := json.Unmarshal(raw, &n); err != nil {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return 0, badRequest("Invalid request: alternatives is a whole number")
		}
		if n, err = strconv.Atoi(s); err != nil {
			return 0, badRequest("Invalid request: alternatives is a whole number")
		}
	}
	if n < 0 || n > maxAlternatives {
		return 0, badRequest("Invalid request: alternatives is from 0 to %d", maxAlternatives)
	}
	return n, nil
}

// libreTranslateResponse is the answer of POST /translate: translatedText
// is a string, or an array for an array q; alternatives only when asked
// for.
type libreTranslateResponse struct {
	TranslatedText any `json:"translatedText"`
	Alternatives   any `json:"alternatives,omitempty"`
}

// libreTranslate is LibreTranslate's POST /translate.
func (s *Server) libreTranslate(w http.ResponseWriter, r *http.Request) error {
	req, err := parseLibreRequest(r)
	if err != nil {
		return err
	}
	if r, err = s.compatCaller(r, RoleTranslate, req.key); err != nil {
		return err
	}
	if len(req.q) == 0 {
		return badRequest("Invalid request: missing q parameter")
	}
	if req.source == "" {
		return badRequest("Invalid request: missing source parameter")
	}
	if req.target == "" {
		return badRequest("Invalid request: missing target parameter")
	}
	if req.batch && len(req.q) > s.opts.MaxSegments {
		return badRequest("Invalid request: request (%d) exceeds text limit (%d)", len(req.q), s.opts.MaxSegments)
	}
	o, err := s.libreOptions(r, req.source, req.target)
	if err != nil {
		return err
	}
	var html bool
	switch req.format {
	case "", "text":
	case "html":
		html = true
	default:
		return badRequest("%s format is not supported", req.format)
	}
	b := newTextBatch(language.Make(o.SourceLang), html)
	chars := 0
	for _, q := range req.q {
		b.add(q)
		chars += utf8.RuneCountInString(q)
	}
	if n := len(b.segments()); n > s.opts.MaxSegments {
		return badRequest("Invalid request: request (%d sentences) exceeds text limit (%d)", n, s.opts.MaxSegments)
	}
	rs, err := s.translate(r, o, b.segments())
	if err != nil {
		return err
	}
	s.usage.add(callerOf(r).name, chars)
	texts := make([]string, len(req.q))
	for i := range req.q {
		texts[i] = b.render(i, rs)
	}
	var resp libreTranslateResponse
	if req.batch {
		resp.TranslatedText = texts
	} else {
		resp.TranslatedText = texts[0]
	}
	if req.alternatives > 0 {
		alts := make([][]string, len(req.q))
		for i := range req.q {
			if alts[i], err = s.libreAlternatives(r, o, b, i, rs, texts[i], req.alternatives); err != nil {
				return err
			}
		}
		if req.batch {
			resp.Alternatives = alts
		} else {
			resp.Alternatives = alts[0]
		}
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

// libreOptions checks a source and a target language of LibreTranslate
// against the pairs the server offers, and returns how to translate.
func (s *Server) libreOptions(r *http.Request, source, target string) (memory.TranslateOptions, error) {
	o := memory.TranslateOptions{Model: s.opts.Model}
	if source == "auto" {
		return o, badRequest("auto is not supported: this server (kgmem) does not detect languages; name the source language (GET /languages lists them)")
	}
	src, ok := parseTag(source)
	if !ok {
		return o, badRequest("%s is not supported", source)
	}
	tgt, ok := parseTag(target)
	if !ok {
		return o, badRequest("%s is not supported", target)
	}
	pairs, err := s.compatPairs(r.Context())
	if err != nil {
		return o, err
	}
	if _, ok := findPair(pairs, src, tgt); !ok {
		return o, badRequest("%s (%s) is not available as a target language from %s (%s)", languageName(tgt), target, languageName(src), source)
	}
	o.SourceLang, o.TargetLang = src, tgt
	return o, nil
}

// libreAlternatives returns up to n other translations of text i: the
// targets of the memory's closest matches, when the text is one sentence
// of plain text (a match is a whole sentence; it cannot stand for a part
// of a text, nor carry markup).
func (s *Server) libreAlternatives(r *http.Request, o memory.TranslateOptions, b *textBatch, i int, rs []translate.Result, chosen string, n int) ([]string, error) {
	alts := []string{}
	segs := b.segmentsOf(i)
	if b.html || len(segs) != 1 {
		return alts, nil
	}
	seg := b.segments()[segs[0]]
	ms, err := s.mem.SearchTM(r.Context(), retrieval.Query{Text: seg.Source.Plain(), SourceLang: o.SourceLang, TargetLang: o.TargetLang,
		Min: memory.DefaultMinMatch(), Limit: n + 1})
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{chosen: true, rs[segs[0]].Translation: true}
	for _, m := range ms {
		if len(alts) == n {
			break
		}
		if !seen[m.Target] {
			seen[m.Target] = true
			alts = append(alts, m.Target)
		}
	}
	return alts, nil
}

// libreFileFormats are the extensions POST /translate_file takes: the
// formats kgmem reads and writes back translated.
var libreFileFormats = setOf(".txt", ".po", ".pot", ".xlf", ".xliff", ".tmx", ".tsv", ".csv")

// libreFileResponse is the answer of POST /translate_file.
type libreFileResponse struct {
	TranslatedFileURL string `json:"translatedFileUrl"`
}

// libreTranslateFile is LibreTranslate's POST /translate_file: the file is
// translated as a document job (the memory, the model, the format's
// rules), and the answer, once it is done, is where to download it.
func (s *Server) libreTranslateFile(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	r, err := s.compatCaller(r, RoleTranslate, r.FormValue("api_key"))
	if err != nil {
		return err
	}
	if r.MultipartForm == nil || len(r.MultipartForm.File["file"]) == 0 {
		return badRequest("Invalid request: missing file parameter")
	}
	source, target := r.FormValue("source"), r.FormValue("target")
	if source == "" {
		return badRequest("Invalid request: missing source parameter")
	}
	if target == "" {
		return badRequest("Invalid request: missing target parameter")
	}
	fh := r.MultipartForm.File["file"][0]
	if fh.Filename == "" {
		return badRequest("Invalid request: empty file")
	}
	name, err := uploadName(fh.Filename)
	if err != nil || !libreFileFormats[strings.ToLower(filepath.Ext(name))] {
		return badRequest("Invalid request: file format not supported (this server translates .txt, .po, .pot, .xlf, .xliff, .tmx, .tsv and .csv files)")
	}
	o, err := s.libreOptions(r, source, target)
	if err != nil {
		return err
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	job, err := s.runDocument(r, DocumentOptions{Name: name, Options: o,
		SourceLang: language.Make(o.SourceLang), TargetLang: language.Make(o.TargetLang)}, f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, libreFileResponse{TranslatedFileURL: externalURL(r, "/download_file/"+job.ID+"."+name)})
	return nil
}

// runDocument translates a document as a job and waits for it; a client
// that goes away cancels it.
func (s *Server) runDocument(r *http.Request, d DocumentOptions, body io.Reader) (Job, error) {
	job, err := s.startDocument(r, d, body)
	if err != nil {
		return job, err
	}
	j, err := s.jobs.get(job.ID, callerOf(r))
	if err != nil {
		return job, err
	}
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		job = j.snapshot()
		switch job.Status {
		case JobDone:
			return job, nil
		case JobFailed, JobCancelled:
			if job.Error != nil {
				return job, job.Error
			}
			return job, fmt.Errorf("the translation of %s %s", d.Name, job.Status)
		}
		select {
		case <-r.Context().Done():
			j.cancel()
			return job, r.Context().Err()
		case <-t.C:
		}
	}
}

// externalURL is the absolute URL of path on the server the request came
// to.
func externalURL(r *http.Request, path string) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := r.Header.Get("X-Forwarded-Proto"); p == "http" || p == "https" {
		scheme = p
	}
	return scheme + "://" + r.Host + path
}

// libreDownload is LibreTranslate's GET /download_file/{name}: name is the
// job's ID and the file's name, as translatedFileUrl gave them. As in
// LibreTranslate, the URL is the capability: the job ID is 72 random
// bits, and the file is kept as long as the job (a day).
func (s *Server) libreDownload(w http.ResponseWriter, r *http.Request) error {
	id, name, ok := strings.Cut(r.PathValue("name"), ".")
	notFound := apiError(http.StatusNotFound, CodeNotFound, "no translated file of that name (translated files are kept for a day)")
	if !ok {
		return notFound
	}
	s.jobs.mu.Lock()
	j := s.jobs.byID[id]
	s.jobs.mu.Unlock()
	if j == nil {
		return notFound
	}
	j.mu.Lock()
	file, kind := j.file, j.job.Kind
	j.mu.Unlock()
	if kind != "document" || file == "" || filepath.Base(file) != name {
		return notFound
	}
	f, err := os.Open(file)
	if err != nil {
		return notFound
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.Header().Set("Content-Type", "application/octet-stream")
	http.ServeContent(w, r, name, fi.ModTime(), f)
	return nil
}

// libreSuggest is LibreTranslate's POST /suggest: the suggestion (s) is
// learned as the approved translation of q, at once, for a key that may
// teach the memory (the learn role).
func (s *Server) libreSuggest(w http.ResponseWriter, r *http.Request) error {
	req, err := parseLibreRequest(r)
	if err != nil {
		return err
	}
	if r, err = s.compatCaller(r, RoleLearn, req.key); err != nil {
		return err
	}
	if err := refuseCrossSite(r); err != nil {
		return err
	}
	switch {
	case len(req.q) == 0:
		return badRequest("Invalid request: missing q parameter")
	case len(req.q) > 1:
		return badRequest("Invalid request: q is one text")
	case strings.TrimSpace(req.suggestion) == "":
		return badRequest("Invalid request: missing s parameter")
	case req.source == "":
		return badRequest("Invalid request: missing source parameter")
	case req.target == "":
		return badRequest("Invalid request: missing target parameter")
	}
	src, ok := parseTag(req.source)
	if !ok {
		return badRequest("%s is not supported", req.source)
	}
	tgt, ok := parseTag(req.target)
	if !ok {
		return badRequest("%s is not supported", req.target)
	}
	if !utf8.ValidString(req.suggestion) {
		return badRequest("Invalid request: s is not valid UTF-8")
	}
	if _, err := s.compatLearn(r, "libretranslate", src, tgt, []translate.Pair{{Source: req.q[0], Target: req.suggestion}}); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]bool{"success": true})
	return nil
}

// compatLearn makes pairs sent through a compatible API (api) approved
// memory, as POST /api/v1/learn does; their origin names the API and the
// key.
func (s *Server) compatLearn(r *http.Request, api, src, tgt string, pairs []translate.Pair) (translate.LearnSummary, error) {
	origin := api
	if c := callerOf(r); c.name != "" {
		origin += ":" + c.name
	}
	for i := range pairs {
		if strings.TrimSpace(pairs[i].Source) == "" || strings.TrimSpace(pairs[i].Target) == "" {
			return translate.LearnSummary{}, badRequest("a pair needs a source and a target")
		}
		pairs[i].Origin = origin
	}
	done := s.metrics.learning()
	sum, err := s.mem.Learn(r.Context(), memory.LearnRequest{SourceLang: src, TargetLang: tgt, Pairs: pairs, Model: s.opts.Model})
	done(err)
	return sum, err
}

// libreDetect is LibreTranslate's POST /detect, which kgmem does not
// have: it answers LibreTranslate's "not supported".
func (s *Server) libreDetect(w http.ResponseWriter, r *http.Request) error {
	return badRequest("language detection is not supported: this server (kgmem) has no language identifier")
}
