package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

const runUsage = `Usage: benchreport run [flags]

run runs the benchmark suite on this machine: go test -run '^$' -bench
in the peers module of this checkout (which measures localbench's
strategies, the floors and the peer libraries on the same workloads). It
shows progress on standard error, then writes a new results file, with
provenance lines (go:, commit:, gomaxprocs:, cpus:) before the output of
go test, and prints the report of it. The file is written only when the
run succeeds: interrupting it (Ctrl-C) leaves no file behind.

It must run inside a localbench checkout.

Flags:
`

// moduleRoot is localbench's module path, which run looks for.
const modulePath = "github.com/localbench/localbench"

func runCmd(stdout, stderr io.Writer, args []string) error {
	fs := flag.NewFlagSet("benchreport run", flag.ContinueOnError)
	count := fs.Int("count", 6, "run each benchmark `n` times (benchstat wants at least 6, ideally 10)")
	benchtime := fs.String("benchtime", "", "go test -benchtime `d` (default go test's, 1s)")
	bench := fs.String("bench", ".", "run only the benchmarks matching `regexp`")
	short := fs.Bool("short", false, "pass -short to go test: smaller sweeps")
	out := fs.String("o", "", "write the results to `file` (default results/DATE-MACHINE.txt in the checkout)")
	machine := fs.String("machine", "", "the machine's `name` in the default file name (default: the host name)")
	if err := parseFlags(fs, stdout, runUsage, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("run takes no arguments, got %q", fs.Args())
	}
	if *count < 1 {
		return fmt.Errorf("-count must be at least 1, not %d", *count)
	}
	if _, err := regexp.Compile(*bench); err != nil {
		return fmt.Errorf("-bench: %w", err)
	}
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	root, err := findModuleRoot(wd)
	if err != nil {
		return err
	}
	peers := filepath.Join(root, "peers")
	if _, err := os.Stat(filepath.Join(peers, "go.mod")); err != nil {
		return fmt.Errorf("this checkout has no peers module: %w", err)
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

	cmd := []string{"go", "test", "-run", "^$", "-bench", *bench, "-count", strconv.Itoa(*count)}
	if *benchtime != "" {
		cmd = append(cmd, "-benchtime", *benchtime)
	}
	if *short {
		cmd = append(cmd, "-short")
	}
	s := &suiteRun{
		dir:      peers,
		command:  cmd,
		header:   provenanceLines(ctx, root),
		progress: stderr,
		tty:      isTerminal(stderr),
	}
	s.workloads = listWorkloads(ctx, peers, *bench)
	s.expected = expectedResults(s.workloads, *count)
	data, err := s.run(ctx)
	if err != nil {
		return err
	}
	if err := writeAtomic(path, data); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "benchreport: wrote %s\n", path)
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

// provenanceLines are the configuration lines written before go test's
// output: which Go and commit made the results, and on how many CPUs.
func provenanceLines(ctx context.Context, root string) []string {
	goVersion := runtime.Version()
	if out, err := exec.CommandContext(ctx, "go", "env", "GOVERSION").Output(); err == nil {
		goVersion = strings.TrimSpace(string(out))
	}
	commit := "unknown"
	if out, err := exec.CommandContext(ctx, "git", "-C", root, "rev-parse", "HEAD").Output(); err == nil {
		commit = strings.TrimSpace(string(out))
		if st, err := exec.CommandContext(ctx, "git", "-C", root, "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(bytes.TrimSpace(st)) > 0 {
			commit += "-dirty"
		}
	}
	return []string{
		"go: " + goVersion,
		"commit: " + commit,
		"gomaxprocs: " + strconv.Itoa(runtime.GOMAXPROCS(0)),
		"cpus: " + strconv.Itoa(runtime.NumCPU()),
	}
}

// listWorkloads returns the top-level benchmarks that -bench selects, in
// the order go test runs them, or nil if they cannot be listed.
func listWorkloads(ctx context.Context, dir, bench string) []string {
	top, _, _ := strings.Cut(bench, "/")
	cmd := exec.CommandContext(ctx, "go", "test", "-run", "^$", "-list", top)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return nil
	}
	var names []string
	for line := range strings.Lines(string(out)) {
		if name := strings.TrimSpace(line); strings.HasPrefix(name, "Benchmark") {
			names = append(names, strings.TrimPrefix(name, "Benchmark"))
		}
	}
	return names
}

// expectedResults estimates how many result lines a run prints: count
// times the sub-benchmarks each workload had in the newest shipped
// results, or their average for a workload they lack. It returns 0 if it
// cannot tell.
func expectedResults(workloads []string, count int) int {
	in, err := inputs(nil, nil)
	if err != nil {
		return 0
	}
	d, err := read(in)
	if err != nil {
		return 0
	}
	leaves := make(map[string]map[string]bool)
	for _, res := range d.results {
		w := string(res.Name.Base())
		if leaves[w] == nil {
			leaves[w] = make(map[string]bool)
		}
		leaves[w][string(res.Name.Full())] = true
	}
	if len(leaves) == 0 || len(workloads) == 0 {
		return 0
	}
	total := 0
	for _, l := range leaves {
		total += len(l)
	}
	avg := (total + len(leaves) - 1) / len(leaves)
	n := 0
	for _, w := range workloads {
		if l, ok := leaves[w]; ok {
			n += len(l)
		} else {
			n += avg
		}
	}
	return n * count
}

