package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/plugins/host"
)

// Code is the stable, machine-readable code of an API error.
type Code string

// The codes of kgmem's API errors. Clients may branch on them; the
// message is for people and says what to do.
const (
	CodeBadRequest    Code = "bad_request"       // 400: the request must change
	CodeUnauthorized  Code = "unauthorized"      // 401: no key, or an unknown one
	CodeForbidden     Code = "forbidden"         // 403: the key's role does not allow it
	CodeNotFound      Code = "not_found"         // 404
	CodeConflict      Code = "conflict"          // 409: the memory is busy; retry
	CodeTooLarge      Code = "too_large"         // 413: body or segment count over the limit
	CodeBadInput      Code = "unreadable_input"  // 422: a file that cannot be read as its format
	CodeNotSupported  Code = "not_supported"     // 501: a feature kgmem does not have
	CodeUnavailable   Code = "model_unavailable" // 503: the model crashed, timed out or did not start
	CodeShuttingDown  Code = "shutting_down"     // 503: the server is draining
	CodeInternal      Code = "internal"          // 500
	CodeClientClosed  Code = "cancelled"         // 499: the client went away
	CodeUpstreamError Code = "model_error"       // 502: the model answered with an error
)

// Error is the body of every error answer of kgmem's own API.
type Error struct {
	Code    Code   `json:"code"`
	Message string `json:"message"`
	// Status is the HTTP status; it is not sent (the response has it).
	Status int `json:"-"`
}

func (e *Error) Error() string { return e.Message }

// errorBody is the JSON an error answer carries.
type errorBody struct {
	Error *Error `json:"error"`
}

// apiError makes an API error.
func apiError(status int, code Code, msg string) *Error {
	return &Error{Status: status, Code: code, Message: msg}
}

// classify turns an error of the core into an API error.
func classify(err error) *Error {
	var ae *Error
	var pe *corpora.ParseError
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &ae):
		return ae
	case errors.As(err, &mbe):
		return apiError(http.StatusRequestEntityTooLarge, CodeTooLarge, err.Error()+" (send less at once)")
	case errors.Is(err, context.Canceled):
		return apiError(499, CodeClientClosed, "the request was cancelled")
	case errors.Is(err, memory.ErrInvalid), errors.Is(err, memory.ErrNoLanguages):
		return apiError(http.StatusBadRequest, CodeBadRequest, err.Error())
	case errors.Is(err, graph.ErrNotFound), errors.Is(err, host.ErrNotFound):
		return apiError(http.StatusNotFound, CodeNotFound, err.Error())
	case errors.Is(err, graph.ErrConflict):
		return apiError(http.StatusConflict, CodeConflict, err.Error()+" (retry)")
	case errors.As(err, &pe), errors.Is(err, corpora.ErrUnknownFormat), errors.Is(err, corpora.ErrNotBilingual):
		return apiError(http.StatusUnprocessableEntity, CodeBadInput, err.Error())
	case errors.Is(err, host.ErrCrashed), errors.Is(err, host.ErrTimeout), errors.Is(err, host.ErrStart),
		errors.Is(err, context.DeadlineExceeded):
		return apiError(http.StatusServiceUnavailable, CodeUnavailable, err.Error()+" (the model restarts on the next request; retry)")
	case errors.Is(err, host.ErrBadResponse):
		return apiError(http.StatusBadGateway, CodeUpstreamError, err.Error())
	}
	return apiError(http.StatusInternalServerError, CodeInternal, err.Error())
}

// writeJSON writes v as the JSON answer with the status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// writeError writes err as kgmem's JSON error answer.
func writeError(w http.ResponseWriter, err error) {
	e := classify(err)
	if e.Status == http.StatusServiceUnavailable || e.Status == http.StatusConflict {
		w.Header().Set("Retry-After", "1")
	}
	writeJSON(w, e.Status, errorBody{Error: e})
}
