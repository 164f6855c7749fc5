package server_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kgmem/kgmem/server"
)

// apyOK is APy's successful answer with data.
func apyOK(data any) map[string]any {
	return map[string]any{"responseData": data, "responseDetails": nil, "responseStatus": float64(200)}
}

// apyErr is APy's error answer.
func apyErr(code int, explanation string) map[string]any {
	return map[string]any{"status": "error", "code": float64(code), "message": http.StatusText(code), "explanation": explanation}
}

// TestAPy checks APy's calls as OmegaT and Weblate make them, and their
// answers in APy's JSON, exactly.
func TestAPy(t *testing.T) {
	f := newFixture(t)
	q := func(s string) string { return url.QueryEscape(s) }
	tests := []struct {
		name   string
		method string
		path   string
		form   string // a POST body
		status int
		want   map[string]any
	}{
		{"OmegaT", "GET", "/translate?q=" + q("Delete this notebook?") + "&markUnknown=no&langpair=en|es&key=", "", 200,
			apyOK(map[string]any{"translatedText": "¿Desea eliminar este cuaderno?"})},
		{"Weblate", "GET", "/translate?langpair=eng%7Cspa&q=" + q("New Note") + "&markUnknown=no", "", 200,
			apyOK(map[string]any{"translatedText": "Nueva nota"})},
		{"POST form", "POST", "/translate", "langpair=eng|spa&markUnknown=no&q=" + q("New Note"), 200,
			apyOK(map[string]any{"translatedText": "Nueva nota"})},
		{"HTML by default", "GET", "/translate?langpair=eng|spa&markUnknown=no&q=" + q("<p>New Note</p><p>Delete this notebook?</p>"), "", 200,
			apyOK(map[string]any{"translatedText": "<p>Nueva nota</p><p>¿Desea eliminar este cuaderno?</p>"})},
		{"markUnknown left out", "GET", "/translate?langpair=eng|spa&q=" + q("New Note"), "", 200,
			apyOK(map[string]any{"translatedText": "Nueva nota"})},
		{"pairs", "GET", "/listPairs", "", 200, apyOK([]any{map[string]any{"sourceLanguage": "eng", "targetLanguage": "spa"}})},
		{"pairs with old codes", "GET", "/listPairs?include_deprecated_codes=1", "", 200, apyOK([]any{
			map[string]any{"sourceLanguage": "eng", "targetLanguage": "spa"}, map[string]any{"sourceLanguage": "en", "targetLanguage": "es"}})},
		{"pairs from spa", "GET", "/listPairs?src=spa", "", 200, apyOK([]any{})},
		{"list", "POST", "/list", "q=pairs", 200, apyOK([]any{map[string]any{"sourceLanguage": "eng", "targetLanguage": "spa"}})},

		{"pair not installed", "GET", "/translate?langpair=eng|fra&q=x&markUnknown=no", "", 400, apyErr(400, "That pair is not installed")},
		{"pair invalid", "GET", "/translate?langpair=engspa&q=x", "", 400, apyErr(400, "That pair is invalid, use e.g. eng|spa")},
		{"no q", "GET", "/translate?langpair=eng|spa", "", 400, apyErr(400, "Missing argument q")},
		{"no langpair", "GET", "/translate?q=x", "", 400, apyErr(400, "Missing argument langpair")},
		{"list what", "GET", "/list?q=dictionaries", "", 400, apyErr(400, "Expecting q argument to be one of analysers, generators, spellers, disambiguators, or pairs")},
		{"no file", "POST", "/translateDoc?langpair=eng|spa&markUnknown=no", "", 400, apyErr(400, "Missing argument file")},
		{"unknown key", "GET", "/translate?langpair=eng|spa&q=x&key=kgm_nope", "", 401, apyErr(401, "the API key is not known to this server")},
	}
	for _, tt := range tests {
		ct := ""
		if tt.form != "" {
			ct = "application/x-www-form-urlencoded"
		}
		a := f.send(t, tt.method, tt.path, ct, []byte(tt.form))
		got := decodeStrict(t, a)
		if a.status != tt.status || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: %d %s\nwant %d %v", tt.name, a.status, a.body, tt.status, tt.want)
		}
		if ct := a.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("%s: Content-Type %q", tt.name, ct)
		}
	}
	// /list of what kgmem has none of: APy's empty answer.
	if a := f.send(t, "GET", "/list?q=analysers", "", nil); a.status != 200 || string(a.body) != "{}\n" {
		t.Errorf("/list?q=analysers: %d %s", a.status, a.body)
	}
}

