package runner_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchmath"
	"golang.org/x/perf/benchproc"

	"github.com/localbench/localbench/cmd/benchreport/internal/runner"
)

// TestMain lets the test binary stand in for a benchmark binary and for
// valgrind (RUNNER_FAKE=mode), so that Run can be tested without either.
func TestMain(m *testing.M) {
	if mode := os.Getenv("RUNNER_FAKE"); mode != "" {
		if len(os.Args) > 1 && strings.HasPrefix(os.Args[1], "--") {
			fakeValgrind(os.Args[1:])
		} else {
			fakeBench(mode, os.Args[1:])
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// fakeSubs are the fake benchmark binary's sub-benchmarks, by workload,
// with the instructions per operation fake valgrind counts for them.
var fakeSubs = []struct {
	workload, name string
	perOp          int64
}{
	{"get", "Get/strategy=a", 100},
	{"get", "Get/strategy=b", 20000},
	{"depth", "Depth/strategy=a/depth=64", 7},
	// Every fifth process of seeded counts 300 instructions/op, as a map
	// lookup whose probes depend on the process's hash seed.
	{"depth", "Depth/strategy=seeded/depth=64", 200},
	{"parallel-get", "Parallel/strategy=a/parallelism=1", 50},
}

// fakeBench prints what a benchmark binary prints for the arguments, then
// behaves as mode says: "ok", "hang" (after the first result), "fail".
func fakeBench(mode string, args []string) {
	bench, benchtime := argValue(args, "-test.bench"), argValue(args, "-test.benchtime")
	procs := "-2"
	if os.Getenv("GOMAXPROCS") == "1" {
		procs = ""
	}
	iters := "1000"
	if n, ok := strings.CutSuffix(benchtime, "x"); ok {
		iters = n
	}
	fmt.Println("goos: linux\ngoarch: amd64\npkg: example.com/fake\ncpu: Fake CPU")
	workload := ""
	printed := 0
	for _, s := range fakeSubs {
		if !matchBench(bench, s.name) {
			continue
		}
		if s.workload != workload {
			workload = s.workload
			fmt.Println("workload: " + workload)
		}
		fmt.Printf("Benchmark%s%s\t%s\t%d ns/op\t0 B/op\t0 allocs/op\n", s.name, procs, iters, s.perOp/3)
		printed++
		switch {
		case mode == "hang":
			time.Sleep(time.Hour)
		case mode == "fail" && printed == 2:
			fmt.Println("--- FAIL: Benchmark" + s.name)
			fmt.Println("FAIL")
			os.Exit(1)
		}
	}
	fmt.Println("PASS")
}

// matchBench reports whether -test.bench's pattern selects name, as the
// testing package does: one regexp per /-separated level.
func matchBench(pattern, name string) bool {
	if pattern == "." {
		return true
	}
	pats := strings.Split(pattern, "/")
	parts := strings.Split("Benchmark"+name, "/")
	for i, p := range pats {
		if i >= len(parts) || !regexp.MustCompile(p).MatchString(parts[i]) {
			return false
		}
	}
	return true
}

// fakeValgrind stands in for valgrind --tool=cachegrind: it runs the fake
// benchmark and reports, as cachegrind does on standard error, 5,000,000
// instructions plus the sub-benchmark's perOp for each iteration.
func fakeValgrind(args []string) {
	if args[0] == "--version" {
		fmt.Println("valgrind-fake")
		return
	}
	bench, benchtime := argValue(args, "-test.bench"), argValue(args, "-test.benchtime")
	n, err := strconv.ParseInt(strings.TrimSuffix(benchtime, "x"), 10, 64)
	if err != nil {
		panic(err)
	}
	total := int64(5_000_000)
	for _, s := range fakeSubs {
		if matchBench(bench, s.name) {
			perOp := s.perOp
			if strings.Contains(s.name, "seeded") && nextProcess(s.name)%5 == 0 {
				perOp = 300
			}
			total += n * perOp
		}
	}
	fakeBench("ok", args)
	fmt.Fprintf(os.Stderr, "==42== \n==42== I   refs:      %s\n", commas(total))
}

// nextProcess returns how many fake valgrind processes have counted name,
// this one included, from a file in $RUNNER_FAKE_STATE.
func nextProcess(name string) int {
	path := filepath.Join(os.Getenv("RUNNER_FAKE_STATE"), strings.ReplaceAll(name, "/", "_"))
	data, _ := os.ReadFile(path)
	k, _ := strconv.Atoi(string(data))
	k++
	if err := os.WriteFile(path, []byte(strconv.Itoa(k)), 0o644); err != nil {
		panic(err)
	}
	return k
}

func commas(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func argValue(args []string, name string) string {
	for i, a := range args {
		if a == name && i+1 < len(args) {
			return args[i+1]
		}
	}
	return ""
}

// syncBuffer is a bytes.Buffer safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// fakeOptions returns Options that run the fake binary in mode, writing
// into a new directory.
func fakeOptions(t *testing.T, mode string, progress *syncBuffer) runner.Options {
	t.Helper()
	t.Setenv("RUNNER_FAKE", mode)
	t.Setenv("RUNNER_FAKE_STATE", t.TempDir())
	tick := time.Date(2026, 12, 6, 3, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	return runner.Options{
		Dir:       t.TempDir(),
		Out:       filepath.Join(t.TempDir(), "results.txt"),
		Count:     3,
		Benchtime: "50ms",
		Binary:    os.Args[0],
		Valgrind:  os.Args[0],
		Header:    []string{"go: go1.26.8", "commit: abc", "gomaxprocs: 2", "cpus: 2"},
		Progress:  progress,
		Now: func() time.Time {
			mu.Lock()
			defer mu.Unlock()
			tick = tick.Add(10 * time.Second)
			return tick
		},
	}
}

// dirEntries returns the names of the files in dir.
func dirEntries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestRunTimed(t *testing.T) {
	var progress syncBuffer
	o := fakeOptions(t, "ok", &progress)
	if err := runner.Run(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(o.Out)
	if err != nil {
		t.Fatal(err)
	}
	got := string(data)
	head := "go: go1.26.8\ncommit: abc\ngomaxprocs: 2\ncpus: 2\ncount: 3\nbenchtime: 50ms\ngoos: linux\n"
	if !strings.HasPrefix(got, head) {
		t.Errorf("the file does not start with the provenance lines %q:\n%s", head, got)
	}
	if n, want := strings.Count(got, "\nBenchmark"), 3*len(fakeSubs); n != want {
		t.Errorf("the file has %d result lines; want %d (3 passes):\n%s", n, want, got)
	}
	if strings.Contains(got, runner.ExactUnit) {
		t.Errorf("a run without Exact wrote instruction counts:\n%s", got)
	}
	if names := dirEntries(t, filepath.Dir(o.Out)); len(names) != 1 {
		t.Errorf("the output directory holds %q; want only the results file", names)
	}
	// The time left is known once a pass is made.
	for _, want := range []string{
		`(?m)^benchreport: timed pass 1 of 3: 0 results, \d+s elapsed, time left known after the first pass$`,
		`(?m)^benchreport: timed pass 2 of 3: 0 of 5 results, \S+ elapsed, ~\S+ left$`,
		`(?m)^benchreport: 3 timed passes in \S+$`,
		`(?m)^benchreport: wrote ` + regexp.QuoteMeta(o.Out) + ` in \S+$`,
	} {
		if !regexp.MustCompile(want).MatchString(progress.String()) {
			t.Errorf("progress does not match %s:\n%s", want, progress.String())
		}
	}
}

func TestRunExact(t *testing.T) {
	var progress syncBuffer
	o := fakeOptions(t, "ok", &progress)
	o.Count = 2
	o.Exact = true
	o.ExactSkip = runner.DefaultExactSkip
	o.Jobs = 2
	if err := runner.Run(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(o.Out)
	if err != nil {
		t.Fatal(err)
	}
	got := string(data)
	wantTail := "Unit instructions/op assume=exact better=lower\n" +
		"workload: get\n" +
		"BenchmarkGet/strategy=a-2\t1000000\t100.00 instructions/op\n" +
		"BenchmarkGet/strategy=b-2\t5000\t20000.00 instructions/op\n" +
		"workload: depth\n" +
		"BenchmarkDepth/strategy=a/depth=64-2\t14285715\t7.00 instructions/op\n" +
		"BenchmarkDepth/strategy=seeded/depth=64-2\t500000\t200.00 instructions/op\n"
	if !strings.HasSuffix(got, "PASS\n"+wantTail) {
		t.Errorf("the file does not end with the counts:\n%s\nwant:\n%s", got, wantTail)
	}
	for _, want := range []string{
		"\ninstructions: valgrind-fake --tool=cachegrind --cache-sim=no; env GOGC=off GOMAXPROCS=1 GODEBUG=asyncpreemptoff=1; (I2-I1)/(N2-N1) over the whole process, median of 3 counts (9 where they spread more than 1%);",
		"\ninstructions-spread: largest (max-min)/median 50.020% (Depth/strategy=seeded/depth=64-2: 199.98 to 300.02); 1 of 4 spread more than 1%\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the file lacks %q:\n%s", want, got)
		}
	}
	for _, want := range []string{
		"benchreport: counted 4 sub-benchmarks in",
		"benchreport: Depth/strategy=seeded/depth=64-2: 9 counts from 199.98 to 300.02 instructions/op, median 200.00\n",
	} {
		if !strings.Contains(progress.String(), want) {
			t.Errorf("progress lacks %q:\n%s", want, progress.String())
		}
	}
	checkSameRows(t, data)
}

// checkSameRows checks that every instructions/op result has a sec/op
// result in the same table, row and column, with benchreport's default
// projection and with benchstat -col /strategy.
func checkSameRows(t *testing.T, data []byte) {
	t.Helper()
	for _, proj := range [][3]string{
		{".config,.name", ".fullname", "/strategy"}, // benchreport's defaults
		{".config", ".fullname", "/strategy"},       // benchstat -col /strategy
	} {
		var f benchproc.ProjectionParser
		var ps [3]*benchproc.Projection
		for i, p := range proj {
			var err error
			if ps[i], err = f.Parse(p, nil); err != nil {
				t.Fatal(err)
			}
		}
		cells := make(map[string]map[string]bool) // unit -> table|row|col
		r := benchfmt.NewReader(bytes.NewReader(data), "results.txt")
		for r.Scan() {
			res, ok := r.Result().(*benchfmt.Result)
			if !ok {
				continue
			}
			cell := ps[0].Project(res).String() + " | " + ps[1].Project(res).String() + " | " + ps[2].Project(res).String()
			for _, v := range res.Values {
				if cells[v.Unit] == nil {
					cells[v.Unit] = make(map[string]bool)
				}
				cells[v.Unit][cell] = true
			}
		}
		if err := r.Err(); err != nil {
			t.Fatal(err)
		}
		if len(cells[runner.ExactUnit]) == 0 {
			t.Fatalf("no %s results", runner.ExactUnit)
		}
		for cell := range cells[runner.ExactUnit] {
			if !cells["sec/op"][cell] {
				t.Errorf("projection %q: the count in %s has no timed result in the same table, row and column", proj, cell)
			}
		}
	}
}

func TestRunExactOnly(t *testing.T) {
	var progress syncBuffer
	o := fakeOptions(t, "ok", &progress)
	o.Count = 0
	o.Exact = true
	o.Bench = "^BenchmarkGet$"
	if err := runner.Run(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(o.Out)
	if err != nil {
		t.Fatal(err)
	}
	got := string(data)
	if strings.Contains(got, " ns/op") || strings.Contains(got, "benchtime:") {
		t.Errorf("a run with no timed passes wrote timed results or a benchtime:\n%s", got)
	}
	// The configuration of the listing run heads the counts.
	for _, want := range []string{"count: 0\n", "goos: linux\n", "pkg: example.com/fake\n", "workload: get\n", "BenchmarkGet/strategy=b-2\t5000\t20000.00 instructions/op\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("the file lacks %q:\n%s", want, got)
		}
	}
	checkExactAssumption(t, data)
}

// checkExactAssumption checks that data parses as benchfmt and that
// benchmath makes the exact assumption for its counts: one value per
// sub-benchmark, summarised as itself with no warning.
func checkExactAssumption(t *testing.T, data []byte) {
	t.Helper()
	r := benchfmt.NewReader(bytes.NewReader(data), "results.txt")
	n := 0
	for r.Scan() {
		switch rec := r.Result().(type) {
		case *benchfmt.SyntaxError:
			t.Errorf("syntax error: %v", rec)
		case *benchfmt.Result:
			for _, v := range rec.Values {
				if v.Unit != runner.ExactUnit {
					continue
				}
				n++
				s := benchmath.NewSample([]float64{v.Value}, &benchmath.DefaultThresholds)
				if sum := benchmath.AssumeExact.Summary(s, 0.95); sum.Center != v.Value || len(sum.Warnings) > 0 {
					t.Errorf("%s: exact summary %+v of %v", rec.Name, sum, v.Value)
				}
			}
		}
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatalf("no %s results in:\n%s", runner.ExactUnit, data)
	}
	if a := r.Units().GetAssumption(runner.ExactUnit); a != benchmath.AssumeExact {
		t.Errorf("benchfmt's assumption for %s is %v; want AssumeExact", runner.ExactUnit, a)
	}
}

func TestRunFails(t *testing.T) {
	var progress syncBuffer
	o := fakeOptions(t, "fail", &progress)
	err := runner.Run(context.Background(), o)
	if err == nil || !strings.Contains(err.Error(), "exit status 1") || !strings.Contains(err.Error(), "--- FAIL: BenchmarkGet/strategy=b") {
		t.Errorf("a failing benchmark gave %v; want its exit status and last lines", err)
	}
	if names := dirEntries(t, filepath.Dir(o.Out)); len(names) != 0 {
		t.Errorf("a failed run left %q", names)
	}
}

func TestRunNoResults(t *testing.T) {
	var progress syncBuffer
	o := fakeOptions(t, "ok", &progress)
	o.Bench = "^BenchmarkNone$"
	if err := runner.Run(context.Background(), o); !errors.Is(err, runner.ErrNoResults) {
		t.Errorf("a run that printed no results gave %v; want ErrNoResults", err)
	}
}

// TestRunInterrupted cancels a run whose benchmark hangs, as Ctrl-C does:
// the run must end promptly, with an error and no file.
func TestRunInterrupted(t *testing.T) {
	var progress syncBuffer
	o := fakeOptions(t, "hang", &progress)
	o.Terminal = true // every result shows
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		// Cancel once the first result is in: the benchmark is running.
		for !strings.Contains(progress.String(), ": 1 results") {
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
	}()
	start := time.Now()
	err := runner.Run(ctx, o)
	if err == nil || !strings.Contains(err.Error(), "interrupted; no results file was written") {
		t.Errorf("an interrupted run gave %v; want the interrupted error", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("the interrupted run took %v to end", d)
	}
	if names := dirEntries(t, filepath.Dir(o.Out)); len(names) != 0 {
		t.Errorf("an interrupted run left %q", names)
	}
}

func TestRunBadOptions(t *testing.T) {
	for _, tc := range []struct {
		o    runner.Options
		want string
	}{
		{runner.Options{Dir: ".", Out: "x", Count: 0, Benchtime: "1x"}, "-count must be at least 1, not 0 (0 only with -exact)"},
		{runner.Options{Dir: ".", Out: "x", Count: 1, Benchtime: "1x", Bench: "("}, "-bench: error parsing regexp"},
		{runner.Options{Dir: ".", Count: 1, Benchtime: "1x"}, "no output file"},
	} {
		if err := runner.Run(context.Background(), tc.o); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Run(%+v) = %v; want an error containing %q", tc.o, err, tc.want)
		}
	}
}
