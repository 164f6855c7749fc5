package tmx

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/internal/testenv"
)

// omegat returns the path of a sample under formats/omegat/tmx.
func omegat(t testing.TB, elem ...string) string {
	t.Helper()
	return testenv.SharedData(t, append([]string{"formats", "omegat", "tmx"}, elem...)...)
}

// kit returns the path of a file of the LISA TMX Compliance Kit.
func kit(t testing.TB, name string) string {
	t.Helper()
	return omegat(t, "TMXComplianceKit", name)
}

// result is everything a read gives: units, skips, and the error that
// ended it (nil at io.EOF).
type result struct {
	units []*corpora.Unit
	skips []corpora.Skip
	err   error
}

// read reads data to the end.
func read(data []byte, opts corpora.ReadOptions) result {
	return readVia(data, opts, false)
}

func readVia(data []byte, opts corpora.ReadOptions, viaXML bool) result {
	return readWith(data, opts, config{viaXML: viaXML})
}

func readWith(data []byte, opts corpora.ReadOptions, cfg config) result {
	var res result
	onSkip := opts.OnSkip
	opts.OnSkip = func(s corpora.Skip) {
		res.skips = append(res.skips, s)
		if onSkip != nil {
			onSkip(s)
		}
	}
	r, err := newReader(bytes.NewReader(data), opts, cfg)
	if err != nil {
		res.err = err
		return res
	}
	for {
		u, err := r.Next()
		if err == io.EOF {
			return res
		}
		if err != nil {
			res.err = err
			return res
		}
		res.units = append(res.units, u)
	}
}

// readFile reads a file strictly, failing the test on any error.
func readFile(t testing.TB, path string, opts corpora.ReadOptions) []*corpora.Unit {
	t.Helper()
	res := read(mustRead(t, path), opts)
	if res.err != nil {
		t.Fatalf("read %s: %v", path, res.err)
	}
	return res.units
}

func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// parseError returns err as a *corpora.ParseError, failing the test if it
// is not one.
func parseError(t testing.TB, err error) *corpora.ParseError {
	t.Helper()
	var pe *corpora.ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T) is not a *corpora.ParseError", err, err)
	}
	return pe
}

// codeString renders a segment with its codes visible, for comparisons:
// "a{bpt 1 [x=1 type=bold] &lt;b&gt;}b".
func codeString(s corpora.Segment) string {
	var b strings.Builder
	for _, sp := range s.Spans {
		if sp.Code == nil {
			b.WriteString(sp.Text)
			continue
		}
		c := sp.Code
		fmt.Fprintf(&b, "{%s", c.Element)
		if c.Kind == corpora.CodeClose && c.Paired {
			b.WriteString("/")
		}
		if c.ID != "" {
			fmt.Fprintf(&b, " %s", c.ID)
		}
		if len(c.Attrs) > 0 {
			b.WriteString(" [")
			for i, a := range c.Attrs {
				if i > 0 {
					b.WriteString(" ")
				}
				fmt.Fprintf(&b, "%s=%s", a.Name, a.Value)
			}
			b.WriteString("]")
		}
		if c.Native != "" {
			fmt.Fprintf(&b, " %s", c.Native)
		}
		b.WriteString("}")
	}
	return b.String()
}

// diffUnits reports how two lists of units differ, ignoring Origin.
func diffUnits(got, want []*corpora.Unit) string {
	if len(got) != len(want) {
		return fmt.Sprintf("%d units, want %d", len(got), len(want))
	}
	for i := range got {
		if d := diffUnit(got[i], want[i]); d != "" {
			return fmt.Sprintf("unit %d: %s", i, d)
		}
	}
	return ""
}

func diffUnit(g, w *corpora.Unit) string {
	if !g.Source.Equal(w.Source) {
		return fmt.Sprintf("source %q, want %q", codeString(g.Source), codeString(w.Source))
	}
	if !g.Target.Equal(w.Target) {
		return fmt.Sprintf("target %q, want %q", codeString(g.Target), codeString(w.Target))
	}
	gc, wc := *g, *w
	gc.Source, gc.Target, gc.Origin = corpora.Segment{}, corpora.Segment{}, corpora.Origin{}
	wc.Source, wc.Target, wc.Origin = corpora.Segment{}, corpora.Segment{}, corpora.Origin{}
	if !reflect.DeepEqual(gc, wc) {
		return fmt.Sprintf("\n got %+v\nwant %+v", gc, wc)
	}
	return ""
}
