package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/kgmem/kgmem/internal/testenv"
	"github.com/kgmem/kgmem/server"
)

// deeplNodeDir returns the directory of the Node harness with the pinned
// deepl-node installed (npm ci, unless that version is there already).
func deeplNodeDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(testenv.RepoRoot(t), "server", "testdata", "deepl-node")
	testenv.Tool(t, "node", "apt-get install nodejs")
	npm := testenv.Tool(t, "npm", "apt-get install npm")
	var pkg struct{ Dependencies map[string]string }
	data, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil || json.Unmarshal(data, &pkg) != nil || pkg.Dependencies["deepl-node"] == "" {
		t.Fatalf("package.json of the harness does not pin deepl-node: %v", err)
	}
	var installed struct{ Version string }
	data, err = os.ReadFile(filepath.Join(dir, "node_modules", "deepl-node", "package.json"))
	if err != nil || json.Unmarshal(data, &installed) != nil || installed.Version != pkg.Dependencies["deepl-node"] {
		cmd := exec.Command(npm, "ci", "--no-audit", "--no-fund", "--loglevel=error")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("npm ci in %s: %v\n%s", dir, err, out)
		}
	}
	return dir
}

// nodeStep is one step of run.js: its value, or the client's error.
type nodeStep struct {
	OK      bool            `json:"ok"`
	Value   json.RawMessage `json:"value"`
	Error   string          `json:"error"`
	Message string          `json:"message"`
}

// nodeText is a TextResult of deepl-node.
type nodeText struct {
	Text               string `json:"text"`
	DetectedSourceLang string `json:"detectedSourceLang"`
	BilledCharacters   int    `json:"billedCharacters"`
}

type nodeUsage struct {
	Count           int64 `json:"count"`
	Limit           int64 `json:"limit"`
	AnyLimitReached bool  `json:"anyLimitReached"`
}

