package main

import (
	"strings"
	"testing"

	"github.com/localbench/localbench/results"
)

// testRecord is a conformance record with one case of each kind: one
// every candidate must pass, and one for each need.
func testRecord(contestants ...results.Contestant) *results.Conformance {
	return &results.Conformance{
		Cases: []results.Case{
			{Name: "isolation", Contract: "a goroutine never sees another goroutine's bindings"},
			{Name: "wrap-every-call", Contract: "a Wrap'd func runs fn on every call"},
			{Name: "leaks", Contract: "Info().Leaks is true exactly when …", Needs: "a strategies.Counter"},
			{Name: "no-scope", Contract: "NeedsScope stores panic outside a scope"},
			{Name: "implicit", Contract: "Info().Implicit is true exactly when …"},
		},
		Contestants: contestants,
	}
}

// TestJudge checks that choose rejects a candidate for a failed
// conformance case that every candidate must pass or that a stated need
// depends on, from the record, and only notes the others.
func TestJudge(t *testing.T) {
	all := needs{implicit: true, inherit: true, noLeak: true, unscoped: true}
	for _, c := range []struct {
		c       results.Contestant
		n       needs
		reasons []string // a flag, or a case name, per reason
		notes   int
	}{
		{results.Contestant{Name: "ok", Implicit: true}, all, nil, 0},
		{results.Contestant{Name: "explicit"}, all, []string{"(-implicit)"}, 0},
		{results.Contestant{Name: "scoped", Implicit: true, NeedsScope: true}, all, []string{"(-unscoped)"}, 0},
		{results.Contestant{Name: "leaky", Implicit: true, Leaks: true}, all, []string{"(-no-leak)"}, 0},
		{results.Contestant{Name: "routine", Implicit: true, Failed: []string{"wrap-every-call"}}, all, []string{"wrap-every-call"}, 0},
		{results.Contestant{Name: "routine", Implicit: true, Failed: []string{"wrap-every-call"}}, needs{implicit: true}, nil, 1},
		{results.Contestant{Name: "broken", Implicit: true, Failed: []string{"isolation"}}, needs{}, []string{"isolation"}, 0},
		{results.Contestant{Name: "unchecked", Implicit: true, Skipped: []string{"leaks"}}, all, nil, 1},
		{results.Contestant{Name: "unchecked", Implicit: true, Skipped: []string{"leaks"}}, needs{}, nil, 0},
	} {
		reasons, notes := judge(testRecord(c.c), c.c, c.n)
		if len(reasons) != len(c.reasons) {
			t.Errorf("%s %+v: rejected for %q; want %d reasons naming %q", c.c.Name, c.n, reasons, len(c.reasons), c.reasons)
			continue
		}
		for i, want := range c.reasons {
			if !strings.Contains(reasons[i], want) {
				t.Errorf("%s: reason %q does not name %s", c.c.Name, reasons[i], want)
			}
		}
		if len(notes) != c.notes {
			t.Errorf("%s %+v: notes %q; want %d", c.c.Name, c.n, notes, c.notes)
		}
	}
}

// TestChooseFromRecord checks choose on the shipped record: -inherit
// rejects routine, which fails wrap-every-call, naming the case; without
// it, routine is ranked, and its failure is said.
func TestChooseFromRecord(t *testing.T) {
	rec, err := results.LoadConformance()
	if err != nil {
		t.Fatal(err)
	}
	routine, ok := rec.Contestant("routine")
	if !ok || routine.Passed("wrap-every-call") {
		t.Skip("the record no longer has routine failing wrap-every-call")
	}
	out, _, err := inTestdata(t, "choose", "-implicit", "-inherit", "-no-leak", "suite.txt")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "Recommended: routine") || !strings.Contains(out, "routine: fails the conformance case wrap-every-call") {
		t.Errorf("choose -implicit -inherit -no-leak:\n%s\nwant routine rejected for wrap-every-call", out)
	}
	t.Chdir("..")
	out, _, err = inTestdata(t, "choose", "suite.txt")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "Recommended: routine") && !strings.Contains(out, "it fails the conformance case wrap-every-call") {
		t.Errorf("choose recommends routine without saying it fails wrap-every-call:\n%s", out)
	}
	for _, c := range rec.Contestants {
		if !strings.Contains(out, c.Name) {
			t.Errorf("%s, a store of the record, is neither ranked nor rejected:\n%s", c.Name, out)
		}
	}
}

// TestChooseSaysHow checks that choose says when it ranks by one figure,
// and where a candidate is significantly cheaper than the winner.
func TestChooseSaysHow(t *testing.T) {
	out, _, err := inTestdata(t, "choose", "-implicit", "old.txt")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "The ranking is by one figure only: Get.") {
		t.Errorf("choose on results with Get alone:\n%s\nwant it to say the ranking is by Get only", out)
	}
	t.Chdir("..")
	out, _, err = inTestdata(t, "choose", "suite.txt")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "ctxvalue on Scope: 60.40ns against 95.75ns (0.63×, p=0.002)") {
		t.Errorf("choose:\n%s\nwant it to say ctxvalue is cheaper than the winner on Scope, by how much", out)
	}
}

// TestNearestFigure checks that -depth, -bindings and -goroutines pick the
// measured size nearest on a log scale, the larger on a tie.
func TestNearestFigure(t *testing.T) {
	r := buildTestReport(t, "-table", ".name", "-filter", ".unit:sec/op", "-benchstat", "suite.txt")
	for _, c := range []struct {
		workload, key string
		v             int
		want          string
	}{
		{"Depth", "depth", 1, "Depth depth=1"},
		{"Depth", "depth", 50, "Depth depth=64"},
		{"Depth", "depth", 32, "Depth depth=64"}, // 16 and 64 are as near: the larger
		{"Depth", "depth", 100000, "Depth depth=256"},
		{"Bindings", "bindings", 2, "Bindings bindings=1"},
		{"Bindings", "bindings", 3, "Bindings bindings=8"},
		{"Live", "live", 1000, "Live live=10000"}, // 10× below and 10× above: the larger
	} {
		fg, ok := nearestFigure(findTable(t, r, c.workload), c.key, c.v)
		if !ok || fg.label != c.want {
			t.Errorf("nearest %s to %d: %q, %v; want %q", c.key, c.v, fg.label, ok, c.want)
		}
		if ok && len(fg.cost) == 0 {
			t.Errorf("nearest %s to %d: no costs", c.key, c.v)
		}
	}
}
