package server

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/formats"
	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/translate"
)

// DocumentSummary is what a document job did.
type DocumentSummary struct {
	translate.FileSummary
	Name string `json:"name"`
	// Segments are the results, with explain=true.
	Segments []translate.Result `json:"segments,omitempty"`
}

// ImportRequest imports files the server can read (a client on the unix
// socket, on the same machine) into the memory, as build-graph does.
type ImportRequest struct {
	Paths      []string `json:"paths"`
	Terms      []string `json:"terms,omitempty"`
	SourceLang string   `json:"source_lang,omitempty"`
	TargetLang string   `json:"target_lang,omitempty"`
	Format     string   `json:"format,omitempty"`
	Lenient    bool     `json:"lenient,omitempty"`
}

// EvalRequest runs an evaluation on files the server can read (a client
// on the unix socket).
type EvalRequest = memory.EvalRequest

// JobsResponse lists jobs.
type JobsResponse struct {
	Jobs []Job `json:"jobs"`
}

func (s *Server) jobRoutes() {
	v := APIVersion
	s.handleLimit("POST "+v+"/documents", RoleTranslate, s.opts.MaxDocument, s.apiDocument)
	s.handleLimit("POST "+v+"/imports", RoleAdmin, s.opts.MaxDocument, s.apiImport)
	s.handle("POST "+v+"/eval", RoleAdmin, s.apiEval)
	s.handle("GET "+v+"/jobs", RoleRead, s.apiJobs)
	s.handle("GET "+v+"/jobs/{id}", RoleRead, s.apiJob)
	s.handle("GET "+v+"/jobs/{id}/result", RoleRead, s.apiJobResult)
	s.handle("DELETE "+v+"/jobs/{id}", RoleRead, s.apiJobCancel)
}

// uploadName is a safe file name for an upload: the client's base name,
// with the extension that tells the format.
func uploadName(name string) (string, error) {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	if name == "" || name == "." || name == "/" || strings.HasPrefix(name, ".") {
		return "", badRequest("name the file (name=FILE.EXT): its extension tells its format")
	}
	return name, nil
}

// save copies the request body into dir/name.
func save(r io.Reader, dir, name string) (string, error) {
	path := filepath.Join(dir, name)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return "", err
	}
	return path, f.Close()
}

// DocumentOptions are the query parameters of POST /documents.
type DocumentOptions struct {
	Name                   string
	Options                memory.TranslateOptions
	Approve, Retranslate   bool
	Explain                bool
	SourceLang, TargetLang language.Tag
}

func (s *Server) documentOptions(r *http.Request) (DocumentOptions, error) {
	qs := r.URL.Query()
	var d DocumentOptions
	var err error
	if d.Name, err = uploadName(qs.Get("name")); err != nil {
		return d, err
	}
	req := TranslateRequest{Model: qs.Get("model"), SourceLang: qs.Get("source_lang"), TargetLang: qs.Get("target_lang"), Register: qs.Get("register")}
	if req.MinMatch, err = intParam(qs.Get("min_match"), 0, 1, 100); err != nil {
		return d, badRequest("min_match: %v", err)
	}
	req.NoTM, req.NoKG = qs.Get("no_tm") == "true", qs.Get("no_kg") == "true"
	if d.Options, err = s.translateOptions(&req); err != nil {
		return d, err
	}
	d.Approve, d.Retranslate, d.Explain = qs.Get("approve") == "true", qs.Get("retranslate") == "true", qs.Get("explain") == "true"
	d.Options.Explain = d.Explain
	d.SourceLang, d.TargetLang = language.Make(d.Options.SourceLang), language.Make(d.Options.TargetLang)
	return d, nil
}

// apiDocument starts translating an uploaded document: the body is the
// file, its name (the name parameter) tells its format.
func (s *Server) apiDocument(w http.ResponseWriter, r *http.Request) error {
	d, err := s.documentOptions(r)
	if err != nil {
		return err
	}
	job, err := s.startDocument(r, d, r.Body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, job)
	return nil
}

// startDocument stores the document and queues its translation.
func (s *Server) startDocument(r *http.Request, d DocumentOptions, body io.Reader) (Job, error) {
	c := callerOf(r)
	var in string
	return s.jobs.start("document", c.name, func(dir string) (err error) {
		in, err = save(body, dir, "in-"+d.Name)
		return err
	}, func(ctx context.Context, j *jobState) (any, string, error) {
		out := filepath.Join(j.dir, d.Name)
		sum := DocumentSummary{Name: d.Name}
		j.Phase("translating", 0)
		fs, err := s.mem.TranslateFile(ctx, d.Options, translate.FileOptions{In: in, Out: out,
			SourceLang: d.SourceLang, TargetLang: d.TargetLang, Approve: d.Approve, Retranslate: d.Retranslate},
			func(u *corpora.Unit, res translate.Result) error {
				j.Add(1)
				s.usage.add(c.name, len([]rune(res.Source)))
				if d.Explain {
					res.ID = u.ID
					sum.Segments = append(sum.Segments, res)
				}
				return nil
			})
		sum.FileSummary = fs
		return sum, out, err
	})
}

