package main

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchmath"
	"golang.org/x/perf/benchproc"
)

// The statistics here are benchstat's, computed with the same x/perf
// packages in the same way (cmd/benchstat's table code is internal to
// x/perf and cannot be imported): results are projected into tables, rows
// and columns; each cell's values become a benchmath.Sample; the unit's
// assumption (median and Mann-Whitney U by default, "assume=exact" or
// "assume=normal" from Unit metadata lines) summarizes each cell and
// compares it with the baseline cell of its row; the last row is the
// geometric mean of each column and of its ratios to the baseline.
// TestBenchstatEqual holds the output to benchstat's, byte for byte.

// A builder collects results into tables.
type builder struct {
	tableBy, rowBy, colBy, residue *benchproc.Projection
	unitField                      *benchproc.Field
	tables                         map[benchproc.Key]*builderTable
}

type builderTable struct {
	rows, cols map[benchproc.Key]struct{}
	cells      map[cellKey]*builderCell
	// names holds the sub-name keys shared by every result of a row
	// (depth=64 → "depth": "64"), for charts and choose.
	names map[benchproc.Key]map[string]string
}

type builderCell struct {
	values  []float64
	residue map[benchproc.Key]struct{}
}

// cellKey names one cell of a table.
type cellKey struct{ row, col benchproc.Key }

// newBuilder returns a builder that maps each result's values to a table
// by tableBy (which must end in a .unit field), and within it to a cell by
// rowBy and colBy. Results of one cell that differ by residue are flagged.
func newBuilder(tableBy, rowBy, colBy, residue *benchproc.Projection) *builder {
	fields := tableBy.Fields()
	unit := fields[len(fields)-1]
	if unit.Name != ".unit" {
		panic("newBuilder: tableBy has no .unit field")
	}
	return &builder{
		tableBy: tableBy, rowBy: rowBy, colBy: colBy, residue: residue,
		unitField: unit,
		tables:    make(map[benchproc.Key]*builderTable),
	}
}

// add adds every value of res.
func (b *builder) add(res *benchfmt.Result) {
	tableKeys := b.tableBy.ProjectValues(res)
	row := b.rowBy.Project(res)
	col := b.colBy.Project(res)
	residue := b.residue.Project(res)
	ck := cellKey{row, col}
	parts := nameParts(res.Name)
	for i, tk := range tableKeys {
		t := b.tables[tk]
		if t == nil {
			t = &builderTable{
				rows:  make(map[benchproc.Key]struct{}),
				cols:  make(map[benchproc.Key]struct{}),
				cells: make(map[cellKey]*builderCell),
				names: make(map[benchproc.Key]map[string]string),
			}
			b.tables[tk] = t
		}
		c := t.cells[ck]
		if c == nil {
			c = &builderCell{residue: make(map[benchproc.Key]struct{})}
			t.cells[ck] = c
			t.rows[row] = struct{}{}
			t.cols[col] = struct{}{}
		}
		c.values = append(c.values, res.Values[i].Value)
		c.residue[residue] = struct{}{}
		if seen, ok := t.names[row]; !ok {
			t.names[row] = maps.Clone(parts)
		} else {
			for k, v := range seen {
				if parts[k] != v {
					delete(seen, k)
				}
			}
		}
	}
}

// nameParts returns the key=value parts of a benchmark name, and
// "gomaxprocs" for its -N suffix.
func nameParts(name benchfmt.Name) map[string]string {
	_, parts := name.Parts()
	m := make(map[string]string, len(parts))
	for _, p := range parts {
		s := string(p)
		if n, ok := strings.CutPrefix(s, "-"); ok {
			m["gomaxprocs"] = n
			continue
		}
		s = strings.TrimPrefix(s, "/")
		if k, v, ok := strings.Cut(s, "="); ok {
			m[k] = v
		}
	}
	return m
}

// tableOpts configures the statistics.
type tableOpts struct {
	confidence float64
	thresholds *benchmath.Thresholds
	units      benchfmt.UnitMetadataMap
	// base chooses each table's baseline column from its columns, in
	// benchstat's order; nil keeps the first (benchstat's choice).
	base func(cols []benchproc.Key) int
}

// A report is a sequence of tables, in benchstat's order.
type report struct {
	tables []*table
}

// A table compares results of one unit in a grid. Cells in Cols[0], the
// baseline, are compared with nothing; every other cell is compared with
// the baseline cell of its row.
type table struct {
	key        benchproc.Key // the table key; its last field is .unit
	unit       string
	assumption benchmath.Assumption
	rows, cols []benchproc.Key
	cells      map[cellKey]*cell
	summary    map[benchproc.Key]*colSummary
	names      map[benchproc.Key]map[string]string
}

// A cell summarizes the values of one row and column.
type cell struct {
	sample     *benchmath.Sample
	summary    benchmath.Summary
	baseline   *cell // nil in the baseline column and where it is missing
	comparison benchmath.Comparison
}

// ratio returns the cell's center over its baseline's: 1 when equal, and
// false where there is no baseline or it is zero.
func (c *cell) ratio() (float64, bool) {
	if c.baseline == nil {
		return 0, false
	}
	a, b := c.summary.Center, c.baseline.summary.Center
	switch {
	case a == b:
		return 1, true
	case b == 0:
		return 0, false
	}
	return a / b, true
}

