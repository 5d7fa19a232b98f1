// Package runner makes a results file: it runs a package's benchmarks in
// interleaved timed passes and, optionally, counts each serial
// sub-benchmark's instructions per operation exactly under valgrind's
// cachegrind, and writes the raw output, with provenance configuration
// lines, in the Go benchmark format.
//
// It is the one implementation behind "benchreport run" and
// results/run.sh. It has no flags of its own: the caller fills in Options.
//
// A run is made of Count passes, each a fresh process of the package's test
// binary that runs every selected benchmark once (-test.count 1). On a
// shared machine a burst of load from a neighbour then lands on one sample
// of every contestant, where it widens the intervals, instead of on all
// samples of one contestant, where it would read as a difference between
// them.
//
// With Exact, every sub-benchmark the passes ran that ExactSkip does not
// match is run again under
//
//	valgrind --tool=cachegrind --cache-sim=no
//
// with GOGC=off GOMAXPROCS=1 GODEBUG=asyncpreemptoff=1, once with
// -test.benchtime N1x and once with N2x; its instructions per operation are
// (I2 - I1) / (N2 - N1), I being the instructions cachegrind counted in the
// whole process. What is the same in both runs (process start, the
// benchmark's setup) cancels. The difference is made at least 10^8
// instructions and at least twice the process's own count, from a first
// estimate, and the count is the median of Reps such pairs (three times
// as many where the first Reps spread more than 1%: a hash map's probes
// depend on the process's random seed). The results are
// written as benchmark lines in the unit instructions/op, under the same
// names as the timed lines, after the unit metadata line
// "Unit instructions/op assume=exact better=lower".
//
// Nothing is written until everything has succeeded: the file is written to
// a temporary file in the target directory and renamed. A cancelled context
// stops the running processes and leaves no file.
package runner

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Options say what Run measures and where it writes.
type Options struct {
	// Dir is the directory of the package whose benchmarks run (for
	// localbench, the peers module, which holds every contestant).
	Dir string
	// Out is the results file to write.
	Out string

	// Count is the number of timed passes. With Exact, it may be 0: no
	// timed results, only the exact counts.
	Count int
	// Benchtime is each timed benchmark's -test.benchtime ("50ms").
	Benchtime string
	// Bench selects the benchmarks (-test.bench); empty means all.
	Bench string
	// Short passes -test.short (smaller sweeps).
	Short bool
	// Timeout is each process's -test.timeout; 0 means 60m.
	Timeout time.Duration

	// Exact adds the instruction counts.
	Exact bool
	// ExactSkip matches the sub-benchmarks that are not counted, by name
	// without "Benchmark" and the -N suffix ("Parallel/strategy=mapid");
	// nil counts all. See DefaultExactSkip.
	ExactSkip *regexp.Regexp
	// Reps is how many counts are made of each sub-benchmark (the median
	// is written); 0 means 3.
	Reps int
	// Jobs is how many valgrind processes run at once; 0 means the number
	// of CPUs. Counts do not depend on load.
	Jobs int
	// Valgrind is the valgrind command; empty means "valgrind".
	Valgrind string

	// Binary, if set, is the test binary to run instead of one built in
	// Dir with go test -c.
	Binary string
	// Header lines are written first; nil means Provenance's.
	Header []string

	// Progress receives progress and the time left; nil discards it.
	Progress io.Writer
	// Terminal makes progress rewrite one line instead of printing lines.
	Terminal bool
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// DefaultExactSkip matches the workloads whose instruction counts would not
// be the operation's cost: Parallel runs many goroutines at once (its cost
// is contention, which a count made on one thread cannot show); Memory and
// Leak collect garbage and wait for finalizers in every iteration, and
// Sweep rebuilds its dead entries in every iteration, with the timer
// stopped: work that a count of the whole process would add to the
// operation's.
var DefaultExactSkip = regexp.MustCompile(`^(Parallel|Memory|Leak|Sweep)(/|$)`)

// ErrNoResults is returned when the benchmarks printed no results.
var ErrNoResults = errors.New("no benchmark results")

// Run makes the results file o.Out.
func Run(ctx context.Context, o Options) error {
	if err := o.check(); err != nil {
		return err
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Binary == "" {
		tmp, err := os.MkdirTemp("", "benchreport-run-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		o.Binary = filepath.Join(tmp, "bench.test")
		if err := build(ctx, o.Dir, o.Binary, o.Progress); err != nil {
			return err
		}
	}
	header := o.Header
	if header == nil {
		header = Provenance(ctx, o.Dir)
	}
	header = append(header, "count: "+strconv.Itoa(o.Count))
	if o.Count > 0 {
		header = append(header, "benchtime: "+o.Benchtime)
	}
	if o.Short {
		header = append(header, "short: true")
	}

	start := o.Now()
	timed, err := o.passes(ctx)
	if err != nil {
		return err
	}
	var exact []byte
	if o.Exact {
		listing := timed
		if o.Count == 0 {
			if listing, err = o.list(ctx); err != nil {
				return err
			}
		}
		var lines []string
		exact, lines, err = o.counts(ctx, listing, timed)
		if err != nil {
			return err
		}
		header = append(header, lines...)
	}
	var buf bytes.Buffer
	for _, h := range header {
		buf.WriteString(h + "\n")
	}
	buf.Write(timed)
	buf.Write(exact)
	if ctx.Err() != nil {
		return errInterrupted
	}
	if err := writeAtomic(o.Out, buf.Bytes()); err != nil {
		return err
	}
	fmt.Fprintf(o.Progress, "benchreport: wrote %s in %s\n", o.Out, o.Now().Sub(start).Round(time.Second))
	return nil
}

// errInterrupted is the error of a cancelled run.
var errInterrupted = errors.New("interrupted; no results file was written")

func (o *Options) check() error {
	switch {
	case o.Dir == "" && o.Binary == "":
		return errors.New("runner: no package directory")
	case o.Out == "":
		return errors.New("runner: no output file")
	case o.Count < 0 || o.Count == 0 && !o.Exact:
		return fmt.Errorf("-count must be at least 1, not %d (0 only with -exact)", o.Count)
	case o.Count > 0 && o.Benchtime == "":
		return errors.New("runner: no benchtime")
	case o.Reps < 0:
		return fmt.Errorf("runner: Reps %d < 0", o.Reps)
	}
	if _, err := regexp.Compile(o.Bench); err != nil {
		return fmt.Errorf("-bench: %w", err)
	}
	return nil
}

// build compiles dir's test binary to bin.
func build(ctx context.Context, dir, bin string, progress io.Writer) error {
	fmt.Fprintf(progress, "benchreport: building the test binary of %s\n", dir)
	cmd := exec.CommandContext(ctx, "go", "test", "-c", "-o", bin, ".")
	cmd.Dir = dir
	inGroup(cmd)
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		return errInterrupted
	}
	if err != nil {
		return fmt.Errorf("go test -c in %s: %w\n%s", dir, err, out)
	}
	return nil
}

// testArgs are the test binary's arguments that run the benchmarks
// matching bench once each.
func (o *Options) testArgs(bench, benchtime string) []string {
	timeout := o.Timeout
	if timeout == 0 {
		timeout = 60 * time.Minute
	}
	if bench == "" {
		bench = "."
	}
	args := []string{"-test.run", "^$", "-test.bench", bench, "-test.benchtime", benchtime,
		"-test.count", "1", "-test.timeout", timeout.String()}
	if o.Short {
		args = append(args, "-test.short")
	}
	return args
}

// Provenance returns the configuration lines that say what made a results
// file: the Go release, the commit of the checkout that holds dir (with
// "-dirty" when tracked files have changes), GOMAXPROCS and the number of
// CPUs. The test binary adds goos, goarch, pkg and cpu.
func Provenance(ctx context.Context, dir string) []string {
	goVersion := runtime.Version()
	if out, err := exec.CommandContext(ctx, "go", "env", "GOVERSION").Output(); err == nil {
		goVersion = strings.TrimSpace(string(out))
	}
	commit := "unknown"
	if out, err := exec.CommandContext(ctx, "git", "-C", dir, "rev-parse", "HEAD").Output(); err == nil {
		commit = strings.TrimSpace(string(out))
		st, err := exec.CommandContext(ctx, "git", "-C", dir, "status", "--porcelain", "--untracked-files=no").Output()
		if err == nil && len(bytes.TrimSpace(st)) > 0 {
			commit += "-dirty"
		}
	}
	return []string{
		"go: " + goVersion,
		"commit: " + commit,
		// The test binary sees the same GOMAXPROCS: it inherits the
		// environment and runs under the same CPU limits.
		"gomaxprocs: " + strconv.Itoa(runtime.GOMAXPROCS(0)),
		"cpus: " + strconv.Itoa(runtime.NumCPU()),
	}
}

// writeAtomic writes data to a temporary file in path's directory and
// renames it to path, so that path is never half-written.
func writeAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".partial.*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
