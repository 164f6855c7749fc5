package project

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/formats"
)

// OmegaTProjectFile is the file that makes a folder an OmegaT project.
const OmegaTProjectFile = "omegat.project"

// OmegaT is an OmegaT project folder, as its omegat.project says.
type OmegaT struct {
	// Root is the project folder.
	Root string
	// SourceDir, TargetDir, TMDir and GlossaryDir are the project's
	// folders, GlossaryFile its writable glossary (paths with Root).
	SourceDir, TargetDir, TMDir, GlossaryDir, GlossaryFile string
	SourceLang, TargetLang                                 language.Tag
	// Excludes are the project's masks of source files not to translate.
	Excludes []Glob
}

// The files kgmem writes into an OmegaT project's tm folder: what it
// translated from the memory's exact matches, which OmegaT inserts by
// itself (tm/auto), and the rest, which OmegaT offers as machine
// translation (tm/mt).
const (
	OmegaTAutoTMX = "auto/kgmem.tmx"
	OmegaTMTTMX   = "mt/kgmem.tmx"
)

// omegatXML is the part of omegat.project kgmem reads.
type omegatXML struct {
	Project struct {
		SourceDir    string   `xml:"source_dir"`
		Excludes     []string `xml:"source_dir_excludes>mask"`
		TargetDir    string   `xml:"target_dir"`
		TMDir        string   `xml:"tm_dir"`
		GlossaryDir  string   `xml:"glossary_dir"`
		GlossaryFile string   `xml:"glossary_file"`
		SourceLang   string   `xml:"source_lang"`
		TargetLang   string   `xml:"target_lang"`
	} `xml:"project"`
}

// ReadOmegaT reads the omegat.project of a folder. It returns nil, and no
// error, when the folder has none.
func ReadOmegaT(root string) (*OmegaT, error) {
	file := filepath.Join(root, OmegaTProjectFile)
	b, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the OmegaT project %s: %w", file, err)
	}
	var x omegatXML
	if err := xml.Unmarshal(b, &x); err != nil {
		return nil, &corpora.ParseError{File: file, Offset: -1, Err: fmt.Errorf("not an OmegaT project file: %w", err)}
	}
	pr := x.Project
	o := &OmegaT{Root: root}
	dir := func(v, def string) string {
		v = strings.TrimSpace(v)
		if v == "" || v == "__DEFAULT__" {
			v = def
		}
		if filepath.IsAbs(v) {
			return filepath.Clean(v)
		}
		return filepath.Join(root, filepath.FromSlash(v))
	}
	o.SourceDir, o.TargetDir = dir(pr.SourceDir, "source"), dir(pr.TargetDir, "target")
	o.TMDir, o.GlossaryDir = dir(pr.TMDir, "tm"), dir(pr.GlossaryDir, "glossary")
	o.GlossaryFile = dir(pr.GlossaryFile, filepath.Join("glossary", "glossary.txt"))
	if strings.TrimSpace(pr.GlossaryFile) == "__DEFAULT__" || strings.TrimSpace(pr.GlossaryFile) == "" {
		o.GlossaryFile = filepath.Join(o.GlossaryDir, "glossary.txt")
	}
	for _, l := range []struct {
		name, v string
		tag     *language.Tag
	}{{"source_lang", pr.SourceLang, &o.SourceLang}, {"target_lang", pr.TargetLang, &o.TargetLang}} {
		t, err := corpora.ParseLang(l.v)
		if err != nil {
			return nil, &corpora.ParseError{File: file, Offset: -1, Err: fmt.Errorf("<%s>: %w", l.name, err)}
		}
		*l.tag = t
	}
	for _, m := range pr.Excludes {
		g, err := ParseGlob(m)
		if err != nil {
			return nil, &corpora.ParseError{File: file, Offset: -1, Err: fmt.Errorf("<source_dir_excludes>: %w", err)}
		}
		o.Excludes = append(o.Excludes, g)
	}
	return o, nil
}

// ErrLanguageMismatch is returned by NewPlan when languages given
// disagree with an OmegaT project's.
var ErrLanguageMismatch = errors.New("the languages given are not the project's")

