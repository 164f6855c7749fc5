package server

import (
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/kgmem/kgmem/corpora/formats"
	"github.com/kgmem/kgmem/memory"
)

// apiExport writes the translation memory (or, with terms=true, the term
// base) in the format asked for, filtered as memory.ExportFilter says.
func (s *Server) apiExport(w http.ResponseWriter, r *http.Request) error {
	qs := r.URL.Query()
	format, err := formats.Parse(qs.Get("format"))
	if err != nil || format == formats.Auto {
		return badRequest("format: name one: tmx, tsv, csv, xliff, po for the memory; tbx, csv, glossary for terms")
	}
	f := memory.ExportFilter{Origin: qs.Get("origin"), Status: qs.Get("status")}
	if f.SourceLang, err = lang("source_lang", qs.Get("source_lang"), false); err != nil {
		return err
	}
	if f.TargetLang, err = lang("target_lang", qs.Get("target_lang"), false); err != nil {
		return err
	}
	for _, d := range []struct {
		name string
		dst  *time.Time
	}{{"since", &f.Since}, {"until", &f.Until}} {
		if v := qs.Get(d.name); v != "" {
			if *d.dst, err = time.Parse(time.DateOnly, v); err != nil {
				return badRequest("%s: %q is not a day (YYYY-MM-DD)", d.name, v)
			}
		}
	}
	dir, err := os.MkdirTemp(s.jobs.dir, "export-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	export := s.mem.ExportTM
	if qs.Get("terms") == "true" {
		export = s.mem.ExportTerms
	}
	path := filepath.Join(dir, "export."+string(format))
	sum, err := export(r.Context(), path, format, f)
	if err != nil {
		return err
	}
	w.Header().Set("X-Kgmem-Written", strconv.Itoa(sum.Written))
	w.Header().Set("Content-Disposition", "attachment; filename="+strconv.Quote("kgmem-export."+string(format)))
	http.ServeFile(w, r, path)
	return nil
}
