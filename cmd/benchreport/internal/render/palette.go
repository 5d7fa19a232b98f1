package render

import (
	"image/color"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Colour families: each kind of contestant has colours of its own, so
// that strategies, peers and floors are told apart at a glance, and within
// a family every series has a colour of its own. Strategies are blues and
// greens, peers reds and oranges, floors greys and browns.
var families = map[Kind][]color.RGBA{
	Strategy: {rgb(0x1f77b4), rgb(0x2ca02c), rgb(0x17becf), rgb(0x393b79), rgb(0x637939), rgb(0x6baed6)},
	Peer:     {rgb(0xd62728), rgb(0xff7f0e), rgb(0xe377c2), rgb(0xad494a)},
	Floor:    {rgb(0x7f7f7f), rgb(0x8c564b), rgb(0x333333), rgb(0xbcbd22), rgb(0xc49c94), rgb(0xa0a0a0)},
	Other:    {rgb(0x9467bd), rgb(0x5254a3), rgb(0xce6dbd), rgb(0x8c6d31)},
}

func rgb(x uint32) color.RGBA {
	return color.RGBA{R: uint8(x >> 16), G: uint8(x >> 8), B: uint8(x), A: 0xff}
}

// A palette gives each column of a report its style, the same in every
// chart.
type palette struct {
	styles map[string]seriesStyle
	kinds  map[string]Kind
}

// A seriesStyle is how one column is drawn.
type seriesStyle struct {
	color  color.RGBA
	dashes []vg.Length // floors dashed, peers dotted, strategies solid
	shape  draw.GlyphDrawer
}

// newPalette assigns styles to cols, in order, by their kind.
func newPalette(cols []string, kind func(string) Kind) palette {
	p := palette{styles: make(map[string]seriesStyle), kinds: make(map[string]Kind)}
	used := make(map[Kind]int)
	shapes := []draw.GlyphDrawer{draw.CircleGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{}, draw.PyramidGlyph{}, draw.RingGlyph{}, draw.BoxGlyph{}, draw.CrossGlyph{}, draw.PlusGlyph{}}
	for _, c := range cols {
		k := kind(c)
		p.kinds[c] = k
		fam := families[k]
		i := used[k]
		used[k]++
		col := fam[i%len(fam)]
		if i >= len(fam) {
			// More columns than the family has colours: darken, so that
			// the colour stays in the family and still differs.
			f := 1 - 0.25*float64(i/len(fam))
			col = color.RGBA{R: uint8(float64(col.R) * f), G: uint8(float64(col.G) * f), B: uint8(float64(col.B) * f), A: 0xff}
		}
		st := seriesStyle{color: col, shape: shapes[i%len(shapes)]}
		switch k {
		case Floor:
			st.dashes = []vg.Length{vg.Points(5), vg.Points(3)}
		case Peer:
			st.dashes = []vg.Length{vg.Points(1.5), vg.Points(2)}
		}
		p.styles[c] = st
	}
	return p
}

func (p palette) style(col string) seriesStyle { return p.styles[col] }

func (p palette) kind(col string) Kind { return p.kinds[col] }
