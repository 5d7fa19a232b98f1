package runner

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"maps"
	"math"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/perf/benchfmt"
)

// ExactUnit is the unit of the exact counts.
const ExactUnit = "instructions/op"

// ExactEnv is the environment of a counted run: no garbage collection (its
// work depends on timing and would differ between the two runs), one P and
// no asynchronous preemption (so that the scheduler does the same in every
// run).
var ExactEnv = []string{"GOGC=off", "GOMAXPROCS=1", "GODEBUG=asyncpreemptoff=1"}

// The iterations of a count: a first run of base iterations, then an
// estimate made with at least estimateDiff more instructions, and a
// fiftieth of the first run's (enough to size the difference; from
// estimateStart more iterations, ten times more until it is reached or
// estimateMax)), then Reps pairs of runs whose difference is at least
// minDiff instructions and twice the first run's count, and at most
// maxDiff. The first pair reuses the first run.
const (
	base          = 100
	estimateStart = 1000
	estimateMax   = 10_000_000
	estimateDiff  = 1e7
	minDiff       = 1e8
	maxDiff       = 4e9
)

// A sub is one sub-benchmark to count.
type sub struct {
	full   string            // name as the timed results print it, without "Benchmark": "Get/strategy=mapid-2"
	plain  string            // without the -N suffix: "Get/strategy=mapid"
	config []benchfmt.Config // configuration of its timed results
	count  exactCount        // what was measured
}

// exactCount is the result of counting one sub-benchmark.
type exactCount struct {
	median, min, max float64 // instructions per op
	ops              int     // N2 - N1
	n                int     // counts made
}

// subs returns the sub-benchmarks of a benchmark output that are to be
// counted, in the order of their first result, with their configuration.
func (o *Options) subs(output []byte) ([]*sub, error) {
	var subs []*sub
	seen := make(map[string]bool)
	r := benchfmt.NewReader(bytes.NewReader(output), "timed output")
	for r.Scan() {
		res, ok := r.Result().(*benchfmt.Result)
		if !ok {
			continue
		}
		full := string(res.Name.Full())
		if seen[full] {
			continue
		}
		seen[full] = true
		plain := stripProcs(full)
		if o.ExactSkip != nil && o.ExactSkip.MatchString(plain) {
			continue
		}
		// The reader reuses its buffers: copy the configuration.
		config := slices.Clone(res.Config)
		for i := range config {
			config[i].Value = slices.Clone(config[i].Value)
		}
		subs = append(subs, &sub{full: full, plain: plain, config: config})
	}
	if err := r.Err(); err != nil {
		return nil, err
	}
	return subs, nil
}

// procsSuffix is the -N GOMAXPROCS suffix go test adds to a benchmark
// name when GOMAXPROCS is not 1.
var procsSuffix = regexp.MustCompile(`-\d+$`)

func stripProcs(name string) string { return procsSuffix.ReplaceAllString(name, "") }

// benchRegexp returns the -test.bench pattern that selects exactly the
// sub-benchmark plain.
func benchRegexp(plain string) string {
	parts := strings.Split(plain, "/")
	for i, p := range parts {
		parts[i] = "^" + regexp.QuoteMeta(p) + "$"
	}
	parts[0] = "^Benchmark" + parts[0][1:]
	return strings.Join(parts, "/")
}

