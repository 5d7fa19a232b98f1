package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/localbench/localbench/cmd/benchreport/internal/render"
)

const reportUsage = `Usage: benchreport [flags] [files...]
       benchreport run [flags]
       benchreport choose [flags] [files...]

benchreport turns Go benchmark results into comparison tables. With no
flags it prints a summary that fits a 120-column terminal: a row per
workload, a column per strategy, peer and the param floor; -full prints
every table: one per workload and unit, a column per strategy, each
compared with the plain-parameter floor (param) where it was measured on
every row, and else with mapid. With no files it reads the newest results
shipped with localbench. A file argument may be label=path, and - is
standard input.

"benchreport run" runs the suite on this machine and writes a new results
file; "benchreport choose" recommends a strategy for what you need. Run
them with -h for their flags. See "go doc ./cmd/benchreport" for the manual.

Flags:
`

// reportCmd is the default command: read, tabulate, render.
func reportCmd(stdout, stderr io.Writer, args []string) error {
	var f reportFlags
	fs := newReportFlagSet(&f)
	if err := parseFlags(fs, stdout, reportUsage, args); err != nil {
		return err
	}
	f.given(fs)
	if err := f.check(); err != nil {
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
	d.warn(stderr, f.exact)
	if f.width == 0 && (f.out == "" || f.out == "-") {
		f.width = terminalWidth(stdout)
	}
	return f.emit(d, stdout, stderr)
}

// emit builds and renders the report, to -o or to w.
func (f *reportFlags) emit(d *dataset, w, warn io.Writer) error {
	var buf bytes.Buffer
	done := false
	if f.summary() {
		var err error
		if done, err = f.writeSummary(&buf, d, warn); err != nil {
			return err
		}
	}
	if !done {
		r, err := f.build(d, warn)
		if err != nil {
			return err
		}
		if err := render.Formats[f.format](&buf, warn, r, f.renderOptions(d)); err != nil {
			return err
		}
	}
	return writeOutput(f.out, w, buf.Bytes())
}

// writeOutput writes data to the file path, atomically, or to w where path
// is "" or "-".
func writeOutput(path string, w io.Writer, data []byte) error {
	if path != "" && path != "-" {
		return writeAtomic(path, data)
	}
	_, err := w.Write(data)
	return err
}

// errHelp is returned for -h: the usage was printed, and that is success.
var errHelp = errors.New("help requested")

// parseFlags parses args with fs. The flag package's own messages are
// silenced, so that an error is reported once, by main; -h prints usage
// to out (standard output: the user asked for it) and returns errHelp.
func parseFlags(fs *flag.FlagSet, out io.Writer, usage string, args []string) error {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(out)
		fmt.Fprint(out, usage)
		fs.PrintDefaults()
		return errHelp
	}
	if err != nil {
		return fmt.Errorf("%w (run %s -h for usage)", err, fs.Name())
	}
	return nil
}
