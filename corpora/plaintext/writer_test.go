package plaintext

import (
	"bufio"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

func golden(t *testing.T, name string, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (go test -update rewrites it):\n%s", path, got)
	}
}

// translate reads doc and sets the targets from a table of translations.
func translate(t *testing.T, doc string, lang language.Tag, tr map[string]string) []*corpora.Unit {
	t.Helper()
	units, err := read(t, doc, corpora.ReadOptions{SourceLang: lang})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range units {
		if x, ok := tr[u.Source.Plain()]; ok {
			u.Target = corpora.Text(x)
		}
	}
	return units
}

func TestWriterGolden(t *testing.T) {
	en := "Good morning.  How are you?\nI am fine.\n\nThe second paragraph. It has two sentences.\n"
	toES := map[string]string{
		"Good morning.": "Buenos días.", "How are you?": "¿Cómo estás?", "I am fine.": "Estoy bien.",
		"The second paragraph.": "El segundo párrafo.", "It has two sentences.": "Tiene dos oraciones.",
	}
	toZH := map[string]string{
		"Good morning.": "早上好。", "How are you?": "你好吗？", "I am fine.": "我很好。",
		"The second paragraph.": "第二段。", "It has two sentences.": "它有两个句子。",
	}
	zh := "早上好。你好吗？\n\n第二段。它有两个句子。\n"
	toEN := map[string]string{
		"早上好。": "Good morning.", "你好吗？": "How are you?", "第二段。": "The second paragraph.",
		// "它有两个句子。" is left untranslated.
	}
	tests := []struct {
		name  string
		units []*corpora.Unit
		opts  WriterOptions
	}{
		{"en-to-es.txt", translate(t, en, language.English, toES), WriterOptions{Lang: language.Spanish}},
		{"en-to-zh.txt", translate(t, en, language.English, toZH), WriterOptions{Lang: language.Chinese}},
		{"zh-to-en.txt", translate(t, zh, language.Chinese, toEN), WriterOptions{Lang: language.English}},
		{"no-props.txt", []*corpora.Unit{
			{Source: corpora.Text("First unit.")}, {Source: corpora.Text("Second."), Target: corpora.Text("Segundo.")},
		}, WriterOptions{}},
		{"paragraph-change.txt", []*corpora.Unit{
			{Source: corpora.Text("One."), Props: []corpora.Prop{{Type: PropParagraph, Value: "0"}, {Type: PropSpaceAfter, Value: " "}}},
			{Source: corpora.Text("Two."), Props: []corpora.Prop{{Type: PropParagraph, Value: "2"}, {Type: PropSpaceAfter, Value: "\n"}}},
		}, WriterOptions{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			golden(t, tt.name, writeBack(t, tt.units, tt.opts))
		})
	}
}

// TestWriterRoundTripTICO19 builds a document of paragraphs from TICO-19
// sentences, reads it and writes it back.
func TestWriterRoundTripTICO19(t *testing.T) {
	f, err := os.Open(testenv.SharedData(t, "tico19", "en-es.dev.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var docs [2]strings.Builder
	sc := bufio.NewScanner(f)
	for n := 0; sc.Scan(); n++ {
		src, tgt, _ := strings.Cut(sc.Text(), "\t")
		for i, s := range []string{src, tgt} {
			switch {
			case n == 0:
			case n%7 == 0:
				docs[i].WriteString("\n\n")
			case n%3 == 0:
				docs[i].WriteString("\n")
			default:
				docs[i].WriteString(" ")
			}
			docs[i].WriteString(s)
		}
	}
	for i, lang := range []language.Tag{language.English, language.Spanish} {
		doc := docs[i].String() + "\n"
		units, err := read(t, doc, corpora.ReadOptions{SourceLang: lang})
		if err != nil {
			t.Fatal(err)
		}
		if len(units) < 800 {
			t.Errorf("%s: only %d sentences", lang, len(units))
		}
		if got := writeBack(t, units, WriterOptions{Lang: lang}); got != doc {
			t.Errorf("%s: round trip differs", lang)
		}
	}
}

type failWriter struct{}

var errDisk = errors.New("disk full")

func (failWriter) Write([]byte) (int, error) { return 0, errDisk }

func TestWriterError(t *testing.T) {
	w, _ := NewWriter(failWriter{}, WriterOptions{})
	err := w.Write(&corpora.Unit{Source: corpora.Text(strings.Repeat("x", 10000))})
	if err == nil {
		err = w.Close()
	}
	if !errors.Is(err, errDisk) {
		t.Errorf("error = %v, want %v", err, errDisk)
	}
	if err := w.Write(&corpora.Unit{Source: corpora.Text("x")}); !errors.Is(err, errDisk) {
		t.Errorf("Write after an error = %v", err)
	}
}
