package main

import (
	"regexp"
	"strings"
	"testing"
)

// TestHTMLSelfContained checks that the page loads nothing: no script, no
// stylesheet link, no src or url() reference, and no address but the SVG
// namespace names (identifiers, never fetched).
func TestHTMLSelfContained(t *testing.T) {
	page, stderr, err := inTestdata(t, "-format", "html", "suite.txt")
	if err != nil || stderr != "" {
		t.Fatalf("benchreport -format html: %v %s", err, stderr)
	}
	for _, bad := range []string{"<script", "<link", "<iframe", "<img", " src=", "url(", "@import"} {
		if strings.Contains(page, bad) {
			t.Errorf("the page contains %q", bad)
		}
	}
	addr := regexp.MustCompile(`(https?:)?//[a-zA-Z0-9.-]+\.[a-z]{2,}[^"'\s<]*`)
	for _, a := range addr.FindAllString(page, -1) {
		if a != "http://www.w3.org/2000/svg" && a != "http://www.w3.org/1999/xlink" {
			t.Errorf("the page refers to %s", a)
		}
	}
	if !strings.HasPrefix(page, "<!DOCTYPE html>") || !strings.HasSuffix(page, "</html>\n") {
		t.Errorf("the page is not a whole HTML document")
	}
	if strings.Contains(page, "<?xml") {
		t.Errorf("an SVG kept its XML prolog, which is not valid inside HTML")
	}
	if open, end := strings.Count(page, "<svg"), strings.Count(page, "</svg>"); open != end {
		t.Errorf("%d <svg> and %d </svg>", open, end)
	}
}

// TestHTMLCharts checks that every workload gets a bar chart and every
// sweep a line chart (suite.txt sweeps Depth, Bindings, Parallel and Live),
// and that B/op and allocs/op get tables only.
func TestHTMLCharts(t *testing.T) {
	page, _, err := inTestdata(t, "-format", "html", "suite.txt")
	if err != nil {
		t.Fatal(err)
	}
	titles := regexp.MustCompile(`<figure aria-label="([^"]*)">`).FindAllStringSubmatch(page, -1)
	var got []string
	for _, m := range titles {
		got = append(got, m[1])
	}
	want := []string{
		"Get: time/op",
		"Set: time/op",
		"Scope: time/op",
		"Depth: geomean time/op",
		"Depth: time/op by depth",
		"Bindings: geomean time/op",
		"Bindings: time/op by bindings",
		"Parallel: geomean time/op",
		"Parallel reads=90: time/op by par",
		"Live: geomean time/op",
		"Live: time/op by live",
		"Memory: time/op",
		"Memory: B/goroutine",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("charts:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n := strings.Count(page, "<table>"); n != 3*8+1 {
		t.Errorf("%d tables; want 25 (3 units for 8 workloads, and B/goroutine)", n)
	}
	if strings.Contains(page, "log scale") == false {
		t.Errorf("no chart has a log scale, though Depth spans 1 to 256 and 0.3 to 10000 ns")
	}
}
