package render

import (
	"math"
	"os"
	"testing"

	"golang.org/x/perf/benchfmt"

	"github.com/localbench/localbench/cmd/benchreport/internal/benchtab"
)

// suiteReport builds the report of cmd/benchreport's testdata/suite.txt
// with benchreport's defaults and filter.
func suiteReport(t *testing.T, filter string) *benchtab.Report {
	t.Helper()
	return buildFile(t, "../../testdata/suite.txt", benchtab.Options{
		Table: ".config,.name", Row: ".fullname", Col: "/strategy", Ignore: "workload", Filter: filter,
		Alpha: 0.05, Confidence: 0.95, Base: []string{"param", "mapid"},
	})
}

func buildFile(t *testing.T, path string, o benchtab.Options) *benchtab.Report {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var res []*benchfmt.Result
	r := benchfmt.NewReader(f, path)
	for r.Scan() {
		if x, ok := r.Result().(*benchfmt.Result); ok {
			res = append(res, x.Clone())
		}
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	rep, err := benchtab.Build(res, r.Units(), o)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func findTable(t *testing.T, r *benchtab.Report, workload string) *benchtab.Table {
	t.Helper()
	for _, tab := range r.Tables {
		if tab.Workload() == workload {
			return tab
		}
	}
	t.Fatalf("no table for %s", workload)
	return nil
}

func TestRatio(t *testing.T) {
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
		if got := Ratio(c.r, c.ok); got != c.want {
			t.Errorf("Ratio(%v, %v) = %q; want %q", c.r, c.ok, got, c.want)
		}
	}
}
