package formats

import (
	"fmt"
	"io"
	"os"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/glossary"
	"github.com/kgmem/kgmem/corpora/plaintext"
	"github.com/kgmem/kgmem/corpora/po"
	"github.com/kgmem/kgmem/corpora/tabular"
	"github.com/kgmem/kgmem/corpora/tbx"
	"github.com/kgmem/kgmem/corpora/tmx"
	"github.com/kgmem/kgmem/corpora/xliff"
)

// newReader returns the reader of format over r. raw is the underlying
// stream, which MO reads through io.ReaderAt when it is a plain file.
func newReader(format Format, r io.Reader, raw io.Reader, opts corpora.ReadOptions) (corpora.Reader, error) {
	switch format {
	case TMX:
		return tmx.NewReader(r, opts)
	case TBX:
		return tbx.NewReader(r, opts)
	case XLIFF:
		return xliff.NewReader(r, opts)
	case PO:
		return po.NewReader(r, opts)
	case MO:
		if f, ok := raw.(*os.File); ok && f != os.Stdin {
			if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
				return po.NewMOReader(f, st.Size(), opts)
			}
		}
		return po.NewMOReaderFrom(r, opts)
	case TSV:
		return tabular.NewReaderWith(r, opts, tabular.TableOptions{Delimiter: '\t'})
	case CSV:
		return tabular.NewReaderWith(r, opts, tabular.TableOptions{Delimiter: 0})
	case Glossary:
		return glossary.NewReader(r, opts)
	case Text:
		return plaintext.NewReader(r, opts)
	case Moses:
		return nil, fmt.Errorf("%s: a Moses corpus is two files; open it with OpenMoses", opts.Name)
	}
	return nil, fmt.Errorf("%s: %w", opts.Name, corpora.ErrUnknownFormat)
}

// OpenMoses opens two line-aligned files, the source and the target text,
// as one corpus.
func OpenMoses(src, tgt string, opts corpora.ReadOptions) (*File, error) {
	fs, err := os.Open(src)
	if err != nil {
		return nil, err
	}
	ft, err := os.Open(tgt)
	if err != nil {
		fs.Close()
		return nil, err
	}
	r, err := tabular.NewMosesReader(fs, ft, opts, src, tgt)
	if err != nil {
		fs.Close()
		ft.Close()
		return nil, err
	}
	return &File{Name: src + "+" + tgt, Format: Moses, cur: r, closers: []io.Closer{fs, ft}}, nil
}
