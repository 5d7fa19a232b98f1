package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"golang.org/x/perf/benchmath"
	"golang.org/x/perf/benchproc"
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
// mapid, the simplest strategy.
var autoBases = []string{"param", "mapid"}

// reportFlags are the flags that shape a report; benchstat's keep
// benchstat's meaning.
type reportFlags struct {
	table, row, col, ignore, filter string
	alpha, confidence               float64
	format                          string
	base                            string
	exact                           bool
	out                             string
}

// newReportFlagSet returns benchreport's flag set, which sets f.
func newReportFlagSet(f *reportFlags) *flag.FlagSet {
	fs := flag.NewFlagSet("benchreport", flag.ContinueOnError)
	f.register(fs)
	return fs
}

func (f *reportFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.table, "table", defaultTable, "split results into tables by distinct values of `projection` (benchstat's default is .config)")
	fs.StringVar(&f.row, "row", defaultRow, "split results into rows by distinct values of `projection`")
	fs.StringVar(&f.col, "col", defaultCol, "split results into columns by distinct values of `projection` (benchstat's default is .file)")
	fs.StringVar(&f.ignore, "ignore", defaultIgnore, "ignore variations in `keys` (benchstat's default is none)")
	fs.StringVar(&f.filter, "filter", "*", "use only benchmarks matching benchfilter `query`")
	fs.Float64Var(&f.alpha, "alpha", benchmath.DefaultThresholds.CompareAlpha, "consider change significant if p < `α`")
	fs.Float64Var(&f.confidence, "confidence", 0.95, "confidence `level` for ranges")
	fs.StringVar(&f.format, "format", "text", "print results in `format`: text, markdown, csv or html")
	fs.StringVar(&f.base, "base", autoBase, "compare every column with the column `label`; auto: param where present, else mapid, else the first")
	fs.BoolVar(&f.exact, "benchstat", false, "print what benchstat prints: the first column as baseline, no ratio, benchstat's row labels")
	fs.StringVar(&f.out, "o", "", "write the output to `file`, atomically, instead of standard output")
}

// A query is parsed report flags, ready to build tables.
type query struct {
	flags   reportFlags
	filter  *benchproc.Filter
	tableBy *benchproc.Projection
	rowBy   *benchproc.Projection
	colBy   *benchproc.Projection
	residue *benchproc.Projection
	thresh  benchmath.Thresholds
	render  renderer
	inputs  []input // set by emit, for titles
}

// A renderer writes a report in one format.
type renderer func(w, warn io.Writer, r *report, q *query) error

var formats = map[string]renderer{
	"text":     renderText,
	"markdown": renderMarkdown,
	"csv":      renderCSV,
	"html":     renderHTML,
}

// parse checks the flags and parses the filter and projections.
func (f reportFlags) parse() (*query, error) {
	q := &query{flags: f, thresh: benchmath.DefaultThresholds}
	if f.alpha < 0 || f.alpha > 1 {
		return nil, errors.New("-alpha must be in [0, 1]")
	}
	if f.confidence < 0 || f.confidence > 1 {
		return nil, errors.New("-confidence must be in [0, 1]")
	}
	q.thresh.CompareAlpha = f.alpha
	q.render = formats[f.format]
	if q.render == nil {
		return nil, fmt.Errorf("-format must be text, markdown, csv or html, not %q", f.format)
	}
	if f.base == "" {
		return nil, errors.New("-base must name a column, or be auto")
	}
	if f.exact && f.base != autoBase {
		return nil, errors.New("-base and -benchstat conflict: benchstat compares with the first column")
	}
	var err error
	if q.filter, err = benchproc.NewFilter(f.filter); err != nil {
		return nil, fmt.Errorf("-filter: %w", err)
	}
	var p benchproc.ProjectionParser
	if q.tableBy, _, err = p.ParseWithUnit(f.table, q.filter); err != nil {
		return nil, fmt.Errorf("-table: %w", err)
	}
	if q.rowBy, err = p.Parse(f.row, q.filter); err != nil {
		return nil, fmt.Errorf("-row: %w", err)
	}
	if q.colBy, err = p.Parse(f.col, q.filter); err != nil {
		return nil, fmt.Errorf("-col: %w", err)
	}
	if _, err = p.Parse(f.ignore, q.filter); err != nil {
		return nil, fmt.Errorf("-ignore: %w", err)
	}
	q.residue = p.Residue()
	return q, nil
}

