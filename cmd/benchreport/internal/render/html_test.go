package render

import (
	"bytes"
	"image/color"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/localbench/localbench/cmd/benchreport/internal/benchtab"
)

// testKinds sorts the suite's columns as cmd/benchreport does.
func testKinds(col string) Kind {
	switch col {
	case "mapid", "shardedmap", "ctxvalue", "gls":
		return Strategy
	case "routine", "syncmap", "rawroutine":
		return Peer
	case "param", "goid", "withvalue", "mutexmap", "rawgls":
		return Floor
	}
	return Other
}

func testOptions() Options {
	return Options{Alpha: 0.05, Confidence: 0.95, Kind: testKinds, Inputs: []string{"suite.txt"}}
}

func htmlOf(t *testing.T, r *benchtab.Report) string {
	t.Helper()
	var b bytes.Buffer
	if err := HTML(&b, io.Discard, r, testOptions()); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// figures returns each chart of a page by its title.
func figures(page string) map[string]string {
	out := make(map[string]string)
	re := regexp.MustCompile(`(?s)<figure aria-label="([^"]*)">(.*?)</figure>`)
	for _, m := range re.FindAllStringSubmatch(page, -1) {
		out[m[1]] = m[2]
	}
	return out
}

var svgText = regexp.MustCompile(`<text[^>]*>([^<]*)</text>`)

// texts returns the text elements of an SVG, in order.
func texts(svg string) []string {
	var out []string
	for _, m := range svgText.FindAllStringSubmatch(svg, -1) {
		out = append(out, strings.TrimSpace(m[1]))
	}
	return out
}

// TestHTMLGroups checks that each bar chart groups strategies, peers and
// floors, in that order, under their names, each column in its group.
func TestHTMLGroups(t *testing.T) {
	page := htmlOf(t, suiteReport(t, ".name:Get"))
	svg := figures(page)["Get: time/op"]
	if svg == "" {
		t.Fatalf("no Get bar chart; charts: %v", figures(page))
	}
	got := texts(svg)
	var order []string
	group := ""
	for _, s := range got {
		switch s {
		case "STRATEGIES", "PEERS", "FLOORS":
			order = append(order, s)
			group = s
		case "mapid", "gls", "routine", "param", "rawgls":
			want := map[Kind]string{Strategy: "STRATEGIES", Peer: "PEERS", Floor: "FLOORS"}[testKinds(s)]
			if group != want {
				t.Errorf("%s is under %q; want %q", s, group, want)
			}
		}
	}
	if strings.Join(order, " ") != "STRATEGIES PEERS FLOORS" {
		t.Errorf("groups %q; want STRATEGIES PEERS FLOORS: strategies, peers and floors are told apart", order)
	}
}

// TestHTMLColours checks that every column has a colour of its own, from
// its kind's family, and the same in every chart and table swatch.
func TestHTMLColours(t *testing.T) {
	cols := []string{"param", "mapid", "shardedmap", "ctxvalue", "gls", "goid", "withvalue", "mutexmap", "rawgls", "routine", "rawroutine", "syncmap", "other1"}
	p := newPalette(cols, testKinds)
	seen := make(map[color.RGBA]string)
	for _, c := range cols {
		st := p.style(c)
		if prev, ok := seen[st.color]; ok {
			t.Errorf("%s and %s share the colour %v: every series has a colour of its own", prev, c, st.color)
		}
		seen[st.color] = c
		if !slices.Contains(families[testKinds(c)], st.color) {
			t.Errorf("%s (%v) has colour %v, not one of its family's", c, testKinds(c), st.color)
		}
	}
	// In the page: each column's swatch colour is the fill of its bar.
	page := htmlOf(t, suiteReport(t, ".name:Get .unit:sec/op"))
	bars := figures(page)["Get: time/op"]
	for _, c := range []string{"mapid", "gls", "routine", "syncmap", "param"} {
		m := regexp.MustCompile(`<span class="sw" style="background:#([0-9a-f]{6})"></span>` + c + `<`).FindStringSubmatch(page)
		if m == nil {
			t.Errorf("no swatch for %s in the table header", c)
			continue
		}
		if !strings.Contains(bars, "fill:#"+strings.ToUpper(m[1])) {
			t.Errorf("%s's swatch #%s is no bar's fill in the chart", c, m[1])
		}
	}
}

// whiskers counts the whisker strokes of an SVG: bars' in their colour,
// lines' in the series' colours, all in whiskerWidth.
func whiskers(svg string) int {
	return strings.Count(svg, ";stroke-width:0.75\"")
}

// TestHTMLWhiskers checks that medians carry their confidence interval as
// whiskers (three strokes each: the bar and two caps), on bars and on the
// points of a sweep, and that an exact unit has none.
func TestHTMLWhiskers(t *testing.T) {
	page := htmlOf(t, suiteReport(t, ".name:(Get OR Depth) .unit:sec/op"))
	f := figures(page)
	get := suiteReport(t, ".name:Get .unit:sec/op").Tables[0]
	if got, want := whiskers(f["Get: time/op"]), 3*len(get.Cols); got != want {
		t.Errorf("Get bar chart: %d whisker strokes; want %d, three for each of %d medians", got, want, len(get.Cols))
	}
	depth := findTable(t, suiteReport(t, ".name:Depth .unit:sec/op"), "Depth")
	if got, want := whiskers(f["Depth: time/op by depth"]), 3*len(depth.Cells); got != want {
		t.Errorf("Depth line chart: %d whisker strokes; want %d, three for each of %d points", got, want, len(depth.Cells))
	}
	exact := htmlOf(t, buildFile(t, "../../testdata/exact.txt", suiteOptionsFor(".unit:instructions/op")))
	for title, svg := range figures(exact) {
		if n := whiskers(svg); n != 0 {
			t.Errorf("%s: %d whisker strokes; an exact unit has no interval", title, n)
		}
	}
}

func suiteOptionsFor(filter string) benchtab.Options {
	return benchtab.Options{
		Table: ".config,.name", Row: ".fullname", Col: "/strategy", Ignore: "workload", Filter: filter,
		Alpha: 0.05, Confidence: 0.95, Base: []string{"param", "mapid"},
	}
}

// TestHTMLZeroShown checks that a contestant whose figure is zero keeps
// its bar, labelled 0, in its group.
func TestHTMLZeroShown(t *testing.T) {
	path := filepath.Join(t.TempDir(), "leak.txt")
	var b strings.Builder
	b.WriteString("Unit B/goroutine assume=exact\n")
	for _, c := range []struct {
		name string
		v    string
	}{{"mapid", "112"}, {"ctxvalue", "0"}, {"routine", "0"}, {"syncmap", "493"}, {"withvalue", "0"}} {
		for range 3 {
			b.WriteString("BenchmarkLeak/strategy=" + c.name + "-2 1 7000000 ns/op " + c.v + " B/goroutine\n")
		}
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	svg := figures(htmlOf(t, buildFile(t, path, suiteOptionsFor(".unit:B/goroutine"))))["Leak: B/goroutine"]
	got := texts(svg)
	for _, c := range []string{"ctxvalue", "routine", "withvalue"} {
		if !slices.Contains(got, c) {
			t.Errorf("%s, whose figure is 0, is not in the chart: %q", c, got)
		}
	}
	zeros := 0
	for _, s := range got {
		if s == "0B" {
			zeros++
		}
	}
	if zeros < 1+3 { // the axis's 0, and the three bars'

		t.Errorf("the zero bars are not labelled 0B: %q", got)
	}
}

var (
	siTick   = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?(p|n|µ|m|k|M|G|T)?(s|B)?$`)
	exponent = regexp.MustCompile(`[0-9]e[+-]?[0-9]`)
)

// TestHTMLAxes checks every chart of the page: no number in exponent
// form, time axes with at least three ticks labelled in SI units, and an
// axis that is neither logarithmic nor from zero says so.
func TestHTMLAxes(t *testing.T) {
	page := htmlOf(t, suiteReport(t, "*"))
	f := figures(page)
	if len(f) < 8 {
		t.Fatalf("%d charts; want one per workload and sweep", len(f))
	}
	for title, svg := range f {
		got := texts(svg)
		time := 0
		for _, s := range got {
			if exponent.MatchString(s) {
				t.Errorf("%s: %q is in exponent form; want SI units", title, s)
			}
			if siTick.MatchString(s) && strings.HasSuffix(s, "s") {
				time++
			}
		}
		if strings.Contains(title, "time/op") && time < 3 {
			t.Errorf("%s: %d ticks labelled in time units (%q); want at least 3", title, time, got)
		}
		linear := !strings.Contains(svg, "log scale")
		if linear && !slices.ContainsFunc(got, func(s string) bool { return s == "0" || s == "0s" || s == "0B" }) &&
			!strings.Contains(svg, "not 0") {
			t.Errorf("%s: a linear axis that does not start at 0 and does not say so: %q", title, got)
		}
	}
}

// TestHTMLTables checks that no table cell wraps (cells do not break
// lines, and hold the center and at most one short comparison line), and
// that the widest table, estimated in the page's font, fits a 1400-pixel
// window.
func TestHTMLTables(t *testing.T) {
	page := htmlOf(t, suiteReport(t, "*"))
	if !regexp.MustCompile(`td \{[^}]*white-space: nowrap`).MatchString(page) {
		t.Errorf("table cells may wrap: no white-space: nowrap for td")
	}
	table := regexp.MustCompile(`(?s)<table>(.*?)</table>`)
	row := regexp.MustCompile(`(?s)<tr>(.*?)</tr>`)
	cell := regexp.MustCompile(`(?s)<t[dh][^>]*>(.*?)</t[dh]>`)
	tag := regexp.MustCompile(`<[^>]*>`)
	for _, tm := range table.FindAllStringSubmatch(page, -1) {
		var widths []int
		for _, rm := range row.FindAllStringSubmatch(tm[1], -1) {
			for i, cm := range cell.FindAllStringSubmatch(rm[1], -1) {
				if n := strings.Count(cm[1], `class="delta"`); n > 1 {
					t.Errorf("a cell has %d comparison lines: %s", n, cm[1])
				}
				// The widest line of the cell: the center, or the delta.
				w := 0
				for _, part := range strings.Split(strings.ReplaceAll(cm[1], `<span class="delta">`, "\n"), "\n") {
					w = max(w, utf8.RuneCountInString(tag.ReplaceAllString(part, "")))
				}
				for len(widths) <= i {
					widths = append(widths, 0)
				}
				widths[i] = max(widths[i], w)
			}
		}
		// 0.8em of 16px, about 0.55em a character, 0.9em of padding.
		px := 0.0
		for _, w := range widths {
			px += float64(w)*12.8*0.55 + 0.9*12.8
		}
		if px > 1400-2*24 {
			t.Errorf("a table is about %.0f pixels wide; want it to fit 1400 pixels: %s", px, tm[1][:min(len(tm[1]), 300)])
		}
	}
}

// TestHTMLOneFont checks that the charts are drawn in the page's font.
func TestHTMLOneFont(t *testing.T) {
	page := htmlOf(t, suiteReport(t, ".name:(Get OR Depth)"))
	fams := regexp.MustCompile(`font-family: ?([^;]*);`).FindAllStringSubmatch(page, -1)
	body := 0
	for _, m := range fams {
		switch m[1] {
		case "inherit":
		case fontFamily:
			body++
		default:
			t.Errorf("font-family %q; want the page's (%s) or inherit", m[1], fontFamily)
		}
	}
	if body != 1 {
		t.Errorf("the page sets its font %d times; want once, on body", body)
	}
}
