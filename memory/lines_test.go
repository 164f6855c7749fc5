package memory_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/translate"
)

// upper translates a segment into its upper case, and records the
// segments of each call.
type upper struct{ calls [][]translate.Segment }

func (u *upper) Translate(_ context.Context, _ memory.TranslateOptions, segs []translate.Segment) ([]translate.Result, error) {
	u.calls = append(u.calls, segs)
	rs := make([]translate.Result, len(segs))
	for i, s := range segs {
		rs[i] = translate.Result{Source: s.Source.Plain(), Translation: strings.ToUpper(s.Source.Plain())}
	}
	return rs, nil
}

func TestTranslateLines(t *testing.T) {
	tests := []struct {
		name  string
		texts []string
		in    string
		n     int
		want  []string   // the translations fn received, a batch a string
		ctx   [][]string // each segment's prev|next
	}{
		{"texts", []string{"a", "b"}, "ignored\n", 1, []string{"A B"}, [][]string{{"|b", "a|"}}},
		{"lines in batches", nil, "a\nb\nc\n", 2, []string{"A B", "C"}, [][]string{{"|b", "a|"}, {"b|"}}},
		{"no input", nil, "", 2, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := &upper{}
			var got []string
			err := memory.TranslateLines(context.Background(), tr, memory.TranslateOptions{}, tt.texts, strings.NewReader(tt.in), tt.n,
				func(rs []translate.Result) error {
					var b []string
					for _, r := range rs {
						b = append(b, r.Translation)
					}
					got = append(got, strings.Join(b, " "))
					return nil
				})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("TranslateLines: batches %q, want %q", got, tt.want)
			}
			var ctx [][]string
			for _, call := range tr.calls {
				var c []string
				for _, s := range call {
					c = append(c, s.Prev+"|"+s.Next)
				}
				ctx = append(ctx, c)
			}
			if !reflect.DeepEqual(ctx, tt.ctx) {
				t.Errorf("TranslateLines: contexts %q, want %q", ctx, tt.ctx)
			}
		})
	}
	stop := errors.New("stop")
	err := memory.TranslateLines(context.Background(), &upper{}, memory.TranslateOptions{}, nil, strings.NewReader("a\nb\n"), 1,
		func([]translate.Result) error { return stop })
	if !errors.Is(err, stop) {
		t.Errorf("TranslateLines with fn failing = %v, want its error", err)
	}
}

// learner records what it is taught.
type learner struct{ reqs []memory.LearnRequest }

func (l *learner) Learn(_ context.Context, req memory.LearnRequest) (translate.LearnSummary, error) {
	l.reqs = append(l.reqs, req)
	return translate.LearnSummary{Segments: len(req.Pairs)}, nil
}

func TestApprovals(t *testing.T) {
	o := memory.TranslateOptions{Model: "memory", SourceLang: "en", TargetLang: "es"}
	results := []translate.Result{
		{Source: "Hello", Translation: "Hola", Status: translate.StatusExact},
		{Source: "Bye", Translation: "Adiós", Status: translate.StatusMachine},
		{Source: "Save %s", Translation: "Guardar", Status: translate.StatusExact,
			Checks: translate.Checks{Problems: []translate.Problem{{Kind: "placeholder", Detail: "lost %s"}}}},
	}
	tests := []struct {
		name string
		ap   *memory.Approvals
		want []translate.Pair
	}{
		{"exact only", memory.NewApprovals(o, false), []translate.Pair{{Source: "Hello", Target: "Hola", Origin: "translate"}}},
		{"all approved", memory.NewApprovals(o, true), []translate.Pair{{Source: "Hello", Target: "Hola", Origin: "translate"}, {Source: "Bye", Target: "Adiós", Origin: "translate"}}},
		{"nil", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, r := range results {
				tt.ap.Add(r)
			}
			l := &learner{}
			s, learned, err := tt.ap.Learn(context.Background(), l)
			if err != nil {
				t.Fatal(err)
			}
			if learned != (tt.want != nil) || s.Segments != len(tt.want) {
				t.Errorf("Learn = %+v, %v; want %d segments learned", s, learned, len(tt.want))
			}
			if tt.want == nil {
				if len(l.reqs) != 0 {
					t.Errorf("Learn sent %d requests with nothing to learn", len(l.reqs))
				}
				return
			}
			want := memory.LearnRequest{SourceLang: "en", TargetLang: "es", Model: "memory", Pairs: tt.want}
			if len(l.reqs) != 1 || !reflect.DeepEqual(l.reqs[0], want) {
				t.Errorf("Learn sent %+v, want one request %+v", l.reqs, want)
			}
		})
	}
}
