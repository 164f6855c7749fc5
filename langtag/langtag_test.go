package langtag

import (
	"fmt"
	"testing"
)

func TestBase(t *testing.T) {
	for _, tc := range []struct{ tag, want string }{
		{"es", "es"},
		{"es-ES", "es"},
		{"ES-mx", "es"},
		{"pt_BR", "pt"},
		{"zh-Hant-TW", "zh"},
		{"EN", "en"},
		{"", ""},
		{"-x", ""},
	} {
		if got := Base(tc.tag); got != tc.want {
			t.Errorf("Base(%q) = %q, want %q", tc.tag, got, tc.want)
		}
	}
}

func TestCovers(t *testing.T) {
	for _, tc := range []struct {
		want, have string
		ok         bool
	}{
		{"es", "es", true},
		{"es", "es-ES", true},
		{"ES", "es-es", true},
		{"es-ES", "es-ES", true},
		{"es-419", "es-ES", false},
		{"es-ES", "es", false},
		{"es", "est", false},
		{"", "fr", true},
		{"", "", true},
		{"fr", "", false},
	} {
		if got := Covers(tc.want, tc.have); got != tc.ok {
			t.Errorf("Covers(%q, %q) = %v, want %v", tc.want, tc.have, got, tc.ok)
		}
	}
}

func ExampleBase() {
	fmt.Println(Base("es-ES"), Base("pt_BR"), Base("EN"))
	// Output: es pt en
}

func ExampleCovers() {
	fmt.Println(Covers("es", "es-MX"), Covers("es-419", "es-ES"))
	// Output: true false
}
