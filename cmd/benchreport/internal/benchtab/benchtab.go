// Package benchtab groups benchmark results into comparison tables and
// computes their statistics, as benchstat does, with the same x/perf
// packages (cmd/benchstat's own table code is internal to x/perf and
// cannot be imported).
//
// Results are projected into tables, rows and columns with benchproc
// projections; each cell's values become a benchmath.Sample; the unit's
// assumption (median and Mann-Whitney U by default, "assume=exact" or
// "assume=normal" from Unit metadata lines) summarizes each cell and
// compares it with the baseline cell of its row; the last row is the
// geometric mean of each column and of its ratios to the baseline. For the
// same projections and the same baseline column, every cell equals
// benchstat's.
//
// Beyond benchstat, Options can choose each table's baseline by column
// label, order rows as each table first saw them, and label rows without
// the "*" that stands for the table's benchmark name.
package benchtab

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchmath"
	"golang.org/x/perf/benchproc"
)

// Options say how to build tables. Their zero value is not benchstat's
// defaults: set Table, Row, Col, Alpha and Confidence.
type Options struct {
	// Table, Row and Col are benchproc projections (see
	// golang.org/x/perf/benchproc/syntax) that split results into tables,
	// rows and columns; Table gets a .unit field added. Ignore names keys
	// whose variation is not flagged. Filter selects results; "" means all.
	Table, Row, Col, Ignore, Filter string

	// Alpha is the significance level of comparisons (benchstat's
	// default is 0.05); Confidence is the confidence level of the ranges
	// (benchstat's default is 0.95). Both are in [0, 1].
	Alpha, Confidence float64

	// Base lists column labels to use as each table's baseline, in order
	// of preference: the first that has a cell in every row of the table
	// wins, else the one with cells in the most rows. Where none is a
	// column, or Base is empty, the baseline is the first column, as in
	// benchstat.
	Base []string

	// Exact keeps benchstat's row labels and row order. Otherwise, rows
	// are in the order each table first saw them (benchstat orders them by
	// the first result of the whole input) unless RowOrderGiven says that
	// the Row projection fixes an order.
	Exact         bool
	RowOrderGiven bool
}

func (o *Options) thresholds() *benchmath.Thresholds {
	t := benchmath.DefaultThresholds
	t.CompareAlpha = o.Alpha
	return &t
}

// An OptionError reports an option that does not parse or does not fit
// the results. Option is the name of the Options field.
type OptionError struct {
	Option string
	Err    error
}

func (e *OptionError) Error() string { return e.Option + ": " + e.Err.Error() }
func (e *OptionError) Unwrap() error { return e.Err }

// ErrNoResults is returned (wrapped) by Build when no result passes the
// filter.
var ErrNoResults = errors.New("no results match")

// Build groups results into tables as opts says. units is the input's
// unit metadata (benchfmt.Reader.Units), which sets each unit's statistical
// assumption. It fails if an option does not parse, if no result is left
// after the filter, or if a projection names a specific key (a /name key
// or a file configuration key) that no result has: a misspelt /stratgy
// would otherwise put every result in one column labelled "".
func Build(results []*benchfmt.Result, units benchfmt.UnitMetadataMap, opts Options) (*Report, error) {
	if opts.Alpha < 0 || opts.Alpha > 1 {
		return nil, &OptionError{"Alpha", errors.New("must be in [0, 1]")}
	}
	if opts.Confidence < 0 || opts.Confidence > 1 {
		return nil, &OptionError{"Confidence", errors.New("must be in [0, 1]")}
	}
	filterText := opts.Filter
	if filterText == "" {
		filterText = "*"
	}
	filter, err := benchproc.NewFilter(filterText)
	if err != nil {
		return nil, &OptionError{"Filter", err}
	}
	var p benchproc.ProjectionParser
	tableBy, _, err := p.ParseWithUnit(opts.Table, filter)
	if err != nil {
		return nil, &OptionError{"Table", err}
	}
	rowBy, err := p.Parse(opts.Row, filter)
	if err != nil {
		return nil, &OptionError{"Row", err}
	}
	colBy, err := p.Parse(opts.Col, filter)
	if err != nil {
		return nil, &OptionError{"Col", err}
	}
	if _, err = p.Parse(opts.Ignore, filter); err != nil {
		return nil, &OptionError{"Ignore", err}
	}
	residue := p.Residue()

	b := newBuilder(tableBy, rowBy, colBy, residue)
	var warnings []string
	n := 0
	for _, res := range results {
		res = res.Clone() // Apply may drop values
		ok, err := filter.Apply(res)
		if err != nil {
			warnings = append(warnings, err.Error())
		}
		if !ok {
			continue
		}
		b.add(res)
		n++
	}
	if n == 0 {
		return nil, fmt.Errorf("%w filter %q and the projections; the input has %s",
			ErrNoResults, filterText, Describe(results))
	}
	r := b.build(&opts, units)
	r.Warnings = warnings
	// After build: checkKeys projects every result, filtered out or not,
	// and must not change the order in which build sorts the keys.
	if err := checkKeys(results, []projection{{"Table", tableBy}, {"Row", rowBy}, {"Col", colBy}}); err != nil {
		return nil, err
	}
	return r, nil
}

type projection struct {
	option string
	proj   *benchproc.Projection
}

// builtinKeys are the projection keys every result has.
var builtinKeys = map[string]bool{".name": true, ".fullname": true, ".file": true, ".unit": true}

// checkKeys fails if a projection names a specific key (a /name key or a
// file configuration key, which is any other word, .nosuch included) that
// no result has.
func checkKeys(results []*benchfmt.Result, projs []projection) error {
	for _, p := range projs {
		for _, f := range p.proj.Fields() {
			if f.IsTuple || builtinKeys[f.Name] {
				continue
			}
			found := false
			for _, res := range results {
				if p.proj.Project(res).Get(f) != "" {
					found = true
					break
				}
			}
			if !found {
				return &OptionError{p.option, fmt.Errorf("no result has the key %s; the input has %s", f.Name, Describe(results))}
			}
		}
	}
	return nil
}

// Describe summarizes what results hold, for error messages: the
// benchmark names and the name keys.
func Describe(results []*benchfmt.Result) string {
	var names, keys []string
	seenName := make(map[string]bool)
	seenKey := make(map[string]bool)
	for _, res := range results {
		if n := string(res.Name.Base()); !seenName[n] {
			seenName[n] = true
			names = append(names, n)
		}
		for k := range NameParts(res.Name) {
			if k != "gomaxprocs" && !seenKey["/"+k] {
				seenKey["/"+k] = true
				keys = append(keys, "/"+k)
			}
		}
	}
	slices.Sort(keys)
	s := "benchmarks " + list(names, 12)
	if len(keys) > 0 {
		s += " with keys " + list(keys, 12)
	}
	return s
}

func list(xs []string, limit int) string {
	if len(xs) > limit {
		return strings.Join(xs[:limit], ", ") + fmt.Sprintf(" and %d more", len(xs)-limit)
	}
	return strings.Join(xs, ", ")
}
