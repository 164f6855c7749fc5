package cmdline

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/kgmem/kgmem/corpora"
)

// setting is one line of the config file.
type setting struct {
	value string
	line  int
	used  bool
}

// readConfig reads the config file at path; a missing file is no settings.
func readConfig(path string) (map[string]*setting, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]*setting{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, value, ok := strings.Cut(line, "=")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !ok || name == "" {
			return nil, configError(path, n, fmt.Errorf("%q is not a setting", line))
		}
		if prev, dup := out[name]; dup {
			return nil, configError(path, n, fmt.Errorf("%s is already set on line %d", name, prev.line))
		}
		out[name] = &setting{value: strings.Trim(value, `"`), line: n}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return out, nil
}

// configHint is what a config file's line should be.
const configHint = "a setting is `name = value`, name being a command flag's long name (graph, model, from, to…)"

// ConfigError is a line of a config file that cannot be used.
type ConfigError struct{ *corpora.ParseError }

func (e *ConfigError) Error() string { return e.ParseError.Error() + " (" + configHint + ")" }
func (e *ConfigError) Unwrap() error { return e.ParseError }

// Hint says what a setting should be.
func (e *ConfigError) Hint() string { return configHint }

func configError(path string, line int, err error) error {
	return &ConfigError{&corpora.ParseError{File: path, Line: line, Err: err}}
}

// ApplyConfig makes the settings of the config file at path the defaults
// of the flags of the app and its commands (and subcommands) whose
// environment variables are not set: one "name = value" a line, where name
// is a flag's long name, and # starts a comment. A flag given on the
// command line wins, then its environment variable, then the file, then
// the flag's own default. A setting no flag takes is an error: it is most
// likely a typo. The flags named in fixed cannot be set in the file (the
// one that says where the file is).
func ApplyConfig(app *cli.App, path string, fixed ...string) error {
	cfg, err := readConfig(path)
	if err != nil || len(cfg) == 0 {
		return err
	}
	for _, name := range fixed {
		if s := cfg[name]; s != nil {
			return configError(path, s.line, fmt.Errorf("%s cannot be set in %s", name, filepath.Base(path)))
		}
	}
	if err := configFlags(path, app.Flags, cfg); err != nil {
		return err
	}
	if err := configCommands(path, app.Commands, cfg); err != nil {
		return err
	}
	for name, s := range cfg {
		if !s.used {
			return configError(path, s.line, fmt.Errorf("no command has a --%s flag", name))
		}
	}
	return nil
}

func configCommands(path string, cmds []*cli.Command, cfg map[string]*setting) error {
	for _, c := range cmds {
		if err := configFlags(path, c.Flags, cfg); err != nil {
			return err
		}
		if err := configCommands(path, c.Subcommands, cfg); err != nil {
			return err
		}
	}
	return nil
}

// configFlags sets the defaults of flags from cfg.
func configFlags(path string, flags []cli.Flag, cfg map[string]*setting) error {
	envSet := func(vars []string) bool {
		for _, v := range vars {
			if _, ok := os.LookupEnv(v); ok {
				return true
			}
		}
		return false
	}
	for _, fl := range flags {
		s := cfg[fl.Names()[0]]
		if s == nil {
			continue
		}
		s.used = true
		if ef, ok := fl.(interface{ GetEnvVars() []string }); ok && envSet(ef.GetEnvVars()) {
			continue
		}
		if err := setDefault(fl, s.value); err != nil {
			return configError(path, s.line, fmt.Errorf("%s = %q %v", fl.Names()[0], s.value, err))
		}
	}
	return nil
}

// setDefault makes value the default of a flag.
func setDefault(fl cli.Flag, value string) error {
	switch f := fl.(type) {
	case *cli.StringFlag:
		f.Value = value
	case *cli.IntFlag:
		v, err := strconv.Atoi(value)
		if err != nil {
			return errors.New("is not a whole number")
		}
		f.Value = v
	case *cli.BoolFlag:
		v, err := strconv.ParseBool(value)
		if err != nil {
			return errors.New("is not true or false")
		}
		f.Value = v
	case *cli.GenericFlag:
		// A repeatable flag: the file gives one value, or several
		// separated by commas.
		l, ok := f.Value.(*List)
		if !ok {
			return errors.New("cannot be set in the file")
		}
		for _, v := range strings.Split(value, ",") {
			l.SetDefault(strings.TrimSpace(v))
		}
	default:
		return errors.New("cannot be set in the file")
	}
	return nil
}
