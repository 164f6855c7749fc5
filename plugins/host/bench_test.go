package host_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kgmem/kgmem/internal/testenv"
	"github.com/kgmem/kgmem/plugins"
	"github.com/kgmem/kgmem/plugins/host"
)

// memoryItems returns n short items, each with the memory a real
// translation carries: two fuzzy matches and a term.
func memoryItems(n int) []plugins.Item {
	out := make([]plugins.Item, n)
	for i := range out {
		out[i] = plugins.Item{
			ID:     strconv.Itoa(i),
			Source: "Open the file number " + strconv.Itoa(i),
			FuzzyMatches: []plugins.FuzzyMatch{
				{Source: "Open the file", Target: "Abra el archivo", Score: 82, Weight: 0.7, Origin: "ui.po"},
				{Source: "Open the folder number 3", Target: "Abra la carpeta número 3", Score: 75, Weight: 0.3, Origin: "ui.po"},
			},
			Terms: []plugins.TermConstraint{{SourceSpan: plugins.Span{Start: 9, End: 13}, Source: "file", Target: "archivo", Status: "preferred", Required: true, Weight: 1, EntityID: "term:file"}},
		}
	}
	return out
}

// BenchmarkTranslate32 measures the host and gRPC overhead of a Translate
// call against the trivial echo model (target: under 1 ms for 32 items).
func BenchmarkTranslate32(b *testing.B) {
	for _, n := range []int{1, 32, 256} {
		b.Run(fmt.Sprintf("items=%d", n), func(b *testing.B) {
			h, m := startEcho(b)
			defer h.Close()
			req := &plugins.TranslateRequest{SourceLang: "en", TargetLang: "es", Items: memoryItems(n)}
			ctx := context.Background()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := m.Translate(ctx, req); err != nil {
					b.Fatal(err)
				}
			}
			per := float64(b.Elapsed().Microseconds()) / float64(b.N)
			b.ReportMetric(per, "µs/call")
			b.ReportMetric(per/float64(n), "µs/item")
		})
	}
}

func startEcho(b *testing.B) (*host.Host, *host.Model) {
	b.Helper()
	dir := b.TempDir()
	bins := binaries(b)
	src, dst := bins+"/echo", dir+"/"+plugins.ExecutablePrefix+"echo"
	data, err := os.ReadFile(src)
	if err != nil {
		b.Fatal(err)
	}
	os.WriteFile(dst, data, 0o755)
	ts, _ := host.OpenTrustStore(dir + "/" + host.TrustFile)
	if _, err := ts.Trust(dst, time.Now()); err != nil {
		b.Fatal(err)
	}
	// One batch per call, as the benchmark measures a call.
	h, err := host.New(host.Options{PluginDir: dir, Trust: ts, BatchSize: 1024})
	if err != nil {
		b.Fatal(err)
	}
	m, err := h.Start(context.Background(), "echo")
	if err != nil {
		b.Fatal(err)
	}
	return h, m
}

// sentences returns the first n English sentences of the shared Tatoeba
// set.
func sentences(b *testing.B, n int) []string {
	b.Helper()
	f, err := os.Open(testenv.SharedData(b, "tatoeba", "en-es.tsv"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() && len(out) < n {
		src, _, _ := strings.Cut(sc.Text(), "\t")
		out = append(out, src)
	}
	return out
}

// BenchmarkApertium compares the apertium model (one long-lived pipeline,
// through the plugin host) with running `apertium eng-spa` once per
// sentence, in sentences per second.
func BenchmarkApertium(b *testing.B) {
	testenv.Tool(b, "apertium", "apt-get install apertium apertium-eng-spa")
	sents := sentences(b, 1000)
	b.Run("plugin", func(b *testing.B) {
		h, err := host.New(host.Options{Builtins: []string{"apertium"}, BuiltinCommand: builtinCommand})
		if err != nil {
			b.Fatal(err)
		}
		defer h.Close()
		ctx := context.Background()
		m, err := h.Start(ctx, "apertium")
		if err != nil {
			b.Fatal(err)
		}
		req := &plugins.TranslateRequest{SourceLang: "en", TargetLang: "es"}
		for i, s := range sents {
			req.Items = append(req.Items, plugins.Item{ID: strconv.Itoa(i), Source: s})
		}
		// Warm the pipeline up: its start is paid once per kgmem run.
		if _, err := m.Translate(ctx, &plugins.TranslateRequest{SourceLang: "en", TargetLang: "es", Items: req.Items[:1]}); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := m.Translate(ctx, req); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N*len(sents))/b.Elapsed().Seconds(), "sentences/s")
	})
	b.Run("process-per-sentence", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			cmd := exec.Command("apertium", "eng-spa")
			cmd.Stdin = strings.NewReader(sents[i%len(sents)])
			if out, err := cmd.Output(); err != nil || len(out) == 0 {
				b.Fatalf("apertium: %v", err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "sentences/s")
	})
}