// apiImport imports into the memory an uploaded file (the body; name
// tells its format; terms=true for a term base), or, from a client on the
// unix socket, the files an ImportRequest names.
func (s *Server) apiImport(w http.ResponseWriter, r *http.Request) error {
	req, upload, err := s.importRequest(r)
	if err != nil {
		return err
	}
	job, err := s.jobs.start("import", callerOf(r).name, upload, func(ctx context.Context, j *jobState) (any, string, error) {
		b, err := buildRequest(req, j)
		if err != nil {
			return nil, "", err
		}
		sum, err := s.mem.Build(ctx, b)
		return sum, "", err
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, job)
	return nil
}

// importRequest reads what an import is of: JSON with local paths from the
// socket, or an uploaded file kept in the data directory's imports.
func (s *Server) importRequest(r *http.Request) (*ImportRequest, func(string) error, error) {
	var req ImportRequest
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		if !fromSocket(r) {
			return nil, nil, badRequest("importing files by path is for clients on the server's unix socket; upload the file instead")
		}
		if err := decode(r, &req); err != nil {
			return nil, nil, err
		}
		return &req, nil, nil
	}
	qs := r.URL.Query()
	name, err := uploadName(qs.Get("name"))
	if err != nil {
		return nil, nil, err
	}
	req = ImportRequest{SourceLang: qs.Get("source_lang"), TargetLang: qs.Get("target_lang"), Format: qs.Get("format"), Lenient: qs.Get("lenient") == "true"}
	// Imported files are kept: the graph names them as the source of
	// what they taught, and a file imported again under the same name
	// replaces what it taught before.
	dir := filepath.Join(s.mem.Dir(), "imports")
	path := filepath.Join(dir, name)
	if qs.Get("terms") == "true" {
		req.Terms = []string{path}
	} else {
		req.Paths = []string{path}
	}
	return &req, func(string) error {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		tmp, err := save(r.Body, dir, "."+name+"."+newJobID())
		if err != nil {
			return err
		}
		return os.Rename(tmp, path)
	}, nil
}

func buildRequest(req *ImportRequest, p memory.Progress) (memory.BuildRequest, error) {
	b := memory.BuildRequest{Paths: req.Paths, Terms: req.Terms, Lenient: req.Lenient, Progress: p}
	var err error
	if req.SourceLang != "" {
		if b.SourceLang, err = corpora.ParseLang(req.SourceLang); err != nil {
			return b, memory.Invalidf("source_lang: %v", err)
		}
	}
	if req.TargetLang != "" {
		if b.TargetLang, err = corpora.ParseLang(req.TargetLang); err != nil {
			return b, memory.Invalidf("target_lang: %v", err)
		}
	}
	if b.Format, err = formats.Parse(req.Format); err != nil {
		return b, memory.Invalidf("format: %v", err)
	}
	return b, nil
}

// apiEval runs an evaluation of local files, for a client on the socket.
func (s *Server) apiEval(w http.ResponseWriter, r *http.Request) error {
	if !fromSocket(r) {
		return apiError(http.StatusForbidden, CodeForbidden, "evaluations read files by path: run them from the server's machine (kgmem eval run)")
	}
	var req EvalRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	job, err := s.jobs.start("eval", callerOf(r).name, nil, func(ctx context.Context, j *jobState) (any, string, error) {
		req.Progress = j
		rep, err := s.mem.Evaluate(ctx, req)
		if rep == nil {
			return nil, "", err
		}
		return rep, "", err
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, job)
	return nil
}

func (s *Server) apiJobs(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, JobsResponse{Jobs: s.jobs.list(callerOf(r))})
	return nil
}

func (s *Server) apiJob(w http.ResponseWriter, r *http.Request) error {
	j, err := s.jobs.get(r.PathValue("id"), callerOf(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, j.snapshot())
	return nil
}

func (s *Server) apiJobResult(w http.ResponseWriter, r *http.Request) error {
	j, err := s.jobs.get(r.PathValue("id"), callerOf(r))
	if err != nil {
		return err
	}
	job := j.snapshot()
	j.mu.Lock()
	file := j.file
	j.mu.Unlock()
	switch {
	case job.Status == JobQueued || job.Status == JobRunning:
		return apiError(http.StatusConflict, CodeConflict, fmt.Sprintf("job %s is %s; its result comes when it is done", job.ID, job.Status))
	case file == "":
		return apiError(http.StatusNotFound, CodeNotFound, fmt.Sprintf("job %s (%s) has no result file", job.ID, job.Status))
	}
	w.Header().Set("Content-Disposition", "attachment; filename="+strconv.Quote(filepath.Base(file)))
	http.ServeFile(w, r, file)
	return nil
}

func (s *Server) apiJobCancel(w http.ResponseWriter, r *http.Request) error {
	j, err := s.jobs.get(r.PathValue("id"), callerOf(r))
	if err != nil {
		return err
	}
	j.cancel()
	writeJSON(w, http.StatusOK, j.snapshot())
	return nil
}
