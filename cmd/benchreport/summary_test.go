package main

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/localbench/localbench/cmd/benchreport/internal/render"
	"github.com/localbench/localbench/results"
)

// TestSummaryFits checks the default text report on the shipped results:
// it names the file it read, fits a 120-column terminal, has a row for
// each main workload and a column for each strategy and peer, and says
// how to get the full tables.
func TestSummaryFits(t *testing.T) {
	var out, errb bytes.Buffer
	if err := run(&out, &errb, nil); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if want := "results/" + results.Latest(); !strings.HasPrefix(lines[0], want) {
		t.Errorf("first line %q; want it to name the file read, %s", lines[0], want)
	}
	for i, l := range lines {
		if n := utf8.RuneCountInString(l); n > render.SummaryWidth {
			t.Errorf("line %d is %d columns wide; want at most %d: %q", i+1, n, render.SummaryWidth, l)
		}
	}
	if len(lines) > 60 {
		t.Errorf("%d lines; want a summary that fits a screen", len(lines))
	}
	for _, w := range []string{"\nGet ", "\nSet ", "\nScope ", " mapid ", " shardedmap ", " ctxvalue ", " gls ", " routine ", " syncmap\n", " param ", "strategies", "peers", "floor", "-full"} {
		if !strings.Contains(text, w) {
			t.Errorf("the summary lacks %q:\n%s", w, text)
		}
	}
	if errb.Len() > 0 {
		t.Errorf("stderr %q; want nothing", errb.String())
	}
}

// TestSummaryExact checks that an exact unit (instructions/op) gets a
// summary of its own, beside time, with no ± range.
func TestSummaryExact(t *testing.T) {
	out, _, err := inTestdata(t, "exact.txt")
	if err != nil {
		t.Fatal(err)
	}
	_, exact, ok := strings.Cut(out, "instructions/op, exact")
	if !ok {
		t.Fatalf("no instructions/op section:\n%s", out)
	}
	exact, _, _ = strings.Cut(exact, "\n\n")
	if strings.Contains(exact, "±") {
		t.Errorf("the exact section has a ± range:\n%s", exact)
	}
	if !strings.Contains(out, "sec/op ± 95%") {
		t.Errorf("no sec/op section:\n%s", out)
	}
}

// TestSummaryWidth checks that -width fits the summary in a narrower
// terminal by putting the columns that do not fit into blocks below, so
// that no column is lost and no line wraps.
func TestSummaryWidth(t *testing.T) {
	for _, width := range []int{80, 100} {
		var out, errb bytes.Buffer
		if err := run(&out, &errb, []string{"-width", strconv.Itoa(width)}); err != nil {
			t.Fatal(err)
		}
		text := out.String()
		for i, l := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
			if n := utf8.RuneCountInString(l); n > width {
				t.Errorf("-width %d: line %d is %d columns wide: %q", width, i+1, n, l)
			}
		}
		for _, w := range []string{" mapid", " shardedmap", " ctxvalue", " gls", " routine", " syncmap", " param"} {
			if strings.Count(text, w+" ")+strings.Count(text, w+"\n") < 2 {
				t.Errorf("-width %d: column%s is not in both the time and the instructions blocks:\n%s", width, w, text)
			}
		}
	}
	if err := run(&bytes.Buffer{}, &bytes.Buffer{}, []string{"-width", "-1"}); err == nil || !strings.Contains(err.Error(), "-width") {
		t.Errorf("-width -1: error %v; want one naming -width", err)
	}
}
