package render

// Charts are drawn with gonum.org/v1/plot and written as SVG by its vgsvg
// backend. It is maintained, pure Go (no cgo, no browser, no JavaScript),
// has log scales and legends, and its SVG output is deterministic, so that
// an HTML report can be compared with a golden file and holds no reference
// to anything outside itself. Hand-written SVG would have to re-solve tick
// placement and text layout; a JavaScript charting library would need a
// CDN or a vendored bundle.

import (
	"bytes"
	"cmp"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"

	"golang.org/x/perf/benchproc"

	"github.com/localbench/localbench/cmd/benchreport/internal/benchtab"
)

// A chart is one drawn figure.
type chart struct {
	title string
	svg   []byte // an <svg> element
}

// Chart sizes, and how wide a range must be before an axis goes
// logarithmic.
const (
	chartWidth  = 16 * vg.Centimeter
	chartHeight = 9 * vg.Centimeter
	barHeight   = 0.6 * vg.Centimeter // per bar
	logXRange   = 16                  // max/min of the x values
	logYRange   = 20                  // max/min of the y values
	maxXTicks   = 12                  // label each x value up to this many
	nsPerSecond = 1e9                 // sec/op is charted as ns/op
)

// barColor is the bars' colour.
var barColor = color.RGBA{R: 0x4e, G: 0x79, B: 0xa7, A: 0xff}

// sweepKeys are the name keys that a sweep chart prefers as its x axis, in
// order; any other numeric key with two or more values serves too.
var sweepKeys = []string{"depth", "bindings", "parallelism", "par", "live", "goroutines", "n"}

// charted reports whether a table's unit gets charts: time, and custom
// units such as B/goroutine; B/op and allocs/op are left to the tables.
func charted(t *benchtab.Table) bool {
	return t.Unit != "B/op" && t.Unit != "allocs/op"
}

// yUnit returns how a unit is charted: sec/op as ns/op.
func yUnit(unit string) (label string, scale float64) {
	if unit == "sec/op" {
		return "ns/op", nsPerSecond
	}
	return unit, 1
}

// A sweep is a numeric name key along which a table's rows vary.
type sweep struct {
	Key    string
	groups []sweepGroup // one chart each
}

// A sweepGroup is the rows that share every other name key.
type sweepGroup struct {
	label string // the other keys, "reads=90", or ""
	Rows  []benchproc.Key
	x     map[benchproc.Key]float64
}

// findSweep returns the table's sweep, or false if its rows do not vary
// along a numeric key.
func findSweep(t *benchtab.Table, colKeys map[string]bool) (sweep, bool) {
	if len(t.Rows) < 2 {
		return sweep{}, false
	}
	// Candidate keys: in every row, numeric, not a column key.
	counts := make(map[string]map[float64]bool)
	for k := range t.Names[t.Rows[0]] {
		if k != "gomaxprocs" && !colKeys[k] {
			counts[k] = make(map[float64]bool)
		}
	}
	for _, row := range t.Rows {
		names := t.Names[row]
		for k, vals := range counts {
			x, err := benchtab.ParseNum(names[k])
			if err != nil {
				delete(counts, k)
				continue
			}
			vals[x] = true
		}
	}
	var keys []string
	for k, vals := range counts {
		if len(vals) >= 2 {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return sweep{}, false
	}
	rank := func(k string) int {
		if i := slices.Index(sweepKeys, k); i >= 0 {
			return i
		}
		return len(sweepKeys)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if c := cmp.Compare(rank(a), rank(b)); c != 0 {
			return c
		}
		if c := cmp.Compare(len(counts[b]), len(counts[a])); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	s := sweep{Key: keys[0]}
	byLabel := make(map[string]int)
	for _, row := range t.Rows {
		names := t.Names[row]
		var other []string
		for k, v := range names {
			if k != s.Key && k != "gomaxprocs" && !colKeys[k] {
				other = append(other, k+"="+v)
			}
		}
		slices.Sort(other)
		label := strings.Join(other, " ")
		i, ok := byLabel[label]
		if !ok {
			i = len(s.groups)
			byLabel[label] = i
			s.groups = append(s.groups, sweepGroup{label: label, x: make(map[benchproc.Key]float64)})
		}
		x, _ := benchtab.ParseNum(names[s.Key])
		s.groups[i].Rows = append(s.groups[i].Rows, row)
		s.groups[i].x[row] = x
	}
	return s, true
}

// sweepCharts draws one line chart per group of a table's sweep: y is the
// center of each cell, x the sweep key, one line per column.
func sweepCharts(t *benchtab.Table, colKeys map[string]bool, palette []string) ([]chart, error) {
	s, ok := findSweep(t, colKeys)
	if !ok {
		return nil, nil
	}
	ylabel, yscale := yUnit(t.Unit)
	var charts []chart
	for _, g := range s.groups {
		p := plot.New()
		title := t.Workload()
		if g.label != "" {
			title += " " + g.label
		}
		p.Title.Text = fmt.Sprintf("%s: %s by %s", title, ylabel, s.Key)
		p.X.Label.Text = s.Key
		p.Y.Label.Text = ylabel
		legend := plot.NewLegend()
		legend.Top = true
		var xs, ys []float64
		for _, col := range t.Cols {
			var pts plotter.XYs
			for _, row := range g.Rows {
				c, ok := t.Cell(row, col)
				if !ok {
					continue
				}
				pts = append(pts, plotter.XY{X: g.x[row], Y: c.Summary.Center * yscale})
			}
			if len(pts) == 0 {
				continue
			}
			slices.SortFunc(pts, func(a, b plotter.XY) int { return cmp.Compare(a.X, b.X) })
			line, points, err := plotter.NewLinePoints(pts)
			if err != nil {
				return nil, fmt.Errorf("chart %s: %w", title, err)
			}
			i := slices.Index(palette, benchtab.ColLabel(col))
			line.Color = plotutil.Color(i)
			points.Color = plotutil.Color(i)
			points.Shape = plotutil.Shape(i)
			p.Add(line, points)
			legend.Add(benchtab.ColLabel(col), line, points)
			for _, pt := range pts {
				xs = append(xs, pt.X)
				ys = append(ys, pt.Y)
			}
		}
		if len(xs) == 0 {
			continue
		}
		if wideRange(xs, logXRange) {
			p.X.Scale = plot.LogScale{}
		}
		p.X.Tick.Marker = xTicks(xs, p.X.Scale)
		if wideRange(ys, logYRange) {
			p.Y.Scale = plot.LogScale{}
			p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
			p.Y.Label.Text += " (log scale)"
		}
		svg, err := drawSVG(p, &legend, chartWidth, chartHeight)
		if err != nil {
			return nil, fmt.Errorf("chart %s: %w", title, err)
		}
		charts = append(charts, chart{title: p.Title.Text, svg: svg})
	}
	return charts, nil
}

// wideRange reports whether xs are all positive and span at least a factor
// of ratio, so that a log scale shows them better.
func wideRange(xs []float64, ratio float64) bool {
	lo, hi := slices.Min(xs), slices.Max(xs)
	return lo > 0 && hi/lo >= ratio
}

// xTicks labels each distinct x value where there are few, and else
// leaves the default ticks of the scale.
func xTicks(xs []float64, scale plot.Normalizer) plot.Ticker {
	vals := slices.Clone(xs)
	slices.Sort(vals)
	vals = slices.Compact(vals)
	if len(vals) > maxXTicks {
		if _, ok := scale.(plot.LogScale); ok {
			return plot.LogTicks{Prec: -1}
		}
		return plot.DefaultTicks{}
	}
	ticks := make(plot.ConstantTicks, len(vals))
	for i, v := range vals {
		ticks[i] = plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'g', -1, 64)}
	}
	return ticks
}

