package metrics

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

// within reports whether got equals the published value want (a decimal
// string as sacreBLEU's tests print it) to one unit of want's last digit
// (but not finer than 1e-9, float rounding), and never looser than 0.01.
func within(got float64, want string) bool { return near(got, want, 0) }

// near is within with a tolerance of at least eps: the EPSILON a
// sacreBLEU test itself allows.
func near(got float64, want string, eps float64) bool {
	w, err := strconv.ParseFloat(want, 64)
	if err != nil {
		panic(err)
	}
	tol := 1e-9
	if _, frac, ok := strings.Cut(want, "."); ok {
		tol = max(tol, math.Pow(10, -float64(len(frac))))
	}
	tol = min(max(tol, eps), 0.01)
	return math.Abs(got-w) <= tol
}

// dogHyps and dogRefs are the example of sacreBLEU's README and tests.
var (
	dogRefs = [][]string{
		{"The dog bit the man.", "It was not unexpected.", "The man bit him first."},
		{"The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."},
	}
	dogHyps = []string{"The dog bit the man.", "It wasn't surprising.", "The man had just bitten him."}
)

// wrap turns one reference per hypothesis into a single reference set.
func wrap(refs ...string) [][]string { return [][]string{refs} }

func mustNoErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
