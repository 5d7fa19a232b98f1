package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"golang.org/x/perf/benchmath"

	"github.com/localbench/localbench/cmd/benchreport/internal/benchtab"
	"github.com/localbench/localbench/cmd/benchreport/internal/render"
)

// Defaults that fit the suite: one table per workload (and unit), a row
// per remaining name key, one column per strategy.
const (
	defaultTable = ".config,.name"
	defaultRow   = ".fullname"
	defaultCol   = "/strategy"
	// defaultIgnore drops the "workload: NAME" configuration line that the
	// harness prints before each workload for benchstat's sake: it repeats
	// .name, and as part of .config it would split and reorder the tables.
	defaultIgnore = "workload"
	autoBase      = "auto"
)

// autoBases are the baselines -base auto looks for, in order: the plain
// function parameter, the floor of every way to pass a value, and else
// mapid, the simplest strategy. benchtab takes the first that was measured
// on every row of a table.
var autoBases = []string{"param", "mapid"}

// reportFlags are the flags that shape a report; benchstat's keep
// benchstat's meaning.
type reportFlags struct {
	table, row, col, ignore, filter string
	alpha, confidence               float64
	format                          string
	base                            string
	exact                           bool
	full                            bool
	width                           int
	out                             string
	set                             map[string]bool // the flags given
}

// newReportFlagSet returns benchreport's flag set, which sets f.
func newReportFlagSet(f *reportFlags) *flag.FlagSet {
	fs := flag.NewFlagSet("benchreport", flag.ContinueOnError)
	fs.StringVar(&f.table, "table", defaultTable, "split results into tables by distinct values of `projection` (benchstat's default is .config)")
	fs.StringVar(&f.row, "row", defaultRow, "split results into rows by distinct values of `projection`")
	fs.StringVar(&f.col, "col", defaultCol, "split results into columns by distinct values of `projection` (benchstat's default is .file)")
	fs.StringVar(&f.ignore, "ignore", defaultIgnore, "ignore variations in `keys` (benchstat's default is none)")
	fs.StringVar(&f.filter, "filter", "*", "use only benchmarks matching benchfilter `query`")
	fs.Float64Var(&f.alpha, "alpha", benchmath.DefaultThresholds.CompareAlpha, "consider change significant if p < `α`")
	fs.Float64Var(&f.confidence, "confidence", 0.95, "confidence `level` for ranges")
	fs.StringVar(&f.format, "format", "text", "print results in `format`: text, markdown, csv or html")
	fs.StringVar(&f.base, "base", autoBase, "compare every column with the column `label`; auto: param where measured on every row, else mapid, else the first")
	fs.BoolVar(&f.exact, "benchstat", false, "print what benchstat prints: the first column as baseline, no ratio, benchstat's row labels and order")
	fs.BoolVar(&f.full, "full", false, "print every table, not the summary (other formats always have every table)")
	fs.IntVar(&f.width, "width", 0, "fit the summary in `n` columns; 0: the terminal's width when standard output is one, else 120")
	fs.StringVar(&f.out, "o", "", "write the output to `file`, atomically, instead of standard output (- is standard output)")
	return fs
}

// given records which flags fs.Parse set.
func (f *reportFlags) given(fs *flag.FlagSet) {
	f.set = make(map[string]bool)
	fs.Visit(func(fl *flag.Flag) { f.set[fl.Name] = true })
}

// check checks the flags that need no input.
func (f *reportFlags) check() error {
	if f.alpha < 0 || f.alpha > 1 {
		return errors.New("-alpha must be in [0, 1]")
	}
	if f.confidence < 0 || f.confidence > 1 {
		return errors.New("-confidence must be in [0, 1]")
	}
	if render.Formats[f.format] == nil {
		return fmt.Errorf("-format must be text, markdown, csv or html, not %q", f.format)
	}
	if f.width < 0 {
		return fmt.Errorf("-width must be at least 0, not %d", f.width)
	}
	if f.base == "" {
		return errors.New("-base must name a column, or be auto")
	}
	if f.exact && f.base != autoBase {
		return errors.New("-base and -benchstat conflict: benchstat compares with the first column")
	}
	return nil
}

// summary reports whether the flags ask for the default text summary:
// text, and no projection, -benchstat or -full.
func (f *reportFlags) summary() bool {
	if f.format != "text" || f.full || f.exact {
		return false
	}
	for _, name := range []string{"table", "row", "col", "ignore", "base"} {
		if f.set[name] {
			return false
		}
	}
	return true
}

