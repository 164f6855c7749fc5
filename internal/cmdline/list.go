package cmdline

import (
	"strings"

	"github.com/urfave/cli/v2"
)

// ListFlag is a flag that may be given several times; each value is one
// item (file names may hold commas, so values are not split).
func ListFlag(name, usage string) cli.Flag {
	return &cli.GenericFlag{Name: name, Usage: usage + "; repeat for several", Value: &List{}, TakesFile: true}
}

// List collects a flag given several times. Values a config file gives
// are defaults: the first value on the command line replaces them.
type List struct {
	values   []string
	defaults bool
}

func (f *List) Set(v string) error {
	if f.defaults {
		f.values, f.defaults = nil, false
	}
	f.values = append(f.values, v)
	return nil
}

func (f *List) String() string { return strings.Join(f.values, " ") }

// SetDefault adds a default value (from a config file).
func (f *List) SetDefault(v string) {
	f.values = append(f.values, v)
	f.defaults = true
}

// Values returns the values of a ListFlag called name.
func Values(c *cli.Context, name string) []string {
	if f, ok := c.Generic(name).(*List); ok {
		return f.values
	}
	return nil
}
