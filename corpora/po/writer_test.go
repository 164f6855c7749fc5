package po

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run go test -update if the change is right):\n%s", path, firstDiff(want, got))
	}
}

// firstDiff shows the first line where two texts differ.
func firstDiff(want, got []byte) string {
	wl, gl := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + strconv.Itoa(i+1) + ":\nwant: " + strconv.Quote(w) + "\ngot:  " + strconv.Quote(g)
		}
	}
	return "(same lines)"
}

var revision = time.Date(2024, 5, 6, 7, 8, 0, 0, time.FixedZone("", 2*3600))

// goldenUnits are units as other formats give them, to write as PO.
func goldenUnits() []*corpora.Unit {
	es, en := language.Spanish, language.English
	return []*corpora.Unit{
		{
			SourceLang: en, TargetLang: es,
			Source: corpora.Text("Hello, world"), Target: corpora.Text("Hola, mundo"),
			Status: corpora.StatusTranslated, Notes: []string{"A greeting.", "Second note\nwith two lines."},
		},
		{
			// Inline codes from TMX: written as their native text.
			SourceLang: en, TargetLang: es,
			Source: corpora.Segment{Spans: []corpora.Span{
				{Text: "Click "},
				{Code: &corpora.Code{Kind: corpora.CodeOpen, Element: "bpt", ID: "1", Native: "&lt;b&gt;"}},
				{Text: "here"},
				{Code: &corpora.Code{Kind: corpora.CodeClose, Element: "ept", ID: "1", Native: "&lt;/b&gt;"}},
				{Text: " to continue"},
				{Code: &corpora.Code{Kind: corpora.CodeStandalone, Element: "x", ID: "2"}},
			}},
			Target: corpora.Text("Pulse <b>aquí</b> para seguir"),
			Status: corpora.StatusMachine,
		},
		{
			SourceLang: en, TargetLang: es, Context: "menu",
			Source: corpora.Text("File"), Target: corpora.Text("Archivo"), Status: corpora.StatusApproved,
		},
		{
			SourceLang: en, TargetLang: es,
			Source: corpora.Text("One file"), Target: corpora.Text("Un archivo"), Status: corpora.StatusDraft,
			Gettext: &corpora.Gettext{
				SourcePlural:  corpora.Text("%d files"),
				TargetPlurals: plurals("%d archivos"),
				Flags:         []string{"c-format"},
				References:    []string{"src/a-rather-long-directory-name/file-one.c:1234", "src/a-rather-long-directory-name/file-two.c:5678", "x.c:9"},
				Extracted:     []string{"TRANSLATORS: keep %d."},
				PrevSource:    "One file was",
			},
		},
		{
			SourceLang: en, TargetLang: es,
			Source: corpora.Text("Untranslated, with a long source text that has to be broken into lines because it is longer than seventy-nine columns\n\tand has an escaped tab, a \"quote\", a backslash \\ and a bell \a."),
			Status: corpora.StatusUntranslated,
		},
		{
			SourceLang: en, TargetLang: es,
			Source: corpora.Text("Old message"), Target: corpora.Text("Mensaje viejo"),
			Gettext: &corpora.Gettext{Obsolete: true, PrevSource: "Older message"},
		},
	}
}

func TestWriteGolden(t *testing.T) {
	tests := []struct {
		name string
		opts WriterOptions
	}{
		{"units.golden.po", WriterOptions{Project: "kgmem-test 1.0", Translator: "kgmem", Revision: revision}},
		{"units-nowrap.golden.po", WriterOptions{Revision: revision, Width: -1, TargetLang: language.MustParse("es-MX"), PluralForms: "nplurals=3; plural=(n==1 ? 0 : n==2 ? 1 : 2);"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			us := goldenUnits()
			if tt.opts.TargetLang != language.Und {
				for _, u := range us {
					u.TargetLang = tt.opts.TargetLang
				}
			}
			golden(t, tt.name, writeAll(t, us, tt.opts))
		})
	}
}

// TestWriteSample checks that a catalog read and written again is the
// same bytes: sample.po is formatted as msgcat formats it.
func TestWriteSample(t *testing.T) {
	data := readFile(t, "testdata/sample.po")
	if got := rewrite(t, "sample.po", data); !bytes.Equal(got, data) {
		t.Errorf("sample.po written again differs:\n%s", firstDiff(data, got))
	}
}

