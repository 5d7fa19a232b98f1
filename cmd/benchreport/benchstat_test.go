package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// benchstatCases are run through both benchstat, at the version go.mod
// pins, and benchreport -benchstat, which must print the same bytes.
// benchstat's output is kept in testdata/benchstat/NAME.stdout (and
// .stderr where it writes warnings): TestBenchstatEqual compares with it,
// TestBenchstatFresh checks that it is still what benchstat prints, and
// -update rewrites it by running benchstat.
var benchstatCases = []struct {
	name string
	args string
}{
	{"suite-defaults", "-table .config -row .fullname -col .file suite.txt"},
	{"suite-strategy", "-table .config,.name -col /strategy suite.txt"},
	{"suite-fixed-order", `-table .config,.name -col "/strategy@(param mapid gls)" -ignore workload suite.txt`},
	{"suite-sweep", "-table .config -filter .name:Depth -col /depth -row /strategy suite.txt"},
	{"oldnew", "-table .config -col .file old.txt new.txt"},
	{"oldnew-name", "-table .config -col .file -row .name old.txt new.txt"},
	{"oldnew-labels", "-table .config -col .file O=old.txt N=new.txt"},
	{"edge", "-table .config -col /strategy edge.txt"},
	{"edge-vary", "-table .config -col /strategy -row .name -alpha 0.001 -confidence 0.5 edge.txt"},
	{"oldnew-csv", "-format csv -table .config -col .file old.txt new.txt"},
	{"suite-csv", "-format csv -table .config,.name -col /strategy -filter .unit:sec/op suite.txt"},
	{"edge-csv", "-format csv -table .config -col /strategy -row .name edge.txt"},
}

func benchstatFile(name, stream string) string {
	return filepath.Join("testdata", "benchstat", name+"."+stream)
}

// TestBenchstatEqual holds benchreport -benchstat to benchstat's output,
// byte for byte: every center, range, delta, "~", p-value, sample count,
// geomean and warning.
func TestBenchstatEqual(t *testing.T) {
	if *update {
		updateBenchstat(t)
	}
	for _, c := range benchstatCases {
		t.Run(c.name, func(t *testing.T) {
			args, err := parseArgs(c.args)
			if err != nil {
				t.Fatal(err)
			}
			stdout, stderr, err := inTestdata(t, append([]string{"-benchstat"}, args...)...)
			if err != nil {
				t.Fatalf("benchreport -benchstat %s: %v", c.args, err)
			}
			t.Chdir("..")
			for _, s := range []struct{ stream, got string }{{"stdout", stdout}, {"stderr", stderr}} {
				want, err := os.ReadFile(benchstatFile(c.name, s.stream))
				if err != nil && !os.IsNotExist(err) {
					t.Fatal(err)
				}
				if diff(t, want, []byte(s.got)) {
					t.Errorf("benchreport -benchstat %s: %s differs from benchstat's", c.args, s.stream)
				}
			}
		})
	}
}

// TestBenchstatFresh runs benchstat itself on every case and checks that
// testdata/benchstat still holds what it prints, so that the comparison in
// TestBenchstatEqual cannot go stale when go.mod moves x/perf.
func TestBenchstatFresh(t *testing.T) {
	if testing.Short() {
		t.Skip("builds benchstat")
	}
	bin := buildBenchstat(t)
	for _, c := range benchstatCases {
		t.Run(c.name, func(t *testing.T) {
			stdout, stderr := runBenchstat(t, bin, c.args)
			for _, s := range []struct {
				stream string
				got    []byte
			}{{"stdout", stdout}, {"stderr", stderr}} {
				want, err := os.ReadFile(benchstatFile(c.name, s.stream))
				if err != nil && !os.IsNotExist(err) {
					t.Fatal(err)
				}
				if diff(t, want, s.got) {
					t.Errorf("benchstat %s: %s differs from %s; run go test -update", c.args, s.stream, benchstatFile(c.name, s.stream))
				}
			}
		})
	}
}