// explicitOrder reports whether a projection fixes the order of its
// values (benchproc's @(a b c), @alpha, @num), which the automatic
// baseline and row order must not undo.
func explicitOrder(projection string) bool { return strings.Contains(projection, "@") }

// options returns the table options for the flags and the dataset, and
// writes to warn what it decided that the flags did not say.
func (f *reportFlags) options(d *dataset, warn io.Writer) benchtab.Options {
	o := benchtab.Options{
		Table: f.table, Row: f.row, Col: f.col, Ignore: f.ignore, Filter: f.filter,
		Alpha: f.alpha, Confidence: f.confidence,
		Exact:         f.exact,
		RowOrderGiven: explicitOrder(f.row),
	}
	switch {
	case f.exact:
	case f.base != autoBase:
		o.Base = []string{f.base}
	case !explicitOrder(f.col):
		o.Base = autoBases
	}
	if !f.set["ignore"] && f.ignore == defaultIgnore {
		if example, merges := ignoreMerges(d.results, defaultIgnore); merges {
			o.Ignore = ""
			fmt.Fprintf(warn, "benchreport: not ignoring %s (the default -ignore): results that differ only in it would share a cell, such as %s; give -ignore to choose\n",
				defaultIgnore, example)
		}
	}
	if !f.set["table"] && f.table == defaultTable {
		if keys := fileKeys(d, o.Col); len(keys) > 0 {
			o.Ignore = joinKeys(o.Ignore, keys)
			fmt.Fprintf(warn, "benchreport: the files differ in %s; comparing them anyway (give -table to keep files apart)\n",
				strings.Join(keys, ", "))
		}
	}
	return o
}

func joinKeys(ignore string, keys []string) string {
	if ignore == "" {
		return strings.Join(keys, ",")
	}
	return ignore + "," + strings.Join(keys, ",")
}

// renderOptions returns the render options for the flags.
func (f *reportFlags) renderOptions(d *dataset) render.Options {
	o := render.Options{
		Benchstat: f.exact, Alpha: f.alpha, Confidence: f.confidence,
		Kind: contestantKinds(), Provenance: provenance(d),
		Width: f.width,
	}
	for _, in := range d.inputs {
		o.Inputs = append(o.Inputs, in.name)
	}
	return o
}

// errNoMatch is the start of build's error when no result is left.
var errNoMatch = errors.New("no results match")

// build builds the report the flags ask for. Errors name the flag.
func (f *reportFlags) build(d *dataset, warn io.Writer) (*benchtab.Report, error) {
	r, err := benchtab.Build(d.results, d.units, f.options(d, warn))
	var oe *benchtab.OptionError
	if errors.As(err, &oe) {
		return nil, fmt.Errorf("-%s: %w", strings.ToLower(oe.Option), oe.Err)
	}
	if errors.Is(err, benchtab.ErrNoResults) {
		return nil, fmt.Errorf("%w -filter %q and the projections; the input has %s",
			errNoMatch, f.filter, benchtab.Describe(d.results))
	}
	if err != nil {
		return nil, err
	}
	for _, w := range r.Warnings {
		fmt.Fprintln(warn, w)
	}
	if f.base != autoBase && !r.HasCol(f.base) {
		return nil, fmt.Errorf("-base %s: no table has a column %q; columns are %s",
			f.base, f.base, strings.Join(r.ColLabels(), ", "))
	}
	return r, nil
}

// summaryUnits are the units of the default summary: time, and the
// instruction counts that decide performance where a results file has them.
const summaryUnits = ".unit:(sec/op OR instructions/op)"

// writeSummary writes the default text report: render.Summary of one
// table per workload and unit, a column per strategy, of the results in
// sec/op and instructions/op. It reports false, writing nothing, where
// there are no such results: the caller prints the tables instead.
func (f *reportFlags) writeSummary(w io.Writer, d *dataset, warn io.Writer) (bool, error) {
	s := *f
	s.table, s.row, s.col = ".name", defaultRow, defaultCol
	s.filter = summaryUnits
	if f.filter != "*" && f.filter != "" {
		s.filter = "(" + f.filter + ") " + summaryUnits
	}
	r, err := s.build(d, warn)
	if errors.Is(err, errNoMatch) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, render.Summary(w, r, f.renderOptions(d))
}
