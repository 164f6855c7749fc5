package xliff

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/internal/testenv"
)

const toolHint = "apt-get install translate-toolkit"

// poEntry is a PO entry as the interop tests need it.
type poEntry struct {
	ctxt, id, str string
	fuzzy         bool
}

// readPO parses the entries of a PO file other than its header. It knows
// only what translate-toolkit writes.
func readPO(t *testing.T, data []byte) []poEntry {
	t.Helper()
	var es []poEntry
	var cur poEntry
	var field *string
	flush := func() {
		if cur.id != "" {
			es = append(es, cur)
		}
		cur, field = poEntry{}, nil
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			flush()
		case strings.HasPrefix(line, "#,"):
			cur.fuzzy = cur.fuzzy || strings.Contains(line, "fuzzy")
		case strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "msgctxt "):
			field = &cur.ctxt
			*field = unquote(t, line[len("msgctxt "):])
		case strings.HasPrefix(line, "msgid "):
			field = &cur.id
			*field = unquote(t, line[len("msgid "):])
		case strings.HasPrefix(line, "msgstr "):
			field = &cur.str
			*field = unquote(t, line[len("msgstr "):])
		case strings.HasPrefix(line, `"`) && field != nil:
			*field += unquote(t, line)
		}
	}
	flush()
	return es
}

func unquote(t *testing.T, s string) string {
	t.Helper()
	u, err := strconv.Unquote(s)
	if err != nil {
		t.Fatalf("PO string %s: %v", s, err)
	}
	return u
}

// xliff2po converts an XLIFF document with translate-toolkit.
func xliff2po(t *testing.T, doc []byte) []poEntry {
	t.Helper()
	tool := testenv.Tool(t, "xliff2po", toolHint)
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.xlf"), filepath.Join(dir, "out.po")
	if err := os.WriteFile(in, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command(tool, "--progress=none", in, out).CombinedOutput(); err != nil {
		t.Fatalf("xliff2po: %v\n%s", err, b)
	}
	po, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return readPO(t, po)
}

func TestXliff2poReadsWriter(t *testing.T) {
	units := tmxLike()
	doc := writeAll(t, WriterOptions{Original: "demo"}, units)
	es := xliff2po(t, doc)
	if len(es) != len(units) {
		t.Fatalf("xliff2po found %d entries, want %d", len(es), len(units))
	}
	// translate-toolkit shows inline codes as their markup; compare the
	// text around them.
	for i, e := range es {
		u := units[i]
		for _, sp := range u.Source.Spans {
			// A control character (U+0001 here) is a <ph ctype="x-ctrl">
			// holding its escape, which translate-toolkit decodes.
			if sp.Code == nil && !strings.Contains(e.id, sp.Text) {
				t.Errorf("entry %d msgid %q lacks %q", i, e.id, sp.Text)
			}
		}
		for _, sp := range u.Target.Spans {
			if sp.Code == nil && !strings.Contains(e.str, sp.Text) {
				t.Errorf("entry %d msgstr %q lacks %q", i, e.str, sp.Text)
			}
		}
		if u.Target.IsEmpty() && e.str != "" {
			t.Errorf("entry %d msgstr = %q, want empty", i, e.str)
		}
	}
}

func TestXliff2poReadsFill(t *testing.T) {
	in := sample(t, "filters", "xliff", "filters4-xliff1", "en-xx.xlf")
	tr := map[Key]Translation{
		{File: "interface.po", Unit: "example_01"}:           {Target: corpora.Text("C'est le texte source.")},
		{File: "interface.po", Unit: "satisfaction_00_masc"}: {Target: corpora.Text("Êtes-vous satisfait ?")},
		{File: "interface.po", Unit: "Added_1"}:              {Target: corpora.Text("Ajouté & traduit"), Status: corpora.StatusDraft},
	}
	var out bytes.Buffer
	if st, err := Fill(bytes.NewReader(in), &out, tr, FillOptions{}); err != nil || st.Filled != 3 {
		t.Fatalf("Fill = %+v, %v", st, err)
	}
	want := map[string]string{
		"This is the source text.": "C'est le texte source.",
		"foo":                      "bar",
		"Added and translated":     "Ajouté & traduit",
	}
	got := map[string]string{}
	ctxt := map[string]string{}
	for _, e := range xliff2po(t, out.Bytes()) {
		got[e.id] = e.str
		if e.ctxt != "" {
			// translate-toolkit 3.8 repeats the context of the first of
			// the entries with the same source ("idid").
			c := e.ctxt
			if h := len(c) / 2; len(c)%2 == 0 && c[:h] == c[h:] {
				c = c[:h]
			}
			ctxt[c] = e.str
		}
	}
	for id, str := range want {
		if got[id] != str {
			t.Errorf("PO msgstr for %q = %q, want %q", id, got[id], str)
		}
	}
	if ctxt["satisfaction_00_masc"] != "Êtes-vous satisfait ?" || ctxt["satisfaction_01_fem"] != "Satisfaite?" {
		t.Errorf("PO entries by context = %q", ctxt)
	}
}

func TestReadPo2xliff(t *testing.T) {
	tool := testenv.Tool(t, "po2xliff", toolHint)
	dir := t.TempDir()
	po := `msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"

#. Shown on the main window
#: main.c:10
msgid "Hello <b>world</b> & all"
msgstr "Hola <b>mundo</b> y todos"

#, fuzzy
msgid "Two lines\nhere"
msgstr "Dos líneas\naquí"

msgid "Untranslated"
msgstr ""
`
	in, out := filepath.Join(dir, "in.po"), filepath.Join(dir, "out.xlf")
	if err := os.WriteFile(in, []byte(po), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command(tool, "--progress=none", in, out).CombinedOutput(); err != nil {
		t.Fatalf("po2xliff: %v\n%s", err, b)
	}
	doc, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	us, err := readAll(t, doc, corpora.ReadOptions{Name: "out.xlf"})
	if err != nil {
		t.Fatal(err)
	}
	// po2xliff also writes the PO header as a unit (restype
	// x-gettext-domain-header).
	if len(us) != 4 {
		t.Fatalf("read %d units, want 4:\n%s", len(us), doc)
	}
	want := []struct {
		src, tgt string
		status   corpora.Status
		note     string
	}{
		{"Hello <b>world</b> & all", "Hola <b>mundo</b> y todos", corpora.StatusApproved, "Shown on the main window"},
		{"Two lines\nhere", "Dos líneas\naquí", corpora.StatusUntranslated, ""},
		{"Untranslated", "", corpora.StatusUntranslated, ""},
	}
	for i, w := range want {
		u := us[i+1]
		if u.Source.Plain() != w.src || u.Target.Plain() != w.tgt || u.SourceLang.String() != "en-US" {
			t.Errorf("unit %d = %q → %q (%v), want %q → %q", i+1, u.Source.Plain(), u.Target.Plain(), u.SourceLang, w.src, w.tgt)
		}
		if w.note != "" && (len(u.Notes) != 1 || u.Notes[0] != w.note) {
			t.Errorf("unit %d notes = %q, want %q", i+1, u.Notes, w.note)
		}
		if u.Status != w.status {
			t.Errorf("unit %d status = %v, want %v", i+1, u.Status, w.status)
		}
	}
}