// A suiteRun runs a benchmark command and collects its output.
type suiteRun struct {
	dir       string   // where to run command
	command   []string // go test …
	header    []string // lines written before the output
	workloads []string // top-level benchmarks, in order; may be nil
	expected  int      // result lines expected; 0 if unknown
	progress  io.Writer
	tty       bool // progress rewrites one line
	now       func() time.Time
}

// run runs the command and returns the header and its standard output.
// It fails if the command fails or prints no results; on cancellation it
// interrupts the command's whole process group and returns an error.
func (s *suiteRun) run(ctx context.Context) ([]byte, error) {
	if s.now == nil {
		s.now = time.Now
	}
	cmd := exec.Command(s.command[0], s.command[1:]...)
	cmd.Dir = s.dir
	cmd.Stderr = s.progress
	startInGroup(cmd)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", strings.Join(s.command, " "), err)
	}
	// Interrupt the whole group on cancellation: go test runs the test
	// binary as a child, which a signal to go alone would orphan.
	done := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			interruptGroup(cmd)
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				killGroup(cmd)
			}
		case <-done:
		}
	}()

	var buf bytes.Buffer
	for _, h := range s.header {
		buf.WriteString(h + "\n")
	}
	p := progress{w: s.progress, tty: s.tty, workloads: s.workloads, expected: s.expected, start: s.now(), now: s.now}
	var tail []string
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := sc.Text()
		buf.WriteString(line + "\n")
		tail = append(tail, line)
		if len(tail) > 20 {
			tail = tail[1:]
		}
		p.line(line)
	}
	scanErr := sc.Err()
	if scanErr != nil {
		io.Copy(io.Discard, stdout) // let the command finish
	}
	err = cmd.Wait()
	close(done)
	p.finish()
	if ctx.Err() != nil {
		return nil, errors.New("interrupted; no results file was written")
	}
	if err != nil {
		return nil, fmt.Errorf("%s in %s: %w; the last lines of its output:\n%s",
			strings.Join(s.command, " "), s.dir, err, strings.Join(tail, "\n"))
	}
	if scanErr != nil {
		return nil, fmt.Errorf("reading the output of %s: %w", strings.Join(s.command, " "), scanErr)
	}
	if p.results == 0 {
		return nil, fmt.Errorf("%s printed no benchmark results; no results file was written", strings.Join(s.command, " "))
	}
	return buf.Bytes(), nil
}

// progress reports a run's progress from its output lines: the workload
// running, results so far of those expected, time elapsed and an estimate
// of the time left.
type progress struct {
	w         io.Writer
	tty       bool
	workloads []string
	expected  int
	start     time.Time
	now       func() time.Time

	current string
	results int
	shown   bool      // a tty line is showing
	last    time.Time // when a line was last printed, off a tty
}

// quietFor is how long progress off a terminal stays silent within a
// workload.
const quietFor = 30 * time.Second

// resultLine matches a benchmark result line: name, iterations, a value.
var resultLine = regexp.MustCompile(`^Benchmark(\S+?)(?:-\d+)?\s+\d+\s+\S+ `)

func (p *progress) line(line string) {
	m := resultLine.FindStringSubmatch(line)
	if m == nil {
		return
	}
	p.results++
	w, _, _ := strings.Cut(m[1], "/")
	started := w != p.current
	p.current = w
	now := p.now()
	switch {
	case p.tty:
		fmt.Fprintf(p.w, "\r\033[K%s", p.status(now))
		p.shown = true
	case started || now.Sub(p.last) >= quietFor:
		fmt.Fprintln(p.w, "benchreport:", p.status(now))
		p.last = now
	}
}

func (p *progress) status(now time.Time) string {
	var b strings.Builder
	b.WriteString(p.current)
	if i := slices.Index(p.workloads, p.current); i >= 0 {
		fmt.Fprintf(&b, " (workload %d of %d)", i+1, len(p.workloads))
	}
	fmt.Fprintf(&b, ": %d results", p.results)
	if p.expected > 0 {
		fmt.Fprintf(&b, " of ~%d", max(p.expected, p.results))
	}
	elapsed := now.Sub(p.start)
	fmt.Fprintf(&b, ", %s elapsed", elapsed.Round(time.Second))
	if p.expected > p.results && p.results > 0 {
		left := time.Duration(float64(elapsed) * float64(p.expected-p.results) / float64(p.results))
		fmt.Fprintf(&b, ", ~%s left", left.Round(time.Second))
	}
	return b.String()
}

// finish ends the progress report with the totals.
func (p *progress) finish() {
	if p.tty && p.shown {
		fmt.Fprint(p.w, "\r\033[K")
	}
	if p.results > 0 {
		fmt.Fprintf(p.w, "benchreport: %d results in %s\n", p.results, p.now().Sub(p.start).Round(time.Second))
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
