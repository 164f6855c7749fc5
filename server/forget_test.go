package server_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/server"
	"github.com/kgmem/kgmem/translate"
)

// TestForgetAPI learns a pair, forgets its batch through the API, lists
// the forget and undoes it: the pair is gone from searches, then back.
func TestForgetAPI(t *testing.T) {
	f := newFixture(t)
	const src, tgt = "Archive every notebook of this account", "Archive todo lo de la cuenta"
	status, body := f.call(t, "POST", "/api/v1/learn", "", server.LearnRequest{SourceLang: "en", TargetLang: "es", Pairs: []server.Pair{{Source: src, Target: tgt}}})
	var learned translate.LearnSummary
	if status != http.StatusOK || json.Unmarshal(body, &learned) != nil {
		t.Fatalf("learn: %d %s", status, body)
	}
	found := func() bool {
		status, body := f.call(t, "POST", "/api/v1/tm/search", "", server.TMSearchRequest{Text: src, TargetLang: "es", Min: 100})
		var sr server.TMSearchResponse
		if status != http.StatusOK || json.Unmarshal(body, &sr) != nil {
			t.Fatalf("tm search: %d %s", status, body)
		}
		return len(sr.Matches) > 0 && sr.Matches[0].Target == tgt
	}
	if !found() {
		t.Fatal("the learned pair is not found")
	}
	status, body = f.call(t, "POST", "/api/v1/forget", "", memory.ForgetRequest{Batch: learned.Source})
	var sum memory.ForgetSummary
	if status != http.StatusOK || json.Unmarshal(body, &sum) != nil || sum.Segments != 1 {
		t.Fatalf("forget: %d %s", status, body)
	}
	if found() {
		t.Error("the forgotten pair is still found")
	}
	status, body = f.call(t, "GET", "/api/v1/forget", "", nil)
	var list server.ForgottenResponse
	if status != http.StatusOK || json.Unmarshal(body, &list) != nil || len(list.Forgotten) != 1 || list.Forgotten[0].ID != sum.ID || list.Forgotten[0].Request.By != "local" {
		t.Errorf("forget list: %d %s", status, body)
	}
	if status, body = f.call(t, "POST", "/api/v1/unforget", "", server.UnforgetRequest{ID: sum.ID}); status != http.StatusOK {
		t.Fatalf("unforget: %d %s", status, body)
	}
	if !found() {
		t.Error("the pair is not back after unforget")
	}
	if status, body = f.call(t, "POST", "/api/v1/unforget", "", server.UnforgetRequest{ID: "forget:nothing"}); status != http.StatusNotFound {
		t.Errorf("unforget of an unknown ID: %d %s, want 404", status, body)
	}
	if status, body = f.call(t, "POST", "/api/v1/forget", "", memory.ForgetRequest{}); status != http.StatusBadRequest {
		t.Errorf("forget of nothing: %d %s, want 400", status, body)
	}
}
