package main

import (
	"io"
	"os"
	"testing"

	"github.com/localbench/localbench/cmd/benchreport/internal/benchtab"
)

// buildTestReport builds the report of benchreport args, run in testdata.
func buildTestReport(t *testing.T, args ...string) *benchtab.Report {
	t.Helper()
	t.Chdir("testdata")
	var f reportFlags
	fs := newReportFlagSet(&f)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	f.given(fs)
	if err := f.check(); err != nil {
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
	r, err := f.build(d, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	return r
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
