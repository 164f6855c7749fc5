package server_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os/exec"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kgmem/kgmem/internal/testenv"
)

// startAPy runs Debian's apertium-apy on loopback over the installed
// Apertium pairs, and returns its base URL.
func startAPy(t *testing.T) string {
	t.Helper()
	apy := testenv.Tool(t, "apertium-apy", "apt-get install apertium-apy apertium-eng-spa (scripts/install-deps.sh)")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	var log strings.Builder
	cmd := exec.Command(apy, "-p", fmt.Sprint(port), "/usr/share/apertium/modes")
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	for deadline := time.Now().Add(60 * time.Second); ; {
		resp, err := http.Get(base + "/listPairs")
		if err == nil {
			resp.Body.Close()
			return base
		}
		if time.Now().After(deadline) {
			t.Fatalf("apertium-apy did not answer on %s: %v\n%s", base, err, log.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// getJSON gets a JSON object.
func getJSON(t *testing.T, u string) (int, map[string]any) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s: %d %s is not a JSON object", u, resp.StatusCode, data)
	}
	return resp.StatusCode, m
}

// shapeOf describes a JSON value by its keys and types, not its values.
func shapeOf(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := map[string]any{}
		for k, e := range x {
			m[k] = shapeOf(e)
		}
		return m
	case []any:
		if len(x) == 0 {
			return []any{}
		}
		return []any{shapeOf(x[0])}
	case nil:
		return "null"
	}
	return reflect.TypeOf(v).String()
}

// TestAPySideBySide sends the same requests to Debian's apertium-apy and
// to kgmem: the answers have the same shape, and the errors the same
// status and explanation.
func TestAPySideBySide(t *testing.T) {
	apy := startAPy(t)
	f := newFixture(t)
	q := url.QueryEscape("Delete this notebook?")
	for _, tt := range []struct {
		name, path string
		sameBody   bool // errors: the same explanation too
	}{
		{"translate", "/translate?langpair=eng|spa&markUnknown=no&q=" + q, false},
		{"translate, ISO 639-1", "/translate?langpair=en|es&markUnknown=no&q=" + q, false},
		{"HTML", "/translate?langpair=eng|spa&markUnknown=no&q=" + url.QueryEscape("<p>New Note</p>"), false},
		{"pairs", "/listPairs", false},
		{"pairs with old codes", "/listPairs?include_deprecated_codes=yes", false},
		{"pair not installed", "/translate?langpair=eng|xho&markUnknown=no&q=x", true},
		{"pair invalid", "/translate?langpair=eng&q=x", true},
		{"no q", "/translate?langpair=eng|spa", true},
		{"no langpair", "/translate?q=x", true},
		{"list what", "/list?q=nothing", true},
	} {
		as, am := getJSON(t, apy+tt.path)
		ks, km := getJSON(t, f.http.URL+tt.path)
		if as != ks || !reflect.DeepEqual(shapeOf(am), shapeOf(km)) {
			t.Errorf("%s: apertium-apy %d %v, kgmem %d %v", tt.name, as, am, ks, km)
			continue
		}
		if tt.sameBody && !reflect.DeepEqual(am, km) {
			t.Errorf("%s: apertium-apy %v, kgmem %v", tt.name, am, km)
		}
	}
}
