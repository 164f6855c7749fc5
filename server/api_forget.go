package server

import (
	"context"
	"net/http"

	"github.com/kgmem/kgmem/memory"
)

// UnforgetRequest names a forget to undo.
type UnforgetRequest struct {
	ID string `json:"id"`
}

// ForgottenResponse lists the forgets of the memory, newest first.
type ForgottenResponse struct {
	Forgotten []memory.ForgetSummary `json:"forgotten"`
}

func (s *Server) forgetRoutes() {
	v := APIVersion
	s.handle("POST "+v+"/forget", RoleLearn, s.apiForget)
	s.handle("POST "+v+"/unforget", RoleLearn, s.apiUnforget)
	s.handle("GET "+v+"/forget", RoleRead, s.apiForgotten)
}

// apiForget takes pairs out of the memory (a learn batch, an origin, or
// one pair), keeping a record to undo it.
func (s *Server) apiForget(w http.ResponseWriter, r *http.Request) error {
	var req memory.ForgetRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if err := checkText("source/target", req.Source+req.Target); err != nil {
		return err
	}
	var err error
	if req.SourceLang, err = lang("source_lang", req.SourceLang, false); err != nil {
		return err
	}
	if req.TargetLang, err = lang("target_lang", req.TargetLang, false); err != nil {
		return err
	}
	req.By = "api"
	if c := callerOf(r); c.name != "" {
		req.By = "api:" + c.name
	} else if c.local {
		req.By = "local"
	}
	sum, err := s.mem.Forget(r.Context(), req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sum)
	return nil
}

// apiUnforget undoes a forget.
func (s *Server) apiUnforget(w http.ResponseWriter, r *http.Request) error {
	var req UnforgetRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	sum, err := s.mem.Unforget(r.Context(), req.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sum)
	return nil
}

// apiForgotten lists the forgets.
func (s *Server) apiForgotten(w http.ResponseWriter, r *http.Request) error {
	list, err := s.mem.Forgotten(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ForgottenResponse{Forgotten: list})
	return nil
}

// Forget takes pairs out of the memory through the server.
func (c *Client) Forget(ctx context.Context, req memory.ForgetRequest) (memory.ForgetSummary, error) {
	var sum memory.ForgetSummary
	err := c.call(ctx, "POST", APIVersion+"/forget", req, &sum)
	return sum, err
}

// Unforget undoes a forget through the server.
func (c *Client) Unforget(ctx context.Context, id string) (memory.ForgetSummary, error) {
	var sum memory.ForgetSummary
	err := c.call(ctx, "POST", APIVersion+"/unforget", UnforgetRequest{ID: id}, &sum)
	return sum, err
}

// Forgotten lists the forgets of the memory through the server.
func (c *Client) Forgotten(ctx context.Context) ([]memory.ForgetSummary, error) {
	var resp ForgottenResponse
	err := c.call(ctx, "GET", APIVersion+"/forget", nil, &resp)
	return resp.Forgotten, err
}
