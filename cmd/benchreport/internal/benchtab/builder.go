package benchtab

import (
	"maps"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchproc"
)

// A builder collects results into tables.
type builder struct {
	tableBy, rowBy, colBy, residue *benchproc.Projection
	unitField                      *benchproc.Field
	tables                         map[benchproc.Key]*builderTable
}

type builderTable struct {
	rows, cols map[benchproc.Key]struct{}
	// rowOrder is the table's rows in the order of their first result.
	rowOrder []benchproc.Key
	cells    map[CellKey]*builderCell
	// names holds the sub-name keys shared by every result of a row
	// (depth=64 → "depth": "64").
	names map[benchproc.Key]map[string]string
}

type builderCell struct {
	values  []float64
	residue map[benchproc.Key]struct{}
}

// newBuilder returns a builder that maps each result's values to a table
// by tableBy (which must end in a .unit field), and within it to a cell by
// rowBy and colBy. Results of one cell that differ by residue are flagged.
func newBuilder(tableBy, rowBy, colBy, residue *benchproc.Projection) *builder {
	fields := tableBy.Fields()
	unit := fields[len(fields)-1]
	if unit.Name != ".unit" {
		panic("benchtab: tableBy has no .unit field")
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
	ck := CellKey{row, col}
	parts := NameParts(res.Name)
	for i, tk := range tableKeys {
		t := b.tables[tk]
		if t == nil {
			t = &builderTable{
				rows:  make(map[benchproc.Key]struct{}),
				cols:  make(map[benchproc.Key]struct{}),
				cells: make(map[CellKey]*builderCell),
				names: make(map[benchproc.Key]map[string]string),
			}
			b.tables[tk] = t
		}
		c := t.cells[ck]
		if c == nil {
			c = &builderCell{residue: make(map[benchproc.Key]struct{})}
			t.cells[ck] = c
			if _, ok := t.rows[row]; !ok {
				t.rows[row] = struct{}{}
				t.rowOrder = append(t.rowOrder, row)
			}
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

func sortedKeys[V any](m map[benchproc.Key]V) []benchproc.Key {
	keys := make([]benchproc.Key, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	benchproc.SortKeys(keys)
	return keys
}
