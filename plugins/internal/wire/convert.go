package wire

import (
	"github.com/kgmem/kgmem/plugins"
	pb "github.com/kgmem/kgmem/plugins/internal/modelpb"
)

// DescribeToPB converts a description to its message.
func DescribeToPB(d *plugins.DescribeResponse) *pb.DescribeResponse {
	m := &pb.DescribeResponse{
		Name:        d.Name,
		Version:     d.Version,
		Description: d.Description,
		AnyPair:     d.AnyPair,
		Capabilities: &pb.Capabilities{
			FuzzyMatches:       d.Capabilities.FuzzyMatches,
			Terms:              d.Capabilities.Terms,
			Facts:              d.Capabilities.Facts,
			Context:            d.Capabilities.Context,
			Learn:              d.Capabilities.Learn,
			PreferredBatchSize: int32(d.Capabilities.PreferredBatchSize),
			RegisterLanguages:  d.Capabilities.RegisterLanguages,
		},
	}
	for _, p := range d.Pairs {
		m.Pairs = append(m.Pairs, &pb.LanguagePair{Source: p.Source, Target: p.Target})
	}
	return m
}

// DescribeFromPB converts a message to a description.
func DescribeFromPB(m *pb.DescribeResponse) *plugins.DescribeResponse {
	c := m.GetCapabilities()
	d := &plugins.DescribeResponse{
		Name:        m.GetName(),
		Version:     m.GetVersion(),
		Description: m.GetDescription(),
		AnyPair:     m.GetAnyPair(),
		Capabilities: plugins.Capabilities{
			FuzzyMatches:       c.GetFuzzyMatches(),
			Terms:              c.GetTerms(),
			Facts:              c.GetFacts(),
			Context:            c.GetContext(),
			Learn:              c.GetLearn(),
			PreferredBatchSize: int(c.GetPreferredBatchSize()),
			RegisterLanguages:  c.GetRegisterLanguages(),
		},
	}
	for _, p := range m.GetPairs() {
		d.Pairs = append(d.Pairs, plugins.LanguagePair{Source: p.GetSource(), Target: p.GetTarget()})
	}
	return d
}

// TranslateRequestToPB converts a request to its message.
func TranslateRequestToPB(r *plugins.TranslateRequest) *pb.TranslateRequest {
	m := &pb.TranslateRequest{SourceLang: r.SourceLang, TargetLang: r.TargetLang, Register: r.Register, Items: make([]*pb.Item, len(r.Items))}
	for i := range r.Items {
		it := &r.Items[i]
		pi := &pb.Item{
			Id:            it.ID,
			Source:        it.Source,
			Placeholders:  it.Placeholders,
			ContextBefore: it.ContextBefore,
			ContextAfter:  it.ContextAfter,
		}
		for _, f := range it.FuzzyMatches {
			pi.FuzzyMatches = append(pi.FuzzyMatches, &pb.FuzzyMatch{Source: f.Source, Target: f.Target, Score: f.Score, Weight: f.Weight, Origin: f.Origin})
		}
		for _, t := range it.Terms {
			pi.Terms = append(pi.Terms, &pb.TermConstraint{
				SourceSpan: &pb.Span{Start: int32(t.SourceSpan.Start), End: int32(t.SourceSpan.End)},
				Source:     t.Source, Target: t.Target, Status: t.Status,
				Required: t.Required, Weight: t.Weight, EntityId: t.EntityID, Alternatives: t.Alternatives, CorrectsEngine: t.CorrectsEngine, Fragment: t.Fragment,
			})
		}
		for _, f := range it.Facts {
			pi.Facts = append(pi.Facts, &pb.Fact{Subject: f.Subject, Predicate: f.Predicate, Object: f.Object, Sentence: f.Sentence, Weight: f.Weight})
		}
		m.Items[i] = pi
	}
	return m
}

// TranslateRequestFromPB converts a message to a request.
func TranslateRequestFromPB(m *pb.TranslateRequest) *plugins.TranslateRequest {
	r := &plugins.TranslateRequest{SourceLang: m.GetSourceLang(), TargetLang: m.GetTargetLang(), Register: m.GetRegister(), Items: make([]plugins.Item, len(m.GetItems()))}
	for i, pi := range m.GetItems() {
		it := plugins.Item{
			ID:            pi.GetId(),
			Source:        pi.GetSource(),
			Placeholders:  pi.GetPlaceholders(),
			ContextBefore: pi.GetContextBefore(),
			ContextAfter:  pi.GetContextAfter(),
		}
		for _, f := range pi.GetFuzzyMatches() {
			it.FuzzyMatches = append(it.FuzzyMatches, plugins.FuzzyMatch{Source: f.GetSource(), Target: f.GetTarget(), Score: f.GetScore(), Weight: f.GetWeight(), Origin: f.GetOrigin()})
		}
		for _, t := range pi.GetTerms() {
			it.Terms = append(it.Terms, plugins.TermConstraint{
				SourceSpan: plugins.Span{Start: int(t.GetSourceSpan().GetStart()), End: int(t.GetSourceSpan().GetEnd())},
				Source:     t.GetSource(), Target: t.GetTarget(), Status: t.GetStatus(),
				Required: t.GetRequired(), Weight: t.GetWeight(), EntityID: t.GetEntityId(), Alternatives: t.GetAlternatives(), CorrectsEngine: t.GetCorrectsEngine(), Fragment: t.GetFragment(),
			})
		}
		for _, f := range pi.GetFacts() {
			it.Facts = append(it.Facts, plugins.Fact{Subject: f.GetSubject(), Predicate: f.GetPredicate(), Object: f.GetObject(), Sentence: f.GetSentence(), Weight: f.GetWeight()})
		}
		r.Items[i] = it
	}
	return r
}

// TranslateResponseToPB converts a response to its message.
func TranslateResponseToPB(r *plugins.TranslateResponse) *pb.TranslateResponse {
	m := &pb.TranslateResponse{Results: make([]*pb.Result, len(r.Results))}
	for i, res := range r.Results {
		pr := &pb.Result{Id: res.ID, Translation: res.Translation, Score: res.Score}
		for _, h := range res.HonouredTerms {
			pr.HonouredTerms = append(pr.HonouredTerms, int32(h))
		}
		if res.UsedMatch != nil {
			u := int32(*res.UsedMatch)
			pr.UsedMatch = &u
		}
		m.Results[i] = pr
	}
	return m
}

// TranslateResponseFromPB converts a message to a response.
func TranslateResponseFromPB(m *pb.TranslateResponse) *plugins.TranslateResponse {
	r := &plugins.TranslateResponse{Results: make([]plugins.Result, len(m.GetResults()))}
	for i, pr := range m.GetResults() {
		res := plugins.Result{ID: pr.GetId(), Translation: pr.GetTranslation()}
		if pr.Score != nil {
			s := pr.GetScore()
			res.Score = &s
		}
		for _, h := range pr.GetHonouredTerms() {
			res.HonouredTerms = append(res.HonouredTerms, int(h))
		}
		if pr.UsedMatch != nil {
			res.UsedMatch = plugins.Used(int(pr.GetUsedMatch()))
		}
		r.Results[i] = res
	}
	return r
}
