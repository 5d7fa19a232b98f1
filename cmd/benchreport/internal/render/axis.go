package render

import (
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
)

// An axis says how a unit is charted: its label, and the suffix of its
// tick labels (sec/op is charted in seconds, its ticks "10ns", "1µs").
type axis struct {
	label  string
	suffix string
}

func axisFor(unit string) axis {
	switch {
	case unit == "sec/op":
		return axis{"time/op", "s"}
	case strings.HasPrefix(unit, "sec/"):
		return axis{"time/" + strings.TrimPrefix(unit, "sec/"), "s"}
	case strings.HasPrefix(unit, "B/"):
		return axis{unit, "B"}
	}
	return axis{unit, ""}
}

// siPrefixes are the SI prefixes siFormat uses, from 10⁻¹² up.
var siPrefixes = []string{"p", "n", "µ", "m", "", "k", "M", "G", "T"}

// siFormat writes v with an SI prefix and suffix and up to three
// significant digits: 0.31ns, 25.9ns, 1.5µs, 12ms, 0.
func siFormat(v float64, suffix string) string {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'g', -1, 64) + suffix
	}
	e := int(math.Floor(math.Log10(math.Abs(v)) / 3))
	e = max(-4, min(e, 4))
	x := v / math.Pow(1000, float64(e))
	s := strconv.FormatFloat(x, 'g', 3, 64)
	if strings.Contains(s, "e") {
		s = strconv.FormatFloat(x, 'f', -1, 64)
	}
	return s + siPrefixes[e+4] + suffix
}

// siTicks places ticks and labels them in SI units: on a log scale at
// each power of ten (and 3×, or 2× and 5×, where there are few),
// on a linear scale where plot.DefaultTicks puts them.
type siTicks struct {
	ax  axis
	log bool
}

func (s siTicks) Ticks(lo, hi float64) []plot.Tick {
	var ticks []plot.Tick
	if s.log && lo > 0 {
		mults := []float64{1}
		switch {
		case hi/lo < 30:
			mults = []float64{1, 2, 5}
		case hi/lo < 1e3:
			mults = []float64{1, 3}
		}
		for p := math.Floor(math.Log10(lo)); p <= math.Ceil(math.Log10(hi)); p++ {
			for _, m := range mults {
				v := m * math.Pow(10, p)
				if v < lo*(1-1e-9) || v > hi*(1+1e-9) {
					continue
				}
				ticks = append(ticks, plot.Tick{Value: v, Label: siFormat(v, s.ax.suffix)})
			}
		}
		if len(ticks) >= 2 {
			return ticks
		}
		ticks = nil
	}
	for _, t := range (plot.DefaultTicks{}).Ticks(lo, hi) {
		if t.Label != "" {
			t.Label = siFormat(t.Value, s.ax.suffix)
		}
		ticks = append(ticks, t)
	}
	return ticks
}