// TestDeepLNode drives the DeepL API with DeepL's own Node client,
// deepl-node, pointed at a server of the demo memory: languages, usage,
// text translation (split, markup, context), glossaries made, used, listed
// and deleted, a document, and the client's errors.
func TestDeepLNode(t *testing.T) {
	dir := deeplNodeDir(t)
	f := newFixture(t)
	key, err := f.keys.Add("deepl", server.RoleLearn, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	other, err := f.keys.Add("other", server.RoleTranslate, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", "run.js")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "KGMEM_URL="+f.http.URL, "KGMEM_KEY="+key, "KGMEM_OTHER_KEY="+other, "KGMEM_WORK="+work)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node run.js: %v\n%s", err, stderr.String())
	}
	var steps map[string]nodeStep
	if err := json.Unmarshal(out, &steps); err != nil {
		t.Fatalf("run.js printed no JSON: %v\n%s\n%s", err, out, stderr.String())
	}
	defer func() {
		if t.Failed() || os.Getenv("KGMEM_DEBUG_DEEPL") != "" {
			t.Logf("run.js printed %s", out)
		}
	}()
	// value decodes a step that must have succeeded.
	value := func(name string, v any) bool {
		t.Helper()
		s, ok := steps[name]
		if !ok || !s.OK {
			t.Errorf("%s failed: %s: %s", name, s.Error, s.Message)
			return false
		}
		if err := json.Unmarshal(s.Value, v); err != nil {
			t.Errorf("%s: %v: %s", name, err, s.Value)
			return false
		}
		return true
	}
	// failed checks that a step failed with the client's error class and
	// a message that says what.
	failed := func(name, class, message string) {
		t.Helper()
		s := steps[name]
		if s.OK || s.Error != class || !strings.Contains(s.Message, message) {
			t.Errorf("%s = ok %v, %s: %q; want %s with %q", name, s.OK, s.Error, s.Message, class, message)
		}
	}
	text := func(name string, want ...string) []nodeText {
		t.Helper()
		var got []nodeText
		if !value(name, &got) {
			return nil
		}
		if len(got) != len(want) {
			t.Errorf("%s: %d texts, want %d: %+v", name, len(got), len(want), got)
			return got
		}
		for i := range want {
			if got[i].Text != want[i] || got[i].DetectedSourceLang != "en" {
				t.Errorf("%s[%d] = %q (from %q), want %q (from en)", name, i, got[i].Text, got[i].DetectedSourceLang, want[i])
			}
		}
		return got
	}

	// Languages: only what the memory model can do with this memory.
	var langs []map[string]any
	if value("sourceLanguages", &langs) && (len(langs) != 1 || langs[0]["code"] != "en" || langs[0]["name"] != "English") {
		t.Errorf("source languages = %v, want English alone", langs)
	}
	if value("targetLanguages", &langs) && (len(langs) != 1 || langs[0]["code"] != "es" || langs[0]["name"] != "Spanish" || langs[0]["supportsFormality"] != false) {
		t.Errorf("target languages = %v, want Spanish alone, without formality", langs)
	}
	var pairs []map[string]string
	if value("glossaryLanguagePairs", &pairs) && (len(pairs) != 1 || pairs[0]["sourceLang"] != "en" || pairs[0]["targetLang"] != "es") {
		t.Errorf("glossary language pairs = %v, want en→es", pairs)
	}
	var before, after, otherUsage nodeUsage
	if value("usageBefore", &before) && (before.Count != 0 || before.Limit != server.DeepLCharacterLimit || before.AnyLimitReached) {
		t.Errorf("usage before = %+v", before)
	}

	// Text: exact matches of the memory, per sentence; markup kept in
	// place; context taken.
	billed := 0
	for _, name := range []string{"translate", "translateSplit", "translateNoSplit", "translateTags", "translateContext", "translateGlossary", "translateAfterDelete"} {
		var got []nodeText
		if value(name, &got) {
			for _, g := range got {
				billed += g.BilledCharacters
			}
		}
	}
	if rs := text("translate", "¿Desea eliminar este cuaderno?", "The gizmo is broken."); rs != nil && rs[0].BilledCharacters != utf8.RuneCountInString("Delete this notebook?") {
		t.Errorf("billed characters of %q = %d", "Delete this notebook?", rs[0].BilledCharacters)
	}
	text("translateSplit", "¿Desea eliminar este cuaderno? ¿Desea eliminar esta nota?\n¿Desea eliminar esta etiqueta?")
	var whole []nodeText
	if value("translateNoSplit", &whole) && len(whole) == 1 && whole[0].Text == "¿Desea eliminar este cuaderno? ¿Desea eliminar esta nota?" {
		t.Errorf("split_sentences=0 translated sentence by sentence: %q", whole[0].Text)
	}
	text("translateTags", "<p>¿Desea eliminar este cuaderno?</p><p>Abrir the <b>cuaderno</b> now.</p>")
	text("translateContext", "¿Desea eliminar este cuaderno?")

	// Glossaries: made, used, described, listed, then deleted, after
	// which their terms are gone from the memory too.
	var g struct {
		GlossaryID string `json:"glossaryId"`
		Name       string `json:"name"`
		Ready      bool   `json:"ready"`
		SourceLang string `json:"sourceLang"`
		TargetLang string `json:"targetLang"`
		EntryCount int    `json:"entryCount"`
	}
	if value("createGlossary", &g) && (g.GlossaryID == "" || g.Name != "kgmem test" || !g.Ready || g.SourceLang != "en" || g.TargetLang != "es" || g.EntryCount != 2) {
		t.Errorf("createGlossary = %+v", g)
	}
	var csvGlossary struct {
		GlossaryID string `json:"glossaryId"`
		EntryCount int    `json:"entryCount"`
	}
	if value("createGlossaryCsv", &csvGlossary) && csvGlossary.EntryCount != 2 {
		t.Errorf("createGlossaryWithCsv = %+v, want 2 entries", csvGlossary)
	}
	text("translateGlossary", "The artilugio is broken.")
	var got struct {
		GlossaryID string `json:"glossaryId"`
		Name       string `json:"name"`
	}
	if value("getGlossary", &got) && (got.GlossaryID != g.GlossaryID || got.Name != g.Name) {
		t.Errorf("getGlossary = %+v, want %+v", got, g)
	}
	var list []struct {
		GlossaryID string `json:"glossaryId"`
	}
	if value("listGlossaries", &list) && (len(list) != 2 || list[0].GlossaryID != g.GlossaryID || list[1].GlossaryID != csvGlossary.GlossaryID) {
		t.Errorf("listGlossaries = %+v, want %s and %s", list, g.GlossaryID, csvGlossary.GlossaryID)
	}
	var entries map[string]string
	if value("glossaryEntries", &entries) && (len(entries) != 2 || entries["gizmo"] != "artilugio" || entries["sync conflict"] != "conflicto de sincronización") {
		t.Errorf("glossary entries = %v", entries)
	}

	// A document, through the memory (the glossary is in it now).
	var doc struct {
		Done, OK         bool
		BilledCharacters int
		Output           string
	}
	if value("translateDocument", &doc) {
		if !doc.Done || !doc.OK || doc.Output != "¿Desea eliminar este cuaderno?\n\nThe artilugio is broken. ¿Desea eliminar esta nota?\n" {
			t.Errorf("translateDocument = %+v", doc)
		}
		if want := utf8.RuneCountInString("Delete this notebook?" + "The gizmo is broken." + "Delete this note?"); doc.BilledCharacters != want {
			t.Errorf("document billed characters = %d, want %d", doc.BilledCharacters, want)
		}
		billed += doc.BilledCharacters
	}
	failed("translateDocx", "DocumentTranslationError", "Invalid file data")

	// Usage: what this key had translated, not the other's.
	if value("usageAfter", &after) && after.Count != before.Count+int64(billed-translateAfterDeleteChars(t, steps)) {
		t.Errorf("usage after = %d, want %d + %d billed", after.Count, before.Count, billed-translateAfterDeleteChars(t, steps))
	}
	if value("usageOther", &otherUsage) && otherUsage.Count != 0 {
		t.Errorf("the other key's usage = %d, want 0", otherUsage.Count)
	}

	if s := steps["deleteGlossary"]; !s.OK {
		t.Errorf("deleteGlossary: %s: %s", s.Error, s.Message)
	}
	if value("listAfterDelete", &list) && (len(list) != 1 || list[0].GlossaryID != csvGlossary.GlossaryID) {
		t.Errorf("glossaries after deleting %s = %+v", g.GlossaryID, list)
	}
	failed("getDeletedGlossary", "GlossaryNotFoundError", "Glossary not found")
	failed("translateDeletedGlossary", "DeepLError", "Not found")
	text("translateAfterDelete", "The gizmo is broken.")

	// Errors as the client knows them.
	failed("badKey", "AuthorizationError", "Authorization failure")
	failed("unsupportedTarget", "DeepLError", "Value for 'target_lang' not supported")
	failed("formality", "DeepLError", "'formality' is not supported")
	failed("noSourceLang", "DeepLError", "Parameter 'source_lang' not specified")
}

