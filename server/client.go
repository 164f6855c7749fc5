package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/formats"
	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/internal/outfile"
	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/retrieval"
	"github.com/kgmem/kgmem/translate"
	"github.com/kgmem/kgmem/translate/evaluate"
)

// SocketFile is the unix socket a server makes in the data directory it
// holds; a CLI on that directory goes through it.
const SocketFile = "kgmem.sock"

// Client calls a kgmem server's own API. It is a memory.Service, so that
// the CLI works the same way on a memory it opens itself and on one a
// server holds. It is safe for concurrent use.
type Client struct {
	base string
	http *http.Client
	key  string
	// Progress, when set, is told how the jobs the client waits for
	// advance.
	Progress memory.Progress
}

var _ memory.Service = (*Client)(nil)

// NewClient returns a client of the server at base ("http://HOST:PORT"),
// sending key (if not "") as a bearer token.
func NewClient(base, key string) *Client {
	return &Client{base: strings.TrimRight(base, "/"), http: &http.Client{}, key: key}
}

// DialDataDir returns a client of the server that holds dataDir, through
// its unix socket; false when no server answers there.
func DialDataDir(ctx context.Context, dataDir string) (*Client, bool) {
	sock := filepath.Join(dataDir, SocketFile)
	if fi, err := os.Stat(sock); err != nil || fi.Mode()&os.ModeSocket == 0 {
		return nil, false
	}
	tr := &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "unix", sock)
	}}
	c := &Client{base: "http://kgmem", http: &http.Client{Transport: tr}}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := c.call(ctx, "GET", "/healthz", nil, nil); err != nil {
		return nil, false // a socket left by a server that is gone
	}
	return c, true
}

// Close releases the client's connections.
func (c *Client) Close() error {
	c.http.CloseIdleConnections()
	return nil
}

// call sends a JSON request (body nil for none) and decodes the JSON
// answer into out (nil to drop it).
func (c *Client) call(ctx context.Context, method, path string, body, out any) error {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, r)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return c.do(req, out)
}

