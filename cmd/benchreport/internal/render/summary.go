package render

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"golang.org/x/perf/benchproc"
	"golang.org/x/perf/benchunit"

	"github.com/localbench/localbench/cmd/benchreport/internal/benchtab"
)

// SummaryWidth is the widest line Summary writes for the suite's results:
// a terminal of 120 columns shows it whole.
const SummaryWidth = 120

// summaryFloors are the floors a summary keeps as columns: the plain
// function parameter, the least any way of passing a value costs. The
// others are in the full tables.
var summaryFloors = []string{"param"}

// Summary writes a report at a glance: for each unit of the report (the
// caller picks them, say sec/op and instructions/op), a row per workload
// and a column per contestant, strategies and peers grouped, with the
// param floor. A cell is the median ± its confidence interval (the value
// alone for an exact unit); a workload with several rows (a sweep) shows
// each column's geomean over them, and marks a column that lacks some of
// the rows. r must have one table per workload and unit, its columns the
// contestants. It begins with o.Provenance, and ends saying what the full
// report has.
func Summary(w io.Writer, r *benchtab.Report, o Options) error {
	var b strings.Builder
	if o.Provenance != "" {
		fmt.Fprintf(&b, "%s\n", o.Provenance)
	}
	var units []string
	byUnit := make(map[string][]*benchtab.Table)
	for _, t := range r.Tables {
		if !slices.Contains(units, t.Unit) {
			units = append(units, t.Unit)
		}
		byUnit[t.Unit] = append(byUnit[t.Unit], t)
	}
	cols, left := summaryColumns(r, o)
	fewer, sweeps := false, false
	for _, unit := range units {
		tables := byUnit[unit]
		what := "median " + unit + " ± " + fmt.Sprintf("%.0f%%", o.Confidence*100) + " confidence interval"
		if tables[0].Exact() {
			what = unit + ", exact: the same in every run"
		}
		fmt.Fprintf(&b, "\n%s\n", what)
		var g Grid
		g.NewRow()
		g.Cell("")
		prev := Kind(-1)
		for _, c := range cols {
			if k := o.kind(c); k != prev {
				g.Cell(groupName(k), Margin("  "))
				prev = k
			} else {
				g.Cell("", Margin("  "))
			}
		}
		g.NewRow()
		g.Cell("")
		for _, c := range cols {
			g.Cell(c, Margin("  "))
		}
		for _, t := range tables {
			if !anyColumn(t, cols) {
				continue // no contestant shown measured it (NewKey)
			}
			g.NewRow()
			label := t.Workload()
			if len(t.Rows) > 1 {
				label += fmt.Sprintf(" (gm of %d)", len(t.Rows))
				sweeps = true
			}
			g.Cell(label)
			for _, c := range cols {
				s, mark := summaryCell(t, c)
				if mark {
					fewer = true
				}
				g.Cell(s, Margin("  "))
			}
		}
		if err := g.Write(&b); err != nil {
			return err
		}
	}
	b.WriteString("\n")
	if sweeps {
		b.WriteString("(gm of N): the geomean over the workload's N rows (a sweep over depth, bindings, …).\n")
	}
	if fewer {
		b.WriteString("*: over fewer of the rows than another column; compare with care.\n")
	}
	if len(left) > 0 {
		fmt.Fprintf(&b, "Not shown: %s.\n", strings.Join(left, ", "))
	}
	b.WriteString("Every row, B/op, allocs/op and the comparisons: -full; charts: -format html -o report.html.\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func groupName(k Kind) string {
	switch k {
	case Strategy:
		return "strategies"
	case Peer:
		return "peers"
	case Floor:
		return "floors"
	}
	return "others"
}

// summaryColumns returns the columns a summary shows, the floor first,
// then strategies, peers and others, and the labels it leaves out.
func summaryColumns(r *benchtab.Report, o Options) (cols, left []string) {
	all := r.ColLabels()
	for _, k := range []Kind{Floor, Strategy, Peer, Other} {
		for _, c := range all {
			if c == "" || o.kind(c) != k {
				// "": benchmarks of no contestant (NewKey), whose
				// workload the summary leaves to the full tables.
				continue
			}
			if k == Floor && !slices.Contains(summaryFloors, c) {
				left = append(left, c)
				continue
			}
			cols = append(cols, c)
		}
	}
	return cols, left
}

// summaryCell formats column col of t: its one cell, or its geomean over
// a sweep, and reports whether the column lacks some of t's rows.
func summaryCell(t *benchtab.Table, col string) (string, bool) {
	i := slices.IndexFunc(t.Cols, func(c benchproc.Key) bool { return benchtab.ColLabel(c) == col })
	if i < 0 {
		return "-", false
	}
	key := t.Cols[i]
	class := benchunit.ClassOf(t.Unit)
	suffix := ""
	if t.Unit == "sec/op" {
		suffix = "s"
	}
	if len(t.Rows) == 1 {
		c, ok := t.Cell(t.Rows[0], key)
		if !ok {
			return "-", false
		}
		s := benchunit.Scale(c.Summary.Center, class) + suffix
		if !t.Exact() {
			s += " ±" + c.Summary.PctRangeString()
		}
		return s, false
	}
	s := t.Summary[key]
	if !s.HasCenter {
		return "?", false
	}
	n := 0
	for _, row := range t.Rows {
		if _, ok := t.Cell(row, key); ok {
			n++
		}
	}
	out := benchunit.Scale(s.Center, class) + suffix
	if n < len(t.Rows) {
		return out + "*", true
	}
	return out, false
}

// anyColumn reports whether t has any of the columns cols.
func anyColumn(t *benchtab.Table, cols []string) bool {
	return slices.ContainsFunc(t.Cols, func(c benchproc.Key) bool {
		return slices.Contains(cols, benchtab.ColLabel(c))
	})
}