func updateBenchstat(t *testing.T) {
	bin := buildBenchstat(t)
	for _, c := range benchstatCases {
		stdout, stderr := runBenchstat(t, bin, c.args)
		for _, s := range []struct {
			stream string
			data   []byte
		}{{"stdout", stdout}, {"stderr", stderr}} {
			path := benchstatFile(c.name, s.stream)
			if len(s.data) == 0 {
				os.Remove(path)
				continue
			}
			if err := os.WriteFile(path, s.data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// buildBenchstat builds golang.org/x/perf/cmd/benchstat at the version in
// go.mod.
func buildBenchstat(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "benchstat")
	cmd := exec.Command("go", "build", "-o", bin, "golang.org/x/perf/cmd/benchstat")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build golang.org/x/perf/cmd/benchstat: %v\n%s", err, out)
	}
	return bin
}

func runBenchstat(t *testing.T, bin, argString string) (stdout, stderr []byte) {
	t.Helper()
	args, err := parseArgs(argString)
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Dir = "testdata"
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("benchstat %s: %v\n%s", argString, err, errb.Bytes())
	}
	return out.Bytes(), errb.Bytes()
}

// TestCellsMatchBenchstat checks that benchreport's own layout changes no
// cell of benchstat's. With benchreport's defaults (one table per workload,
// param or else mapid as the baseline, ratio columns, rows without the
// "*" for the table's name), every cell of its CSV (center, range, delta,
// p and n), found by table, row and column, must equal benchstat's for the
// same projections with the columns in an order that puts the same
// baseline first.
func TestCellsMatchBenchstat(t *testing.T) {
	for _, c := range []struct{ ours, theirs []string }{
		{
			[]string{"-format", "csv", "-filter", ".name:(Get OR Depth)", "suite.txt"},
			// param first where measured; Set and Scope, which lack
			// it, have mapid first in a separate run below.
			[]string{"-format", "csv", "-table", ".config,.name", "-ignore", "workload", "-col",
				"/strategy@(param goid withvalue mutexmap rawgls mapid shardedmap ctxvalue gls routine rawroutine syncmap)",
				"-filter", ".name:(Get OR Depth)", "suite.txt"},
		},
		{
			[]string{"-format", "csv", "-filter", ".name:(Set OR Scope OR Live)", "suite.txt"},
			[]string{"-format", "csv", "-table", ".config,.name", "-ignore", "workload", "-col",
				"/strategy@(mapid goid withvalue mutexmap rawgls shardedmap ctxvalue gls routine rawroutine syncmap)",
				"-filter", ".name:(Set OR Scope OR Live)", "suite.txt"},
		},
		{
			[]string{"-format", "csv", "-col", ".file", "old.txt", "new.txt"},
			[]string{"-format", "csv", "-table", ".config,.name", "-ignore", "workload", "-col", ".file", "old.txt", "new.txt"},
		},
		{
			// param was measured on Get only: mapid, on every row, is
			// the baseline.
			[]string{"-format", "csv", "-table", ".config", "-col", "/strategy", "edge.txt"},
			[]string{"-format", "csv", "-table", ".config", "-col", "/strategy@(mapid param ctxvalue gls)", "edge.txt"},
		},
	} {
		t.Run(strings.Join(c.ours, " "), func(t *testing.T) {
			ours, _, err := inTestdata(t, c.ours...)
			if err != nil {
				t.Fatal(err)
			}
			t.Chdir("..")
			theirs, _, err := inTestdata(t, append([]string{"-benchstat"}, c.theirs...)...)
			if err != nil {
				t.Fatal(err)
			}
			got := csvCells(csvRecords(t, ours))
			want := csvCells(shortenLabels(csvRecords(t, theirs)))
			if len(want) == 0 {
				t.Fatalf("no cells in -benchstat's output:\n%s", theirs)
			}
			for k, w := range want {
				if g, ok := got[k]; !ok {
					t.Errorf("%s: missing; -benchstat has %q", k, w)
				} else if g != w {
					t.Errorf("%s: %q; -benchstat has %q", k, g, w)
				}
			}
			for k := range got {
				if _, ok := want[k]; !ok {
					t.Errorf("%s: not in -benchstat's output", k)
				}
			}
		})
	}
}

// csvCells indexes the cells of benchstat-style CSV by table, row and
// column: "TABLE KEY | unit | row | column" → "center range delta p/n".
// The cells after the baseline column's are compared with it, so a cell's
// delta depends on which column is the baseline: that is part of its key.
func csvCells(recs [][]string) map[string]string {
	cells := make(map[string]string)
	var header []string // key lines of the current table
	var starts []int    // first field of each column
	var cols []string
	unit := ""
	for _, rec := range recs {
		switch {
		case len(rec) == 1:
			if rec[0] != "" {
				if len(starts) > 0 { // a new table's key changes
					header, starts = nil, nil
				}
				header = append(header, rec[0])
			}
			starts = nil
		case rec[0] == "" && !slices.Contains(rec, "CI"):
			starts, cols = nil, nil
			for i, f := range rec {
				if f != "" {
					starts = append(starts, i)
					cols = append(cols, f)
				}
			}
		case rec[0] == "":
			unit = rec[1]
		default:
			for i, s := range starts {
				if s >= len(rec) || rec[s] == "" {
					continue
				}
				v := rec[s] + " " + rec[s+1]
				if i > 0 && s+3 < len(rec) {
					v += " " + rec[s+2] + " " + rec[s+3]
				}
				if rec[0] == "geomean" && i > 0 && s+2 < len(rec) {
					v = rec[s] + " " + rec[s+2]
				}
				key := fmt.Sprintf("%s | %s | %s | %s vs %s", strings.Join(header, ", "), unit, rec[0], cols[i], cols[0])
				cells[key] = v
			}
		}
	}
	return cells
}

func csvRecords(t *testing.T, s string) [][]string {
	t.Helper()
	r := csv.NewReader(strings.NewReader(s))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// shortenLabels applies benchreport's row labels to benchstat's: "*/x" is
// "x", and a lone "*" is the table's .name.
func shortenLabels(recs [][]string) [][]string {
	name := ""
	for _, rec := range recs {
		if len(rec) == 1 {
			if n, ok := strings.CutPrefix(rec[0], ".name: "); ok {
				name = n
			}
			continue
		}
		if l, ok := strings.CutPrefix(rec[0], "*"); ok && name != "" {
			if r, ok := strings.CutPrefix(l, "/"); ok {
				rec[0] = r
			} else {
				rec[0] = name + l
			}
		}
	}
	return recs
}
