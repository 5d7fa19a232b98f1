package main

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/perf/benchproc"
	"golang.org/x/perf/benchunit"

	"github.com/localbench/localbench/cmd/benchreport/internal/benchtab"
	"github.com/localbench/localbench/cmd/benchreport/internal/render"
	"github.com/localbench/localbench/results"
)

const chooseUsage = `Usage: benchreport choose [flags] [files...]

choose recommends a strategy for what you need. Its candidates are the
stores of localbench's conformance record (results/conformance.json):
localbench's strategies and the peers behind Store adapters. It keeps
those whose traits meet the needs and that pass every conformance case
the needs depend on, ranks them by the geometric mean of their measured
cost on the matching workloads (Get, Set and Scope always; Depth,
Bindings and Live at the measured size nearest to -depth, -bindings and
-goroutines), and says why each other candidate was left out and where a
candidate beats the winner. Floors are shown for reference but are never
candidates. With no files it reads the newest shipped results.

Flags:
`

// needs are what the user asks of a strategy.
type needs struct {
	implicit, inherit, noLeak, unscoped bool
	depth, bindings, goroutines         int
	alpha                               float64
}

func chooseCmd(stdout, stderr io.Writer, args []string) error {
	fs := flag.NewFlagSet("benchreport choose", flag.ContinueOnError)
	var n needs
	fs.BoolVar(&n.implicit, "implicit", false, "Get must find values without being handed the context that Set returned")
	fs.BoolVar(&n.inherit, "inherit", false, "goroutines started with Go or Wrap must start with a copy of the caller's values")
	fs.BoolVar(&n.noLeak, "no-leak", false, "a goroutine started with a plain go statement that sets values and exits must leave nothing behind")
	fs.BoolVar(&n.unscoped, "unscoped", false, "Set must work outside any Scope")
	fs.IntVar(&n.depth, "depth", 0, "Get runs `N` calls below the Set (ranks by Depth)")
	fs.IntVar(&n.bindings, "bindings", 0, "`N` values are bound at once (ranks by Bindings)")
	fs.IntVar(&n.goroutines, "goroutines", 0, "`N` goroutines hold values at once (ranks by Live)")
	fs.Float64Var(&n.alpha, "alpha", 0.05, "call a difference significant if p < `α`")
	if err := parseFlags(fs, stdout, chooseUsage, args); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		v    int
	}{{"-depth", n.depth}, {"-bindings", n.bindings}, {"-goroutines", n.goroutines}} {
		if f.v < 0 {
			return fmt.Errorf("%s must be at least 1, not %d", f.name, f.v)
		}
	}
	if n.alpha < 0 || n.alpha > 1 {
		return errors.New("-alpha must be in [0, 1]")
	}
	in, err := inputs(fs.Args(), os.Stdin)
	if err != nil {
		return err
	}
	d, err := read(in)
	if err != nil {
		return err
	}
	d.warn(stderr, false)
	return choose(stdout, stderr, d, n)
}

// A figure is one measured cost that ranks the candidates.
type figure struct {
	label string                    // "Get", "Depth depth=64"
	note  string                    // "-depth 50: nearest measured depth=64"
	cost  map[string]float64        // strategy → sec/op
	cells map[string]*benchtab.Cell // strategy → cell, where the figure is one row
	t     *benchtab.Table
}

// A verdict is one candidate's outcome.
type verdict struct {
	results.Contestant
	reasons []string // why it was rejected; empty if it was not
	notes   []string // what the conformance record says beyond the needs
	score   float64  // geomean of its figures
}

