package main

import (
	"github.com/localbench/localbench/cmd/benchreport/internal/render"
	"strings"
	"testing"
)

// goldenCases are benchreport runs in testdata whose output is kept in
// testdata/golden/NAME.
var goldenCases = []struct {
	name string
	args string
}{
	{"suite.txt", "suite.txt"},
	{"suite-full.txt", "-full suite.txt"},
	{"exact.txt", "exact.txt"},
	{"exact.md", "-format markdown exact.txt"},
	{"suite-base-mapid.txt", "-base mapid -filter .unit:sec/op suite.txt"},
	{"suite.md", "-format markdown suite.txt"},
	{"suite.csv", "-format csv -filter .unit:sec/op suite.txt"},
	{"suite.html", `-format html -filter ".name:(Get OR Depth OR Parallel OR Memory)" suite.txt`},
	{"oldnew.txt", "-col .file old.txt new.txt"},
	{"labels.txt", "-col .file O=old.txt N=new.txt"},
	{"edge.txt", "edge.txt"},
	{"edge.md", "-format markdown edge.txt"},
	{"edge.csv", "-format csv edge.txt"},
	{"choose-default.txt", "choose suite.txt"},
	{"choose-implicit-depth.txt", "choose -implicit -depth 50 suite.txt"},
	{"choose-noleak.txt", "choose -no-leak -unscoped -bindings 10 -goroutines 5000 suite.txt"},
	{"choose-inherit.txt", "choose -implicit -inherit -no-leak suite.txt"},
}

func TestGolden(t *testing.T) {
	for _, c := range goldenCases {
		t.Run(c.name, func(t *testing.T) {
			args, err := parseArgs(c.args)
			if err != nil {
				t.Fatal(err)
			}
			stdout, stderr, err := inTestdata(t, args...)
			if err != nil {
				t.Fatalf("benchreport %s: %v", c.args, err)
			}
			out := stdout
			if stderr != "" {
				out += "\n--- stderr ---\n" + stderr
			}
			t.Chdir("..")
			golden(t, c.name, []byte(out))
		})
	}
}

// TestGoldenCovers checks that the golden cases exercise every format and
// command, so that a new one is not left out.
func TestGoldenCovers(t *testing.T) {
	var all strings.Builder
	for _, c := range goldenCases {
		all.WriteString(c.args + "\n")
	}
	for f := range render.Formats {
		if f != "text" && !strings.Contains(all.String(), "-format "+f) {
			t.Errorf("no golden case for -format %s", f)
		}
	}
	if !strings.Contains(all.String(), "choose ") {
		t.Errorf("no golden case for choose")
	}
}
