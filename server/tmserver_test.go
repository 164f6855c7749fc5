package server_test

import (
	"encoding/json"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kgmem/kgmem/server"
)

// tmserverAnswer decodes a tmserver answer, checking that every entry has
// exactly translate-toolkit's fields and types.
func tmserverAnswer(t *testing.T, a answer) []map[string]any {
	t.Helper()
	var ms []map[string]any
	if err := json.Unmarshal(a.body, &ms); err != nil || ms == nil {
		t.Fatalf("tmserver answer %d is not a JSON list: %v: %s", a.status, err, a.body)
	}
	for _, m := range ms {
		if err := sameShape(m, map[string]any{"source": "", "target": "", "context": "", "quality": 0.0}); err != "" {
			t.Errorf("match %v: %s", m, err)
		}
	}
	return ms
}

// sameShape says how m differs in keys or JSON types from want; "" when
// it does not.
func sameShape(m, want map[string]any) string {
	var diffs []string
	for k, w := range want {
		v, ok := m[k]
		switch {
		case !ok:
			diffs = append(diffs, "no "+k)
		case reflect.TypeOf(v) != reflect.TypeOf(w):
			diffs = append(diffs, k+" is "+reflect.TypeOf(v).String()+", not "+reflect.TypeOf(w).String())
		}
	}
	for k := range m {
		if _, ok := want[k]; !ok {
			diffs = append(diffs, "extra "+k)
		}
	}
	return strings.Join(diffs, "; ")
}

// TestTMServer checks tmserver's unit lookups: translate-toolkit's answer
// (a list of source, target, context and quality, best first), from the
// memory.
func TestTMServer(t *testing.T) {
	f := newFixture(t)
	a := f.send(t, "GET", "/tmserver/en/es/unit/"+url.PathEscape("New Note from Template…"), "", nil)
	ms := tmserverAnswer(t, a)
	if a.status != 200 || len(ms) == 0 || ms[0]["target"] != "Nueva nota a partir de una plantilla…" || ms[0]["quality"] != 100.0 || ms[0]["context"] != "" {
		t.Fatalf("exact lookup: %d %s", a.status, a.body)
	}
	// Qualities are written as Python writes floats, as translate-toolkit does.
	if !regexp.MustCompile(`"quality":\d+\.\d+`).Match(a.body) {
		t.Errorf("quality is not written with a fraction: %s", a.body)
	}
	// Fuzzy: best first, at least 75 and at most 3 by default.
	a = f.send(t, "GET", "/tmserver/en/es/unit/"+url.PathEscape("New Note from Templates…"), "", nil)
	ms = tmserverAnswer(t, a)
	if len(ms) == 0 || len(ms) > 3 {
		t.Fatalf("fuzzy lookup: %s", a.body)
	}
	for i, m := range ms {
		q := m["quality"].(float64)
		if q < 75 || q >= 100 || i > 0 && q > ms[i-1]["quality"].(float64) {
			t.Errorf("fuzzy lookup: quality %v at %d in %s", q, i, a.body)
		}
	}
	// min_similarity and max_candidates; nothing found is [].
	a = f.send(t, "GET", "/tmserver/en/es/unit/"+url.PathEscape("New Notes")+"?min_similarity=30&max_candidates=2", "", nil)
	if ms = tmserverAnswer(t, a); len(ms) != 2 {
		t.Errorf("min_similarity=30&max_candidates=2: %s", a.body)
	}
	a = f.send(t, "GET", "/tmserver/en/es/unit/"+url.PathEscape("Quantum chromodynamics"), "", nil)
	if a.status != 200 || strings.TrimSpace(string(a.body)) != "[]" {
		t.Errorf("no match: %d %s", a.status, a.body)
	}
	// Locale codes as gettext writes them.
	a = f.send(t, "GET", "/tmserver/en_US/es_ES/unit/"+url.PathEscape("New Note"), "", nil)
	if ms = tmserverAnswer(t, a); len(ms) == 0 || ms[0]["target"] != "Nueva nota" {
		t.Errorf("en_US → es_ES: %s", a.body)
	}
	// The memory's languages, as Weblate's tmserver client asks.
	a = f.send(t, "GET", "/tmserver/languages/", "", nil)
	if got := decodeStrict(t, a); !reflect.DeepEqual(got, map[string]any{"sourceLanguages": []any{"en"}, "targetLanguages": []any{"es"}}) {
		t.Errorf("languages: %d %s", a.status, a.body)
	}
}

