package render

import (
	"fmt"
	"io"
	"strings"

	"golang.org/x/perf/benchproc"
	"golang.org/x/perf/benchunit"

	"github.com/localbench/localbench/cmd/benchreport/internal/benchtab"
)

// Text writes the report as benchstat does: the table key's changes
// as "key: value" lines, then each table with a "│" rule between columns,
// the center ± the confidence interval as a percent, and for each column
// after the baseline the change ("~" where it is not significant) with its
// p-value and sample sizes. Warnings are numbered footnotes. Beyond
// benchstat, each comparison ends with the ratio to the baseline (64.8×);
// -benchstat leaves it out.
// An exact unit (assume=exact) has no range: its cells are the value
// alone, unless o.Benchstat asks for benchstat's "± 0%".
func Text(w, _ io.Writer, r *benchtab.Report, o Options) error {
	var b strings.Builder
	for _, s := range sections(r) {
		if !s.first {
			b.WriteString("\n")
		}
		for _, p := range s.changed {
			b.WriteString(p.String() + "\n")
		}
		writeText(&b, s.t, o.Benchstat)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeText writes one table.
func writeText(w io.Writer, t *benchtab.Table, exact bool) {
	var g Grid

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
	edge := start(len(t.Cols) + 1)
	for nodes := benchproc.NewKeyHeader(t.Cols).Top; len(nodes) > 0; {
		var next []*benchproc.KeyHeaderNode
		g.NewRow()
		for _, n := range nodes {
			l, r := start(n.Start), start(n.Start+n.Len)
			g.At(l)
			g.Span(r-l, n.Value, Center, Margin(" │ "))
			next = append(next, n.Children...)
		}
		g.At(edge)
		g.Cell("", Margin(" │"))
		nodes = next
	}
	g.NewRow()
	for i := range t.Cols {
		l := start(i)
		g.At(l)
		g.Span(centerCols, t.Unit, Center, Margin(" │ "))
		if i > 0 {
			g.Span(deltaCols, "vs base", Left, Margin("  "))
		}
		for j := l + 1; j < g.Col(); j++ {
			g.SetShrink(j)
		}
	}
	g.At(edge)
	g.Cell("", Margin(" │"))

	class := benchunit.ClassOf(t.Unit)
	for _, row := range t.Rows {
		g.NewRow()
		g.Cell(t.RowLabel(row))
		scale := rowScaler(t, row)
		for i, col := range t.Cols {
			c, ok := t.Cell(row, col)
			if !ok {
				continue
			}
			g.At(start(i))
			g.Cell(scale.Format(c.Summary.Center), Right)
			if exact || !t.Exact() {
				g.Cell(c.Summary.PctRangeString(), Right, Margin(" ± "))
			} else {
				g.Cell("")
			}
			g.Cell(notes.marks(c.Sample.Warnings, c.Summary.Warnings))
			if i > 0 && c.Baseline != nil {
				g.Cell(c.Comparison.FormatDelta(c.Baseline.Summary.Center, c.Summary.Center), Right)
				if !exact {
					g.Cell(Ratio(c.Ratio()), Right)
				}
				g.Cell("(" + c.Comparison.String() + ")")
				g.Cell(notes.marks(c.Comparison.Warnings))
			}
		}
	}

	if len(t.Rows) > 1 {
		g.NewRow()
		g.Cell("geomean")
		for i, col := range t.Cols {
			s := t.Summary[col]
			if s.HasCenter {
				g.At(start(i))
				g.Cell(benchunit.Scale(s.Center, class), Right)
			}
			if i > 0 {
				g.At(start(i) + centerCols)
				if s.HasRatio {
					g.Cell(fmt.Sprintf("%+.2f%%", (s.Ratio-1)*100), Right)
					if !exact {
						g.Cell(Ratio(s.Ratio, true), Right)
					}
				} else {
					g.Cell("?")
				}
			}
			g.At(start(i+1) - 1)
			g.Cell(notes.marks(s.Warnings))
		}
	}

	g.Write(w)
	for i, n := range notes.list {
		fmt.Fprintf(w, "%s %s\n", superscript(i+1), n)
	}
}
