package po

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/internal/testenv"
)

func sharedData(t testing.TB, elem ...string) string {
	t.Helper()
	return testenv.SharedData(t, elem...)
}

// skipOrFail skips, unless the environment forbids skips (as CI does).
func skipOrFail(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv(testenv.RequireEnv) == "1" {
		t.Fatalf(format+" (and %s=1 forbids skipping)", append(args, testenv.RequireEnv)...)
	}
	t.Skipf(format, args...)
}

// gettextTool returns the path of a gettext program.
func gettextTool(t testing.TB, name string) string {
	t.Helper()
	return testenv.Tool(t, name, "apt-get install gettext")
}

func testenvToolHint(t testing.TB, name, hint string) string {
	t.Helper()
	return testenv.Tool(t, name, hint)
}

// run runs a command and returns its standard output.
func run(t testing.TB, stdin []byte, name string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(name, args...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return out
}

// installedMO returns installed MO files matching a pattern under
// /usr/share/locale, skipping when there are none.
func installedMO(t testing.TB, pattern string) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join("/usr/share/locale", pattern))
	if len(files) == 0 {
		skipOrFail(t, "no MO files match /usr/share/locale/%s", pattern)
	}
	return files
}

func readMO(t testing.TB, data []byte, opts corpora.ReadOptions) ([]*corpora.Unit, *MOReader) {
	t.Helper()
	r, err := NewMOReader(bytes.NewReader(data), int64(len(data)), opts)
	if err != nil {
		t.Fatalf("NewMOReader(%s): %v", opts.Name, err)
	}
	var us []*corpora.Unit
	for {
		u, err := r.Next()
		if err == io.EOF {
			return us, r
		}
		if err != nil {
			t.Fatalf("Next(%s) after %d units: %v", opts.Name, len(us), err)
		}
		us = append(us, u)
	}
}

func readMOFile(t testing.TB, name string, opts corpora.ReadOptions) []*corpora.Unit {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := NewMOReaderFrom(f, opts)
	if err != nil {
		t.Fatalf("NewMOReaderFrom(%s): %v", name, err)
	}
	var us []*corpora.Unit
	for {
		u, err := r.Next()
		if err == io.EOF {
			return us
		}
		if err != nil {
			t.Fatalf("Next(%s) after %d units: %v", name, len(us), err)
		}
		us = append(us, u)
	}
}

// writeAll writes units as a PO file.
func writeAll(t testing.TB, us []*corpora.Unit, opts WriterOptions) []byte {
	t.Helper()
	var b bytes.Buffer
	w, err := NewWriter(&b, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range us {
		if err := w.Write(u); err != nil {
			t.Fatalf("Write(%q): %v", u.ID, err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// rewrite reads a PO file and writes it again with its header.
func rewrite(t testing.TB, name string, data []byte) []byte {
	t.Helper()
	us, r := readAll(t, data, ReaderOptions{ReadOptions: corpora.ReadOptions{Name: name}, IncludeObsolete: true})
	return writeAll(t, us, WriterOptions{Header: r.Header()})
}

// sameUnits reports how two lists of units differ in what a PO file
// holds, or "" when they do not. Plural forms left empty at the end are
// ignored: the writer pads plural entries to the catalog's nplurals.
func sameUnits(a, b []*corpora.Unit) string {
	if len(a) != len(b) {
		return "different numbers of units"
	}
	for i := range a {
		x, y := *a[i], *b[i]
		x.Origin, y.Origin = corpora.Origin{}, corpora.Origin{}
		x.Domain, y.Domain = "", ""
		gx, gy := *x.Gettext, *y.Gettext
		gx.TargetPlurals, gy.TargetPlurals = trimPlurals(gx.TargetPlurals), trimPlurals(gy.TargetPlurals)
		x.Gettext, y.Gettext = &gx, &gy
		if !unitsEqual(&x, &y) {
			return "unit " + strings.ReplaceAll(x.ID, "\x04", "|") + " differs:\n" + dump(&x) + "\n" + dump(&y)
		}
	}
	return ""
}

func trimPlurals(ps []corpora.Segment) []corpora.Segment {
	for len(ps) > 0 && ps[len(ps)-1].IsEmpty() {
		ps = ps[:len(ps)-1]
	}
	if len(ps) == 0 {
		return nil
	}
	return ps
}

// unitsEqual compares units, segments with Segment.Equal.
func unitsEqual(x, y *corpora.Unit) bool {
	if !x.Source.Equal(y.Source) || !x.Target.Equal(y.Target) {
		return false
	}
	gx, gy := *x.Gettext, *y.Gettext
	if !gx.SourcePlural.Equal(gy.SourcePlural) || len(gx.TargetPlurals) != len(gy.TargetPlurals) {
		return false
	}
	for i := range gx.TargetPlurals {
		if !gx.TargetPlurals[i].Equal(gy.TargetPlurals[i]) {
			return false
		}
	}
	xs, ys := *x, *y
	xs.Source, xs.Target, ys.Source, ys.Target = corpora.Segment{}, corpora.Segment{}, corpora.Segment{}, corpora.Segment{}
	gx.SourcePlural, gx.TargetPlurals, gy.SourcePlural, gy.TargetPlurals = corpora.Segment{}, nil, corpora.Segment{}, nil
	xs.Gettext, ys.Gettext = &gx, &gy
	return reflect.DeepEqual(xs, ys)
}

func dump(u *corpora.Unit) string {
	var b strings.Builder
	b.WriteString("ID=" + strings.ReplaceAll(u.ID, "\x04", "|") + " src=" + u.Source.Plain() + " tgt=" + u.Target.Plain() + " status=" + u.Status.String())
	b.WriteString(" notes=" + strings.Join(u.Notes, "¶"))
	if g := u.Gettext; g != nil {
		b.WriteString(" flags=" + strings.Join(g.Flags, ",") + " refs=" + strings.Join(g.References, ",") + " extr=" + strings.Join(g.Extracted, "¶"))
		b.WriteString(" prev=" + g.PrevContext + "|" + g.PrevSource + "|" + g.PrevPlural + " plural=" + g.SourcePlural.Plain())
		for _, p := range g.TargetPlurals {
			b.WriteString(" form=" + p.Plain())
		}
		if g.Obsolete {
			b.WriteString(" obsolete")
		}
	}
	return b.String()
}
