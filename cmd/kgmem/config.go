package main

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

// configName is the file in the data directory whose settings are the
// defaults of command flags: one "name = value" a line, where name is a
// flag's long name ("graph = dgraph://127.0.0.1:9080", "model = apertium",
// "from = en"), and # starts a comment. A flag given on the command line
// wins, then its environment variable, then the file, then kgmem's own
// default.
const configName = "kgmem.conf"

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

func configError(path string, line int, err error) error {
	return withHint(&corpora.ParseError{File: path, Line: line, Err: err},
		"a setting is `name = value`, name being a command flag's long name (graph, model, from, to…)")
}

// applyConfig makes the settings of the config file in dataDir the
// defaults of the flags of cmds (and their subcommands) whose environment
// variables are not set. A setting no flag takes is an error: it is most
// likely a typo.
func applyConfig(dataDir string, cmds []*cli.Command) error {
	path := filepath.Join(dataDir, configName)
	cfg, err := readConfig(path)
	if err != nil || len(cfg) == 0 {
		return err
	}
	if err := configFlags(path, cmds, cfg); err != nil {
		return err
	}
	for name, s := range cfg {
		if !s.used {
			return configError(path, s.line, fmt.Errorf("no command has a --%s flag", name))
		}
	}
	return nil
}

func configFlags(path string, cmds []*cli.Command, cfg map[string]*setting) error {
	envSet := func(vars []string) bool {
		for _, v := range vars {
			if _, ok := os.LookupEnv(v); ok {
				return true
			}
		}
		return false
	}
	for _, c := range cmds {
		for _, fl := range c.Flags {
			if fl == jsonFlag || fl == pluginDirFlag {
				continue // shared by several commands; set by the environment
			}
			var name string
			var env []string
			switch f := fl.(type) {
			case *cli.StringFlag:
				name, env = f.Name, f.EnvVars
			case *cli.IntFlag:
				name, env = f.Name, f.EnvVars
			case *cli.BoolFlag:
				name, env = f.Name, f.EnvVars
			default:
				continue
			}
			s := cfg[name]
			if s == nil {
				continue
			}
			s.used = true
			if envSet(env) {
				continue
			}
			switch f := fl.(type) {
			case *cli.StringFlag:
				f.Value = s.value
			case *cli.IntFlag:
				v, err := strconv.Atoi(s.value)
				if err != nil {
					return configError(path, s.line, fmt.Errorf("%s = %q is not a whole number", name, s.value))
				}
				f.Value = v
			case *cli.BoolFlag:
				v, err := strconv.ParseBool(s.value)
				if err != nil {
					return configError(path, s.line, fmt.Errorf("%s = %q is not true or false", name, s.value))
				}
				f.Value = v
			}
		}
		if err := configFlags(path, c.Subcommands, cfg); err != nil {
			return err
		}
	}
	return nil
}
