package project

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/formats"
	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/translate"
)

const poHeader = "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n"

// TestPlanStaleCatalog plans a catalog that lacks an entry of its
// template: it is updated, keeping its translation, and the plan says how
// to bring it up to date.
func TestPlanStaleCatalog(t *testing.T) {
	in := t.TempDir()
	writeFile(t, filepath.Join(in, "po", "app.pot"), poHeader+"\nmsgid \"Open\"\nmsgstr \"\"\n\nmsgid \"Close\"\nmsgstr \"\"\n\nmsgid \"Quit\"\nmsgstr \"\"\n")
	writeFile(t, filepath.Join(in, "po", "es.po"), poHeader+"\"Language: es\\n\"\n\nmsgid \"Open\"\nmsgstr \"Abrir\"\n\nmsgid \"Close\"\nmsgstr \"\"\n")
	writeFile(t, filepath.Join(in, "empty", "po", "empty.pot"), poHeader)
	ctx := context.Background()
	p, err := NewPlan(ctx, Options{In: in, SourceLang: language.English, TargetLang: language.Spanish})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Jobs) != 2 || p.Jobs[0].Action != Skip || p.Jobs[0].Reason != "no messages to translate" {
		t.Fatalf("jobs %+v, want the empty template skipped and es.po updated", p.Jobs)
	}
	j := p.Jobs[1]
	if j.Action != Update || j.Units != 2 || j.Missing != 1 || len(j.Notes) != 1 || !strings.Contains(j.Notes[0], "1 units of") ||
		!strings.Contains(j.Notes[0], "msgmerge --update "+filepath.Join(in, "po", "es.po")+" "+filepath.Join(in, "po", "app.pot")) {
		t.Fatalf("job %+v, want an update of es.po with a note naming msgmerge", j)
	}
	sum, err := Run(ctx, models(t), p, RunOptions{Translate: memory.TranslateOptions{Model: "memory"}})
	if err != nil {
		t.Fatal(err)
	}
	if f := sum.Files[0]; f.Action != DidSkip || f.Units.Total() != 0 {
		t.Errorf("empty.pot: %+v, want it skipped", f)
	}
	f := sum.Files[1]
	if f.Action != DidUpdate || f.Units.Kept != 1 || f.Units.Total() != 2 || len(f.Notes) != 1 {
		t.Errorf("summary %+v, want es.po updated, its translation kept, the note passed on", f)
	}
	b, _ := os.ReadFile(filepath.Join(in, "po", "es.po"))
	if !strings.Contains(string(b), "msgid \"Open\"\nmsgstr \"Abrir\"") || strings.Contains(string(b), "msgid \"Close\"\nmsgstr \"\"") {
		t.Errorf("es.po after the update:\n%s", b)
	}
}

// TestPlanTextTranslations plans text whose translation is in the input
// tree: copied to the output when newer than its source, translated again
// when older; an output tree inside the input is not part of it.
func TestPlanTextTranslations(t *testing.T) {
	in := t.TempDir()
	src, tr := filepath.Join(in, "docs", "help.txt"), filepath.Join(in, "docs", "help.es.txt")
	writeFile(t, src, "Open the file.\n")
	writeFile(t, tr, "Abra el archivo.\n")
	old := time.Now().Add(-time.Hour)
	os.Chtimes(src, old, old)
	out := filepath.Join(in, "out")
	writeFile(t, filepath.Join(out, "docs", "other.txt"), "Not part of the tree.\n")
	ctx := context.Background()
	p, err := NewPlan(ctx, Options{In: in, Out: out, SourceLang: language.English, TargetLang: language.Spanish})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Jobs) != 1 || p.Jobs[0].Action != Copy || p.Jobs[0].Prev != tr || p.Jobs[0].Out != filepath.Join(out, "docs", "help.es.txt") {
		t.Fatalf("jobs %+v, want help.txt's translation copied to out/docs/help.es.txt", p.Jobs)
	}
	sum, err := Run(ctx, models(t), p, RunOptions{Translate: memory.TranslateOptions{Model: "memory"}})
	if err != nil || sum.Total.Copied != 1 {
		t.Fatalf("Run = %+v, %v; want one copied", sum, err)
	}
	if b, _ := os.ReadFile(p.Jobs[0].Out); string(b) != "Abra el archivo.\n" {
		t.Errorf("copied %q", b)
	}
	// A source changed since: translated again.
	now := time.Now().Add(time.Hour)
	os.Chtimes(src, now, now)
	os.Remove(p.Jobs[0].Out)
	p, err = NewPlan(ctx, Options{In: in, Out: out, SourceLang: language.English, TargetLang: language.Spanish})
	if err != nil || len(p.Jobs) != 1 || p.Jobs[0].Action != Translate {
		t.Errorf("plan after the source changed: %+v, %v; want it translated", p.Jobs, err)
	}
}

// TestDocumentStreams translates a document from stdin to stdout: the
// format told by content (PO), or given (text); text without a format is
// refused with what to do.
func TestDocumentStreams(t *testing.T) {
	ctx := context.Background()
	tr := models(t)
	o := memory.TranslateOptions{Model: "memory", SourceLang: "en", TargetLang: "es"}
	fo := translate.FileOptions{In: Stdio, Out: Stdio, SourceLang: language.English, TargetLang: language.Spanish}
	var out bytes.Buffer
	prog := &recorder{}
	sum, err := Document(ctx, tr, o, fo, DocumentOptions{Stdin: strings.NewReader(poHeader + "\nmsgid \"Open\"\nmsgstr \"\"\n"), Stdout: &out, Progress: prog})
	if prog.total != 1 || prog.done != 1 {
		t.Errorf("Document told the progress of %d units done of %d, want 1 of 1", prog.done, prog.total)
	}
	if err != nil || sum.Translated != 1 || sum.Format != "po" || !strings.Contains(out.String(), "msgid \"Open\"\nmsgstr \"Open\"") {
		t.Errorf("Document(PO on stdin) = %+v, %v, wrote:\n%s", sum, err, out.String())
	}
	out.Reset()
	_, err = Document(ctx, tr, o, fo, DocumentOptions{Stdin: strings.NewReader("Open the file.\n"), Stdout: &out})
	var h memory.Hinter
	if !errors.Is(err, corpora.ErrUnknownFormat) || !errors.As(err, &h) || !strings.Contains(h.Hint(), "--format") || out.Len() > 0 {
		t.Errorf("Document(text on stdin, no format) = %v, wrote %q; want ErrUnknownFormat naming --format", err, out.String())
	}
	fo.Format = formats.Text
	sum, err = Document(ctx, tr, o, fo, DocumentOptions{Stdin: strings.NewReader("Open the file.\n\nClose it.\n"), Stdout: &out})
	if err != nil || sum.Units != 2 || out.String() != "Open the file.\n\nClose it.\n" {
		t.Errorf("Document(text on stdin, --format text) = %+v, %v, wrote %q", sum, err, out.String())
	}
}
