package render

import (
	"fmt"
	"io"
	"strings"

	"golang.org/x/perf/benchunit"

	"github.com/localbench/localbench/cmd/benchreport/internal/benchtab"
)

// Markdown writes the report as GitHub-flavoured Markdown, ready to
// paste into a README: the file configuration as one line, the rest of the
// table key (the workload) in bold, then a table with the unit in its
// corner and a column per strategy. A cell is the center ± the confidence
// interval (the value alone for an exact unit) and, after the baseline,
// the ratio to the baseline, or "~" where the difference is not
// significant. Warnings become footnotes under the table, and a last line
// says what the figures are.
func Markdown(w, _ io.Writer, r *benchtab.Report, o Options) error {
	var b strings.Builder
	for _, s := range sections(r) {
		if config := s.config(); len(config) > 0 {
			if !s.first {
				b.WriteString("\n")
			}
			var parts []string
			for _, p := range config {
				parts = append(parts, mdEscape(p.Key)+": "+mdEscape(p.Value))
			}
			b.WriteString(strings.Join(parts, " · ") + "\n")
		}
		var title []string
		for _, p := range s.changed {
			switch {
			case p.Key == ".name":
				title = append(title, "**"+mdEscape(p.Value)+"**")
			case isTitle(p.Key):
				title = append(title, mdEscape(strings.TrimPrefix(p.Key, "/")+"="+p.Value))
			}
		}
		if len(title) > 0 {
			b.WriteString("\n" + strings.Join(title, " · ") + "\n")
		}
		b.WriteString("\n")
		writeMarkdown(&b, s.t)
	}
	if len(r.Tables) > 0 {
		fmt.Fprintf(&b, "\n%s\n", legend(r, o))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeMarkdown(b *strings.Builder, t *benchtab.Table) {
	var notes footnotes
	b.WriteString("| " + mdEscape(t.Unit) + " |")
	for _, c := range t.Cols {
		b.WriteString(" " + mdEscape(benchtab.ColLabel(c)) + " |")
	}
	b.WriteString("\n|:--")
	b.WriteString(strings.Repeat("|--:", len(t.Cols)))
	b.WriteString("|\n")

	class := benchunit.ClassOf(t.Unit)
	for _, row := range t.Rows {
		scale := rowScaler(t, row)
		b.WriteString("| " + mdEscape(t.RowLabel(row)) + " |")
		for i, col := range t.Cols {
			c, ok := t.Cell(row, col)
			if !ok {
				b.WriteString(" |")
				continue
			}
			s := centerRange(t, c, scale)
			errs := [][]error{c.Sample.Warnings, c.Summary.Warnings}
			if i > 0 && c.Baseline != nil {
				s += " " + cellRatio(c)
				errs = append(errs, c.Comparison.Warnings)
			}
			if m := notes.marks(errs...); m != "" {
				s += " " + m
			}
			b.WriteString(" " + s + " |")
		}
		b.WriteString("\n")
	}
	if len(t.Rows) > 1 {
		b.WriteString("| geomean |")
		for i, col := range t.Cols {
			s := t.Summary[col]
			var parts []string
			if s.HasCenter {
				parts = append(parts, benchunit.Scale(s.Center, class))
			}
			if i > 0 {
				parts = append(parts, Ratio(s.Ratio, s.HasRatio))
			}
			if m := notes.marks(s.Warnings); m != "" {
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

// mdEscape escapes what would break a Markdown table cell.
func mdEscape(s string) string {
	r := strings.NewReplacer("|", `\|`, "*", `\*`, "_", `\_`, "<", "&lt;")
	return r.Replace(s)
}