// A colSummary is a column's geomean row.
type colSummary struct {
	hasCenter bool
	center    float64 // geomean of the column's centers
	hasRatio  bool
	ratio     float64 // geomean of the column's ratios to the baseline
	warnings  []error
}

// build computes the tables.
func (b *builder) build(opts tableOpts) *report {
	keys := sortedKeys(b.tables)
	r := &report{}
	for _, k := range keys {
		bt := b.tables[k]
		unit := k.Get(b.unitField)
		a := opts.units.GetAssumption(unit)
		t := &table{
			key:        k,
			unit:       unit,
			assumption: a,
			rows:       sortedKeys(bt.rows),
			cols:       sortedKeys(bt.cols),
			cells:      make(map[cellKey]*cell, len(bt.cells)),
			names:      bt.names,
		}
		if opts.base != nil {
			if i := opts.base(t.cols); i > 0 {
				base := t.cols[i]
				t.cols = append([]benchproc.Key{base}, slices.Delete(t.cols, i, i+1)...)
			}
		}
		for ck, bc := range bt.cells {
			t.cells[ck] = &cell{sample: benchmath.NewSample(bc.values, opts.thresholds)}
		}
		base := t.cols[0]
		for ck, bc := range bt.cells {
			c := t.cells[ck]
			if ck.col != base {
				c.baseline = t.cells[cellKey{ck.row, base}]
			}
			c.summary = a.Summary(c.sample, opts.confidence)
			if c.baseline != nil {
				c.comparison = a.Compare(c.baseline.sample, c.sample)
			}
			if vary := benchproc.NonSingularFields(sortedKeys(bc.residue)); len(vary) > 0 {
				names := make([]string, len(vary))
				for i, f := range vary {
					names[i] = f.Name
				}
				c.sample.Warnings = append(c.sample.Warnings,
					errors.New("benchmarks vary in "+strings.Join(names, ", ")))
			}
		}
		t.summarize()
		r.tables = append(r.tables, t)
	}
	return r
}

func sortedKeys[V any](m map[benchproc.Key]V) []benchproc.Key {
	keys := make([]benchproc.Key, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	benchproc.SortKeys(keys)
	return keys
}

// summarize computes the geomean row. Like benchstat, it takes the geomean
// of each column's ratios rather than the ratio of geomeans: the two agree
// when every column has the same benchmarks, and where they do not the
// former still describes the column.
func (t *table) summarize() {
	t.summary = make(map[benchproc.Key]*colSummary, len(t.cols))
	nBase := 0
	for _, row := range t.rows {
		if _, ok := t.cells[cellKey{row, t.cols[0]}]; ok {
			nBase++
		}
	}
	for i, col := range t.cols {
		s := &colSummary{}
		t.summary[col] = s
		var centers, ratios []float64
		badRatio := false
		for _, row := range t.rows {
			c, ok := t.cells[cellKey{row, col}]
			if !ok {
				continue
			}
			centers = append(centers, c.summary.Center)
			if c.baseline == nil {
				continue
			}
			r, ok := c.ratio()
			if !ok {
				badRatio = true
				r = 0 // still counts as a pairing with the baseline
			}
			ratios = append(ratios, r)
		}
		isBase := i == 0
		if !isBase && nBase != len(ratios) {
			s.warnings = append(s.warnings, fmt.Errorf("benchmark set differs from baseline; geomeans may not be comparable"))
		}
		if gm := geomean(centers); math.IsNaN(gm) {
			s.warnings = append(s.warnings, fmt.Errorf("summaries must be >0 to compute geomean"))
		} else {
			s.hasCenter, s.center = true, gm
		}
		if !isBase && !badRatio {
			if gm := geomean(ratios); math.IsNaN(gm) {
				s.warnings = append(s.warnings, fmt.Errorf("ratios must be >0 to compute geomean"))
			} else {
				s.hasRatio, s.ratio = true, gm
			}
		}
	}
}

// geomean returns the geometric mean of xs, or NaN if xs is empty or has a
// value ≤ 0. It is github.com/aclements/go-moremath/stats.GeoMean, which
// benchstat uses: the running mean of the logs, so that the last bits agree.
func geomean(xs []float64) float64 {
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

// field returns the table key's field named name, or nil.
func (t *table) field(name string) *benchproc.Field {
	for _, f := range t.key.Projection().FlattenedFields() {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// workload returns the table's benchmark name (its .name field), or "".
func (t *table) workload() string {
	if f := t.field(".name"); f != nil {
		return t.key.Get(f)
	}
	return ""
}

// rowLabel returns the label of row. Where the table is keyed by .name,
// benchstat writes that name as "*" in the rows' .fullname
// ("*/depth=64-2"); rowLabel drops it ("depth=64-2"), or writes the name
// where nothing else would be left ("Get-2"). With exact set, it returns
// benchstat's label.
func (t *table) rowLabel(row benchproc.Key, exact bool) string {
	s := row.StringValues()
	if exact || !strings.HasPrefix(s, "*") {
		return s
	}
	fields := row.Projection().FlattenedFields()
	name := t.workload()
	if len(fields) == 0 || fields[0].Name != ".fullname" || name == "" {
		return s
	}
	rest := s[1:]
	if r, ok := strings.CutPrefix(rest, "/"); ok && r != "" && r[0] != ' ' {
		return r
	}
	return name + rest
}

// colLabel returns the label of a column.
func colLabel(col benchproc.Key) string { return col.StringValues() }
