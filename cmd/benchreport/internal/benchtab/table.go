package benchtab

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchmath"
	"golang.org/x/perf/benchproc"
)

// A Report is a sequence of tables, in benchstat's order.
type Report struct {
	Tables []*Table
	// Warnings are what building the report noticed but did not stop for,
	// such as a filter that could not be applied to a result.
	Warnings []string
}

// A Table compares results of one unit in a grid. Cells in Cols[0], the
// baseline, are compared with nothing; every other cell is compared with
// the baseline cell of its row.
type Table struct {
	Key        benchproc.Key // the table key; its last field is .unit
	Unit       string
	Assumption benchmath.Assumption
	Rows, Cols []benchproc.Key
	Cells      map[CellKey]*Cell
	Summary    map[benchproc.Key]*ColSummary // each column's geomean row
	// Names holds, for each row, the key=value parts of the benchmark
	// name shared by every result of the row ("depth": "64"), and
	// "gomaxprocs" for the -N suffix.
	Names  map[benchproc.Key]map[string]string
	labels map[benchproc.Key]string
}

// CellKey names one cell of a table.
type CellKey struct{ Row, Col benchproc.Key }

// A Cell summarizes the values of one row and column.
type Cell struct {
	Sample     *benchmath.Sample
	Summary    benchmath.Summary
	Baseline   *Cell // nil in the baseline column and where it is missing
	Comparison benchmath.Comparison
}

// Ratio returns the cell's center over its baseline's: 1 when equal, and
// false where there is no baseline or it is zero.
func (c *Cell) Ratio() (float64, bool) {
	if c.Baseline == nil {
		return 0, false
	}
	a, b := c.Summary.Center, c.Baseline.Summary.Center
	switch {
	case a == b:
		return 1, true
	case b == 0:
		return 0, false
	}
	return a / b, true
}

// Significant reports whether the cell differs significantly from its
// baseline; false where it has none.
func (c *Cell) Significant() bool {
	return c.Baseline != nil && c.Comparison.FormatDelta(c.Baseline.Summary.Center, c.Summary.Center) != "~"
}

// A ColSummary is a column's geomean row.
type ColSummary struct {
	HasCenter bool
	Center    float64 // geomean of the column's centers
	HasRatio  bool
	Ratio     float64 // geomean of the column's ratios to the baseline
	Warnings  []error
}

// Cell returns the cell at row and col, if there is one.
func (t *Table) Cell(row, col benchproc.Key) (*Cell, bool) {
	c, ok := t.Cells[CellKey{row, col}]
	return c, ok
}

// Exact reports whether the table's unit is exact (Unit metadata
// assume=exact, such as instructions/op counted by cachegrind): its cells
// have no confidence interval.
func (t *Table) Exact() bool {
	return t.Assumption == benchmath.AssumeExact
}

// build computes the tables.
func (b *builder) build(opts *Options, units benchfmt.UnitMetadataMap) *Report {
	r := &Report{}
	for _, k := range sortedKeys(b.tables) {
		bt := b.tables[k]
		unit := k.Get(b.unitField)
		a := units.GetAssumption(unit)
		t := &Table{
			Key:        k,
			Unit:       unit,
			Assumption: a,
			Rows:       sortedKeys(bt.rows),
			Cols:       sortedKeys(bt.cols),
			Cells:      make(map[CellKey]*Cell, len(bt.cells)),
			Names:      bt.names,
		}
		if !opts.Exact && !opts.RowOrderGiven {
			t.Rows = bt.rowOrder
		}
		if i := chooseBase(t.Cols, bt, opts.Base); i > 0 {
			base := t.Cols[i]
			t.Cols = append([]benchproc.Key{base}, slices.Delete(t.Cols, i, i+1)...)
		}
		for ck, bc := range bt.cells {
			t.Cells[ck] = &Cell{Sample: benchmath.NewSample(bc.values, opts.thresholds())}
		}
		base := t.Cols[0]
		for ck, bc := range bt.cells {
			c := t.Cells[ck]
			if ck.Col != base {
				c.Baseline = t.Cells[CellKey{ck.Row, base}]
			}
			c.Summary = a.Summary(c.Sample, opts.Confidence)
			if c.Baseline != nil {
				c.Comparison = a.Compare(c.Baseline.Sample, c.Sample)
			}
			if vary := benchproc.NonSingularFields(sortedKeys(bc.residue)); len(vary) > 0 {
				names := make([]string, len(vary))
				for i, f := range vary {
					names[i] = f.Name
				}
				c.Sample.Warnings = append(c.Sample.Warnings,
					errors.New("benchmarks vary in "+strings.Join(names, ", ")))
			}
		}
		t.summarize()
		t.labelRows(opts.Exact)
		r.Tables = append(r.Tables, t)
	}
	return r
}

// chooseBase returns the index in cols of the baseline column: the first
// of prefer that has a cell in every row of the table, else the one of
// prefer with cells in the most rows, else 0 (benchstat's choice).
func chooseBase(cols []benchproc.Key, bt *builderTable, prefer []string) int {
	best, bestRows := 0, 0
	for _, want := range prefer {
		i := slices.IndexFunc(cols, func(c benchproc.Key) bool { return ColLabel(c) == want })
		if i < 0 {
			continue
		}
		n := 0
		for row := range bt.rows {
			if _, ok := bt.cells[CellKey{row, cols[i]}]; ok {
				n++
			}
		}
		if n == len(bt.rows) {
			return i
		}
		if n > bestRows {
			best, bestRows = i, n
		}
	}
	return best
}

