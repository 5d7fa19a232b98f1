package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"golang.org/x/perf/benchunit"
)

// renderMarkdown writes the report as GitHub-flavoured Markdown, ready to
// paste into a README: the file configuration as one line, the rest of the
// table key (the workload) in bold, then a table with the unit in its
// corner and a column per strategy. A cell is the center ± the confidence
// interval and, after the baseline, the ratio to the baseline, or "~"
// where the difference is not significant. Warnings become footnotes under
// the table, and a last line says what the figures are.
func renderMarkdown(w, _ io.Writer, r *report, q *query) error {
	var b strings.Builder
	var config []string
	eachTable(r, func(t *table, header []string, first bool) {
		var title []string
		for _, h := range header {
			k, v, _ := strings.Cut(h, ": ")
			switch {
			case k == ".name":
				title = append(title, "**"+mdEscape(v)+"**")
			case strings.HasPrefix(k, "."), strings.HasPrefix(k, "/"):
				title = append(title, mdEscape(strings.TrimPrefix(k, "/")+"="+v))
			default:
				config = append(config, mdEscape(k)+": "+mdEscape(v))
			}
		}
		if len(config) > 0 {
			if !first {
				b.WriteString("\n")
			}
			b.WriteString(strings.Join(config, " · ") + "\n")
			config = config[:0]
		}
		if len(title) > 0 {
			b.WriteString("\n" + strings.Join(title, " · ") + "\n")
		}
		b.WriteString("\n")
		t.writeMarkdown(&b, q)
	})
	if len(r.tables) > 0 {
		fmt.Fprintf(&b, "\n%s\n", legend(r, q))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// legend says what the figures of a report are.
func legend(r *report, q *query) string {
	var bases []string
	for _, t := range r.tables {
		if l := colLabel(t.cols[0]); len(t.cols) > 1 && !slices.Contains(bases, l) {
			bases = append(bases, l)
		}
	}
	s := fmt.Sprintf("Medians ± %.0f%% confidence interval", q.flags.confidence*100)
	if len(bases) > 0 {
		s += fmt.Sprintf("; ×: ratio to %s; ~: no significant difference (p ≥ %.2g)",
			strings.Join(bases, " or "), q.flags.alpha)
	}
	return s + "."
}

func (t *table) writeMarkdown(b *strings.Builder, q *query) {
	var notes footnotes
	b.WriteString("| " + mdEscape(t.unit) + " |")
	for _, c := range t.cols {
		b.WriteString(" " + mdEscape(colLabel(c)) + " |")
	}
	b.WriteString("\n|:--")
	b.WriteString(strings.Repeat("|--:", len(t.cols)))
	b.WriteString("|\n")

	class := benchunit.ClassOf(t.unit)
	for _, row := range t.rows {
		scale := t.rowScaler(row, class)
		b.WriteString("| " + mdEscape(t.rowLabel(row, q.flags.exact)) + " |")
		for i, col := range t.cols {
			c, ok := t.cells[cellKey{row, col}]
			if !ok {
				b.WriteString(" |")
				continue
			}
			s := scale.Format(c.summary.Center) + " ± " + c.summary.PctRangeString()
			errs := [][]error{c.sample.Warnings, c.summary.Warnings}
			if i > 0 && c.baseline != nil {
				s += " " + mdRatio(c)
				errs = append(errs, c.comparison.Warnings)
			}
			if m := notes.marks(errs...); m != "" {
				s += " " + m
			}
			b.WriteString(" " + s + " |")
		}
		b.WriteString("\n")
	}
	if len(t.rows) > 1 {
		b.WriteString("| geomean |")
		for i, col := range t.cols {
			s := t.summary[col]
			var parts []string
			if s.hasCenter {
				parts = append(parts, benchunit.Scale(s.center, class))
			}
			if i > 0 {
				parts = append(parts, formatRatio(s.ratio, s.hasRatio))
			}
			if m := notes.marks(s.warnings); m != "" {
				parts = append(parts, m)
			}
			b.WriteString(" " + strings.Join(parts, " ") + " |")
		}
		b.WriteString("\n")
	}
	for i, n := range notes.list {
		fmt.Fprintf(b, "\n%s %s\n", superscript(i+1), mdEscape(n))
	}
}

// mdRatio is a cell's comparison in Markdown: "~" where the difference is
// not significant, else the ratio.
func mdRatio(c *cell) string {
	if c.comparison.FormatDelta(c.baseline.summary.Center, c.summary.Center) == "~" {
		return "~"
	}
	return formatRatio(c.ratio())
}

// mdEscape escapes what would break a Markdown table cell.
func mdEscape(s string) string {
	r := strings.NewReplacer("|", `\|`, "*", `\*`, "_", `\_`, "<", "&lt;")
	return r.Replace(s)
}
