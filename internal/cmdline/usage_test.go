package cmdline

import (
	"errors"
	"log/slog"
	"testing"

	"github.com/urfave/cli/v2"
	"golang.org/x/text/language"
)

// withFlags runs fn with the context of a command line that sets the
// string flags from, to and text.
func withFlags(t *testing.T, args []string, fn func(c *cli.Context)) {
	t.Helper()
	app := &cli.App{
		Flags:  []cli.Flag{&cli.StringFlag{Name: "from"}, &cli.StringFlag{Name: "to"}, &cli.StringFlag{Name: "text"}},
		Action: func(c *cli.Context) error { fn(c); return nil },
	}
	if err := app.Run(append([]string{"k"}, args...)); err != nil {
		t.Fatal(err)
	}
}

func TestLang(t *testing.T) {
	tests := []struct {
		args    []string
		want    language.Tag
		str     string
		wantErr string
	}{
		{nil, language.Und, "", ""},
		{[]string{"--from", "pt_BR"}, language.BrazilianPortuguese, "pt-BR", ""},
		{[]string{"--from", "es"}, language.Spanish, "es", ""},
		{[]string{"--from", "C"}, language.Und, "", "--from: "},
	}
	for _, tt := range tests {
		withFlags(t, tt.args, func(c *cli.Context) {
			tag, err := Lang(c, "from")
			s, serr := LangString(c, "from")
			var ue *UsageError
			switch {
			case tt.wantErr != "":
				if !errors.As(err, &ue) || len(ue.Msg) < len(tt.wantErr) || ue.Msg[:len(tt.wantErr)] != tt.wantErr || serr == nil {
					t.Errorf("Lang(%q) = %v, %v; want a usage error starting %q", tt.args, tag, err, tt.wantErr)
				}
			case err != nil || tag != tt.want || serr != nil || s != tt.str:
				t.Errorf("Lang(%q) = %v, %v; LangString = %q, %v; want %v and %q", tt.args, tag, err, s, serr, tt.want, tt.str)
			}
		})
	}
}

func TestLangs(t *testing.T) {
	withFlags(t, []string{"--from", "en_US", "--to", "es"}, func(c *cli.Context) {
		from, to, err := Langs(c)
		fs, ts, serr := LangStrings(c)
		if err != nil || from != language.AmericanEnglish || to != language.Spanish || serr != nil || fs != "en-US" || ts != "es" {
			t.Errorf("Langs = %v, %v, %v; LangStrings = %q, %q, %v", from, to, err, fs, ts, serr)
		}
	})
	// The error names the flag that is wrong, --to as well as --from.
	withFlags(t, []string{"--from", "en", "--to", "C"}, func(c *cli.Context) {
		_, _, err := Langs(c)
		_, _, serr := LangStrings(c)
		var ue *UsageError
		if !errors.As(err, &ue) || ue.Msg[:5] != "--to:" || serr == nil || serr.Error()[:5] != "--to:" {
			t.Errorf("Langs with a bad --to = %v, LangStrings = %v; want usage errors naming --to", err, serr)
		}
	})
}

func TestCheckText(t *testing.T) {
	withFlags(t, []string{"--from", "ok", "--text", "b\xffd"}, func(c *cli.Context) {
		if err := CheckText(c, "from", "to"); err != nil {
			t.Errorf("CheckText(from, to) = %v, want nil", err)
		}
		var ue *UsageError
		if err := CheckText(c, "from", "text"); !errors.As(err, &ue) || ue.Msg != "--text: not valid UTF-8 (at byte 1); convert the input to UTF-8 (iconv -t UTF-8)" {
			t.Errorf("CheckText(from, text) = %v, want a usage error naming --text", err)
		}
	})
}

func TestParseLevel(t *testing.T) {
	tests := []struct {
		in   string
		want slog.Level
		ok   bool
	}{
		{"", slog.LevelInfo, true}, {"DEBUG", slog.LevelDebug, true}, {"warning", slog.LevelWarn, true},
		{"warn", slog.LevelWarn, true}, {"error", slog.LevelError, true}, {"loud", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseLevel(tt.in)
		var ue *UsageError
		if (err == nil) != tt.ok || got != tt.want || (err != nil && !errors.As(err, &ue)) {
			t.Errorf("ParseLevel(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestGiven(t *testing.T) {
	tests := []struct {
		args []string
		want int
	}{
		{nil, 0},
		{[]string{"--batch", "b"}, 1},
		{[]string{"--batch", ""}, 0},
		{[]string{"--batch", "b", "--list", "--n", "2"}, 3},
		{[]string{"--list=false", "--n", "0"}, 0},
	}
	for _, tt := range tests {
		app := &cli.App{
			Flags: []cli.Flag{&cli.StringFlag{Name: "batch"}, &cli.BoolFlag{Name: "list"}, &cli.IntFlag{Name: "n"}, &cli.StringFlag{Name: "other"}},
			Action: func(c *cli.Context) error {
				if got := Given(c, "batch", "list", "n", "other"); got != tt.want {
					t.Errorf("Given(%q) = %d, want %d", tt.args, got, tt.want)
				}
				return nil
			},
		}
		if err := app.Run(append([]string{"k"}, tt.args...)); err != nil {
			t.Fatal(err)
		}
	}
}
