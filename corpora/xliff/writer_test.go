package xliff

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kgmem/kgmem/corpora"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run go test -update if the change is right):\n%s", p, got)
	}
}

// tmxLike are units as a TMX reader gives them: codes with TMX element
// names, i/x ids and native content.
func tmxLike() []*corpora.Unit {
	bpt := &corpora.Code{Kind: corpora.CodeOpen, Element: "bpt", ID: "1", Native: `{\b `, Attrs: []corpora.Attr{{Name: "i", Value: "1"}}}
	ept := &corpora.Code{Kind: corpora.CodeClose, Element: "ept", ID: "1", Native: `}`, Attrs: []corpora.Attr{{Name: "i", Value: "1"}}}
	ph := &corpora.Code{Kind: corpora.CodeStandalone, Element: "ph", ID: "1", Native: `<sub>Alt &amp; text</sub>`, Attrs: []corpora.Attr{{Name: "type", Value: "image"}, {Name: "x", Value: "1"}}}
	hiO := &corpora.Code{Kind: corpora.CodeOpen, Element: "hi", ID: "h1", Paired: true}
	hiC := &corpora.Code{Kind: corpora.CodeClose, Element: "hi", ID: "h1", Paired: true}
	it := &corpora.Code{Kind: corpora.CodeStandalone, Element: "it", Native: `</a>`, Attrs: []corpora.Attr{{Name: "pos", Value: "end"}}}
	ut := &corpora.Code{Kind: corpora.CodeStandalone, Element: "ut"}
	seg := func(parts ...any) corpora.Segment {
		var s corpora.Segment
		for _, p := range parts {
			switch p := p.(type) {
			case string:
				s.Append(p)
			case *corpora.Code:
				s.AppendCode(p)
			}
		}
		return s
	}
	en, es := corpora.MustParseLang("en-US"), corpora.MustParseLang("es")
	return []*corpora.Unit{
		{SourceLang: en, TargetLang: es, ID: "tu 1", Context: "menu", Status: corpora.StatusApproved, Notes: []string{"A note & more"},
			Source: seg("Click ", bpt, "here", ept, " now", ph), Target: seg("Pulse ", bpt, "aquí", ept, " ahora", ph)},
		{SourceLang: en, TargetLang: es, Status: corpora.StatusMachine,
			Source: seg(hiO, "Bold", hiC, " and <tag> & \x01", it, ut), Target: seg(hiO, "Negrita", hiC, " y <tag> &", it, ut)},
		{SourceLang: en, TargetLang: es, ID: "tu 1", Status: corpora.StatusDraft, Source: corpora.Text("Duplicate id"), Target: corpora.Text("Id repetido")},
		{SourceLang: en, TargetLang: es, ID: "empty", Source: corpora.Text("No translation")},
	}
}