func choose(w, warn io.Writer, d *dataset, n needs) error {
	r, err := benchtab.Build(d.results, d.units, benchtab.Options{
		Table: ".name", Row: ".fullname", Col: "/strategy",
		Alpha: n.alpha, Confidence: 0.95, Exact: true,
	})
	if err != nil {
		return err
	}
	figs, err := figures(r, d, n)
	if err != nil {
		return err
	}

	rec, err := results.LoadConformance()
	if err != nil {
		return err
	}
	var cands []verdict
	for _, c := range rec.Contestants {
		v := verdict{Contestant: c}
		v.reasons, v.notes = judge(rec, c, n)
		var costs []float64
		for _, fg := range figs {
			c, ok := fg.cost[v.Name]
			if !ok {
				v.reasons = append(v.reasons, "not measured: "+fg.label)
				continue
			}
			costs = append(costs, c)
		}
		if len(v.reasons) == 0 {
			v.score = benchtab.Geomean(costs)
		}
		cands = append(cands, v)
	}
	ok := slices.DeleteFunc(slices.Clone(cands), func(v verdict) bool { return len(v.reasons) > 0 })
	slices.SortStableFunc(ok, func(a, b verdict) int { return cmp.Compare(a.score, b.score) })

	var b strings.Builder
	fmt.Fprintf(&b, "Needs: %s\n", describeNeeds(n, figs))
	fmt.Fprintf(&b, "Results: %s\n", provenance(d))
	if len(ok) == 0 {
		b.WriteString("\nNo strategy meets every need.\n")
	} else {
		fmt.Fprintf(&b, "\nRecommended: %s\n\n", ok[0].Name)
	}
	writeFigures(&b, ok, figs)
	if len(ok) > 0 {
		b.WriteString("\n")
		writeWhy(&b, ok, figs, n.alpha)
	}
	var rejected []verdict
	for _, v := range cands {
		if len(v.reasons) > 0 {
			rejected = append(rejected, v)
		}
	}
	if len(rejected) > 0 {
		b.WriteString("\nRejected:\n")
		for _, v := range rejected {
			fmt.Fprintf(&b, "  %s: %s\n", v.Name, strings.Join(v.reasons, "; "))
		}
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	if len(ok) == 0 {
		return errors.New("no strategy meets every need")
	}
	return nil
}

// judge says why c does not meet n, naming the flag that asked, from its
// traits and its conformance record: a failed case that every candidate
// must pass, or one that a stated need depends on, rejects it. It also
// returns notes: a failed case that only an unstated need depends on, and
// the cases that did not apply to c, which the suite could not check.
func judge(rec *results.Conformance, c results.Contestant, n needs) (reasons, notes []string) {
	if n.implicit && !c.Implicit {
		reasons = append(reasons, "explicit: Get finds a value only through the context that Set returned (-implicit)")
	}
	if n.unscoped && c.NeedsScope {
		reasons = append(reasons, "Set and Delete work only inside Scope, Wrap or Go; outside they panic with ErrNoScope (-unscoped)")
	}
	if n.noLeak && c.Leaks {
		reasons = append(reasons, "a goroutine started with a plain go statement that sets values and exits without Release leaves its entry behind (-no-leak)")
	}
	asked := map[string]bool{"-implicit": n.implicit, "-inherit": n.inherit, "-no-leak": n.noLeak, "-unscoped": n.unscoped}
	var skipped []string
	needsOf := map[string]bool{}
	for _, cs := range rec.Cases {
		flag, gated := needCase(cs.Name)
		relevant := !gated || asked[flag]
		switch {
		case slices.Contains(c.Failed, cs.Name) && relevant:
			r := "fails the conformance case " + cs.Name + ": " + cs.Contract
			if gated {
				r += " (" + flag + ")"
			}
			reasons = append(reasons, r)
		case slices.Contains(c.Failed, cs.Name):
			notes = append(notes, "it fails the conformance case "+cs.Name+" ("+cs.Contract+"), which matters where you ask for "+flag)
		case slices.Contains(c.Skipped, cs.Name) && relevant:
			skipped = append(skipped, cs.Name)
			if cs.Needs != "" {
				needsOf[cs.Needs] = true
			}
		}
	}
	if len(skipped) > 0 {
		why := ""
		if len(needsOf) > 0 {
			var ns []string
			for k := range needsOf {
				ns = append(ns, k)
			}
			slices.Sort(ns)
			why = " (they need " + strings.Join(ns, "; ") + ")"
			if len(skipped) == 1 {
				why = " (it needs " + strings.Join(ns, "; ") + ")"
			}
		}
		notes = append(notes, "the conformance suite could not check "+strings.Join(skipped, ", ")+why)
	}
	return reasons, notes
}

// figures picks the measured costs that n asks about.
func figures(r *benchtab.Report, d *dataset, n needs) ([]figure, error) {
	byName := make(map[string]*benchtab.Table)
	for _, t := range r.Tables {
		if t.Unit == "sec/op" {
			byName[t.Workload()] = t
		}
	}
	var figs []figure
	for _, w := range []string{"Get", "Set", "Scope"} {
		if t := byName[w]; t != nil {
			figs = append(figs, wholeFigure(t))
		}
	}
	if len(figs) == 0 {
		return nil, fmt.Errorf("the results have none of BenchmarkGet, BenchmarkSet and BenchmarkScope; they have %s", benchtab.Describe(d.results))
	}
	for _, s := range []struct {
		flag, Workload, Key string
		v                   int
	}{
		{"-depth", "Depth", "depth", n.depth},
		{"-bindings", "Bindings", "bindings", n.bindings},
		{"-goroutines", "Live", "live", n.goroutines},
	} {
		if s.v == 0 {
			continue
		}
		t := byName[s.Workload]
		if t == nil {
			return nil, fmt.Errorf("%s needs Benchmark%s, which the results do not have; they have %s",
				s.flag, s.Workload, benchtab.Describe(d.results))
		}
		fg, ok := nearestFigure(t, s.Key, s.v)
		if !ok {
			return nil, fmt.Errorf("%s: Benchmark%s has no rows with a numeric %s= key", s.flag, s.Workload, s.Key)
		}
		fg.note = fmt.Sprintf("%s %d: nearest measured %s", s.flag, s.v, strings.TrimPrefix(fg.label, s.Workload+" "))
		figs = append(figs, fg)
	}
	return figs, nil
}

// wholeFigure is a workload's cost per strategy: its one row, or the
// geomean of its rows.
func wholeFigure(t *benchtab.Table) figure {
	fg := figure{label: t.Workload(), cost: make(map[string]float64), t: t}
	if len(t.Rows) == 1 {
		return rowFigure(t, t.Rows[0], fg.label)
	}
	for _, col := range t.Cols {
		if s := t.Summary[col]; s.HasCenter {
			fg.cost[benchtab.ColLabel(col)] = s.Center
		}
	}
	fg.label += " (geomean)"
	return fg
}

func rowFigure(t *benchtab.Table, row benchproc.Key, label string) figure {
	fg := figure{label: label, cost: make(map[string]float64), cells: make(map[string]*benchtab.Cell), t: t}
	for _, col := range t.Cols {
		if c, ok := t.Cell(row, col); ok {
			fg.cost[benchtab.ColLabel(col)] = c.Summary.Center
			fg.cells[benchtab.ColLabel(col)] = c
		}
	}
	return fg
}

// nearestFigure is t's row whose key is nearest to v on a log scale (the
// sizes are swept in powers), the larger on a tie.
func nearestFigure(t *benchtab.Table, key string, v int) (figure, bool) {
	best, bestDist, found := benchproc.Key{}, math.Inf(1), false
	bestX := 0.0
	for _, row := range t.Rows {
		x, err := benchtab.ParseNum(t.Names[row][key])
		if err != nil || x <= 0 {
			continue
		}
		dist := math.Abs(math.Log(x) - math.Log(float64(v)))
		const tie = 1e-9 // 16 and 64 are as near to 32, whatever the rounding
		if dist < bestDist-tie || math.Abs(dist-bestDist) <= tie && x > bestX {
			best, bestDist, bestX, found = row, dist, x, true
		}
	}
	if !found {
		return figure{}, false
	}
	label := t.Workload() + " " + key + "=" + t.Names[best][key]
	return rowFigure(t, best, label), true
}

func describeNeeds(n needs, figs []figure) string {
	var s []string
	for _, f := range []struct {
		on   bool
		text string
	}{
		{n.implicit, "implicit Get"},
		{n.inherit, "values inherited by Go and Wrap"},
		{n.noLeak, "no leak from a plain go"},
		{n.unscoped, "Set outside any Scope"},
	} {
		if f.on {
			s = append(s, f.text)
		}
	}
	for _, fg := range figs {
		if fg.note != "" {
			s = append(s, fg.note)
		}
	}
	if len(s) == 0 {
		return "nothing in particular (rank by Get, Set and Scope)"
	}
	return strings.Join(s, "; ")
}

// provenance names the inputs and the machine they were measured on.
func provenance(d *dataset) string {
	var names []string
	for _, in := range d.inputs {
		names = append(names, in.name)
	}
	s := strings.Join(names, ", ")
	var cfg []string
	if len(d.results) > 0 {
		for _, k := range []string{"cpu", "go", "gomaxprocs"} {
			if i, ok := d.results[0].ConfigIndex(k); ok {
				cfg = append(cfg, k+": "+string(d.results[0].Config[i].Value))
			}
		}
	}
	if len(cfg) > 0 {
		s += " (" + strings.Join(cfg, ", ") + ")"
	}
	return s
}

// writeFigures writes the ranked candidates' figures, then the references
// measured on the same figures.
func writeFigures(w io.Writer, ok []verdict, figs []figure) {
	var g render.Grid
	g.NewRow()
	g.Cell("")
	for _, fg := range figs {
		g.Cell(fg.label, render.Margin("  "))
	}
	g.Cell("geomean", render.Margin("  "))
	g.Cell("")
	for _, v := range ok {
		g.NewRow()
		g.Cell(v.Name)
		for _, fg := range figs {
			g.Cell(formatSec(fg.cost[v.Name]), render.Right, render.Margin("  "))
		}
		g.Cell(formatSec(v.score), render.Right, render.Margin("  "))
	}
	var refs []string
	for name := range references {
		for _, fg := range figs {
			if _, ok := fg.cost[name]; ok {
				refs = append(refs, name)
				break
			}
		}
	}
	slices.Sort(refs)
	for _, name := range refs {
		g.NewRow()
		g.Cell(name)
		for _, fg := range figs {
			if c, ok := fg.cost[name]; ok {
				g.Cell(formatSec(c), render.Right, render.Margin("  "))
			} else {
				g.Cell("-", render.Right, render.Margin("  "))
			}
		}
		g.Cell("-", render.Right, render.Margin("  "))
		g.Cell(references[name], render.Margin("  "))
	}
	g.Write(w)
}

// writeWhy says why the winner won, where another candidate beats it,
// and what it costs.
func writeWhy(w io.Writer, ok []verdict, figs []figure, alpha float64) {
	win := ok[0]
	if len(figs) == 1 {
		fmt.Fprintf(w, "The ranking is by one figure only: %s.\n", figs[0].label)
	}
	if len(ok) == 1 {
		fmt.Fprintf(w, "%s is the only candidate that meets every need.\n", win.Name)
	}
	if len(ok) > 1 {
		next := ok[1]
		fmt.Fprintf(w, "%s is the cheapest: %s, the runner-up, costs %s as much on the geomean of these figures.\n",
			win.Name, next.Name, render.Ratio(next.score/win.score, win.score > 0))
		var same, differ []string
		for _, fg := range figs {
			a, b := fg.cells[win.Name], fg.cells[next.Name]
			if a == nil || b == nil {
				continue
			}
			if fg.t.Assumption.Compare(b.Sample, a.Sample).P < alpha {
				differ = append(differ, fg.label)
			} else {
				same = append(same, fg.label)
			}
		}
		if len(differ) > 0 {
			fmt.Fprintf(w, "The difference is significant (p < %s) on %s.\n", strconv.FormatFloat(alpha, 'g', -1, 64), strings.Join(differ, ", "))
		}
		if len(same) > 0 {
			fmt.Fprintf(w, "There is no significant difference on %s.\n", strings.Join(same, ", "))
		}
	}
	if beats := whereBeaten(ok, figs, alpha); len(beats) > 0 {
		fmt.Fprintf(w, "Where another candidate is cheaper than %s:\n", win.Name)
		for _, b := range beats {
			fmt.Fprintf(w, "  - %s\n", b)
		}
	}
	var trade []string
	if !win.Implicit {
		trade = append(trade, "it is explicit: every function between Set and Get must take and pass the context")
	}
	if win.NeedsScope {
		trade = append(trade, "Set and Delete work only inside Scope, Wrap or Go")
	}
	if win.Leaks {
		t := "a goroutine started with a plain go statement must call Release before it exits, or its entry stays"
		if win.Sweeper {
			t += " until Sweep drops it (each sweep stops the world to dump every goroutine's stack)"
		}
		trade = append(trade, t+"; choose -no-leak excludes such stores")
	}
	trade = append(trade, win.notes...)
	if c := caveats[win.Name]; c != "" {
		trade = append(trade, c)
	}
	if len(trade) > 0 {
		fmt.Fprintf(w, "Trade-offs of %s:\n", win.Name)
		for _, t := range trade {
			fmt.Fprintf(w, "  - %s\n", t)
		}
	}
}

// whereBeaten lists the figures on which another ranked candidate costs
// significantly less than the winner, with by how much. A figure that is
// a geomean over a sweep has no test of significance; it is listed where
// another candidate is cheaper, and says so.
func whereBeaten(ok []verdict, figs []figure, alpha float64) []string {
	win := ok[0]
	var out []string
	for _, v := range ok[1:] {
		for _, fg := range figs {
			a, b := fg.cost[win.Name], fg.cost[v.Name]
			if !(b < a) {
				continue
			}
			ratio := render.Ratio(b/a, a > 0)
			ca, cb := fg.cells[win.Name], fg.cells[v.Name]
			if ca == nil || cb == nil {
				out = append(out, fmt.Sprintf("%s on %s: %s against %s (%s; a geomean, not tested for significance)",
					v.Name, fg.label, formatSec(b), formatSec(a), ratio))
				continue
			}
			if p := fg.t.Assumption.Compare(ca.Sample, cb.Sample).P; p < alpha {
				out = append(out, fmt.Sprintf("%s on %s: %s against %s (%s, p=%.3f)", v.Name, fg.label, formatSec(b), formatSec(a), ratio, p))
			}
		}
	}
	return out
}

// formatSec formats seconds with an SI prefix: 4.450ns.
func formatSec(s float64) string {
	return benchunit.Scale(s, benchunit.Decimal) + "s"
}