// barChart draws one horizontal bar per column, first at the top: the
// column's geomean where the table has several rows, else its one cell.
func barChart(t *benchtab.Table) (chart, bool, error) {
	ylabel, yscale := yUnit(t.Unit)
	var names []string
	var vals plotter.Values
	for i := len(t.Cols) - 1; i >= 0; i-- {
		s := t.Summary[t.Cols[i]]
		if !s.HasCenter || s.Center <= 0 {
			continue
		}
		names = append(names, benchtab.ColLabel(t.Cols[i]))
		vals = append(vals, s.Center*yscale)
	}
	if len(vals) == 0 {
		return chart{}, false, nil
	}
	title := t.Workload()
	if title == "" {
		title = t.Key.StringValues()
	}
	p := plot.New()
	what := ylabel
	if len(t.Rows) > 1 {
		what = "geomean " + ylabel
	}
	p.Title.Text = fmt.Sprintf("%s: %s", title, what)
	p.Title.Padding = 0.3 * vg.Centimeter
	p.X.Label.Text = what
	height := barHeight*vg.Length(len(vals)) + 2.5*vg.Centimeter
	bars, err := plotter.NewBarChart(vals, barHeight*0.7)
	if err != nil {
		return chart{}, false, fmt.Errorf("chart %s: %w", title, err)
	}
	if wideRange(vals, logYRange) {
		// Bars on a log scale cannot start at 0: stand them on an
		// undrawn base at the power of ten below the smallest.
		floor := math.Pow(10, math.Floor(math.Log10(slices.Min(vals))))
		base := make(plotter.Values, len(vals))
		for i := range base {
			base[i] = floor
			vals[i] -= floor
		}
		under, err := plotter.NewBarChart(base, bars.Width)
		if err != nil {
			return chart{}, false, fmt.Errorf("chart %s: %w", title, err)
		}
		under.Horizontal = true
		if bars, err = plotter.NewBarChart(vals, bars.Width); err != nil {
			return chart{}, false, fmt.Errorf("chart %s: %w", title, err)
		}
		bars.StackOn(under)
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = plot.LogTicks{Prec: -1}
		p.X.Label.Text += " (log scale)"
	}
	bars.Horizontal = true
	bars.Color = barColor
	bars.LineStyle.Width = 0
	p.Add(bars)
	p.NominalY(names...)
	svg, err := drawSVG(p, nil, chartWidth, height)
	if err != nil {
		return chart{}, false, fmt.Errorf("chart %s: %w", title, err)
	}
	return chart{title: p.Title.Text, svg: svg}, true, nil
}

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
	return out, nil
}
