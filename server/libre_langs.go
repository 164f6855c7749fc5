package server

import (
	"context"
	"net/http"
	"net/url"
	"sort"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/kgmem/kgmem/corpora"
)

// langPair is a language pair the compatible APIs translate, as BCP-47
// tags.
type langPair struct{ source, target string }

// compatPairs returns the language pairs the compatible APIs (LibreTranslate,
// APy) offer: the pairs the server's model lists, or, for a model that
// takes any pair (memory, openai), the pairs the memory holds. It never
// offers a pair the model cannot translate.
func (s *Server) compatPairs(ctx context.Context) ([]langPair, error) {
	d, err := s.mem.Models().Describe(ctx, s.opts.Model)
	if err != nil {
		return nil, err
	}
	seen := map[langPair]bool{}
	var out []langPair
	add := func(p langPair) {
		if !seen[p] && p.source != "" && p.target != "" && d.Supports(p.source, p.target) {
			seen[p] = true
			out = append(out, p)
		}
	}
	if d.AnyPair {
		for src, tgts := range s.mem.Index().Stats().Pairs {
			for _, t := range tgts {
				add(langPair{src, t})
			}
		}
	} else {
		for _, p := range d.Pairs {
			add(langPair{p.Source, p.Target})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].source != out[j].source {
			return out[i].source < out[j].source
		}
		return out[i].target < out[j].target
	})
	return out, nil
}

// findPair returns the offered pair a request for src→tgt is served by:
// the one with the same tags, else the first with the same languages
// ("es-ES" is served by "es").
func findPair(pairs []langPair, src, tgt string) (langPair, bool) {
	for _, p := range pairs {
		if p.source == src && p.target == tgt {
			return p, true
		}
	}
	sb, tb := baseOf(src), baseOf(tgt)
	for _, p := range pairs {
		if baseOf(p.source) == sb && baseOf(p.target) == tb {
			return p, true
		}
	}
	return langPair{}, false
}

// baseOf returns the language subtag of a BCP-47 tag.
func baseOf(tag string) string {
	b, _ := language.Make(tag).Base()
	return b.String()
}

// parseTag reads a language code of a request as BCP-47 ("en", "pt-BR",
// "pt_BR", "eng"); ok is false when it names no language.
func parseTag(code string) (string, bool) {
	t, err := corpora.ParseLang(code)
	if err != nil {
		return "", false
	}
	return t.String(), true
}

// languageName returns the English name of a language ("Spanish"), or
// its code when the name is not known.
func languageName(tag string) string {
	if n := display.English.Tags().Name(language.Make(tag)); n != "" {
		return n
	}
	return tag
}

// compatCaller checks that the caller may do what needs role, with the
// key the request carries where its API puts it (key, when not ""), and
// returns the request with the caller that key names: usage, job
// ownership and the origin of what is learned go to that key.
func (s *Server) compatCaller(r *http.Request, role Role, key string) (*http.Request, error) {
	if err := s.authorize(r, role, key); err != nil {
		return r, err
	}
	if key == "" || fromSocket(r) {
		return r, nil
	}
	k, ok := s.opts.Keys.Authenticate(key)
	if !ok {
		return r, apiError(http.StatusUnauthorized, CodeUnauthorized, "the API key is not known to this server")
	}
	c := callerOf(r)
	c.name, c.role = k.Name, k.Role
	return r.WithContext(context.WithValue(r.Context(), callerKey{}, c)), nil
}

// refuseCrossSite refuses a write sent by a web page of another site to a
// server that trusts the caller for being on its machine (no key): the
// compatible APIs take form posts, which any page the user visits can make
// the browser send to a server on loopback.
func refuseCrossSite(r *http.Request) error {
	c := callerOf(r)
	if c.name != "" || fromSocket(r) {
		return nil
	}
	cross := false
	switch site := r.Header.Get("Sec-Fetch-Site"); site {
	case "cross-site", "same-site":
		cross = true
	case "":
		if o := r.Header.Get("Origin"); o != "" {
			u, err := url.Parse(o)
			cross = err != nil || u.Host != r.Host
		}
	}
	if cross {
		return apiError(http.StatusForbidden, CodeForbidden,
			"a web page of another site may not change this memory without an API key; send the request with a key of the learn role")
	}
	return nil
}
