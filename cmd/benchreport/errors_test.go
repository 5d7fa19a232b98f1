package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// badInputs are runs that must fail with a clear message, never a panic.
var badInputs = []struct {
	args string
	want string // in the error message
}{
	{"missing.txt", "open missing.txt: no such file or directory"},
	{"bad", "bad is a directory, not a results file"},
	{"bad/empty.txt", "bad/empty.txt: no benchmark results"},
	{"bad/syntax.txt", "bad/syntax.txt:5: parsing iteration count: invalid syntax\nbad/syntax.txt:6: parsing measurement: invalid syntax\nbad/syntax.txt:7: missing units"},
	{"x= suite.txt", `"x=": empty file name`},
	{"-nosuchflag suite.txt", "flag provided but not defined: -nosuchflag"},
	{"-alpha abc suite.txt", `invalid value "abc" for flag -alpha`},
	{"-alpha 2 suite.txt", "-alpha must be in [0, 1]"},
	{"-confidence -0.5 suite.txt", "-confidence must be in [0, 1]"},
	{"-format pdf suite.txt", `-format must be text, markdown, csv or html, not "pdf"`},
	{"-col /stratgy suite.txt", "-col: no result has the key /stratgy; the input has benchmarks Get, Set, Scope, Depth, Bindings, Parallel, Live, Memory with keys /bindings, /depth, /live, /par, /reads, /strategy"},
	{"-table goo suite.txt", "-table: no result has the key goo"},
	{"-col .nosuch suite.txt", "-col: no result has the key .nosuch"},
	{"-row /depth@(1 suite.txt", "-row: "},
	{"-filter ( suite.txt", "-filter: "},
	{"-filter .name:Nope suite.txt", `no results match -filter ".name:Nope" and the projections; the input has benchmarks Get, Set`},
	{"-base nosuch suite.txt", "-base nosuch: no table has a column \"nosuch\"; columns are param, goid"},
	{"-base mapid -benchstat suite.txt", "-base and -benchstat conflict"},
	{"-base= suite.txt", "-base must name a column, or be auto"},
	{"-o nosuchdir/out.txt suite.txt", "writing nosuchdir/out.txt: no such file or directory"},
	{"choose -depth 10 edge.txt", "-depth needs BenchmarkDepth, which the results do not have; they have benchmarks Get, Memory, Scope, Zero"},
	{"choose -goroutines -1 suite.txt", "-goroutines must be at least 1, not -1"},
	{"choose -alpha 7 suite.txt", "-alpha must be in [0, 1]"},
	{"choose -no-leak old.txt", "no strategy meets every need"},
	{"choose -filter x suite.txt", "flag provided but not defined: -filter"},
	{"choose bad/empty.txt", "bad/empty.txt: no benchmark results"},
	{"run extra", `run takes no arguments, got ["extra"]`},
	{"run -count 0", "-count must be at least 1, not 0"},
	{"run -bench ( ", "-bench: error parsing regexp"},
}

func TestBadInput(t *testing.T) {
	for _, c := range badInputs {
		t.Run(c.args, func(t *testing.T) {
			args, err := parseArgs(c.args)
			if err != nil {
				t.Fatal(err)
			}
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("benchreport %s panicked: %v", c.args, p)
				}
			}()
			_, _, err = inTestdata(t, args...)
			if err == nil {
				t.Fatalf("benchreport %s succeeded; want an error containing %q", c.args, c.want)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("benchreport %s: error %q; want it to contain %q", c.args, err, c.want)
			}
			t.Logf("benchreport: %v", err)
		})
	}
}

// TestTooLongLine checks that a line longer than the reader's buffer is an
// error, not a silent truncation.
func TestTooLongLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "long.txt")
	data := "BenchmarkGet/strategy=mapid-2 1 1 ns/op\n" + strings.Repeat("x", 1<<20) + "\n"
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	err := run(&out, &errb, []string{path})
	if err == nil || !strings.Contains(err.Error(), "token too long") {
		t.Errorf("benchreport on a 1 MiB line: %v; want a token too long error", err)
	}
}

// TestExitStatus runs the real main: status 1 and one "benchreport: "
// line on bad input, 0 on success and on -h.
func TestExitStatus(t *testing.T) {
	for _, c := range []struct {
		args   []string
		status int
		stderr string
	}{
		{[]string{"testdata/missing.txt"}, 1, "benchreport: open testdata/missing.txt: no such file or directory\n"},
		{[]string{"-nosuchflag"}, 1, "benchreport: flag provided but not defined: -nosuchflag (run benchreport -h for usage)\n"},
		{[]string{"-filter", ".name:Get", "testdata/suite.txt"}, 0, ""},
		{[]string{"-h"}, 0, "Usage: benchreport [flags] [files...]"},
		{[]string{"choose", "-h"}, 0, "Usage: benchreport choose [flags] [files...]"},
		{[]string{"run", "-h"}, 0, "Usage: benchreport run [flags]"},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			cmd := exec.Command(os.Args[0], c.args...)
			cmd.Env = append(os.Environ(), "BENCHREPORT_TEST_MAIN=1")
			var errb bytes.Buffer
			cmd.Stderr = &errb
			err := cmd.Run()
			status := 0
			var exit *exec.ExitError
			if errors.As(err, &exit) {
				status = exit.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if status != c.status {
				t.Errorf("exit status %d; want %d (stderr: %s)", status, c.status, errb.String())
			}
			if c.stderr == "" && errb.Len() > 0 || !strings.HasPrefix(errb.String(), c.stderr) {
				t.Errorf("stderr %q; want it to start with %q", errb.String(), c.stderr)
			}
		})
	}
}
