package po

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// PluralRule is a parsed Plural-Forms header value: how many forms a
// plural message has, and the C expression that picks the form for a
// count n. It is safe for concurrent use.
type PluralRule struct {
	// N is nplurals.
	N int
	// Expr is the plural expression as written, without surrounding space.
	Expr string

	root *pnode
}

// ErrPluralForms is wrapped by the errors of ParsePluralForms.
var ErrPluralForms = errors.New("bad Plural-Forms")

// maxPluralDepth bounds the nesting of a plural expression; gettext's
// rules nest a few levels, a hostile header thousands.
const maxPluralDepth = 64

// ParsePluralForms parses a Plural-Forms value such as
// "nplurals=2; plural=(n != 1);" as gettext reads it: nplurals is a
// number from 1 to 100, and plural an expression in C's syntax over the
// variable n, integer constants and the operators ! * / % + - < <= > >=
// == != && || ?: and parentheses. The template's placeholder
// "nplurals=INTEGER; plural=EXPRESSION;" is an error.
func ParsePluralForms(s string) (*PluralRule, error) {
	ni := strings.Index(s, "nplurals")
	if ni < 0 {
		return nil, fmt.Errorf("%w: no nplurals in %q", ErrPluralForms, s)
	}
	rest := strings.TrimLeft(s[ni+len("nplurals"):], " \t")
	if !strings.HasPrefix(rest, "=") {
		return nil, fmt.Errorf("%w: nplurals has no value in %q", ErrPluralForms, s)
	}
	rest = strings.TrimLeft(rest[1:], " \t")
	j := 0
	for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
		j++
	}
	n, err := strconv.Atoi(rest[:j])
	if err != nil || n < 1 || n > 100 {
		return nil, fmt.Errorf("%w: nplurals must be a number from 1 to 100 in %q", ErrPluralForms, s)
	}
	pi := strings.Index(s, "plural=")
	for pi >= 1 && s[pi-1] == 'n' { // the "plural=" of "nplurals=": look further
		k := strings.Index(s[pi+1:], "plural=")
		if k < 0 {
			pi = -1
			break
		}
		pi += 1 + k
	}
	if pi < 0 {
		return nil, fmt.Errorf("%w: no plural expression in %q", ErrPluralForms, s)
	}
	expr := s[pi+len("plural="):]
	if k := strings.IndexByte(expr, ';'); k >= 0 {
		expr = expr[:k]
	}
	expr = strings.TrimSpace(expr)
	p := &pparser{s: expr}
	root, err := p.parse()
	if err != nil {
		return nil, fmt.Errorf("%w: plural=%s: %v", ErrPluralForms, expr, err)
	}
	return &PluralRule{N: n, Expr: expr, root: root}, nil
}

// String returns the rule as a Plural-Forms value.
func (r *PluralRule) String() string {
	return fmt.Sprintf("nplurals=%d; plural=%s;", r.N, r.Expr)
}

// Form returns the index of the plural form for the count n, as gettext
// computes it (unsigned long arithmetic). It is an error when the
// expression divides by zero or gives an index of N or more.
func (r *PluralRule) Form(n uint64) (int, error) {
	v, err := r.root.eval(n)
	if err != nil {
		return 0, err
	}
	if v >= uint64(r.N) {
		return 0, fmt.Errorf("plural=%s gives form %d for n=%d, but nplurals=%d", r.Expr, v, n, r.N)
	}
	return int(v), nil
}

// pnode is a node of a plural expression.
type pnode struct {
	op   string // "n", "num", "!", a binary operator, or "?"
	val  uint64
	kids [3]*pnode
}