func TestRoundTrip(t *testing.T) {
	inputs := map[string][]byte{"sample.po": readFile(t, "testdata/sample.po")}
	for _, g := range []string{"units.golden.po", "units-nowrap.golden.po"} {
		inputs[g] = readFile(t, filepath.Join("testdata", g))
	}
	for name, data := range inputs {
		t.Run(name, func(t *testing.T) {
			opts := ReaderOptions{ReadOptions: corpora.ReadOptions{Name: name}, IncludeObsolete: true}
			us, r := readAll(t, data, opts)
			out := writeAll(t, us, WriterOptions{Header: r.Header()})
			again, r2 := readAll(t, out, opts)
			if d := sameUnits(us, again); d != "" {
				t.Error(d)
			}
			if !equalHeaders(r.Header(), r2.Header()) {
				t.Errorf("headers differ:\n%+v\n%+v", r.Header(), r2.Header())
			}
		})
	}
	// Units from another format come back as written.
	us := goldenUnits()
	out := writeAll(t, us, WriterOptions{Revision: revision})
	again, _ := readAll(t, out, ReaderOptions{IncludeObsolete: true})
	if len(again) != len(us) {
		t.Fatalf("read %d units back, wrote %d", len(again), len(us))
	}
	wantStatus := []corpora.Status{corpora.StatusTranslated, corpora.StatusDraft, corpora.StatusTranslated, corpora.StatusDraft, corpora.StatusUntranslated, corpora.StatusTranslated}
	for i, u := range again {
		if u.Status != wantStatus[i] || u.Target.Plain() != us[i].Target.Plain() || u.Context != us[i].Context {
			t.Errorf("unit %d: %s", i, dump(u))
		}
	}
	if got := again[1].Source.Plain(); got != "Click <b>here</b> to continue" {
		t.Errorf("source with codes read back as %q", got)
	}
	if got := again[0].Notes; len(got) != 1 || got[0] != "A greeting.\nSecond note\nwith two lines." {
		t.Errorf("notes read back as %q", got)
	}
}

func equalHeaders(a, b *Header) bool {
	if a == nil || b == nil {
		return a == b
	}
	return strings.Join(a.Comments, "\n") == strings.Join(b.Comments, "\n") && a.Fuzzy == b.Fuzzy && a.text() == b.text()
}

