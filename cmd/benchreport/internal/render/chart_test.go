package render

import (
	"testing"
)

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

// TestFindSweep checks which key a sweep chart takes as its x axis.
func TestFindSweep(t *testing.T) {
	r := suiteReport(t, ".unit:sec/op")
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
		s, ok := findSweep(tab, cols)
		if c.key == "" {
			if ok {
				t.Errorf("%s: sweep along %s; want none", c.workload, s.Key)
			}
			continue
		}
		if !ok || s.Key != c.key || len(s.groups) != len(c.groups) {
			t.Errorf("%s: sweep %q with %d groups, %v; want %q with %d", c.workload, s.Key, len(s.groups), ok, c.key, len(c.groups))
			continue
		}
		for i, g := range s.groups {
			if g.label != c.groups[i] {
				t.Errorf("%s: group %d is %q; want %q", c.workload, i, g.label, c.groups[i])
			}
		}
	}
}