// baseChooser returns the tableOpts.base function for the flags.
func (q *query) baseChooser() func(cols []benchproc.Key) int {
	if q.flags.exact {
		return nil
	}
	want := []string{q.flags.base}
	if q.flags.base == autoBase {
		want = autoBases
	}
	return func(cols []benchproc.Key) int {
		for _, w := range want {
			if i := slices.IndexFunc(cols, func(c benchproc.Key) bool { return colLabel(c) == w }); i >= 0 {
				return i
			}
		}
		return 0
	}
}

// build filters the dataset and builds the report. It fails when nothing
// is left, naming what there is, and when a projection names a key that no
// result has.
func (q *query) build(d *dataset, warn io.Writer) (*report, error) {
	b := newBuilder(q.tableBy, q.rowBy, q.colBy, q.residue)
	n := 0
	for _, res := range d.results {
		res = res.Clone() // Apply may drop values
		ok, err := q.filter.Apply(res)
		if err != nil {
			fmt.Fprintln(warn, err)
		}
		if !ok {
			continue
		}
		b.add(res)
		n++
	}
	if n == 0 {
		return nil, fmt.Errorf("no results match -filter %q and the projections; the input has %s",
			q.flags.filter, describe(d))
	}
	r := b.build(tableOpts{
		confidence: q.flags.confidence,
		thresholds: &q.thresh,
		units:      d.units,
		base:       q.baseChooser(),
	})
	// After build: checkKeys projects every result, filtered out or not,
	// and must not change the order in which build sorts the keys.
	if err := q.checkKeys(d); err != nil {
		return nil, err
	}
	if q.flags.base != autoBase && !q.flags.exact && !r.hasCol(q.flags.base) {
		return nil, fmt.Errorf("-base %s: no table has a column %q; columns are %s",
			q.flags.base, q.flags.base, strings.Join(r.colLabels(), ", "))
	}
	return r, nil
}

// builtinKeys are the projection keys every result has.
var builtinKeys = map[string]bool{".name": true, ".fullname": true, ".file": true, ".unit": true}

// checkKeys fails if a projection names a specific key (a /name key or a
// file configuration key, which is any other word, .nosuch included) that
// no result has: a misspelt -col /stratgy
// would otherwise put every result in one column labelled "".
func (q *query) checkKeys(d *dataset) error {
	for _, p := range []struct {
		flag string
		proj *benchproc.Projection
	}{{"-table", q.tableBy}, {"-row", q.rowBy}, {"-col", q.colBy}} {
		for _, f := range p.proj.Fields() {
			if f.IsTuple || builtinKeys[f.Name] {
				continue
			}
			found := false
			for _, res := range d.results {
				if p.proj.Project(res).Get(f) != "" {
					found = true
					break
				}
			}
			if !found {
				return fmt.Errorf("%s: no result has the key %s; the input has %s", p.flag, f.Name, describe(d))
			}
		}
	}
	return nil
}

// describe summarizes what a dataset holds, for error messages.
func describe(d *dataset) string {
	var names, keys []string
	seenName := make(map[string]bool)
	seenKey := make(map[string]bool)
	for _, res := range d.results {
		if n := string(res.Name.Base()); !seenName[n] {
			seenName[n] = true
			names = append(names, n)
		}
		for k := range nameParts(res.Name) {
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

func (r *report) hasCol(label string) bool {
	return slices.Contains(r.colLabels(), label)
}

// colLabels returns every column label of the report, once each.
func (r *report) colLabels() []string {
	var out []string
	for _, t := range r.tables {
		for _, c := range t.cols {
			if l := colLabel(c); !slices.Contains(out, l) {
				out = append(out, l)
			}
		}
	}
	return out
}
