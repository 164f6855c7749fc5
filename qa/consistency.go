package qa

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"

	"github.com/kgmem/kgmem/analysis"
	"github.com/kgmem/kgmem/corpora"
)

// Memory gives the translations a memory holds for a source text: the
// targets of its exact matches, best first. The knowledge graph and its
// translation memory implement it; UnitMemory does from units.
// Implementations must be safe for concurrent use.
type Memory interface {
	Exact(ctx context.Context, sourceLang, targetLang language.Tag, source string) ([]string, error)
}

// UnitMemory is a Memory over units held in memory, such as a TMX file
// read whole. It is safe for concurrent use once built.
type UnitMemory struct {
	targets map[string][]string
}

var _ Memory = (*UnitMemory)(nil)

// NewUnitMemory returns the memory of units; units without a target are
// left out.
func NewUnitMemory(units []*corpora.Unit) *UnitMemory {
	m := &UnitMemory{targets: map[string][]string{}}
	for _, u := range units {
		t := u.Target.Plain()
		if strings.TrimSpace(t) == "" {
			continue
		}
		k := memoryKey(u.SourceLang, u.TargetLang, u.Source.Plain())
		m.targets[k] = appendNew(m.targets[k], t)
	}
	return m
}

func memoryKey(src, tgt language.Tag, source string) string {
	sb, _ := src.Base()
	tb, _ := tgt.Base()
	return sb.String() + "\x00" + tb.String() + "\x00" + norm.NFC.String(strings.TrimSpace(source))
}

// Exact returns the targets of the units whose source is source.
func (m *UnitMemory) Exact(ctx context.Context, sourceLang, targetLang language.Tag, source string) ([]string, error) {
	return m.targets[memoryKey(sourceLang, targetLang, source)], nil
}

// normalize makes two translations that differ only where a reviewer
// would not call them inconsistent compare equal: accelerator markers
// and surrounding white space are left out.
func normalize(s string) string {
	return norm.NFC.String(strings.TrimSpace(withoutAccelerator(s)))
}

// looseKey makes two sources compare equal when they differ only in case,
// accelerator and final punctuation ("Open", "_Open", "Open…").
func looseKey(s string) string {
	s = strings.ToLower(normalize(s))
	return strings.TrimRightFunc(s, func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSpace(r) })
}

// checkAcross runs the checks that compare units with each other and with
// the memory.
func (c *checker) checkAcross(ctx context.Context, pairs [][]*pair) ([]Finding, error) {
	var main []*pair // form 0 of every translated unit
	for _, ps := range pairs {
		p := ps[0]
		if strings.TrimSpace(p.tgt.raw) == "" || strings.TrimSpace(p.src.raw) == "" {
			continue
		}
		main = append(main, p)
	}
	var out []Finding
	if c.run["consistency"] {
		out = append(out, c.consistency(main)...)
	}
	if c.run["consistency-target"] {
		out = append(out, c.consistencyTarget(main)...)
	}
	if c.run["memory"] && c.opts.Memory != nil {
		fs, err := c.memory(ctx, main)
		if err != nil {
			return nil, err
		}
		out = append(out, fs...)
	}
	return out, nil
}

// group is the units that share a key, with the variants of what is
// compared among them, most common first.
type group struct {
	pairs    []*pair
	variants []string
	count    map[string]int
	first    map[string]*pair
}

// groupBy groups pairs by key and counts the variants within each group.
func groupBy(ps []*pair, key, variant func(*pair) string) []*group {
	byKey := map[string]*group{}
	var order []*group
	for _, p := range ps {
		k := key(p)
		g, ok := byKey[k]
		if !ok {
			g = &group{count: map[string]int{}, first: map[string]*pair{}}
			byKey[k] = g
			order = append(order, g)
		}
		v := variant(p)
		if g.count[v] == 0 {
			g.variants = append(g.variants, v)
			g.first[v] = p
		}
		g.count[v]++
		g.pairs = append(g.pairs, p)
	}
	var out []*group
	for _, g := range order {
		if len(g.variants) > 1 {
			out = append(out, g)
		}
	}
	return out
}

// majority returns the most common variant of a group, and whether it is
// more common than every other; among equals, the first seen.
func (g *group) majority() (string, bool) {
	best, unique := g.variants[0], true
	for _, v := range g.variants[1:] {
		switch {
		case g.count[v] > g.count[best]:
			best, unique = v, true
		case g.count[v] == g.count[best]:
			unique = false
		}
	}
	return best, unique
}

