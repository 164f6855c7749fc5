package qa

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
)

// Severity is how much a finding matters. The zero value is no severity;
// the order is Info < Warning < Error.
type Severity uint8

const (
	// Info: worth a look; often fine (a length outside the usual range,
	// a target shared by several sources).
	Info Severity = iota + 1
	// Warning: usually a mistake a reviewer fixes (a lost accelerator, a
	// changed number, final punctuation, capitalisation).
	Warning
	// Error: breaks the software or the term base (a lost or invented
	// placeholder, inline code or tag; a forbidden term).
	Error
)

var severityNames = [...]string{"", "info", "warning", "error"}

func (s Severity) String() string {
	if int(s) < len(severityNames) {
		return severityNames[s]
	}
	return ""
}

// MarshalText implements encoding.TextMarshaler.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	*s = v
	return err
}

// ParseSeverity parses "info", "warning" (or "warn") and "error".
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "info":
		return Info, nil
	case "warning", "warn":
		return Warning, nil
	case "error":
		return Error, nil
	}
	return 0, fmt.Errorf("severity %q: use info, warning or error", s)
}

// Finding is one problem in one unit.
type Finding struct {
	// File and Line say where the unit is (Line is 0 when the format has
	// no lines); Unit is its ID in the file, and Index its position among
	// the file's units.
	File  string `json:"file,omitempty"`
	Line  int    `json:"line,omitempty"`
	Unit  string `json:"unit,omitempty"`
	Index int    `json:"index"`
	// Check names the check (see Checks).
	Check    string   `json:"check"`
	Severity Severity `json:"severity"`
	// Message says what is wrong, Hint how to fix it.
	Message string `json:"message"`
	Hint    string `json:"hint,omitempty"`
	// Source and Target are the texts checked (for a plural entry, the
	// form the finding is about).
	Source string `json:"source"`
	Target string `json:"target"`
}

func (f Finding) String() string {
	var b strings.Builder
	b.WriteString(f.File)
	if f.Line > 0 {
		fmt.Fprintf(&b, ":%d", f.Line)
	} else if f.Unit != "" {
		fmt.Fprintf(&b, " (unit %q)", f.Unit)
	}
	fmt.Fprintf(&b, ": %s: %s: %s", f.Severity, f.Check, f.Message)
	if f.Hint != "" {
		fmt.Fprintf(&b, " (%s)", f.Hint)
	}
	return b.String()
}

// ErrUnknownCheck is wrapped by the error of Check for an Options.Checks
// or Options.Skip name that no check has.
var ErrUnknownCheck = errors.New("unknown check")

// Options select the checks and give them what they consult. The zero
// value runs every check at its default severity, without terms or
// memory.
type Options struct {
	// Checks are the names of the checks to run; empty runs them all.
	Checks []string
	// Skip are the names of checks not to run.
	Skip []string
	// MinSeverity drops findings below it; zero keeps them all.
	MinSeverity Severity
	// Terms gives the term-base entries of a source text, for the terms
	// and forbidden-terms checks; nil skips them.
	Terms Terms
	// Memory gives the memory's translations of a source text, for the
	// memory check; nil skips it.
	Memory Memory
	// Lengths are the bounds of the length check; nil takes
	// DefaultLengths.
	Lengths *LengthLimits
}

// Check runs the checks opts selects over units and returns the findings,
// ordered by file, position in the file and check. Units from several
// files and language pairs may be mixed: consistency is looked for within
// each language pair across all of them. It fails only on a bad option or
// an error of Terms or Memory. It is safe for concurrent use when Terms
// and Memory are.
func Check(ctx context.Context, units []*corpora.Unit, opts Options) ([]Finding, error) {
	run, err := selectChecks(opts)
	if err != nil {
		return nil, err
	}
	c := &checker{opts: opts, run: run, lengths: opts.Lengths}
	if c.lengths == nil {
		c.lengths = DefaultLengths()
	}
	c.terms = newTermCache(opts.Terms)
	var out []Finding
	pairs := make([][]*pair, len(units))
	for i, u := range units {
		if i%256 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		pairs[i] = pairsOf(u)
		for _, p := range pairs[i] {
			fs, err := c.checkPair(ctx, p)
			if err != nil {
				return nil, err
			}
			out = append(out, fs...)
		}
	}
	fs, err := c.checkAcross(ctx, pairs)
	if err != nil {
		return nil, err
	}
	out = append(out, fs...)
	out = slices.DeleteFunc(out, func(f Finding) bool { return f.Severity < opts.MinSeverity })
	order := map[string]int{}
	for i, ck := range allChecks {
		order[ck.Name] = i
	}
	slices.SortStableFunc(out, func(a, b Finding) int {
		if c := strings.Compare(a.File, b.File); c != 0 {
			return c
		}
		if a.Index != b.Index {
			return a.Index - b.Index
		}
		return order[a.Check] - order[b.Check]
	})
	return out, nil
}