// counts counts every sub-benchmark of listing and returns the lines to
// append to the file after timed and the configuration lines to add to
// its header.
func (o *Options) counts(ctx context.Context, listing, timed []byte) (lines []byte, header []string, err error) {
	subs, err := o.subs(listing)
	if err != nil {
		return nil, nil, err
	}
	if len(subs) == 0 {
		return nil, nil, fmt.Errorf("no sub-benchmark to count: %w", ErrNoResults)
	}
	vg := o.Valgrind
	if vg == "" {
		vg = "valgrind"
	}
	version, err := exec.CommandContext(ctx, vg, "--version").Output()
	if err != nil {
		return nil, nil, fmt.Errorf("-exact needs valgrind (Debian: apt-get install valgrind): %w", err)
	}
	c := counter{o: o, valgrind: vg}
	if err := c.all(ctx, subs); err != nil {
		return nil, nil, err
	}

	reps := o.reps()
	worst := subs[0]
	wide := 0
	for _, s := range subs {
		if spread(s.count) > spread(worst.count) {
			worst = s
		}
		if s.count.n > reps {
			wide++
			fmt.Fprintf(o.Progress, "benchreport: %s: %d counts from %s to %s %s, median %s\n",
				s.full, s.count.n, formatCount(s.count.min), formatCount(s.count.max), ExactUnit, formatCount(s.count.median))
		}
	}
	header = []string{
		fmt.Sprintf("instructions: %s --tool=cachegrind --cache-sim=no; env %s; (I2-I1)/(N2-N1) over the whole process, median of %d counts (%d where they spread more than %g%%); sub-benchmark names keep the timed runs' -N suffix",
			strings.TrimSpace(string(version)), strings.Join(ExactEnv, " "), reps, 3*reps, 100*spreadLimit),
		fmt.Sprintf("instructions-spread: largest (max-min)/median %.3f%% (%s: %s to %s); %d of %d spread more than %g%%",
			100*spread(worst.count), worst.full, formatCount(worst.count.min), formatCount(worst.count.max), wide, len(subs), 100*spreadLimit),
	}

	var b bytes.Buffer
	fmt.Fprintf(&b, "Unit %s assume=exact better=lower\n", ExactUnit)
	// Restate each result's configuration (workload: …) as the timed
	// results had it, so that both land in the same tables; remove keys
	// the end of the timed output set that it lacks.
	state := endConfig(timed)
	for _, s := range subs {
		want := make(map[string]string)
		for _, c := range s.config {
			want[c.Key] = string(c.Value)
		}
		for _, k := range slices.Sorted(maps.Keys(state)) {
			if _, ok := want[k]; !ok {
				fmt.Fprintf(&b, "%s:\n", k)
				delete(state, k)
			}
		}
		for _, c := range s.config {
			if v, ok := state[c.Key]; !ok || v != string(c.Value) {
				fmt.Fprintf(&b, "%s: %s\n", c.Key, c.Value)
				state[c.Key] = string(c.Value)
			}
		}
		fmt.Fprintf(&b, "Benchmark%s\t%d\t%s %s\n", s.full, s.count.ops, formatCount(s.count.median), ExactUnit)
	}
	return b.Bytes(), header, nil
}

// endConfig returns the configuration in effect at the end of output.
func endConfig(output []byte) map[string]string {
	const probe = "BenchmarkEndOfOutput 1 1 probe/op\n"
	data := append(slices.Clip(output), "\n"+probe...)
	r := benchfmt.NewReader(bytes.NewReader(data), "")
	cfg := make(map[string]string)
	for r.Scan() {
		if res, ok := r.Result().(*benchfmt.Result); ok && string(res.Name) == "EndOfOutput" {
			for _, c := range res.Config {
				if c.File {
					cfg[c.Key] = string(c.Value)
				}
			}
		}
	}
	return cfg
}

func formatCount(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }

// spread is a count's range as a fraction of its median.
func spread(c exactCount) float64 {
	if c.median == 0 {
		return 0
	}
	return (c.max - c.min) / math.Abs(c.median)
}

func (o *Options) reps() int {
	if o.Reps == 0 {
		return 3
	}
	return o.Reps
}

// A counter counts sub-benchmarks under valgrind.
type counter struct {
	o        *Options
	valgrind string
}