func (c *Client) do(req *http.Request, out any) error {
	if c.key != "" {
		req.Header.Set("Authorization", "Bearer "+c.key)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("kgmem server: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return responseError(resp)
	}
	if out == nil {
		_, err := io.Copy(io.Discard, resp.Body)
		return err
	}
	if w, ok := out.(io.Writer); ok {
		_, err := io.Copy(w, resp.Body)
		return err
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// RemoteError is an error answer of a server, with what it means for the
// core's sentinels (errors.Is works with memory.ErrInvalid and
// graph.ErrNotFound).
type RemoteError struct {
	Status int
	Err    Error
}

func (e *RemoteError) Error() string { return e.Err.Message }

func (e *RemoteError) Is(target error) bool {
	switch e.Err.Code {
	case CodeBadRequest:
		return target == memory.ErrInvalid
	case CodeNotFound:
		return target == graph.ErrNotFound
	case CodeConflict:
		return target == graph.ErrConflict
	case CodeClientClosed:
		return target == context.Canceled
	}
	return false
}

func responseError(resp *http.Response) error {
	var body errorBody
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if json.Unmarshal(data, &body) != nil || body.Error == nil {
		return &RemoteError{Status: resp.StatusCode, Err: Error{Code: CodeInternal,
			Message: fmt.Sprintf("kgmem server: %s: %s", resp.Status, strings.TrimSpace(string(data)))}}
	}
	if body.Error.Code == CodeBadInput {
		// Keep the exit code of an unreadable file.
		return &corpora.ParseError{File: "", Line: 0, Offset: -1, Err: errors.New(body.Error.Message)}
	}
	return &RemoteError{Status: resp.StatusCode, Err: *body.Error}
}

// Translate translates segments (see memory.Memory.Translate).
func (c *Client) Translate(ctx context.Context, o memory.TranslateOptions, segs []translate.Segment) ([]translate.Result, error) {
	req := TranslateRequest{Model: o.Model, SourceLang: o.SourceLang, TargetLang: o.TargetLang, MinMatch: o.MinMatch,
		NoTM: o.NoTM, NoKG: o.NoKG, Explain: o.Explain, Register: o.Register, Segments: make([]Segment, len(segs))}
	for i, s := range segs {
		req.Segments[i] = Segment{ID: s.ID, Text: s.Source.Plain(), Prev: s.Prev, Next: s.Next, Context: s.Context}
	}
	var resp TranslateResponse
	if err := c.call(ctx, "POST", APIVersion+"/translate", req, &resp); err != nil {
		return nil, err
	}
	return resp.Results, nil
}

// TranslateFile uploads the document fo.In, waits for its translation and
// writes it to fo.Out. fn gets each result (with a unit that has only its
// ID) when the job is done.
func (c *Client) TranslateFile(ctx context.Context, o memory.TranslateOptions, fo translate.FileOptions,
	fn func(*corpora.Unit, translate.Result) error) (translate.FileSummary, error) {
	f, err := os.Open(fo.In)
	if err != nil {
		return translate.FileSummary{}, err
	}
	defer f.Close()
	qs := url.Values{"name": {filepath.Base(fo.In)}, "model": {o.Model}, "source_lang": {o.SourceLang}, "target_lang": {o.TargetLang}, "register": {o.Register},
		"no_tm": {strconv.FormatBool(o.NoTM)}, "no_kg": {strconv.FormatBool(o.NoKG)}, "approve": {strconv.FormatBool(fo.Approve)},
		"retranslate": {strconv.FormatBool(fo.Retranslate)}, "explain": {strconv.FormatBool(fn != nil)}}
	if o.MinMatch > 0 {
		qs.Set("min_match", strconv.Itoa(o.MinMatch))
	}
	req, err := http.NewRequestWithContext(ctx, "POST", c.base+APIVersion+"/documents?"+qs.Encode(), f)
	if err != nil {
		return translate.FileSummary{}, err
	}
	req.Header.Set("Content-Type", "application/octet-stream")
	var job Job
	if err := c.do(req, &job); err != nil {
		return translate.FileSummary{}, err
	}
	var sum DocumentSummary
	if err := c.wait(ctx, job.ID, &sum); err != nil {
		return sum.FileSummary, err
	}
	if err := c.download(ctx, job.ID, fo.Out); err != nil {
		return sum.FileSummary, err
	}
	if fn != nil {
		for _, r := range sum.Segments {
			if err := fn(&corpora.Unit{ID: r.ID}, r); err != nil {
				return sum.FileSummary, err
			}
		}
	}
	return sum.FileSummary, nil
}

// download writes a job's result file to path.
func (c *Client) download(ctx context.Context, id, path string) error {
	req, err := http.NewRequestWithContext(ctx, "GET", c.base+APIVersion+"/jobs/"+id+"/result", nil)
	if err != nil {
		return err
	}
	return c.save(req, path, nil)
}

// save writes the body of the answer to req to path (see outfile: a
// regular file is replaced only once complete; "-" is stdout); header,
// when not nil, is given the answer's header.
func (c *Client) save(req *http.Request, path string, header func(http.Header)) error {
	if c.key != "" {
		req.Header.Set("Authorization", "Bearer "+c.key)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("kgmem server: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return responseError(resp)
	}
	if header != nil {
		header(resp.Header)
	}
	out, err := outfile.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, resp.Body); err != nil {
		out.Abort()
		return err
	}
	return out.Commit()
}

// wait polls a job until it ends, telling c.Progress, and decodes its
// summary into summary. A cancelled ctx cancels the job.
func (c *Client) wait(ctx context.Context, id string, summary any) error {
	phase := ""
	var done int64
	for delay := 20 * time.Millisecond; ; delay = min(delay*2, 500*time.Millisecond) {
		var job struct {
			Job
			Summary json.RawMessage `json:"summary"`
		}
		if err := c.call(ctx, "GET", APIVersion+"/jobs/"+id, nil, &job); err != nil {
			if ctx.Err() != nil {
				c.call(context.WithoutCancel(ctx), "DELETE", APIVersion+"/jobs/"+id, nil, nil)
			}
			return err
		}
		if c.Progress != nil && job.Phase != "" {
			if job.Phase != phase {
				c.Progress.Phase(job.Phase, job.Total)
				phase, done = job.Phase, 0
			}
			c.Progress.Add(job.Done - done)
			done = job.Done
		}
		switch job.Status {
		case JobDone, JobFailed, JobCancelled:
			if len(job.Summary) > 0 && summary != nil {
				if err := json.Unmarshal(job.Summary, summary); err != nil {
					return fmt.Errorf("kgmem server: job %s: %w", id, err)
				}
			}
			if job.Error != nil {
				return &RemoteError{Status: job.Error.Status, Err: *job.Error}
			}
			return nil
		}
		select {
		case <-ctx.Done():
			c.call(context.WithoutCancel(ctx), "DELETE", APIVersion+"/jobs/"+id, nil, nil)
			return ctx.Err()
		case <-time.After(delay):
		}
	}
}

// Learn learns approved pairs (see memory.Memory.Learn).
func (c *Client) Learn(ctx context.Context, req memory.LearnRequest) (translate.LearnSummary, error) {
	wire := LearnRequest{SourceLang: req.SourceLang, TargetLang: req.TargetLang, Model: req.Model, Pairs: make([]Pair, len(req.Pairs))}
	for i, p := range req.Pairs {
		wire.Pairs[i] = Pair{Source: p.Source, Target: p.Target, Origin: p.Origin}
	}
	var sum translate.LearnSummary
	err := c.call(ctx, "POST", APIVersion+"/learn", wire, &sum)
	return sum, err
}

// LearnFiles reads the approved pairs of local files and learns them, one
// call per language pair.
func (c *Client) LearnFiles(ctx context.Context, req memory.LearnFilesRequest) ([]translate.LearnSummary, error) {
	groups, err := memory.ReadApproved(ctx, req)
	if err != nil {
		return nil, err
	}
	return memory.LearnGroups(groups, func(g memory.LearnRequest) (translate.LearnSummary, error) { return c.Learn(ctx, g) })
}

// SearchTM looks a sentence up in the translation memory.
func (c *Client) SearchTM(ctx context.Context, q retrieval.Query) ([]retrieval.Match, error) {
	req := TMSearchRequest{Text: q.Text, SourceLang: q.SourceLang, TargetLang: q.TargetLang, Min: q.Min, Limit: q.Limit}
	if q.Context != nil {
		req.Context, req.Prev, req.Next = true, q.Context.Prev, q.Context.Next
	}
	var resp TMSearchResponse
	err := c.call(ctx, "POST", APIVersion+"/tm/search", req, &resp)
	return resp.Matches, err
}

// SearchEntities finds the known entities of a sentence.
func (c *Client) SearchEntities(ctx context.Context, text string, o retrieval.ExpandOptions) ([]retrieval.Found, error) {
	limit := max(o.Facts, o.Neighbours)
	var resp SpotResponse
	err := c.call(ctx, "POST", APIVersion+"/entities/spot", SpotRequest{Text: text, SourceLang: o.SourceLang, TargetLang: o.TargetLang, Hops: o.Hops, Limit: limit}, &resp)
	return resp.Spans, err
}

// Entities returns the entities with a label.
func (c *Client) Entities(ctx context.Context, q memory.EntityQuery) ([]memory.EntityView, error) {
	qs := url.Values{"label": {q.Label}, "lang": {q.Lang}, "target_lang": {q.TargetLang}, "limit": {strconv.Itoa(q.Limit)}}
	var resp EntitiesResponse
	err := c.call(ctx, "GET", APIVersion+"/entities?"+qs.Encode(), nil, &resp)
	return resp.Entities, err
}

// Stats counts what the graph holds.
func (c *Client) Stats(ctx context.Context) (graph.Stats, error) {
	var resp StatsResponse
	err := c.call(ctx, "GET", APIVersion+"/stats", nil, &resp)
	return resp.Graph, err
}

// Build imports local files into the memory as a job of the server, and
// waits for it.
func (c *Client) Build(ctx context.Context, req memory.BuildRequest) (memory.BuildSummary, error) {
	abs := func(paths []string) ([]string, error) {
		out := make([]string, len(paths))
		for i, p := range paths {
			a, err := filepath.Abs(p)
			if err != nil {
				return nil, err
			}
			out[i] = a
		}
		return out, nil
	}
	ir := ImportRequest{Format: string(req.Format), Lenient: req.Lenient}
	var err error
	if ir.Paths, err = abs(req.Paths); err != nil {
		return memory.BuildSummary{}, err
	}
	if ir.Terms, err = abs(req.Terms); err != nil {
		return memory.BuildSummary{}, err
	}
	if req.SourceLang != language.Und {
		ir.SourceLang = req.SourceLang.String()
	}
	if req.TargetLang != language.Und {
		ir.TargetLang = req.TargetLang.String()
	}
	var job Job
	if err := c.call(ctx, "POST", APIVersion+"/imports", ir, &job); err != nil {
		return memory.BuildSummary{}, err
	}
	var sum memory.BuildSummary
	err = c.wait(ctx, job.ID, &sum)
	return sum, err
}

// Evaluate runs an evaluation of local files as a job of the server, and
// waits for it.
func (c *Client) Evaluate(ctx context.Context, req memory.EvalRequest) (*evaluate.Report, error) {
	var job Job
	if err := c.call(ctx, "POST", APIVersion+"/eval", req, &job); err != nil {
		return nil, err
	}
	var rep evaluate.Report
	err := c.wait(ctx, job.ID, &rep)
	if rep.Model == "" && err != nil {
		return nil, err
	}
	return &rep, err
}

// Export writes the memory's translation memory (or, with terms, its term
// base) to path, as the server exports it.
func (c *Client) Export(ctx context.Context, path string, format formats.Format, terms bool, f memory.ExportFilter) (memory.ExportSummary, error) {
	sum := memory.ExportSummary{Path: path, Format: string(format)}
	if format == formats.Auto {
		format = formats.FromName(path)
	}
	qs := url.Values{"format": {string(format)}, "terms": {strconv.FormatBool(terms)}, "source_lang": {f.SourceLang}, "target_lang": {f.TargetLang},
		"origin": {f.Origin}, "status": {f.Status}}
	if !f.Since.IsZero() {
		qs.Set("since", f.Since.Format(time.DateOnly))
	}
	if !f.Until.IsZero() {
		qs.Set("until", f.Until.Format(time.DateOnly))
	}
	req, err := http.NewRequestWithContext(ctx, "GET", c.base+APIVersion+"/export?"+qs.Encode(), nil)
	if err != nil {
		return sum, err
	}
	var written int
	err = c.save(req, path, func(h http.Header) { written, _ = strconv.Atoi(h.Get("X-Kgmem-Written")) })
	sum.Format, sum.Written = string(format), written
	return sum, err
}
