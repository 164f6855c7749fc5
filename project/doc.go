// Package project pretranslates whole trees of translation files: it plans
// which input file becomes which output file by the tree's layout, skips
// what is already translated, translates the rest one file at a time over
// a Translator (the shape of memory.Memory.TranslateFile), and sums up
// each file and the whole run as CAT tools do (units and words exact,
// fuzzy, machine and kept; units with problems).
//
// Start with NewPlan, which walks the tree (or an OmegaT project folder)
// and returns a Plan; then Run. The layouts a plan knows:
//
//   - gettext: a directory with one template, po/DOMAIN.pot → po/LL.po;
//     with several, po/DOMAIN.pot → po/LL/DOMAIN.po (as KDE keeps them);
//   - locale: locale/DOMAIN.pot (or locale/templates/LC_MESSAGES/DOMAIN.pot)
//     → locale/LL/LC_MESSAGES/DOMAIN.po;
//   - name: a file without a target language → the same name with the
//     language before its extension, messages.xlf → messages.LL.xlf
//     (XLIFF, text); a name that holds the source language has it
//     replaced, help.en.txt → help.LL.txt;
//   - dir: a file under a directory named for the source language →
//     the same path under one named for the target language,
//     xliff/en/ui.xlf → xliff/LL/ui.xlf;
//   - same: a file that holds its own translations (a PO, an XLIFF for
//     the target language, a TMX, a TSV) is translated into the same
//     path;
//   - omegat: a folder with omegat.project: source/X → target/X, in the
//     project's languages, with the project's tm/ and glossary/ (and its
//     own project_save.tmx) imported into the memory first, and what was
//     translated written for OmegaT as tm/auto/kgmem.tmx (exact matches)
//     and tm/mt/kgmem.tmx (the rest).
//
// Translations of other languages, compiled catalogs and term bases are
// left alone. Document translates one document whose input or output may
// be a stream ("-").
package project