// summarize computes the geomean row. Like benchstat, it takes the geomean
// of each column's ratios rather than the ratio of geomeans: the two agree
// when every column has the same benchmarks, and where they do not the
// former still describes the column.
func (t *Table) summarize() {
	t.Summary = make(map[benchproc.Key]*ColSummary, len(t.Cols))
	nBase := 0
	for _, row := range t.Rows {
		if _, ok := t.Cells[CellKey{row, t.Cols[0]}]; ok {
			nBase++
		}
	}
	for i, col := range t.Cols {
		s := &ColSummary{}
		t.Summary[col] = s
		var centers, ratios []float64
		badRatio := false
		for _, row := range t.Rows {
			c, ok := t.Cells[CellKey{row, col}]
			if !ok {
				continue
			}
			centers = append(centers, c.Summary.Center)
			if c.Baseline == nil {
				continue
			}
			r, ok := c.Ratio()
			if !ok {
				badRatio = true
				r = 0 // still counts as a pairing with the baseline
			}
			ratios = append(ratios, r)
		}
		isBase := i == 0
		if !isBase && nBase != len(ratios) {
			s.Warnings = append(s.Warnings, fmt.Errorf("benchmark set differs from baseline; geomeans may not be comparable"))
		}
		if gm := Geomean(centers); math.IsNaN(gm) {
			s.Warnings = append(s.Warnings, fmt.Errorf("summaries must be >0 to compute geomean"))
		} else {
			s.HasCenter, s.Center = true, gm
		}
		if !isBase && !badRatio {
			if gm := Geomean(ratios); math.IsNaN(gm) {
				s.Warnings = append(s.Warnings, fmt.Errorf("ratios must be >0 to compute geomean"))
			} else {
				s.HasRatio, s.Ratio = true, gm
			}
		}
	}
}

// Geomean returns the geometric mean of xs, or NaN if xs is empty or has a
// value ≤ 0. It is github.com/aclements/go-moremath/stats.GeoMean, which
// benchstat uses: the running mean of the logs, so that the last bits agree.
func Geomean(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	m := 0.0
	for i, x := range xs {
		if x <= 0 {
			return math.NaN()
		}
		m += (math.Log(x) - m) / float64(i+1)
	}
	return math.Exp(m)
}

// Field returns the table key's field named name, or nil.
func (t *Table) Field(name string) *benchproc.Field {
	for _, f := range t.Key.Projection().FlattenedFields() {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// Workload returns the table's benchmark name (its .name field), or "".
func (t *Table) Workload() string {
	if f := t.Field(".name"); f != nil {
		return t.Key.Get(f)
	}
	return ""
}

// RowLabel returns the label of row.
func (t *Table) RowLabel(row benchproc.Key) string {
	if l, ok := t.labels[row]; ok {
		return l
	}
	return row.StringValues()
}

// labelRows sets the row labels. Where the table is keyed by .name,
// benchstat writes that name as "*" in the rows' .fullname
// ("*/depth=64-2"); unless exact, the label drops it ("depth=64-2"), or
// writes the name where nothing else would be left ("Get-2"), as long as
// that gives every row a label of its own: where two rows would share one
// ("*-8" and "*/Parse-8" would both be "Parse-8"), the table keeps
// benchstat's labels.
func (t *Table) labelRows(exact bool) {
	t.labels = make(map[benchproc.Key]string, len(t.Rows))
	seen := make(map[string]bool, len(t.Rows))
	for _, row := range t.Rows {
		l := row.StringValues()
		if !exact {
			l = t.shortLabel(row)
		}
		if seen[l] {
			clear(t.labels) // benchstat's labels, which are distinct
			return
		}
		seen[l] = true
		t.labels[row] = l
	}
}

func (t *Table) shortLabel(row benchproc.Key) string {
	s := row.StringValues()
	if !strings.HasPrefix(s, "*") {
		return s
	}
	fields := row.Projection().FlattenedFields()
	name := t.Workload()
	if len(fields) == 0 || fields[0].Name != ".fullname" || name == "" {
		return s
	}
	rest := s[1:]
	if r, ok := strings.CutPrefix(rest, "/"); ok && r != "" && r[0] != ' ' {
		return r
	}
	return name + rest
}

// ColLabel returns the label of a column.
func ColLabel(col benchproc.Key) string { return col.StringValues() }

// ColLabels returns every column label of the report, once each, in order
// of first appearance.
func (r *Report) ColLabels() []string {
	var out []string
	for _, t := range r.Tables {
		for _, c := range t.Cols {
			if l := ColLabel(c); !slices.Contains(out, l) {
				out = append(out, l)
			}
		}
	}
	return out
}

// HasCol reports whether some table has a column labelled label.
func (r *Report) HasCol(label string) bool {
	return slices.Contains(r.ColLabels(), label)
}