// selectChecks returns the checks opts selects, by name.
func selectChecks(opts Options) (map[string]bool, error) {
	known := map[string]bool{}
	for _, ck := range allChecks {
		known[ck.Name] = true
	}
	for _, n := range append(slices.Clone(opts.Checks), opts.Skip...) {
		if !known[n] {
			return nil, fmt.Errorf("%w %q: the checks are %s", ErrUnknownCheck, n, strings.Join(CheckNames(), ", "))
		}
	}
	run := map[string]bool{}
	for _, ck := range allChecks {
		run[ck.Name] = len(opts.Checks) == 0 || slices.Contains(opts.Checks, ck.Name)
	}
	for _, n := range opts.Skip {
		run[n] = false
	}
	return run, nil
}

// pair is one source text and its translation: a unit, or one form of a
// gettext plural entry (form 0 is msgid and msgstr[0], form k > 0 is
// msgid_plural and msgstr[k]).
type pair struct {
	u          *corpora.Unit
	form       int
	plural     bool // part of a plural entry
	src, tgt   *text
	srcCodes   []*corpora.Code
	tgtCodes   []*corpora.Code
	srcL, tgtL language.Tag
	tgtBase    string // the target's language subtag: "es"
}

// pairsOf returns the pairs of a unit.
func pairsOf(u *corpora.Unit) []*pair {
	base, _ := u.TargetLang.Base()
	p := &pair{u: u, src: newText(u.Source.Plain()), tgt: newText(u.Target.Plain()),
		srcCodes: u.Source.Codes(), tgtCodes: u.Target.Codes(),
		srcL: u.SourceLang, tgtL: u.TargetLang, tgtBase: base.String()}
	ps := []*pair{p}
	g := u.Gettext
	if g == nil || (g.SourcePlural.IsEmpty() && len(g.TargetPlurals) == 0) {
		return ps
	}
	p.plural = true
	srcPlural := newText(g.SourcePlural.Plain())
	for k, t := range g.TargetPlurals {
		ps = append(ps, &pair{u: u, form: k + 1, plural: true, src: srcPlural, tgt: newText(t.Plain()),
			srcL: u.SourceLang, tgtL: u.TargetLang, tgtBase: p.tgtBase})
	}
	return ps
}

// creditMessages are the messages in which translators put their own names
// and addresses (GNOME's, KDE's, LibreOffice's): their targets are not
// translations of their sources.
var creditMessages = map[string]bool{
	"translator-credits": true, "translator_credits": true, "translation-credits": true,
	"Your names": true, "Your emails": true, "NAME OF TRANSLATORS": true, "EMAIL OF TRANSLATORS": true,
	"ROLES_OF_TRANSLATORS": true, "CREDIT_FOR_TRANSLATORS": true,
}

// problem is what a check found, before it becomes a Finding.
type problem struct {
	msg, hint string
	sev       Severity // zero: the check's default
}

// checker runs the selected checks.
type checker struct {
	opts    Options
	run     map[string]bool
	lengths *LengthLimits
	terms   *termCache
}

// finding makes the Finding of a problem in a pair.
func (c *checker) finding(ck *checkDef, p *pair, pr problem) Finding {
	sev := pr.sev
	if sev == 0 {
		sev = ck.Severity
	}
	msg := pr.msg
	if p.plural {
		msg = fmt.Sprintf("msgstr[%d]: %s", p.form, msg)
	}
	return Finding{File: p.u.Origin.File, Line: p.u.Origin.Line, Unit: p.u.ID, Index: p.u.Origin.Index,
		Check: ck.Name, Severity: sev, Message: msg, Hint: pr.hint, Source: p.src.raw, Target: p.tgt.raw}
}

// checkPair runs the checks of one pair.
func (c *checker) checkPair(ctx context.Context, p *pair) ([]Finding, error) {
	var out []Finding
	empty := p.tgt.raw == "" && len(p.tgtCodes) == 0
	credits := creditMessages[strings.TrimSpace(p.src.raw)]
	for i := range allChecks {
		ck := &allChecks[i]
		if !c.run[ck.Name] || ck.pair == nil && ck.pairCtx == nil {
			continue
		}
		if credits && ck.Name != "untranslated" {
			continue
		}
		if empty && !ck.onEmpty || p.src.raw == "" && len(p.srcCodes) == 0 {
			continue
		}
		var prs []problem
		if ck.pairCtx != nil {
			var err error
			if prs, err = ck.pairCtx(ctx, c, p); err != nil {
				return nil, err
			}
		} else {
			prs = ck.pair(c, p)
		}
		for _, pr := range prs {
			out = append(out, c.finding(ck, p, pr))
		}
	}
	return out, nil
}
