// Command echo is an example third-party kgmem model: it "translates" by
// copying the source and putting in the target of every term constraint.
// It shows all a Go model needs: implement plugins.Model, call sdk.Serve.
//
// Build it as kgmem-model-echo in kgmem's plugin directory and trust it:
//
//	go build -o ~/.local/share/kgmem/plugins/kgmem-model-echo ./plugins/examples/echo
//	kgmem plugins trust ~/.local/share/kgmem/plugins/kgmem-model-echo
package main

import (
	"context"
	"sort"
	"strings"

	"github.com/kgmem/kgmem/plugins"
	"github.com/kgmem/kgmem/plugins/sdk"
)

type echo struct{}

func (echo) Describe(context.Context, *plugins.DescribeRequest) (*plugins.DescribeResponse, error) {
	return &plugins.DescribeResponse{
		Name:         "echo",
		Version:      "1.0.0",
		Description:  "copies the source, with the term base's translations put in",
		AnyPair:      true,
		Capabilities: plugins.Capabilities{Terms: true, PreferredBatchSize: 64},
	}, nil
}

func (echo) Translate(ctx context.Context, req *plugins.TranslateRequest) (*plugins.TranslateResponse, error) {
	resp := &plugins.TranslateResponse{Results: make([]plugins.Result, len(req.Items))}
	for i, it := range req.Items {
		text, used := putTerms(it.Source, it.Terms)
		resp.Results[i] = plugins.Result{ID: it.ID, Translation: text, HonouredTerms: used, UsedMatch: plugins.Used(plugins.NoMatch)}
	}
	return resp, nil
}

// putTerms replaces each term's source span by its target, right to left
// so that earlier offsets stay valid, skipping bad or overlapping spans.
func putTerms(src string, terms []plugins.TermConstraint) (string, []int) {
	idx := make([]int, 0, len(terms))
	for i, t := range terms {
		if t.SourceSpan.Start >= 0 && t.SourceSpan.Start < t.SourceSpan.End && t.SourceSpan.End <= len(src) {
			idx = append(idx, i)
		}
	}
	sort.Slice(idx, func(a, b int) bool { return terms[idx[a]].SourceSpan.Start > terms[idx[b]].SourceSpan.Start })
	var used []int
	limit := len(src)
	for _, i := range idx {
		sp := terms[i].SourceSpan
		if sp.End > limit {
			continue
		}
		src = src[:sp.Start] + terms[i].Target + src[sp.End:]
		limit = sp.Start
		used = append(used, i)
	}
	sort.Ints(used)
	return strings.TrimSpace(src), used
}

func main() { sdk.Serve(echo{}) }
