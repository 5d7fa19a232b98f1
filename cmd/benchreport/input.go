package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"golang.org/x/perf/benchfmt"

	"github.com/localbench/localbench/results"
)

// An input is one results file: a path, "-" for standard input, or a file
// shipped in package results.
type input struct {
	label string // the value of .file
	name  string // the name used in messages
	open  func() (io.ReadCloser, error)
}

// inputs returns the inputs named by args, with benchstat's conventions: an
// argument label=path reads path and labels its results .file=label; a path
// given twice is labelled path#0, path#1. With no arguments it returns the
// newest results file shipped with the module.
func inputs(args []string, stdin io.Reader) ([]input, error) {
	if len(args) == 0 {
		name := results.Latest()
		if name == "" {
			return nil, errors.New("no file arguments, and no results are shipped with this build")
		}
		return []input{shipped(name)}, nil
	}
	count := make(map[string]int)
	for _, a := range args {
		if !strings.Contains(a, "=") {
			count[a]++
		}
	}
	seen := make(map[string]int)
	var in []input
	for _, a := range args {
		label, path, labelled := strings.Cut(a, "=")
		if !labelled {
			path = a
			if count[a] > 1 {
				label = fmt.Sprintf("%s#%d", a, seen[a])
				seen[a]++
			}
		}
		if path == "" {
			return nil, fmt.Errorf("%q: empty file name", a)
		}
		if path == "-" {
			in = append(in, input{label: label, name: "<stdin>", open: func() (io.ReadCloser, error) {
				return io.NopCloser(stdin), nil
			}})
			continue
		}
		in = append(in, input{label: label, name: path, open: func() (io.ReadCloser, error) {
			return openFile(path)
		}})
	}
	return in, nil
}

// openFile opens a results file, refusing a directory up front (reading
// one fails with a less clear message).
func openFile(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		f.Close()
		return nil, fmt.Errorf("%s is a directory, not a results file", path)
	}
	return f, nil
}

// shipped returns the input for a results file shipped with the module.
func shipped(name string) input {
	return input{label: name, name: "results/" + name, open: func() (io.ReadCloser, error) {
		return results.FS.Open(name)
	}}
}

// A dataset is every result read from the inputs, in order.
type dataset struct {
	results  []*benchfmt.Result
	units    benchfmt.UnitMetadataMap
	inputs   []input
	warnings []string // what read skipped, as benchstat reports it
	empty    []string // inputs with no results, beside others with some
}

// warn writes the dataset's warnings to w, one a line: benchstat's, then,
// unless benchstat is set (benchstat says nothing of them), the inputs
// that had no results.
func (d *dataset) warn(w io.Writer, benchstat bool) {
	for _, s := range d.warnings {
		fmt.Fprintln(w, s)
	}
	if !benchstat {
		for _, name := range d.empty {
			fmt.Fprintln(w, name+": no benchmark results")
		}
	}
}

// maxErrors is how many bad measurements read reports before it stops.
const maxErrors = 5

// read reads every input. It skips what benchstat skips, with benchstat's
// warning (file:line: message) in the dataset: a line with a syntax error,
// such as a truncated last line, and a Unit line that conflicts with an
// earlier one. An input with no results is a warning too, if another has
// some. It fails on a file that cannot be read, on NaN and infinite
// measurements (benchstat accepts them and runs out of memory) and on a
// line longer than 64 KiB (benchstat fails too), each reported as
// file:line, and when there are no results at all.
func read(in []input) (*dataset, error) {
	d := &dataset{inputs: in}
	var r benchfmt.Reader
	var bad []string
	nBad := 0
	var empty []string
	for _, inp := range in {
		f, err := inp.open()
		if err != nil {
			return nil, err
		}
		lines := &lineCounter{r: f}
		r.Reset(lines, inp.name, ".file", inp.label)
		n := 0
		for r.Scan() {
			switch rec := r.Result().(type) {
			case *benchfmt.SyntaxError:
				d.warnings = append(d.warnings, rec.Error())
			case *benchfmt.Result:
				if err := checkValues(rec); err != nil {
					nBad++
					if len(bad) < maxErrors {
						bad = append(bad, err.Error())
					}
					continue
				}
				n++
				d.results = append(d.results, rec.Clone())
			}
		}
		err = r.Err()
		f.Close()
		if errors.Is(err, bufio.ErrTooLong) {
			// benchfmt's error names the line before the long one, and
			// bufio's message; the rest of the file cannot be read.
			nBad++
			if len(bad) < maxErrors {
				bad = append(bad, tooLong(inp.name, lines).Error())
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		if n == 0 {
			empty = append(empty, inp.name)
		}
	}
	if nBad > 0 {
		msg := strings.Join(bad, "\n")
		if more := nBad - len(bad); more > 0 {
			msg += fmt.Sprintf("\n(and %d more errors)", more)
		}
		return nil, errors.New(msg)
	}
	if len(d.results) == 0 {
		msg := strings.Join(d.warnings, "\n")
		if msg != "" {
			msg += "\n"
		}
		return nil, errors.New(msg + strings.Join(empty, ", ") + ": no benchmark results")
	}
	d.empty = empty
	d.units = r.Units()
	return d, nil
}

// checkValues returns an error at res's file:line if a measurement is NaN
// or infinite. benchfmt reads "NaN", "+Inf" and "-Inf" as numbers, but the
// statistics cannot use them: the U-test that benchmath runs
// (github.com/aclements/go-moremath's MannWhitneyUTest) never gets past a
// NaN, and allocates until memory runs out; an infinite sample gives an
// infinite center and spread, which the tables would print as if measured
// ("+InfT ± ∞") and the charts cannot plot.
func checkValues(res *benchfmt.Result) error {
	for _, v := range res.Values {
		var what string
		switch {
		case math.IsNaN(v.Value):
			what = "NaN"
		case math.IsInf(v.Value, 0):
			what = "infinite"
		default:
			continue
		}
		unit := v.OrigUnit
		if unit == "" {
			unit = v.Unit
		}
		file, line := res.Pos()
		return &benchfmt.SyntaxError{FileName: file, Line: line, Msg: "measurement in " + unit + " is " + what}
	}
	return nil
}

// maxLine is the longest line benchfmt.Reader can read, counting its
// newline: the bufio.Scanner inside it keeps the default limit,
// bufio.MaxScanTokenSize, and no option changes it. (A last line with no
// newline gets no byte more, so one of exactly maxLine bytes is refused
// too, and the message calls it longer than it is by one byte.)
const maxLine = bufio.MaxScanTokenSize

// tooLong returns the error for a line over maxLine in the file called
// name, whose reading stopped with bufio.ErrTooLong. The scanner gives up
// with the long line's first maxLine bytes buffered, no newline among them,
// and reads nothing beyond its buffer, so lines has counted the newline of
// every line before the long one and no other.
func tooLong(name string, lines *lineCounter) error {
	return &benchfmt.SyntaxError{FileName: name, Line: lines.n + 1, Msg: fmt.Sprintf("line longer than %d KiB", maxLine>>10)}
}

// A lineCounter is an io.Reader that counts the newlines read through it.
// It lets read name the line at which benchfmt.Reader gave up, for any
// input, standard input included, without reading the input twice.
type lineCounter struct {
	r io.Reader
	n int // newlines read so far
}

func (c *lineCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += bytes.Count(p[:n], []byte{'\n'})
	return n, err
}
