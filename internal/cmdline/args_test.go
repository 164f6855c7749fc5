package cmdline

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

func testApp() *cli.App {
	return &cli.App{
		Flags: []cli.Flag{&cli.StringFlag{Name: "data-dir"}, &cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}}},
		Commands: []*cli.Command{
			{Name: "show", Flags: []cli.Flag{&cli.IntFlag{Name: "limit"}, &cli.BoolFlag{Name: "json"}, ListFlag("terms", "t")}},
			{Name: "search", Subcommands: []*cli.Command{{Name: "tm", Flags: []cli.Flag{&cli.IntFlag{Name: "min"}}}}},
		},
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"k show a --limit 3", "k show --limit 3 a"},
		{"k show a -q --json b", "k -q show --json a b"},
		{"k show a --data-dir /d", "k --data-dir /d show a"},
		{"k show --limit=3 a", "k show --limit=3 a"},
		{"k show a -- --limit", "k show -- a --limit"},
		{"k show - --json", "k show --json -"},
		{"k search tm text --min 75", "k search tm --min 75 text"},
		{"k show a --nosuch", "k show --nosuch a"},
		{"k nosuch --limit 3", "k nosuch --limit 3"},
	}
	for _, tt := range tests {
		got := strings.Join(Normalize(testApp(), strings.Fields(tt.in)), " ")
		if got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	args := Normalize(testApp(), strings.Fields("k --data-dir /a show --data-dir /b x"))
	if got := GlobalValue(testApp(), args, "data-dir"); got != "/b" {
		t.Errorf("GlobalValue(data-dir) = %q, want the last one, /b", got)
	}
}

func TestApplyConfig(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.conf")
	write := func(s string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("# comment\nlimit = 7\nquiet = true\nterms = a.tbx, b.tbx\n")
	app := testApp()
	if err := ApplyConfig(app, path, "data-dir"); err != nil {
		t.Fatal(err)
	}
	show := app.Commands[0]
	if v := show.Flags[0].(*cli.IntFlag).Value; v != 7 {
		t.Errorf("limit default = %d, want 7", v)
	}
	if v := app.Flags[1].(*cli.BoolFlag).Value; !v {
		t.Error("the global quiet flag did not take its default from the file")
	}
	l := show.Flags[2].(*cli.GenericFlag).Value.(*List)
	if !reflect.DeepEqual(l.values, []string{"a.tbx", "b.tbx"}) {
		t.Errorf("terms defaults = %v", l.values)
	}
	l.Set("c.tbx") // the command line replaces the file's values
	if !reflect.DeepEqual(l.values, []string{"c.tbx"}) {
		t.Errorf("terms after a command-line value = %v, want [c.tbx]", l.values)
	}
	for _, tt := range []struct{ file, want string }{
		{"data-dir = /x\n", "data-dir cannot be set"},
		{"limti = 3\n", ":1: no command has a --limti flag"},
		{"limit = many\n", `limit = "many" is not a whole number`},
		{"limit 3\n", `"limit 3" is not a setting`},
	} {
		write(tt.file)
		err := ApplyConfig(testApp(), path, "data-dir")
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("config %q: %v, want an error with %q", tt.file, err, tt.want)
		}
	}
}
