// Command badmodel is a kgmem model that misbehaves in the way its file
// name says (kgmem-model-BEHAVIOUR), for the host's tests.
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	goplugin "github.com/hashicorp/go-plugin"

	"github.com/kgmem/kgmem/plugins"
	"github.com/kgmem/kgmem/plugins/internal/wire"
	"github.com/kgmem/kgmem/plugins/sdk"
)

type model struct{ behaviour string }

func (m model) Describe(context.Context, *plugins.DescribeRequest) (*plugins.DescribeResponse, error) {
	return &plugins.DescribeResponse{Name: m.behaviour, AnyPair: true, Capabilities: plugins.Capabilities{PreferredBatchSize: 4}}, nil
}

func (m model) Translate(ctx context.Context, req *plugins.TranslateRequest) (*plugins.TranslateResponse, error) {
	resp := &plugins.TranslateResponse{}
	for _, it := range req.Items {
		switch {
		case m.behaviour == "hang":
			fmt.Fprintln(os.Stderr, "hanging on", it.ID)
			select {} // ignores ctx on purpose
		case m.behaviour == "crash" && it.Source == "crash":
			panic("about to crash on item " + it.ID)
		case m.behaviour == "crashonce" && it.Source == "crash":
			marker := os.Getenv("BADMODEL_MARKER")
			if _, err := os.Stat(marker); err != nil {
				os.WriteFile(marker, nil, 0o644)
				fmt.Fprintln(os.Stderr, "crashing once")
				os.Exit(2)
			}
		case m.behaviour == "fail":
			return nil, fmt.Errorf("no engine for %s", req.TargetLang)
		}
		resp.Results = append(resp.Results, plugins.Result{ID: it.ID, Translation: strings.ToUpper(it.Source)})
	}
	if m.behaviour == "wrongcount" {
		resp.Results = resp.Results[:len(resp.Results)-1]
	}
	if m.behaviour == "wrongid" {
		resp.Results[0].ID = "nope"
	}
	return resp, nil
}

func main() {
	behaviour := strings.TrimPrefix(filepath.Base(os.Args[0]), plugins.ExecutablePrefix)
	switch behaviour {
	case "garbage":
		fmt.Println("hello, I am not a plugin")
		time.Sleep(time.Second)
		return
	case "slowstart":
		time.Sleep(time.Hour)
	case "v2":
		hs := wire.Handshake()
		hs.ProtocolVersion = 2
		goplugin.Serve(&goplugin.ServeConfig{
			HandshakeConfig: hs,
			Plugins:         goplugin.PluginSet{wire.PluginName: &wire.Plugin{Impl: model{behaviour}}},
			GRPCServer:      goplugin.DefaultGRPCServer,
		})
		return
	}
	sdk.Serve(model{behaviour})
}