// TestAPyNotSupported checks that what kgmem does not do gets APy's error
// with an explanation.
func TestAPyNotSupported(t *testing.T) {
	f := newFixture(t)
	for _, tt := range []struct{ path, says string }{
		{"/translate?langpair=eng|spa&q=x&markUnknown=yes", "markUnknown is not supported"},
		{"/translate?langpair=eng|spa&q=x&markUnknown=no&format=rtf", "format rtf is not supported"},
		{"/translate?langpair=eng|spa&q=x&markUnknown=no&callback=alert(1)", "callback"},
	} {
		a := f.send(t, "GET", tt.path, "", nil)
		got := decodeStrict(t, a)
		if a.status != 400 || got["status"] != "error" || !strings.Contains(got["explanation"].(string), tt.says) {
			t.Errorf("%s: %d %s, want APy's 400 saying %q", tt.path, a.status, a.body, tt.says)
		}
	}
}

// TestAPyJSONP checks APy's callback: the answer wrapped in a call.
func TestAPyJSONP(t *testing.T) {
	f := newFixture(t)
	a := f.send(t, "GET", "/translate?langpair=eng|spa&markUnknown=no&callback=app.done&q="+url.QueryEscape("New Note"), "", nil)
	body := string(a.body)
	if a.status != 200 || !strings.HasPrefix(body, "app.done(") || !strings.HasSuffix(body, ")") ||
		!strings.HasPrefix(a.header.Get("Content-Type"), "application/javascript") {
		t.Fatalf("JSONP: %d %s %s", a.status, a.header.Get("Content-Type"), body)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(strings.TrimSuffix(strings.TrimPrefix(body, "app.done("), ")")), &got); err != nil ||
		!reflect.DeepEqual(got, apyOK(map[string]any{"translatedText": "Nueva nota"})) {
		t.Errorf("JSONP payload: %v %v", got, err)
	}
}

// TestAPyTranslateDoc translates a plain-text file through /translateDoc.
func TestAPyTranslateDoc(t *testing.T) {
	f := newFixture(t)
	ct, body := multipartOf(t, map[string]string{"langpair": "eng|spa", "markUnknown": "no"},
		map[string][2]string{"file": {"notes", "Delete this notebook?\n\nNew Note\n"}})
	a := f.send(t, "POST", "/translateDoc", ct, body)
	if a.status != 200 || string(a.body) != "¿Desea eliminar este cuaderno?\n\nNueva nota\n" {
		t.Errorf("translateDoc: %d %q", a.status, a.body)
	}
	ct, body = multipartOf(t, map[string]string{"langpair": "eng|spa", "markUnknown": "no"},
		map[string][2]string{"file": {"logo.png", "\x89PNG\r\n\x1a\n\x00\x00"}})
	if a := f.send(t, "POST", "/translateDoc", ct, body); a.status != 400 || !strings.Contains(string(a.body), "Invalid file type") {
		t.Errorf("translateDoc of a PNG: %d %s", a.status, a.body)
	}
}

// TestAPyKeys checks APy's key argument as a kgmem key, and that usage is
// counted to it.
func TestAPyKeys(t *testing.T) {
	f := newFixture(t)
	key, err := f.keys.Add("omegat", server.RoleTranslate, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	path := "/translate?langpair=en|es&markUnknown=no&q=" + url.QueryEscape("New Note")
	if a := f.send(t, "GET", path, "", nil); a.status != 401 || decodeStrict(t, a)["status"] != "error" {
		t.Errorf("no key: %d %s", a.status, a.body)
	}
	if a := f.send(t, "GET", path+"&key="+url.QueryEscape(key), "", nil); a.status != 200 {
		t.Errorf("with the key: %d %s", a.status, a.body)
	}
	// Listing the pairs needs no key (Weblate lists them without one).
	if a := f.send(t, "GET", "/listPairs", "", nil); a.status != 200 {
		t.Errorf("listPairs without a key: %d %s", a.status, a.body)
	}
}
