package evaluate

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strings"
)

// Chart geometry, in SVG user units.
const (
	chartWidth  = 720
	chartHeight = 300 // of each panel
	chartLeft   = 56  // room for the y-axis labels
	chartRight  = 16
	chartTop    = 40 // room for the title and legend
	chartBottom = 48 // room for the x-axis labels
)

// Chart colours: chrF (and learning) and BLEU (and without learning).
const (
	colourA = "#1f77b4"
	colourB = "#ff7f0e"
)

// Chart writes r as an SVG image: bars of chrF and BLEU per configuration,
// and, when r has an online run, a line of chrF per block with learning and
// one without. It is written by hand: no plotting library.
func Chart(w io.Writer, r *Report) error {
	panels := 1
	if r.Online != nil && len(r.Online.Blocks) > 0 {
		panels = 2
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`+"\n",
		chartWidth, panels*chartHeight, chartWidth, panels*chartHeight)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	bars(&b, r)
	if panels == 2 {
		fmt.Fprintf(&b, `<g transform="translate(0,%d)">`+"\n", chartHeight)
		lines(&b, r.Online)
		b.WriteString("</g>\n")
	}
	b.WriteString("</svg>\n")
	_, err := w.Write(b.Bytes())
	return err
}

// esc escapes s for XML text and attributes.
func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// axis draws horizontal grid lines and their labels from lo to hi, and
// returns the function that maps a value to y.
func axis(b *bytes.Buffer, lo, hi, step float64) func(float64) float64 {
	plotH := float64(chartHeight - chartTop - chartBottom)
	y := func(v float64) float64 {
		return float64(chartTop) + plotH*(1-(v-lo)/(hi-lo))
	}
	for v := lo; v <= hi+1e-9; v += step {
		fmt.Fprintf(b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/>`+"\n", chartLeft, y(v), chartWidth-chartRight, y(v))
		fmt.Fprintf(b, `<text x="%d" y="%.1f" text-anchor="end">%g</text>`+"\n", chartLeft-6, y(v)+4, v)
	}
	return y
}

func legend(b *bytes.Buffer, x int, items ...string) {
	for i := 0; i+1 < len(items); i += 2 {
		fmt.Fprintf(b, `<rect x="%d" y="%d" width="12" height="12" fill="%s"/>`+"\n", x, 22, items[i+1])
		fmt.Fprintf(b, `<text x="%d" y="%d">%s</text>`+"\n", x+16, 32, esc(items[i]))
		x += 24 + 8*len(items[i])
	}
}

// bars draws chrF and BLEU per configuration.
func bars(b *bytes.Buffer, r *Report) {
	fmt.Fprintf(b, `<text x="%d" y="16" font-weight="bold">%s</text>`+"\n", chartLeft,
		esc(fmt.Sprintf("chrF and BLEU by configuration (model %s, %d pairs)", r.Model, r.Scored)))
	legend(b, chartWidth-220, "chrF", colourA, "BLEU", colourB)
	y := axis(b, 0, 100, 20)
	n := max(len(r.Configs), 1)
	slot := float64(chartWidth-chartLeft-chartRight) / float64(n)
	bw := math.Min(40, slot/3)
	for i, c := range r.Configs {
		x0 := float64(chartLeft) + slot*float64(i) + slot/2 - bw
		for k, v := range []struct {
			val    float64
			colour string
		}{{c.ChrF, colourA}, {c.BLEU, colourB}} {
			x := x0 + float64(k)*bw
			val := math.Max(0, math.Min(100, v.val))
			fmt.Fprintf(b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>`+"\n", x, y(val), bw-2, y(0)-y(val), v.colour)
			fmt.Fprintf(b, `<text x="%.1f" y="%.1f" text-anchor="middle" font-size="10">%.1f</text>`+"\n", x+bw/2-1, y(val)-3, v.val)
		}
		label := c.Name
		if c.Partial {
			label += " (partial)"
		}
		fmt.Fprintf(b, `<text x="%.1f" y="%d" text-anchor="middle">%s</text>`+"\n", x0+bw, chartHeight-chartBottom+16, esc(label))
		fmt.Fprintf(b, `<text x="%.1f" y="%d" text-anchor="middle" font-size="10" fill="#555">%s</text>`+"\n", x0+bw, chartHeight-chartBottom+30, esc(c.Label))
	}
}

// lines draws chrF per online block, with and without learning.
func lines(b *bytes.Buffer, on *OnlineReport) {
	fmt.Fprintf(b, `<text x="%d" y="16" font-weight="bold">%s</text>`+"\n", chartLeft,
		esc(fmt.Sprintf("online: chrF per block of %d segments (config %s)", on.Block, on.Config)))
	legend(b, chartWidth-300, "with learning", colourA, "without", colourB)
	lo, hi := 100.0, 0.0
	for _, k := range on.Blocks {
		lo = math.Min(lo, math.Min(k.ChrF, k.ChrFWithout))
		hi = math.Max(hi, math.Max(k.ChrF, k.ChrFWithout))
	}
	lo = math.Max(0, math.Floor(lo/10)*10)
	hi = math.Min(100, math.Ceil(hi/10)*10)
	if hi <= lo {
		lo, hi = math.Max(0, lo-10), math.Min(100, lo+10)
	}
	y := axis(b, lo, hi, 10)
	n := len(on.Blocks)
	x := func(i int) float64 {
		if n == 1 {
			return float64(chartLeft+chartWidth-chartRight) / 2
		}
		return float64(chartLeft+12) + float64(i)*float64(chartWidth-chartLeft-chartRight-24)/float64(n-1)
	}
	for _, s := range []struct {
		colour string
		val    func(OnlineBlock) float64
	}{{colourB, func(k OnlineBlock) float64 { return k.ChrFWithout }}, {colourA, func(k OnlineBlock) float64 { return k.ChrF }}} {
		var pts []string
		for i, k := range on.Blocks {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), y(s.val(k))))
		}
		fmt.Fprintf(b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>`+"\n", strings.Join(pts, " "), s.colour)
		for i, k := range on.Blocks {
			fmt.Fprintf(b, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>`+"\n", x(i), y(s.val(k)), s.colour)
		}
	}
	step := max(1, n/12)
	for i, k := range on.Blocks {
		if i%step == 0 || i == n-1 {
			fmt.Fprintf(b, `<text x="%.1f" y="%d" text-anchor="middle" font-size="10">%d</text>`+"\n", x(i), chartHeight-chartBottom+16, k.To)
		}
	}
	fmt.Fprintf(b, `<text x="%d" y="%d" text-anchor="middle">segments learned so far (end of block)</text>`+"\n",
		(chartLeft+chartWidth)/2, chartHeight-chartBottom+34)
}
