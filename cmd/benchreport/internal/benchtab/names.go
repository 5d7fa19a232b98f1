package benchtab

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"golang.org/x/perf/benchfmt"
)

// NameParts returns the key=value parts of a benchmark name, and
// "gomaxprocs" for its -N suffix.
func NameParts(name benchfmt.Name) map[string]string {
	_, parts := name.Parts()
	m := make(map[string]string, len(parts))
	for _, p := range parts {
		s := string(p)
		if n, ok := strings.CutPrefix(s, "-"); ok {
			m["gomaxprocs"] = n
			continue
		}
		s = strings.TrimPrefix(s, "/")
		if k, v, ok := strings.Cut(s, "="); ok {
			m[k] = v
		}
	}
	return m
}

// ParseNum parses the value of a name key as a number: 64, 1.5, 4k
// (×1000) or 1Mi (×1024²).
func ParseNum(s string) (float64, error) {
	mult := 1.0
	for _, p := range []struct {
		suffix string
		mult   float64
	}{{"Ki", 1 << 10}, {"Mi", 1 << 20}, {"Gi", 1 << 30}, {"k", 1e3}, {"M", 1e6}, {"G", 1e9}} {
		if t, ok := strings.CutSuffix(s, p.suffix); ok {
			s, mult = t, p.mult
			break
		}
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, fmt.Errorf("not a number: %q", s)
	}
	return x * mult, nil
}
