package memory

import (
	"context"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/formats"
	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/retrieval"
	"github.com/kgmem/kgmem/translate"
	"github.com/kgmem/kgmem/translate/evaluate"
)

// Service is what a front end does with the memory of a data directory,
// whoever holds it: a *Memory opened by the front end itself, or the
// client of the server that holds the directory (server.Client), which
// sends each call through the server.
type Service interface {
	Translate(ctx context.Context, o TranslateOptions, segs []translate.Segment) ([]translate.Result, error)
	TranslateFile(ctx context.Context, o TranslateOptions, fo translate.FileOptions, fn func(*corpora.Unit, translate.Result) error) (translate.FileSummary, error)
	Learn(ctx context.Context, req LearnRequest) (translate.LearnSummary, error)
	LearnFiles(ctx context.Context, req LearnFilesRequest) ([]translate.LearnSummary, error)
	SearchTM(ctx context.Context, q retrieval.Query) ([]retrieval.Match, error)
	SearchEntities(ctx context.Context, text string, o retrieval.ExpandOptions) ([]retrieval.Found, error)
	Entities(ctx context.Context, q EntityQuery) ([]EntityView, error)
	Stats(ctx context.Context) (graph.Stats, error)
	Build(ctx context.Context, req BuildRequest) (BuildSummary, error)
	Evaluate(ctx context.Context, req EvalRequest) (*evaluate.Report, error)
	Export(ctx context.Context, path string, format formats.Format, terms bool, f ExportFilter) (ExportSummary, error)
	Forget(ctx context.Context, req ForgetRequest) (ForgetSummary, error)
	Unforget(ctx context.Context, id string) (ForgetSummary, error)
	Forgotten(ctx context.Context) ([]ForgetSummary, error)
	Close() error
}

var _ Service = (*Memory)(nil)
