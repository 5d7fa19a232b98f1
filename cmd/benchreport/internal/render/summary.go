package render

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/perf/benchproc"
	"golang.org/x/perf/benchunit"

	"github.com/localbench/localbench/cmd/benchreport/internal/benchtab"
)

// SummaryWidth is the widest line Summary writes when Options.Width is 0:
// a terminal of 120 columns shows it whole. Columns that would make a line
// wider go into a block of their own below the others.
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
	width := o.Width
	if width <= 0 {
		width = SummaryWidth
	}
	var b strings.Builder
	if o.Provenance != "" {
		writeWrapped(&b, o.Provenance, width)
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
	var fewer, sweeps bool
	for _, unit := range units {
		tables := byUnit[unit]
		what := "median " + unit + " ± " + fmt.Sprintf("%.0f%%", o.Confidence*100) + " confidence interval"
		if tables[0].Exact() {
			what = unit + ", exact: the same in every run"
		}
		fmt.Fprintf(&b, "\n%s\n", what)
		// Columns that would not fit beside the others go into a block of
		// their own below, each block with the row labels again.
		for i, block := range splitColumns(tables, cols, o, width) {
			if i > 0 {
				b.WriteString("\n")
			}
			s, f, sw, err := summaryBlock(tables, block, o)
			if err != nil {
				return err
			}
			b.WriteString(s)
			fewer, sweeps = fewer || f, sweeps || sw
		}
	}
	b.WriteString("\n")
	var notes []string
	if sweeps {
		notes = append(notes, "(gm of N): the geomean over the workload's N rows (a sweep over depth, bindings, …).")
	}
	if fewer {
		notes = append(notes, "*: over fewer of the rows than another column; compare with care.")
	}
	if len(left) > 0 {
		notes = append(notes, fmt.Sprintf("Not shown: %s.", strings.Join(left, ", ")))
	}
	notes = append(notes, "Every row, B/op, allocs/op and the comparisons: -full; charts: -format html -o report.html.")
	for _, n := range notes {
		writeWrapped(&b, n, width)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// splitColumns splits cols into runs, in order, each as many columns as
// fit in width beside the row labels (at least one a run).
func splitColumns(tables []*benchtab.Table, cols []string, o Options, width int) [][]string {
	var blocks [][]string
	for len(cols) > 0 {
		n := 1
		for n < len(cols) {
			s, _, _, err := summaryBlock(tables, cols[:n+1], o)
			if err != nil || maxLineWidth(s) > width {
				break
			}
			n++
		}
		blocks = append(blocks, cols[:n])
		cols = cols[n:]
	}
	return blocks
}

// summaryBlock writes one block of the summary: the family and name of
// each of cols, then a row per table. It reports whether a cell is over
// fewer rows than its table has, and whether a table is a sweep.
func summaryBlock(tables []*benchtab.Table, cols []string, o Options) (text string, fewer, sweeps bool, err error) {
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
			continue // no column of this block measured it
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
			fewer = fewer || mark
			g.Cell(s, Margin("  "))
		}
	}
	var b strings.Builder
	err = g.Write(&b)
	return b.String(), fewer, sweeps, err
}

// writeWrapped writes text as lines of at most width runes, broken at
// spaces (a word longer than width gets a line of its own).
func writeWrapped(b *strings.Builder, text string, width int) {
	n := 0
	for i, word := range strings.Fields(text) {
		w := utf8.RuneCountInString(word)
		if i > 0 && n+1+w > width {
			b.WriteString("\n")
			n = 0
		} else if i > 0 {
			b.WriteString(" ")
			n++
		}
		b.WriteString(word)
		n += w
	}
	b.WriteString("\n")
}

// maxLineWidth returns the width of s's widest line, in runes.
func maxLineWidth(s string) int {
	w := 0
	for line := range strings.Lines(s) {
		w = max(w, utf8.RuneCountInString(strings.TrimSuffix(line, "\n")))
	}
	return w
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