// translateAfterDeleteChars is what the last translation billed: it comes
// after usageAfter was read.
func translateAfterDeleteChars(t *testing.T, steps map[string]nodeStep) int {
	var got []nodeText
	if s := steps["translateAfterDelete"]; s.OK && json.Unmarshal(s.Value, &got) == nil && len(got) == 1 {
		return got[0].BilledCharacters
	}
	return 0
}

// deeplCall sends a DeepL request: a form (url.Values), JSON (anything
// else) or nothing, with the key as DeepL clients send it.
func (f *fixture) deeplCall(t *testing.T, method, path, key string, body any) (int, http.Header, []byte) {
	t.Helper()
	var r *bytes.Reader
	ct := ""
	switch b := body.(type) {
	case nil:
		r = bytes.NewReader(nil)
	case url.Values:
		r, ct = bytes.NewReader([]byte(b.Encode())), "application/x-www-form-urlencoded"
	case []byte:
		r, ct = bytes.NewReader(b), "application/json"
	default:
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		r, ct = bytes.NewReader(data), "application/json"
	}
	req, err := http.NewRequest(method, f.http.URL+path, r)
	if err != nil {
		t.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if key != "" {
		req.Header.Set("Authorization", "DeepL-Auth-Key "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	return resp.StatusCode, resp.Header, buf.Bytes()
}

// deeplMessage returns the message of a DeepL error answer.
func deeplMessage(t *testing.T, body []byte) string {
	t.Helper()
	var e struct{ Message, Detail string }
	if err := json.Unmarshal(body, &e); err != nil || e.Message == "" {
		t.Errorf("not a DeepL error: %s", body)
	}
	return e.Message
}

// TestDeepLErrors checks each endpoint's refusals: status and message as
// DeepL gives them.
func TestDeepLErrors(t *testing.T) {
	f := newFixture(t)
	key, err := f.keys.Add("deepl", server.RoleLearn, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	reader, err := f.keys.Add("reader", server.RoleRead, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	form := func(kv ...string) url.Values {
		v := url.Values{}
		for i := 0; i < len(kv); i += 2 {
			v.Add(kv[i], kv[i+1])
		}
		return v
	}
	many := form("source_lang", "EN", "target_lang", "ES")
	for range 51 {
		many.Add("text", "x")
	}
	huge := form("source_lang", "EN", "target_lang", "ES", "text", strings.Repeat("x", 3<<20))
	const unknownGlossary = "0b7b7c8e-2b5a-4a7e-9a64-0d6d0a8e5f11"
	tests := []struct {
		name         string
		method, path string
		key          string
		body         any
		status       int
		message      string
	}{
		{"no key", "POST", "/v2/translate", "", form("text", "x", "source_lang", "EN", "target_lang", "ES"), 403, "Authorization failure"},
		{"bad key", "POST", "/v2/translate", "kgm_wrong", form("text", "x", "source_lang", "EN", "target_lang", "ES"), 403, "Authorization failure"},
		{"read key cannot translate", "POST", "/v2/translate", reader, form("text", "x", "source_lang", "EN", "target_lang", "ES"), 403, "Authorization failure"},
		{"read key cannot make glossaries", "POST", "/v2/glossaries", reader, form("name", "g", "source_lang", "en", "target_lang", "es", "entries", "a\tb", "entries_format", "tsv"), 403, "Authorization failure"},
		{"no text", "POST", "/v2/translate", key, form("source_lang", "EN", "target_lang", "ES"), 400, "Parameter 'text' not specified."},
		{"no target", "POST", "/v2/translate", key, form("text", "x", "source_lang", "EN"), 400, "Parameter 'target_lang' not specified."},
		{"unsupported target", "POST", "/v2/translate", key, form("text", "x", "source_lang", "EN", "target_lang", "DE"), 400, "Value for 'target_lang' not supported."},
		{"a variant the memory lacks", "POST", "/v2/translate", key, form("text", "x", "source_lang", "EN", "target_lang", "ES-419"), 400, "Value for 'target_lang' not supported."},
		{"unsupported source", "POST", "/v2/translate", key, form("text", "x", "source_lang", "FR", "target_lang", "ES"), 400, "Value for 'source_lang' not supported."},
		{"no source (kgmem detects none)", "POST", "/v2/translate", key, form("text", "x", "target_lang", "ES"), 400, "Parameter 'source_lang' not specified."},
		{"formality", "POST", "/v2/translate", key, form("text", "x", "source_lang", "EN", "target_lang", "ES", "formality", "less"), 400, "'formality' is not supported for given 'target_lang'."},
		{"bad formality", "POST", "/v2/translate", key, form("text", "x", "source_lang", "EN", "target_lang", "ES", "formality", "polite"), 400, "Value for 'formality' not supported."},
		{"model type", "POST", "/v2/translate", key, form("text", "x", "source_lang", "EN", "target_lang", "ES", "model_type", "quality_optimized"), 400, "Value for 'model_type' not supported."},
		{"style rules", "POST", "/v2/translate", key, form("text", "x", "source_lang", "EN", "target_lang", "ES", "style_id", "s"), 400, "Value for 'style_id' not supported."},
		{"tag handling", "POST", "/v2/translate", key, form("text", "x", "source_lang", "EN", "target_lang", "ES", "tag_handling", "markdown"), 400, "Value for 'tag_handling' not supported."},
		{"split sentences", "POST", "/v2/translate", key, form("text", "x", "source_lang", "EN", "target_lang", "ES", "split_sentences", "2"), 400, "Value for 'split_sentences' not supported."},
		{"outline detection", "POST", "/v2/translate", key, form("text", "x", "source_lang", "EN", "target_lang", "ES", "tag_handling", "xml", "outline_detection", "1"), 400, "Value for 'outline_detection' not supported."},
		{"unknown glossary", "POST", "/v2/translate", key, form("text", "x", "source_lang", "EN", "target_lang", "ES", "glossary_id", unknownGlossary), 404, "Glossary not found"},
		{"glossary without source", "POST", "/v2/translate", key, form("text", "x", "target_lang", "ES", "glossary_id", unknownGlossary), 400, "Use of a glossary requires the source_lang parameter to be specified"},
		{"too many texts", "POST", "/v2/translate", key, many, 413, "Request Entity Too Large"},
		{"too large", "POST", "/v2/translate", key, huge, 413, "Request Entity Too Large"},
		{"bad JSON", "POST", "/v2/translate", key, []byte(`{"text": ["x"], "target_lang": `), 400, "Bad request"},
		{"JSON object in a parameter", "POST", "/v2/translate", key, []byte(`{"text": [{"a": 1}], "target_lang": "ES", "source_lang": "EN"}`), 400, "Bad request"},
		{"languages of a bad type", "GET", "/v2/languages?type=both", key, nil, 400, "Parameter 'type' is invalid. 'source' and 'target' are valid values."},
		{"unknown glossary info", "GET", "/v2/glossaries/" + unknownGlossary, key, nil, 404, "Glossary not found"},
		{"unknown glossary entries", "GET", "/v2/glossaries/" + unknownGlossary + "/entries", key, nil, 404, "Glossary not found"},
		{"unknown glossary deleted", "DELETE", "/v2/glossaries/" + unknownGlossary, key, nil, 404, "Glossary not found"},
		{"glossary without entries", "POST", "/v2/glossaries", key, form("name", "g", "source_lang", "en", "target_lang", "es"), 400, "Parameter 'entries' not specified."},
		{"glossary without a name", "POST", "/v2/glossaries", key, form("source_lang", "en", "target_lang", "es", "entries", "a\tb"), 400, "Parameter 'name' not specified."},
		{"glossary pair", "POST", "/v2/glossaries", key, form("name", "g", "source_lang", "en", "target_lang", "de", "entries", "a\tb"), 400, "Unsupported glossary source and target language pair"},
		{"glossary entry without a tab", "POST", "/v2/glossaries", key, form("name", "g", "source_lang", "en", "target_lang", "es", "entries", "a\tb\nc d"), 400, "Invalid glossary entries provided"},
		{"glossary entry twice", "POST", "/v2/glossaries", key, form("name", "g", "source_lang", "en", "target_lang", "es", "entries", "a\tb\na\tc"), 400, "Invalid glossary entries provided"},
		{"glossary format", "POST", "/v2/glossaries", key, form("name", "g", "source_lang", "en", "target_lang", "es", "entries", "a\tb", "entries_format", "xlsx"), 400, "Value for 'entries_format' not supported."},
		{"unknown document", "POST", "/v2/document/0123", key, form("document_key", "k"), 404, "Document not found"},
		{"v3 glossaries", "GET", "/v3/glossaries", key, nil, 404, "Not found"},
		{"write", "POST", "/v2/write/rephrase", key, form("text", "x"), 404, "Not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, body := f.deeplCall(t, tt.method, tt.path, tt.key, tt.body)
			if status != tt.status {
				t.Fatalf("%s %s: status %d, want %d (%s)", tt.method, tt.path, status, tt.status, body)
			}
			if got := deeplMessage(t, body); got != tt.message {
				t.Errorf("%s %s: message %q, want %q (%s)", tt.method, tt.path, got, tt.message, body)
			}
		})
	}
}

// TestDeepLRequests checks what deepl-node does not send: JSON bodies,
// a key in the query, entries and documents read back as DeepL gives them.
func TestDeepLRequests(t *testing.T) {
	f := newFixture(t)
	key, err := f.keys.Add("deepl", server.RoleLearn, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	// JSON, as DeepL's documentation shows it.
	status, _, body := f.deeplCall(t, "POST", "/v2/translate", key, map[string]any{
		"text": []string{"Delete this notebook?", "Delete this note?"}, "source_lang": "EN", "target_lang": "ES",
		"preserve_formatting": true, "split_sentences": "nonewlines", "show_billed_characters": true})
	var tr struct {
		Translations []struct {
			Text             string `json:"text"`
			Detected         string `json:"detected_source_language"`
			BilledCharacters *int   `json:"billed_characters"`
		} `json:"translations"`
	}
	if status != 200 || json.Unmarshal(body, &tr) != nil || len(tr.Translations) != 2 || tr.Translations[1].Text != "¿Desea eliminar esta nota?" ||
		tr.Translations[0].Detected != "EN" || tr.Translations[0].BilledCharacters == nil || *tr.Translations[0].BilledCharacters != 21 {
		t.Fatalf("JSON translate: %d %s", status, body)
	}
	// A key in the query (auth_key, DeepL's old way), no billed characters
	// unless asked.
	status, _, body = f.deeplCall(t, "POST", "/v2/translate?auth_key="+url.QueryEscape(key), "", url.Values{"text": {"Delete this note?"}, "source_lang": {"en"}, "target_lang": {"es"}})
	if status != 200 || bytes.Contains(body, []byte("billed_characters")) {
		t.Errorf("translate with auth_key: %d %s", status, body)
	}
	// ignore_tags keeps an element whole, untranslated; newlines split
	// sentences unless nonewlines.
	status, _, body = f.deeplCall(t, "POST", "/v2/translate", key, url.Values{"text": {"Delete this note? <keep>Delete this note?</keep>"},
		"source_lang": {"EN"}, "target_lang": {"ES"}, "tag_handling": {"xml"}, "ignore_tags": {"keep"}})
	if status != 200 || json.Unmarshal(body, &tr) != nil || tr.Translations[0].Text != "¿Desea eliminar esta nota? <keep>Delete this note?</keep>" {
		t.Errorf("ignore_tags: %d %s", status, body)
	}

	// Glossary entries as TSV, in the order given; JSON creation.
	status, _, body = f.deeplCall(t, "POST", "/v2/glossaries", key, map[string]string{"name": "json", "source_lang": "EN", "target_lang": "ES",
		"entries": "gizmo\tartilugio\r\n\r\nwidget\tcomponente\n", "entries_format": "tsv"})
	var g struct {
		ID    string `json:"glossary_id"`
		Count int    `json:"entry_count"`
	}
	if status != 201 || json.Unmarshal(body, &g) != nil || g.Count != 2 {
		t.Fatalf("create a glossary from JSON: %d %s", status, body)
	}
	status, h, body := f.deeplCall(t, "GET", "/v2/glossaries/"+g.ID+"/entries", key, nil)
	if status != 200 || string(body) != "gizmo\tartilugio\nwidget\tcomponente" || !strings.HasPrefix(h.Get("Content-Type"), "text/tab-separated-values") {
		t.Errorf("entries: %d %q %s", status, body, h.Get("Content-Type"))
	}
	req, _ := http.NewRequest("GET", f.http.URL+"/v2/glossaries/"+g.ID+"/entries", nil)
	req.Header.Set("Authorization", "DeepL-Auth-Key "+key)
	req.Header.Set("Accept", "application/json")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusUnsupportedMediaType {
		t.Errorf("entries as JSON: %v %v", resp.StatusCode, err)
	}
	// The glossary outlives the server: a new one over the same memory
	// has it.
	srv2, err := server.New(server.Options{Memory: f.mem, Keys: f.keys, Model: "memory", JobDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	req, _ = http.NewRequest("GET", "/v2/glossaries", nil)
	req.Header.Set("Authorization", "DeepL-Auth-Key "+key)
	req.RemoteAddr = "127.0.0.1:1"
	rec := httptest.NewRecorder()
	srv2.Handler().ServeHTTP(rec, req)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), g.ID) {
		t.Errorf("glossaries of a restarted server: %d %s", rec.Code, rec.Body.String())
	}

	// A document: status polled with its key, result downloaded once.
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "ui.po")
	fw.Write([]byte("msgid \"Delete this notebook?\"\nmsgstr \"\"\n"))
	mw.WriteField("source_lang", "EN")
	mw.WriteField("target_lang", "ES")
	mw.Close()
	req, _ = http.NewRequest("POST", f.http.URL+"/v2/document", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "DeepL-Auth-Key "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var handle struct {
		ID  string `json:"document_id"`
		Key string `json:"document_key"`
	}
	json.NewDecoder(resp.Body).Decode(&handle)
	resp.Body.Close()
	if resp.StatusCode != 200 || handle.ID == "" || handle.Key == "" {
		t.Fatalf("upload: %d %+v", resp.StatusCode, handle)
	}
	if status, _, body := f.deeplCall(t, "POST", "/v2/document/"+handle.ID, key, url.Values{"document_key": {"wrong"}}); status != 404 {
		t.Errorf("status with a wrong key: %d %s", status, body)
	}
	var st struct {
		Status string `json:"status"`
		Billed int    `json:"billed_characters"`
	}
	deadline := time.Now().Add(time.Minute)
	for st.Status != "done" && st.Status != "error" && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		_, _, body := f.deeplCall(t, "POST", "/v2/document/"+handle.ID, key, url.Values{"document_key": {handle.Key}})
		json.Unmarshal(body, &st)
	}
	if st.Status != "done" || st.Billed != 21 {
		t.Fatalf("document status %+v", st)
	}
	status, _, body = f.deeplCall(t, "POST", "/v2/document/"+handle.ID+"/result", key, url.Values{"document_key": {handle.Key}})
	if status != 200 || !bytes.Contains(body, []byte(`msgstr "¿Desea eliminar este cuaderno?"`)) {
		t.Errorf("result: %d %s", status, body)
	}
	if status, _, body := f.deeplCall(t, "POST", "/v2/document/"+handle.ID+"/result", key, url.Values{"document_key": {handle.Key}}); status != 404 {
		t.Errorf("a second download: %d %s, want 404 (removed once downloaded)", status, body)
	}

	// A document over the server's limit.
	small, err := server.New(server.Options{Memory: f.mem, Keys: f.keys, Model: "memory", JobDir: t.TempDir(), MaxDocument: 1 << 10})
	if err != nil {
		t.Fatal(err)
	}
	buf.Reset()
	mw = multipart.NewWriter(&buf)
	mw.WriteField("source_lang", "EN")
	mw.WriteField("target_lang", "ES")
	fw, _ = mw.CreateFormFile("file", "big.txt")
	fw.Write(bytes.Repeat([]byte("Delete this note? "), 1000))
	mw.Close()
	req = httptest.NewRequest("POST", "/v2/document", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "DeepL-Auth-Key "+key)
	rec = httptest.NewRecorder()
	small.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge || deeplMessage(t, rec.Body.Bytes()) != "Request Entity Too Large" {
		t.Errorf("a document over the limit: %d %s", rec.Code, rec.Body.String())
	}
}

// TestDeepLGlossaryPair checks that a glossary is used only with its own
// language pair, and that languages follow the memory: a pair learned is
// a pair offered.
func TestDeepLGlossaryPair(t *testing.T) {
	f := newFixture(t)
	key, err := f.keys.Add("deepl", server.RoleLearn, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	status, _, body := f.deeplCall(t, "POST", "/v2/glossaries", key, url.Values{"name": {"g"}, "source_lang": {"en"}, "target_lang": {"es"}, "entries": {"gizmo\tartilugio"}})
	var g struct {
		ID string `json:"glossary_id"`
	}
	if status != 201 || json.Unmarshal(body, &g) != nil {
		t.Fatalf("create: %d %s", status, body)
	}
	// The memory learns an English–French pair: French becomes a target.
	if status, body := f.call(t, "POST", "/api/v1/learn", key, server.LearnRequest{SourceLang: "en", TargetLang: "fr",
		Pairs: []server.Pair{{Source: "Delete this notebook?", Target: "Supprimer ce carnet ?"}}}); status != 200 {
		t.Fatalf("learn en→fr: %d %s", status, body)
	}
	status, _, body = f.deeplCall(t, "GET", "/v2/languages?type=target", key, nil)
	if status != 200 || !bytes.Contains(body, []byte(`"language":"FR"`)) || !bytes.Contains(body, []byte(`"language":"ES"`)) {
		t.Fatalf("target languages after learning French: %d %s", status, body)
	}
	status, _, body = f.deeplCall(t, "POST", "/v2/translate", key, url.Values{"text": {"Delete this notebook?"}, "source_lang": {"EN"}, "target_lang": {"FR"}})
	if status != 200 || !bytes.Contains(body, []byte("Supprimer ce carnet ?")) {
		t.Errorf("translate into French: %d %s", status, body)
	}
	status, _, body = f.deeplCall(t, "POST", "/v2/translate", key, url.Values{"text": {"The gizmo"}, "source_lang": {"EN"}, "target_lang": {"FR"}, "glossary_id": {g.ID}})
	if status != 400 || deeplMessage(t, body) != "Language pair of the glossary doesn't match the language pair of the request" {
		t.Errorf("an en→es glossary used en→fr: %d %s", status, body)
	}
}

// TestDeepLKeyless checks that a server without keys serves DeepL clients
// on its own machine, whatever key they send (they cannot send none).
func TestDeepLKeyless(t *testing.T) {
	f := newFixture(t)
	status, _, body := f.deeplCall(t, "GET", "/v2/usage", "anything", nil)
	if status != 200 || !bytes.Contains(body, []byte(`"character_limit"`)) {
		t.Errorf("usage on a keyless server from loopback: %d %s", status, body)
	}
}
