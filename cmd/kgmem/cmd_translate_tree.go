package main

import (
	"context"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/internal/termui"
	"github.com/kgmem/kgmem/internal/textout"
	"github.com/kgmem/kgmem/project"
	"github.com/kgmem/kgmem/server"
	"github.com/kgmem/kgmem/translate"
)

// runTranslateTree translates a planned tree and prints what it did: a
// table on stdout, or with --json one JSON object a file as each is done
// and a last one with the total.
func runTranslateTree(ctx context.Context, g *globals, o translateOptions, tr server.Translator, plan *project.Plan, prog *termui.Progress) error {
	ap := newApprovals(o)
	enc := lineEncoder(g.out)
	ro := project.RunOptions{Translate: o.TranslateOptions, Approve: o.approve, Progress: prog,
		OnResult: func(_ *corpora.Unit, r translate.Result) error {
			ap.Add(r)
			if o.explain {
				textout.Explain(g.err, r)
			}
			return nil
		}}
	if o.json {
		ro.OnFile = func(f project.FileSummary) error { return enc.Encode(f) }
	}
	sum, err := project.Run(ctx, tr, plan, ro)
	prog.Done()
	if o.json {
		if e := enc.Encode(struct {
			Total project.Total `json:"total"`
		}{sum.Total}); e != nil && err == nil {
			err = e
		}
	} else {
		textout.Tree(g.out, plan, sum)
	}
	if err != nil {
		return err
	}
	return learnApproved(ctx, g, ap, tr)
}
