package main

import (
	"strings"
	"testing"
)

// TestOurTraits checks that choose reads our strategies' traits from
// their Info, as the design says each behaves.
func TestOurTraits(t *testing.T) {
	want := map[string]traits{
		"mapid":      {implicit: true, leaks: true, inherit: true},
		"shardedmap": {implicit: true, leaks: true, inherit: true},
		"ctxvalue":   {inherit: true},
		"gls":        {implicit: true, needsScope: true, inherit: true},
	}
	got := ourTraits()
	if len(got) != len(want) {
		t.Fatalf("ourTraits has %d strategies; want %d", len(got), len(want))
	}
	for _, tr := range got {
		w, ok := want[tr.name]
		if !ok {
			t.Errorf("unexpected strategy %q", tr.name)
			continue
		}
		if tr.implicit != w.implicit || tr.needsScope != w.needsScope || tr.leaks != w.leaks || tr.inherit != w.inherit {
			t.Errorf("%s: implicit=%v needsScope=%v leaks=%v inherit=%v; want %v %v %v %v", tr.name,
				tr.implicit, tr.needsScope, tr.leaks, tr.inherit, w.implicit, w.needsScope, w.leaks, w.inherit)
		}
	}
}

func TestRejections(t *testing.T) {
	all := needs{implicit: true, inherit: true, noLeak: true, unscoped: true}
	for _, c := range []struct {
		t    traits
		want []string // one flag per reason
	}{
		{traits{name: "ok", implicit: true, inherit: true}, nil},
		{traits{name: "explicit", inherit: true}, []string{"-implicit"}},
		{traits{name: "scoped", implicit: true, needsScope: true, inherit: true}, []string{"-unscoped"}},
		{traits{name: "leaky", implicit: true, leaks: true}, []string{"-no-leak", "-inherit"}},
	} {
		got := rejections(c.t, all)
		if len(got) != len(c.want) {
			t.Errorf("%s: rejected for %q; want %d reasons naming %q", c.t.name, got, len(c.want), c.want)
			continue
		}
		for i, flag := range c.want {
			if !strings.HasSuffix(got[i], "("+flag+")") {
				t.Errorf("%s: reason %q does not name %s", c.t.name, got[i], flag)
			}
		}
	}
	if got := rejections(traits{name: "explicit"}, needs{}); len(got) != 0 {
		t.Errorf("with no needs, rejected for %q; want nothing", got)
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
