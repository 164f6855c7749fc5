package textout

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/plugins"
	"github.com/kgmem/kgmem/plugins/host"
)

// Models writes the models a host knows as a table: name, status, path.
func Models(w io.Writer, infos []host.Info) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tSTATUS\tPATH")
	for _, i := range infos {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", i.Name, i.Status, i.Path)
	}
	return tw.Flush()
}

// Description writes what a model says of itself, a line a property.
func Description(w io.Writer, d *plugins.DescribeResponse) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "name\t%s\n", d.Name)
	fmt.Fprintf(tw, "version\t%s\n", d.Version)
	fmt.Fprintf(tw, "description\t%s\n", d.Description)
	pairs := "any"
	if !d.AnyPair {
		var ps []string
		for _, p := range d.Pairs {
			ps = append(ps, p.Source+"→"+p.Target)
		}
		pairs = strings.Join(ps, ", ")
	}
	fmt.Fprintf(tw, "pairs\t%s\n", pairs)
	fmt.Fprintf(tw, "uses\t%s\n", Capabilities(d.Capabilities))
	fmt.Fprintf(tw, "batch size\t%d\n", d.Capabilities.PreferredBatchSize)
	return tw.Flush()
}

// Capabilities names what of the memory a model uses ("fuzzy matches,
// terms"), or "nothing".
func Capabilities(c plugins.Capabilities) string {
	var out []string
	for _, x := range []struct {
		on   bool
		name string
	}{{c.FuzzyMatches, "fuzzy matches"}, {c.Terms, "terms"}, {c.Facts, "facts"}, {c.Context, "context"}, {c.Learn, "learn"}} {
		if x.on {
			out = append(out, x.name)
		}
	}
	if len(out) == 0 {
		return "nothing"
	}
	return strings.Join(out, ", ")
}

// Verification writes each model's verification: its name and "ok" or
// what is wrong with it.
func Verification(w io.Writer, results []memory.Verification) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, r := range results {
		status := "ok"
		if !r.OK {
			status = r.Problem
		}
		fmt.Fprintf(tw, "%s\t%s\n", r.Name, status)
	}
	return tw.Flush()
}

// Trusted writes the model binaries just trusted, with their digests.
func Trusted(w io.Writer, done []memory.Trusted) error {
	ew := &errWriter{w: w}
	for _, t := range done {
		fmt.Fprintf(ew, "trusted %s (sha256 %s)\n", t.Path, t.SHA256)
	}
	return ew.err
}
