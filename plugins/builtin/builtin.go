// Package builtin names kgmem's built-in models and serves one of them as
// a plugin process. The kgmem binary carries them all: the host starts
// `kgmem plugin serve NAME`, which calls Serve, so that a built-in model
// runs in a process of its own like any third-party one.
package builtin

import (
	"fmt"
	"sort"
	"strings"

	"github.com/kgmem/kgmem/plugins"
	"github.com/kgmem/kgmem/plugins/builtin/apertium"
	"github.com/kgmem/kgmem/plugins/builtin/memory"
	"github.com/kgmem/kgmem/plugins/builtin/openai"
	"github.com/kgmem/kgmem/plugins/sdk"
)

// constructors make each built-in model, with a function that releases
// what it holds (the Apertium pipelines).
var constructors = map[string]func() (plugins.Model, func() error){
	"memory": func() (plugins.Model, func() error) { return memory.Model{}, func() error { return nil } },
	"apertium": func() (plugins.Model, func() error) {
		m := apertium.New("")
		return m, m.Close
	},
	"openai": func() (plugins.Model, func() error) {
		return openai.New(openai.ConfigFromEnv()), func() error { return nil }
	},
}

// Names returns the names of the built-in models, sorted.
func Names() []string {
	out := make([]string, 0, len(constructors))
	for n := range constructors {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// New returns the built-in model called name and a function to release it.
func New(name string) (plugins.Model, func() error, error) {
	c, ok := constructors[name]
	if !ok {
		return nil, nil, fmt.Errorf("no built-in model %q (built-in: %s)", name, strings.Join(Names(), ", "))
	}
	m, closeFn := c()
	return m, closeFn, nil
}

// Serve serves the built-in model called name to the kgmem process that
// started this one, and returns when that process ends it.
func Serve(name string) error {
	m, closeFn, err := New(name)
	if err != nil {
		return err
	}
	defer closeFn()
	sdk.Serve(m)
	return nil
}
