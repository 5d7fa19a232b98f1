package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/localbench/localbench/cmd/benchreport/internal/runner"
)

const runUsage = `Usage: benchreport run [flags]

run makes a results file on this machine: it builds the test binary of the
peers module of this checkout (which measures localbench's strategies, the
floors and the peer libraries on the same workloads; -pkg names another
package, such as strategies/mapid for its direct benchmarks) and runs it -count
times, each pass a fresh process that runs every benchmark once. With
-exact it then counts each serial sub-benchmark's instructions per
operation under valgrind's cachegrind. It shows progress and the time left
on standard error, writes the file (provenance lines, then the output of
the passes, then the counts) and prints the report of it. The file is
written only when everything succeeded: an interrupted run (Ctrl-C) leaves
no file behind.

It must run inside a localbench checkout.

Flags:
`

// modulePath is localbench's module path, which run looks for.
const modulePath = "github.com/localbench/localbench"

// The defaults of run, and of run -short.
const (
	runCount          = 10
	runBenchtime      = "50ms"
	runShortCount     = 1
	runShortBenchtime = "10ms"
)

func runCmd(stdout, stderr io.Writer, args []string) error {
	fs := flag.NewFlagSet("benchreport run", flag.ContinueOnError)
	count := fs.Int("count", runCount, "run the suite `n` times, one pass after another (-short: 1); 0 with -exact: counts only")
	benchtime := fs.String("benchtime", runBenchtime, "each benchmark's -benchtime `d` in every pass (-short: 10ms)")
	bench := fs.String("bench", ".", "run only the benchmarks matching `regexp`")
	short := fs.Bool("short", false, "pass -test.short: smaller sweeps, and by default one pass of 10ms (a smoke run)")
	exact := fs.Bool("exact", false, "also count instructions/op of each serial sub-benchmark under valgrind")
	exactSkip := fs.String("exact-skip", runner.DefaultExactSkip.String(), "with -exact, do not count the sub-benchmarks matching `regexp` (name without Benchmark and -N)")
	out := fs.String("o", "", "write the results to `file` (default results/DATE-MACHINE.txt in the checkout)")
	pkg := fs.String("pkg", "peers", "run the benchmarks of the package in `dir`, relative to the checkout's root")
	machine := fs.String("machine", "", "the machine's `name` in the default file name (default: the host name)")
	if err := parseFlags(fs, stdout, runUsage, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("run takes no arguments, got %q", fs.Args())
	}
	set := make(map[string]bool)
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if *short && !set["count"] {
		*count = runShortCount
	}
	if *short && !set["benchtime"] {
		*benchtime = runShortBenchtime
	}
	if *count < 0 || *count == 0 && !*exact {
		return fmt.Errorf("-count must be at least 1, not %d (0 only with -exact)", *count)
	}
	if _, err := regexp.Compile(*bench); err != nil {
		return fmt.Errorf("-bench: %w", err)
	}
	skip, err := regexp.Compile(*exactSkip)
	if err != nil {
		return fmt.Errorf("-exact-skip: %w", err)
	}
	if *exactSkip == "" {
		skip = nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	root, err := findModuleRoot(wd)
	if err != nil {
		return err
	}
	dir := filepath.Join(root, filepath.FromSlash(*pkg))
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return fmt.Errorf("-pkg %s: no such directory in the checkout %s", *pkg, root)
	}
	path := *out
	if path == "" {
		path, err = defaultResultsPath(root, *machine, time.Now())
		if err != nil {
			return err
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err = runner.Run(ctx, runner.Options{
		Dir:       dir,
		Out:       path,
		Count:     *count,
		Benchtime: *benchtime,
		Bench:     *bench,
		Short:     *short,
		Exact:     *exact,
		ExactSkip: skip,
		Progress:  stderr,
		Terminal:  isTerminal(stderr),
	})
	if err != nil {
		return err
	}
	if *pkg != "peers" {
		// Other packages' benchmarks have no strategy= to make columns of.
		return reportCmd(stdout, stderr, []string{"-col", ".file", path})
	}
	return reportCmd(stdout, stderr, []string{path})
}

// findModuleRoot walks up from dir to the directory whose go.mod declares
// localbench's module.
func findModuleRoot(dir string) (string, error) {
	for d := dir; ; d = filepath.Dir(d) {
		data, err := os.ReadFile(filepath.Join(d, "go.mod"))
		if err == nil && modulePathOf(data) == modulePath {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("%s is not inside a localbench checkout (no go.mod declaring module %s above it)", dir, modulePath)
		}
	}
}

// modulePathOf returns the module path a go.mod declares.
func modulePathOf(gomod []byte) string {
	for line := range strings.Lines(string(gomod)) {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "module"); ok {
			return strings.Trim(strings.TrimSpace(rest), `"`)
		}
	}
	return ""
}

// defaultResultsPath returns results/YYYY-MM-DD-MACHINE.txt in root, with
// -2, -3… added so that an existing file is never replaced.
func defaultResultsPath(root, machine string, now time.Time) (string, error) {
	if machine == "" {
		h, err := os.Hostname()
		if err != nil {
			return "", fmt.Errorf("naming the results file: %w; give -machine or -o", err)
		}
		machine = h
	}
	machine = strings.Trim(regexp.MustCompile(`[^A-Za-z0-9._-]+`).ReplaceAllString(machine, "-"), "-.")
	if machine == "" {
		return "", errors.New("-machine must contain a letter or digit")
	}
	base := filepath.Join(root, "results", now.Format("2006-01-02")+"-"+machine)
	path := base + ".txt"
	for i := 2; ; i++ {
		if _, err := os.Lstat(path); errors.Is(err, os.ErrNotExist) {
			return path, nil
		}
		path = fmt.Sprintf("%s-%d.txt", base, i)
	}
}

// isTerminal reports whether w is a terminal, where progress can rewrite
// its line.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
