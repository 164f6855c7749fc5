// Package openai is the built-in model that asks any OpenAI-compatible
// chat-completions server: vLLM, the llama.cpp server, Ollama or a hosted
// API. The prompt gives the fuzzy matches as examples, the terms as a
// glossary the translation must follow, the facts and the neighbouring
// sentences as context. Configure it with ConfigFromEnv's variables.
package openai

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/kgmem/kgmem/plugins"
	"github.com/kgmem/kgmem/plugins/internal/repair"
)

// Config says which server and model to use.
type Config struct {
	// BaseURL is the API root, such as http://localhost:8000/v1.
	BaseURL string
	Model   string
	APIKey  string
	// Timeout bounds one HTTP request (60s if 0).
	Timeout time.Duration
	// MaxRetries is how often a request is retried after a network error,
	// 429 or 5xx (3 if 0; -1 for none).
	MaxRetries int
	// Backoff is the wait before the first retry, doubled each time (500ms
	// if 0).
	Backoff time.Duration
	Client  *http.Client
}

// ConfigFromEnv reads KGMEM_OPENAI_BASE_URL, KGMEM_OPENAI_MODEL and
// KGMEM_OPENAI_API_KEY, falling back to OPENAI_BASE_URL, OPENAI_MODEL and
// OPENAI_API_KEY, then to https://api.openai.com/v1 and gpt-4o-mini.
func ConfigFromEnv() Config {
	get := func(names ...string) string {
		for _, n := range names {
			if v := os.Getenv(n); v != "" {
				return v
			}
		}
		return ""
	}
	c := Config{
		BaseURL: get("KGMEM_OPENAI_BASE_URL", "OPENAI_BASE_URL"),
		Model:   get("KGMEM_OPENAI_MODEL", "OPENAI_MODEL"),
		APIKey:  get("KGMEM_OPENAI_API_KEY", "OPENAI_API_KEY"),
	}
	if c.BaseURL == "" {
		c.BaseURL = "https://api.openai.com/v1"
	}
	if c.Model == "" {
		c.Model = "gpt-4o-mini"
	}
	return c
}

// Model is the chat-completions model. It is safe for concurrent use.
type Model struct {
	cfg Config
}

var _ plugins.Model = (*Model)(nil)

// New returns a model with cfg.
func New(cfg Config) *Model {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 60 * time.Second
	}
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = 3
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = 500 * time.Millisecond
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{}
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	return &Model{cfg: cfg}
}

// Describe describes the model.
func (m *Model) Describe(context.Context, *plugins.DescribeRequest) (*plugins.DescribeResponse, error) {
	return &plugins.DescribeResponse{
		Name:        "openai",
		Version:     "1",
		Description: fmt.Sprintf("OpenAI-compatible chat completions: %s at %s", m.cfg.Model, m.cfg.BaseURL),
		AnyPair:     true,
		Capabilities: plugins.Capabilities{
			FuzzyMatches: true, Terms: true, Facts: true, Context: true,
			PreferredBatchSize: 4,
		},
	}, nil
}

// Translate sends one chat completion per item (an exact match is
// returned without asking).
func (m *Model) Translate(ctx context.Context, req *plugins.TranslateRequest) (*plugins.TranslateResponse, error) {
	resp := &plugins.TranslateResponse{Results: make([]plugins.Result, len(req.Items))}
	for i := range req.Items {
		it := &req.Items[i]
		r := &resp.Results[i]
		r.ID = it.ID
		// A completion may or may not build on the matches in its prompt:
		// UsedMatch is said only for an exact match.
		if k := repair.Exact(it.Source, it.FuzzyMatches); k >= 0 {
			r.Translation, r.UsedMatch = it.FuzzyMatches[k].Target, plugins.Used(k)
		} else {
			t, err := m.complete(ctx, Prompt(req.SourceLang, req.TargetLang, it))
			if err != nil {
				return nil, err
			}
			r.Translation = t
		}
		r.HonouredTerms = repair.Honoured(r.Translation, it.Terms)
	}
	return resp, nil
}

