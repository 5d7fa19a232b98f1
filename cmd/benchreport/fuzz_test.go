package main

import (
	"bytes"
	"io"
	"math"
	"regexp"
	"strings"
	"testing"
)

// The fuzz targets feed benchreport what comes from outside it: the bytes
// of a results file, and the projection and filter flags. Their seed
// corpora are in testdata/fuzz/<FuzzName>/ and run with every go test; to
// fuzz, run one target at a time, for instance
//
//	go test -run '^$' -fuzz '^FuzzRead$' -fuzztime 5m ./cmd/benchreport/

// fuzzFile is the name the bytes of FuzzRead are read under, and so the
// name its syntax errors must begin with.
const fuzzFile = "fuzz.txt"

// syntaxLine is one line of the error read returns for syntax errors:
// file:line: message, or the count of those left out.
var syntaxLine = regexp.MustCompile(`^` + regexp.QuoteMeta(fuzzFile) + `:[1-9][0-9]*: .|^\(and [1-9][0-9]* more errors\)$|^` + regexp.QuoteMeta(fuzzFile) + `: no benchmark results$`)

// FuzzRead reads arbitrary bytes as a results file, as the CLI reads a
// file argument, and renders what it reads in every format.
func FuzzRead(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		in := []input{{label: fuzzFile, name: fuzzFile, open: func() (io.ReadCloser, error) {
			return io.NopCloser(bytes.NewReader(data)), nil
		}}}
		d, err := read(in)
		if err != nil {
			checkReadError(t, err)
			return
		}
		if d == nil || len(d.results) == 0 {
			t.Fatalf("read = %v, nil; want results or an error: a file with no results is an error", d)
		}
		for _, res := range d.results {
			for _, v := range res.Values {
				if math.IsNaN(v.Value) || math.IsInf(v.Value, 0) {
					_, line := res.Pos()
					t.Fatalf("read accepted %v %s at line %d; want an error: a NaN or infinite measurement is an error", v.Value, v.OrigUnit, line)
				}
			}
		}
		for _, args := range [][]string{
			nil, // benchreport's defaults
			{"-benchstat", "-table", ".config", "-col", ".file", "-ignore", ""}, // benchstat's
		} {
			for _, format := range []string{"text", "markdown", "csv", "html"} {
				args := append([]string{"-format", format}, args...)
				out, err := renderArgs(d, args)
				switch {
				case err != nil && err.Error() == "":
					t.Errorf("benchreport %q: error with an empty message; want one that says what is wrong", args)
				case err == nil && out == "":
					t.Errorf("benchreport %q printed nothing and no error; want a report or an error", args)
				}
			}
		}
	})
}

// checkReadError checks an error from read: it has a message, and every
// line of it names file:line, or says the file has no results (after the
// syntax errors that left it none).
func checkReadError(t *testing.T, err error) {
	t.Helper()
	msg := err.Error()
	switch {
	case msg == "":
		t.Fatal("read: error with an empty message; want one that says what is wrong")
	case msg == fuzzFile+": no benchmark results":
	default:
		// Syntax errors, NaN and infinite measurements, and lines too
		// long for the reader.
		for line := range strings.SplitSeq(msg, "\n") {
			if !syntaxLine.MatchString(line) {
				t.Fatalf("read: error line %q (of %q); want file:line: message: syntax errors are reported as file:line", line, msg)
			}
		}
	}
}

// renderArgs builds and renders d as the CLI would with args (flags only).
func renderArgs(d *dataset, args []string) (string, error) {
	var f reportFlags
	fs := newReportFlagSet(&f)
	if err := parseFlags(fs, io.Discard, reportUsage, args); err != nil {
		return "", err
	}
	f.given(fs)
	if err := f.check(); err != nil {
		return "", err
	}
	var out bytes.Buffer
	err := f.emit(d, &out, io.Discard)
	return out.String(), err
}

// projectionFormats are the -format values FuzzProjection picks from.
var projectionFormats = []string{"text", "markdown", "csv", "html"}

// FuzzProjection runs benchreport, through run as main does, with fuzzed
// -col, -row, -table, -filter and -ignore flags (and a fuzzed -format and
// -benchstat) on fixed, valid results files in testdata.
func FuzzProjection(f *testing.F) {
	files := []string{"old=testdata/old.txt", "new=testdata/new.txt", "testdata/edge.txt"}
	f.Fuzz(func(t *testing.T, col, row, table, filter, ignore string, format uint8, exact bool) {
		args := []string{
			"-col", col, "-row", row, "-table", table, "-filter", filter, "-ignore", ignore,
			"-format", projectionFormats[int(format)%len(projectionFormats)],
		}
		if exact {
			args = append(args, "-benchstat")
		}
		args = append(args, files...)
		var out, errb bytes.Buffer
		err := run(&out, &errb, args)
		switch {
		case err != nil && err.Error() == "":
			t.Errorf("benchreport %q: error with an empty message; want one that says what is wrong", args)
		case err == nil && out.Len() == 0:
			t.Errorf("benchreport %q printed nothing and no error; want a report or an error", args)
		}
	})
}
