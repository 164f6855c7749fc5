package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kgmem/kgmem/retrieval"
	"github.com/kgmem/kgmem/server"
)

// answer is a response as a test reads it.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// send sends a request with a body of a content type and headers
// ("Name: value").
func (f *fixture) send(t *testing.T, method, path, contentType string, body []byte, headers ...string) answer {
	t.Helper()
	req, err := http.NewRequest(method, f.http.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ": ")
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{status: resp.StatusCode, header: resp.Header, body: data}
}

func jsonOf(t *testing.T, v any) []byte {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// multipartOf encodes fields and files (name → [filename, content]) as a
// multipart form.
func multipartOf(t *testing.T, fields map[string]string, files map[string][2]string) (string, []byte) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	for k, v := range files {
		fw, err := w.CreateFormFile(k, v[0])
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(fw, v[1])
	}
	w.Close()
	return w.FormDataContentType(), b.Bytes()
}

// decodeStrict decodes a JSON answer into a map, failing on anything else.
func decodeStrict(t *testing.T, a answer) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(a.body, &m); err != nil {
		t.Fatalf("answer %d is not a JSON object: %v: %s", a.status, err, a.body)
	}
	return m
}

// TestLibreTranslate checks POST /translate as LibreTranslate's clients
// send it (JSON, URL-encoded and multipart forms) and its answers.
func TestLibreTranslate(t *testing.T) {
	f := newFixture(t)
	const form = "application/x-www-form-urlencoded"
	mpType, mpBody := multipartOf(t, map[string]string{"q": "New Note", "source": "en", "target": "es"}, nil)
	tests := []struct {
		name        string
		contentType string
		body        []byte
		want        map[string]any
	}{
		{"JSON string", "application/json", jsonOf(t, map[string]any{"q": "Delete this notebook?", "source": "en", "target": "es"}),
			map[string]any{"translatedText": "¿Desea eliminar este cuaderno?"}},
		{"JSON without a content type", "", jsonOf(t, map[string]any{"q": "New Note", "source": "en", "target": "es", "format": "text"}),
			map[string]any{"translatedText": "Nueva nota"}},
		{"JSON array", "application/json", jsonOf(t, map[string]any{"q": []string{"Delete this notebook?", "", "New Note"}, "source": "en", "target": "es"}),
			map[string]any{"translatedText": []any{"¿Desea eliminar este cuaderno?", "", "Nueva nota"}}},
		{"URL-encoded form", form, []byte("q=" + url.QueryEscape("Delete this notebook?") + "&source=en&target=es&api_key="),
			map[string]any{"translatedText": "¿Desea eliminar este cuaderno?"}},
		{"multipart form", mpType, mpBody, map[string]any{"translatedText": "Nueva nota"}},
		{"two sentences, white space kept", "application/json", jsonOf(t, map[string]any{"q": "  New Note\n\nDelete this notebook?  ", "source": "en", "target": "es"}),
			map[string]any{"translatedText": "  Nueva nota\n\n¿Desea eliminar este cuaderno?  "}},
		{"HTML", "application/json", jsonOf(t, map[string]any{"format": "html", "source": "en", "target": "es",
			"q": `<!DOCTYPE html><div id="a"><h1>New Note</h1><!-- note --><p>Delete this notebook?<br>New Note</p><script>if (a<b) x="</p>";</script></div>`}),
			map[string]any{"translatedText": `<!DOCTYPE html><div id="a"><h1>Nueva nota</h1><!-- note --><p>¿Desea eliminar este cuaderno?<br>Nueva nota</p><script>if (a<b) x="</p>";</script></div>`}},
		{"HTML entities", "application/json", jsonOf(t, map[string]any{"format": "html", "source": "en", "target": "es", "q": "<p>New&#32;Note</p>"}),
			map[string]any{"translatedText": "<p>Nueva nota</p>"}},
	}
	for _, tt := range tests {
		a := f.send(t, "POST", "/translate", tt.contentType, tt.body)
		if a.status != http.StatusOK {
			t.Errorf("%s: status %d: %s", tt.name, a.status, a.body)
			continue
		}
		if got := decodeStrict(t, a); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: answer %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestLibreTranslateAlternatives checks that alternatives are the other
// targets of the memory's matches, never the translation itself.
func TestLibreTranslateAlternatives(t *testing.T) {
	f := newFixture(t)
	const src = "Share this notebook with your team"
	targets := []string{"Comparta este cuaderno con su equipo", "Comparte este cuaderno con tu equipo"}
	for _, tg := range targets {
		a := f.send(t, "POST", "/suggest", "application/json", jsonOf(t, map[string]any{"q": src, "s": tg, "source": "en", "target": "es"}))
		if a.status != 200 {
			t.Fatalf("suggest: %d %s", a.status, a.body)
		}
	}
	for _, q := range []string{src, src + "s"} { // an exact and a fuzzy match
		a := f.send(t, "POST", "/translate", "application/json", jsonOf(t, map[string]any{"q": q, "source": "en", "target": "es", "alternatives": 3}))
		var resp struct {
			TranslatedText string
			Alternatives   []string
		}
		if a.status != 200 || json.Unmarshal(a.body, &resp) != nil {
			t.Fatalf("%q with alternatives: %d %s", q, a.status, a.body)
		}
		// The memory's targets but the translation, best match first.
		var want []string
		for _, tg := range []string{targets[1], targets[0]} {
			if tg != resp.TranslatedText {
				want = append(want, tg)
			}
		}
		if !reflect.DeepEqual(resp.Alternatives, want) {
			t.Errorf("%q: alternatives %q of translation %q, want %q", q, resp.Alternatives, resp.TranslatedText, want)
		}
	}
	// Without alternatives asked, the answer has none; with HTML, none.
	for _, body := range []map[string]any{
		{"q": src, "source": "en", "target": "es"},
		{"q": src, "source": "en", "target": "es", "format": "html", "alternatives": 2},
	} {
		a := f.send(t, "POST", "/translate", "application/json", jsonOf(t, body))
		m := decodeStrict(t, a)
		alts, has := m["alternatives"]
		if body["alternatives"] == nil && has || body["alternatives"] != nil && !reflect.DeepEqual(alts, []any{}) {
			t.Errorf("%v: alternatives %v", body, alts)
		}
	}
}

// TestLibreTranslateErrors checks that each bad request gets
// LibreTranslate's error: {"error": message} with its status.
func TestLibreTranslateErrors(t *testing.T) {
	f := newFixture(t)
	many := make([]string, 51)
	for i := range many {
		many[i] = "x"
	}
	ct, noFile := multipartOf(t, map[string]string{"source": "en", "target": "es"}, nil)
	tests := []struct {
		name   string
		path   string
		ct     string
		body   any
		status int
		says   string
	}{
		{"no q", "/translate", "application/json", map[string]any{"source": "en", "target": "es"}, 400, "missing q parameter"},
		{"no source", "/translate", "application/json", map[string]any{"q": "x", "target": "es"}, 400, "missing source parameter"},
		{"no target", "/translate", "application/json", map[string]any{"q": "x", "source": "en"}, 400, "missing target parameter"},
		{"auto", "/translate", "application/json", map[string]any{"q": "x", "source": "auto", "target": "es"}, 400, "auto is not supported"},
		{"pair not offered", "/translate", "application/json", map[string]any{"q": "x", "source": "en", "target": "fr"}, 400, "French (fr) is not available as a target language from English (en)"},
		{"not a language", "/translate", "application/json", map[string]any{"q": "x", "source": "C", "target": "es"}, 400, "C is not supported"},
		{"format", "/translate", "application/json", map[string]any{"q": "x", "source": "en", "target": "es", "format": "xml"}, 400, "xml format is not supported"},
		{"q of numbers", "/translate", "application/json", map[string]any{"q": 5, "source": "en", "target": "es"}, 400, "q is a string or an array"},
		{"malformed JSON", "/translate", "application/json", `{"q": "x",`, 400, "Invalid JSON format"},
		{"alternatives", "/translate", "application/json", map[string]any{"q": "x", "source": "en", "target": "es", "alternatives": -1}, 400, "alternatives"},
		{"too many texts", "/translate", "application/json", map[string]any{"q": many, "source": "en", "target": "es"}, 400, "exceeds text limit"},
		{"unknown key", "/translate", "application/json", map[string]any{"q": "x", "source": "en", "target": "es", "api_key": "kgm_nope"}, 401, "not known"},
		{"detect", "/detect", "application/json", map[string]any{"q": "Hello"}, 400, "language detection is not supported"},
		{"file missing", "/translate_file", ct, noFile, 400, "missing file parameter"},
		{"download unknown", "/download_file/0123.x.txt", "", nil, 404, "no translated file"},
	}
	for _, tt := range tests {
		var body []byte
		switch b := tt.body.(type) {
		case nil:
		case string:
			body = []byte(b)
		case []byte:
			body = b
		default:
			body = jsonOf(t, b)
		}
		method := "POST"
		if strings.HasPrefix(tt.path, "/download_file") {
			method = "GET"
		}
		a := f.send(t, method, tt.path, tt.ct, body)
		m := decodeStrict(t, a)
		msg, _ := m["error"].(string)
		if a.status != tt.status || len(m) != 1 || !strings.Contains(msg, tt.says) {
			t.Errorf("%s: %d %s, want %d {\"error\": …%s…}", tt.name, a.status, a.body, tt.status, tt.says)
		}
	}
}

// TestLibreSuggestLearns checks that a suggestion is learned at once,
// for a key of the learn role, and refused to others.
func TestLibreSuggestLearns(t *testing.T) {
	f := newFixture(t)
	const src, tgt = "Pin this notebook to the sidebar", "Fije este cuaderno en la barra lateral"
	suggest := map[string]any{"q": src, "s": tgt, "source": "en", "target": "es"}
	// A page of another site cannot make a local browser teach a keyless
	// server.
	a := f.send(t, "POST", "/suggest", "application/x-www-form-urlencoded",
		[]byte("q="+url.QueryEscape(src)+"&s=x&source=en&target=es"), "Origin: https://evil.example", "Sec-Fetch-Site: cross-site")
	if a.status != 403 {
		t.Errorf("cross-site suggestion: %d %s", a.status, a.body)
	}
	a = f.send(t, "POST", "/suggest", "application/json", jsonOf(t, suggest))
	if a.status != 200 || !reflect.DeepEqual(decodeStrict(t, a), map[string]any{"success": true}) {
		t.Fatalf("suggest: %d %s", a.status, a.body)
	}
	a = f.send(t, "POST", "/translate", "application/json", jsonOf(t, map[string]any{"q": src, "source": "en", "target": "es"}))
	if m := decodeStrict(t, a); m["translatedText"] != tgt {
		t.Errorf("after the suggestion, %q translates as %v, want %q", src, m["translatedText"], tgt)
	}
	ms, err := f.mem.SearchTM(context.Background(), retrieval.Query{Text: src, SourceLang: "en", TargetLang: "es"})
	if err != nil || len(ms) == 0 || ms[0].Target != tgt || !strings.HasPrefix(ms[0].Origin, "learn:") {
		t.Errorf("the memory after the suggestion: %+v, %v", ms, err)
	}
	// A translate key may not teach the memory; a learn key may.
	tr, err := f.keys.Add("translator", server.RoleTranslate, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	lr, err := f.keys.Add("reviewer", server.RoleLearn, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	suggest["api_key"] = tr
	if a := f.send(t, "POST", "/suggest", "application/json", jsonOf(t, suggest)); a.status != 403 || !strings.Contains(decodeStrict(t, a)["error"].(string), "role") {
		t.Errorf("suggestion with a translate key: %d %s", a.status, a.body)
	}
	suggest["api_key"] = lr
	if a := f.send(t, "POST", "/suggest", "application/json", jsonOf(t, suggest)); a.status != 200 {
		t.Errorf("suggestion with a learn key: %d %s", a.status, a.body)
	}
	delete(suggest, "api_key")
	if a := f.send(t, "POST", "/suggest", "application/json", jsonOf(t, suggest)); a.status != 401 {
		t.Errorf("suggestion without a key on a server with keys: %d %s", a.status, a.body)
	}
}

// TestLibreTranslateFile translates files of the formats kgmem reads
// through /translate_file and downloads them.
func TestLibreTranslateFile(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name, content, want string
	}{
		{"notes.txt", "Delete this notebook?\n\nNew Note\n", "¿Desea eliminar este cuaderno?"},
		{"ui.po", "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\nmsgid \"New Note\"\nmsgstr \"\"\n", `msgstr "Nueva nota"`},
		{"ui.tsv", "source\ttarget\nNew Note\t\n", "Nueva nota"},
	}
	for _, tt := range tests {
		ct, body := multipartOf(t, map[string]string{"source": "en", "target": "es"}, map[string][2]string{"file": {tt.name, tt.content}})
		a := f.send(t, "POST", "/translate_file", ct, body)
		m := decodeStrict(t, a)
		u, _ := m["translatedFileUrl"].(string)
		if a.status != 200 || len(m) != 1 || !strings.HasPrefix(u, f.http.URL+"/download_file/") || !strings.HasSuffix(u, "."+tt.name) {
			t.Errorf("%s: %d %s", tt.name, a.status, a.body)
			continue
		}
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(data), tt.want) || !strings.Contains(resp.Header.Get("Content-Disposition"), tt.name) {
			t.Errorf("%s: download %d %q (%s), want it to hold %q", tt.name, resp.StatusCode, data, resp.Header.Get("Content-Disposition"), tt.want)
		}
		// The URL names the job and the file: another name is not found.
		if resp, err := http.Get(strings.Replace(u, "."+tt.name, ".other.txt", 1)); err != nil || resp.StatusCode != 404 {
			t.Errorf("%s: a download under another name was not refused: %v %v", tt.name, resp.StatusCode, err)
		}
	}
}
