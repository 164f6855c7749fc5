package plaintext

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/internal/testenv"
)

var fuzzLangs = []language.Tag{language.English, language.Spanish, language.German, language.French,
	language.Chinese, language.Japanese, language.Und}

// addSeeds seeds a fuzzer with real sentences and the tricky cases.
func addSeeds(f *testing.F, add func(text string, lang uint8)) {
	for _, p := range [][]string{{"tico19", "en-es.dev.tsv"}, {"tatoeba", "en-es.tsv"}} {
		b, err := os.ReadFile(testenv.SharedData(f, p...))
		if err != nil {
			f.Fatal(err)
		}
		if len(b) > 2<<10 {
			b = b[:2<<10]
		}
		var en, es strings.Builder
		for i, line := range strings.Split(string(b), "\n") {
			src, tgt, _ := strings.Cut(line, "\t")
			sep := " "
			if i%5 == 4 {
				sep = "\n\n"
			}
			en.WriteString(src + sep)
			es.WriteString(tgt + sep)
		}
		add(en.String(), 0)
		add(es.String(), 1)
	}
	for _, s := range []string{
		document, "Mr. Smith met Dr. Brown. He said \"Hi.\" Then he left.", "Obst, z. B. Äpfel. Am 3. Oktober. Siehe S. 5. Dann.",
		"« Bonjour ! » dit-il. En 52 av. J.-C. César vainquit.", "¿Vienes? ¡Claro! Vive en EE.\u00a0UU. Luego.",
		"「こんにちは。」と言った。今日は晴れ。", "他说：“你好。”然后走了。真的吗？！", "Steps:\n1. Open.\n2. Close.\n- item",
		"", "...", ". . .", "a.\n\n\n.b", "\xff. \xfe? Á.",
	} {
		for i := range fuzzLangs {
			add(s, uint8(i))
		}
	}
}

func FuzzSplit(f *testing.F) {
	addSeeds(f, func(s string, l uint8) { f.Add(s, l) })
	f.Fuzz(func(t *testing.T, text string, l uint8) {
		lang := fuzzLangs[int(l)%len(fuzzLangs)]
		ss := Split(text, lang)
		checkSentences(t, text, ss)
		// A blank line always separates sentences.
		for _, s := range ss {
			lines := strings.Split(s.Text, "\n")
			for i := 1; i+1 < len(lines); i++ {
				if isBlank(lines[i]) {
					t.Fatalf("sentence %q spans a blank line", s.Text)
				}
			}
		}
	})
}

func FuzzReader(f *testing.F) {
	addSeeds(f, func(s string, l uint8) { f.Add([]byte(s), l) })
	f.Add(utf16Bytes("Hello. World.\n", false), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, l uint8) {
		lang := fuzzLangs[int(l)%len(fuzzLangs)]
		opts := corpora.ReadOptions{SourceLang: lang, Lenient: l&0x80 != 0, Limits: corpora.Limits{MaxUnitBytes: 1 << 10}}
		r, err := NewReader(bytes.NewReader(data), opts)
		if err != nil {
			var pe *corpora.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is %T", err, err)
			}
			return
		}
		var units []*corpora.Unit
		for {
			u, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				var pe *corpora.ParseError
				if !errors.As(err, &pe) {
					t.Fatalf("error %v is %T", err, err)
				}
				return
			}
			if u == nil || u.Source.Plain() == "" || u.Origin.Index != len(units) || u.Origin.Line < 1 {
				t.Fatalf("bad unit %+v", u)
			}
			units = append(units, u)
		}
		if opts.Lenient || corpora.DetectEncoding(data) != corpora.UTF8 {
			return
		}
		var buf bytes.Buffer
		w, _ := NewWriter(&buf, WriterOptions{Source: true})
		for _, u := range units {
			if err := w.Write(u); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), data) {
			t.Fatalf("round trip:\n got %q\nwant %q", buf.Bytes(), data)
		}
	})
}
