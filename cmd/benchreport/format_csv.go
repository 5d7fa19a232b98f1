package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
)

// renderCSV writes the report as benchstat's -format csv does: centers as
// plain numbers in the unit, warnings to warn with a spreadsheet cell
// reference (B7: …) so as not to break the CSV. Beyond benchstat, each
// comparison has a "ratio" column; -benchstat leaves it out.
func renderCSV(w, warn io.Writer, r *report, q *query) error {
	o := csv.NewWriter(w)
	row := 1
	eachTable(r, func(t *table, header []string, first bool) {
		if !first {
			o.Write([]string{""})
			row++
		}
		for _, h := range header {
			o.Write([]string{h})
			row++
		}
		row += t.writeCSV(o, row, warn, q.flags.exact)
	})
	o.Flush()
	return o.Error()
}

// writeCSV writes one table starting at spreadsheet row startRow and
// returns how many rows it wrote.
func (t *table) writeCSV(o *csv.Writer, startRow int, warn io.Writer, exact bool) (rows int) {
	const label = 1
	const centerCols = 2 // center, CI
	deltaCols := 2       // vs base, P
	if !exact {
		deltaCols = 3 // and ratio
	}
	start := func(i int) int {
		if i == 0 {
			return label
		}
		return label + centerCols + (i-1)*(centerCols+deltaCols)
	}
	var rec []string
	pad := func(col int) {
		for len(rec) < col {
			rec = append(rec, "")
		}
	}
	emit := func() {
		o.Write(rec)
		rec = rec[:0]
		rows++
	}
	note := func(errs []error) {
		for _, e := range errs {
			fmt.Fprintf(warn, "%s%d: %s\n", spreadsheetCol(len(rec)), startRow+rows, e)
		}
	}

	for _, f := range t.cols[0].Projection().FlattenedFields() {
		for i, c := range t.cols {
			pad(start(i))
			rec = append(rec, c.Get(f))
		}
		pad(start(len(t.cols)))
		emit()
	}
	for i := range t.cols {
		pad(start(i))
		rec = append(rec, t.unit, "CI")
		if i > 0 {
			rec = append(rec, "vs base", "P")
			if !exact {
				rec = append(rec, "ratio")
			}
		}
	}
	emit()

	for _, row := range t.rows {
		rec = append(rec, t.rowLabel(row, exact))
		for i, col := range t.cols {
			c, ok := t.cells[cellKey{row, col}]
			if !ok {
				continue
			}
			pad(start(i))
			note(c.sample.Warnings)
			note(c.summary.Warnings)
			rec = append(rec, fmt.Sprint(c.summary.Center), c.summary.PctRangeString())
			if i > 0 && c.baseline != nil {
				note(c.comparison.Warnings)
				rec = append(rec,
					c.comparison.FormatDelta(c.baseline.summary.Center, c.summary.Center),
					c.comparison.String())
				if !exact {
					rec = append(rec, csvRatio(c.ratio()))
				}
			}
		}
		emit()
	}

	rec = append(rec, "geomean")
	for i, col := range t.cols {
		s := t.summary[col]
		pad(start(i))
		note(s.warnings)
		if s.hasCenter {
			rec = append(rec, fmt.Sprint(s.center))
		}
		if i > 0 {
			pad(start(i) + centerCols)
			if s.hasRatio {
				rec = append(rec, fmt.Sprintf("%+.2f%%", (s.ratio-1)*100))
				if !exact {
					pad(start(i) + centerCols + 2)
					rec = append(rec, csvRatio(s.ratio, true))
				}
			} else {
				rec = append(rec, "?")
			}
		}
	}
	pad(start(len(t.cols)))
	emit()
	return rows
}

// csvRatio writes a ratio as a plain number, or "?".
func csvRatio(r float64, ok bool) string {
	if !ok {
		return "?"
	}
	return strconv.FormatFloat(r, 'g', -1, 64)
}

// spreadsheetCol returns the spreadsheet name of 0-based column x, the way
// benchstat computes it.
func spreadsheetCol(x int) string {
	var name []byte
	for ; x > 0; x /= 26 {
		name = append([]byte{'A' + byte(x%26)}, name...)
	}
	if len(name) == 0 {
		return "A"
	}
	return string(name)
}
