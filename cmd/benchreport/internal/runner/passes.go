package runner

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os/exec"
	"regexp"
	"strings"
	"time"
)

// passes runs the Count timed passes and returns their output, one after
// another.
func (o *Options) passes(ctx context.Context) ([]byte, error) {
	var all bytes.Buffer
	m := newMeter(o.Progress, o.Terminal, o.Now)
	defer m.done()
	var durations []time.Duration
	perPass := 0 // result lines of the first pass
	for pass := 1; pass <= o.Count; pass++ {
		passStart := o.Now()
		results := 0
		status := func(workload string) string {
			s := fmt.Sprintf("timed pass %d of %d", pass, o.Count)
			if workload != "" {
				s += ", " + workload
			}
			s += fmt.Sprintf(": %d", results)
			if perPass > 0 {
				s += fmt.Sprintf(" of %d", perPass)
			}
			now := o.Now()
			s += fmt.Sprintf(" results, %s elapsed", now.Sub(m.start).Round(time.Second))
			if len(durations) > 0 {
				left := timeLeft(durations, now.Sub(passStart), o.Count-pass)
				s += fmt.Sprintf(", ~%s left", left.Round(time.Second))
			} else if o.Count > 1 {
				s += ", time left known after the first pass"
			}
			return s
		}
		m.show(true, status(""))
		out, err := o.runBinary(ctx, o.testArgs(o.Bench, o.Benchtime), func(line string) {
			if w, ok := resultWorkload(line); ok {
				results++
				m.show(false, status(w))
			}
		})
		if err != nil {
			return nil, err
		}
		if results == 0 {
			return nil, fmt.Errorf("%s -test.bench %q: %w; no results file was written", o.Binary, o.Bench, ErrNoResults)
		}
		if pass == 1 {
			perPass = results
		}
		durations = append(durations, o.Now().Sub(passStart))
		all.Write(out)
	}
	if o.Count > 0 {
		passes := "passes"
		if o.Count == 1 {
			passes = "pass"
		}
		m.show(true, fmt.Sprintf("%d timed %s in %s", o.Count, passes, o.Now().Sub(m.start).Round(time.Second)))
	}
	return all.Bytes(), nil
}

// timeLeft estimates the time left from the durations of the passes
// made: the rest of the pass under way, which has run for inPass, and
// after more passes.
func timeLeft(durations []time.Duration, inPass time.Duration, after int) time.Duration {
	var sum time.Duration
	for _, d := range durations {
		sum += d
	}
	avg := sum / time.Duration(len(durations))
	return max(avg-inPass, 0) + avg*time.Duration(after)
}

// list runs every selected benchmark once with one iteration, for the
// names and configuration of the sub-benchmarks to count when there are no
// timed passes.
func (o *Options) list(ctx context.Context) ([]byte, error) {
	fmt.Fprintln(o.Progress, "benchreport: listing the sub-benchmarks (each run once)")
	return o.runBinary(ctx, o.testArgs(o.Bench, "1x"), func(string) {})
}

// runBinary runs the test binary with args in o.Dir, calls line for each
// line of its standard output and returns that output. Its standard error
// goes to o.Progress.
func (o *Options) runBinary(ctx context.Context, args []string, line func(string)) ([]byte, error) {
	cmd := exec.CommandContext(ctx, o.Binary, args...)
	cmd.Dir = o.Dir
	cmd.Stderr = o.Progress
	inGroup(cmd)
	cmd.WaitDelay = 5 * time.Second
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", o.Binary, err)
	}
	var buf bytes.Buffer
	var tail []string
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		l := sc.Text()
		buf.WriteString(l + "\n")
		if tail = append(tail, l); len(tail) > 20 {
			tail = tail[1:]
		}
		line(l)
	}
	scanErr := sc.Err()
	if scanErr != nil {
		io.Copy(io.Discard, stdout) // let the process finish
	}
	err = cmd.Wait()
	if ctx.Err() != nil {
		return nil, errInterrupted
	}
	if err != nil {
		return nil, fmt.Errorf("%s %s in %s: %w; the last lines of its output:\n%s",
			o.Binary, strings.Join(args, " "), o.Dir, err, strings.Join(tail, "\n"))
	}
	if scanErr != nil {
		return nil, fmt.Errorf("reading the output of %s: %w", o.Binary, scanErr)
	}
	return buf.Bytes(), nil
}

// resultLine matches a benchmark result line: name, iterations, a value.
var resultLine = regexp.MustCompile(`^Benchmark([^\s/]+)\S*\s+\d+\s+\S+ `)

// resultWorkload returns the top-level benchmark of a result line.
func resultWorkload(line string) (string, bool) {
	m := resultLine.FindStringSubmatch(line)
	if m == nil {
		return "", false
	}
	return m[1], true
}

// A meter shows progress: on a terminal by rewriting one line, elsewhere
// by printing a line when asked to or at most every quietFor.
type meter struct {
	w     io.Writer
	tty   bool
	now   func() time.Time
	start time.Time
	last  time.Time // when a line was last printed, off a terminal
	shown bool      // a terminal line is showing
}

// quietFor is how long progress off a terminal stays silent unless told.
const quietFor = 30 * time.Second

func newMeter(w io.Writer, tty bool, now func() time.Time) *meter {
	t := now()
	return &meter{w: w, tty: tty, now: now, start: t, last: t}
}

// show shows status; off a terminal only if force or after quietFor.
func (m *meter) show(force bool, status string) {
	now := m.now()
	switch {
	case m.tty:
		fmt.Fprintf(m.w, "\r\033[K%s", status)
		m.shown = true
	case force || now.Sub(m.last) >= quietFor:
		fmt.Fprintln(m.w, "benchreport:", status)
		m.last = now
	}
}

// done ends a terminal's progress line.
func (m *meter) done() {
	if m.tty && m.shown {
		fmt.Fprint(m.w, "\n")
		m.shown = false
	}
}
