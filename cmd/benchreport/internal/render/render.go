// Package render writes benchtab reports as text (benchstat's layout),
// Markdown, CSV and a self-contained HTML page with SVG charts, and holds
// the layout helpers they share: section headings, footnotes, ratio
// formatting and a fixed-width text grid.
package render

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/perf/benchproc"
	"golang.org/x/perf/benchunit"

	"github.com/localbench/localbench/cmd/benchreport/internal/benchtab"
)

// Options say how to render a report.
type Options struct {
	// Benchstat writes what benchstat writes: no ratio to the baseline.
	// (Row labels are the report's; benchtab.Options.Exact keeps
	// benchstat's.)
	Benchstat bool

	// Alpha and Confidence are the levels the report was built with, for
	// the legend.
	Alpha, Confidence float64

	// Inputs names the files the results were read from, for titles.
	Inputs []string

	// Provenance says in one line what was read: the files, the machine,
	// the Go version. Summary begins with it.
	Provenance string

	// Kind sorts a column label into a family (strategy, peer, floor) for
	// the HTML page's colours and grouping; nil puts every column in one.
	Kind func(col string) Kind

	// Width is the widest line Summary may write, in columns (runes); 0
	// means SummaryWidth. A block of columns wider than that is split.
	Width int
}

// A Kind is the family of a column: what a contestant is.
type Kind int

// The families, in the order the HTML page groups them.
const (
	Other    Kind = iota // not known to be any of the others
	Strategy             // one of localbench's strategies
	Peer                 // another library, measured for comparison
	Floor                // the least a program could pay; a reference
)

var kindNames = [...]string{"other", "strategy", "peer", "floor"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

func (o Options) kind(col string) Kind {
	if o.Kind == nil {
		return Other
	}
	return o.Kind(col)
}

// A Func writes a report in one format; warnings that do not fit the
// format go to warn.
type Func func(w, warn io.Writer, r *benchtab.Report, o Options) error

// Formats are the formats by name.
var Formats = map[string]Func{
	"text":     Text,
	"markdown": Markdown,
	"csv":      CSV,
	"html":     HTML,
}

// A Pair is one field of a table key and its value.
type Pair struct{ Key, Value string }

// String returns "key: value", as benchstat writes a table key.
func (p Pair) String() string { return p.Key + ": " + p.Value }

// A section is one table with the fields of its key (but .unit, shown in
// the table) whose values differ from the previous table's.
type section struct {
	t       *benchtab.Table
	changed []Pair
	first   bool
}

// config returns the changed file configuration fields (goos, cpu, …).
func (s section) config() []Pair {
	var out []Pair
	for _, p := range s.changed {
		if !isTitle(p.Key) {
			out = append(out, p)
		}
	}
	return out
}

// title returns the changed fields that name what was measured: .name and
// name keys, the latter as "key=value".
func (s section) title() []string {
	var out []string
	for _, p := range s.changed {
		switch {
		case p.Key == ".name":
			out = append(out, p.Value)
		case isTitle(p.Key):
			out = append(out, strings.TrimPrefix(p.Key, "/")+"="+p.Value)
		}
	}
	return out
}

func isTitle(key string) bool { return strings.HasPrefix(key, ".") || strings.HasPrefix(key, "/") }

// sections returns the report's tables with their headings.
func sections(r *benchtab.Report) []section {
	var out []section
	var prev benchproc.Key
	for i, t := range r.Tables {
		var changed []Pair
		for _, f := range t.Key.Projection().FlattenedFields() {
			if f.Name == ".unit" {
				continue
			}
			if v := t.Key.Get(f); prev.IsZero() || v != prev.Get(f) {
				changed = append(changed, Pair{f.Name, v})
			}
		}
		prev = t.Key
		out = append(out, section{t: t, changed: changed, first: i == 0})
	}
	return out
}

// legend says what the figures of a report are.
func legend(r *benchtab.Report, o Options) string {
	var bases []string
	exact := false
	for _, t := range r.Tables {
		if l := benchtab.ColLabel(t.Cols[0]); len(t.Cols) > 1 && !slices.Contains(bases, l) {
			bases = append(bases, l)
		}
		exact = exact || t.Exact()
	}
	s := fmt.Sprintf("Medians ± %.0f%% confidence interval", o.Confidence*100)
	if exact {
		s += " (none for exact units, such as instructions/op)"
	}
	if len(bases) > 0 {
		s += fmt.Sprintf("; ×: ratio to %s; ~: no significant difference (p ≥ %.2g)",
			strings.Join(bases, " or "), o.Alpha)
	}
	return s + "."
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

// rowScaler returns a common scale for the centers of a row.
func rowScaler(t *benchtab.Table, row benchproc.Key) benchunit.Scaler {
	var vals []float64
	for _, col := range t.Cols {
		if c, ok := t.Cell(row, col); ok {
			vals = append(vals, c.Summary.Center)
		}
	}
	return benchunit.CommonScale(vals, benchunit.ClassOf(t.Unit))
}

// centerRange formats a cell's center and its range: "25.9n ± 3%", or for
// an exact unit, which has no range, the center alone.
func centerRange(t *benchtab.Table, c *benchtab.Cell, scale benchunit.Scaler) string {
	s := scale.Format(c.Summary.Center)
	if t.Exact() {
		return s
	}
	return s + " ± " + c.Summary.PctRangeString()
}

// Ratio formats a ratio to the baseline with three significant digits and
// no exponent: 0.50×, 1.02×, 64.8×, 1667×, and <0.001× below that; "?" if
// there is none, or if it is negative (a measurement below zero, such as a
// heap difference within noise, has no meaningful ratio).
func Ratio(r float64, ok bool) string {
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

// cellRatio is a cell's comparison in short: "~" where the difference is
// not significant, else the ratio.
func cellRatio(c *benchtab.Cell) string {
	if !c.Significant() {
		return "~"
	}
	return Ratio(c.Ratio())
}