func (e *pnode) eval(n uint64) (uint64, error) {
	switch e.op {
	case "n":
		return n, nil
	case "num":
		return e.val, nil
	case "!":
		v, err := e.kids[0].eval(n)
		return b2u(v == 0), err
	case "?":
		c, err := e.kids[0].eval(n)
		if err != nil {
			return 0, err
		}
		if c != 0 {
			return e.kids[1].eval(n)
		}
		return e.kids[2].eval(n)
	}
	a, err := e.kids[0].eval(n)
	if err != nil {
		return 0, err
	}
	// && and || short-circuit, as in C.
	switch {
	case e.op == "&&" && a == 0:
		return 0, nil
	case e.op == "||" && a != 0:
		return 1, nil
	}
	b, err := e.kids[1].eval(n)
	if err != nil {
		return 0, err
	}
	switch e.op {
	case "&&", "||":
		return b2u(b != 0), nil
	case "*":
		return a * b, nil
	case "/", "%":
		if b == 0 {
			return 0, errors.New("division by zero")
		}
		if e.op == "/" {
			return a / b, nil
		}
		return a % b, nil
	case "+":
		return a + b, nil
	case "-":
		return a - b, nil
	case "<":
		return b2u(a < b), nil
	case "<=":
		return b2u(a <= b), nil
	case ">":
		return b2u(a > b), nil
	case ">=":
		return b2u(a >= b), nil
	case "==":
		return b2u(a == b), nil
	case "!=":
		return b2u(a != b), nil
	}
	return 0, fmt.Errorf("unknown operator %q", e.op)
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// pparser is a recursive-descent parser of plural expressions, with C's
// precedence: ?: (right to left), ||, &&, == !=, < <= > >=, + -, * / %,
// unary !.
type pparser struct {
	s     string
	i     int
	depth int
}

// levels are the binary operators from the loosest to the tightest.
var levels = [][]string{
	{"||"},
	{"&&"},
	{"==", "!="},
	{"<=", ">=", "<", ">"},
	{"+", "-"},
	{"*", "/", "%"},
}

func (p *pparser) parse() (*pnode, error) {
	if p.s == "" {
		return nil, errors.New("empty expression")
	}
	e, err := p.ternary()
	if err != nil {
		return nil, err
	}
	p.space()
	if p.i < len(p.s) {
		return nil, fmt.Errorf("unexpected %q at column %d", p.s[p.i:], p.i+1)
	}
	return e, nil
}

func (p *pparser) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\n' || p.s[p.i] == '\r') {
		p.i++
	}
}

// eat consumes tok if the input continues with it.
func (p *pparser) eat(tok string) bool {
	p.space()
	if !strings.HasPrefix(p.s[p.i:], tok) {
		return false
	}
	// "<" must not take the first byte of "<=" (levels list "<=" first,
	// but a caller may not).
	if (tok == "<" || tok == ">") && strings.HasPrefix(p.s[p.i+1:], "=") {
		return false
	}
	p.i += len(tok)
	return true
}

func (p *pparser) enter() error {
	p.depth++
	if p.depth > maxPluralDepth {
		return fmt.Errorf("nested more than %d deep", maxPluralDepth)
	}
	return nil
}

func (p *pparser) ternary() (*pnode, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	c, err := p.binary(0)
	if err != nil {
		return nil, err
	}
	if !p.eat("?") {
		return c, nil
	}
	a, err := p.ternary()
	if err != nil {
		return nil, err
	}
	if !p.eat(":") {
		return nil, fmt.Errorf("missing ':' at column %d", p.i+1)
	}
	b, err := p.ternary()
	if err != nil {
		return nil, err
	}
	return &pnode{op: "?", kids: [3]*pnode{c, a, b}}, nil
}

func (p *pparser) binary(level int) (*pnode, error) {
	if level == len(levels) {
		return p.unary()
	}
	left, err := p.binary(level + 1)
	if err != nil {
		return nil, err
	}
	for {
		op := ""
		for _, o := range levels[level] {
			if p.eat(o) {
				op = o
				break
			}
		}
		if op == "" {
			return left, nil
		}
		right, err := p.binary(level + 1)
		if err != nil {
			return nil, err
		}
		left = &pnode{op: op, kids: [3]*pnode{left, right}}
	}
}

func (p *pparser) unary() (*pnode, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	p.space()
	if p.i >= len(p.s) {
		return nil, errors.New("expression ends too early")
	}
	switch c := p.s[p.i]; {
	case c == '!' && !strings.HasPrefix(p.s[p.i:], "!="):
		p.i++
		e, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &pnode{op: "!", kids: [3]*pnode{e}}, nil
	case c == '(':
		p.i++
		e, err := p.ternary()
		if err != nil {
			return nil, err
		}
		if !p.eat(")") {
			return nil, fmt.Errorf("missing ')' at column %d", p.i+1)
		}
		return e, nil
	case c == 'n':
		p.i++
		return &pnode{op: "n"}, nil
	case c >= '0' && c <= '9':
		j := p.i
		for j < len(p.s) && p.s[j] >= '0' && p.s[j] <= '9' {
			j++
		}
		v, err := strconv.ParseUint(p.s[p.i:j], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("number %q: %v", p.s[p.i:j], err)
		}
		p.i = j
		return &pnode{op: "num", val: v}, nil
	default:
		return nil, fmt.Errorf("unexpected %q at column %d", p.s[p.i:], p.i+1)
	}
}
