package render

import (
	"bytes"
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// The charts are laid out with the metrics of Liberation Sans, which
// gonum embeds, and drawn in the page's font (fontFamily), whose first
// choices, Liberation Sans, Arial and Helvetica, share those metrics.
const fontFamily = `"Liberation Sans", Arial, Helvetica, sans-serif`

func chartFont(size vg.Length) font.Font {
	return font.Font{Typeface: "Liberation", Variant: "Sans", Size: size}
}

// newPlot returns a plot whose text is all in the chart font.
func newPlot() *plot.Plot {
	p := plot.New()
	p.Title.TextStyle.Font = chartFont(12)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = chartFont(11)
		a.Tick.Label.Font = chartFont(10)
	}
	return p
}

func newLegend() plot.Legend {
	l := plot.NewLegend()
	l.TextStyle.Font = chartFont(10)
	l.Top = true
	return l
}

// svgFont is what vgsvg writes for the chart font, and inheritFont what it
// becomes: the SVG is inline, so its text takes the page's font.
var (
	svgFont     = []byte("font-family:Liberation Sans;")
	inheritFont = []byte("font-family:inherit;")
)

// drawSVG renders p, w by h, as an <svg> element without the XML prolog,
// for inlining in HTML. A legend, if given, is drawn at the top right,
// outside the plot, so that it never hides a line.
func drawSVG(p *plot.Plot, legend *plot.Legend, w, h vg.Length) (svg []byte, err error) {
	defer func() {
		// gonum panics on data it cannot draw (a log scale given a
		// value ≤ 0); report it as an error, never crash.
		if e := recover(); e != nil {
			err = fmt.Errorf("drawing: %v", e)
		}
	}()
	c := vgsvg.New(w, h)
	dc := draw.New(c)
	if legend != nil {
		r := legend.Rectangle(dc)
		p.Draw(draw.Crop(dc, 0, -(r.Max.X-r.Min.X)-vg.Millimeter, 0, 0))
		legend.Draw(dc)
	} else {
		p.Draw(dc)
	}
	var b bytes.Buffer
	if _, err := c.WriteTo(&b); err != nil {
		return nil, err
	}
	out := b.Bytes()
	if i := bytes.Index(out, []byte("<svg")); i >= 0 {
		out = out[i:]
	}
	return bytes.ReplaceAll(out, svgFont, inheritFont), nil
}
