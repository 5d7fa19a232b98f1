package runner

import (
	"testing"
	"time"
)

func TestTimeLeft(t *testing.T) {
	for _, tc := range []struct {
		durations []time.Duration
		inPass    time.Duration
		after     int
		want      time.Duration
	}{
		{[]time.Duration{50 * time.Second}, 0, 8, 450 * time.Second},
		{[]time.Duration{40 * time.Second, 60 * time.Second}, 20 * time.Second, 2, 130 * time.Second},
		// A pass that runs longer than the average has no time left of
		// its own.
		{[]time.Duration{50 * time.Second}, 70 * time.Second, 1, 50 * time.Second},
	} {
		if got := timeLeft(tc.durations, tc.inPass, tc.after); got != tc.want {
			t.Errorf("timeLeft(%v, %v, %d) = %v; want %v", tc.durations, tc.inPass, tc.after, got, tc.want)
		}
	}
}

func TestBenchRegexp(t *testing.T) {
	for in, want := range map[string]string{
		"Get/strategy=mapid":          `^BenchmarkGet$/^strategy=mapid$`,
		"Depth/strategy=gls/depth=64": `^BenchmarkDepth$/^strategy=gls$/^depth=64$`,
		"Get/strategy=a.b+c":          `^BenchmarkGet$/^strategy=a\.b\+c$`,
	} {
		if got := benchRegexp(in); got != want {
			t.Errorf("benchRegexp(%q) = %q; want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"Get/strategy=mapid-2":  "Get/strategy=mapid",
		"Get/strategy=mapid":    "Get/strategy=mapid",
		"Depth/depth=64-16":     "Depth/depth=64",
		"Get/strategy=get-miss": "Get/strategy=get-miss",
	} {
		if got := stripProcs(in); got != want {
			t.Errorf("stripProcs(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestEndConfig(t *testing.T) {
	out := "goos: linux\nworkload: get\nBenchmarkGet-2 1 1 ns/op\nworkload: set\nPASS\n"
	got := endConfig([]byte(out))
	if len(got) != 2 || got["goos"] != "linux" || got["workload"] != "set" {
		t.Errorf("endConfig = %v; want goos: linux, workload: set", got)
	}
}
