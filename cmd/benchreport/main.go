// Note: blocks that begin with "$ benchreport" below are run by doc_test.go,
// in testdata, and must print what follows them.

// Benchreport turns the results of localbench's benchmarks into the
// comparison a Go engineer wants: benchstat's tables and statistics, laid out
// for this suite, with ratios to a baseline, a summary that fits a terminal,
// Markdown, CSV and HTML with charts, a way to run the suite, and a
// recommendation.
//
// Usage:
//
//	benchreport [flags] [files...]
//	benchreport run [flags]
//	benchreport choose [flags] [files...]
//
// Each file holds results in the Go benchmark format
// (https://golang.org/design/14313-benchmark-format), such as the output of
// "go test -bench". With no files, benchreport reads the newest results file
// shipped with localbench (package results, embedded in the binary), so
//
//	go run ./cmd/benchreport
//
// works in a fresh checkout without running a benchmark, and an installed
// benchreport (go install ./cmd/benchreport) works in any directory. As
// with benchstat, a file argument may be label=path, to label
// its results with .file=label, and "-" reads standard input. A first
// argument that is a plain word and names no file is taken for a command
// misspelt, and is an error naming the commands.
//
// # Summary
//
// With no flags, benchreport prints a summary that fits the terminal it
// writes to (120 columns where standard output is not a terminal, or
// -width n): the file it read and the machine, then for each workload the
// median time per operation of each strategy and peer with its 95%
// confidence interval, and of the floor param, the least any way of passing
// a value costs. A workload swept over a parameter shows each column's
// geomean over its rows ("gm of N"); a column measured on fewer of the rows
// is marked "*". Results with an instructions/op unit (counted exactly,
// "Unit instructions/op assume=exact") get a second block, without
// intervals. Columns that would make a line wider than that go into a block
// of their own below the others, with the row labels again, and the notes
// under the summary are wrapped to the same width. -full prints every
// table instead, as does a -filter that
// leaves no results in sec/op or instructions/op.
//
//	$ benchreport suite.txt
//	suite.txt (cpu: AMD EPYC 7B13, go: go1.26.8, gomaxprocs: 2)
//
//	median sec/op ± 95% confidence interval
//	                    floors        strategies                                          peers
//	                    param         mapid        shardedmap   ctxvalue     gls          routine      syncmap
//	Get                 0.3070ns ±4%  25.90ns ±3%  11.50ns ±2%  7.150ns ±1%  653.0ns ±3%  4.450ns ±2%  19.05ns ±1%
//	Set                 -             44.90ns ±4%  29.35ns ±2%  52.25ns ±3%  972.0ns ±2%  21.05ns ±2%  58.90ns ±3%
//	Scope               -             120.0ns ±3%  88.85ns ±2%  60.40ns ±2%  1.875µs ±4%  95.75ns ±4%  -
//	Depth (gm of 5)     0.3840ns      25.90ns      11.45ns      7.687ns      1.847µs      4.381ns      -
//	Bindings (gm of 3)  -             31.55ns      14.02ns      19.50ns      713.0ns      5.395ns      -
//	Parallel (gm of 3)  -             25.72ns      5.808ns      3.533ns      327.8ns      2.203ns      9.493ns
//	Live (gm of 3)      -             33.62ns      12.41ns      7.076ns      650.8ns      4.423ns      24.40ns
//	Memory              -             2.123µs ±3%  1.885µs ±2%  1.498µs ±2%  4.110µs ±2%  1.719µs ±3%  -
//
//	(gm of N): the geomean over the workload's N rows (a sweep over depth, bindings, …).
//	Not shown: goid, withvalue, mutexmap, rawgls, rawroutine.
//	Every row, B/op, allocs/op and the comparisons: -full; charts: -format html -o report.html.
//
// # Tables
//
// With -full, or any of -table, -row, -col, -ignore, -base or -benchstat,
// or another -format, benchreport prints tables. It computes what benchstat
// computes, with the same x/perf packages: for each cell the median and its
// confidence interval, for each comparison the change and the p-value of a
// Mann-Whitney U-test (or what the unit's "assume=" metadata asks for), and
// a geomean row. Only the defaults differ, to fit the suite: one table per
// workload (.name) and unit, a row per remaining part of the benchmark name,
// and a column per strategy (/strategy). Every column is compared with a
// baseline: param, the plain function parameter that is the floor of any
// way to pass a value, where the workload measured it on every row of the
// table, and else mapid (on the same terms), and else the first column. A
// column order given with "@(…)" is kept as given, its first column the
// baseline. Beyond benchstat, each comparison ends with the ratio to the
// baseline (84.4×), rows are in the order of the table's own results, and
// the rows drop the "*" that stands for the table's benchmark name, unless
// two rows would then share a label. The file configuration lines (goos,
// cpu, go, commit, …) head the output.
//
//	$ benchreport -filter ".name:Get .unit:sec/op" -col "/strategy@(param mapid shardedmap ctxvalue gls)" suite.txt
//	goos: linux
//	goarch: amd64
//	pkg: github.com/localbench/localbench/peers
//	cpu: AMD EPYC 7B13
//	go: go1.26.8
//	commit: 0123456789abcdef0123456789abcdef01234567
//	gomaxprocs: 2
//	cpus: 2
//	.name: Get
//	      │    param     │                    mapid                     │                  shardedmap                  │                  ctxvalue                   │                       gls                       │
//	      │    sec/op    │    sec/op      vs base                       │    sec/op      vs base                       │    sec/op     vs base                       │     sec/op      vs base                         │
//	Get-2   0.3070n ± 4%   25.9000n ± 3%  +8336.48% 84.4× (p=0.002 n=6)   11.5000n ± 2%  +3645.93% 37.5× (p=0.002 n=6)   7.1500n ± 1%  +2228.99% 23.3× (p=0.002 n=6)   653.0000n ± 3%  +212603.58% 2127× (p=0.002 n=6)
//
// Each cell is the median ± the 95% confidence interval as a percent of it;
// an exact unit has no interval. "vs base" is the change from the baseline,
// "~" where the difference is not statistically significant, then the
// ratio, the p-value and the number of samples. A workload swept over a
// parameter has a row per value, and a geomean row:
//
//	$ benchreport -filter ".name:Depth .unit:sec/op" -col "/strategy@(param shardedmap ctxvalue gls)" suite.txt
//	goos: linux
//	goarch: amd64
//	pkg: github.com/localbench/localbench/peers
//	cpu: AMD EPYC 7B13
//	go: go1.26.8
//	commit: 0123456789abcdef0123456789abcdef01234567
//	gomaxprocs: 2
//	cpus: 2
//	.name: Depth
//	            │    param     │                  shardedmap                  │                  ctxvalue                   │                         gls                         │
//	            │    sec/op    │    sec/op      vs base                       │    sec/op     vs base                       │      sec/op       vs base                           │
//	depth=1-2     0.3095n ± 3%   11.3500n ± 2%  +3567.21% 36.7× (p=0.002 n=6)   7.0750n ± 3%  +2185.95% 22.9× (p=0.002 n=6)     683.5000n ± 2%   +220740.06%  2208× (p=0.002 n=6)
//	depth=4-2     0.3485n ± 3%   11.5000n ± 3%  +3199.86% 33.0× (p=0.002 n=6)   7.1000n ± 3%  +1937.30% 20.4× (p=0.002 n=6)     792.5000n ± 4%   +227303.16%  2274× (p=0.002 n=6)
//	depth=16-2    0.3900n ± 3%   11.3000n ± 2%  +2797.44% 29.0× (p=0.002 n=6)   7.2050n ± 3%  +1747.44% 18.5× (p=0.002 n=6)    1241.5000n ± 2%   +318233.33%  3183× (p=0.002 n=6)
//	depth=64-2    0.4275n ± 2%   11.7000n ± 2%  +2636.84% 27.4× (p=0.002 n=6)   7.6750n ± 2%  +1695.32% 18.0× (p=0.002 n=6)    3096.0000n ± 3%   +724110.53%  7242× (p=0.002 n=6)
//	depth=256-2   0.4645n ± 3%   11.4000n ± 3%  +2354.25% 24.5× (p=0.002 n=6)   9.6600n ± 1%  +1979.66% 20.8× (p=0.002 n=6)   10312.5000n ± 3%  +2220029.17% 22201× (p=0.002 n=6)
//	geomean       0.3840n          11.45n       +2881.28% 29.8×                  7.687n       +1901.54% 20.0×                      1.847µ        +480739.25%  4808×
//
// benchstat's flags keep their meaning: -table, -row and -col project
// results into tables, rows and columns; -filter selects them; -ignore names
// keys to ignore; -alpha and -confidence set the statistics. The syntax is
// benchstat's (see "go doc golang.org/x/perf/cmd/benchstat" and
// golang.org/x/perf/benchproc/syntax): "/strategy@(param gls)" above both
// orders the columns and keeps only those two. To compare two runs instead
// of strategies, make the columns the files:
//
//	$ benchreport -col .file -filter .unit:sec/op old.txt new.txt
//	goos: linux
//	goarch: amd64
//	pkg: github.com/localbench/localbench/peers
//	cpu: AMD EPYC 7B13
//	go: go1.26.8
//	commit: 0123456789abcdef0123456789abcdef01234567
//	gomaxprocs: 2
//	cpus: 2
//	.name: Get
//	                      │   old.txt    │                  new.txt                  │
//	                      │    sec/op    │   sec/op     vs base                      │
//	strategy=shardedmap-2   11.450n ± 1%   9.445n ± 2%  -17.51% 0.82× (p=0.000 n=10)
//	strategy=mapid-2         26.40n ± 4%   26.20n ± 1%        ~ 0.99× (p=0.721 n=10)
//	geomean                  17.39n        15.73n        -9.52% 0.90×
//
//	.name: Depth
//	                               │   old.txt    │                  new.txt                  │
//	                               │    sec/op    │   sec/op     vs base                      │
//	strategy=shardedmap/depth=1-2    11.450n ± 2%   9.445n ± 2%  -17.51% 0.82× (p=0.000 n=10)
//	strategy=shardedmap/depth=64-2   11.600n ± 3%   9.415n ± 3%  -18.84% 0.81× (p=0.000 n=10)
//	strategy=mapid/depth=1-2          26.10n ± 2%   25.90n ± 2%        ~ 0.99× (p=0.337 n=10)
//	strategy=mapid/depth=64-2         26.15n ± 3%   26.15n ± 3%        ~ 1.00× (p=0.839 n=10)
//	geomean                           17.35n        15.67n        -9.72% 0.90×
//
// Files whose configuration differs from file to file but is the same
// throughout each (commit:, go:, a date) would each make tables of their
// own, and nothing would be compared: with the default -table, benchreport
// ignores those keys, and says so on standard error. The default -ignore
// workload applies only where it merges nothing: a file whose workload:
// lines are its own keeps them, with a warning.
//
// -benchstat prints exactly what benchstat prints, byte for byte, on
// standard output and standard error, when both are given the same files
// and flags, -table, -col and -ignore among them, and the files hold no
// NaN or infinite measurement and no line longer than 64 KiB (benchreport
// refuses those; benchstat runs out of memory on the former and fails on
// the latter): the first column as baseline, no ratio, benchstat's row
// labels and row order. Flags not given keep benchreport's defaults, which
// for -table, -col and -ignore are not benchstat's; for benchstat's, add
// -table .config -col .file -ignore "". Without -benchstat the cells are
// still benchstat's for the same projection and baseline column. A test
// holds benchreport -benchstat to benchstat's output on the files in
// testdata.
//
// # Flags
//
//	-table projection   tables (default .config,.name; benchstat's: .config)
//	-row projection     rows (default .fullname)
//	-col projection     columns (default /strategy; benchstat's: .file)
//	-ignore keys        keys to ignore (default workload, the configuration
//	                    line the harness prints before each workload)
//	-filter query       use only matching results (default *)
//	-alpha α            significance level (default 0.05)
//	-confidence level   confidence level of the ranges (default 0.95)
//	-base label         the baseline column: auto (param, else mapid, each
//	                    where measured on every row; else the first) or a
//	                    column label
//	-benchstat          print exactly what benchstat prints
//	-full               every table, not the summary (the default text)
//	-width n            fit the summary in n columns (default: the
//	                    terminal's width, or 120 when standard output is not
//	                    a terminal)
//	-format format      text, markdown, csv or html (default text)
//	-o file             write to file instead of standard output (- is
//	                    standard output)
//	-h                  print the usage to standard output
//
// -o writes atomically: it writes a temporary file beside file and renames
// it, so that a failed run never leaves a half-written file and never
// replaces an existing one. If file is a symbolic link, it writes the file
// the link points to, the same way, and keeps the link; it refuses a link to
// nothing.
//
// # Formats
//
// -format text, with -full, is benchstat's layout. -format markdown is a
// drop-in for a README: the configuration on one line, the workload in bold,
// and a table per unit whose cells are the median ± range (the value alone
// for an exact unit) and, after the baseline, the ratio or "~":
//
//	$ benchreport -format markdown -filter ".name:Depth .unit:sec/op" -col "/strategy@(param shardedmap gls)" suite.txt
//	goos: linux · goarch: amd64 · pkg: github.com/localbench/localbench/peers · cpu: AMD EPYC 7B13 · go: go1.26.8 · commit: 0123456789abcdef0123456789abcdef01234567 · gomaxprocs: 2 · cpus: 2
//
//	**Depth**
//
//	| sec/op | param | shardedmap | gls |
//	|:--|--:|--:|--:|
//	| depth=1-2 | 0.3095n ± 3% | 11.3500n ± 2% 36.7× | 683.5000n ± 2% 2208× |
//	| depth=4-2 | 0.3485n ± 3% | 11.5000n ± 3% 33.0× | 792.5000n ± 4% 2274× |
//	| depth=16-2 | 0.3900n ± 3% | 11.3000n ± 2% 29.0× | 1241.5000n ± 2% 3183× |
//	| depth=64-2 | 0.4275n ± 2% | 11.7000n ± 2% 27.4× | 3096.0000n ± 3% 7242× |
//	| depth=256-2 | 0.4645n ± 3% | 11.4000n ± 3% 24.5× | 10312.5000n ± 3% 22201× |
//	| geomean | 0.3840n | 11.45n 29.8× | 1.847µ 4808× |
//
//	Medians ± 95% confidence interval; ×: ratio to param; ~: no significant difference (p ≥ 0.05).
//
// -format csv is benchstat's CSV with a ratio column after each comparison;
// warnings go to standard error with the cell they concern (B7: …):
//
//	$ benchreport -format csv -filter ".name:Get .unit:sec/op" -col "/strategy@(param mapid ctxvalue)" suite.txt
//	goos: linux
//	goarch: amd64
//	pkg: github.com/localbench/localbench/peers
//	cpu: AMD EPYC 7B13
//	go: go1.26.8
//	commit: 0123456789abcdef0123456789abcdef01234567
//	gomaxprocs: 2
//	cpus: 2
//	.name: Get
//	,param,,mapid,,,,,ctxvalue,,,,
//	,sec/op,CI,sec/op,CI,vs base,P,ratio,sec/op,CI,vs base,P,ratio
//	Get-2,3.07e-10,4%,2.59e-08,3%,+8336.48%,p=0.002 n=6,84.36482084690553,7.15e-09,1%,+2228.99%,p=0.002 n=6,23.289902280130292
//	geomean,3.0700000000000023e-10,,2.589999999999998e-08,,+8336.48%,,84.36482084690556,7.1499999999999945e-09,,+2228.99%,,23.289902280130292
//
// -format html writes one self-contained page (no script, no network) in one
// font. For each workload, a bar chart: a bar per contestant, grouped as
// strategies, peers and floors, each in a colour of its own from its group's
// family (strategies blues and greens, peers reds and oranges, floors greys
// and browns, the same in every chart), with the median's confidence
// interval as whiskers and the value at the end of the bar (a sweep's bar is
// its geomean, without whiskers). For each sweep, a line chart of each
// contestant against depth, bindings, parallelism or live goroutines, with
// whiskers at each point, floors dashed and peers dotted. Axes are labelled
// in SI units (ns, µs, ms), on log scales where the range needs them; a
// linear axis starts at zero or says where it starts. Then the tables, whose
// cells do not wrap: the median and range, the ratio or "~" under it, the
// change and p-value on hover. The charts are drawn with gonum.org/v1/plot.
//
// # Running the suite
//
// (This section is about "benchreport run" alone; its implementation is
// package internal/runner.)
//
// "benchreport run" makes a results file on this machine. It builds the
// test binary of the peers module of the checkout it is run in and runs it
// -count times (default 10), one pass after another, each pass a fresh
// process that runs every benchmark once for -benchtime (default 50ms).
// With -exact it then counts the instructions per operation of every
// sub-benchmark that -exact-skip does not match (by default all but
// Parallel, Memory, Leak and Sweep) under valgrind's cachegrind, and adds
// them as instructions/op results under the same names. It shows the pass
// or count under way, the time elapsed and, once a pass or count is done,
// an estimate of the time left. Then it writes a new results file,
// results/YYYY-MM-DD-MACHINE.txt, with provenance lines (go:, commit:,
// gomaxprocs:, cpus:, count:, benchtime:, and with -exact instructions:
// and instructions-spread:) before the output, and prints its report. Its
// flags are -count (0 with -exact: counts only), -benchtime, -bench,
// -short (smaller sweeps; one pass of 10ms unless -count or -benchtime is
// given), -exact, -exact-skip, -pkg (another package of the checkout, such
// as strategies/mapid, instead of peers), -machine and -o. The file is written only
// when the run succeeds: interrupting it leaves no file. results/README.md
// says how long each takes and what the counts count.
//
// # Choosing a strategy
//
// "benchreport choose" recommends a strategy. Flags say what is needed:
//
//	-implicit      Get finds values without being handed the context
//	-inherit       goroutines started by Go or Wrap get a copy of the values
//	-no-leak       a goroutine started with a plain go statement that sets
//	               values and exits leaves nothing behind
//	-unscoped      Set works outside any Scope
//	-depth N       Get runs N calls below the Set
//	-bindings N    N values are bound at once
//	-goroutines N  N goroutines hold values at once
//
// The candidates are the stores of localbench's conformance record,
// results/conformance.json: localbench's strategies and the peers behind
// Store adapters, with their Info and the outcome of every case of the
// conformance suite (harness.TestStore), as a test in the peers module found
// them; that test fails when the record drifts. choose keeps the candidates
// whose traits meet the needs and that pass every case the needs depend on:
// the cases about Go and Wrap (go-…, wrap-…) for -inherit, leaks for
// -no-leak, no-scope for -unscoped, implicit for -implicit, and every other
// case always. It ranks them by the geometric mean of their cost on Get, Set
// and Scope and on Depth, Bindings and Live at the measured size nearest to
// -depth, -bindings and -goroutines; says when that is one figure only;
// names each figure on which another candidate is significantly cheaper
// than the winner, and by how much; lists the winner's trade-offs, a failed
// case that only a need not stated depends on, and the cases the suite could
// not check; and says why each other candidate was left out. Floors are
// shown for reference and are never candidates.
//
//	$ benchreport choose -implicit -depth 50 suite.txt
//	Needs: implicit Get; -depth 50: nearest measured depth=64
//	Results: suite.txt (cpu: AMD EPYC 7B13, go: go1.26.8, gomaxprocs: 2)
//
//	Recommended: routine
//
//	            Get       Set      Scope    Depth depth=64  geomean
//	routine      4.450ns  21.05ns  95.75ns         4.375ns  14.07ns
//	shardedmap   11.50ns  29.35ns  88.85ns         11.70ns  24.34ns
//	mapid        25.90ns  44.90ns  120.0ns         25.95ns  43.62ns
//	gls          653.0ns  972.0ns  1.875µs         3.096µs  1.385µs
//	goid         1.880ns        -        -               -        -  floor: goid.Get alone
//	mutexmap     24.25ns  30.45ns        -               -        -  floor: a raw mutex-guarded map
//	param       0.3070ns        -        -        0.4275ns        -  floor: a plain function parameter
//	rawgls       606.5ns        -        -               -        -  floor: raw github.com/jtolds/gls
//	rawroutine   3.910ns        -        -               -        -  floor: github.com/timandy/routine called directly, without the Store adapter
//	withvalue    6.165ns  38.10ns        -               -        -  floor: a raw context.WithValue chain
//
//	routine is the cheapest: shardedmap, the runner-up, costs 1.73× as much on the geomean of these figures.
//	The difference is significant (p < 0.05) on Get, Set, Scope, Depth depth=64.
//	Where another candidate is cheaper than routine:
//	  - shardedmap on Scope: 88.85ns against 95.75ns (0.93×, p=0.002)
//	Trade-offs of routine:
//	  - it fails the conformance case wrap-every-call (a Wrap'd func runs fn on every call, and a panic in fn reaches the caller, who has its own bindings back), which matters where you ask for -inherit
//	  - the conformance suite could not check missing-creates-nothing, no-residue (they need a strategies.Counter)
//	  - a third-party library (github.com/timandy/routine) that reaches into the runtime's goroutine struct; a Go release can break it
//
//	Rejected:
//	  ctxvalue: explicit: Get finds a value only through the context that Set returned (-implicit)
//	  syncmap: not measured: Scope; not measured: Depth depth=64
//
// # Errors
//
// On bad input benchreport prints one message and exits with status 1: a
// file that is missing or unreadable, no benchmark results in any file, a
// NaN or infinite measurement or a line longer than 64 KiB (as file:line),
// an unknown flag or command, a projection or filter that does not parse or
// names a key no result has, results without the workload asked for. Like
// benchstat, it skips a line with a syntax error (a truncated last line, a
// Unit line that conflicts with an earlier one) with benchstat's warning on
// standard error, file:line: message; it warns too of a file with no results
// beside others that have some.
//
// # README
//
// The headline table of localbench's README.md is this command's output. A
// block of README.md between the lines
//
//	<!-- benchreport:begin ARGS -->
//	<!-- benchreport:end -->
//
// must equal the output of "benchreport ARGS" on the shipped results; a test
// in this package checks it, and "go test ./cmd/benchreport -update"
// rewrites it.
package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
)

func main() {
	if err := run(os.Stdout, os.Stderr, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "benchreport:", err)
		os.Exit(1)
	}
}

// run runs benchreport with args (without the program name).
func run(stdout, stderr io.Writer, args []string) error {
	var err error
	switch {
	case len(args) > 0 && args[0] == "run":
		err = runCmd(stdout, stderr, args[1:])
	case len(args) > 0 && args[0] == "choose":
		err = chooseCmd(stdout, stderr, args[1:])
	case len(args) > 0 && looksLikeCommand(args[0]):
		err = fmt.Errorf("unknown command %q: the commands are run and choose, and file arguments come after the flags (run benchreport -h for usage)", args[0])
	default:
		err = reportCmd(stdout, stderr, args)
	}
	if errors.Is(err, errHelp) {
		return nil
	}
	return err
}

// looksLikeCommand reports whether the first argument was meant as a
// command rather than a file: a plain word (no path separator, dot or
// label=) that names no file.
func looksLikeCommand(arg string) bool {
	if arg == "" || strings.ContainsAny(arg, "-=./\\") {
		return false
	}
	_, err := os.Stat(arg)
	return errors.Is(err, fs.ErrNotExist)
}
