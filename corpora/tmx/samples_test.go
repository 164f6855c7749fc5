package tmx

import (
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
)

// pair is what a test expects of one unit.
type pair struct {
	src, tgt       string // language tags
	source, target string // Plain text, or codeString when codes is set
	codes          bool
}

func checkPairs(t *testing.T, units []*corpora.Unit, want []pair) {
	t.Helper()
	for i, w := range want {
		if i >= len(units) {
			t.Errorf("unit %d missing", i)
			continue
		}
		u := units[i]
		src, tgt := u.Source.Plain(), u.Target.Plain()
		if w.codes {
			src, tgt = codeString(u.Source), codeString(u.Target)
		}
		if u.SourceLang.String() != w.src || u.TargetLang.String() != w.tgt || src != w.source || tgt != w.target {
			t.Errorf("unit %d = %s→%s %q → %q, want %s→%s %q → %q", i,
				u.SourceLang, u.TargetLang, src, tgt, w.src, w.tgt, w.source, w.target)
		}
		if u.Origin.Index != i {
			t.Errorf("unit %d: Origin.Index = %d", i, u.Origin.Index)
		}
	}
}

// TestSamples reads every OmegaT sample TMX, strictly and leniently.
func TestSamples(t *testing.T) {
	fr := language.French
	tests := []struct {
		file    string
		opts    corpora.ReadOptions
		n       int    // units
		skips   int    // skips reported
		errLine int    // line of the error, when err is set
		err     string // part of the error message
		want    []pair // the first units
		check   func(t *testing.T, us []*corpora.Unit)
	}{
		{file: "empty.tmx", errLine: 8, err: "the file has no translation units: <body> is empty"},
		{file: "en-US_en-GB_fr_sr.tmx", n: 3, want: []pair{
			{"en-US", "en-GB", "XXx", "XXX", false},
			{"en-US", "fr", "XXx", "YYY", false},
			{"en-US", "sr", "XXx", "ZZZ", false},
		}},
		{file: "en-US_sr.tmx", n: 1, want: []pair{{"en-US", "sr", "XXX", "YYY", false}}},
		// header srclang="en", the tuv en-US: a more specific tag matches.
		{file: "en-ca.tmx", n: 1, want: []pair{{"en-US", "ca", "source", "target", false}}},
		{file: "invalid.tmx", errLine: 12, err: `<ept i="1"> has no <bpt i="1"> before it in its <seg>`},
		{file: "invalid.tmx", opts: corpora.ReadOptions{Lenient: true}, n: 0, skips: 1},
		{file: "project_save.tmx", n: 5, want: []pair{
			{"en", "fr", "Apertium", "Apertium", false},
			{"en", "fr", "Birds in Oregon", "Birds in Oregon", false},
			{"en", "fr", "Connect to custom server {0} instead of apertium.org", "Connectez-vous à un serveur personnalisé au lieu de apertium.org", false},
		}, check: func(t *testing.T, us []*corpora.Unit) {
			u := us[3]
			if want := time.Date(2024, 11, 27, 3, 50, 31, 0, time.UTC); !u.Created.Equal(want) {
				t.Errorf("Created = %v, want %v", u.Created, want)
			}
			if want := time.Date(2024, 11, 27, 3, 51, 57, 0, time.UTC); !u.Changed.Equal(want) {
				t.Errorf("Changed = %v, want %v", u.Changed, want)
			}
			if u.CreatedBy != "Hiroshi Miura" || u.ChangedBy != "Hiroshi Miura" || us[2].CreatedBy != "miurahr" {
				t.Errorf("CreatedBy, ChangedBy = %q, %q", u.CreatedBy, u.ChangedBy)
			}
			if u.Origin.Line != 31 || u.Origin.File != "project_save.tmx" {
				t.Errorf("Origin = %+v, want line 31", u.Origin)
			}
		}},
		{file: "resegmenting.tmx", n: 1, want: []pair{{"en", "fr", "This is test. Just a test.", "Ceci est un test. Juste un test.", false}}},
		{file: "resegmenting11.tmx", n: 1, want: []pair{{"en", "fr", "This is test. Just a test.", "Ceci est un test. Juste un test.", false}}},
		{file: "segment_2.tmx", n: 1, want: []pair{{"ja", "en", "地力の搾取と浪費が現われる。(1)", "weird behavior", false}}},
		{file: "penalty-010/segment_1.tmx", n: 1, want: []pair{{"ja", "fr", "地力の搾取と浪費が現われる。(1)", "weird behavior", false}}},
		// header srclang="en-US", tuv "en": a more general tag matches.
		{file: "mt/mt1.tmx", n: 1, want: []pair{{"en", "fr", "source", "target", false}}},
		{file: "test-SMP.tmx", n: 1, want: []pair{{"en", "be", "𝐀𝐁𝐂", "𝐃𝐄𝐅", false}}},
		{file: "test-level1.tmx", n: 7, want: []pair{
			{"en", "be", "entuv", "betuv", false},
			{"en", "en-US", "lang1z", "lang1", false},
			{"en", "be", "lang1z", "tr1", false},
			{"en", "es", "lang2", "lang2z", false},
			{"en", "be", "lang2", "tr2", false},
			{"en-GB", "es", "lang3", "lang3z", false},
			{"en-GB", "be", "lang3", "tr3", false},
		}},
		// OmegaT's TMXReaderTest reads it for en-US → be; we match en-US
		// as corpora.LangMatches does, so "en" and "en-GB" are not it.
		{file: "test-level1.tmx", opts: corpora.ReadOptions{SourceLang: language.AmericanEnglish, TargetLang: language.MustParse("be")},
			n: 1, skips: 3, want: []pair{{"en-US", "be", "lang1", "tr1", false}}},
		{file: "test-level2.tmx", n: 4, want: []pair{
			{"en", "be", "entuv", "betuv", false},
			{"en", "be", "First part {ph 1 internal} end.", "First {ph 1 {\\test internal /&gt;}} tr.", true},
			{"en", "be", "2 {it [pos=begin] &lt;a&gt;} zz {bpt 5 &lt;t&gt;}xx{ept 5 &lt;/c&gt;}", "tr", true},
			{"en", "be", "3 {bpt 5 [type=n]}xx{ept 5 &lt;/z&gt;}", "tr", true},
		}},
		{file: "test-match-stat-en-ca.tmx", n: 259, want: []pair{
			{"en", "ca", "<b>%{target_username}</b> is now an administrator.", "<b>%{target_username}</b> és ara administrador.", false},
		}, check: func(t *testing.T, us []*corpora.Unit) {
			// White space inside <seg> is kept as it is.
			if got, want := us[4].Source.Plain(), "Sorry, this account confirmation link is no longer valid. Perhaps your account is\n        already"; got != want {
				t.Errorf("unit 4 source = %q, want %q", got, want)
			}
		}},
		{file: "test-match-stat-en-ca11.tmx", n: 259},
		{file: "test-missingSource.tmx", errLine: 23, err: "<tu> has no <tuv> in its source language en (the srclang of its <header>); it has be"},
		{file: "test-missingSource.tmx", opts: corpora.ReadOptions{Lenient: true}, n: 5, skips: 1},
		// As OmegaT's TMXReaderTest.testMissingSource expects: 3 pairs.
		{file: "test-missingSource.tmx", opts: corpora.ReadOptions{Lenient: true, SourceLang: language.English, TargetLang: language.MustParse("be")},
			n: 3, skips: 1, want: []pair{
				{"en", "be", "entuv", "betuv", false},
				{"en", "be", "lang2", "tr2", false},
				{"en-GB", "be", "lang3", "tr3", false},
			}},
		{file: "test-multiple-entries.tmx", n: 4, check: checkMultipleEntries},
		{file: "test-multiple-entries11.tmx", n: 4, check: checkMultipleEntries},
		{file: "test-multiple-tuv.tmx", n: 11},
		{file: "test-multiple-tuv14.tmx", n: 11},
		// One unit per target <tuv> that "fr" covers; the third <tu> has
		// none and is reported.
		{file: "test-multiple-tuv.tmx", opts: corpora.ReadOptions{TargetLang: fr}, n: 5, skips: 1, want: []pair{
			{"en-US", "fr-CA", "Hello World!", "fr_CA Bonjour le monde\u00a0!", false},
			{"en-US", "fr-CA", "Hello World!", "fr_CA Bonjour tout le monde\u00a0!", false},
			{"en-US", "fr", "Hello World!", "fr Bonjour tout le monde\u00a0!", false},
			{"en-US", "fr-FR", "Hello Worlds.", "fr_FR 2 Bonjour les mondes.", false},
			{"en-US", "fr", "Hello Worlds.", "fr 2 Bonjour les mondes.", false},
		}},
		{file: "test-multiple-tuv14.tmx", opts: corpora.ReadOptions{TargetLang: language.CanadianFrench}, n: 2, skips: 2},
		{file: "test-multiple-tuv14.tmx", opts: corpora.ReadOptions{TargetLang: language.Japanese}, errLine: 58, err: "no units in the requested language pair: no <tu> has a <tuv> in en-US and one in ja; the file's languages are EN-US, ES, ES-AR, ES-BO, FR-CA, FR, DE, FR-FR"},
		{file: "test-omegat-invalid.tmx", errLine: 26, err: "<tuv> has xml:lang but the first <tuv> of its <tu> has lang"},
		{file: "test-omegat-invalid.tmx", opts: corpora.ReadOptions{Lenient: true}, n: 5, skips: 1},
		{file: "test-omegat.tmx", n: 7},
		{file: "test-save-tmx14.tmx", n: 4, want: []pair{
			{"en-US", "be-BY", "source", "target", false},
			{"en-US", "be-BY", "1{ph 1 &lt;a1/&gt;}2", "zz", true},
			{"en-US", "be-BY", "3{bpt 1 [x=1] &lt;a1&gt;}4{ept 1 &lt;/a1&gt;}5", "zz", true},
			{"en-US", "be-BY", "6{it 1 [pos=begin] &lt;a1&gt;}7", "zz", true},
		}},
		// The dispatcher unpacks these; raw, they are not XML.
		{file: "test-level2.tmx.gz", errLine: 1, err: "illegal character code U+001F"},
		{file: "test-level2.tmx.zip", errLine: 1, err: "illegal character code U+0003"},
	}
	for _, tt := range tests {
		name := tt.file
		if tt.opts.Lenient {
			name += "/lenient"
		}
		if tt.opts.SourceLang != language.Und || tt.opts.TargetLang != language.Und {
			name += "/" + tt.opts.SourceLang.String() + "-" + tt.opts.TargetLang.String()
		}
		t.Run(name, func(t *testing.T) {
			opts := tt.opts
			opts.Name = tt.file
			res := read(mustRead(t, omegat(t, strings.Split(tt.file, "/")...)), opts)
			if tt.err != "" {
				if res.err == nil {
					t.Fatalf("read gave %d units and no error, want %q", len(res.units), tt.err)
				}
				pe := parseError(t, res.err)
				if !strings.Contains(pe.Error(), tt.err) || pe.Line != tt.errLine || pe.File != tt.file {
					t.Fatalf("error = %q (line %d), want %q at %s:%d", pe, pe.Line, tt.err, tt.file, tt.errLine)
				}
				return
			}
			if res.err != nil {
				t.Fatal(res.err)
			}
			if len(res.units) != tt.n || len(res.skips) != tt.skips {
				t.Fatalf("read %d units and %d skips (%v), want %d and %d", len(res.units), len(res.skips), res.skips, tt.n, tt.skips)
			}
			for _, s := range res.skips {
				if s.File != tt.file || s.Line == 0 || s.Reason == "" {
					t.Errorf("skip %+v lacks its place or reason", s)
				}
			}
			checkPairs(t, res.units, tt.want)
			if tt.check != nil {
				tt.check(t, res.units)
			}
		})
	}
}

