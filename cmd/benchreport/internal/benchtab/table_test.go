package benchtab

import (
	"math"
	"os"
	"strings"
	"testing"

	"golang.org/x/perf/benchfmt"
)

// read reads a results file of cmd/benchreport's testdata.
func read(t *testing.T, name string) ([]*benchfmt.Result, benchfmt.UnitMetadataMap) {
	t.Helper()
	f, err := os.Open("../../testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []*benchfmt.Result
	r := benchfmt.NewReader(f, name)
	for r.Scan() {
		if res, ok := r.Result().(*benchfmt.Result); ok {
			out = append(out, res.Clone())
		}
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	return out, r.Units()
}

// suiteOptions are benchreport's defaults.
func suiteOptions() Options {
	return Options{
		Table: ".config,.name", Row: ".fullname", Col: "/strategy", Ignore: "workload",
		Alpha: 0.05, Confidence: 0.95, Base: []string{"param", "mapid"},
	}
}

func build(t *testing.T, name string, o Options) *Report {
	t.Helper()
	res, units := read(t, name)
	r, err := Build(res, units, o)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func findTable(t *testing.T, r *Report, workload string) *Table {
	t.Helper()
	for _, tab := range r.Tables {
		if tab.Workload() == workload {
			return tab
		}
	}
	t.Fatalf("no table for %s", workload)
	return nil
}

func TestBaseAuto(t *testing.T) {
	o := suiteOptions()
	o.Filter = ".unit:sec/op"
	r := build(t, "suite.txt", o)
	for _, c := range []struct{ workload, base string }{
		{"Get", "param"},   // measured: the floor
		{"Depth", "param"}, // measured: the floor
		{"Set", "mapid"},   // no param: mapid, moved before withvalue and mutexmap
		{"Scope", "mapid"},
	} {
		if got := ColLabel(findTable(t, r, c.workload).Cols[0]); got != c.base {
			t.Errorf("%s: baseline %s; want %s", c.workload, got, c.base)
		}
	}
}

func TestBaseNamed(t *testing.T) {
	o := suiteOptions()
	o.Filter = ".unit:sec/op"
	o.Base = []string{"ctxvalue"}
	r := build(t, "suite.txt", o)
	for _, tab := range r.Tables {
		if got := ColLabel(tab.Cols[0]); got != "ctxvalue" {
			t.Errorf("%s: baseline %s; want ctxvalue", tab.Workload(), got)
		}
		if c, _ := tab.Cell(tab.Rows[0], tab.Cols[0]); c.Baseline != nil {
			t.Errorf("%s: the baseline cell has a baseline", tab.Workload())
		}
	}
}

func TestRatio(t *testing.T) {
	o := suiteOptions()
	o.Filter = ".name:Get .unit:sec/op"
	tab := findTable(t, build(t, "suite.txt", o), "Get")
	for _, col := range tab.Cols[1:] {
		c, _ := tab.Cell(tab.Rows[0], col)
		got, ok := c.Ratio()
		want := c.Summary.Center / c.Baseline.Summary.Center
		if !ok || got != want {
			t.Errorf("%s: ratio %v, %v; want %v", ColLabel(col), got, ok, want)
		}
	}
}

func TestGeomean(t *testing.T) {
	for _, c := range []struct {
		in   []float64
		want float64
	}{
		{[]float64{2, 8}, 4},
		{[]float64{5}, 5},
		{nil, math.NaN()},
		{[]float64{1, 0}, math.NaN()},
	} {
		got := Geomean(c.in)
		if !(got == c.want || math.IsNaN(got) && math.IsNaN(c.want)) && math.Abs(got-c.want) > 1e-12 {
			t.Errorf("Geomean(%v) = %v; want %v", c.in, got, c.want)
		}
	}
}

func TestParseNum(t *testing.T) {
	for _, c := range []struct {
		in   string
		want float64
		ok   bool
	}{
		{"64", 64, true},
		{"1.5", 1.5, true},
		{"4k", 4000, true},
		{"1Mi", 1 << 20, true},
		{"", 0, false},
		{"mapid", 0, false},
		{"NaN", 0, false},
	} {
		got, err := ParseNum(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("ParseNum(%q) = %v, %v; want %v, ok=%v", c.in, got, err, c.want, c.ok)
		}
	}
}

func TestNameParts(t *testing.T) {
	got := NameParts(benchfmt.Name("Parallel/strategy=mapid/reads=90/par=64-2"))
	want := map[string]string{"strategy": "mapid", "reads": "90", "par": "64", "gomaxprocs": "2"}
	if len(got) != len(want) {
		t.Fatalf("NameParts = %v; want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("NameParts[%q] = %q; want %q", k, got[k], v)
		}
	}
}

// parse reads results from text.
func parse(t *testing.T, text string) ([]*benchfmt.Result, benchfmt.UnitMetadataMap) {
	t.Helper()
	var out []*benchfmt.Result
	r := benchfmt.NewReader(strings.NewReader(text), "x.txt")
	for r.Scan() {
		switch res := r.Result().(type) {
		case *benchfmt.Result:
			out = append(out, res.Clone())
		case *benchfmt.SyntaxError:
			t.Fatal(res)
		}
	}
	return out, r.Units()
}

func rowLabels(t *Table) []string {
	var out []string
	for _, r := range t.Rows {
		out = append(out, t.RowLabel(r))
	}
	return out
}

// TestRowOrder checks that a table's rows are in the order the table
// first saw them, not in the order the whole input first saw each
// .fullname: an earlier workload that measured live=100000 but not
// live=10000 must not put 100000 before 10000 in a later one.
func TestRowOrder(t *testing.T) {
	res, units := parse(t, `
BenchmarkLive/strategy=mapid/live=1000-2 1 1 ns/op
BenchmarkLive/strategy=mapid/live=100000-2 1 3 ns/op
BenchmarkSweep/strategy=mapid/live=1000-2 1 1 ns/op
BenchmarkSweep/strategy=mapid/live=10000-2 1 2 ns/op
BenchmarkSweep/strategy=mapid/live=100000-2 1 3 ns/op
`)
	o := suiteOptions()
	r, err := Build(res, units, o)
	if err != nil {
		t.Fatal(err)
	}
	want := "live=1000-2 live=10000-2 live=100000-2"
	if got := strings.Join(rowLabels(findTable(t, r, "Sweep")), " "); got != want {
		t.Errorf("Sweep rows %s; want %s: rows keep the order of the table's own results", got, want)
	}
	o.Exact = true
	if r, err = Build(res, units, o); err != nil {
		t.Fatal(err)
	}
	want = "*/live=1000-2 */live=100000-2 */live=10000-2"
	if got := strings.Join(rowLabels(findTable(t, r, "Sweep")), " "); got != want {
		t.Errorf("Exact: Sweep rows %s; want benchstat's %s", got, want)
	}
}

// TestEveryRowHasBase checks that the automatic baseline is measured on
// every row where a preferred column is: param measured only reads=100
// rows, so mapid, measured on all, is the baseline.
func TestEveryRowHasBase(t *testing.T) {
	res, units := parse(t, `
BenchmarkParallel/strategy=param/reads=100-2 1 1 ns/op
BenchmarkParallel/strategy=mapid/reads=100-2 1 20 ns/op
BenchmarkParallel/strategy=mapid/reads=90-2 1 30 ns/op
BenchmarkParallel/strategy=gls/reads=100-2 1 900 ns/op
BenchmarkParallel/strategy=gls/reads=90-2 1 990 ns/op
`)
	r, err := Build(res, units, suiteOptions())
	if err != nil {
		t.Fatal(err)
	}
	tab := findTable(t, r, "Parallel")
	if got := ColLabel(tab.Cols[0]); got != "mapid" {
		t.Errorf("baseline %s; want mapid, the preferred column measured on every row", got)
	}
	for _, row := range tab.Rows {
		if _, ok := tab.Cell(row, tab.Cols[0]); !ok {
			t.Errorf("row %s has no baseline cell: every row must have a base it is compared with", tab.RowLabel(row))
		}
	}
}

// TestRowLabelsDistinct checks that dropping the "*" never gives two rows
// one label: BenchmarkParse-8 and BenchmarkParse/Parse-8 would both be
// "Parse-8".
func TestRowLabelsDistinct(t *testing.T) {
	res, units := parse(t, `
BenchmarkParse-8 1 1 ns/op
BenchmarkParse/Parse-8 1 2 ns/op
BenchmarkGet/depth=1-8 1 2 ns/op
`)
	o := suiteOptions()
	o.Col = ".file"
	r, err := Build(res, units, o)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(rowLabels(findTable(t, r, "Parse")), " "), "*-8 */Parse-8"; got != want {
		t.Errorf("Parse rows %q; want %q: labels that would collide stay benchstat's", got, want)
	}
	if got, want := strings.Join(rowLabels(findTable(t, r, "Get")), " "), "depth=1-8"; got != want {
		t.Errorf("Get rows %q; want %q", got, want)
	}
}
