package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/localbench/localbench/cmd/benchreport/internal/benchtab"
	"github.com/localbench/localbench/results"
)

// TestCompareShippedFiles runs the documented two-run comparison on two
// shipped results files, whose commit: lines differ: every table must
// compare the two files (where both measured the workload: a newer file
// may have workloads the older lacks), and stderr must say what was set
// aside.
func TestCompareShippedFiles(t *testing.T) {
	names := results.Names()
	if len(names) < 2 {
		t.Skip("fewer than two shipped results files")
	}
	dir := t.TempDir()
	var args []string
	var files [][]byte
	for _, n := range names[len(names)-2:] {
		data, err := results.FS.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, data)
		p := filepath.Join(dir, n)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, p)
	}
	var out, errb bytes.Buffer
	if err := run(&out, &errb, append([]string{"-col", ".file", "-filter", ".unit:sec/op"}, args...)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "vs base") {
		t.Errorf("no comparison in benchreport -col .file of two shipped files:\n%.2000s", out.String())
	}
	if !strings.Contains(errb.String(), "the files differ in commit") {
		t.Errorf("stderr %q; want it to say the files differ in commit", errb.String())
	}
	var f reportFlags
	fs := newReportFlagSet(&f)
	if err := fs.Parse(append([]string{"-col", ".file", "-filter", ".unit:sec/op"}, args...)); err != nil {
		t.Fatal(err)
	}
	f.given(fs)
	in, _ := inputs(fs.Args(), nil)
	d, err := read(in)
	if err != nil {
		t.Fatal(err)
	}
	r, err := f.build(d, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	inBoth := func(workload string) bool {
		for _, data := range files {
			if !bytes.Contains(data, []byte("\nBenchmark"+workload+"/")) {
				return false
			}
		}
		return true
	}
	compared := 0
	for _, tab := range r.Tables {
		if !inBoth(tab.Workload()) {
			continue
		}
		compared++
		if len(tab.Cols) != 2 {
			t.Errorf("%s %s: %d columns; want the 2 files", tab.Workload(), tab.Unit, len(tab.Cols))
		}
	}
	if compared == 0 {
		t.Error("no workload measured in both files")
	}
}

// TestExplicitOrderWins checks that a column order given with @(…) is
// kept, the first column being the baseline, and that the automatic
// baseline applies when no order is given.
func TestExplicitOrderWins(t *testing.T) {
	r := buildTestReport(t, "-filter", ".name:Get .unit:sec/op", "-col", "/strategy@(mapid ctxvalue param)", "suite.txt")
	var got []string
	for _, c := range findTable(t, r, "Get").Cols {
		got = append(got, benchtab.ColLabel(c))
	}
	if want := "mapid ctxvalue param"; strings.Join(got, " ") != want {
		t.Errorf("columns %q; want %q: an explicit order wins over the automatic baseline", got, want)
	}
	t.Chdir("..")
	r = buildTestReport(t, "-filter", ".name:Get .unit:sec/op", "-col", "/strategy", "suite.txt")
	if got := benchtab.ColLabel(findTable(t, r, "Get").Cols[0]); got != "param" {
		t.Errorf("-col /strategy: baseline %s; want param", got)
	}
}

// TestForeignWorkload checks that the default -ignore workload does not
// merge the results of a file whose workload: lines are its own into one
// cell: it is not applied, and stderr says so.
func TestForeignWorkload(t *testing.T) {
	stdout, stderr, err := inTestdata(t, "-full", "foreign.txt")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr, "not ignoring workload") {
		t.Errorf("stderr %q; want a warning that -ignore workload was not applied", stderr)
	}
	if strings.Contains(stdout, "benchmarks vary") || strings.Count(stdout, "Get-2") != 2 {
		t.Errorf("output:\n%s\nwant the two workloads apart, one table each", stdout)
	}
}

// TestWarnAndGoOn checks that what benchstat warns about and skips is
// skipped with benchstat's warning: a truncated last line, an empty file
// beside good ones, a Unit line that conflicts with an earlier one.
func TestWarnAndGoOn(t *testing.T) {
	for _, c := range []struct {
		name, text string
		warning    string
	}{
		{"truncated", "BenchmarkGet/strategy=mapid-2 1 25 ns/op\nBenchmarkGet/strategy=mapid-2 1 26 ns/op\nBenchmarkGet/strategy=mapid-2 1", "x.txt:3: missing measurements"},
		{"unit conflict", "Unit ns/op assume=exact\nUnit ns/op assume=nope\nBenchmarkGet/strategy=mapid-2 1 25 ns/op\n", "x.txt:2: metadata assume of unit ns/op already set to exact"},
		{"empty beside good", "", "empty.txt: no benchmark results"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			args := []string{"-full"}
			if c.text != "" {
				if err := os.WriteFile(filepath.Join(dir, "x.txt"), []byte(c.text), 0o644); err != nil {
					t.Fatal(err)
				}
				args = append(args, "x.txt")
			} else {
				if err := os.WriteFile(filepath.Join(dir, "empty.txt"), []byte("goos: linux\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, "good.txt"), []byte("BenchmarkGet/strategy=mapid-2 1 25 ns/op\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				args = append(args, "good.txt", "empty.txt")
			}
			t.Chdir(dir)
			var out, errb bytes.Buffer
			if err := run(&out, &errb, args); err != nil {
				t.Fatalf("benchreport %s: %v; want a report and a warning", c.name, err)
			}
			if !strings.Contains(errb.String(), c.warning) {
				t.Errorf("stderr %q; want %q", errb.String(), c.warning)
			}
			if !strings.Contains(out.String(), "Get") {
				t.Errorf("no report:\n%s", out.String())
			}
		})
	}
}

// TestShippedTables checks benchreport's default tables on the newest
// shipped results: every row of every table has a baseline cell (the
// Parallel reads=90 rows once had none: param measured only reads=100),
// and sweep rows are in the order measured (Sweep once printed 1000,
// 100000, 10000).
func TestShippedTables(t *testing.T) {
	var f reportFlags
	fs := newReportFlagSet(&f)
	if err := fs.Parse([]string{"-full"}); err != nil {
		t.Fatal(err)
	}
	f.given(fs)
	in, err := inputs(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	d, err := read(in)
	if err != nil {
		t.Fatal(err)
	}
	r, err := f.build(d, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tab := range r.Tables {
		if len(tab.Cols) < 2 {
			continue
		}
		for _, row := range tab.Rows {
			if _, ok := tab.Cell(row, tab.Cols[0]); !ok {
				t.Errorf("%s %s: row %s has no %s cell to compare with", tab.Workload(), tab.Unit, tab.RowLabel(row), benchtab.ColLabel(tab.Cols[0]))
			}
		}
		prev, key := -1.0, ""
		for _, row := range tab.Rows {
			for _, k := range []string{"live", "depth", "bindings"} {
				v, ok := tab.Names[row][k]
				if !ok {
					continue
				}
				x, err := benchtab.ParseNum(v)
				if err != nil {
					continue
				}
				if k == key && x < prev {
					t.Errorf("%s %s: row %s after %s=%g; want the sweep in increasing order", tab.Workload(), tab.Unit, tab.RowLabel(row), k, prev)
				}
				prev, key = x, k
			}
		}
	}
}
