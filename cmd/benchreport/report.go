package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

const reportUsage = `Usage: benchreport [flags] [files...]
       benchreport run [flags]
       benchreport choose [flags] [files...]

benchreport turns Go benchmark results into comparison tables: by default
one table per workload and unit, a column per strategy, each compared with
the plain-parameter floor (param) where it was measured and else with
mapid. With no files it reads the newest results shipped with localbench.
A file argument may be label=path, and - is standard input.

"benchreport run" runs the suite on this machine and writes a new results
file; "benchreport choose" recommends a strategy for what you need. Run
them with -h for their flags. See "go doc ./cmd/benchreport" for the manual.

Flags:
`

// reportCmd is the default command: read, tabulate, render.
func reportCmd(stdout, stderr io.Writer, args []string) error {
	var f reportFlags
	fs := newReportFlagSet(&f)
	if err := parseFlags(fs, stderr, reportUsage, args); err != nil {
		return err
	}
	q, err := f.parse()
	if err != nil {
		return err
	}
	in, err := inputs(fs.Args(), os.Stdin)
	if err != nil {
		return err
	}
	d, err := read(in)
	if err != nil {
		return err
	}
	return q.emit(d, stdout, stderr)
}

// emit builds and renders the report, to -o or to w.
func (q *query) emit(d *dataset, w, warn io.Writer) error {
	q.inputs = d.inputs
	r, err := q.build(d, warn)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := q.render(&buf, warn, r, q); err != nil {
		return err
	}
	if q.flags.out != "" {
		return writeAtomic(q.flags.out, buf.Bytes())
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// errHelp is returned for -h: the usage was printed, and that is success.
var errHelp = errors.New("help requested")

// parseFlags parses args with fs. The flag package's own messages are
// silenced, so that an error is reported once, by main; -h prints usage
// to stderr and returns errHelp.
func parseFlags(fs *flag.FlagSet, stderr io.Writer, usage string, args []string) error {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(stderr)
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
		return errHelp
	}
	if err != nil {
		return fmt.Errorf("%w (run %s -h for usage)", err, fs.Name())
	}
	return nil
}