// Message is one chat message.
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// Prompt returns the chat messages that ask for the translation of it.
func Prompt(src, tgt string, it *plugins.Item) []Message {
	var sys strings.Builder
	fmt.Fprintf(&sys, "You are a professional translator from %s to %s. ", src, tgt)
	sys.WriteString("Reply with the translation of the text only: no quotes, notes or explanations. ")
	if len(it.Placeholders) > 0 {
		sys.WriteString("Copy these placeholders unchanged: " + strings.Join(it.Placeholders, " ") + ". ")
	}
	var u strings.Builder
	if len(it.FuzzyMatches) > 0 {
		u.WriteString("Earlier translations of similar texts, to follow in style and wording:\n")
		for _, f := range it.FuzzyMatches {
			fmt.Fprintf(&u, "- %s => %s\n", f.Source, f.Target)
		}
		u.WriteString("\n")
	}
	var required, suggested []string
	for _, t := range it.Terms {
		if t.Target == "" {
			continue
		}
		line := fmt.Sprintf("- %s => %s", t.Source, t.Target)
		if t.Required {
			required = append(required, line)
		} else {
			suggested = append(suggested, line)
		}
	}
	if len(required) > 0 {
		u.WriteString("Glossary: you must translate these terms so:\n" + strings.Join(required, "\n") + "\n\n")
	}
	if len(suggested) > 0 {
		u.WriteString("Suggested terms:\n" + strings.Join(suggested, "\n") + "\n\n")
	}
	if len(it.Facts) > 0 {
		u.WriteString("Facts:\n")
		for _, f := range it.Facts {
			s := f.Sentence
			if s == "" {
				s = f.Subject + " " + f.Predicate + " " + f.Object
			}
			u.WriteString("- " + s + "\n")
		}
		u.WriteString("\n")
	}
	if len(it.ContextBefore) > 0 || len(it.ContextAfter) > 0 {
		u.WriteString("Context (do not translate):\n")
		for _, c := range it.ContextBefore {
			u.WriteString("before: " + c + "\n")
		}
		for _, c := range it.ContextAfter {
			u.WriteString("after: " + c + "\n")
		}
		u.WriteString("\n")
	}
	u.WriteString("Text to translate:\n" + it.Source)
	return []Message{{Role: "system", Content: strings.TrimSpace(sys.String())}, {Role: "user", Content: u.String()}}
}

type chatRequest struct {
	Model       string    `json:"model"`
	Messages    []Message `json:"messages"`
	Temperature float64   `json:"temperature"`
}

type chatResponse struct {
	Choices []struct {
		Message Message `json:"message"`
	} `json:"choices"`
	Error *struct {
		Message string `json:"message"`
	} `json:"error"`
}

// errRetry marks an attempt worth repeating.
type errRetry struct {
	err   error
	after time.Duration
}

func (e *errRetry) Error() string { return e.err.Error() }
func (e *errRetry) Unwrap() error { return e.err }

// complete asks for one completion, retrying with backoff.
func (m *Model) complete(ctx context.Context, msgs []Message) (string, error) {
	body, err := json.Marshal(chatRequest{Model: m.cfg.Model, Messages: msgs})
	if err != nil {
		return "", err
	}
	wait := m.cfg.Backoff
	for attempt := 0; ; attempt++ {
		out, err := m.once(ctx, body)
		var re *errRetry
		if err == nil || !errors.As(err, &re) || attempt >= m.cfg.MaxRetries {
			return out, err
		}
		d := wait
		if re.after > d {
			d = re.after
		}
		select {
		case <-time.After(d):
		case <-ctx.Done():
			return "", fmt.Errorf("openai: %w (after %v)", ctx.Err(), err)
		}
		wait *= 2
	}
}

func (m *Model) once(ctx context.Context, body []byte) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, m.cfg.Timeout)
	defer cancel()
	url := m.cfg.BaseURL + "/chat/completions"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("openai: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	if m.cfg.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+m.cfg.APIKey)
	}
	resp, err := m.cfg.Client.Do(req)
	if err != nil {
		if ctx.Err() != nil && errors.Is(ctx.Err(), context.Canceled) {
			return "", err
		}
		return "", &errRetry{err: fmt.Errorf("openai: post %s: %w", url, err)}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return "", &errRetry{err: fmt.Errorf("openai: read response: %w", err)}
	}
	var cr chatResponse
	jerr := json.Unmarshal(b, &cr)
	if resp.StatusCode != http.StatusOK {
		msg := strings.TrimSpace(string(b))
		if jerr == nil && cr.Error != nil {
			msg = cr.Error.Message
		}
		if len(msg) > 300 {
			msg = msg[:300] + "…"
		}
		err := fmt.Errorf("openai: %s: %s: %s", url, resp.Status, msg)
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
			after, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
			return "", &errRetry{err: err, after: time.Duration(after) * time.Second}
		}
		if resp.StatusCode == http.StatusUnauthorized {
			err = fmt.Errorf("%w (set KGMEM_OPENAI_API_KEY or OPENAI_API_KEY)", err)
		}
		return "", err
	}
	if jerr != nil {
		return "", fmt.Errorf("openai: %s: bad response: %w", url, jerr)
	}
	if len(cr.Choices) == 0 {
		return "", fmt.Errorf("openai: %s: response has no choices", url)
	}
	return strings.TrimSpace(cr.Choices[0].Message.Content), nil
}