// all counts subs, Jobs at a time, showing progress.
func (c *counter) all(ctx context.Context, subs []*sub) error {
	jobs := c.o.Jobs
	if jobs <= 0 {
		jobs = runtime.NumCPU()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	m := newMeter(c.o.Progress, c.o.Terminal, c.o.Now)
	defer m.done()
	m.show(true, fmt.Sprintf("counting instructions of %d sub-benchmarks under valgrind, %d at a time", len(subs), jobs))

	var (
		mu       sync.Mutex
		firstErr error
		done     int
		next     int
		wg       sync.WaitGroup
	)
	for range min(jobs, len(subs)) {
		wg.Go(func() {
			for {
				mu.Lock()
				if next == len(subs) || firstErr != nil {
					mu.Unlock()
					return
				}
				s := subs[next]
				next++
				mu.Unlock()

				cnt, err := c.count(ctx, s.plain)
				mu.Lock()
				if err != nil {
					if firstErr == nil {
						firstErr = err
						cancel()
					}
					mu.Unlock()
					return
				}
				s.count = cnt
				done++
				elapsed := c.o.Now().Sub(m.start)
				left := time.Duration(float64(elapsed) * float64(len(subs)-done) / float64(done))
				m.show(false, fmt.Sprintf("counted %d of %d (%s: %s %s), %s elapsed, ~%s left",
					done, len(subs), s.full, formatCount(cnt.median), ExactUnit,
					elapsed.Round(time.Second), left.Round(time.Second)))
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	m.show(true, fmt.Sprintf("counted %d sub-benchmarks in %s", len(subs), c.o.Now().Sub(m.start).Round(time.Second)))
	return nil
}

// count counts the instructions per operation of the sub-benchmark plain.
func (c *counter) count(ctx context.Context, plain string) (exactCount, error) {
	i1, err := c.instructions(ctx, plain, base)
	if err != nil {
		return exactCount{}, err
	}
	// A first estimate, to size the difference.
	var perOp float64
	for n := estimateStart; ; n *= 10 {
		i2, err := c.instructions(ctx, plain, base+n)
		if err != nil {
			return exactCount{}, err
		}
		if d := float64(i2 - i1); d >= max(estimateDiff, float64(i1)/50) || n >= estimateMax {
			perOp = d / float64(n)
			break
		}
	}
	if perOp <= 0 {
		return exactCount{}, fmt.Errorf("counting %s: more iterations made no more instructions", plain)
	}
	target := min(max(minDiff, 2*float64(i1)), maxDiff)
	ops := max(int(math.Ceil(target/perOp)), 10)

	// Reps counts, each from a fresh pair of processes; three times as
	// many if they spread more than spreadLimit.
	reps := c.o.reps()
	var vals []float64
	for r := 0; r < reps; r++ {
		lo := i1 // the first pair reuses the estimate's first run
		if r > 0 {
			if lo, err = c.instructions(ctx, plain, base); err != nil {
				return exactCount{}, err
			}
		}
		hi, err := c.instructions(ctx, plain, base+ops)
		if err != nil {
			return exactCount{}, err
		}
		vals = append(vals, float64(hi-lo)/float64(ops))
		if r == reps-1 && reps == c.o.reps() && spread(summarize(vals, ops)) > spreadLimit {
			reps *= 3
		}
	}
	return summarize(vals, ops), nil
}

// spreadLimit is the spread of a sub-benchmark's counts, as a fraction of
// their median, beyond which more counts are made. The count of an
// operation that looks up a hash map varies between processes: the map's
// hash seed is random, and with it how many probes a lookup makes.
const spreadLimit = 0.01

// summarize returns the median and range of vals.
func summarize(vals []float64, ops int) exactCount {
	vals = slices.Sorted(slices.Values(vals))
	med := vals[len(vals)/2]
	if len(vals)%2 == 0 {
		med = (vals[len(vals)/2-1] + vals[len(vals)/2]) / 2
	}
	return exactCount{median: med, min: vals[0], max: vals[len(vals)-1], ops: ops, n: len(vals)}
}

// irefs matches cachegrind's summary of instructions executed.
var irefs = regexp.MustCompile(`(?m)^==\d+== I\s+refs:\s+([\d,]+)\s*$`)

// instructions runs the sub-benchmark plain for n iterations under
// cachegrind and returns the instructions the whole process executed.
func (c *counter) instructions(ctx context.Context, plain string, n int) (int64, error) {
	args := []string{"--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null", c.o.Binary}
	args = append(args, c.o.testArgs(benchRegexp(plain), strconv.Itoa(n)+"x")...)
	cmd := exec.CommandContext(ctx, c.valgrind, args...)
	cmd.Dir = c.o.Dir
	cmd.Env = append(os.Environ(), ExactEnv...)
	inGroup(cmd)
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		return 0, errInterrupted
	}
	what := fmt.Sprintf("counting %s (%dx)", plain, n)
	if err != nil {
		return 0, fmt.Errorf("%s: valgrind %s: %w\n%s%s", what, strings.Join(args, " "), err, lastLines(&stdout, 10), lastLines(&stderr, 10))
	}
	// The run must have run exactly that sub-benchmark, n times.
	var ran []string
	sc := bufio.NewScanner(&stdout)
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) >= 3 && strings.HasPrefix(f[0], "Benchmark") {
			ran = append(ran, f[0]+" "+f[1])
		}
	}
	if want := "Benchmark" + plain + " " + strconv.Itoa(n); len(ran) != 1 || ran[0] != want {
		return 0, fmt.Errorf("%s: ran %q, want one result %q", what, ran, want)
	}
	m := irefs.FindSubmatch(stderr.Bytes())
	if m == nil {
		return 0, fmt.Errorf("%s: no \"I refs\" line in valgrind's output:\n%s", what, lastLines(&stderr, 10))
	}
	v, err := strconv.ParseInt(strings.ReplaceAll(string(m[1]), ",", ""), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	return v, nil
}

// lastLines returns the last n lines of b.
func lastLines(b *bytes.Buffer, n int) string {
	lines := strings.SplitAfter(b.String(), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "")
}