func checkMultipleEntries(t *testing.T, us []*corpora.Unit) {
	u := us[0]
	if want := time.Date(2020, 5, 23, 14, 32, 56, 0, time.UTC); !u.Changed.Equal(want) || u.ChangedBy != "id" || !u.Created.IsZero() {
		t.Errorf("unit 0: Changed %v by %q, Created %v", u.Changed, u.ChangedBy, u.Created)
	}
	u = us[3]
	want := []corpora.Prop{
		{Type: "file", Value: "website/download.html"},
		{Type: "prev", Value: "For installation on Linux."},
		{Type: "next", Value: "For installation on other operating systems (such as FreeBSD and Solaris).<br0/>"},
	}
	if len(u.Props) != len(want) {
		t.Fatalf("unit 3 props = %v, want %v", u.Props, want)
	}
	for i := range want {
		if u.Props[i] != want[i] {
			t.Errorf("unit 3 prop %d = %+v, want %+v", i, u.Props[i], want[i])
		}
	}
	if u.Source.Plain() != "Other" || u.Target.Plain() != "Altri" {
		t.Errorf("unit 3 = %q → %q", u.Source, u.Target)
	}
}

// TestSkipReasons checks the reasons of skips that are not errors.
func TestSkipReasons(t *testing.T) {
	res := read(mustRead(t, omegat(t, "test-multiple-tuv.tmx")), corpora.ReadOptions{Name: "m.tmx", TargetLang: language.CanadianFrench})
	if res.err != nil {
		t.Fatal(res.err)
	}
	want := []corpora.Skip{
		{File: "m.tmx", Line: 33, Reason: "no target: <tu> has no <tuv> in fr-CA, only EN-US, FR-FR, FR"},
		{File: "m.tmx", Line: 45, Reason: "no target: <tu> has no <tuv> in fr-CA, only EN-US, DE, ES"},
	}
	if len(res.skips) != len(want) {
		t.Fatalf("skips = %v, want %v", res.skips, want)
	}
	for i := range want {
		if res.skips[i] != want[i] {
			t.Errorf("skip %d = %+v, want %+v", i, res.skips[i], want[i])
		}
	}
	// A <tu> with only the source.
	res = read([]byte(`<tmx version="1.4"><header srclang="en"/><body>
<tu><tuv xml:lang="en"><seg>alone</seg></tuv></tu>
<tu><tuv xml:lang="en"><seg>a</seg></tuv><tuv xml:lang="de"><seg>b</seg></tuv></tu>
</body></tmx>`), corpora.ReadOptions{Name: "s.tmx"})
	if res.err != nil || len(res.units) != 1 || len(res.skips) != 1 {
		t.Fatalf("read = %d units, skips %v, err %v; want 1 unit, 1 skip", len(res.units), res.skips, res.err)
	}
	if s := res.skips[0]; s.Line != 2 || s.Reason != "no target: <tu> has only a <tuv> in en" {
		t.Errorf("skip = %+v", s)
	}
	if !errors.Is(read([]byte(`<tmx><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>a</seg></tuv></tu></body></tmx>`), corpora.ReadOptions{}).err, corpora.ErrNotBilingual) {
		t.Error("a file of source-only units is not ErrNotBilingual")
	}
	// With Untranslated, units still to translate into the target language
	// come out with an empty target, and those in other languages do not.
	res = read([]byte(`<tmx version="1.4"><header srclang="en"/><body>
<tu tuid="t1"><note>for the menu</note><tuv xml:lang="en"><seg>alone</seg></tuv></tu>
<tu><tuv xml:lang="en"><seg>a</seg></tuv><tuv xml:lang="es"><seg>b</seg></tuv></tu>
<tu><tuv xml:lang="en"><seg>c</seg></tuv><tuv xml:lang="de"><seg>d</seg></tuv></tu>
</body></tmx>`), corpora.ReadOptions{Name: "u.tmx", TargetLang: language.Spanish, Untranslated: true})
	if res.err != nil || len(res.units) != 3 || len(res.skips) != 0 {
		t.Fatalf("read with Untranslated = %d units, skips %v, err %v; want 3 units", len(res.units), res.skips, res.err)
	}
	u := res.units[0]
	if u.Source.Plain() != "alone" || !u.Target.IsEmpty() || u.TargetLang != language.Spanish || u.Status != corpora.StatusUntranslated ||
		u.ID != "t1" || len(u.Notes) != 1 {
		t.Errorf("untranslated unit = %+v", u)
	}
	if u := res.units[1]; u.Target.Plain() != "b" || u.Status == corpora.StatusUntranslated {
		t.Errorf("translated unit = %+v", u)
	}
	if u := res.units[2]; u.Source.Plain() != "c" || !u.Target.IsEmpty() || u.TargetLang != language.Spanish {
		t.Errorf("unit with German only = %+v", u)
	}
}
