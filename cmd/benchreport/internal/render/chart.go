package render

// Charts are drawn with gonum.org/v1/plot and written as SVG by its vgsvg
// backend. It is maintained, pure Go (no cgo, no browser, no JavaScript),
// has log scales and legends, and its SVG output is deterministic, so that
// an HTML report can be compared with a golden file and holds no reference
// to anything outside itself. Hand-written SVG would have to re-solve tick
// placement and text layout; a JavaScript charting library would need a
// CDN or a vendored bundle.

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

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
)

// Whiskers (confidence intervals) are drawn in lines of their own width,
// and on bars in a colour of their own.
var (
	whiskerWidth = vg.Points(0.75)
	whiskerColor = rgb(0x222222)
)

// sweepKeys are the name keys that a sweep chart prefers as its x axis, in
// order; any other numeric key with two or more values serves too.
var sweepKeys = []string{"depth", "bindings", "parallelism", "par", "live", "goroutines", "n"}

// charted reports whether a table's unit gets charts: time, and custom
// units such as B/goroutine; B/op and allocs/op are left to the tables.
func charted(t *benchtab.Table) bool {
	return t.Unit != "B/op" && t.Unit != "allocs/op"
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
// center of each cell with its confidence interval as whiskers (none for
// an exact unit), x the sweep key, one line per column in the column's
// colour; floors are dashed, peers dotted.
func sweepCharts(t *benchtab.Table, colKeys map[string]bool, pal palette) ([]chart, error) {
	s, ok := findSweep(t, colKeys)
	if !ok {
		return nil, nil
	}
	ax := axisFor(t.Unit)
	var charts []chart
	for _, g := range s.groups {
		p := newPlot()
		title := t.Workload()
		if g.label != "" {
			title += " " + g.label
		}
		p.Title.Text = fmt.Sprintf("%s: %s by %s", title, ax.label, s.Key)
		p.X.Label.Text = s.Key
		p.Y.Label.Text = ax.label
		legend := newLegend()
		var xs, ys []float64
		for _, col := range t.Cols {
			label := benchtab.ColLabel(col)
			var pts errPoints
			for _, row := range g.Rows {
				c, ok := t.Cell(row, col)
				if !ok {
					continue
				}
				pts.add(g.x[row], c, t.Exact())
			}
			if len(pts.xy) == 0 {
				continue
			}
			pts.sort()
			line, points, err := plotter.NewLinePoints(pts.xy)
			if err != nil {
				return nil, fmt.Errorf("chart %s: %w", title, err)
			}
			st := pal.style(label)
			line.Color, line.Dashes = st.color, st.dashes
			line.Width = vg.Points(1.5)
			points.Color, points.Shape = st.color, st.shape
			p.Add(line, points)
			if !t.Exact() {
				bars, err := plotter.NewYErrorBars(&pts)
				if err != nil {
					return nil, fmt.Errorf("chart %s: %w", title, err)
				}
				bars.Color = st.color
				bars.Width = whiskerWidth
				bars.CapWidth = vg.Points(5)
				p.Add(bars)
			}
			legend.Add(label+" ("+pal.kind(label).String()+")", line, points)
			for i, pt := range pts.xy {
				xs = append(xs, pt.X)
				ys = append(ys, pt.Y-pts.lo[i], pt.Y+pts.hi[i])
			}
		}
		if len(xs) == 0 {
			continue
		}
		if wideRange(xs, logXRange) {
			p.X.Scale = plot.LogScale{}
		} else if lo := slices.Min(xs); lo > 0 {
			p.X.Label.Text += fmt.Sprintf(" (axis from %g, not 0)", lo)
		}
		p.X.Tick.Marker = xTicks(xs)
		if wideRange(ys, logYRange) {
			p.Y.Scale = plot.LogScale{}
			p.Y.Label.Text += " (log scale)"
		} else {
			p.Y.Min = 0 // a linear axis starts at zero
		}
		p.Y.Tick.Marker = siTicks{ax: ax, log: wideRange(ys, logYRange)}
		svg, err := drawSVG(p, &legend, chartWidth, chartHeight)
		if err != nil {
			return nil, fmt.Errorf("chart %s: %w", title, err)
		}
		charts = append(charts, chart{title: p.Title.Text, svg: svg})
	}
	return charts, nil
}

// errPoints are a line's points with their confidence intervals, for
// plotter's error bars.
type errPoints struct {
	xy     plotter.XYs
	lo, hi []float64 // distances below and above each y
}

func (e *errPoints) add(x float64, c *benchtab.Cell, exact bool) {
	s := c.Summary
	e.xy = append(e.xy, plotter.XY{X: x, Y: s.Center})
	lo, hi := 0.0, 0.0
	if !exact && !math.IsInf(s.Lo, 0) && !math.IsInf(s.Hi, 0) {
		lo, hi = s.Center-s.Lo, s.Hi-s.Center
	}
	e.lo, e.hi = append(e.lo, lo), append(e.hi, hi)
}

func (e *errPoints) idx() []int {
	out := make([]int, len(e.xy))
	for i := range out {
		out[i] = i
	}
	return out
}

// sort orders the points by x.
func (e *errPoints) sort() {
	idx := e.idx()
	slices.SortFunc(idx, func(a, b int) int { return cmp.Compare(e.xy[a].X, e.xy[b].X) })
	var s errPoints
	for _, i := range idx {
		s.xy, s.lo, s.hi = append(s.xy, e.xy[i]), append(s.lo, e.lo[i]), append(s.hi, e.hi[i])
	}
	*e = s
}

func (e *errPoints) Len() int                        { return len(e.xy) }
func (e *errPoints) XY(i int) (float64, float64)     { return e.xy[i].X, e.xy[i].Y }
func (e *errPoints) YError(i int) (float64, float64) { return e.lo[i], e.hi[i] }
func (e *errPoints) XError(i int) (float64, float64) { return e.lo[i], e.hi[i] }

// wideRange reports whether xs are all positive and span at least a factor
// of ratio, so that a log scale shows them better.
func wideRange(xs []float64, ratio float64) bool {
	lo, hi := slices.Min(xs), slices.Max(xs)
	return lo > 0 && hi/lo >= ratio
}

// xTicks labels each distinct x value where there are few, and else
// leaves it to the default ticks.
func xTicks(xs []float64) plot.Ticker {
	vals := slices.Clone(xs)
	slices.Sort(vals)
	vals = slices.Compact(vals)
	if len(vals) > maxXTicks {
		return siTicks{ax: axis{}, log: wideRange(xs, logXRange)}
	}
	ticks := make(plot.ConstantTicks, len(vals))
	for i, v := range vals {
		ticks[i] = plot.Tick{Value: v, Label: siFormat(v, "")}
	}
	return ticks
}

// barChart draws one horizontal bar per column, grouped by kind
// (strategies, peers, floors, from the top) with the group's name above
// it, each in its column's colour: the column's one cell with its
// confidence interval as whiskers, or where the table has several rows
// its geomean (which has no interval). Each bar is labelled with its
// value, so that a zero is shown, not dropped.
func barChart(t *benchtab.Table, pal palette) (chart, bool, error) {
	ax := axisFor(t.Unit)
	type bar struct {
		label string
		cell  *benchtab.Cell // nil for a geomean
		v     float64
	}
	var bars []bar
	for _, col := range t.Cols {
		label := benchtab.ColLabel(col)
		if len(t.Rows) == 1 {
			if c, ok := t.Cell(t.Rows[0], col); ok {
				bars = append(bars, bar{label, c, c.Summary.Center})
			}
			continue
		}
		if s := t.Summary[col]; s.HasCenter {
			bars = append(bars, bar{label, nil, s.Center})
		}
	}
	if len(bars) == 0 {
		return chart{}, false, nil
	}
	slices.SortStableFunc(bars, func(a, b bar) int { return cmp.Compare(pal.kind(a.label), pal.kind(b.label)) })
	title := t.Workload()
	if title == "" {
		title = t.Key.StringValues()
	}
	what := ax.label
	if len(t.Rows) > 1 {
		what = "geomean " + ax.label
	}
	p := newPlot()
	p.Title.Text = fmt.Sprintf("%s: %s", title, what)
	p.Title.Padding = 0.3 * vg.Centimeter
	p.X.Label.Text = what
	var vals []float64
	for _, b := range bars {
		vals = append(vals, b.v)
	}
	logScale := wideRange(vals, logYRange)
	// Positions from the top: a row for each group's name, then its bars.
	var ticks plot.ConstantTicks
	pos := 0.0
	n := len(bars) + 3
	y := func() float64 { return float64(n) - pos }
	prev := Kind(-1)
	floor := 0.0
	if logScale {
		// Bars on a log scale cannot start at 0: they start at the
		// power of ten below the smallest.
		floor = math.Pow(10, math.Floor(math.Log10(slices.Min(vals))))
	}
	var labels plotter.XYLabels
	for _, b := range bars {
		if k := pal.kind(b.label); k != prev {
			if prev != -1 {
				pos += 0.4
			}
			ticks = append(ticks, plot.Tick{Value: y(), Label: strings.ToUpper(groupName(k))})
			pos++
			prev = k
		}
		st := pal.style(b.label)
		bc, err := plotter.NewBarChart(plotter.Values{b.v - floor}, barHeight*0.7)
		if err != nil {
			return chart{}, false, fmt.Errorf("chart %s: %w", title, err)
		}
		bc.Horizontal = true
		bc.XMin = y()
		if logScale {
			under, err := plotter.NewBarChart(plotter.Values{floor}, bc.Width)
			if err != nil {
				return chart{}, false, fmt.Errorf("chart %s: %w", title, err)
			}
			under.Horizontal, under.XMin = true, y()
			under.LineStyle.Width = 0 // and no fill: it is not drawn
			bc.StackOn(under)
		}
		bc.Color = st.color
		bc.LineStyle.Width = 0
		p.Add(bc)
		hi := b.v
		if b.cell != nil && !t.Exact() {
			var e errPoints
			e.xy = plotter.XYs{{X: b.v, Y: y()}}
			lo, h := b.cell.Summary.Center-b.cell.Summary.Lo, b.cell.Summary.Hi-b.cell.Summary.Center
			if !math.IsInf(lo, 0) && !math.IsInf(h, 0) {
				if logScale {
					lo = min(lo, b.v-floor) // a log axis ends at floor
				}
				e.lo, e.hi = []float64{lo}, []float64{h}
				eb, err := plotter.NewXErrorBars(&e)
				if err != nil {
					return chart{}, false, fmt.Errorf("chart %s: %w", title, err)
				}
				eb.Color, eb.Width = whiskerColor, whiskerWidth
				eb.CapWidth = barHeight * 0.5
				p.Add(eb)
				hi = b.cell.Summary.Hi
			}
		}
		ticks = append(ticks, plot.Tick{Value: y(), Label: b.label})
		labels.XYs = append(labels.XYs, plotter.XY{X: hi, Y: y()})
		labels.Labels = append(labels.Labels, siFormat(b.v, ax.suffix))
		pos++
	}
	lb, err := plotter.NewLabels(labels)
	if err != nil {
		return chart{}, false, fmt.Errorf("chart %s: %w", title, err)
	}
	for i := range lb.TextStyle {
		lb.TextStyle[i].Font = chartFont(9)
		lb.TextStyle[i].YAlign = -0.5
	}
	lb.Offset = vg.Point{X: vg.Points(4)} // clear of the whisker's cap
	p.Add(lb)
	p.Y.Tick.Marker = ticks
	p.Y.Min, p.Y.Max = y()-0.5, float64(n)+0.5
	p.Y.Tick.Label.Font = chartFont(10)
	p.Y.Tick.Length = 0
	p.Y.LineStyle.Width = 0
	if logScale {
		p.X.Scale = plot.LogScale{}
		p.X.Min = floor
		p.X.Label.Text += " (log scale)"
	} else {
		p.X.Min = 0
	}
	// Room for the value labels past the longest bar.
	p.X.Max = slices.Max(vals) * 1.25
	if logScale {
		p.X.Max = slices.Max(vals) * 6
	}
	for _, b := range bars {
		if b.cell != nil && !math.IsInf(b.cell.Summary.Hi, 0) {
			p.X.Max = max(p.X.Max, b.cell.Summary.Hi*1.2)
		}
	}
	p.X.Tick.Marker = siTicks{ax: ax, log: logScale}
	height := barHeight*vg.Length(n) + 2.5*vg.Centimeter
	svg, err := drawSVG(p, nil, chartWidth, height)
	if err != nil {
		return chart{}, false, fmt.Errorf("chart %s: %w", title, err)
	}
	return chart{title: p.Title.Text, svg: svg}, true, nil
}
