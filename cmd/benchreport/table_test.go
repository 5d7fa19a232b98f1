package main

import (
	"io"
	"math"
	"os"
	"testing"
)

// buildTestReport builds the report of benchreport args, run in testdata.
func buildTestReport(t *testing.T, args ...string) *report {
	t.Helper()
	t.Chdir("testdata")
	var f reportFlags
	fs := newReportFlagSet(&f)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	q, err := f.parse()
	if err != nil {
		t.Fatal(err)
	}
	in, err := inputs(fs.Args(), os.Stdin)
	if err != nil {
		t.Fatal(err)
	}
	d, err := read(in)
	if err != nil {
		t.Fatal(err)
	}
	r, err := q.build(d, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func findTable(t *testing.T, r *report, workload string) *table {
	t.Helper()
	for _, tab := range r.tables {
		if tab.workload() == workload {
			return tab
		}
	}
	t.Fatalf("no table for %s", workload)
	return nil
}

func TestBaseAuto(t *testing.T) {
	r := buildTestReport(t, "-filter", ".unit:sec/op", "suite.txt")
	for _, c := range []struct{ workload, base string }{
		{"Get", "param"},   // measured: the floor
		{"Depth", "param"}, // measured: the floor
		{"Set", "mapid"},   // no param: mapid, moved before withvalue and mutexmap
		{"Scope", "mapid"},
	} {
		if got := colLabel(findTable(t, r, c.workload).cols[0]); got != c.base {
			t.Errorf("%s: baseline %s; want %s", c.workload, got, c.base)
		}
	}
}

func TestBaseNamed(t *testing.T) {
	r := buildTestReport(t, "-base", "ctxvalue", "-filter", ".unit:sec/op", "suite.txt")
	for _, tab := range r.tables {
		if got := colLabel(tab.cols[0]); got != "ctxvalue" {
			t.Errorf("%s: baseline %s; want ctxvalue", tab.workload(), got)
		}
		if c := tab.cells[cellKey{tab.rows[0], tab.cols[0]}]; c.baseline != nil {
			t.Errorf("%s: the baseline cell has a baseline", tab.workload())
		}
	}
}

func TestRatio(t *testing.T) {
	r := buildTestReport(t, "-filter", ".name:Get .unit:sec/op", "suite.txt")
	tab := findTable(t, r, "Get")
	for _, col := range tab.cols[1:] {
		c := tab.cells[cellKey{tab.rows[0], col}]
		got, ok := c.ratio()
		want := c.summary.Center / c.baseline.summary.Center
		if !ok || got != want {
			t.Errorf("%s: ratio %v, %v; want %v", colLabel(col), got, ok, want)
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
		got := geomean(c.in)
		if !(got == c.want || math.IsNaN(got) && math.IsNaN(c.want)) && math.Abs(got-c.want) > 1e-12 {
			t.Errorf("geomean(%v) = %v; want %v", c.in, got, c.want)
		}
	}
}

func TestFormatRatio(t *testing.T) {
	for _, c := range []struct {
		r    float64
		ok   bool
		want string
	}{
		{0.5, true, "0.50×"},
		{1.0234, true, "1.02×"},
		{64.84, true, "64.8×"},
		{1667.2, true, "1667×"},
		{0.0123, true, "0.0123×"},
		{0, true, "0.00×"},
		{1, false, "?"},
		{math.Inf(1), true, "?"},
		{0.00362, true, "0.00362×"},
		{0.0000362, true, "<0.001×"},
		{-0.0094, true, "?"},
	} {
		if got := formatRatio(c.r, c.ok); got != c.want {
			t.Errorf("formatRatio(%v, %v) = %q; want %q", c.r, c.ok, got, c.want)
		}
	}
}
