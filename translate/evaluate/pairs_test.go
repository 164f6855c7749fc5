package evaluate

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/demo"
	"github.com/kgmem/kgmem/internal/testenv"
)

func TestReadPairs(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	tsv := write("t.tsv", "source\ttarget\nOpen\tAbrir\nno target\t\nLine\\none\tLínea\\nuna\nSave\tGuardar\n")
	tmx := filepath.Join(dir, "lumen.tmx")
	b, err := demo.Files.ReadFile(demo.TMX)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tmx, b, 0o644); err != nil {
		t.Fatal(err)
	}
	en, es := language.English, language.Spanish
	tests := []struct {
		name     string
		path     string
		from, to language.Tag
		limit    int
		want     int
		wantLang [2]string
		first    [2]string
	}{
		{"tsv", tsv, en, es, 0, 3, [2]string{"en", "es"}, [2]string{"Open", "Abrir"}},
		{"tsv limit", tsv, en, es, 2, 2, [2]string{"en", "es"}, [2]string{"Open", "Abrir"}},
		{"tmx declares its languages", tmx, language.Und, language.Und, 0, 348, [2]string{"en-US", "es-ES"}, [2]string{}},
		{"tmx limit", tmx, en, es, 10, 10, [2]string{"en", "es"}, [2]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pairs, from, to, err := ReadPairs(context.Background(), tt.path, tt.from, tt.to, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			if len(pairs) != tt.want || from != tt.wantLang[0] || to != tt.wantLang[1] {
				t.Errorf("ReadPairs = %d pairs %s→%s, want %d %s→%s", len(pairs), from, to, tt.want, tt.wantLang[0], tt.wantLang[1])
			}
			if tt.first[0] != "" && (pairs[0].Source.Plain() != tt.first[0] || pairs[0].Reference != tt.first[1] || pairs[1].Prev != tt.first[0]) {
				t.Errorf("first pair %+v, second's Prev %q; want %q → %q", pairs[0], pairs[1].Prev, tt.first[0], tt.first[1])
			}
		})
	}
	// Escapes are read as what they stand for; Line writes them back.
	pairs, _, _, _ := ReadPairs(context.Background(), tsv, en, es, 0)
	if got := pairs[1].Reference; got != "Línea\nuna" || Line(got) != `Línea\nuna` {
		t.Errorf("escaped reference = %q, want a newline", got)
	}

	noLang := write("nolang.tsv", "Open\tAbrir\n")
	if _, _, _, err := ReadPairs(context.Background(), noLang, language.Und, language.Und, 0); !errors.Is(err, ErrNoLanguages) {
		t.Errorf("ReadPairs(no languages) error = %v, want ErrNoLanguages", err)
	}
	for name, content := range map[string]string{"empty.tsv": "", "targetless.tsv": "source\ttarget\nOpen\t\n"} {
		var pe *corpora.ParseError
		if _, _, _, err := ReadPairs(context.Background(), write(name, content), en, es, 0); !errors.As(err, &pe) {
			t.Errorf("ReadPairs(%s) error = %v, want a *corpora.ParseError", name, err)
		}
	}
}

func TestReadPairsSharedData(t *testing.T) {
	tests := []struct {
		path []string
		want int
	}{
		{[]string{"tico19", "en-es.dev.tsv"}, 970},
		{[]string{"gettext", "en-es.dev.tsv"}, 5287},
	}
	for _, tt := range tests {
		path := testenv.SharedData(t, tt.path...)
		pairs, _, _, err := ReadPairs(context.Background(), path, language.English, language.Spanish, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(pairs) != tt.want {
			t.Errorf("ReadPairs(%s) = %d pairs, want %d", path, len(pairs), tt.want)
		}
	}
}
