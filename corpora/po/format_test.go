package po

import "testing"

func TestMarkDirectives(t *testing.T) {
	tests := []struct {
		kind   formatKind
		msgstr bool
		in     string
		want   string // ^ under bytes a line may not break before
	}{
		{formatC, false, "50%% of %s, % d", "   ^     ^   ^^"},
		{formatC, false, "%1$s and %2$-10.3lf", " ^^^               "}, // gettext takes no %lf
		{formatC, false, "%<PRIu64> bytes, %<PRIuMAX>", " ^^^^^^^^         ^^^^^^^^^"},
		{formatC, false, "%<PRIu63> stops the scan: %%", "                            "},
		{formatC, false, "%Id: I is a flag of translations only %%", "                                        "},
		{formatC, true, "%Id: I is a flag of translations only %%", " ^^                                    ^"},
		{formatC, false, "%s then %1$s mixes %%", " ^                   "},
		{formatC, false, "%hs is not a C directive %%", "                           "},
		{formatC, false, "%lc %Lf %m %+%", " ^^  ^^  ^  ^^"},
		{formatC, false, "%@ %%", "     "},
		{formatObjC, false, "%@ %%", " ^  ^"},
		{formatPython, false, "%(name)s is %(n(1))d%%", " ^^^^^^^     ^^^^^^^ ^"},
		{formatPython, false, "%(a)s then %s mixes %%", " ^^^^                 "},
		{formatPython, false, "%5.2f %a %%", " ^^^^      "},
		{formatPerl, false, "%-5s %%", " ^^^  ^"},
		{formatPHP, false, "%'*10s %%", " ^^^^^  ^"},
		{formatNone, false, "%s %%", "     "},
	}
	for _, tt := range tests {
		inside := make([]bool, len(tt.in))
		markDirectives(tt.in, tt.kind, tt.msgstr, inside)
		got := make([]byte, len(tt.in))
		for i, in := range inside {
			got[i] = ' '
			if in {
				got[i] = '^'
			}
		}
		if string(got) != tt.want {
			t.Errorf("markDirectives(%q, %d, msgstr=%v):\n  %q\n  %q\nwant\n  %q", tt.in, tt.kind, tt.msgstr, tt.in, got, tt.want)
		}
	}
}

func TestFormatOf(t *testing.T) {
	for _, tt := range []struct {
		flags []string
		want  formatKind
	}{
		{nil, formatNone},
		{[]string{"no-wrap", "c-format"}, formatC},
		{[]string{"no-c-format"}, formatNone},
		{[]string{"possible-c-format"}, formatC},
		{[]string{"python-format", "c-format"}, formatC},
		{[]string{"sh-format", "python-format"}, formatNone},
		{[]string{"qt-format"}, formatNone},
	} {
		if got := formatOf(tt.flags); got != tt.want {
			t.Errorf("formatOf(%q) = %d, want %d", tt.flags, got, tt.want)
		}
	}
}
