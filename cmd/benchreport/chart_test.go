package main

import (
	"testing"

	"golang.org/x/perf/benchfmt"
)

func TestParseNum(t *testing.T) {
	for _, c := range []struct {
		in   string
		want float64
		ok   bool
	}{
		{"64", 64, true},
		{"1.5", 1.5, true},
		{"4k", 4000, true},
		{"1Mi", 1 << 20, true},
		{"", 0, false},
		{"mapid", 0, false},
		{"NaN", 0, false},
	} {
		got, err := parseNum(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("parseNum(%q) = %v, %v; want %v, ok=%v", c.in, got, err, c.want, c.ok)
		}
	}
}

func TestWideRange(t *testing.T) {
	if !wideRange([]float64{1, 256}, logXRange) {
		t.Errorf("1..256 is not wide; want a log scale")
	}
	if wideRange([]float64{1, 8}, logXRange) {
		t.Errorf("1..8 is wide; want a linear scale")
	}
	if wideRange([]float64{0, 1000}, logXRange) {
		t.Errorf("0..1000 is wide; a log scale cannot show 0")
	}
}

func TestNameParts(t *testing.T) {
	got := nameParts(benchfmt.Name("Parallel/strategy=mapid/reads=90/par=64-2"))
	want := map[string]string{"strategy": "mapid", "reads": "90", "par": "64", "gomaxprocs": "2"}
	if len(got) != len(want) {
		t.Fatalf("nameParts = %v; want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("nameParts[%q] = %q; want %q", k, got[k], v)
		}
	}
}

// TestFindSweep checks which key a sweep chart takes as its x axis.
func TestFindSweep(t *testing.T) {
	r := buildTestReport(t, "-filter", ".unit:sec/op", "suite.txt")
	cols := map[string]bool{"strategy": true}
	for _, c := range []struct {
		workload, key string
		groups        []string
	}{
		{"Depth", "depth", []string{""}},
		{"Parallel", "par", []string{"reads=90"}},
		{"Live", "live", []string{""}},
		{"Get", "", nil},
	} {
		tab := findTable(t, r, c.workload)
		s, ok := tab.findSweep(cols)
		if c.key == "" {
			if ok {
				t.Errorf("%s: sweep along %s; want none", c.workload, s.key)
			}
			continue
		}
		if !ok || s.key != c.key || len(s.groups) != len(c.groups) {
			t.Errorf("%s: sweep %q with %d groups, %v; want %q with %d", c.workload, s.key, len(s.groups), ok, c.key, len(c.groups))
			continue
		}
		for i, g := range s.groups {
			if g.label != c.groups[i] {
				t.Errorf("%s: group %d is %q; want %q", c.workload, i, g.label, c.groups[i])
			}
		}
	}
}