func TestWriteErrors(t *testing.T) {
	var b bytes.Buffer
	w, err := NewWriter(&b, WriterOptions{TargetLang: language.Spanish, Revision: revision})
	if err != nil {
		t.Fatal(err)
	}
	ok := &corpora.Unit{Source: corpora.Text("a"), Target: corpora.Text("b")}
	if err := w.Write(ok); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		u    *corpora.Unit
		msg  string
	}{
		{"nil", nil, "nil unit"},
		{"empty source", &corpora.Unit{Target: corpora.Text("x")}, "empty source"},
		{"NUL", &corpora.Unit{Source: corpora.Text("a\x00b")}, "NUL"},
		{"duplicate", &corpora.Unit{Source: corpora.Text("a"), Target: corpora.Text("c")}, "duplicate"},
		{"other language", &corpora.Unit{Source: corpora.Text("z"), TargetLang: language.French}, "catalog is in es"},
	}
	for _, tt := range tests {
		err := w.Write(tt.u)
		if err == nil || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("Write(%s) = %v, want an error saying %q", tt.name, err, tt.msg)
		}
	}
	if err := w.Write(&corpora.Unit{Source: corpora.Text("a"), Target: corpora.Text("c")}); !errors.Is(err, ErrDuplicate) {
		t.Errorf("duplicate: %v, want ErrDuplicate", err)
	}
	// The same msgid with a context, or obsolete, is another entry.
	for _, u := range []*corpora.Unit{
		{Source: corpora.Text("a"), Context: "ctx"},
		{Source: corpora.Text("a"), ID: "\x04a"},
		{Source: corpora.Text("a"), Gettext: &corpora.Gettext{Obsolete: true}},
		{Context: "only a context"},
	} {
		if err := w.Write(u); err != nil {
			t.Errorf("Write(%s): %v", dump(u), err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Write(ok); err == nil {
		t.Error("Write after Close succeeded")
	}
	us, _ := readAll(t, b.Bytes(), ReaderOptions{IncludeObsolete: true})
	if len(us) != 5 || us[2].ID != "\x04a" || us[4].ID != "only a context\x04" {
		t.Errorf("read back %d units", len(us))
		for _, u := range us {
			t.Log(dump(u))
		}
	}
	if _, err := NewWriter(&b, WriterOptions{Width: 5}); err == nil {
		t.Error("NewWriter accepted a width of 5")
	}
}

func TestWriteEmpty(t *testing.T) {
	out := writeAll(t, nil, WriterOptions{TargetLang: language.MustParse("sr-Latn"), Revision: revision})
	r, err := NewReader(bytes.NewReader(out), corpora.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	h := r.Header()
	if h.Get("Language") != "sr@latin" || h.NPlurals() != 3 || h.Get("X-Generator") != "kgmem" || h.Charset() != "UTF-8" {
		t.Errorf("header %+v", h.Fields)
	}
}

func TestWriteHeaderCharset(t *testing.T) {
	h := &Header{Fields: parseHeader("Project-Id-Version: x 1\nContent-Type: text/plain; charset=ISO-8859-1\nLanguage: de\n")}
	out := writeAll(t, nil, WriterOptions{Header: h, TargetLang: language.German})
	if !bytes.Contains(out, []byte(`"Content-Type: text/plain; charset=UTF-8\n"`)) || bytes.Contains(out, []byte("X-Generator")) {
		t.Errorf("header written as\n%s", out)
	}
	// A header in another language than asked for takes the language asked for.
	out = writeAll(t, nil, WriterOptions{Header: h, TargetLang: language.MustParse("pt-BR")})
	if !bytes.Contains(out, []byte(`"Language: pt_BR\n"`)) {
		t.Errorf("header written as\n%s", out)
	}
}

func TestPosixLocale(t *testing.T) {
	for in, want := range map[string]string{
		"es": "es", "pt-BR": "pt_BR", "sr-Latn": "sr@latin", "sr-Latn-RS": "sr_RS@latin", "es-419": "es_419",
		"ca-ES-valencia": "ca_ES@valencia", "zh-Hant": "zh_Hant", "und": "",
	} {
		if got := corpora.PosixLocale(language.MustParse(in)); got != want {
			t.Errorf("PosixLocale(%s) = %q, want %q", in, got, want)
		}
		if want != "" {
			if back, err := corpora.ParseLang(want); err != nil || back != language.MustParse(in) {
				t.Errorf("ParseLang(%q) = %v, %v; want %s", want, back, err, in)
			}
		}
	}
}

// TestWriteLikeMsgcat writes installed catalogs as msgunfmt writes them
// (msgunfmt formats as msgcat does): the writer must give the same bytes,
// from the PO text and from the MO file. It takes the Spanish catalogs
// and a few of some other languages; KGMEM_PO_ALL_CATALOGS=1 takes every
// catalog under /usr/share/locale (minutes).
func TestWriteLikeMsgcat(t *testing.T) {
	msgunfmt := gettextTool(t, "msgunfmt")
	msgconv := gettextTool(t, "msgconv")
	files := installedMO(t, "es/LC_MESSAGES/*.mo")
	for _, lang := range []string{"ja", "zh_CN", "ru", "ar", "he", "ko", "th", "el", "hi", "kn", "de", "pl", "tr", "uk", "vi"} {
		more, _ := filepath.Glob(filepath.Join("/usr/share/locale", lang, "LC_MESSAGES", "*.mo"))
		if len(more) > 6 {
			more = more[:6]
		}
		files = append(files, more...)
	}
	if os.Getenv("KGMEM_PO_ALL_CATALOGS") == "1" {
		files = installedMO(t, "*/LC_MESSAGES/*.mo")
	} else if testing.Short() {
		files = files[:10]
	}
	utf8Charset := regexp.MustCompile(`(?i)charset=utf-8\\n`)
	n := 0
	for _, f := range files {
		raw := run(t, nil, msgunfmt, f)
		if len(raw) == 0 {
			continue // msgunfmt writes nothing for a catalog with only a header
		}
		n++
		want := raw
		if !utf8Charset.Match(raw) {
			want = run(t, raw, msgconv, "-t", "UTF-8")
		}
		name := strings.TrimPrefix(f, "/usr/share/locale/")
		if got := rewrite(t, name, want); !bytes.Equal(got, want) {
			t.Errorf("%s: PO written again differs from msgunfmt's:\n%s", name, firstDiff(want, got))
			continue
		}
		us := readMOFile(t, f, corpora.ReadOptions{Name: f})
		r, err := NewMOReaderFrom(bytes.NewReader(readFile(t, f)), corpora.ReadOptions{Name: f})
		if err != nil {
			t.Fatal(err)
		}
		if got := writeAll(t, us, WriterOptions{Header: r.Header()}); !bytes.Equal(got, want) {
			t.Errorf("%s: MO written as PO differs from msgunfmt's:\n%s", name, firstDiff(want, got))
		}
	}
	t.Logf("%d catalogs written as msgcat writes them", n)
}

// TestWriteForTools checks the writer's output with independent tools:
// msgfmt --check accepts it, msgcat leaves it as it is, translate-toolkit
// counts and converts the same units.
func TestWriteForTools(t *testing.T) {
	msgfmt := gettextTool(t, "msgfmt")
	msgcat := gettextTool(t, "msgcat")
	catalogs := map[string][]byte{
		"units":  writeAll(t, goldenUnits(), WriterOptions{Revision: revision}),
		"sample": rewrite(t, "sample.po", readFile(t, "testdata/sample.po")),
		"memory": memoryCatalog(t, "git", 400),
	}
	for name, po := range catalogs {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, name+".po")
			if err := os.WriteFile(path, po, 0o644); err != nil {
				t.Fatal(err)
			}
			run(t, nil, msgfmt, "--check", "-o", filepath.Join(dir, "out.mo"), path)
			if got := run(t, nil, msgcat, path); !bytes.Equal(got, po) {
				t.Errorf("msgcat changes the output:\n%s", firstDiff(po, got))
			}
			us, _ := readAll(t, po, ReaderOptions{})
			pocount := testenvTool(t, "pocount")
			out := string(run(t, nil, pocount, "--csv", path))
			if total := pocountTotal(t, out); total != len(us) {
				t.Errorf("pocount counts %d units, the reader %d:\n%s", total, len(us), out)
			}
			po2tmx := testenvTool(t, "po2tmx")
			tmx := filepath.Join(dir, name+".tmx")
			run(t, nil, po2tmx, "-l", "es", path, tmx)
			translated := 0
			for _, u := range us {
				if u.Status == corpora.StatusTranslated {
					translated++
				}
			}
			if got := bytes.Count(readFile(t, tmx), []byte("<tu>")) + bytes.Count(readFile(t, tmx), []byte("<tu ")); got != translated {
				t.Errorf("po2tmx wrote %d units, the reader finds %d translated", got, translated)
			}
		})
	}
}