// TestTMServerLearns checks that POST and PUT of units and POST of a
// store teach the memory, and what kgmem does not do answers 501.
func TestTMServerLearns(t *testing.T) {
	f := newFixture(t)
	const src = "Open/close the sidebar"
	unitPath := "/tmserver/en/es/unit/" + url.PathEscape(src)
	a := f.send(t, "POST", unitPath, "", jsonOf(t, map[string]string{"source": src, "target": "Abrir/cerrar la barra lateral"}))
	if a.status != 200 {
		t.Fatalf("POST unit: %d %s", a.status, a.body)
	}
	// The path holds an escaped /: the text is found whole.
	a = f.send(t, "GET", unitPath, "", nil)
	if ms := tmserverAnswer(t, a); len(ms) == 0 || ms[0]["target"] != "Abrir/cerrar la barra lateral" || ms[0]["quality"] != 100.0 {
		t.Errorf("after POST: %s", a.body)
	}
	a = f.send(t, "PUT", "/tmserver/en/es/unit/x", "application/json", jsonOf(t, map[string]string{"source": "Hide the toolbar", "target": "Ocultar la barra de herramientas"}))
	if a.status != 200 {
		t.Errorf("PUT unit: %d %s", a.status, a.body)
	}
	a = f.send(t, "POST", "/tmserver/en/es/store/ui.po", "application/json", jsonOf(t, []map[string]string{
		{"source": "Show the toolbar", "target": "Mostrar la barra de herramientas"},
		{"source": "Show the status bar", "target": "Mostrar la barra de estado", "context": "menu"},
	}))
	if a.status != 200 || string(a.body) != "added 2 units from ui.po" {
		t.Errorf("POST store: %d %s", a.status, a.body)
	}
	for src, want := range map[string]string{"Hide the toolbar": "Ocultar la barra de herramientas", "Show the status bar": "Mostrar la barra de estado"} {
		a = f.send(t, "GET", "/tmserver/en/es/unit/"+url.PathEscape(src), "", nil)
		if ms := tmserverAnswer(t, a); len(ms) == 0 || ms[0]["target"] != want {
			t.Errorf("%q after learning: %s", src, a.body)
		}
	}
	for _, tt := range []struct {
		method, path, body string
		status             int
	}{
		{"DELETE", "/tmserver/en/es/unit/x", "", 501},
		{"GET", "/tmserver/en/es/store/ui.po", "", 501},
		{"PUT", "/tmserver/en/es/store/ui.po", "msgid \"\"", 501},
		{"POST", "/tmserver/en/es/unit/x", `{"source": "x"}`, 400},
		{"POST", "/tmserver/en/es/unit/x", `not json`, 400},
		{"GET", "/tmserver/C/es/unit/x", "", 400},
		{"GET", "/tmserver/en/es/unit/", "", 404},
	} {
		a := f.send(t, tt.method, tt.path, "", []byte(tt.body))
		if a.status != tt.status || !strings.HasPrefix(a.header.Get("Content-Type"), "text/plain") || len(a.body) < 10 {
			t.Errorf("%s %s: %d %q (%s), want %d with a message", tt.method, tt.path, a.status, a.body, a.header.Get("Content-Type"), tt.status)
		}
	}
}

// TestTMServerKeys checks keys on tmserver's routes: a read key looks up
// (as api_key in the URL, for clients that cannot send headers), only a
// learn key teaches.
func TestTMServerKeys(t *testing.T) {
	f := newFixture(t)
	reader, err := f.keys.Add("virtaal", server.RoleRead, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	get := "/tmserver/en/es/unit/" + url.PathEscape("New Note")
	if a := f.send(t, "GET", get, "", nil); a.status != 401 {
		t.Errorf("lookup without a key: %d %s", a.status, a.body)
	}
	if a := f.send(t, "GET", get+"?api_key="+url.QueryEscape(reader), "", nil); a.status != 200 {
		t.Errorf("lookup with a read key: %d %s", a.status, a.body)
	}
	body := jsonOf(t, map[string]string{"source": "New Note", "target": "Nota nueva"})
	if a := f.send(t, "POST", get, "", body, "Authorization: Bearer "+reader); a.status != 403 {
		t.Errorf("learning with a read key: %d %s", a.status, a.body)
	}
}