// reported returns the variant a unit's finding compares it with, and
// whether the unit is reported: every unit whose variant is not the
// majority's, or, when no variant is the most common, every unit,
// compared with the first unit of another variant.
func (g *group) reported(v string) (string, bool) {
	best, unique := g.majority()
	if v != best {
		return best, true
	}
	if unique {
		return "", false
	}
	for _, o := range g.variants {
		if o != v {
			return o, true
		}
	}
	return "", false
}

func where(p *pair) string {
	if p.u.Origin.Line > 0 {
		return fmt.Sprintf("%s:%d", p.u.Origin.File, p.u.Origin.Line)
	}
	return fmt.Sprintf("%s #%d", p.u.Origin.File, p.u.Origin.Index+1)
}

func (c *checker) consistency(ps []*pair) []Finding {
	ck := checkByName("consistency")
	// The translations of a source are compared by normalize: a
	// different accelerator is not a different translation.
	var out []Finding
	groups := groupBy(ps,
		func(p *pair) string {
			return p.srcL.String() + "\x00" + p.tgtL.String() + "\x00" + p.u.Context + "\x00" + normalize(p.src.raw)
		},
		func(p *pair) string { return normalize(p.tgt.raw) })
	for _, g := range groups {
		for _, p := range g.pairs {
			v := normalize(p.tgt.raw)
			other, ok := g.reported(v)
			if !ok {
				continue
			}
			out = append(out, c.finding(ck, p, problem{
				msg:  fmt.Sprintf("translated as %q, but as %q at %s (%d of %d units)", v, other, where(g.first[other]), g.count[other], len(g.pairs)),
				hint: "use one translation, or give the units different contexts",
			}))
		}
	}
	return out
}

func (c *checker) consistencyTarget(ps []*pair) []Finding {
	ck := checkByName("consistency-target")
	var out []Finding
	var with []*pair
	for _, p := range ps {
		if analysis.HasLetter(p.tgt.masked) {
			with = append(with, p)
		}
	}
	groups := groupBy(with,
		func(p *pair) string {
			return p.srcL.String() + "\x00" + p.tgtL.String() + "\x00" + normalize(p.tgt.raw)
		},
		func(p *pair) string { return looseKey(p.src.raw) })
	for _, g := range groups {
		for _, p := range g.pairs {
			best, ok := g.reported(looseKey(p.src.raw))
			if !ok {
				continue
			}
			other := g.first[best]
			out = append(out, c.finding(ck, p, problem{
				msg:  fmt.Sprintf("%q also translates %q at %s", normalize(p.tgt.raw), normalize(other.src.raw), where(other)),
				hint: "check that the two sources mean the same; if not, tell them apart",
			}))
		}
	}
	return out
}

func (c *checker) memory(ctx context.Context, ps []*pair) ([]Finding, error) {
	ck := checkByName("memory")
	var out []Finding
	type answer struct {
		targets []string
		err     error
	}
	var mu sync.Mutex
	cache := map[string]answer{}
	for i, p := range ps {
		if i%256 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		key := memoryKey(p.srcL, p.tgtL, p.src.raw)
		mu.Lock()
		a, ok := cache[key]
		mu.Unlock()
		if !ok {
			a.targets, a.err = c.opts.Memory.Exact(ctx, p.srcL, p.tgtL, p.src.raw)
			mu.Lock()
			cache[key] = a
			mu.Unlock()
		}
		if a.err != nil {
			return nil, fmt.Errorf("look up %q in the memory: %w", clip(p.src.raw), a.err)
		}
		if len(a.targets) == 0 {
			continue
		}
		v := normalize(p.tgt.raw)
		same := false
		for _, t := range a.targets {
			if normalize(t) == v {
				same = true
				break
			}
		}
		if !same {
			out = append(out, c.finding(ck, p, problem{
				msg:  fmt.Sprintf("the memory translates it as %q", a.targets[0]),
				hint: "use the memory's translation, or update the memory if this one is better",
			}))
		}
	}
	return out, nil
}

func checkByName(name string) *checkDef {
	for i := range allChecks {
		if allChecks[i].Name == name {
			return &allChecks[i]
		}
	}
	panic("qa: no check " + name) // the names above are constants of this package
}
