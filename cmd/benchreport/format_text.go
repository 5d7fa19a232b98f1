package main

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"golang.org/x/perf/benchproc"
	"golang.org/x/perf/benchunit"
)

// renderText writes the report as benchstat does: the table key's changes
// as "key: value" lines, then each table with a "│" rule between columns,
// the center ± the confidence interval as a percent, and for each column
// after the baseline the change ("~" where it is not significant) with its
// p-value and sample sizes. Warnings are numbered footnotes. Beyond
// benchstat, each comparison ends with the ratio to the baseline (64.8×);
// -benchstat leaves it out.
func renderText(w, _ io.Writer, r *report, q *query) error {
	var b strings.Builder
	eachTable(r, func(t *table, header []string, first bool) {
		if !first {
			b.WriteString("\n")
		}
		for _, h := range header {
			b.WriteString(h + "\n")
		}
		t.writeText(&b, q.flags.exact)
	})
	_, err := io.WriteString(w, b.String())
	return err
}

// eachTable calls fn for each table with the "key: value" lines for the
// fields of its key (but .unit, shown in the table) that differ from the
// previous table's.
func eachTable(r *report, fn func(t *table, header []string, first bool)) {
	var prev benchproc.Key
	for i, t := range r.tables {
		var header []string
		for _, f := range t.key.Projection().FlattenedFields() {
			if f.Name == ".unit" {
				continue
			}
			if v := t.key.Get(f); prev.IsZero() || v != prev.Get(f) {
				header = append(header, f.Name+": "+v)
			}
		}
		prev = t.key
		fn(t, header, i == 0)
	}
}

// footnotes numbers distinct warnings in order of first appearance.
type footnotes struct {
	list []string
	num  map[string]int
}

// marks returns the superscript marks for errs, numbering new ones.
func (f *footnotes) marks(errs ...[]error) string {
	if f.num == nil {
		f.num = make(map[string]int)
	}
	var marks []string
	for _, es := range errs {
		for _, e := range es {
			s := e.Error()
			n, ok := f.num[s]
			if !ok {
				f.list = append(f.list, s)
				n = len(f.list)
				f.num[s] = n
			}
			marks = append(marks, superscript(n))
		}
	}
	return strings.Join(marks, " ")
}

func superscript(n int) string {
	const digits = "⁰¹²³⁴⁵⁶⁷⁸⁹"
	var out []rune
	for _, d := range strconv.Itoa(n) {
		out = append(out, []rune(digits)[d-'0'])
	}
	return string(out)
}

// writeText writes one table.
func (t *table) writeText(w io.Writer, exact bool) {
	var g textGrid

	// Each column is a group of grid columns: the center, the ±range
	// and its footnotes; after the baseline also the delta, "(p=… n=…)"
	// and footnotes, and, unless exact, the ratio.
	const label = 1
	const centerCols = 3
	deltaCols := 3
	if !exact {
		deltaCols = 4
	}
	start := func(i int) int {
		if i == 0 {
			return label
		}
		return label + centerCols + (i-1)*(centerCols+deltaCols)
	}
	var notes footnotes

	// Header: one row per level of the column keys, then units.
	edge := start(len(t.cols) + 1)
	for nodes := benchproc.NewKeyHeader(t.cols).Top; len(nodes) > 0; {
		var next []*benchproc.KeyHeaderNode
		g.newRow()
		for _, n := range nodes {
			l, r := start(n.Start), start(n.Start+n.Len)
			g.at(l)
			g.span(r-l, n.Value, center, margin(" │ "))
			next = append(next, n.Children...)
		}
		g.at(edge)
		g.cell("", margin(" │"))
		nodes = next
	}
	g.newRow()
	for i := range t.cols {
		l := start(i)
		g.at(l)
		g.span(centerCols, t.unit, center, margin(" │ "))
		if i > 0 {
			g.span(deltaCols, "vs base", left, margin("  "))
		}
		for j := l + 1; j < g.col; j++ {
			g.setShrink(j)
		}
	}
	g.at(edge)
	g.cell("", margin(" │"))

	class := benchunit.ClassOf(t.unit)
	for _, row := range t.rows {
		g.newRow()
		g.cell(t.rowLabel(row, exact))
		scale := t.rowScaler(row, class)
		for i, col := range t.cols {
			c, ok := t.cells[cellKey{row, col}]
			if !ok {
				continue
			}
			g.at(start(i))
			g.cell(scale.Format(c.summary.Center), right)
			g.cell(c.summary.PctRangeString(), right, margin(" ± "))
			g.cell(notes.marks(c.sample.Warnings, c.summary.Warnings))
			if i > 0 && c.baseline != nil {
				g.cell(c.comparison.FormatDelta(c.baseline.summary.Center, c.summary.Center), right)
				if !exact {
					g.cell(formatRatio(c.ratio()), right)
				}
				g.cell("(" + c.comparison.String() + ")")
				g.cell(notes.marks(c.comparison.Warnings))
			}
		}
	}

	if len(t.rows) > 1 {
		g.newRow()
		g.cell("geomean")
		for i, col := range t.cols {
			s := t.summary[col]
			if s.hasCenter {
				g.at(start(i))
				g.cell(benchunit.Scale(s.center, class), right)
			}
			if i > 0 {
				g.at(start(i) + centerCols)
				if s.hasRatio {
					g.cell(fmt.Sprintf("%+.2f%%", (s.ratio-1)*100), right)
					if !exact {
						g.cell(formatRatio(s.ratio, true), right)
					}
				} else {
					g.cell("?")
				}
			}
			g.at(start(i+1) - 1)
			g.cell(notes.marks(s.warnings))
		}
	}

	g.write(w)
	for i, n := range notes.list {
		fmt.Fprintf(w, "%s %s\n", superscript(i+1), n)
	}
}

// rowScaler returns a common scale for the centers of a row.
func (t *table) rowScaler(row benchproc.Key, class benchunit.Class) benchunit.Scaler {
	var vals []float64
	for _, col := range t.cols {
		if c, ok := t.cells[cellKey{row, col}]; ok {
			vals = append(vals, c.summary.Center)
		}
	}
	return benchunit.CommonScale(vals, class)
}

// formatRatio formats a ratio to the baseline with three significant
// digits and no exponent: 0.50×, 1.02×, 64.8×, 1667×, and <0.001× below
// that; "?" if there is none, or if it is negative (a measurement below
// zero, such as a heap difference within noise, has no meaningful ratio).
func formatRatio(r float64, ok bool) string {
	switch {
	case !ok || math.IsNaN(r) || math.IsInf(r, 0) || r < 0:
		return "?"
	case r > 0 && r < 0.001:
		return "<0.001×"
	case r >= 100:
		return fmt.Sprintf("%.0f×", r)
	case r >= 10:
		return fmt.Sprintf("%.1f×", r)
	case r >= 0.1 || r == 0:
		return fmt.Sprintf("%.2f×", r)
	}
	return strconv.FormatFloat(r, 'f', 2-int(math.Floor(math.Log10(r))), 64) + "×"
}
