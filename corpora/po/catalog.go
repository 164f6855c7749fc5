package po

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
)

// catalog is what a PO or MO file says about all its units: languages,
// domain and last revision.
type catalog struct {
	src, tgt  language.Tag
	domain    string
	changed   time.Time
	changedBy string
}

// poNameRE matches PO file names that are a locale ("es.po", "pt_BR.po",
// "sr@latin.po"). Three-letter bases are left out: "git.po" names a
// program, not Gitxsan.
var poNameRE = regexp.MustCompile(`^([a-z]{2}(_[A-Z]{2})?(@[a-z]+)?|[a-z]{3}_[A-Z]{2}(@[a-z]+)?)\.po$`)

// langFromName guesses a catalog's language from its path when the header
// has no Language field: "po/es.po", or ".../es/LC_MESSAGES/domain.mo".
func langFromName(name string) language.Tag {
	if name == "" {
		return language.Und
	}
	base := filepath.Base(name)
	if poNameRE.MatchString(base) {
		if t, err := corpora.ParseLang(strings.TrimSuffix(base, ".po")); err == nil {
			return t
		}
	}
	dir := filepath.Dir(name)
	if filepath.Base(dir) == "LC_MESSAGES" {
		if t, err := corpora.ParseLang(filepath.Base(filepath.Dir(dir))); err == nil {
			return t
		}
	}
	return language.Und
}

// domainFromName returns the gettext domain of an installed MO file
// (".../LC_MESSAGES/coreutils.mo" is domain "coreutils"), or "".
func domainFromName(name string) string {
	if name == "" || filepath.Base(filepath.Dir(name)) != "LC_MESSAGES" {
		return ""
	}
	return strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
}

// newCatalog works out the catalog-wide fields from the header (which may
// be nil), the options and the file name, and checks the languages
// against the ones asked for.
func newCatalog(h *Header, opts corpora.ReadOptions, nameDomain string) (catalog, error) {
	var c catalog
	c.tgt = language.Und
	if l := h.Get("Language"); l != "" {
		if t, err := corpora.ParseLang(l); err == nil {
			c.tgt = t
		}
	}
	if c.tgt == language.Und {
		c.tgt = langFromName(opts.Name)
	}
	if opts.TargetLang != language.Und {
		if c.tgt != language.Und && !corpora.LangMatches(opts.TargetLang, c.tgt) {
			return c, fmt.Errorf("catalog is in %s, not %s: %w", c.tgt, opts.TargetLang, corpora.ErrNotBilingual)
		}
		if c.tgt == language.Und {
			c.tgt = opts.TargetLang
		}
	}
	c.src = language.Und
	if l := h.Get("X-Source-Language"); l != "" {
		if t, err := corpora.ParseLang(l); err == nil {
			c.src = t
		}
	}
	if opts.SourceLang != language.Und {
		if c.src != language.Und && !corpora.LangMatches(opts.SourceLang, c.src) {
			return c, fmt.Errorf("catalog's msgids are in %s, not %s: %w", c.src, opts.SourceLang, corpora.ErrNotBilingual)
		}
		if c.src == language.Und {
			c.src = opts.SourceLang
		}
	}
	if c.src == language.Und {
		// gettext msgids are conventionally English.
		c.src = language.English
	}
	c.domain = nameDomain
	if c.domain == "" {
		c.domain = projectDomain(h.Get("Project-Id-Version"))
	}
	c.changed = parseRevision(h.Get("PO-Revision-Date"))
	c.changedBy = translator(h.Get("Last-Translator"))
	return c, nil
}

// unit returns a unit with the catalog-wide fields filled in.
func (c *catalog) unit() *corpora.Unit {
	return &corpora.Unit{
		SourceLang: c.src,
		TargetLang: c.tgt,
		Domain:     c.domain,
		Changed:    c.changed,
		ChangedBy:  c.changedBy,
	}
}

// status is the status gettext gives a message: fuzzy (with a
// translation) is a draft, an empty msgstr is untranslated. gettext
// ignores, and msgcat drops, a fuzzy flag on an empty msgstr.
func status(fuzzy bool, target string) corpora.Status {
	switch {
	case target == "":
		return corpora.StatusUntranslated
	case fuzzy:
		return corpora.StatusDraft
	}
	return corpora.StatusTranslated
}

// unitID is gettext's key of a message: msgctxt, EOT, msgid.
func unitID(ctxt string, hasCtxt bool, id string) string {
	if hasCtxt {
		return ctxt + "\x04" + id
	}
	return id
}
