package tmx

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/internal/testenv"
)

// toolkitScript prints what translate-toolkit's tmx storage reads from a
// file, as JSON.
const toolkitScript = `
import json, sys
from translate.storage import tmx
from translate.misc.xml_helpers import getXMLlang
with open(sys.argv[1], "rb") as f:
    store = tmx.tmxfile(f)
out = []
for u in store.units:
    out.append({
        "id": u.xmlelement.get("tuid", ""),
        "langs": [getXMLlang(n) for n in u.getlanguageNodes()],
        "source": u.source,
        "target": u.target,
        "notes": u._getnotelist(),
    })
json.dump(out, sys.stdout)
`

type toolkitUnit struct {
	ID     string   `json:"id"`
	Langs  []string `json:"langs"`
	Source string   `json:"source"`
	Target string   `json:"target"`
	Notes  []string `json:"notes"`
}

// toolkitText is a segment as translate-toolkit reads it: the string value
// of <seg>, which includes the text of inline codes and their <sub>s.
func toolkitText(t *testing.T, s corpora.Segment) string {
	var b strings.Builder
	for _, sp := range s.Spans {
		if sp.Code == nil {
			b.WriteString(sp.Text)
			continue
		}
		sc := newScanner(strings.NewReader("<x>"+sp.Code.Native+"</x>"), "", corpora.Limits{}.Or())
		for {
			tok, err := sc.next()
			if err != nil {
				t.Fatalf("native %q: %v", sp.Code.Native, err)
			}
			if tok.kind == tokEOF {
				break
			}
			if tok.kind == tokText {
				b.Write(tok.text)
			}
		}
	}
	return b.String()
}

// TestToolkitReadsOurs writes units with the Writer and has
// translate-toolkit parse the file: it must see the same units, languages,
// text and notes as our reader.
func TestToolkitReadsOurs(t *testing.T) {
	python := testenv.ToolkitPython(t)
	units := append(featureUnits(), foreignUnits()...)
	units = append(units, readFile(t, kit(t, "ImportTest2C.tmx"), corpora.ReadOptions{})...)
	data, _ := tatoebaTMX(t, 300)
	units = append(units, read(data, corpora.ReadOptions{}).units...)
	units = append(units, &corpora.Unit{SourceLang: en, TargetLang: es, Source: corpora.Text("emoji 🙂, nbsp\u00a0, CR\r\nLF, <&>"), Target: corpora.Text("ok")})

	path := filepath.Join(t.TempDir(), "ours.tmx")
	out := write(t, WriterOptions{SourceLang: en, TargetLang: es}, units)
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
	ours := read(out, corpora.ReadOptions{})
	if ours.err != nil {
		t.Fatal(ours.err)
	}
	cmd := exec.Command(python, "-c", toolkitScript, path)
	cmd.Stderr = os.Stderr
	js, err := cmd.Output()
	if err != nil {
		t.Fatalf("translate-toolkit cannot read our TMX: %v", err)
	}
	var theirs []toolkitUnit
	if err := json.Unmarshal(js, &theirs); err != nil {
		t.Fatal(err)
	}
	if len(theirs) != len(ours.units) || len(theirs) != len(units) {
		t.Fatalf("translate-toolkit read %d units, we read %d, wrote %d", len(theirs), len(ours.units), len(units))
	}
	for i, u := range ours.units {
		th := theirs[i]
		want := toolkitUnit{ID: u.ID, Langs: []string{u.SourceLang.String(), u.TargetLang.String()},
			Source: toolkitText(t, u.Source), Target: toolkitText(t, u.Target), Notes: u.Notes}
		if want.Notes == nil {
			want.Notes = []string{}
		}
		if th.ID != want.ID || strings.Join(th.Langs, ",") != strings.Join(want.Langs, ",") || th.Source != want.Source ||
			th.Target != want.Target || strings.Join(th.Notes, "\x00") != strings.Join(want.Notes, "\x00") {
			t.Errorf("unit %d: translate-toolkit read %+v, we read %+v", i, th, want)
		}
	}
}

// TestPo2tmx reads a TMX that translate-toolkit's po2tmx made from a PO
// file.
func TestPo2tmx(t *testing.T) {
	po2tmx := testenv.Tool(t, "po2tmx", "apt-get install translate-toolkit")
	dir := t.TempDir()
	po := `msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"

#. for translators
msgid "Open file"
msgstr "Abrir archivo"

msgctxt "menu"
msgid "Save"
msgstr "Guardar"

msgid "Line one\nLine two"
msgstr "Línea uno\nLínea dos"

msgid "<b>%s</b> & more"
msgstr "<b>%s</b> y más"

#, fuzzy
msgid "Fuzzy one"
msgstr "Difuso"

msgid "Untranslated"
msgstr ""
`
	in, out := filepath.Join(dir, "in.po"), filepath.Join(dir, "out.tmx")
	if err := os.WriteFile(in, []byte(po), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(po2tmx, "--progress=none", "-l", "es", "-i", in, "-o", out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("po2tmx: %v\n%s", err, msg)
	}
	data := mustRead(t, out)
	if !Sniff(data) {
		t.Error("Sniff(po2tmx output) = false")
	}
	r, err := NewReader(strings.NewReader(string(data)), corpora.ReadOptions{Name: "out.tmx"})
	if err != nil {
		t.Fatal(err)
	}
	if h := r.Header(); h.CreationTool != "Translate Toolkit" || h.SourceLang != "en" {
		t.Errorf("header = %+v", h)
	}
	units := readFile(t, out, corpora.ReadOptions{})
	// po2tmx leaves out fuzzy and untranslated entries.
	checkPairs(t, units, []pair{
		{"en", "es", "Open file", "Abrir archivo", false},
		{"en", "es", "Save", "Guardar", false},
		{"en", "es", "Line one\nLine two", "Línea uno\nLínea dos", false},
		{"en", "es", "<b>%s</b> & more", "<b>%s</b> y más", false},
	})
	if len(units) != 4 {
		t.Errorf("read %d units, want 4", len(units))
	}
}