// memoryCatalog writes n pairs of a domain of the shared gettext memory
// as a PO file.
func memoryCatalog(t testing.TB, domain string, n int) []byte {
	tsv := readFile(t, sharedData(t, "gettext", "en-es.memory.tsv"))
	unesc := strings.NewReplacer(`\t`, "\t", `\n`, "\n", `\\`, `\`)
	var us []*corpora.Unit
	for _, ln := range strings.Split(string(tsv), "\n")[1:] {
		f := strings.Split(ln, "\t")
		if len(f) != 3 || f[0] != domain {
			continue
		}
		us = append(us, &corpora.Unit{SourceLang: language.English, TargetLang: language.Spanish,
			Source: corpora.Text(unesc.Replace(f[1])), Target: corpora.Text(unesc.Replace(f[2])), Status: corpora.StatusTranslated})
		if len(us) == n {
			break
		}
	}
	if len(us) < n {
		t.Fatalf("shared memory has %d pairs of %s", len(us), domain)
	}
	return writeAll(t, us, WriterOptions{Project: domain, Revision: revision})
}

func testenvTool(t testing.TB, name string) string {
	t.Helper()
	return testenvToolHint(t, name, "apt-get install translate-toolkit")
}

// pocountTotal reads the total number of units from pocount --csv.
func pocountTotal(t testing.TB, out string) int {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 2 {
		t.Fatalf("pocount output:\n%s", out)
	}
	head := strings.Split(lines[0], ",")
	vals := strings.Split(lines[1], ",")
	for i, h := range head {
		if strings.TrimSpace(h) == "Total Message" && i < len(vals) {
			n, err := strconv.Atoi(strings.TrimSpace(vals[i]))
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatalf("no total in pocount output:\n%s", out)
	return 0
}