// useOmegaT makes the plan one of an OmegaT project: its languages, and
// its target folder as the output unless another is named.
func (p *Plan) useOmegaT(o *OmegaT, opts Options) error {
	for _, l := range []struct {
		given, project language.Tag
		flag           string
	}{{opts.SourceLang, o.SourceLang, "source"}, {opts.TargetLang, o.TargetLang, "target"}} {
		if l.given != language.Und && !corpora.LangMatches(l.given, l.project) && !corpora.LangMatches(l.project, l.given) {
			return fmt.Errorf("%w: the OmegaT project %s has %s as its %s language, not %s; leave the languages out, or change them in %s",
				ErrLanguageMismatch, o.Root, l.project, l.flag, l.given, OmegaTProjectFile)
		}
	}
	p.OmegaT = o
	p.SourceLang, p.TargetLang = o.SourceLang, o.TargetLang
	inAbs, _ := filepath.Abs(p.In)
	outAbs, _ := filepath.Abs(p.Out)
	if outAbs == inAbs {
		p.Out = o.TargetDir
	}
	p.In = o.SourceDir
	return nil
}

// omegatCandidates lists the project's source files: each is translated
// into the same path under the target folder.
func (p *Plan) omegatCandidates(f filter) ([]candidate, error) {
	f.exclude = append(f.exclude, p.OmegaT.Excludes...)
	if _, err := os.Stat(p.In); err != nil {
		return nil, fmt.Errorf("the OmegaT project's source folder: %w", err)
	}
	files, err := p.walk(f)
	if err != nil {
		return nil, err
	}
	cands := make([]candidate, len(files))
	for i, fl := range files {
		c := candidate{f: fl, out: fl.rel, layout: LayoutOmegaT}
		switch {
		case fl.format == formats.MO:
			c.ignore = "a compiled catalog: translate its PO"
		case fl.format == formats.TBX || fl.format == formats.Glossary:
			c.ignore = "a term base"
		case strings.HasSuffix(strings.ToLower(fl.rel), ".gz"):
			c.ignore = "compressed: translate the file itself"
		}
		cands[i] = c
	}
	return cands, nil
}

// Memories returns what of the project the memory should hold before its
// files are translated: the translation memories of its tm folder (but
// machine translation, tm/mt, and what kgmem wrote there) and its own
// project_save.tmx, which holds what its translators confirmed; and the
// glossaries of its glossary folder.
func (o *OmegaT) Memories() (tms, glossaries []string, err error) {
	skip := map[string]bool{
		filepath.Join(o.TMDir, filepath.FromSlash(OmegaTAutoTMX)): true,
		filepath.Join(o.TMDir, filepath.FromSlash(OmegaTMTTMX)):   true,
	}
	tms, err = readableUnder(o.TMDir, func(path string, d fs.DirEntry) bool {
		return d.IsDir() && path == filepath.Join(o.TMDir, "mt") || skip[path]
	})
	if err != nil {
		return nil, nil, err
	}
	if save := filepath.Join(o.Root, "omegat", "project_save.tmx"); exists(save) {
		tms = append(tms, save)
	}
	glossaries, err = readableUnder(o.GlossaryDir, nil)
	if err != nil {
		return nil, nil, err
	}
	if exists(o.GlossaryFile) && !strings.HasPrefix(o.GlossaryFile, o.GlossaryDir+string(filepath.Separator)) {
		glossaries = append(glossaries, o.GlossaryFile)
	}
	return tms, glossaries, nil
}

// readableUnder lists the files kgmem reads under dir, recursively,
// without hidden ones and those skip names; none when dir does not exist.
func readableUnder(dir string, skip func(string, fs.DirEntry) bool) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && path == dir {
			return filepath.SkipDir
		}
		if err != nil {
			return err
		}
		if path != dir && strings.HasPrefix(d.Name(), ".") || skip != nil && skip(path, d) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.IsDir() && formats.Readable(d.Name()) {
			out = append(out, path)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, err)
	}
	sort.Strings(out)
	return out, nil
}
