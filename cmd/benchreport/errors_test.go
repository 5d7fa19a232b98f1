package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// nonfinite is the error for testdata/bad/nonfinite.txt: NaN and ±Inf are
// numbers to benchfmt, but no statistic or chart can use them.
const nonfinite = "bad/nonfinite.txt:3: measurement in ns/op is infinite\n" +
	"bad/nonfinite.txt:5: measurement in ns/op is infinite\n" +
	"bad/nonfinite.txt:6: measurement in B/op is NaN\n" +
	"bad/nonfinite.txt:7: measurement in allocs/op is infinite"

// badInputs are runs that must fail with a clear message, never a panic.
var badInputs = []struct {
	args string
	want string // in the error message
}{
	{"missing.txt", "open missing.txt: no such file or directory"},
	{"bad", "bad is a directory, not a results file"},
	{"bad/empty.txt", "bad/empty.txt: no benchmark results"},
	{"bad/allsyntax.txt", "bad/allsyntax.txt:3: parsing iteration count: invalid syntax\nbad/allsyntax.txt:4: missing units\nbad/allsyntax.txt: no benchmark results"},
	{"bad/nonfinite.txt", nonfinite},
	{"-format html bad/nonfinite.txt", nonfinite},
	{"choose bad/nonfinite.txt", nonfinite},
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

// TestTooLongLine checks that a line too long for benchfmt's reader (a
// bufio.Scanner with its default 64 KiB limit) is an error at file:line,
// not a silent truncation, and that the lines before it are counted right.
func TestTooLongLine(t *testing.T) {
	const (
		bench = "BenchmarkGet/strategy=mapid-2 1 1 ns/op\n"
		max   = 64<<10 - 1 // the longest line that fits, without its newline
	)
	long := strings.Repeat("x", max+1)
	for _, c := range []struct {
		name, data string
		want       string // read's error; "" for none
		why        string
	}{
		{"first", "BenchmarkA/strategy=mapid-2 10 5 ns/op " + strings.Repeat("x", 70000) + "\n", "long.txt:1: line longer than 64 KiB",
			"a long first line is line 1, not line 0"},
		{"third", "goos: linux\n" + bench + long + "\n" + bench, "long.txt:3: line longer than 64 KiB",
			"the lines before the long one are counted"},
		{"no newline", bench + bench + long, "long.txt:3: line longer than 64 KiB",
			"a long last line without a newline is still too long"},
		{"1 MiB", bench + strings.Repeat("x", 1<<20) + "\n", "long.txt:2: line longer than 64 KiB",
			"a line far over the limit is reported once"},
		{"fits", bench + strings.Repeat("x", max) + "\n" + bench, "",
			"a line of 64 KiB less one byte, with its newline, fits"},
		{"after one that fits", bench + strings.Repeat("x", max) + "\n" + bench + long + "\n", "long.txt:4: line longer than 64 KiB",
			"a line that just fits counts as one line"},
		{"after a syntax error", "BenchmarkGet/strategy=mapid-2 x 1 ns/op\n" + long, "long.txt:2: line longer than 64 KiB",
			"a long line is an error, and the syntax error before it a warning, as in benchstat"},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := []input{{label: "long.txt", name: "long.txt", open: func() (io.ReadCloser, error) {
				return io.NopCloser(strings.NewReader(c.data)), nil
			}}}
			_, err := read(in)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != c.want {
				t.Errorf("read = %q; want %q: %s", got, c.want, c.why)
			}
		})
	}

	t.Run("stdin", func(t *testing.T) {
		in, err := inputs([]string{"-"}, strings.NewReader(bench+bench+long))
		if err != nil {
			t.Fatal(err)
		}
		_, err = read(in)
		if want := "<stdin>:3: line longer than 64 KiB"; err == nil || err.Error() != want {
			t.Errorf("read = %v; want %q: standard input, which cannot be read twice, is counted as it is read", err, want)
		}
	})

	t.Run("main", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "long.txt")
		if err := os.WriteFile(path, []byte(bench+bench+long+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		status, _, stderr := runMain(t, path)
		if want := "benchreport: " + path + ":3: line longer than 64 KiB\n"; status != 1 || stderr != want {
			t.Errorf("benchreport on a long line: exit status %d, stderr %q; want 1, %q: a long line is bad input", status, stderr, want)
		}
	})
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
		{[]string{"chose"}, 1, "benchreport: unknown command \"chose\": the commands are run and choose"},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			status, _, stderr := runMain(t, c.args...)
			if status != c.status {
				t.Errorf("exit status %d; want %d (stderr: %s)", status, c.status, stderr)
			}
			if c.stderr == "" && stderr != "" || !strings.HasPrefix(stderr, c.stderr) {
				t.Errorf("stderr %q; want it to start with %q", stderr, c.stderr)
			}
		})
	}
}

// TestHelp checks that -h prints the usage to standard output, which the
// user asked for, exits 0 and writes nothing to standard error.
func TestHelp(t *testing.T) {
	for _, c := range []struct {
		args  []string
		usage string
	}{
		{[]string{"-h"}, "Usage: benchreport [flags] [files...]"},
		{[]string{"choose", "-h"}, "Usage: benchreport choose [flags] [files...]"},
		{[]string{"run", "-h"}, "Usage: benchreport run [flags]"},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			status, stdout, stderr := runMain(t, c.args...)
			if status != 0 || stderr != "" || !strings.HasPrefix(stdout, c.usage) {
				t.Errorf("exit status %d, stdout %.40q…, stderr %q; want 0, the usage, nothing: -h asks for the usage", status, stdout, stderr)
			}
		})
	}
}

// runMain runs the real main, as the test binary stands in for benchreport,
// with args, and returns its exit status, standard output and standard error.
func runMain(t *testing.T, args ...string) (status int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "BENCHREPORT_TEST_MAIN=1")
	var outb, errb bytes.Buffer
	cmd.Stdout = &outb
	cmd.Stderr = &errb
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		status = exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return status, outb.String(), errb.String()
}
