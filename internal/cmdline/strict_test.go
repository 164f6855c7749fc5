package cmdline

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/urfave/cli/v2"
)

func TestStrict(t *testing.T) {
	tests := []struct {
		args []string
		want string // the usage error; "" for none
	}{
		{[]string{"k", "show", "--limit", "3"}, ""},
		{[]string{"k", "shwo"}, "\"shwo\" is not a k command; run `k --help` for the commands"},
		{[]string{"k", "show", "--no-such"}, "flag provided but not defined: -no-such; run `k show --help`"},
		{[]string{"k", "search", "entity"}, "\"entity\" is not a subcommand of search; run `k search --help`"},
		{[]string{"k", "search", "tm", "--max", "1"}, "flag provided but not defined: -max; run `k search tm --help`"},
		{[]string{"k", "search"}, ""},
	}
	for _, tt := range tests {
		app := testApp()
		app.Name = "k"
		var out bytes.Buffer
		app.Writer, app.ErrWriter = &out, &out
		app.ExitErrHandler = func(*cli.Context, error) {}
		unknown := Strict(app)
		err := app.Run(tt.args)
		if err == nil {
			err = unknown()
		}
		var ue *UsageError
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("Run(%q) = %v, want nil", tt.args, err)
		case tt.want != "" && (!errors.As(err, &ue) || ue.Msg != tt.want):
			t.Errorf("Run(%q) = %v, want usage error %q", tt.args, err, tt.want)
		}
	}
}

func TestSplitList(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"a", []string{"a"}},
		{" a, b,,c ,", []string{"a", "b", "c"}},
	}
	for _, tt := range tests {
		if got := SplitList(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("SplitList(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
