package render

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/localbench/localbench/cmd/benchreport/internal/benchtab"
)

// CSV writes the report as benchstat's -format csv does: centers as
// plain numbers in the unit, warnings to warn with a spreadsheet cell
// reference (B7: …) so as not to break the CSV. Beyond benchstat, each
// comparison has a "ratio" column; -benchstat leaves it out.
func CSV(w, warn io.Writer, r *benchtab.Report, opts Options) error {
	o := csv.NewWriter(w)
	row := 1
	for _, s := range sections(r) {
		if !s.first {
			o.Write([]string{""})
			row++
		}
		for _, p := range s.changed {
			o.Write([]string{p.String()})
			row++
		}
		row += writeCSV(o, s.t, row, warn, opts.Benchstat)
	}
	o.Flush()
	return o.Error()
}

// writeCSV writes one table starting at spreadsheet row startRow and
// returns how many rows it wrote.
func writeCSV(o *csv.Writer, t *benchtab.Table, startRow int, warn io.Writer, exact bool) (rows int) {
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

	for _, f := range t.Cols[0].Projection().FlattenedFields() {
		for i, c := range t.Cols {
			pad(start(i))
			rec = append(rec, c.Get(f))
		}
		pad(start(len(t.Cols)))
		emit()
	}
	for i := range t.Cols {
		pad(start(i))
		rec = append(rec, t.Unit, "CI")
		if i > 0 {
			rec = append(rec, "vs base", "P")
			if !exact {
				rec = append(rec, "ratio")
			}
		}
	}
	emit()

	for _, row := range t.Rows {
		rec = append(rec, t.RowLabel(row))
		for i, col := range t.Cols {
			c, ok := t.Cell(row, col)
			if !ok {
				continue
			}
			pad(start(i))
			note(c.Sample.Warnings)
			note(c.Summary.Warnings)
			rec = append(rec, fmt.Sprint(c.Summary.Center), c.Summary.PctRangeString())
			if i > 0 && c.Baseline != nil {
				note(c.Comparison.Warnings)
				rec = append(rec,
					c.Comparison.FormatDelta(c.Baseline.Summary.Center, c.Summary.Center),
					c.Comparison.String())
				if !exact {
					rec = append(rec, csvRatio(c.Ratio()))
				}
			}
		}
		emit()
	}

	rec = append(rec, "geomean")
	for i, col := range t.Cols {
		s := t.Summary[col]
		pad(start(i))
		note(s.Warnings)
		if s.HasCenter {
			rec = append(rec, fmt.Sprint(s.Center))
		}
		if i > 0 {
			pad(start(i) + centerCols)
			if s.HasRatio {
				rec = append(rec, fmt.Sprintf("%+.2f%%", (s.Ratio-1)*100))
				if !exact {
					pad(start(i) + centerCols + 2)
					rec = append(rec, csvRatio(s.Ratio, true))
				}
			} else {
				rec = append(rec, "?")
			}
		}
	}
	pad(start(len(t.Cols)))
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
