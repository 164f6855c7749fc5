// Package sdk is what a third-party translation model written in Go
// imports: implement plugins.Model (and, optionally, plugins.Learner) and
// call Serve from main. Build the program as kgmem-model-NAME, put it in
// kgmem's plugin directory and run `kgmem plugins trust PATH`.
//
//	func main() { sdk.Serve(myModel{}) }
//
// Serve speaks the go-plugin handshake on stdout, so a model must not
// print to stdout; log to stderr instead (kgmem logs what a model writes
// there, and shows the last lines when it crashes).
package sdk

import (
	"os"
	"time"

	goplugin "github.com/hashicorp/go-plugin"

	"github.com/kgmem/kgmem/plugins"
	"github.com/kgmem/kgmem/plugins/internal/wire"
)

// Serve serves m to the kgmem process that started this one and returns
// when kgmem ends the model. It exits the process when kgmem is gone, even
// if kgmem was killed without a chance to stop its models. Run directly
// from a shell, it prints that it is a plugin and exits with status 1.
func Serve(m plugins.Model) {
	stop := make(chan struct{})
	defer close(stop)
	go watchParent(stop, 200*time.Millisecond, func() { os.Exit(3) })
	goplugin.Serve(&goplugin.ServeConfig{
		HandshakeConfig: wire.Handshake(),
		Plugins:         goplugin.PluginSet{wire.PluginName: &wire.Plugin{Impl: m}},
		GRPCServer:      goplugin.DefaultGRPCServer,
	})
}

// watchParent calls gone once the parent process has changed, which on
// Unix means it died and this process was adopted by init or a
// subreaper. Polling getppid works everywhere, needs no help from the
// parent and costs one system call per tick.
func watchParent(stop <-chan struct{}, every time.Duration, gone func()) {
	ppid := os.Getppid()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			if os.Getppid() != ppid {
				gone()
				return
			}
		}
	}
}