func writeAll(t *testing.T, opts WriterOptions, units []*corpora.Unit) []byte {
	t.Helper()
	var b bytes.Buffer
	w, err := NewWriter(&b, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range units {
		if err := w.Write(u); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestWriterGolden(t *testing.T) {
	for _, v := range []string{"1.2", "2.0"} {
		t.Run(v, func(t *testing.T) {
			out := writeAll(t, WriterOptions{Version: v, Original: "demo.tmx"}, tmxLike())
			golden(t, "writer-"+v+".xlf", out)
			us, err := readAll(t, out, corpora.ReadOptions{})
			if err != nil {
				t.Fatalf("reading the output: %v", err)
			}
			if len(us) != 4 {
				t.Fatalf("read back %d units, want 4", len(us))
			}
			in := tmxLike()
			for i, u := range us {
				if u.Source.Plain() != in[i].Source.Plain() ||
					u.Target.Plain() != in[i].Target.Plain() || (u.Status != in[i].Status && !in[i].Target.IsEmpty()) || len(u.Source.Codes()) != len(in[i].Source.Codes()) {
					t.Errorf("unit %d read back as %q → %q %v", i, u.Source.Plain(), u.Target.Plain(), u.Status)
				}
			}
			if us[2].ID != map[string]string{"1.2": "tu 1_2", "2.0": "tu_1_2"}[v] {
				t.Errorf("duplicate id written as %q", us[2].ID)
			}
		})
	}
}

// equalUnits compares what a write and read back must keep.
func equalUnits(t *testing.T, what string, a, b []*corpora.Unit) {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("%s: %d units, want %d", what, len(b), len(a))
	}
	for i := range a {
		x, y := a[i], b[i]
		if !x.Source.Equal(y.Source) || !x.Target.Equal(y.Target) {
			t.Errorf("%s: unit %d: %q [%s] → %q [%s], want %q [%s] → %q [%s]", what, i,
				y.Source.Plain(), codeString(y.Source), y.Target.Plain(), codeString(y.Target),
				x.Source.Plain(), codeString(x.Source), x.Target.Plain(), codeString(x.Target))
		}
		if x.ID != y.ID || x.Context != y.Context || x.Status != y.Status || strings.Join(x.Notes, "|") != strings.Join(y.Notes, "|") ||
			x.SourceLang != y.SourceLang || x.TargetLang != y.TargetLang {
			t.Errorf("%s: unit %d = %q %q %v %q %v>%v, want %q %q %v %q %v>%v", what, i, y.ID, y.Context, y.Status, y.Notes, y.SourceLang, y.TargetLang,
				x.ID, x.Context, x.Status, x.Notes, x.SourceLang, x.TargetLang)
		}
		for _, c := range append(x.Source.Codes(), x.Target.Codes()...) {
			for _, a := range c.Attrs {
				if strings.HasPrefix(a.Name, "{") {
					t.Logf("foreign attribute %s", a.Name)
				}
			}
		}
	}
}

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name    string
		data    func(t *testing.T) []byte
		version string
	}{
		{"doc12", func(*testing.T) []byte { return []byte(doc12) }, "1.2"},
		{"doc2", func(*testing.T) []byte { return []byte(doc2) }, "2.0"},
		{"BUGS1221", func(t *testing.T) []byte {
			return sample(t, "filters", "xliff", "filters3", "file-xliff-BUGS1221.xlf")
		}, "1.2"},
		{"cdata", func(t *testing.T) []byte {
			return sample(t, "filters", "xliff", "filters3", "file-XLIFFFilter-cdata-bugs418.xlf")
		}, "1.2"},
		{"RFE1506", func(t *testing.T) []byte {
			return sample(t, "filters", "xliff", "filters3", "file-xliff-RFE1506.xliff")
		}, "1.2"},
		{"en-xx", func(t *testing.T) []byte { return sample(t, "filters", "xliff", "filters4-xliff1", "en-xx.xlf") }, "1.2"},
		{"ExportTest1E", func(t *testing.T) []byte { return sample(t, "tmx", "TMXComplianceKit", "ExportTest1E.xlf") }, "1.2"},
		{"ex.9.5", func(t *testing.T) []byte { return sample(t, "filters", "xliff", "filters4-xliff2", "ex.9.5.xlf") }, "2.0"},
		{"ex.14.5", func(t *testing.T) []byte { return sample(t, "filters", "xliff", "filters4-xliff2", "ex.14.5.xlf") }, "2.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := readAll(t, tt.data(t), corpora.ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			out := writeAll(t, WriterOptions{Version: tt.version, SourceLang: in[0].SourceLang, TargetLang: in[0].TargetLang}, in)
			back, err := readAll(t, out, corpora.ReadOptions{})
			if err != nil {
				t.Fatalf("reading the output: %v\n%s", err, out)
			}
			if tt.version == "2.0" {
				// 2.x unit ids are written as NMTOKENs.
				for _, u := range in {
					u.ID = nmtoken(u.ID)
				}
			}
			equalUnits(t, tt.name, in, back)
		})
	}
}

func TestWriterErrors(t *testing.T) {
	if _, err := NewWriter(&bytes.Buffer{}, WriterOptions{Version: "3.0"}); err == nil || !strings.Contains(err.Error(), `version "3.0"`) {
		t.Errorf("NewWriter(version 3.0) error = %v", err)
	}
	w, _ := NewWriter(&bytes.Buffer{}, WriterOptions{})
	if err := w.Write(&corpora.Unit{Source: corpora.Text("x")}); err == nil || !strings.Contains(err.Error(), "source language is unknown") {
		t.Errorf("Write without languages error = %v", err)
	}
	w, _ = NewWriter(&bytes.Buffer{}, WriterOptions{Version: "2.0", SourceLang: corpora.MustParseLang("en")})
	if err := w.Close(); err == nil || !strings.Contains(err.Error(), "at least one") {
		t.Errorf("Close of empty 2.0 error = %v", err)
	}
	var b bytes.Buffer
	w, _ = NewWriter(&b, WriterOptions{SourceLang: corpora.MustParseLang("en")})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if us, err := readAll(t, b.Bytes(), corpora.ReadOptions{}); err != nil || len(us) != 0 {
		t.Errorf("empty 1.2 document read as %d units, %v", len(us), err)
	}
}
