package server

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/formats"
	"github.com/kgmem/kgmem/translate"
)

// DeepL documents are the server's document jobs: an upload starts one
// (translated through the memory like any document), its id is the
// document_id, and a random document_key proves the caller uploaded it.
// Like DeepL, a translated document is removed once it is downloaded.

// deeplDocFormats are the formats a DeepL document may have: those kgmem
// translates whole. Other extensions (.docx, .pdf, …) are refused.
var deeplDocFormats = map[formats.Format]bool{formats.Text: true, formats.PO: true, formats.XLIFF: true, formats.TMX: true, formats.TSV: true}

// deeplDocument is an uploaded document.
type deeplDocument struct {
	key    string
	billed atomic.Int64 // characters translated so far
}

// deeplDocuments are the documents uploaded through the DeepL API, by job
// id. It is safe for concurrent use.
type deeplDocuments struct {
	mu   sync.Mutex
	byID map[string]*deeplDocument
}

func newDeepLDocuments() *deeplDocuments {
	return &deeplDocuments{byID: map[string]*deeplDocument{}}
}

// uploadDocument is POST /v2/document: a multipart upload of the file and
// the parameters of a translation; the answer is the document's id and key.
func (d *deepl) uploadDocument(w http.ResponseWriter, r *http.Request) error {
	p, err := readDeepLParams(r)
	if err != nil {
		return err
	}
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	if r.MultipartForm == nil || len(r.MultipartForm.File["file"]) == 0 {
		return deeplMissing("file", "upload the document as the multipart field file")
	}
	fh := r.MultipartForm.File["file"][0]
	name := p.get("filename")
	if name == "" {
		name = fh.Filename
	}
	name, err = uploadName(name)
	if err != nil {
		return deeplMissing("filename", "name the document: its extension tells its format")
	}
	format := formats.FromName(name)
	if !deeplDocFormats[format] {
		return &deeplError{status: http.StatusBadRequest, message: "Invalid file data.",
			detail: fmt.Sprintf("kgmem translates .txt, .po, .pot, .xlf, .xliff, .tmx and .tsv documents, not %q", filepath.Ext(name))}
	}
	if of := strings.TrimPrefix(strings.ToLower(p.get("output_format")), "."); of != "" && formats.FromName("x."+of) != format {
		return &deeplError{status: http.StatusBadRequest, message: "output_format not supported.", detail: "a document is translated into its own format"}
	}
	c, err := d.call(r, p)
	if err != nil {
		return err
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	doc := &deeplDocument{key: newDocumentKey()}
	job, err := d.startDocument(r, c, name, f, doc)
	if err != nil {
		return err
	}
	d.documents.add(job.ID, doc, d.s.jobs)
	writeJSON(w, http.StatusOK, map[string]string{"document_id": job.ID, "document_key": doc.key})
	return nil
}

// startDocument queues the translation of a document as a job of the
// caller's, counting the characters it translates for the caller's usage
// and the document's billed_characters.
func (d *deepl) startDocument(r *http.Request, c deeplCall, name string, body io.Reader, doc *deeplDocument) (Job, error) {
	who := callerOf(r).name
	var in string
	src, tgt := language.Make(c.opts.SourceLang), language.Make(c.opts.TargetLang)
	return d.s.jobs.start("document", who, func(dir string) (err error) {
		in, err = save(body, dir, "in-"+name)
		return err
	}, func(ctx context.Context, j *jobState) (any, string, error) {
		out := filepath.Join(j.dir, name)
		sum := DocumentSummary{Name: name}
		j.Phase("translating", 0)
		fs, err := d.s.mem.TranslateFile(ctx, c.opts, translate.FileOptions{In: in, Out: out, SourceLang: src, TargetLang: tgt},
			func(u *corpora.Unit, res translate.Result) error {
				j.Add(1)
				n := deeplChars(res.Source)
				doc.billed.Add(int64(n))
				d.s.usage.add(who, n)
				return nil
			})
		sum.FileSummary = fs
		return sum, out, err
	})
}

func newDocumentKey() string {
	b := make([]byte, 32)
	rand.Read(b)
	return strings.ToUpper(hex.EncodeToString(b))
}

// add keeps a document, and forgets those whose jobs have expired.
func (ds *deeplDocuments) add(id string, doc *deeplDocument, js *jobs) {
	ds.mu.Lock()
	defer ds.mu.Unlock()
	ds.byID[id] = doc
	js.mu.Lock()
	defer js.mu.Unlock()
	for k := range ds.byID {
		if js.byID[k] == nil {
			delete(ds.byID, k)
		}
	}
}

// document returns the job and the document an id and a key name, when
// the caller may see them.
func (d *deepl) document(r *http.Request) (*jobState, *deeplDocument, error) {
	p, err := readDeepLParams(r)
	if err != nil {
		return nil, nil, err
	}
	id := r.PathValue("document_id")
	notFound := &deeplError{status: http.StatusNotFound, message: "Document not found",
		detail: "no document with this id and key (a translated document is removed once downloaded, and kept a day at most)"}
	d.documents.mu.Lock()
	doc := d.documents.byID[id]
	d.documents.mu.Unlock()
	if doc == nil || subtle.ConstantTimeCompare([]byte(doc.key), []byte(p.get("document_key"))) != 1 {
		return nil, nil, notFound
	}
	j, err := d.s.jobs.get(id, callerOf(r))
	if err != nil {
		return nil, nil, notFound
	}
	return j, doc, nil
}

// deeplDocStatus is a document's status as DeepL reports it. kgmem gives
// no estimate of the time left.
type deeplDocStatus struct {
	ID               string `json:"document_id"`
	Status           string `json:"status"`
	BilledCharacters *int64 `json:"billed_characters,omitempty"`
	ErrorMessage     string `json:"error_message,omitempty"`
	// Message repeats ErrorMessage, as DeepL does for older clients.
	Message string `json:"message,omitempty"`
}

func (d *deepl) documentStatus(w http.ResponseWriter, r *http.Request) error {
	j, doc, err := d.document(r)
	if err != nil {
		return err
	}
	job := j.snapshot()
	st := deeplDocStatus{ID: job.ID}
	switch job.Status {
	case JobQueued:
		st.Status = "queued"
	case JobRunning:
		st.Status = "translating"
	case JobDone:
		st.Status = "done"
		n := doc.billed.Load()
		st.BilledCharacters = &n
	default:
		st.Status = "error"
		st.ErrorMessage = "the translation was cancelled"
		if job.Error != nil {
			st.ErrorMessage = job.Error.Message
		}
		st.Message = st.ErrorMessage
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

// documentResult sends the translated document, then removes it.
func (d *deepl) documentResult(w http.ResponseWriter, r *http.Request) error {
	j, _, err := d.document(r)
	if err != nil {
		return err
	}
	job := j.snapshot()
	j.mu.Lock()
	file := j.file
	j.mu.Unlock()
	switch {
	case job.Status == JobQueued || job.Status == JobRunning:
		return &deeplError{status: http.StatusServiceUnavailable, message: "Document translation is not done", detail: "poll its status until it is done"}
	case job.Status != JobDone || file == "":
		return &deeplError{status: http.StatusBadRequest, message: "Document translation failed", detail: "its status says why"}
	}
	f, err := os.Open(file)
	if err != nil {
		return &deeplError{status: http.StatusNotFound, message: "Document not found", detail: "the translated document is gone"}
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", documentContentType(file))
	w.Header().Set("Content-Length", strconv.FormatInt(fi.Size(), 10))
	w.Header().Set("Content-Disposition", "attachment; filename="+strconv.Quote(filepath.Base(file)))
	w.WriteHeader(http.StatusOK)
	if _, err := io.Copy(w, f); err != nil {
		return nil // the client went away; the document stays for another try
	}
	d.documents.mu.Lock()
	delete(d.documents.byID, job.ID)
	d.documents.mu.Unlock()
	os.Remove(file)
	return nil
}

// documentContentType is the media type of a translated document.
func documentContentType(name string) string {
	switch formats.FromName(name) {
	case formats.Text:
		return "text/plain; charset=utf-8"
	case formats.PO:
		return "text/x-gettext-translation; charset=utf-8"
	case formats.TSV:
		return "text/tab-separated-values; charset=utf-8"
	case formats.XLIFF:
		return "application/xliff+xml"
	case formats.TMX:
		return "application/x-tmx+xml"
	}
	return "application/octet-stream"
}
