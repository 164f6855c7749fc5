package project

import "testing"

func TestGlob(t *testing.T) {
	tests := []struct {
		pattern, rel string
		want         bool
	}{
		{"*.po", "es.po", true},
		{"*.po", "po/es.po", true},
		{"*.po", "po/es.pot", false},
		{"po/*.po", "po/es.po", true},
		{"po/*.po", "sub/po/es.po", false},
		{"**/po/*.po", "sub/po/es.po", true},
		{"**/po/*.po", "po/es.po", true},
		{"locale/**/*.po", "locale/es/LC_MESSAGES/app.po", true},
		{"locale/**", "locale/es/LC_MESSAGES/app.po", true},
		{"locale/**", "other/es.po", false},
		{"**/LC_MESSAGES/*", "locale/es/LC_MESSAGES/app.po", true},
		{"help/??.txt", "help/es.txt", true},
		{"help/??.txt", "help/es-419.txt", false},
		{"[a-c]*.xlf", "doc/b.xlf", true},
		{"/po/*.po", "po/es.po", true},
		{"a/**/**/b", "a/x/y/b", true},
		{"a/**/**/b", "a/b", true},
	}
	for _, tt := range tests {
		g, err := ParseGlob(tt.pattern)
		if err != nil {
			t.Fatalf("ParseGlob(%q): %v", tt.pattern, err)
		}
		if got := g.Match(tt.rel); got != tt.want {
			t.Errorf("ParseGlob(%q).Match(%q) = %v, want %v", tt.pattern, tt.rel, got, tt.want)
		}
	}
	for _, bad := range []string{"", "/", "a**/b", "[a-"} {
		if _, err := ParseGlob(bad); err == nil {
			t.Errorf("ParseGlob(%q) = nil error, want one", bad)
		}
	}
}

func TestFilter(t *testing.T) {
	f, err := newFilter([]string{"*.po", "xliff/**"}, []string{"**/test/**", "fr.po"})
	if err != nil {
		t.Fatal(err)
	}
	for rel, want := range map[string]bool{
		"po/es.po": true, "po/fr.po": false, "po/test/es.po": false, "xliff/a.xlf": true, "doc/a.xlf": false,
	} {
		if got := f.keep(rel); got != want {
			t.Errorf("keep(%q) = %v, want %v", rel, got, want)
		}
	}
	if _, err := newFilter([]string{"a**"}, nil); err == nil {
		t.Error("newFilter accepts a** as an include pattern")
	}
}
